/* Ex: the executive pool, in system space. Small blocks come from size-class free lists carved
 * out of 1 MiB arenas; blocks above a page minus the header are whole pages of their own.
 * Every block has a 16-byte POOL_HEADER just before it (as on x64 Windows) and a tracking
 * record before that, which the verifier's leak check and the per-tag statistics use. */
#include "pool.h"
#include "ntklock.h"
#include <ntk/ntkpool.h>
#include <stdio.h>
#include <string.h>

#define POOL_UNIT 16
#define POOL_ARENA_SIZE (1024 * 1024)
#define POOL_MAGIC 0x4B4F4F50u /* 'POOK' */
#define POOL_STATE_ALLOCATED 0xA1
#define POOL_STATE_FREE 0xF2
#define POOL_SMALL_LIMIT (PAGE_SIZE - sizeof(POOL_HEADER))
#define POOL_TAG_BUCKETS 1024

typedef struct _POOL_TRACK {
    LIST_ENTRY Live;     /* every allocated block, for the leak check */
    PVOID Caller;
    SIZE_T Requested;
} POOL_TRACK;

typedef struct _POOL_HEADER {
    ULONG Units;         /* small: block size in POOL_UNITs; large: pages incl. the front page */
    UCHAR PoolType;      /* 0 non-paged, 1 paged */
    UCHAR State;
    UCHAR Large;
    UCHAR Reserved;
    ULONG Tag;
    ULONG Magic;
} POOL_HEADER;

#define POOL_OVERHEAD (sizeof(POOL_TRACK) + sizeof(POOL_HEADER))
#define POOL_CLASSES ((PAGE_SIZE + POOL_OVERHEAD) / POOL_UNIT + 1)

_Static_assert(sizeof(POOL_HEADER) == 16, "x64 pool header is 16 bytes");
_Static_assert(sizeof(POOL_TRACK) % 16 == 0, "blocks stay 16-byte aligned");

/* An arena is aligned on its size, so a block finds its arena; the arena's first unit says
 * how far blocks have been carved, so a free can check the block after it. */
typedef struct _POOL_ARENA {
    ULONG_PTR Magic;     /* POOL_ARENA_MAGIC ^ the arena's address */
    PUCHAR CarvedEnd;
} POOL_ARENA;
#define POOL_ARENA_MAGIC 0x414E4552414B544EULL /* 'NTKARENA' */
#define POOL_SLACK_PATTERN 0xB7               /* after a block's last byte, up to its unit */

_Static_assert(sizeof(POOL_ARENA) == POOL_UNIT, "the arena header is one unit");

static NTK_LOCK ExpPoolLock = NTK_LOCK_INIT;
/* By pool type (0 non-paged, 1 paged: paged pool has a region of its own, pagedpool.c). */
static PVOID ExpFreeLists[2][POOL_CLASSES];
static PUCHAR ExpArenaNext[2], ExpArenaEnd[2];
static LIST_ENTRY ExpLiveBlocks = { &ExpLiveBlocks, &ExpLiveBlocks };
static NTK_POOL_TAG_STATS ExpTagStats[POOL_TAG_BUCKETS];
/* Freed large blocks, by page count (front page included), kept mapped for reuse: system space
 * is never handed out twice otherwise, so repeated large requests recycle these. */
#define POOL_LARGE_CACHE_PAGES 260
#define POOL_LARGE_CACHE_DEPTH 8
static PUCHAR ExpLargeCache[2][POOL_LARGE_CACHE_PAGES + 1][POOL_LARGE_CACHE_DEPTH];
static UCHAR ExpLargeCount[2][POOL_LARGE_CACHE_PAGES + 1];

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

static VOID ExpAccount(ULONG Tag, UCHAR PoolType, SIZE_T Bytes, BOOLEAN Allocate)
{
    NTK_POOL_TAG_STATS *Stats = ExpTagEntry(Tag);
    if (PoolType) {
        if (Allocate) {
            Stats->PagedAllocs++;
            Stats->PagedBytes += Bytes;
            if (Stats->PagedBytes > Stats->PagedPeak)
                Stats->PagedPeak = Stats->PagedBytes;
        } else {
            Stats->PagedFrees++;
            Stats->PagedBytes -= Bytes;
        }
    } else {
        if (Allocate) {
            Stats->NonPagedAllocs++;
            Stats->NonPagedBytes += Bytes;
            if (Stats->NonPagedBytes > Stats->NonPagedPeak)
                Stats->NonPagedPeak = Stats->NonPagedBytes;
        } else {
            Stats->NonPagedFrees++;
            Stats->NonPagedBytes -= Bytes;
        }
    }
}

VOID ExpAccountAllocation(ULONG Tag, UCHAR PoolType, SIZE_T Bytes, BOOLEAN Allocate)
{
    NtkLock(&ExpPoolLock);
    ExpAccount(Tag, PoolType, Bytes, Allocate);
    NtkUnlock(&ExpPoolLock);
}

/* A copy of the per-tag counters, tags in use first-seen order; FALSE when there are more tags
 * than Capacity (Count is then the number needed). */
static BOOLEAN ExpCopyTagStats(NTK_POOL_TAG_STATS *Stats, ULONG Capacity, ULONG *Count)
{
    ULONG i, n = 0;
    for (i = 0; i < POOL_TAG_BUCKETS; i++) {
        const NTK_POOL_TAG_STATS *Entry = &ExpTagStats[i];
        if (Entry->PagedAllocs == 0 && Entry->NonPagedAllocs == 0)
            continue;
        if (n < Capacity)
            Stats[n] = *Entry;
        n++;
    }
    *Count = n;
    return n <= Capacity;
}

BOOLEAN ExpQueryPoolTags(NTK_POOL_TAG_STATS *Stats, ULONG Capacity, ULONG *Count)
{
    BOOLEAN Complete;
    NtkLock(&ExpPoolLock);
    Complete = ExpCopyTagStats(Stats, Capacity, Count);
    NtkUnlock(&ExpPoolLock);
    return Complete;
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

NTSTATUS NtkQueryPoolTag(ULONG Tag, PNTK_POOL_TAG_INFO Info)
{
    NTSTATUS Status = STATUS_NOT_FOUND;
    ULONG i;
    if (Info == NULL)
        return STATUS_INVALID_PARAMETER;
    Tag &= ~0x80000000u; /* the tag is kept as the allocation gave it; compare without the bit */
    NtkLock(&ExpPoolLock);
    for (i = 0; i < POOL_TAG_BUCKETS; i++) {
        const NTK_POOL_TAG_STATS *Entry = &ExpTagStats[i];
        if ((Entry->PagedAllocs || Entry->NonPagedAllocs) && (Entry->Tag & ~0x80000000u) == Tag) {
            ExpToInfo(Entry, Info);
            Status = STATUS_SUCCESS;
            break;
        }
    }
    NtkUnlock(&ExpPoolLock);
    return Status;
}

NTSTATUS NtkQueryPoolTags(PNTK_POOL_TAG_INFO Info, ULONG Capacity, PULONG Count)
{
    ULONG i, n = 0;
    if (Count == NULL || (Info == NULL && Capacity != 0))
        return STATUS_INVALID_PARAMETER;
    NtkLock(&ExpPoolLock);
    for (i = 0; i < POOL_TAG_BUCKETS; i++) {
        const NTK_POOL_TAG_STATS *Entry = &ExpTagStats[i];
        if (Entry->PagedAllocs == 0 && Entry->NonPagedAllocs == 0)
            continue;
        if (n < Capacity)
            ExpToInfo(Entry, &Info[n]);
        n++;
    }
    NtkUnlock(&ExpPoolLock);
    *Count = n;
    return n <= Capacity ? STATUS_SUCCESS : STATUS_BUFFER_TOO_SMALL;
}

/* For the crash dump: never waits for the pool lock (a frozen thread may hold it). */
BOOLEAN ExpTryQueryPoolTags(NTK_POOL_TAG_STATS *Stats, ULONG Capacity, ULONG *Count)
{
    BOOLEAN Complete;
    if (!NtkTryLockBounded(&ExpPoolLock, 2000))
        return FALSE;
    Complete = ExpCopyTagStats(Stats, Capacity, Count);
    NtkUnlock(&ExpPoolLock);
    return Complete;
}

NTSTATUS ExpInitializePool(VOID)
{
    return ExpInitializePagedPool();
}

BOOLEAN ExpIsPoolAddress(PVOID Address)
{
    return MmpIsSystemAddress(Address);
}

static POOL_HEADER *ExpHeader(PVOID Block)
{
    return (POOL_HEADER *)Block - 1;
}

static POOL_TRACK *ExpTrack(PVOID Block)
{
    return (POOL_TRACK *)ExpHeader(Block) - 1;
}

static ULONG_PTR ExpArenaOf(const VOID *Address)
{
    return (ULONG_PTR)Address & ~(ULONG_PTR)(POOL_ARENA_SIZE - 1);
}

/* An arena aligned on its size: twice the size reserved, the unaligned ends given back. */
static POOL_ARENA *ExpNewArena(UCHAR PoolType)
{
    PUCHAR Raw, Aligned;
    POOL_ARENA *Arena;
    if (PoolType) {
        Aligned = ExpCarvePagedPool(POOL_ARENA_SIZE, POOL_ARENA_SIZE);
        if (Aligned == NULL)
            return NULL;
    } else {
        Raw = MmpReserveSystemPages(2 * POOL_ARENA_SIZE);
        if (Raw == NULL)
            return NULL;
        Aligned = (PUCHAR)ExpArenaOf(Raw + POOL_ARENA_SIZE - 1);
        if (Aligned > Raw)
            MmpReleaseSystemPages(Raw, (SIZE_T)(Aligned - Raw));
        if (Aligned + POOL_ARENA_SIZE < Raw + 2 * POOL_ARENA_SIZE)
            MmpReleaseSystemPages(Aligned + POOL_ARENA_SIZE,
                                  (SIZE_T)(Raw + 2 * POOL_ARENA_SIZE - Aligned - POOL_ARENA_SIZE));
    }
    Arena = (POOL_ARENA *)Aligned;
    Arena->Magic = POOL_ARENA_MAGIC ^ (ULONG_PTR)Arena;
    Arena->CarvedEnd = (PUCHAR)(Arena + 1);
    return Arena;
}

/* The arena that holds Address, or NULL if it lies in none (a large block, a stray pointer). */
static POOL_ARENA *ExpFindArena(const VOID *Address)
{
    POOL_ARENA *Arena = (POOL_ARENA *)ExpArenaOf(Address);
    if (MmpTouchUserRange(Arena, sizeof(*Arena), FALSE) != STATUS_SUCCESS ||
        Arena->Magic != (POOL_ARENA_MAGIC ^ (ULONG_PTR)Arena))
        return NULL;
    return (PUCHAR)Address < Arena->CarvedEnd ? Arena : NULL;
}

/* Only on the way to a bug check: walks Block's arena from its start, block by block (the
 * sizes in the headers), to tell a damaged header (Block starts a block, or the walk meets a
 * header it cannot follow) from a pointer into the middle of a block. */
static BOOLEAN ExpIsBlockStart(PVOID Block)
{
    POOL_ARENA *Arena = ExpFindArena(Block);
    PUCHAR p;
    if (Arena == NULL)
        return FALSE;
    for (p = (PUCHAR)(Arena + 1); p < Arena->CarvedEnd;) {
        const POOL_HEADER *Header = (const POOL_HEADER *)(p + sizeof(POOL_TRACK));
        PUCHAR Start = p + POOL_OVERHEAD;
        if (Start == (PUCHAR)Block)
            return TRUE;
        if (Header->Units == 0 || Header->Units >= POOL_CLASSES ||
            Header->Magic != (POOL_MAGIC ^ (ULONG)(ULONG_PTR)Start))
            return TRUE; /* the arena is damaged before Block: a header was overwritten */
        if ((PUCHAR)Block < p + (SIZE_T)Header->Units * POOL_UNIT)
            return FALSE; /* inside this block */
        p += (SIZE_T)Header->Units * POOL_UNIT;
    }
    return FALSE;
}

static BOOLEAN ExpHeaderValid(const POOL_HEADER *Header, const VOID *Block)
{
    return Header->Magic == (POOL_MAGIC ^ (ULONG)(ULONG_PTR)Block) &&
           (Header->State == POOL_STATE_ALLOCATED || Header->State == POOL_STATE_FREE);
}

/* Allocates with the pool lock held; returns the block or NULL. */
static PVOID ExpAllocateLocked(UCHAR PoolType, SIZE_T Size, ULONG *Units, BOOLEAN *Large)
{
    PUCHAR Base;
    if (Size <= POOL_SMALL_LIMIT) {
        ULONG Class = (ULONG)((Size + POOL_OVERHEAD + POOL_UNIT - 1) / POOL_UNIT);
        SIZE_T Bytes = (SIZE_T)Class * POOL_UNIT;
        *Units = Class;
        *Large = FALSE;
        if (ExpFreeLists[PoolType][Class]) {
            Base = ExpFreeLists[PoolType][Class];
            ExpFreeLists[PoolType][Class] = *(PVOID *)(Base + POOL_OVERHEAD);
            return Base + POOL_OVERHEAD;
        }
        if (ExpArenaNext[PoolType] == NULL ||
            ExpArenaNext[PoolType] + Bytes > ExpArenaEnd[PoolType]) {
            POOL_ARENA *Arena = ExpNewArena(PoolType);
            if (Arena == NULL)
                return NULL;
            ExpArenaNext[PoolType] = (PUCHAR)(Arena + 1);
            ExpArenaEnd[PoolType] = (PUCHAR)Arena + POOL_ARENA_SIZE;
        }
        Base = ExpArenaNext[PoolType];
        ExpArenaNext[PoolType] += Bytes;
        ((POOL_ARENA *)ExpArenaOf(Base))->CarvedEnd = ExpArenaNext[PoolType];
        return Base + POOL_OVERHEAD;
    }
    /* Large: page-aligned data after a front page that holds the track and the header. */
    if (Size > ((SIZE_T)1 << 40))
        return NULL;
    *Units = (ULONG)(BYTES_TO_PAGES(Size) + 1);
    *Large = TRUE;
    if (*Units <= POOL_LARGE_CACHE_PAGES && ExpLargeCount[PoolType][*Units] != 0)
        return ExpLargeCache[PoolType][*Units][--ExpLargeCount[PoolType][*Units]] + PAGE_SIZE;
    Base = PoolType ? ExpCarvePagedPool((SIZE_T)*Units * PAGE_SIZE, PAGE_SIZE)
                    : MmpReserveSystemPages((SIZE_T)*Units * PAGE_SIZE);
    return Base ? Base + PAGE_SIZE : NULL;
}

PVOID ExpAllocatePoolEx(UCHAR PoolType, SIZE_T Size, ULONG Tag, BOOLEAN Zero, PVOID Caller,
                        ULONG Special)
{
    POOL_HEADER *Header;
    POOL_TRACK *Track;
    ULONG Units;
    BOOLEAN Large;
    PVOID Block;
    KIRQL Irql = KiGetIrql();

    if (Irql > DISPATCH_LEVEL || (PoolType && Irql > APC_LEVEL))
        KeBugCheckEx(DRIVER_VERIFIER_DETECTED_VIOLATION, PoolType ? 0x01 : 0x02, Irql, PoolType,
                     Size);
    if (Size == 0) {
        if (VfPoolChecks)
            KeBugCheckEx(DRIVER_VERIFIER_DETECTED_VIOLATION, 0x00, Irql, PoolType, 0);
        Size = 1; /* without the verifier, a zero-byte request still gets a distinct block */
    }
    if ((ExpSpecialPoolActive || (Special & EXP_SPECIAL_FORCE)) && Size < PAGE_SIZE) {
        Block = ExpAllocateSpecialPool(PoolType, Size, Tag, Zero, Caller, Special);
        if (Block)
            return Block;
    }
    NtkLock(&ExpPoolLock);
    Block = ExpAllocateLocked(PoolType, Size, &Units, &Large);
    if (Block == NULL) {
        NtkUnlock(&ExpPoolLock);
        return NULL;
    }
    Header = ExpHeader(Block);
    Track = ExpTrack(Block);
    Header->Units = Units;
    Header->PoolType = PoolType;
    Header->State = POOL_STATE_ALLOCATED;
    Header->Large = Large;
    Header->Reserved = 0;
    Header->Tag = Tag;
    Header->Magic = POOL_MAGIC ^ (ULONG)(ULONG_PTR)Block;
    Track->Caller = Caller;
    Track->Requested = Size;
    InsertTailList(&ExpLiveBlocks, &Track->Live);
    ExpAccount(Tag, PoolType, Size, TRUE);
    NtkUnlock(&ExpPoolLock);
    if (!Large) {
        PUCHAR Slack = (PUCHAR)Block + Size, End = (PUCHAR)Block - POOL_OVERHEAD + Units * POOL_UNIT;
        while (Slack < End)
            *Slack++ = POOL_SLACK_PATTERN;
    }
    if (Zero)
        memset(Block, 0, Size);
    return Block;
}

PVOID ExpAllocatePool(UCHAR PoolType, SIZE_T Size, ULONG Tag, BOOLEAN Zero, PVOID Caller)
{
    return ExpAllocatePoolEx(PoolType, Size, Tag, Zero, Caller, 0);
}

/* The block after another: its header, and if it is allocated, its tracking links (what an
 * overrun reaches first). */
static BOOLEAN ExpNeighbourIntact(PVOID Next)
{
    POOL_HEADER *Header = ExpHeader(Next);
    PLIST_ENTRY Live = &ExpTrack(Next)->Live;
    if (!ExpHeaderValid(Header, Next))
        return FALSE;
    if (Header->State != POOL_STATE_ALLOCATED)
        return TRUE;
    return MmpTouchUserRange(Live->Flink, sizeof(LIST_ENTRY), FALSE) == STATUS_SUCCESS &&
           MmpTouchUserRange(Live->Blink, sizeof(LIST_ENTRY), FALSE) == STATUS_SUCCESS &&
           Live->Flink->Blink == Live && Live->Blink->Flink == Live;
}

/* On free, pool lock held: the bytes after the block up to its unit still hold their pattern
 * (an overrun smaller than a unit), and the next block's header is intact (a larger one). */
static VOID ExpCheckNeighbours(PVOID Block, POOL_HEADER *Header, POOL_TRACK *Track)
{
    PUCHAR Slack = (PUCHAR)Block + Track->Requested;
    PUCHAR Next = (PUCHAR)Block - POOL_OVERHEAD + (SIZE_T)Header->Units * POOL_UNIT;
    POOL_ARENA *Arena = (POOL_ARENA *)ExpArenaOf(Block);
    for (; Slack < Next; Slack++) {
        if (*Slack != POOL_SLACK_PATTERN) {
            ULONG_PTR Value = *Slack;
            NtkUnlock(&ExpPoolLock);
            KdpLog("ntk: pool: the block at %p (%Iu bytes, tag 0x%08X) was written past its end "
                   "(at %p)\n",
                   Block, Track->Requested, Header->Tag, Slack);
            KeBugCheckEx(BAD_POOL_HEADER, 0x21, (ULONG_PTR)Block, Track->Requested, Value);
        }
    }
    if (Next < Arena->CarvedEnd && !ExpNeighbourIntact(Next + POOL_OVERHEAD)) {
        NtkUnlock(&ExpPoolLock);
        KdpLog("ntk: pool: the header after the block at %p (%Iu bytes, tag 0x%08X) is "
               "overwritten: an overrun of this block\n",
               Block, Track->Requested, Header->Tag);
        KeBugCheckEx(BAD_POOL_HEADER, 0x5, (ULONG_PTR)Header, 0,
                     (ULONG_PTR)ExpHeader(Next + POOL_OVERHEAD));
    }
}

VOID ExpFreePool(PVOID Block, ULONG Tag, BOOLEAN CheckTag)
{
    POOL_HEADER *Header;
    POOL_TRACK *Track;
    KIRQL Irql = KiGetIrql();

    if (ExpIsSpecialPoolAddress(Block)) {
        ExpFreeSpecialPool(Block, Tag, CheckTag);
        return;
    }
    /* Paged pool is known by its address: the IRQL check comes before any touch of it. */
    if (ExpIsPagedPoolAddress(Block) && Irql > APC_LEVEL)
        KeBugCheckEx(DRIVER_VERIFIER_DETECTED_VIOLATION, 0x11, Irql, 1, (ULONG_PTR)Block);
    if (Block == NULL || !ExpIsPoolAddress(Block) || ((ULONG_PTR)Block & (POOL_UNIT - 1)))
        KeBugCheckEx(BAD_POOL_CALLER, 0x46, (ULONG_PTR)Block, 0, 0);
    Header = ExpHeader(Block);
    if (MmpTouchUserRange(Header, sizeof(*Header), FALSE) != STATUS_SUCCESS ||
        Header->Magic != (POOL_MAGIC ^ (ULONG)(ULONG_PTR)Block)) {
        /* Inside an arena, where blocks are, the header was overwritten (or the pointer is
         * inside a block); elsewhere it was never a pool block. */
        if (ExpIsBlockStart(Block))
            KeBugCheckEx(BAD_POOL_HEADER, 0x20, (ULONG_PTR)Header, 0, 0);
        KeBugCheckEx(BAD_POOL_CALLER, 0x46, (ULONG_PTR)Block, 0, 0);
    }
    if (Irql > DISPATCH_LEVEL || (Header->PoolType && Irql > APC_LEVEL))
        KeBugCheckEx(DRIVER_VERIFIER_DETECTED_VIOLATION, Header->PoolType ? 0x11 : 0x12, Irql,
                     Header->PoolType, (ULONG_PTR)Block);
    NtkLock(&ExpPoolLock);
    if (Header->State != POOL_STATE_ALLOCATED) {
        NtkUnlock(&ExpPoolLock);
        KeBugCheckEx(BAD_POOL_CALLER, 0x07, 0, *(ULONG_PTR *)Header, (ULONG_PTR)Block);
    }
    if (CheckTag && (Header->Tag & ~0x80000000u) != (Tag & ~0x80000000u)) {
        ULONG Actual = Header->Tag;
        NtkUnlock(&ExpPoolLock);
        KeBugCheckEx(BAD_POOL_CALLER, 0x0A, (ULONG_PTR)Block, Actual, Tag);
    }
    Track = ExpTrack(Block);
    if (!Header->Large)
        ExpCheckNeighbours(Block, Header, Track);
    RemoveEntryList(&Track->Live);
    ExpAccount(Header->Tag, Header->PoolType, Track->Requested, FALSE);
    Header->State = POOL_STATE_FREE;
    if (Header->Large) {
        ULONG Pages = Header->Units;
        PUCHAR Base = (PUCHAR)Block - PAGE_SIZE;
        /* A few stay mapped for the next request of that size (what NT's big-pool cache
         * gains); the rest go back, inaccessible, so a stale pointer faults. */
        UCHAR Type = Header->PoolType;
        if (Pages <= POOL_LARGE_CACHE_PAGES &&
            ExpLargeCount[Type][Pages] < POOL_LARGE_CACHE_DEPTH) {
            ExpLargeCache[Type][Pages][ExpLargeCount[Type][Pages]++] = Base;
            NtkUnlock(&ExpPoolLock);
            return;
        }
        NtkUnlock(&ExpPoolLock);
        if (Type)
            ExpReleasePagedPool(Base, (SIZE_T)Pages * PAGE_SIZE);
        else
            MmpReleaseSystemPages(Base, (SIZE_T)Pages * PAGE_SIZE);
        return;
    }
    *(PVOID *)Block = ExpFreeLists[Header->PoolType][Header->Units];
    ExpFreeLists[Header->PoolType][Header->Units] = (PUCHAR)Block - POOL_OVERHEAD;
    NtkUnlock(&ExpPoolLock);
}

ULONG ExpCountImageAllocations(ULONG_PTR ImageBase, ULONG_PTR ImageEnd, SIZE_T *Bytes,
                               VOID (*Report)(PVOID Block, ULONG Tag, SIZE_T Size, PVOID Caller,
                                              PVOID Context),
                               PVOID Context)
{
    PLIST_ENTRY Entry;
    ULONG Count = 0;
    SIZE_T Total = 0, Special;
    NtkLock(&ExpPoolLock);
    for (Entry = ExpLiveBlocks.Flink; Entry != &ExpLiveBlocks; Entry = Entry->Flink) {
        POOL_TRACK *Track = CONTAINING_RECORD(Entry, POOL_TRACK, Live);
        PVOID Block = (PUCHAR)(Track + 1) + sizeof(POOL_HEADER);
        ULONG_PTR Caller = (ULONG_PTR)Track->Caller;
        if (Caller >= ImageBase && Caller < ImageEnd) {
            Count++;
            Total += Track->Requested;
            if (Report)
                Report(Block, ExpHeader(Block)->Tag, Track->Requested, Track->Caller, Context);
        }
    }
    NtkUnlock(&ExpPoolLock);
    Count += ExpCountSpecialAllocations(ImageBase, ImageEnd, &Special, Report, Context);
    if (Bytes)
        *Bytes = Total + Special;
    return Count;
}
