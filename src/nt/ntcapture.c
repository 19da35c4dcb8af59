/* Nt: capturing arguments from user mode. Every pointer a user program passes is probed and
 * copied before the kernel uses it; a bad one yields STATUS_ACCESS_VIOLATION, never a fault. */
#include "ntkp.h"
#include <string.h>

#define NTP_TAG_CAPTURE 0x70614354 /* 'TCap' */

NTSTATUS NtpWrite(KPROCESSOR_MODE Mode, PVOID Destination, const VOID *Source, SIZE_T Length)
{
    if (Mode == UserMode)
        return MmpCopyToUser(Destination, Source, Length);
    memcpy(Destination, Source, Length);
    return STATUS_SUCCESS;
}

NTSTATUS NtpWriteHandle(KPROCESSOR_MODE Mode, PHANDLE Destination, HANDLE Value)
{
    return NtpWrite(Mode, Destination, &Value, sizeof(Value));
}

NTSTATUS NtpCaptureTimeout(KPROCESSOR_MODE Mode, PLARGE_INTEGER Source, PLARGE_INTEGER Captured,
                           PLARGE_INTEGER *Pointer)
{
    *Pointer = NULL;
    if (Source == NULL)
        return STATUS_SUCCESS;
    if (Mode == UserMode) {
        NTSTATUS Status = MmpProbeUserRange(Source, sizeof(*Source), sizeof(ULONG));
        if (NT_SUCCESS(Status))
            Status = MmpCopyFromUser(Captured, Source, sizeof(*Captured));
        if (!NT_SUCCESS(Status))
            return Status;
    } else {
        *Captured = *Source;
    }
    *Pointer = Captured;
    return STATUS_SUCCESS;
}

NTSTATUS NtpCaptureObjectAttributes(KPROCESSOR_MODE Mode, POBJECT_ATTRIBUTES Source,
                                    POBJECT_ATTRIBUTES Captured, PUNICODE_STRING CapturedName)
{
    UNICODE_STRING Name;
    NTSTATUS Status;

    CapturedName->Buffer = NULL;
    CapturedName->Length = CapturedName->MaximumLength = 0;
    if (Source == NULL)
        return STATUS_INVALID_PARAMETER;
    if (Mode == UserMode) {
        Status = MmpCopyFromUser(Captured, Source, sizeof(*Captured));
        if (!NT_SUCCESS(Status))
            return Status;
    } else {
        *Captured = *Source;
    }
    if (Captured->Length != sizeof(OBJECT_ATTRIBUTES) ||
        (Captured->Attributes & ~OBJ_VALID_ATTRIBUTES))
        return STATUS_INVALID_PARAMETER;
    if (Mode == UserMode)
        Captured->Attributes &= ~OBJ_KERNEL_HANDLE;
    if (Captured->ObjectName == NULL)
        return STATUS_SUCCESS;
    if (Mode == UserMode) {
        Status = MmpCopyFromUser(&Name, Captured->ObjectName, sizeof(Name));
        if (!NT_SUCCESS(Status))
            return Status;
    } else {
        Name = *Captured->ObjectName;
    }
    if ((Name.Length & 1) || Name.Length > Name.MaximumLength ||
        (Name.Length != 0 && Name.Buffer == NULL))
        return STATUS_OBJECT_NAME_INVALID;
    CapturedName->Buffer = ExAllocatePool2(POOL_FLAG_PAGED, (SIZE_T)Name.Length + sizeof(WCHAR),
                                           NTP_TAG_CAPTURE);
    if (CapturedName->Buffer == NULL)
        return STATUS_INSUFFICIENT_RESOURCES;
    if (Mode == UserMode) {
        Status = MmpCopyFromUser(CapturedName->Buffer, Name.Buffer, Name.Length);
        if (!NT_SUCCESS(Status)) {
            NtpReleaseObjectAttributes(CapturedName);
            return Status;
        }
    } else {
        memcpy(CapturedName->Buffer, Name.Buffer, Name.Length);
    }
    CapturedName->Buffer[Name.Length / sizeof(WCHAR)] = 0;
    CapturedName->Length = Name.Length;
    CapturedName->MaximumLength = (USHORT)(Name.Length + sizeof(WCHAR));
    Captured->ObjectName = CapturedName;
    return STATUS_SUCCESS;
}

VOID NtpReleaseObjectAttributes(PUNICODE_STRING CapturedName)
{
    if (CapturedName->Buffer)
        ExFreePoolWithTag(CapturedName->Buffer, NTP_TAG_CAPTURE);
    CapturedName->Buffer = NULL;
}
