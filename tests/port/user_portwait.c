/* Threads waiting on a port: the concurrency value honoured, waiters served last in, first
 * out, and released with ERROR_ABANDONED_WAIT_0 when the port's last handle is closed. Runs under --virtual-time,
 * where time moves only when every thread is blocked in a kernel wait: a Sleep in the main
 * thread returns only once every waiter is blocked in its wait, which makes "the waiters are
 * all waiting" an ordering fact rather than a guess.
 *     ntk run --virtual-time -- user_portwait.so */
#include <ntk/ntapi.h>
#include <windows.h>
#include "../e2e/e2e_user.h"

#ifndef ERROR_ABANDONED_WAIT_0
#define ERROR_ABANDONED_WAIT_0 735L
#endif
#define WAITERS 3
#define WAIT_BOUND_MS 60000

static HANDLE volatile WaitPort;
static volatile LONG Got[WAITERS + 1];     /* packets each waiter received */
static volatile LONG LastTaker;            /* the waiter that took the last packet */
static DWORD ExitError[WAITERS + 1];
static BOOL ExitOverlappedNull[WAITERS + 1];
static ULONG ExitRemoved[WAITERS + 1];

/* Every other thread is blocked in a kernel wait when this returns (virtual time). */
static VOID Barrier(VOID)
{
    Sleep(10);
}

static DWORD WINAPI Waiter(LPVOID Parameter)
{
    ULONG Index = (ULONG)(ULONG_PTR)Parameter;
    for (;;) {
        BOOL Ok;
        if (Index == 2) {
            /* One of them through GetQueuedCompletionStatusEx. */
            OVERLAPPED_ENTRY Entry;
            ULONG Removed = 99;
            Entry.lpOverlapped = (LPOVERLAPPED)&Entry;
            Ok = GetQueuedCompletionStatusEx(WaitPort, &Entry, 1, &Removed, INFINITE, FALSE);
            if (!Ok) {
                ExitError[Index] = GetLastError();
                ExitRemoved[Index] = Removed;
                ExitOverlappedNull[Index] = TRUE;
                return 0;
            }
        } else {
            DWORD Bytes;
            ULONG_PTR Key;
            LPOVERLAPPED Ov = (LPOVERLAPPED)&Key;
            Ok = GetQueuedCompletionStatus(WaitPort, &Bytes, &Key, &Ov, INFINITE);
            if (!Ok) {
                ExitError[Index] = GetLastError();
                ExitOverlappedNull[Index] = Ov == NULL;
                return 0;
            }
        }
        __atomic_add_fetch(&Got[Index], 1, __ATOMIC_SEQ_CST);
        __atomic_store_n(&LastTaker, (LONG)Index, __ATOMIC_SEQ_CST);
    }
}

/* ---- The concurrency value ---- */

static HANDLE ConcPort, ConcGo, ConcGot;
static volatile LONG ConcStep;
static DWORD ConcFirstError;
static BOOL ConcFirstOk;
static ULONG_PTR ConcKey;

static DWORD WINAPI ConcWaiter(LPVOID Parameter)
{
    DWORD Bytes;
    LPOVERLAPPED Ov;
    UNREFERENCED_PARAMETER(Parameter);
    /* Not yet associated with the port: this wait changes nothing there. */
    WaitForSingleObject(ConcGo, INFINITE);
    SetLastError(0);
    ConcFirstOk = GetQueuedCompletionStatus(ConcPort, &Bytes, &ConcKey, &Ov, 0);
    ConcFirstError = GetLastError();
    __atomic_store_n(&ConcStep, 1, __ATOMIC_SEQ_CST);
    if (GetQueuedCompletionStatus(ConcPort, &Bytes, &ConcKey, &Ov, INFINITE))
        SetEvent(ConcGot);
    /* Until the port is closed. */
    GetQueuedCompletionStatus(ConcPort, &Bytes, &ConcKey, &Ov, INFINITE);
    return GetLastError();
}

/* A port that lets one thread run: while the main thread runs for it (it removed a packet and
 * has not blocked since), another thread finds no packet it may take, although one is queued;
 * the main thread blocking gives its place to the waiter. */
static VOID TestConcurrency(VOID)
{
    IO_COMPLETION_BASIC_INFORMATION Basic;
    HANDLE Thread;
    DWORD Bytes, Code = 0;
    ULONG_PTR Key;
    LPOVERLAPPED Ov;

    ConcPort = CreateIoCompletionPort(INVALID_HANDLE_VALUE, NULL, 0, 1);
    ConcGo = CreateEventW(NULL, TRUE, FALSE, NULL);
    ConcGot = CreateEventW(NULL, TRUE, FALSE, NULL);
    Thread = CreateThread(NULL, 0, ConcWaiter, NULL, 0, NULL);
    CHECK(Thread != NULL);
    CHECK(PostQueuedCompletionStatus(ConcPort, 0, 0xA, NULL));
    CHECK(GetQueuedCompletionStatus(ConcPort, &Bytes, &Key, &Ov, 0));
    CHECK_EQ(Key, 0xA);
    /* From here until the wait below the main thread makes no kernel wait: it spins. */
    CHECK(PostQueuedCompletionStatus(ConcPort, 0, 0xB, NULL));
    SetEvent(ConcGo);
    while (__atomic_load_n(&ConcStep, __ATOMIC_SEQ_CST) == 0)
        ;
    CHECK(!ConcFirstOk);
    CHECK_EQ(ConcFirstError, WAIT_TIMEOUT);
    CHECK_STATUS(NtQueryIoCompletion(ConcPort, IoCompletionBasicInformation, &Basic,
                                     sizeof(Basic), NULL),
                 STATUS_SUCCESS);
    CHECK_EQ(Basic.Depth, 1);
    /* The main thread, done with its packet, takes the next one itself. */
    CHECK(GetQueuedCompletionStatus(ConcPort, &Bytes, &Key, &Ov, 0));
    CHECK_EQ(Key, 0xB);
    /* Blocking (on an event) lets the waiter take the next packet. */
    CHECK(PostQueuedCompletionStatus(ConcPort, 0, 0xC, NULL));
    CHECK_EQ(WaitForSingleObject(ConcGot, WAIT_BOUND_MS), WAIT_OBJECT_0);
    CHECK_EQ(ConcKey, 0xC);
    Barrier();
    CHECK(CloseHandle(ConcPort));
    CHECK_EQ(WaitForSingleObject(Thread, WAIT_BOUND_MS), WAIT_OBJECT_0);
    CHECK(GetExitCodeThread(Thread, &Code));
    CHECK_EQ(Code, ERROR_ABANDONED_WAIT_0);
    CloseHandle(Thread);
    CloseHandle(ConcGo);
    CloseHandle(ConcGot);
}

int main(void)
{
    HANDLE Threads[WAITERS], Duplicate;
    ULONG i;

    TestConcurrency();

    /* As many running threads as there are waiters: the concurrency value does not hold any
     * back here. */
    WaitPort = CreateIoCompletionPort(INVALID_HANDLE_VALUE, NULL, 0, WAITERS);
    CHECK(WaitPort != NULL);
    /* Waiters 1, 2, 3 start waiting in that order. */
    for (i = 0; i < WAITERS; i++) {
        Threads[i] = CreateThread(NULL, 0, Waiter, (LPVOID)(ULONG_PTR)(i + 1), 0, NULL);
        CHECK(Threads[i] != NULL);
        Barrier();
    }
    /* LIFO: the thread that waited last takes the packet, and having come back to wait, it
     * is again the last to have waited. */
    for (i = 0; i < 3; i++) {
        CHECK(PostQueuedCompletionStatus(WaitPort, 0, 100 + i, NULL));
        Barrier();
        CHECK_EQ(LastTaker, 3);
    }
    CHECK_EQ(Got[3], 3);
    CHECK_EQ(Got[1] + Got[2], 0);

    /* Closing a handle that is not the last ends nothing. */
    CHECK(DuplicateHandle(GetCurrentProcess(), WaitPort, GetCurrentProcess(), &Duplicate, 0,
                          FALSE, DUPLICATE_SAME_ACCESS));
    {
        HANDLE First = WaitPort;
        WaitPort = Duplicate; /* for the waits that start from now on */
        CHECK(CloseHandle(First));
    }
    Barrier();
    CHECK(PostQueuedCompletionStatus(Duplicate, 0, 200, NULL));
    Barrier();
    CHECK_EQ(Got[3], 4);
    for (i = 0; i < WAITERS; i++)
        CHECK_EQ(WaitForSingleObject(Threads[i], 0), WAIT_TIMEOUT);

    /* Closing the last handle while all three wait: each returns FALSE, lpOverlapped NULL,
     * ERROR_ABANDONED_WAIT_0 (GetQueuedCompletionStatusEx: no entries removed). */
    CHECK(CloseHandle(Duplicate));
    CHECK_EQ(WaitForMultipleObjects(WAITERS, Threads, TRUE, WAIT_BOUND_MS), WAIT_OBJECT_0);
    for (i = 1; i <= WAITERS; i++) {
        CHECK_EQ(ExitError[i], ERROR_ABANDONED_WAIT_0);
        CHECK(ExitOverlappedNull[i]);
    }
    CHECK_EQ(ExitRemoved[2], 0);
    for (i = 0; i < WAITERS; i++)
        CloseHandle(Threads[i]);
    printf("portwait: concurrency, LIFO and abandonment checked with %d waiters\n", WAITERS);
    return NTK_TEST_SUMMARY();
}
