/* echo: a small buffered-I/O test driver for badinput.c.
 *   \Device\NtkEcho (link \??\NtkEcho), DO_BUFFERED_IO.
 *   IRP_MJ_WRITE remembers the last written bytes (up to ECHO_CAPACITY),
 *   IRP_MJ_READ returns them, IRP_MJ_DEVICE_CONTROL implements echo_ioctl.h.
 * All pool it allocates is freed at unload. */
#include <ntddk.h>
#include "echo_ioctl.h"

#define ECHO_TAG 'ohcE'

typedef struct {
    FAST_MUTEX Lock;
    ULONG Length;
    UCHAR Data[ECHO_CAPACITY];
    PUCHAR Pool; /* ECHO_POOL_SIZE bytes of ECHO_POOL_FILL: a kernel address for the client */
} ECHO_EXTENSION, *PECHO_EXTENSION;

static NTSTATUS EchoComplete(PIRP Irp, NTSTATUS Status, ULONG_PTR Information)
{
    Irp->IoStatus.Status = Status;
    Irp->IoStatus.Information = Information;
    IoCompleteRequest(Irp, IO_NO_INCREMENT);
    return Status;
}

static NTSTATUS EchoCreateClose(PDEVICE_OBJECT DeviceObject, PIRP Irp)
{
    UNREFERENCED_PARAMETER(DeviceObject);
    return EchoComplete(Irp, STATUS_SUCCESS, 0);
}

static NTSTATUS EchoWrite(PDEVICE_OBJECT DeviceObject, PIRP Irp)
{
    PECHO_EXTENSION ext = (PECHO_EXTENSION)DeviceObject->DeviceExtension;
    ULONG length = IoGetCurrentIrpStackLocation(Irp)->Parameters.Write.Length;
    if (length > 0 && Irp->AssociatedIrp.SystemBuffer == NULL)
        return EchoComplete(Irp, STATUS_INVALID_PARAMETER, 0);
    ULONG n = length < ECHO_CAPACITY ? length : ECHO_CAPACITY;
    ExAcquireFastMutex(&ext->Lock);
    if (n > 0)
        RtlCopyMemory(ext->Data, Irp->AssociatedIrp.SystemBuffer, n);
    ext->Length = n;
    ExReleaseFastMutex(&ext->Lock);
    return EchoComplete(Irp, STATUS_SUCCESS, n);
}

static NTSTATUS EchoRead(PDEVICE_OBJECT DeviceObject, PIRP Irp)
{
    PECHO_EXTENSION ext = (PECHO_EXTENSION)DeviceObject->DeviceExtension;
    ULONG length = IoGetCurrentIrpStackLocation(Irp)->Parameters.Read.Length;
    if (length > 0 && Irp->AssociatedIrp.SystemBuffer == NULL)
        return EchoComplete(Irp, STATUS_INVALID_PARAMETER, 0);
    ExAcquireFastMutex(&ext->Lock);
    ULONG n = length < ext->Length ? length : ext->Length;
    if (n > 0)
        RtlCopyMemory(Irp->AssociatedIrp.SystemBuffer, ext->Data, n);
    ExReleaseFastMutex(&ext->Lock);
    return EchoComplete(Irp, STATUS_SUCCESS, n);
}

static BOOLEAN EchoPoolIntact(PECHO_EXTENSION ext)
{
    for (ULONG i = 0; i < ECHO_POOL_SIZE; i++) {
        if (ext->Pool[i] != ECHO_POOL_FILL)
            return FALSE;
    }
    return TRUE;
}

static NTSTATUS EchoDeviceControl(PDEVICE_OBJECT DeviceObject, PIRP Irp)
{
    PECHO_EXTENSION ext = (PECHO_EXTENSION)DeviceObject->DeviceExtension;
    PIO_STACK_LOCATION sp = IoGetCurrentIrpStackLocation(Irp);
    ULONG inLen = sp->Parameters.DeviceIoControl.InputBufferLength;
    ULONG outLen = sp->Parameters.DeviceIoControl.OutputBufferLength;
    PUCHAR buf = (PUCHAR)Irp->AssociatedIrp.SystemBuffer;

    switch (sp->Parameters.DeviceIoControl.IoControlCode) {
    case IOCTL_ECHO_COPY:
        /* Input and output share the system buffer: the input is already in place. */
        return EchoComplete(Irp, STATUS_SUCCESS, inLen < outLen ? inLen : outLen);

    case IOCTL_ECHO_PARTIAL: {
        if (inLen < sizeof(ULONG) || buf == NULL)
            return EchoComplete(Irp, STATUS_BUFFER_TOO_SMALL, 0);
        ULONG n = *(ULONG *)buf;
        if (n > outLen)
            return EchoComplete(Irp, STATUS_INVALID_PARAMETER, 0);
        if (outLen > 0)
            RtlFillMemory(buf, outLen, 0xAB);
        return EchoComplete(Irp, STATUS_SUCCESS, n);
    }

    case IOCTL_ECHO_FAIL:
        if (outLen > 0 && buf != NULL)
            RtlFillMemory(buf, outLen, 0xAB);
        return EchoComplete(Irp, STATUS_INVALID_PARAMETER, outLen);

    case IOCTL_ECHO_OVERFLOW:
        if (outLen > 0 && buf != NULL)
            RtlFillMemory(buf, outLen, 0xAB);
        return EchoComplete(Irp, STATUS_BUFFER_OVERFLOW, outLen / 2);

    case IOCTL_ECHO_NEEDS_WRITE:
        return EchoComplete(Irp, STATUS_SUCCESS, 0);

    case IOCTL_ECHO_NEITHER: {
        PVOID in = sp->Parameters.DeviceIoControl.Type3InputBuffer;
        PVOID out = Irp->UserBuffer;
        ULONG n = inLen < outLen ? inLen : outLen;
        if (n > 0 && (in == NULL || out == NULL))
            return EchoComplete(Irp, STATUS_INVALID_PARAMETER, 0);
        if (n > 0)
            RtlCopyMemory(out, in, n);
        return EchoComplete(Irp, STATUS_SUCCESS, n);
    }

    case IOCTL_ECHO_POOL_ADDRESS:
        if (outLen < sizeof(ULONG64))
            return EchoComplete(Irp, STATUS_BUFFER_TOO_SMALL, 0);
        *(ULONG64 *)buf = (ULONG64)(ULONG_PTR)ext->Pool;
        return EchoComplete(Irp, STATUS_SUCCESS, sizeof(ULONG64));

    case IOCTL_ECHO_POOL_INTACT:
        if (outLen < sizeof(ULONG))
            return EchoComplete(Irp, STATUS_BUFFER_TOO_SMALL, 0);
        *(ULONG *)buf = EchoPoolIntact(ext) ? 1 : 0;
        return EchoComplete(Irp, STATUS_SUCCESS, sizeof(ULONG));

    case IOCTL_ECHO_USER_LIMIT:
        if (outLen < sizeof(ULONG64))
            return EchoComplete(Irp, STATUS_BUFFER_TOO_SMALL, 0);
        *(ULONG64 *)buf = (ULONG64)MmUserProbeAddress;
        return EchoComplete(Irp, STATUS_SUCCESS, sizeof(ULONG64));

    default:
        return EchoComplete(Irp, STATUS_INVALID_DEVICE_REQUEST, 0);
    }
}

static VOID EchoUnload(PDRIVER_OBJECT DriverObject)
{
    UNICODE_STRING link = RTL_CONSTANT_STRING(ECHO_LINK_NAME);
    PDEVICE_OBJECT dev = DriverObject->DeviceObject;
    PECHO_EXTENSION ext = (PECHO_EXTENSION)dev->DeviceExtension;
    if (!EchoPoolIntact(ext))
        DbgPrint("echo: FAIL: the pool block was overwritten\n");
    ExFreePoolWithTag(ext->Pool, ECHO_TAG);
    IoDeleteSymbolicLink(&link);
    IoDeleteDevice(dev);
}

NTSTATUS DriverEntry(PDRIVER_OBJECT DriverObject, PUNICODE_STRING RegistryPath)
{
    UNREFERENCED_PARAMETER(RegistryPath);
    UNICODE_STRING name = RTL_CONSTANT_STRING(ECHO_DEVICE_NAME);
    UNICODE_STRING link = RTL_CONSTANT_STRING(ECHO_LINK_NAME);
    PDEVICE_OBJECT dev;

    DriverObject->DriverUnload = EchoUnload;
    DriverObject->MajorFunction[IRP_MJ_CREATE] = EchoCreateClose;
    DriverObject->MajorFunction[IRP_MJ_CLOSE] = EchoCreateClose;
    DriverObject->MajorFunction[IRP_MJ_READ] = EchoRead;
    DriverObject->MajorFunction[IRP_MJ_WRITE] = EchoWrite;
    DriverObject->MajorFunction[IRP_MJ_DEVICE_CONTROL] = EchoDeviceControl;

    NTSTATUS status = IoCreateDevice(DriverObject, sizeof(ECHO_EXTENSION), &name,
                                     FILE_DEVICE_UNKNOWN, 0, FALSE, &dev);
    if (!NT_SUCCESS(status))
        return status;
    dev->Flags |= DO_BUFFERED_IO;

    PECHO_EXTENSION ext = (PECHO_EXTENSION)dev->DeviceExtension;
    ExInitializeFastMutex(&ext->Lock);
    ext->Length = 0;
    ext->Pool = (PUCHAR)ExAllocatePool2(POOL_FLAG_NON_PAGED, ECHO_POOL_SIZE, ECHO_TAG);
    if (ext->Pool == NULL) {
        IoDeleteDevice(dev);
        return STATUS_INSUFFICIENT_RESOURCES;
    }
    RtlFillMemory(ext->Pool, ECHO_POOL_SIZE, ECHO_POOL_FILL);

    status = IoCreateSymbolicLink(&link, &name);
    if (!NT_SUCCESS(status)) {
        ExFreePoolWithTag(ext->Pool, ECHO_TAG);
        IoDeleteDevice(dev);
        return status;
    }
    return STATUS_SUCCESS;
}
