/* Ke: queue objects (KQUEUE), the dispatcher object under an I/O completion port. The entry
 * list and the count of unclaimed entries (Header.SignalState) are guarded by the dispatcher
 * lock. A satisfied wait claims one entry (kewait.c consumes one count); the waiter then takes
 * the list's head, which exists because claims never outnumber entries. Waiters are served
 * LIFO (kewait.c links a queue's wait blocks at the head).
 *
 * MaximumCount, the concurrency value, is recorded but not enforced: ntk does not track when a
 * thread that took an entry blocks elsewhere, so every waiter may be woken while entries
 * remain. */
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

/* Waits for an entry: STATUS_SUCCESS with *Entry, or the wait's status (STATUS_TIMEOUT,
 * STATUS_USER_APC, STATUS_ALERTED, STATUS_ABANDONED_WAIT_0 once the queue is run down). */
NTSTATUS KiRemoveQueue(PRKQUEUE Queue, KPROCESSOR_MODE WaitMode, BOOLEAN Alertable,
                       PLARGE_INTEGER Timeout, PLIST_ENTRY *Entry)
{
    NTSTATUS Status = KeWaitForSingleObject(Queue, WrQueue, WaitMode, Alertable, Timeout);
    *Entry = NULL;
    if (Status != STATUS_WAIT_0)
        return Status;
    KiAcquireDispatcherLock();
    *Entry = RemoveHeadList(&Queue->EntryListHead);
    KiReleaseDispatcherLock();
    return STATUS_SUCCESS;
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
