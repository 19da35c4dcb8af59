/* The Zero driver of chapter 7 of "Windows Kernel Programming, 2nd ed.", in C: \Device\Zero
 * (symbolic link \??\Zero) uses direct I/O. A read fills the caller's buffer with zeros through
 * the system address of the request's MDL; a write is accepted and its data discarded. Both
 * count their bytes in two totals, which IOCTL_ZERO_GET_STATS returns and IOCTL_ZERO_CLEAR_STATS
 * resets. */
#include <ntddk.h>
#include "ZeroCommon.h"

#define DRIVER_PREFIX "Zero: "

/* Added to by any number of requests at once: interlocked. */
static long long g_TotalRead;
static long long g_TotalWritten;

static VOID ZeroUnload(_In_ PDRIVER_OBJECT DriverObject);
static NTSTATUS ZeroCreateClose(_In_ PDEVICE_OBJECT DeviceObject, _Inout_ PIRP Irp);
static NTSTATUS ZeroRead(_In_ PDEVICE_OBJECT DeviceObject, _Inout_ PIRP Irp);
static NTSTATUS ZeroWrite(_In_ PDEVICE_OBJECT DeviceObject, _Inout_ PIRP Irp);
static NTSTATUS ZeroDeviceControl(_In_ PDEVICE_OBJECT DeviceObject, _Inout_ PIRP Irp);

/* Every request completes at once: status, byte count, IoCompleteRequest. */
static NTSTATUS CompleteIrp(PIRP Irp, NTSTATUS Status, ULONG_PTR Information)
{
    Irp->IoStatus.Status = Status;
    Irp->IoStatus.Information = Information;
    IoCompleteRequest(Irp, IO_NO_INCREMENT);
    return Status;
}

NTSTATUS DriverEntry(_In_ PDRIVER_OBJECT DriverObject, _In_ PUNICODE_STRING RegistryPath)
{
    UNICODE_STRING devName = RTL_CONSTANT_STRING(L"\\Device\\Zero");
    UNICODE_STRING symLink = RTL_CONSTANT_STRING(L"\\??\\Zero");
    PDEVICE_OBJECT DeviceObject = NULL;
    BOOLEAN symLinkCreated = FALSE;
    NTSTATUS status;
    UNREFERENCED_PARAMETER(RegistryPath);

    DriverObject->DriverUnload = ZeroUnload;
    DriverObject->MajorFunction[IRP_MJ_CREATE] = ZeroCreateClose;
    DriverObject->MajorFunction[IRP_MJ_CLOSE] = ZeroCreateClose;
    DriverObject->MajorFunction[IRP_MJ_READ] = ZeroRead;
    DriverObject->MajorFunction[IRP_MJ_WRITE] = ZeroWrite;
    DriverObject->MajorFunction[IRP_MJ_DEVICE_CONTROL] = ZeroDeviceControl;

    /* One exit for every failure: undo whatever was done. */
    do {
        status = IoCreateDevice(DriverObject, 0, &devName, FILE_DEVICE_UNKNOWN, 0, FALSE,
                                &DeviceObject);
        if (!NT_SUCCESS(status)) {
            KdPrint((DRIVER_PREFIX "failed to create device (0x%08X)\n", status));
            break;
        }
        /* Reads and writes come with an MDL describing the caller's buffer. */
        DeviceObject->Flags |= DO_DIRECT_IO;

        status = IoCreateSymbolicLink(&symLink, &devName);
        if (!NT_SUCCESS(status)) {
            KdPrint((DRIVER_PREFIX "failed to create symbolic link (0x%08X)\n", status));
            break;
        }
        symLinkCreated = TRUE;
    } while (FALSE);

    if (!NT_SUCCESS(status)) {
        if (symLinkCreated)
            IoDeleteSymbolicLink(&symLink);
        if (DeviceObject)
            IoDeleteDevice(DeviceObject);
        return status;
    }
    KdPrint((DRIVER_PREFIX "DriverEntry completed successfully\n"));
    return STATUS_SUCCESS;
}

static VOID ZeroUnload(_In_ PDRIVER_OBJECT DriverObject)
{
    UNICODE_STRING symLink = RTL_CONSTANT_STRING(L"\\??\\Zero");
    IoDeleteSymbolicLink(&symLink);
    IoDeleteDevice(DriverObject->DeviceObject);
}

static NTSTATUS ZeroCreateClose(_In_ PDEVICE_OBJECT DeviceObject, _Inout_ PIRP Irp)
{
    UNREFERENCED_PARAMETER(DeviceObject);
    return CompleteIrp(Irp, STATUS_SUCCESS, 0);
}

static NTSTATUS ZeroRead(_In_ PDEVICE_OBJECT DeviceObject, _Inout_ PIRP Irp)
{
    PIO_STACK_LOCATION stack = IoGetCurrentIrpStackLocation(Irp);
    ULONG len = stack->Parameters.Read.Length;
    PVOID buffer;
    UNREFERENCED_PARAMETER(DeviceObject);

    if (len == 0)
        return CompleteIrp(Irp, STATUS_INVALID_BUFFER_SIZE, 0);

    /* Direct I/O: the I/O manager locked the buffer; map it into system space. */
    NT_ASSERT(Irp->MdlAddress);
    buffer = MmGetSystemAddressForMdlSafe(Irp->MdlAddress, NormalPagePriority);
    if (buffer == NULL)
        return CompleteIrp(Irp, STATUS_INSUFFICIENT_RESOURCES, 0);

    memset(buffer, 0, len);
    InterlockedAdd64(&g_TotalRead, len);
    return CompleteIrp(Irp, STATUS_SUCCESS, len);
}

static NTSTATUS ZeroWrite(_In_ PDEVICE_OBJECT DeviceObject, _Inout_ PIRP Irp)
{
    PIO_STACK_LOCATION stack = IoGetCurrentIrpStackLocation(Irp);
    ULONG len = stack->Parameters.Write.Length;
    UNREFERENCED_PARAMETER(DeviceObject);

    /* The data is not even looked at: a bit bucket. */
    InterlockedAdd64(&g_TotalWritten, len);
    return CompleteIrp(Irp, STATUS_SUCCESS, len);
}

static NTSTATUS ZeroDeviceControl(_In_ PDEVICE_OBJECT DeviceObject, _Inout_ PIRP Irp)
{
    PIO_STACK_LOCATION stack = IoGetCurrentIrpStackLocation(Irp);
    NTSTATUS status = STATUS_SUCCESS;
    ULONG_PTR len = 0;
    UNREFERENCED_PARAMETER(DeviceObject);

    switch (stack->Parameters.DeviceIoControl.IoControlCode) {
    case IOCTL_ZERO_GET_STATS: {
        ZeroStats *stats;
        if (stack->Parameters.DeviceIoControl.OutputBufferLength < sizeof(ZeroStats)) {
            status = STATUS_BUFFER_TOO_SMALL;
            break;
        }
        stats = (ZeroStats *)Irp->AssociatedIrp.SystemBuffer;
        if (stats == NULL) {
            status = STATUS_INVALID_PARAMETER;
            break;
        }
        stats->TotalRead = InterlockedAdd64(&g_TotalRead, 0);
        stats->TotalWritten = InterlockedAdd64(&g_TotalWritten, 0);
        len = sizeof(ZeroStats);
        break;
    }
    case IOCTL_ZERO_CLEAR_STATS:
        InterlockedExchange64(&g_TotalRead, 0);
        InterlockedExchange64(&g_TotalWritten, 0);
        break;
    default:
        status = STATUS_INVALID_DEVICE_REQUEST;
        break;
    }
    return CompleteIrp(Irp, status, len);
}
