/* Ke: spin locks. The lock word holds the owner (thread | 1) so that misuse can be reported;
 * KeTestSpinLock and drivers that peek see 0 for a free lock, as on Windows. */
#include "ntkp.h"
#include "../vf/vfddi.h"

static ULONG_PTR KiSpinOwnerValue(VOID)
{
    return (ULONG_PTR)KeGetCurrentThread() | 1;
}

static VOID KiAcquireSpin(PKSPIN_LOCK SpinLock)
{
    ULONG_PTR Me = KiSpinOwnerValue();
    ULONG_PTR Expected;
    if (__atomic_load_n(SpinLock, __ATOMIC_RELAXED) == Me)
        KeBugCheckEx(SPIN_LOCK_ALREADY_OWNED, (ULONG_PTR)SpinLock, 0, 0, 0);
    for (;;) {
        Expected = 0;
        if (__atomic_compare_exchange_n(SpinLock, &Expected, Me, FALSE, __ATOMIC_ACQUIRE,
                                        __ATOMIC_RELAXED))
            return;
        while (__atomic_load_n(SpinLock, __ATOMIC_RELAXED) != 0)
            __builtin_ia32_pause();
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
    return __atomic_load_n(SpinLock, __ATOMIC_RELAXED) == 0;
}

KIRQL KeAcquireSpinLockRaiseToDpc(PKSPIN_LOCK SpinLock)
{
    VF_CHECK_IRQL(KeAcquireSpinLockRaiseToDpc);
    KIRQL Old = KfRaiseIrql(DISPATCH_LEVEL);
    KiAcquireSpin(SpinLock);
    return Old;
}

VOID KeReleaseSpinLock(PKSPIN_LOCK SpinLock, KIRQL NewIrql)
{
    VF_CHECK_IRQL(KeReleaseSpinLock);
    KiReleaseSpin(SpinLock);
    KeLowerIrql(NewIrql);
}

VOID KeAcquireSpinLockAtDpcLevel(PKSPIN_LOCK SpinLock)
{
    VF_CHECK_IRQL(KeAcquireSpinLockAtDpcLevel);
    if (KeGetCurrentIrql() < DISPATCH_LEVEL)
        KeBugCheckEx(IRQL_NOT_GREATER_OR_EQUAL, (ULONG_PTR)SpinLock, KeGetCurrentIrql(), 0, 0);
    KiAcquireSpin(SpinLock);
}

VOID KeReleaseSpinLockFromDpcLevel(PKSPIN_LOCK SpinLock)
{
    VF_CHECK_IRQL(KeReleaseSpinLockFromDpcLevel);
    KiReleaseSpin(SpinLock);
}

BOOLEAN KeTryToAcquireSpinLockAtDpcLevel(PKSPIN_LOCK SpinLock)
{
    VF_CHECK_IRQL(KeTryToAcquireSpinLockAtDpcLevel);
    ULONG_PTR Expected = 0;
    return __atomic_compare_exchange_n(SpinLock, &Expected, KiSpinOwnerValue(), FALSE,
                                       __ATOMIC_ACQUIRE, __ATOMIC_RELAXED);
}
