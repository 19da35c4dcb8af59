/* kmtest_dpc: DPCs, from the WDK pages of KeInitializeDpc, KeInitializeThreadedDpc,
 * KeInsertQueueDpc, KeRemoveQueueDpc, KeSetImportanceDpc, KeSetTargetProcessorDpc(Ex) and
 * KeFlushQueuedDpcs, and "Organization of DPC Queues".
 *     ntk run [--cpus N] --driver kmtest_dpc.so      exits 0 when every check passed */
#include "kmtest_ke.h"

static ULONG Count;

/* What one run of a DPC routine saw. */
typedef struct {
    volatile LONG Runs;
    PKDPC Dpc;
    PVOID Context;
    PVOID Arg1;
    PVOID Arg2;
    KIRQL Irql;
    ULONG Processor;
    KEVENT Done;
} DPC_SEEN;

static VOID RecordDpc(PKDPC Dpc, PVOID Context, PVOID Arg1, PVOID Arg2)
{
    DPC_SEEN *seen = (DPC_SEEN *)Context;
    seen->Dpc = Dpc;
    seen->Context = Context;
    seen->Arg1 = Arg1;
    seen->Arg2 = Arg2;
    seen->Irql = KeGetCurrentIrql();
    seen->Processor = KeGetCurrentProcessorNumber();
    InterlockedIncrement(&seen->Runs);
    KeSetEvent(&seen->Done, IO_NO_INCREMENT, FALSE);
}

static void SeenInit(DPC_SEEN *Seen)
{
    RtlZeroMemory(Seen, sizeof(*Seen));
    Seen->Irql = 0xFF;
    Seen->Processor = 0xFFFF;
    KeInitializeEvent(&Seen->Done, NotificationEvent, FALSE);
}

static void TestInitialize(void)
{
    KDPC dpc;
    DPC_SEEN seen;

    RtlFillMemory(&dpc, sizeof(dpc), 0xCC);
    KeInitializeDpc(&dpc, RecordDpc, &seen);
    CHECK_EQ(dpc.Type, DpcObject);
    CHECK_EQ(dpc.Importance, MediumImportance);
    CHECK(dpc.DeferredRoutine == RecordDpc);
    CHECK(dpc.DeferredContext == &seen);
    CHECK(dpc.DpcData == NULL);

    /* A NULL routine is accepted (the routine may be set before the DPC is queued). */
    RtlFillMemory(&dpc, sizeof(dpc), 0xCC);
    KeInitializeDpc(&dpc, NULL, NULL);
    CHECK_EQ(dpc.Importance, MediumImportance);
    CHECK(dpc.DeferredRoutine == NULL);
    CHECK(dpc.DeferredContext == NULL);

    RtlFillMemory(&dpc, sizeof(dpc), 0xCC);
    KeInitializeThreadedDpc(&dpc, RecordDpc, &seen);
    CHECK_EQ(dpc.Type, ThreadedDpcObject);
    CHECK_EQ(dpc.Importance, MediumImportance);
    CHECK(dpc.DeferredRoutine == RecordDpc);
    CHECK(dpc.DeferredContext == &seen);

    KeInitializeDpc(&dpc, RecordDpc, &seen);
    KeSetImportanceDpc(&dpc, HighImportance);
    CHECK_EQ(dpc.Importance, HighImportance);
    KeSetImportanceDpc(&dpc, LowImportance);
    CHECK_EQ(dpc.Importance, LowImportance);
    KeSetImportanceDpc(&dpc, MediumHighImportance);
    CHECK_EQ(dpc.Importance, MediumHighImportance);
}

/* Inserted at PASSIVE_LEVEL, a DPC for the current processor has run when the insert returns;
 * it ran at DISPATCH_LEVEL with the insert's SystemArguments. */
static void TestInsertAtPassive(void)
{
    KDPC dpc;
    DPC_SEEN seen;

    SeenInit(&seen);
    KeInitializeDpc(&dpc, RecordDpc, &seen);
    CHECK(KeInsertQueueDpc(&dpc, (PVOID)0x1111, (PVOID)0x2222));
    CHECK_EQ(seen.Runs, 1);
    CHECK(seen.Dpc == &dpc);
    CHECK(seen.Context == &seen);
    CHECK(seen.Arg1 == (PVOID)0x1111);
    CHECK(seen.Arg2 == (PVOID)0x2222);
    CHECK_EQ(seen.Irql, DISPATCH_LEVEL);
    CHECK(seen.Processor < Count);
    CHECK_EQ(KeGetCurrentIrql(), PASSIVE_LEVEL);

    /* It is no longer queued: inserting it again queues (and runs) it again. */
    CHECK(KeInsertQueueDpc(&dpc, (PVOID)0x3333, NULL));
    CHECK_EQ(seen.Runs, 2);
    CHECK(seen.Arg1 == (PVOID)0x3333);
    CHECK(seen.Arg2 == NULL);
    /* Not queued: KeRemoveQueueDpc is FALSE. */
    CHECK(!KeRemoveQueueDpc(&dpc));
}

/* Inserted at DISPATCH_LEVEL: a second insert is FALSE and keeps the first arguments; it runs
 * only when IRQL drops, on the processor it was queued on. */
static void TestInsertAtDispatch(void)
{
    KDPC dpc;
    DPC_SEEN seen;

    SeenInit(&seen);
    KeInitializeDpc(&dpc, RecordDpc, &seen);
    KIRQL old = KeRaiseIrqlToDpcLevel();
    ULONG here = KeGetCurrentProcessorNumber();
    CHECK(KeInsertQueueDpc(&dpc, (PVOID)0xA1, (PVOID)0xA2));
    KeStallExecutionProcessor(100);
    LONG runsBefore = seen.Runs;
    BOOLEAN second = KeInsertQueueDpc(&dpc, (PVOID)0xB1, (PVOID)0xB2);
    LONG runsAfterSecond = seen.Runs;
    KeLowerIrql(old);
    CHECK_EQ(runsBefore, 0);
    CHECK(!second);
    CHECK_EQ(runsAfterSecond, 0);
    CHECK_EQ(seen.Runs, 1);
    CHECK(seen.Arg1 == (PVOID)0xA1);
    CHECK(seen.Arg2 == (PVOID)0xA2);
    CHECK_EQ(seen.Irql, DISPATCH_LEVEL);
    CHECK_EQ(seen.Processor, here);
    KeFlushQueuedDpcs();
    CHECK_EQ(seen.Runs, 1);

    /* Also from APC_LEVEL: queued, runs when IRQL drops below DISPATCH_LEVEL. */
    SeenInit(&seen);
    KeRaiseIrql(APC_LEVEL, &old);
    KIRQL old2 = KeRaiseIrqlToDpcLevel();
    CHECK(KeInsertQueueDpc(&dpc, NULL, NULL));
    LONG runsAtDispatch = seen.Runs;
    KeLowerIrql(old2);
    LONG runsAtApc = seen.Runs;
    KeLowerIrql(old);
    CHECK_EQ(runsAtDispatch, 0);
    CHECK_EQ(runsAtApc, 1);
}

/* KeRemoveQueueDpc is TRUE if the DPC was queued, and then it never runs. */
static void TestRemove(void)
{
    KDPC dpc;
    DPC_SEEN seen;

    SeenInit(&seen);
    KeInitializeDpc(&dpc, RecordDpc, &seen);
    KIRQL old = KeRaiseIrqlToDpcLevel();
    CHECK(KeInsertQueueDpc(&dpc, NULL, NULL));
    BOOLEAN removed = KeRemoveQueueDpc(&dpc);
    BOOLEAN removedAgain = KeRemoveQueueDpc(&dpc);
    KeLowerIrql(old);
    CHECK(removed);
    CHECK(!removedAgain);
    KeFlushQueuedDpcs();
    KmtDelay(KMT_MS(20));
    CHECK_EQ(seen.Runs, 0);

    /* After a removal it can be queued again. */
    CHECK(KeInsertQueueDpc(&dpc, (PVOID)7, NULL));
    CHECK_EQ(seen.Runs, 1);
    CHECK(seen.Arg1 == (PVOID)7);
}

/* Importance decides the place in the queue: High at the head, Medium and Low at the tail. */
#define ORDER_DPCS 6
static volatile LONG OrderNext;
static int Order[ORDER_DPCS];
static VOID OrderDpc(PKDPC Dpc, PVOID Context, PVOID Arg1, PVOID Arg2)
{
    UNREFERENCED_PARAMETER(Dpc);
    UNREFERENCED_PARAMETER(Arg1);
    UNREFERENCED_PARAMETER(Arg2);
    LONG slot = InterlockedIncrement(&OrderNext) - 1;
    if (slot >= 0 && slot < ORDER_DPCS)
        Order[slot] = (int)(ULONG_PTR)Context;
}

static void TestImportanceOrder(void)
{
    /* Queued in this order on the current processor ... */
    static const KDPC_IMPORTANCE importance[ORDER_DPCS] = {
        LowImportance, MediumImportance, HighImportance,
        MediumImportance, HighImportance, LowImportance,
    };
    /* ... they run in this order (High ones pushed at the head, the others appended). */
    static const int expected[ORDER_DPCS] = { 4, 2, 0, 1, 3, 5 };
    KDPC dpcs[ORDER_DPCS];

    OrderNext = 0;
    for (int i = 0; i < ORDER_DPCS; i++) {
        Order[i] = -1;
        KeInitializeDpc(&dpcs[i], OrderDpc, (PVOID)(ULONG_PTR)i);
        KeSetImportanceDpc(&dpcs[i], importance[i]);
    }
    KIRQL old = KeRaiseIrqlToDpcLevel();
    for (int i = 0; i < ORDER_DPCS; i++)
        CHECK(KeInsertQueueDpc(&dpcs[i], NULL, NULL));
    LONG ranAtDispatch = OrderNext;
    KeLowerIrql(old);
    KeFlushQueuedDpcs();
    CHECK_EQ(ranAtDispatch, 0);
    CHECK_EQ(OrderNext, ORDER_DPCS);
    for (int i = 0; i < ORDER_DPCS; i++)
        CHECK_EQ(Order[i], expected[i]);
}

/* KeSetTargetProcessorDpc(Ex): the DPC runs on that processor. */
static void TestTargetProcessor(void)
{
    KDPC dpc;
    DPC_SEEN seen;
    PROCESSOR_NUMBER pn;

    for (ULONG k = 0; k < Count; k++) {
        SeenInit(&seen);
        KeInitializeDpc(&dpc, RecordDpc, &seen);
        KeSetTargetProcessorDpc(&dpc, (CCHAR)k);
        CHECK(KeInsertQueueDpc(&dpc, (PVOID)(ULONG_PTR)k, NULL));
        CHECK_STATUS(KmtWait(&seen.Done), STATUS_SUCCESS);
        CHECK_EQ(seen.Runs, 1);
        CHECK_EQ(seen.Processor, k);
        CHECK_EQ(seen.Irql, DISPATCH_LEVEL);
        CHECK(seen.Arg1 == (PVOID)(ULONG_PTR)k);

        SeenInit(&seen);
        KeInitializeDpc(&dpc, RecordDpc, &seen);
        RtlZeroMemory(&pn, sizeof(pn));
        CHECK_STATUS(KeGetProcessorNumberFromIndex(k, &pn), STATUS_SUCCESS);
        CHECK_STATUS(KeSetTargetProcessorDpcEx(&dpc, &pn), STATUS_SUCCESS);
        CHECK(KeInsertQueueDpc(&dpc, NULL, (PVOID)(ULONG_PTR)k));
        CHECK_STATUS(KmtWait(&seen.Done), STATUS_SUCCESS);
        CHECK_EQ(seen.Runs, 1);
        CHECK_EQ(seen.Processor, k);
        CHECK(seen.Arg2 == (PVOID)(ULONG_PTR)k);

        /* Targeted at processor k and queued at DISPATCH_LEVEL on processor k: runs when this
         * thread lowers IRQL there. */
        KAFFINITY prev = KeSetSystemAffinityThreadEx((KAFFINITY)1 << k);
        SeenInit(&seen);
        KeInitializeDpc(&dpc, RecordDpc, &seen);
        KeSetTargetProcessorDpc(&dpc, (CCHAR)k);
        KIRQL old = KeRaiseIrqlToDpcLevel();
        CHECK(KeInsertQueueDpc(&dpc, NULL, NULL));
        LONG runsAtDispatch = seen.Runs;
        KeLowerIrql(old);
        KeRevertToUserAffinityThreadEx(prev);
        CHECK_EQ(runsAtDispatch, 0);
        CHECK_EQ(seen.Runs, 1);
        CHECK_EQ(seen.Processor, k);
    }

    /* A processor number that does not exist is refused. */
    KeInitializeDpc(&dpc, RecordDpc, &seen);
    pn.Group = 1;
    pn.Number = 0;
    pn.Reserved = 0;
    CHECK_STATUS(KeSetTargetProcessorDpcEx(&dpc, &pn), STATUS_INVALID_PARAMETER);
}

/* KeFlushQueuedDpcs returns once every DPC queued on every processor has run. */
static volatile LONG FlushDone[64];
static VOID SlowDpc(PKDPC Dpc, PVOID Context, PVOID Arg1, PVOID Arg2)
{
    UNREFERENCED_PARAMETER(Dpc);
    UNREFERENCED_PARAMETER(Arg1);
    UNREFERENCED_PARAMETER(Arg2);
    for (int i = 0; i < 200; i++)
        KeStallExecutionProcessor(50); /* 10 ms */
    InterlockedIncrement(&FlushDone[(ULONG_PTR)Context]);
}

static void TestFlush(void)
{
    static KDPC dpcs[64][2];

    for (ULONG k = 0; k < Count; k++) {
        FlushDone[k] = 0;
        for (int j = 0; j < 2; j++) {
            KeInitializeDpc(&dpcs[k][j], SlowDpc, (PVOID)(ULONG_PTR)k);
            KeSetTargetProcessorDpc(&dpcs[k][j], (CCHAR)k);
        }
    }
    /* Queue them all at DISPATCH_LEVEL so that none has run before the flush starts (those for
     * this processor run when IRQL drops, before KeFlushQueuedDpcs is even called; the others
     * may still be queued or running when it is). */
    KIRQL old = KeRaiseIrqlToDpcLevel();
    for (ULONG k = 0; k < Count; k++)
        for (int j = 0; j < 2; j++)
            CHECK(KeInsertQueueDpc(&dpcs[k][j], NULL, NULL));
    KeLowerIrql(old);
    KeFlushQueuedDpcs();
    for (ULONG k = 0; k < Count; k++)
        CHECK_EQ(FlushDone[k], 2);
}

/* A threaded DPC runs (at PASSIVE_LEVEL on its thread, or at DISPATCH_LEVEL where threaded DPCs
 * are disabled) with the insert's arguments. */
static void TestThreadedDpc(void)
{
    KDPC dpc;
    DPC_SEEN seen;

    SeenInit(&seen);
    KeInitializeThreadedDpc(&dpc, RecordDpc, &seen);
    CHECK(KeInsertQueueDpc(&dpc, (PVOID)0x51, (PVOID)0x52));
    CHECK_STATUS(KmtWait(&seen.Done), STATUS_SUCCESS);
    KeFlushQueuedDpcs();
    CHECK_EQ(seen.Runs, 1);
    CHECK(seen.Irql == PASSIVE_LEVEL || seen.Irql == DISPATCH_LEVEL);
    CHECK(seen.Arg1 == (PVOID)0x51);
    CHECK(seen.Arg2 == (PVOID)0x52);
    CHECK(seen.Dpc == &dpc);

    /* Queued twice before it runs: the second insert is FALSE. */
    SeenInit(&seen);
    KIRQL old = KeRaiseIrqlToDpcLevel();
    BOOLEAN first = KeInsertQueueDpc(&dpc, (PVOID)1, NULL);
    BOOLEAN second = KeInsertQueueDpc(&dpc, (PVOID)2, NULL);
    KeLowerIrql(old);
    CHECK(first);
    CHECK(!second);
    CHECK_STATUS(KmtWait(&seen.Done), STATUS_SUCCESS);
    KeFlushQueuedDpcs();
    CHECK_EQ(seen.Runs, 1);
    CHECK(seen.Arg1 == (PVOID)1);
}

NTSTATUS DriverEntry(PDRIVER_OBJECT DriverObject, PUNICODE_STRING RegistryPath)
{
    UNREFERENCED_PARAMETER(DriverObject);
    UNREFERENCED_PARAMETER(RegistryPath);
    Count = KeQueryActiveProcessorCount(NULL);
    DbgPrint("kmtest_dpc: start, %lu processors\n", Count);
    CHECK(Count >= 1 && Count <= 64);
    if (Count < 1 || Count > 64)
        Count = 1;
    KMT_RUN("kmtest_dpc", TestInitialize());
    KMT_RUN("kmtest_dpc", TestInsertAtPassive());
    KMT_RUN("kmtest_dpc", TestInsertAtDispatch());
    KMT_RUN("kmtest_dpc", TestRemove());
    KMT_RUN("kmtest_dpc", TestImportanceOrder());
    KMT_RUN("kmtest_dpc", TestTargetProcessor());
    KMT_RUN("kmtest_dpc", TestFlush());
    KMT_RUN("kmtest_dpc", TestThreadedDpc());
    CHECK_EQ(KeGetCurrentIrql(), PASSIVE_LEVEL);
    return KmtFinish("kmtest_dpc");
}
