/* kmtest_spinlock: in-stack queued spin locks (KeAcquireInStackQueuedSpinLock and its
 * AtDpcLevel/FromDpcLevel/ForDpc forms), reader/writer spin locks (ExAcquireSpinLockShared,
 * ExAcquireSpinLockExclusive, ExTryConvertSharedSpinLockExclusive ...) and the spin lock
 * properties NT-SEMANTICS lists, from the WDK pages. Request order and writer preference need
 * a processor per contender: with fewer processors those checks are skipped (and say so).
 *     ntk run [--cpus N] --driver kmtest_spinlock.so      exits 0 when every check passed */
#include "kmtest_sync.h"

static void TestSpinLockBasics(void)
{
    KSPIN_LOCK lock = 123;
    KIRQL old;

    KeInitializeSpinLock(&lock);
    CHECK_EQ(lock, 0);
    CHECK(KeTestSpinLock(&lock));
    KeAcquireSpinLock(&lock, &old);
    CHECK_EQ(old, PASSIVE_LEVEL);
    CHECK(!KeTestSpinLock(&lock));
    /* Holding a spin lock is not a critical region. */
    CHECK(!KeAreApcsDisabled());
    CHECK(!KeTryToAcquireSpinLockAtDpcLevel(&lock));
    KeReleaseSpinLock(&lock, old);
    CHECK(KeTestSpinLock(&lock));
    CHECK_EQ(KeGetCurrentIrql(), PASSIVE_LEVEL);
    old = KeAcquireSpinLockRaiseToDpc(&lock);
    CHECK_EQ(KeGetCurrentIrql(), DISPATCH_LEVEL);
    KeReleaseSpinLock(&lock, old);

    /* The ForDpc forms raise only from below DISPATCH_LEVEL. */
    old = KeAcquireSpinLockForDpc(&lock);
    CHECK_EQ(old, PASSIVE_LEVEL);
    CHECK_EQ(KeGetCurrentIrql(), DISPATCH_LEVEL);
    KeReleaseSpinLockForDpc(&lock, old);
    CHECK_EQ(KeGetCurrentIrql(), PASSIVE_LEVEL);
    {
        KIRQL outer = KeRaiseIrqlToDpcLevel();
        old = KeAcquireSpinLockForDpc(&lock);
        CHECK_EQ(old, DISPATCH_LEVEL);
        KeReleaseSpinLockForDpc(&lock, old);
        CHECK_EQ(KeGetCurrentIrql(), DISPATCH_LEVEL);
        KeLowerIrql(outer);
    }
}

static void TestQueuedBasics(void)
{
    KSPIN_LOCK lock, lock2;
    KLOCK_QUEUE_HANDLE h, h2;
    KIRQL old;

    CHECK_EQ(sizeof(KLOCK_QUEUE_HANDLE), 0x18);
    KeInitializeSpinLock(&lock);
    KeInitializeSpinLock(&lock2);

    /* Raises to DISPATCH_LEVEL; OldIrql keeps the caller's IRQL; the release restores it. */
    KeAcquireInStackQueuedSpinLock(&lock, &h);
    CHECK_EQ(h.OldIrql, PASSIVE_LEVEL);
    CHECK_EQ(KeGetCurrentIrql(), DISPATCH_LEVEL);
    CHECK(!KeTestSpinLock(&lock));
    CHECK(!KeAreApcsDisabled());
    /* The lock word names the last queued handle. */
    CHECK_EQ(lock, (ULONG_PTR)&h.LockQueue);
    /* A second lock at DPC level, nested. */
    KeAcquireInStackQueuedSpinLockAtDpcLevel(&lock2, &h2);
    CHECK_EQ(KeGetCurrentIrql(), DISPATCH_LEVEL);
    CHECK(!KeTestSpinLock(&lock2));
    KeReleaseInStackQueuedSpinLockFromDpcLevel(&h2);
    CHECK(KeTestSpinLock(&lock2));
    CHECK_EQ(KeGetCurrentIrql(), DISPATCH_LEVEL);
    KeReleaseInStackQueuedSpinLock(&h);
    CHECK_EQ(KeGetCurrentIrql(), PASSIVE_LEVEL);
    CHECK(KeTestSpinLock(&lock));
    CHECK_EQ(lock, 0);

    /* From APC_LEVEL. */
    KeRaiseIrql(APC_LEVEL, &old);
    KeAcquireInStackQueuedSpinLock(&lock, &h);
    CHECK_EQ(h.OldIrql, APC_LEVEL);
    KeReleaseInStackQueuedSpinLock(&h);
    CHECK_EQ(KeGetCurrentIrql(), APC_LEVEL);
    KeLowerIrql(old);

    /* ForDpc: from PASSIVE_LEVEL it raises, at DISPATCH_LEVEL it does not. */
    KeAcquireInStackQueuedSpinLockForDpc(&lock, &h);
    CHECK_EQ(h.OldIrql, PASSIVE_LEVEL);
    CHECK_EQ(KeGetCurrentIrql(), DISPATCH_LEVEL);
    KeReleaseInStackQueuedSpinLockForDpc(&h);
    CHECK_EQ(KeGetCurrentIrql(), PASSIVE_LEVEL);
    old = KeRaiseIrqlToDpcLevel();
    KeAcquireInStackQueuedSpinLockForDpc(&lock, &h);
    CHECK_EQ(h.OldIrql, DISPATCH_LEVEL);
    KeReleaseInStackQueuedSpinLockForDpc(&h);
    CHECK_EQ(KeGetCurrentIrql(), DISPATCH_LEVEL);
    KeLowerIrql(old);
}

/* Mutual exclusion: threads add to a plain counter under the lock. */
#define MX_THREADS 4
#define MX_ROUNDS 5000
static KSPIN_LOCK MxLock;
static EX_SPIN_LOCK MxRwLock;
static ULONG MxCounter;
static volatile LONG MxOverlap;

static VOID QueuedCounterThread(PVOID Context)
{
    KLOCK_QUEUE_HANDLE h;
    int i;
    UNREFERENCED_PARAMETER(Context);
    for (i = 0; i < MX_ROUNDS; i++) {
        KeAcquireInStackQueuedSpinLock(&MxLock, &h);
        MxCounter++;
        KeReleaseInStackQueuedSpinLock(&h);
    }
}

static VOID RwCounterThread(PVOID Context)
{
    KIRQL old;
    int i;
    for (i = 0; i < MX_ROUNDS; i++) {
        if ((ULONG_PTR)Context & 1) {
            old = ExAcquireSpinLockExclusive(&MxRwLock);
            MxCounter++;
            ExReleaseSpinLockExclusive(&MxRwLock, old);
        } else {
            old = ExAcquireSpinLockShared(&MxRwLock);
            /* No writer inside while a reader is: the lock word has no exclusive bit. */
            if (MxRwLock & 0x80000000)
                InterlockedIncrement(&MxOverlap);
            ExReleaseSpinLockShared(&MxRwLock, old);
        }
    }
}

static void RunThreads(PKSTART_ROUTINE Routine)
{
    PKTHREAD t[MX_THREADS];
    ULONG_PTR i;
    for (i = 0; i < MX_THREADS; i++)
        t[i] = KmtStartThread(Routine, (PVOID)i);
    for (i = 0; i < MX_THREADS; i++)
        KmtJoinThread(t[i]);
}

static void TestMutualExclusion(void)
{
    KeInitializeSpinLock(&MxLock);
    MxCounter = 0;
    RunThreads(QueuedCounterThread);
    CHECK_EQ(MxCounter, MX_THREADS * MX_ROUNDS);
    CHECK_EQ(MxLock, 0);

    MxRwLock = 0;
    MxCounter = 0;
    RunThreads(RwCounterThread);
    CHECK_EQ(MxCounter, (MX_THREADS / 2) * MX_ROUNDS);
    CHECK_EQ(MxOverlap, 0);
    CHECK_EQ(MxRwLock, 0);
}

/* Request order: the holder (this thread, processor 0) lets one waiter at a time go and sees
 * it queue itself (the lock word names its handle) before letting the next go; on release
 * they get the lock in that order. */
#define FIFO_WAITERS 3
static KSPIN_LOCK FifoLock;
static KEVENT FifoGo[FIFO_WAITERS];
static PKLOCK_QUEUE_HANDLE volatile FifoHandle[FIFO_WAITERS];
static LONG FifoOrder[FIFO_WAITERS];

static VOID FifoThread(PVOID Context)
{
    ULONG index = (ULONG)(ULONG_PTR)Context;
    KLOCK_QUEUE_HANDLE h;
    KmtRunOn(1 + index);
    KmtWait(&FifoGo[index]);
    FifoHandle[index] = &h;
    KeAcquireInStackQueuedSpinLock(&FifoLock, &h);
    FifoOrder[index] = KmtStamp();
    KeReleaseInStackQueuedSpinLock(&h);
}

static void TestQueuedFifo(void)
{
    ULONG waiters = KmtProcessors() - 1, i;
    PKTHREAD t[FIFO_WAITERS];
    KLOCK_QUEUE_HANDLE h;
    KAFFINITY prev;

    if (waiters > FIFO_WAITERS)
        waiters = FIFO_WAITERS;
    if (waiters < 2) {
        DbgPrint("kmtest_spinlock: request order needs 3 processors, %u here: skipped\n",
                 KmtProcessors());
        return;
    }
    KeInitializeSpinLock(&FifoLock);
    KmtOrderNext = 0;
    for (i = 0; i < waiters; i++) {
        KeInitializeEvent(&FifoGo[i], NotificationEvent, FALSE);
        t[i] = KmtStartThread(FifoThread, (PVOID)(ULONG_PTR)i);
    }
    prev = KeSetSystemAffinityThreadEx(1);
    KeAcquireInStackQueuedSpinLock(&FifoLock, &h);
    for (i = 0; i < waiters; i++) {
        KeSetEvent(&FifoGo[i], IO_NO_INCREMENT, FALSE);
        KMT_SPIN_UNTIL(FifoHandle[i] != NULL &&
                       __atomic_load_n(&FifoLock, __ATOMIC_ACQUIRE) ==
                           (ULONG_PTR)&FifoHandle[i]->LockQueue);
    }
    KeReleaseInStackQueuedSpinLock(&h);
    for (i = 0; i < waiters; i++)
        KmtJoinThread(t[i]);
    KeRevertToUserAffinityThreadEx(prev);
    for (i = 0; i < waiters; i++)
        CHECK_EQ(FifoOrder[i], (LONG)i + 1);
    CHECK_EQ(FifoLock, 0);
}

static void TestRwBasics(void)
{
    EX_SPIN_LOCK lock = 0;
    KIRQL old, old2;

    CHECK_EQ(sizeof(EX_SPIN_LOCK), 4);
    old = ExAcquireSpinLockShared(&lock);
    CHECK_EQ(old, PASSIVE_LEVEL);
    CHECK_EQ(KeGetCurrentIrql(), DISPATCH_LEVEL);
    CHECK(lock != 0);
    CHECK(!KeAreApcsDisabled());
    ExReleaseSpinLockShared(&lock, old);
    CHECK_EQ(KeGetCurrentIrql(), PASSIVE_LEVEL);
    CHECK_EQ(lock, 0);

    KeRaiseIrql(APC_LEVEL, &old2);
    old = ExAcquireSpinLockExclusive(&lock);
    CHECK_EQ(old, APC_LEVEL);
    CHECK(lock != 0);
    ExReleaseSpinLockExclusive(&lock, old);
    CHECK_EQ(KeGetCurrentIrql(), APC_LEVEL);
    KeLowerIrql(old2);
    CHECK_EQ(lock, 0);

    /* AtDpcLevel forms leave the IRQL alone. */
    old = KeRaiseIrqlToDpcLevel();
    ExAcquireSpinLockSharedAtDpcLevel(&lock);
    ExReleaseSpinLockSharedFromDpcLevel(&lock);
    ExAcquireSpinLockExclusiveAtDpcLevel(&lock);
    ExReleaseSpinLockExclusiveFromDpcLevel(&lock);
    CHECK_EQ(KeGetCurrentIrql(), DISPATCH_LEVEL);
    KeLowerIrql(old);
    CHECK_EQ(lock, 0);

    /* The sole reader converts to exclusive, then releases as a writer. */
    old = ExAcquireSpinLockShared(&lock);
    CHECK(ExTryConvertSharedSpinLockExclusive(&lock));
    ExReleaseSpinLockExclusive(&lock, old);
    CHECK_EQ(lock, 0);
}

/* Two readers at once; a waiting writer keeps a new reader out and goes first; conversion
 * fails while another reader holds the lock or a writer waits. */
static EX_SPIN_LOCK RwLock;
static KEVENT RwReaderIn, RwReaderGo, RwWriterGo, RwLateGo;
static volatile LONG RwWriterOrder, RwReaderOrder, RwReaderTrying, RwWriterTrying;

/* The concurrent reader: holds the lock shared until told to go. */
static VOID RwReaderThread(PVOID Context)
{
    KIRQL old;
    UNREFERENCED_PARAMETER(Context);
    KmtRunOn(1);
    old = ExAcquireSpinLockShared(&RwLock);
    KeLowerIrql(old); /* holding a spin lock below DISPATCH_LEVEL: test scaffolding only */
    KeSetEvent(&RwReaderIn, IO_NO_INCREMENT, FALSE);
    KmtWait(&RwReaderGo);
    KeRaiseIrql(DISPATCH_LEVEL, &old);
    ExReleaseSpinLockShared(&RwLock, PASSIVE_LEVEL);
}

/* The late reader: arrives while the writer waits. */
static VOID RwLateThread(PVOID Context)
{
    KIRQL old;
    UNREFERENCED_PARAMETER(Context);
    KmtRunOn(2);
    KmtWait(&RwLateGo);
    InterlockedExchange(&RwReaderTrying, 1);
    old = ExAcquireSpinLockShared(&RwLock);
    RwReaderOrder = KmtStamp();
    ExReleaseSpinLockShared(&RwLock, old);
}

static VOID RwWriterThread(PVOID Context)
{
    KIRQL old;
    UNREFERENCED_PARAMETER(Context);
    KmtRunOn(1);
    KmtWait(&RwWriterGo);
    InterlockedExchange(&RwWriterTrying, 1);
    old = ExAcquireSpinLockExclusive(&RwLock);
    RwWriterOrder = KmtStamp();
    ExReleaseSpinLockExclusive(&RwLock, old);
}

static void TestRwConcurrency(void)
{
    PKTHREAD reader, writer, late;
    KAFFINITY prev;
    KIRQL old;

    RwLock = 0;
    KmtOrderNext = 0;
    KeInitializeEvent(&RwReaderIn, NotificationEvent, FALSE);
    KeInitializeEvent(&RwReaderGo, NotificationEvent, FALSE);
    KeInitializeEvent(&RwWriterGo, NotificationEvent, FALSE);
    KeInitializeEvent(&RwLateGo, NotificationEvent, FALSE);

    /* Two readers hold it at once; the conversion fails while the other reader is in. */
    reader = KmtStartThread(RwReaderThread, NULL);
    KmtWait(&RwReaderIn);
    old = ExAcquireSpinLockShared(&RwLock);
    CHECK_EQ(RwLock & 0x3FFFFFFF, 2);
    CHECK(!ExTryConvertSharedSpinLockExclusive(&RwLock));
    ExReleaseSpinLockShared(&RwLock, old);
    KeSetEvent(&RwReaderGo, IO_NO_INCREMENT, FALSE);
    KmtJoinThread(reader);
    CHECK_EQ(RwLock, 0);

    /* The writer spins on a processor of its own while this one holds the lock. */
    if (KmtProcessors() < 2) {
        DbgPrint("kmtest_spinlock: writer preference needs 2 processors, %u here: skipped\n",
                 KmtProcessors());
        return;
    }
    writer = KmtStartThread(RwWriterThread, NULL);
    late = KmtStartThread(RwLateThread, NULL);
    prev = KeSetSystemAffinityThreadEx(1);
    old = ExAcquireSpinLockShared(&RwLock);
    KeSetEvent(&RwWriterGo, IO_NO_INCREMENT, FALSE);
    /* The writer waits (it has announced itself in the lock word) ... */
    KMT_SPIN_UNTIL(RwWriterTrying && (RwLock & 0x40000000));
    /* ... so the sole reader cannot convert, and a new reader waits behind the writer. */
    CHECK(!ExTryConvertSharedSpinLockExclusive(&RwLock));
    KeSetEvent(&RwLateGo, IO_NO_INCREMENT, FALSE);
    KMT_SPIN_UNTIL(RwReaderTrying);
    ExReleaseSpinLockShared(&RwLock, old);
    KmtJoinThread(writer);
    KmtJoinThread(late);
    KeRevertToUserAffinityThreadEx(prev);
    CHECK_EQ(RwWriterOrder, 1);
    CHECK_EQ(RwReaderOrder, 2);
    CHECK_EQ(RwLock, 0);
}

NTSTATUS DriverEntry(PDRIVER_OBJECT DriverObject, PUNICODE_STRING RegistryPath)
{
    UNREFERENCED_PARAMETER(DriverObject);
    UNREFERENCED_PARAMETER(RegistryPath);
    DbgPrint("kmtest_spinlock: processors=%u\n", KmtProcessors());
    KMT_RUN("kmtest_spinlock", TestSpinLockBasics());
    KMT_RUN("kmtest_spinlock", TestQueuedBasics());
    KMT_RUN("kmtest_spinlock", TestMutualExclusion());
    KMT_RUN("kmtest_spinlock", TestQueuedFifo());
    KMT_RUN("kmtest_spinlock", TestRwBasics());
    KMT_RUN("kmtest_spinlock", TestRwConcurrency());
    return KmtFinish("kmtest_spinlock");
}
