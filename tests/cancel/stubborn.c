/* A driver that ignores cancellation: every DEVICE_CONTROL request pends, with no cancel
 * routine, until its timer completes it after the delay given as input (a ULONG, ms). Lets a
 * test see what the I/O manager does with a thread's request that outlives the thread. */
#include <ntddk.h>

static KTIMER StubbornTimer;
static KDPC StubbornDpc;
static KSPIN_LOCK StubbornLock;
static PIRP StubbornIrp;

static VOID StubbornComplete(PKDPC Dpc, PVOID Context, PVOID Arg1, PVOID Arg2)
{
    PIRP Irp;
    UNREFERENCED_PARAMETER(Dpc);
    UNREFERENCED_PARAMETER(Context);
    UNREFERENCED_PARAMETER(Arg1);
    UNREFERENCED_PARAMETER(Arg2);
    KeAcquireSpinLockAtDpcLevel(&StubbornLock);
    Irp = StubbornIrp;
    StubbornIrp = NULL;
    KeReleaseSpinLockFromDpcLevel(&StubbornLock);
    if (Irp == NULL)
        return;
    DbgPrint("stubborn: completing the request (cancel flag %u)\n", Irp->Cancel);
    Irp->IoStatus.Status = STATUS_SUCCESS;
    Irp->IoStatus.Information = 0;
    IoCompleteRequest(Irp, IO_NO_INCREMENT);
}

static NTSTATUS StubbornControl(PDEVICE_OBJECT DeviceObject, PIRP Irp)
{
    PIO_STACK_LOCATION Stack = IoGetCurrentIrpStackLocation(Irp);
    LARGE_INTEGER Due;
    KIRQL Irql;
    UNREFERENCED_PARAMETER(DeviceObject);
    if (Stack->Parameters.DeviceIoControl.InputBufferLength < sizeof(ULONG) || StubbornIrp) {
        Irp->IoStatus.Status = STATUS_INVALID_PARAMETER;
        Irp->IoStatus.Information = 0;
        IoCompleteRequest(Irp, IO_NO_INCREMENT);
        return STATUS_INVALID_PARAMETER;
    }
    Due.QuadPart = -10000LL * *(ULONG *)Irp->AssociatedIrp.SystemBuffer;
    IoMarkIrpPending(Irp);
    KeAcquireSpinLock(&StubbornLock, &Irql);
    StubbornIrp = Irp;
    KeSetTimer(&StubbornTimer, Due, &StubbornDpc);
    KeReleaseSpinLock(&StubbornLock, Irql);
    return STATUS_PENDING;
}

static NTSTATUS StubbornCreateClose(PDEVICE_OBJECT DeviceObject, PIRP Irp)
{
    UNREFERENCED_PARAMETER(DeviceObject);
    Irp->IoStatus.Status = STATUS_SUCCESS;
    Irp->IoStatus.Information = 0;
    IoCompleteRequest(Irp, IO_NO_INCREMENT);
    return STATUS_SUCCESS;
}

static VOID StubbornUnload(PDRIVER_OBJECT DriverObject)
{
    UNICODE_STRING Link = RTL_CONSTANT_STRING(L"\\??\\NtkStubborn");
    KeCancelTimer(&StubbornTimer);
    KeFlushQueuedDpcs();
    IoDeleteSymbolicLink(&Link);
    IoDeleteDevice(DriverObject->DeviceObject);
}

NTSTATUS DriverEntry(PDRIVER_OBJECT DriverObject, PUNICODE_STRING RegistryPath)
{
    UNICODE_STRING Name = RTL_CONSTANT_STRING(L"\\Device\\NtkStubborn");
    UNICODE_STRING Link = RTL_CONSTANT_STRING(L"\\??\\NtkStubborn");
    PDEVICE_OBJECT Device;
    NTSTATUS Status;
    UNREFERENCED_PARAMETER(RegistryPath);
    KeInitializeTimer(&StubbornTimer);
    KeInitializeDpc(&StubbornDpc, StubbornComplete, NULL);
    KeInitializeSpinLock(&StubbornLock);
    DriverObject->DriverUnload = StubbornUnload;
    DriverObject->MajorFunction[IRP_MJ_CREATE] = StubbornCreateClose;
    DriverObject->MajorFunction[IRP_MJ_CLOSE] = StubbornCreateClose;
    DriverObject->MajorFunction[IRP_MJ_DEVICE_CONTROL] = StubbornControl;
    Status = IoCreateDevice(DriverObject, 0, &Name, FILE_DEVICE_UNKNOWN, 0, FALSE, &Device);
    if (!NT_SUCCESS(Status))
        return Status;
    Device->Flags |= DO_BUFFERED_IO;
    Status = IoCreateSymbolicLink(&Link, &Name);
    if (!NT_SUCCESS(Status))
        IoDeleteDevice(Device);
    return Status;
}
