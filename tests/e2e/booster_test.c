/* The Booster driver (samples/booster), end to end: a thread's priority really changes, and
 * every error path gives Windows' error code.
 *     ntk run --driver booster.so -- booster_test.so */
#include <windows.h>
#include <ntk/ntapi.h>
#include "e2e_user.h"
#include "../../samples/booster/BoosterCommon.h"

static HANDLE Quit;

static DWORD WINAPI Sleeper(LPVOID param)
{
    (void)param;
    return WaitForSingleObject(Quit, INFINITE) == WAIT_OBJECT_0 ? 0 : 1;
}

static KPRIORITY PriorityOf(HANDLE thread)
{
    THREAD_BASIC_INFORMATION tbi;
    memset(&tbi, 0, sizeof(tbi));
    NTSTATUS status =
        NtQueryInformationThread(thread, ThreadBasicInformation, &tbi, sizeof(tbi), NULL);
    CHECK_STATUS(status, STATUS_SUCCESS);
    return NT_SUCCESS(status) ? tbi.Priority : -1;
}

static BOOL Boost(HANDLE device, ULONG tid, int priority, DWORD *written)
{
    ThreadData data;
    data.ThreadId = tid;
    data.Priority = priority;
    *written = 12345;
    return WriteFile(device, &data, sizeof(data), written, NULL);
}

int main(void)
{
    DWORD n;
    Quit = CreateEventW(NULL, TRUE, FALSE, NULL);
    CHECK(Quit != NULL);

    HANDLE dev = CreateFile(L"\\\\.\\Booster", GENERIC_WRITE, 0, NULL, OPEN_EXISTING, 0, NULL);
    CHECK(dev != INVALID_HANDLE_VALUE);
    if (dev == INVALID_HANDLE_VALUE) {
        printf("cannot open \\\\.\\Booster: error %u\n", (unsigned)GetLastError());
        return NTK_TEST_SUMMARY();
    }

    DWORD tid = 0;
    HANDLE t = CreateThread(NULL, 0, Sleeper, NULL, 0, &tid);
    CHECK(t != NULL);
    if (t == NULL)
        return NTK_TEST_SUMMARY();

    KPRIORITY before = PriorityOf(t);
    CHECK_EQ(before, 8); /* a normal thread of a normal process */
    printf("thread %u: priority %d before\n", (unsigned)tid, (int)before);

    /* Boost it, and back. */
    CHECK_SUCCEEDS(Boost(dev, tid, 20, &n));
    CHECK_EQ(n, sizeof(ThreadData));
    CHECK_EQ(PriorityOf(t), 20);
    CHECK_SUCCEEDS(Boost(dev, tid, 3, &n));
    CHECK_EQ(PriorityOf(t), 3);
    CHECK_SUCCEEDS(Boost(dev, tid, 31, &n));
    CHECK_EQ(PriorityOf(t), 31);
    CHECK_SUCCEEDS(Boost(dev, tid, 1, &n));
    CHECK_EQ(PriorityOf(t), 1);

    /* The calling thread itself. */
    DWORD me = GetCurrentThreadId();
    CHECK_SUCCEEDS(Boost(dev, me, 14, &n));
    CHECK_EQ(PriorityOf(GetCurrentThread()), 14);

    /* Errors: the thread's priority does not change. */
    CHECK_FAILS_WITH(Boost(dev, tid, 0, &n), ERROR_INVALID_PARAMETER);
    CHECK_FAILS_WITH(Boost(dev, tid, 32, &n), ERROR_INVALID_PARAMETER);
    CHECK_FAILS_WITH(Boost(dev, tid, -5, &n), ERROR_INVALID_PARAMETER);
    CHECK_EQ(PriorityOf(t), 1);
    ThreadData small = { tid, 20 };
    CHECK_FAILS_WITH(WriteFile(dev, &small, 4, &n, NULL), ERROR_INSUFFICIENT_BUFFER);
    CHECK_EQ(PriorityOf(t), 1);
    CHECK_FAILS_WITH(Boost(dev, 0x7FFFFFF0, 20, &n), ERROR_INVALID_PARAMETER);

    /* No IRP_MJ_READ handler: the default dispatch fails with STATUS_INVALID_DEVICE_REQUEST.
     * (A write-only handle would fail the read earlier, with ERROR_ACCESS_DENIED.) */
    HANDLE rw = CreateFile(L"\\\\.\\Booster", GENERIC_READ | GENERIC_WRITE, 0, NULL,
                           OPEN_EXISTING, 0, NULL);
    CHECK(rw != INVALID_HANDLE_VALUE);
    BYTE buf[16];
    CHECK_FAILS_WITH(ReadFile(rw, buf, sizeof(buf), &n, NULL), ERROR_INVALID_FUNCTION);
    CHECK_FAILS_WITH(ReadFile(dev, buf, sizeof(buf), &n, NULL), ERROR_ACCESS_DENIED);
    CHECK_FAILS_WITH(DeviceIoControl(rw, CTL_CODE(FILE_DEVICE_UNKNOWN, 0x800, METHOD_BUFFERED,
                                                  FILE_ANY_ACCESS),
                                     NULL, 0, NULL, 0, &n, NULL),
                     ERROR_INVALID_FUNCTION);
    CHECK_SUCCEEDS(CloseHandle(rw));

    /* The boosted thread still runs and exits normally. */
    CHECK_SUCCEEDS(Boost(dev, tid, 25, &n));
    CHECK_EQ(PriorityOf(t), 25);
    SetEvent(Quit);
    CHECK_EQ(WaitForSingleObject(t, INFINITE), WAIT_OBJECT_0);
    DWORD code = 0xFFFF;
    CHECK_SUCCEEDS(GetExitCodeThread(t, &code));
    CHECK_EQ(code, 0);
    CHECK_SUCCEEDS(CloseHandle(t));

    CHECK_SUCCEEDS(CloseHandle(dev));
    CHECK_SUCCEEDS(CloseHandle(Quit));
    return NTK_TEST_SUMMARY();
}
