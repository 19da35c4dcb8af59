/* Cancel-safe IRP queues (IoCsq*), from the WDK reference pages: the routines' contracts one at
 * a time, then races — threads inserting and removing while another cancels, many rounds, each
 * IRP accounted for exactly once. The IRPs are the test's own (IoAllocateIrp), never completed:
 * "completing" one here means taking it back, so that it can be queued again. */
#include "../ke/kmtest_ke.h"

#define NIRPS 24
#define NOWNERS 3
#define ROUNDS 1500

typedef struct _TEST_QUEUE {
    IO_CSQ Csq;
    KSPIN_LOCK Lock;
    LIST_ENTRY List;
    LONG Length;
    NTSTATUS InsertStatus; /* what the Ex insert callback answers */
} TEST_QUEUE;

static TEST_QUEUE Q;
static PIRP Irps[NIRPS];
static IO_CSQ_IRP_CONTEXT Contexts[NIRPS];
static volatile LONG State[NIRPS]; /* 0: the test holds it, 1: queued */
static volatile LONG Inserted[NIRPS], Removed[NIRPS], Cancelled[NIRPS], Doubles;
static volatile LONG RoutineLeft; /* removed IRPs that still had a cancel routine */
static PIRP LastCanceled;
static volatile LONG Stop;

static ULONG TestRandom(PULONG Seed)
{
    *Seed = *Seed * 1103515245u + 12345u;
    return *Seed >> 8;
}

/* The IRP's owner id for the peek context: DriverContext[0]. */
static ULONG_PTR OwnerOf(PIRP Irp)
{
    return (ULONG_PTR)Irp->Tail.Overlay.DriverContext[0];
}

static LONG IndexOf(PIRP Irp)
{
    LONG i;
    for (i = 0; i < NIRPS; i++)
        if (Irps[i] == Irp)
            return i;
    return -1;
}

static VOID NTAPI QInsert(PIO_CSQ Csq, PIRP Irp)
{
    UNREFERENCED_PARAMETER(Csq);
    InsertTailList(&Q.List, &Irp->Tail.Overlay.ListEntry);
    Q.Length++;
}

static NTSTATUS NTAPI QInsertEx(PIO_CSQ Csq, PIRP Irp, PVOID InsertContext)
{
    if (InsertContext != (PVOID)0x1234)
        return STATUS_INVALID_PARAMETER;
    if (!NT_SUCCESS(Q.InsertStatus))
        return Q.InsertStatus;
    QInsert(Csq, Irp);
    return STATUS_SUCCESS;
}

static VOID NTAPI QRemove(PIO_CSQ Csq, PIRP Irp)
{
    UNREFERENCED_PARAMETER(Csq);
    RemoveEntryList(&Irp->Tail.Overlay.ListEntry);
    InitializeListHead(&Irp->Tail.Overlay.ListEntry);
    Q.Length--;
}

static PIRP NTAPI QPeek(PIO_CSQ Csq, PIRP Irp, PVOID PeekContext)
{
    PLIST_ENTRY Entry = Irp ? Irp->Tail.Overlay.ListEntry.Flink : Q.List.Flink;
    UNREFERENCED_PARAMETER(Csq);
    for (; Entry != &Q.List; Entry = Entry->Flink) {
        PIRP Next = CONTAINING_RECORD(Entry, IRP, Tail.Overlay.ListEntry);
        if (PeekContext == NULL || OwnerOf(Next) == (ULONG_PTR)PeekContext)
            return Next;
    }
    return NULL;
}

static VOID NTAPI QAcquire(PIO_CSQ Csq, PKIRQL Irql)
{
    UNREFERENCED_PARAMETER(Csq);
    KeAcquireSpinLock(&Q.Lock, Irql);
}

static VOID NTAPI QRelease(PIO_CSQ Csq, KIRQL Irql)
{
    UNREFERENCED_PARAMETER(Csq);
    KeReleaseSpinLock(&Q.Lock, Irql);
}

/* Each IRP leaves the queue once per insertion: whoever gets it flips it from queued to held.
 * (Helper threads record what they saw here; only DriverEntry's thread makes checks.) */
static VOID Took(PIRP Irp, volatile LONG *Counter)
{
    LONG i = IndexOf(Irp);
    if (i < 0 || InterlockedCompareExchange(&State[i], 0, 1) != 1) {
        InterlockedIncrement(&Doubles);
        return;
    }
    InterlockedIncrement(&Counter[i]);
}

static VOID NTAPI QCompleteCanceled(PIO_CSQ Csq, PIRP Irp)
{
    UNREFERENCED_PARAMETER(Csq);
    LastCanceled = Irp;
    Took(Irp, Cancelled);
}

static VOID ResetQueue(BOOLEAN Ex)
{
    KeInitializeSpinLock(&Q.Lock);
    InitializeListHead(&Q.List);
    Q.Length = 0;
    Q.InsertStatus = STATUS_SUCCESS;
    if (Ex)
        CHECK_STATUS(IoCsqInitializeEx(&Q.Csq, QInsertEx, QRemove, QPeek, QAcquire, QRelease,
                                       QCompleteCanceled),
                     STATUS_SUCCESS);
    else
        CHECK_STATUS(IoCsqInitialize(&Q.Csq, QInsert, QRemove, QPeek, QAcquire, QRelease,
                                     QCompleteCanceled),
                     STATUS_SUCCESS);
}

/* An IRP as a dispatch routine holds it: its first stack location current. */
static VOID PrepareIrp(LONG i, ULONG_PTR Owner)
{
    PIRP Irp = Irps[i];
    IoReuseIrp(Irp, STATUS_SUCCESS);
    IoSetNextIrpStackLocation(Irp);
    IoGetCurrentIrpStackLocation(Irp)->DeviceObject = NULL;
    Irp->Tail.Overlay.DriverContext[0] = (PVOID)Owner;
    InitializeListHead(&Irp->Tail.Overlay.ListEntry);
}

static VOID Queue(LONG i, BOOLEAN WithContext)
{
    State[i] = 1;
    InterlockedIncrement(&Inserted[i]);
    IoCsqInsertIrp(&Q.Csq, Irps[i], WithContext ? &Contexts[i] : NULL);
}

static VOID ClearCounts(VOID)
{
    LONG i;
    for (i = 0; i < NIRPS; i++)
        State[i] = Inserted[i] = Removed[i] = Cancelled[i] = 0;
    Doubles = 0;
    LastCanceled = NULL;
}

static VOID TestInitialize(VOID)
{
    ResetQueue(FALSE);
    CHECK_EQ(Q.Csq.Type, IO_TYPE_CSQ);
    CHECK(Q.Csq.CsqInsertIrp == QInsert);
    CHECK(Q.Csq.CsqCompleteCanceledIrp == QCompleteCanceled);
    ResetQueue(TRUE);
    CHECK_EQ(Q.Csq.Type, IO_TYPE_CSQ_EX);
    CHECK(Q.Csq.CsqInsertIrp == (PIO_CSQ_INSERT_IRP)(PVOID)QInsertEx);
}

/* Insert marks the IRP pending and sets a cancel routine; removal clears it, in FIFO order. */
static VOID TestInsertRemove(VOID)
{
    LONG i;
    ResetQueue(FALSE);
    ClearCounts();
    for (i = 0; i < 3; i++) {
        PrepareIrp(i, 1);
        Queue(i, TRUE);
        CHECK(IoGetCurrentIrpStackLocation(Irps[i])->Control & SL_PENDING_RETURNED);
        CHECK(Irps[i]->CancelRoutine != NULL);
        CHECK_EQ(Contexts[i].Type, IO_TYPE_CSQ_IRP_CONTEXT);
        CHECK(Contexts[i].Irp == Irps[i]);
        CHECK(Contexts[i].Csq == &Q.Csq);
    }
    CHECK_EQ(Q.Length, 3);
    CHECK(IoCsqRemoveNextIrp(&Q.Csq, NULL) == Irps[0]);
    CHECK(Irps[0]->CancelRoutine == NULL);
    CHECK(Contexts[0].Irp == NULL);
    /* By context: once, then NULL. */
    CHECK(IoCsqRemoveIrp(&Q.Csq, &Contexts[2]) == Irps[2]);
    CHECK(Irps[2]->CancelRoutine == NULL);
    CHECK(IoCsqRemoveIrp(&Q.Csq, &Contexts[2]) == NULL);
    CHECK(IoCsqRemoveIrp(&Q.Csq, &Contexts[0]) == NULL);
    CHECK(IoCsqRemoveNextIrp(&Q.Csq, NULL) == Irps[1]);
    CHECK(IoCsqRemoveNextIrp(&Q.Csq, NULL) == NULL);
    CHECK_EQ(Q.Length, 0);
    /* A removed IRP is no longer cancellable through the queue. */
    CHECK(!IoCancelIrp(Irps[1]));
    CHECK(LastCanceled == NULL);
}

/* The peek context chooses; peeking skips what it does not match. */
static VOID TestPeekContext(VOID)
{
    ResetQueue(FALSE);
    ClearCounts();
    PrepareIrp(0, 1);
    PrepareIrp(1, 2);
    PrepareIrp(2, 1);
    Queue(0, FALSE);
    Queue(1, FALSE);
    Queue(2, FALSE);
    CHECK(IoCsqRemoveNextIrp(&Q.Csq, (PVOID)2) == Irps[1]);
    CHECK(IoCsqRemoveNextIrp(&Q.Csq, (PVOID)2) == NULL);
    CHECK(IoCsqRemoveNextIrp(&Q.Csq, (PVOID)1) == Irps[0]);
    CHECK(IoCsqRemoveNextIrp(&Q.Csq, (PVOID)3) == NULL);
    CHECK(IoCsqRemoveNextIrp(&Q.Csq, (PVOID)1) == Irps[2]);
    CHECK_EQ(Q.Length, 0);
}

/* Cancelling a queued IRP: removed under the lock and handed to CsqCompleteCanceledIrp once. */
static VOID TestCancelQueued(VOID)
{
    ResetQueue(FALSE);
    ClearCounts();
    PrepareIrp(0, 1);
    PrepareIrp(1, 1);
    Queue(0, TRUE);
    Queue(1, FALSE);
    CHECK(IoCancelIrp(Irps[0]));
    CHECK(LastCanceled == Irps[0]);
    CHECK_EQ(Cancelled[0], 1);
    CHECK(Irps[0]->Cancel);
    CHECK(Irps[0]->CancelRoutine == NULL);
    CHECK(Contexts[0].Irp == NULL);
    CHECK_EQ(Q.Length, 1);
    CHECK(IoCsqRemoveIrp(&Q.Csq, &Contexts[0]) == NULL);
    /* Cancelling again finds no routine. */
    CHECK(!IoCancelIrp(Irps[0]));
    CHECK_EQ(Cancelled[0], 1);
    /* Without a context, at DISPATCH_LEVEL. */
    {
        KIRQL Old;
        KeRaiseIrql(DISPATCH_LEVEL, &Old);
        CHECK(IoCancelIrp(Irps[1]));
        KeLowerIrql(Old);
    }
    CHECK_EQ(Cancelled[1], 1);
    CHECK_EQ(Q.Length, 0);
    CHECK_EQ(Doubles, 0);
}

/* An IRP cancelled before it is queued goes straight to CsqCompleteCanceledIrp. */
static VOID TestInsertCancelled(VOID)
{
    ResetQueue(FALSE);
    ClearCounts();
    PrepareIrp(0, 1);
    CHECK(!IoCancelIrp(Irps[0])); /* no cancel routine yet: only Cancel is set */
    CHECK(Irps[0]->Cancel);
    Queue(0, TRUE);
    CHECK(LastCanceled == Irps[0]);
    CHECK_EQ(Cancelled[0], 1);
    CHECK_EQ(Q.Length, 0);
    CHECK(Irps[0]->CancelRoutine == NULL);
    CHECK(Contexts[0].Irp == NULL);
    CHECK(IoCsqRemoveIrp(&Q.Csq, &Contexts[0]) == NULL);
}

/* IoCsqInsertIrpEx: the callback's status; a failure leaves the IRP unqueued and untouched. */
static VOID TestInsertEx(VOID)
{
    NTSTATUS Status;
    ResetQueue(TRUE);
    ClearCounts();
    PrepareIrp(0, 1);
    Q.InsertStatus = STATUS_DEVICE_BUSY;
    Status = IoCsqInsertIrpEx(&Q.Csq, Irps[0], &Contexts[0], (PVOID)0x1234);
    CHECK_STATUS(Status, STATUS_DEVICE_BUSY);
    CHECK_EQ(Q.Length, 0);
    CHECK(Irps[0]->CancelRoutine == NULL);
    CHECK(!(IoGetCurrentIrpStackLocation(Irps[0])->Control & SL_PENDING_RETURNED));
    CHECK(IoCsqRemoveNextIrp(&Q.Csq, NULL) == NULL);
    /* The insert context reaches the callback. */
    CHECK_STATUS(IoCsqInsertIrpEx(&Q.Csq, Irps[0], &Contexts[0], (PVOID)0x99),
                 STATUS_INVALID_PARAMETER);
    Q.InsertStatus = STATUS_SUCCESS;
    Status = IoCsqInsertIrpEx(&Q.Csq, Irps[0], &Contexts[0], (PVOID)0x1234);
    CHECK_STATUS(Status, STATUS_SUCCESS);
    CHECK_EQ(Q.Length, 1);
    CHECK(IoGetCurrentIrpStackLocation(Irps[0])->Control & SL_PENDING_RETURNED);
    CHECK(IoCsqRemoveIrp(&Q.Csq, &Contexts[0]) == Irps[0]);
    CHECK_EQ(Q.Length, 0);
    /* A plain IoCsqInsertIrp on an Ex queue goes through the Ex callback too. */
    ResetQueue(FALSE);
}

/* Races. Each owner queues its own IRPs (half with a context) and takes them back by context or
 * from the head with its peek context, or from anyone's with none; the canceller cancels IRPs
 * at random all along. */
static VOID RaceOwner(PVOID Context)
{
    ULONG_PTR Owner = (ULONG_PTR)Context;
    LONG First = (LONG)(Owner - 1) * (NIRPS / NOWNERS), Count = NIRPS / NOWNERS;
    ULONG Round, Seed = (ULONG)Owner * 7919;
    LONG k;
    for (Round = 0; Round < ROUNDS; Round++) {
        for (k = 0; k < Count; k++) {
            LONG i = First + k;
            if (State[i] != 0)
                continue; /* still queued: someone else takes it */
            PrepareIrp(i, Owner);
            Queue(i, (k & 1) != 0);
        }
        for (k = 0; k < Count; k++) {
            LONG i = First + k;
            PIRP Irp = NULL;
            switch (TestRandom(&Seed) % 4) {
            case 3:
                /* Cancelled by its owner: whoever holds it then, the queue or a remover. */
                IoCancelIrp(Irps[i]);
                break;
            case 0:
                if (k & 1)
                    Irp = IoCsqRemoveIrp(&Q.Csq, &Contexts[i]);
                break;
            case 1:
                Irp = IoCsqRemoveNextIrp(&Q.Csq, (PVOID)Owner);
                break;
            default:
                Irp = IoCsqRemoveNextIrp(&Q.Csq, NULL);
                break;
            }
            if (Irp) {
                if (Irp->CancelRoutine != NULL)
                    InterlockedIncrement(&RoutineLeft);
                Took(Irp, Removed);
            }
        }
    }
    PsTerminateSystemThread(STATUS_SUCCESS);
}

static volatile LONG CancelCalls, CancelHits;

static VOID RaceCanceller(PVOID Context)
{
    ULONG Seed = 12345;
    UNREFERENCED_PARAMETER(Context);
    while (!Stop) {
        LONG i = (LONG)(TestRandom(&Seed) % NIRPS);
        InterlockedIncrement(&CancelCalls);
        if (IoCancelIrp(Irps[i]))
            InterlockedIncrement(&CancelHits);
    }
    PsTerminateSystemThread(STATUS_SUCCESS);
}

static VOID TestRaces(VOID)
{
    PKTHREAD Owners[NOWNERS], Canceller;
    LONG i, In = 0, Rem = 0, Can = 0;
    ULONG_PTR o;
    PIRP Irp;
    ResetQueue(FALSE);
    ClearCounts();
    Stop = 0;
    Canceller = KmtStartThread(RaceCanceller, NULL);
    for (o = 0; o < NOWNERS; o++)
        Owners[o] = KmtStartThread(RaceOwner, (PVOID)(o + 1));
    for (o = 0; o < NOWNERS; o++)
        KmtJoinThread(Owners[o]);
    InterlockedExchange(&Stop, 1);
    KmtJoinThread(Canceller);
    /* What is still queued comes out now. */
    while ((Irp = IoCsqRemoveNextIrp(&Q.Csq, NULL)) != NULL)
        Took(Irp, Removed);
    CHECK_EQ(Q.Length, 0);
    CHECK_EQ(Doubles, 0);
    CHECK_EQ(RoutineLeft, 0);
    for (i = 0; i < NIRPS; i++) {
        CHECK_EQ(State[i], 0);
        CHECK_EQ(Inserted[i], Removed[i] + Cancelled[i]);
        In += Inserted[i];
        Rem += Removed[i];
        Can += Cancelled[i];
    }
    DbgPrint("kmtest_csq: races: %ld insertions, %ld removed, %ld cancelled (%ld of %ld "
             "IoCancelIrp calls ran a cancel routine)\n",
             In, Rem, Can, CancelHits, CancelCalls);
    /* IoCancelIrp returned TRUE exactly for the IRPs that went the cancel way, less those
     * cancelled before they were queued (insert hands those over itself). */
    CHECK(CancelHits <= Can);
    CHECK(In >= NOWNERS * ROUNDS);
}

NTSTATUS DriverEntry(PDRIVER_OBJECT DriverObject, PUNICODE_STRING RegistryPath)
{
    LONG i;
    UNREFERENCED_PARAMETER(DriverObject);
    UNREFERENCED_PARAMETER(RegistryPath);
    for (i = 0; i < NIRPS; i++) {
        Irps[i] = IoAllocateIrp(1, FALSE);
        CHECK(Irps[i] != NULL);
        if (Irps[i] == NULL)
            return KmtFinish("kmtest_csq");
    }
    KMT_RUN("kmtest_csq", TestInitialize());
    KMT_RUN("kmtest_csq", TestInsertRemove());
    KMT_RUN("kmtest_csq", TestPeekContext());
    KMT_RUN("kmtest_csq", TestCancelQueued());
    KMT_RUN("kmtest_csq", TestInsertCancelled());
    KMT_RUN("kmtest_csq", TestInsertEx());
    KMT_RUN("kmtest_csq", TestRaces());
    for (i = 0; i < NIRPS; i++)
        IoFreeIrp(Irps[i]);
    CHECK_EQ(KeGetCurrentIrql(), PASSIVE_LEVEL);
    return KmtFinish("kmtest_csq");
}
