/* kmtest_gmutex: guarded mutexes, from the WDK pages of KeInitializeGuardedMutex,
 * KeAcquireGuardedMutex, KeReleaseGuardedMutex, KeTryToAcquireGuardedMutex and the Unsafe
 * forms: acquiring enters a guarded region and leaves IRQL alone; not recursive, so a
 * try-acquire fails while the mutex is held, even by the caller.
 *     ntk run [--cpus N] --driver kmtest_gmutex.so        exits 0 when every check passed */
#include "kmtest_sync.h"

static KGUARDED_MUTEX Mutex;

static void TestBasics(void)
{
    KIRQL old;

    CHECK_EQ(sizeof(KGUARDED_MUTEX), 0x38);
    KeInitializeGuardedMutex(&Mutex);
    CHECK(!KeAreApcsDisabled());

    /* Acquire: a guarded region (all kernel APCs off), IRQL unchanged. */
    KeAcquireGuardedMutex(&Mutex);
    CHECK_EQ(KeGetCurrentIrql(), PASSIVE_LEVEL);
    CHECK(KeAreApcsDisabled());
    CHECK(KeAreAllApcsDisabled());
    CHECK(Mutex.Owner == (PVOID)KeGetCurrentThread());
    /* Not recursive: the owner's try-acquire fails too, and leaves the region count alone. */
    CHECK(!KeTryToAcquireGuardedMutex(&Mutex));
    KeReleaseGuardedMutex(&Mutex);
    CHECK(!KeAreApcsDisabled());
    CHECK(!KeAreAllApcsDisabled());
    CHECK(Mutex.Owner == NULL);

    /* Try-acquire on a free mutex succeeds and enters the region. */
    CHECK(KeTryToAcquireGuardedMutex(&Mutex));
    CHECK(KeAreAllApcsDisabled());
    KeReleaseGuardedMutex(&Mutex);
    CHECK(!KeAreAllApcsDisabled());

    /* At APC_LEVEL, the IRQL stays APC_LEVEL. */
    KeRaiseIrql(APC_LEVEL, &old);
    KeAcquireGuardedMutex(&Mutex);
    CHECK_EQ(KeGetCurrentIrql(), APC_LEVEL);
    KeReleaseGuardedMutex(&Mutex);
    CHECK_EQ(KeGetCurrentIrql(), APC_LEVEL);
    KeLowerIrql(old);

    /* Unsafe: no region of its own, inside the caller's guarded region or at APC_LEVEL. */
    KeEnterGuardedRegion();
    KeAcquireGuardedMutexUnsafe(&Mutex);
    CHECK(Mutex.Owner == (PVOID)KeGetCurrentThread());
    KeReleaseGuardedMutexUnsafe(&Mutex);
    CHECK(KeAreAllApcsDisabled());
    KeLeaveGuardedRegion();
    CHECK(!KeAreAllApcsDisabled());
    KeRaiseIrql(APC_LEVEL, &old);
    KeAcquireGuardedMutexUnsafe(&Mutex);
    KeReleaseGuardedMutexUnsafe(&Mutex);
    KeLowerIrql(old);
    CHECK(!KeAreApcsDisabled());
}

/* Another thread: its try-acquire fails while we hold the mutex; its acquire waits until we
 * release it. */
static KEVENT TryDone, Acquired, Release;
static volatile LONG OtherTry = -1, OtherInRegion = -1, OtherGot;

static VOID OtherThread(PVOID Context)
{
    UNREFERENCED_PARAMETER(Context);
    OtherTry = KeTryToAcquireGuardedMutex(&Mutex);
    KeSetEvent(&TryDone, IO_NO_INCREMENT, FALSE);
    KeAcquireGuardedMutex(&Mutex);
    OtherGot = 1;
    OtherInRegion = KeAreAllApcsDisabled();
    KeSetEvent(&Acquired, IO_NO_INCREMENT, FALSE);
    KmtWait(&Release);
    KeReleaseGuardedMutex(&Mutex);
}

static void TestContention(void)
{
    PKTHREAD t;
    ULONG contention;

    KeInitializeGuardedMutex(&Mutex);
    KeInitializeEvent(&TryDone, NotificationEvent, FALSE);
    KeInitializeEvent(&Acquired, NotificationEvent, FALSE);
    KeInitializeEvent(&Release, NotificationEvent, FALSE);
    contention = Mutex.Contention;

    KeAcquireGuardedMutex(&Mutex);
    t = KmtStartThread(OtherThread, NULL);
    KmtWait(&TryDone);
    CHECK_EQ(OtherTry, FALSE);
    /* The other thread now waits: it counts the contention before sleeping. */
    KMT_WAIT_UNTIL(Mutex.Contention != contention);
    CHECK_EQ(OtherGot, 0);
    KeReleaseGuardedMutex(&Mutex);
    KmtWait(&Acquired);
    CHECK_EQ(OtherInRegion, TRUE);
    /* Held by the other thread: our try fails. */
    CHECK(!KeTryToAcquireGuardedMutex(&Mutex));
    CHECK(!KeAreAllApcsDisabled());
    KeSetEvent(&Release, IO_NO_INCREMENT, FALSE);
    KmtJoinThread(t);
    CHECK(KeTryToAcquireGuardedMutex(&Mutex));
    KeReleaseGuardedMutex(&Mutex);
}

/* Many threads: the mutex excludes them from each other. */
#define GM_THREADS 4
#define GM_ROUNDS 2000
static ULONG GmCounter;
static volatile LONG GmInside, GmOverlap;

static VOID CounterThread(PVOID Context)
{
    int i;
    for (i = 0; i < GM_ROUNDS; i++) {
        if ((ULONG_PTR)Context & 1) {
            KeAcquireGuardedMutex(&Mutex);
        } else {
            KeEnterGuardedRegion();
            KeAcquireGuardedMutexUnsafe(&Mutex);
        }
        if (InterlockedIncrement(&GmInside) != 1)
            InterlockedIncrement(&GmOverlap);
        GmCounter++;
        InterlockedDecrement(&GmInside);
        if ((ULONG_PTR)Context & 1) {
            KeReleaseGuardedMutex(&Mutex);
        } else {
            KeReleaseGuardedMutexUnsafe(&Mutex);
            KeLeaveGuardedRegion();
        }
    }
}

static void TestExclusion(void)
{
    PKTHREAD t[GM_THREADS];
    ULONG_PTR i;
    KeInitializeGuardedMutex(&Mutex);
    for (i = 0; i < GM_THREADS; i++)
        t[i] = KmtStartThread(CounterThread, (PVOID)i);
    for (i = 0; i < GM_THREADS; i++)
        KmtJoinThread(t[i]);
    CHECK_EQ(GmCounter, GM_THREADS * GM_ROUNDS);
    CHECK_EQ(GmOverlap, 0);
    CHECK(Mutex.Owner == NULL);
    CHECK(KeTryToAcquireGuardedMutex(&Mutex));
    KeReleaseGuardedMutex(&Mutex);
}

NTSTATUS DriverEntry(PDRIVER_OBJECT DriverObject, PUNICODE_STRING RegistryPath)
{
    UNREFERENCED_PARAMETER(DriverObject);
    UNREFERENCED_PARAMETER(RegistryPath);
    KMT_RUN("kmtest_gmutex", TestBasics());
    KMT_RUN("kmtest_gmutex", TestContention());
    KMT_RUN("kmtest_gmutex", TestExclusion());
    return KmtFinish("kmtest_gmutex");
}
