/* Ke: spin locks. The lock word holds the owner (thread | 1) so that misuse can be reported;
 * KeTestSpinLock and drivers that peek see 0 for a free lock, as on Windows. Misuse is the
 * bug check Windows reports: acquiring a lock the thread holds is SPIN_LOCK_ALREADY_OWNED
 * (0xF), releasing one it does not hold SPIN_LOCK_NOT_OWNED (0x10); the wrong IRQL is caught
 * by the DDI entry check (0x9 below the minimum, 0xA above the maximum). */
#include "ntkp.h"
#include "kispin.h"
#include "../vf/vfddi.h"
#include "../vf/vfdeadlock.h"

static ULONG_PTR KiSpinOwnerValue(VOID)
{
    return (ULONG_PTR)KeGetCurrentThread() | 1;
}

static VOID KiAcquireSpin(PKSPIN_LOCK SpinLock)
{
    ULONG_PTR Me = KiSpinOwnerValue();
    ULONG_PTR Expected;
    ULONG Spins = 0;
    if (__atomic_load_n(SpinLock, __ATOMIC_RELAXED) == Me)
        KeBugCheckEx(SPIN_LOCK_ALREADY_OWNED, (ULONG_PTR)SpinLock, 0, 0, 0);
    for (;;) {
        Expected = 0;
        if (__atomic_compare_exchange_n(SpinLock, &Expected, Me, FALSE, __ATOMIC_ACQUIRE,
                                        __ATOMIC_RELAXED))
            return;
        while (__atomic_load_n(SpinLock, __ATOMIC_RELAXED) != 0)
            KiSpinPause(&Spins);
    }
}

static VOID KiReleaseSpin(PKSPIN_LOCK SpinLock)
{
    ULONG_PTR Owner = __atomic_load_n(SpinLock, __ATOMIC_RELAXED);
    if (Owner != KiSpinOwnerValue())
        KeBugCheckEx(SPIN_LOCK_NOT_OWNED, (ULONG_PTR)SpinLock, Owner, 0, 0);
    __atomic_store_n(SpinLock, 0, __ATOMIC_RELEASE);
}

BOOLEAN KeTestSpinLock(PKSPIN_LOCK SpinLock)
{
    VF_CHECK_IRQL(KeTestSpinLock);
    return __atomic_load_n(SpinLock, __ATOMIC_RELAXED) == 0;
}

KIRQL KeAcquireSpinLockRaiseToDpc(PKSPIN_LOCK SpinLock)
{
    VF_CHECK_IRQL(KeAcquireSpinLockRaiseToDpc);
    KIRQL Old = KfRaiseIrql(DISPATCH_LEVEL);
    VF_DEADLOCK_ACQUIRE(SpinLock, VfLockSpin);
    KiAcquireSpin(SpinLock);
    return Old;
}

VOID KeReleaseSpinLock(PKSPIN_LOCK SpinLock, KIRQL NewIrql)
{
    VF_CHECK_IRQL(KeReleaseSpinLock);
    KiReleaseSpin(SpinLock);
    VF_DEADLOCK_RELEASE(SpinLock);
    KeLowerIrql(NewIrql);
}

VOID KeAcquireSpinLockAtDpcLevel(PKSPIN_LOCK SpinLock)
{
    VF_CHECK_IRQL(KeAcquireSpinLockAtDpcLevel);
    if (KeGetCurrentIrql() < DISPATCH_LEVEL)
        KeBugCheckEx(IRQL_NOT_GREATER_OR_EQUAL, (ULONG_PTR)SpinLock, KeGetCurrentIrql(), 0, 0);
    VF_DEADLOCK_ACQUIRE(SpinLock, VfLockSpin);
    KiAcquireSpin(SpinLock);
}

VOID KeReleaseSpinLockFromDpcLevel(PKSPIN_LOCK SpinLock)
{
    VF_CHECK_IRQL(KeReleaseSpinLockFromDpcLevel);
    KiReleaseSpin(SpinLock);
    VF_DEADLOCK_RELEASE(SpinLock);
}

BOOLEAN KeTryToAcquireSpinLockAtDpcLevel(PKSPIN_LOCK SpinLock)
{
    VF_CHECK_IRQL(KeTryToAcquireSpinLockAtDpcLevel);
    ULONG_PTR Expected = 0;
    if (!__atomic_compare_exchange_n(SpinLock, &Expected, KiSpinOwnerValue(), FALSE,
                                     __ATOMIC_ACQUIRE, __ATOMIC_RELAXED))
        return FALSE;
    VF_DEADLOCK_TRY_ACQUIRED(SpinLock, VfLockSpin);
    return TRUE;
}

/* Threaded DPCs run at PASSIVE_LEVEL or DISPATCH_LEVEL: raise only when below. */
KIRQL KiAcquireSpinLockRaise(PKSPIN_LOCK SpinLock)
{
    KIRQL Old = KeGetCurrentIrql();
    if (Old < DISPATCH_LEVEL)
        KfRaiseIrql(DISPATCH_LEVEL);
    KiAcquireSpin(SpinLock);
    return Old;
}

VOID KiReleaseSpinLockLower(PKSPIN_LOCK SpinLock, KIRQL OldIrql)
{
    KiReleaseSpin(SpinLock);
    if (OldIrql < DISPATCH_LEVEL)
        KeLowerIrql(OldIrql);
}

KIRQL KeAcquireSpinLockForDpc(PKSPIN_LOCK SpinLock)
{
    VF_CHECK_IRQL(KeAcquireSpinLockForDpc);
    KIRQL Old = KeGetCurrentIrql();
    if (Old < DISPATCH_LEVEL)
        KfRaiseIrql(DISPATCH_LEVEL);
    VF_DEADLOCK_ACQUIRE(SpinLock, VfLockSpin);
    KiAcquireSpin(SpinLock);
    return Old;
}

VOID KeReleaseSpinLockForDpc(PKSPIN_LOCK SpinLock, KIRQL OldIrql)
{
    VF_CHECK_IRQL(KeReleaseSpinLockForDpc);
    KiReleaseSpin(SpinLock);
    VF_DEADLOCK_RELEASE(SpinLock);
    if (OldIrql < DISPATCH_LEVEL)
        KeLowerIrql(OldIrql);
}

/* Per-thread notes of held queued and reader/writer spin locks (see kispin.h). */
static __thread const VOID *KiSpinNotes[KI_SPIN_NOTES];
static __thread ULONG KiSpinNoteCount;
static __thread BOOLEAN KiSpinNotesOverflowed;

BOOLEAN KiSpinIsNoted(const VOID *Lock)
{
    ULONG i;
    for (i = 0; i < KiSpinNoteCount && i < KI_SPIN_NOTES; i++)
        if (KiSpinNotes[i] == Lock)
            return TRUE;
    return FALSE;
}

VOID KiSpinNote(const VOID *Lock)
{
    if (KiSpinNoteCount < KI_SPIN_NOTES)
        KiSpinNotes[KiSpinNoteCount] = Lock;
    else
        KiSpinNotesOverflowed = TRUE;
    KiSpinNoteCount++;
}

BOOLEAN KiSpinUnnote(const VOID *Lock)
{
    ULONG i, Count = KiSpinNoteCount < KI_SPIN_NOTES ? KiSpinNoteCount : KI_SPIN_NOTES;
    BOOLEAN Found = FALSE;
    for (i = Count; i-- > 0;) {
        if (KiSpinNotes[i] == Lock) {
            /* Locks may be released out of order: close the gap. */
            for (; i + 1 < Count; i++)
                KiSpinNotes[i] = KiSpinNotes[i + 1];
            KiSpinNotes[Count - 1] = NULL;
            Found = TRUE;
            break;
        }
    }
    if (!Found && !KiSpinNotesOverflowed)
        return FALSE;
    if (KiSpinNoteCount > 0 && --KiSpinNoteCount == 0)
        KiSpinNotesOverflowed = FALSE;
    return TRUE;
}
