/* Kernel-mechanism benchmarks, run in DriverEntry: the KeRaiseIrql/KeLowerIrql pair against an
 * uncontended atomic exchange; DPC queue-to-run latency (same and other processor); and timer
 * lateness for 1 ms and 10 ms periodic timers (real clock). Each figure beside its baseline. */
#include <ntddk.h>
#include <time.h>

static ULONGLONG NowNs(VOID)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (ULONGLONG)t.tv_sec * 1000000000ULL + (ULONGLONG)t.tv_nsec;
}

static volatile LONG Sink;
static volatile ULONGLONG DpcRanAt;
static KEVENT DpcDone;

static VOID LatencyDpc(PKDPC Dpc, PVOID Context, PVOID Arg1, PVOID Arg2)
{
    UNREFERENCED_PARAMETER(Dpc);
    UNREFERENCED_PARAMETER(Context);
    UNREFERENCED_PARAMETER(Arg1);
    UNREFERENCED_PARAMETER(Arg2);
    DpcRanAt = NowNs();
    KeSetEvent(&DpcDone, 0, FALSE);
}

static VOID BenchIrql(VOID)
{
    const LONG N = 2000000;
    double best_irql = 1e300, best_xchg = 1e300;
    int round;
    for (round = 0; round < 5; round++) {
        ULONGLONG t0 = NowNs(), t1;
        LONG i;
        for (i = 0; i < N; i++) {
            KIRQL Old;
            KeRaiseIrql(DISPATCH_LEVEL, &Old);
            KeLowerIrql(Old);
        }
        t1 = NowNs();
        if ((double)(t1 - t0) / N < best_irql)
            best_irql = (double)(t1 - t0) / N;
        t0 = NowNs();
        for (i = 0; i < N; i++)
            __atomic_exchange_n(&Sink, i, __ATOMIC_SEQ_CST);
        t1 = NowNs();
        if ((double)(t1 - t0) / N < best_xchg)
            best_xchg = (double)(t1 - t0) / N;
    }
    DbgPrint("KeRaiseIrql+KeLowerIrql (PASSIVE<->DISPATCH): %d.%d ns; atomic exchange: %d.%d ns; "
             "ratio %d.%02dx (goal <= 3x)\n",
             (int)best_irql, (int)(best_irql * 10) % 10, (int)best_xchg,
             (int)(best_xchg * 10) % 10, (int)(best_irql / best_xchg),
             (int)(best_irql / best_xchg * 100) % 100);
}

static VOID BenchDpc(ULONG Target, const char *What)
{
    KDPC Dpc;
    ULONGLONG Total = 0, Best = ~0ULL;
    int i, Runs = 200;
    KeInitializeEvent(&DpcDone, SynchronizationEvent, FALSE);
    KeInitializeDpc(&Dpc, LatencyDpc, NULL);
    KeSetTargetProcessorDpc(&Dpc, (CCHAR)Target);
    for (i = 0; i < Runs; i++) {
        ULONGLONG Start = NowNs(), Latency;
        KeInsertQueueDpc(&Dpc, NULL, NULL);
        KeWaitForSingleObject(&DpcDone, Executive, KernelMode, FALSE, NULL);
        Latency = DpcRanAt - Start;
        Total += Latency;
        if (Latency < Best)
            Best = Latency;
    }
    DbgPrint("DPC queue->run, %s: mean %I64u ns, best %I64u ns (%d runs)\n", What, Total / Runs,
             Best, Runs);
}

static KTIMER Timer;
static KDPC TimerDpc;
static volatile LONG Ticks;
static ULONGLONG Lateness, WorstLateness, TimerStart;
static LONG Period;

static VOID TimerRoutine(PKDPC Dpc, PVOID Context, PVOID Arg1, PVOID Arg2)
{
    LONG Tick = InterlockedIncrement(&Ticks);
    ULONGLONG Due = TimerStart + (ULONGLONG)Tick * (ULONGLONG)Period * 1000000ULL;
    ULONGLONG Now = NowNs(), Late = Now > Due ? Now - Due : 0;
    UNREFERENCED_PARAMETER(Dpc);
    UNREFERENCED_PARAMETER(Context);
    UNREFERENCED_PARAMETER(Arg1);
    UNREFERENCED_PARAMETER(Arg2);
    Lateness += Late;
    if (Late > WorstLateness)
        WorstLateness = Late;
    if (Tick == 100)
        KeSetEvent(&DpcDone, 0, FALSE);
}

static VOID BenchTimer(LONG PeriodMs)
{
    LARGE_INTEGER Due;
    KeInitializeEvent(&DpcDone, NotificationEvent, FALSE);
    KeInitializeTimer(&Timer);
    KeInitializeDpc(&TimerDpc, TimerRoutine, NULL);
    Ticks = 0;
    Lateness = WorstLateness = 0;
    Period = PeriodMs;
    Due.QuadPart = -10000LL * PeriodMs;
    TimerStart = NowNs();
    KeSetTimerEx(&Timer, Due, PeriodMs, &TimerDpc);
    KeWaitForSingleObject(&DpcDone, Executive, KernelMode, FALSE, NULL);
    KeCancelTimer(&Timer);
    KeFlushQueuedDpcs();
    DbgPrint("periodic timer %d ms: mean lateness %I64u us, worst %I64u us (100 ticks)\n",
             PeriodMs, Lateness / 100 / 1000, WorstLateness / 1000);
}

static VOID Unload(PDRIVER_OBJECT DriverObject)
{
    UNREFERENCED_PARAMETER(DriverObject);
}

NTSTATUS DriverEntry(PDRIVER_OBJECT DriverObject, PUNICODE_STRING RegistryPath)
{
    UNREFERENCED_PARAMETER(RegistryPath);
    DriverObject->DriverUnload = Unload;
    BenchIrql();
    BenchDpc(KeGetCurrentProcessorNumber(), "same processor, from PASSIVE_LEVEL");
    if (KeQueryActiveProcessorCount(NULL) > 1)
        BenchDpc((KeGetCurrentProcessorNumber() + 1) % KeQueryActiveProcessorCount(NULL),
                 "other processor");
    BenchTimer(1);
    BenchTimer(10);
    return STATUS_SUCCESS;
}
