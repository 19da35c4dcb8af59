/* Io: I/O completion ports. A port (type "IoCompletion") is a KQUEUE of completion packets
 * {Key, ApcContext, IoStatus}. A file associated with a port (FileCompletionInformation) has
 * its asynchronous requests' completions queued there (irp.c, IopFinishRequest); NtSetIoCompletion
 * queues a packet directly. The services: NtCreateIoCompletion, NtOpenIoCompletion,
 * NtSetIoCompletion, NtRemoveIoCompletion(Ex), NtQueryIoCompletion, and NtSetInformationFile
 * for the two classes a port needs. */
#include "iop.h"
#include "../ex/exp.h"
#include <string.h>

#define IOP_TAG_COMPLETION 0x706D6F43 /* 'Comp' */

POBJECT_TYPE IoCompletionObjectType;

typedef struct _IOP_COMPLETION_PACKET {
    LIST_ENTRY ListEntry;
    PVOID KeyContext;
    PVOID ApcContext;
    IO_STATUS_BLOCK IoStatus;
} IOP_COMPLETION_PACKET, *PIOP_COMPLETION_PACKET;

static VOID IopFreePackets(PLIST_ENTRY First)
{
    PLIST_ENTRY Entry = First;
    if (First == NULL)
        return;
    do {
        PLIST_ENTRY Next = Entry->Flink;
        ExFreePoolWithTag(CONTAINING_RECORD(Entry, IOP_COMPLETION_PACKET, ListEntry),
                          IOP_TAG_COMPLETION);
        Entry = Next;
    } while (Entry != First);
}

/* The last handle closed: threads waiting on the port return STATUS_ABANDONED_WAIT_0
 * (GetQueuedCompletionStatus: ERROR_ABANDONED_WAIT_0), as do later waits on it. Packets still
 * queued are freed. */
static VOID IopCloseCompletion(PEPROCESS Process, PVOID Object, ULONG_PTR ProcessHandleCount,
                               ULONG_PTR SystemHandleCount)
{
    UNREFERENCED_PARAMETER(Process);
    UNREFERENCED_PARAMETER(ProcessHandleCount);
    if (SystemHandleCount == 1)
        IopFreePackets(KeRundownQueue(Object));
}

static VOID IopDeleteCompletion(PVOID Object)
{
    IopFreePackets(KeRundownQueue(Object));
}

NTSTATUS IopInitializeCompletionType(VOID)
{
    static const OBJECT_TYPE_INITIALIZER CompletionType = {
        L"IoCompletion", 0x6F436F49, /* 'IoCo' */
        { STANDARD_RIGHTS_READ | IO_COMPLETION_QUERY_STATE,
          STANDARD_RIGHTS_WRITE | IO_COMPLETION_MODIFY_STATE,
          STANDARD_RIGHTS_EXECUTE | SYNCHRONIZE, IO_COMPLETION_ALL_ACCESS },
        IO_COMPLETION_ALL_ACCESS, NULL, IopDeleteCompletion, IopCloseCompletion
    };
    return ObCreateObjectType(&CompletionType, &IoCompletionObjectType);
}

/* ---- Packets for requests (irp.c, iosvc.c) ---- */

/* Allocated when the request is issued, so that its completion cannot fail for want of pool. */
PVOID IopAllocateCompletionPacket(PVOID ApcContext)
{
    PIOP_COMPLETION_PACKET Packet =
        ExAllocatePool2(POOL_FLAG_NON_PAGED, sizeof(*Packet), IOP_TAG_COMPLETION);
    if (Packet)
        Packet->ApcContext = ApcContext;
    return Packet;
}

VOID IopFreeCompletionPacket(PVOID Packet)
{
    ExFreePoolWithTag(Packet, IOP_TAG_COMPLETION);
}

/* Queues a request's packet to its file's port, with the file's key. */
VOID IopQueueCompletionPacket(PFILE_OBJECT FileObject, PVOID Packet, PIO_STATUS_BLOCK IoStatus)
{
    PIO_COMPLETION_CONTEXT Completion = FileObject->CompletionContext;
    PIOP_COMPLETION_PACKET Entry = Packet;
    Entry->KeyContext = Completion->Key;
    Entry->IoStatus = *IoStatus;
    KeInsertQueue(Completion->Port, &Entry->ListEntry);
}

/* A file's association ends with the file: its port reference is dropped. */
VOID IopFreeCompletionContext(PFILE_OBJECT FileObject)
{
    PIO_COMPLETION_CONTEXT Completion = FileObject->CompletionContext;
    if (Completion == NULL)
        return;
    FileObject->CompletionContext = NULL;
    ObfDereferenceObject(Completion->Port);
    ExFreePoolWithTag(Completion, IOP_TAG_COMPLETION);
}

/* ---- Services ---- */

static VOID IopInitializeCompletion(PVOID Body, PVOID Context)
{
    KeInitializeQueue(Body, *(PULONG)Context);
}

static NTSTATUS IopCreateCompletion(PHANDLE Handle, ACCESS_MASK DesiredAccess,
                                    POBJECT_ATTRIBUTES ObjectAttributes, ULONG Count,
                                    KPROCESSOR_MODE Mode)
{
    return ExpCreateObject(Handle, DesiredAccess, ObjectAttributes, IoCompletionObjectType,
                           sizeof(KQUEUE), IopInitializeCompletion, &Count, Mode);
}

static NTSTATUS IopSetCompletion(HANDLE Handle, PVOID KeyContext, PVOID ApcContext,
                                 NTSTATUS IoStatus, ULONG_PTR Information, KPROCESSOR_MODE Mode)
{
    PIOP_COMPLETION_PACKET Packet;
    PKQUEUE Queue;
    NTSTATUS Status = ObReferenceObjectByHandle(Handle, IO_COMPLETION_MODIFY_STATE,
                                                IoCompletionObjectType, Mode, (PVOID *)&Queue,
                                                NULL);
    if (!NT_SUCCESS(Status))
        return Status;
    Packet = ExAllocatePool2(POOL_FLAG_NON_PAGED, sizeof(*Packet), IOP_TAG_COMPLETION);
    if (Packet == NULL) {
        ObfDereferenceObject(Queue);
        return STATUS_INSUFFICIENT_RESOURCES;
    }
    Packet->KeyContext = KeyContext;
    Packet->ApcContext = ApcContext;
    Packet->IoStatus.Status = IoStatus;
    Packet->IoStatus.Information = Information;
    KeInsertQueue(Queue, &Packet->ListEntry);
    ObfDereferenceObject(Queue);
    return STATUS_SUCCESS;
}

/* Waits for one packet, then takes up to Count - 1 more already queued, writing each to
 * Information[] in WriteMode (user memory probed by the caller). */
static NTSTATUS IopRemovePackets(PKQUEUE Queue, KPROCESSOR_MODE WaitMode, BOOLEAN Alertable,
                                 PLARGE_INTEGER Timeout, PFILE_IO_COMPLETION_INFORMATION Information,
                                 ULONG Count, KPROCESSOR_MODE WriteMode, PULONG Removed)
{
    PLIST_ENTRY Entries[16];
    ULONG Batch = 1, Taken = 0, i;
    NTSTATUS Status = KiRemoveQueue(Queue, WaitMode, Alertable, Timeout, &Entries[0]);
    *Removed = 0;
    if (Status != STATUS_SUCCESS)
        return Status;
    for (;;) {
        for (i = 0; i < Batch; i++) {
            PIOP_COMPLETION_PACKET Packet =
                CONTAINING_RECORD(Entries[i], IOP_COMPLETION_PACKET, ListEntry);
            FILE_IO_COMPLETION_INFORMATION Out;
            Out.KeyContext = Packet->KeyContext;
            Out.ApcContext = Packet->ApcContext;
            Out.IoStatusBlock = Packet->IoStatus;
            ExFreePoolWithTag(Packet, IOP_TAG_COMPLETION);
            /* Probed beforehand: a failure here is the caller freeing its array meanwhile. */
            if (NT_SUCCESS(Status))
                Status = NtpWrite(WriteMode, &Information[Taken], &Out, sizeof(Out));
            Taken++;
        }
        if (Taken == Count)
            break;
        Batch = KiRemoveQueueMore(Queue, Entries,
                                  Count - Taken < RTL_NUMBER_OF(Entries) ? Count - Taken
                                                                        : RTL_NUMBER_OF(Entries));
        if (Batch == 0)
            break;
    }
    *Removed = Taken;
    return Status;
}

static NTSTATUS IopProbeForWrite(PVOID Address, SIZE_T Length, ULONG Alignment)
{
    NTSTATUS Status = MmpProbeUserRange(Address, Length, Alignment);
    if (NT_SUCCESS(Status))
        Status = MmpTouchUserRange(Address, Length, TRUE);
    return Status;
}

static NTSTATUS IopReferenceCompletion(HANDLE Handle, ACCESS_MASK Access, KPROCESSOR_MODE Mode,
                                       PKQUEUE *Queue)
{
    return ObReferenceObjectByHandle(Handle, Access, IoCompletionObjectType, Mode,
                                     (PVOID *)Queue, NULL);
}

static NTSTATUS IopRemoveCompletionEx(HANDLE Handle, PFILE_IO_COMPLETION_INFORMATION Information,
                                      ULONG Count, PULONG Removed, PLARGE_INTEGER Timeout,
                                      BOOLEAN Alertable, KPROCESSOR_MODE Mode)
{
    LARGE_INTEGER CapturedTimeout;
    PLARGE_INTEGER TimeoutPointer;
    PKQUEUE Queue;
    ULONG Taken;
    NTSTATUS Status;

    if (Count == 0)
        return STATUS_INVALID_PARAMETER;
    if (Mode == UserMode) {
        SIZE_T Length = (SIZE_T)Count * sizeof(*Information);
        Status = IopProbeForWrite(Information, Length, sizeof(ULONG));
        if (NT_SUCCESS(Status))
            Status = IopProbeForWrite(Removed, sizeof(*Removed), sizeof(ULONG));
        if (!NT_SUCCESS(Status))
            return Status;
    }
    Status = NtpCaptureTimeout(Mode, Timeout, &CapturedTimeout, &TimeoutPointer);
    if (!NT_SUCCESS(Status))
        return Status;
    Status = IopReferenceCompletion(Handle, IO_COMPLETION_MODIFY_STATE, Mode, &Queue);
    if (!NT_SUCCESS(Status))
        return Status;
    Status = IopRemovePackets(Queue, Mode, Alertable, TimeoutPointer, Information, Count, Mode,
                              &Taken);
    ObfDereferenceObject(Queue);
    /* The count is written on every return, zero when the wait failed. */
    {
        NTSTATUS WriteStatus = NtpWrite(Mode, Removed, &Taken, sizeof(Taken));
        if (NT_SUCCESS(Status) && !NT_SUCCESS(WriteStatus))
            Status = WriteStatus;
    }
    return Status;
}

static NTSTATUS IopRemoveCompletion(HANDLE Handle, PVOID *KeyContext, PVOID *ApcContext,
                                    PIO_STATUS_BLOCK IoStatusBlock, PLARGE_INTEGER Timeout,
                                    KPROCESSOR_MODE Mode)
{
    FILE_IO_COMPLETION_INFORMATION Packet;
    LARGE_INTEGER CapturedTimeout;
    PLARGE_INTEGER TimeoutPointer;
    PKQUEUE Queue;
    ULONG Taken;
    NTSTATUS Status;

    if (Mode == UserMode) {
        Status = IopProbeForWrite(KeyContext, sizeof(PVOID), sizeof(ULONG));
        if (NT_SUCCESS(Status))
            Status = IopProbeForWrite(ApcContext, sizeof(PVOID), sizeof(ULONG));
        if (NT_SUCCESS(Status))
            Status = IopProbeForWrite(IoStatusBlock, sizeof(IO_STATUS_BLOCK), sizeof(ULONG));
        if (!NT_SUCCESS(Status))
            return Status;
    }
    Status = NtpCaptureTimeout(Mode, Timeout, &CapturedTimeout, &TimeoutPointer);
    if (!NT_SUCCESS(Status))
        return Status;
    Status = IopReferenceCompletion(Handle, IO_COMPLETION_MODIFY_STATE, Mode, &Queue);
    if (!NT_SUCCESS(Status))
        return Status;
    Status = IopRemovePackets(Queue, Mode, FALSE, TimeoutPointer, &Packet, 1, KernelMode,
                              &Taken);
    ObfDereferenceObject(Queue);
    if (Status == STATUS_SUCCESS) {
        Status = NtpWrite(Mode, KeyContext, &Packet.KeyContext, sizeof(PVOID));
        if (NT_SUCCESS(Status))
            Status = NtpWrite(Mode, ApcContext, &Packet.ApcContext, sizeof(PVOID));
        if (NT_SUCCESS(Status))
            Status = NtpWrite(Mode, IoStatusBlock, &Packet.IoStatusBlock,
                              sizeof(IO_STATUS_BLOCK));
    }
    return Status;
}

static NTSTATUS IopQueryCompletion(HANDLE Handle, IO_COMPLETION_INFORMATION_CLASS Class,
                                   PVOID Information, ULONG Length, PULONG ResultLength,
                                   KPROCESSOR_MODE Mode)
{
    IO_COMPLETION_BASIC_INFORMATION Basic;
    PKQUEUE Queue;
    NTSTATUS Status;

    if (Class != IoCompletionBasicInformation)
        return STATUS_INVALID_INFO_CLASS;
    if (Length != sizeof(Basic))
        return STATUS_INFO_LENGTH_MISMATCH;
    Status = IopReferenceCompletion(Handle, IO_COMPLETION_QUERY_STATE, Mode, &Queue);
    if (!NT_SUCCESS(Status))
        return Status;
    Basic.Depth = KeReadStateQueue(Queue);
    ObfDereferenceObject(Queue);
    Status = NtpWrite(Mode, Information, &Basic, sizeof(Basic));
    if (NT_SUCCESS(Status) && ResultLength) {
        ULONG Written = sizeof(Basic);
        Status = NtpWrite(Mode, ResultLength, &Written, sizeof(Written));
    }
    return Status;
}

/* ---- NtSetInformationFile: the classes that concern completion ---- */

/* "If a handle is provided, it has to have been opened for overlapped I/O completion"; a file
 * is associated with one port only, for good. */
static NTSTATUS IopSetFileCompletion(PFILE_OBJECT FileObject,
                                     const FILE_COMPLETION_INFORMATION *Info, KPROCESSOR_MODE Mode)
{
    PIO_COMPLETION_CONTEXT Completion, Expected = NULL;
    PKQUEUE Queue;
    NTSTATUS Status;

    if (FileObject->Flags & FO_SYNCHRONOUS_IO)
        return STATUS_INVALID_PARAMETER;
    Status = IopReferenceCompletion(Info->Port, IO_COMPLETION_MODIFY_STATE, Mode, &Queue);
    if (!NT_SUCCESS(Status))
        return Status;
    Completion = ExAllocatePool2(POOL_FLAG_NON_PAGED, sizeof(*Completion), IOP_TAG_COMPLETION);
    if (Completion == NULL) {
        ObfDereferenceObject(Queue);
        return STATUS_INSUFFICIENT_RESOURCES;
    }
    Completion->Port = Queue;
    Completion->Key = Info->Key;
    if (!__atomic_compare_exchange_n(&FileObject->CompletionContext, &Expected, Completion, FALSE,
                                     __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE)) {
        ExFreePoolWithTag(Completion, IOP_TAG_COMPLETION);
        ObfDereferenceObject(Queue);
        return STATUS_INVALID_PARAMETER;
    }
    return STATUS_SUCCESS;
}

/* The modes only accumulate: "once the modes are set for a file handle, they cannot be
 * reverted". */
static NTSTATUS IopSetCompletionModes(PFILE_OBJECT FileObject, ULONG Flags)
{
    ULONG Set = 0;
    if (Flags & ~(ULONG)(FILE_SKIP_COMPLETION_PORT_ON_SUCCESS | FILE_SKIP_SET_EVENT_ON_HANDLE |
                         FILE_SKIP_SET_USER_EVENT_ON_FAST_IO))
        return STATUS_INVALID_PARAMETER;
    if (Flags & FILE_SKIP_COMPLETION_PORT_ON_SUCCESS)
        Set |= FO_SKIP_COMPLETION_PORT;
    if (Flags & FILE_SKIP_SET_EVENT_ON_HANDLE)
        Set |= FO_SKIP_SET_EVENT;
    /* ntk has no fast I/O: the user event is always set by the IRP's completion. */
    if (Flags & FILE_SKIP_SET_USER_EVENT_ON_FAST_IO)
        Set |= FO_SKIP_SET_FAST_IO;
    __atomic_fetch_or(&FileObject->Flags, Set, __ATOMIC_ACQ_REL);
    return STATUS_SUCCESS;
}

static NTSTATUS IopSetInformationFile(HANDLE FileHandle, PIO_STATUS_BLOCK IoStatusBlock,
                                      PVOID FileInformation, ULONG Length,
                                      FILE_INFORMATION_CLASS Class, KPROCESSOR_MODE Mode)
{
    union {
        FILE_COMPLETION_INFORMATION Completion;
        FILE_IO_COMPLETION_NOTIFICATION_INFORMATION Notification;
    } Info;
    ULONG Needed;
    IO_STATUS_BLOCK IoStatus;
    PFILE_OBJECT FileObject;
    NTSTATUS Status;

    switch (Class) {
    case FileCompletionInformation:
        Needed = sizeof(FILE_COMPLETION_INFORMATION);
        break;
    case FileIoCompletionNotificationInformation:
        Needed = sizeof(FILE_IO_COMPLETION_NOTIFICATION_INFORMATION);
        break;
    default:
        if ((ULONG)Class == 0 || (ULONG)Class >= FileMaximumInformation)
            return STATUS_INVALID_INFO_CLASS;
        KdpLog("ntk: NtSetInformationFile: information class %u is not implemented\n",
               (unsigned)Class);
        return STATUS_NOT_IMPLEMENTED;
    }
    if (Length < Needed)
        return STATUS_INFO_LENGTH_MISMATCH;
    if (Mode == UserMode) {
        Status = IopProbeForWrite(IoStatusBlock, sizeof(IO_STATUS_BLOCK), sizeof(ULONG));
        if (NT_SUCCESS(Status))
            Status = MmpProbeUserRange(FileInformation, Length, sizeof(ULONG));
        if (NT_SUCCESS(Status))
            Status = MmpCopyFromUser(&Info, FileInformation, Needed);
        if (!NT_SUCCESS(Status))
            return Status;
    } else {
        memcpy(&Info, FileInformation, Needed);
    }
    Status = ObReferenceObjectByHandle(FileHandle, 0, IopFileObjectType, Mode,
                                       (PVOID *)&FileObject, NULL);
    if (!NT_SUCCESS(Status))
        return Status;
    if (Class == FileCompletionInformation)
        Status = IopSetFileCompletion(FileObject, &Info.Completion, Mode);
    else
        Status = IopSetCompletionModes(FileObject, Info.Notification.Flags);
    ObfDereferenceObject(FileObject);
    if (NT_SUCCESS(Status)) {
        IoStatus.Status = Status;
        IoStatus.Information = 0;
        Status = NtpWrite(Mode, IoStatusBlock, &IoStatus, sizeof(IoStatus));
    }
    return Status;
}

#define IOP_SERVICE(call)                                                                         \
    NTSTATUS Status;                                                                              \
    KiEnterService();                                                                             \
    Status = call;                                                                                \
    KiLeaveService();                                                                             \
    return Status

NTSTATUS NtCreateIoCompletion(PHANDLE IoCompletionHandle, ACCESS_MASK DesiredAccess,
                              POBJECT_ATTRIBUTES ObjectAttributes, ULONG Count)
{
    IOP_SERVICE(IopCreateCompletion(IoCompletionHandle, DesiredAccess, ObjectAttributes, Count,
                                    KeGetPreviousMode()));
}

NTSTATUS NtOpenIoCompletion(PHANDLE IoCompletionHandle, ACCESS_MASK DesiredAccess,
                            POBJECT_ATTRIBUTES ObjectAttributes)
{
    IOP_SERVICE(ExpOpenObject(IoCompletionHandle, DesiredAccess, ObjectAttributes,
                              IoCompletionObjectType, KeGetPreviousMode()));
}

NTSTATUS NtSetIoCompletion(HANDLE IoCompletionHandle, PVOID KeyContext, PVOID ApcContext,
                           NTSTATUS IoStatus, ULONG_PTR IoStatusInformation)
{
    IOP_SERVICE(IopSetCompletion(IoCompletionHandle, KeyContext, ApcContext, IoStatus,
                                 IoStatusInformation, KeGetPreviousMode()));
}

NTSTATUS NtRemoveIoCompletion(HANDLE IoCompletionHandle, PVOID *KeyContext, PVOID *ApcContext,
                              PIO_STATUS_BLOCK IoStatusBlock, PLARGE_INTEGER Timeout)
{
    IOP_SERVICE(IopRemoveCompletion(IoCompletionHandle, KeyContext, ApcContext, IoStatusBlock,
                                    Timeout, KeGetPreviousMode()));
}

NTSTATUS NtRemoveIoCompletionEx(HANDLE IoCompletionHandle,
                                PFILE_IO_COMPLETION_INFORMATION IoCompletionInformation,
                                ULONG Count, PULONG NumEntriesRemoved, PLARGE_INTEGER Timeout,
                                BOOLEAN Alertable)
{
    NTSTATUS Status;
    KiEnterService();
    Status = IopRemoveCompletionEx(IoCompletionHandle, IoCompletionInformation, Count,
                                   NumEntriesRemoved, Timeout, Alertable, KeGetPreviousMode());
    /* An alertable wait that a user APC ended runs the APCs before returning. */
    if (Status == STATUS_USER_APC)
        KiDeliverUserApcs();
    KiLeaveService();
    return Status;
}

NTSTATUS NtQueryIoCompletion(HANDLE IoCompletionHandle,
                             IO_COMPLETION_INFORMATION_CLASS IoCompletionInformationClass,
                             PVOID IoCompletionInformation, ULONG IoCompletionInformationLength,
                             PULONG ResultLength)
{
    IOP_SERVICE(IopQueryCompletion(IoCompletionHandle, IoCompletionInformationClass,
                                   IoCompletionInformation, IoCompletionInformationLength,
                                   ResultLength, KeGetPreviousMode()));
}

NTSTATUS NtSetInformationFile(HANDLE FileHandle, PIO_STATUS_BLOCK IoStatusBlock,
                              PVOID FileInformation, ULONG Length,
                              FILE_INFORMATION_CLASS FileInformationClass)
{
    IOP_SERVICE(IopSetInformationFile(FileHandle, IoStatusBlock, FileInformation, Length,
                                      FileInformationClass, KeGetPreviousMode()));
}
