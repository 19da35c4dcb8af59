/* User threads and waits through the Win32 subset.
 *     ntk run -- threads.so */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE /* syscall(), clock_gettime() */
#endif
#include <windows.h>
#include <time.h>
#include "e2e_user.h"

static HANDLE Go;
static volatile DWORD WorkerTid;

static DWORD WINAPI Worker(LPVOID param)
{
    WorkerTid = GetCurrentThreadId();
    if (WaitForSingleObject(Go, INFINITE) != WAIT_OBJECT_0)
        return 0xBAD;
    return (DWORD)(ULONG_PTR)param + 1;
}

static DWORD WINAPI Exiter(LPVOID param)
{
    (void)param;
    ExitThread(7);
}

static double NowMs(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1000.0 + ts.tv_nsec / 1e6;
}

static void TestThreads(void)
{
    DWORD me = GetCurrentThreadId();
    CHECK(me != 0);
    CHECK_EQ(me % 4, 0);
    DWORD pid = GetCurrentProcessId();
    CHECK(pid != 0 && pid != 4);
    CHECK_EQ(pid % 4, 0);

    Go = CreateEventW(NULL, TRUE, FALSE, NULL);
    CHECK(Go != NULL);

    DWORD tid = 0;
    HANDLE t = CreateThread(NULL, 0, Worker, (LPVOID)(ULONG_PTR)41, 0, &tid);
    CHECK(t != NULL);
    if (t == NULL)
        return;
    CHECK(tid != 0);
    CHECK(tid != me);
    CHECK_EQ(tid % 4, 0);
    CHECK_EQ(GetThreadId(t), tid);

    /* While it waits on Go, it is running: STILL_ACTIVE, and a 0 timeout wait times out. */
    DWORD code = 0;
    CHECK_SUCCEEDS(GetExitCodeThread(t, &code));
    CHECK_EQ(code, STILL_ACTIVE);
    CHECK_EQ(WaitForSingleObject(t, 0), WAIT_TIMEOUT);
    CHECK_EQ(WaitForSingleObject(t, 20), WAIT_TIMEOUT);

    CHECK_SUCCEEDS(SetEvent(Go));
    CHECK_EQ(WaitForSingleObject(t, INFINITE), WAIT_OBJECT_0);
    CHECK_EQ(WorkerTid, tid); /* the thread saw its own id */
    CHECK_SUCCEEDS(GetExitCodeThread(t, &code));
    CHECK_EQ(code, 42);
    /* A thread object stays signaled. */
    CHECK_EQ(WaitForSingleObject(t, 0), WAIT_OBJECT_0);
    CHECK_SUCCEEDS(CloseHandle(t));

    /* ExitThread's code is the exit code. */
    HANDLE e = CreateThread(NULL, 0, Exiter, NULL, 0, NULL);
    CHECK(e != NULL);
    if (e != NULL) {
        CHECK_EQ(WaitForSingleObject(e, INFINITE), WAIT_OBJECT_0);
        CHECK_SUCCEEDS(GetExitCodeThread(e, &code));
        CHECK_EQ(code, 7);
        CHECK_SUCCEEDS(CloseHandle(e));
    }

    /* Several threads, waited for all at once. */
    HANDLE many[4];
    ResetEvent(Go);
    for (int i = 0; i < 4; i++) {
        many[i] = CreateThread(NULL, 0, Worker, (LPVOID)(ULONG_PTR)(100 * i), 0, NULL);
        CHECK(many[i] != NULL);
    }
    CHECK_EQ(WaitForMultipleObjects(4, many, TRUE, 0), WAIT_TIMEOUT);
    SetEvent(Go);
    CHECK_EQ(WaitForMultipleObjects(4, many, TRUE, INFINITE), WAIT_OBJECT_0);
    for (int i = 0; i < 4; i++) {
        CHECK_SUCCEEDS(GetExitCodeThread(many[i], &code));
        CHECK_EQ(code, 100 * i + 1);
        CloseHandle(many[i]);
    }
    CHECK_SUCCEEDS(CloseHandle(Go));
}

static void TestSleep(void)
{
    double t0 = NowMs();
    Sleep(1);
    double t1 = NowMs();
    CHECK(t1 >= t0);
    Sleep(0);
    t0 = NowMs();
    Sleep(50);
    t1 = NowMs();
    CHECK(t1 - t0 >= 45.0); /* Sleep sleeps at least (nearly) that long */
    printf("Sleep(50) took %.1f ms\n", t1 - t0);
}

static void TestEvents(void)
{
    /* Unsignaled, timeout 0 → WAIT_TIMEOUT; a short timeout too. */
    HANDLE ev = CreateEventW(NULL, TRUE, FALSE, NULL);
    CHECK(ev != NULL);
    CHECK_EQ(WaitForSingleObject(ev, 0), WAIT_TIMEOUT);
    double t0 = NowMs();
    CHECK_EQ(WaitForSingleObject(ev, 30), WAIT_TIMEOUT);
    CHECK(NowMs() - t0 >= 25.0);
    /* Manual reset: stays signaled until reset. */
    CHECK_SUCCEEDS(SetEvent(ev));
    CHECK_EQ(WaitForSingleObject(ev, 0), WAIT_OBJECT_0);
    CHECK_EQ(WaitForSingleObject(ev, 0), WAIT_OBJECT_0);
    CHECK_SUCCEEDS(ResetEvent(ev));
    CHECK_EQ(WaitForSingleObject(ev, 0), WAIT_TIMEOUT);
    CHECK_SUCCEEDS(CloseHandle(ev));

    /* Auto reset: a satisfied wait consumes the signal. */
    HANDLE ar = CreateEventW(NULL, FALSE, TRUE, NULL);
    CHECK(ar != NULL);
    CHECK_EQ(WaitForSingleObject(ar, 0), WAIT_OBJECT_0);
    CHECK_EQ(WaitForSingleObject(ar, 0), WAIT_TIMEOUT);
    CHECK_SUCCEEDS(CloseHandle(ar));

    /* WaitForMultipleObjects, wait-any: the lowest signaled index. */
    HANDLE two[2] = { CreateEventW(NULL, TRUE, FALSE, NULL), CreateEventW(NULL, TRUE, TRUE, NULL) };
    CHECK(two[0] != NULL && two[1] != NULL);
    CHECK_EQ(WaitForMultipleObjects(2, two, FALSE, 0), WAIT_OBJECT_0 + 1);
    CHECK_EQ(WaitForMultipleObjects(2, two, TRUE, 0), WAIT_TIMEOUT);
    SetEvent(two[0]);
    CHECK_EQ(WaitForMultipleObjects(2, two, FALSE, 0), WAIT_OBJECT_0);
    CloseHandle(two[0]);
    CloseHandle(two[1]);

    /* Named events: the second CreateEventW opens the first. */
    SetLastError(12345);
    HANDLE n1 = CreateEventW(NULL, TRUE, FALSE, L"NtkE2eThreadsEvent");
    CHECK(n1 != NULL);
    CHECK_EQ(GetLastError(), ERROR_SUCCESS);
    SetLastError(12345);
    HANDLE n2 = CreateEventW(NULL, FALSE, TRUE, L"NtkE2eThreadsEvent");
    CHECK(n2 != NULL);
    CHECK_EQ(GetLastError(), ERROR_ALREADY_EXISTS);
    CHECK(n2 != n1);
    /* Same object, and it kept its original type and state (manual reset, not signaled). */
    CHECK_EQ(WaitForSingleObject(n2, 0), WAIT_TIMEOUT);
    CHECK_SUCCEEDS(SetEvent(n1));
    CHECK_EQ(WaitForSingleObject(n2, 0), WAIT_OBJECT_0);
    CHECK_EQ(WaitForSingleObject(n2, 0), WAIT_OBJECT_0);
    HANDLE n3 = OpenEventW(EVENT_ALL_ACCESS, FALSE, L"NtkE2eThreadsEvent");
    CHECK(n3 != NULL);
    if (n3 != NULL) {
        CHECK_SUCCEEDS(ResetEvent(n3));
        CHECK_EQ(WaitForSingleObject(n1, 0), WAIT_TIMEOUT);
        CloseHandle(n3);
    }
    CHECK_SUCCEEDS(CloseHandle(n1));
    CHECK_SUCCEEDS(CloseHandle(n2));
    /* With the last handle gone, the name is gone. */
    SetLastError(0);
    CHECK(OpenEventW(EVENT_ALL_ACCESS, FALSE, L"NtkE2eThreadsEvent") == NULL);
    CHECK_EQ(GetLastError(), ERROR_FILE_NOT_FOUND);

    /* Bad handles. */
    CHECK_EQ(WaitForSingleObject(NULL, 0), WAIT_FAILED);
    CHECK_EQ(GetLastError(), ERROR_INVALID_HANDLE);
    CHECK_FAILS_WITH(SetEvent((HANDLE)(ULONG_PTR)0x1234), ERROR_INVALID_HANDLE);
}

int main(void)
{
    TestThreads();
    TestSleep();
    TestEvents();
    return NTK_TEST_SUMMARY();
}
