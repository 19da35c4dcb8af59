/* seh_bugcheck: exceptions nobody handles in kernel mode, built once per SEH_BUG_MODE:
 *   1  ExRaiseStatus in DriverEntry with no __try
 *   2  a read from an invalid pointer in DriverEntry
 *   3  a device (\Device\SehBug, \??\SehBug) whose IRP_MJ_DEVICE_CONTROL raises with no __try:
 *      the user program's __try around DeviceIoControl must not catch a kernel-mode exception
 *      (seh_boundary_user.c)
 *   4  an exception with only a __try/__finally around it: the bug check comes from the search,
 *      before any unwind, so the __finally does not run (as on Windows).
 * DriverEntry runs in a system thread: 0x7E SYSTEM_THREAD_EXCEPTION_NOT_HANDLED; the IOCTL runs
 * in the user's thread: 0x1E KMODE_EXCEPTION_NOT_HANDLED. */
#include <ntddk.h>
#include "seh_bug_ioctl.h"

#if SEH_BUG_MODE == 2
static ULONG_PTR SehBugLaunder(ULONG_PTR Value)
{
    __asm__("" : "+r"(Value));
    return Value;
}
#endif

#if SEH_BUG_MODE == 3
static NTSTATUS SehBugComplete(PIRP Irp, NTSTATUS Status)
{
    Irp->IoStatus.Status = Status;
    Irp->IoStatus.Information = 0;
    IoCompleteRequest(Irp, IO_NO_INCREMENT);
    return Status;
}

static NTSTATUS SehBugCreateClose(PDEVICE_OBJECT DeviceObject, PIRP Irp)
{
    UNREFERENCED_PARAMETER(DeviceObject);
    return SehBugComplete(Irp, STATUS_SUCCESS);
}

static NTSTATUS SehBugDeviceControl(PDEVICE_OBJECT DeviceObject, PIRP Irp)
{
    UNREFERENCED_PARAMETER(DeviceObject);
    if (IoGetCurrentIrpStackLocation(Irp)->Parameters.DeviceIoControl.IoControlCode ==
        IOCTL_SEH_BUG_RAISE) {
        DbgPrint("seh_bugcheck: raising in IRP_MJ_DEVICE_CONTROL\n");
        ExRaiseStatus(STATUS_ACCESS_DENIED);
    }
    return SehBugComplete(Irp, STATUS_INVALID_DEVICE_REQUEST);
}

static VOID SehBugUnload(PDRIVER_OBJECT DriverObject)
{
    UNICODE_STRING Link = RTL_CONSTANT_STRING(SEH_BUG_LINK_NAME);
    IoDeleteSymbolicLink(&Link);
    IoDeleteDevice(DriverObject->DeviceObject);
}
#endif

NTSTATUS DriverEntry(PDRIVER_OBJECT DriverObject, PUNICODE_STRING RegistryPath)
{
    UNREFERENCED_PARAMETER(DriverObject);
    UNREFERENCED_PARAMETER(RegistryPath);
#if SEH_BUG_MODE == 1
    DbgPrint("seh_bugcheck: raising in DriverEntry\n");
    ExRaiseStatus(STATUS_INSUFFICIENT_RESOURCES);
#elif SEH_BUG_MODE == 2
    DbgPrint("seh_bugcheck: reading 0x18 in DriverEntry\n");
    return (NTSTATUS)*(volatile LONG *)SehBugLaunder(0x18);
#elif SEH_BUG_MODE == 3
    {
        UNICODE_STRING Name = RTL_CONSTANT_STRING(SEH_BUG_DEVICE_NAME);
        UNICODE_STRING Link = RTL_CONSTANT_STRING(SEH_BUG_LINK_NAME);
        PDEVICE_OBJECT Device;
        NTSTATUS Status = IoCreateDevice(DriverObject, 0, &Name, FILE_DEVICE_UNKNOWN, 0, FALSE,
                                         &Device);
        if (!NT_SUCCESS(Status))
            return Status;
        Status = IoCreateSymbolicLink(&Link, &Name);
        if (!NT_SUCCESS(Status)) {
            IoDeleteDevice(Device);
            return Status;
        }
        DriverObject->MajorFunction[IRP_MJ_CREATE] = SehBugCreateClose;
        DriverObject->MajorFunction[IRP_MJ_CLOSE] = SehBugCreateClose;
        DriverObject->MajorFunction[IRP_MJ_DEVICE_CONTROL] = SehBugDeviceControl;
        DriverObject->DriverUnload = SehBugUnload;
        return STATUS_SUCCESS;
    }
#elif SEH_BUG_MODE == 4
    __try {
        ExRaiseStatus(STATUS_DEVICE_DATA_ERROR);
    } __finally {
        DbgPrint("seh_bugcheck: __finally ran, abnormal %d\n", AbnormalTermination());
    }
#endif
    DbgPrint("seh_bugcheck: no bug check happened\n");
    return STATUS_SUCCESS;
}
