/* The named-object checks between user threads, against user_named.c's handles to the
 * driver's objects where they need one:
 *  - releases racing past a semaphore's maximum: exactly the maximum succeed;
 *  - racing threads on a named mutex, acquired twice (recursion) each time: no overlap;
 *  - recursion and ownership; access rights; names and types; the Nt query services;
 *  - bad handles, counts, names and pointers. */
#include "user_named.h"

void Join(HANDLE *Threads, DWORD Count)
{
    DWORD i;
    CHECK_EQ(WaitForMultipleObjects(Count, Threads, TRUE, JOIN_MS), WAIT_OBJECT_0);
    for (i = 0; i < Count; i++)
        CHECK_SUCCEEDS(CloseHandle(Threads[i]));
}

DWORD WINAPI Releaser(LPVOID Param)
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

void UserNamedLocalChecks(int *Passed, int *Failed)
{
    SemaphoreLimitRace();
    MutexRace();
    MutexRecursion();
    AccessRights();
    TypesAndNames();
    QueryServices();
    BadInput();
    *Passed += NtkTestPassed;
    *Failed += NtkTestFailed;
}
