/* Ke: guarded mutexes. The KGUARDED_MUTEX is a FAST_MUTEX in layout: Count holds the free bit
 * (1) and the number of waiting threads (in units of 4); Owner the owning thread; Contention
 * counts acquisitions that had to wait; waiters sleep on the synchronization Event. Acquiring
 * enters a guarded region (the Unsafe forms leave that to the caller) and never changes IRQL.
 *
 * Guarded mutexes do not recurse: on Windows a second acquire by the owner deadlocks, which
 * Driver Verifier's deadlock detection reports as a self-deadlock (0xC4/0x1000); ntk reports
 * it always. A release by a thread that does not own the mutex is 0xC4/0x1004 (another owner)
 * or 0xC4/0x1007 (not acquired). */
#include "ntkp.h"
#include "../vf/vfddi.h"
#include "../vf/vfdeadlock.h"

#define KI_GM_LOCK_BIT 1
#define KI_GM_WAITER_INC 4

/* Driver Verifier's parameter 1 values (bug check 0xC4). */
#define VF_SELF_DEADLOCK 0x1000
#define VF_UNEXPECTED_THREAD 0x1004
#define VF_UNACQUIRED_RESOURCE 0x1007
#define VF_UNSAFE_ACQUIRE_IRQL 0x39
#define VF_UNSAFE_RELEASE_IRQL 0x3A

static VOID KiAcquireGuardedMutex(PKGUARDED_MUTEX Mutex)
{
    PKTHREAD Me = KeGetCurrentThread();
    LONG Old;

    if (__atomic_load_n(&Mutex->Owner, __ATOMIC_RELAXED) == Me)
        KeBugCheckEx(DRIVER_VERIFIER_DETECTED_VIOLATION, VF_SELF_DEADLOCK, (ULONG_PTR)Mutex,
                     (ULONG_PTR)Me, 0);
    Old = __atomic_load_n(&Mutex->Count, __ATOMIC_RELAXED);
    for (;;) {
        if (Old & KI_GM_LOCK_BIT) {
            if (__atomic_compare_exchange_n(&Mutex->Count, &Old, Old & ~KI_GM_LOCK_BIT, FALSE,
                                            __ATOMIC_ACQUIRE, __ATOMIC_RELAXED))
                break;
            continue;
        }
        /* Held: count ourselves as a waiter (the release sees it and sets the event), sleep,
         * then try again; a thread that arrived meanwhile may have taken it first. */
        if (!__atomic_compare_exchange_n(&Mutex->Count, &Old, Old + KI_GM_WAITER_INC, FALSE,
                                         __ATOMIC_SEQ_CST, __ATOMIC_RELAXED))
            continue;
        __atomic_add_fetch(&Mutex->Contention, 1, __ATOMIC_RELAXED);
        KeWaitForSingleObject(&Mutex->Event, WrGuardedMutex, KernelMode, FALSE, NULL);
        Old = __atomic_sub_fetch(&Mutex->Count, KI_GM_WAITER_INC, __ATOMIC_SEQ_CST);
    }
    __atomic_store_n(&Mutex->Owner, Me, __ATOMIC_RELAXED);
}

static VOID KiReleaseGuardedMutex(PKGUARDED_MUTEX Mutex)
{
    PKTHREAD Me = KeGetCurrentThread();
    PVOID Owner = __atomic_load_n(&Mutex->Owner, __ATOMIC_RELAXED);
    LONG Old;

    if (Owner != Me)
        KeBugCheckEx(DRIVER_VERIFIER_DETECTED_VIOLATION,
                     Owner == NULL ? VF_UNACQUIRED_RESOURCE : VF_UNEXPECTED_THREAD,
                     (ULONG_PTR)Mutex, (ULONG_PTR)Owner, (ULONG_PTR)Me);
    __atomic_store_n(&Mutex->Owner, NULL, __ATOMIC_RELAXED);
    Old = __atomic_fetch_or(&Mutex->Count, KI_GM_LOCK_BIT, __ATOMIC_SEQ_CST);
    if (Old >= KI_GM_WAITER_INC)
        KeSetEvent(&Mutex->Event, IO_NO_INCREMENT, FALSE);
}

/* The Unsafe forms need APCs off already: at APC_LEVEL, or in a guarded (or critical)
 * region. Otherwise Driver Verifier's 0xC4/0x39 (acquire) or 0x3A (release): parameter 2 is
 * the IRQL, 3 the thread's combined APC-disable count, 4 the mutex. */
static VOID KiCheckUnsafeContext(PKGUARDED_MUTEX Mutex, ULONG_PTR Violation)
{
    PKTHREAD Thread = KeGetCurrentThread();
    if (KeGetCurrentIrql() < APC_LEVEL && Thread->SpecialApcDisable == 0 &&
        Thread->KernelApcDisable == 0)
        KeBugCheckEx(DRIVER_VERIFIER_DETECTED_VIOLATION, Violation, KeGetCurrentIrql(),
                     KiCombinedApcDisable(Thread), (ULONG_PTR)Mutex);
}

VOID KeInitializeGuardedMutex(PKGUARDED_MUTEX Mutex)
{
    VF_CHECK_IRQL(KeInitializeGuardedMutex);
    Mutex->Count = KI_GM_LOCK_BIT;
    Mutex->Owner = NULL;
    Mutex->Contention = 0;
    KeInitializeEvent(&Mutex->Event, SynchronizationEvent, FALSE);
    Mutex->OldIrql = 0;
    VF_DEADLOCK_FORGET(Mutex);
}

VOID KeAcquireGuardedMutex(PKGUARDED_MUTEX Mutex)
{
    VF_CHECK_IRQL(KeAcquireGuardedMutex);
    KeEnterGuardedRegion();
    VF_DEADLOCK_ACQUIRE(Mutex, VfLockGuardedMutex);
    KiAcquireGuardedMutex(Mutex);
}

VOID KeReleaseGuardedMutex(PKGUARDED_MUTEX Mutex)
{
    VF_CHECK_IRQL(KeReleaseGuardedMutex);
    KiReleaseGuardedMutex(Mutex);
    VF_DEADLOCK_RELEASE(Mutex);
    KeLeaveGuardedRegion();
}

BOOLEAN KeTryToAcquireGuardedMutex(PKGUARDED_MUTEX Mutex)
{
    VF_CHECK_IRQL(KeTryToAcquireGuardedMutex);
    LONG Old;
    KeEnterGuardedRegion();
    Old = __atomic_load_n(&Mutex->Count, __ATOMIC_RELAXED);
    while (Old & KI_GM_LOCK_BIT) {
        if (__atomic_compare_exchange_n(&Mutex->Count, &Old, Old & ~KI_GM_LOCK_BIT, FALSE,
                                        __ATOMIC_ACQUIRE, __ATOMIC_RELAXED)) {
            __atomic_store_n(&Mutex->Owner, KeGetCurrentThread(), __ATOMIC_RELAXED);
            VF_DEADLOCK_TRY_ACQUIRED(Mutex, VfLockGuardedMutex);
            return TRUE;
        }
    }
    /* Held, by another thread or by the caller: guarded mutexes do not recurse. */
    KeLeaveGuardedRegion();
    return FALSE;
}

VOID KeAcquireGuardedMutexUnsafe(PKGUARDED_MUTEX FastMutex)
{
    VF_CHECK_IRQL(KeAcquireGuardedMutexUnsafe);
    KiCheckUnsafeContext(FastMutex, VF_UNSAFE_ACQUIRE_IRQL);
    VF_DEADLOCK_ACQUIRE(FastMutex, VfLockGuardedMutex);
    KiAcquireGuardedMutex(FastMutex);
}

VOID KeReleaseGuardedMutexUnsafe(PKGUARDED_MUTEX FastMutex)
{
    VF_CHECK_IRQL(KeReleaseGuardedMutexUnsafe);
    KiCheckUnsafeContext(FastMutex, VF_UNSAFE_RELEASE_IRQL);
    KiReleaseGuardedMutex(FastMutex);
    VF_DEADLOCK_RELEASE(FastMutex);
}
