/* Helpers shared by the tests/sync drivers, on top of tests/ke/kmtest_ke.h (threads, waits,
 * the summary). As there, checks are made only by the thread that runs DriverEntry; helper
 * threads record what they saw in globals. Ordering between threads comes from events and
 * from polling observable state (a waiter count, a lock word), never from timing. */
#ifndef NTK_TESTS_SYNC_KMTEST_SYNC_H
#define NTK_TESTS_SYNC_KMTEST_SYNC_H

#include "../ke/kmtest_ke.h"

/* Below DISPATCH_LEVEL: sleeps 1 ms at a time until Cond holds (the ctest timeout catches a
 * condition that never comes). */
#define KMT_WAIT_UNTIL(Cond)                                                                     \
    do {                                                                                         \
        while (!(Cond))                                                                          \
            KmtDelay(KMT_MS(1));                                                                 \
    } while (0)

/* At DISPATCH_LEVEL: spins until Cond holds. */
#define KMT_SPIN_UNTIL(Cond)                                                                     \
    do {                                                                                         \
        while (!(Cond))                                                                          \
            YieldProcessor();                                                                    \
    } while (0)

static inline ULONG KmtProcessors(void)
{
    return KeQueryActiveProcessorCount(NULL);
}

/* Runs the calling thread on processor Number from now on. */
static inline void KmtRunOn(ULONG Number)
{
    KeSetSystemAffinityThreadEx((KAFFINITY)1 << Number);
}

/* An order counter: each Stamp returns 1, 2, 3 ... */
static volatile LONG KmtOrderNext;
static inline LONG KmtStamp(void)
{
    return InterlockedIncrement(&KmtOrderNext);
}

#endif
