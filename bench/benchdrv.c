/* A minimal METHOD_BUFFERED driver for the round-trip benchmark: it echoes its input. */
#include <ntddk.h>
#include "bench_ioctl.h"

static NTSTATUS BenchCreateClose(PDEVICE_OBJECT DeviceObject, PIRP Irp)
{
    UNREFERENCED_PARAMETER(DeviceObject);
    Irp->IoStatus.Status = STATUS_SUCCESS;
    Irp->IoStatus.Information = 0;
    IoCompleteRequest(Irp, IO_NO_INCREMENT);
    return STATUS_SUCCESS;
}

static NTSTATUS BenchControl(PDEVICE_OBJECT DeviceObject, PIRP Irp)
{
    PIO_STACK_LOCATION Stack = IoGetCurrentIrpStackLocation(Irp);
    NTSTATUS Status = STATUS_INVALID_DEVICE_REQUEST;
    ULONG_PTR Information = 0;
    UNREFERENCED_PARAMETER(DeviceObject);
    if (Stack->Parameters.DeviceIoControl.IoControlCode == IOCTL_BENCH_ECHO) {
        ULONG In = Stack->Parameters.DeviceIoControl.InputBufferLength;
        ULONG Out = Stack->Parameters.DeviceIoControl.OutputBufferLength;
        /* The system buffer holds the input; the output goes back through the same buffer. */
        Information = In < Out ? In : Out;
        Status = STATUS_SUCCESS;
    }
    Irp->IoStatus.Status = Status;
    Irp->IoStatus.Information = Information;
    IoCompleteRequest(Irp, IO_NO_INCREMENT);
    return Status;
}

static VOID BenchUnload(PDRIVER_OBJECT DriverObject)
{
    UNICODE_STRING Link = RTL_CONSTANT_STRING(L"\\??\\NtkBench");
    IoDeleteSymbolicLink(&Link);
    IoDeleteDevice(DriverObject->DeviceObject);
}

NTSTATUS DriverEntry(PDRIVER_OBJECT DriverObject, PUNICODE_STRING RegistryPath)
{
    UNICODE_STRING Name = RTL_CONSTANT_STRING(L"\\Device\\NtkBench");
    UNICODE_STRING Link = RTL_CONSTANT_STRING(L"\\??\\NtkBench");
    PDEVICE_OBJECT Device;
    NTSTATUS Status;
    UNREFERENCED_PARAMETER(RegistryPath);
    DriverObject->DriverUnload = BenchUnload;
    DriverObject->MajorFunction[IRP_MJ_CREATE] = BenchCreateClose;
    DriverObject->MajorFunction[IRP_MJ_CLOSE] = BenchCreateClose;
    DriverObject->MajorFunction[IRP_MJ_DEVICE_CONTROL] = BenchControl;
    Status = IoCreateDevice(DriverObject, 0, &Name, FILE_DEVICE_UNKNOWN, 0, FALSE, &Device);
    if (!NT_SUCCESS(Status))
        return Status;
    Status = IoCreateSymbolicLink(&Link, &Name);
    if (!NT_SUCCESS(Status))
        IoDeleteDevice(Device);
    return Status;
}
