/* Ke: deferred procedure calls. Each processor has a queue; its DPCs run at DISPATCH_LEVEL on
 * that processor, in importance order, before it drops below DISPATCH_LEVEL — either in the
 * thread that owns it or in the processor's DPC thread. Threaded DPCs run at PASSIVE_LEVEL in
 * the DPC thread. */
#include "ki.h"
#include "sehp.h"
#include "kdp.h"
#include "../vf/vfddi.h"
#include <linux/futex.h>
#include <sys/syscall.h>
#include <unistd.h>

#define KI_DPC_TARGETED 0x8000 /* Number holds a target processor */

ULONG KiDpcWatchdogMs = 20000; /* 0: no watchdog */

VOID KeInitializeDpc(PRKDPC Dpc, PKDEFERRED_ROUTINE DeferredRoutine, PVOID DeferredContext)
{
    Dpc->TargetInfoAsUlong = 0;
    Dpc->Type = DpcObject;
    Dpc->Importance = MediumImportance;
    Dpc->Number = 0;
    Dpc->DpcListEntry.Next = NULL;
    Dpc->ProcessorHistory = 0;
    Dpc->DeferredRoutine = DeferredRoutine;
    Dpc->DeferredContext = DeferredContext;
    Dpc->SystemArgument1 = Dpc->SystemArgument2 = NULL;
    Dpc->DpcData = NULL;
}

VOID KeInitializeThreadedDpc(PRKDPC Dpc, PKDEFERRED_ROUTINE DeferredRoutine,
                             PVOID DeferredContext)
{
    KeInitializeDpc(Dpc, DeferredRoutine, DeferredContext);
    Dpc->Type = ThreadedDpcObject;
}

VOID KeSetImportanceDpc(PRKDPC Dpc, KDPC_IMPORTANCE Importance)
{
    Dpc->Importance = (UCHAR)Importance;
}

VOID KeSetTargetProcessorDpc(PRKDPC Dpc, CCHAR Number)
{
    if ((ULONG)(UCHAR)Number >= KiProcessorCount)
        KeBugCheckEx(INVALID_AFFINITY_SET, (ULONG_PTR)(UCHAR)Number, KiProcessorCount, 0, 0);
    Dpc->Number = (USHORT)(KI_DPC_TARGETED | (UCHAR)Number);
}

NTSTATUS KeSetTargetProcessorDpcEx(PKDPC Dpc, PPROCESSOR_NUMBER ProcNumber)
{
    if (ProcNumber->Group != 0 || ProcNumber->Number >= KiProcessorCount)
        return STATUS_INVALID_PARAMETER;
    Dpc->Number = (USHORT)(KI_DPC_TARGETED | ProcNumber->Number);
    return STATUS_SUCCESS;
}

VOID KiSignalDpcThread(KPRCB *Prcb)
{
    if (__atomic_exchange_n(&Prcb->DpcSignal, 1, __ATOMIC_SEQ_CST) == 0)
        syscall(SYS_futex, &Prcb->DpcSignal, FUTEX_WAKE_PRIVATE, 1, NULL, NULL, 0);
}

BOOLEAN KeInsertQueueDpc(PRKDPC Dpc, PVOID SystemArgument1, PVOID SystemArgument2)
{
    PKTHREAD Thread = KeGetCurrentThread();
    ULONG Target = (Dpc->Number & KI_DPC_TARGETED) ? (Dpc->Number & 0xFF) : Thread->Processor;
    KPRCB *Prcb = &KiProcessorBlock[Target];
    BOOLEAN Threaded = Dpc->Type == ThreadedDpcObject;

    NtkLock(&Prcb->DpcLock);
    if (Dpc->DpcData != NULL) {
        NtkUnlock(&Prcb->DpcLock);
        return FALSE;
    }
    Dpc->SystemArgument1 = SystemArgument1;
    Dpc->SystemArgument2 = SystemArgument2;
    Dpc->DpcData = Prcb;
    Dpc->DpcListEntry.Next = NULL;
    if (Threaded) {
        if (Prcb->ThreadedTail)
            Prcb->ThreadedTail->DpcListEntry.Next = &Dpc->DpcListEntry;
        else
            Prcb->ThreadedHead = Dpc;
        Prcb->ThreadedTail = Dpc;
    } else if (Dpc->Importance == HighImportance || Prcb->DpcHead == NULL) {
        Dpc->DpcListEntry.Next = Prcb->DpcHead ? &Prcb->DpcHead->DpcListEntry : NULL;
        Prcb->DpcHead = Dpc;
        if (Prcb->DpcTail == NULL)
            Prcb->DpcTail = Dpc;
    } else {
        Prcb->DpcTail->DpcListEntry.Next = &Dpc->DpcListEntry;
        Prcb->DpcTail = Dpc;
    }
    NtkUnlock(&Prcb->DpcLock);

    if (!Threaded && Target == Thread->Processor && Thread->Irql < DISPATCH_LEVEL) {
        /* On this processor, below DISPATCH_LEVEL: it runs before KeInsertQueueDpc returns. */
        KiRetireCurrentDpcs();
    } else if (Threaded || Target != Thread->Processor || Thread->Irql < DISPATCH_LEVEL) {
        /* Not ours: the processor's DPC thread will take it (a thread at DISPATCH_LEVEL
         * owns its processor and drains the queue itself when it drops below). */
        KiSignalDpcThread(Prcb);
    }
    return TRUE;
}

static PKDPC KiNext(PKDPC Dpc)
{
    return Dpc->DpcListEntry.Next ? CONTAINING_RECORD(Dpc->DpcListEntry.Next, KDPC, DpcListEntry)
                                  : NULL;
}

/* Unlinks Dpc from a singly linked queue; TRUE if it was there. */
static BOOLEAN KiUnlink(PKDPC *Head, PKDPC *Tail, PKDPC Dpc)
{
    PKDPC Previous = NULL, Entry;
    for (Entry = *Head; Entry; Previous = Entry, Entry = KiNext(Entry)) {
        if (Entry != Dpc)
            continue;
        if (Previous)
            Previous->DpcListEntry.Next = Dpc->DpcListEntry.Next;
        else
            *Head = KiNext(Dpc);
        if (*Tail == Dpc)
            *Tail = Previous;
        Dpc->DpcListEntry.Next = NULL;
        return TRUE;
    }
    return FALSE;
}

BOOLEAN KeRemoveQueueDpc(PRKDPC Dpc)
{
    KPRCB *Prcb = Dpc->DpcData;
    BOOLEAN Removed = FALSE;
    if (Prcb == NULL)
        return FALSE;
    NtkLock(&Prcb->DpcLock);
    if (Dpc->DpcData == Prcb) {
        Removed = KiUnlink(&Prcb->DpcHead, &Prcb->DpcTail, Dpc) ||
                  KiUnlink(&Prcb->ThreadedHead, &Prcb->ThreadedTail, Dpc);
        Dpc->DpcData = NULL;
    }
    NtkUnlock(&Prcb->DpcLock);
    return Removed;
}

/* Pops the next DPC of a queue, marking it not queued so that its routine may requeue it. */
static PKDPC KiPopDpc(KPRCB *Prcb, BOOLEAN Threaded, PVOID *Arg1, PVOID *Arg2)
{
    PKDPC Dpc;
    NtkLock(&Prcb->DpcLock);
    Dpc = Threaded ? Prcb->ThreadedHead : Prcb->DpcHead;
    if (Dpc) {
        if (Threaded)
            KiUnlink(&Prcb->ThreadedHead, &Prcb->ThreadedTail, Dpc);
        else
            KiUnlink(&Prcb->DpcHead, &Prcb->DpcTail, Dpc);
        *Arg1 = Dpc->SystemArgument1;
        *Arg2 = Dpc->SystemArgument2;
        Dpc->DpcData = NULL;
    }
    NtkUnlock(&Prcb->DpcLock);
    return Dpc;
}

static VOID KiCallDpc(PKDPC Dpc, PVOID Arg1, PVOID Arg2, KIRQL Expected)
{
    PKDEFERRED_ROUTINE Routine = Dpc->DeferredRoutine;
    PKTHREAD Thread = KeGetCurrentThread();
    SHORT ApcDisable = Thread->KernelApcDisable;
    PVOID Frames;
    if (Routine == NULL)
        return;
    /* A DPC runs on top of whatever the thread was doing: it must not see that code's __try
     * frames. */
    Frames = RtlpSehSuspendFrames();
    KdpNoteProgress();
    Routine(Dpc, Dpc->DeferredContext, Arg1, Arg2);
    RtlpSehResumeFrames(Frames);
    if (Thread->Irql != Expected)
        KiIrqlUnexpected(Thread->Irql, Expected, (PVOID)Routine, (ULONG_PTR)Dpc, 0);
    if (Thread->KernelApcDisable != ApcDisable)
        KeBugCheckEx(TIMER_OR_DPC_INVALID, 0x4, (ULONG_PTR)Routine, (ULONG_PTR)(LONG)ApcDisable,
                     (ULONG_PTR)(LONG)Thread->KernelApcDisable);
}

/* Runs the processor's DPCs; the caller owns the processor at DISPATCH_LEVEL. */
VOID KiRetireDpcList(KPRCB *Prcb)
{
    PVOID Arg1, Arg2;
    PKDPC Dpc;
    while ((Dpc = KiPopDpc(Prcb, FALSE, &Arg1, &Arg2)) != NULL) {
        Prcb->DpcStartTime = KiQueryInterruptTime();
        Prcb->CurrentDpc = Dpc;
        KiCallDpc(Dpc, Arg1, Arg2, DISPATCH_LEVEL);
        Prcb->CurrentDpc = NULL;
    }
}

VOID KiRunThreadedDpcs(KPRCB *Prcb)
{
    PVOID Arg1, Arg2;
    PKDPC Dpc;
    while ((Dpc = KiPopDpc(Prcb, TRUE, &Arg1, &Arg2)) != NULL)
        KiCallDpc(Dpc, Arg1, Arg2, PASSIVE_LEVEL);
}

/* Called by the clock: a DPC that has run longer than the watchdog allows stops the system. */
VOID KiDpcWatchdogCheck(VOID)
{
    ULONG i;
    if (KiDpcWatchdogMs == 0)
        return;
    for (i = 0; i < KiProcessorCount; i++) {
        KPRCB *Prcb = &KiProcessorBlock[i];
        PKDPC Dpc = Prcb->CurrentDpc;
        ULONGLONG Start = Prcb->DpcStartTime;
        ULONGLONG Elapsed = KiQueryInterruptTime() - Start; /* 100 ns */
        if (Dpc != NULL && Elapsed > (ULONGLONG)KiDpcWatchdogMs * 10000ULL) {
            KdpLog("ntk: DPC %p (routine %p) on processor %u ran longer than %u ms\n", Dpc,
                   Dpc->DeferredRoutine, i, KiDpcWatchdogMs);
            /* Parameter 1 = 0: a single DPC exceeded its time allotment; 2 and 3 in clock
             * ticks (15.625 ms). */
            KeBugCheckEx(DPC_WATCHDOG_VIOLATION, 0, Elapsed / 156250ULL,
                         (ULONGLONG)KiDpcWatchdogMs * 10000ULL / 156250ULL,
                         (ULONG_PTR)Dpc->DeferredRoutine);
        }
    }
}

/* Waits until every DPC queued so far on every processor has run. */
VOID KeFlushQueuedDpcs(VOID)
{
    VF_CHECK_IRQL(KeFlushQueuedDpcs);
    PKTHREAD Thread = KeGetCurrentThread();
    ULONG i, Saved = Thread->Processor;
    if (Thread->Irql != PASSIVE_LEVEL)
        KeBugCheckEx(IRQL_NOT_LESS_OR_EQUAL, 0, Thread->Irql, 0, 0);
    for (i = 0; i < KiProcessorCount; i++) {
        KPRCB *Prcb = &KiProcessorBlock[i];
        /* Owning a processor runs its queue on the way out; a DPC running now finishes
         * before ownership is granted. */
        Thread->Processor = i;
        KiRetireCurrentDpcs();
        while (__atomic_load_n(&Prcb->ThreadedHead, __ATOMIC_ACQUIRE) != NULL)
            KiRunThreadedDpcs(Prcb);
    }
    Thread->Processor = Saved;
}
