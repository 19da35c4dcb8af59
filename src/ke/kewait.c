/* Ke: dispatcher objects and waits. One dispatcher lock guards every object's state; a waiting
 * thread links its own wait blocks into the objects and sleeps on its own futex. */
#include "ntkp.h"
#include "../vf/vfddi.h"
#include "../vf/vfdeadlock.h"
#include "ntklock.h"
#include "kdp.h"
#include <errno.h>
#include <linux/futex.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

static NTK_LOCK KiDispatcherLock = NTK_LOCK_INIT;

/* Threads whose waits the lock holder ended: their futex words are set at once, the wake-up
 * calls are made once the lock is dropped, so that a woken thread does not find the lock still
 * held by its waker and sleep a second time on it. */
#define KI_DEFERRED_WAKES 16
static __thread volatile int *KiDeferredWake[KI_DEFERRED_WAKES];
static __thread ULONG KiDeferredWakeCount;

VOID KiAcquireDispatcherLock(VOID)
{
    NtkLock(&KiDispatcherLock);
}

VOID KiReleaseDispatcherLock(VOID)
{
    ULONG i, Count = KiDeferredWakeCount;
    KiDeferredWakeCount = 0;
    NtkUnlock(&KiDispatcherLock);
    /* The woken thread may already have seen its word and gone on: a late wake-up call is a
     * spurious one for whoever waits there now, which every futex waiter here tolerates. */
    for (i = 0; i < Count; i++)
        syscall(SYS_futex, KiDeferredWake[i], FUTEX_WAKE_PRIVATE, 1, NULL, NULL, 0);
}

static BOOLEAN KiIsSignaledFor(PDISPATCHER_HEADER Header, PKTHREAD Thread)
{
    if (Header->Type == MutantObject)
        return Header->SignalState > 0 || ((PKMUTANT)Header)->OwnerThread == Thread;
    /* A run-down queue ends every wait on it, as abandoned (its Signalling byte is Abandoned). */
    if (Header->Type == QueueObject)
        return (Header->SignalState > 0 &&
                ((PKQUEUE)Header)->CurrentCount < ((PKQUEUE)Header)->MaximumCount) ||
               Header->Signalling;
    return Header->SignalState > 0;
}

/* Consumes the signal a satisfied wait takes; returns TRUE for an abandoned mutant. */
static BOOLEAN KiConsume(PDISPATCHER_HEADER Header, PKTHREAD Thread)
{
    switch (Header->Type) {
    case EventSynchronizationObject:
    case TimerSynchronizationObject:
        Header->SignalState = 0;
        return FALSE;
    case SemaphoreObject:
        Header->SignalState--;
        return FALSE;
    case QueueObject:
        /* The waiter claims one entry and takes it off the list after its wait (kequeue.c);
         * it now runs for the queue, so it counts against its concurrency. */
        if (Header->Signalling)
            return TRUE;
        Header->SignalState--;
        if (Thread->Queue == (PKQUEUE)Header && !Thread->QueueActive) {
            ((PKQUEUE)Header)->CurrentCount++;
            Thread->QueueActive = TRUE;
        }
        return FALSE;
    case MutantObject: {
        PKMUTANT Mutant = (PKMUTANT)Header;
        BOOLEAN Abandoned = FALSE;
        Header->SignalState--;
        if (Header->SignalState == 0 && Mutant->OwnerThread != Thread) {
            Mutant->OwnerThread = Thread;
            InsertTailList(&Thread->MutantListHead, &Mutant->MutantListEntry);
            Thread->KernelApcDisable -= Mutant->ApcDisable;
            Abandoned = Mutant->Abandoned;
            Mutant->Abandoned = FALSE;
        }
        return Abandoned;
    }
    default:
        return FALSE;
    }
}

static VOID KiFutexWake(volatile int *Futex)
{
    __atomic_store_n(Futex, 1, __ATOMIC_RELEASE);
    if (KiDeferredWakeCount < KI_DEFERRED_WAKES)
        KiDeferredWake[KiDeferredWakeCount++] = Futex;
    else
        syscall(SYS_futex, Futex, FUTEX_WAKE_PRIVATE, 1, NULL, NULL, 0);
}

/* Ends a thread's wait: unlinks all of its wait blocks, makes it busy and wakes it. */
VOID KiUnwaitThread(PKTHREAD Thread, NTSTATUS Status)
{
    ULONG i;
    for (i = 0; i < Thread->WaitCount; i++)
        RemoveEntryList(&Thread->WaitBlockList[i].WaitListEntry);
    Thread->WaitCount = 0;
    Thread->Waiting = FALSE;
    Thread->WaitStatus = Status;
    /* A thread that gave its queue's place up for this wait runs for the queue again from
     * now, counted before it is woken, as NT counts a readied thread. */
    if (Thread->QueueYielded) {
        Thread->QueueYielded = FALSE;
        if (Thread->Queue != NULL)
            KiQueueResumeAfterWait(Thread, Thread->Queue);
    }
    KiMarkBusy(Thread);
    KiFutexWake(&Thread->WaitFutex);
}

/* Satisfies, in FIFO order, the waits that an object's new state allows. */
VOID KiWaitTest(PDISPATCHER_HEADER Header)
{
    PLIST_ENTRY Entry = Header->WaitListHead.Flink;
    while (Entry != &Header->WaitListHead && Header->SignalState > 0) {
        PKWAIT_BLOCK Block = CONTAINING_RECORD(Entry, KWAIT_BLOCK, WaitListEntry);
        /* A queue wakes no more threads than its concurrency allows to run. */
        if (Header->Type == QueueObject &&
            ((PKQUEUE)Header)->CurrentCount >= ((PKQUEUE)Header)->MaximumCount)
            break;
        PKTHREAD Thread = Block->Thread;
        Entry = Entry->Flink;
        if (Block->WaitType == WaitAny) {
            BOOLEAN Abandoned = KiConsume(Header, Thread);
            KiUnwaitThread(Thread, (Abandoned ? STATUS_ABANDONED_WAIT_0 : STATUS_WAIT_0) +
                                       Block->WaitKey);
        } else {
            ULONG i, Count = Thread->WaitCount;
            for (i = 0; i < Count; i++) {
                if (!KiIsSignaledFor(Thread->WaitBlockList[i].Object, Thread))
                    break;
            }
            if (i == Count) {
                BOOLEAN Abandoned = FALSE;
                for (i = 0; i < Count; i++)
                    Abandoned |= KiConsume(Thread->WaitBlockList[i].Object, Thread);
                /* The list may have changed under us: restart from the head. */
                KiUnwaitThread(Thread, Abandoned ? STATUS_ABANDONED_WAIT_0 : STATUS_WAIT_0);
                Entry = Header->WaitListHead.Flink;
            }
        }
    }
}

VOID KiSignalObject(PDISPATCHER_HEADER Header)
{
    KiAcquireDispatcherLock();
    Header->SignalState = 1;
    KiWaitTest(Header);
    KiReleaseDispatcherLock();
}

static VOID KiCheckWaitIrql(PLARGE_INTEGER Timeout)
{
    KIRQL Irql = KeGetCurrentIrql();
    BOOLEAN Poll = Timeout != NULL && Timeout->QuadPart == 0;
    if (Irql > DISPATCH_LEVEL || (!Poll && Irql > APC_LEVEL))
        KeBugCheckEx(IRQL_NOT_LESS_OR_EQUAL, 0, Irql, 0, 0);
}

/* Dispatcher lock held: takes what a satisfiable wait consumes; STATUS_PENDING if none. */
static NTSTATUS KiTrySatisfy(PKTHREAD Thread, ULONG Count, PVOID Object[], WAIT_TYPE WaitType)
{
    ULONG i;
    if (Count == 0)
        return STATUS_PENDING;
    if (WaitType == WaitAny) {
        for (i = 0; i < Count; i++) {
            if (KiIsSignaledFor(Object[i], Thread)) {
                BOOLEAN Abandoned = KiConsume(Object[i], Thread);
                return (Abandoned ? STATUS_ABANDONED_WAIT_0 : STATUS_WAIT_0) + (NTSTATUS)i;
            }
        }
        return STATUS_PENDING;
    }
    for (i = 0; i < Count; i++)
        if (!KiIsSignaledFor(Object[i], Thread))
            return STATUS_PENDING;
    {
        BOOLEAN Abandoned = FALSE;
        for (i = 0; i < Count; i++)
            Abandoned |= KiConsume(Object[i], Thread);
        return Abandoned ? STATUS_ABANDONED_WAIT_0 : STATUS_WAIT_0;
    }
}

/* Dispatcher lock held: can the first queued kernel APC run now (PASSIVE_LEVEL, no region
 * holding it back)? */
static BOOLEAN KiKernelApcDeliverable(PKTHREAD Thread)
{
    return Thread->KernelApcPending && Thread->Irql == PASSIVE_LEVEL &&
           !Thread->DeliveringApcs && KiFirstKernelApcRunnable(Thread);
}

/* The one wait: Count objects (none for a delay), NT timeouts, alerts and APCs. Kernel APCs
 * are delivered during the wait and the wait continues; a user APC or an alert ends an
 * alertable wait. The timeout runs on the clock, so that it follows virtual time too. */
static NTSTATUS KiWait(PKTHREAD Thread, ULONG Count, PVOID Object[], WAIT_TYPE WaitType,
                       KWAIT_REASON WaitReason, KPROCESSOR_MODE WaitMode, BOOLEAN Alertable,
                       PLARGE_INTEGER Timeout, PKWAIT_BLOCK WaitBlockArray)
{
    ULONGLONG Due = 0;
    NTSTATUS Status;
    ULONG i;

    if (Timeout != NULL && Timeout->QuadPart != 0)
        Due = KiAbsoluteDueTime(Timeout->QuadPart);
    for (;;) {
        KiAcquireDispatcherLock();
        if (KiKernelApcDeliverable(Thread)) {
            KiReleaseDispatcherLock();
            KiDeliverApc(KernelMode);
            continue;
        }
        Status = KiTrySatisfy(Thread, Count, Object, WaitType);
        if (Status != STATUS_PENDING)
            break;
        if (Alertable && Thread->Alerted[WaitMode]) {
            Thread->Alerted[WaitMode] = FALSE;
            Status = STATUS_ALERTED;
            break;
        }
        if (Alertable && WaitMode == UserMode && !IsListEmpty(&Thread->ApcListHead[UserMode])) {
            Thread->UserApcPending = TRUE;
            Status = STATUS_USER_APC;
            break;
        }
        if (WaitMode == UserMode && ((PETHREAD)Thread)->Terminated) {
            Status = STATUS_THREAD_IS_TERMINATING;
            break;
        }
        if ((Timeout != NULL && Timeout->QuadPart == 0) ||
            (Due != 0 && KiQueryInterruptTime() >= Due)) {
            Status = STATUS_TIMEOUT;
            break;
        }

        Thread->WaitBlockList = WaitBlockArray;
        Thread->WaitCount = Count;
        Thread->WaitType = (UCHAR)WaitType;
        Thread->WaitReason = (UCHAR)WaitReason;
        for (i = 0; i < Count; i++) {
            PKWAIT_BLOCK Block = &WaitBlockArray[i];
            Block->Object = Object[i];
            Block->Thread = Thread;
            Block->WaitKey = (USHORT)i;
            Block->WaitType = (UCHAR)WaitType;
            Block->BlockState = 1;
            /* A queue serves its waiters last in, first out, so that the thread that ran last
             * (its cache warm) takes the next entry; other objects serve theirs in order. */
            if (((PDISPATCHER_HEADER)Object[i])->Type == QueueObject)
                InsertHeadList(&((PDISPATCHER_HEADER)Object[i])->WaitListHead,
                               &Block->WaitListEntry);
            else
                InsertTailList(&((PDISPATCHER_HEADER)Object[i])->WaitListHead,
                               &Block->WaitListEntry);
        }
        Thread->Waiting = TRUE;
        Thread->WaitMode = WaitMode;
        Thread->Alertable = Alertable;
        Thread->WaitSequence++;
        Thread->WaitFutex = 0;
        /* KeSetEvent may signal without the lock when it sees no waiter: now that the wait
         * blocks are visible, look once more (each side stores, fences, then reads). */
        __atomic_thread_fence(__ATOMIC_SEQ_CST);
        for (i = 0; i < Count && Thread->Waiting; i++)
            if (((PDISPATCHER_HEADER)Object[i])->SignalState > 0)
                KiWaitTest(Object[i]);
        if (Thread->Waiting) {
            /* A thread that runs for a queue gives its place up while it blocks; first, so
             * that a waiter it wakes is busy before this thread counts as idle (under virtual
             * time, the clock moves when no thread is busy). KiUnwaitThread gives it back. */
            if (Thread->Queue != NULL)
                KiQueueReleaseForWait(Thread, Count, Object);
            if (Due != 0)
                KiArmWaitTimer(Thread, Due);
            KiMarkIdle(Thread);
        }
        if (Thread->Waiting) {
            KiReleaseDispatcherLock();
            /* KiUnwaitThread ends the wait (Waiting, WaitStatus) before it stores 1 here with
             * release order: once 1 is seen the wait is over, and the waker, which still holds
             * the dispatcher lock for its wake-up call, is not waited for a second time. */
            while (__atomic_load_n(&Thread->WaitFutex, __ATOMIC_ACQUIRE) == 0)
                syscall(SYS_futex, &Thread->WaitFutex, FUTEX_WAIT_PRIVATE, 0, NULL, NULL, 0);
            Status = Thread->WaitStatus;
        } else {
            Status = Thread->WaitStatus;
            KiReleaseDispatcherLock();
        }
        KdpNoteProgress();
        if (Due != 0)
            KiCancelWaitTimer(Thread);
        if (Status == STATUS_KERNEL_APC)
            continue; /* deliver it, then wait again */
        return Status;
    }
    KiReleaseDispatcherLock();
    return Status;
}

/* Deadlock detection sees a kernel-mode wait for a mutex the thread does not own as the
 * mutex's acquisition: the orders are recorded before the wait (a poll, which cannot wait,
 * records none), and the mutexes the wait did not take are given back after it. Returns the
 * mutexes noted, as a mask of indexes. */
static ULONGLONG KiNoteMutexWaits(PKTHREAD Thread, ULONG Count, PVOID Object[],
                                  PLARGE_INTEGER Timeout, PVOID Caller)
{
    ULONGLONG Noted = 0;
    ULONG i;
    for (i = 0; i < Count; i++) {
        PKMUTANT Mutant = Object[i];
        if (Mutant->Header.Type != MutantObject ||
            __atomic_load_n(&Mutant->OwnerThread, __ATOMIC_RELAXED) == Thread)
            continue;
        Noted |= 1ULL << i;
        if (Timeout == NULL || Timeout->QuadPart != 0)
            VfDeadlockAcquire(Mutant, VfLockMutex, Caller);
    }
    return Noted;
}

static VOID KiSettleMutexWaits(ULONGLONG Noted, ULONG Count, PVOID Object[], WAIT_TYPE WaitType,
                               PLARGE_INTEGER Timeout, NTSTATUS Status, PVOID Caller)
{
    BOOLEAN Poll = Timeout != NULL && Timeout->QuadPart == 0;
    ULONGLONG Taken = 0;
    ULONG i;
    if (WaitType == WaitAll) {
        if (Status == STATUS_WAIT_0 || Status == STATUS_ABANDONED_WAIT_0)
            Taken = ~0ULL;
    } else if ((ULONG)Status < Count) {
        Taken = 1ULL << (ULONG)Status;
    } else if ((ULONG)(Status - STATUS_ABANDONED_WAIT_0) < Count) {
        Taken = 1ULL << (ULONG)(Status - STATUS_ABANDONED_WAIT_0);
    }
    for (i = 0; i < Count; i++) {
        if (!(Noted & (1ULL << i)))
            continue;
        if (Poll && (Taken & (1ULL << i)))
            VfDeadlockTryAcquired(Object[i], VfLockMutex, Caller);
        else if (!Poll && !(Taken & (1ULL << i)))
            VfDeadlockRelease(Object[i]);
    }
}

static NTSTATUS KiWaitForObjects(ULONG Count, PVOID Object[], WAIT_TYPE WaitType,
                                 KWAIT_REASON WaitReason, KPROCESSOR_MODE WaitMode,
                                 BOOLEAN Alertable, PLARGE_INTEGER Timeout,
                                 PKWAIT_BLOCK WaitBlockArray, PVOID Caller)
{
    PKTHREAD Thread = KeGetCurrentThread();
    ULONGLONG Noted = 0;
    NTSTATUS Status;
    if (Thread->WaitNext) {
        Thread->WaitNext = FALSE;
        KeLowerIrql(Thread->WaitIrql);
    }
    KiCheckWaitIrql(Timeout);
    if (Count == 0 || Count > MAXIMUM_WAIT_OBJECTS ||
        (Count > THREAD_WAIT_OBJECTS && WaitBlockArray == NULL))
        KeBugCheckEx(MAXIMUM_WAIT_OBJECTS_EXCEEDED, Count, 0, 0, 0);
    if (WaitType != WaitAll && WaitType != WaitAny)
        KeBugCheckEx(INVALID_DATA_ACCESS_TRAP, WaitType, 0, 0, 0);
    if (VfDeadlockChecks && WaitMode == KernelMode)
        Noted = KiNoteMutexWaits(Thread, Count, Object, Timeout, Caller);
    Status = KiWait(Thread, Count, Object, WaitType, WaitReason, WaitMode, Alertable, Timeout,
                    WaitBlockArray ? WaitBlockArray : Thread->WaitBlock);
    if (Noted != 0)
        KiSettleMutexWaits(Noted, Count, Object, WaitType, Timeout, Status, Caller);
    return Status;
}

NTSTATUS KeWaitForMultipleObjects(ULONG Count, PVOID Object[], WAIT_TYPE WaitType,
                                  KWAIT_REASON WaitReason, KPROCESSOR_MODE WaitMode,
                                  BOOLEAN Alertable, PLARGE_INTEGER Timeout,
                                  PKWAIT_BLOCK WaitBlockArray)
{
    VF_CHECK_IRQL(KeWaitForMultipleObjects);
    return KiWaitForObjects(Count, Object, WaitType, WaitReason, WaitMode, Alertable, Timeout,
                            WaitBlockArray, __builtin_return_address(0));
}

NTSTATUS KeWaitForSingleObject(PVOID Object, KWAIT_REASON WaitReason, KPROCESSOR_MODE WaitMode,
                               BOOLEAN Alertable, PLARGE_INTEGER Timeout)
{
    VF_CHECK_IRQL(KeWaitForSingleObject);
    return KiWaitForObjects(1, &Object, WaitAny, WaitReason, WaitMode, Alertable, Timeout, NULL,
                            __builtin_return_address(0));
}

NTSTATUS KeDelayExecutionThread(KPROCESSOR_MODE WaitMode, BOOLEAN Alertable,
                                PLARGE_INTEGER Interval)
{
    VF_CHECK_IRQL(KeDelayExecutionThread);
    PKTHREAD Thread = KeGetCurrentThread();
    NTSTATUS Status;
    if (Thread->Irql > APC_LEVEL)
        KeBugCheckEx(IRQL_NOT_LESS_OR_EQUAL, 0, Thread->Irql, 0, 0);
    if (Interval == NULL)
        KeBugCheckEx(INVALID_DATA_ACCESS_TRAP, 0, 0, 0, 0);
    /* A zero interval gives the processor up; alertable, it first looks for an alert or a user
     * APC, as any wait does (KiWait polls: nothing there is STATUS_TIMEOUT at once). */
    if (Interval->QuadPart == 0 && !KiVirtualTime) {
        if (Alertable) {
            Status = KiWait(Thread, 0, NULL, WaitAny, DelayExecution, WaitMode, Alertable,
                            Interval, Thread->WaitBlock);
            if (Status != STATUS_TIMEOUT)
                return Status;
        }
        sched_yield();
        return STATUS_SUCCESS;
    }
    /* A delay is a wait on no object: only its timeout, an alert or an APC ends it. */
    Status = KiWait(Thread, 0, NULL, WaitAny, DelayExecution, WaitMode, Alertable, Interval,
                    Thread->WaitBlock);
    return Status == STATUS_TIMEOUT ? STATUS_SUCCESS : Status;
}

/* Ends a user-mode wait of a thread whose process is being terminated. */
VOID KiWakeForTermination(PKTHREAD Thread)
{
    KiAcquireDispatcherLock();
    if (Thread->Waiting && Thread->WaitMode == UserMode)
        KiUnwaitThread(Thread, STATUS_THREAD_IS_TERMINATING);
    KiReleaseDispatcherLock();
}

