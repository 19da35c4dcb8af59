/* Ex: the memory under the pool. Arenas of 1 MiB, aligned on their size, are carved into small
 * blocks; freed blocks go to the shared lists by class, under the pool lock. Each thread keeps a
 * cache of free blocks of each class, refilled from and spilled to the shared lists in batches,
 * and counts its allocations by tag in slots of its own (poolstat.c adds them up). */
#include "poolp.h"
#include <pthread.h>
#include <stdlib.h>

NTK_LOCK ExpPoolLock = NTK_LOCK_INIT;
/* By pool type (0 non-paged, 1 paged: paged pool has a region of its own, pagedpool.c). */
static PVOID ExpFreeLists[2][POOL_CLASSES];
static PUCHAR ExpArenaNext[2], ExpArenaEnd[2];
POOL_ARENA *ExpArenas[POOL_MAX_ARENAS];
ULONG ExpArenaCount;
volatile ULONG64 ExpArenaMap[MI_SYSTEM_REGION_SIZE / POOL_ARENA_SIZE / 64];
volatile ULONG64 ExpArenaFastMap[MI_SYSTEM_REGION_SIZE / POOL_ARENA_SIZE / 64];
__thread POOL_CACHE *ExpCache;
static LIST_ENTRY ExpCaches = { &ExpCaches, &ExpCaches };
static pthread_key_t ExpCacheKey;
static pthread_once_t ExpCacheOnce = PTHREAD_ONCE_INIT;

/* ---- Arenas ---- */

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
    if (ExpArenaCount < POOL_MAX_ARENAS)
        ExpArenas[ExpArenaCount++] = Arena;
    {
        ULONG_PTR Index = ((ULONG_PTR)Arena - MI_SYSTEM_RANGE_START) / POOL_ARENA_SIZE;
        __atomic_fetch_or(&ExpArenaFastMap[Index / 64], 1ULL << (Index % 64), __ATOMIC_RELEASE);
        __atomic_fetch_or(&ExpArenaMap[Index / 64], 1ULL << (Index % 64), __ATOMIC_RELEASE);
    }
    return Arena;
}

VOID ExpNoteTrackedLock(const VOID *Lock)
{
    ULONG_PTR Index = ((ULONG_PTR)Lock - MI_SYSTEM_RANGE_START) / POOL_ARENA_SIZE;
    if (MmpIsSystemAddress(Lock) && ExpInArena(Lock))
        __atomic_fetch_and(&ExpArenaFastMap[Index / 64], ~(1ULL << (Index % 64)),
                           __ATOMIC_ACQ_REL);
}

/* The arena that holds Address, or NULL if it lies in none (a large block, a stray pointer). */
POOL_ARENA *ExpFindArena(const VOID *Address)
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
BOOLEAN ExpIsBlockStart(PVOID Block)
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

/* ---- Shared lists (pool lock held) ---- */

/* A free small block of Class, from the shared list or newly carved (its header and canary
 * written before the arena's carved end moves past it); NULL when system space is out. */
static PUCHAR ExpTakeShared(UCHAR PoolType, ULONG Class)
{
    SIZE_T Bytes = (SIZE_T)Class * POOL_UNIT;
    POOL_HEADER *Header;
    PUCHAR Base = ExpFreeLists[PoolType][Class];
    if (Base) {
        ExpFreeLists[PoolType][Class] = *(PVOID *)(Base + POOL_OVERHEAD);
        return Base;
    }
    if (ExpArenaNext[PoolType] == NULL || ExpArenaNext[PoolType] + Bytes > ExpArenaEnd[PoolType]) {
        POOL_ARENA *Arena = ExpNewArena(PoolType);
        if (Arena == NULL)
            return NULL;
        ExpArenaNext[PoolType] = (PUCHAR)(Arena + 1);
        ExpArenaEnd[PoolType] = (PUCHAR)Arena + POOL_ARENA_SIZE;
    }
    Base = ExpArenaNext[PoolType];
    Header = (POOL_HEADER *)(Base + sizeof(POOL_TRACK));
    Header->Units = Class;
    Header->PoolType = PoolType;
    Header->State = POOL_STATE_FREE;
    Header->Large = 0;
    Header->Reserved = 0;
    Header->Tag = 0;
    Header->Magic = POOL_MAGIC ^ (ULONG)(ULONG_PTR)(Base + POOL_OVERHEAD);
    ((POOL_TRACK *)Base)->Live.Flink = (PLIST_ENTRY)(POOL_CANARY ^ (ULONG_PTR)Base);
    ((POOL_TRACK *)Base)->Live.Blink = NULL;
    ExpArenaNext[PoolType] += Bytes;
    __atomic_store_n(&((POOL_ARENA *)ExpArenaOf(Base))->CarvedEnd, ExpArenaNext[PoolType],
                     __ATOMIC_RELEASE);
    return Base;
}

VOID ExpGiveShared(UCHAR PoolType, ULONG Class, PUCHAR Base)
{
    *(PVOID *)(Base + POOL_OVERHEAD) = ExpFreeLists[PoolType][Class];
    ExpFreeLists[PoolType][Class] = Base;
}

/* ---- Thread caches ---- */

/* A thread that ends gives its blocks back and adds its counts in. */
static VOID ExpCacheDestructor(PVOID Value)
{
    POOL_CACHE *Cache = Value;
    ULONG Type, Class, i;
    NtkLock(&ExpPoolLock);
    for (Type = 0; Type < 2; Type++)
        for (Class = 0; Class < POOL_CLASSES; Class++)
            while (Cache->Head[Type][Class]) {
                PUCHAR Base = Cache->Head[Type][Class];
                Cache->Head[Type][Class] = EXP_CACHED(Base)->Next;
                ExpGiveShared((UCHAR)Type, Class, Base);
            }
    for (i = 0; i < POOL_STAT_SLOTS; i++)
        ExpFlushStatSlot(&Cache->Stats[i]);
    RemoveEntryList(&Cache->Link);
    NtkUnlock(&ExpPoolLock);
    if (ExpCache == Cache)
        ExpCache = NULL;
    free(Cache);
}

static VOID ExpCreateCacheKey(VOID)
{
    pthread_key_create(&ExpCacheKey, ExpCacheDestructor);
}

/* The calling thread's cache, made on its first allocation (NULL if host memory is out: the
 * thread then uses the shared lists). */
POOL_CACHE *ExpGetCache(VOID)
{
    POOL_CACHE *Cache = ExpCache;
    if (__builtin_expect(Cache != NULL, 1))
        return Cache;
    pthread_once(&ExpCacheOnce, ExpCreateCacheKey);
    Cache = calloc(1, sizeof(*Cache));
    if (Cache == NULL)
        return NULL;
    NtkLock(&ExpPoolLock);
    InsertTailList(&ExpCaches, &Cache->Link);
    NtkUnlock(&ExpPoolLock);
    pthread_setspecific(ExpCacheKey, Cache);
    ExpCache = Cache;
    return Cache;
}

VOID ExpForEachThreadSlot(VOID (*Visit)(const POOL_STAT_SLOT *Slot, PVOID Context),
                          PVOID Context)
{
    PLIST_ENTRY Entry;
    ULONG i;
    for (Entry = ExpCaches.Flink; Entry != &ExpCaches; Entry = Entry->Flink) {
        POOL_CACHE *Cache = CONTAINING_RECORD(Entry, POOL_CACHE, Link);
        for (i = 0; i < POOL_STAT_SLOTS; i++)
            if (Cache->Stats[i].Used)
                Visit(&Cache->Stats[i], Context);
    }
}

/* The slot's tag changes: its counts so far are added to the shared table first. */
DECLSPEC_NOINLINE POOL_STAT_SLOT *ExpSlotMiss(POOL_STAT_SLOT *Slot, ULONG Tag,
                                                    UCHAR PoolType)
{
    NtkLock(&ExpPoolLock);
    ExpFlushStatSlot(Slot);
    Slot->Tag = Tag;
    Slot->Type = PoolType;
    Slot->Used = TRUE;
    NtkUnlock(&ExpPoolLock);
    return Slot;
}

PUCHAR ExpCacheTake(POOL_CACHE *Cache, UCHAR PoolType, ULONG Class)
{
    PUCHAR Base = Cache->Head[PoolType][Class];
    ULONG i;
    if (__builtin_expect(Base != NULL, 1)) {
        Cache->Head[PoolType][Class] = EXP_CACHED(Base)->Next;
        return Base;
    }
    /* Empty: one for the caller and a batch for the next calls. */
    NtkLock(&ExpPoolLock);
    Base = ExpTakeShared(PoolType, Class);
    for (i = 1; Base && i < POOL_CACHE_BATCH; i++) {
        PUCHAR More = ExpTakeShared(PoolType, Class);
        if (More == NULL)
            break;
        ExpCachePush(Cache, PoolType, Class, More);
    }
    NtkUnlock(&ExpPoolLock);
    return Base;
}

/* The thread's cache of a class is full: a batch goes back to the shared list for other
 * threads. */
DECLSPEC_NOINLINE VOID ExpCacheOverflow(POOL_CACHE *Cache, UCHAR PoolType, ULONG Class)
{
    ULONG i;
    NtkLock(&ExpPoolLock);
    for (i = 0; i < POOL_CACHE_BATCH; i++) {
        PUCHAR Back = Cache->Head[PoolType][Class];
        Cache->Head[PoolType][Class] = EXP_CACHED(Back)->Next;
        ExpGiveShared(PoolType, Class, Back);
    }
    NtkUnlock(&ExpPoolLock);
}
