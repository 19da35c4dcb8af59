/* kmtest_deadlock: what Driver Verifier's deadlock detection must accept. Four threads take
 * every kind of lock, many times over, always in one hierarchy (skipping levels at times);
 * try-acquisitions against the hierarchy, recursion, a release made for another thread and a
 * lock initialized anew must not be taken for inversions. A false report would be a bug
 * check, so reaching the summary is the test; the counters check that the work was done. */
#include "kmtest_sync.h"

#define THREADS 4
#define ROUNDS 400

/* The hierarchy: SpinA -> QueuedB -> RwC at DISPATCH_LEVEL, and
 * Fast -> Guarded -> Resource -> Mutex below it. */
static KSPIN_LOCK SpinA, QueuedB;
static EX_SPIN_LOCK RwC;
static FAST_MUTEX Fast;
static KGUARDED_MUTEX Guarded;
static ERESOURCE Resource;
static KMUTEX Mutex;
static volatile LONG Rounds, TriesWon, TriesLost;

static void SpinLevels(ULONG Round)
{
    KIRQL old;
    KLOCK_QUEUE_HANDLE h;
    KeAcquireSpinLock(&SpinA, &old);
    if (Round % 3 != 0) {
        KeAcquireInStackQueuedSpinLockAtDpcLevel(&QueuedB, &h);
        if (Round & 1)
            ExAcquireSpinLockExclusiveAtDpcLevel(&RwC);
        else
            ExAcquireSpinLockSharedAtDpcLevel(&RwC);
        if (Round & 1)
            ExReleaseSpinLockExclusiveFromDpcLevel(&RwC);
        else
            ExReleaseSpinLockSharedFromDpcLevel(&RwC);
        KeReleaseInStackQueuedSpinLockFromDpcLevel(&h);
    } else {
        /* A -> C, skipping B. */
        ExAcquireSpinLockSharedAtDpcLevel(&RwC);
        ExReleaseSpinLockSharedFromDpcLevel(&RwC);
    }
    KeReleaseSpinLock(&SpinA, old);

    /* Against the hierarchy, but a try: it cannot wait, so it orders nothing. */
    old = ExAcquireSpinLockExclusive(&RwC);
    if (KeTryToAcquireSpinLockAtDpcLevel(&SpinA)) {
        InterlockedIncrement(&TriesWon);
        KeReleaseSpinLockFromDpcLevel(&SpinA);
    } else {
        InterlockedIncrement(&TriesLost);
    }
    ExReleaseSpinLockExclusive(&RwC, old);
}

static void MutexLevels(ULONG Round)
{
    BOOLEAN Won;
    ExAcquireFastMutex(&Fast);
    KeAcquireGuardedMutex(&Guarded);
    if (Round & 1)
        ExAcquireResourceExclusiveLite(&Resource, TRUE);
    else
        ExAcquireResourceSharedLite(&Resource, TRUE);
    ExAcquireResourceSharedLite(&Resource, TRUE); /* recursion */
    KmtWait(&Mutex);
    KmtWait(&Mutex); /* a KMUTEX recurses */
    KeReleaseMutex(&Mutex, FALSE);
    KeReleaseMutex(&Mutex, FALSE);
    ExReleaseResourceLite(&Resource);
    ExReleaseResourceLite(&Resource);
    KeReleaseGuardedMutex(&Guarded);
    ExReleaseFastMutex(&Fast);

    /* Fast -> Mutex, skipping levels; then tries against the hierarchy. */
    ExAcquireFastMutex(&Fast);
    KmtWait(&Mutex);
    KeReleaseMutex(&Mutex, FALSE);
    ExReleaseFastMutex(&Fast);
    KmtWait(&Mutex);
    KeEnterCriticalRegion();
    Won = ExAcquireResourceExclusiveLite(&Resource, FALSE);
    InterlockedIncrement(Won ? &TriesWon : &TriesLost);
    if (KeTryToAcquireGuardedMutex(&Guarded)) {
        InterlockedIncrement(&TriesWon);
        KeReleaseGuardedMutex(&Guarded);
    } else {
        InterlockedIncrement(&TriesLost);
    }
    if (Won)
        ExReleaseResourceLite(&Resource);
    KeLeaveCriticalRegion();
    KeReleaseMutex(&Mutex, FALSE);
    KeAcquireGuardedMutex(&Guarded);
    if (ExTryToAcquireFastMutex(&Fast)) {
        InterlockedIncrement(&TriesWon);
        ExReleaseFastMutex(&Fast);
    } else {
        InterlockedIncrement(&TriesLost);
    }
    KeReleaseGuardedMutex(&Guarded);
}

static VOID Worker(PVOID Context)
{
    ULONG i;
    UNREFERENCED_PARAMETER(Context);
    for (i = 0; i < ROUNDS; i++) {
        SpinLevels(i);
        MutexLevels(i);
        InterlockedIncrement(&Rounds);
    }
}

/* A resource released for its owner by another thread is no longer the owner's. */
static ERESOURCE Handed;
static KEVENT HandedHeld, HandedGo;
static PKTHREAD HandedOwner;
static VOID HandedOwnerThread(PVOID Context)
{
    UNREFERENCED_PARAMETER(Context);
    HandedOwner = KeGetCurrentThread();
    KeEnterCriticalRegion();
    ExAcquireResourceExclusiveLite(&Handed, TRUE);
    KeSetEvent(&HandedHeld, IO_NO_INCREMENT, FALSE);
    KmtWait(&HandedGo);
    /* Released by the driver's thread: taking Fast now orders nothing after Handed. */
    ExAcquireFastMutex(&Fast);
    ExReleaseFastMutex(&Fast);
    KeLeaveCriticalRegion();
}

static void TestReleaseForThread(void)
{
    PKTHREAD t;
    ExInitializeResourceLite(&Handed);
    KeInitializeEvent(&HandedHeld, NotificationEvent, FALSE);
    KeInitializeEvent(&HandedGo, NotificationEvent, FALSE);
    t = KmtStartThread(HandedOwnerThread, NULL);
    KmtWait(&HandedHeld);
    KeEnterCriticalRegion();
    ExReleaseResourceForThreadLite(&Handed, (ERESOURCE_THREAD)HandedOwner);
    KeLeaveCriticalRegion();
    KeSetEvent(&HandedGo, IO_NO_INCREMENT, FALSE);
    KmtJoinThread(t);
    /* Fast -> Handed: an inversion only if the owner's note had outlived the release. */
    ExAcquireFastMutex(&Fast);
    ExAcquireResourceExclusiveLite(&Handed, TRUE);
    ExReleaseResourceLite(&Handed);
    ExReleaseFastMutex(&Fast);
    CHECK_STATUS(ExDeleteResourceLite(&Handed), STATUS_SUCCESS);
}

/* A lock initialized anew is a new lock: its old orders are gone. */
static ERESOURCE Renewed;
static KMUTEX RenewedMutex;
static void TestReinitialized(void)
{
    KeInitializeMutex(&RenewedMutex, 0);
    ExInitializeResourceLite(&Renewed);
    KeEnterCriticalRegion();
    ExAcquireResourceExclusiveLite(&Renewed, TRUE);
    KmtWait(&RenewedMutex);
    KeReleaseMutex(&RenewedMutex, FALSE);
    ExReleaseResourceLite(&Renewed);
    CHECK_STATUS(ExDeleteResourceLite(&Renewed), STATUS_SUCCESS);
    CHECK_STATUS(ExInitializeResourceLite(&Renewed), STATUS_SUCCESS);
    KmtWait(&RenewedMutex);
    ExAcquireResourceExclusiveLite(&Renewed, TRUE);
    ExReleaseResourceLite(&Renewed);
    KeReleaseMutex(&RenewedMutex, FALSE);
    KeLeaveCriticalRegion();
    CHECK_STATUS(ExDeleteResourceLite(&Renewed), STATUS_SUCCESS);
}

/* Spin locks in a pool block are gone with the block: a block at the same address holding
 * other locks, taken in the other order, is no inversion (spin locks are initialized by an
 * inline routine the kernel never sees; the free is what tells the verifier). Small blocks and
 * a block of several pages. */
typedef struct {
    KSPIN_LOCK First;
    ULONG64 Pad[3];
    KSPIN_LOCK Second;
} TWO_LOCKS;

static void TakeInOrder(PKSPIN_LOCK Outer, PKSPIN_LOCK Inner)
{
    KIRQL Old, Ignored;
    KeAcquireSpinLock(Outer, &Old);
    KeAcquireSpinLock(Inner, &Ignored);
    KeReleaseSpinLock(Inner, DISPATCH_LEVEL);
    KeReleaseSpinLock(Outer, Old);
}

static void TestFreedPoolLocks(SIZE_T Size)
{
    TWO_LOCKS *Old = ExAllocatePool2(POOL_FLAG_NON_PAGED, Size, 'kdDK'), *New;
    CHECK(Old != NULL);
    if (Old == NULL)
        return;
    KeInitializeSpinLock(&Old->First);
    KeInitializeSpinLock(&Old->Second);
    TakeInOrder(&Old->First, &Old->Second);
    ExFreePoolWithTag(Old, 'kdDK');
    New = ExAllocatePool2(POOL_FLAG_NON_PAGED, Size, 'kdDK');
    CHECK(New == Old); /* the thread's cache gives the same block back (the point of the test) */
    if (New == NULL)
        return;
    KeInitializeSpinLock(&New->First);
    KeInitializeSpinLock(&New->Second);
    TakeInOrder(&New->Second, &New->First);
    ExFreePoolWithTag(New, 'kdDK');
}

static void TestFreedPool(void)
{
    TestFreedPoolLocks(sizeof(TWO_LOCKS));
    TestFreedPoolLocks(3 * PAGE_SIZE);
}

static void TestHierarchy(void)
{
    PKTHREAD t[THREADS];
    ULONG i;
    for (i = 0; i < THREADS; i++)
        t[i] = KmtStartThread(Worker, NULL);
    for (i = 0; i < THREADS; i++)
        KmtJoinThread(t[i]);
    CHECK_EQ(Rounds, THREADS * ROUNDS);
    /* Four tries a round, each either won or lost, never both. */
    CHECK_EQ(TriesWon + TriesLost, THREADS * ROUNDS * 4);
    CHECK(TriesWon > 0);
    DbgPrint("kmtest_deadlock: %d rounds by %d threads, %d tries won, %d lost\n", (int)Rounds,
             THREADS, (int)TriesWon, (int)TriesLost);
}

NTSTATUS DriverEntry(PDRIVER_OBJECT DriverObject, PUNICODE_STRING RegistryPath)
{
    UNREFERENCED_PARAMETER(DriverObject);
    UNREFERENCED_PARAMETER(RegistryPath);
    KeInitializeSpinLock(&SpinA);
    KeInitializeSpinLock(&QueuedB);
    RwC = 0;
    ExInitializeFastMutex(&Fast);
    KeInitializeGuardedMutex(&Guarded);
    ExInitializeResourceLite(&Resource);
    KeInitializeMutex(&Mutex, 0);
    KMT_RUN("kmtest_deadlock", TestHierarchy());
    KMT_RUN("kmtest_deadlock", TestReleaseForThread());
    KMT_RUN("kmtest_deadlock", TestReinitialized());
    KMT_RUN("kmtest_deadlock", TestFreedPool());
    CHECK_STATUS(ExDeleteResourceLite(&Resource), STATUS_SUCCESS);
    return KmtFinish("kmtest_deadlock");
}
