/* Chapter 6 of "Windows Kernel Programming, 2nd ed." ("Kernel Mechanisms"), in C: a periodic
 * kernel timer. Every 100 ms its DPC runs at DISPATCH_LEVEL, prints its IRQL and processor
 * and, since a DPC may not wait or touch paged memory, hands the rest of the work to an I/O
 * work item, which runs at PASSIVE_LEVEL in a system worker thread. After TICKS work items
 * DriverUnload stops the timer, flushes the DPCs and frees what the DPC used. */
#include <ntddk.h>

#define TICKS 5
#define PERIOD_MS 100

typedef struct _TIMER_GLOBALS {
    KTIMER Timer;
    KDPC Dpc;
    PDEVICE_OBJECT Device;
    PIO_WORKITEM WorkItem;
    KEVENT Done;             /* set by the TICKS-th work item */
    volatile LONG DpcTicks;
    volatile LONG WorkRuns;
    volatile LONG WorkBusy;  /* the work item is queued or running: do not queue it again */
} TIMER_GLOBALS;

static TIMER_GLOBALS g_Globals;

static VOID TimerWorkItem(_In_ PDEVICE_OBJECT DeviceObject, _In_opt_ PVOID Context)
{
    LONG tick = (LONG)(LONG_PTR)Context;
    UNREFERENCED_PARAMETER(DeviceObject);
    KdPrint(("timerdpc: work item for tick %ld at IRQL %u on processor %u\n", tick,
             KeGetCurrentIrql(), KeGetCurrentProcessorNumber()));
    if (InterlockedIncrement(&g_Globals.WorkRuns) == TICKS)
        KeSetEvent(&g_Globals.Done, IO_NO_INCREMENT, FALSE);
    InterlockedExchange(&g_Globals.WorkBusy, 0);
}

static VOID TimerDpc(_In_ PKDPC Dpc, _In_opt_ PVOID DeferredContext, _In_opt_ PVOID Arg1,
                     _In_opt_ PVOID Arg2)
{
    LONG tick = InterlockedIncrement(&g_Globals.DpcTicks);
    UNREFERENCED_PARAMETER(Dpc);
    UNREFERENCED_PARAMETER(DeferredContext);
    UNREFERENCED_PARAMETER(Arg1);
    UNREFERENCED_PARAMETER(Arg2);
    if (g_Globals.WorkRuns >= TICKS)
        return;
    KdPrint(("timerdpc: DPC tick %ld at IRQL %u on processor %u\n", tick, KeGetCurrentIrql(),
             KeGetCurrentProcessorNumber()));
    /* A work item cannot be queued twice; if the last one is still busy, skip this tick. */
    if (InterlockedCompareExchange(&g_Globals.WorkBusy, 1, 0) == 0)
        IoQueueWorkItem(g_Globals.WorkItem, TimerWorkItem, DelayedWorkQueue,
                        (PVOID)(LONG_PTR)tick);
    else
        KdPrint(("timerdpc: tick %ld: the work item is still busy\n", tick));
}

static VOID TimerUnload(_In_ PDRIVER_OBJECT DriverObject)
{
    LARGE_INTEGER timeout, poll;
    UNREFERENCED_PARAMETER(DriverObject);
    timeout.QuadPart = -10000LL * 10000; /* 10 s */
    if (KeWaitForSingleObject(&g_Globals.Done, Executive, KernelMode, FALSE, &timeout) !=
        STATUS_SUCCESS)
        KdPrint(("timerdpc: timed out waiting for %d work items\n", TICKS));
    /* Stop the timer, then wait for a DPC that may be running on another processor. */
    KeCancelTimer(&g_Globals.Timer);
    KeFlushQueuedDpcs();
    /* The DPC may have queued the work item just before: let it finish before freeing it. */
    poll.QuadPart = -10000LL * 10;
    while (InterlockedCompareExchange(&g_Globals.WorkBusy, 0, 0) != 0)
        KeDelayExecutionThread(KernelMode, FALSE, &poll);
    KdPrint(("timerdpc: %ld work items ran; timer cancelled, DPCs flushed\n",
             g_Globals.WorkRuns));
    IoFreeWorkItem(g_Globals.WorkItem);
    IoDeleteDevice(g_Globals.Device);
}

NTSTATUS DriverEntry(_In_ PDRIVER_OBJECT DriverObject, _In_ PUNICODE_STRING RegistryPath)
{
    UNICODE_STRING name = RTL_CONSTANT_STRING(L"\\Device\\TimerDpc");
    LARGE_INTEGER due;
    NTSTATUS status;
    UNREFERENCED_PARAMETER(RegistryPath);

    status = IoCreateDevice(DriverObject, 0, &name, FILE_DEVICE_UNKNOWN, 0, FALSE,
                            &g_Globals.Device);
    if (!NT_SUCCESS(status))
        return status;
    /* Work items need a device object: it keeps the driver loaded while one is pending. */
    g_Globals.WorkItem = IoAllocateWorkItem(g_Globals.Device);
    if (g_Globals.WorkItem == NULL) {
        IoDeleteDevice(g_Globals.Device);
        return STATUS_INSUFFICIENT_RESOURCES;
    }
    KeInitializeEvent(&g_Globals.Done, NotificationEvent, FALSE);
    KeInitializeTimer(&g_Globals.Timer);
    KeInitializeDpc(&g_Globals.Dpc, TimerDpc, NULL);
    due.QuadPart = -10000LL * PERIOD_MS; /* first expiry in 100 ms (relative) */
    KeSetTimerEx(&g_Globals.Timer, due, PERIOD_MS, &g_Globals.Dpc);
    DriverObject->DriverUnload = TimerUnload;
    KdPrint(("timerdpc: timer set, period %d ms\n", PERIOD_MS));
    return STATUS_SUCCESS;
}
