/* bug_iocreate_dispatch: IoCreateDevice must be called at PASSIVE_LEVEL (WDK); at
 * DISPATCH_LEVEL it is a bug check, 0xA or 0xD1 with the IRQL (2) as parameter 2. */
#include <ntddk.h>

NTSTATUS DriverEntry(PDRIVER_OBJECT DriverObject, PUNICODE_STRING RegistryPath)
{
    PDEVICE_OBJECT device = NULL;
    UNREFERENCED_PARAMETER(RegistryPath);
    KIRQL old = KeRaiseIrqlToDpcLevel();
    DbgPrint("bug_iocreate_dispatch: IoCreateDevice at DISPATCH_LEVEL\n");
    NTSTATUS status = IoCreateDevice(DriverObject, 0, NULL, FILE_DEVICE_UNKNOWN, 0, FALSE, &device);
    DbgPrint("bug_iocreate_dispatch: survived\n");
    KeLowerIrql(old);
    if (NT_SUCCESS(status))
        IoDeleteDevice(device);
    return STATUS_UNSUCCESSFUL;
}
