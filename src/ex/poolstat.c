/* Ex: the pool's counters by tag (what poolmon shows). Allocations and frees of small blocks
 * are counted in the calling thread's slots (pool.c), with no lock; a slot is added to the
 * shared table when the thread needs it for another tag or ends. A query adds the shared table
 * and every thread's slots, under the pool lock. Peaks: a slot remembers the most its tag's
 * bytes grew in that thread since it was last added in, so a peak is exact for a tag used by
 * one thread and at worst a little high when several threads add up at once. */
#include "pool.h"
#include "ntklock.h"
#include <ntk/ntkpool.h>
#include <stdlib.h>
#include <string.h>

static NTK_POOL_TAG_STATS ExpTagStats[POOL_TAG_BUCKETS];

static NTK_POOL_TAG_STATS *ExpTagEntry(ULONG Tag)
{
    ULONG i = (Tag * 2654435761u) % POOL_TAG_BUCKETS, n;
    for (n = 0; n < POOL_TAG_BUCKETS; n++, i = (i + 1) % POOL_TAG_BUCKETS) {
        if (ExpTagStats[i].Tag == Tag)
            return &ExpTagStats[i];
        if (ExpTagStats[i].Tag == 0 && ExpTagStats[i].PagedAllocs == 0 &&
            ExpTagStats[i].NonPagedAllocs == 0) {
            ExpTagStats[i].Tag = Tag;
            return &ExpTagStats[i];
        }
    }
    return &ExpTagStats[0];
}

/* Pool lock held: Allocs allocations and Frees frees changing the bytes in use by Bytes, the
 * bytes having grown by at most Growth on the way. */
static VOID ExpAddCounts(NTK_POOL_TAG_STATS *Stats, UCHAR PoolType, ULONG Allocs, ULONG Frees,
                         LONG_PTR Bytes, LONG_PTR Growth)
{
    if (PoolType) {
        Stats->PagedAllocs += Allocs;
        Stats->PagedFrees += Frees;
        if (Stats->PagedBytes + Growth > Stats->PagedPeak && Growth > 0)
            Stats->PagedPeak = Stats->PagedBytes + Growth;
        Stats->PagedBytes += Bytes;
    } else {
        Stats->NonPagedAllocs += Allocs;
        Stats->NonPagedFrees += Frees;
        if (Stats->NonPagedBytes + Growth > Stats->NonPagedPeak && Growth > 0)
            Stats->NonPagedPeak = Stats->NonPagedBytes + Growth;
        Stats->NonPagedBytes += Bytes;
    }
}

VOID ExpAccountLocked(ULONG Tag, UCHAR PoolType, SIZE_T Bytes, BOOLEAN Allocate)
{
    if (Allocate)
        ExpAddCounts(ExpTagEntry(Tag), PoolType, 1, 0, (LONG_PTR)Bytes, (LONG_PTR)Bytes);
    else
        ExpAddCounts(ExpTagEntry(Tag), PoolType, 0, 1, -(LONG_PTR)Bytes, 0);
}

VOID ExpAccountAllocation(ULONG Tag, UCHAR PoolType, SIZE_T Bytes, BOOLEAN Allocate)
{
    NtkLock(&ExpPoolLock);
    ExpAccountLocked(Tag, PoolType, Bytes, Allocate);
    NtkUnlock(&ExpPoolLock);
}

VOID ExpFlushStatSlot(POOL_STAT_SLOT *Slot)
{
    if (Slot->Used)
        ExpAddCounts(ExpTagEntry(Slot->Tag), Slot->Type, Slot->Allocs, Slot->Frees, Slot->Bytes,
                     Slot->Growth);
    memset(Slot, 0, sizeof(*Slot));
}

/* ---- Queries: the shared table plus every thread's slots, pool lock held ---- */

typedef struct _EXP_MERGE {
    NTK_POOL_TAG_STATS *Stats;
    ULONG Capacity, Count;
} EXP_MERGE;

static NTK_POOL_TAG_STATS *ExpMergeEntry(EXP_MERGE *Merge, ULONG Tag)
{
    ULONG i;
    for (i = 0; i < Merge->Count && i < Merge->Capacity; i++)
        if (Merge->Stats[i].Tag == Tag)
            return &Merge->Stats[i];
    if (Merge->Count++ >= Merge->Capacity)
        return NULL;
    memset(&Merge->Stats[i], 0, sizeof(Merge->Stats[i]));
    Merge->Stats[i].Tag = Tag;
    return &Merge->Stats[i];
}

static VOID ExpMergeSlot(const POOL_STAT_SLOT *Slot, PVOID Context)
{
    NTK_POOL_TAG_STATS *Stats = ExpMergeEntry(Context, Slot->Tag);
    if (Stats)
        ExpAddCounts(Stats, Slot->Type, Slot->Allocs, Slot->Frees, Slot->Bytes, Slot->Growth);
}

/* Every tag's counters, in Merge (a tag never allocated is left out). */
static VOID ExpMergeAll(EXP_MERGE *Merge)
{
    ULONG i;
    for (i = 0; i < POOL_TAG_BUCKETS; i++) {
        const NTK_POOL_TAG_STATS *Entry = &ExpTagStats[i];
        NTK_POOL_TAG_STATS *Out;
        if (Entry->PagedAllocs == 0 && Entry->NonPagedAllocs == 0)
            continue;
        if (Merge->Count < Merge->Capacity) {
            Merge->Stats[Merge->Count] = *Entry;
            Merge->Count++;
        } else {
            Out = ExpMergeEntry(Merge, Entry->Tag); /* counts the overflow */
            (void)Out;
        }
    }
    ExpForEachThreadSlot(ExpMergeSlot, Merge);
}

BOOLEAN ExpQueryPoolTags(NTK_POOL_TAG_STATS *Stats, ULONG Capacity, ULONG *Count)
{
    EXP_MERGE Merge = { Stats, Capacity, 0 };
    NtkLock(&ExpPoolLock);
    ExpMergeAll(&Merge);
    NtkUnlock(&ExpPoolLock);
    *Count = Merge.Count;
    return Merge.Count <= Capacity;
}

/* For the crash dump: never waits for the pool lock (a frozen thread may hold it). */
BOOLEAN ExpTryQueryPoolTags(NTK_POOL_TAG_STATS *Stats, ULONG Capacity, ULONG *Count)
{
    EXP_MERGE Merge = { Stats, Capacity, 0 };
    if (!NtkTryLockBounded(&ExpPoolLock, 2000))
        return FALSE;
    ExpMergeAll(&Merge);
    NtkUnlock(&ExpPoolLock);
    *Count = Merge.Count;
    return Merge.Count <= Capacity;
}

static VOID ExpToInfo(const NTK_POOL_TAG_STATS *Stats, PNTK_POOL_TAG_INFO Info)
{
    Info->Tag = Stats->Tag;
    Info->NonPagedAllocs = Stats->NonPagedAllocs;
    Info->NonPagedFrees = Stats->NonPagedFrees;
    Info->NonPagedBytes = Stats->NonPagedBytes;
    Info->NonPagedPeak = Stats->NonPagedPeak;
    Info->PagedAllocs = Stats->PagedAllocs;
    Info->PagedFrees = Stats->PagedFrees;
    Info->PagedBytes = Stats->PagedBytes;
    Info->PagedPeak = Stats->PagedPeak;
}

typedef struct _EXP_ONE_TAG {
    ULONG Tag;
    NTK_POOL_TAG_STATS Stats;
    BOOLEAN Found;
} EXP_ONE_TAG;

static VOID ExpAddTagSlot(const POOL_STAT_SLOT *Slot, PVOID Context)
{
    EXP_ONE_TAG *One = Context;
    if ((Slot->Tag & ~0x80000000u) != One->Tag)
        return;
    One->Found = TRUE;
    ExpAddCounts(&One->Stats, Slot->Type, Slot->Allocs, Slot->Frees, Slot->Bytes, Slot->Growth);
}

NTSTATUS NtkQueryPoolTag(ULONG Tag, PNTK_POOL_TAG_INFO Info)
{
    EXP_ONE_TAG One;
    ULONG i;
    if (Info == NULL)
        return STATUS_INVALID_PARAMETER;
    memset(&One, 0, sizeof(One));
    One.Tag = Tag & ~0x80000000u; /* the tag is kept as the allocation gave it */
    NtkLock(&ExpPoolLock);
    for (i = 0; i < POOL_TAG_BUCKETS; i++) {
        const NTK_POOL_TAG_STATS *Entry = &ExpTagStats[i];
        if ((Entry->PagedAllocs || Entry->NonPagedAllocs) &&
            (Entry->Tag & ~0x80000000u) == One.Tag) {
            One.Stats = *Entry;
            One.Found = TRUE;
            break;
        }
    }
    ExpForEachThreadSlot(ExpAddTagSlot, &One);
    NtkUnlock(&ExpPoolLock);
    if (!One.Found || (One.Stats.PagedAllocs == 0 && One.Stats.NonPagedAllocs == 0))
        return STATUS_NOT_FOUND;
    if (One.Stats.Tag == 0)
        One.Stats.Tag = Tag; /* only in threads' slots so far */
    ExpToInfo(&One.Stats, Info);
    return STATUS_SUCCESS;
}

NTSTATUS NtkQueryPoolTags(PNTK_POOL_TAG_INFO Info, ULONG Capacity, PULONG Count)
{
    NTK_POOL_TAG_STATS *Stats;
    ULONG Total = 0, i;
    BOOLEAN Complete;
    if (Count == NULL || (Info == NULL && Capacity != 0))
        return STATUS_INVALID_PARAMETER;
    /* Collected in host memory first: the pool may not allocate from itself here. */
    Stats = calloc(POOL_TAG_BUCKETS + 256, sizeof(*Stats));
    if (Stats == NULL)
        return STATUS_INSUFFICIENT_RESOURCES;
    Complete = ExpQueryPoolTags(Stats, POOL_TAG_BUCKETS + 256, &Total);
    for (i = 0; i < Total && i < Capacity && i < POOL_TAG_BUCKETS + 256; i++)
        ExpToInfo(&Stats[i], &Info[i]);
    free(Stats);
    *Count = Total;
    return Complete && Total <= Capacity ? STATUS_SUCCESS : STATUS_BUFFER_TOO_SMALL;
}
