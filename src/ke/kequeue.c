/* Ke: queue objects (KQUEUE), the dispatcher object under an I/O completion port. The entry
 * list and the count of unclaimed entries (Header.SignalState) are guarded by the dispatcher
 * lock. A satisfied wait claims one entry (kewait.c consumes one count); the waiter then takes
 * the list's head, which exists because claims never outnumber entries. Waiters are served
 * LIFO (kewait.c links a queue's wait blocks at the head).
 *
 * Concurrency: a thread that removes from a queue is associated with it (KTHREAD.Queue, on the
 * queue's ThreadListHead). CurrentCount counts the associated threads that are running: not
 * those waiting on the queue, nor those blocked in any other wait (kewait.c releases the place
 * when the thread blocks and takes it back when it wakes, possibly exceeding MaximumCount for
 * a while, as on Windows). A waiter is woken only while CurrentCount < MaximumCount. */
#include "ntkp.h"
#include "../vf/vfddi.h"

VOID KeInitializeQueue(PRKQUEUE Queue, ULONG Count)
{
    VF_CHECK_IRQL(KeInitializeQueue);
    Queue->Header.Type = QueueObject;
    Queue->Header.Signalling = FALSE; /* Abandoned */
    Queue->Header.Size = sizeof(KQUEUE) / sizeof(LONG);
    Queue->Header.Reserved1 = 0;
    Queue->Header.SignalState = 0;
    InitializeListHead(&Queue->Header.WaitListHead);
    InitializeListHead(&Queue->EntryListHead);
    InitializeListHead(&Queue->ThreadListHead);
    Queue->CurrentCount = 0;
    /* Zero means one thread per processor. */
    Queue->MaximumCount = Count != 0 ? Count : KiProcessorCount;
}

static LONG KiInsertQueue(PRKQUEUE Queue, PLIST_ENTRY Entry, BOOLEAN Head)
{
    LONG Previous;
    KIRQL Irql = KfRaiseIrql(DISPATCH_LEVEL);
    KiAcquireDispatcherLock();
    Previous = Queue->Header.SignalState;
    if (Head)
        InsertHeadList(&Queue->EntryListHead, Entry);
    else
        InsertTailList(&Queue->EntryListHead, Entry);
    Queue->Header.SignalState++;
    KiWaitTest(&Queue->Header);
    KiReleaseDispatcherLock();
    KeLowerIrql(Irql);
    return Previous;
}

LONG KeInsertQueue(PRKQUEUE Queue, PLIST_ENTRY Entry)
{
    VF_CHECK_IRQL(KeInsertQueue);
    return KiInsertQueue(Queue, Entry, FALSE);
}

LONG KeInsertHeadQueue(PRKQUEUE Queue, PLIST_ENTRY Entry)
{
    VF_CHECK_IRQL(KeInsertHeadQueue);
    return KiInsertQueue(Queue, Entry, TRUE);
}

/* Takes up to Count further entries without waiting (the caller holds no claim on them). */
ULONG KiRemoveQueueMore(PRKQUEUE Queue, PLIST_ENTRY Entries[], ULONG Count)
{
    ULONG Taken = 0;
    KiAcquireDispatcherLock();
    while (Taken < Count && Queue->Header.SignalState > 0 && !Queue->Header.Signalling) {
        Queue->Header.SignalState--;
        Entries[Taken++] = RemoveHeadList(&Queue->EntryListHead);
    }
    KiReleaseDispatcherLock();
    return Taken;
}

/* Dispatcher lock held: the thread leaves its queue; a running thread's place goes to a
 * waiter. */
static VOID KiDisassociate(PKTHREAD Thread)
{
    PRKQUEUE Queue = Thread->Queue;
    RemoveEntryList(&Thread->QueueListEntry);
    InitializeListHead(&Thread->QueueListEntry);
    Thread->Queue = NULL;
    if (Thread->QueueActive) {
        Thread->QueueActive = FALSE;
        Queue->CurrentCount--;
        KiWaitTest(&Queue->Header);
    }
}

/* Dispatcher lock held, the thread about to block in a wait: a thread running for a queue,
 * unless it waits on that queue, gives its place up (which may wake a waiter). TRUE if so. */
BOOLEAN KiQueueReleaseForWait(PKTHREAD Thread, ULONG Count, PVOID Object[])
{
    PRKQUEUE Queue = Thread->Queue;
    ULONG i;
    if (!Thread->QueueActive)
        return FALSE;
    for (i = 0; i < Count; i++)
        if (Object[i] == Queue)
            return FALSE;
    Thread->QueueActive = FALSE;
    Thread->QueueYielded = TRUE; /* KiUnwaitThread gives the place back */
    Queue->CurrentCount--;
    KiWaitTest(&Queue->Header);
    return TRUE;
}

/* Dispatcher lock held, the wait over: the thread runs for its queue again, unless it left
 * the queue meanwhile (run down). */
VOID KiQueueResumeAfterWait(PKTHREAD Thread, PRKQUEUE Queue)
{
    if (Thread->Queue == Queue && !Thread->QueueActive) {
        Thread->QueueActive = TRUE;
        Queue->CurrentCount++;
    }
}

/* The thread exits: it leaves its queue. */
VOID KiRundownThreadQueue(PKTHREAD Thread)
{
    KIRQL Irql = KfRaiseIrql(DISPATCH_LEVEL);
    KiAcquireDispatcherLock();
    if (Thread->Queue != NULL)
        KiDisassociate(Thread);
    KiReleaseDispatcherLock();
    KeLowerIrql(Irql);
}

/* Waits for an entry: STATUS_SUCCESS with *Entry, or the wait's status (STATUS_TIMEOUT,
 * STATUS_USER_APC, STATUS_ALERTED, STATUS_ABANDONED_WAIT_0 once the queue is run down). The
 * thread's previous entry is done: its place is given up while it waits (a satisfied wait
 * takes it again, kewait.c), and a thread of another queue moves to this one. */
NTSTATUS KiRemoveQueue(PRKQUEUE Queue, KPROCESSOR_MODE WaitMode, BOOLEAN Alertable,
                       PLARGE_INTEGER Timeout, PLIST_ENTRY *Entry)
{
    PKTHREAD Thread = KeGetCurrentThread();
    NTSTATUS Status;

    KiAcquireDispatcherLock();
    if (Thread->Queue == Queue) {
        if (Thread->QueueActive) {
            Thread->QueueActive = FALSE;
            Queue->CurrentCount--;
        }
    } else if (!Queue->Header.Signalling) {
        if (Thread->Queue != NULL)
            KiDisassociate(Thread);
        Thread->Queue = Queue;
        InsertTailList(&Queue->ThreadListHead, &Thread->QueueListEntry);
    }
    KiReleaseDispatcherLock();

    Status = KeWaitForSingleObject(Queue, WrQueue, WaitMode, Alertable, Timeout);
    *Entry = NULL;
    KiAcquireDispatcherLock();
    if (Status == STATUS_WAIT_0)
        *Entry = RemoveHeadList(&Queue->EntryListHead);
    else
        KiQueueResumeAfterWait(Thread, Queue); /* no entry, but it runs for the queue again */
    KiReleaseDispatcherLock();
    return Status == STATUS_WAIT_0 ? STATUS_SUCCESS : Status;
}

PLIST_ENTRY KeRemoveQueue(PRKQUEUE Queue, KPROCESSOR_MODE WaitMode, PLARGE_INTEGER Timeout)
{
    VF_CHECK_IRQL(KeRemoveQueue);
    PLIST_ENTRY Entry;
    NTSTATUS Status = KiRemoveQueue(Queue, WaitMode, FALSE, Timeout, &Entry);
    /* The documented failure returns are the status itself cast to the pointer. */
    return Status == STATUS_SUCCESS ? Entry : (PLIST_ENTRY)(LONG_PTR)Status;
}

LONG KeReadStateQueue(PRKQUEUE Queue)
{
    VF_CHECK_IRQL(KeReadStateQueue);
    return __atomic_load_n(&Queue->Header.SignalState, __ATOMIC_ACQUIRE);
}

/* Ends the queue's life: its waiters and any later wait return STATUS_ABANDONED_WAIT_0. Returns
 * the entries left (a list without a head: the first entry, linked to the others), or NULL. */
PLIST_ENTRY KeRundownQueue(PRKQUEUE Queue)
{
    VF_CHECK_IRQL(KeRundownQueue);
    PLIST_ENTRY First = NULL;
    KIRQL Irql = KfRaiseIrql(DISPATCH_LEVEL);
    KiAcquireDispatcherLock();
    Queue->Header.Signalling = TRUE;
    /* Its threads leave it (they may outlive it). */
    while (!IsListEmpty(&Queue->ThreadListHead)) {
        PKTHREAD Thread = CONTAINING_RECORD(Queue->ThreadListHead.Flink, KTHREAD, QueueListEntry);
        Thread->QueueActive = FALSE;
        KiDisassociate(Thread);
    }
    Queue->CurrentCount = 0;
    while (!IsListEmpty(&Queue->Header.WaitListHead)) {
        PKWAIT_BLOCK Block =
            CONTAINING_RECORD(Queue->Header.WaitListHead.Flink, KWAIT_BLOCK, WaitListEntry);
        KiUnwaitThread(Block->Thread, STATUS_ABANDONED_WAIT_0 + Block->WaitKey);
    }
    if (!IsListEmpty(&Queue->EntryListHead)) {
        First = Queue->EntryListHead.Flink;
        RemoveEntryList(&Queue->EntryListHead);
        InitializeListHead(&Queue->EntryListHead);
    }
    Queue->Header.SignalState = 0;
    KiReleaseDispatcherLock();
    KeLowerIrql(Irql);
    return First;
}
