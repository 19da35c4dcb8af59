/* Ex: the pool's blocks, arenas and thread caches, shared by the allocator (pool.c) and the
 * memory under it (poolarena.c). */
#ifndef NTK_EX_POOLP_H
#define NTK_EX_POOLP_H

#include "pool.h"
#include <string.h>

#define POOL_UNIT 16
#define POOL_ARENA_SIZE (1024 * 1024)
#define POOL_MAGIC 0x4B4F4F50u /* 'POOK' */
#define POOL_STATE_ALLOCATED 0xA1
#define POOL_STATE_FREE 0xF2
#define POOL_SMALL_LIMIT (PAGE_SIZE - sizeof(POOL_HEADER))

typedef struct _POOL_TRACK {
    LIST_ENTRY Live;     /* large blocks: the list of them; small ones: a canary, then unused */
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

/* Every arena, for the leak check's walk (1 MiB each: 16 GiB of small blocks at most). */
#define POOL_MAX_ARENAS 16384
extern POOL_ARENA *ExpArenas[POOL_MAX_ARENAS];
extern ULONG ExpArenaCount;
/* A bit for each 1 MiB of system space that is an arena: a free finds its block's header
 * readable without probing it. */
extern volatile ULONG64 ExpArenaMap[MI_SYSTEM_REGION_SIZE / POOL_ARENA_SIZE / 64];
/* The arenas whose blocks the fast free may take: all but those where the deadlock detector
 * knows a lock, whose frees go to the slow path to make it forget them (ExpNoteTrackedLock). */
extern volatile ULONG64 ExpArenaFastMap[MI_SYSTEM_REGION_SIZE / POOL_ARENA_SIZE / 64];
#define POOL_CANARY 0x6E6172616B4E544EULL /* 'NTKanar', xored with the block's address */

/* A thread's free blocks (by type and class, linked through their bodies) and counters. */
#define POOL_CACHE_DEPTH 32 /* blocks a thread keeps of one class */
#define POOL_CACHE_BATCH 16 /* blocks moved to or from the shared lists at once */
#define POOL_STAT_SLOTS 16
typedef struct _POOL_CACHE {
    LIST_ENTRY Link; /* ExpCaches, pool lock held */
    PUCHAR Head[2][POOL_CLASSES]; /* the free blocks of each class (POOL_CACHED) */
    POOL_STAT_SLOT Stats[POOL_STAT_SLOTS];
} POOL_CACHE;
/* A free block on a thread's cache holds, where its data goes, the next block and how many
 * blocks the list has from it on: the free that pushes it counts, and the allocation that pops
 * it has no counter to update. */
typedef struct _POOL_CACHED {
    PUCHAR Next;
    ULONG_PTR Depth;
} POOL_CACHED;
#define EXP_CACHED(Base) ((POOL_CACHED *)((Base) + POOL_OVERHEAD))
extern __thread POOL_CACHE *ExpCache; /* the calling thread's, NULL before its first block */

static inline POOL_HEADER *ExpHeader(PVOID Block)
{
    return (POOL_HEADER *)Block - 1;
}

static inline POOL_TRACK *ExpTrack(PVOID Block)
{
    return (POOL_TRACK *)ExpHeader(Block) - 1;
}

static inline ULONG_PTR ExpArenaOf(const VOID *Address)
{
    return (ULONG_PTR)Address & ~(ULONG_PTR)(POOL_ARENA_SIZE - 1);
}

static inline BOOLEAN ExpHeaderValid(const POOL_HEADER *Header, const VOID *Block)
{
    return Header->Magic == (POOL_MAGIC ^ (ULONG)(ULONG_PTR)Block) &&
           (Header->State == POOL_STATE_ALLOCATED || Header->State == POOL_STATE_FREE);
}

/* Address lies in an arena, whose pages are always there (MmpIsSystemAddress checked). */
static inline BOOLEAN ExpInArena(const VOID *Address)
{
    ULONG_PTR Index = ((ULONG_PTR)Address - MI_SYSTEM_RANGE_START) / POOL_ARENA_SIZE;
    return Index < MI_SYSTEM_REGION_SIZE / POOL_ARENA_SIZE &&
           (__atomic_load_n(&ExpArenaMap[Index / 64], __ATOMIC_ACQUIRE) & (1ULL << (Index % 64)));
}

static inline BOOLEAN ExpInFastArena(const VOID *Address)
{
    ULONG_PTR Index = ((ULONG_PTR)Address - MI_SYSTEM_RANGE_START) / POOL_ARENA_SIZE;
    return Index < MI_SYSTEM_REGION_SIZE / POOL_ARENA_SIZE &&
           (__atomic_load_n(&ExpArenaFastMap[Index / 64], __ATOMIC_ACQUIRE) &
            (1ULL << (Index % 64)));
}

static inline ULONG ExpClassOf(SIZE_T Size)
{
    return (ULONG)((Size + POOL_OVERHEAD + POOL_UNIT - 1) / POOL_UNIT);
}

/* ---- poolarena.c ---- */

POOL_ARENA *ExpFindArena(const VOID *Address);
BOOLEAN ExpIsBlockStart(PVOID Block);
VOID ExpGiveShared(UCHAR PoolType, ULONG Class, PUCHAR Base); /* pool lock held */
POOL_CACHE *ExpGetCache(VOID);
PUCHAR ExpCacheTake(POOL_CACHE *Cache, UCHAR PoolType, ULONG Class);
DECLSPEC_NOINLINE VOID ExpCacheOverflow(POOL_CACHE *Cache, UCHAR PoolType, ULONG Class);
DECLSPEC_NOINLINE POOL_STAT_SLOT *ExpSlotMiss(POOL_STAT_SLOT *Slot, ULONG Tag, UCHAR PoolType);

/* Where the thread counts Tag and PoolType, if the slot is theirs. */
static inline POOL_STAT_SLOT *ExpSlotFor(POOL_CACHE *Cache, ULONG Tag, UCHAR PoolType)
{
    return &Cache->Stats[((Tag * 2654435761u) >> 27 ^ PoolType) % POOL_STAT_SLOTS];
}

/* The thread's slot for Tag and PoolType. */
static inline POOL_STAT_SLOT *ExpSlot(POOL_CACHE *Cache, ULONG Tag, UCHAR PoolType)
{
    POOL_STAT_SLOT *Slot = ExpSlotFor(Cache, Tag, PoolType);
    if (__builtin_expect(Slot->Key == POOL_STAT_KEY(Tag, PoolType), 1))
        return Slot;
    return ExpSlotMiss(Slot, Tag, PoolType);
}

/* Puts a free block on the thread's list of its class; returns the list's length. */
static inline ULONG_PTR ExpCachePush(POOL_CACHE *Cache, UCHAR PoolType, ULONG Class, PUCHAR Base)
{
    PUCHAR Head = Cache->Head[PoolType][Class];
    ULONG_PTR Depth = Head ? EXP_CACHED(Head)->Depth + 1 : 1;
    EXP_CACHED(Base)->Next = Head;
    EXP_CACHED(Base)->Depth = Depth;
    Cache->Head[PoolType][Class] = Base;
    return Depth;
}

static inline VOID ExpCacheGive(POOL_CACHE *Cache, UCHAR PoolType, ULONG Class, PUCHAR Base)
{
    if (__builtin_expect(ExpCachePush(Cache, PoolType, Class, Base) > POOL_CACHE_DEPTH, 0))
        ExpCacheOverflow(Cache, PoolType, Class);
}

#endif
