/* Io: cancelling the requests of a thread. NtCancelIoFile (the caller's requests for a file),
 * NtCancelIoFileEx (any thread's of the process, or the one with a given status block), an
 * interrupted synchronous request, and thread exit, which cancels what the thread still has
 * pending and waits for it, as Windows does: up to five minutes, then the requests are
 * disassociated from the thread and the device's driver is named in the log. */
#include "iop.h"
#include <pthread.h>


/* What a cancellation matches; a NULL member matches anything. */
typedef struct _IOP_CANCEL_FILTER {
    PFILE_OBJECT FileObject;
    PIO_STATUS_BLOCK IoStatusBlock;
    PIRP Irp;
} IOP_CANCEL_FILTER;

static BOOLEAN IopIrpMatches(PIRP Irp, const IOP_CANCEL_FILTER *Filter)
{
    PIOP_IRP_CONTEXT Context = IopIrpContext(Irp);
    if (Filter->Irp && Irp != Filter->Irp)
        return FALSE;
    if (Filter->FileObject && (Context == NULL || Context->FileObject != Filter->FileObject))
        return FALSE;
    if (Filter->IoStatusBlock && Irp->UserIosb != Filter->IoStatusBlock)
        return FALSE;
    return TRUE;
}

/* Cancels the first matching IRP on Thread's list that is not cancelled yet, as IoCancelIrp
 * does. The list lock keeps the IRP alive while it is looked at; once its cancel routine is
 * ours, no driver may complete it but that routine, so the list lock can go before the call.
 * *Found says whether any IRP matched. FALSE when none was left to cancel. */
static BOOLEAN IopCancelNextThreadIrp(PETHREAD Thread, const IOP_CANCEL_FILTER *Filter,
                                      PBOOLEAN Found)
{
    PDRIVER_CANCEL Routine = NULL;
    PLIST_ENTRY Entry;
    PIRP Irp = NULL;
    KIRQL Irql;

    IoAcquireCancelSpinLock(&Irql);
    NtkLock(&Thread->IrpListLock);
    for (Entry = Thread->IrpList.Flink; Entry != &Thread->IrpList; Entry = Entry->Flink) {
        PIRP Candidate = CONTAINING_RECORD(Entry, IRP, ThreadListEntry);
        if (!IopIrpMatches(Candidate, Filter))
            continue;
        *Found = TRUE;
        if (!Candidate->Cancel) {
            Irp = Candidate;
            break;
        }
    }
    if (Irp != NULL) {
        Irp->Cancel = TRUE;
        Routine = IoSetCancelRoutine(Irp, NULL);
    }
    NtkUnlock(&Thread->IrpListLock);
    if (Routine == NULL) {
        IoReleaseCancelSpinLock(Irql);
        return Irp != NULL;
    }
    /* The routine runs with the cancel lock held and releases it. */
    Irp->CancelIrql = Irql;
    Routine(IoGetCurrentIrpStackLocation(Irp)->DeviceObject, Irp);
    return TRUE;
}

static BOOLEAN IopCancelThreadIrps(PETHREAD Thread, const IOP_CANCEL_FILTER *Filter)
{
    BOOLEAN Found = FALSE;
    while (IopCancelNextThreadIrp(Thread, Filter, &Found))
        ;
    return Found;
}

BOOLEAN IopCancelSynchronousRequest(PETHREAD Thread, PIRP Irp)
{
    IOP_CANCEL_FILTER Filter = { .Irp = Irp };
    return IopCancelThreadIrps(Thread, &Filter);
}

static NTSTATUS IopCancelIoFile(HANDLE FileHandle, PIO_STATUS_BLOCK IoRequestToCancel,
                                PIO_STATUS_BLOCK IoStatusBlock, BOOLEAN AnyThread)
{
    KPROCESSOR_MODE Mode = KeGetPreviousMode();
    IOP_CANCEL_FILTER Filter = { .IoStatusBlock = IoRequestToCancel };
    IO_STATUS_BLOCK Result = { .Status = STATUS_SUCCESS, .Information = 0 };
    BOOLEAN Found = FALSE;
    NTSTATUS Status;

    if (Mode == UserMode) {
        Status = MmpProbeUserRange(IoStatusBlock, sizeof(IO_STATUS_BLOCK), sizeof(ULONG));
        if (!NT_SUCCESS(Status))
            return Status;
    } else if (IoStatusBlock == NULL) {
        return STATUS_INVALID_PARAMETER;
    }
    /* Cancelling needs no access right, only a handle to the file. */
    Status = ObReferenceObjectByHandle(FileHandle, 0, IopFileObjectType, Mode,
                                       (PVOID *)&Filter.FileObject, NULL);
    if (!NT_SUCCESS(Status))
        return Status;
    if (!AnyThread) {
        /* Its own requests complete in this thread, at the latest when the call returns. */
        Found = IopCancelThreadIrps(PsGetCurrentEThread(), &Filter);
    } else {
        PETHREAD *Threads;
        ULONG Count, i;
        Status = PspReferenceProcessThreads(PspCurrentProcess(), &Threads, &Count);
        if (!NT_SUCCESS(Status)) {
            ObfDereferenceObject(Filter.FileObject);
            return Status;
        }
        for (i = 0; i < Count; i++) {
            if (IopCancelThreadIrps(Threads[i], &Filter))
                Found = TRUE;
            ObfDereferenceObject(Threads[i]);
        }
        ExFreePool(Threads);
    }
    ObfDereferenceObject(Filter.FileObject);
    /* CancelIo succeeds with nothing to cancel; CancelIoEx reports it. */
    if (AnyThread && !Found)
        return STATUS_NOT_FOUND;
    return NtpWrite(Mode, IoStatusBlock, &Result, sizeof(Result));
}

NTSTATUS NtCancelIoFile(HANDLE FileHandle, PIO_STATUS_BLOCK IoStatusBlock)
{
    NTSTATUS Status;
    KiEnterService();
    Status = IopCancelIoFile(FileHandle, NULL, IoStatusBlock, FALSE);
    KiLeaveService();
    return Status;
}

NTSTATUS NtCancelIoFileEx(HANDLE FileHandle, PIO_STATUS_BLOCK IoRequestToCancel,
                          PIO_STATUS_BLOCK IoStatusBlock)
{
    NTSTATUS Status;
    KiEnterService();
    Status = IopCancelIoFile(FileHandle, IoRequestToCancel, IoStatusBlock, TRUE);
    KiLeaveService();
    return Status;
}

/* After the five minutes: the IRPs still pending stay with their drivers, and the thread
 * exits without them. Each keeps the thread object referenced (its list and lock outlive the
 * thread), and its completion, which can no longer be an APC to the thread, releases the I/O
 * manager's resources and writes nothing to the requester's memory. */
static VOID IopDetachedWorker(PDEVICE_OBJECT DeviceObject, PVOID Context)
{
    UNREFERENCED_PARAMETER(DeviceObject);
    IopFinishDetachedRequest(Context); /* frees this work item too */
}

/* A request completed at raised IRQL after its thread exited is finished by a worker thread,
 * through an I/O work item of its file's device: unloading that driver waits for it, since
 * finishing may drop the file's last reference and send IRP_MJ_CLOSE. */
BOOLEAN IopDeferDetachedCompletion(PIRP Irp)
{
    PIOP_IRP_CONTEXT Context = IopIrpContext(Irp);
    if (Context == NULL || Context->Detached == NULL || KeGetCurrentIrql() == PASSIVE_LEVEL)
        return FALSE;
    IoQueueWorkItem(Context->Detached, IopDetachedWorker, DelayedWorkQueue, Irp);
    return TRUE;
}

static VOID IopDisassociateThreadIrps(PETHREAD Thread)
{
    PLIST_ENTRY Entry;
    NtkLock(&Thread->IrpListLock);
    for (Entry = Thread->IrpList.Flink; Entry != &Thread->IrpList; Entry = Entry->Flink) {
        PIRP Irp = CONTAINING_RECORD(Entry, IRP, ThreadListEntry);
        PIOP_IRP_CONTEXT Context = IopIrpContext(Irp);
        /* The file's device: the stack location may be overlaid by a completion under way. */
        PDEVICE_OBJECT Device = Context && Context->FileObject ? Context->FileObject->DeviceObject
                                                               : NULL;
        if (Irp->AllocationFlags & IOP_IRP_THREAD_REFERENCED)
            continue;
        /* Without it (no pool), a completion at raised IRQL finishes the request there. */
        if (Device)
            Context->Detached = IoAllocateWorkItem(Device);
        ObfReferenceObject(Thread);
        Irp->AllocationFlags |= IOP_IRP_REQUESTER_GONE | IOP_IRP_THREAD_REFERENCED;
        KdpLog("ntk: IRP %p was not completed within 5 minutes of its cancellation "
               "(device %p, driver %wZ); it is disassociated from exiting thread %u\n",
               (PVOID)Irp, (PVOID)Device,
               Device && Device->DriverObject ? &Device->DriverObject->DriverName : NULL,
               (unsigned)(ULONG_PTR)Thread->Cid.UniqueThread);
    }
    NtkUnlock(&Thread->IrpListLock);
}

static BOOLEAN IopInRange(const VOID *Address, ULONG_PTR Low, ULONG_PTR High)
{
    return (ULONG_PTR)Address >= Low && (ULONG_PTR)Address < High;
}

/* User and kernel code share a thread's one stack in ntk: a status block or buffer in a frame
 * the user code has left may now lie under the kernel's own frames of this exit, so their
 * requests' completions write nothing there. (On Windows the user stack is apart and is simply
 * written.) Done before anything in the exit path can deliver a completion APC. */
static VOID IopShieldExitingStack(PETHREAD Thread)
{
    pthread_attr_t Attributes;
    PLIST_ENTRY Entry;
    ULONG_PTR Low, High;
    PVOID Base;
    size_t Size;

    if (pthread_getattr_np(pthread_self(), &Attributes) != 0)
        return;
    pthread_attr_getstack(&Attributes, &Base, &Size);
    pthread_attr_destroy(&Attributes);
    Low = (ULONG_PTR)Base;
    High = Low + Size;
    NtkLock(&Thread->IrpListLock);
    for (Entry = Thread->IrpList.Flink; Entry != &Thread->IrpList; Entry = Entry->Flink) {
        PIRP Irp = CONTAINING_RECORD(Entry, IRP, ThreadListEntry);
        if (IopInRange(Irp->UserIosb, Low, High) ||
            ((Irp->Flags & IRP_BUFFERED_IO) && IopInRange(Irp->UserBuffer, Low, High)))
            Irp->AllocationFlags |= IOP_IRP_REQUESTER_GONE;
    }
    NtkUnlock(&Thread->IrpListLock);
}

VOID IopCancelThreadIo(PETHREAD Thread)
{
    IOP_CANCEL_FILTER All = { 0 };
    LARGE_INTEGER Timeout;
    KEVENT Empty;
    BOOLEAN Pending;

    /* Only the thread itself adds to its list, and it is exiting. */
    NtkLock(&Thread->IrpListLock);
    Pending = !IsListEmpty(&Thread->IrpList);
    NtkUnlock(&Thread->IrpListLock);
    if (!Pending)
        return;
    KeInitializeEvent(&Empty, NotificationEvent, FALSE);
    NtkLock(&Thread->IrpListLock);
    Thread->IrpListEmptyEvent = &Empty;
    if (IsListEmpty(&Thread->IrpList))
        KeSetEvent(&Empty, 0, FALSE);
    NtkUnlock(&Thread->IrpListLock);
    IopShieldExitingStack(Thread);
    IopCancelThreadIrps(Thread, &All);
    /* The completions come to this thread as kernel APCs, delivered during the wait. */
    Timeout.QuadPart = -10LL * 1000 * 1000 * 60 * 5;
    if (KeWaitForSingleObject(&Empty, Executive, KernelMode, FALSE, &Timeout) == STATUS_TIMEOUT)
        IopDisassociateThreadIrps(Thread);
    NtkLock(&Thread->IrpListLock);
    Thread->IrpListEmptyEvent = NULL;
    NtkUnlock(&Thread->IrpListLock);
}
