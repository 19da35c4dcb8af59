/* Ke: asynchronous procedure calls. Each thread has a kernel-mode and a user-mode queue.
 * Special kernel APCs (no normal routine) run at APC_LEVEL whenever the thread is at
 * PASSIVE_LEVEL outside a guarded region; normal kernel APCs also need it outside a critical
 * region; user APCs run only when the thread waits alertably in user mode. Delivery points:
 * lowering to PASSIVE_LEVEL, leaving a region, kernel waits, and system-service entry and
 * exit (ntk cannot interrupt a thread, so these are where a pending APC is noticed). */
#include "ntkp.h"
#include "sehp.h"
#include "../vf/vfddi.h"

#define APC_KERNEL_ROUTINE(Apc) ((PKKERNEL_ROUTINE)(Apc)->Reserved[0])
#define APC_RUNDOWN_ROUTINE(Apc) ((PKRUNDOWN_ROUTINE)(Apc)->Reserved[1])
#define APC_NORMAL_ROUTINE(Apc) ((PKNORMAL_ROUTINE)(Apc)->Reserved[2])

VOID KeInitializeApc(PRKAPC Apc, PRKTHREAD Thread, KAPC_ENVIRONMENT Environment,
                     PKKERNEL_ROUTINE KernelRoutine, PKRUNDOWN_ROUTINE RundownRoutine,
                     PKNORMAL_ROUTINE NormalRoutine, KPROCESSOR_MODE ProcessorMode,
                     PVOID NormalContext)
{
    Apc->Type = ApcObject;
    Apc->SpareByte0 = 0;
    Apc->Size = sizeof(KAPC);
    Apc->SpareByte1 = 0;
    Apc->SpareLong0 = 0;
    Apc->Thread = Thread;
    Apc->ApcListEntry.Flink = Apc->ApcListEntry.Blink = NULL;
    Apc->Reserved[0] = *(PVOID *)&KernelRoutine;
    Apc->Reserved[1] = *(PVOID *)&RundownRoutine;
    Apc->Reserved[2] = *(PVOID *)&NormalRoutine;
    /* A special APC (no normal routine) is always a kernel-mode APC. */
    Apc->ApcMode = NormalRoutine ? ProcessorMode : KernelMode;
    Apc->NormalContext = NormalRoutine ? NormalContext : NULL;
    Apc->SystemArgument1 = Apc->SystemArgument2 = NULL;
    Apc->ApcStateIndex = (CCHAR)(Environment == CurrentApcEnvironment ? OriginalApcEnvironment
                                                                      : Environment);
    Apc->Inserted = FALSE;
}

static BOOLEAN KiIsSpecialApc(PKAPC Apc)
{
    return APC_NORMAL_ROUTINE(Apc) == NULL;
}

BOOLEAN KeInsertQueueApc(PRKAPC Apc, PVOID SystemArgument1, PVOID SystemArgument2,
                         KPRIORITY Increment)
{
    VF_CHECK_IRQL(KeInsertQueueApc);
    PKTHREAD Thread = Apc->Thread;
    PLIST_ENTRY Head;
    UNREFERENCED_PARAMETER(Increment);
    if (KeGetCurrentIrql() > DISPATCH_LEVEL)
        KeBugCheckEx(IRQL_NOT_LESS_OR_EQUAL, (ULONG_PTR)Apc, KeGetCurrentIrql(), 0, 0);
    KiAcquireDispatcherLock();
    if (Apc->Inserted || !Thread->ApcQueueable) {
        KiReleaseDispatcherLock();
        return FALSE;
    }
    Apc->SystemArgument1 = SystemArgument1;
    Apc->SystemArgument2 = SystemArgument2;
    Apc->Inserted = TRUE;
    Head = &Thread->ApcListHead[(int)Apc->ApcMode];
    if (Apc->ApcMode == KernelMode && KiIsSpecialApc(Apc)) {
        /* Special APCs go after the special ones already queued, before the normal ones. */
        PLIST_ENTRY Entry = Head->Flink;
        while (Entry != Head &&
               KiIsSpecialApc(CONTAINING_RECORD(Entry, KAPC, ApcListEntry)))
            Entry = Entry->Flink;
        InsertTailList(Entry, &Apc->ApcListEntry);
    } else {
        InsertTailList(Head, &Apc->ApcListEntry);
    }
    if (Apc->ApcMode == KernelMode) {
        Thread->KernelApcPending = TRUE;
        /* A thread waiting at PASSIVE_LEVEL takes the APC now, then waits again. */
        if (Thread->Waiting && Thread->Irql == PASSIVE_LEVEL && Thread->SpecialApcDisable == 0 &&
            (KiIsSpecialApc(Apc) || Thread->KernelApcDisable == 0))
            KiUnwaitThread(Thread, STATUS_KERNEL_APC);
    } else if (Thread->Waiting && Thread->Alertable && Thread->WaitMode == UserMode) {
        Thread->UserApcPending = TRUE;
        KiUnwaitThread(Thread, STATUS_USER_APC);
    }
    KiReleaseDispatcherLock();
    if (Thread == KiCurrentThread && Apc->ApcMode == KernelMode &&
        Thread->Irql == PASSIVE_LEVEL)
        KiDeliverApc(KernelMode);
    return TRUE;
}

/* Takes a queued APC back; FALSE if it already ran or is running. */
BOOLEAN KiRemoveQueueApc(PKAPC Apc)
{
    BOOLEAN Removed = FALSE;
    KiAcquireDispatcherLock();
    if (Apc->Inserted) {
        RemoveEntryList(&Apc->ApcListEntry);
        Apc->Inserted = FALSE;
        Removed = TRUE;
    }
    KiReleaseDispatcherLock();
    return Removed;
}

/* At thread exit: no more APCs; the kernel ones still queued run, the user ones are run down. */
VOID KiRundownApcs(PKTHREAD Thread)
{
    KiAcquireDispatcherLock();
    Thread->ApcQueueable = FALSE;
    KiReleaseDispatcherLock();
    Thread->SpecialApcDisable = 0;
    Thread->KernelApcDisable = 0;
    KiDeliverApc(KernelMode);
    for (;;) {
        PKAPC Apc;
        PKRUNDOWN_ROUTINE Rundown;
        KiAcquireDispatcherLock();
        if (IsListEmpty(&Thread->ApcListHead[UserMode])) {
            KiReleaseDispatcherLock();
            return;
        }
        Apc = CONTAINING_RECORD(RemoveHeadList(&Thread->ApcListHead[UserMode]), KAPC,
                                ApcListEntry);
        Apc->Inserted = FALSE;
        KiReleaseDispatcherLock();
        Rundown = APC_RUNDOWN_ROUTINE(Apc);
        if (Rundown)
            Rundown(Apc);
    }
}

/* Dispatcher lock held: the next kernel APC this thread may run now, unlinked. */
static PKAPC KiNextKernelApc(PKTHREAD Thread)
{
    PLIST_ENTRY Head = &Thread->ApcListHead[KernelMode], Entry;
    for (Entry = Head->Flink; Entry != Head; Entry = Entry->Flink) {
        PKAPC Apc = CONTAINING_RECORD(Entry, KAPC, ApcListEntry);
        if (KiIsSpecialApc(Apc)) {
            if (Thread->SpecialApcDisable != 0)
                return NULL;
        } else if (Thread->KernelApcDisable != 0 || Thread->KernelApcInProgress ||
                   Thread->SpecialApcDisable != 0) {
            return NULL;
        }
        RemoveEntryList(&Apc->ApcListEntry);
        Apc->Inserted = FALSE;
        return Apc;
    }
    return NULL;
}

/* Dispatcher lock held. */
BOOLEAN KiFirstKernelApcRunnable(PKTHREAD Thread)
{
    PLIST_ENTRY Head = &Thread->ApcListHead[KernelMode];
    PKAPC Apc;
    if (IsListEmpty(Head) || Thread->SpecialApcDisable != 0)
        return FALSE;
    Apc = CONTAINING_RECORD(Head->Flink, KAPC, ApcListEntry);
    return KiIsSpecialApc(Apc) || (Thread->KernelApcDisable == 0 && !Thread->KernelApcInProgress);
}

BOOLEAN KiHasDeliverableKernelApc(PKTHREAD Thread)
{
    BOOLEAN Deliverable;
    KiAcquireDispatcherLock();
    Deliverable = KiFirstKernelApcRunnable(Thread);
    KiReleaseDispatcherLock();
    return Deliverable;
}

/* Runs an unlinked APC's kernel routine at APC_LEVEL; it may change the normal routine and
 * its arguments, or free the APC. Returns the kernel routine that ran. */
static PKKERNEL_ROUTINE KiCallKernelRoutine(PKTHREAD Thread, PKAPC Apc,
                                            PKNORMAL_ROUTINE *NormalRoutine, PVOID *NormalContext,
                                            PVOID *Argument1, PVOID *Argument2)
{
    PKKERNEL_ROUTINE KernelRoutine = APC_KERNEL_ROUTINE(Apc);
    PVOID Frames;
    *NormalRoutine = APC_NORMAL_ROUTINE(Apc);
    *NormalContext = Apc->NormalContext;
    *Argument1 = Apc->SystemArgument1;
    *Argument2 = Apc->SystemArgument2;
    Thread->Irql = APC_LEVEL;
    /* An APC interrupts the thread: it does not see the interrupted code's __try frames. */
    Frames = RtlpSehSuspendFrames();
    KernelRoutine(Apc, NormalRoutine, NormalContext, Argument1, Argument2);
    RtlpSehResumeFrames(Frames);
    Thread->Irql = PASSIVE_LEVEL;
    return KernelRoutine;
}

/* Runs the kernel APCs the thread may run now; it is at PASSIVE_LEVEL. */
VOID KiDeliverApc(KPROCESSOR_MODE DeliveryMode)
{
    PKTHREAD Thread = KeGetCurrentThread();
    UNREFERENCED_PARAMETER(DeliveryMode);
    if (Thread->DeliveringApcs || Thread->Irql != PASSIVE_LEVEL)
        return;
    Thread->DeliveringApcs = TRUE;
    for (;;) {
        PKKERNEL_ROUTINE KernelRoutine;
        PKNORMAL_ROUTINE NormalRoutine;
        PVOID NormalContext, Argument1, Argument2;
        PKAPC Apc;
        KiAcquireDispatcherLock();
        Apc = KiNextKernelApc(Thread);
        if (Apc == NULL) {
            Thread->KernelApcPending = !IsListEmpty(&Thread->ApcListHead[KernelMode]);
            KiReleaseDispatcherLock();
            break;
        }
        KiReleaseDispatcherLock();
        KernelRoutine = KiCallKernelRoutine(Thread, Apc, &NormalRoutine, &NormalContext,
                                            &Argument1, &Argument2);
        if (NormalRoutine) {
            PVOID Frames = RtlpSehSuspendFrames();
            Thread->KernelApcInProgress = TRUE;
            NormalRoutine(NormalContext, Argument1, Argument2);
            Thread->KernelApcInProgress = FALSE;
            RtlpSehResumeFrames(Frames);
        }
        if (Thread->Irql != PASSIVE_LEVEL)
            KiIrqlUnexpected(Thread->Irql, PASSIVE_LEVEL, (PVOID)KernelRoutine, 0,
                             (ULONG_PTR)NormalRoutine);
    }
    Thread->DeliveringApcs = FALSE;
}

/* After an alertable user-mode wait returned STATUS_USER_APC: runs the user APCs, their
 * normal routines in user mode. TRUE if any ran. */
BOOLEAN KiDeliverUserApcs(VOID)
{
    PKTHREAD Thread = KeGetCurrentThread();
    BOOLEAN Any = FALSE;
    for (;;) {
        PKNORMAL_ROUTINE NormalRoutine;
        PVOID NormalContext, Argument1, Argument2;
        PKAPC Apc;
        KiAcquireDispatcherLock();
        if (IsListEmpty(&Thread->ApcListHead[UserMode])) {
            Thread->UserApcPending = FALSE;
            KiReleaseDispatcherLock();
            return Any;
        }
        Apc = CONTAINING_RECORD(RemoveHeadList(&Thread->ApcListHead[UserMode]), KAPC,
                                ApcListEntry);
        Apc->Inserted = FALSE;
        KiReleaseDispatcherLock();
        KiCallKernelRoutine(Thread, Apc, &NormalRoutine, &NormalContext, &Argument1, &Argument2);
        if (NormalRoutine) {
            KPROCESSOR_MODE Saved = Thread->ExecutingMode;
            PVOID Frames = RtlpSehSuspendFrames();
            Thread->ExecutingMode = UserMode;
            NormalRoutine(NormalContext, Argument1, Argument2);
            Thread->ExecutingMode = Saved;
            RtlpSehResumeFrames(Frames);
        }
        Any = TRUE;
    }
}

VOID KiCheckForKernelApcDelivery(VOID)
{
    PKTHREAD Thread = KiCurrentThread;
    if (Thread && Thread->KernelApcPending && Thread->Irql == PASSIVE_LEVEL)
        KiDeliverApc(KernelMode);
}

/* Regions. */
VOID KeEnterCriticalRegion(VOID)
{
    VF_CHECK_IRQL(KeEnterCriticalRegion);
    KeGetCurrentThread()->KernelApcDisable--;
}

VOID KeLeaveCriticalRegion(VOID)
{
    VF_CHECK_IRQL(KeLeaveCriticalRegion);
    PKTHREAD Thread = KeGetCurrentThread();
    if (++Thread->KernelApcDisable == 0)
        KiCheckForKernelApcDelivery();
}

VOID KeEnterGuardedRegion(VOID)
{
    VF_CHECK_IRQL(KeEnterGuardedRegion);
    KeGetCurrentThread()->SpecialApcDisable--;
}

VOID KeLeaveGuardedRegion(VOID)
{
    VF_CHECK_IRQL(KeLeaveGuardedRegion);
    PKTHREAD Thread = KeGetCurrentThread();
    if (++Thread->SpecialApcDisable == 0)
        KiCheckForKernelApcDelivery();
}

BOOLEAN KeAreApcsDisabled(VOID)
{
    VF_CHECK_IRQL(KeAreApcsDisabled);
    PKTHREAD Thread = KeGetCurrentThread();
    return Thread->KernelApcDisable != 0 || Thread->SpecialApcDisable != 0;
}

BOOLEAN KeAreAllApcsDisabled(VOID)
{
    VF_CHECK_IRQL(KeAreAllApcsDisabled);
    PKTHREAD Thread = KeGetCurrentThread();
    return Thread->SpecialApcDisable != 0 || Thread->Irql >= APC_LEVEL;
}

/* Alerts. */
BOOLEAN KeAlertThread(PKTHREAD Thread, KPROCESSOR_MODE AlertMode)
{
    VF_CHECK_IRQL(KeAlertThread);
    BOOLEAN Previous;
    KiAcquireDispatcherLock();
    Previous = Thread->Alerted[(int)AlertMode];
    if (!Previous) {
        if (Thread->Waiting && Thread->Alertable &&
            (AlertMode == KernelMode || Thread->WaitMode == UserMode))
            KiUnwaitThread(Thread, STATUS_ALERTED);
        else
            Thread->Alerted[(int)AlertMode] = TRUE;
    }
    KiReleaseDispatcherLock();
    return Previous;
}

BOOLEAN KeTestAlertThread(KPROCESSOR_MODE AlertMode)
{
    VF_CHECK_IRQL(KeTestAlertThread);
    PKTHREAD Thread = KeGetCurrentThread();
    BOOLEAN Alerted;
    KiAcquireDispatcherLock();
    Alerted = Thread->Alerted[(int)AlertMode];
    Thread->Alerted[(int)AlertMode] = FALSE;
    if (AlertMode == UserMode && !IsListEmpty(&Thread->ApcListHead[UserMode]))
        Thread->UserApcPending = TRUE;
    KiReleaseDispatcherLock();
    return Alerted;
}
