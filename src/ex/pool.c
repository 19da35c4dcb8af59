/* Ex: the executive pool, in system space. Small blocks come from size classes carved out of
 * 1 MiB arenas; blocks above a page minus the header are whole pages of their own. Every block
 * has a 16-byte POOL_HEADER just before it (as on x64 Windows) and a tracking record before
 * that (the caller and the size, for the verifier's leak check). Each thread keeps a few free
 * blocks of each class and counts its allocations itself (poolarena.c), so that a small
 * allocation and its free take no lock and no call; the shared free lists, the carving and large
 * blocks are under the pool lock. The leak check walks the arenas: a block's header says whether
 * it is allocated. */
#include "poolp.h"
#include "../vf/vfdeadlock.h"
#include <ntk/ntkpool.h>
#include <string.h>

static LIST_ENTRY ExpLargeBlocks = { &ExpLargeBlocks, &ExpLargeBlocks };
/* Freed large blocks, by page count (front page included), kept mapped for reuse: system space
 * is never handed out twice otherwise, so repeated large requests recycle these. */
#define POOL_LARGE_CACHE_PAGES 260
#define POOL_LARGE_CACHE_DEPTH 8
static PUCHAR ExpLargeCache[2][POOL_LARGE_CACHE_PAGES + 1][POOL_LARGE_CACHE_DEPTH];
static UCHAR ExpLargeCount[2][POOL_LARGE_CACHE_PAGES + 1];

NTSTATUS ExpInitializePool(VOID)
{
    return ExpInitializePagedPool();
}

BOOLEAN ExpIsPoolAddress(PVOID Address)
{
    return MmpIsSystemAddress(Address);
}

/* ---- Allocation ---- */

/* Large: page-aligned data after a front page that holds the track and the header. */
static PVOID ExpAllocateLarge(UCHAR PoolType, SIZE_T Size, ULONG Tag, PVOID Caller)
{
    ULONG Pages;
    PUCHAR Base = NULL;
    PVOID Block;
    POOL_HEADER *Header;
    POOL_TRACK *Track;
    if (Size > ((SIZE_T)1 << 40))
        return NULL;
    Pages = (ULONG)(BYTES_TO_PAGES(Size) + 1);
    NtkLock(&ExpPoolLock);
    if (Pages <= POOL_LARGE_CACHE_PAGES && ExpLargeCount[PoolType][Pages] != 0)
        Base = ExpLargeCache[PoolType][Pages][--ExpLargeCount[PoolType][Pages]];
    if (Base == NULL)
        Base = PoolType ? ExpCarvePagedPool((SIZE_T)Pages * PAGE_SIZE, PAGE_SIZE)
                        : MmpReserveSystemPages((SIZE_T)Pages * PAGE_SIZE);
    if (Base == NULL) {
        NtkUnlock(&ExpPoolLock);
        return NULL;
    }
    Block = Base + PAGE_SIZE;
    Header = ExpHeader(Block);
    Track = ExpTrack(Block);
    Header->Units = Pages;
    Header->PoolType = PoolType;
    Header->State = POOL_STATE_ALLOCATED;
    Header->Large = 1;
    Header->Reserved = 0;
    Header->Tag = Tag;
    Header->Magic = POOL_MAGIC ^ (ULONG)(ULONG_PTR)Block;
    Track->Caller = Caller;
    Track->Requested = Size;
    InsertTailList(&ExpLargeBlocks, &Track->Live);
    ExpAccountLocked(Tag, PoolType, Size, TRUE);
    NtkUnlock(&ExpPoolLock);
    return Block;
}

/* A small block of Class just taken from the thread's cache becomes an allocation. Units,
 * Magic and the canary were set when the block was carved. */
static inline PVOID ExpSetUpSmallBlock(POOL_STAT_SLOT *Slot, PUCHAR Base, ULONG Class,
                                       UCHAR PoolType, SIZE_T Size, ULONG Tag, BOOLEAN Zero,
                                       PVOID Caller)
{
    POOL_HEADER *Header = (POOL_HEADER *)(Base + sizeof(POOL_TRACK));
    POOL_TRACK *Track = (POOL_TRACK *)Base;
    /* PoolType, State, Large and Reserved in one store, as the free reads them: a byte store
     * there would stall the free's load of the word behind it. */
    ULONG Flags = (ULONG)PoolType | (ULONG)POOL_STATE_ALLOCATED << 8;
    memcpy(&Header->PoolType, &Flags, sizeof(Flags));
    Header->Tag = Tag;
    Track->Caller = Caller;
    Track->Requested = Size;
    Slot->Allocs++;
    Slot->Bytes += (LONG_PTR)Size;
    if (Slot->Bytes > Slot->Growth)
        Slot->Growth = Slot->Bytes;
    /* The slack pattern over the block's last unit (a class holds the 32-byte overhead and at
     * least one byte, so the data is 16 bytes or more): what follows Size keeps it. */
    memset(Base + (SIZE_T)Class * POOL_UNIT - POOL_UNIT, POOL_SLACK_PATTERN, POOL_UNIT);
    if (Zero)
        return memset(Base + POOL_OVERHEAD, 0, Size);
    return Base + POOL_OVERHEAD;
}

/* Every allocation the fast path below does not take: the IRQL and size checks, the special
 * pool, large blocks, a thread without a cache yet, an empty cache. */
static DECLSPEC_NOINLINE PVOID ExpAllocatePoolSlow(UCHAR PoolType, SIZE_T Size, ULONG Tag,
                                                   BOOLEAN Zero, PVOID Caller, ULONG Special)
{
    POOL_CACHE *Cache;
    PUCHAR Base;
    PVOID Block;
    ULONG Class;
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
    if (Size > POOL_SMALL_LIMIT || (Cache = ExpGetCache()) == NULL) {
        Block = Size > POOL_SMALL_LIMIT ? ExpAllocateLarge(PoolType, Size, Tag, Caller) : NULL;
        if (Block && Zero)
            memset(Block, 0, Size);
        return Block;
    }
    Class = ExpClassOf(Size);
    Base = ExpCacheTake(Cache, PoolType, Class);
    if (Base == NULL)
        return NULL;
    return ExpSetUpSmallBlock(ExpSlot(Cache, Tag, PoolType), Base, Class, PoolType, Size, Tag,
                              Zero, Caller);
}

/* The common case, with no lock and no call: a small block of a kind the IRQL allows, from
 * the thread's cache, while no special pool is selected. */
PVOID ExpAllocatePoolEx(UCHAR PoolType, SIZE_T Size, ULONG Tag, BOOLEAN Zero, PVOID Caller,
                        ULONG Special)
{
    POOL_CACHE *Cache = ExpCache;
    POOL_STAT_SLOT *Slot;
    PUCHAR Base;
    ULONG Class;

    if (__builtin_expect(Cache == NULL || Size - 1 >= POOL_SMALL_LIMIT ||
                             KiGetIrql() > (PoolType ? APC_LEVEL : DISPATCH_LEVEL) ||
                             ExpSpecialPoolActive || (Special & EXP_SPECIAL_FORCE),
                         0))
        return ExpAllocatePoolSlow(PoolType, Size, Tag, Zero, Caller, Special);
    Class = ExpClassOf(Size);
    Base = Cache->Head[PoolType][Class];
    Slot = ExpSlotFor(Cache, Tag, PoolType);
    if (__builtin_expect(Base == NULL || Slot->Key != POOL_STAT_KEY(Tag, PoolType), 0))
        return ExpAllocatePoolSlow(PoolType, Size, Tag, Zero, Caller, Special);
    Cache->Head[PoolType][Class] = EXP_CACHED(Base)->Next;
    return ExpSetUpSmallBlock(Slot, Base, Class, PoolType, Size, Tag, Zero, Caller);
}

/* ---- Free ---- */

/* The block after another: its header, and its canary (what an overrun reaches first). */
/* A small block's tracking record still starts with the canary carving put there. */
static inline BOOLEAN ExpCanaryIntact(const POOL_TRACK *Track)
{
    return (ULONG_PTR)Track->Live.Flink == (POOL_CANARY ^ (ULONG_PTR)Track);
}

static BOOLEAN ExpNeighbourIntact(PUCHAR NextBase)
{
    return ExpHeaderValid((const POOL_HEADER *)(NextBase + sizeof(POOL_TRACK)),
                          NextBase + POOL_OVERHEAD) &&
           ExpCanaryIntact((const POOL_TRACK *)NextBase);
}

/* The first byte between the end of the block's Requested bytes and Next (its unit's end)
 * that lost the slack pattern, or NULL. */
static inline const UCHAR *ExpFindSlackDamage(PVOID Block, SIZE_T Requested, PUCHAR Next)
{
    const UCHAR *Slack;
    for (Slack = (PUCHAR)Block + Requested; Slack < Next; Slack++)
        if (__builtin_expect(*Slack != POOL_SLACK_PATTERN, 0))
            return Slack;
    return NULL;
}

/* The bytes after the block up to its unit still hold their pattern (an overrun smaller than
 * a unit), and the next block is intact (a larger one). */
static VOID ExpCheckNeighbours(PVOID Block, POOL_HEADER *Header, POOL_TRACK *Track)
{
    PUCHAR Next = (PUCHAR)Block - POOL_OVERHEAD + (SIZE_T)Header->Units * POOL_UNIT;
    POOL_ARENA *Arena = (POOL_ARENA *)ExpArenaOf(Block);
    const UCHAR *Slack = ExpFindSlackDamage(Block, Track->Requested, Next);
    if (Slack != NULL) {
        KdpLog("ntk: pool: the block at %p (%Iu bytes, tag 0x%08X) was written past its end "
               "(at %p)\n",
               Block, Track->Requested, Header->Tag, Slack);
        KeBugCheckEx(BAD_POOL_HEADER, 0x21, (ULONG_PTR)Block, Track->Requested, *Slack);
    }
    if (Next < __atomic_load_n(&Arena->CarvedEnd, __ATOMIC_ACQUIRE) && !ExpNeighbourIntact(Next)) {
        KdpLog("ntk: pool: the header after the block at %p (%Iu bytes, tag 0x%08X) is "
               "overwritten: an overrun of this block\n",
               Block, Track->Requested, Header->Tag);
        KeBugCheckEx(BAD_POOL_HEADER, 0x5, (ULONG_PTR)Header, 0,
                     (ULONG_PTR)(Next + sizeof(POOL_TRACK)));
    }
    if (!ExpCanaryIntact(Track)) {
        KdpLog("ntk: pool: the tracking record before the block at %p (%Iu bytes, tag 0x%08X) "
               "is overwritten: an overrun of the block before it\n",
               Block, Track->Requested, Header->Tag);
        KeBugCheckEx(BAD_POOL_HEADER, 0x5, (ULONG_PTR)Header, 0, (ULONG_PTR)Header);
    }
}

static VOID ExpFreeLarge(PVOID Block, POOL_HEADER *Header, POOL_TRACK *Track)
{
    ULONG Pages = Header->Units;
    UCHAR Type = Header->PoolType;
    PUCHAR Base = (PUCHAR)Block - PAGE_SIZE;
    RemoveEntryList(&Track->Live);
    ExpAccountLocked(Header->Tag, Type, Track->Requested, FALSE);
    Header->State = POOL_STATE_FREE;
    /* A few stay mapped for the next request of that size (what NT's big-pool cache gains);
     * the rest go back, inaccessible, so a stale pointer faults. */
    if (Pages <= POOL_LARGE_CACHE_PAGES && ExpLargeCount[Type][Pages] < POOL_LARGE_CACHE_DEPTH) {
        ExpLargeCache[Type][Pages][ExpLargeCount[Type][Pages]++] = Base;
        NtkUnlock(&ExpPoolLock);
        return;
    }
    NtkUnlock(&ExpPoolLock);
    if (Type)
        ExpReleasePagedPool(Base, (SIZE_T)Pages * PAGE_SIZE);
    else
        MmpReleaseSystemPages(Base, (SIZE_T)Pages * PAGE_SIZE);
}

/* Every free the fast path below does not take, and every bad one: the checks in full. */
static DECLSPEC_NOINLINE VOID ExpFreePoolSlow(PVOID Block, ULONG Tag, BOOLEAN CheckTag)
{
    POOL_HEADER *Header;
    POOL_TRACK *Track;
    POOL_CACHE *Cache;
    POOL_STAT_SLOT *Slot;
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
    if ((!ExpInArena(Header) &&
         MmpTouchUserRange(Header, sizeof(*Header), FALSE) != STATUS_SUCCESS) ||
        Header->Magic != (POOL_MAGIC ^ (ULONG)(ULONG_PTR)Block)) {
        /* Inside an arena, where blocks are, the header was overwritten; elsewhere, or in the
         * middle of a block, the address was never a pool block. */
        if (ExpIsBlockStart(Block))
            KeBugCheckEx(BAD_POOL_HEADER, 0x20, (ULONG_PTR)Header, 0, 0);
        KeBugCheckEx(BAD_POOL_CALLER, 0x46, (ULONG_PTR)Block, 0, 0);
    }
    if (Irql > DISPATCH_LEVEL || (Header->PoolType && Irql > APC_LEVEL))
        KeBugCheckEx(DRIVER_VERIFIER_DETECTED_VIOLATION, Header->PoolType ? 0x11 : 0x12, Irql,
                     Header->PoolType, (ULONG_PTR)Block);
    if (Header->State != POOL_STATE_ALLOCATED)
        KeBugCheckEx(BAD_POOL_CALLER, 0x07, 0, *(ULONG_PTR *)Header, (ULONG_PTR)Block);
    if (CheckTag && (Header->Tag & ~0x80000000u) != (Tag & ~0x80000000u))
        KeBugCheckEx(BAD_POOL_CALLER, 0x0A, (ULONG_PTR)Block, Header->Tag, Tag);
    Track = ExpTrack(Block);
    /* The deadlock detector forgets the locks the block held: the address may hold others. */
    if (VfMayHoldTrackedLock((ULONG_PTR)Block, Track->Requested))
        VfDeadlockForgetPool((ULONG_PTR)Block, (ULONG_PTR)Block + Track->Requested);
    if (Header->Large) {
        NtkLock(&ExpPoolLock);
        ExpFreeLarge(Block, Header, Track);
        return;
    }
    ExpCheckNeighbours(Block, Header, Track);
    Header->State = POOL_STATE_FREE;
    Cache = ExpGetCache();
    if (Cache == NULL) {
        NtkLock(&ExpPoolLock);
        ExpAccountLocked(Header->Tag, Header->PoolType, Track->Requested, FALSE);
        ExpGiveShared(Header->PoolType, Header->Units, (PUCHAR)Track);
        NtkUnlock(&ExpPoolLock);
        return;
    }
    Slot = ExpSlot(Cache, Header->Tag, Header->PoolType);
    Slot->Frees++;
    Slot->Bytes -= (LONG_PTR)Track->Requested;
    ExpCacheGive(Cache, Header->PoolType, Header->Units, (PUCHAR)Track);
}

/* The common case, with no lock and no call: a small block of the thread's kind at an IRQL
 * that allows it, whose header, slack and neighbours are intact; anything else takes the slow
 * path, which checks again and reports. */
VOID ExpFreePool(PVOID Block, ULONG Tag, BOOLEAN CheckTag)
{
    POOL_CACHE *Cache = ExpCache;
    POOL_HEADER *Header = ExpHeader(Block);
    POOL_TRACK *Track = ExpTrack(Block);
    POOL_STAT_SLOT *Slot;
    PUCHAR Next;
    KIRQL Irql;

    if (__builtin_expect(Cache == NULL || ((ULONG_PTR)Block & (POOL_UNIT - 1)) ||
                             !ExpInFastArena(Header),
                         0))
        goto Slow;
    Irql = KiGetIrql();
    if (__builtin_expect(Irql > APC_LEVEL, 0) &&
        (Irql > DISPATCH_LEVEL || ExpIsPagedPoolAddress(Block)))
        goto Slow;
    if (__builtin_expect(Header->Magic != (POOL_MAGIC ^ (ULONG)(ULONG_PTR)Block) ||
                             Header->State != POOL_STATE_ALLOCATED || Header->Large ||
                             Header->Units >= POOL_CLASSES ||
                             (CheckTag && (Header->Tag & ~0x80000000u) != (Tag & ~0x80000000u)),
                         0))
        goto Slow;
    Next = (PUCHAR)Track + (SIZE_T)Header->Units * POOL_UNIT;
    if (__builtin_expect(ExpFindSlackDamage(Block, Track->Requested, Next) != NULL, 0))
        goto Slow;
    /* The block after it, if it is not the arena's end: an uncarved one (zeros) takes the slow
     * path, which knows where carving ended. */
    if (__builtin_expect(!ExpCanaryIntact(Track), 0) ||
        __builtin_expect(((ULONG_PTR)Next & (POOL_ARENA_SIZE - 1)) == 0, 0) ||
        __builtin_expect(!ExpNeighbourIntact(Next), 0))
        goto Slow;
    Slot = ExpSlotFor(Cache, Header->Tag, Header->PoolType);
    if (__builtin_expect(Slot->Key != POOL_STAT_KEY(Header->Tag, Header->PoolType), 0))
        goto Slow;
    Header->State = POOL_STATE_FREE;
    Slot->Frees++;
    Slot->Bytes -= (LONG_PTR)Track->Requested;
    ExpCacheGive(Cache, Header->PoolType, Header->Units, (PUCHAR)Track);
    return;
Slow:
    ExpFreePoolSlow(Block, Tag, CheckTag);
}

/* ---- The leak check: live blocks by the image that allocated them ---- */

ULONG ExpCountImageAllocations(ULONG_PTR ImageBase, ULONG_PTR ImageEnd, SIZE_T *Bytes,
                               VOID (*Report)(PVOID Block, ULONG Tag, SIZE_T Size, PVOID Caller,
                                              PVOID Context),
                               PVOID Context)
{
    PLIST_ENTRY Entry;
    ULONG Count = 0, a;
    SIZE_T Total = 0, Special;
    NtkLock(&ExpPoolLock);
    for (a = 0; a < ExpArenaCount; a++) {
        POOL_ARENA *Arena = ExpArenas[a];
        PUCHAR p, End = __atomic_load_n(&Arena->CarvedEnd, __ATOMIC_ACQUIRE);
        for (p = (PUCHAR)(Arena + 1); p < End;) {
            const POOL_TRACK *Track = (const POOL_TRACK *)p;
            const POOL_HEADER *Header = (const POOL_HEADER *)(p + sizeof(POOL_TRACK));
            ULONG_PTR Caller = (ULONG_PTR)Track->Caller;
            if (Header->Units == 0 || Header->Units >= POOL_CLASSES)
                break; /* damaged: the rest of this arena cannot be walked */
            if (Header->State == POOL_STATE_ALLOCATED && Caller >= ImageBase &&
                Caller < ImageEnd) {
                Count++;
                Total += Track->Requested;
                if (Report)
                    Report(p + POOL_OVERHEAD, Header->Tag, Track->Requested, Track->Caller,
                           Context);
            }
            p += (SIZE_T)Header->Units * POOL_UNIT;
        }
    }
    for (Entry = ExpLargeBlocks.Flink; Entry != &ExpLargeBlocks; Entry = Entry->Flink) {
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
