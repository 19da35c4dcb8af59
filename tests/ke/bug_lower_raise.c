/* bug_lower_raise: KeLowerIrql to a level above the current one is a bug check
 * (IRQL_NOT_LESS_OR_EQUAL, 0xA). The test expects exit 3 and that STOP line. */
#include <ntddk.h>

NTSTATUS DriverEntry(PDRIVER_OBJECT DriverObject, PUNICODE_STRING RegistryPath)
{
    KIRQL old;
    UNREFERENCED_PARAMETER(DriverObject);
    UNREFERENCED_PARAMETER(RegistryPath);
    KeRaiseIrql(APC_LEVEL, &old);
    DbgPrint("bug_lower_raise: KeLowerIrql(DISPATCH_LEVEL) at APC_LEVEL\n");
    KeLowerIrql(DISPATCH_LEVEL);
    DbgPrint("bug_lower_raise: survived\n");
    return STATUS_UNSUCCESSFUL;
}
