/* Ex: the pool's internal interface, shared by the allocator (pool.c), the DDIs (poolapi.c),
 * lookaside lists and the special pool (specpool.c). */
#ifndef NTK_EX_POOL_H
#define NTK_EX_POOL_H

#include "ntkp.h"

/* How an allocation may use the special pool (ExpAllocatePoolEx's Special argument). */
#define EXP_SPECIAL_FORCE 0x1    /* POOL_FLAG_SPECIAL_POOL: special pool whatever the settings */
#define EXP_SPECIAL_OVERRUN 0x2  /* XxxSpecialPoolOverrun: align at the end of the page */
#define EXP_SPECIAL_UNDERRUN 0x4 /* XxxSpecialPoolUnderrun: align at the start of the page */

PVOID ExpAllocatePool(UCHAR PoolType, SIZE_T Size, ULONG Tag, BOOLEAN Zero, PVOID Caller);
PVOID ExpAllocatePoolEx(UCHAR PoolType, SIZE_T Size, ULONG Tag, BOOLEAN Zero, PVOID Caller,
                        ULONG Special);
VOID ExpFreePool(PVOID Block, ULONG Tag, BOOLEAN CheckTag);
/* Per-tag accounting, for blocks the special pool hands out. */
VOID ExpAccountAllocation(ULONG Tag, UCHAR PoolType, SIZE_T Bytes, BOOLEAN Allocate);

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
