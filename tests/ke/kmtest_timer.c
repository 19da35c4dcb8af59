/* kmtest_timer: timers and time, from the WDK pages of KeInitializeTimer(Ex), KeSetTimer(Ex),
 * KeCancelTimer, KeReadStateTimer, KeQuerySystemTime(Precise), KeQueryInterruptTime,
 * KeQueryPerformanceCounter, KeQueryTickCount, KeQueryTimeIncrement, KeDelayExecutionThread and
 * KeStallExecutionProcessor. Every assertion holds in real time and under --virtual-time: only
 * orderings and "at least" relations, never an upper bound on how long something took.
 *     ntk run [--cpus N] [--virtual-time] --driver kmtest_timer.so    exits 0 when all passed */
#include "kmtest_ke.h"

/* 2020-01-01 and 2200-01-01 as NT system times (100 ns since 1601-01-01 UTC). */
#define SYSTIME_2020 132223104000000000LL
#define SYSTIME_2200 195336576000000000LL

static ULONG Increment;

typedef struct {
    volatile LONG Runs;
    KEVENT Done;          /* set on every run */
    KEVENT Third;         /* set on the third run */
    PKTIMER Timer;
    BOOLEAN TimerSignaledInDpc;
    KIRQL Irql;
    PVOID Context;
    ULONGLONG InterruptTime[8];
} TIMER_SEEN;

static VOID TimerDpc(PKDPC Dpc, PVOID Context, PVOID Arg1, PVOID Arg2)
{
    TIMER_SEEN *seen = (TIMER_SEEN *)Context;
    UNREFERENCED_PARAMETER(Dpc);
    UNREFERENCED_PARAMETER(Arg1);
    UNREFERENCED_PARAMETER(Arg2);
    LONG n = InterlockedIncrement(&seen->Runs);
    seen->Irql = KeGetCurrentIrql();
    seen->Context = Context;
    if (seen->Timer != NULL && n == 1)
        seen->TimerSignaledInDpc = KeReadStateTimer(seen->Timer);
    if (n <= 8)
        seen->InterruptTime[n - 1] = KeQueryInterruptTime();
    KeSetEvent(&seen->Done, IO_NO_INCREMENT, FALSE);
    if (n == 3)
        KeSetEvent(&seen->Third, IO_NO_INCREMENT, FALSE);
}

static void SeenInit(TIMER_SEEN *Seen, PKTIMER Timer)
{
    RtlZeroMemory(Seen, sizeof(*Seen));
    Seen->Timer = Timer;
    Seen->Irql = 0xFF;
    KeInitializeEvent(&Seen->Done, SynchronizationEvent, FALSE);
    KeInitializeEvent(&Seen->Third, NotificationEvent, FALSE);
}

static LARGE_INTEGER Relative(LONGLONG Interval100ns)
{
    LARGE_INTEGER due;
    due.QuadPart = -Interval100ns;
    return due;
}

static void TestInitialize(void)
{
    KTIMER timer;

    RtlFillMemory(&timer, sizeof(timer), 0xCC);
    KeInitializeTimer(&timer);
    CHECK_EQ(timer.Header.Type, TimerNotificationObject);
    CHECK_EQ(timer.Header.SignalState, 0);
    CHECK(!KeReadStateTimer(&timer));

    RtlFillMemory(&timer, sizeof(timer), 0xCC);
    KeInitializeTimerEx(&timer, NotificationTimer);
    CHECK_EQ(timer.Header.Type, TimerNotificationObject);
    CHECK(!KeReadStateTimer(&timer));

    RtlFillMemory(&timer, sizeof(timer), 0xCC);
    KeInitializeTimerEx(&timer, SynchronizationTimer);
    CHECK_EQ(timer.Header.Type, TimerSynchronizationObject);
    CHECK_EQ(timer.Header.SignalState, 0);
    CHECK(!KeReadStateTimer(&timer));
    /* Never set: cancelling is FALSE. */
    CHECK(!KeCancelTimer(&timer));
}

/* KeSetTimer's result says whether the timer was already set; KeCancelTimer's, whether it was
 * still set. A cancelled timer never signals and its DPC never runs. */
static void TestSetCancel(void)
{
    KTIMER timer;
    KDPC dpc;
    TIMER_SEEN seen;

    KeInitializeTimer(&timer);
    SeenInit(&seen, &timer);
    KeInitializeDpc(&dpc, TimerDpc, &seen);
    CHECK(!KeSetTimer(&timer, Relative(KMT_SEC(3600)), &dpc));
    CHECK(!KeReadStateTimer(&timer));
    CHECK(KeSetTimer(&timer, Relative(KMT_SEC(3600)), &dpc));
    CHECK(KeSetTimerEx(&timer, Relative(KMT_SEC(3600)), 0, &dpc));
    CHECK(!KeReadStateTimer(&timer));
    CHECK(KeCancelTimer(&timer));
    CHECK(!KeCancelTimer(&timer));
    /* Set 50 ms away and cancelled at once (at DISPATCH_LEVEL, so that nothing on this
     * processor comes in between), then let that due time pass: nothing happens. */
    KIRQL old = KeRaiseIrqlToDpcLevel();
    BOOLEAN wasSet = KeSetTimer(&timer, Relative(KMT_MS(50)), &dpc);
    BOOLEAN cancelled = KeCancelTimer(&timer);
    KeLowerIrql(old);
    CHECK(!wasSet);
    CHECK(cancelled);
    KmtDelay(KMT_MS(150));
    KeFlushQueuedDpcs();
    CHECK_EQ(seen.Runs, 0);
    CHECK(!KeReadStateTimer(&timer));
    CHECK_STATUS(KmtPoll(&timer), STATUS_TIMEOUT);
    /* Cancelling again, and a timer that was cancelled can be set again. */
    CHECK(!KeCancelTimer(&timer));
    CHECK(!KeSetTimer(&timer, Relative(KMT_SEC(3600)), &dpc));
    CHECK(KeCancelTimer(&timer));
}

/* A notification timer: FALSE until it expires, then TRUE and stays signaled; waiters are
 * released; its DPC runs after it was signaled, at DISPATCH_LEVEL. Setting it again clears
 * the signal. */
static void TestNotificationExpiry(void)
{
    KTIMER timer;
    KDPC dpc;
    TIMER_SEEN seen;

    KeInitializeTimerEx(&timer, NotificationTimer);
    SeenInit(&seen, &timer);
    KeInitializeDpc(&dpc, TimerDpc, &seen);
    ULONGLONG before = KeQueryInterruptTime();
    CHECK(!KeSetTimer(&timer, Relative(KMT_MS(20)), &dpc));
    CHECK_STATUS(KmtWait(&timer), STATUS_SUCCESS);
    ULONGLONG after = KeQueryInterruptTime();
    CHECK(KeReadStateTimer(&timer));
    /* Still signaled: a notification timer is not reset by a wait. */
    CHECK_STATUS(KmtPoll(&timer), STATUS_SUCCESS);
    CHECK_STATUS(KmtPoll(&timer), STATUS_SUCCESS);
    CHECK(after + Increment >= before + KMT_MS(20));
    CHECK_STATUS(KmtWait(&seen.Done), STATUS_SUCCESS);
    KeFlushQueuedDpcs();
    CHECK_EQ(seen.Runs, 1);
    CHECK(seen.TimerSignaledInDpc);
    CHECK_EQ(seen.Irql, DISPATCH_LEVEL);
    CHECK(seen.Context == &seen);
    CHECK(seen.InterruptTime[0] + Increment >= before + KMT_MS(20));
    /* Expired: no longer in the timer queue. */
    CHECK(!KeCancelTimer(&timer));
    CHECK(KeReadStateTimer(&timer));

    /* Setting it again resets it to not-signaled, and returns FALSE (it was not queued). */
    CHECK(!KeSetTimer(&timer, Relative(KMT_SEC(3600)), NULL));
    CHECK(!KeReadStateTimer(&timer));
    CHECK_STATUS(KmtPoll(&timer), STATUS_TIMEOUT);
    CHECK(KeCancelTimer(&timer));

    /* Without a DPC, with an absolute due time. */
    LARGE_INTEGER now, due;
    KeQuerySystemTimePrecise(&now);
    due.QuadPart = now.QuadPart + KMT_MS(20);
    CHECK(!KeSetTimer(&timer, due, NULL));
    CHECK_STATUS(KmtWait(&timer), STATUS_SUCCESS);
    KeQuerySystemTimePrecise(&now);
    CHECK(now.QuadPart >= due.QuadPart);
    CHECK(KeReadStateTimer(&timer));
}

/* A synchronization timer satisfies one waiter and resets. */
static KTIMER SyncTimer;
static volatile LONG SyncWoken;
static VOID SyncWaiter(PVOID Context)
{
    UNREFERENCED_PARAMETER(Context);
    if (KmtWait(&SyncTimer) == STATUS_SUCCESS)
        InterlockedIncrement(&SyncWoken);
    PsTerminateSystemThread(STATUS_SUCCESS);
}

static void TestSynchronizationTimer(void)
{
    KeInitializeTimerEx(&SyncTimer, SynchronizationTimer);

    /* One waiter: this thread. The wait consumes the signal. */
    CHECK(!KeSetTimer(&SyncTimer, Relative(KMT_MS(10)), NULL));
    CHECK_STATUS(KmtWait(&SyncTimer), STATUS_SUCCESS);
    CHECK(!KeReadStateTimer(&SyncTimer));
    CHECK_STATUS(KmtPoll(&SyncTimer), STATUS_TIMEOUT);

    /* Expired with nobody waiting: it stays signaled until one wait takes it. */
    CHECK(!KeSetTimer(&SyncTimer, Relative(KMT_MS(10)), NULL));
    KmtDelay(KMT_MS(50));
    CHECK(KeReadStateTimer(&SyncTimer));
    CHECK_STATUS(KmtPoll(&SyncTimer), STATUS_SUCCESS);
    CHECK(!KeReadStateTimer(&SyncTimer));
    CHECK_STATUS(KmtPoll(&SyncTimer), STATUS_TIMEOUT);

    /* Two waiting threads: each expiry releases exactly one of them. */
    SyncWoken = 0;
    PKTHREAD a = KmtStartThread(SyncWaiter, NULL);
    PKTHREAD b = KmtStartThread(SyncWaiter, NULL);
    KmtDelay(KMT_MS(50)); /* let both block (if one has not yet, it still takes one expiry) */
    CHECK(!KeSetTimer(&SyncTimer, Relative(KMT_MS(10)), NULL));
    while (SyncWoken == 0)
        KmtDelay(KMT_MS(5));
    KmtDelay(KMT_MS(100));
    CHECK_EQ(SyncWoken, 1);
    CHECK(!KeReadStateTimer(&SyncTimer));
    CHECK(!KeSetTimer(&SyncTimer, Relative(KMT_MS(10)), NULL));
    KmtJoinThread(a);
    KmtJoinThread(b);
    CHECK_EQ(SyncWoken, 2);
    CHECK(!KeReadStateTimer(&SyncTimer));
}

/* A periodic timer re-arms: its DPC runs again and again until cancelled, never after. */
static void TestPeriodic(void)
{
    KTIMER timer;
    KDPC dpc;
    TIMER_SEEN seen;

    KeInitializeTimerEx(&timer, NotificationTimer);
    SeenInit(&seen, &timer);
    KeInitializeDpc(&dpc, TimerDpc, &seen);
    ULONGLONG before = KeQueryInterruptTime();
    CHECK(!KeSetTimerEx(&timer, Relative(KMT_MS(10)), 20, &dpc));
    CHECK_STATUS(KmtWait(&seen.Third), STATUS_SUCCESS);
    /* Still set (it re-armed itself): cancelling is TRUE. */
    CHECK(KeCancelTimer(&timer));
    KeFlushQueuedDpcs();
    LONG runs = seen.Runs;
    CHECK(runs >= 3);
    /* Due at 10 ms, then every 20 ms: the n-th run is at least 10 + 20 (n - 1) ms in. */
    for (int i = 0; i < 3; i++)
        CHECK(seen.InterruptTime[i] + Increment >= before + KMT_MS(10) + (ULONGLONG)i * KMT_MS(20));
    for (int i = 1; i < 3; i++)
        CHECK(seen.InterruptTime[i] >= seen.InterruptTime[i - 1]);
    KmtDelay(KMT_MS(100));
    KeFlushQueuedDpcs();
    CHECK_EQ(seen.Runs, runs);
    CHECK(!KeCancelTimer(&timer));
}

/* Setting a timer again replaces its due time and its period. */
static void TestReset(void)
{
    KTIMER timer;
    KDPC dpc;
    TIMER_SEEN seen;

    /* An hour away and periodic, then re-set to a one-shot 10 ms away: it fires once. */
    KeInitializeTimerEx(&timer, NotificationTimer);
    SeenInit(&seen, &timer);
    KeInitializeDpc(&dpc, TimerDpc, &seen);
    CHECK(!KeSetTimerEx(&timer, Relative(KMT_SEC(3600)), 5, &dpc));
    CHECK(KeSetTimerEx(&timer, Relative(KMT_MS(10)), 0, &dpc));
    CHECK_STATUS(KmtWait(&timer), STATUS_SUCCESS);
    CHECK_STATUS(KmtWait(&seen.Done), STATUS_SUCCESS);
    KmtDelay(KMT_MS(100));
    KeFlushQueuedDpcs();
    CHECK_EQ(seen.Runs, 1);
    CHECK(!KeCancelTimer(&timer));

    /* A one-shot an hour away re-set to a periodic one: it fires repeatedly. */
    SeenInit(&seen, &timer);
    CHECK(!KeSetTimerEx(&timer, Relative(KMT_SEC(3600)), 0, &dpc));
    CHECK(KeSetTimerEx(&timer, Relative(KMT_MS(5)), 5, &dpc));
    CHECK_STATUS(KmtWait(&seen.Third), STATUS_SUCCESS);
    CHECK(KeCancelTimer(&timer));
    KeFlushQueuedDpcs();
    CHECK(seen.Runs >= 3);

    /* Re-set with another DPC: only the new DPC runs, and not before the new due time;
     * once sooner than before, once later (at DISPATCH_LEVEL, so that nothing on this
     * processor comes between the two calls). */
    KDPC dpc2;
    TIMER_SEEN seen2;
    static const LONGLONG first[2] = { KMT_SEC(3600), KMT_MS(100) };
    static const LONGLONG second[2] = { KMT_MS(60), KMT_MS(300) };
    KeInitializeDpc(&dpc2, TimerDpc, &seen2);
    for (int i = 0; i < 2; i++) {
        SeenInit(&seen, &timer);
        SeenInit(&seen2, &timer);
        ULONGLONG before = KeQueryInterruptTime();
        KIRQL old = KeRaiseIrqlToDpcLevel();
        BOOLEAN wasSet = KeSetTimer(&timer, Relative(first[i]), &dpc);
        BOOLEAN wasSet2 = KeSetTimer(&timer, Relative(second[i]), &dpc2);
        KeLowerIrql(old);
        CHECK(!wasSet);
        CHECK(wasSet2);
        CHECK_STATUS(KmtWait(&seen2.Done), STATUS_SUCCESS);
        KmtDelay(KMT_MS(150));
        KeFlushQueuedDpcs();
        CHECK_EQ(seen.Runs, 0);
        CHECK_EQ(seen2.Runs, 1);
        CHECK(seen2.InterruptTime[0] + Increment >= before + second[i]);
    }
}

static void TestClocks(void)
{
    LARGE_INTEGER sys, precise, sys2, freq, c1, c2, ticks;

    /* KeQueryTimeIncrement: the clock tick in 100 ns units. */
    CHECK(Increment > 0);

    /* System time: 100 ns units since 1601, a plausible date. */
    KeQuerySystemTime(&sys);
    KeQuerySystemTimePrecise(&precise);
    KeQuerySystemTime(&sys2);
    CHECK(sys.QuadPart > SYSTIME_2020 && sys.QuadPart < SYSTIME_2200);
    CHECK(precise.QuadPart > SYSTIME_2020 && precise.QuadPart < SYSTIME_2200);
    CHECK(precise.QuadPart >= sys.QuadPart);
    CHECK(sys2.QuadPart >= sys.QuadPart);

    /* Interrupt time never goes backwards. */
    ULONGLONG last = KeQueryInterruptTime();
    int backwards = 0;
    for (int i = 0; i < 10000; i++) {
        ULONGLONG t = KeQueryInterruptTime();
        if (t < last)
            backwards++;
        last = t;
    }
    CHECK_EQ(backwards, 0);

    /* Tick count x increment follows interrupt time (within a tick or two). */
    ULONGLONG i1 = KeQueryInterruptTime();
    KeQueryTickCount(&ticks);
    ULONGLONG i2 = KeQueryInterruptTime();
    ULONGLONG fromTicks = (ULONGLONG)ticks.QuadPart * Increment;
    CHECK(ticks.QuadPart >= 0);
    CHECK(fromTicks <= i2 + Increment);
    CHECK(fromTicks + 2 * (ULONGLONG)Increment >= i1);

    /* The performance counter: a positive frequency, and it increases. */
    freq.QuadPart = 0;
    c1 = KeQueryPerformanceCounter(&freq);
    CHECK(freq.QuadPart > 0);
    KeStallExecutionProcessor(1000);
    c2 = KeQueryPerformanceCounter(NULL);
    CHECK(c2.QuadPart > c1.QuadPart);
    /* KeStallExecutionProcessor waits at least that long. */
    if (freq.QuadPart > 0)
        CHECK((c2.QuadPart - c1.QuadPart) * 1000000 / freq.QuadPart >= 1000);
    /* Stalling is allowed at any IRQL. */
    KIRQL old;
    KeRaiseIrql(HIGH_LEVEL, &old);
    c1 = KeQueryPerformanceCounter(NULL);
    KeStallExecutionProcessor(50);
    c2 = KeQueryPerformanceCounter(NULL);
    KeLowerIrql(old);
    if (freq.QuadPart > 0)
        CHECK((c2.QuadPart - c1.QuadPart) * 1000000 / freq.QuadPart >= 50);
}

static void TestDelay(void)
{
    LARGE_INTEGER interval, now, freq, c1, c2;

    /* Relative (negative) interval: at least that much interrupt time passes. */
    ULONGLONG before = KeQueryInterruptTime();
    c1 = KeQueryPerformanceCounter(&freq);
    interval.QuadPart = -KMT_MS(30);
    CHECK_STATUS(KeDelayExecutionThread(KernelMode, FALSE, &interval), STATUS_SUCCESS);
    c2 = KeQueryPerformanceCounter(NULL);
    ULONGLONG after = KeQueryInterruptTime();
    CHECK(after + Increment >= before + KMT_MS(30));
    if (freq.QuadPart > 0)
        CHECK((c2.QuadPart - c1.QuadPart) * 1000 / freq.QuadPart + Increment / 10000 + 1 >= 30);

    /* Absolute (positive) system time: it returns once that time has come. */
    KeQuerySystemTimePrecise(&now);
    interval.QuadPart = now.QuadPart + KMT_MS(30);
    LARGE_INTEGER due = interval;
    CHECK_STATUS(KeDelayExecutionThread(KernelMode, FALSE, &interval), STATUS_SUCCESS);
    KeQuerySystemTimePrecise(&now);
    CHECK(now.QuadPart >= due.QuadPart);

    /* An absolute time in the past: it returns STATUS_SUCCESS without waiting. */
    KeQuerySystemTimePrecise(&now);
    interval.QuadPart = now.QuadPart - KMT_SEC(10);
    CHECK_STATUS(KeDelayExecutionThread(KernelMode, FALSE, &interval), STATUS_SUCCESS);

    /* Waiting on an event with a relative timeout: STATUS_TIMEOUT after at least that long. */
    KEVENT event;
    KeInitializeEvent(&event, NotificationEvent, FALSE);
    before = KeQueryInterruptTime();
    interval.QuadPart = -KMT_MS(20);
    CHECK_STATUS(KeWaitForSingleObject(&event, Executive, KernelMode, FALSE, &interval),
                 STATUS_TIMEOUT);
    after = KeQueryInterruptTime();
    CHECK(after + Increment >= before + KMT_MS(20));
    /* ... and with an absolute one. */
    KeQuerySystemTimePrecise(&now);
    interval.QuadPart = now.QuadPart + KMT_MS(20);
    due = interval;
    CHECK_STATUS(KeWaitForSingleObject(&event, Executive, KernelMode, FALSE, &interval),
                 STATUS_TIMEOUT);
    KeQuerySystemTimePrecise(&now);
    CHECK(now.QuadPart >= due.QuadPart);
}

NTSTATUS DriverEntry(PDRIVER_OBJECT DriverObject, PUNICODE_STRING RegistryPath)
{
    UNREFERENCED_PARAMETER(DriverObject);
    UNREFERENCED_PARAMETER(RegistryPath);
    DbgPrint("kmtest_timer: start\n");
    Increment = KeQueryTimeIncrement();
    KMT_RUN("kmtest_timer", TestInitialize());
    KMT_RUN("kmtest_timer", TestSetCancel());
    KMT_RUN("kmtest_timer", TestNotificationExpiry());
    KMT_RUN("kmtest_timer", TestSynchronizationTimer());
    KMT_RUN("kmtest_timer", TestPeriodic());
    KMT_RUN("kmtest_timer", TestReset());
    KMT_RUN("kmtest_timer", TestClocks());
    KMT_RUN("kmtest_timer", TestDelay());
    CHECK_EQ(KeGetCurrentIrql(), PASSIVE_LEVEL);
    return KmtFinish("kmtest_timer");
}
