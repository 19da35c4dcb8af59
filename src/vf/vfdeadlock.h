/* Vf: Driver Verifier's deadlock detection (vfdeadlock.c).
 *
 * The lock DDIs report each acquisition and release here. A thread's held locks are noted per
 * thread; acquiring L while holding H records the order H -> L in a global graph, and an order
 * that closes a cycle is a lock hierarchy violation: 0xC4/0x1001, reported the first time the
 * inverted order is taken, whether or not the threads would have met. */
#ifndef NTK_VF_VFDEADLOCK_H
#define NTK_VF_VFDEADLOCK_H

#include "ntkp.h"

/* The kind of lock, as !deadlock names it in its report. */
typedef enum _VF_LOCK_TYPE {
    VfLockSpin,
    VfLockQueuedSpin,
    VfLockRwSpin,
    VfLockMutex,
    VfLockFastMutex,
    VfLockGuardedMutex,
    VfLockResource,
} VF_LOCK_TYPE;

/* Deadlock detection is on (`ntk run --verifier none` turns it off with the other checks). */
extern BOOLEAN VfDeadlockChecks;

/* A blocking acquisition of Lock, made before the caller waits or spins for it: records the
 * order from every lock the thread holds, bug checks on an inversion, then notes Lock as held.
 * Caller is the return address into the code that called the DDI. Acquiring a lock the thread
 * holds only counts a recursion (the lock's own code reports a recursion it does not allow). */
VOID VfDeadlockAcquire(PVOID Lock, VF_LOCK_TYPE Type, PVOID Caller);
/* A successful try-acquisition: a try cannot wait, so it records no order into Lock; Lock is
 * held, and locks taken while it is held are ordered after it. */
VOID VfDeadlockTryAcquired(PVOID Lock, VF_LOCK_TYPE Type, PVOID Caller);
/* The current thread released Lock (one level of recursion). */
VOID VfDeadlockRelease(PVOID Lock);
/* Thread released Lock on behalf of another thread (ExReleaseResourceForThreadLite). */
VOID VfDeadlockReleaseForThread(PVOID Lock, PKTHREAD Thread);
/* Lock's memory is initialized anew or deleted: what was learnt about its address is dropped. */
VOID VfDeadlockForget(PVOID Lock);
/* The image [Start, End) is unloading: its global locks are dropped. */
VOID VfDeadlockForgetRange(ULONG_PTR Start, ULONG_PTR End);
/* The pool block [Start, End) is freed: the locks it held are dropped. */
VOID VfDeadlockForgetPool(ULONG_PTR Start, ULONG_PTR End);

/* Pages that may hold a lock with a node (vfdeadlock.c), for the pool's free. */
#define VF_LOCK_PAGE_BITS 65536
extern volatile ULONG64 VfLockPages[VF_LOCK_PAGE_BITS / 64];
extern volatile BOOLEAN VfLockPagesUsed; /* some lock has a node */

static inline ULONG VfLockPageBit(ULONG_PTR Page)
{
    return (ULONG)((Page * 0x9E3779B97F4A7C15ULL) >> 48);
}

/* A block freed from [Start, Start + Size) may hold a lock the detector knows. */
static inline BOOLEAN VfMayHoldTrackedLock(ULONG_PTR Start, SIZE_T Size)
{
    ULONG_PTR Page, Last = (Start + Size - 1) >> PAGE_SHIFT;
    if (!__atomic_load_n(&VfLockPagesUsed, __ATOMIC_ACQUIRE) || Size == 0)
        return FALSE;
    for (Page = Start >> PAGE_SHIFT; Page <= Last; Page++) {
        ULONG Bit = VfLockPageBit(Page);
        if (__atomic_load_n(&VfLockPages[Bit / 64], __ATOMIC_ACQUIRE) & (1ULL << (Bit % 64)))
            return TRUE;
    }
    return FALSE;
}

/* The hooks the DDIs call: one predictable test when the detector is off. */
#define VF_DEADLOCK_ACQUIRE(Lock, Type)                                                           \
    do {                                                                                          \
        if (VfDeadlockChecks)                                                                     \
            VfDeadlockAcquire((PVOID)(Lock), (Type), __builtin_return_address(0));               \
    } while (0)
#define VF_DEADLOCK_TRY_ACQUIRED(Lock, Type)                                                      \
    do {                                                                                          \
        if (VfDeadlockChecks)                                                                     \
            VfDeadlockTryAcquired((PVOID)(Lock), (Type), __builtin_return_address(0));           \
    } while (0)
#define VF_DEADLOCK_RELEASE(Lock)                                                                 \
    do {                                                                                          \
        if (VfDeadlockChecks)                                                                     \
            VfDeadlockRelease((PVOID)(Lock));                                                     \
    } while (0)
#define VF_DEADLOCK_FORGET(Lock)                                                                  \
    do {                                                                                          \
        if (VfDeadlockChecks)                                                                     \
            VfDeadlockForget((PVOID)(Lock));                                                      \
    } while (0)

#endif
