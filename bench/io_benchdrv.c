/* The I/O benchmark driver: reads and writes on a buffered and a direct device, and a small
 * echo for each transfer method. Each handler does the least a real driver would: map or
 * probe what it touches, copy or fill the bytes, complete. */
#include <ntddk.h>
#include "io_bench.h"

static NTSTATUS Complete(PIRP Irp, NTSTATUS Status, ULONG_PTR Information)
{
    Irp->IoStatus.Status = Status;
    Irp->IoStatus.Information = Information;
    IoCompleteRequest(Irp, IO_NO_INCREMENT);
    return Status;
}

static NTSTATUS BenchCreateClose(PDEVICE_OBJECT DeviceObject, PIRP Irp)
{
    UNREFERENCED_PARAMETER(DeviceObject);
    return Complete(Irp, STATUS_SUCCESS, 0);
}

/* The buffer of a read or write: the system buffer, or the MDL's system address. */
static PVOID TransferBuffer(PDEVICE_OBJECT DeviceObject, PIRP Irp)
{
    if (DeviceObject->Flags & DO_DIRECT_IO)
        return Irp->MdlAddress ? MmGetSystemAddressForMdlSafe(Irp->MdlAddress, NormalPagePriority)
                               : NULL;
    return Irp->AssociatedIrp.SystemBuffer;
}

static NTSTATUS BenchRead(PDEVICE_OBJECT DeviceObject, PIRP Irp)
{
    ULONG Length = IoGetCurrentIrpStackLocation(Irp)->Parameters.Read.Length;
    PVOID Buffer = TransferBuffer(DeviceObject, Irp);
    if (Buffer == NULL)
        return Complete(Irp, STATUS_INVALID_BUFFER_SIZE, 0);
    RtlZeroMemory(Buffer, Length);
    return Complete(Irp, STATUS_SUCCESS, Length);
}

static NTSTATUS BenchWrite(PDEVICE_OBJECT DeviceObject, PIRP Irp)
{
    ULONG Length = IoGetCurrentIrpStackLocation(Irp)->Parameters.Write.Length;
    UNREFERENCED_PARAMETER(DeviceObject);
    return Complete(Irp, STATUS_SUCCESS, Length);
}

static NTSTATUS BenchControl(PDEVICE_OBJECT DeviceObject, PIRP Irp)
{
    PIO_STACK_LOCATION Stack = IoGetCurrentIrpStackLocation(Irp);
    ULONG In = Stack->Parameters.DeviceIoControl.InputBufferLength;
    ULONG Out = Stack->Parameters.DeviceIoControl.OutputBufferLength;
    ULONG Length = In < Out ? In : Out;
    PVOID System;
    UNREFERENCED_PARAMETER(DeviceObject);

    switch (Stack->Parameters.DeviceIoControl.IoControlCode) {
    case IOCTL_IO_BENCH_BUFFERED:
        /* Input and output share the system buffer: the echo is already in place. */
        return Complete(Irp, STATUS_SUCCESS, Length);
    case IOCTL_IO_BENCH_OUT_DIRECT:
        if (Irp->MdlAddress == NULL)
            return Complete(Irp, STATUS_INVALID_PARAMETER, 0);
        System = MmGetSystemAddressForMdlSafe(Irp->MdlAddress, NormalPagePriority);
        if (System == NULL)
            return Complete(Irp, STATUS_INSUFFICIENT_RESOURCES, 0);
        RtlCopyMemory(System, Irp->AssociatedIrp.SystemBuffer, Length);
        return Complete(Irp, STATUS_SUCCESS, Length);
    case IOCTL_IO_BENCH_IN_DIRECT:
        if (Irp->MdlAddress == NULL)
            return Complete(Irp, STATUS_INVALID_PARAMETER, 0);
        System = MmGetSystemAddressForMdlSafe(Irp->MdlAddress, NormalPagePriority);
        if (System == NULL)
            return Complete(Irp, STATUS_INSUFFICIENT_RESOURCES, 0);
        return Complete(Irp,
                        RtlCompareMemory(System, Irp->AssociatedIrp.SystemBuffer, Length) ==
                                Length
                            ? STATUS_SUCCESS
                            : STATUS_DATA_ERROR,
                        0);
    case IOCTL_IO_BENCH_NEITHER:
        /* The caller's own pointers: probe them, then copy (a real driver would do both under
         * __try; these buffers are good). */
        if (Irp->RequestorMode == UserMode) {
            ProbeForRead(Stack->Parameters.DeviceIoControl.Type3InputBuffer, In, 1);
            ProbeForWrite(Irp->UserBuffer, Out, 1);
        }
        RtlCopyMemory(Irp->UserBuffer, Stack->Parameters.DeviceIoControl.Type3InputBuffer,
                      Length);
        return Complete(Irp, STATUS_SUCCESS, Length);
    default:
        return Complete(Irp, STATUS_INVALID_DEVICE_REQUEST, 0);
    }
}

static const PCWSTR Names[2][2] = {
    { L"\\Device\\NtkIoBenchBuffered", L"\\??\\NtkIoBenchBuffered" },
    { L"\\Device\\NtkIoBenchDirect", L"\\??\\NtkIoBenchDirect" },
};

static VOID BenchUnload(PDRIVER_OBJECT DriverObject)
{
    UNICODE_STRING Link;
    int i;
    for (i = 0; i < 2; i++) {
        RtlInitUnicodeString(&Link, Names[i][1]);
        IoDeleteSymbolicLink(&Link);
    }
    while (DriverObject->DeviceObject)
        IoDeleteDevice(DriverObject->DeviceObject);
}

NTSTATUS DriverEntry(PDRIVER_OBJECT DriverObject, PUNICODE_STRING RegistryPath)
{
    UNICODE_STRING Name, Link;
    PDEVICE_OBJECT Device;
    NTSTATUS Status = STATUS_SUCCESS;
    int i;
    UNREFERENCED_PARAMETER(RegistryPath);
    DriverObject->DriverUnload = BenchUnload;
    DriverObject->MajorFunction[IRP_MJ_CREATE] = BenchCreateClose;
    DriverObject->MajorFunction[IRP_MJ_CLOSE] = BenchCreateClose;
    DriverObject->MajorFunction[IRP_MJ_READ] = BenchRead;
    DriverObject->MajorFunction[IRP_MJ_WRITE] = BenchWrite;
    DriverObject->MajorFunction[IRP_MJ_DEVICE_CONTROL] = BenchControl;
    for (i = 0; i < 2 && NT_SUCCESS(Status); i++) {
        RtlInitUnicodeString(&Name, Names[i][0]);
        RtlInitUnicodeString(&Link, Names[i][1]);
        Status = IoCreateDevice(DriverObject, 0, &Name, FILE_DEVICE_UNKNOWN, 0, FALSE, &Device);
        if (!NT_SUCCESS(Status))
            break;
        Device->Flags |= i == 0 ? DO_BUFFERED_IO : DO_DIRECT_IO;
        Status = IoCreateSymbolicLink(&Link, &Name);
    }
    if (!NT_SUCCESS(Status))
        BenchUnload(DriverObject);
    return Status;
}
