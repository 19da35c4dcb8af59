/* Ex: lookaside lists' owners (lookowner.c), shared with lookaside.c.
 *
 * A list that one thread uses is that thread's: it works on the list head with ordinary loads and
 * stores, announcing each operation in its own record (Busy). Another thread that wants the list
 * takes it away: it names the list in the owner's record (Revoking), makes every processor
 * serialize (membarrier), and waits until the owner is out of the list. The list is then shared
 * and each operation holds it with a locked instruction, until one thread alone has held it for
 * a tuning period and owns it again (lookaside.c). The two sides are an
 * asymmetric Dekker protocol: the owner's store of Busy and load of Revoking need no fence because
 * the barrier orders them against the revoker's store of Revoking and load of Busy. */
#ifndef NTK_EX_LOOKOWNER_H
#define NTK_EX_LOOKOWNER_H

#include "ntkp.h"

#define EXP_LOOKASIDE_OWNERS 4096 /* thread records; threads beyond them share lists */

typedef struct DECLSPEC_CACHEALIGN _EXP_LOOKASIDE_THREAD {
    PVOID volatile Busy;     /* the list the thread is working on as its owner, or NULL */
    PVOID volatile Revoking; /* a list another thread is taking from this one, or NULL */
} EXP_LOOKASIDE_THREAD;

/* Record 0 and the last are no thread's own: unassigned and refused threads touch them. */
extern EXP_LOOKASIDE_THREAD ExpLookasideThreads[EXP_LOOKASIDE_OWNERS + 1];
/* The calling thread's record (1 .. EXP_LOOKASIDE_OWNERS - 1), 0 before its first need. */
extern __thread USHORT ExpLookasideIndex;

/* The calling thread's record, assigned on first use; 0 when there is none to give (all in
 * use, or the host has no expedited membarrier): the thread then never owns a list. */
ULONG ExpLookasideSelf(VOID);
/* Takes List from the thread of record Owner: returns once that thread is not working on it
 * and will see Revoking before it works on it again. The caller then marks the list shared and
 * clears Revoking (ExpEndRevoke). Revocations are serialized. */
VOID ExpBeginRevoke(PVOID List, ULONG Owner);
VOID ExpEndRevoke(ULONG Owner);

#endif
