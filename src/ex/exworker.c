/* Ex: executive work queues and their system worker threads. A queue's workers start when it
 * is first used and more start, up to a cap, while every worker of the queue is busy, so a
 * work item that waits for another one on the same queue does not deadlock. Workers live in
 * the System process and never exit, as on Windows. */
#include "exworker.h"
#include "../vf/vfddi.h"

_Static_assert(sizeof(WORK_QUEUE_ITEM) == 0x20, "WORK_QUEUE_ITEM is 0x20 bytes on x64");

#define EXP_MAX_WORKERS 16 /* per queue */

typedef struct _EXP_WORK_QUEUE {
    KSPIN_LOCK Lock;
    LIST_ENTRY ItemList;
    KEVENT Wake;          /* synchronization event: wakes one idle worker */
    ULONG Items;          /* in ItemList */
    ULONG Idle;           /* workers waiting on (or about to wait on) Wake */
    ULONG Threads;        /* workers started or being started */
    KPRIORITY Priority;
} EXP_WORK_QUEUE, *PEXP_WORK_QUEUE;

static EXP_WORK_QUEUE ExpWorkQueue[MaximumWorkQueue];
static KSPIN_LOCK ExpWorkQueueInitLock;
static BOOLEAN ExpWorkQueuesReady;

/* Windows 10's worker priorities, by WORK_QUEUE_TYPE. */
static const KPRIORITY ExpQueuePriority[MaximumWorkQueue] = { 13, 12, 15, 8, 7, 18, 14 };

/* The kernel has no Ex start-up hook for workers, so the queues initialize on first use, which
 * may come from a DPC: a spin lock, not a mutex, guards it, and the queue's wait object is an
 * event (KeInitializeEvent is callable at any IRQL; KeInitializeSemaphore is not). */
static VOID ExpInitializeWorkQueues(VOID)
{
    KIRQL OldIrql;
    ULONG i;
    if (__atomic_load_n(&ExpWorkQueuesReady, __ATOMIC_ACQUIRE))
        return;
    KeAcquireSpinLock(&ExpWorkQueueInitLock, &OldIrql);
    if (!ExpWorkQueuesReady) {
        for (i = 0; i < MaximumWorkQueue; i++) {
            KeInitializeSpinLock(&ExpWorkQueue[i].Lock);
            InitializeListHead(&ExpWorkQueue[i].ItemList);
            KeInitializeEvent(&ExpWorkQueue[i].Wake, SynchronizationEvent, FALSE);
            ExpWorkQueue[i].Priority = ExpQueuePriority[i];
        }
        __atomic_store_n(&ExpWorkQueuesReady, TRUE, __ATOMIC_RELEASE);
    }
    KeReleaseSpinLock(&ExpWorkQueueInitLock, OldIrql);
}

/* What Windows checks when a work routine returns to its worker: PASSIVE_LEVEL, and every
 * critical or guarded region left. The parameters name the routine and item to blame. */
VOID ExpCheckWorkerReturn(ULONG_PTR Routine, PVOID Parameter, PVOID Item)
{
    PKTHREAD Thread = KeGetCurrentThread();
    KIRQL Irql = KeGetCurrentIrql();
    if (Irql != PASSIVE_LEVEL) {
        KdpLog("ntk: work routine %p returned at IRQL %u\n", (PVOID)Routine, Irql);
        KeBugCheckEx(WORKER_THREAD_RETURNED_AT_BAD_IRQL, Routine, Irql, (ULONG_PTR)Parameter,
                     (ULONG_PTR)Item);
    }
    if (KeAreApcsDisabled()) {
        ULONG Combined = KiCombinedApcDisable(Thread);
        KdpLog("ntk: work routine %p returned with APCs disabled (a critical or guarded region "
               "was not left)\n",
               (PVOID)Routine);
        KeBugCheckEx(APC_INDEX_MISMATCH, Routine, 0, Combined, 1);
    }
}

static VOID ExpWorkerLoop(PEXP_WORK_QUEUE Queue)
{
    PKTHREAD Thread = KeGetCurrentThread();
    KeSetPriorityThread(Thread, Queue->Priority);
    for (;;) {
        PWORKER_THREAD_ROUTINE Routine;
        PWORK_QUEUE_ITEM Item;
        PVOID Parameter;
        KIRQL OldIrql;

        /* A wake merged with another (the event was already set) leaves an item behind: the
         * worker that woke takes every item before it waits again. */
        KeAcquireSpinLock(&Queue->Lock, &OldIrql);
        while (IsListEmpty(&Queue->ItemList)) {
            Queue->Idle++;
            KeReleaseSpinLock(&Queue->Lock, OldIrql);
            KeWaitForSingleObject(&Queue->Wake, WrQueue, KernelMode, FALSE, NULL);
            KeAcquireSpinLock(&Queue->Lock, &OldIrql);
            Queue->Idle--;
        }
        Queue->Items--;
        Item = CONTAINING_RECORD(RemoveHeadList(&Queue->ItemList), WORK_QUEUE_ITEM, List);
        Routine = Item->WorkerRoutine;
        Parameter = Item->Parameter;
        /* Dequeued before it runs: the routine may queue the item again or free it. */
        Item->List.Flink = NULL;
        KeReleaseSpinLock(&Queue->Lock, OldIrql);

        Routine(Parameter);
        ExpCheckWorkerReturn((ULONG_PTR)Routine, Parameter, Item);
        /* The next routine gets the queue's priority whatever this one did to the thread. */
        if (KeQueryPriorityThread(Thread) != Queue->Priority)
            KeSetPriorityThread(Thread, Queue->Priority);
    }
}

static VOID ExpWorkerThread(PVOID Context)
{
    PVOID volatile Queue = Context;
    /* A worker must never end: a routine calling PsTerminateSystemThread lands here. */
    if (_setjmp(PsGetCurrentEThread()->ExitFrame) != 0)
        KeBugCheckEx(ACTIVE_EX_WORKER_THREAD_TERMINATION, (ULONG_PTR)PsGetCurrentThread(), 0, 0,
                     0);
    ExpWorkerLoop(Queue);
}

/* Windows starts workers at boot and from the balance-set manager, both at PASSIVE_LEVEL. ntk
 * starts them on demand, and the first demand may come from a DPC: above PASSIVE_LEVEL the
 * worker is created through Ps's internal routine, which needs no handle. */
static VOID ExpCreateWorker(PEXP_WORK_QUEUE Queue)
{
    NTSTATUS Status;
    KIRQL OldIrql;
    ULONG Left;
    if (KeGetCurrentIrql() == PASSIVE_LEVEL) {
        OBJECT_ATTRIBUTES Attributes;
        HANDLE Handle;
        InitializeObjectAttributes(&Attributes, NULL, OBJ_KERNEL_HANDLE, NULL, NULL);
        Status = PsCreateSystemThread(&Handle, THREAD_ALL_ACCESS, &Attributes, NULL, NULL,
                                      ExpWorkerThread, Queue);
        if (NT_SUCCESS(Status))
            ZwClose(Handle);
    } else {
        PETHREAD Thread;
        Status = PspCreateThread(PsInitialSystemProcess, TRUE, ExpWorkerThread, NULL, Queue,
                                 FALSE, &Thread);
        if (NT_SUCCESS(Status))
            ObfDereferenceObject(Thread);
    }
    if (NT_SUCCESS(Status))
        return;
    KeAcquireSpinLock(&Queue->Lock, &OldIrql);
    Left = --Queue->Threads;
    KeReleaseSpinLock(&Queue->Lock, OldIrql);
    KdpLog("ntk: cannot start a system worker thread (0x%08X)%s\n", (unsigned)Status,
           Left == 0 ? "; its queue's items wait for the next ExQueueWorkItem" : "");
}

BOOLEAN ExpQueueWorkItem(PWORK_QUEUE_ITEM WorkItem, WORK_QUEUE_TYPE QueueType, BOOLEAN IfIdle,
                         PVOID Caller)
{
    KIRQL Irql = KeGetCurrentIrql();
    PEXP_WORK_QUEUE Queue;
    BOOLEAN Grow;
    KIRQL OldIrql;

    if (Irql > DISPATCH_LEVEL)
        KeBugCheckEx(IRQL_NOT_LESS_OR_EQUAL, (ULONG_PTR)WorkItem, Irql, 0, (ULONG_PTR)Caller);
    if ((ULONG)QueueType >= MaximumWorkQueue)
        KeBugCheckEx(WORKER_INVALID, 6, (ULONG_PTR)WorkItem, (ULONG)QueueType, 0);
    if (WorkItem->WorkerRoutine == NULL)
        KeBugCheckEx(WORKER_INVALID, 7, (ULONG_PTR)WorkItem, (ULONG)QueueType, 0);
    ExpInitializeWorkQueues();
    Queue = &ExpWorkQueue[QueueType];

    KeAcquireSpinLock(&Queue->Lock, &OldIrql);
    if (WorkItem->List.Flink != NULL) {
        KdpLog("ntk: work item %p queued while it is still queued (routine %p)\n", WorkItem,
               (PVOID)WorkItem->WorkerRoutine);
        KeBugCheckEx(WORKER_INVALID, 1, (ULONG_PTR)WorkItem, (ULONG)QueueType, 0);
    }
    if (IfIdle && Queue->Idle <= Queue->Items) {
        KeReleaseSpinLock(&Queue->Lock, OldIrql);
        return FALSE;
    }
    InsertTailList(&Queue->ItemList, &WorkItem->List);
    Queue->Items++;
    /* Every idle worker already has an item to take: start another. */
    Grow = Queue->Items > Queue->Idle && Queue->Threads < EXP_MAX_WORKERS;
    if (Grow)
        Queue->Threads++;
    KeReleaseSpinLock(&Queue->Lock, OldIrql);
    KeSetEvent(&Queue->Wake, 0, FALSE);
    if (Grow)
        ExpCreateWorker(Queue);
    return TRUE;
}

VOID ExQueueWorkItem(PWORK_QUEUE_ITEM WorkItem, WORK_QUEUE_TYPE QueueType)
{
    VF_CHECK_IRQL(ExQueueWorkItem);
    ExpQueueWorkItem(WorkItem, QueueType, FALSE, __builtin_return_address(0));
}
