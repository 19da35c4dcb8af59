/* Beep: one IOCTL_BEEP_SET to \Device\Beep, then an alertable wait for the tone's duration,
 * since the device returns at once and the Win32 function is synchronous. A frequency the
 * device refuses fails with the device's status (ERROR_INVALID_PARAMETER). */
#include "basep.h"
#include <ntddbeep.h>

BOOL WINAPI Beep(DWORD dwFreq, DWORD dwDuration)
{
    UNICODE_STRING Name = RTL_CONSTANT_STRING(DD_BEEP_DEVICE_NAME_U);
    BEEP_SET_PARAMETERS Parameters = { dwFreq, dwDuration };
    OBJECT_ATTRIBUTES Attributes;
    IO_STATUS_BLOCK IoStatus;
    HANDLE Device;
    NTSTATUS Status;

    InitializeObjectAttributes(&Attributes, &Name, OBJ_CASE_INSENSITIVE, NULL, NULL);
    Status = NtCreateFile(&Device, FILE_READ_DATA | FILE_WRITE_DATA | SYNCHRONIZE, &Attributes,
                          &IoStatus, NULL, 0, FILE_SHARE_READ | FILE_SHARE_WRITE, FILE_OPEN,
                          FILE_SYNCHRONOUS_IO_NONALERT, NULL, 0);
    if (!NT_SUCCESS(Status)) {
        BasepSetLastNtError(Status);
        return FALSE;
    }
    Status = NtDeviceIoControlFile(Device, NULL, NULL, NULL, &IoStatus, IOCTL_BEEP_SET,
                                   &Parameters, sizeof(Parameters), NULL, 0);
    NtClose(Device);
    if (!NT_SUCCESS(Status)) {
        BasepSetLastNtError(Status);
        return FALSE;
    }
    SleepEx(dwDuration, TRUE);
    return TRUE;
}
