/* Synchronization benchmarks, run in DriverEntry, each figure beside a baseline measured in
 * the same run: an event ping-pong between two kernel threads against a raw futex ping-pong
 * between two pthreads; the spin lock acquire/release pair against a raw atomic-exchange lock;
 * the fairness of queued (and, for contrast, plain) spin locks under contention; ERESOURCE
 * shared acquire/release throughput with one and four threads. Run it with and without
 * `--verifier none` to see what the deadlock detector costs. Figures only: nothing asserts on
 * time. */
#include <ntddk.h>
#include <linux/futex.h>
#include <pthread.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

static ULONGLONG NowNs(VOID)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (ULONGLONG)t.tv_sec * 1000000000ULL + (ULONGLONG)t.tv_nsec;
}

/* "12.3" for a figure in ns (DbgPrint has no %f). */
#define F1(x) (int)(x), (int)((x) * 10) % 10
#define F2(x) (int)(x), (int)((x) * 100) % 100

static PKTHREAD StartThread(PKSTART_ROUTINE Routine, PVOID Context)
{
    HANDLE Handle;
    PVOID Object = NULL;
    if (!NT_SUCCESS(PsCreateSystemThread(&Handle, THREAD_ALL_ACCESS, NULL, NULL, NULL, Routine,
                                         Context)))
        return NULL;
    ObReferenceObjectByHandle(Handle, SYNCHRONIZE, *PsThreadType, KernelMode, &Object, NULL);
    ZwClose(Handle);
    return Object;
}

static VOID JoinThread(PKTHREAD Thread)
{
    if (Thread == NULL)
        return;
    KeWaitForSingleObject(Thread, Executive, KernelMode, FALSE, NULL);
    ObDereferenceObject(Thread);
}

/* ---- event ping-pong vs futex ping-pong ---- */

#define PING_ROUNDS 20000
static KEVENT Ping, Pong;

static VOID PongThread(PVOID Context)
{
    ULONG i;
    UNREFERENCED_PARAMETER(Context);
    for (i = 0; i < PING_ROUNDS; i++) {
        KeWaitForSingleObject(&Ping, Executive, KernelMode, FALSE, NULL);
        KeSetEvent(&Pong, IO_NO_INCREMENT, FALSE);
    }
}

static double EventPingPong(VOID)
{
    PKTHREAD Thread;
    ULONGLONG t0;
    ULONG i;
    KeInitializeEvent(&Ping, SynchronizationEvent, FALSE);
    KeInitializeEvent(&Pong, SynchronizationEvent, FALSE);
    Thread = StartThread(PongThread, NULL);
    t0 = NowNs();
    for (i = 0; i < PING_ROUNDS; i++) {
        KeSetEvent(&Ping, IO_NO_INCREMENT, FALSE);
        KeWaitForSingleObject(&Pong, Executive, KernelMode, FALSE, NULL);
    }
    t0 = NowNs() - t0;
    JoinThread(Thread);
    return (double)t0 / PING_ROUNDS;
}

/* The same exchange with nothing but a futex word per direction: the wakee's word is set,
 * then it is woken; a waiter sleeps while its word is 0. */
static volatile int FutexPing, FutexPong;

static void FutexSignal(volatile int *Word)
{
    __atomic_store_n(Word, 1, __ATOMIC_RELEASE);
    syscall(SYS_futex, Word, FUTEX_WAKE_PRIVATE, 1, NULL, NULL, 0);
}

static void FutexWait(volatile int *Word)
{
    while (__atomic_exchange_n(Word, 0, __ATOMIC_ACQUIRE) == 0)
        syscall(SYS_futex, Word, FUTEX_WAIT_PRIVATE, 0, NULL, NULL, 0);
}

static void *FutexPongThread(void *Argument)
{
    ULONG i;
    (void)Argument;
    for (i = 0; i < PING_ROUNDS; i++) {
        FutexWait(&FutexPing);
        FutexSignal(&FutexPong);
    }
    return NULL;
}

static double FutexPingPong(VOID)
{
    pthread_t Thread;
    ULONGLONG t0;
    ULONG i;
    FutexPing = FutexPong = 0;
    if (pthread_create(&Thread, NULL, FutexPongThread, NULL) != 0)
        return 0;
    t0 = NowNs();
    for (i = 0; i < PING_ROUNDS; i++) {
        FutexSignal(&FutexPing);
        FutexWait(&FutexPong);
    }
    t0 = NowNs() - t0;
    pthread_join(Thread, NULL);
    return (double)t0 / PING_ROUNDS;
}

static VOID BenchPingPong(VOID)
{
    double Event = 1e300, Futex = 1e300;
    int Round;
    for (Round = 0; Round < 3; Round++) {
        double e = EventPingPong(), f = FutexPingPong();
        if (e < Event)
            Event = e;
        if (f < Futex)
            Futex = f;
    }
    DbgPrint("event ping-pong (KeSetEvent + KeWaitForSingleObject, 2 kernel threads): %d.%d us "
             "per round trip; futex ping-pong (2 pthreads): %d.%d us; ratio %d.%02dx "
             "(goal <= 1.3x)\n",
             F1(Event / 1000), F1(Futex / 1000), F2(Event / Futex));
}

/* ---- spin lock pair vs atomic exchange ---- */

static KSPIN_LOCK LockA, LockB;
static volatile LONG RawLock;

static VOID BenchSpinLock(VOID)
{
    const LONG N = 2000000;
    double Pair = 1e300, DpcPair = 1e300, Nested = 1e300, Raw = 1e300;
    int Round;
    for (Round = 0; Round < 5; Round++) {
        ULONGLONG t0;
        KIRQL Old;
        LONG i;
        t0 = NowNs();
        for (i = 0; i < N; i++) {
            KeAcquireSpinLock(&LockA, &Old);
            KeReleaseSpinLock(&LockA, Old);
        }
        t0 = NowNs() - t0;
        if ((double)t0 / N < Pair)
            Pair = (double)t0 / N;
        KeRaiseIrql(DISPATCH_LEVEL, &Old);
        t0 = NowNs();
        for (i = 0; i < N; i++) {
            KeAcquireSpinLockAtDpcLevel(&LockA);
            KeReleaseSpinLockFromDpcLevel(&LockA);
        }
        t0 = NowNs() - t0;
        if ((double)t0 / N < DpcPair)
            DpcPair = (double)t0 / N;
        t0 = NowNs();
        for (i = 0; i < N; i++) {
            KeAcquireSpinLockAtDpcLevel(&LockA);
            KeAcquireSpinLockAtDpcLevel(&LockB);
            KeReleaseSpinLockFromDpcLevel(&LockB);
            KeReleaseSpinLockFromDpcLevel(&LockA);
        }
        t0 = NowNs() - t0;
        if ((double)t0 / N < Nested)
            Nested = (double)t0 / N;
        KeLowerIrql(Old);
        t0 = NowNs();
        for (i = 0; i < N; i++) {
            while (__atomic_exchange_n(&RawLock, 1, __ATOMIC_ACQUIRE) != 0)
                ;
            __atomic_store_n(&RawLock, 0, __ATOMIC_RELEASE);
        }
        t0 = NowNs() - t0;
        if ((double)t0 / N < Raw)
            Raw = (double)t0 / N;
    }
    DbgPrint("raw lock (atomic exchange + store): %d.%d ns\n", F1(Raw));
    DbgPrint("KeAcquireSpinLockAtDpcLevel + KeReleaseSpinLockFromDpcLevel: %d.%d ns; ratio "
             "%d.%02dx (goal <= 3x)\n", F1(DpcPair), F2(DpcPair / Raw));
    DbgPrint("KeAcquireSpinLock + KeReleaseSpinLock (with the IRQL raise and lower): %d.%d ns; "
             "ratio %d.%02dx\n", F1(Pair), F2(Pair / Raw));
    DbgPrint("two nested spin locks, A then B, at DISPATCH_LEVEL: %d.%d ns\n", F1(Nested));
}

/* ---- fairness under contention ---- */

#define FAIR_THREADS 4
#define FAIR_TOTAL 400000
static KSPIN_LOCK FairLock;
static volatile LONG FairReady, FairGo, FairStop, FairTotal;
static LONG FairCount[FAIR_THREADS];
static BOOLEAN FairQueued;

static VOID FairThread(PVOID Context)
{
    ULONG Me = (ULONG)(ULONG_PTR)Context;
    InterlockedIncrement(&FairReady);
    while (!__atomic_load_n(&FairGo, __ATOMIC_ACQUIRE))
        YieldProcessor();
    while (!__atomic_load_n(&FairStop, __ATOMIC_RELAXED)) {
        KLOCK_QUEUE_HANDLE h;
        KIRQL Old = PASSIVE_LEVEL;
        if (FairQueued)
            KeAcquireInStackQueuedSpinLock(&FairLock, &h);
        else
            KeAcquireSpinLock(&FairLock, &Old);
        FairCount[Me]++;
        if (++FairTotal >= FAIR_TOTAL)
            __atomic_store_n(&FairStop, 1, __ATOMIC_RELAXED);
        if (FairQueued)
            KeReleaseInStackQueuedSpinLock(&h);
        else
            KeReleaseSpinLock(&FairLock, Old);
    }
}

static VOID BenchFairness(BOOLEAN Queued)
{
    PKTHREAD Threads[FAIR_THREADS];
    LONG Max = 0, Min = 0x7FFFFFFF;
    ULONGLONG t0;
    ULONG i;
    FairQueued = Queued;
    FairReady = FairGo = FairStop = FairTotal = 0;
    for (i = 0; i < FAIR_THREADS; i++) {
        FairCount[i] = 0;
        Threads[i] = StartThread(FairThread, (PVOID)(ULONG_PTR)i);
    }
    while (__atomic_load_n(&FairReady, __ATOMIC_ACQUIRE) != FAIR_THREADS)
        YieldProcessor();
    t0 = NowNs();
    __atomic_store_n(&FairGo, 1, __ATOMIC_RELEASE);
    for (i = 0; i < FAIR_THREADS; i++)
        JoinThread(Threads[i]);
    t0 = NowNs() - t0;
    for (i = 0; i < FAIR_THREADS; i++) {
        if (FairCount[i] > Max)
            Max = FairCount[i];
        if (FairCount[i] < Min)
            Min = FairCount[i];
    }
    DbgPrint("%s under contention, %d threads, %d acquisitions: per thread %d %d %d %d, "
             "max/min %d.%02d; %d.%d ns per acquisition\n",
             Queued ? "in-stack queued spin lock" : "spin lock (KeAcquireSpinLock)", FAIR_THREADS,
             (int)FairTotal, (int)FairCount[0], (int)FairCount[1], (int)FairCount[2],
             (int)FairCount[3], F2(Min ? (double)Max / Min : 0.0), F1((double)t0 / FairTotal));
}

/* ---- ERESOURCE shared throughput ---- */

#define RES_OPS 1000000
static ERESOURCE Resource;
static volatile LONG ResGo, ResReady;

static VOID SharedThread(PVOID Context)
{
    LONG i, n = (LONG)(ULONG_PTR)Context;
    InterlockedIncrement(&ResReady);
    while (!__atomic_load_n(&ResGo, __ATOMIC_ACQUIRE))
        YieldProcessor();
    KeEnterCriticalRegion();
    for (i = 0; i < n; i++) {
        ExAcquireResourceSharedLite(&Resource, TRUE);
        ExReleaseResourceLite(&Resource);
    }
    KeLeaveCriticalRegion();
}

static VOID BenchResource(ULONG Threads)
{
    PKTHREAD t[4];
    ULONGLONG t0;
    ULONG i;
    ResGo = ResReady = 0;
    for (i = 0; i < Threads; i++)
        t[i] = StartThread(SharedThread, (PVOID)(ULONG_PTR)(RES_OPS / Threads));
    while (__atomic_load_n(&ResReady, __ATOMIC_ACQUIRE) != (LONG)Threads)
        YieldProcessor();
    t0 = NowNs();
    __atomic_store_n(&ResGo, 1, __ATOMIC_RELEASE);
    for (i = 0; i < Threads; i++)
        JoinThread(t[i]);
    t0 = NowNs() - t0;
    DbgPrint("ERESOURCE shared acquire + release, %u thread%s: %d.%d M ops/s (%d.%d ns per "
             "pair)\n", Threads, Threads == 1 ? "" : "s",
             F1((double)RES_OPS * 1000.0 / (double)t0), F1((double)t0 / RES_OPS));
}

static VOID Unload(PDRIVER_OBJECT DriverObject)
{
    UNREFERENCED_PARAMETER(DriverObject);
}

NTSTATUS DriverEntry(PDRIVER_OBJECT DriverObject, PUNICODE_STRING RegistryPath)
{
    UNREFERENCED_PARAMETER(RegistryPath);
    DriverObject->DriverUnload = Unload;
    KeInitializeSpinLock(&LockA);
    KeInitializeSpinLock(&LockB);
    KeInitializeSpinLock(&FairLock);
    ExInitializeResourceLite(&Resource);
    BenchPingPong();
    BenchSpinLock();
    BenchFairness(TRUE);
    BenchFairness(FALSE);
    BenchResource(1);
    BenchResource(4);
    ExDeleteResourceLite(&Resource);
    return STATUS_SUCCESS;
}
