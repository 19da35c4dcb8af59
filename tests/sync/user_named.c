/* Named events, semaphores and mutexes between user mode and the named test driver (named.c,
 * \\.\NtkNamed), and between user threads:
 *  - the driver's objects opened by name (plain, Global\, Local\), Create* on an existing name;
 *  - ping-pong with a driver system thread: SetEvent wakes its KeWaitForSingleObject, its
 *    KeSetEvent wakes WaitForSingleObject; then the reverse on objects user mode created,
 *    which the driver opens by name and waits for with ZwWaitForMultipleObjects;
 *  - racing threads (and a driver thread) on a named semaphore: exact counts at the end;
 *    releases racing past a maximum: exactly the maximum succeed;
 *  - racing threads on a named mutex, acquired twice (recursion) each time: no overlap;
 *  - abandonment by a user thread and by a driver thread: the next wait sees WAIT_ABANDONED;
 *  - NtQuerySemaphore and NtQueryMutant: counts, ownership, abandonment;
 *  - access rights, type mismatches, bad handles, counts, names and pointers. */
#include <windows.h>
#include <winioctl.h>
#include <ntk/ntapi.h>
#include "../e2e/e2e_user.h"
#include "named_ioctl.h"

#ifndef ERROR_PATH_NOT_FOUND
#define ERROR_PATH_NOT_FOUND 3L
#endif
#ifndef ERROR_NOT_OWNER
#define ERROR_NOT_OWNER 288L
#endif
#ifndef ERROR_TOO_MANY_POSTS
#define ERROR_TOO_MANY_POSTS 298L
#endif

#define ROUNDS 20000      /* ping-pong rounds */
#define PER_THREAD 20000  /* semaphore and mutex operations per racing thread */
#define RACERS 4
#define LIMIT 100
#define LIMIT_TRIES 1000
#define JOIN_MS 120000    /* only so that a lost wake-up ends the test */

static HANDLE Device, K2U, U2K, Sem, Mutex;

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

static void Join(HANDLE *Threads, DWORD Count)
{
    DWORD i;
    CHECK_EQ(WaitForMultipleObjects(Count, Threads, TRUE, JOIN_MS), WAIT_OBJECT_0);
    for (i = 0; i < Count; i++)
        CHECK_SUCCEEDS(CloseHandle(Threads[i]));
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

typedef struct {
    HANDLE Handle;
    LONG Ok, TooMany, Other, BadPrevious;
    LONG Count;
} RACER;

static DWORD WINAPI Releaser(LPVOID Param)
{
    RACER *r = Param;
    LONG i, previous;
    for (i = 0; i < r->Count; i++) {
        previous = -1;
        if (ReleaseSemaphore(r->Handle, 1, &previous)) {
            r->Ok++;
            if (previous < 0)
                r->BadPrevious++;
        } else if (GetLastError() == ERROR_TOO_MANY_POSTS) {
            r->TooMany++;
        } else {
            r->Other++;
        }
    }
    return 0;
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

/* Releases racing past the maximum: exactly LIMIT succeed, the others are refused. */
static void SemaphoreLimitRace(void)
{
    RACER r[RACERS];
    HANDLE threads[RACERS];
    HANDLE sem = CreateSemaphoreW(NULL, 0, LIMIT, L"NtkLimitSem");
    LONG ok = 0, tooMany = 0, other = 0;
    int i;

    CHECK(sem != NULL);
    CHECK_EQ(GetLastError(), ERROR_SUCCESS);
    memset(r, 0, sizeof(r));
    for (i = 0; i < RACERS; i++) {
        r[i].Handle = sem;
        r[i].Count = LIMIT_TRIES;
        threads[i] = CreateThread(NULL, 0, Releaser, &r[i], 0, NULL);
        CHECK(threads[i] != NULL);
    }
    Join(threads, RACERS);
    for (i = 0; i < RACERS; i++) {
        ok += r[i].Ok;
        tooMany += r[i].TooMany;
        other += r[i].Other;
    }
    CHECK_EQ(ok, LIMIT);
    CHECK_EQ(tooMany, RACERS * LIMIT_TRIES - LIMIT);
    CHECK_EQ(other, 0);
    for (i = 0; i < LIMIT; i++)
        CHECK_EQ(WaitForSingleObject(sem, 0), WAIT_OBJECT_0);
    CHECK_EQ(WaitForSingleObject(sem, 0), WAIT_TIMEOUT);
    CHECK_SUCCEEDS(CloseHandle(sem));
    printf("semaphore limit: %ld of %d releases accepted, %ld refused\n", (long)ok,
           RACERS * LIMIT_TRIES, (long)tooMany);
}

static volatile LONG Inside, Overlaps, Counter;

static DWORD WINAPI MutexRacer(LPVOID Param)
{
    RACER *r = Param;
    LONG i;
    for (i = 0; i < r->Count; i++) {
        if (WaitForSingleObject(r->Handle, JOIN_MS) != WAIT_OBJECT_0 ||
            WaitForSingleObject(r->Handle, 0) != WAIT_OBJECT_0) { /* recursion */
            r->Other++;
            break;
        }
        if (__atomic_add_fetch(&Inside, 1, __ATOMIC_SEQ_CST) != 1)
            __atomic_add_fetch(&Overlaps, 1, __ATOMIC_SEQ_CST);
        Counter = Counter + 1; /* not atomic: only the mutex makes it exact */
        __atomic_sub_fetch(&Inside, 1, __ATOMIC_SEQ_CST);
        if (!ReleaseMutex(r->Handle) || !ReleaseMutex(r->Handle)) {
            r->Other++;
            break;
        }
        r->Ok++;
    }
    return 0;
}

static void MutexRace(void)
{
    RACER r[RACERS];
    HANDLE threads[RACERS];
    LONG ok = 0, other = 0;
    int i;

    memset(r, 0, sizeof(r));
    for (i = 0; i < RACERS; i++) {
        r[i].Handle = Mutex;
        r[i].Count = PER_THREAD;
        threads[i] = CreateThread(NULL, 0, MutexRacer, &r[i], 0, NULL);
        CHECK(threads[i] != NULL);
    }
    Join(threads, RACERS);
    for (i = 0; i < RACERS; i++) {
        ok += r[i].Ok;
        other += r[i].Other;
    }
    CHECK_EQ(ok, RACERS * PER_THREAD);
    CHECK_EQ(other, 0);
    CHECK_EQ(Counter, RACERS * PER_THREAD);
    CHECK_EQ(Overlaps, 0);
    /* Nobody owns it now. */
    CHECK_FAILS_WITH(ReleaseMutex(Mutex), ERROR_NOT_OWNER);
    printf("mutex: %ld acquisitions (each twice) by %d threads, %ld overlaps\n", (long)ok,
           RACERS, (long)Overlaps);
}

static DWORD WINAPI ReleaseOthers(LPVOID Param)
{
    SetLastError(0);
    return ReleaseMutex((HANDLE)Param) ? 0 : GetLastError();
}

static void MutexRecursion(void)
{
    HANDLE m = CreateMutexW(NULL, TRUE, NULL), t;
    DWORD code = 0;

    CHECK(m != NULL);
    CHECK_EQ(WaitForSingleObject(m, 0), WAIT_OBJECT_0);
    CHECK_EQ(WaitForSingleObject(m, INFINITE), WAIT_OBJECT_0);
    /* Another thread is not the owner. */
    t = CreateThread(NULL, 0, ReleaseOthers, m, 0, NULL);
    CHECK(t != NULL);
    CHECK_EQ(WaitForSingleObject(t, JOIN_MS), WAIT_OBJECT_0);
    CHECK_SUCCEEDS(GetExitCodeThread(t, &code));
    CHECK_EQ(code, ERROR_NOT_OWNER);
    CHECK_SUCCEEDS(CloseHandle(t));
    /* Three acquisitions, three releases, then not the owner. */
    CHECK_SUCCEEDS(ReleaseMutex(m));
    CHECK_SUCCEEDS(ReleaseMutex(m));
    CHECK_SUCCEEDS(ReleaseMutex(m));
    CHECK_FAILS_WITH(ReleaseMutex(m), ERROR_NOT_OWNER);
    CHECK_SUCCEEDS(CloseHandle(m));
    /* An owned mutex closed by its owner: gone, and the thread's later mutexes still work. */
    m = CreateMutexW(NULL, TRUE, L"NtkClosedOwned");
    CHECK(m != NULL);
    CHECK_SUCCEEDS(CloseHandle(m));
    m = CreateMutexW(NULL, FALSE, L"NtkClosedOwned");
    CHECK(m != NULL);
    CHECK_EQ(GetLastError(), ERROR_SUCCESS); /* a new one: the name went with the last handle */
    CHECK_EQ(WaitForSingleObject(m, 0), WAIT_OBJECT_0);
    CHECK_SUCCEEDS(ReleaseMutex(m));
    CHECK_SUCCEEDS(CloseHandle(m));
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

static void AccessRights(void)
{
    HANDLE h;
    LONG previous;

    h = OpenEventW(SYNCHRONIZE, FALSE, NAMED_K2U);
    CHECK(h != NULL);
    CHECK_FAILS_WITH(SetEvent(h), ERROR_ACCESS_DENIED);
    CHECK_FAILS_WITH(ResetEvent(h), ERROR_ACCESS_DENIED);
    CHECK_EQ(WaitForSingleObject(h, 0), WAIT_TIMEOUT);
    CHECK_SUCCEEDS(CloseHandle(h));
    h = OpenEventW(EVENT_MODIFY_STATE, FALSE, NAMED_K2U);
    CHECK(h != NULL);
    SetLastError(0);
    CHECK_EQ(WaitForSingleObject(h, 0), WAIT_FAILED);
    CHECK_EQ(GetLastError(), ERROR_ACCESS_DENIED);
    CHECK_SUCCEEDS(CloseHandle(h));

    h = OpenSemaphoreW(SYNCHRONIZE, FALSE, NAMED_SEM);
    CHECK(h != NULL);
    CHECK_FAILS_WITH(ReleaseSemaphore(h, 1, &previous), ERROR_ACCESS_DENIED);
    CHECK_EQ(WaitForSingleObject(Sem, 0), WAIT_TIMEOUT); /* nothing was released */
    CHECK_SUCCEEDS(CloseHandle(h));

    /* MUTEX_MODIFY_STATE is needed to release, SYNCHRONIZE to wait. */
    h = OpenMutexW(SYNCHRONIZE, FALSE, NAMED_MUTEX);
    CHECK(h != NULL);
    CHECK_EQ(WaitForSingleObject(h, 0), WAIT_OBJECT_0);
    CHECK_FAILS_WITH(ReleaseMutex(h), ERROR_ACCESS_DENIED);
    CHECK_SUCCEEDS(ReleaseMutex(Mutex));
    CHECK_SUCCEEDS(CloseHandle(h));
    h = OpenMutexW(MUTEX_MODIFY_STATE, FALSE, NAMED_MUTEX);
    CHECK(h != NULL);
    SetLastError(0);
    CHECK_EQ(WaitForSingleObject(h, 0), WAIT_FAILED);
    CHECK_EQ(GetLastError(), ERROR_ACCESS_DENIED);
    CHECK_FAILS_WITH(ReleaseMutex(h), ERROR_NOT_OWNER);
    CHECK_SUCCEEDS(CloseHandle(h));
}

static void TypesAndNames(void)
{
    /* A name in use by another type of object: ERROR_INVALID_HANDLE, created or opened. */
    CHECK_FAILS_WITH(CreateEventW(NULL, TRUE, FALSE, NAMED_SEM), ERROR_INVALID_HANDLE);
    CHECK_FAILS_WITH(CreateMutexW(NULL, FALSE, NAMED_K2U), ERROR_INVALID_HANDLE);
    CHECK_FAILS_WITH(CreateSemaphoreW(NULL, 0, 1, NAMED_MUTEX), ERROR_INVALID_HANDLE);
    CHECK_FAILS_WITH(OpenSemaphoreW(SYNCHRONIZE, FALSE, NAMED_K2U), ERROR_INVALID_HANDLE);
    CHECK_FAILS_WITH(OpenMutexW(SYNCHRONIZE, FALSE, NAMED_SEM), ERROR_INVALID_HANDLE);
    CHECK_FAILS_WITH(OpenEventW(SYNCHRONIZE, FALSE, NAMED_MUTEX), ERROR_INVALID_HANDLE);
    CHECK_FAILS_WITH(OpenSemaphoreA(SYNCHRONIZE, FALSE, "NtkNamedK2U"), ERROR_INVALID_HANDLE);
    /* Names that are not there, or cannot be. */
    CHECK_FAILS_WITH(OpenEventW(SYNCHRONIZE, FALSE, L"NtkNeverCreated"), ERROR_FILE_NOT_FOUND);
    CHECK_FAILS_WITH(OpenSemaphoreW(SYNCHRONIZE, FALSE, L"NtkNeverCreated"),
                     ERROR_FILE_NOT_FOUND);
    CHECK_FAILS_WITH(OpenMutexW(SYNCHRONIZE, FALSE, L"NtkNeverCreated"), ERROR_FILE_NOT_FOUND);
    CHECK_FAILS_WITH(OpenMutexW(SYNCHRONIZE, FALSE, NULL), ERROR_INVALID_PARAMETER);
    CHECK_FAILS_WITH(OpenSemaphoreW(SYNCHRONIZE, FALSE, NULL), ERROR_INVALID_PARAMETER);
    CHECK_FAILS_WITH(OpenEventW(SYNCHRONIZE, FALSE, NULL), ERROR_INVALID_PARAMETER);
    CHECK_FAILS_WITH(CreateEventW(NULL, TRUE, FALSE, L"NtkNo\\Such"), ERROR_PATH_NOT_FOUND);
    CHECK_FAILS_WITH(CreateSemaphoreW(NULL, 0, 1, L"NtkNo\\Such"), ERROR_PATH_NOT_FOUND);
    CHECK_FAILS_WITH(CreateMutexW(NULL, FALSE, L"NtkNo\\Such"), ERROR_PATH_NOT_FOUND);
    /* The A forms find the W forms' objects. */
    {
        HANDLE a = CreateMutexA(NULL, FALSE, "NtkAnsiMutex");
        HANDLE w = OpenMutexW(SYNCHRONIZE, FALSE, L"NtkAnsiMutex");
        HANDLE s = CreateSemaphoreA(NULL, 1, 1, "NtkAnsiSem");
        HANDLE sw = OpenSemaphoreW(SYNCHRONIZE, FALSE, L"NtkAnsiSem");
        CHECK(a != NULL && w != NULL && s != NULL && sw != NULL);
        CHECK_EQ(WaitForSingleObject(w, 0), WAIT_OBJECT_0);
        CHECK_SUCCEEDS(ReleaseMutex(a));
        CHECK_EQ(WaitForSingleObject(sw, 0), WAIT_OBJECT_0);
        CHECK_EQ(WaitForSingleObject(s, 0), WAIT_TIMEOUT);
        CHECK_SUCCEEDS(CloseHandle(a));
        CHECK_SUCCEEDS(CloseHandle(w));
        CHECK_SUCCEEDS(CloseHandle(s));
        CHECK_SUCCEEDS(CloseHandle(sw));
        CHECK_FAILS_WITH(OpenMutexA(SYNCHRONIZE, FALSE, "NtkAnsiMutex"), ERROR_FILE_NOT_FOUND);
    }
}

/* The Nt query services show the counts the Win32 calls cannot. */
static void QueryServices(void)
{
    SEMAPHORE_BASIC_INFORMATION si;
    MUTANT_BASIC_INFORMATION mi;
    HANDLE sem = CreateSemaphoreW(NULL, 2, 5, NULL), m = CreateMutexW(NULL, TRUE, NULL), weak;
    ULONG length = 0;

    CHECK(sem != NULL && m != NULL);
    memset(&si, 0xFF, sizeof(si));
    CHECK_STATUS(NtQuerySemaphore(sem, SemaphoreBasicInformation, &si, sizeof(si), &length),
                 STATUS_SUCCESS);
    CHECK_EQ(si.CurrentCount, 2);
    CHECK_EQ(si.MaximumCount, 5);
    CHECK_EQ(length, sizeof(si));
    CHECK_STATUS(NtQuerySemaphore(sem, SemaphoreBasicInformation, &si, sizeof(si) + 1, NULL),
                 STATUS_INFO_LENGTH_MISMATCH);
    CHECK_STATUS(NtQuerySemaphore(sem, (SEMAPHORE_INFORMATION_CLASS)1, &si, sizeof(si), NULL),
                 STATUS_INVALID_INFO_CLASS);
    CHECK_STATUS(NtQuerySemaphore(sem, SemaphoreBasicInformation, (PVOID)(ULONG_PTR)64,
                                  sizeof(si), NULL),
                 STATUS_ACCESS_VIOLATION);
    CHECK_STATUS(NtQuerySemaphore(m, SemaphoreBasicInformation, &si, sizeof(si), NULL),
                 STATUS_OBJECT_TYPE_MISMATCH);
    weak = OpenSemaphoreW(SYNCHRONIZE, FALSE, NAMED_SEM);
    CHECK(weak != NULL);
    CHECK_STATUS(NtQuerySemaphore(weak, SemaphoreBasicInformation, &si, sizeof(si), NULL),
                 STATUS_ACCESS_DENIED);
    CHECK_SUCCEEDS(CloseHandle(weak));

    memset(&mi, 0xFF, sizeof(mi));
    CHECK_EQ(WaitForSingleObject(m, 0), WAIT_OBJECT_0);
    CHECK_STATUS(NtQueryMutant(m, MutantBasicInformation, &mi, sizeof(mi), NULL),
                 STATUS_SUCCESS);
    CHECK_EQ(mi.CurrentCount, -1); /* owned twice */
    CHECK_EQ(mi.OwnedByCaller, TRUE);
    CHECK_EQ(mi.AbandonedState, FALSE);
    CHECK_SUCCEEDS(ReleaseMutex(m));
    CHECK_SUCCEEDS(ReleaseMutex(m));
    CHECK_STATUS(NtQueryMutant(m, MutantBasicInformation, &mi, sizeof(mi), NULL),
                 STATUS_SUCCESS);
    CHECK_EQ(mi.CurrentCount, 1);
    CHECK_EQ(mi.OwnedByCaller, FALSE);
    CHECK_STATUS(NtQueryMutant(sem, MutantBasicInformation, &mi, sizeof(mi), NULL),
                 STATUS_OBJECT_TYPE_MISMATCH);
    CHECK_STATUS(NtQueryMutant(m, MutantBasicInformation, &mi, sizeof(mi) - 1, NULL),
                 STATUS_INFO_LENGTH_MISMATCH);
    /* NtReleaseMutant reports the count before the release. */
    {
        LONG previous = 5;
        CHECK_EQ(WaitForSingleObject(m, 0), WAIT_OBJECT_0);
        CHECK_STATUS(NtReleaseMutant(m, &previous), STATUS_SUCCESS);
        CHECK_EQ(previous, 0);
        CHECK_STATUS(NtReleaseMutant(m, (PLONG)(ULONG_PTR)64), STATUS_ACCESS_VIOLATION);
    }
    CHECK_SUCCEEDS(CloseHandle(sem));
    CHECK_SUCCEEDS(CloseHandle(m));
}

static void BadInput(void)
{
    HANDLE event = CreateEventW(NULL, TRUE, FALSE, NULL);
    HANDLE sem = CreateSemaphoreW(NULL, 0, 2, NULL);
    HANDLE mutex = CreateMutexW(NULL, FALSE, NULL);
    HANDLE dup[2], many[MAXIMUM_WAIT_OBJECTS + 1];
    LONG previous = 9;
    int i;

    CHECK(event != NULL && sem != NULL && mutex != NULL);
    /* Counts. */
    CHECK_FAILS_WITH(CreateSemaphoreW(NULL, 2, 1, NULL), ERROR_INVALID_PARAMETER);
    CHECK_FAILS_WITH(CreateSemaphoreW(NULL, -1, 1, NULL), ERROR_INVALID_PARAMETER);
    CHECK_FAILS_WITH(CreateSemaphoreW(NULL, 0, 0, NULL), ERROR_INVALID_PARAMETER);
    CHECK_FAILS_WITH(ReleaseSemaphore(sem, 0, NULL), ERROR_INVALID_PARAMETER);
    CHECK_FAILS_WITH(ReleaseSemaphore(sem, -5, NULL), ERROR_INVALID_PARAMETER);
    CHECK_FAILS_WITH(ReleaseSemaphore(sem, 3, &previous), ERROR_TOO_MANY_POSTS);
    CHECK_EQ(previous, 9); /* not written on failure */
    /* A bad pointer for the previous count fails before anything is released. */
    CHECK_FAILS_WITH(ReleaseSemaphore(sem, 1, (LPLONG)(ULONG_PTR)16), ERROR_NOACCESS);
    CHECK_FAILS_WITH(ReleaseSemaphore(sem, 1, (LPLONG)(ULONG_PTR)0x7FFFFFFF0000ULL),
                     ERROR_NOACCESS);
    CHECK_EQ(WaitForSingleObject(sem, 0), WAIT_TIMEOUT);
    /* Handles: none, made up, of the wrong type, closed. */
    CHECK_FAILS_WITH(SetEvent(NULL), ERROR_INVALID_HANDLE);
    CHECK_FAILS_WITH(ReleaseSemaphore(NULL, 1, NULL), ERROR_INVALID_HANDLE);
    CHECK_FAILS_WITH(ReleaseMutex(NULL), ERROR_INVALID_HANDLE);
    CHECK_FAILS_WITH(ReleaseMutex((HANDLE)(ULONG_PTR)0x12344), ERROR_INVALID_HANDLE);
    CHECK_FAILS_WITH(SetEvent(sem), ERROR_INVALID_HANDLE);
    CHECK_FAILS_WITH(ResetEvent(mutex), ERROR_INVALID_HANDLE);
    CHECK_FAILS_WITH(ReleaseSemaphore(event, 1, NULL), ERROR_INVALID_HANDLE);
    CHECK_FAILS_WITH(ReleaseSemaphore(mutex, 1, NULL), ERROR_INVALID_HANDLE);
    CHECK_FAILS_WITH(ReleaseMutex(event), ERROR_INVALID_HANDLE);
    CHECK_FAILS_WITH(ReleaseMutex(sem), ERROR_INVALID_HANDLE);
    SetLastError(0);
    CHECK_EQ(WaitForSingleObject((HANDLE)(ULONG_PTR)0x77774, 0), WAIT_FAILED);
    CHECK_EQ(GetLastError(), ERROR_INVALID_HANDLE);
    /* The kernel's handle for the same event means nothing in user mode. */
    SetLastError(0);
    CHECK_EQ(WaitForSingleObject((HANDLE)(LONG_PTR)-2000, 0), WAIT_FAILED);
    CHECK_EQ(GetLastError(), ERROR_INVALID_HANDLE);
    /* Waits on several: counts, duplicates under WaitAll, a bad handle among good ones. */
    dup[0] = sem;
    dup[1] = sem;
    SetLastError(0);
    CHECK_EQ(WaitForMultipleObjects(2, dup, TRUE, 0), WAIT_FAILED);
    CHECK_EQ(GetLastError(), ERROR_INVALID_PARAMETER);
    CHECK_EQ(WaitForMultipleObjects(2, dup, FALSE, 0), WAIT_TIMEOUT);
    SetLastError(0);
    CHECK_EQ(WaitForMultipleObjects(0, dup, FALSE, 0), WAIT_FAILED);
    CHECK_EQ(GetLastError(), ERROR_INVALID_PARAMETER);
    for (i = 0; i <= MAXIMUM_WAIT_OBJECTS; i++)
        many[i] = event;
    SetLastError(0);
    CHECK_EQ(WaitForMultipleObjects(MAXIMUM_WAIT_OBJECTS + 1, many, FALSE, 0), WAIT_FAILED);
    CHECK_EQ(GetLastError(), ERROR_INVALID_PARAMETER);
    dup[0] = event;
    dup[1] = NULL;
    SetLastError(0);
    CHECK_EQ(WaitForMultipleObjects(2, dup, FALSE, 0), WAIT_FAILED);
    CHECK_EQ(GetLastError(), ERROR_INVALID_HANDLE);
    CHECK_SUCCEEDS(CloseHandle(sem));
    CHECK_FAILS_WITH(ReleaseSemaphore(sem, 1, NULL), ERROR_INVALID_HANDLE);
    CHECK_SUCCEEDS(CloseHandle(event));
    CHECK_SUCCEEDS(CloseHandle(mutex));
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
    SemaphoreLimitRace();
    MutexRace();
    MutexRecursion();
    MutexAbandon();
    WaitMixed();
    AccessRights();
    TypesAndNames();
    QueryServices();
    BadInput();
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
