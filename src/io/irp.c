/* Io: IRP allocation, dispatch and completion. */
#include "iop.h"
#include "iomdl.h"
#include "../vf/vfddi.h"
#include <string.h>

#define IOP_TAG_IRP 0x20707249 /* 'Irp ' */

/* Every IRP the I/O manager allocates sits 16 bytes into its pool block, behind a header of its
 * own: IoFreeIrp gives the block back, while ExFreePool(Irp), a driver's mistake, is stopped at
 * once by the pool as the free of an address that is not a block (0xC2, 0x46). */
#define IOP_IRP_HEADER_SIZE 16
#define IOP_IRP_MAGIC 0x48707249 /* 'IrpH' */

static PIRP IopAllocateIrpBlock(SIZE_T Size)
{
    PULONG Header = ExAllocatePool2(POOL_FLAG_NON_PAGED | POOL_FLAG_UNINITIALIZED,
                                    IOP_IRP_HEADER_SIZE + Size, IOP_TAG_IRP);
    if (Header == NULL)
        return NULL;
    Header[0] = IOP_IRP_MAGIC;
    return (PIRP)((PUCHAR)Header + IOP_IRP_HEADER_SIZE);
}

static VOID IopFreeIrpBlock(PIRP Irp)
{
    ExFreePoolWithTag((PUCHAR)Irp - IOP_IRP_HEADER_SIZE, IOP_TAG_IRP);
}

/* Each thread keeps a few freed IRPs per stack size, as NT's per-processor IRP lookaside lists
 * do, so that a request costs no pool lock for its IRP. Every block has room for the context
 * of a service IRP, so that drivers' IRPs and the I/O manager's share the cache. */
#define IOP_IRP_CACHE_STACKS 8
#define IOP_IRP_CACHE_DEPTH 4

typedef struct _IOP_IRP_CACHE {
    PIRP Irps[IOP_IRP_CACHE_STACKS + 1][IOP_IRP_CACHE_DEPTH];
    UCHAR Count[IOP_IRP_CACHE_STACKS + 1];
} IOP_IRP_CACHE;

static __thread IOP_IRP_CACHE IopIrpCache;

VOID IopFlushIrpCache(VOID)
{
    ULONG i, j;
    for (i = 0; i <= IOP_IRP_CACHE_STACKS; i++) {
        for (j = 0; j < IopIrpCache.Count[i]; j++)
            IopFreeIrpBlock(IopIrpCache.Irps[i][j]);
        IopIrpCache.Count[i] = 0;
    }
    IopFlushMdlCache();
}

static PIRP IopAllocateIrpPacket(CCHAR StackSize)
{
    USHORT Size = IoSizeOfIrp(StackSize);
    PIRP Irp = NULL;
    if (StackSize < 1)
        return NULL;
    if (StackSize <= IOP_IRP_CACHE_STACKS && IopIrpCache.Count[(int)StackSize])
        Irp = IopIrpCache.Irps[(int)StackSize][--IopIrpCache.Count[(int)StackSize]];
    if (Irp == NULL)
        Irp = IopAllocateIrpBlock((SIZE_T)Size + sizeof(IOP_IRP_CONTEXT));
    if (Irp == NULL)
        return NULL;
    IoInitializeIrp(Irp, Size, StackSize);
    return Irp;
}

PIRP IoAllocateIrp(CCHAR StackSize, BOOLEAN ChargeQuota)
{
    VF_CHECK_IRQL(IoAllocateIrp);
    PIRP Irp = IopAllocateIrpPacket(StackSize);
    UNREFERENCED_PARAMETER(ChargeQuota);
    if (Irp)
        Irp->AllocationFlags = IOP_IRP_ALLOCATED;
    return Irp;
}

PIRP IopAllocateIrpWithContext(CCHAR StackSize, PIOP_IRP_CONTEXT *Context)
{
    PIRP Irp = IopAllocateIrpPacket(StackSize);
    if (Irp == NULL)
        return NULL;
    Irp->AllocationFlags = IOP_IRP_ALLOCATED | IOP_IRP_HAS_CONTEXT;
    *Context = (PIOP_IRP_CONTEXT)((PUCHAR)Irp + Irp->Size);
    memset(*Context, 0, sizeof(**Context));
    return Irp;
}

PIOP_IRP_CONTEXT IopIrpContext(PIRP Irp)
{
    if (!(Irp->AllocationFlags & IOP_IRP_HAS_CONTEXT))
        return NULL;
    return (PIOP_IRP_CONTEXT)((PUCHAR)Irp + Irp->Size);
}

VOID IoInitializeIrp(PIRP Irp, USHORT PacketSize, CCHAR StackSize)
{
    VF_CHECK_IRQL(IoInitializeIrp);
    memset(Irp, 0, PacketSize);
    Irp->Type = IO_TYPE_IRP;
    Irp->Size = PacketSize;
    Irp->StackCount = StackSize;
    Irp->CurrentLocation = (CHAR)(StackSize + 1);
    Irp->ApcEnvironment = OriginalApcEnvironment;
    InitializeListHead(&Irp->ThreadListEntry);
    Irp->Tail.Overlay.CurrentStackLocation = (PIO_STACK_LOCATION)(Irp + 1) + StackSize;
}

VOID IoReuseIrp(PIRP Irp, NTSTATUS Iostatus)
{
    VF_CHECK_IRQL(IoReuseIrp);
    UCHAR AllocationFlags = Irp->AllocationFlags;
    IoInitializeIrp(Irp, Irp->Size, Irp->StackCount);
    Irp->AllocationFlags = AllocationFlags;
    Irp->IoStatus.Status = Iostatus;
}

/* Takes an IRP off Thread's list, if it is on one. (The completion APC overlays
 * Tail.Overlay.Thread, so the completion passes the thread it saved.) */
static VOID IopUnthreadIrp(PIRP Irp, PETHREAD Thread)
{
    if (IsListEmpty(&Irp->ThreadListEntry) || Thread == NULL)
        return;
    NtkLock(&Thread->IrpListLock);
    RemoveEntryList(&Irp->ThreadListEntry);
    InitializeListHead(&Irp->ThreadListEntry);
    if (Thread->IrpListEmptyEvent && IsListEmpty(&Thread->IrpList))
        KeSetEvent(Thread->IrpListEmptyEvent, 0, FALSE);
    NtkUnlock(&Thread->IrpListLock);
}

VOID IoFreeIrp(PIRP Irp)
{
    VF_CHECK_IRQL(IoFreeIrp);
    if (Irp->Type != IO_TYPE_IRP)
        KeBugCheckEx(DRIVER_VERIFIER_IOMANAGER_VIOLATION, 0x01, (ULONG_PTR)Irp, 0, 0);
    /* Still on its thread's list of requests: the I/O manager has not finished it (0x02). */
    if (Irp->ThreadListEntry.Flink != &Irp->ThreadListEntry)
        KeBugCheckEx(DRIVER_VERIFIER_IOMANAGER_VIOLATION, 0x02, (ULONG_PTR)Irp, 0, 0);
    Irp->Type = 0;
    if ((Irp->AllocationFlags & IOP_IRP_ALLOCATED) && Irp->StackCount <= IOP_IRP_CACHE_STACKS &&
        IopIrpCache.Count[(int)Irp->StackCount] < IOP_IRP_CACHE_DEPTH && KiCurrentThread) {
        IopIrpCache.Irps[(int)Irp->StackCount][IopIrpCache.Count[(int)Irp->StackCount]++] = Irp;
        return;
    }
    /* One a driver built with IoInitializeIrp in memory of its own is not the I/O manager's to
     * free: the pool stops that as a bad free. */
    if (Irp->AllocationFlags & IOP_IRP_ALLOCATED)
        IopFreeIrpBlock(Irp);
    else
        ExFreePoolWithTag(Irp, IOP_TAG_IRP);
}

/* I/O verification of what a dispatch routine returns against how its stack location was left
 * by the time the completion passes it: STATUS_PENDING without IoMarkIrpPending (0x23D), or
 * marked and anything else returned (0x23E). (A routine that passes the IRP down may return
 * the lower driver's STATUS_PENDING and mark its own location later, from its completion
 * routine, so the verdict waits for both the return and the completion.) Nothing may read an
 * IRP that can be gone:
 * - Completed on this thread during the call: each call in progress has a frame, and the
 *   completion, passing the called location, records in it whether the location was marked;
 *   the verdict comes at the return.
 * - Otherwise, for a request the I/O manager built for this very thread: its IRP is freed only
 *   by the completion APC to this thread, which cannot run before the return is recorded. The
 *   return and the completion each record theirs in the IRP's context, atomically; the later
 *   of the two gives the verdict.
 * Requests completed on another thread whose IRPs the I/O manager does not own are not judged. */
typedef struct _IOP_CALL_FRAME {
    struct _IOP_CALL_FRAME *Outer;
    PIRP Irp;
    CHAR Location;
    BOOLEAN Completed; /* the completion passed Location while the call was in progress */
    BOOLEAN Marked;    /* ...and found it marked pending */
} IOP_CALL_FRAME;

static __thread IOP_CALL_FRAME *IopCallFrames;

#define IOP_PS_WALKED 1u
#define IOP_PS_MARKED 2u
#define IOP_PS_RETURNED 4u
#define IOP_PS_RETURNED_PENDING 8u
#define IOP_PS_SHIFT(Location) (4 * ((Location) - 1))
#define IOP_PS_LOCATIONS 16

static BOOLEAN IopNoteCompletion(PIRP Irp, CHAR Location, UCHAR Control)
{
    IOP_CALL_FRAME *Frame;
    BOOLEAN Found = FALSE;
    UCHAR Here;
    /* Frames below this one's stack pointer belong to calls an exception unwound past. */
    for (Frame = IopCallFrames; Frame && (PUCHAR)Frame > &Here; Frame = Frame->Outer) {
        if (Frame->Irp == Irp && Frame->Location == Location) {
            Frame->Completed = TRUE;
            Frame->Marked = (Control & SL_PENDING_RETURNED) != 0;
            Found = TRUE;
        }
    }
    return Found;
}

static DECLSPEC_NORETURN VOID IopPendingViolation(PDRIVER_DISPATCH Dispatch, PIRP Irp,
                                                  PDEVICE_OBJECT DeviceObject, BOOLEAN Marked)
{
    KdpLog("ntk: dispatch routine %p %s\n", (PVOID)Dispatch,
           Marked ? "marked the IRP pending but did not return STATUS_PENDING"
                  : "returned STATUS_PENDING without marking the IRP pending");
    KeBugCheckEx(DRIVER_VERIFIER_IOMANAGER_VIOLATION, Marked ? 0x23E : 0x23D, (ULONG_PTR)Dispatch,
                 (ULONG_PTR)Irp, (ULONG_PTR)DeviceObject);
}

/* The completion passes a watched location that no call on this thread is in. */
static VOID IopRecordCompletion(PIRP Irp, PIO_STACK_LOCATION Stack, CHAR Location, UCHAR Control)
{
    PIOP_IRP_CONTEXT Context = IopIrpContext(Irp);
    ULONG64 Mine = IOP_PS_WALKED | ((Control & SL_PENDING_RETURNED) ? IOP_PS_MARKED : 0);
    ULONG64 Old = __atomic_fetch_or(&Context->PendingState, Mine << IOP_PS_SHIFT(Location),
                                    __ATOMIC_ACQ_REL) >> IOP_PS_SHIFT(Location);
    BOOLEAN Marked = (Mine & IOP_PS_MARKED) != 0;
    if ((Old & IOP_PS_RETURNED) && ((Old & IOP_PS_RETURNED_PENDING) != 0) != Marked)
        IopPendingViolation(Stack->DeviceObject->DriverObject->MajorFunction[Stack->MajorFunction],
                            Irp, Stack->DeviceObject, Marked);
}

/* A watched dispatch routine returned and the completion did not pass on this thread. */
static VOID IopRecordReturn(PIRP Irp, CHAR Location, NTSTATUS Status, PDRIVER_DISPATCH Dispatch,
                            PDEVICE_OBJECT DeviceObject)
{
    PIOP_IRP_CONTEXT Context = IopIrpContext(Irp);
    ULONG64 Mine = IOP_PS_RETURNED | (Status == STATUS_PENDING ? IOP_PS_RETURNED_PENDING : 0);
    ULONG64 Old = __atomic_fetch_or(&Context->PendingState, Mine << IOP_PS_SHIFT(Location),
                                    __ATOMIC_ACQ_REL) >> IOP_PS_SHIFT(Location);
    if ((Old & IOP_PS_WALKED) && ((Old & IOP_PS_MARKED) != 0) != (Status == STATUS_PENDING))
        IopPendingViolation(Dispatch, Irp, DeviceObject, (Old & IOP_PS_MARKED) != 0);
}

NTSTATUS IofCallDriver(PDEVICE_OBJECT DeviceObject, PIRP Irp)
{
    VF_CHECK_IRQL(IofCallDriver);
    IOP_CALL_FRAME Frame;
    BOOLEAN Watched;
    PIO_STACK_LOCATION Stack;
    PDRIVER_DISPATCH Dispatch;
    NTSTATUS Status;
    KIRQL Irql;
    if (Irp->Type != IO_TYPE_IRP)
        KeBugCheckEx(DRIVER_VERIFIER_IOMANAGER_VIOLATION, 0x03, (ULONG_PTR)Irp, 0, 0);
    if (KeGetCurrentIrql() > DISPATCH_LEVEL)
        KeBugCheckEx(DRIVER_VERIFIER_IOMANAGER_VIOLATION, 0x10, KeGetCurrentIrql(), 0, 0);
    Irp->CurrentLocation--;
    if (Irp->CurrentLocation <= 0)
        KeBugCheckEx(NO_MORE_IRP_STACK_LOCATIONS, (ULONG_PTR)Irp, 0, 0, 0);
    Stack = --Irp->Tail.Overlay.CurrentStackLocation;
    Stack->DeviceObject = DeviceObject;
    Dispatch = DeviceObject->DriverObject->MajorFunction[Stack->MajorFunction];
    Irql = KeGetCurrentIrql();

    Frame.Outer = IopCallFrames;
    while (Frame.Outer && (PUCHAR)Frame.Outer < (PUCHAR)&Frame)
        Frame.Outer = Frame.Outer->Outer; /* left behind by an exception's unwinding */
    Frame.Irp = Irp;
    Frame.Location = Irp->CurrentLocation;
    Frame.Completed = FALSE;
    Frame.Marked = FALSE;
    /* Watched: a request the I/O manager built for this thread (see above). */
    Watched = (Irp->AllocationFlags & IOP_IRP_HAS_CONTEXT) && Frame.Location <= IOP_PS_LOCATIONS &&
              Irp->Tail.Overlay.Thread == PsGetCurrentThread() && PsGetCurrentEThread()->CanExit;
    if (Irp->AllocationFlags & IOP_IRP_HAS_CONTEXT && Frame.Location <= IOP_PS_LOCATIONS) {
        PIOP_IRP_CONTEXT Context = IopIrpContext(Irp);
        __atomic_store_n(&Context->PendingState,
                         Context->PendingState & ~(0xFull << IOP_PS_SHIFT(Frame.Location)),
                         __ATOMIC_RELAXED);
    }
    IopCallFrames = &Frame;
    Status = Dispatch(DeviceObject, Irp);
    IopCallFrames = Frame.Outer;

    /* A dispatch routine returns at the IRQL it was called at (I/O verification, 0x05). */
    if (KeGetCurrentIrql() != Irql) {
        KdpLog("ntk: dispatch routine %p returned at IRQL %u, called at IRQL %u\n",
               (PVOID)Dispatch, KeGetCurrentIrql(), Irql);
        KeBugCheckEx(DRIVER_VERIFIER_IOMANAGER_VIOLATION, 0x05, (ULONG_PTR)DeviceObject, Irql,
                     KeGetCurrentIrql());
    }
    if (Frame.Completed) {
        if ((Status == STATUS_PENDING) != Frame.Marked)
            IopPendingViolation(Dispatch, Irp, DeviceObject, Frame.Marked);
    } else if (Watched) {
        IopRecordReturn(Irp, Frame.Location, Status, Dispatch, DeviceObject);
    }
    return Status;
}

/* The I/O manager's own completion work for the requests it issued, in the requesting thread:
 * copy buffered data back, free the system buffer, unlock and free the MDLs (direct I/O's, and
 * any a driver attached with IoAllocateMdl), report the status, signal the event, free the IRP.
 * (Tail.Overlay may already be overwritten by Tail.Apc: the caller saved what we need.) */
static VOID IopFinishRequest(PIRP Irp, PFILE_OBJECT FileObject, PETHREAD Thread)
{
    PIOP_IRP_CONTEXT Context = IopIrpContext(Irp);
    NTSTATUS Status = Irp->IoStatus.Status;
    /* The requester's status block or buffer may be gone (see iocancel.c): the result is not
     * written to them. */
    BOOLEAN Gone = (Irp->AllocationFlags & IOP_IRP_REQUESTER_GONE) != 0;

    if (Irp->Flags & IRP_BUFFERED_IO) {
        if ((Irp->Flags & IRP_INPUT_OPERATION) && !NT_ERROR(Status) && !Gone &&
            Irp->IoStatus.Information != 0 && Irp->UserBuffer && Irp->AssociatedIrp.SystemBuffer) {
            SIZE_T Length = Irp->IoStatus.Information;
            if (Context && Length > Context->UserBufferLength)
                Length = Context->UserBufferLength;
            if (Irp->RequestorMode == UserMode) {
                if (!NT_SUCCESS(MmpCopyToUser(Irp->UserBuffer, Irp->AssociatedIrp.SystemBuffer,
                                              Length)))
                    Irp->IoStatus.Status = Status = STATUS_ACCESS_VIOLATION;
            } else {
                memcpy(Irp->UserBuffer, Irp->AssociatedIrp.SystemBuffer, Length);
            }
        }
        if ((Irp->Flags & IRP_DEALLOCATE_BUFFER) && Irp->AssociatedIrp.SystemBuffer) {
            ExFreePool(Irp->AssociatedIrp.SystemBuffer);
            Irp->AssociatedIrp.SystemBuffer = NULL;
        }
    }
    if (Irp->MdlAddress)
        IopFreeIrpMdls(Irp);

    /* An error that did not pend was returned by the dispatch routine itself: the caller
     * learns it from the return value; no status block or event is touched. */
    if (!(NT_ERROR(Status) && !Irp->PendingReturned)) {
        if (Irp->UserIosb && !Gone) {
            if (Irp->RequestorMode == UserMode && !(Irp->Flags & IRP_CREATE_OPERATION))
                MmpCopyToUser(Irp->UserIosb, &Irp->IoStatus, sizeof(IO_STATUS_BLOCK));
            else
                *Irp->UserIosb = Irp->IoStatus;
        }
        if (FileObject && (FileObject->Flags & FO_SYNCHRONOUS_IO))
            FileObject->FinalStatus = Status;
        if (Irp->UserEvent)
            KeSetEvent(Irp->UserEvent, 0, FALSE);
        /* FILE_SKIP_SET_EVENT_ON_HANDLE: an asynchronous request leaves the file's event. */
        if (FileObject && !(Irp->Flags & (IRP_CREATE_OPERATION | IRP_CLOSE_OPERATION)) &&
            !((FileObject->Flags & FO_SKIP_SET_EVENT) && !(Irp->Flags & IRP_SYNCHRONOUS_API)))
            KeSetEvent(&FileObject->Event, 0, FALSE);
        /* To the file's port, unless FILE_SKIP_COMPLETION_PORT_ON_SUCCESS and the request
         * succeeded without pending (its caller learnt the result from the return value). */
        if (Context && Context->CompletionPacket &&
            !((FileObject->Flags & FO_SKIP_COMPLETION_PORT) && !Irp->PendingReturned &&
              NT_SUCCESS(Status))) {
            IopQueueCompletionPacket(FileObject, Context->CompletionPacket, &Irp->IoStatus);
            Context->CompletionPacket = NULL;
        }
    }
    if (Context && Context->CompletionPacket) {
        IopFreeCompletionPacket(Context->CompletionPacket);
        Context->CompletionPacket = NULL;
    }
    if (Irp->UserEvent && (Irp->AllocationFlags & IOP_IRP_USER_EVENT_REFERENCED))
        ObfDereferenceObject(Irp->UserEvent);

    IopUnthreadIrp(Irp, Thread);
    if (FileObject && (Irp->AllocationFlags & IOP_IRP_FILE_REFERENCED))
        ObfDereferenceObject(FileObject);
    if (Thread && (Irp->AllocationFlags & IOP_IRP_THREAD_REFERENCED)) {
        if (Context && Context->Detached)
            IoFreeWorkItem(Context->Detached);
        ObfDereferenceObject(Thread);
    }
    IoFreeIrp(Irp);
}

VOID IopFinishDetachedRequest(PIRP Irp)
{
    IopFinishRequest(Irp, Irp->Tail.Overlay.OriginalFileObject, Irp->Tail.Overlay.Thread);
}

static VOID IopCompletionApc(PKAPC Apc, PKNORMAL_ROUTINE *NormalRoutine, PVOID *NormalContext,
                             PVOID *SystemArgument1, PVOID *SystemArgument2)
{
    PIRP Irp = CONTAINING_RECORD(Apc, IRP, Tail.Apc);
    UNREFERENCED_PARAMETER(NormalRoutine);
    UNREFERENCED_PARAMETER(NormalContext);
    UNREFERENCED_PARAMETER(SystemArgument2);
    IopFinishRequest(Irp, *SystemArgument1, (PETHREAD)Apc->Thread);
}

/* As on Windows, the last stage runs as a special kernel APC in the thread that asked: the user
 * buffers belong to its process. A requester that is running its own user-mode code cannot be
 * interrupted here, so it gets the work done for it at once. */
static VOID IopCompleteRequest(PIRP Irp)
{
    PFILE_OBJECT FileObject = Irp->Tail.Overlay.OriginalFileObject;
    PETHREAD Thread = Irp->Tail.Overlay.Thread;
    /* Its thread has exited (iocancel.c): no APC, and the last references it drops (thread,
     * process, file) are not dropped at raised IRQL. */
    if (Irp->AllocationFlags & IOP_IRP_THREAD_REFERENCED) {
        if (!IopDeferDetachedCompletion(Irp))
            IopFinishRequest(Irp, FileObject, Thread);
        return;
    }
    if (Thread != NULL && Thread != PsGetCurrentEThread() &&
        Thread->Tcb.ExecutingMode == KernelMode && Thread->CanExit) {
        KeInitializeApc(&Irp->Tail.Apc, &Thread->Tcb, OriginalApcEnvironment, IopCompletionApc,
                        NULL, NULL, KernelMode, NULL);
        if (KeInsertQueueApc(&Irp->Tail.Apc, FileObject, NULL, 0)) {
            /* It may have left for user mode meanwhile; then take the APC back. */
            __atomic_thread_fence(__ATOMIC_SEQ_CST);
            if (Thread->Tcb.ExecutingMode != UserMode || !KiRemoveQueueApc(&Irp->Tail.Apc))
                return;
        }
    }
    IopFinishRequest(Irp, FileObject, Thread);
}

VOID IofCompleteRequest(PIRP Irp, CCHAR PriorityBoost)
{
    VF_CHECK_IRQL(IofCompleteRequest);
    PIO_STACK_LOCATION Stack;
    UNREFERENCED_PARAMETER(PriorityBoost);

    if (Irp->Type != IO_TYPE_IRP || Irp->CurrentLocation > Irp->StackCount + 1)
        KeBugCheckEx(MULTIPLE_IRP_COMPLETE_REQUESTS, (ULONG_PTR)Irp, 0, 0, 0);
    if (Irp->IoStatus.Status == STATUS_PENDING || Irp->IoStatus.Status == -1)
        KeBugCheckEx(DRIVER_VERIFIER_IOMANAGER_VIOLATION, 0x06, (ULONG)Irp->IoStatus.Status,
                     (ULONG_PTR)Irp, 0);
    if (Irp->CancelRoutine != NULL)
        KeBugCheckEx(DRIVER_VERIFIER_IOMANAGER_VIOLATION, 0x07, (ULONG_PTR)Irp->CancelRoutine,
                     (ULONG_PTR)Irp, 0);
    if (KeGetCurrentIrql() > DISPATCH_LEVEL)
        KeBugCheckEx(DRIVER_VERIFIER_IOMANAGER_VIOLATION, 0x0E, KeGetCurrentIrql(),
                     (ULONG_PTR)Irp, 0);

    /* Walk the stack bottom-up, from the current location to the top driver's. */
    for (Stack = IoGetCurrentIrpStackLocation(Irp); Irp->CurrentLocation <= Irp->StackCount;
         Stack++) {
        UCHAR Control = Stack->Control;
        PIO_COMPLETION_ROUTINE Routine = Stack->CompletionRoutine;
        PVOID RoutineContext = Stack->Context;
        NTSTATUS Status = Irp->IoStatus.Status;
        BOOLEAN Invoke;

        Irp->PendingReturned = (Control & SL_PENDING_RETURNED) != 0;
        if (!(IopCallFrames && IopNoteCompletion(Irp, Irp->CurrentLocation, Control)) &&
            (Irp->AllocationFlags & IOP_IRP_HAS_CONTEXT) &&
            Irp->CurrentLocation <= IOP_PS_LOCATIONS)
            IopRecordCompletion(Irp, Stack, Irp->CurrentLocation, Control);
        Irp->CurrentLocation++;
        Irp->Tail.Overlay.CurrentStackLocation++;
        Invoke = Routine != NULL &&
                 ((NT_SUCCESS(Status) && (Control & SL_INVOKE_ON_SUCCESS)) ||
                  (!NT_SUCCESS(Status) && (Control & SL_INVOKE_ON_ERROR)) ||
                  (Irp->Cancel && (Control & SL_INVOKE_ON_CANCEL)));
        memset(Stack, 0, sizeof(*Stack));
        if (Invoke) {
            /* The routine was set by the driver above: it gets that driver's device. */
            PDEVICE_OBJECT Device = Irp->CurrentLocation == Irp->StackCount + 1
                                        ? NULL
                                        : IoGetCurrentIrpStackLocation(Irp)->DeviceObject;
            if (Routine(Device, Irp, RoutineContext) == STATUS_MORE_PROCESSING_REQUIRED)
                return;
        } else if (Irp->PendingReturned && Irp->CurrentLocation <= Irp->StackCount) {
            IoMarkIrpPending(Irp);
        }
    }
    IopCompleteRequest(Irp);
}

/* Sends an IRP the I/O manager built and waits for it when it pends. */
NTSTATUS IopSynchronousCall(PDEVICE_OBJECT DeviceObject, PIRP Irp, PKEVENT Event,
                            PIO_STATUS_BLOCK IoStatus)
{
    NTSTATUS Status = IoCallDriver(DeviceObject, Irp);
    if (Status == STATUS_PENDING) {
        KeWaitForSingleObject(Event, Executive, KernelMode, FALSE, NULL);
        Status = IoStatus->Status;
    }
    return Status;
}

/* Cancellation. */
static KSPIN_LOCK IopCancelSpinLock;

VOID IoAcquireCancelSpinLock(PKIRQL Irql)
{
    VF_CHECK_IRQL(IoAcquireCancelSpinLock);
    KeAcquireSpinLock(&IopCancelSpinLock, Irql);
}

VOID IoReleaseCancelSpinLock(KIRQL Irql)
{
    VF_CHECK_IRQL(IoReleaseCancelSpinLock);
    KeReleaseSpinLock(&IopCancelSpinLock, Irql);
}

BOOLEAN IoCancelIrp(PIRP Irp)
{
    VF_CHECK_IRQL(IoCancelIrp);
    PDRIVER_CANCEL Routine;
    KIRQL Irql;
    IoAcquireCancelSpinLock(&Irql);
    Irp->Cancel = TRUE;
    Routine = IoSetCancelRoutine(Irp, NULL);
    if (Routine == NULL) {
        IoReleaseCancelSpinLock(Irql);
        return FALSE;
    }
    /* The routine runs with the cancel lock held and must release it. */
    Irp->CancelIrql = Irql;
    Routine(IoGetCurrentIrpStackLocation(Irp)->DeviceObject, Irp);
    return TRUE;
}

NTSTATUS IoSetCompletionRoutineEx(PDEVICE_OBJECT DeviceObject, PIRP Irp,
                                  PIO_COMPLETION_ROUTINE CompletionRoutine, PVOID Context,
                                  BOOLEAN InvokeOnSuccess, BOOLEAN InvokeOnError,
                                  BOOLEAN InvokeOnCancel)
{
    VF_CHECK_IRQL(IoSetCompletionRoutineEx);
    /* Drivers call this so that they cannot be unloaded while a routine is pending; ntk does
     * not unload drivers with outstanding I/O, so the plain form serves. */
    UNREFERENCED_PARAMETER(DeviceObject);
    IoSetCompletionRoutine(Irp, CompletionRoutine, Context, InvokeOnSuccess, InvokeOnError,
                           InvokeOnCancel);
    return STATUS_SUCCESS;
}
