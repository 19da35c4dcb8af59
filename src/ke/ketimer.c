/* Ke: the clock. One list of armed timers, sorted by due time (interrupt time, 100 ns), holds
 * the drivers' KTIMERs and each waiting thread's timeout. The clock thread expires them: a
 * timer is signaled and its DPC queued; a timed-out wait ends with STATUS_TIMEOUT.
 * With virtual time, the clock only moves when every NT thread is blocked in a kernel wait,
 * and then jumps straight to the next due time: long timers finish at once, deterministically. */
#include "ki.h"
#include "../vf/vfddi.h"
#include <linux/futex.h>
#include <stdio.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#define KI_THREAD_TIMER 0x5A /* Header.Signalling marks a thread's wait timer */

BOOLEAN KiVirtualTime;
static NTK_LOCK KiTimerLock;
static LIST_ENTRY KiTimerList = { &KiTimerList, &KiTimerList };
static volatile int KiClockSignal;
static volatile LONG KiBusyThreads;
static volatile ULONGLONG KiVirtualInterruptTime;
static ULONGLONG KiBootInterruptTime, KiBootSystemTime;
static BOOLEAN KiClockRunning;

static ULONGLONG KiHostInterruptTime(VOID)
{
    return KiHostNanoseconds() / 100;
}

ULONGLONG KiQueryInterruptTime(VOID)
{
    if (KiVirtualTime)
        return __atomic_load_n(&KiVirtualInterruptTime, __ATOMIC_ACQUIRE);
    return KiHostInterruptTime();
}

static ULONGLONG KiHostSystemTime(VOID)
{
    struct timespec Now;
    clock_gettime(CLOCK_REALTIME, &Now);
    return (ULONGLONG)Now.tv_sec * 10000000ULL + (ULONGLONG)Now.tv_nsec / 100 +
           116444736000000000ULL; /* 100 ns units since 1601-01-01 */
}

ULONGLONG KiQuerySystemTime(VOID)
{
    if (KiVirtualTime)
        return KiBootSystemTime + (KiQueryInterruptTime() - KiBootInterruptTime);
    return KiHostSystemTime();
}

VOID KiInitializeClock(VOID)
{
    KiBootInterruptTime = KiHostInterruptTime();
    KiVirtualInterruptTime = KiBootInterruptTime;
    KiBootSystemTime = KiHostSystemTime();
}

static VOID KiWakeClock(VOID)
{
    __atomic_store_n(&KiClockSignal, 1, __ATOMIC_SEQ_CST);
    syscall(SYS_futex, &KiClockSignal, FUTEX_WAKE_PRIVATE, 1, NULL, NULL, 0);
}

VOID KiAdvanceVirtualTime(ULONGLONG Delta)
{
    __atomic_add_fetch(&KiVirtualInterruptTime, Delta, __ATOMIC_SEQ_CST);
    KiWakeClock(); /* timers may be due now */
}

/* ---- Busy/idle accounting ---- */

VOID KiThreadStarted(VOID)
{
    InterlockedIncrement(&KiBusyThreads);
}

VOID KiThreadExited(VOID)
{
    if (InterlockedDecrement(&KiBusyThreads) == 0 && KiVirtualTime)
        KiWakeClock();
}

/* Dispatcher lock held: the thread is about to block in a kernel wait. */
VOID KiMarkIdle(PKTHREAD Thread)
{
    if (Thread->Idle)
        return;
    Thread->Idle = TRUE;
    if (InterlockedDecrement(&KiBusyThreads) == 0 && KiVirtualTime)
        KiWakeClock();
}

/* Dispatcher lock held: whoever ends a wait makes the thread busy again at once, so that the
 * clock cannot move on before the woken thread has run. */
VOID KiMarkBusy(PKTHREAD Thread)
{
    if (!Thread->Idle)
        return;
    Thread->Idle = FALSE;
    InterlockedIncrement(&KiBusyThreads);
}

/* ---- The timer list ---- */

ULONGLONG KiAbsoluteDueTime(LONGLONG Timeout)
{
    ULONGLONG Now = KiQueryInterruptTime();
    ULONGLONG System;
    if (Timeout < 0)
        return Now + (ULONGLONG)(-Timeout);
    System = KiQuerySystemTime();
    return (ULONGLONG)Timeout > System ? Now + ((ULONGLONG)Timeout - System) : Now;
}

static BOOLEAN KiTimerInserted(PKTIMER Timer)
{
    return Timer->TimerListEntry.Flink != NULL;
}

/* Timer lock held. Returns TRUE when the timer became the first due. */
static BOOLEAN KiInsertTimer(PKTIMER Timer)
{
    PLIST_ENTRY Entry;
    for (Entry = KiTimerList.Blink; Entry != &KiTimerList; Entry = Entry->Blink) {
        PKTIMER Other = CONTAINING_RECORD(Entry, KTIMER, TimerListEntry);
        if (Other->DueTime.QuadPart <= Timer->DueTime.QuadPart)
            break;
    }
    /* Insert after Entry (the last timer due no later than this one). */
    Timer->TimerListEntry.Flink = Entry->Flink;
    Timer->TimerListEntry.Blink = Entry;
    Entry->Flink->Blink = &Timer->TimerListEntry;
    Entry->Flink = &Timer->TimerListEntry;
    return KiTimerList.Flink == &Timer->TimerListEntry;
}

static VOID KiRemoveTimer(PKTIMER Timer)
{
    RemoveEntryList(&Timer->TimerListEntry);
    Timer->TimerListEntry.Flink = Timer->TimerListEntry.Blink = NULL;
}

VOID KiArmWaitTimer(PKTHREAD Thread, ULONGLONG DueTime)
{
    PKTIMER Timer = &Thread->WaitTimer;
    BOOLEAN First;
    NtkLock(&KiTimerLock);
    if (KiTimerInserted(Timer))
        KiRemoveTimer(Timer);
    Timer->Header.Signalling = KI_THREAD_TIMER;
    Timer->DueTime.QuadPart = DueTime;
    Timer->Period = Thread->WaitSequence;
    First = KiInsertTimer(Timer);
    NtkUnlock(&KiTimerLock);
    if (First)
        KiWakeClock();
}

VOID KiCancelWaitTimer(PKTHREAD Thread)
{
    PKTIMER Timer = &Thread->WaitTimer;
    if (!KiTimerInserted(Timer))
        return;
    NtkLock(&KiTimerLock);
    if (KiTimerInserted(Timer))
        KiRemoveTimer(Timer);
    NtkUnlock(&KiTimerLock);
}

VOID KeInitializeTimerEx(PKTIMER Timer, TIMER_TYPE Type)
{
    VF_CHECK_IRQL(KeInitializeTimerEx);
    Timer->Header.Type = (UCHAR)(Type == NotificationTimer ? TimerNotificationObject
                                                           : TimerSynchronizationObject);
    Timer->Header.Signalling = 0;
    Timer->Header.Size = sizeof(KTIMER) / sizeof(LONG);
    Timer->Header.Reserved1 = 0;
    Timer->Header.SignalState = 0;
    InitializeListHead(&Timer->Header.WaitListHead);
    Timer->DueTime.QuadPart = 0;
    Timer->TimerListEntry.Flink = Timer->TimerListEntry.Blink = NULL;
    Timer->Dpc = NULL;
    Timer->Processor = 0;
    Timer->Period = 0;
}

VOID KeInitializeTimer(PKTIMER Timer)
{
    VF_CHECK_IRQL(KeInitializeTimer);
    KeInitializeTimerEx(Timer, NotificationTimer);
}

BOOLEAN KeSetTimerEx(PKTIMER Timer, LARGE_INTEGER DueTime, LONG Period, PKDPC Dpc)
{
    VF_CHECK_IRQL(KeSetTimerEx);
    BOOLEAN WasSet, First;
    if (KeGetCurrentIrql() > DISPATCH_LEVEL)
        KeBugCheckEx(IRQL_NOT_LESS_OR_EQUAL, (ULONG_PTR)Timer, KeGetCurrentIrql(), 0, 0);
    if (Period < 0)
        KeBugCheckEx(INVALID_DATA_ACCESS_TRAP, (ULONG_PTR)Timer, (ULONG_PTR)Period, 0, 0);
    NtkLock(&KiTimerLock);
    WasSet = KiTimerInserted(Timer);
    if (WasSet)
        KiRemoveTimer(Timer);
    __atomic_store_n(&Timer->Header.SignalState, 0, __ATOMIC_SEQ_CST);
    Timer->DueTime.QuadPart = (LONGLONG)KiAbsoluteDueTime(DueTime.QuadPart);
    Timer->Period = (ULONG)Period;
    Timer->Dpc = Dpc;
    First = KiInsertTimer(Timer);
    NtkUnlock(&KiTimerLock);
    if (First)
        KiWakeClock();
    return WasSet;
}

BOOLEAN KeSetTimer(PKTIMER Timer, LARGE_INTEGER DueTime, PKDPC Dpc)
{
    VF_CHECK_IRQL(KeSetTimer);
    return KeSetTimerEx(Timer, DueTime, 0, Dpc);
}

BOOLEAN KeCancelTimer(PKTIMER Timer)
{
    VF_CHECK_IRQL(KeCancelTimer);
    BOOLEAN WasSet;
    if (KeGetCurrentIrql() > DISPATCH_LEVEL)
        KeBugCheckEx(IRQL_NOT_LESS_OR_EQUAL, (ULONG_PTR)Timer, KeGetCurrentIrql(), 0, 0);
    NtkLock(&KiTimerLock);
    WasSet = KiTimerInserted(Timer);
    if (WasSet)
        KiRemoveTimer(Timer);
    NtkUnlock(&KiTimerLock);
    return WasSet;
}

BOOLEAN KeReadStateTimer(PKTIMER Timer)
{
    VF_CHECK_IRQL(KeReadStateTimer);
    return Timer->Header.SignalState != 0;
}

static BOOLEAN KiInRange(const VOID *Address, ULONG_PTR Base, ULONG_PTR End)
{
    return (ULONG_PTR)Address >= Base && (ULONG_PTR)Address < End;
}

/* An image going away must leave no timer armed and no DPC queued that lives in it or runs
 * its code: otherwise the clock would call into freed memory. */
VOID KiCheckImageUnload(ULONG_PTR Base, ULONG_PTR End)
{
    PLIST_ENTRY Entry;
    ULONG i;
    NtkLock(&KiTimerLock);
    for (Entry = KiTimerList.Flink; Entry != &KiTimerList; Entry = Entry->Flink) {
        PKTIMER Timer = CONTAINING_RECORD(Entry, KTIMER, TimerListEntry);
        if (Timer->Header.Signalling == KI_THREAD_TIMER)
            continue;
        if (KiInRange(Timer, Base, End) ||
            (Timer->Dpc && (KiInRange(Timer->Dpc, Base, End) ||
                            KiInRange((PVOID)Timer->Dpc->DeferredRoutine, Base, End)))) {
            NtkUnlock(&KiTimerLock);
            KdpLog("ntk: a driver is unloading with timer %p still set\n", Timer);
            KeBugCheckEx(TIMER_OR_DPC_INVALID, 0x0, (ULONG_PTR)Timer, Base, End);
        }
    }
    NtkUnlock(&KiTimerLock);
    for (i = 0; i < KiProcessorCount; i++) {
        KPRCB *Prcb = &KiProcessorBlock[i];
        PKDPC Lists[2], Dpc;
        int l;
        NtkLock(&Prcb->DpcLock);
        Lists[0] = Prcb->DpcHead;
        Lists[1] = Prcb->ThreadedHead;
        for (l = 0; l < 2; l++) {
            for (Dpc = Lists[l]; Dpc; Dpc = Dpc->DpcListEntry.Next ? CONTAINING_RECORD(
                                                    Dpc->DpcListEntry.Next, KDPC, DpcListEntry)
                                                                  : NULL) {
                BOOLEAN ObjectIn = KiInRange(Dpc, Base, End);
                if (ObjectIn || KiInRange((PVOID)Dpc->DeferredRoutine, Base, End)) {
                    NtkUnlock(&Prcb->DpcLock);
                    KdpLog("ntk: a driver is unloading with DPC %p still queued\n", Dpc);
                    KeBugCheckEx(TIMER_OR_DPC_INVALID, ObjectIn ? 0x1 : 0x2,
                                 ObjectIn ? (ULONG_PTR)Dpc : (ULONG_PTR)Dpc->DeferredRoutine,
                                 Base, End);
                }
            }
        }
        NtkUnlock(&Prcb->DpcLock);
    }
}

/* Expires one timer, with no lock held. */
static VOID KiExpireTimer(PKTIMER Timer, ULONG Sequence)
{
    if (Timer->Header.Signalling == KI_THREAD_TIMER) {
        PKTHREAD Thread = CONTAINING_RECORD(Timer, KTHREAD, WaitTimer);
        KiAcquireDispatcherLock();
        if (Thread->Waiting && Thread->WaitSequence == Sequence)
            KiUnwaitThread(Thread, STATUS_TIMEOUT);
        KiReleaseDispatcherLock();
        return;
    }
    KiAcquireDispatcherLock();
    Timer->Header.SignalState = 1;
    KiWaitTest(&Timer->Header);
    KiReleaseDispatcherLock();
}

/* Takes the due timers off the list (re-arming periodic ones) and expires them. */
static VOID KiProcessDueTimers(ULONGLONG Now)
{
    for (;;) {
        PKTIMER Timer;
        PKDPC Dpc = NULL;
        ULONG Sequence = 0;
        NtkLock(&KiTimerLock);
        if (IsListEmpty(&KiTimerList)) {
            NtkUnlock(&KiTimerLock);
            return;
        }
        Timer = CONTAINING_RECORD(KiTimerList.Flink, KTIMER, TimerListEntry);
        if ((ULONGLONG)Timer->DueTime.QuadPart > Now) {
            NtkUnlock(&KiTimerLock);
            return;
        }
        KiRemoveTimer(Timer);
        if (Timer->Header.Signalling == KI_THREAD_TIMER) {
            Sequence = Timer->Period;
        } else {
            Dpc = Timer->Dpc;
            if (Timer->Period != 0) {
                Timer->DueTime.QuadPart += (LONGLONG)Timer->Period * 10000;
                if ((ULONGLONG)Timer->DueTime.QuadPart <= Now)
                    Timer->DueTime.QuadPart = (LONGLONG)Now + (LONGLONG)Timer->Period * 10000;
                KiInsertTimer(Timer);
            }
        }
        NtkUnlock(&KiTimerLock);
        KiExpireTimer(Timer, Sequence);
        if (Dpc) {
            ULONGLONG System = KiQuerySystemTime();
            KeInsertQueueDpc(Dpc, (PVOID)(ULONG_PTR)(ULONG)System,
                             (PVOID)(ULONG_PTR)(ULONG)(System >> 32));
        }
    }
}

static ULONGLONG KiNextDueTime(VOID)
{
    ULONGLONG Next = ~0ULL;
    NtkLock(&KiTimerLock);
    if (!IsListEmpty(&KiTimerList))
        Next = (ULONGLONG)CONTAINING_RECORD(KiTimerList.Flink, KTIMER, TimerListEntry)
                   ->DueTime.QuadPart;
    NtkUnlock(&KiTimerLock);
    return Next;
}

static VOID KiClockWait(ULONGLONG HostDeadlineNs)
{
    struct timespec Deadline;
    if (__atomic_exchange_n(&KiClockSignal, 0, __ATOMIC_SEQ_CST) != 0)
        return;
    Deadline.tv_sec = (time_t)(HostDeadlineNs / 1000000000ULL);
    Deadline.tv_nsec = (long)(HostDeadlineNs % 1000000000ULL);
    syscall(SYS_futex, &KiClockSignal, FUTEX_WAIT_BITSET_PRIVATE, 0,
            HostDeadlineNs == ~0ULL ? NULL : &Deadline, NULL, FUTEX_BITSET_MATCH_ANY);
}

/* The watchdog looks every 10 ms even when no timer is due. */
#define KI_CLOCK_TICK_NS 10000000ULL

static VOID KiClockThread(PVOID Context)
{
    BOOLEAN ReportedStall = FALSE;
    UNREFERENCED_PARAMETER(Context);
    /* The clock itself is not a thread that virtual time waits for. */
    KiThreadExited();
    for (;;) {
        ULONGLONG Next;
        KiProcessDueTimers(KiQueryInterruptTime());
        KiDpcWatchdogCheck();
        Next = KiNextDueTime();
        if (!KiVirtualTime) {
            ULONGLONG Now = KiHostInterruptTime(), WaitNs = KI_CLOCK_TICK_NS;
            if (Next != ~0ULL && Next > Now && (Next - Now) * 100 < WaitNs)
                WaitNs = (Next - Now) * 100;
            else if (Next != ~0ULL && Next <= Now)
                continue;
            KiClockWait(KiHostNanoseconds() + WaitNs);
            continue;
        }
        if (__atomic_load_n(&KiBusyThreads, __ATOMIC_SEQ_CST) == 0 && Next != ~0ULL) {
            /* Everyone waits: time jumps to the next due timer. */
            if (Next > KiVirtualInterruptTime)
                __atomic_store_n(&KiVirtualInterruptTime, Next, __ATOMIC_RELEASE);
            ReportedStall = FALSE;
            continue;
        }
        if (__atomic_load_n(&KiBusyThreads, __ATOMIC_SEQ_CST) == 0 && Next == ~0ULL &&
            !ReportedStall) {
            KdpLog("ntk: virtual time: every thread waits and no timer is armed (a deadlock)\n");
            ReportedStall = TRUE;
        }
        KiClockWait(KiHostNanoseconds() + KI_CLOCK_TICK_NS);
    }
}

/* Each processor's DPC thread runs DPCs queued from other processors and threaded DPCs. */
static VOID KiDpcThread(PVOID Context)
{
    KPRCB *Prcb = Context;
    PKTHREAD Thread = KeGetCurrentThread();
    KeSetSystemAffinityThreadEx((KAFFINITY)1 << Prcb->Number);
    KeSetPriorityThread(Thread, HIGH_PRIORITY);
    for (;;) {
        if (__atomic_exchange_n(&Prcb->DpcSignal, 0, __ATOMIC_SEQ_CST) == 0) {
            KiAcquireDispatcherLock();
            KiMarkIdle(Thread);
            KiReleaseDispatcherLock();
            syscall(SYS_futex, &Prcb->DpcSignal, FUTEX_WAIT_PRIVATE, 0, NULL, NULL, 0);
            KiAcquireDispatcherLock();
            KiMarkBusy(Thread);
            KiReleaseDispatcherLock();
            continue;
        }
        KiRetireCurrentDpcs();
        KiRunThreadedDpcs(Prcb);
    }
}

NTSTATUS KiStartSystemThreads(VOID)
{
    HANDLE Handle;
    OBJECT_ATTRIBUTES Attributes;
    NTSTATUS Status;
    ULONG i;
    if (KiClockRunning)
        return STATUS_SUCCESS;
    InitializeObjectAttributes(&Attributes, NULL, OBJ_KERNEL_HANDLE, NULL, NULL);
    for (i = 0; i < KiProcessorCount; i++) {
        Status = PsCreateSystemThread(&Handle, THREAD_ALL_ACCESS, &Attributes, NULL, NULL,
                                      KiDpcThread, &KiProcessorBlock[i]);
        if (!NT_SUCCESS(Status))
            return Status;
        ZwClose(Handle);
    }
    Status = PsCreateSystemThread(&Handle, THREAD_ALL_ACCESS, &Attributes, NULL, NULL,
                                  KiClockThread, NULL);
    if (!NT_SUCCESS(Status))
        return Status;
    ZwClose(Handle);
    KiClockRunning = TRUE;
    return STATUS_SUCCESS;
}
