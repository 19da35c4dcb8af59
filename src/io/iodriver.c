/* Io: driver objects, DriverEntry and DriverUnload, the I/O manager's object types. */
#include "iop.h"
#include <string.h>

POBJECT_TYPE IopDriverObjectType;
POBJECT_TYPE *IoDriverObjectType = &IopDriverObjectType;

#define IOP_TAG_DRIVER_NAME 0x6E447249 /* 'IrDn' */
#define IOP_REGISTRY_SERVICES L"\\REGISTRY\\MACHINE\\SYSTEM\\CurrentControlSet\\Services\\"

static UNICODE_STRING IopHardwareDatabase =
    RTL_CONSTANT_STRING(L"\\REGISTRY\\MACHINE\\HARDWARE\\DESCRIPTION\\SYSTEM");

NTSTATUS IopInvalidDeviceRequest(PDEVICE_OBJECT DeviceObject, PIRP Irp)
{
    UNREFERENCED_PARAMETER(DeviceObject);
    Irp->IoStatus.Status = STATUS_INVALID_DEVICE_REQUEST;
    Irp->IoStatus.Information = 0;
    IoCompleteRequest(Irp, IO_NO_INCREMENT);
    return STATUS_INVALID_DEVICE_REQUEST;
}

/* Joins two wide strings into a pool-backed UNICODE_STRING. */
static NTSTATUS IopJoin(PUNICODE_STRING Out, PCWSTR A, PCWSTR B)
{
    size_t La = 0, Lb = 0;
    while (A[La])
        La++;
    while (B[Lb])
        Lb++;
    if ((La + Lb) * sizeof(WCHAR) > UNICODE_STRING_MAX_BYTES)
        return STATUS_NAME_TOO_LONG;
    Out->Buffer = ExAllocatePool2(POOL_FLAG_NON_PAGED, (La + Lb + 1) * sizeof(WCHAR),
                                  IOP_TAG_DRIVER_NAME);
    if (Out->Buffer == NULL)
        return STATUS_INSUFFICIENT_RESOURCES;
    memcpy(Out->Buffer, A, La * sizeof(WCHAR));
    memcpy(Out->Buffer + La, B, (Lb + 1) * sizeof(WCHAR));
    Out->Length = (USHORT)((La + Lb) * sizeof(WCHAR));
    Out->MaximumLength = (USHORT)(Out->Length + sizeof(WCHAR));
    return STATUS_SUCCESS;
}

/* The registry path rides after the driver extension, so the driver object owns it. */
typedef struct _IOP_DRIVER_BODY {
    DRIVER_OBJECT Driver;
    DRIVER_EXTENSION Extension;
    UNICODE_STRING RegistryPath;
} IOP_DRIVER_BODY;

NTSTATUS IopCreateDriverObject(PCWSTR ServiceName, PDRIVER_INITIALIZE Init, PVOID ImageBase,
                               ULONG ImageSize, PDRIVER_OBJECT *DriverObject)
{
    UNICODE_STRING Name;
    OBJECT_ATTRIBUTES Attributes;
    IOP_DRIVER_BODY *Body;
    NTSTATUS Status;
    ULONG i;

    Status = IopJoin(&Name, L"\\Driver\\", ServiceName);
    if (!NT_SUCCESS(Status))
        return Status;
    InitializeObjectAttributes(&Attributes, &Name, OBJ_PERMANENT | OBJ_CASE_INSENSITIVE, NULL,
                               NULL);
    Status = ObCreateObject(KernelMode, IopDriverObjectType, &Attributes, KernelMode, NULL,
                            sizeof(*Body), 0, 0, (PVOID *)&Body);
    if (!NT_SUCCESS(Status)) {
        ExFreePoolWithTag(Name.Buffer, IOP_TAG_DRIVER_NAME);
        return Status;
    }
    memset(Body, 0, sizeof(*Body));
    Body->Driver.Type = IO_TYPE_DRIVER;
    Body->Driver.Size = sizeof(DRIVER_OBJECT);
    Body->Driver.DriverStart = ImageBase;
    Body->Driver.DriverSize = ImageSize;
    Body->Driver.DriverInit = Init;
    Body->Driver.DriverExtension = &Body->Extension;
    Body->Driver.DriverName = Name;
    Body->Driver.HardwareDatabase = &IopHardwareDatabase;
    Body->Extension.DriverObject = &Body->Driver;
    for (i = 0; i <= IRP_MJ_MAXIMUM_FUNCTION; i++)
        Body->Driver.MajorFunction[i] = IopInvalidDeviceRequest;
    Status = IopJoin(&Body->RegistryPath, IOP_REGISTRY_SERVICES, ServiceName);
    if (NT_SUCCESS(Status)) {
        /* The service key name is the registry path's last component. */
        Body->Extension.ServiceKeyName.Buffer =
            Body->RegistryPath.Buffer + (sizeof(IOP_REGISTRY_SERVICES) / sizeof(WCHAR) - 1);
        Body->Extension.ServiceKeyName.Length =
            (USHORT)(Body->RegistryPath.Length - (sizeof(IOP_REGISTRY_SERVICES) - sizeof(WCHAR)));
        Body->Extension.ServiceKeyName.MaximumLength = Body->Extension.ServiceKeyName.Length;
        Status = ObInsertObject(Body, NULL, 0, 0, NULL, NULL);
    } else {
        ObfDereferenceObject(Body);
    }
    if (!NT_SUCCESS(Status))
        return Status;
    *DriverObject = &Body->Driver;
    return STATUS_SUCCESS;
}

VOID IopDeleteDriver(PVOID Object)
{
    IOP_DRIVER_BODY *Body = Object;
    if (Body->Driver.DriverName.Buffer)
        ExFreePoolWithTag(Body->Driver.DriverName.Buffer, IOP_TAG_DRIVER_NAME);
    if (Body->RegistryPath.Buffer)
        ExFreePoolWithTag(Body->RegistryPath.Buffer, IOP_TAG_DRIVER_NAME);
}

NTSTATUS IopCallDriverEntry(PDRIVER_OBJECT DriverObject)
{
    IOP_DRIVER_BODY *Body = (IOP_DRIVER_BODY *)DriverObject;
    UNICODE_STRING RegistryPath = Body->RegistryPath;
    PDEVICE_OBJECT Device;
    NTSTATUS Status;
    KIRQL Irql = KeGetCurrentIrql();

    Status = DriverObject->DriverInit(DriverObject, &RegistryPath);
    if (KeGetCurrentIrql() != Irql)
        KiIrqlUnexpected(KeGetCurrentIrql(), Irql, (PVOID)DriverObject->DriverInit,
                         (ULONG_PTR)DriverObject, 0);
    if (!NT_SUCCESS(Status))
        return Status;
    /* Devices created in DriverEntry are ready once it returns. */
    pthread_mutex_lock(&IopDatabaseLock);
    for (Device = DriverObject->DeviceObject; Device; Device = Device->NextDevice)
        Device->Flags &= ~DO_DEVICE_INITIALIZING;
    pthread_mutex_unlock(&IopDatabaseLock);
    IopVerifyDriverDevices(DriverObject);
    return Status;
}

VOID IopUnloadDriver(PDRIVER_OBJECT DriverObject)
{
    /* Objects whose deletion was deferred (a file object's IRP_MJ_CLOSE) reach the driver
     * while it is still there, before its unload routine and after it. */
    ObpRunDeferredDeletes();
    if (DriverObject->DriverUnload)
        DriverObject->DriverUnload(DriverObject);
    ObpRunDeferredDeletes();
    if (DriverObject->DeviceObject)
        KdpLog("ntk: driver %wZ unloaded without deleting all of its device objects\n",
               &DriverObject->DriverName);
}

NTSTATUS IopInitialize(VOID)
{
    static const OBJECT_TYPE_INITIALIZER FileType = {
        L"File", 0x656C6946, /* 'File' */
        { FILE_GENERIC_READ, FILE_GENERIC_WRITE, FILE_GENERIC_EXECUTE, FILE_ALL_ACCESS },
        FILE_ALL_ACCESS, NULL, IopDeleteFile, IopCloseFile
    };
    static const OBJECT_TYPE_INITIALIZER DeviceType = {
        L"Device", 0x69766544, /* 'Devi' */
        { FILE_GENERIC_READ, FILE_GENERIC_WRITE, FILE_GENERIC_EXECUTE, FILE_ALL_ACCESS },
        FILE_ALL_ACCESS, IopParseDevice, IopDeleteDevice, NULL
    };
    static const OBJECT_TYPE_INITIALIZER DriverType = {
        L"Driver", 0x76697244, /* 'Driv' */
        { STANDARD_RIGHTS_READ, STANDARD_RIGHTS_WRITE, STANDARD_RIGHTS_EXECUTE,
          STANDARD_RIGHTS_REQUIRED | 0x1 },
        STANDARD_RIGHTS_REQUIRED | 0x1, NULL, IopDeleteDriver, NULL
    };
    NTSTATUS Status = ObCreateObjectType(&FileType, &IopFileObjectType);
    if (NT_SUCCESS(Status))
        Status = ObCreateObjectType(&DeviceType, &IopDeviceObjectType);
    if (NT_SUCCESS(Status))
        Status = ObCreateObjectType(&DriverType, &IopDriverObjectType);
    if (NT_SUCCESS(Status))
        Status = IopInitializeCompletionType();
    return Status;
}
