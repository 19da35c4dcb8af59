/* user_beep: drives \Device\Beep directly (NtCreateFile, NtDeviceIoControlFile) and checks
 * the status of every request; run under --virtual-time so that the tones in the WAV file
 * have exactly the lengths the Sleeps give them:
 *   tone:1000:100 gap:40     a tone that runs its course
 *   tone:2000:50 gap:60      a 300 ms tone stopped after 50 ms by Frequency 0, Duration 0
 *   tone:1500:70 gap:30      an endless tone stopped after 70 ms by Frequency 0
 *   tone:600:70 gap:25       a 200 ms tone cut after 20 ms by a 50 ms tone
 *   tone:800:120 gap:10      a tone that bad requests do not disturb
 *   tone:37:500 gap:10       the lowest frequency
 *   tone:8000:100 gap:10     a longer input buffer: only its start counts
 *   tone:1200:80 gap:15      Win32 Beep, which returns when the tone is over
 *   tone:300:70              a 10 s tone cut when the system shuts down */
#include <windows.h>
#include <winioctl.h>
#include <ntddbeep.h>
#include <ntk/ntapi.h>
#include "../ntktest.h"

static HANDLE g_Beep;

static NTSTATUS Control(ULONG Code, PVOID Input, ULONG Length)
{
    IO_STATUS_BLOCK iosb;
    return NtDeviceIoControlFile(g_Beep, NULL, NULL, NULL, &iosb, Code, Input, Length, NULL, 0);
}

static NTSTATUS SetBeep(ULONG Frequency, ULONG Duration)
{
    BEEP_SET_PARAMETERS p = { Frequency, Duration };
    return Control(IOCTL_BEEP_SET, &p, sizeof(p));
}

/* Requests the device must refuse, sent while a tone plays: none of them may touch it. */
static void BadRequests(void)
{
    BEEP_SET_PARAMETERS p = { 440, 100 };
    CHECK_STATUS(Control(IOCTL_BEEP_SET, &p, sizeof(p) - 1), STATUS_INVALID_PARAMETER);
    CHECK_STATUS(Control(IOCTL_BEEP_SET, &p, sizeof(ULONG)), STATUS_INVALID_PARAMETER);
    CHECK_STATUS(Control(IOCTL_BEEP_SET, NULL, 0), STATUS_INVALID_PARAMETER);
    CHECK_STATUS(SetBeep(BEEP_FREQUENCY_MINIMUM - 1, 100), STATUS_INVALID_PARAMETER);
    CHECK_STATUS(SetBeep(BEEP_FREQUENCY_MAXIMUM + 1, 100), STATUS_INVALID_PARAMETER);
    CHECK_STATUS(SetBeep(0xFFFFFFFF, 100), STATUS_INVALID_PARAMETER);
    CHECK_STATUS(Control(CTL_CODE(FILE_DEVICE_BEEP, 1, METHOD_BUFFERED, FILE_ANY_ACCESS), &p,
                         sizeof(p)),
                 STATUS_INVALID_DEVICE_REQUEST);
    /* Pointers the I/O manager's probe refuses before the driver sees the request. */
    CHECK_STATUS(Control(IOCTL_BEEP_SET, (PVOID)(ULONG_PTR)0x10, sizeof(p)),
                 STATUS_ACCESS_VIOLATION);
    CHECK_STATUS(Control(IOCTL_BEEP_SET, (PVOID)(ULONG_PTR)0x700000001000ULL, sizeof(p)),
                 STATUS_ACCESS_VIOLATION);
}

int main(void)
{
    UNICODE_STRING name = RTL_CONSTANT_STRING(DD_BEEP_DEVICE_NAME_U);
    OBJECT_ATTRIBUTES oa;
    IO_STATUS_BLOCK iosb;

    InitializeObjectAttributes(&oa, &name, OBJ_CASE_INSENSITIVE, NULL, NULL);
    CHECK_STATUS(NtCreateFile(&g_Beep, GENERIC_WRITE | SYNCHRONIZE, &oa, &iosb, NULL, 0,
                              FILE_SHARE_READ | FILE_SHARE_WRITE, FILE_OPEN,
                              FILE_SYNCHRONOUS_IO_NONALERT, NULL, 0),
                 STATUS_SUCCESS);
    if (g_Beep == NULL)
        return NTK_TEST_SUMMARY();

    CHECK_STATUS(SetBeep(1000, 100), STATUS_SUCCESS);
    Sleep(100 + 40);

    CHECK_STATUS(SetBeep(2000, 300), STATUS_SUCCESS);
    Sleep(50);
    CHECK_STATUS(SetBeep(0, 0), STATUS_SUCCESS);
    Sleep(60);

    CHECK_STATUS(SetBeep(1500, 0xFFFFFFFF), STATUS_SUCCESS);
    Sleep(70);
    CHECK_STATUS(SetBeep(0, 100), STATUS_SUCCESS);
    Sleep(30);

    CHECK_STATUS(SetBeep(600, 200), STATUS_SUCCESS);
    Sleep(20);
    CHECK_STATUS(SetBeep(600, 50), STATUS_SUCCESS);
    Sleep(50 + 25);

    CHECK_STATUS(SetBeep(800, 120), STATUS_SUCCESS);
    BadRequests();
    Sleep(120 + 10);

    /* Stopping when nothing plays is fine. */
    CHECK_STATUS(SetBeep(BEEP_FREQUENCY_MINIMUM, 0), STATUS_SUCCESS);
    CHECK_STATUS(SetBeep(BEEP_FREQUENCY_MINIMUM, 500), STATUS_SUCCESS);
    Sleep(500 + 10);

    /* An input buffer longer than BEEP_SET_PARAMETERS: only its start counts. */
    {
        ULONG big[8] = { 8000, 100, 1, 2, 3, 4, 5, 6 };
        CHECK_STATUS(Control(IOCTL_BEEP_SET, big, sizeof(big)), STATUS_SUCCESS);
    }
    Sleep(100 + 10);

    /* Win32 Beep returns once its tone has played; a bad frequency fails at once. */
    CHECK(Beep(1200, 80));
    Sleep(15);
    SetLastError(0);
    CHECK(!Beep(BEEP_FREQUENCY_MINIMUM - 1, 1000));
    CHECK_EQ(GetLastError(), ERROR_INVALID_PARAMETER);

    CHECK_STATUS(SetBeep(300, 10000), STATUS_SUCCESS);
    Sleep(70);
    CHECK_STATUS(NtClose(g_Beep), STATUS_SUCCESS);
    return NTK_TEST_SUMMARY();
}
