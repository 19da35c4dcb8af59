/* Io: the file services (NtCreateFile, NtReadFile, NtWriteFile, NtDeviceIoControlFile). Buffers
 * are probed here; buffered transfers go through a system buffer in pool; direct transfers
 * describe the caller's buffer with an MDL, probed and locked here (a bad buffer fails the call
 * with STATUS_ACCESS_VIOLATION); neither I/O hands the driver the caller's own pointers. */
#include "iop.h"
#include "iomdl.h"
#include "../vf/vfddi.h"
#include <string.h>

#define IOP_TAG_SYSTEM_BUFFER 0x42537249 /* 'IrSB' */

static NTSTATUS IopCreateFileCommon(PHANDLE FileHandle, ACCESS_MASK DesiredAccess,
                                    POBJECT_ATTRIBUTES ObjectAttributes,
                                    PIO_STATUS_BLOCK IoStatusBlock, ULONG FileAttributes,
                                    ULONG ShareAccess, ULONG Disposition, ULONG CreateOptions,
                                    KPROCESSOR_MODE Mode)
{
    OBJECT_ATTRIBUTES Captured;
    UNICODE_STRING Name;
    IO_STATUS_BLOCK IoStatus;
    HANDLE Handle;
    NTSTATUS Status;

    if (Disposition > FILE_MAXIMUM_DISPOSITION || (CreateOptions & ~FILE_VALID_OPTION_FLAGS) ||
        (ShareAccess & ~FILE_SHARE_VALID_FLAGS) ||
        ((CreateOptions & FILE_SYNCHRONOUS_IO_ALERT) &&
         (CreateOptions & FILE_SYNCHRONOUS_IO_NONALERT)) ||
        ((CreateOptions & (FILE_SYNCHRONOUS_IO_ALERT | FILE_SYNCHRONOUS_IO_NONALERT)) &&
         !(DesiredAccess & SYNCHRONIZE)))
        return STATUS_INVALID_PARAMETER;
    if (Mode == UserMode) {
        Status = MmpProbeUserRange(FileHandle, sizeof(HANDLE), sizeof(ULONG));
        if (NT_SUCCESS(Status))
            Status = MmpProbeUserRange(IoStatusBlock, sizeof(IO_STATUS_BLOCK), sizeof(ULONG));
        if (!NT_SUCCESS(Status))
            return Status;
    }
    Status = NtpCaptureObjectAttributes(Mode, ObjectAttributes, &Captured, &Name);
    if (!NT_SUCCESS(Status))
        return Status;
    if (Captured.ObjectName == NULL) {
        NtpReleaseObjectAttributes(&Name);
        return STATUS_OBJECT_NAME_INVALID;
    }
    Status = IopOpenDevice(Captured.ObjectName, DesiredAccess, Captured.Attributes, ShareAccess,
                           Disposition, CreateOptions, Mode, NULL, &Handle, &IoStatus);
    NtpReleaseObjectAttributes(&Name);
    (void)FileAttributes;
    if (!NT_SUCCESS(Status))
        return Status;
    Status = NtpWriteHandle(Mode, FileHandle, Handle);
    if (NT_SUCCESS(Status))
        Status = NtpWrite(Mode, IoStatusBlock, &IoStatus, sizeof(IoStatus));
    if (!NT_SUCCESS(Status)) {
        ObpCloseHandle(Handle, KernelMode);
        return Status;
    }
    return IoStatus.Status;
}

#define IOP_SERVICE(call)                                                                         \
    NTSTATUS Status;                                                                              \
    KiEnterService();                                                                             \
    Status = call;                                                                                \
    KiLeaveService();                                                                             \
    return Status

#define IOP_ZW_SERVICE(call)                                                                      \
    KPROCESSOR_MODE Old = KiSetPreviousMode(KernelMode);                                          \
    NTSTATUS Status = call;                                                                       \
    KiSetPreviousMode(Old);                                                                       \
    return Status

NTSTATUS NtCreateFile(PHANDLE FileHandle, ACCESS_MASK DesiredAccess,
                      POBJECT_ATTRIBUTES ObjectAttributes, PIO_STATUS_BLOCK IoStatusBlock,
                      PLARGE_INTEGER AllocationSize, ULONG FileAttributes, ULONG ShareAccess,
                      ULONG CreateDisposition, ULONG CreateOptions, PVOID EaBuffer, ULONG EaLength)
{
    UNREFERENCED_PARAMETER(AllocationSize);
    UNREFERENCED_PARAMETER(EaBuffer);
    UNREFERENCED_PARAMETER(EaLength);
    IOP_SERVICE(IopCreateFileCommon(FileHandle, DesiredAccess, ObjectAttributes, IoStatusBlock,
                                    FileAttributes, ShareAccess, CreateDisposition, CreateOptions,
                                    KeGetPreviousMode()));
}

NTSTATUS ZwCreateFile(PHANDLE FileHandle, ACCESS_MASK DesiredAccess,
                      POBJECT_ATTRIBUTES ObjectAttributes, PIO_STATUS_BLOCK IoStatusBlock,
                      PLARGE_INTEGER AllocationSize, ULONG FileAttributes, ULONG ShareAccess,
                      ULONG CreateDisposition, ULONG CreateOptions, PVOID EaBuffer, ULONG EaLength)
{
    VF_CHECK_IRQL(ZwCreateFile);
    UNREFERENCED_PARAMETER(AllocationSize);
    UNREFERENCED_PARAMETER(EaBuffer);
    UNREFERENCED_PARAMETER(EaLength);
    IOP_ZW_SERVICE(IopCreateFileCommon(FileHandle, DesiredAccess, ObjectAttributes, IoStatusBlock,
                                       FileAttributes, ShareAccess, CreateDisposition,
                                       CreateOptions, KernelMode));
}

NTSTATUS NtOpenFile(PHANDLE FileHandle, ACCESS_MASK DesiredAccess,
                    POBJECT_ATTRIBUTES ObjectAttributes, PIO_STATUS_BLOCK IoStatusBlock,
                    ULONG ShareAccess, ULONG OpenOptions)
{
    IOP_SERVICE(IopCreateFileCommon(FileHandle, DesiredAccess, ObjectAttributes, IoStatusBlock, 0,
                                    ShareAccess, FILE_OPEN, OpenOptions, KeGetPreviousMode()));
}

NTSTATUS ZwOpenFile(PHANDLE FileHandle, ACCESS_MASK DesiredAccess,
                    POBJECT_ATTRIBUTES ObjectAttributes, PIO_STATUS_BLOCK IoStatusBlock,
                    ULONG ShareAccess, ULONG OpenOptions)
{
    VF_CHECK_IRQL(ZwOpenFile);
    IOP_ZW_SERVICE(IopCreateFileCommon(FileHandle, DesiredAccess, ObjectAttributes, IoStatusBlock,
                                       0, ShareAccess, FILE_OPEN, OpenOptions, KernelMode));
}

/* The common part of every read, write and control request from a handle. */
typedef struct _IOP_REQUEST {
    PFILE_OBJECT FileObject;
    PDEVICE_OBJECT Device;
    PKEVENT Event;
    PIRP Irp;
    PIOP_IRP_CONTEXT Context;
    BOOLEAN Synchronous;
} IOP_REQUEST;

/* IopBeginRequest's Flags. */
#define IOP_REQUEST_NEEDS_OFFSET 0x1 /* a read or write that gives no byte offset */

static NTSTATUS IopBeginRequest(HANDLE FileHandle, ACCESS_MASK Access, HANDLE Event,
                                PIO_APC_ROUTINE ApcRoutine, PVOID ApcContext,
                                PIO_STATUS_BLOCK IoStatusBlock, KPROCESSOR_MODE Mode,
                                ULONG Flags, IOP_REQUEST *Request)
{
    NTSTATUS Status;
    memset(Request, 0, sizeof(*Request));
    if (Mode == UserMode && IoStatusBlock != NULL) {
        Status = MmpProbeUserRange(IoStatusBlock, sizeof(IO_STATUS_BLOCK), sizeof(ULONG));
        if (!NT_SUCCESS(Status))
            return Status;
    }
    Status = ObReferenceObjectByHandle(FileHandle, Access, IopFileObjectType, Mode,
                                       (PVOID *)&Request->FileObject, NULL);
    if (!NT_SUCCESS(Status))
        return Status;
    /* Only a synchronous file has a position to read or write at (a pipe or mailslot needs
     * none): an asynchronous read or write must say where, before any event is touched. */
    if ((Flags & IOP_REQUEST_NEEDS_OFFSET) &&
        !(Request->FileObject->Flags & (FO_SYNCHRONOUS_IO | FO_NAMED_PIPE | FO_MAILSLOT))) {
        ObfDereferenceObject(Request->FileObject);
        return STATUS_INVALID_PARAMETER;
    }
    if (ApcRoutine != NULL) {
        KdpLog("ntk: I/O completion APC routines are not implemented\n");
        ObfDereferenceObject(Request->FileObject);
        return STATUS_NOT_IMPLEMENTED;
    }
    if (Event != NULL) {
        Status = ObReferenceObjectByHandle(Event, EVENT_MODIFY_STATE, *ExEventObjectType, Mode,
                                           (PVOID *)&Request->Event, NULL);
        if (!NT_SUCCESS(Status)) {
            ObfDereferenceObject(Request->FileObject);
            return Status;
        }
        KeClearEvent(Request->Event);
    }
    if (IoStatusBlock == NULL && Mode == UserMode) {
        Status = STATUS_ACCESS_VIOLATION;
        goto fail;
    }
    Request->Synchronous = (Request->FileObject->Flags & FO_SYNCHRONOUS_IO) != 0;
    if (Request->Synchronous)
        IopAcquireFileObjectLock(Request->FileObject);
    Request->Device = IoGetRelatedDeviceObject(Request->FileObject);
    Request->Irp = IopAllocateIrpWithContext(Request->Device->StackSize, &Request->Context);
    if (Request->Irp == NULL) {
        if (Request->Synchronous)
            IopReleaseFileObjectLock(Request->FileObject);
        Status = STATUS_INSUFFICIENT_RESOURCES;
        goto fail;
    }
    /* The file object's event signals this request's completion (GetOverlappedResult waits
     * on the handle of a request without an event). */
    KeClearEvent(&Request->FileObject->Event);
    /* A request with an APC context on a file with a port completes to the port; its packet
     * is allocated now so that the completion cannot fail. */
    if (ApcContext != NULL && Request->FileObject->CompletionContext != NULL) {
        Request->Context->CompletionPacket = IopAllocateCompletionPacket(ApcContext);
        if (Request->Context->CompletionPacket == NULL) {
            IoFreeIrp(Request->Irp);
            if (Request->Synchronous)
                IopReleaseFileObjectLock(Request->FileObject);
            Status = STATUS_INSUFFICIENT_RESOURCES;
            goto fail;
        }
    }
    Request->Irp->Overlay.AsynchronousParameters.UserApcContext = ApcContext;
    Request->Irp->Tail.Overlay.OriginalFileObject = Request->FileObject;
    Request->Irp->Tail.Overlay.Thread = PsGetCurrentThread();
    Request->Irp->RequestorMode = Mode;
    Request->Irp->UserIosb = IoStatusBlock;
    Request->Irp->UserEvent = Request->Event;
    Request->Context->FileObject = Request->FileObject;
    /* An asynchronous request's IRP owns the file reference; a synchronous one keeps it here
     * until the request is over. */
    if (!Request->Synchronous)
        Request->Irp->AllocationFlags |= IOP_IRP_FILE_REFERENCED;
    if (Request->Event)
        Request->Irp->AllocationFlags |= IOP_IRP_USER_EVENT_REFERENCED;
    if (Request->Synchronous)
        Request->Irp->Flags |= IRP_SYNCHRONOUS_API;
    IoGetNextIrpStackLocation(Request->Irp)->FileObject = Request->FileObject;
    return STATUS_SUCCESS;
fail:
    if (Request->Event)
        ObfDereferenceObject(Request->Event);
    ObfDereferenceObject(Request->FileObject);
    return Status;
}

/* A request that failed before reaching the driver. */
static NTSTATUS IopAbortRequest(IOP_REQUEST *Request, NTSTATUS Status)
{
    PIRP Irp = Request->Irp;
    if ((Irp->Flags & IRP_DEALLOCATE_BUFFER) && Irp->AssociatedIrp.SystemBuffer)
        ExFreePool(Irp->AssociatedIrp.SystemBuffer);
    if (Irp->MdlAddress)
        IopFreeIrpMdls(Irp);
    if (Request->Context->CompletionPacket)
        IopFreeCompletionPacket(Request->Context->CompletionPacket);
    IoFreeIrp(Irp);
    if (Request->Synchronous)
        IopReleaseFileObjectLock(Request->FileObject);
    if (Request->Event)
        ObfDereferenceObject(Request->Event);
    ObfDereferenceObject(Request->FileObject);
    return Status;
}

/* Sends the request; a synchronous file object waits here for a pended one. */
static NTSTATUS IopSendRequest(IOP_REQUEST *Request, KPROCESSOR_MODE Mode)
{
    PFILE_OBJECT FileObject = Request->FileObject;
    PETHREAD Thread = PsGetCurrentThread();
    BOOLEAN Synchronous = Request->Synchronous;
    NTSTATUS Status;

    NtkLock(&Thread->IrpListLock);
    InsertHeadList(&Thread->IrpList, &Request->Irp->ThreadListEntry);
    NtkUnlock(&Thread->IrpListLock);
    Status = IoCallDriver(Request->Device, Request->Irp);
    if (Synchronous) {
        if (Status == STATUS_PENDING) {
            PIRP Irp = Request->Irp; /* only compared from here on: it may be gone */
            NTSTATUS Wait = KeWaitForSingleObject(&FileObject->Event, Executive, Mode,
                                                  (FileObject->Flags & FO_ALERTABLE_IO) != 0,
                                                  NULL);
            Status = FileObject->FinalStatus;
            /* An alert, a user APC or termination ended the wait: the request is cancelled
             * and waited for, so that nothing of it outlives the call. */
            if (Wait != STATUS_SUCCESS) {
                IopCancelSynchronousRequest(Thread, Irp);
                KeWaitForSingleObject(&FileObject->Event, Executive, KernelMode, FALSE, NULL);
                Status = Wait == STATUS_THREAD_IS_TERMINATING ? FileObject->FinalStatus : Wait;
            }
        }
        IopReleaseFileObjectLock(FileObject);
        ObfDereferenceObject(FileObject);
    }
    return Status;
}

NTSTATUS IopReadWrite(HANDLE FileHandle, HANDLE Event, PIO_APC_ROUTINE ApcRoutine,
                      PVOID ApcContext, PIO_STATUS_BLOCK IoStatusBlock, PVOID Buffer, ULONG Length,
                      PLARGE_INTEGER ByteOffset, PULONG Key, UCHAR Major)
{
    KPROCESSOR_MODE Mode = KeGetPreviousMode();
    BOOLEAN Read = Major == IRP_MJ_READ;
    LARGE_INTEGER Offset = { .QuadPart = 0 };
    ULONG KeyValue = 0;
    IOP_REQUEST Request;
    PIO_STACK_LOCATION Stack;
    PIRP Irp;
    NTSTATUS Status;

    if (Mode == UserMode) {
        Status = Read ? MmpProbeUserRange(Buffer, Length, 1) : MmpProbeUserRange(Buffer, Length, 1);
        if (NT_SUCCESS(Status) && Read)
            Status = MmpTouchUserRange(Buffer, Length, TRUE); /* ProbeForWrite touches */
        if (NT_SUCCESS(Status) && ByteOffset)
            Status = MmpCopyFromUser(&Offset, ByteOffset, sizeof(Offset));
        if (NT_SUCCESS(Status) && Key)
            Status = MmpCopyFromUser(&KeyValue, Key, sizeof(KeyValue));
        if (!NT_SUCCESS(Status))
            return Status;
    } else {
        if (ByteOffset)
            Offset = *ByteOffset;
        if (Key)
            KeyValue = *Key;
    }
    Status = IopBeginRequest(FileHandle, Read ? FILE_READ_DATA : FILE_WRITE_DATA, Event,
                             ApcRoutine, ApcContext, IoStatusBlock, Mode,
                             ByteOffset == NULL ? IOP_REQUEST_NEEDS_OFFSET : 0, &Request);
    if (!NT_SUCCESS(Status))
        return Status;
    Irp = Request.Irp;
    /* A synchronous file has a current position, which the request uses when it gives no
     * offset or FILE_USE_FILE_POINTER_POSITION; the driver (a file system) keeps it. */
    if (Request.Synchronous &&
        (ByteOffset == NULL ||
         (Offset.HighPart == -1 && Offset.LowPart == FILE_USE_FILE_POINTER_POSITION)))
        Offset = Request.FileObject->CurrentByteOffset;
    Stack = IoGetNextIrpStackLocation(Irp);
    Stack->MajorFunction = Major;
    Stack->Parameters.Read.Length = Length;
    Stack->Parameters.Read.Key = KeyValue;
    Stack->Parameters.Read.ByteOffset = Offset;
    Irp->Flags |= Read ? IRP_READ_OPERATION : IRP_WRITE_OPERATION;
    Irp->UserBuffer = Buffer;
    Request.Context->UserBufferLength = Length;

    if (Request.Device->Flags & DO_BUFFERED_IO) {
        if (Length != 0) {
            Irp->AssociatedIrp.SystemBuffer =
                ExAllocatePool2(POOL_FLAG_NON_PAGED | POOL_FLAG_UNINITIALIZED, Length,
                                IOP_TAG_SYSTEM_BUFFER);
            if (Irp->AssociatedIrp.SystemBuffer == NULL)
                return IopAbortRequest(&Request, STATUS_INSUFFICIENT_RESOURCES);
            Irp->Flags |= IRP_BUFFERED_IO | IRP_DEALLOCATE_BUFFER;
            if (Read) {
                Irp->Flags |= IRP_INPUT_OPERATION;
            } else {
                Status = Mode == UserMode
                             ? MmpCopyFromUser(Irp->AssociatedIrp.SystemBuffer, Buffer, Length)
                             : (memcpy(Irp->AssociatedIrp.SystemBuffer, Buffer, Length),
                                STATUS_SUCCESS);
                if (!NT_SUCCESS(Status))
                    return IopAbortRequest(&Request, Status);
            }
        }
    } else if (Request.Device->Flags & DO_DIRECT_IO) {
        /* The driver writes the pages of a read and reads those of a write; a zero-length
         * transfer has no MDL. */
        if (Length != 0) {
            Status = IopLockIrpBuffer(Irp, Buffer, Length, Mode,
                                      Read ? IoWriteAccess : IoReadAccess);
            if (!NT_SUCCESS(Status))
                return IopAbortRequest(&Request, Status);
        }
    }
    return IopSendRequest(&Request, Mode);
}

NTSTATUS NtReadFile(HANDLE FileHandle, HANDLE Event, PIO_APC_ROUTINE ApcRoutine, PVOID ApcContext,
                    PIO_STATUS_BLOCK IoStatusBlock, PVOID Buffer, ULONG Length,
                    PLARGE_INTEGER ByteOffset, PULONG Key)
{
    IOP_SERVICE(IopReadWrite(FileHandle, Event, ApcRoutine, ApcContext, IoStatusBlock, Buffer,
                             Length, ByteOffset, Key, IRP_MJ_READ));
}

NTSTATUS NtWriteFile(HANDLE FileHandle, HANDLE Event, PIO_APC_ROUTINE ApcRoutine,
                     PVOID ApcContext, PIO_STATUS_BLOCK IoStatusBlock, PVOID Buffer, ULONG Length,
                     PLARGE_INTEGER ByteOffset, PULONG Key)
{
    IOP_SERVICE(IopReadWrite(FileHandle, Event, ApcRoutine, ApcContext, IoStatusBlock, Buffer,
                             Length, ByteOffset, Key, IRP_MJ_WRITE));
}

NTSTATUS ZwReadFile(HANDLE FileHandle, HANDLE Event, PIO_APC_ROUTINE ApcRoutine, PVOID ApcContext,
                    PIO_STATUS_BLOCK IoStatusBlock, PVOID Buffer, ULONG Length,
                    PLARGE_INTEGER ByteOffset, PULONG Key)
{
    VF_CHECK_IRQL(ZwReadFile);
    IOP_ZW_SERVICE(IopReadWrite(FileHandle, Event, ApcRoutine, ApcContext, IoStatusBlock, Buffer,
                                Length, ByteOffset, Key, IRP_MJ_READ));
}

NTSTATUS ZwWriteFile(HANDLE FileHandle, HANDLE Event, PIO_APC_ROUTINE ApcRoutine,
                     PVOID ApcContext, PIO_STATUS_BLOCK IoStatusBlock, PVOID Buffer, ULONG Length,
                     PLARGE_INTEGER ByteOffset, PULONG Key)
{
    VF_CHECK_IRQL(ZwWriteFile);
    IOP_ZW_SERVICE(IopReadWrite(FileHandle, Event, ApcRoutine, ApcContext, IoStatusBlock, Buffer,
                                Length, ByteOffset, Key, IRP_MJ_WRITE));
}

/* The handle access a control code demands. */
static ACCESS_MASK IopControlCodeAccess(ULONG IoControlCode)
{
    ULONG Access = (IoControlCode >> 14) & 3;
    ACCESS_MASK Needed = 0;
    if (Access & FILE_READ_ACCESS)
        Needed |= FILE_READ_DATA;
    if (Access & FILE_WRITE_ACCESS)
        Needed |= FILE_WRITE_DATA;
    return Needed;
}

NTSTATUS IopDeviceIoControl(HANDLE FileHandle, HANDLE Event, PIO_APC_ROUTINE ApcRoutine,
                            PVOID ApcContext, PIO_STATUS_BLOCK IoStatusBlock, ULONG IoControlCode,
                            PVOID InputBuffer, ULONG InputBufferLength, PVOID OutputBuffer,
                            ULONG OutputBufferLength, UCHAR Major)
{
    KPROCESSOR_MODE Mode = KeGetPreviousMode();
    ULONG Method = METHOD_FROM_CTL_CODE(IoControlCode);
    IOP_REQUEST Request;
    PIO_STACK_LOCATION Stack;
    PIRP Irp;
    NTSTATUS Status;

    if (Mode == UserMode && Method != METHOD_NEITHER) {
        Status = MmpProbeUserRange(InputBuffer, InputBufferLength, 1);
        if (NT_SUCCESS(Status))
            Status = MmpProbeUserRange(OutputBuffer, OutputBufferLength, 1);
        /* A direct method's second buffer is probed for its access when it is locked below. */
        if (NT_SUCCESS(Status) && Method == METHOD_BUFFERED)
            Status = MmpTouchUserRange(OutputBuffer, OutputBufferLength, TRUE);
        if (!NT_SUCCESS(Status))
            return Status;
    }
    Status = IopBeginRequest(FileHandle, IopControlCodeAccess(IoControlCode), Event, ApcRoutine,
                             ApcContext, IoStatusBlock, Mode, 0, &Request);
    if (!NT_SUCCESS(Status))
        return Status;
    Irp = Request.Irp;
    Stack = IoGetNextIrpStackLocation(Irp);
    Stack->MajorFunction = Major;
    Stack->Parameters.DeviceIoControl.IoControlCode = IoControlCode;
    Stack->Parameters.DeviceIoControl.InputBufferLength = InputBufferLength;
    Stack->Parameters.DeviceIoControl.OutputBufferLength = OutputBufferLength;
    Request.Context->UserBufferLength = OutputBufferLength;

    switch (Method) {
    case METHOD_BUFFERED: {
        ULONG Size = InputBufferLength > OutputBufferLength ? InputBufferLength : OutputBufferLength;
        if (Size != 0) {
            Irp->AssociatedIrp.SystemBuffer =
                ExAllocatePool2(POOL_FLAG_NON_PAGED | POOL_FLAG_UNINITIALIZED, Size,
                                IOP_TAG_SYSTEM_BUFFER);
            if (Irp->AssociatedIrp.SystemBuffer == NULL)
                return IopAbortRequest(&Request, STATUS_INSUFFICIENT_RESOURCES);
            Irp->Flags |= IRP_BUFFERED_IO | IRP_DEALLOCATE_BUFFER;
            if (InputBufferLength) {
                Status = Mode == UserMode
                             ? MmpCopyFromUser(Irp->AssociatedIrp.SystemBuffer, InputBuffer,
                                               InputBufferLength)
                             : (memcpy(Irp->AssociatedIrp.SystemBuffer, InputBuffer,
                                       InputBufferLength),
                                STATUS_SUCCESS);
                if (!NT_SUCCESS(Status))
                    return IopAbortRequest(&Request, Status);
            }
            if (OutputBufferLength) {
                Irp->Flags |= IRP_INPUT_OPERATION;
                Irp->UserBuffer = OutputBuffer;
            }
        }
        break;
    }
    case METHOD_NEITHER:
        Stack->Parameters.DeviceIoControl.Type3InputBuffer = InputBuffer;
        Irp->UserBuffer = OutputBuffer;
        break;
    default: /* METHOD_IN_DIRECT, METHOD_OUT_DIRECT */
        /* The first buffer goes to a system buffer of its own length; the second is described
         * by an MDL, probed for reading (IN_DIRECT: the driver reads it) or writing (OUT_DIRECT).
         * Nothing is copied back: the driver wrote the caller's pages themselves. */
        if (InputBufferLength != 0) {
            Irp->AssociatedIrp.SystemBuffer =
                ExAllocatePool2(POOL_FLAG_NON_PAGED | POOL_FLAG_UNINITIALIZED, InputBufferLength,
                                IOP_TAG_SYSTEM_BUFFER);
            if (Irp->AssociatedIrp.SystemBuffer == NULL)
                return IopAbortRequest(&Request, STATUS_INSUFFICIENT_RESOURCES);
            Irp->Flags |= IRP_BUFFERED_IO | IRP_DEALLOCATE_BUFFER;
            Status = Mode == UserMode ? MmpCopyFromUser(Irp->AssociatedIrp.SystemBuffer,
                                                        InputBuffer, InputBufferLength)
                                      : (memcpy(Irp->AssociatedIrp.SystemBuffer, InputBuffer,
                                                InputBufferLength),
                                         STATUS_SUCCESS);
            if (!NT_SUCCESS(Status))
                return IopAbortRequest(&Request, Status);
        }
        if (OutputBufferLength != 0) {
            Status = IopLockIrpBuffer(Irp, OutputBuffer, OutputBufferLength, Mode,
                                      Method == METHOD_IN_DIRECT ? IoReadAccess : IoWriteAccess);
            if (!NT_SUCCESS(Status))
                return IopAbortRequest(&Request, Status);
        }
        Irp->UserBuffer = OutputBuffer;
        break;
    }
    return IopSendRequest(&Request, Mode);
}

NTSTATUS NtDeviceIoControlFile(HANDLE FileHandle, HANDLE Event, PIO_APC_ROUTINE ApcRoutine,
                               PVOID ApcContext, PIO_STATUS_BLOCK IoStatusBlock,
                               ULONG IoControlCode, PVOID InputBuffer, ULONG InputBufferLength,
                               PVOID OutputBuffer, ULONG OutputBufferLength)
{
    IOP_SERVICE(IopDeviceIoControl(FileHandle, Event, ApcRoutine, ApcContext, IoStatusBlock,
                                   IoControlCode, InputBuffer, InputBufferLength, OutputBuffer,
                                   OutputBufferLength, IRP_MJ_DEVICE_CONTROL));
}

NTSTATUS ZwDeviceIoControlFile(HANDLE FileHandle, HANDLE Event, PIO_APC_ROUTINE ApcRoutine,
                               PVOID ApcContext, PIO_STATUS_BLOCK IoStatusBlock,
                               ULONG IoControlCode, PVOID InputBuffer, ULONG InputBufferLength,
                               PVOID OutputBuffer, ULONG OutputBufferLength)
{
    VF_CHECK_IRQL(ZwDeviceIoControlFile);
    IOP_ZW_SERVICE(IopDeviceIoControl(FileHandle, Event, ApcRoutine, ApcContext, IoStatusBlock,
                                      IoControlCode, InputBuffer, InputBufferLength, OutputBuffer,
                                      OutputBufferLength, IRP_MJ_DEVICE_CONTROL));
}
