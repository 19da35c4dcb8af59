/* Io: file objects. Opening a device creates one and sends IRP_MJ_CREATE; the last handle's
 * close sends IRP_MJ_CLEANUP; the last reference's release sends IRP_MJ_CLOSE. */
#include "iop.h"
#include <string.h>

POBJECT_TYPE IopFileObjectType;
POBJECT_TYPE *IoFileObjectType = &IopFileObjectType;

#define IOP_TAG_FILE_NAME 0x6E466F49 /* 'IoFn' */

VOID IopAcquireFileObjectLock(PFILE_OBJECT FileObject)
{
    if (__atomic_exchange_n(&FileObject->Busy, 1, __ATOMIC_ACQUIRE) == 0)
        return;
    __atomic_add_fetch(&FileObject->Waiters, 1, __ATOMIC_SEQ_CST);
    while (__atomic_exchange_n(&FileObject->Busy, 1, __ATOMIC_ACQUIRE) != 0)
        KeWaitForSingleObject(&FileObject->Lock, Executive, KernelMode, FALSE, NULL);
    __atomic_sub_fetch(&FileObject->Waiters, 1, __ATOMIC_SEQ_CST);
}

VOID IopReleaseFileObjectLock(PFILE_OBJECT FileObject)
{
    __atomic_store_n(&FileObject->Busy, 0, __ATOMIC_RELEASE);
    if (__atomic_load_n(&FileObject->Waiters, __ATOMIC_SEQ_CST) != 0)
        KeSetEvent(&FileObject->Lock, 0, FALSE);
}

/* Builds and sends one of the I/O manager's synchronous file requests. */
static NTSTATUS IopSendFileRequest(PFILE_OBJECT FileObject, UCHAR Major)
{
    PDEVICE_OBJECT Device = IoGetRelatedDeviceObject(FileObject);
    IO_STATUS_BLOCK IoStatus;
    KEVENT Event;
    PIO_STACK_LOCATION Stack;
    PIRP Irp;

    KeInitializeEvent(&Event, NotificationEvent, FALSE);
    Irp = IoAllocateIrp(Device->StackSize, FALSE);
    if (Irp == NULL)
        return STATUS_INSUFFICIENT_RESOURCES;
    Irp->Tail.Overlay.OriginalFileObject = FileObject;
    Irp->Tail.Overlay.Thread = PsGetCurrentThread();
    Irp->RequestorMode = KernelMode;
    Irp->UserIosb = &IoStatus;
    Irp->UserEvent = &Event;
    Irp->Flags = IRP_SYNCHRONOUS_API | IRP_CLOSE_OPERATION;
    Stack = IoGetNextIrpStackLocation(Irp);
    Stack->MajorFunction = Major;
    Stack->FileObject = FileObject;
    return IopSynchronousCall(Device, Irp, &Event, &IoStatus);
}

VOID IopCloseFile(PEPROCESS Process, PVOID Object, ULONG_PTR ProcessHandleCount,
                  ULONG_PTR SystemHandleCount)
{
    PFILE_OBJECT FileObject = Object;
    UNREFERENCED_PARAMETER(Process);
    UNREFERENCED_PARAMETER(ProcessHandleCount);
    if (SystemHandleCount != 1)
        return;
    IopAcquireFileObjectLock(FileObject);
    IopSendFileRequest(FileObject, IRP_MJ_CLEANUP);
    FileObject->Flags |= FO_CLEANUP_COMPLETE;
    IopReleaseFileObjectLock(FileObject);
}

VOID IopDeleteFile(PVOID Object)
{
    PFILE_OBJECT FileObject = Object;
    PDEVICE_OBJECT Device = FileObject->DeviceObject;
    if (Device == NULL)
        return;
    if (!(FileObject->Flags & FO_FILE_OPEN_CANCELLED))
        IopSendFileRequest(FileObject, IRP_MJ_CLOSE);
    InterlockedDecrement(&Device->ReferenceCount);
    IopFreeCompletionContext(FileObject);
    if (FileObject->FileName.Buffer)
        ExFreePoolWithTag(FileObject->FileName.Buffer, IOP_TAG_FILE_NAME);
    ObfDereferenceObject(Device);
}

NTSTATUS IopParseDevice(PVOID ParseObject, POBJECT_TYPE ObjectType, KPROCESSOR_MODE AccessMode,
                        ULONG Attributes, PUNICODE_STRING RemainingName, PVOID ParseContext,
                        PVOID *Object)
{
    POPEN_PACKET Open = ParseContext;
    PDEVICE_OBJECT Device = ParseObject, Target;
    IO_SECURITY_CONTEXT SecurityContext;
    IO_STATUS_BLOCK IoStatus;
    PFILE_OBJECT FileObject;
    PIO_STACK_LOCATION Stack;
    ACCESS_MASK Granted;
    KEVENT Event;
    PIRP Irp;
    NTSTATUS Status;

    *Object = NULL;
    if (Open == NULL || (ObjectType != NULL && ObjectType != IopFileObjectType))
        return STATUS_OBJECT_TYPE_MISMATCH;
    if (Device->DeviceObjectExtension->DeletePending || (Device->Flags & DO_DEVICE_INITIALIZING))
        return STATUS_NO_SUCH_DEVICE;
    if ((Device->Flags & DO_EXCLUSIVE) && Device->ReferenceCount != 0)
        return STATUS_ACCESS_DENIED;
    Granted = ObpMapGenericMask(IopFileObjectType, Open->DesiredAccess);

    Status = ObCreateObject(AccessMode, IopFileObjectType, NULL, AccessMode, NULL,
                            sizeof(FILE_OBJECT), 0, 0, (PVOID *)&FileObject);
    if (!NT_SUCCESS(Status))
        return Status;
    memset(FileObject, 0, sizeof(*FileObject));
    FileObject->Type = IO_TYPE_FILE;
    FileObject->Size = sizeof(FILE_OBJECT);
    FileObject->DeviceObject = Device;
    FileObject->ReadAccess = (Granted & (FILE_READ_DATA | FILE_EXECUTE)) != 0;
    FileObject->WriteAccess = (Granted & (FILE_WRITE_DATA | FILE_APPEND_DATA)) != 0;
    FileObject->DeleteAccess = (Granted & DELETE) != 0;
    FileObject->SharedRead = (Open->ShareAccess & FILE_SHARE_READ) != 0;
    FileObject->SharedWrite = (Open->ShareAccess & FILE_SHARE_WRITE) != 0;
    FileObject->SharedDelete = (Open->ShareAccess & FILE_SHARE_DELETE) != 0;
    if (Open->CreateOptions & (FILE_SYNCHRONOUS_IO_ALERT | FILE_SYNCHRONOUS_IO_NONALERT))
        FileObject->Flags |= FO_SYNCHRONOUS_IO;
    if (Open->CreateOptions & FILE_SYNCHRONOUS_IO_ALERT)
        FileObject->Flags |= FO_ALERTABLE_IO;
    if (!(Attributes & OBJ_CASE_INSENSITIVE))
        FileObject->Flags |= FO_OPENED_CASE_SENSITIVE;
    if (RemainingName->Length == 0)
        FileObject->Flags |= FO_DIRECT_DEVICE_OPEN;
    KeInitializeEvent(&FileObject->Lock, SynchronizationEvent, FALSE);
    KeInitializeEvent(&FileObject->Event, NotificationEvent, FALSE);
    InitializeListHead(&FileObject->IrpList);
    if (RemainingName->Length) {
        UNICODE_STRING *Name = &FileObject->FileName;
        Name->Buffer = ExAllocatePool2(POOL_FLAG_NON_PAGED, RemainingName->Length + sizeof(WCHAR),
                                       IOP_TAG_FILE_NAME);
        if (Name->Buffer == NULL) {
            FileObject->Flags |= FO_FILE_OPEN_CANCELLED;
            FileObject->DeviceObject = NULL;
            ObfDereferenceObject(FileObject);
            return STATUS_INSUFFICIENT_RESOURCES;
        }
        memcpy(Name->Buffer, RemainingName->Buffer, RemainingName->Length);
        Name->Buffer[RemainingName->Length / sizeof(WCHAR)] = 0;
        Name->Length = RemainingName->Length;
        Name->MaximumLength = (USHORT)(RemainingName->Length + sizeof(WCHAR));
    }
    /* From here the file object holds a reference on the device. */
    ObfReferenceObject(Device);
    InterlockedIncrement(&Device->ReferenceCount);

    Target = IoGetAttachedDevice(Device);
    Irp = IoAllocateIrp(Target->StackSize, FALSE);
    if (Irp == NULL) {
        FileObject->Flags |= FO_FILE_OPEN_CANCELLED;
        ObfDereferenceObject(FileObject);
        return STATUS_INSUFFICIENT_RESOURCES;
    }
    KeInitializeEvent(&Event, NotificationEvent, FALSE);
    SecurityContext.SecurityQos = NULL;
    SecurityContext.AccessState = NULL;
    SecurityContext.DesiredAccess = Granted;
    SecurityContext.FullCreateOptions = Open->CreateOptions;
    Irp->Tail.Overlay.OriginalFileObject = FileObject;
    Irp->Tail.Overlay.Thread = PsGetCurrentThread();
    Irp->RequestorMode = AccessMode;
    Irp->Flags = IRP_CREATE_OPERATION | IRP_SYNCHRONOUS_API;
    Irp->UserIosb = &IoStatus;
    Irp->UserEvent = &Event;
    Stack = IoGetNextIrpStackLocation(Irp);
    Stack->MajorFunction = IRP_MJ_CREATE;
    Stack->Flags = (Attributes & OBJ_CASE_INSENSITIVE) ? 0 : SL_CASE_SENSITIVE;
    Stack->FileObject = FileObject;
    Stack->Parameters.Create.SecurityContext = &SecurityContext;
    Stack->Parameters.Create.Options =
        (Open->CreateDisposition << 24) | (Open->CreateOptions & 0x00FFFFFF);
    Stack->Parameters.Create.FileAttributes = Open->FileAttributes;
    Stack->Parameters.Create.ShareAccess = Open->ShareAccess;
    IoStatus.Status = STATUS_SUCCESS;
    IoStatus.Information = 0;

    Status = IopSynchronousCall(Target, Irp, &Event, &IoStatus);
    Open->FinalStatus = Status;
    Open->Information = IoStatus.Information;
    if (!NT_SUCCESS(Status)) {
        /* A failed open never sees CLEANUP or CLOSE. */
        FileObject->Flags |= FO_FILE_OPEN_CANCELLED;
        ObfDereferenceObject(FileObject);
        return Status;
    }
    FileObject->Flags |= FO_FILE_OPEN | FO_HANDLE_CREATED;
    Open->FileObject = FileObject;
    *Object = FileObject;
    return Status;
}

NTSTATUS IopOpenDevice(PUNICODE_STRING Name, ACCESS_MASK DesiredAccess, ULONG Attributes,
                       ULONG ShareAccess, ULONG Disposition, ULONG CreateOptions,
                       KPROCESSOR_MODE Mode, PFILE_OBJECT *FileObject, PHANDLE Handle,
                       PIO_STATUS_BLOCK IoStatus)
{
    OBJECT_ATTRIBUTES ObjectAttributes;
    OPEN_PACKET Open;
    NTSTATUS Status;
    memset(&Open, 0, sizeof(Open));
    Open.DesiredAccess = DesiredAccess;
    Open.ShareAccess = (USHORT)ShareAccess;
    Open.CreateDisposition = Disposition;
    Open.CreateOptions = CreateOptions;
    InitializeObjectAttributes(&ObjectAttributes, Name, Attributes, NULL, NULL);
    Status = ObOpenObjectByName(&ObjectAttributes, IopFileObjectType, Mode, NULL, DesiredAccess,
                                &Open, Handle);
    IoStatus->Status = Status;
    IoStatus->Information = Open.Information;
    if (NT_SUCCESS(Status) && FileObject) {
        *FileObject = Open.FileObject;
        ObfReferenceObject(Open.FileObject);
    }
    return Status;
}
