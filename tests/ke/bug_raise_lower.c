/* bug_raise_lower: KeRaiseIrql to a level below the current one is a bug check
 * (IRQL_NOT_GREATER_OR_EQUAL, 0x9). The test expects exit 3 and that STOP line. */
#include <ntddk.h>

NTSTATUS DriverEntry(PDRIVER_OBJECT DriverObject, PUNICODE_STRING RegistryPath)
{
    KIRQL old, bad;
    UNREFERENCED_PARAMETER(DriverObject);
    UNREFERENCED_PARAMETER(RegistryPath);
    KeRaiseIrql(DISPATCH_LEVEL, &old);
    DbgPrint("bug_raise_lower: KeRaiseIrql(APC_LEVEL) at DISPATCH_LEVEL\n");
    KeRaiseIrql(APC_LEVEL, &bad);
    DbgPrint("bug_raise_lower: survived\n");
    KeLowerIrql(old);
    return STATUS_UNSUCCESSFUL;
}
