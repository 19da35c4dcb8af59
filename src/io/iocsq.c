/* Io: cancel-safe IRP queues. The driver keeps the queue and its lock (the callbacks); these
 * routines own the queued IRPs' cancel routines, and every IRP leaves the queue exactly one
 * way: a remover takes it only by clearing its cancel routine first, and the cancel routine runs
 * only if IoCancelIrp cleared it first, so whichever clears it owns the IRP.
 *
 * Tail.Overlay.DriverContext[3] of a queued IRP links it to its IO_CSQ_IRP_CONTEXT, or to the
 * IO_CSQ itself when the driver gave no context; both begin with their Type, which tells them
 * apart. (The WDK documents that these routines use DriverContext[3].) */
#include "iop.h"
#include "../vf/vfddi.h"

#define IOP_CSQ_LINK(Irp) ((Irp)->Tail.Overlay.DriverContext[3])

static PIO_CSQ_IRP_CONTEXT IopCsqContextOf(PIRP Irp)
{
    PVOID Link = IOP_CSQ_LINK(Irp);
    return Link && *(PULONG)Link == IO_TYPE_CSQ_IRP_CONTEXT ? Link : NULL;
}

/* The IRP leaves the queue; the caller holds the queue's lock and owns the IRP. */
static VOID IopCsqUnlink(PIO_CSQ Csq, PIRP Irp)
{
    PIO_CSQ_IRP_CONTEXT Context = IopCsqContextOf(Irp);
    if (Context)
        Context->Irp = NULL;
    IOP_CSQ_LINK(Irp) = NULL;
    Csq->CsqRemoveIrp(Csq, Irp);
}

/* Called by IoCancelIrp with the cancel spin lock held. */
static VOID IopCsqCancelRoutine(PDEVICE_OBJECT DeviceObject, PIRP Irp)
{
    PIO_CSQ_IRP_CONTEXT Context;
    PIO_CSQ Csq;
    KIRQL Irql;
    UNREFERENCED_PARAMETER(DeviceObject);
    IoReleaseCancelSpinLock(Irp->CancelIrql);
    /* The link was set before the cancel routine, and no remover can take the IRP now. */
    Context = IopCsqContextOf(Irp);
    Csq = Context ? Context->Csq : (PIO_CSQ)IOP_CSQ_LINK(Irp);
    Csq->CsqAcquireLock(Csq, &Irql);
    IopCsqUnlink(Csq, Irp);
    Csq->CsqReleaseLock(Csq, Irql);
    Csq->CsqCompleteCanceledIrp(Csq, Irp);
}

static NTSTATUS IopCsqInitialize(PIO_CSQ Csq, ULONG Type, PIO_CSQ_INSERT_IRP CsqInsertIrp,
                                 PIO_CSQ_REMOVE_IRP CsqRemoveIrp,
                                 PIO_CSQ_PEEK_NEXT_IRP CsqPeekNextIrp,
                                 PIO_CSQ_ACQUIRE_LOCK CsqAcquireLock,
                                 PIO_CSQ_RELEASE_LOCK CsqReleaseLock,
                                 PIO_CSQ_COMPLETE_CANCELED_IRP CsqCompleteCanceledIrp)
{
    Csq->Type = Type;
    Csq->CsqInsertIrp = CsqInsertIrp;
    Csq->CsqRemoveIrp = CsqRemoveIrp;
    Csq->CsqPeekNextIrp = CsqPeekNextIrp;
    Csq->CsqAcquireLock = CsqAcquireLock;
    Csq->CsqReleaseLock = CsqReleaseLock;
    Csq->CsqCompleteCanceledIrp = CsqCompleteCanceledIrp;
    Csq->ReservePointer = NULL;
    return STATUS_SUCCESS;
}

NTSTATUS NTAPI IoCsqInitialize(PIO_CSQ Csq, PIO_CSQ_INSERT_IRP CsqInsertIrp,
                               PIO_CSQ_REMOVE_IRP CsqRemoveIrp,
                               PIO_CSQ_PEEK_NEXT_IRP CsqPeekNextIrp,
                               PIO_CSQ_ACQUIRE_LOCK CsqAcquireLock,
                               PIO_CSQ_RELEASE_LOCK CsqReleaseLock,
                               PIO_CSQ_COMPLETE_CANCELED_IRP CsqCompleteCanceledIrp)
{
    VF_CHECK_IRQL(IoCsqInitialize);
    return IopCsqInitialize(Csq, IO_TYPE_CSQ, CsqInsertIrp, CsqRemoveIrp, CsqPeekNextIrp,
                            CsqAcquireLock, CsqReleaseLock, CsqCompleteCanceledIrp);
}

NTSTATUS NTAPI IoCsqInitializeEx(PIO_CSQ Csq, PIO_CSQ_INSERT_IRP_EX CsqInsertIrp,
                                 PIO_CSQ_REMOVE_IRP CsqRemoveIrp,
                                 PIO_CSQ_PEEK_NEXT_IRP CsqPeekNextIrp,
                                 PIO_CSQ_ACQUIRE_LOCK CsqAcquireLock,
                                 PIO_CSQ_RELEASE_LOCK CsqReleaseLock,
                                 PIO_CSQ_COMPLETE_CANCELED_IRP CsqCompleteCanceledIrp)
{
    VF_CHECK_IRQL(IoCsqInitializeEx);
    /* The Type says which of the two shapes CsqInsertIrp has. */
    return IopCsqInitialize(Csq, IO_TYPE_CSQ_EX, (PIO_CSQ_INSERT_IRP)(PVOID)CsqInsertIrp,
                            CsqRemoveIrp, CsqPeekNextIrp, CsqAcquireLock, CsqReleaseLock,
                            CsqCompleteCanceledIrp);
}

static NTSTATUS IopCsqInsert(PIO_CSQ Csq, PIRP Irp, PIO_CSQ_IRP_CONTEXT Context,
                             PVOID InsertContext)
{
    NTSTATUS Status = STATUS_SUCCESS;
    KIRQL Irql;

    Csq->CsqAcquireLock(Csq, &Irql);
    if (Csq->Type == IO_TYPE_CSQ_EX) {
        Status = ((PIO_CSQ_INSERT_IRP_EX)(PVOID)Csq->CsqInsertIrp)(Csq, Irp, InsertContext);
        /* Not queued: the IRP is the caller's again, untouched. */
        if (!NT_SUCCESS(Status)) {
            Csq->CsqReleaseLock(Csq, Irql);
            return Status;
        }
    } else {
        Csq->CsqInsertIrp(Csq, Irp);
    }
    if (Context) {
        Context->Type = IO_TYPE_CSQ_IRP_CONTEXT;
        Context->Irp = Irp;
        Context->Csq = Csq;
        IOP_CSQ_LINK(Irp) = Context;
    } else {
        IOP_CSQ_LINK(Irp) = Csq;
    }
    /* Pending before the lock goes: from then on another thread may complete it. */
    IoMarkIrpPending(Irp);
    IoSetCancelRoutine(Irp, IopCsqCancelRoutine);
    /* Cancelled before its cancel routine was set: IoCancelIrp found none, so take the IRP
     * back. If the routine is already gone, IoCancelIrp is calling it and it waits for us. */
    if (Irp->Cancel && IoSetCancelRoutine(Irp, NULL) != NULL) {
        IopCsqUnlink(Csq, Irp);
        Csq->CsqReleaseLock(Csq, Irql);
        Csq->CsqCompleteCanceledIrp(Csq, Irp);
        return Status;
    }
    Csq->CsqReleaseLock(Csq, Irql);
    return Status;
}

VOID NTAPI IoCsqInsertIrp(PIO_CSQ Csq, PIRP Irp, PIO_CSQ_IRP_CONTEXT Context)
{
    VF_CHECK_IRQL(IoCsqInsertIrp);
    IopCsqInsert(Csq, Irp, Context, NULL);
}

NTSTATUS NTAPI IoCsqInsertIrpEx(PIO_CSQ Csq, PIRP Irp, PIO_CSQ_IRP_CONTEXT Context,
                                PVOID InsertContext)
{
    VF_CHECK_IRQL(IoCsqInsertIrpEx);
    return IopCsqInsert(Csq, Irp, Context, InsertContext);
}

PIRP NTAPI IoCsqRemoveNextIrp(PIO_CSQ Csq, PVOID PeekContext)
{
    VF_CHECK_IRQL(IoCsqRemoveNextIrp);
    KIRQL Irql;
    PIRP Irp;

    Csq->CsqAcquireLock(Csq, &Irql);
    /* An IRP whose cancel routine is already running is left to it; look further. */
    for (Irp = Csq->CsqPeekNextIrp(Csq, NULL, PeekContext); Irp != NULL;
         Irp = Csq->CsqPeekNextIrp(Csq, Irp, PeekContext)) {
        if (IoSetCancelRoutine(Irp, NULL) != NULL) {
            IopCsqUnlink(Csq, Irp);
            break;
        }
    }
    Csq->CsqReleaseLock(Csq, Irql);
    return Irp;
}

PIRP NTAPI IoCsqRemoveIrp(PIO_CSQ Csq, PIO_CSQ_IRP_CONTEXT Context)
{
    VF_CHECK_IRQL(IoCsqRemoveIrp);
    KIRQL Irql;
    PIRP Irp;

    Csq->CsqAcquireLock(Csq, &Irql);
    Irp = Context->Irp;
    /* NULL: removed already, or its cancel routine owns it. */
    if (Irp != NULL) {
        if (IoSetCancelRoutine(Irp, NULL) != NULL)
            IopCsqUnlink(Csq, Irp);
        else
            Irp = NULL;
    }
    Csq->CsqReleaseLock(Csq, Irql);
    return Irp;
}
