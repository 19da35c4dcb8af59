/* Ke: in-stack queued spin locks. An MCS queue: the spin lock word points to the last waiter's
 * KSPIN_LOCK_QUEUE (0 when free); each waiter spins on its own entry until its predecessor
 * hands the lock over, so the lock is granted in request order. LockQueue.Lock holds the
 * spin lock's address with Windows' two low flag bits: waiting, and owner. */
#include "ntkp.h"
#include "kispin.h"
#include "../vf/vfddi.h"
#include "../vf/vfdeadlock.h"

#define KI_LOCK_QUEUE_WAIT 1
#define KI_LOCK_QUEUE_OWNER 2
#define KI_LOCK_QUEUE_FLAGS 3

/* Drivers must not mix KeAcquireSpinLock and queued acquisitions on one lock: Driver Verifier
 * reports an API mismatched with the lock type (0xC4/0x1008). */
#define VF_LOCK_API_MISMATCH 0x1008

static VOID KiAcquireQueued(PKSPIN_LOCK SpinLock, PKLOCK_QUEUE_HANDLE LockHandle)
{
    PKSPIN_LOCK_QUEUE Me = &LockHandle->LockQueue;
    ULONG_PTR Tail;
    PKSPIN_LOCK_QUEUE Previous;
    ULONG Spins = 0;

    if (KiSpinIsNoted(SpinLock))
        KeBugCheckEx(SPIN_LOCK_ALREADY_OWNED, (ULONG_PTR)SpinLock, (ULONG_PTR)LockHandle, 0, 0);
    Me->Next = NULL;
    Me->Lock = SpinLock;
    Tail = __atomic_load_n(SpinLock, __ATOMIC_RELAXED);
    do {
        /* An odd word is KeAcquireSpinLock's (thread | 1), not a queue entry. */
        if (Tail & 1)
            KeBugCheckEx(DRIVER_VERIFIER_DETECTED_VIOLATION, VF_LOCK_API_MISMATCH,
                         (ULONG_PTR)SpinLock, Tail, 0);
        /* With a predecessor, wait until it clears our WAIT bit. */
        Me->Lock = (PKSPIN_LOCK)((ULONG_PTR)SpinLock | (Tail != 0 ? KI_LOCK_QUEUE_WAIT : 0));
    } while (!__atomic_compare_exchange_n(SpinLock, &Tail, (ULONG_PTR)Me, TRUE, __ATOMIC_ACQ_REL,
                                          __ATOMIC_RELAXED));
    Previous = (PKSPIN_LOCK_QUEUE)Tail;
    if (Previous != NULL) {
        __atomic_store_n(&Previous->Next, Me, __ATOMIC_RELEASE);
        while ((ULONG_PTR)__atomic_load_n(&Me->Lock, __ATOMIC_ACQUIRE) & KI_LOCK_QUEUE_WAIT)
            KiSpinPause(&Spins);
    }
    __atomic_store_n(&Me->Lock, (PKSPIN_LOCK)((ULONG_PTR)SpinLock | KI_LOCK_QUEUE_OWNER),
                     __ATOMIC_RELAXED);
    KiSpinNote(SpinLock);
}

/* The spin lock a handle names, for the verifier, before the release clears it. */
static PKSPIN_LOCK KiQueuedLock(PKLOCK_QUEUE_HANDLE LockHandle)
{
    return (PKSPIN_LOCK)((ULONG_PTR)LockHandle->LockQueue.Lock & ~(ULONG_PTR)KI_LOCK_QUEUE_FLAGS);
}

static VOID KiReleaseQueued(PKLOCK_QUEUE_HANDLE LockHandle)
{
    PKSPIN_LOCK_QUEUE Me = &LockHandle->LockQueue;
    ULONG_PTR Word = (ULONG_PTR)__atomic_load_n(&Me->Lock, __ATOMIC_RELAXED);
    PKSPIN_LOCK SpinLock = (PKSPIN_LOCK)(Word & ~(ULONG_PTR)KI_LOCK_QUEUE_FLAGS);
    PKSPIN_LOCK_QUEUE Next;
    ULONG_PTR Expected;
    ULONG Spins = 0;

    if (!(Word & KI_LOCK_QUEUE_OWNER) || !KiSpinUnnote(SpinLock))
        KeBugCheckEx(SPIN_LOCK_NOT_OWNED, (ULONG_PTR)SpinLock, (ULONG_PTR)LockHandle, 0, 0);
    Me->Lock = SpinLock;
    Next = __atomic_load_n(&Me->Next, __ATOMIC_ACQUIRE);
    if (Next == NULL) {
        Expected = (ULONG_PTR)Me;
        if (__atomic_compare_exchange_n(SpinLock, &Expected, 0, FALSE, __ATOMIC_RELEASE,
                                        __ATOMIC_RELAXED))
            return;
        /* A waiter swapped itself in but has not linked to us yet. */
        while ((Next = __atomic_load_n(&Me->Next, __ATOMIC_ACQUIRE)) == NULL)
            KiSpinPause(&Spins);
    }
    __atomic_store_n(&Next->Lock,
                     (PKSPIN_LOCK)((ULONG_PTR)Next->Lock & ~(ULONG_PTR)KI_LOCK_QUEUE_WAIT),
                     __ATOMIC_RELEASE);
}

VOID KeAcquireInStackQueuedSpinLock(PKSPIN_LOCK SpinLock, PKLOCK_QUEUE_HANDLE LockHandle)
{
    VF_CHECK_IRQL(KeAcquireInStackQueuedSpinLock);
    LockHandle->OldIrql = KfRaiseIrql(DISPATCH_LEVEL);
    VF_DEADLOCK_ACQUIRE(SpinLock, VfLockQueuedSpin);
    KiAcquireQueued(SpinLock, LockHandle);
}

VOID KeAcquireInStackQueuedSpinLockAtDpcLevel(PKSPIN_LOCK SpinLock, PKLOCK_QUEUE_HANDLE LockHandle)
{
    VF_CHECK_IRQL(KeAcquireInStackQueuedSpinLockAtDpcLevel);
    VF_DEADLOCK_ACQUIRE(SpinLock, VfLockQueuedSpin);
    KiAcquireQueued(SpinLock, LockHandle);
}

VOID KeReleaseInStackQueuedSpinLock(PKLOCK_QUEUE_HANDLE LockHandle)
{
    VF_CHECK_IRQL(KeReleaseInStackQueuedSpinLock);
    KIRQL Old = LockHandle->OldIrql;
    PKSPIN_LOCK SpinLock = KiQueuedLock(LockHandle);
    KiReleaseQueued(LockHandle);
    VF_DEADLOCK_RELEASE(SpinLock);
    KeLowerIrql(Old);
}

VOID KeReleaseInStackQueuedSpinLockFromDpcLevel(PKLOCK_QUEUE_HANDLE LockHandle)
{
    VF_CHECK_IRQL(KeReleaseInStackQueuedSpinLockFromDpcLevel);
    PKSPIN_LOCK SpinLock = KiQueuedLock(LockHandle);
    KiReleaseQueued(LockHandle);
    VF_DEADLOCK_RELEASE(SpinLock);
}

VOID KeAcquireInStackQueuedSpinLockForDpc(PKSPIN_LOCK SpinLock, PKLOCK_QUEUE_HANDLE LockHandle)
{
    VF_CHECK_IRQL(KeAcquireInStackQueuedSpinLockForDpc);
    KIRQL Old = KeGetCurrentIrql();
    if (Old < DISPATCH_LEVEL)
        KfRaiseIrql(DISPATCH_LEVEL);
    LockHandle->OldIrql = Old;
    VF_DEADLOCK_ACQUIRE(SpinLock, VfLockQueuedSpin);
    KiAcquireQueued(SpinLock, LockHandle);
}

VOID KeReleaseInStackQueuedSpinLockForDpc(PKLOCK_QUEUE_HANDLE LockHandle)
{
    VF_CHECK_IRQL(KeReleaseInStackQueuedSpinLockForDpc);
    KIRQL Old = LockHandle->OldIrql;
    PKSPIN_LOCK SpinLock = KiQueuedLock(LockHandle);
    KiReleaseQueued(LockHandle);
    VF_DEADLOCK_RELEASE(SpinLock);
    if (Old < DISPATCH_LEVEL)
        KeLowerIrql(Old);
}
