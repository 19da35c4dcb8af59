/* The Booster driver of chapter 4 of "Windows Kernel Programming, 2nd ed.", in C.
 * A client writes a ThreadData (thread id + priority) to \\.\Booster and the driver sets
 * that thread's priority with KeSetPriorityThread, something user mode cannot do
 * (SetThreadPriority only reaches levels relative to the process's priority class). */
#include <ntddk.h>
#include "BoosterCommon.h"

static VOID BoosterUnload(_In_ PDRIVER_OBJECT DriverObject);
static NTSTATUS BoosterCreateClose(_In_ PDEVICE_OBJECT DeviceObject, _Inout_ PIRP Irp);
static NTSTATUS BoosterWrite(_In_ PDEVICE_OBJECT DeviceObject, _Inout_ PIRP Irp);

NTSTATUS DriverEntry(_In_ PDRIVER_OBJECT DriverObject, _In_ PUNICODE_STRING RegistryPath)
{
    UNREFERENCED_PARAMETER(RegistryPath);
    KdPrint(("Booster: DriverEntry\n"));

    DriverObject->DriverUnload = BoosterUnload;
    DriverObject->MajorFunction[IRP_MJ_CREATE] = BoosterCreateClose;
    DriverObject->MajorFunction[IRP_MJ_CLOSE] = BoosterCreateClose;
    DriverObject->MajorFunction[IRP_MJ_WRITE] = BoosterWrite;

    UNICODE_STRING devName = RTL_CONSTANT_STRING(L"\\Device\\Booster");
    PDEVICE_OBJECT DeviceObject;
    NTSTATUS status = IoCreateDevice(DriverObject, 0, &devName, FILE_DEVICE_UNKNOWN, 0, FALSE,
                                     &DeviceObject);
    if (!NT_SUCCESS(status)) {
        KdPrint(("Booster: failed to create device object (0x%08X)\n", status));
        return status;
    }

    UNICODE_STRING symLink = RTL_CONSTANT_STRING(L"\\??\\Booster");
    status = IoCreateSymbolicLink(&symLink, &devName);
    if (!NT_SUCCESS(status)) {
        KdPrint(("Booster: failed to create symbolic link (0x%08X)\n", status));
        IoDeleteDevice(DeviceObject);
        return status;
    }

    KdPrint(("Booster: DriverEntry completed successfully\n"));
    return STATUS_SUCCESS;
}

static VOID BoosterUnload(_In_ PDRIVER_OBJECT DriverObject)
{
    UNICODE_STRING symLink = RTL_CONSTANT_STRING(L"\\??\\Booster");
    IoDeleteSymbolicLink(&symLink);
    IoDeleteDevice(DriverObject->DeviceObject);
    KdPrint(("Booster: unloaded\n"));
}

static NTSTATUS BoosterCreateClose(_In_ PDEVICE_OBJECT DeviceObject, _Inout_ PIRP Irp)
{
    UNREFERENCED_PARAMETER(DeviceObject);
    Irp->IoStatus.Status = STATUS_SUCCESS;
    Irp->IoStatus.Information = 0;
    IoCompleteRequest(Irp, IO_NO_INCREMENT);
    return STATUS_SUCCESS;
}

/* The device uses neither buffered nor direct I/O, so the write's buffer is the caller's own
 * user-mode pointer, Irp->UserBuffer. That is safe here only because the write is handled
 * at PASSIVE_LEVEL in the context of the calling thread (the book discusses this). */
static NTSTATUS BoosterWrite(_In_ PDEVICE_OBJECT DeviceObject, _Inout_ PIRP Irp)
{
    UNREFERENCED_PARAMETER(DeviceObject);
    NTSTATUS status = STATUS_SUCCESS;
    ULONG_PTR information = 0;
    PIO_STACK_LOCATION irpSp = IoGetCurrentIrpStackLocation(Irp);

    do {
        if (irpSp->Parameters.Write.Length < sizeof(ThreadData)) {
            status = STATUS_BUFFER_TOO_SMALL;
            break;
        }
        ThreadData *data = (ThreadData *)Irp->UserBuffer;
        if (data == NULL || data->Priority < 1 || data->Priority > 31) {
            status = STATUS_INVALID_PARAMETER;
            break;
        }
        PETHREAD thread;
        status = PsLookupThreadByThreadId(ULongToHandle(data->ThreadId), &thread);
        if (!NT_SUCCESS(status))
            break;

        KPRIORITY oldPriority = KeSetPriorityThread((PKTHREAD)thread, data->Priority);
        KdPrint(("Booster: priority change for thread %u from %d to %d succeeded!\n",
                 data->ThreadId, (int)oldPriority, data->Priority));

        ObDereferenceObject(thread);
        information = sizeof(ThreadData);
    } while (FALSE);

    Irp->IoStatus.Status = status;
    Irp->IoStatus.Information = information;
    IoCompleteRequest(Irp, IO_NO_INCREMENT);
    return status;
}
