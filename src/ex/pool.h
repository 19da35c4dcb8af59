/* Ex: the pool's internal interface, shared by the allocator (pool.c), the DDIs (poolapi.c),
 * lookaside lists and the special pool (specpool.c). */
#ifndef NTK_EX_POOL_H
#define NTK_EX_POOL_H

#include "ntkp.h"
#include "ntklock.h"

/* How an allocation may use the special pool (ExpAllocatePoolEx's Special argument). */
#define EXP_SPECIAL_FORCE 0x1    /* POOL_FLAG_SPECIAL_POOL: special pool whatever the settings */
#define EXP_SPECIAL_OVERRUN 0x2  /* XxxSpecialPoolOverrun: align at the end of the page */
#define EXP_SPECIAL_UNDERRUN 0x4 /* XxxSpecialPoolUnderrun: align at the start of the page */

PVOID ExpAllocatePoolEx(UCHAR PoolType, SIZE_T Size, ULONG Tag, BOOLEAN Zero, PVOID Caller,
                        ULONG Special);
static inline PVOID ExpAllocatePool(UCHAR PoolType, SIZE_T Size, ULONG Tag, BOOLEAN Zero,
                                    PVOID Caller)
{
    return ExpAllocatePoolEx(PoolType, Size, Tag, Zero, Caller, 0);
}
VOID ExpFreePool(PVOID Block, ULONG Tag, BOOLEAN CheckTag);
/* Per-tag accounting, for blocks the special pool hands out. */
VOID ExpAccountAllocation(ULONG Tag, UCHAR PoolType, SIZE_T Bytes, BOOLEAN Allocate);

/* Counters by tag (poolstat.c). A thread counts its small blocks in slots of its own, which a
 * query adds to the shared table (the pool lock serializes both). */
#define POOL_TAG_BUCKETS 1024
typedef struct _POOL_STAT_SLOT {
    union {
        struct {
            ULONG Tag;
            UCHAR Type; /* 0 non-paged, 1 paged */
            UCHAR Used;
            USHORT Reserved;
        };
        ULONG64 Key; /* the three compared at once (POOL_STAT_KEY) */
    };
    ULONG Allocs, Frees;
    LONG_PTR Bytes;  /* change of the bytes in use */
    LONG_PTR Growth; /* the most Bytes has been since the slot was last added in */
} POOL_STAT_SLOT;
#define POOL_STAT_KEY(Tag, Type) ((ULONG64)(Tag) | (ULONG64)(Type) << 32 | 1ULL << 40)
extern NTK_LOCK ExpPoolLock;
VOID ExpAccountLocked(ULONG Tag, UCHAR PoolType, SIZE_T Bytes, BOOLEAN Allocate);
VOID ExpFlushStatSlot(POOL_STAT_SLOT *Slot); /* pool lock held; the slot is emptied */
/* Pool lock held: Visit runs for each used slot of every thread (poolarena.c). */
VOID ExpForEachThreadSlot(VOID (*Visit)(const POOL_STAT_SLOT *Slot, PVOID Context),
                          PVOID Context);

/* Paged pool's region and force IRQL checking (pagedpool.c). */
NTSTATUS ExpInitializePagedPool(VOID);
PVOID ExpCarvePagedPool(SIZE_T Size, SIZE_T Alignment);
VOID ExpReleasePagedPool(PVOID Base, SIZE_T Size);

/* Special pool (specpool.c). */
extern volatile BOOLEAN ExpSpecialPoolActive; /* a driver or a tag was selected */
BOOLEAN ExpIsSpecialPoolAddress(const VOID *Address);
PVOID ExpAllocateSpecialPool(UCHAR PoolType, SIZE_T Size, ULONG Tag, BOOLEAN Zero, PVOID Caller,
                             ULONG Special);
VOID ExpFreeSpecialPool(PVOID Block, ULONG Tag, BOOLEAN CheckTag);
ULONG ExpCountSpecialAllocations(ULONG_PTR ImageBase, ULONG_PTR ImageEnd, SIZE_T *Bytes,
                                 VOID (*Report)(PVOID Block, ULONG Tag, SIZE_T Size,
                                                PVOID Caller, PVOID Context),
                                 PVOID Context);

#endif
