/* irpcount: counts IRP_MJ_CREATE, IRP_MJ_CLEANUP and IRP_MJ_CLOSE and reports the counts by
 * IOCTL, for irpcount_test.c. FsContext marks a file object whose CLEANUP has arrived, so
 * that a CLOSE without a CLEANUP first is counted too. */
#include <ntddk.h>
#include "irpcount_ioctl.h"

static volatile LONG Creates, Cleanups, Closes, CloseBeforeCleanup;
static char CleanedUp; /* FsContext value after CLEANUP */

static NTSTATUS CountComplete(PIRP Irp, NTSTATUS Status, ULONG_PTR Information)
{
    Irp->IoStatus.Status = Status;
    Irp->IoStatus.Information = Information;
    IoCompleteRequest(Irp, IO_NO_INCREMENT);
    return Status;
}

static NTSTATUS CountDispatch(PDEVICE_OBJECT DeviceObject, PIRP Irp)
{
    UNREFERENCED_PARAMETER(DeviceObject);
    PIO_STACK_LOCATION sp = IoGetCurrentIrpStackLocation(Irp);
    switch (sp->MajorFunction) {
    case IRP_MJ_CREATE:
        InterlockedIncrement(&Creates);
        sp->FileObject->FsContext = NULL;
        return CountComplete(Irp, STATUS_SUCCESS, 0);
    case IRP_MJ_CLEANUP:
        InterlockedIncrement(&Cleanups);
        sp->FileObject->FsContext = &CleanedUp;
        return CountComplete(Irp, STATUS_SUCCESS, 0);
    case IRP_MJ_CLOSE:
        InterlockedIncrement(&Closes);
        if (sp->FileObject->FsContext != &CleanedUp)
            InterlockedIncrement(&CloseBeforeCleanup);
        return CountComplete(Irp, STATUS_SUCCESS, 0);
    case IRP_MJ_DEVICE_CONTROL: {
        if (sp->Parameters.DeviceIoControl.IoControlCode != IOCTL_IRPCOUNT_GET)
            return CountComplete(Irp, STATUS_INVALID_DEVICE_REQUEST, 0);
        if (sp->Parameters.DeviceIoControl.OutputBufferLength < sizeof(IRPCOUNT_COUNTERS))
            return CountComplete(Irp, STATUS_BUFFER_TOO_SMALL, 0);
        IRPCOUNT_COUNTERS *c = (IRPCOUNT_COUNTERS *)Irp->AssociatedIrp.SystemBuffer;
        c->Create = Creates;
        c->Cleanup = Cleanups;
        c->Close = Closes;
        c->CloseBeforeCleanup = CloseBeforeCleanup;
        c->FileObject = (ULONG64)(ULONG_PTR)sp->FileObject;
        return CountComplete(Irp, STATUS_SUCCESS, sizeof(*c));
    }
    default:
        return CountComplete(Irp, STATUS_INVALID_DEVICE_REQUEST, 0);
    }
}

static VOID CountUnload(PDRIVER_OBJECT DriverObject)
{
    UNICODE_STRING link = RTL_CONSTANT_STRING(IRPCOUNT_LINK_NAME);
    DbgPrint("irpcount: unload: %d creates, %d cleanups, %d closes\n", Creates, Cleanups, Closes);
    IoDeleteSymbolicLink(&link);
    IoDeleteDevice(DriverObject->DeviceObject);
}

NTSTATUS DriverEntry(PDRIVER_OBJECT DriverObject, PUNICODE_STRING RegistryPath)
{
    UNREFERENCED_PARAMETER(RegistryPath);
    UNICODE_STRING name = RTL_CONSTANT_STRING(IRPCOUNT_DEVICE_NAME);
    UNICODE_STRING link = RTL_CONSTANT_STRING(IRPCOUNT_LINK_NAME);
    PDEVICE_OBJECT dev;

    DriverObject->DriverUnload = CountUnload;
    DriverObject->MajorFunction[IRP_MJ_CREATE] = CountDispatch;
    DriverObject->MajorFunction[IRP_MJ_CLEANUP] = CountDispatch;
    DriverObject->MajorFunction[IRP_MJ_CLOSE] = CountDispatch;
    DriverObject->MajorFunction[IRP_MJ_DEVICE_CONTROL] = CountDispatch;

    NTSTATUS status = IoCreateDevice(DriverObject, 0, &name, FILE_DEVICE_UNKNOWN, 0, FALSE, &dev);
    if (!NT_SUCCESS(status))
        return status;
    status = IoCreateSymbolicLink(&link, &name);
    if (!NT_SUCCESS(status)) {
        IoDeleteDevice(dev);
        return status;
    }
    return STATUS_SUCCESS;
}
