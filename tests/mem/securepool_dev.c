/* securepool_dev: one secure allocation, its address and state by IOCTL, and updates of it on
 * request, for securepool_user.c (a user program that tries to write it directly). */
#include <ntddk.h>
#include <string.h>
#include "securepool_ioctl.h"

#define TAG 'vDpS'
#define COOKIE ((ULONG_PTR)0x5EC)

static HANDLE Pool;
static PUCHAR Allocation;

static NTSTATUS Complete(PIRP Irp, NTSTATUS Status, ULONG_PTR Information)
{
    Irp->IoStatus.Status = Status;
    Irp->IoStatus.Information = Information;
    IoCompleteRequest(Irp, IO_NO_INCREMENT);
    return Status;
}

static NTSTATUS Dispatch(PDEVICE_OBJECT DeviceObject, PIRP Irp)
{
    PIO_STACK_LOCATION sp = IoGetCurrentIrpStackLocation(Irp);
    PVOID buffer = Irp->AssociatedIrp.SystemBuffer;
    UNREFERENCED_PARAMETER(DeviceObject);
    if (sp->MajorFunction != IRP_MJ_DEVICE_CONTROL)
        return Complete(Irp, STATUS_SUCCESS, 0);
    switch (sp->Parameters.DeviceIoControl.IoControlCode) {
    case IOCTL_SECPOOL_STATE: {
        SECPOOL_STATE *state = buffer;
        if (sp->Parameters.DeviceIoControl.OutputBufferLength < sizeof(*state))
            return Complete(Irp, STATUS_BUFFER_TOO_SMALL, 0);
        state->Address = (ULONG64)(ULONG_PTR)Allocation;
        state->Valid = ExSecurePoolValidate(Pool, TAG, Allocation, COOKIE);
        state->Reserved = 0;
        memcpy(state->Contents, Allocation, SECPOOL_SIZE);
        return Complete(Irp, STATUS_SUCCESS, sizeof(*state));
    }
    case IOCTL_SECPOOL_UPDATE:
        if (sp->Parameters.DeviceIoControl.InputBufferLength != 8)
            return Complete(Irp, STATUS_INVALID_PARAMETER, 0);
        return Complete(Irp, ExSecurePoolUpdate(Pool, TAG, Allocation, COOKIE, 8, 8, buffer), 0);
    default:
        return Complete(Irp, STATUS_INVALID_DEVICE_REQUEST, 0);
    }
}

static VOID Unload(PDRIVER_OBJECT DriverObject)
{
    UNICODE_STRING link = RTL_CONSTANT_STRING(SECPOOL_LINK_NAME);
    POOL_EXTENDED_PARAMS_SECURE_POOL p = { Pool, NULL, COOKIE, 0 };
    POOL_EXTENDED_PARAMETER e;
    memset(&e, 0, sizeof(e));
    e.Type = PoolExtendedParameterSecurePool;
    e.SecurePoolParams = &p;
    ExFreePool2(Allocation, TAG, &e, 1);
    ExDestroyPool(Pool);
    IoDeleteSymbolicLink(&link);
    IoDeleteDevice(DriverObject->DeviceObject);
    DbgPrint("securepool_dev: unload\n");
}

NTSTATUS DriverEntry(PDRIVER_OBJECT DriverObject, PUNICODE_STRING RegistryPath)
{
    UNICODE_STRING name = RTL_CONSTANT_STRING(SECPOOL_DEVICE_NAME);
    UNICODE_STRING link = RTL_CONSTANT_STRING(SECPOOL_LINK_NAME);
    UCHAR initial[SECPOOL_SIZE];
    POOL_EXTENDED_PARAMS_SECURE_POOL p;
    POOL_EXTENDED_PARAMETER e;
    PDEVICE_OBJECT dev;
    NTSTATUS status;
    ULONG i;
    UNREFERENCED_PARAMETER(RegistryPath);

    for (i = 0; i < SECPOOL_SIZE; i++)
        initial[i] = (UCHAR)('A' + i % 26);
    status = ExCreatePool(POOL_CREATE_FLG_SECURE_POOL | POOL_CREATE_FLG_USE_GLOBAL_POOL, TAG, NULL,
                          &Pool);
    if (!NT_SUCCESS(status))
        return status;
    p.SecurePoolHandle = Pool;
    p.Buffer = initial;
    p.Cookie = COOKIE;
    p.SecurePoolFlags = SECURE_POOL_FLAGS_FREEABLE | SECURE_POOL_FLAGS_MODIFIABLE;
    memset(&e, 0, sizeof(e));
    e.Type = PoolExtendedParameterSecurePool;
    e.SecurePoolParams = &p;
    Allocation = ExAllocatePool3(POOL_FLAG_NON_PAGED, SECPOOL_SIZE, TAG, &e, 1);
    if (Allocation == NULL) {
        ExDestroyPool(Pool);
        return STATUS_INSUFFICIENT_RESOURCES;
    }
    DriverObject->DriverUnload = Unload;
    DriverObject->MajorFunction[IRP_MJ_CREATE] = Dispatch;
    DriverObject->MajorFunction[IRP_MJ_CLOSE] = Dispatch;
    DriverObject->MajorFunction[IRP_MJ_DEVICE_CONTROL] = Dispatch;
    status = IoCreateDevice(DriverObject, 0, &name, FILE_DEVICE_UNKNOWN, 0, FALSE, &dev);
    if (NT_SUCCESS(status)) {
        status = IoCreateSymbolicLink(&link, &name);
        if (!NT_SUCCESS(status))
            IoDeleteDevice(dev);
    }
    if (!NT_SUCCESS(status)) {
        p.Buffer = NULL;
        p.SecurePoolFlags = 0;
        ExFreePool2(Allocation, TAG, &e, 1);
        ExDestroyPool(Pool);
    }
    return status;
}
