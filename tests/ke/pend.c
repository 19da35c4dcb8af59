/* A driver that pends every read and completes it later from a timer DPC, on another thread:
 * the I/O manager then finishes the request in a special kernel APC in the requester. */
#include <ntddk.h>

#define PEND_DATA "completed in a DPC"

static KTIMER PendTimer;
static KDPC PendDpc;
static PIRP PendingIrp;
static KSPIN_LOCK PendLock;

static VOID PendComplete(PKDPC Dpc, PVOID Context, PVOID Arg1, PVOID Arg2)
{
    PIRP Irp;
    KIRQL Irql;
    UNREFERENCED_PARAMETER(Dpc);
    UNREFERENCED_PARAMETER(Context);
    UNREFERENCED_PARAMETER(Arg1);
    UNREFERENCED_PARAMETER(Arg2);
    KeAcquireSpinLock(&PendLock, &Irql);
    Irp = PendingIrp;
    PendingIrp = NULL;
    KeReleaseSpinLock(&PendLock, Irql);
    if (Irp == NULL)
        return;
    if (IoGetCurrentIrpStackLocation(Irp)->Parameters.Read.Length >= sizeof(PEND_DATA)) {
        RtlCopyMemory(Irp->AssociatedIrp.SystemBuffer, PEND_DATA, sizeof(PEND_DATA));
        Irp->IoStatus.Status = STATUS_SUCCESS;
        Irp->IoStatus.Information = sizeof(PEND_DATA);
    } else {
        Irp->IoStatus.Status = STATUS_BUFFER_TOO_SMALL;
        Irp->IoStatus.Information = 0;
    }
    DbgPrint("pend: completing the read at IRQL %u\n", KeGetCurrentIrql());
    IoCompleteRequest(Irp, IO_NO_INCREMENT);
}

static NTSTATUS PendRead(PDEVICE_OBJECT DeviceObject, PIRP Irp)
{
    LARGE_INTEGER Due;
    KIRQL Irql;
    UNREFERENCED_PARAMETER(DeviceObject);
    IoMarkIrpPending(Irp);
    KeAcquireSpinLock(&PendLock, &Irql);
    PendingIrp = Irp;
    KeReleaseSpinLock(&PendLock, Irql);
    Due.QuadPart = -10LL * 1000 * 20; /* 20 ms */
    KeSetTimer(&PendTimer, Due, &PendDpc);
    return STATUS_PENDING;
}

static NTSTATUS PendCreateClose(PDEVICE_OBJECT DeviceObject, PIRP Irp)
{
    UNREFERENCED_PARAMETER(DeviceObject);
    Irp->IoStatus.Status = STATUS_SUCCESS;
    Irp->IoStatus.Information = 0;
    IoCompleteRequest(Irp, IO_NO_INCREMENT);
    return STATUS_SUCCESS;
}

static VOID PendUnload(PDRIVER_OBJECT DriverObject)
{
    UNICODE_STRING Link = RTL_CONSTANT_STRING(L"\\??\\NtkPend");
    KeCancelTimer(&PendTimer);
    KeFlushQueuedDpcs();
    IoDeleteSymbolicLink(&Link);
    IoDeleteDevice(DriverObject->DeviceObject);
}

NTSTATUS DriverEntry(PDRIVER_OBJECT DriverObject, PUNICODE_STRING RegistryPath)
{
    UNICODE_STRING Name = RTL_CONSTANT_STRING(L"\\Device\\NtkPend");
    UNICODE_STRING Link = RTL_CONSTANT_STRING(L"\\??\\NtkPend");
    PDEVICE_OBJECT Device;
    NTSTATUS Status;
    UNREFERENCED_PARAMETER(RegistryPath);
    KeInitializeTimer(&PendTimer);
    KeInitializeDpc(&PendDpc, PendComplete, NULL);
    KeInitializeSpinLock(&PendLock);
    DriverObject->DriverUnload = PendUnload;
    DriverObject->MajorFunction[IRP_MJ_CREATE] = PendCreateClose;
    DriverObject->MajorFunction[IRP_MJ_CLOSE] = PendCreateClose;
    DriverObject->MajorFunction[IRP_MJ_READ] = PendRead;
    Status = IoCreateDevice(DriverObject, 0, &Name, FILE_DEVICE_UNKNOWN, 0, FALSE, &Device);
    if (!NT_SUCCESS(Status))
        return Status;
    Device->Flags |= DO_BUFFERED_IO;
    Status = IoCreateSymbolicLink(&Link, &Name);
    if (!NT_SUCCESS(Status))
        IoDeleteDevice(Device);
    return Status;
}
