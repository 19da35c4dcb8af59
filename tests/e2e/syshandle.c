/* syshandle: creates event handles in DriverEntry, in the System process (without
 * OBJ_KERNEL_HANDLE) and as a kernel handle, and hands their values to user mode by IOCTL,
 * so that syshandle_test.c can check that neither is valid in its own process. At unload
 * (in the System process again) the handles must still be valid. */
#include <ntddk.h>
#include "syshandle_ioctl.h"

static HANDLE SystemHandles[SYSHANDLE_COUNT];
static HANDLE KernelHandle;

static NTSTATUS SysComplete(PIRP Irp, NTSTATUS Status, ULONG_PTR Information)
{
    Irp->IoStatus.Status = Status;
    Irp->IoStatus.Information = Information;
    IoCompleteRequest(Irp, IO_NO_INCREMENT);
    return Status;
}

static NTSTATUS SysCreateClose(PDEVICE_OBJECT DeviceObject, PIRP Irp)
{
    UNREFERENCED_PARAMETER(DeviceObject);
    return SysComplete(Irp, STATUS_SUCCESS, 0);
}

static NTSTATUS SysReference(HANDLE Handle)
{
    PVOID obj = NULL;
    NTSTATUS status =
        ObReferenceObjectByHandle(Handle, 0, *ExEventObjectType, KernelMode, &obj, NULL);
    if (NT_SUCCESS(status))
        ObDereferenceObject(obj);
    return status;
}

static NTSTATUS SysDeviceControl(PDEVICE_OBJECT DeviceObject, PIRP Irp)
{
    UNREFERENCED_PARAMETER(DeviceObject);
    PIO_STACK_LOCATION sp = IoGetCurrentIrpStackLocation(Irp);
    if (sp->Parameters.DeviceIoControl.IoControlCode != IOCTL_SYSHANDLE_GET)
        return SysComplete(Irp, STATUS_INVALID_DEVICE_REQUEST, 0);
    if (sp->Parameters.DeviceIoControl.OutputBufferLength < sizeof(SYSHANDLE_INFO))
        return SysComplete(Irp, STATUS_BUFFER_TOO_SMALL, 0);

    SYSHANDLE_INFO *info = (SYSHANDLE_INFO *)Irp->AssociatedIrp.SystemBuffer;
    RtlZeroMemory(info, sizeof(*info));
    info->SystemHandle = (ULONG64)(ULONG_PTR)SystemHandles[SYSHANDLE_COUNT - 1];
    info->KernelHandle = (ULONG64)(ULONG_PTR)KernelHandle;
    /* This runs in the caller's thread and process: the System handle means nothing here,
     * the kernel handle is valid in every process. */
    info->SystemHandleStatus = SysReference(SystemHandles[SYSHANDLE_COUNT - 1]);
    info->KernelHandleStatus = SysReference(KernelHandle);
    info->PreviousMode = ExGetPreviousMode();
    info->ProcessId = (ULONG64)(ULONG_PTR)PsGetCurrentProcessId();
    return SysComplete(Irp, STATUS_SUCCESS, sizeof(*info));
}

static void SysCloseAll(BOOLEAN Report)
{
    for (int i = 0; i < SYSHANDLE_COUNT; i++) {
        if (SystemHandles[i] == NULL)
            continue;
        NTSTATUS status = ZwClose(SystemHandles[i]);
        if (Report && !NT_SUCCESS(status))
            DbgPrint("syshandle: FAIL: ZwClose(System handle %p) = 0x%08X\n", SystemHandles[i],
                     status);
        SystemHandles[i] = NULL;
    }
    if (KernelHandle != NULL) {
        NTSTATUS status = ZwClose(KernelHandle);
        if (Report && !NT_SUCCESS(status))
            DbgPrint("syshandle: FAIL: ZwClose(kernel handle %p) = 0x%08X\n", KernelHandle,
                     status);
        KernelHandle = NULL;
    }
}

static VOID SysUnload(PDRIVER_OBJECT DriverObject)
{
    UNICODE_STRING link = RTL_CONSTANT_STRING(SYSHANDLE_LINK_NAME);
    HANDLE last = SystemHandles[SYSHANDLE_COUNT - 1];
    NTSTATUS s1 = SysReference(last), s2 = SysReference(KernelHandle);
    if (PsGetCurrentProcessId() != (HANDLE)4)
        DbgPrint("syshandle: FAIL: DriverUnload runs in process %p, not System\n",
                 PsGetCurrentProcessId());
    if (NT_SUCCESS(s1) && NT_SUCCESS(s2))
        DbgPrint("syshandle: unload: both handles still valid in the System process\n");
    else
        DbgPrint("syshandle: FAIL: at unload, System handle 0x%08X, kernel handle 0x%08X\n", s1,
                 s2);
    SysCloseAll(TRUE);
    IoDeleteSymbolicLink(&link);
    IoDeleteDevice(DriverObject->DeviceObject);
}

NTSTATUS DriverEntry(PDRIVER_OBJECT DriverObject, PUNICODE_STRING RegistryPath)
{
    UNREFERENCED_PARAMETER(RegistryPath);
    UNICODE_STRING name = RTL_CONSTANT_STRING(SYSHANDLE_DEVICE_NAME);
    UNICODE_STRING link = RTL_CONSTANT_STRING(SYSHANDLE_LINK_NAME);
    OBJECT_ATTRIBUTES oa;
    NTSTATUS status;

    for (int i = 0; i < SYSHANDLE_COUNT; i++) {
        InitializeObjectAttributes(&oa, NULL, 0, NULL, NULL); /* a System process handle */
        status = ZwCreateEvent(&SystemHandles[i], EVENT_ALL_ACCESS, &oa, NotificationEvent, FALSE);
        if (!NT_SUCCESS(status)) {
            DbgPrint("syshandle: ZwCreateEvent failed (0x%08X)\n", status);
            SysCloseAll(FALSE);
            return status;
        }
    }
    InitializeObjectAttributes(&oa, NULL, OBJ_KERNEL_HANDLE, NULL, NULL);
    status = ZwCreateEvent(&KernelHandle, EVENT_ALL_ACCESS, &oa, NotificationEvent, FALSE);
    if (!NT_SUCCESS(status)) {
        SysCloseAll(FALSE);
        return status;
    }
    DbgPrint("syshandle: System handle %p, kernel handle %p\n",
             SystemHandles[SYSHANDLE_COUNT - 1], KernelHandle);

    DriverObject->DriverUnload = SysUnload;
    DriverObject->MajorFunction[IRP_MJ_CREATE] = SysCreateClose;
    DriverObject->MajorFunction[IRP_MJ_CLOSE] = SysCreateClose;
    DriverObject->MajorFunction[IRP_MJ_DEVICE_CONTROL] = SysDeviceControl;

    PDEVICE_OBJECT dev;
    status = IoCreateDevice(DriverObject, 0, &name, FILE_DEVICE_UNKNOWN, 0, FALSE, &dev);
    if (!NT_SUCCESS(status)) {
        SysCloseAll(FALSE);
        return status;
    }
    status = IoCreateSymbolicLink(&link, &name);
    if (!NT_SUCCESS(status)) {
        IoDeleteDevice(dev);
        SysCloseAll(FALSE);
        return status;
    }
    return STATUS_SUCCESS;
}
