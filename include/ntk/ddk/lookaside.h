/* Lookaside lists: caches of fixed-size pool blocks (the WDK's "Using Lookaside Lists").
 *
 * The structures have x64 Windows' layout (wdm.h): GENERAL_LOOKASIDE is 0x60 bytes of fields,
 * cache-aligned, so NPAGED_LOOKASIDE_LIST and PAGED_LOOKASIDE_LIST are 0x80 bytes;
 * LOOKASIDE_LIST_EX holds the same fields unpadded (GENERAL_LOOKASIDE_POOL), 0x60 bytes.
 * Offsets: ListHead 0x00, Depth 0x10, MaximumDepth 0x12, TotalAllocates 0x14, AllocateMisses
 * 0x18, TotalFrees 0x1C, FreeMisses 0x20, Type 0x24, Tag 0x28, Size 0x2C, Allocate 0x30,
 * Free 0x38, ListEntry 0x40, LastTotalAllocates 0x50, LastAllocateMisses 0x54, Future 0x58.
 *
 * On Windows the allocate and free routines are inline functions of wdm.h over the SLIST
 * routines; ntk exports them as functions (ListHead is managed by ntk, see src/ex/lookaside.c:
 * the number of cached entries is where an SLIST_HEADER keeps its depth). */
#ifndef NTK_DDK_LOOKASIDE_H
#define NTK_DDK_LOOKASIDE_H

#include <ntk/ddk/ketypes.h>
#include <ntk/ddk/kefuncs.h>

NTK_EXTERN_C_START

#ifndef POOL_NX_ALLOCATION
#define POOL_NX_ALLOCATION 512
#endif

/* The smallest entry: a list link. */
#define LOOKASIDE_MINIMUM_BLOCK_SIZE (RTL_SIZEOF_THROUGH_FIELD(SLIST_ENTRY, Next))

/* ExInitializeLookasideListEx's Flags (mutually exclusive). */
#define EX_LOOKASIDE_LIST_EX_FLAGS_RAISE_ON_FAIL 0x00000001UL
#define EX_LOOKASIDE_LIST_EX_FLAGS_FAIL_NO_RAISE 0x00000002UL

#define EX_MAXIMUM_LOOKASIDE_DEPTH_BASE 256
#define EX_MAXIMUM_LOOKASIDE_DEPTH_LIMIT 1024

typedef struct _LOOKASIDE_LIST_EX *PLOOKASIDE_LIST_EX;

/* The caller-supplied routines: called when the list is empty (allocate) or full (free). */
typedef PVOID NTAPI ALLOCATE_FUNCTION(POOL_TYPE PoolType, SIZE_T NumberOfBytes, ULONG Tag);
typedef ALLOCATE_FUNCTION *PALLOCATE_FUNCTION;
typedef VOID NTAPI FREE_FUNCTION(PVOID Buffer);
typedef FREE_FUNCTION *PFREE_FUNCTION;
typedef PVOID NTAPI ALLOCATE_FUNCTION_EX(POOL_TYPE PoolType, SIZE_T NumberOfBytes, ULONG Tag,
                                         PLOOKASIDE_LIST_EX Lookaside);
typedef ALLOCATE_FUNCTION_EX *PALLOCATE_FUNCTION_EX;
typedef VOID NTAPI FREE_FUNCTION_EX(PVOID Buffer, PLOOKASIDE_LIST_EX Lookaside);
typedef FREE_FUNCTION_EX *PFREE_FUNCTION_EX;

/* The fields every kind of lookaside list shares. */
#define NTK_GENERAL_LOOKASIDE_FIELDS                                                              \
    union {                                                                                       \
        SLIST_HEADER ListHead;                                                                    \
        SINGLE_LIST_ENTRY SingleListHead;                                                         \
    };                                                                                            \
    USHORT Depth;        /* how many entries the list may hold now (tuned by the system) */      \
    USHORT MaximumDepth; /* the ceiling of Depth */                                               \
    ULONG TotalAllocates;                                                                         \
    union {                                                                                       \
        ULONG AllocateMisses; /* allocations that had to call Allocate */                        \
        ULONG AllocateHits;                                                                       \
    };                                                                                            \
    ULONG TotalFrees;                                                                             \
    union {                                                                                       \
        ULONG FreeMisses; /* frees that had to call Free (the list was full) */                  \
        ULONG FreeHits;                                                                           \
    };                                                                                            \
    POOL_TYPE Type;                                                                               \
    ULONG Tag;                                                                                    \
    ULONG Size;                                                                                   \
    union {                                                                                       \
        PALLOCATE_FUNCTION_EX AllocateEx;                                                         \
        PALLOCATE_FUNCTION Allocate;                                                              \
    };                                                                                            \
    union {                                                                                       \
        PFREE_FUNCTION_EX FreeEx;                                                                 \
        PFREE_FUNCTION Free;                                                                      \
    };                                                                                            \
    LIST_ENTRY ListEntry; /* in the system-wide set of lookaside lists */                       \
    ULONG LastTotalAllocates;                                                                     \
    union {                                                                                       \
        ULONG LastAllocateMisses;                                                                 \
        ULONG LastAllocateHits;                                                                   \
    };                                                                                            \
    ULONG Future[2];

typedef struct DECLSPEC_CACHEALIGN _GENERAL_LOOKASIDE {
    NTK_GENERAL_LOOKASIDE_FIELDS
} GENERAL_LOOKASIDE, *PGENERAL_LOOKASIDE;

typedef struct _GENERAL_LOOKASIDE_POOL {
    NTK_GENERAL_LOOKASIDE_FIELDS
} GENERAL_LOOKASIDE_POOL, *PGENERAL_LOOKASIDE_POOL;

typedef struct _PAGED_LOOKASIDE_LIST {
    GENERAL_LOOKASIDE L;
} PAGED_LOOKASIDE_LIST, *PPAGED_LOOKASIDE_LIST;

typedef struct DECLSPEC_CACHEALIGN _NPAGED_LOOKASIDE_LIST {
    GENERAL_LOOKASIDE L;
} NPAGED_LOOKASIDE_LIST, *PNPAGED_LOOKASIDE_LIST;

typedef struct _LOOKASIDE_LIST_EX {
    GENERAL_LOOKASIDE_POOL L;
} LOOKASIDE_LIST_EX;

/* Classic lists (Windows 2000 and later). Depth is reserved (zero): the system picks it. */
NTKERNELAPI VOID ExInitializeNPagedLookasideList(PNPAGED_LOOKASIDE_LIST Lookaside,
                                                 PALLOCATE_FUNCTION Allocate, PFREE_FUNCTION Free,
                                                 ULONG Flags, SIZE_T Size, ULONG Tag, USHORT Depth);
NTKERNELAPI VOID ExInitializePagedLookasideList(PPAGED_LOOKASIDE_LIST Lookaside,
                                                PALLOCATE_FUNCTION Allocate, PFREE_FUNCTION Free,
                                                ULONG Flags, SIZE_T Size, ULONG Tag, USHORT Depth);
NTKERNELAPI PVOID ExAllocateFromNPagedLookasideList(PNPAGED_LOOKASIDE_LIST Lookaside);
NTKERNELAPI VOID ExFreeToNPagedLookasideList(PNPAGED_LOOKASIDE_LIST Lookaside, PVOID Entry);
NTKERNELAPI PVOID ExAllocateFromPagedLookasideList(PPAGED_LOOKASIDE_LIST Lookaside);
NTKERNELAPI VOID ExFreeToPagedLookasideList(PPAGED_LOOKASIDE_LIST Lookaside, PVOID Entry);
NTKERNELAPI VOID ExDeleteNPagedLookasideList(PNPAGED_LOOKASIDE_LIST Lookaside);
NTKERNELAPI VOID ExDeletePagedLookasideList(PPAGED_LOOKASIDE_LIST Lookaside);

/* LOOKASIDE_LIST_EX (Windows Vista and later): paged or nonpaged, and the callbacks receive
 * the list. */
NTKERNELAPI NTSTATUS ExInitializeLookasideListEx(PLOOKASIDE_LIST_EX Lookaside,
                                                 PALLOCATE_FUNCTION_EX Allocate,
                                                 PFREE_FUNCTION_EX Free, POOL_TYPE PoolType,
                                                 ULONG Flags, SIZE_T Size, ULONG Tag,
                                                 USHORT Depth);
NTKERNELAPI PVOID ExAllocateFromLookasideListEx(PLOOKASIDE_LIST_EX Lookaside);
NTKERNELAPI VOID ExFreeToLookasideListEx(PLOOKASIDE_LIST_EX Lookaside, PVOID Entry);
NTKERNELAPI VOID ExFlushLookasideListEx(PLOOKASIDE_LIST_EX Lookaside);
NTKERNELAPI VOID ExDeleteLookasideListEx(PLOOKASIDE_LIST_EX Lookaside);

NTK_EXTERN_C_END

#endif
