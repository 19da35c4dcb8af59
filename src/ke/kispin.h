/* Ke private: spin-lock helpers shared by the spin lock, queued spin lock, reader/writer spin
 * lock, ERESOURCE and ExInterlocked code (kespin.c implements them). */
#ifndef NTK_KISPIN_H
#define NTK_KISPIN_H

#include "ntkp.h"
#include <sched.h>

/* Raise to DISPATCH_LEVEL unless already there or above, and take the lock; the release gives
 * the lock back and returns to OldIrql. Usable at any IRQL, without the DDI entry checks. */
KIRQL KiAcquireSpinLockRaise(PKSPIN_LOCK SpinLock);
VOID KiReleaseSpinLockLower(PKSPIN_LOCK SpinLock, KIRQL OldIrql);

/* One turn of a spin-wait. Virtual processors can outnumber the host's cores, and a queued
 * lock is handed to one given waiter: spinning without end could keep the very thread that
 * must run next off the core. So every so often the spinner yields the host core. */
FORCEINLINE VOID KiSpinPause(ULONG *Spins)
{
    if ((++*Spins & 0xFF) != 0)
        __builtin_ia32_pause();
    else
        sched_yield();
}

/* Locks whose word cannot name their owner (queued and reader/writer spin locks) are noted
 * per thread, so that a recursive acquire or a release by a non-owner is caught. Spin locks
 * are only held at DISPATCH_LEVEL or above, where a thread never changes, so the notes are
 * exact; past KI_SPIN_NOTES nested locks the checks are off until all are released. */
#define KI_SPIN_NOTES 16
BOOLEAN KiSpinIsNoted(const VOID *Lock);
VOID KiSpinNote(const VOID *Lock);
BOOLEAN KiSpinUnnote(const VOID *Lock); /* FALSE: the thread had not noted it */

#endif
