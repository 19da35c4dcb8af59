/* badwork: work-item mistakes that Windows answers with a bug check. Built once per mistake
 * (BADWORK_MODE); each DriverEntry makes its mistake and, should the kernel not stop, fails
 * after a few seconds so that the test sees exit status 2 instead of 3.
 *   1  an I/O work item queued twice           -> 0xE4 WORKER_INVALID (1, item, queue, 0)
 *   2  an I/O work routine returns at DISPATCH -> 0xE1 WORKER_THREAD_RETURNED_AT_BAD_IRQL
 *   3  an executive routine returns at DISPATCH-> 0xE1
 *   4  a routine returns in a critical region  -> 0x1 APC_INDEX_MISMATCH (routine, 0, ., 1)
 *   5  a queued I/O work item is freed          -> 0xE4 WORKER_INVALID (2, item, routine, 0)
 *   6  a routine ends its worker thread         -> 0xE9 ACTIVE_EX_WORKER_THREAD_TERMINATION
 *   7  ExQueueWorkItem above DISPATCH_LEVEL     -> 0xA IRQL_NOT_LESS_OR_EQUAL */
#include <ntddk.h>

#ifndef BADWORK_MODE
#error BADWORK_MODE must be defined
#endif

static WORK_QUEUE_ITEM BwItem;

static VOID BwIoRoutine(PDEVICE_OBJECT DeviceObject, PVOID Context)
{
    UNREFERENCED_PARAMETER(DeviceObject);
    UNREFERENCED_PARAMETER(Context);
#if BADWORK_MODE == 2
    KIRQL old;
    KeRaiseIrql(DISPATCH_LEVEL, &old);
    DbgPrint("badwork: I/O work routine %p returns at IRQL %u\n", (PVOID)BwIoRoutine,
             KeGetCurrentIrql());
#endif
}

static VOID BwExRoutine(PVOID Parameter)
{
    UNREFERENCED_PARAMETER(Parameter);
#if BADWORK_MODE == 3
    KIRQL old;
    KeRaiseIrql(DISPATCH_LEVEL, &old);
    DbgPrint("badwork: work routine returns at IRQL %u\n", KeGetCurrentIrql());
#elif BADWORK_MODE == 4
    KeEnterCriticalRegion();
    DbgPrint("badwork: work routine returns in a critical region\n");
#elif BADWORK_MODE == 6
    DbgPrint("badwork: work routine terminates its worker thread\n");
    PsTerminateSystemThread(STATUS_SUCCESS);
#endif
}

static VOID BwUnload(PDRIVER_OBJECT DriverObject)
{
    UNREFERENCED_PARAMETER(DriverObject);
}

NTSTATUS DriverEntry(PDRIVER_OBJECT DriverObject, PUNICODE_STRING RegistryPath)
{
    PDEVICE_OBJECT device;
    PIO_WORKITEM item;
    LARGE_INTEGER wait;
    NTSTATUS status;
    UNREFERENCED_PARAMETER(RegistryPath);
    DriverObject->DriverUnload = BwUnload;
    status = IoCreateDevice(DriverObject, 0, NULL, FILE_DEVICE_UNKNOWN, 0, FALSE, &device);
    if (!NT_SUCCESS(status))
        return status;
    item = IoAllocateWorkItem(device);
    if (item == NULL)
        return STATUS_INSUFFICIENT_RESOURCES;
    ExInitializeWorkItem(&BwItem, BwExRoutine, NULL);
    /* Modes 1 and 5 keep the item queued for certain: at DISPATCH_LEVEL this thread owns its
     * processor, and under `ntk run --cpus 1` no worker can take the queue's spin lock until
     * it lowers IRQL (with more processors, the queue's first worker is still starting). */
    switch (BADWORK_MODE) {
    case 1: {
        KIRQL old;
        KeRaiseIrql(DISPATCH_LEVEL, &old);
        IoQueueWorkItem(item, BwIoRoutine, BackgroundWorkQueue, NULL);
        DbgPrint("badwork: queueing the same I/O work item again\n");
        IoQueueWorkItem(item, BwIoRoutine, BackgroundWorkQueue, NULL);
        KeLowerIrql(old);
        break;
    }
    case 2:
        IoQueueWorkItem(item, BwIoRoutine, DelayedWorkQueue, NULL);
        break;
    case 5: {
        KIRQL old;
        KeRaiseIrql(DISPATCH_LEVEL, &old);
        IoQueueWorkItem(item, BwIoRoutine, BackgroundWorkQueue, NULL);
        DbgPrint("badwork: freeing a queued I/O work item\n");
        IoFreeWorkItem(item);
        KeLowerIrql(old);
        break;
    }
    case 7: {
        KIRQL old;
        KeRaiseIrql(HIGH_LEVEL, &old);
        ExQueueWorkItem(&BwItem, DelayedWorkQueue);
        KeLowerIrql(old);
        break;
    }
    default:
        ExQueueWorkItem(&BwItem, DelayedWorkQueue);
        break;
    }
    wait.QuadPart = -10000LL * 5000;
    KeDelayExecutionThread(KernelMode, FALSE, &wait);
    DbgPrint("badwork: no bug check happened\n");
    IoFreeWorkItem(item);
    IoDeleteDevice(device);
    return STATUS_UNSUCCESSFUL;
}
