/* kmtest_vtime: long timers under virtual time (run only with --virtual-time, where time
 * advances only when every thread is idle, so hours pass at once and deterministically).
 * Wall-clock durations are never asserted: only how much kernel time passed (at least), and
 * exact counts, the same in every iteration.
 *     ntk run --virtual-time [--cpus N] --driver kmtest_vtime.so     exits 0 when all passed */
#include "kmtest_ke.h"

#define ITERATIONS 3

typedef struct {
    volatile LONG Runs;
    KEVENT Third;
    ULONGLONG At[4];
} VT_SEEN;

static VOID PeriodicDpc(PKDPC Dpc, PVOID Context, PVOID Arg1, PVOID Arg2)
{
    VT_SEEN *seen = (VT_SEEN *)Context;
    UNREFERENCED_PARAMETER(Dpc);
    UNREFERENCED_PARAMETER(Arg1);
    UNREFERENCED_PARAMETER(Arg2);
    LONG n = InterlockedIncrement(&seen->Runs);
    if (n <= 4)
        seen->At[n - 1] = KeQueryInterruptTime();
    if (n == 3)
        KeSetEvent(&seen->Third, IO_NO_INCREMENT, FALSE);
}

/* A 10-minute periodic timer expires 3 times; the test then cancels it. */
static void TestTenMinutePeriodic(int Iteration)
{
    KTIMER timer;
    KDPC dpc;
    VT_SEEN seen;
    LARGE_INTEGER due, sys1, sys2;

    RtlZeroMemory(&seen, sizeof(seen));
    KeInitializeEvent(&seen.Third, NotificationEvent, FALSE);
    KeInitializeTimerEx(&timer, NotificationTimer);
    KeInitializeDpc(&dpc, PeriodicDpc, &seen);

    KeQuerySystemTime(&sys1);
    ULONGLONG start = KeQueryInterruptTime();
    due.QuadPart = -KMT_MIN(10);
    CHECK(!KeSetTimerEx(&timer, due, 10 * 60 * 1000, &dpc));
    CHECK_STATUS(KmtWait(&seen.Third), STATUS_SUCCESS);
    /* Nothing else is idle-waiting for time to pass while this thread runs: the 4th expiry
     * (10 minutes later) cannot have come yet. */
    CHECK(KeCancelTimer(&timer));
    KeFlushQueuedDpcs();
    ULONGLONG end = KeQueryInterruptTime();
    KeQuerySystemTime(&sys2);

    CHECK_EQ(seen.Runs, 3);
    CHECK(end - start >= (ULONGLONG)KMT_MIN(30));
    CHECK(sys2.QuadPart - sys1.QuadPart >= KMT_MIN(30) - (LONGLONG)KeQueryTimeIncrement());
    for (int i = 0; i < 3; i++)
        CHECK(seen.At[i] + KeQueryTimeIncrement() >= start + (ULONGLONG)(i + 1) * KMT_MIN(10));
    DbgPrint("kmtest_vtime: iteration %d: 3 expirations, %llu min of interrupt time\n",
             Iteration, (unsigned long long)((end - start) / KMT_MIN(1)));

    /* Cancelled: another hour passes and it never runs again. */
    CHECK_STATUS(KmtDelay(KMT_MIN(60)), STATUS_SUCCESS);
    KeFlushQueuedDpcs();
    CHECK_EQ(seen.Runs, 3);
    /* A notification timer that expired stays signaled; cancelling does not reset it. */
    CHECK(KeReadStateTimer(&timer));
}

/* An hour-long delay, a day-long timer wait, and a 10-minute wait timeout complete. */
static void TestLongWaits(void)
{
    KTIMER timer;
    KEVENT event;
    LARGE_INTEGER due;

    ULONGLONG t0 = KeQueryInterruptTime();
    CHECK_STATUS(KmtDelay(KMT_MIN(60)), STATUS_SUCCESS);
    ULONGLONG t1 = KeQueryInterruptTime();
    CHECK(t1 - t0 + KeQueryTimeIncrement() >= (ULONGLONG)KMT_MIN(60));

    KeInitializeTimer(&timer);
    due.QuadPart = -KMT_MIN(24 * 60);
    CHECK(!KeSetTimer(&timer, due, NULL));
    CHECK(!KeReadStateTimer(&timer));
    CHECK_STATUS(KmtWait(&timer), STATUS_SUCCESS);
    CHECK(KeReadStateTimer(&timer));
    ULONGLONG t2 = KeQueryInterruptTime();
    CHECK(t2 - t1 + KeQueryTimeIncrement() >= (ULONGLONG)KMT_MIN(24 * 60));

    KeInitializeEvent(&event, NotificationEvent, FALSE);
    due.QuadPart = -KMT_MIN(10);
    CHECK_STATUS(KeWaitForSingleObject(&event, Executive, KernelMode, FALSE, &due),
                 STATUS_TIMEOUT);
    ULONGLONG t3 = KeQueryInterruptTime();
    CHECK(t3 - t2 + KeQueryTimeIncrement() >= (ULONGLONG)KMT_MIN(10));

    /* An absolute due time a week ahead. */
    LARGE_INTEGER now;
    KeQuerySystemTimePrecise(&now);
    due.QuadPart = now.QuadPart + KMT_MIN(7 * 24 * 60);
    CHECK_STATUS(KeDelayExecutionThread(KernelMode, FALSE, &due), STATUS_SUCCESS);
    KeQuerySystemTimePrecise(&now);
    CHECK(now.QuadPart >= due.QuadPart);
}

/* Two threads sleeping different lengths wake in due-time order. */
static volatile LONG WakeOrder[2];
static volatile LONG WakeNext;
static VOID Sleeper(PVOID Context)
{
    LONG minutes = (LONG)(ULONG_PTR)Context;
    KmtDelay(KMT_MIN(minutes));
    LONG slot = InterlockedIncrement(&WakeNext) - 1;
    if (slot >= 0 && slot < 2)
        WakeOrder[slot] = minutes;
    PsTerminateSystemThread(STATUS_SUCCESS);
}

static void TestWakeOrder(void)
{
    WakeNext = 0;
    WakeOrder[0] = WakeOrder[1] = 0;
    PKTHREAD late = KmtStartThread(Sleeper, (PVOID)(ULONG_PTR)90);
    PKTHREAD early = KmtStartThread(Sleeper, (PVOID)(ULONG_PTR)30);
    KmtJoinThread(late);
    KmtJoinThread(early);
    CHECK_EQ(WakeNext, 2);
    CHECK_EQ(WakeOrder[0], 30);
    CHECK_EQ(WakeOrder[1], 90);
}

NTSTATUS DriverEntry(PDRIVER_OBJECT DriverObject, PUNICODE_STRING RegistryPath)
{
    UNREFERENCED_PARAMETER(DriverObject);
    UNREFERENCED_PARAMETER(RegistryPath);
    DbgPrint("kmtest_vtime: start\n");
    for (int i = 0; i < ITERATIONS; i++)
        KMT_RUN("kmtest_vtime", TestTenMinutePeriodic(i));
    KMT_RUN("kmtest_vtime", TestLongWaits());
    KMT_RUN("kmtest_vtime", TestWakeOrder());
    return KmtFinish("kmtest_vtime");
}
