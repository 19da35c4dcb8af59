/* bug_wait_dispatch: KeWaitForSingleObject with a non-zero timeout must be called at
 * IRQL <= APC_LEVEL (WDK); at DISPATCH_LEVEL it is a bug check, IRQL_NOT_LESS_OR_EQUAL (0xA) or
 * DRIVER_IRQL_NOT_LESS_OR_EQUAL (0xD1), with the IRQL (2) as parameter 2. */
#include <ntddk.h>

NTSTATUS DriverEntry(PDRIVER_OBJECT DriverObject, PUNICODE_STRING RegistryPath)
{
    KEVENT event;
    LARGE_INTEGER timeout;
    UNREFERENCED_PARAMETER(DriverObject);
    UNREFERENCED_PARAMETER(RegistryPath);
    KeInitializeEvent(&event, NotificationEvent, FALSE);
    timeout.QuadPart = -10 * 10000; /* 10 ms */
    KIRQL old = KeRaiseIrqlToDpcLevel();
    DbgPrint("bug_wait_dispatch: KeWaitForSingleObject(10 ms) at DISPATCH_LEVEL\n");
    KeWaitForSingleObject(&event, Executive, KernelMode, FALSE, &timeout);
    DbgPrint("bug_wait_dispatch: survived\n");
    KeLowerIrql(old);
    return STATUS_UNSUCCESSFUL;
}
