/* workunload: DriverUnload returns while an I/O work item of the driver still sleeps. The
 * queued item holds a reference on the device, and the I/O manager does not unmap a driver
 * with work items outstanding, so the routine still completes, after DriverUnload, before
 * `ntk run` exits. Built with WORKUNLOAD_THREAD, the same with a thread from
 * IoCreateSystemThread, which ends with PsTerminateSystemThread. */
#include <ntddk.h>

static volatile LONG WuUnloaded;

#ifdef WORKUNLOAD_THREAD
static VOID WuThread(PVOID Context)
{
    LARGE_INTEGER interval;
    UNREFERENCED_PARAMETER(Context);
    interval.QuadPart = -10000LL * 100; /* 100 ms */
    KeDelayExecutionThread(KernelMode, FALSE, &interval);
    DbgPrint("workunload: thread done, DriverUnload had returned: %s\n",
             InterlockedCompareExchange(&WuUnloaded, 0, 0) ? "yes" : "no");
    PsTerminateSystemThread(STATUS_SUCCESS);
}
#endif

static VOID WuRoutine(PDEVICE_OBJECT DeviceObject, PVOID Context)
{
    LARGE_INTEGER interval;
    UNREFERENCED_PARAMETER(DeviceObject);
    interval.QuadPart = -10000LL * 100; /* 100 ms */
    KeDelayExecutionThread(KernelMode, FALSE, &interval);
    DbgPrint("workunload: work item done, DriverUnload had returned: %s\n",
             InterlockedCompareExchange(&WuUnloaded, 0, 0) ? "yes" : "no");
    IoFreeWorkItem((PIO_WORKITEM)Context);
}

static VOID WuUnload(PDRIVER_OBJECT DriverObject)
{
    IoDeleteDevice(DriverObject->DeviceObject);
    DbgPrint("workunload: DriverUnload returns\n");
    InterlockedExchange(&WuUnloaded, 1);
}

NTSTATUS DriverEntry(PDRIVER_OBJECT DriverObject, PUNICODE_STRING RegistryPath)
{
    PDEVICE_OBJECT device;
    PIO_WORKITEM item;
    NTSTATUS status;
    UNREFERENCED_PARAMETER(RegistryPath);
    status = IoCreateDevice(DriverObject, 0, NULL, FILE_DEVICE_UNKNOWN, 0, FALSE, &device);
    if (!NT_SUCCESS(status))
        return status;
#ifdef WORKUNLOAD_THREAD
    {
        OBJECT_ATTRIBUTES attributes;
        HANDLE handle;
        InitializeObjectAttributes(&attributes, NULL, OBJ_KERNEL_HANDLE, NULL, NULL);
        status = IoCreateSystemThread(device, &handle, THREAD_ALL_ACCESS, &attributes, NULL,
                                      NULL, WuThread, NULL);
        if (!NT_SUCCESS(status)) {
            IoDeleteDevice(device);
            return status;
        }
        ZwClose(handle);
        DriverObject->DriverUnload = WuUnload;
        DbgPrint("workunload: thread started\n");
        return STATUS_SUCCESS;
    }
#endif
    item = IoAllocateWorkItem(device);
    if (item == NULL) {
        IoDeleteDevice(device);
        return STATUS_INSUFFICIENT_RESOURCES;
    }
    DriverObject->DriverUnload = WuUnload;
    IoQueueWorkItem(item, WuRoutine, DelayedWorkQueue, item);
    DbgPrint("workunload: work item queued\n");
    return STATUS_SUCCESS;
}
