/* The PriorityBooster driver of the 1st edition of "Windows Kernel Programming", in C: a
 * METHOD_NEITHER IOCTL whose input, a ThreadData, is read straight from the caller's buffer
 * (Parameters.DeviceIoControl.Type3InputBuffer). Nothing checked that pointer on the way in, so
 * the driver probes it and reads it inside __try/__except (chapter 6, "Structured Exception
 * Handling"): a bad pointer fails the request with the exception's status and the system goes
 * on. Built a second time with PRIORITY_BOOSTER_NO_SEH, as the chapter's first version reads
 * the buffer with no protection: a bad pointer then stops the system. */
#include <ntddk.h>
#include "PriorityBoosterCommon.h"

static VOID PriorityBoosterUnload(_In_ PDRIVER_OBJECT DriverObject);
static NTSTATUS PriorityBoosterCreateClose(_In_ PDEVICE_OBJECT DeviceObject, _Inout_ PIRP Irp);
static NTSTATUS PriorityBoosterDeviceControl(_In_ PDEVICE_OBJECT DeviceObject, _Inout_ PIRP Irp);

NTSTATUS DriverEntry(_In_ PDRIVER_OBJECT DriverObject, _In_ PUNICODE_STRING RegistryPath)
{
    UNREFERENCED_PARAMETER(RegistryPath);
    KdPrint(("PriorityBooster: DriverEntry\n"));

    DriverObject->DriverUnload = PriorityBoosterUnload;
    DriverObject->MajorFunction[IRP_MJ_CREATE] = PriorityBoosterCreateClose;
    DriverObject->MajorFunction[IRP_MJ_CLOSE] = PriorityBoosterCreateClose;
    DriverObject->MajorFunction[IRP_MJ_DEVICE_CONTROL] = PriorityBoosterDeviceControl;

    UNICODE_STRING devName = RTL_CONSTANT_STRING(L"\\Device\\PriorityBooster");
    PDEVICE_OBJECT DeviceObject;
    NTSTATUS status = IoCreateDevice(DriverObject, 0, &devName, FILE_DEVICE_UNKNOWN, 0, FALSE,
                                     &DeviceObject);
    if (!NT_SUCCESS(status)) {
        KdPrint(("PriorityBooster: failed to create device object (0x%08X)\n", status));
        return status;
    }

    UNICODE_STRING symLink = RTL_CONSTANT_STRING(L"\\??\\PriorityBooster");
    status = IoCreateSymbolicLink(&symLink, &devName);
    if (!NT_SUCCESS(status)) {
        KdPrint(("PriorityBooster: failed to create symbolic link (0x%08X)\n", status));
        IoDeleteDevice(DeviceObject);
        return status;
    }
    return STATUS_SUCCESS;
}

static VOID PriorityBoosterUnload(_In_ PDRIVER_OBJECT DriverObject)
{
    UNICODE_STRING symLink = RTL_CONSTANT_STRING(L"\\??\\PriorityBooster");
    IoDeleteSymbolicLink(&symLink);
    IoDeleteDevice(DriverObject->DeviceObject);
    KdPrint(("PriorityBooster: unloaded\n"));
}

static NTSTATUS PriorityBoosterCreateClose(_In_ PDEVICE_OBJECT DeviceObject, _Inout_ PIRP Irp)
{
    UNREFERENCED_PARAMETER(DeviceObject);
    Irp->IoStatus.Status = STATUS_SUCCESS;
    Irp->IoStatus.Information = 0;
    IoCompleteRequest(Irp, IO_NO_INCREMENT);
    return STATUS_SUCCESS;
}

/* Copies the caller's ThreadData. The copy is what gets checked and used afterwards, so the
 * caller cannot change the values between the check and the use. */
static NTSTATUS PriorityBoosterCapture(_In_ PIO_STACK_LOCATION stack, _Out_ ThreadData *captured)
{
    ThreadData *data = (ThreadData *)stack->Parameters.DeviceIoControl.Type3InputBuffer;
    if (data == NULL)
        return STATUS_INVALID_PARAMETER;
#ifndef PRIORITY_BOOSTER_NO_SEH
    __try {
        ProbeForRead(data, sizeof(ThreadData), TYPE_ALIGNMENT(ThreadData));
#endif
        *captured = *data; /* the caller's buffer is read here */
#ifndef PRIORITY_BOOSTER_NO_SEH
    } __except (EXCEPTION_EXECUTE_HANDLER) {
        return GetExceptionCode(); /* STATUS_ACCESS_VIOLATION, STATUS_DATATYPE_MISALIGNMENT */
    }
#endif
    return STATUS_SUCCESS;
}

static NTSTATUS PriorityBoosterDeviceControl(_In_ PDEVICE_OBJECT DeviceObject, _Inout_ PIRP Irp)
{
    UNREFERENCED_PARAMETER(DeviceObject);
    PIO_STACK_LOCATION stack = IoGetCurrentIrpStackLocation(Irp);
    NTSTATUS status = STATUS_SUCCESS;
    ThreadData data;

    switch (stack->Parameters.DeviceIoControl.IoControlCode) {
    case IOCTL_PRIORITY_BOOSTER_SET_PRIORITY: {
        if (stack->Parameters.DeviceIoControl.InputBufferLength < sizeof(ThreadData)) {
            status = STATUS_BUFFER_TOO_SMALL;
            break;
        }
        status = PriorityBoosterCapture(stack, &data);
        if (!NT_SUCCESS(status))
            break;
        if (data.Priority < 1 || data.Priority > 31) {
            status = STATUS_INVALID_PARAMETER;
            break;
        }
        PETHREAD thread;
        status = PsLookupThreadByThreadId(ULongToHandle(data.ThreadId), &thread);
        if (!NT_SUCCESS(status))
            break;
        KPRIORITY oldPriority = KeSetPriorityThread((PKTHREAD)thread, data.Priority);
        ObDereferenceObject(thread);
        KdPrint(("PriorityBooster: thread %u priority %d -> %d\n", data.ThreadId,
                 (int)oldPriority, data.Priority));
        break;
    }
    default:
        status = STATUS_INVALID_DEVICE_REQUEST;
        break;
    }

    Irp->IoStatus.Status = status;
    Irp->IoStatus.Information = 0;
    IoCompleteRequest(Irp, IO_NO_INCREMENT);
    return status;
}
