/* The queue object DDIs (ntifs.h): KeInitializeQueue, KeInsertQueue, KeInsertHeadQueue,
 * KeRemoveQueue, KeReadStateQueue, KeRundownQueue, their documented returns, a waiter woken by
 * an insertion, an insertion at DISPATCH_LEVEL, a run-down releasing a waiter with
 * STATUS_ABANDONED, the concurrency value. Runs in DriverEntry. */
#include "../ke/kmtest_ke.h"

typedef struct _ENTRY {
    LIST_ENTRY Link;
    ULONG Value;
} ENTRY;

static KQUEUE Queue;
static KEVENT Started;
static PLIST_ENTRY ThreadResult;

static VOID RemoveForever(PVOID Context)
{
    UNREFERENCED_PARAMETER(Context);
    KeSetEvent(&Started, IO_NO_INCREMENT, FALSE);
    /* Whether it is already waiting when the entry (or the run-down) comes does not matter:
     * the outcome is the same. */
    ThreadResult = KeRemoveQueue(&Queue, KernelMode, NULL);
    PsTerminateSystemThread(STATUS_SUCCESS);
}

static VOID TestOrder(VOID)
{
    ENTRY A = { .Value = 1 }, B = { .Value = 2 }, C = { .Value = 3 };
    LARGE_INTEGER Zero = { .QuadPart = 0 };
    KIRQL Irql;

    KeInitializeQueue(&Queue, 0);
    CHECK_EQ(Queue.Header.Type, QueueObject);
    CHECK_EQ(KeReadStateQueue(&Queue), 0);
    /* "STATUS_TIMEOUT, if the given Timeout interval expired before an entry became
     * available" (a zero timeout: the queue is empty). */
    CHECK(KeRemoveQueue(&Queue, KernelMode, &Zero) == (PLIST_ENTRY)(LONG_PTR)STATUS_TIMEOUT);
    /* KeInsertQueue returns the previous signal state: the number of entries queued. */
    CHECK_EQ(KeInsertQueue(&Queue, &A.Link), 0);
    CHECK_EQ(KeInsertQueue(&Queue, &B.Link), 1);
    CHECK_EQ(KeInsertHeadQueue(&Queue, &C.Link), 2);
    CHECK_EQ(KeReadStateQueue(&Queue), 3);
    CHECK(KeRemoveQueue(&Queue, KernelMode, &Zero) == &C.Link);
    CHECK(KeRemoveQueue(&Queue, KernelMode, NULL) == &A.Link);
    CHECK(KeRemoveQueue(&Queue, KernelMode, &Zero) == &B.Link);
    CHECK_EQ(KeReadStateQueue(&Queue), 0);
    /* At DISPATCH_LEVEL ("<= DISPATCH_LEVEL"). */
    KeRaiseIrql(DISPATCH_LEVEL, &Irql);
    CHECK_EQ(KeInsertQueue(&Queue, &A.Link), 0);
    CHECK(KeRemoveQueue(&Queue, KernelMode, &Zero) == &A.Link);
    KeLowerIrql(Irql);
    /* This thread is associated with the queue now: the run-down ends that before the storage
     * is initialized again. */
    CHECK(KeRundownQueue(&Queue) == NULL);
}

static VOID TestWaiter(VOID)
{
    ENTRY A = { .Value = 4 };
    PKTHREAD Thread;
    KeInitializeQueue(&Queue, 1);
    KeInitializeEvent(&Started, NotificationEvent, FALSE);
    Thread = KmtStartThread(RemoveForever, NULL);
    CHECK_STATUS(KmtWait(&Started), STATUS_SUCCESS);
    CHECK_EQ(KeInsertQueue(&Queue, &A.Link), 0);
    KmtJoinThread(Thread);
    CHECK(ThreadResult == &A.Link);
    CHECK_EQ(KeReadStateQueue(&Queue), 0);
    CHECK(KeRundownQueue(&Queue) == NULL);
}

static VOID TestRundown(VOID)
{
    ENTRY A = { .Value = 5 }, B = { .Value = 6 };
    LARGE_INTEGER Zero = { .QuadPart = 0 };
    PLIST_ENTRY First;
    PKTHREAD Thread;

    KeInitializeQueue(&Queue, 0);
    CHECK(KeRundownQueue(&Queue) == NULL); /* nothing queued */
    KeInitializeQueue(&Queue, 0);
    KeInsertQueue(&Queue, &A.Link);
    KeInsertQueue(&Queue, &B.Link);
    /* The entries left come back as a list without a head. */
    First = KeRundownQueue(&Queue);
    CHECK(First == &A.Link);
    CHECK(First->Flink == &B.Link);
    CHECK(B.Link.Flink == &A.Link);
    CHECK(A.Link.Blink == &B.Link);
    /* "STATUS_ABANDONED, if the queue has been run down." */
    CHECK(KeRemoveQueue(&Queue, KernelMode, &Zero) == (PLIST_ENTRY)(LONG_PTR)STATUS_ABANDONED);

    KeInitializeQueue(&Queue, 0);
    KeInitializeEvent(&Started, NotificationEvent, FALSE);
    Thread = KmtStartThread(RemoveForever, NULL);
    CHECK_STATUS(KmtWait(&Started), STATUS_SUCCESS);
    CHECK(KeRundownQueue(&Queue) == NULL);
    KmtJoinThread(Thread);
    CHECK(ThreadResult == (PLIST_ENTRY)(LONG_PTR)STATUS_ABANDONED);
}

static volatile LONG HoldRelease, Holding;

/* Takes an entry, then runs (spins, no wait) until released, then exits while counted. */
static VOID RemoveAndHold(PVOID Context)
{
    UNREFERENCED_PARAMETER(Context);
    ThreadResult = KeRemoveQueue(&Queue, KernelMode, NULL);
    InterlockedExchange(&Holding, 1);
    while (InterlockedCompareExchange(&HoldRelease, 0, 0) == 0)
        YieldProcessor();
    PsTerminateSystemThread(STATUS_SUCCESS);
}

/* A queue of concurrency 1: while a thread runs for it, another finds no entry it may take;
 * the running thread's exit frees its place. */
static VOID TestConcurrency(VOID)
{
    ENTRY A = { .Value = 7 }, B = { .Value = 8 };
    LARGE_INTEGER Zero = { .QuadPart = 0 };
    PKTHREAD Thread;

    KeInitializeQueue(&Queue, 1);
    CHECK_EQ(Queue.MaximumCount, 1);
    KeInsertQueue(&Queue, &A.Link);
    Thread = KmtStartThread(RemoveAndHold, NULL);
    while (InterlockedCompareExchange(&Holding, 0, 0) == 0)
        YieldProcessor();
    CHECK(ThreadResult == &A.Link);
    CHECK_EQ(Queue.CurrentCount, 1);
    KeInsertQueue(&Queue, &B.Link);
    CHECK(KeRemoveQueue(&Queue, KernelMode, &Zero) == (PLIST_ENTRY)(LONG_PTR)STATUS_TIMEOUT);
    CHECK_EQ(KeReadStateQueue(&Queue), 1);
    InterlockedExchange(&HoldRelease, 1);
    KmtJoinThread(Thread);
    /* This thread's failed removal left it associated and running for the queue; the exited
     * thread's place is free, so this thread, done with nothing, takes B. */
    CHECK(KeRemoveQueue(&Queue, KernelMode, &Zero) == &B.Link);
    CHECK_EQ(Queue.CurrentCount, 1);
    CHECK(KeRundownQueue(&Queue) == NULL);
    CHECK_EQ(Queue.CurrentCount, 0);
}

/* The port's type is an object in \ObjectTypes, of the type "Type". */
static VOID TestType(VOID)
{
    UNICODE_STRING Name = RTL_CONSTANT_STRING(L"\\ObjectTypes\\IoCompletion");
    PVOID Type = NULL;
    CHECK_STATUS(ObReferenceObjectByName(&Name, OBJ_CASE_INSENSITIVE, NULL, 0, NULL, KernelMode,
                                         NULL, &Type),
                 STATUS_SUCCESS);
    if (Type != NULL) {
        CHECK(ObGetObjectType(Type) == ObGetObjectType(*ExEventObjectType));
        ObDereferenceObject(Type);
    }
}

NTSTATUS DriverEntry(PDRIVER_OBJECT DriverObject, PUNICODE_STRING RegistryPath)
{
    UNREFERENCED_PARAMETER(DriverObject);
    UNREFERENCED_PARAMETER(RegistryPath);
    KMT_RUN("kmtest_queue", TestOrder());
    KMT_RUN("kmtest_queue", TestWaiter());
    KMT_RUN("kmtest_queue", TestRundown());
    KMT_RUN("kmtest_queue", TestConcurrency());
    KMT_RUN("kmtest_queue", TestType());
    return KmtFinish("kmtest_queue");
}
