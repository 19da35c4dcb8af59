/* bug_unload_dpc (needs --cpus 2): unloading with a DPC of the driver still queued is bug
 * check 0xC7 TIMER_OR_DPC_INVALID (parameter 1 = 1, a DPC object, or 2, a DPC routine, found in
 * memory being freed). To keep it queued, the unload routine first occupies processor 1 with a
 * DPC that never ends, then queues a second DPC behind it, and returns. */
#include <ntddk.h>

static KDPC Blocker, Pending;
static volatile LONG BlockerRunning;

static VOID BlockerDpc(PKDPC Self, PVOID Context, PVOID Arg1, PVOID Arg2)
{
    UNREFERENCED_PARAMETER(Self);
    UNREFERENCED_PARAMETER(Context);
    UNREFERENCED_PARAMETER(Arg1);
    UNREFERENCED_PARAMETER(Arg2);
    BlockerRunning = 1;
    for (;;)
        KeStallExecutionProcessor(50);
}

static VOID PendingDpc(PKDPC Self, PVOID Context, PVOID Arg1, PVOID Arg2)
{
    UNREFERENCED_PARAMETER(Self);
    UNREFERENCED_PARAMETER(Context);
    UNREFERENCED_PARAMETER(Arg1);
    UNREFERENCED_PARAMETER(Arg2);
    DbgPrint("bug_unload_dpc: the pending DPC ran (it cannot, processor 1 is busy)\n");
}

static VOID Unload(PDRIVER_OBJECT DriverObject)
{
    LARGE_INTEGER ms;
    UNREFERENCED_PARAMETER(DriverObject);
    ms.QuadPart = -10000;
    /* Stay on processor 0, away from the one the blocker takes. */
    KAFFINITY prev = KeSetSystemAffinityThreadEx(1);
    KeInitializeDpc(&Blocker, BlockerDpc, NULL);
    KeSetTargetProcessorDpc(&Blocker, 1);
    KeInsertQueueDpc(&Blocker, NULL, NULL);
    while (!BlockerRunning)
        KeDelayExecutionThread(KernelMode, FALSE, &ms);
    KeInitializeDpc(&Pending, PendingDpc, NULL);
    KeSetTargetProcessorDpc(&Pending, 1);
    KeInsertQueueDpc(&Pending, NULL, NULL);
    DbgPrint("bug_unload_dpc: unloading with DPC %p queued\n", &Pending);
    KeRevertToUserAffinityThreadEx(prev);
}

NTSTATUS DriverEntry(PDRIVER_OBJECT DriverObject, PUNICODE_STRING RegistryPath)
{
    UNREFERENCED_PARAMETER(RegistryPath);
    if (KeQueryActiveProcessorCount(NULL) < 2) {
        DbgPrint("bug_unload_dpc: needs 2 processors\n");
        return STATUS_UNSUCCESSFUL;
    }
    DriverObject->DriverUnload = Unload;
    return STATUS_SUCCESS;
}
