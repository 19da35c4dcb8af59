/* Ex: lookaside lists' owners: the thread records and the revocation (see lookowner.h). */
#include "lookowner.h"
#include "ntklock.h"
#include <linux/membarrier.h>
#include <pthread.h>
#include <sched.h>
#include <sys/syscall.h>
#include <unistd.h>

EXP_LOOKASIDE_THREAD ExpLookasideThreads[EXP_LOOKASIDE_OWNERS + 1];
__thread USHORT ExpLookasideIndex;

static NTK_LOCK ExpOwnersLock = NTK_LOCK_INIT;  /* the free records */
static NTK_LOCK ExpRevokeLock = NTK_LOCK_INIT;  /* one revocation at a time */
static USHORT ExpFreeRecords[EXP_LOOKASIDE_OWNERS];
static ULONG ExpFreeCount, ExpNextRecord = 1;
static BOOLEAN ExpOwnersUsable;
static pthread_key_t ExpRecordKey;
static pthread_once_t ExpOwnersOnce = PTHREAD_ONCE_INIT;

/* ExpLookasideIndex of a thread that was refused a record: no list's owner field has it. */
#define EXP_NO_RECORD EXP_LOOKASIDE_OWNERS

/* A thread that ends gives its record back: a list it owned stays owned by the record, which
 * is consistent (the next thread with that record is its owner, never two at once). */
static VOID ExpReleaseRecord(PVOID Value)
{
    ULONG Index = (ULONG)(ULONG_PTR)Value;
    NtkLock(&ExpOwnersLock);
    ExpFreeRecords[ExpFreeCount++] = (USHORT)Index;
    NtkUnlock(&ExpOwnersLock);
}

static VOID ExpInitializeOwners(VOID)
{
    /* Ownership needs the barrier that makes every processor serialize; without it every list
     * is shared from its first use. */
    ExpOwnersUsable =
        syscall(SYS_membarrier, MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED, 0, 0) == 0 &&
        pthread_key_create(&ExpRecordKey, ExpReleaseRecord) == 0;
}

ULONG ExpLookasideSelf(VOID)
{
    ULONG Index = ExpLookasideIndex;
    if (Index != 0)
        return Index == EXP_NO_RECORD ? 0 : Index;
    pthread_once(&ExpOwnersOnce, ExpInitializeOwners);
    Index = 0;
    if (ExpOwnersUsable) {
        NtkLock(&ExpOwnersLock);
        if (ExpFreeCount != 0)
            Index = ExpFreeRecords[--ExpFreeCount];
        else if (ExpNextRecord < EXP_LOOKASIDE_OWNERS)
            Index = ExpNextRecord++;
        NtkUnlock(&ExpOwnersLock);
    }
    if (Index != 0 && pthread_setspecific(ExpRecordKey, (PVOID)(ULONG_PTR)Index) != 0) {
        ExpReleaseRecord((PVOID)(ULONG_PTR)Index);
        Index = 0;
    }
    ExpLookasideIndex = (USHORT)(Index ? Index : EXP_NO_RECORD);
    return Index;
}

VOID ExpBeginRevoke(PVOID List, ULONG Owner)
{
    EXP_LOOKASIDE_THREAD *Record = &ExpLookasideThreads[Owner];
    ULONG Spins = 0;
    NtkLock(&ExpRevokeLock);
    __atomic_store_n(&Record->Revoking, List, __ATOMIC_RELAXED);
    /* Every running thread of the process serializes: the owner either sees Revoking before
     * it touches the list again, or its Busy is visible here. */
    syscall(SYS_membarrier, MEMBARRIER_CMD_PRIVATE_EXPEDITED, 0, 0);
    while (__atomic_load_n(&Record->Busy, __ATOMIC_ACQUIRE) == List) {
        if (++Spins < 128)
            __builtin_ia32_pause();
        else
            sched_yield(); /* the owner may be a thread the host has preempted */
    }
}

VOID ExpEndRevoke(ULONG Owner)
{
    __atomic_store_n(&ExpLookasideThreads[Owner].Revoking, NULL, __ATOMIC_RELEASE);
    NtkUnlock(&ExpRevokeLock);
}
