/* kmtest_work: kernel-mode checks of executive and I/O work items, the system worker threads
 * and IoCreateSystemThread, run from DriverEntry. Each failed check is printed; DriverEntry
 * fails (STATUS_UNSUCCESSFUL) if any did, so `ntk run --driver kmtest_work.so` exits 0 only
 * when everything passed. Only documented DDIs are used. */
#include <ntddk.h>
#include "../ntktest.h"

#define SYSTEM_PROCESS_ID ((HANDLE)(ULONG_PTR)4)

static LARGE_INTEGER KmtTimeout(LONG Milliseconds)
{
    LARGE_INTEGER t;
    t.QuadPart = -10000LL * Milliseconds;
    return t;
}

static NTSTATUS KmtWait(PKEVENT Event)
{
    LARGE_INTEGER t = KmtTimeout(10000);
    return KeWaitForSingleObject(Event, Executive, KernelMode, FALSE, &t);
}

/* What a routine saw about the thread it ran on. */
typedef struct _KMT_SEEN {
    KEVENT Done;
    KIRQL Irql;
    BOOLEAN SystemThread;
    HANDLE ProcessId;
    HANDLE ThreadId;
    KPRIORITY Priority;
    PVOID Parameter;
    PVOID IoObject;
    PVOID Item;
    LONG Runs;
} KMT_SEEN;

static VOID KmtInitSeen(KMT_SEEN *Seen)
{
    RtlZeroMemory(Seen, sizeof(*Seen));
    KeInitializeEvent(&Seen->Done, NotificationEvent, FALSE);
    Seen->Irql = 0xFF;
}

static VOID KmtRecord(KMT_SEEN *Seen, PVOID Parameter)
{
    Seen->Irql = KeGetCurrentIrql();
    Seen->SystemThread = PsIsSystemThread(PsGetCurrentThread());
    Seen->ProcessId = PsGetCurrentProcessId();
    Seen->ThreadId = PsGetCurrentThreadId();
    Seen->Priority = KeQueryPriorityThread(KeGetCurrentThread());
    Seen->Parameter = Parameter;
}

/* ---- Executive work items ---- */

typedef struct _KMT_EX_ITEM {
    WORK_QUEUE_ITEM Item;
    KMT_SEEN Seen;
} KMT_EX_ITEM;

static VOID KmtExRoutine(PVOID Parameter)
{
    KMT_EX_ITEM *Work = Parameter;
    KmtRecord(&Work->Seen, Parameter);
    KeSetEvent(&Work->Seen.Done, IO_NO_INCREMENT, FALSE);
}

static void TestExQueue(WORK_QUEUE_TYPE Type, KPRIORITY ExpectedPriority, BOOLEAN AtDispatch)
{
    KMT_EX_ITEM *Work = ExAllocatePool2(POOL_FLAG_NON_PAGED, sizeof(*Work), 'kWmK');
    CHECK(Work != NULL);
    if (Work == NULL)
        return;
    KmtInitSeen(&Work->Seen);
    ExInitializeWorkItem(&Work->Item, KmtExRoutine, Work);
    CHECK(Work->Item.List.Flink == NULL);
    CHECK(Work->Item.WorkerRoutine == KmtExRoutine);
    CHECK(Work->Item.Parameter == Work);
    if (AtDispatch) {
        KIRQL old;
        KeRaiseIrql(DISPATCH_LEVEL, &old);
        ExQueueWorkItem(&Work->Item, Type);
        KeLowerIrql(old);
    } else {
        ExQueueWorkItem(&Work->Item, Type);
    }
    CHECK_STATUS(KmtWait(&Work->Seen.Done), STATUS_SUCCESS);
    CHECK_EQ(Work->Seen.Irql, PASSIVE_LEVEL);
    CHECK(Work->Seen.SystemThread);
    CHECK(Work->Seen.ProcessId == SYSTEM_PROCESS_ID);
    CHECK(Work->Seen.ThreadId != PsGetCurrentThreadId());
    CHECK(Work->Seen.Parameter == Work);
    CHECK_EQ(Work->Seen.Priority, ExpectedPriority);
    /* The routine has returned once the worker takes the next item; give it a moment. */
    LARGE_INTEGER t = KmtTimeout(20);
    KeDelayExecutionThread(KernelMode, FALSE, &t);
    ExFreePoolWithTag(Work, 'kWmK');
}

/* A routine may queue its own item again: the item was dequeued before the call. */
static VOID KmtRequeueRoutine(PVOID Parameter)
{
    KMT_EX_ITEM *Work = Parameter;
    if (++Work->Seen.Runs < 3) {
        ExQueueWorkItem(&Work->Item, DelayedWorkQueue);
        return;
    }
    KeSetEvent(&Work->Seen.Done, IO_NO_INCREMENT, FALSE);
}

static void TestExRequeue(void)
{
    static KMT_EX_ITEM Work;
    KmtInitSeen(&Work.Seen);
    ExInitializeWorkItem(&Work.Item, KmtRequeueRoutine, &Work);
    ExQueueWorkItem(&Work.Item, DelayedWorkQueue);
    CHECK_STATUS(KmtWait(&Work.Seen.Done), STATUS_SUCCESS);
    CHECK_EQ(Work.Seen.Runs, 3);
    LARGE_INTEGER t = KmtTimeout(20);
    KeDelayExecutionThread(KernelMode, FALSE, &t);
}

/* Item A waits for item B on the same queue: a second worker must start for B. */
static KEVENT KmtGate;
static KMT_EX_ITEM KmtA, KmtB;

static VOID KmtWaiterRoutine(PVOID Parameter)
{
    KMT_EX_ITEM *Work = Parameter;
    LARGE_INTEGER t = KmtTimeout(10000);
    KmtRecord(&Work->Seen, Parameter);
    Work->Seen.Runs = KeWaitForSingleObject(&KmtGate, Executive, KernelMode, FALSE, &t) ==
                      STATUS_SUCCESS;
    KeSetEvent(&Work->Seen.Done, IO_NO_INCREMENT, FALSE);
}

static VOID KmtOpenerRoutine(PVOID Parameter)
{
    KMT_EX_ITEM *Work = Parameter;
    KmtRecord(&Work->Seen, Parameter);
    KeSetEvent(&KmtGate, IO_NO_INCREMENT, FALSE);
    KeSetEvent(&Work->Seen.Done, IO_NO_INCREMENT, FALSE);
}

static void TestExTwoWorkers(void)
{
    KeInitializeEvent(&KmtGate, NotificationEvent, FALSE);
    KmtInitSeen(&KmtA.Seen);
    KmtInitSeen(&KmtB.Seen);
    ExInitializeWorkItem(&KmtA.Item, KmtWaiterRoutine, &KmtA);
    ExInitializeWorkItem(&KmtB.Item, KmtOpenerRoutine, &KmtB);
    ExQueueWorkItem(&KmtA.Item, CriticalWorkQueue);
    ExQueueWorkItem(&KmtB.Item, CriticalWorkQueue);
    CHECK_STATUS(KmtWait(&KmtA.Seen.Done), STATUS_SUCCESS);
    CHECK_STATUS(KmtWait(&KmtB.Seen.Done), STATUS_SUCCESS);
    CHECK_EQ(KmtA.Seen.Runs, 1);
    CHECK(KmtA.Seen.ThreadId != KmtB.Seen.ThreadId);
    LARGE_INTEGER t = KmtTimeout(20);
    KeDelayExecutionThread(KernelMode, FALSE, &t);
}

/* ---- I/O work items ---- */

static KMT_SEEN KmtIoSeen;

static VOID KmtIoRoutine(PDEVICE_OBJECT DeviceObject, PVOID Context)
{
    KmtRecord(&KmtIoSeen, Context);
    KmtIoSeen.IoObject = DeviceObject;
    KmtIoSeen.Runs++;
    KeSetEvent(&KmtIoSeen.Done, IO_NO_INCREMENT, FALSE);
}

static VOID KmtIoRoutineEx(PVOID IoObject, PVOID Context, PIO_WORKITEM IoWorkItem)
{
    KmtRecord(&KmtIoSeen, Context);
    KmtIoSeen.IoObject = IoObject;
    KmtIoSeen.Item = IoWorkItem;
    KmtIoSeen.Runs++;
    KeSetEvent(&KmtIoSeen.Done, IO_NO_INCREMENT, FALSE);
}

/* IoFreeWorkItem from inside the item's own routine is allowed. */
static VOID KmtIoFreeingRoutine(PVOID IoObject, PVOID Context, PIO_WORKITEM IoWorkItem)
{
    IoFreeWorkItem(IoWorkItem);
    KmtIoRoutineEx(IoObject, Context, IoWorkItem);
}

static void TestIoWorkItems(PDRIVER_OBJECT Driver, PDEVICE_OBJECT Device)
{
    PVOID ctx = (PVOID)(ULONG_PTR)0xC0FFEE;
    LARGE_INTEGER t = KmtTimeout(20);

    /* IoAllocateWorkItem + IoQueueWorkItem: the routine gets the device and the context. */
    PIO_WORKITEM item = IoAllocateWorkItem(Device);
    CHECK(item != NULL);
    if (item == NULL)
        return;
    KmtInitSeen(&KmtIoSeen);
    IoQueueWorkItem(item, KmtIoRoutine, DelayedWorkQueue, ctx);
    CHECK_STATUS(KmtWait(&KmtIoSeen.Done), STATUS_SUCCESS);
    CHECK_EQ(KmtIoSeen.Irql, PASSIVE_LEVEL);
    CHECK(KmtIoSeen.SystemThread);
    CHECK(KmtIoSeen.ProcessId == SYSTEM_PROCESS_ID);
    CHECK(KmtIoSeen.IoObject == Device);
    CHECK(KmtIoSeen.Parameter == ctx);
    KeDelayExecutionThread(KernelMode, FALSE, &t);

    /* The same item again, queued from DISPATCH_LEVEL, with the Ex routine type. */
    KmtInitSeen(&KmtIoSeen);
    {
        KIRQL old;
        KeRaiseIrql(DISPATCH_LEVEL, &old);
        IoQueueWorkItemEx(item, KmtIoRoutineEx, CriticalWorkQueue, NULL);
        KeLowerIrql(old);
    }
    CHECK_STATUS(KmtWait(&KmtIoSeen.Done), STATUS_SUCCESS);
    CHECK_EQ(KmtIoSeen.Irql, PASSIVE_LEVEL);
    CHECK(KmtIoSeen.IoObject == Device);
    CHECK(KmtIoSeen.Item == item);
    CHECK(KmtIoSeen.Parameter == NULL);
    KeDelayExecutionThread(KernelMode, FALSE, &t);
    IoFreeWorkItem(item);

    /* A driver-allocated item (IoSizeofWorkItem) bound to the driver object. */
    ULONG size = IoSizeofWorkItem();
    CHECK(size >= sizeof(WORK_QUEUE_ITEM));
    PIO_WORKITEM own = ExAllocatePool2(POOL_FLAG_NON_PAGED, size, 'kWmK');
    CHECK(own != NULL);
    if (own != NULL) {
        IoInitializeWorkItem(Driver, own);
        KmtInitSeen(&KmtIoSeen);
        IoQueueWorkItemEx(own, KmtIoRoutineEx, DelayedWorkQueue, ctx);
        CHECK_STATUS(KmtWait(&KmtIoSeen.Done), STATUS_SUCCESS);
        CHECK(KmtIoSeen.IoObject == Driver);
        CHECK(KmtIoSeen.Item == own);
        CHECK(KmtIoSeen.Parameter == ctx);
        KeDelayExecutionThread(KernelMode, FALSE, &t);
        IoUninitializeWorkItem(own);
        ExFreePoolWithTag(own, 'kWmK');
    }

    /* The routine frees its own item. */
    item = IoAllocateWorkItem(Device);
    CHECK(item != NULL);
    if (item != NULL) {
        KmtInitSeen(&KmtIoSeen);
        IoQueueWorkItemEx(item, KmtIoFreeingRoutine, DelayedWorkQueue, ctx);
        CHECK_STATUS(KmtWait(&KmtIoSeen.Done), STATUS_SUCCESS);
        CHECK_EQ(KmtIoSeen.Runs, 1);
        KeDelayExecutionThread(KernelMode, FALSE, &t);
    }

    /* IoTryQueueWorkItem queues only to a worker that is free: the delayed queue has idle
     * workers by now, so it succeeds (allow the worker a moment to come back). */
    item = IoAllocateWorkItem(Device);
    CHECK(item != NULL);
    if (item != NULL) {
        BOOLEAN queued = FALSE;
        KmtInitSeen(&KmtIoSeen);
        for (int i = 0; i < 200 && !queued; i++) {
            queued = IoTryQueueWorkItem(item, KmtIoRoutineEx, DelayedWorkQueue, ctx);
            if (!queued)
                KeDelayExecutionThread(KernelMode, FALSE, &t);
        }
        CHECK(queued);
        if (queued)
            CHECK_STATUS(KmtWait(&KmtIoSeen.Done), STATUS_SUCCESS);
        KeDelayExecutionThread(KernelMode, FALSE, &t);
        IoFreeWorkItem(item);
    }
}

/* While an I/O work item waits, its device is deleted: the item's reference keeps the device
 * object valid until the routine has run. */
static KEVENT KmtRelease;

static VOID KmtHeldRoutine(PDEVICE_OBJECT DeviceObject, PVOID Context)
{
    LARGE_INTEGER t = KmtTimeout(10000);
    KeWaitForSingleObject(&KmtRelease, Executive, KernelMode, FALSE, &t);
    KmtIoSeen.IoObject = DeviceObject;
    KmtIoSeen.Parameter = Context;
    KmtIoSeen.Runs = DeviceObject->Type == IO_TYPE_DEVICE &&
                     DeviceObject->DriverObject == (PDRIVER_OBJECT)Context;
    KeSetEvent(&KmtIoSeen.Done, IO_NO_INCREMENT, FALSE);
}

static void TestReferenceHeld(PDRIVER_OBJECT Driver)
{
    PDEVICE_OBJECT dev;
    NTSTATUS status = IoCreateDevice(Driver, 0, NULL, FILE_DEVICE_UNKNOWN, 0, FALSE, &dev);
    CHECK_STATUS(status, STATUS_SUCCESS);
    if (!NT_SUCCESS(status))
        return;
    PIO_WORKITEM item = IoAllocateWorkItem(dev);
    CHECK(item != NULL);
    if (item == NULL) {
        IoDeleteDevice(dev);
        return;
    }
    KeInitializeEvent(&KmtRelease, NotificationEvent, FALSE);
    KmtInitSeen(&KmtIoSeen);
    IoQueueWorkItem(item, KmtHeldRoutine, DelayedWorkQueue, Driver);
    IoDeleteDevice(dev);
    KeSetEvent(&KmtRelease, IO_NO_INCREMENT, FALSE);
    CHECK_STATUS(KmtWait(&KmtIoSeen.Done), STATUS_SUCCESS);
    CHECK_EQ(KmtIoSeen.Runs, 1);
    CHECK(KmtIoSeen.IoObject == dev);
    LARGE_INTEGER t = KmtTimeout(20);
    KeDelayExecutionThread(KernelMode, FALSE, &t);
    IoFreeWorkItem(item);
}

/* ---- IoCreateSystemThread ---- */

static KMT_SEEN KmtThreadSeen;

static VOID KmtThreadMain(PVOID Context)
{
    KmtRecord(&KmtThreadSeen, Context);
    KmtThreadSeen.Runs++;
    KeSetEvent(&KmtThreadSeen.Done, IO_NO_INCREMENT, FALSE);
}

static VOID KmtThreadTerminates(PVOID Context)
{
    KmtThreadMain(Context);
    PsTerminateSystemThread(STATUS_ALERTED);
    KmtThreadSeen.Runs = 100; /* never reached */
}

static void TestIoCreateSystemThread(PVOID IoObject, PKSTART_ROUTINE Start, NTSTATUS Expected)
{
    OBJECT_ATTRIBUTES attr;
    HANDLE handle = NULL;
    CLIENT_ID cid = { NULL, NULL };
    PETHREAD thread = NULL;
    InitializeObjectAttributes(&attr, NULL, OBJ_KERNEL_HANDLE, NULL, NULL);
    KmtInitSeen(&KmtThreadSeen);
    NTSTATUS status = IoCreateSystemThread(IoObject, &handle, THREAD_ALL_ACCESS, &attr, NULL,
                                           &cid, Start, (PVOID)(ULONG_PTR)0x5EED);
    CHECK_STATUS(status, STATUS_SUCCESS);
    if (!NT_SUCCESS(status))
        return;
    status = ObReferenceObjectByHandle(handle, SYNCHRONIZE, *PsThreadType, KernelMode,
                                       (PVOID *)&thread, NULL);
    CHECK_STATUS(status, STATUS_SUCCESS);
    ZwClose(handle);
    if (!NT_SUCCESS(status))
        return;
    LARGE_INTEGER t = KmtTimeout(10000);
    CHECK_STATUS(KeWaitForSingleObject(thread, Executive, KernelMode, FALSE, &t), STATUS_SUCCESS);
    CHECK_EQ(KmtThreadSeen.Runs, 1);
    CHECK_EQ(KmtThreadSeen.Irql, PASSIVE_LEVEL);
    CHECK(KmtThreadSeen.SystemThread);
    CHECK(KmtThreadSeen.ProcessId == SYSTEM_PROCESS_ID);
    CHECK(KmtThreadSeen.ThreadId == cid.UniqueThread);
    CHECK(KmtThreadSeen.Parameter == (PVOID)(ULONG_PTR)0x5EED);
    CHECK(PsGetThreadId(thread) == cid.UniqueThread);
    CHECK_STATUS(PsGetThreadExitStatus(thread), Expected);
    ObDereferenceObject(thread);
}

static VOID KmtUnload(PDRIVER_OBJECT DriverObject)
{
    while (DriverObject->DeviceObject)
        IoDeleteDevice(DriverObject->DeviceObject);
    DbgPrint("kmtest_work: unload\n");
}

NTSTATUS DriverEntry(PDRIVER_OBJECT DriverObject, PUNICODE_STRING RegistryPath)
{
    UNICODE_STRING name = RTL_CONSTANT_STRING(L"\\Device\\KmtestWork");
    PDEVICE_OBJECT device = NULL;
    UNREFERENCED_PARAMETER(RegistryPath);
    DriverObject->DriverUnload = KmtUnload;

    CHECK_EQ(sizeof(WORK_QUEUE_ITEM), 0x20);
    CHECK_EQ(FIELD_OFFSET(WORK_QUEUE_ITEM, WorkerRoutine), 0x10);
    CHECK_EQ(FIELD_OFFSET(WORK_QUEUE_ITEM, Parameter), 0x18);
    CHECK_EQ(CriticalWorkQueue, 0);
    CHECK_EQ(DelayedWorkQueue, 1);
    CHECK_EQ(HyperCriticalWorkQueue, 2);
    CHECK_EQ(MaximumWorkQueue, 7);

    TestExQueue(DelayedWorkQueue, 12, FALSE);
    TestExQueue(CriticalWorkQueue, 13, FALSE);
    TestExQueue(HyperCriticalWorkQueue, 15, TRUE); /* first use of a queue from DISPATCH_LEVEL */
    TestExQueue(NormalWorkQueue, 8, FALSE);
    TestExRequeue();
    TestExTwoWorkers();

    NTSTATUS status = IoCreateDevice(DriverObject, 0, &name, FILE_DEVICE_UNKNOWN, 0, FALSE,
                                     &device);
    CHECK_STATUS(status, STATUS_SUCCESS);
    if (NT_SUCCESS(status)) {
        TestIoWorkItems(DriverObject, device);
        TestIoCreateSystemThread(device, KmtThreadMain, STATUS_SUCCESS);
        TestIoCreateSystemThread(DriverObject, KmtThreadTerminates, STATUS_ALERTED);
    }
    TestReferenceHeld(DriverObject);

    if (NTK_TEST_SUMMARY()) {
        while (DriverObject->DeviceObject)
            IoDeleteDevice(DriverObject->DeviceObject);
        return STATUS_UNSUCCESSFUL;
    }
    DbgPrint("kmtest_work: all checks passed\n");
    return STATUS_SUCCESS;
}
