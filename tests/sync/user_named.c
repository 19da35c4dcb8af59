/* Named events, semaphores and mutexes between user mode and the named test driver (named.c,
 * \\.\NtkNamed):
 *  - the driver's objects opened by name (plain, Global\, Local\), Create* on an existing name;
 *  - ping-pong with a driver system thread: SetEvent wakes its KeWaitForSingleObject, its
 *    KeSetEvent wakes WaitForSingleObject; then the reverse on objects user mode created,
 *    which the driver opens by name and waits for with ZwWaitForMultipleObjects;
 *  - racing threads and a driver thread on a named semaphore: exact counts at the end;
 *  - abandonment by a user thread (seen by user and driver threads) and by a driver thread;
 *  - WaitForMultipleObjects on the driver's objects.
 * user_named_local.c adds the checks between user threads and the bad input. */
#include "user_named.h"

HANDLE K2U, U2K, Sem, Mutex;
static HANDLE Device;

static void Ioctl(DWORD Code, ULONG Iterations)
{
    NAMED_START start = { Iterations };
    DWORD returned = 0;
    CHECK_SUCCEEDS(DeviceIoControl(Device, Code, &start, sizeof(start), NULL, 0, &returned, NULL));
}

static NAMED_RESULT DriverResult(void)
{
    NAMED_RESULT result;
    DWORD returned = 0;
    memset(&result, 0xFF, sizeof(result));
    CHECK_SUCCEEDS(DeviceIoControl(Device, IOCTL_NAMED_RESULT, NULL, 0, &result, sizeof(result),
                                   &returned, NULL));
    CHECK_EQ(returned, sizeof(result));
    CHECK_STATUS(result.JoinStatus, STATUS_SUCCESS);
    return result;
}

static void OpenDriverObjects(void)
{
    HANDLE again;

    K2U = OpenEventW(SYNCHRONIZE | EVENT_MODIFY_STATE, FALSE, L"Global\\" NAMED_K2U);
    U2K = OpenEventW(SYNCHRONIZE | EVENT_MODIFY_STATE, FALSE, NAMED_U2K);
    Sem = OpenSemaphoreW(SEMAPHORE_ALL_ACCESS, FALSE, NAMED_SEM);
    Mutex = OpenMutexW(MUTEX_ALL_ACCESS, FALSE, L"Local\\" NAMED_MUTEX);
    CHECK(K2U != NULL && U2K != NULL && Sem != NULL && Mutex != NULL);
    /* The driver cleared both events after checking that they were created signaled. */
    CHECK_EQ(WaitForSingleObject(K2U, 0), WAIT_TIMEOUT);
    CHECK_EQ(WaitForSingleObject(U2K, 0), WAIT_TIMEOUT);
    /* Create* on an existing name opens it and says so, on success. */
    SetLastError(0xDEADBEEF);
    again = CreateEventW(NULL, TRUE, TRUE, NAMED_K2U);
    CHECK(again != NULL);
    CHECK_EQ(GetLastError(), ERROR_ALREADY_EXISTS);
    CHECK_EQ(WaitForSingleObject(K2U, 0), WAIT_TIMEOUT); /* bInitialState ignored */
    CHECK_SUCCEEDS(SetEvent(again));
    CHECK_EQ(WaitForSingleObject(K2U, 0), WAIT_OBJECT_0);
    CHECK_SUCCEEDS(ResetEvent(K2U));
    CHECK_SUCCEEDS(CloseHandle(again));
    SetLastError(0xDEADBEEF);
    again = CreateSemaphoreW(NULL, 5, 10, L"Global\\" NAMED_SEM);
    CHECK(again != NULL);
    CHECK_EQ(GetLastError(), ERROR_ALREADY_EXISTS);
    CHECK_EQ(WaitForSingleObject(again, 0), WAIT_TIMEOUT); /* the counts are the driver's */
    CHECK_SUCCEEDS(CloseHandle(again));
    SetLastError(0xDEADBEEF);
    again = CreateMutexW(NULL, TRUE, NAMED_MUTEX);
    CHECK(again != NULL);
    CHECK_EQ(GetLastError(), ERROR_ALREADY_EXISTS);
    CHECK_FAILS_WITH(ReleaseMutex(again), ERROR_NOT_OWNER); /* opened, not acquired */
    CHECK_SUCCEEDS(CloseHandle(again));
}

/* Driver KeSetEvent -> user WaitForSingleObject, user SetEvent -> driver KeWaitForSingleObject. */
static void PingPongKe(void)
{
    DWORD i, done = 0;
    NAMED_RESULT result;
    Ioctl(IOCTL_NAMED_PINGPONG, ROUNDS);
    for (i = 0; i < ROUNDS; i++) {
        if (!SetEvent(U2K) || WaitForSingleObject(K2U, JOIN_MS) != WAIT_OBJECT_0 ||
            !ResetEvent(K2U))
            break;
        done++;
    }
    CHECK_EQ(done, ROUNDS);
    result = DriverResult();
    CHECK_EQ(result.PingPongCount, ROUNDS);
    CHECK_STATUS(result.PingPongStatus, STATUS_SUCCESS);
    printf("pingpong: %u rounds with KeWaitForSingleObject / KeSetEvent\n", (unsigned)done);
}

/* The driver opens user-created objects by name and waits on two at once (WaitAll). */
static void PingPongZw(void)
{
    HANDLE go = CreateEventW(NULL, FALSE, FALSE, NAMED_USER_GO);
    HANDLE sem = CreateSemaphoreW(NULL, 0, 1, NAMED_USER_SEM);
    HANDLE ack = CreateEventW(NULL, FALSE, FALSE, NAMED_USER_ACK);
    DWORD i, done = 0, badPrevious = 0;
    NAMED_RESULT result;

    CHECK(go != NULL && sem != NULL && ack != NULL);
    Ioctl(IOCTL_NAMED_ZW_PINGPONG, ROUNDS);
    for (i = 0; i < ROUNDS; i++) {
        LONG previous = -1;
        if (!SetEvent(go) || !ReleaseSemaphore(sem, 1, &previous) ||
            WaitForSingleObject(ack, JOIN_MS) != WAIT_OBJECT_0)
            break;
        if (previous != 0)
            badPrevious++;
        done++;
    }
    CHECK_EQ(done, ROUNDS);
    CHECK_EQ(badPrevious, 0);
    result = DriverResult();
    CHECK_EQ(result.ZwPingPongCount, ROUNDS);
    CHECK_STATUS(result.ZwPingPongStatus, STATUS_SUCCESS);
    /* Everything consumed: nothing left signaled. */
    CHECK_EQ(WaitForSingleObject(go, 0), WAIT_TIMEOUT);
    CHECK_EQ(WaitForSingleObject(sem, 0), WAIT_TIMEOUT);
    CHECK_EQ(WaitForSingleObject(ack, 0), WAIT_TIMEOUT);
    CHECK_SUCCEEDS(CloseHandle(go));
    CHECK_SUCCEEDS(CloseHandle(sem));
    CHECK_SUCCEEDS(CloseHandle(ack));
    printf("pingpong: %u rounds with ZwWaitForMultipleObjects / ZwSetEvent\n", (unsigned)done);
}

static DWORD WINAPI Consumer(LPVOID Param)
{
    RACER *r = Param;
    LONG i;
    for (i = 0; i < r->Count; i++) {
        if (WaitForSingleObject(r->Handle, JOIN_MS) == WAIT_OBJECT_0)
            r->Ok++;
        else
            r->Other++;
    }
    return 0;
}

/* RACERS releasers against RACERS - 1 user consumers and one driver consumer. */
static void SemaphoreRace(void)
{
    RACER r[2 * RACERS];
    HANDLE threads[2 * RACERS];
    LONG released = 0, consumed = 0, other = 0, badPrevious = 0, previous = -1;
    NAMED_RESULT result;
    int i;

    memset(r, 0, sizeof(r));
    Ioctl(IOCTL_NAMED_CONSUME, PER_THREAD);
    for (i = 0; i < 2 * RACERS - 1; i++) {
        r[i].Handle = Sem;
        r[i].Count = PER_THREAD;
        threads[i] = CreateThread(NULL, 0, i < RACERS ? Releaser : Consumer, &r[i], 0, NULL);
        CHECK(threads[i] != NULL);
    }
    Join(threads, 2 * RACERS - 1);
    result = DriverResult();
    for (i = 0; i < 2 * RACERS - 1; i++) {
        if (i < RACERS)
            released += r[i].Ok;
        else
            consumed += r[i].Ok;
        other += r[i].Other + r[i].TooMany;
        badPrevious += r[i].BadPrevious;
    }
    CHECK_EQ(released, RACERS * PER_THREAD);
    CHECK_EQ(consumed, (RACERS - 1) * PER_THREAD);
    CHECK_EQ(result.Consumed, PER_THREAD);
    CHECK_STATUS(result.ConsumeStatus, STATUS_SUCCESS);
    CHECK_EQ(other, 0);
    CHECK_EQ(badPrevious, 0);
    /* Exactly nothing left. */
    CHECK_EQ(WaitForSingleObject(Sem, 0), WAIT_TIMEOUT);
    CHECK_SUCCEEDS(ReleaseSemaphore(Sem, 3, &previous));
    CHECK_EQ(previous, 0);
    CHECK_SUCCEEDS(ReleaseSemaphore(Sem, 1, &previous));
    CHECK_EQ(previous, 3);
    for (i = 0; i < 4; i++)
        CHECK_EQ(WaitForSingleObject(Sem, 0), WAIT_OBJECT_0);
    CHECK_EQ(WaitForSingleObject(Sem, 0), WAIT_TIMEOUT);
    printf("semaphore: %ld released by %d threads, %ld taken by %d threads and the driver %u\n",
           (long)released, RACERS, (long)consumed, RACERS - 1, (unsigned)result.Consumed);
}

typedef struct {
    HANDLE Mutex, Owned, Exit;
} ABANDONER;

static DWORD WINAPI Abandoner(LPVOID Param)
{
    ABANDONER *a = Param;
    if (WaitForSingleObject(a->Mutex, JOIN_MS) != WAIT_OBJECT_0)
        return 1;
    SetEvent(a->Owned);
    WaitForSingleObject(a->Exit, JOIN_MS);
    return 0; /* exits owning the mutex */
}

static HANDLE StartAbandoner(ABANDONER *a)
{
    HANDLE t = CreateThread(NULL, 0, Abandoner, a, 0, NULL);
    CHECK(t != NULL);
    CHECK_EQ(WaitForSingleObject(a->Owned, JOIN_MS), WAIT_OBJECT_0);
    return t;
}

static void MutexAbandon(void)
{
    ABANDONER a;
    HANDLE t, two[2];
    NAMED_RESULT result;

    a.Mutex = CreateMutexW(NULL, FALSE, L"NtkAbandoned");
    a.Owned = CreateEventW(NULL, FALSE, FALSE, NULL);
    a.Exit = CreateEventW(NULL, FALSE, FALSE, NULL);
    CHECK(a.Mutex != NULL && a.Owned != NULL && a.Exit != NULL);
    /* Blocked on the mutex when its owner exits: WAIT_ABANDONED, and now the owner. */
    t = StartAbandoner(&a);
    CHECK_FAILS_WITH(ReleaseMutex(a.Mutex), ERROR_NOT_OWNER);
    CHECK_SUCCEEDS(SetEvent(a.Exit));
    CHECK_EQ(WaitForSingleObject(a.Mutex, JOIN_MS), WAIT_ABANDONED);
    CHECK_EQ(WaitForSingleObject(t, JOIN_MS), WAIT_OBJECT_0);
    CHECK_SUCCEEDS(CloseHandle(t));
    CHECK_SUCCEEDS(ReleaseMutex(a.Mutex));
    /* The next owner is told nothing: the abandonment was reported once. */
    CHECK_EQ(WaitForSingleObject(a.Mutex, 0), WAIT_OBJECT_0);
    CHECK_SUCCEEDS(ReleaseMutex(a.Mutex));
    /* Abandoned again, seen by a wait-any as WAIT_ABANDONED_0 + its index. */
    t = StartAbandoner(&a);
    CHECK_SUCCEEDS(SetEvent(a.Exit));
    CHECK_EQ(WaitForSingleObject(t, JOIN_MS), WAIT_OBJECT_0);
    CHECK_SUCCEEDS(CloseHandle(t));
    {
        MUTANT_BASIC_INFORMATION mi;
        memset(&mi, 0xFF, sizeof(mi));
        CHECK_STATUS(NtQueryMutant(a.Mutex, MutantBasicInformation, &mi, sizeof(mi), NULL),
                     STATUS_SUCCESS);
        CHECK_EQ(mi.CurrentCount, 1);
        CHECK_EQ(mi.OwnedByCaller, FALSE);
        CHECK_EQ(mi.AbandonedState, TRUE);
    }
    two[0] = a.Owned; /* not signaled */
    two[1] = a.Mutex;
    CHECK_EQ(WaitForMultipleObjects(2, two, FALSE, JOIN_MS), WAIT_ABANDONED_0 + 1);
    CHECK_SUCCEEDS(ReleaseMutex(a.Mutex));
    CHECK_SUCCEEDS(CloseHandle(a.Mutex));
    CHECK_SUCCEEDS(CloseHandle(a.Owned));
    CHECK_SUCCEEDS(CloseHandle(a.Exit));

    /* A driver thread takes the driver's named mutex and exits owning it. */
    Ioctl(IOCTL_NAMED_ABANDON, 0);
    result = DriverResult();
    CHECK_STATUS(result.AbandonWaitStatus, STATUS_SUCCESS);
    CHECK_EQ(WaitForSingleObject(Mutex, JOIN_MS), WAIT_ABANDONED);
    CHECK_SUCCEEDS(ReleaseMutex(Mutex));
    CHECK_EQ(WaitForSingleObject(Mutex, 0), WAIT_OBJECT_0);
    CHECK_SUCCEEDS(ReleaseMutex(Mutex));

    /* A user thread abandons it while a driver thread waits (or is about to). */
    a.Mutex = Mutex;
    a.Owned = CreateEventW(NULL, FALSE, FALSE, NULL);
    a.Exit = CreateEventW(NULL, FALSE, FALSE, NULL);
    CHECK(a.Owned != NULL && a.Exit != NULL);
    t = StartAbandoner(&a);
    Ioctl(IOCTL_NAMED_WAIT_MUTEX, 0);
    CHECK_SUCCEEDS(SetEvent(a.Exit));
    CHECK_EQ(WaitForSingleObject(t, JOIN_MS), WAIT_OBJECT_0);
    CHECK_SUCCEEDS(CloseHandle(t));
    result = DriverResult();
    CHECK_STATUS(result.MutexWaitStatus, STATUS_ABANDONED_WAIT_0);
    CHECK_STATUS(result.MutexReleaseStatus, STATUS_SUCCESS);
    CHECK_EQ(WaitForSingleObject(Mutex, 0), WAIT_OBJECT_0);
    CHECK_SUCCEEDS(ReleaseMutex(Mutex));
    CHECK_SUCCEEDS(CloseHandle(a.Owned));
    CHECK_SUCCEEDS(CloseHandle(a.Exit));
    printf("mutex: abandoned by a user thread and by a driver thread\n");
}

static void WaitMixed(void)
{
    HANDLE both[2] = { K2U, Sem };
    CHECK_SUCCEEDS(SetEvent(K2U));
    CHECK_EQ(WaitForMultipleObjects(2, both, TRUE, 0), WAIT_TIMEOUT);
    CHECK_SUCCEEDS(ReleaseSemaphore(Sem, 1, NULL));
    CHECK_EQ(WaitForMultipleObjectsEx(2, both, TRUE, 0, TRUE), WAIT_OBJECT_0);
    /* WaitAll took one unit of the semaphore; the notification event stays signaled. */
    CHECK_EQ(WaitForSingleObject(Sem, 0), WAIT_TIMEOUT);
    CHECK_EQ(WaitForSingleObjectEx(K2U, 0, TRUE), WAIT_OBJECT_0);
    CHECK_SUCCEEDS(ResetEvent(K2U));
}

int main(void)
{
    Device = CreateFileW(NAMED_WIN32_NAME, GENERIC_READ | GENERIC_WRITE, 0, NULL, OPEN_EXISTING,
                         0, NULL);
    CHECK(Device != INVALID_HANDLE_VALUE);
    if (Device == INVALID_HANDLE_VALUE)
        return NTK_TEST_SUMMARY();
    OpenDriverObjects();
    PingPongKe();
    PingPongZw();
    SemaphoreRace();
    MutexAbandon();
    WaitMixed();
    UserNamedLocalChecks(&NtkTestPassed, &NtkTestFailed);
    CHECK_SUCCEEDS(CloseHandle(K2U));
    CHECK_SUCCEEDS(CloseHandle(U2K));
    CHECK_SUCCEEDS(CloseHandle(Sem));
    CHECK_SUCCEEDS(CloseHandle(Mutex));
    CHECK_SUCCEEDS(CloseHandle(Device));
    {
        int failed = NTK_TEST_SUMMARY();
        printf("user_named: %s\n", failed ? "FAILED" : "all checks passed");
        return failed;
    }
}
