/* Threads waiting on a port: served last in, first out, and released with
 * ERROR_ABANDONED_WAIT_0 when the port's last handle is closed. Runs under --virtual-time,
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

int main(void)
{
    HANDLE Threads[WAITERS], Duplicate;
    ULONG i;

    WaitPort = CreateIoCompletionPort(INVALID_HANDLE_VALUE, NULL, 0, 0);
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
    printf("portwait: LIFO and abandonment checked with %d waiters\n", WAITERS);
    return NTK_TEST_SUMMARY();
}
