/* bug_dispatch_irql: a dispatch routine that returns at another IRQL than it was called at.
 * With Driver Verifier's I/O verification that is 0xC9 DRIVER_VERIFIER_IOMANAGER_VIOLATION,
 * parameter 1 = 0x05 ("The IRQL changed during a call to the driver dispatch routine"),
 * 2 = the device object, 3 = IRQL before IoCallDriver (0), 4 = IRQL after (2). */
#include <ntddk.h>

static NTSTATUS BadDeviceControl(PDEVICE_OBJECT DeviceObject, PIRP Irp)
{
    KIRQL old;
    UNREFERENCED_PARAMETER(DeviceObject);
    Irp->IoStatus.Status = STATUS_SUCCESS;
    Irp->IoStatus.Information = 0;
    IoCompleteRequest(Irp, IO_NO_INCREMENT);
    KeRaiseIrql(DISPATCH_LEVEL, &old); /* and never lowered */
    return STATUS_SUCCESS;
}

NTSTATUS DriverEntry(PDRIVER_OBJECT DriverObject, PUNICODE_STRING RegistryPath)
{
    PDEVICE_OBJECT device = NULL;
    KEVENT event;
    IO_STATUS_BLOCK iosb;
    UNREFERENCED_PARAMETER(RegistryPath);

    NTSTATUS status = IoCreateDevice(DriverObject, 0, NULL, FILE_DEVICE_UNKNOWN, 0, FALSE, &device);
    if (!NT_SUCCESS(status))
        return status;
    device->Flags &= ~DO_DEVICE_INITIALIZING;
    DriverObject->MajorFunction[IRP_MJ_DEVICE_CONTROL] = BadDeviceControl;
    DbgPrint("bug_dispatch_irql: device object %p\n", device);
    KeInitializeEvent(&event, NotificationEvent, FALSE);
    PIRP irp = IoBuildDeviceIoControlRequest(
        CTL_CODE(FILE_DEVICE_UNKNOWN, 0x800, METHOD_BUFFERED, FILE_ANY_ACCESS), device, NULL, 0,
        NULL, 0, FALSE, &event, &iosb);
    if (irp == NULL) {
        IoDeleteDevice(device);
        return STATUS_INSUFFICIENT_RESOURCES;
    }
    DbgPrint("bug_dispatch_irql: calling a dispatch routine that returns at DISPATCH_LEVEL\n");
    IoCallDriver(device, irp);
    DbgPrint("bug_dispatch_irql: survived at IRQL %u\n", (unsigned)KeGetCurrentIrql());
    if (KeGetCurrentIrql() != PASSIVE_LEVEL)
        KeLowerIrql(PASSIVE_LEVEL);
    IoDeleteDevice(device);
    return STATUS_UNSUCCESSFUL;
}
