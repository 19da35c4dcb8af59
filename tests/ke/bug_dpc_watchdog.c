/* bug_dpc_watchdog: a DPC that runs for STALL_MS milliseconds (KeStallExecutionProcessor in a
 * loop). Built twice: with STALL_MS=1000 under `--dpc-watchdog 100` it must be bug check 0x133
 * DPC_WATCHDOG_VIOLATION with parameter 1 = 0 (a single DPC exceeded its time allotment); with
 * STALL_MS=10 under `--dpc-watchdog 5000` nothing happens and DriverEntry succeeds. */
#include <ntddk.h>

#ifndef STALL_MS
#define STALL_MS 1000
#endif

static KDPC Dpc;
static volatile LONG Done;

static VOID LongDpc(PKDPC Self, PVOID Context, PVOID Arg1, PVOID Arg2)
{
    UNREFERENCED_PARAMETER(Self);
    UNREFERENCED_PARAMETER(Context);
    UNREFERENCED_PARAMETER(Arg1);
    UNREFERENCED_PARAMETER(Arg2);
    for (int i = 0; i < STALL_MS * 20; i++)
        KeStallExecutionProcessor(50);
    Done = 1;
}

NTSTATUS DriverEntry(PDRIVER_OBJECT DriverObject, PUNICODE_STRING RegistryPath)
{
    UNREFERENCED_PARAMETER(DriverObject);
    UNREFERENCED_PARAMETER(RegistryPath);
    KeInitializeDpc(&Dpc, LongDpc, NULL);
    DbgPrint("bug_dpc_watchdog: queueing a DPC that runs %d ms\n", STALL_MS);
    KeInsertQueueDpc(&Dpc, NULL, NULL);
    KeFlushQueuedDpcs();
    DbgPrint("bug_dpc_watchdog: the DPC %s\n", Done ? "completed" : "did not complete");
    return Done ? STATUS_SUCCESS : STATUS_UNSUCCESSFUL;
}
