/* Ke: event objects. */
#include "ntkp.h"
#include "../vf/vfddi.h"

/* Wait = TRUE: the caller must wait next; until then it runs at DISPATCH_LEVEL. */
static VOID KiSetWaitNext(VOID)
{
    PKTHREAD Thread = KeGetCurrentThread();
    Thread->WaitIrql = Thread->Irql < DISPATCH_LEVEL ? KfRaiseIrql(DISPATCH_LEVEL) : Thread->Irql;
    Thread->WaitNext = TRUE;
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
    VF_CHECK_IRQL(KeSetEvent);
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
    VF_CHECK_IRQL(KeResetEvent);
    LONG Previous;
    KiAcquireDispatcherLock();
    Previous = Event->Header.SignalState;
    Event->Header.SignalState = 0;
    KiReleaseDispatcherLock();
    return Previous;
}

VOID KeClearEvent(PRKEVENT Event)
{
    VF_CHECK_IRQL(KeClearEvent);
    Event->Header.SignalState = 0;
}

LONG KePulseEvent(PRKEVENT Event, KPRIORITY Increment, BOOLEAN Wait)
{
    VF_CHECK_IRQL(KePulseEvent);
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
    VF_CHECK_IRQL(KeReadStateEvent);
    return Event->Header.SignalState;
}
