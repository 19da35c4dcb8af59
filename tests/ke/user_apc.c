/* user_apc: user-mode APCs through QueueUserAPC, from the Win32 pages of QueueUserAPC,
 * SleepEx and WaitForSingleObjectEx: an APC runs in the thread it was queued to, only when that
 * thread waits alertably, all pending ones in FIFO order, and the wait then returns
 * WAIT_IO_COMPLETION; a non-alertable wait never runs them.
 *     ntk run [--cpus N] -- user_apc.so               exits 0 when every check passed */
#include <windows.h>
#include "../e2e/e2e_user.h"

#define MAX_RUNS 16

static volatile LONG Runs;
static ULONG_PTR Params[MAX_RUNS];
static DWORD Tids[MAX_RUNS];

static VOID WINAPI RecordApc(ULONG_PTR Param)
{
    LONG n = __atomic_fetch_add(&Runs, 1, __ATOMIC_SEQ_CST);
    if (n >= 0 && n < MAX_RUNS) {
        Params[n] = Param;
        Tids[n] = GetCurrentThreadId();
    }
}

static void Reset(void)
{
    Runs = 0;
    for (int i = 0; i < MAX_RUNS; i++) {
        Params[i] = 0;
        Tids[i] = 0;
    }
}

/* APCs queued to the current thread. */
static void TestSelf(void)
{
    DWORD me = GetCurrentThreadId();
    HANDLE event = CreateEventW(NULL, TRUE, FALSE, NULL);
    CHECK(event != NULL);

    /* SleepEx(INFINITE, TRUE) with APCs pending: they all run, in FIFO order, then it returns
     * WAIT_IO_COMPLETION. */
    Reset();
    CHECK(QueueUserAPC(RecordApc, GetCurrentThread(), 1) != 0);
    CHECK(QueueUserAPC(RecordApc, GetCurrentThread(), 2) != 0);
    CHECK(QueueUserAPC(RecordApc, GetCurrentThread(), 3) != 0);
    CHECK_EQ(Runs, 0);
    CHECK_EQ(SleepEx(INFINITE, TRUE), WAIT_IO_COMPLETION);
    CHECK_EQ(Runs, 3);
    CHECK_EQ(Params[0], 1);
    CHECK_EQ(Params[1], 2);
    CHECK_EQ(Params[2], 3);
    for (int i = 0; i < 3; i++)
        CHECK_EQ(Tids[i], me);

    /* SleepEx with a timeout. */
    Reset();
    CHECK(QueueUserAPC(RecordApc, GetCurrentThread(), 10) != 0);
    CHECK_EQ(SleepEx(1000, TRUE), WAIT_IO_COMPLETION);
    CHECK_EQ(Runs, 1);
    CHECK_EQ(Params[0], 10);

    /* SleepEx(0, TRUE): no wait at all, yet a pending APC runs and it says so. */
    Reset();
    CHECK(QueueUserAPC(RecordApc, GetCurrentThread(), 15) != 0);
    CHECK_EQ(SleepEx(0, TRUE), WAIT_IO_COMPLETION);
    CHECK_EQ(Runs, 1);
    CHECK_EQ(Params[0], 15);
    CHECK_EQ(SleepEx(0, TRUE), 0);
    CHECK_EQ(Runs, 1);

    /* WaitForSingleObjectEx, alertable, on an unsignaled event. */
    Reset();
    CHECK(QueueUserAPC(RecordApc, GetCurrentThread(), 20) != 0);
    CHECK_EQ(WaitForSingleObjectEx(event, INFINITE, TRUE), WAIT_IO_COMPLETION);
    CHECK_EQ(Runs, 1);
    CHECK_EQ(Params[0], 20);
    CHECK_EQ(Tids[0], me);

    /* Non-alertable waits leave it queued; the next alertable wait runs it. */
    Reset();
    CHECK(QueueUserAPC(RecordApc, GetCurrentThread(), 30) != 0);
    CHECK_EQ(WaitForSingleObject(event, 20), WAIT_TIMEOUT);
    CHECK_EQ(WaitForSingleObjectEx(event, 20, FALSE), WAIT_TIMEOUT);
    Sleep(10);
    CHECK_EQ(SleepEx(10, FALSE), 0);
    CHECK_EQ(Runs, 0);
    CHECK_EQ(SleepEx(INFINITE, TRUE), WAIT_IO_COMPLETION);
    CHECK_EQ(Runs, 1);
    CHECK_EQ(Params[0], 30);

    /* Nothing pending: an alertable wait that times out returns 0 / WAIT_TIMEOUT. */
    Reset();
    CHECK_EQ(SleepEx(10, TRUE), 0);
    CHECK_EQ(WaitForSingleObjectEx(event, 10, TRUE), WAIT_TIMEOUT);
    /* A signaled object with nothing pending: WAIT_OBJECT_0. */
    CHECK_SUCCEEDS(SetEvent(event));
    CHECK_EQ(WaitForSingleObjectEx(event, INFINITE, TRUE), WAIT_OBJECT_0);
    CHECK_EQ(Runs, 0);
    CloseHandle(event);
}

/* APCs queued to another thread. */
static HANDLE Ready, Release;
static volatile DWORD WorkerTid;
static volatile DWORD WorkerResult1, WorkerResult2;
static volatile LONG RunsWhenNonAlertableReturned;

static DWORD WINAPI AlertableWorker(LPVOID Param)
{
    (void)Param;
    WorkerTid = GetCurrentThreadId();
    SetEvent(Ready);
    WorkerResult1 = SleepEx(INFINITE, TRUE);
    SetEvent(Ready);
    WorkerResult2 = WaitForSingleObjectEx(Release, INFINITE, TRUE);
    return 0;
}

static DWORD WINAPI NonAlertableWorker(LPVOID Param)
{
    (void)Param;
    WorkerTid = GetCurrentThreadId();
    SetEvent(Ready);
    WorkerResult1 = WaitForSingleObject(Release, INFINITE);
    RunsWhenNonAlertableReturned = Runs;
    WorkerResult2 = SleepEx(INFINITE, TRUE);
    return 0;
}

static void TestOtherThread(void)
{
    DWORD tid = 0;
    HANDLE t;

    Ready = CreateEventW(NULL, FALSE, FALSE, NULL);
    Release = CreateEventW(NULL, TRUE, FALSE, NULL);
    CHECK(Ready != NULL && Release != NULL);

    /* The worker sleeps alertably (or is about to): the APC runs in the worker, and SleepEx
     * returns WAIT_IO_COMPLETION; then the same with WaitForSingleObjectEx. */
    Reset();
    WorkerTid = 0;
    t = CreateThread(NULL, 0, AlertableWorker, NULL, 0, &tid);
    CHECK(t != NULL);
    if (t == NULL)
        return;
    CHECK_EQ(WaitForSingleObject(Ready, INFINITE), WAIT_OBJECT_0);
    CHECK(QueueUserAPC(RecordApc, t, 100) != 0);
    CHECK_EQ(WaitForSingleObject(Ready, INFINITE), WAIT_OBJECT_0);
    CHECK(QueueUserAPC(RecordApc, t, 101) != 0);
    CHECK_EQ(WaitForSingleObject(t, INFINITE), WAIT_OBJECT_0);
    CHECK_EQ(WorkerResult1, WAIT_IO_COMPLETION);
    CHECK_EQ(WorkerResult2, WAIT_IO_COMPLETION);
    CHECK_EQ(Runs, 2);
    CHECK_EQ(Params[0], 100);
    CHECK_EQ(Params[1], 101);
    CHECK_EQ(Tids[0], tid);
    CHECK_EQ(Tids[1], tid);
    CHECK_EQ(WorkerTid, tid);
    CHECK(Tids[0] != GetCurrentThreadId());
    CloseHandle(t);

    /* The worker waits non-alertably: the APC does not run, and does not end the wait; the
     * worker's next alertable wait runs it. */
    Reset();
    ResetEvent(Release);
    t = CreateThread(NULL, 0, NonAlertableWorker, NULL, 0, &tid);
    CHECK(t != NULL);
    if (t == NULL)
        return;
    CHECK_EQ(WaitForSingleObject(Ready, INFINITE), WAIT_OBJECT_0);
    CHECK(QueueUserAPC(RecordApc, t, 200) != 0);
    Sleep(100);
    LONG runsDuringWait = Runs;
    CHECK_EQ(WaitForSingleObject(t, 0), WAIT_TIMEOUT);
    CHECK_SUCCEEDS(SetEvent(Release));
    CHECK_EQ(WaitForSingleObject(t, INFINITE), WAIT_OBJECT_0);
    CHECK_EQ(runsDuringWait, 0);
    CHECK_EQ(WorkerResult1, WAIT_OBJECT_0);
    CHECK_EQ(RunsWhenNonAlertableReturned, 0);
    CHECK_EQ(WorkerResult2, WAIT_IO_COMPLETION);
    CHECK_EQ(Runs, 1);
    CHECK_EQ(Params[0], 200);
    CHECK_EQ(Tids[0], tid);
    CloseHandle(t);

    CloseHandle(Ready);
    CloseHandle(Release);
}

int main(void)
{
    TestSelf();
    TestOtherThread();
    return NTK_TEST_SUMMARY();
}
