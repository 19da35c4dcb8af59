/* Ex: reader/writer spin locks (EX_SPIN_LOCK). The 32-bit word holds the number of readers
 * in its low 30 bits, bit 30 while a writer waits and bit 31 while a writer holds it. A
 * waiting writer keeps new readers out, then takes the lock once the readers are gone, so
 * writers are not starved. The word cannot name owners, so each thread notes the locks it
 * holds (kispin.h): a recursive acquire is SPIN_LOCK_ALREADY_OWNED (0xF), releasing a lock
 * not held (or held in the other mode) SPIN_LOCK_NOT_OWNED (0x10). */
#include "ntkp.h"
#include "../ke/kispin.h"
#include "../vf/vfddi.h"
#include "../vf/vfdeadlock.h"

#define EXP_SPIN_EXCLUSIVE ((LONG)0x80000000)
#define EXP_SPIN_WRITER_WAITING 0x40000000
#define EXP_SPIN_READERS 0x3FFFFFFF

static VOID ExpCheckNotHeld(PEX_SPIN_LOCK SpinLock)
{
    if (KiSpinIsNoted((const VOID *)SpinLock))
        KeBugCheckEx(SPIN_LOCK_ALREADY_OWNED, (ULONG_PTR)SpinLock, (ULONG)*SpinLock, 0, 0);
}

static VOID ExpNotOwned(PEX_SPIN_LOCK SpinLock)
{
    KeBugCheckEx(SPIN_LOCK_NOT_OWNED, (ULONG_PTR)SpinLock, (ULONG)*SpinLock, 0, 0);
}

static VOID ExpAcquireShared(PEX_SPIN_LOCK SpinLock)
{
    LONG Old;
    ULONG Spins = 0;
    ExpCheckNotHeld(SpinLock);
    for (;;) {
        Old = __atomic_load_n(SpinLock, __ATOMIC_RELAXED);
        if (!(Old & (EXP_SPIN_EXCLUSIVE | EXP_SPIN_WRITER_WAITING)) &&
            __atomic_compare_exchange_n(SpinLock, &Old, Old + 1, TRUE, __ATOMIC_ACQUIRE,
                                        __ATOMIC_RELAXED))
            break;
        KiSpinPause(&Spins);
    }
    KiSpinNote((const VOID *)SpinLock);
}

static VOID ExpReleaseShared(PEX_SPIN_LOCK SpinLock)
{
    if ((__atomic_load_n(SpinLock, __ATOMIC_RELAXED) & EXP_SPIN_READERS) == 0 ||
        !KiSpinUnnote((const VOID *)SpinLock))
        ExpNotOwned(SpinLock);
    __atomic_sub_fetch(SpinLock, 1, __ATOMIC_RELEASE);
}

static VOID ExpAcquireExclusive(PEX_SPIN_LOCK SpinLock)
{
    LONG Old;
    ULONG Spins = 0;
    ExpCheckNotHeld(SpinLock);
    /* First announce the writer (one at a time), which holds new readers back ... */
    for (;;) {
        Old = __atomic_load_n(SpinLock, __ATOMIC_RELAXED);
        if (!(Old & (EXP_SPIN_EXCLUSIVE | EXP_SPIN_WRITER_WAITING)) &&
            __atomic_compare_exchange_n(SpinLock, &Old, Old | EXP_SPIN_WRITER_WAITING, TRUE,
                                        __ATOMIC_RELAXED, __ATOMIC_RELAXED))
            break;
        KiSpinPause(&Spins);
    }
    /* ... then wait for the readers inside to leave. */
    for (;;) {
        Old = __atomic_load_n(SpinLock, __ATOMIC_RELAXED);
        if (!(Old & EXP_SPIN_READERS) &&
            __atomic_compare_exchange_n(SpinLock, &Old, EXP_SPIN_EXCLUSIVE, TRUE,
                                        __ATOMIC_ACQUIRE, __ATOMIC_RELAXED))
            break;
        KiSpinPause(&Spins);
    }
    KiSpinNote((const VOID *)SpinLock);
}

static VOID ExpReleaseExclusive(PEX_SPIN_LOCK SpinLock)
{
    if (!(__atomic_load_n(SpinLock, __ATOMIC_RELAXED) & EXP_SPIN_EXCLUSIVE) ||
        !KiSpinUnnote((const VOID *)SpinLock))
        ExpNotOwned(SpinLock);
    __atomic_and_fetch(SpinLock, ~EXP_SPIN_EXCLUSIVE, __ATOMIC_RELEASE);
}

KIRQL ExAcquireSpinLockShared(PEX_SPIN_LOCK SpinLock)
{
    VF_CHECK_IRQL(ExAcquireSpinLockShared);
    KIRQL Old = KfRaiseIrql(DISPATCH_LEVEL);
    VF_DEADLOCK_ACQUIRE(SpinLock, VfLockRwSpin);
    ExpAcquireShared(SpinLock);
    return Old;
}

VOID ExReleaseSpinLockShared(PEX_SPIN_LOCK SpinLock, KIRQL OldIrql)
{
    VF_CHECK_IRQL(ExReleaseSpinLockShared);
    ExpReleaseShared(SpinLock);
    VF_DEADLOCK_RELEASE(SpinLock);
    KeLowerIrql(OldIrql);
}

VOID ExAcquireSpinLockSharedAtDpcLevel(PEX_SPIN_LOCK SpinLock)
{
    VF_CHECK_IRQL(ExAcquireSpinLockSharedAtDpcLevel);
    VF_DEADLOCK_ACQUIRE(SpinLock, VfLockRwSpin);
    ExpAcquireShared(SpinLock);
}

VOID ExReleaseSpinLockSharedFromDpcLevel(PEX_SPIN_LOCK SpinLock)
{
    VF_CHECK_IRQL(ExReleaseSpinLockSharedFromDpcLevel);
    ExpReleaseShared(SpinLock);
    VF_DEADLOCK_RELEASE(SpinLock);
}

KIRQL ExAcquireSpinLockExclusive(PEX_SPIN_LOCK SpinLock)
{
    VF_CHECK_IRQL(ExAcquireSpinLockExclusive);
    KIRQL Old = KfRaiseIrql(DISPATCH_LEVEL);
    VF_DEADLOCK_ACQUIRE(SpinLock, VfLockRwSpin);
    ExpAcquireExclusive(SpinLock);
    return Old;
}

VOID ExReleaseSpinLockExclusive(PEX_SPIN_LOCK SpinLock, KIRQL OldIrql)
{
    VF_CHECK_IRQL(ExReleaseSpinLockExclusive);
    ExpReleaseExclusive(SpinLock);
    VF_DEADLOCK_RELEASE(SpinLock);
    KeLowerIrql(OldIrql);
}

VOID ExAcquireSpinLockExclusiveAtDpcLevel(PEX_SPIN_LOCK SpinLock)
{
    VF_CHECK_IRQL(ExAcquireSpinLockExclusiveAtDpcLevel);
    VF_DEADLOCK_ACQUIRE(SpinLock, VfLockRwSpin);
    ExpAcquireExclusive(SpinLock);
}

VOID ExReleaseSpinLockExclusiveFromDpcLevel(PEX_SPIN_LOCK SpinLock)
{
    VF_CHECK_IRQL(ExReleaseSpinLockExclusiveFromDpcLevel);
    ExpReleaseExclusive(SpinLock);
    VF_DEADLOCK_RELEASE(SpinLock);
}

/* Succeeds only for the sole reader with no writer waiting; the caller keeps its hold either
 * way: exclusive on success, still shared on failure. */
LOGICAL ExTryConvertSharedSpinLockExclusive(PEX_SPIN_LOCK SpinLock)
{
    VF_CHECK_IRQL(ExTryConvertSharedSpinLockExclusive);
    LONG Expected = 1;
    if (!KiSpinIsNoted((const VOID *)SpinLock) ||
        (__atomic_load_n(SpinLock, __ATOMIC_RELAXED) & EXP_SPIN_READERS) == 0)
        ExpNotOwned(SpinLock);
    return __atomic_compare_exchange_n(SpinLock, &Expected, EXP_SPIN_EXCLUSIVE, FALSE,
                                       __ATOMIC_ACQUIRE, __ATOMIC_RELAXED);
}
