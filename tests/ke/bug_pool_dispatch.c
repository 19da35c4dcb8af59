/* bug_pool_dispatch: paged pool at DISPATCH_LEVEL. The WDK: a caller of ExAllocatePool2 at
 * DISPATCH_LEVEL must ask for non-paged pool. Driver Verifier reports it as 0xC4 with
 * parameter 1 = 0x01 and parameter 2 = the IRQL (2); without Driver Verifier Windows reports
 * touching paged memory at DISPATCH_LEVEL as 0xA/0xD1 with the IRQL as parameter 2. */
#include <ntddk.h>

NTSTATUS DriverEntry(PDRIVER_OBJECT DriverObject, PUNICODE_STRING RegistryPath)
{
    UNREFERENCED_PARAMETER(DriverObject);
    UNREFERENCED_PARAMETER(RegistryPath);
    KIRQL old = KeRaiseIrqlToDpcLevel();
    DbgPrint("bug_pool_dispatch: ExAllocatePool2(POOL_FLAG_PAGED) at DISPATCH_LEVEL\n");
    PVOID p = ExAllocatePool2(POOL_FLAG_PAGED, 64, 'gBuP');
    DbgPrint("bug_pool_dispatch: survived\n");
    KeLowerIrql(old);
    if (p != NULL)
        ExFreePoolWithTag(p, 'gBuP');
    return STATUS_UNSUCCESSFUL;
}
