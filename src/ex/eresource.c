/* Ex: executive resources (ERESOURCE), reader/writer locks that recurse.
 *
 * The ERESOURCE fields are used as Windows uses them: SpinLock guards the state; ActiveCount
 * is the number of owning threads and Flag says whether the one owner is exclusive; OwnerEntry
 * holds the exclusive owner or a first shared owner, OwnerTable (pool, grown on demand; entry
 * 0's TableSize is its length) the other shared owners, each with its recursion count;
 * NumberOfSharedWaiters and NumberOfExclusiveWaiters count the waiting threads.
 *
 * Waiting differs: instead of the SharedWaiters semaphore and ExclusiveWaiters event, each
 * waiter queues a record with its own event (on its stack) in one FIFO queue, whose first
 * record Reserved2 points to. A release hands ownership to waiters before waking them, so the
 * grant order is the arrival order, not the order in which woken threads get to run: exclusive
 * waiters first and in turn (writers first), then all shared waiters at once.
 *
 * Misuse is reported as Windows (with Driver Verifier) does: acquiring or releasing with
 * normal kernel APCs enabled at PASSIVE_LEVEL is 0xC4/0x37 or 0xC4/0x38; releasing a resource
 * the thread does not own is RESOURCE_NOT_OWNED (0xE3); a shared owner waiting for exclusive
 * access would wait for itself, 0xC4/0x1000 (self-deadlock); deleting an owned resource is
 * 0xC4/0x100B. ExInitializeResourceLite does not link the resource into a system-wide list
 * (drivers that free a resource without deleting it would corrupt one). */
#include "ntkp.h"
#include "../ke/kispin.h"
#include "../vf/vfddi.h"
#include "../vf/vfdeadlock.h"

#define EXP_RESOURCE_OWNED_EXCLUSIVE 0x0080
#define EXP_RESOURCE_TAG 'RsxE'

#define VF_RESOURCE_UNALIGNED 0x3D
#define VF_RESOURCE_ACQUIRE_APCS_ENABLED 0x37
#define VF_RESOURCE_RELEASE_APCS_ENABLED 0x38
#define VF_SELF_DEADLOCK 0x1000
#define VF_DELETED_LOCK_OWNED 0x100B

typedef enum _EXP_WAIT_KIND {
    ExpWaitExclusive,
    ExpWaitShared,
    ExpWaitStarveExclusive /* shared, without waiting for exclusive waiters */
} EXP_WAIT_KIND;

typedef struct _EXP_RESOURCE_WAITER {
    LIST_ENTRY Link;                           /* in the resource's circular FIFO queue */
    KEVENT Granted;
    ERESOURCE_THREAD Thread;
    EXP_WAIT_KIND Kind;
    struct _EXP_RESOURCE_WAITER *NextGranted;  /* woken after the spin lock is dropped */
} EXP_RESOURCE_WAITER, *PEXP_RESOURCE_WAITER;

/* ---- owner entries (spin lock held) ---- */

static ULONG ExpTableSize(PERESOURCE Resource)
{
    return Resource->OwnerTable != NULL ? Resource->OwnerTable[0].TableSize : 0;
}

static POWNER_ENTRY ExpFindOwner(PERESOURCE Resource, ERESOURCE_THREAD Thread)
{
    ULONG i, Size = ExpTableSize(Resource);
    if (Resource->OwnerEntry.OwnerThread == Thread)
        return &Resource->OwnerEntry;
    for (i = 1; i < Size; i++)
        if (Resource->OwnerTable[i].OwnerThread == Thread)
            return &Resource->OwnerTable[i];
    return NULL;
}

static POWNER_ENTRY ExpNewOwner(PERESOURCE Resource, ERESOURCE_THREAD Thread)
{
    ULONG i, Size = ExpTableSize(Resource), NewSize;
    POWNER_ENTRY Entry = NULL, Table;

    if (Resource->OwnerEntry.OwnerThread == 0) {
        Entry = &Resource->OwnerEntry;
    } else {
        for (i = 1; i < Size && Entry == NULL; i++)
            if (Resource->OwnerTable[i].OwnerThread == 0)
                Entry = &Resource->OwnerTable[i];
    }
    if (Entry == NULL) {
        /* Nonpaged: the table is used at DISPATCH_LEVEL, under the spin lock. */
        NewSize = Size != 0 ? Size * 2 : 4;
        Table = ExAllocatePoolZero(NonPagedPoolNx, NewSize * sizeof(OWNER_ENTRY),
                                   EXP_RESOURCE_TAG);
        if (Table == NULL)
            KeBugCheckEx(MUST_SUCCEED_POOL_EMPTY, NewSize * sizeof(OWNER_ENTRY), 0, 0, 0);
        if (Size != 0) {
            RtlCopyMemory(&Table[1], &Resource->OwnerTable[1], (Size - 1) * sizeof(OWNER_ENTRY));
            ExFreePoolWithTag(Resource->OwnerTable, EXP_RESOURCE_TAG);
        }
        Table[0].TableSize = NewSize;
        Resource->OwnerTable = Table;
        Entry = &Table[Size != 0 ? Size : 1];
    }
    Entry->OwnerThread = Thread;
    Entry->OwnerCount = 1;
    Resource->ActiveCount++;
    Resource->ActiveEntries++;
    return Entry;
}

static VOID ExpFreeOwner(PERESOURCE Resource, POWNER_ENTRY Entry)
{
    Entry->OwnerThread = 0;
    Entry->OwnerCount = 0;
    Resource->ActiveCount--;
    Resource->ActiveEntries--;
    if (Resource->ActiveCount == 0)
        Resource->Flag &= ~EXP_RESOURCE_OWNED_EXCLUSIVE;
}

/* ---- the waiter queue: circular, headless, Reserved2 names its first record ---- */

static PEXP_RESOURCE_WAITER ExpNextWaiter(PEXP_RESOURCE_WAITER Waiter)
{
    return CONTAINING_RECORD(Waiter->Link.Flink, EXP_RESOURCE_WAITER, Link);
}

static VOID ExpQueueWaiter(PERESOURCE Resource, PEXP_RESOURCE_WAITER Waiter)
{
    PEXP_RESOURCE_WAITER First = Resource->Reserved2;
    if (First == NULL) {
        InitializeListHead(&Waiter->Link);
        Resource->Reserved2 = Waiter;
    } else {
        InsertTailList(&First->Link, &Waiter->Link); /* before the first: at the end */
    }
}

static VOID ExpDequeueWaiter(PERESOURCE Resource, PEXP_RESOURCE_WAITER Waiter)
{
    if (Waiter->Link.Flink == &Waiter->Link) {
        Resource->Reserved2 = NULL;
        return;
    }
    if (Resource->Reserved2 == Waiter)
        Resource->Reserved2 = ExpNextWaiter(Waiter);
    RemoveEntryList(&Waiter->Link);
}

/* Hands the resource to the waiters its state now admits; returns them, to be woken once the
 * spin lock is dropped. Free: the first exclusive waiter, else every shared waiter. Shared:
 * the shared waiters, unless an exclusive waiter is pending (those that starve exclusive
 * waiters go anyway). */
static PEXP_RESOURCE_WAITER ExpGrantWaiters(PERESOURCE Resource)
{
    PEXP_RESOURCE_WAITER Waiter, Next, Granted = NULL, *Tail = &Granted;
    POWNER_ENTRY Entry;
    ULONG Count;

    if (Resource->Reserved2 == NULL || (Resource->Flag & EXP_RESOURCE_OWNED_EXCLUSIVE))
        return NULL;
    if (Resource->ActiveCount == 0 && Resource->NumberOfExclusiveWaiters != 0) {
        for (Waiter = Resource->Reserved2; Waiter->Kind != ExpWaitExclusive;)
            Waiter = ExpNextWaiter(Waiter);
        ExpDequeueWaiter(Resource, Waiter);
        Resource->NumberOfExclusiveWaiters--;
        ExpNewOwner(Resource, Waiter->Thread);
        Resource->Flag |= EXP_RESOURCE_OWNED_EXCLUSIVE;
        Waiter->NextGranted = NULL;
        return Waiter;
    }
    Waiter = Resource->Reserved2;
    for (Count = Resource->NumberOfSharedWaiters + Resource->NumberOfExclusiveWaiters; Count != 0;
         Count--, Waiter = Next) {
        Next = ExpNextWaiter(Waiter);
        if (Waiter->Kind == ExpWaitExclusive ||
            (Waiter->Kind == ExpWaitShared && Resource->NumberOfExclusiveWaiters != 0))
            continue;
        ExpDequeueWaiter(Resource, Waiter);
        Resource->NumberOfSharedWaiters--;
        /* ExAcquireSharedWaitForExclusive may wait while already owning it shared. */
        Entry = ExpFindOwner(Resource, Waiter->Thread);
        if (Entry != NULL)
            Entry->OwnerCount++;
        else
            ExpNewOwner(Resource, Waiter->Thread);
        Waiter->NextGranted = NULL;
        *Tail = Waiter;
        Tail = &Waiter->NextGranted;
    }
    return Granted;
}

static VOID ExpWakeGranted(PEXP_RESOURCE_WAITER Granted)
{
    PEXP_RESOURCE_WAITER Next;
    for (; Granted != NULL; Granted = Next) {
        Next = Granted->NextGranted;
        /* Under the dispatcher lock throughout: the waiter cannot return (and free its record)
         * before the signal is complete. */
        KiSignalObject(&Granted->Granted.Header);
    }
}

/* Queues the caller, drops the spin lock and sleeps until a release has made it an owner. */
static VOID ExpWait(PERESOURCE Resource, EXP_WAIT_KIND Kind, KIRQL OldIrql)
{
    EXP_RESOURCE_WAITER Waiter;
    KeInitializeEvent(&Waiter.Granted, NotificationEvent, FALSE);
    Waiter.Thread = ExGetCurrentResourceThread();
    Waiter.Kind = Kind;
    Waiter.NextGranted = NULL;
    ExpQueueWaiter(Resource, &Waiter);
    if (Kind == ExpWaitExclusive)
        Resource->NumberOfExclusiveWaiters++;
    else
        Resource->NumberOfSharedWaiters++;
    Resource->ContentionCount++;
    KiReleaseSpinLockLower(&Resource->SpinLock, OldIrql);
    KeWaitForSingleObject(&Waiter.Granted, WrResource, KernelMode, FALSE, NULL);
}

/* Normal kernel APCs must be off: a critical or guarded region, or APC_LEVEL. */
static VOID ExpCheckApcsDisabled(PERESOURCE Resource, ULONG_PTR Violation)
{
    PKTHREAD Thread = KeGetCurrentThread();
    if (KeGetCurrentIrql() == PASSIVE_LEVEL && Thread->KernelApcDisable == 0 &&
        Thread->SpecialApcDisable == 0)
        KeBugCheckEx(DRIVER_VERIFIER_DETECTED_VIOLATION, Violation, PASSIVE_LEVEL,
                     KiCombinedApcDisable(Thread), (ULONG_PTR)Resource);
}

/* ---- initialization ---- */

NTSTATUS ExInitializeResourceLite(PERESOURCE Resource)
{
    VF_CHECK_IRQL(ExInitializeResourceLite);
    if ((ULONG_PTR)Resource & 7)
        KeBugCheckEx(DRIVER_VERIFIER_DETECTED_VIOLATION, VF_RESOURCE_UNALIGNED, 0, 0,
                     (ULONG_PTR)Resource);
    VF_DEADLOCK_FORGET(Resource);
    RtlZeroMemory(Resource, sizeof(*Resource));
    InitializeListHead(&Resource->SystemResourcesList);
    KeInitializeSpinLock(&Resource->SpinLock);
    return STATUS_SUCCESS;
}

NTSTATUS ExReinitializeResourceLite(PERESOURCE Resource)
{
    VF_CHECK_IRQL(ExReinitializeResourceLite);
    ULONG Size = ExpTableSize(Resource);
    /* The owner table is kept, emptied. */
    if (Size != 0)
        RtlZeroMemory(&Resource->OwnerTable[1], (Size - 1) * sizeof(OWNER_ENTRY));
    Resource->ActiveCount = 0;
    Resource->Flag = 0;
    Resource->OwnerEntry.OwnerThread = 0;
    Resource->OwnerEntry.TableSize = 0;
    Resource->ActiveEntries = 0;
    Resource->ContentionCount = 0;
    Resource->NumberOfSharedWaiters = 0;
    Resource->NumberOfExclusiveWaiters = 0;
    Resource->Reserved2 = NULL;
    KeInitializeSpinLock(&Resource->SpinLock);
    VF_DEADLOCK_FORGET(Resource);
    return STATUS_SUCCESS;
}

NTSTATUS ExDeleteResourceLite(PERESOURCE Resource)
{
    VF_CHECK_IRQL(ExDeleteResourceLite);
    if (Resource->ActiveCount != 0 || Resource->Reserved2 != NULL)
        KeBugCheckEx(DRIVER_VERIFIER_DETECTED_VIOLATION, VF_DELETED_LOCK_OWNED,
                     (ULONG_PTR)Resource, Resource->OwnerEntry.OwnerThread, 0);
    if (Resource->OwnerTable != NULL) {
        ExFreePoolWithTag(Resource->OwnerTable, EXP_RESOURCE_TAG);
        Resource->OwnerTable = NULL;
    }
    VF_DEADLOCK_FORGET(Resource);
    return STATUS_SUCCESS;
}

/* ---- acquisition ---- */

/* For deadlock detection, shared and exclusive acquisitions order alike: a shared acquirer
 * waits behind an exclusive waiter, so two threads taking two resources shared in opposite
 * orders deadlock as soon as a third wants one of them exclusive. An acquisition that may
 * wait records its orders before it waits; one that may not (Wait FALSE) is a try. */
static BOOLEAN ExpNoteAcquire(PERESOURCE Resource, BOOLEAN Wait, BOOLEAN Granted, PVOID Caller)
{
    if (VfDeadlockChecks && !Wait && Granted)
        VfDeadlockTryAcquired(Resource, VfLockResource, Caller);
    return Granted;
}

#define EXP_NOTE_WAIT(Resource, Wait)                                                             \
    do {                                                                                          \
        if (VfDeadlockChecks && (Wait))                                                           \
            VfDeadlockAcquire((Resource), VfLockResource, __builtin_return_address(0));          \
    } while (0)

static BOOLEAN ExpAcquireExclusive(PERESOURCE Resource, BOOLEAN Wait)
{
    ERESOURCE_THREAD Me = ExGetCurrentResourceThread();
    KIRQL OldIrql;

    ExpCheckApcsDisabled(Resource, VF_RESOURCE_ACQUIRE_APCS_ENABLED);
    OldIrql = KiAcquireSpinLockRaise(&Resource->SpinLock);
    if (Resource->ActiveCount == 0) {
        ExpNewOwner(Resource, Me);
        Resource->Flag |= EXP_RESOURCE_OWNED_EXCLUSIVE;
    } else if ((Resource->Flag & EXP_RESOURCE_OWNED_EXCLUSIVE) &&
               Resource->OwnerEntry.OwnerThread == Me) {
        Resource->OwnerEntry.OwnerCount++;
    } else if (!Wait) {
        KiReleaseSpinLockLower(&Resource->SpinLock, OldIrql);
        return FALSE;
    } else {
        if (ExpFindOwner(Resource, Me) != NULL)
            KeBugCheckEx(DRIVER_VERIFIER_DETECTED_VIOLATION, VF_SELF_DEADLOCK,
                         (ULONG_PTR)Resource, Me, 0);
        ExpWait(Resource, ExpWaitExclusive, OldIrql);
        return TRUE;
    }
    KiReleaseSpinLockLower(&Resource->SpinLock, OldIrql);
    return TRUE;
}

static BOOLEAN ExpAcquireShared(PERESOURCE Resource, BOOLEAN Wait, EXP_WAIT_KIND Kind,
                                BOOLEAN WaitForExclusive)
{
    ERESOURCE_THREAD Me = ExGetCurrentResourceThread();
    POWNER_ENTRY Entry;
    KIRQL OldIrql;
    BOOLEAN Granted;

    ExpCheckApcsDisabled(Resource, VF_RESOURCE_ACQUIRE_APCS_ENABLED);
    OldIrql = KiAcquireSpinLockRaise(&Resource->SpinLock);
    if (Resource->ActiveCount == 0) {
        ExpNewOwner(Resource, Me);
        Granted = TRUE;
    } else if (Resource->Flag & EXP_RESOURCE_OWNED_EXCLUSIVE) {
        /* The exclusive owner recurses, and stays exclusive. */
        Granted = Resource->OwnerEntry.OwnerThread == Me;
        if (Granted)
            Resource->OwnerEntry.OwnerCount++;
    } else if ((Entry = ExpFindOwner(Resource, Me)) != NULL) {
        /* A shared owner recurses, except that WaitForExclusive lets an exclusive waiter go
         * first. */
        Granted = !WaitForExclusive || Resource->NumberOfExclusiveWaiters == 0;
        if (Granted)
            Entry->OwnerCount++;
    } else {
        Granted = Kind == ExpWaitStarveExclusive || Resource->NumberOfExclusiveWaiters == 0;
        if (Granted)
            ExpNewOwner(Resource, Me);
    }
    if (Granted || !Wait) {
        KiReleaseSpinLockLower(&Resource->SpinLock, OldIrql);
        return Granted;
    }
    ExpWait(Resource, Kind, OldIrql);
    return TRUE;
}

BOOLEAN ExAcquireResourceExclusiveLite(PERESOURCE Resource, BOOLEAN Wait)
{
    VF_CHECK_IRQL(ExAcquireResourceExclusiveLite);
    EXP_NOTE_WAIT(Resource, Wait);
    return ExpNoteAcquire(Resource, Wait, ExpAcquireExclusive(Resource, Wait),
                          __builtin_return_address(0));
}

BOOLEAN ExAcquireResourceSharedLite(PERESOURCE Resource, BOOLEAN Wait)
{
    VF_CHECK_IRQL(ExAcquireResourceSharedLite);
    EXP_NOTE_WAIT(Resource, Wait);
    return ExpNoteAcquire(Resource, Wait, ExpAcquireShared(Resource, Wait, ExpWaitShared, FALSE),
                          __builtin_return_address(0));
}

BOOLEAN ExAcquireSharedStarveExclusive(PERESOURCE Resource, BOOLEAN Wait)
{
    VF_CHECK_IRQL(ExAcquireSharedStarveExclusive);
    EXP_NOTE_WAIT(Resource, Wait);
    return ExpNoteAcquire(Resource, Wait,
                          ExpAcquireShared(Resource, Wait, ExpWaitStarveExclusive, FALSE),
                          __builtin_return_address(0));
}

BOOLEAN ExAcquireSharedWaitForExclusive(PERESOURCE Resource, BOOLEAN Wait)
{
    VF_CHECK_IRQL(ExAcquireSharedWaitForExclusive);
    EXP_NOTE_WAIT(Resource, Wait);
    return ExpNoteAcquire(Resource, Wait, ExpAcquireShared(Resource, Wait, ExpWaitShared, TRUE),
                          __builtin_return_address(0));
}

/* ---- release and conversion ---- */

static VOID ExpRelease(PERESOURCE Resource, ERESOURCE_THREAD Thread)
{
    PEXP_RESOURCE_WAITER Granted = NULL;
    POWNER_ENTRY Entry;
    KIRQL OldIrql;

    ExpCheckApcsDisabled(Resource, VF_RESOURCE_RELEASE_APCS_ENABLED);
    OldIrql = KiAcquireSpinLockRaise(&Resource->SpinLock);
    Entry = ExpFindOwner(Resource, Thread);
    if (Thread == 0 || Entry == NULL || Resource->ActiveCount == 0)
        KeBugCheckEx(RESOURCE_NOT_OWNED, (ULONG_PTR)Resource, Thread,
                     (ULONG_PTR)Resource->OwnerTable, 0);
    if (--Entry->OwnerCount == 0) {
        ExpFreeOwner(Resource, Entry);
        if (Resource->ActiveCount == 0)
            Granted = ExpGrantWaiters(Resource);
    }
    KiReleaseSpinLockLower(&Resource->SpinLock, OldIrql);
    ExpWakeGranted(Granted);
}

VOID ExReleaseResourceLite(PERESOURCE Resource)
{
    VF_CHECK_IRQL(ExReleaseResourceLite);
    ExpRelease(Resource, ExGetCurrentResourceThread());
    VF_DEADLOCK_RELEASE(Resource);
}

VOID ExReleaseResourceForThreadLite(PERESOURCE Resource, ERESOURCE_THREAD ResourceThreadId)
{
    VF_CHECK_IRQL(ExReleaseResourceForThreadLite);
    ExpRelease(Resource, ResourceThreadId);
    if (VfDeadlockChecks)
        VfDeadlockReleaseForThread(Resource, (PKTHREAD)ResourceThreadId);
}

/* Exclusive to shared, keeping the recursion count; waiting shared acquirers may now join. */
VOID ExConvertExclusiveToSharedLite(PERESOURCE Resource)
{
    VF_CHECK_IRQL(ExConvertExclusiveToSharedLite);
    ERESOURCE_THREAD Me = ExGetCurrentResourceThread();
    PEXP_RESOURCE_WAITER Granted;
    KIRQL OldIrql = KiAcquireSpinLockRaise(&Resource->SpinLock);
    if (!(Resource->Flag & EXP_RESOURCE_OWNED_EXCLUSIVE) || Resource->OwnerEntry.OwnerThread != Me)
        KeBugCheckEx(SHARED_RESOURCE_CONV_ERROR, (ULONG_PTR)Resource, Me,
                     Resource->OwnerEntry.OwnerThread, 0);
    Resource->Flag &= ~EXP_RESOURCE_OWNED_EXCLUSIVE;
    Granted = ExpGrantWaiters(Resource);
    KiReleaseSpinLockLower(&Resource->SpinLock, OldIrql);
    ExpWakeGranted(Granted);
}

/* ---- queries ---- */

static ULONG ExpOwnedCount(PERESOURCE Resource, BOOLEAN ExclusiveOnly)
{
    ERESOURCE_THREAD Me = ExGetCurrentResourceThread();
    POWNER_ENTRY Entry;
    ULONG Count = 0;
    KIRQL OldIrql = KiAcquireSpinLockRaise(&Resource->SpinLock);
    if (Resource->ActiveCount != 0 &&
        (!ExclusiveOnly || (Resource->Flag & EXP_RESOURCE_OWNED_EXCLUSIVE)) &&
        (Entry = ExpFindOwner(Resource, Me)) != NULL)
        Count = Entry->OwnerCount;
    KiReleaseSpinLockLower(&Resource->SpinLock, OldIrql);
    return Count;
}

BOOLEAN ExIsResourceAcquiredExclusiveLite(PERESOURCE Resource)
{
    VF_CHECK_IRQL(ExIsResourceAcquiredExclusiveLite);
    return ExpOwnedCount(Resource, TRUE) != 0;
}

/* Exclusive access counts as shared access: the count is the owner's, either way. */
ULONG ExIsResourceAcquiredSharedLite(PERESOURCE Resource)
{
    VF_CHECK_IRQL(ExIsResourceAcquiredSharedLite);
    return ExpOwnedCount(Resource, FALSE);
}

ULONG ExIsResourceAcquiredLite(PERESOURCE Resource)
{
    VF_CHECK_IRQL(ExIsResourceAcquiredLite);
    return ExpOwnedCount(Resource, FALSE);
}

ULONG ExGetExclusiveWaiterCount(PERESOURCE Resource)
{
    VF_CHECK_IRQL(ExGetExclusiveWaiterCount);
    return __atomic_load_n(&Resource->NumberOfExclusiveWaiters, __ATOMIC_ACQUIRE);
}

ULONG ExGetSharedWaiterCount(PERESOURCE Resource)
{
    VF_CHECK_IRQL(ExGetSharedWaiterCount);
    return __atomic_load_n(&Resource->NumberOfSharedWaiters, __ATOMIC_ACQUIRE);
}

/* ---- critical region and acquisition in one call ---- */

/* The return value is documented as opaque, to be ignored: ntk returns NULL. */
PVOID ExEnterCriticalRegionAndAcquireResourceExclusive(PERESOURCE Resource)
{
    VF_CHECK_IRQL(ExEnterCriticalRegionAndAcquireResourceExclusive);
    KeEnterCriticalRegion();
    EXP_NOTE_WAIT(Resource, TRUE);
    ExpAcquireExclusive(Resource, TRUE);
    return NULL;
}

PVOID ExEnterCriticalRegionAndAcquireResourceShared(PERESOURCE Resource)
{
    VF_CHECK_IRQL(ExEnterCriticalRegionAndAcquireResourceShared);
    KeEnterCriticalRegion();
    EXP_NOTE_WAIT(Resource, TRUE);
    ExpAcquireShared(Resource, TRUE, ExpWaitShared, FALSE);
    return NULL;
}

PVOID ExEnterCriticalRegionAndAcquireSharedWaitForExclusive(PERESOURCE Resource)
{
    VF_CHECK_IRQL(ExEnterCriticalRegionAndAcquireSharedWaitForExclusive);
    KeEnterCriticalRegion();
    EXP_NOTE_WAIT(Resource, TRUE);
    ExpAcquireShared(Resource, TRUE, ExpWaitShared, TRUE);
    return NULL;
}

VOID ExReleaseResourceAndLeaveCriticalRegion(PERESOURCE Resource)
{
    VF_CHECK_IRQL(ExReleaseResourceAndLeaveCriticalRegion);
    ExpRelease(Resource, ExGetCurrentResourceThread());
    VF_DEADLOCK_RELEASE(Resource);
    KeLeaveCriticalRegion();
}
