/* Ex: fast mutexes. Count holds FM_LOCK_BIT while free; contenders wait on the event, granted
 * in FIFO order by the dispatcher. Acquire raises to APC_LEVEL; the Unsafe forms do not. */
#include "ntkp.h"
#include "../vf/vfddi.h"
#include "../vf/vfdeadlock.h"

static VOID ExpAcquireFastMutexContended(PFAST_MUTEX FastMutex)
{
    FastMutex->Contention++;
    for (;;) {
        LONG Old = FastMutex->Count;
        if ((Old & FM_LOCK_BIT) &&
            InterlockedCompareExchange(&FastMutex->Count, Old & ~FM_LOCK_BIT, Old) == Old)
            return;
        KeWaitForSingleObject(&FastMutex->Event, WrFastMutex, KernelMode, FALSE, NULL);
    }
}

static VOID ExpAcquire(PFAST_MUTEX FastMutex)
{
    /* Fast mutexes do not recurse: Windows would deadlock; the verifier's deadlock detection
     * reports self-recursion (0xC4/0x1000). */
    if (FastMutex->Owner == KeGetCurrentThread())
        KeBugCheckEx(DRIVER_VERIFIER_DETECTED_VIOLATION, 0x1000, (ULONG_PTR)FastMutex, 0, 0);
    if (InterlockedCompareExchange(&FastMutex->Count, 0, FM_LOCK_BIT) != FM_LOCK_BIT)
        ExpAcquireFastMutexContended(FastMutex);
    FastMutex->Owner = KeGetCurrentThread();
}

static VOID ExpRelease(PFAST_MUTEX FastMutex)
{
    /* Released by a thread that does not own it (0xC4/0x1004, as for other resources). */
    if (FastMutex->Owner != KeGetCurrentThread())
        KeBugCheckEx(DRIVER_VERIFIER_DETECTED_VIOLATION, 0x1004, (ULONG_PTR)FastMutex,
                     (ULONG_PTR)FastMutex->Owner, 0);
    FastMutex->Owner = NULL;
    InterlockedOr(&FastMutex->Count, FM_LOCK_BIT);
    if (FastMutex->Contention)
        KeSetEvent(&FastMutex->Event, 0, FALSE);
}

VOID ExAcquireFastMutex(PFAST_MUTEX FastMutex)
{
    VF_CHECK_IRQL(ExAcquireFastMutex);
    KIRQL Old;
    if (KeGetCurrentIrql() > APC_LEVEL)
        KeBugCheckEx(IRQL_NOT_LESS_OR_EQUAL, (ULONG_PTR)FastMutex, KeGetCurrentIrql(), 0, 0);
    Old = KfRaiseIrql(APC_LEVEL);
    VF_DEADLOCK_ACQUIRE(FastMutex, VfLockFastMutex);
    ExpAcquire(FastMutex);
    FastMutex->OldIrql = Old;
}

VOID ExReleaseFastMutex(PFAST_MUTEX FastMutex)
{
    VF_CHECK_IRQL(ExReleaseFastMutex);
    KIRQL Old = (KIRQL)FastMutex->OldIrql;
    ExpRelease(FastMutex);
    VF_DEADLOCK_RELEASE(FastMutex);
    KeLowerIrql(Old);
}

BOOLEAN ExTryToAcquireFastMutex(PFAST_MUTEX FastMutex)
{
    VF_CHECK_IRQL(ExTryToAcquireFastMutex);
    KIRQL Old = KfRaiseIrql(APC_LEVEL);
    if (InterlockedCompareExchange(&FastMutex->Count, 0, FM_LOCK_BIT) != FM_LOCK_BIT) {
        KeLowerIrql(Old);
        return FALSE;
    }
    FastMutex->Owner = KeGetCurrentThread();
    FastMutex->OldIrql = Old;
    VF_DEADLOCK_TRY_ACQUIRED(FastMutex, VfLockFastMutex);
    return TRUE;
}

VOID ExAcquireFastMutexUnsafe(PFAST_MUTEX FastMutex)
{
    VF_CHECK_IRQL(ExAcquireFastMutexUnsafe);
    VF_DEADLOCK_ACQUIRE(FastMutex, VfLockFastMutex);
    ExpAcquire(FastMutex);
}

VOID ExReleaseFastMutexUnsafe(PFAST_MUTEX FastMutex)
{
    VF_CHECK_IRQL(ExReleaseFastMutexUnsafe);
    ExpRelease(FastMutex);
    VF_DEADLOCK_RELEASE(FastMutex);
}
