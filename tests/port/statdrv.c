/* The status-matrix test driver: every read, write and data control code completes as the
 * last IOCTL_STAT_CONFIGURE said (now, pended and completed by a work item, or pended and
 * completed in the dispatch routine), after writing the configured bytes into whatever
 * output the transfer method lets the driver write: the system buffer (buffered), the MDL's
 * pages (direct reads, METHOD_OUT_DIRECT), the caller's buffer in the caller's context
 * (METHOD_NEITHER). METHOD_IN_DIRECT's buffer and writes' buffers are only read. */
#include <ntddk.h>
#include "statdrv_ioctl.h"

static STAT_BEHAVIOUR StatBehaviour;
static volatile LONG StatOutstanding;

static VOID StatWorkItem(PDEVICE_OBJECT DeviceObject, PVOID Context)
{
    PIRP Irp = Context;
    PIO_WORKITEM Item = Irp->Tail.Overlay.DriverContext[0];
    UNREFERENCED_PARAMETER(DeviceObject);
    Irp->IoStatus.Status = (NTSTATUS)(ULONG_PTR)Irp->Tail.Overlay.DriverContext[1];
    Irp->IoStatus.Information = (ULONG_PTR)Irp->Tail.Overlay.DriverContext[2];
    /* Counted down first: once the client learns of the completion, it is not outstanding
     * (the unload waits for the work item itself). */
    InterlockedDecrement(&StatOutstanding);
    IoCompleteRequest(Irp, IO_NO_INCREMENT);
    IoFreeWorkItem(Item);
}

/* The output the driver may write for this request, and its length. */
static PUCHAR StatOutput(PDEVICE_OBJECT DeviceObject, PIRP Irp, PULONG Length)
{
    PIO_STACK_LOCATION Stack = IoGetCurrentIrpStackLocation(Irp);
    *Length = 0;
    switch (Stack->MajorFunction) {
    case IRP_MJ_READ:
        *Length = Stack->Parameters.Read.Length;
        if (*Length == 0)
            return NULL;
        if (DeviceObject->Flags & DO_BUFFERED_IO)
            return Irp->AssociatedIrp.SystemBuffer;
        return MmGetSystemAddressForMdlSafe(Irp->MdlAddress, NormalPagePriority);
    case IRP_MJ_DEVICE_CONTROL:
        *Length = Stack->Parameters.DeviceIoControl.OutputBufferLength;
        if (*Length == 0)
            return NULL;
        switch (METHOD_FROM_CTL_CODE(Stack->Parameters.DeviceIoControl.IoControlCode)) {
        case METHOD_BUFFERED:
            return Irp->AssociatedIrp.SystemBuffer;
        case METHOD_OUT_DIRECT:
            return MmGetSystemAddressForMdlSafe(Irp->MdlAddress, NormalPagePriority);
        case METHOD_NEITHER: {
            /* The caller's own buffer, in the caller's context (the dispatch routine runs in
             * the requesting thread): probed for writing. */
            volatile BOOLEAN Valid = TRUE;
            __try {
                ProbeForWrite(Irp->UserBuffer, *Length, 1);
            } __except (EXCEPTION_EXECUTE_HANDLER) {
                Valid = FALSE;
            }
            return Valid ? Irp->UserBuffer : NULL;
        }
        default: /* METHOD_IN_DIRECT: the buffer is the driver's input */
            return NULL;
        }
    default: /* IRP_MJ_WRITE */
        return NULL;
    }
}

static NTSTATUS StatData(PDEVICE_OBJECT DeviceObject, PIRP Irp)
{
    STAT_BEHAVIOUR Behaviour = StatBehaviour;
    ULONG Length, i;
    PUCHAR Output = StatOutput(DeviceObject, Irp, &Length);

    for (i = 0; Output && i < Behaviour.Fill && i < Length; i++)
        Output[i] = STAT_PATTERN(i);
    switch (Behaviour.How) {
    case STAT_PEND_WORKITEM: {
        PIO_WORKITEM Item = IoAllocateWorkItem(DeviceObject);
        if (Item == NULL)
            break;
        Irp->Tail.Overlay.DriverContext[0] = Item;
        Irp->Tail.Overlay.DriverContext[1] = (PVOID)(ULONG_PTR)(ULONG)Behaviour.Final;
        Irp->Tail.Overlay.DriverContext[2] = (PVOID)(ULONG_PTR)Behaviour.Information;
        InterlockedIncrement(&StatOutstanding);
        IoMarkIrpPending(Irp);
        IoQueueWorkItem(Item, StatWorkItem, DelayedWorkQueue, Irp);
        return STATUS_PENDING;
    }
    case STAT_PEND_INLINE:
        IoMarkIrpPending(Irp);
        Irp->IoStatus.Status = Behaviour.Final;
        Irp->IoStatus.Information = Behaviour.Information;
        IoCompleteRequest(Irp, IO_NO_INCREMENT);
        return STATUS_PENDING;
    default:
        Irp->IoStatus.Status = Behaviour.Returned;
        Irp->IoStatus.Information = Behaviour.Information;
        IoCompleteRequest(Irp, IO_NO_INCREMENT);
        return Behaviour.Returned;
    }
    Irp->IoStatus.Status = STATUS_INSUFFICIENT_RESOURCES;
    Irp->IoStatus.Information = 0;
    IoCompleteRequest(Irp, IO_NO_INCREMENT);
    return STATUS_INSUFFICIENT_RESOURCES;
}

static NTSTATUS StatControl(PDEVICE_OBJECT DeviceObject, PIRP Irp)
{
    PIO_STACK_LOCATION Stack = IoGetCurrentIrpStackLocation(Irp);
    NTSTATUS Status = STATUS_SUCCESS;
    if (Stack->Parameters.DeviceIoControl.IoControlCode != IOCTL_STAT_CONFIGURE)
        return StatData(DeviceObject, Irp);
    if (Stack->Parameters.DeviceIoControl.InputBufferLength < sizeof(STAT_BEHAVIOUR))
        Status = STATUS_INVALID_PARAMETER;
    else
        StatBehaviour = *(STAT_BEHAVIOUR *)Irp->AssociatedIrp.SystemBuffer;
    Irp->IoStatus.Status = Status;
    Irp->IoStatus.Information = 0;
    IoCompleteRequest(Irp, IO_NO_INCREMENT);
    return Status;
}

static NTSTATUS StatCreateClose(PDEVICE_OBJECT DeviceObject, PIRP Irp)
{
    UNREFERENCED_PARAMETER(DeviceObject);
    Irp->IoStatus.Status = STATUS_SUCCESS;
    Irp->IoStatus.Information = 0;
    IoCompleteRequest(Irp, IO_NO_INCREMENT);
    return STATUS_SUCCESS;
}

static const PCWSTR StatNames[2][2] = {
    { L"\\Device\\NtkStatBuf", L"\\??\\NtkStatBuf" },
    { L"\\Device\\NtkStatDir", L"\\??\\NtkStatDir" },
};

static VOID StatUnload(PDRIVER_OBJECT DriverObject)
{
    ULONG i;
    if (StatOutstanding != 0)
        DbgPrint("statdrv: %ld requests still outstanding at unload\n", StatOutstanding);
    for (i = 0; i < 2; i++) {
        UNICODE_STRING Link;
        RtlInitUnicodeString(&Link, StatNames[i][1]);
        IoDeleteSymbolicLink(&Link);
    }
    while (DriverObject->DeviceObject)
        IoDeleteDevice(DriverObject->DeviceObject);
}

NTSTATUS DriverEntry(PDRIVER_OBJECT DriverObject, PUNICODE_STRING RegistryPath)
{
    ULONG i;
    UNREFERENCED_PARAMETER(RegistryPath);
    DriverObject->DriverUnload = StatUnload;
    DriverObject->MajorFunction[IRP_MJ_CREATE] = StatCreateClose;
    DriverObject->MajorFunction[IRP_MJ_CLOSE] = StatCreateClose;
    DriverObject->MajorFunction[IRP_MJ_CLEANUP] = StatCreateClose;
    DriverObject->MajorFunction[IRP_MJ_READ] = StatData;
    DriverObject->MajorFunction[IRP_MJ_WRITE] = StatData;
    DriverObject->MajorFunction[IRP_MJ_DEVICE_CONTROL] = StatControl;
    for (i = 0; i < 2; i++) {
        UNICODE_STRING Name, Link;
        PDEVICE_OBJECT Device;
        NTSTATUS Status;
        RtlInitUnicodeString(&Name, StatNames[i][0]);
        RtlInitUnicodeString(&Link, StatNames[i][1]);
        Status = IoCreateDevice(DriverObject, 0, &Name, STAT_DEVICE_TYPE, 0, FALSE, &Device);
        if (!NT_SUCCESS(Status)) {
            StatUnload(DriverObject);
            return Status;
        }
        Device->Flags |= i == 0 ? DO_BUFFERED_IO : DO_DIRECT_IO;
        Device->Flags &= ~DO_DEVICE_INITIALIZING;
        Status = IoCreateSymbolicLink(&Link, &Name);
        if (!NT_SUCCESS(Status)) {
            StatUnload(DriverObject);
            return Status;
        }
    }
    return STATUS_SUCCESS;
}
