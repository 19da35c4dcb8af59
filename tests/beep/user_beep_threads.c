/* user_beep_threads: eight threads, each with its own handle, set and stop tones on
 * \Device\Beep at once (150 tones and 50 stops apiece), then one last tone plays alone.
 * Under --virtual-time no time passes while the threads run, so each of their tones is cut
 * to nothing by the next setting and the WAV file holds only tone:440:100; the log counts
 * 8 * 150 + 1 = 1201 tones. */
#include <windows.h>
#include <winioctl.h>
#include <ntddbeep.h>
#include <ntk/ntapi.h>
#include "../ntktest.h"

#define THREADS 8
#define ROUNDS 200

static volatile LONG g_Failures;

static HANDLE OpenBeep(void)
{
    UNICODE_STRING name = RTL_CONSTANT_STRING(DD_BEEP_DEVICE_NAME_U);
    OBJECT_ATTRIBUTES oa;
    IO_STATUS_BLOCK iosb;
    HANDLE h = NULL;
    InitializeObjectAttributes(&oa, &name, OBJ_CASE_INSENSITIVE, NULL, NULL);
    if (!NT_SUCCESS(NtCreateFile(&h, GENERIC_WRITE | SYNCHRONIZE, &oa, &iosb, NULL, 0,
                                 FILE_SHARE_READ | FILE_SHARE_WRITE, FILE_OPEN,
                                 FILE_SYNCHRONOUS_IO_NONALERT, NULL, 0)))
        return NULL;
    return h;
}

static NTSTATUS SetBeep(HANDLE h, ULONG Frequency, ULONG Duration)
{
    BEEP_SET_PARAMETERS p = { Frequency, Duration };
    IO_STATUS_BLOCK iosb;
    return NtDeviceIoControlFile(h, NULL, NULL, NULL, &iosb, IOCTL_BEEP_SET, &p, sizeof(p), NULL,
                                 0);
}

static DWORD WINAPI Player(LPVOID Context)
{
    ULONG id = (ULONG)(ULONG_PTR)Context, i;
    HANDLE h = OpenBeep();
    if (h == NULL) {
        __atomic_add_fetch(&g_Failures, 1, __ATOMIC_SEQ_CST);
        return 1;
    }
    for (i = 0; i < ROUNDS; i++) {
        /* Every fourth request is a stop; the others are tones of varied pitch and length. */
        NTSTATUS status = (i % 4 == 3) ? SetBeep(h, 0, 0)
                                       : SetBeep(h, 100 + 50 * id + i, 10 + i % 90);
        if (status != STATUS_SUCCESS)
            __atomic_add_fetch(&g_Failures, 1, __ATOMIC_SEQ_CST);
    }
    NtClose(h);
    return 0;
}

int main(void)
{
    HANDLE threads[THREADS], h;
    ULONG i;
    for (i = 0; i < THREADS; i++) {
        threads[i] = CreateThread(NULL, 0, Player, (LPVOID)(ULONG_PTR)i, 0, NULL);
        CHECK(threads[i] != NULL);
    }
    CHECK_EQ(WaitForMultipleObjects(THREADS, threads, TRUE, INFINITE), WAIT_OBJECT_0);
    for (i = 0; i < THREADS; i++)
        CloseHandle(threads[i]);
    CHECK_EQ(g_Failures, 0);

    h = OpenBeep();
    CHECK(h != NULL);
    CHECK_STATUS(SetBeep(h, 440, 100), STATUS_SUCCESS);
    Sleep(100);
    NtClose(h);
    return NTK_TEST_SUMMARY();
}
