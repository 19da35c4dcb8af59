/* A small futex lock for ntk's own structures (pool, handle tables, dispatcher): one atomic
 * operation each way when uncontended. Not a driver-visible lock; it does not touch IRQL. */
#ifndef NTK_NTKLOCK_H
#define NTK_NTKLOCK_H

#include <linux/futex.h>
#include <sys/syscall.h>
#include <unistd.h>

typedef struct _NTK_LOCK {
    volatile int State; /* 0 free, 1 held, 2 held with waiters */
} NTK_LOCK;

#define NTK_LOCK_INIT { 0 }

static inline void NtkLockSlow(NTK_LOCK *Lock)
{
    int Spin;
    for (Spin = 0; Spin < 100; Spin++) {
        int Expected = 0;
        if (__atomic_compare_exchange_n(&Lock->State, &Expected, 1, 0, __ATOMIC_ACQUIRE,
                                        __ATOMIC_RELAXED))
            return;
        __builtin_ia32_pause();
    }
    while (__atomic_exchange_n(&Lock->State, 2, __ATOMIC_ACQUIRE) != 0)
        syscall(SYS_futex, &Lock->State, FUTEX_WAIT_PRIVATE, 2, NULL, NULL, 0);
}

static inline void NtkLock(NTK_LOCK *Lock)
{
    int Expected = 0;
    if (!__atomic_compare_exchange_n(&Lock->State, &Expected, 1, 0, __ATOMIC_ACQUIRE,
                                     __ATOMIC_RELAXED))
        NtkLockSlow(Lock);
}

static inline void NtkUnlock(NTK_LOCK *Lock)
{
    if (__atomic_exchange_n(&Lock->State, 0, __ATOMIC_RELEASE) == 2)
        syscall(SYS_futex, &Lock->State, FUTEX_WAKE_PRIVATE, 1, NULL, NULL, 0);
}

/* One bounded attempt for code that must not wait (the crash dump: the holder may be frozen). */
static inline int NtkTryLockBounded(NTK_LOCK *Lock, int Spins)
{
    int Try;
    for (Try = 0; Try < Spins; Try++) {
        int Expected = 0;
        if (__atomic_compare_exchange_n(&Lock->State, &Expected, 1, 0, __ATOMIC_ACQUIRE,
                                        __ATOMIC_RELAXED))
            return 1;
        __builtin_ia32_pause();
    }
    return 0;
}

#endif
