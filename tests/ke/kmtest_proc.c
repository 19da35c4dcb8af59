/* kmtest_proc: processors and affinity, from the WDK pages of KeQueryActiveProcessorCount,
 * KeGetCurrentProcessorNumber(Ex), KeSetSystemAffinityThreadEx and
 * KeRevertToUserAffinityThreadEx, and DISPATCH_LEVEL exclusivity: a thread at DISPATCH_LEVEL is
 * the only thread running on its processor and does not move.
 *     ntk run --cpus N --driver kmtest_proc.so
 * prints "kmtest_proc: processors=N" (the test registration matches N) and exits 0 when every
 * check passed. */
#include "kmtest_ke.h"

static ULONG Count;

static void TestCount(void)
{
    KAFFINITY active = 0;
    PROCESSOR_NUMBER pn;

    Count = KeQueryActiveProcessorCount(&active);
    DbgPrint("kmtest_proc: processors=%lu\n", Count);
    CHECK(Count >= 1 && Count <= 64);
    if (Count < 1 || Count > 64)
        Count = 1;
    /* One bit per active processor, numbered from 0. */
    CHECK_EQ(active, Count == 64 ? ~(KAFFINITY)0 : (((KAFFINITY)1 << Count) - 1));
    CHECK_EQ(KeQueryActiveProcessorCount(NULL), Count);
    CHECK_EQ(KeQueryActiveProcessors(), active);
    CHECK_EQ(KeQueryActiveProcessorCountEx(ALL_PROCESSOR_GROUPS), Count);
    CHECK_EQ(KeQueryActiveProcessorCountEx(0), Count);
    CHECK(KeQueryMaximumProcessorCount() >= Count);

    /* Index <-> PROCESSOR_NUMBER in group 0. */
    for (ULONG i = 0; i < Count; i++) {
        RtlZeroMemory(&pn, sizeof(pn));
        CHECK_STATUS(KeGetProcessorNumberFromIndex(i, &pn), STATUS_SUCCESS);
        CHECK_EQ(pn.Group, 0);
        CHECK_EQ(pn.Number, i);
        CHECK_EQ(KeGetProcessorIndexFromNumber(&pn), i);
    }

    /* The current processor is one of them; the Ex form agrees with the plain one while the
     * thread cannot move (at DISPATCH_LEVEL). */
    CHECK(KeGetCurrentProcessorNumber() < Count);
    CHECK(KeGetCurrentProcessorNumberEx(NULL) < Count);
    KIRQL old = KeRaiseIrqlToDpcLevel();
    ULONG here = KeGetCurrentProcessorNumber();
    RtlZeroMemory(&pn, sizeof(pn));
    ULONG hereEx = KeGetCurrentProcessorNumberEx(&pn);
    KeStallExecutionProcessor(50);
    ULONG stillHere = KeGetCurrentProcessorNumber();
    KeLowerIrql(old);
    CHECK_EQ(hereEx, here);
    CHECK_EQ(pn.Group, 0);
    CHECK_EQ(pn.Number, here);
    CHECK_EQ(stillHere, here);
}

static void TestAffinity(void)
{
    for (ULONG k = 0; k < Count; k++) {
        /* The first system affinity of a thread: the previous one returned is 0 ("none"). */
        KAFFINITY prev = KeSetSystemAffinityThreadEx((KAFFINITY)1 << k);
        CHECK_EQ(prev, 0);
        CHECK_EQ(KeGetCurrentProcessorNumber(), k);
        /* Waiting does not move the thread off its affinity. */
        KmtDelay(KMT_MS(1));
        CHECK_EQ(KeGetCurrentProcessorNumber(), k);

        /* Nested: the previous system affinity is returned, and reverting to it restores it. */
        ULONG j = (k + 1) % Count;
        KAFFINITY prev2 = KeSetSystemAffinityThreadEx((KAFFINITY)1 << j);
        CHECK_EQ(prev2, (KAFFINITY)1 << k);
        CHECK_EQ(KeGetCurrentProcessorNumber(), j);
        KeRevertToUserAffinityThreadEx(prev2);
        CHECK_EQ(KeGetCurrentProcessorNumber(), k);

        /* At DISPATCH_LEVEL the thread stays where its affinity put it. */
        KIRQL old = KeRaiseIrqlToDpcLevel();
        ULONG atDpc = KeGetCurrentProcessorNumber();
        KeLowerIrql(old);
        CHECK_EQ(atDpc, k);

        /* Reverting with 0 restores the user affinity. */
        KeRevertToUserAffinityThreadEx(prev);
        CHECK(KeGetCurrentProcessorNumber() < Count);
    }
}

/* A mask with no active processor in it has no effect (the WDK: "If either of these conditions
 * is not met, the call to KeSetSystemAffinityThreadEx has no effect"). Last, since a kernel
 * that bug checks here would stop the other tests. */
static void TestInvalidAffinity(void)
{
    if (Count < 64) {
        KAFFINITY prev = KeSetSystemAffinityThreadEx(1);
        CHECK_EQ(KeGetCurrentProcessorNumber(), 0);
        (void)KeSetSystemAffinityThreadEx((KAFFINITY)1 << Count);
        CHECK_EQ(KeGetCurrentProcessorNumber(), 0);
        KIRQL old = KeRaiseIrqlToDpcLevel();
        ULONG atDpc = KeGetCurrentProcessorNumber();
        KeLowerIrql(old);
        CHECK_EQ(atDpc, 0);
        KeRevertToUserAffinityThreadEx(prev);
    }
}

/* Two system threads pinned to one processor each raise to DISPATCH_LEVEL and update a shared,
 * non-atomic counter in a loop, with a "was anyone else here" flag: at DISPATCH_LEVEL a thread
 * is the only one running on its processor, so they never overlap and no update is lost. */
#define EXCL_ITERATIONS 20000
#define EXCL_THREADS 2

static volatile LONG ExclInside;
static volatile LONG ExclOverlaps;
static volatile LONG ExclCounter;
static volatile LONG ExclWrongProcessor;
static volatile LONG ExclMoved;
static volatile LONG ExclStartIrql[EXCL_THREADS];
static KEVENT ExclGo;

typedef struct {
    ULONG Processor;
    ULONG Index;
} EXCL_ARG;

static VOID ExclThread(PVOID Context)
{
    EXCL_ARG *arg = (EXCL_ARG *)Context;
    KAFFINITY prev = KeSetSystemAffinityThreadEx((KAFFINITY)1 << arg->Processor);

    ExclStartIrql[arg->Index] = KeGetCurrentIrql();
    KmtWait(&ExclGo);
    for (int i = 0; i < EXCL_ITERATIONS; i++) {
        KIRQL old = KeRaiseIrqlToDpcLevel();
        ULONG cpu = KeGetCurrentProcessorNumber();
        if (cpu != arg->Processor)
            ExclWrongProcessor++;
        if (ExclInside != 0)
            ExclOverlaps++;
        ExclInside = 1;
        /* A read-modify-write with room in the middle for another thread to interleave. */
        LONG value = ExclCounter;
        for (volatile int spin = 0; spin < 200; spin++) {
        }
        if (ExclInside != 1)
            ExclOverlaps++;
        ExclCounter = value + 1;
        if (KeGetCurrentProcessorNumber() != cpu)
            ExclMoved++;
        ExclInside = 0;
        KeLowerIrql(old);
    }
    KeRevertToUserAffinityThreadEx(prev);
    PsTerminateSystemThread(STATUS_SUCCESS);
}

static void TestDispatchExclusive(ULONG Processor)
{
    EXCL_ARG args[EXCL_THREADS];
    PKTHREAD threads[EXCL_THREADS];

    ExclInside = 0;
    ExclOverlaps = 0;
    ExclCounter = 0;
    ExclWrongProcessor = 0;
    ExclMoved = 0;
    KeInitializeEvent(&ExclGo, NotificationEvent, FALSE);
    for (ULONG i = 0; i < EXCL_THREADS; i++) {
        args[i].Processor = Processor;
        args[i].Index = i;
        ExclStartIrql[i] = 0xFF;
        threads[i] = KmtStartThread(ExclThread, &args[i]);
    }
    KeSetEvent(&ExclGo, IO_NO_INCREMENT, FALSE);
    for (ULONG i = 0; i < EXCL_THREADS; i++)
        KmtJoinThread(threads[i]);
    CHECK_EQ(ExclOverlaps, 0);
    CHECK_EQ(ExclCounter, EXCL_THREADS * EXCL_ITERATIONS);
    CHECK_EQ(ExclWrongProcessor, 0);
    CHECK_EQ(ExclMoved, 0);
    for (ULONG i = 0; i < EXCL_THREADS; i++)
        CHECK_EQ(ExclStartIrql[i], PASSIVE_LEVEL);
    if (ExclOverlaps != 0 || ExclCounter != EXCL_THREADS * EXCL_ITERATIONS)
        DbgPrint("kmtest_proc: processor %lu: %ld overlaps, counter %ld\n", Processor,
                 (long)ExclOverlaps, (long)ExclCounter);
}

NTSTATUS DriverEntry(PDRIVER_OBJECT DriverObject, PUNICODE_STRING RegistryPath)
{
    UNREFERENCED_PARAMETER(DriverObject);
    UNREFERENCED_PARAMETER(RegistryPath);
    DbgPrint("kmtest_proc: start\n");
    KMT_RUN("kmtest_proc", TestCount());
    KMT_RUN("kmtest_proc", TestAffinity());
    /* Same processor: processor 0, and the last one. */
    KMT_RUN("kmtest_proc", TestDispatchExclusive(0));
    if (Count > 1)
        KMT_RUN("kmtest_proc", TestDispatchExclusive(Count - 1));
    KMT_RUN("kmtest_proc", TestInvalidAffinity());
    CHECK_EQ(KeGetCurrentIrql(), PASSIVE_LEVEL);
    return KmtFinish("kmtest_proc");
}
