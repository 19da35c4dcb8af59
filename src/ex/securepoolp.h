/* Ex: the secure pool's private layout, shared by securepool.c (pools, allocator) and
 * securepoolapi.c (the DDIs). */
#ifndef NTK_EX_SECUREPOOLP_H
#define NTK_EX_SECUREPOOLP_H

#include "ntkp.h"
#include "ntklock.h"
#include "../vf/vfddi.h"
#include <pthread.h>

/* Capacity of one pool: address space only, since the memfd is sparse. */
#define SP_MAX_RECORDS 16384
#define SP_RECORD_AREA ((SIZE_T)SP_MAX_RECORDS * sizeof(SP_RECORD))
#define SP_DATA_SIZE ((SIZE_T)64 * 1024 * 1024)
#define SP_REGION_SIZE (SP_RECORD_AREA + SP_DATA_SIZE)
#define SP_UNIT 16
#define SP_RECORD_MAGIC 0x52506553u /* 'SePR' */
#define SP_INLINE_MAGIC 0x48506553u /* 'SePH' */
#define SP_STATE_LIVE 0x4C495645u
#define ROUND_UP_SIZE(Size, Unit) (((Size) + (Unit) - 1) & ~(SIZE_T)((Unit) - 1))

/* One allocation's record, in the pool's record area (read-only to drivers). */
typedef struct _SP_RECORD {
    ULONG Magic;
    ULONG State;
    ULONG Tag;
    ULONG Flags;          /* SECURE_POOL_FLAGS_* */
    ULONG_PTR Allocation; /* the address the driver got */
    SIZE_T Size;          /* bytes requested */
    ULONG_PTR Cookie;
    SIZE_T Extent;        /* bytes taken: inline header and rounded data */
    ULONG64 ContentSum;   /* of the Size bytes of contents */
    ULONG64 RecordSum;    /* of the fields above */
} SP_RECORD;

/* The 16 bytes before every allocation. Its last word is never an ordinary pool header's check
 * value in practice, and ExFreePool refuses secure addresses before looking at it anyway. */
typedef struct _SP_INLINE {
    ULONG Slot;
    ULONG Magic;
    ULONG Reserved[2];
} SP_INLINE;

_Static_assert(sizeof(SP_RECORD) == 64, "records are 64 bytes");
_Static_assert(sizeof(SP_INLINE) == SP_UNIT, "allocations stay 16-byte aligned");

/* A free range of the data area, in ntk's private memory. */
typedef struct _SP_EXTENT {
    struct _SP_EXTENT *Next;
    SIZE_T Offset, Length;
} SP_EXTENT;

/* What a secure pool handle points to (ntk's private memory; the handle is checked against
 * the list of live pools before use). */
typedef struct _SECURE_POOL {
    LIST_ENTRY Link;
    NTK_LOCK Lock;        /* every allocation, update, validation and free of the pool */
    ULONG_PTR Tag;
    PVOID Creator;
    PUCHAR View;          /* PROT_READ: what drivers see */
    PUCHAR Alias;         /* PROT_READ|PROT_WRITE: ntk's only way to change the contents */
    ULONG64 Key;          /* the checksums' key */
    SP_EXTENT *FreeExtents;
    ULONG *FreeSlots;
    ULONG FreeSlotCount;
    ULONG LiveCount;
    ULONG LiveFreeable;
} SECURE_POOL;

static inline SP_RECORD *SpRecordsView(const SECURE_POOL *Pool)
{
    return (SP_RECORD *)Pool->View;
}
static inline SP_RECORD *SpRecordsAlias(const SECURE_POOL *Pool)
{
    return (SP_RECORD *)Pool->Alias;
}
static inline PUCHAR SpDataView(const SECURE_POOL *Pool)
{
    return Pool->View + SP_RECORD_AREA;
}
static inline PUCHAR SpDataAlias(const SECURE_POOL *Pool)
{
    return Pool->Alias + SP_RECORD_AREA;
}

ULONG64 ExpSecurePoolSum(ULONG64 Key, const VOID *Data, SIZE_T Length);
ULONG64 ExpSecurePoolRecordSum(const SECURE_POOL *Pool, const SP_RECORD *Record);
SECURE_POOL *ExpLockSecurePool(HANDLE Handle);
VOID ExpUnlockSecurePool(SECURE_POOL *Pool);
LONG ExpFindSecureAllocation(SECURE_POOL *Pool, PVOID Address);
VOID ExpReleaseSecureAllocation(SECURE_POOL *Pool, ULONG Slot);
VOID ExpTouchSecurePoolBuffer(const VOID *Buffer, SIZE_T Size);

#endif
