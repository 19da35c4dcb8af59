/* bug_dpc_irql: a DPC routine that returns at another IRQL than DISPATCH_LEVEL is caught (a
 * bug check; Windows' code for it is not documented, so the test matches any STOP line). */
#include <ntddk.h>

static KDPC Dpc;

static VOID BadDpc(PKDPC Self, PVOID Context, PVOID Arg1, PVOID Arg2)
{
    KIRQL old;
    UNREFERENCED_PARAMETER(Self);
    UNREFERENCED_PARAMETER(Context);
    UNREFERENCED_PARAMETER(Arg1);
    UNREFERENCED_PARAMETER(Arg2);
    KeRaiseIrql(HIGH_LEVEL, &old); /* and never lowered */
}

NTSTATUS DriverEntry(PDRIVER_OBJECT DriverObject, PUNICODE_STRING RegistryPath)
{
    UNREFERENCED_PARAMETER(DriverObject);
    UNREFERENCED_PARAMETER(RegistryPath);
    KeInitializeDpc(&Dpc, BadDpc, NULL);
    DbgPrint("bug_dpc_irql: queueing a DPC that returns at HIGH_LEVEL\n");
    KeInsertQueueDpc(&Dpc, NULL, NULL);
    KeFlushQueuedDpcs();
    DbgPrint("bug_dpc_irql: survived at IRQL %u\n", (unsigned)KeGetCurrentIrql());
    return STATUS_UNSUCCESSFUL;
}
