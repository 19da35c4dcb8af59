/* Io: I/O work items. Unlike an executive work item, a queued I/O work item holds a reference
 * on its device (or driver) object until its routine has returned, and the I/O manager counts
 * it against the driver, so unloading the driver waits for it (IopRundownDriverWorkItems), as
 * it does for threads from IoCreateSystemThread: Windows keeps such a driver's image loaded. */
#include "../ex/exworker.h"
#include "../vf/vfddi.h"
#include <string.h>

#define IOP_TAG_WORKITEM 0x6B576F49 /* 'IoWk' */
#define IOP_MAX_WORK_DRIVERS 64

/* Drivers with I/O work items queued or running or IoCreateSystemThread threads running, and
 * an event set when a driver has none. */
typedef struct _IOP_DRIVER_WORK {
    PDRIVER_OBJECT Driver;
    LONG Outstanding; /* work items and threads */
    LONG Threads;
    KEVENT Idle;
} IOP_DRIVER_WORK, *PIOP_DRIVER_WORK;

typedef struct _IO_WORKITEM {
    WORK_QUEUE_ITEM WorkItem; /* what the executive queues; runs IopProcessWorkItem */
    PVOID IoObject;           /* a device object, or a driver object (IoInitializeWorkItem) */
    union {
        PIO_WORKITEM_ROUTINE Routine;
        PIO_WORKITEM_ROUTINE_EX RoutineEx;
    };
    PVOID Context;
    PVOID Tracking;           /* the driver's count this item is in, while queued */
    volatile LONG Queued;     /* from IoQueueWorkItem until its routine is called */
    BOOLEAN Extended;
} IO_WORKITEM;

static IOP_DRIVER_WORK IopDriverWork[IOP_MAX_WORK_DRIVERS];
static KSPIN_LOCK IopDriverWorkLock;

static PDRIVER_OBJECT IopDriverOfIoObject(PVOID IoObject)
{
    PDEVICE_OBJECT Device = IoObject;
    return Device->Type == IO_TYPE_DEVICE ? Device->DriverObject : (PDRIVER_OBJECT)IoObject;
}

static PIOP_DRIVER_WORK IopFindDriverWork(PDRIVER_OBJECT Driver)
{
    ULONG i;
    for (i = 0; i < IOP_MAX_WORK_DRIVERS; i++) {
        if (IopDriverWork[i].Driver == Driver)
            return &IopDriverWork[i];
    }
    return NULL;
}

/* Counts a queued item or a thread against the driver of IoObject; a fixed table, as queueing
 * may be at DISPATCH_LEVEL where allocating is best avoided. */
PVOID IopReferenceDriverWork(PVOID IoObject, BOOLEAN Thread)
{
    PDRIVER_OBJECT Driver = IopDriverOfIoObject(IoObject);
    PIOP_DRIVER_WORK Entry;
    KIRQL OldIrql;
    KeAcquireSpinLock(&IopDriverWorkLock, &OldIrql);
    Entry = IopFindDriverWork(Driver);
    if (Entry == NULL) {
        Entry = IopFindDriverWork(NULL);
        if (Entry != NULL) {
            Entry->Driver = Driver;
            Entry->Outstanding = 0;
            Entry->Threads = 0;
            KeInitializeEvent(&Entry->Idle, NotificationEvent, TRUE);
        }
    }
    if (Entry != NULL) {
        if (Entry->Outstanding++ == 0)
            KeClearEvent(&Entry->Idle);
        Entry->Threads += Thread;
    }
    KeReleaseSpinLock(&IopDriverWorkLock, OldIrql);
    if (Entry == NULL)
        KdpLog("ntk: too many drivers with work items; unloading %wZ will not wait for its own\n",
               &Driver->DriverName);
    return Entry;
}

VOID IopDereferenceDriverWork(PVOID Reference, BOOLEAN Thread)
{
    PIOP_DRIVER_WORK Entry = Reference;
    KIRQL OldIrql;
    if (Entry == NULL)
        return;
    KeAcquireSpinLock(&IopDriverWorkLock, &OldIrql);
    Entry->Threads -= Thread;
    if (--Entry->Outstanding == 0)
        KeSetEvent(&Entry->Idle, IO_NO_INCREMENT, FALSE);
    KeReleaseSpinLock(&IopDriverWorkLock, OldIrql);
}

/* The loader calls this after DriverUnload and before it unmaps the image: it returns once no
 * I/O work item of the driver is queued or running and no IoCreateSystemThread thread of it
 * runs. A thread the driver never stops keeps it waiting, as it keeps a driver loaded on
 * Windows; ntk says so after a while. */
VOID IopRundownDriverWorkItems(PDRIVER_OBJECT DriverObject)
{
    BOOLEAN Logged = FALSE, Warned = FALSE;
    if (KeGetCurrentIrql() != PASSIVE_LEVEL)
        KeBugCheckEx(IRQL_NOT_LESS_OR_EQUAL, (ULONG_PTR)DriverObject, KeGetCurrentIrql(), 0,
                     (ULONG_PTR)IopRundownDriverWorkItems);
    for (;;) {
        LARGE_INTEGER Slice;
        PIOP_DRIVER_WORK Entry;
        LONG Outstanding, Threads;
        KIRQL OldIrql;
        KeAcquireSpinLock(&IopDriverWorkLock, &OldIrql);
        Entry = IopFindDriverWork(DriverObject);
        Outstanding = Entry ? Entry->Outstanding : 0;
        Threads = Entry ? Entry->Threads : 0;
        if (Entry != NULL && Outstanding == 0)
            Entry->Driver = NULL; /* only this routine frees an entry, so Entry stays valid */
        KeReleaseSpinLock(&IopDriverWorkLock, OldIrql);
        if (Outstanding == 0)
            return;
        if (!Logged && Threads == 0)
            KdpLog("ntk: unloading %wZ waits for %ld queued work item(s)\n",
                   &DriverObject->DriverName, (long)Outstanding);
        else if (!Logged)
            KdpLog("ntk: unloading %wZ waits for %ld work item(s) and %ld thread(s) from "
                   "IoCreateSystemThread\n",
                   &DriverObject->DriverName, (long)(Outstanding - Threads), (long)Threads);
        Logged = TRUE;
        Slice.QuadPart = -10LL * 1000 * 1000 * 5;
        if (KeWaitForSingleObject(&Entry->Idle, Executive, KernelMode, FALSE, &Slice) ==
                STATUS_TIMEOUT &&
            !Warned && Threads > 0) {
            KdpLog("ntk: %wZ has not stopped its IoCreateSystemThread thread(s); the driver "
                   "stays loaded until they exit\n",
                   &DriverObject->DriverName);
            Warned = TRUE;
        }
    }
}

/* The executive routine of every I/O work item. */
static VOID IopProcessWorkItem(PVOID Parameter)
{
    PIO_WORKITEM IoWorkItem = Parameter;
    PVOID IoObject = IoWorkItem->IoObject;
    PVOID Context = IoWorkItem->Context;
    PVOID Tracking = IoWorkItem->Tracking;
    ULONG_PTR Routine;

    /* Dequeued before its routine runs: the routine may free the item or queue it again. */
    if (IoWorkItem->Extended) {
        PIO_WORKITEM_ROUTINE_EX RoutineEx = IoWorkItem->RoutineEx;
        Routine = (ULONG_PTR)RoutineEx;
        __atomic_store_n(&IoWorkItem->Queued, 0, __ATOMIC_RELEASE);
        RoutineEx(IoObject, Context, IoWorkItem);
    } else {
        PIO_WORKITEM_ROUTINE Routine0 = IoWorkItem->Routine;
        Routine = (ULONG_PTR)Routine0;
        __atomic_store_n(&IoWorkItem->Queued, 0, __ATOMIC_RELEASE);
        Routine0(IoObject, Context);
    }
    /* Blame the driver's routine, not this one, if it returned at a bad IRQL. */
    ExpCheckWorkerReturn(Routine, Context, IoWorkItem);
    IopDereferenceDriverWork(Tracking, FALSE);
    ObfDereferenceObject(IoObject);
}

static BOOLEAN IopQueueWorkItem(PIO_WORKITEM IoWorkItem, PIO_WORKITEM_ROUTINE Routine,
                                PIO_WORKITEM_ROUTINE_EX RoutineEx, WORK_QUEUE_TYPE QueueType,
                                PVOID Context, BOOLEAN IfIdle, PVOID Caller)
{
    KIRQL Irql = KeGetCurrentIrql();
    if (Irql > DISPATCH_LEVEL)
        KeBugCheckEx(IRQL_NOT_LESS_OR_EQUAL, (ULONG_PTR)IoWorkItem, Irql, 0, (ULONG_PTR)Caller);
    if ((ULONG)QueueType >= MaximumWorkQueue)
        KeBugCheckEx(WORKER_INVALID, 6, (ULONG_PTR)IoWorkItem, (ULONG)QueueType, 0);
    if (Routine == NULL && RoutineEx == NULL)
        KeBugCheckEx(WORKER_INVALID, 7, (ULONG_PTR)IoWorkItem, (ULONG)QueueType, 0);
    if (__atomic_exchange_n(&IoWorkItem->Queued, 1, __ATOMIC_ACQ_REL) != 0) {
        KdpLog("ntk: I/O work item %p queued again before its routine ran\n", IoWorkItem);
        KeBugCheckEx(WORKER_INVALID, 1, (ULONG_PTR)IoWorkItem, (ULONG)QueueType, 0);
    }
    IoWorkItem->Extended = RoutineEx != NULL;
    if (RoutineEx != NULL)
        IoWorkItem->RoutineEx = RoutineEx;
    else
        IoWorkItem->Routine = Routine;
    IoWorkItem->Context = Context;
    /* The device object, and through it the driver, stays until the routine has returned. */
    ObfReferenceObject(IoWorkItem->IoObject);
    IoWorkItem->Tracking = IopReferenceDriverWork(IoWorkItem->IoObject, FALSE);
    ExInitializeWorkItem(&IoWorkItem->WorkItem, IopProcessWorkItem, IoWorkItem);
    if (ExpQueueWorkItem(&IoWorkItem->WorkItem, QueueType, IfIdle, Caller))
        return TRUE;
    IopDereferenceDriverWork(IoWorkItem->Tracking, FALSE);
    ObfDereferenceObject(IoWorkItem->IoObject);
    __atomic_store_n(&IoWorkItem->Queued, 0, __ATOMIC_RELEASE);
    return FALSE;
}

VOID IoQueueWorkItem(PIO_WORKITEM IoWorkItem, PIO_WORKITEM_ROUTINE WorkerRoutine,
                     WORK_QUEUE_TYPE QueueType, PVOID Context)
{
    VF_CHECK_IRQL(IoQueueWorkItem);
    IopQueueWorkItem(IoWorkItem, WorkerRoutine, NULL, QueueType, Context, FALSE,
                     __builtin_return_address(0));
}

VOID IoQueueWorkItemEx(PIO_WORKITEM IoWorkItem, PIO_WORKITEM_ROUTINE_EX WorkerRoutine,
                       WORK_QUEUE_TYPE QueueType, PVOID Context)
{
    VF_CHECK_IRQL(IoQueueWorkItemEx);
    if (WorkerRoutine == NULL)
        KeBugCheckEx(WORKER_INVALID, 7, (ULONG_PTR)IoWorkItem, (ULONG)QueueType, 0);
    IopQueueWorkItem(IoWorkItem, NULL, WorkerRoutine, QueueType, Context, FALSE,
                     __builtin_return_address(0));
}

/* Queues only if a worker of that queue is free to take the item now. */
BOOLEAN IoTryQueueWorkItem(PIO_WORKITEM IoWorkItem, PIO_WORKITEM_ROUTINE_EX WorkerRoutine,
                           WORK_QUEUE_TYPE QueueType, PVOID Context)
{
    VF_CHECK_IRQL(IoTryQueueWorkItem);
    if (WorkerRoutine == NULL)
        KeBugCheckEx(WORKER_INVALID, 7, (ULONG_PTR)IoWorkItem, (ULONG)QueueType, 0);
    return IopQueueWorkItem(IoWorkItem, NULL, WorkerRoutine, QueueType, Context, TRUE,
                            __builtin_return_address(0));
}

ULONG IoSizeofWorkItem(VOID)
{
    return sizeof(IO_WORKITEM);
}

VOID IoInitializeWorkItem(PVOID IoObject, PIO_WORKITEM IoWorkItem)
{
    PDEVICE_OBJECT Object = IoObject;
    if (Object == NULL || (Object->Type != IO_TYPE_DEVICE && Object->Type != IO_TYPE_DRIVER)) {
        KdpLog("ntk: IoInitializeWorkItem: %p is neither a device nor a driver object\n",
               IoObject);
        KeBugCheckEx(WORKER_INVALID, 3, (ULONG_PTR)IoWorkItem, (ULONG_PTR)IoObject, 0);
    }
    memset(IoWorkItem, 0, sizeof(*IoWorkItem));
    IoWorkItem->IoObject = IoObject;
}

/* Freeing or uninitializing an item that is still queued: Windows' WORKER_INVALID 2. */
static VOID IopCheckNotQueued(PIO_WORKITEM IoWorkItem)
{
    if (__atomic_load_n(&IoWorkItem->Queued, __ATOMIC_ACQUIRE) != 0) {
        KdpLog("ntk: I/O work item %p freed while it is queued\n", IoWorkItem);
        KeBugCheckEx(WORKER_INVALID, 2, (ULONG_PTR)IoWorkItem,
                     IoWorkItem->Extended ? (ULONG_PTR)IoWorkItem->RoutineEx
                                          : (ULONG_PTR)IoWorkItem->Routine,
                     0);
    }
}

VOID IoUninitializeWorkItem(PIO_WORKITEM IoWorkItem)
{
    IopCheckNotQueued(IoWorkItem);
    IoWorkItem->IoObject = NULL;
}

PIO_WORKITEM IoAllocateWorkItem(PDEVICE_OBJECT DeviceObject)
{
    VF_CHECK_IRQL(IoAllocateWorkItem);
    PIO_WORKITEM IoWorkItem;
    if (KeGetCurrentIrql() > DISPATCH_LEVEL)
        KeBugCheckEx(IRQL_NOT_LESS_OR_EQUAL, (ULONG_PTR)DeviceObject, KeGetCurrentIrql(), 0,
                     (ULONG_PTR)__builtin_return_address(0));
    IoWorkItem = ExAllocatePool2(POOL_FLAG_NON_PAGED, sizeof(*IoWorkItem), IOP_TAG_WORKITEM);
    if (IoWorkItem != NULL)
        IoInitializeWorkItem(DeviceObject, IoWorkItem);
    return IoWorkItem;
}

VOID IoFreeWorkItem(PIO_WORKITEM IoWorkItem)
{
    VF_CHECK_IRQL(IoFreeWorkItem);
    if (KeGetCurrentIrql() > DISPATCH_LEVEL)
        KeBugCheckEx(IRQL_NOT_LESS_OR_EQUAL, (ULONG_PTR)IoWorkItem, KeGetCurrentIrql(), 0,
                     (ULONG_PTR)__builtin_return_address(0));
    IopCheckNotQueued(IoWorkItem);
    ExFreePoolWithTag(IoWorkItem, IOP_TAG_WORKITEM);
}
