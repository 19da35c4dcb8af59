/* Ke: dispatcher objects and waits. One dispatcher lock guards every object's state; a waiting
 * thread links its own wait blocks into the objects and sleeps on its own futex. */
#include "ntkp.h"
#include "ntklock.h"
#include <errno.h>
#include <linux/futex.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

static NTK_LOCK KiDispatcherLock = NTK_LOCK_INIT;

VOID KiAcquireDispatcherLock(VOID)
{
    NtkLock(&KiDispatcherLock);
}

VOID KiReleaseDispatcherLock(VOID)
{
    NtkUnlock(&KiDispatcherLock);
}

static BOOLEAN KiIsSignaledFor(PDISPATCHER_HEADER Header, PKTHREAD Thread)
{
    if (Header->Type == MutantObject)
        return Header->SignalState > 0 || ((PKMUTANT)Header)->OwnerThread == Thread;
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
    syscall(SYS_futex, Futex, FUTEX_WAKE_PRIVATE, 1, NULL, NULL, 0);
}

/* Ends a thread's wait: unlinks all of its wait blocks and wakes it. */
static VOID KiUnwaitThread(PKTHREAD Thread, NTSTATUS Status)
{
    ULONG i;
    for (i = 0; i < Thread->WaitCount; i++)
        RemoveEntryList(&Thread->WaitBlockList[i].WaitListEntry);
    Thread->Waiting = FALSE;
    Thread->WaitStatus = Status;
    KiFutexWake(&Thread->WaitFutex);
}

/* Satisfies, in FIFO order, the waits that an object's new state allows. */
VOID KiWaitTest(PDISPATCHER_HEADER Header)
{
    PLIST_ENTRY Entry = Header->WaitListHead.Flink;
    while (Entry != &Header->WaitListHead && Header->SignalState > 0) {
        PKWAIT_BLOCK Block = CONTAINING_RECORD(Entry, KWAIT_BLOCK, WaitListEntry);
        PKTHREAD Thread = Block->Thread;
        Entry = Entry->Flink;
        if (Block->WaitType == WaitAny) {
            BOOLEAN Abandoned = KiConsume(Header, Thread);
            KiUnwaitThread(Thread, (Abandoned ? STATUS_ABANDONED_WAIT_0 : STATUS_WAIT_0) +
                                       Block->WaitKey);
        } else {
            ULONG i;
            for (i = 0; i < Thread->WaitCount; i++) {
                if (!KiIsSignaledFor(Thread->WaitBlockList[i].Object, Thread))
                    break;
            }
            if (i == Thread->WaitCount) {
                BOOLEAN Abandoned = FALSE;
                for (i = 0; i < Thread->WaitCount; i++)
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

static struct timespec KiMonotonicNow(VOID)
{
    struct timespec Now;
    clock_gettime(CLOCK_MONOTONIC, &Now);
    return Now;
}

ULONGLONG KiQueryInterruptTime(VOID)
{
    struct timespec Now = KiMonotonicNow();
    return (ULONGLONG)Now.tv_sec * 10000000ULL + (ULONGLONG)Now.tv_nsec / 100;
}

ULONGLONG KiQuerySystemTime(VOID)
{
    struct timespec Now;
    clock_gettime(CLOCK_REALTIME, &Now);
    /* 100 ns units since 1601-01-01. */
    return (ULONGLONG)Now.tv_sec * 10000000ULL + (ULONGLONG)Now.tv_nsec / 100 +
           116444736000000000ULL;
}

/* Converts an NT timeout into an absolute CLOCK_MONOTONIC deadline. */
static struct timespec KiDeadline(LONGLONG Timeout)
{
    ULONGLONG Interrupt = KiQueryInterruptTime();
    ULONGLONG Due;
    struct timespec Deadline;
    if (Timeout < 0) {
        Due = Interrupt + (ULONGLONG)(-Timeout);
    } else {
        ULONGLONG System = KiQuerySystemTime();
        Due = (ULONGLONG)Timeout > System ? Interrupt + ((ULONGLONG)Timeout - System) : Interrupt;
    }
    Deadline.tv_sec = (time_t)(Due / 10000000ULL);
    Deadline.tv_nsec = (long)((Due % 10000000ULL) * 100);
    return Deadline;
}

static BOOLEAN KiDeadlinePassed(const struct timespec *Deadline)
{
    struct timespec Now = KiMonotonicNow();
    return Now.tv_sec > Deadline->tv_sec ||
           (Now.tv_sec == Deadline->tv_sec && Now.tv_nsec >= Deadline->tv_nsec);
}

static VOID KiCheckWaitIrql(PLARGE_INTEGER Timeout)
{
    KIRQL Irql = KeGetCurrentIrql();
    BOOLEAN Poll = Timeout != NULL && Timeout->QuadPart == 0;
    if (Irql > DISPATCH_LEVEL || (!Poll && Irql > APC_LEVEL))
        KeBugCheckEx(IRQL_NOT_LESS_OR_EQUAL, 0, Irql, 0, 0);
}

NTSTATUS KeWaitForMultipleObjects(ULONG Count, PVOID Object[], WAIT_TYPE WaitType,
                                  KWAIT_REASON WaitReason, KPROCESSOR_MODE WaitMode,
                                  BOOLEAN Alertable, PLARGE_INTEGER Timeout,
                                  PKWAIT_BLOCK WaitBlockArray)
{
    PKTHREAD Thread = KeGetCurrentThread();
    struct timespec Deadline = { 0, 0 };
    NTSTATUS Status;
    ULONG i;

    UNREFERENCED_PARAMETER(WaitReason);
    UNREFERENCED_PARAMETER(Alertable);
    if (Thread->WaitNext) {
        Thread->WaitNext = FALSE;
        Thread->Irql = Thread->WaitIrql;
    }
    KiCheckWaitIrql(Timeout);
    if (Count > MAXIMUM_WAIT_OBJECTS || (Count > THREAD_WAIT_OBJECTS && WaitBlockArray == NULL))
        KeBugCheckEx(MAXIMUM_WAIT_OBJECTS_EXCEEDED, Count, 0, 0, 0);
    if (WaitType != WaitAll && WaitType != WaitAny)
        KeBugCheckEx(INVALID_DATA_ACCESS_TRAP, WaitType, 0, 0, 0);
    if (WaitBlockArray == NULL)
        WaitBlockArray = Thread->WaitBlock;
    if (Timeout != NULL && Timeout->QuadPart != 0)
        Deadline = KiDeadline(Timeout->QuadPart);

    KiAcquireDispatcherLock();
    if (WaitType == WaitAny) {
        for (i = 0; i < Count; i++) {
            if (KiIsSignaledFor(Object[i], Thread)) {
                BOOLEAN Abandoned = KiConsume(Object[i], Thread);
                KiReleaseDispatcherLock();
                return (Abandoned ? STATUS_ABANDONED_WAIT_0 : STATUS_WAIT_0) + (NTSTATUS)i;
            }
        }
    } else {
        for (i = 0; i < Count && KiIsSignaledFor(Object[i], Thread); i++)
            ;
        if (i == Count) {
            BOOLEAN Abandoned = FALSE;
            for (i = 0; i < Count; i++)
                Abandoned |= KiConsume(Object[i], Thread);
            KiReleaseDispatcherLock();
            return Abandoned ? STATUS_ABANDONED_WAIT_0 : STATUS_WAIT_0;
        }
    }
    if (Timeout != NULL && Timeout->QuadPart == 0) {
        KiReleaseDispatcherLock();
        return STATUS_TIMEOUT;
    }

    Thread->WaitBlockList = WaitBlockArray;
    Thread->WaitCount = Count;
    Thread->WaitType = (UCHAR)WaitType;
    for (i = 0; i < Count; i++) {
        PKWAIT_BLOCK Block = &WaitBlockArray[i];
        Block->Object = Object[i];
        Block->Thread = Thread;
        Block->WaitKey = (USHORT)i;
        Block->WaitType = (UCHAR)WaitType;
        Block->BlockState = 1;
        InsertTailList(&((PDISPATCHER_HEADER)Object[i])->WaitListHead, &Block->WaitListEntry);
    }
    Thread->Waiting = TRUE;
    Thread->WaitMode = WaitMode;
    Thread->WaitFutex = 0;
    if (WaitMode == UserMode && ((PETHREAD)Thread)->Terminated)
        KiUnwaitThread(Thread, STATUS_THREAD_IS_TERMINATING);
    /* KeSetEvent may signal without the lock when it sees no waiter: now that the wait blocks
     * are visible, look once more (each side stores, fences, then reads the other's state). */
    __atomic_thread_fence(__ATOMIC_SEQ_CST);
    for (i = 0; i < Count && Thread->Waiting; i++)
        if (((PDISPATCHER_HEADER)Object[i])->SignalState > 0)
            KiWaitTest(Object[i]);

    for (;;) {
        int Rc = 0;
        KiReleaseDispatcherLock();
        if (__atomic_load_n(&Thread->WaitFutex, __ATOMIC_ACQUIRE) == 0)
            Rc = (int)syscall(SYS_futex, &Thread->WaitFutex,
                              FUTEX_WAIT_BITSET_PRIVATE, 0, Timeout ? &Deadline : NULL, NULL,
                              FUTEX_BITSET_MATCH_ANY);
        (void)Rc;
        KiAcquireDispatcherLock();
        if (!Thread->Waiting)
            break;
        if (Timeout != NULL && KiDeadlinePassed(&Deadline)) {
            for (i = 0; i < Count; i++)
                RemoveEntryList(&WaitBlockArray[i].WaitListEntry);
            Thread->Waiting = FALSE;
            Thread->WaitStatus = STATUS_TIMEOUT;
            break;
        }
    }
    Status = Thread->WaitStatus;
    Thread->WaitCount = 0;
    KiReleaseDispatcherLock();
    return Status;
}

NTSTATUS KeWaitForSingleObject(PVOID Object, KWAIT_REASON WaitReason, KPROCESSOR_MODE WaitMode,
                               BOOLEAN Alertable, PLARGE_INTEGER Timeout)
{
    return KeWaitForMultipleObjects(1, &Object, WaitAny, WaitReason, WaitMode, Alertable, Timeout,
                                    NULL);
}

NTSTATUS KeDelayExecutionThread(KPROCESSOR_MODE WaitMode, BOOLEAN Alertable,
                                PLARGE_INTEGER Interval)
{
    PKTHREAD Thread = KeGetCurrentThread();
    struct timespec Deadline;
    NTSTATUS Status = STATUS_SUCCESS;
    UNREFERENCED_PARAMETER(Alertable);
    if (KeGetCurrentIrql() > APC_LEVEL)
        KeBugCheckEx(IRQL_NOT_LESS_OR_EQUAL, 0, KeGetCurrentIrql(), 0, 0);
    if (Interval == NULL)
        KeBugCheckEx(INVALID_DATA_ACCESS_TRAP, 0, 0, 0, 0);
    if (Interval->QuadPart == 0) {
        sched_yield();
        return STATUS_SUCCESS;
    }
    Deadline = KiDeadline(Interval->QuadPart);
    /* A delay is a wait on no object: only its deadline (or termination) ends it. */
    KiAcquireDispatcherLock();
    Thread->WaitCount = 0;
    Thread->WaitBlockList = Thread->WaitBlock;
    Thread->Waiting = TRUE;
    Thread->WaitMode = WaitMode;
    Thread->WaitFutex = 0;
    if (WaitMode == UserMode && ((PETHREAD)Thread)->Terminated)
        KiUnwaitThread(Thread, STATUS_THREAD_IS_TERMINATING);
    for (;;) {
        KiReleaseDispatcherLock();
        if (__atomic_load_n(&Thread->WaitFutex, __ATOMIC_ACQUIRE) == 0)
            syscall(SYS_futex, &Thread->WaitFutex, FUTEX_WAIT_BITSET_PRIVATE, 0, &Deadline, NULL,
                    FUTEX_BITSET_MATCH_ANY);
        KiAcquireDispatcherLock();
        if (!Thread->Waiting) {
            Status = Thread->WaitStatus == STATUS_THREAD_IS_TERMINATING ? STATUS_ALERTED
                                                                        : STATUS_SUCCESS;
            break;
        }
        if (KiDeadlinePassed(&Deadline)) {
            Thread->Waiting = FALSE;
            break;
        }
    }
    KiReleaseDispatcherLock();
    return Status;
}

/* Ends a user-mode wait of a thread whose process is being terminated. */
VOID KiWakeForTermination(PKTHREAD Thread)
{
    KiAcquireDispatcherLock();
    if (Thread->Waiting && Thread->WaitMode == UserMode)
        KiUnwaitThread(Thread, STATUS_THREAD_IS_TERMINATING);
    KiReleaseDispatcherLock();
}

/* Wait = TRUE: the caller must wait next; until then it runs at DISPATCH_LEVEL. */
static VOID KiSetWaitNext(VOID)
{
    PKTHREAD Thread = KiCurrentThread;
    Thread->WaitIrql = Thread->Irql;
    Thread->WaitNext = TRUE;
    Thread->Irql = DISPATCH_LEVEL;
}

/* Events. */
VOID KeInitializeEvent(PRKEVENT Event, EVENT_TYPE Type, BOOLEAN State)
{
    Event->Header.Type = (UCHAR)(Type == NotificationEvent ? EventNotificationObject
                                                           : EventSynchronizationObject);
    Event->Header.Signalling = 0;
    Event->Header.Size = sizeof(KEVENT) / sizeof(LONG);
    Event->Header.Reserved1 = 0;
    Event->Header.SignalState = State ? 1 : 0;
    InitializeListHead(&Event->Header.WaitListHead);
}

LONG KeSetEvent(PRKEVENT Event, KPRIORITY Increment, BOOLEAN Wait)
{
    LONG Previous;
    UNREFERENCED_PARAMETER(Increment);
    if (KeGetCurrentIrql() > DISPATCH_LEVEL)
        KeBugCheckEx(IRQL_NOT_LESS_OR_EQUAL, (ULONG_PTR)Event, KeGetCurrentIrql(), 0, 0);
    if (!Wait) {
        /* No waiter, no lock: waiters look again after linking their wait blocks. */
        Previous = __atomic_exchange_n(&Event->Header.SignalState, 1, __ATOMIC_SEQ_CST);
        if (__atomic_load_n(&Event->Header.WaitListHead.Flink, __ATOMIC_SEQ_CST) ==
            &Event->Header.WaitListHead)
            return Previous;
        KiAcquireDispatcherLock();
        KiWaitTest(&Event->Header);
        KiReleaseDispatcherLock();
        return Previous;
    }
    KiAcquireDispatcherLock();
    Previous = Event->Header.SignalState;
    Event->Header.SignalState = 1;
    KiWaitTest(&Event->Header);
    KiReleaseDispatcherLock();
    /* With Wait = TRUE the caller must wait next: it returns at DISPATCH_LEVEL. */
    if (Wait)
        KiSetWaitNext();
    return Previous;
}

LONG KeResetEvent(PRKEVENT Event)
{
    LONG Previous;
    KiAcquireDispatcherLock();
    Previous = Event->Header.SignalState;
    Event->Header.SignalState = 0;
    KiReleaseDispatcherLock();
    return Previous;
}

VOID KeClearEvent(PRKEVENT Event)
{
    Event->Header.SignalState = 0;
}

LONG KePulseEvent(PRKEVENT Event, KPRIORITY Increment, BOOLEAN Wait)
{
    LONG Previous;
    UNREFERENCED_PARAMETER(Increment);
    KiAcquireDispatcherLock();
    Previous = Event->Header.SignalState;
    if (Previous == 0) {
        Event->Header.SignalState = 1;
        KiWaitTest(&Event->Header);
    }
    Event->Header.SignalState = 0;
    KiReleaseDispatcherLock();
    if (Wait)
        KiSetWaitNext();
    return Previous;
}

LONG KeReadStateEvent(PRKEVENT Event)
{
    return Event->Header.SignalState;
}
