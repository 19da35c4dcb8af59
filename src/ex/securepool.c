/* Ex: secure pools. Each pool is one memfd mapped twice in system space: read-only at the
 * addresses drivers get, read/write at an alias only ntk knows. No page protection ever
 * changes, so while one thread updates an allocation no other page becomes writable, and a
 * direct write by a driver faults like a write to read-only kernel memory. The first part of
 * the region holds one 64-byte record per allocation (tag, cookie, flags, size, a checksum of
 * the contents and one of the record itself); the data area follows. Every allocation has a
 * 16-byte inline header naming its record. docs/SECUREPOOL.md has the contract. */
#include "securepool.h"
#include "securepoolp.h"
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/random.h>
#include <unistd.h>

static pthread_rwlock_t ExpSecurePoolsLock = PTHREAD_RWLOCK_INITIALIZER;
static LIST_ENTRY ExpSecurePools = { &ExpSecurePools, &ExpSecurePools };
volatile LONG ExpSecurePoolCount;

/* A keyed, position-dependent 64-bit mix: not cryptographic, but no edit of the contents or
 * a record goes unnoticed except by chance (2^-64), and the key never leaves ntk's memory. */
ULONG64 ExpSecurePoolSum(ULONG64 Key, const VOID *Data, SIZE_T Length)
{
    const UCHAR *Bytes = Data;
    ULONG64 Hash = Key ^ ((ULONG64)Length * 0x9E3779B97F4A7C15ULL), Word;
    while (Length >= 8) {
        memcpy(&Word, Bytes, 8);
        Hash = (Hash ^ Word) * 0xFF51AFD7ED558CCDULL;
        Hash ^= Hash >> 29;
        Bytes += 8;
        Length -= 8;
    }
    Word = 0;
    memcpy(&Word, Bytes, Length);
    Hash = (Hash ^ Word ^ ((ULONG64)Length << 56)) * 0xC4CEB9FE1A85EC53ULL;
    return Hash ^ (Hash >> 31);
}

ULONG64 ExpSecurePoolRecordSum(const SECURE_POOL *Pool, const SP_RECORD *Record)
{
    return ExpSecurePoolSum(Pool->Key, Record, FIELD_OFFSET(SP_RECORD, RecordSum));
}

/* ---- regions ---- */

/* Maps the memfd over a fresh system-space range; the range is never handed out again. */
static PUCHAR ExpMapSecureView(int Fd, int Protection)
{
    PUCHAR Base = MmpReserveSystemPages(SP_REGION_SIZE);
    if (Base == NULL)
        return NULL;
    if (mmap(Base, SP_REGION_SIZE, Protection, MAP_SHARED | MAP_FIXED, Fd, 0) != Base) {
        MmpReleaseSystemPages(Base, SP_REGION_SIZE);
        return NULL;
    }
    return Base;
}

/* Drops the memfd's pages; the range stays reserved and inaccessible, so a stale pointer
 * faults. */
static VOID ExpUnmapSecureView(PUCHAR Base)
{
    if (Base)
        mmap(Base, SP_REGION_SIZE, PROT_NONE,
             MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE | MAP_FIXED, -1, 0);
}

static VOID ExpDeletePoolObject(SECURE_POOL *Pool)
{
    SP_EXTENT *Extent, *Next;
    ExpUnmapSecureView(Pool->View);
    ExpUnmapSecureView(Pool->Alias);
    for (Extent = Pool->FreeExtents; Extent; Extent = Next) {
        Next = Extent->Next;
        free(Extent);
    }
    free(Pool->FreeSlots);
    free(Pool);
}

static SECURE_POOL *ExpNewPoolObject(ULONG_PTR Tag, PVOID Creator)
{
    SECURE_POOL *Pool = calloc(1, sizeof(*Pool));
    int Fd;
    ULONG i;
    if (Pool == NULL)
        return NULL;
    Pool->Tag = Tag;
    Pool->Creator = Creator;
    Pool->FreeSlots = malloc(SP_MAX_RECORDS * sizeof(ULONG));
    Pool->FreeExtents = calloc(1, sizeof(SP_EXTENT));
    if (Pool->FreeSlots == NULL || Pool->FreeExtents == NULL) {
        ExpDeletePoolObject(Pool);
        return NULL;
    }
    /* Slot 0 is handed out first. */
    for (i = 0; i < SP_MAX_RECORDS; i++)
        Pool->FreeSlots[i] = SP_MAX_RECORDS - 1 - i;
    Pool->FreeSlotCount = SP_MAX_RECORDS;
    Pool->FreeExtents->Offset = 0;
    Pool->FreeExtents->Length = SP_DATA_SIZE;
    if (getrandom(&Pool->Key, sizeof(Pool->Key), 0) != (ssize_t)sizeof(Pool->Key))
        Pool->Key = (ULONG64)(ULONG_PTR)Pool * 0x9E3779B97F4A7C15ULL ^ (ULONG64)getpid();
    Fd = memfd_create("ntk-secure-pool", MFD_CLOEXEC);
    if (Fd < 0) {
        ExpDeletePoolObject(Pool);
        return NULL;
    }
    /* Sparse: pages exist only once written. */
    if (ftruncate(Fd, SP_REGION_SIZE) == 0) {
        Pool->View = ExpMapSecureView(Fd, PROT_READ);
        Pool->Alias = ExpMapSecureView(Fd, PROT_READ | PROT_WRITE);
    }
    close(Fd); /* the mappings keep the file */
    if (Pool->View == NULL || Pool->Alias == NULL) {
        ExpDeletePoolObject(Pool);
        return NULL;
    }
    return Pool;
}

/* ---- the pool list ---- */

static SECURE_POOL *ExpFindPoolLocked(HANDLE Handle)
{
    PLIST_ENTRY Entry;
    for (Entry = ExpSecurePools.Flink; Entry != &ExpSecurePools; Entry = Entry->Flink)
        if ((HANDLE)CONTAINING_RECORD(Entry, SECURE_POOL, Link) == Handle)
            return CONTAINING_RECORD(Entry, SECURE_POOL, Link);
    return NULL;
}

/* The pool the handle names, with its lock held; NULL if the handle names none. Taking the
 * pool's lock under the list lock keeps ExDestroyPool from freeing it in between. */
SECURE_POOL *ExpLockSecurePool(HANDLE Handle)
{
    SECURE_POOL *Pool;
    if (Handle == NULL || ExpSecurePoolCount == 0)
        return NULL;
    pthread_rwlock_rdlock(&ExpSecurePoolsLock);
    Pool = ExpFindPoolLocked(Handle);
    if (Pool)
        NtkLock(&Pool->Lock);
    pthread_rwlock_unlock(&ExpSecurePoolsLock);
    return Pool;
}

VOID ExpUnlockSecurePool(SECURE_POOL *Pool)
{
    NtkUnlock(&Pool->Lock);
}

VOID ExpRejectSecurePoolFreeSlow(PVOID P)
{
    PLIST_ENTRY Entry;
    BOOLEAN Inside = FALSE;
    pthread_rwlock_rdlock(&ExpSecurePoolsLock);
    for (Entry = ExpSecurePools.Flink; Entry != &ExpSecurePools; Entry = Entry->Flink) {
        SECURE_POOL *Pool = CONTAINING_RECORD(Entry, SECURE_POOL, Link);
        if ((PUCHAR)P >= Pool->View && (PUCHAR)P < Pool->View + SP_REGION_SIZE)
            Inside = TRUE;
    }
    pthread_rwlock_unlock(&ExpSecurePoolsLock);
    if (Inside) {
        KdpLog("ntk: %p is a secure pool allocation: only ExFreePool2 with the pool's "
               "POOL_EXTENDED_PARAMS_SECURE_POOL frees it\n", P);
        KeBugCheckEx(BAD_POOL_CALLER, 0x46, (ULONG_PTR)P, 0, 0);
    }
}

/* ---- allocations ---- */

/* The record of the allocation that starts at Address, or NULL. Reads go through the
 * read-only view: the driver cannot have written any of it. */
LONG ExpFindSecureAllocation(SECURE_POOL *Pool, PVOID Address)
{
    ULONG_PTR Data = (ULONG_PTR)SpDataView(Pool), At = (ULONG_PTR)Address;
    const SP_INLINE *Inline;
    const SP_RECORD *Record;
    if (At < Data + sizeof(SP_INLINE) || At >= Data + SP_DATA_SIZE || (At & (SP_UNIT - 1)))
        return -1;
    Inline = (const SP_INLINE *)At - 1;
    if (Inline->Magic != SP_INLINE_MAGIC || Inline->Slot >= SP_MAX_RECORDS)
        return -1;
    Record = &SpRecordsView(Pool)[Inline->Slot];
    if (Record->Magic != SP_RECORD_MAGIC || Record->State != SP_STATE_LIVE ||
        Record->Allocation != At)
        return -1;
    return (LONG)Inline->Slot;
}

/* First fit in the offset-ordered free list. */
static BOOLEAN ExpTakeExtent(SECURE_POOL *Pool, SIZE_T Length, SIZE_T *Offset)
{
    SP_EXTENT **Link, *Extent;
    for (Link = &Pool->FreeExtents; (Extent = *Link) != NULL; Link = &Extent->Next) {
        if (Extent->Length < Length)
            continue;
        *Offset = Extent->Offset;
        Extent->Offset += Length;
        Extent->Length -= Length;
        if (Extent->Length == 0) {
            *Link = Extent->Next;
            free(Extent);
        }
        return TRUE;
    }
    return FALSE;
}

/* Returns the extent to the list, merged with its neighbours. FALSE only if out of memory for
 * a list node (the extent then stays used: a leak of address space, not a fault). */
static BOOLEAN ExpReturnExtent(SECURE_POOL *Pool, SIZE_T Offset, SIZE_T Length)
{
    SP_EXTENT **Link = &Pool->FreeExtents, *Prev = NULL, *Next, *New;
    while (*Link && (*Link)->Offset < Offset) {
        Prev = *Link;
        Link = &(*Link)->Next;
    }
    Next = *Link;
    if (Prev && Prev->Offset + Prev->Length == Offset) {
        Prev->Length += Length;
        if (Next && Prev->Offset + Prev->Length == Next->Offset) {
            Prev->Length += Next->Length;
            Prev->Next = Next->Next;
            free(Next);
        }
        return TRUE;
    }
    if (Next && Offset + Length == Next->Offset) {
        Next->Offset = Offset;
        Next->Length += Length;
        return TRUE;
    }
    New = malloc(sizeof(*New));
    if (New == NULL)
        return FALSE;
    New->Offset = Offset;
    New->Length = Length;
    New->Next = Next;
    *Link = New;
    return TRUE;
}

/* Reads every page of the caller's buffer before any lock is taken: a bad pointer then faults
 * (in the caller's context, like any DDI given one) with no pool lock held. */
VOID ExpTouchSecurePoolBuffer(const VOID *Buffer, SIZE_T Size)
{
    volatile const UCHAR *Bytes = Buffer;
    SIZE_T At;
    if (Size == 0)
        return;
    for (At = 0; At < Size; At += PAGE_SIZE)
        (void)Bytes[At];
    (void)Bytes[Size - 1];
}

PVOID ExpAllocateSecurePool(SIZE_T Size, ULONG Tag, const POOL_EXTENDED_PARAMS_SECURE_POOL *Params)
{
    SECURE_POOL *Pool;
    SP_RECORD *Record;
    SP_INLINE *Inline;
    SIZE_T Extent, Offset;
    ULONG Slot;
    PUCHAR Data;
    const ULONG Known = SECURE_POOL_FLAGS_FREEABLE | SECURE_POOL_FLAGS_MODIFIABLE;

    if (Params->SecurePoolFlags & ~Known) {
        KdpLog("ntk: ExAllocatePool3: unknown SecurePoolFlags 0x%x\n", Params->SecurePoolFlags);
        return NULL;
    }
    if (Size == 0 || Size > SP_DATA_SIZE - sizeof(SP_INLINE))
        return NULL;
    Extent = sizeof(SP_INLINE) + ROUND_UP_SIZE(Size, SP_UNIT);
    if (Params->Buffer)
        ExpTouchSecurePoolBuffer(Params->Buffer, Size);
    Pool = ExpLockSecurePool(Params->SecurePoolHandle);
    if (Pool == NULL) {
        KdpLog("ntk: ExAllocatePool3: %p is not a secure pool handle\n",
               Params->SecurePoolHandle);
        return NULL;
    }
    if (Pool->FreeSlotCount == 0 || !ExpTakeExtent(Pool, Extent, &Offset)) {
        ExpUnlockSecurePool(Pool);
        return NULL;
    }
    Slot = Pool->FreeSlots[--Pool->FreeSlotCount];
    /* Everything is written through the alias. */
    Inline = (SP_INLINE *)(SpDataAlias(Pool) + Offset);
    Data = (PUCHAR)(Inline + 1);
    Inline->Slot = Slot;
    Inline->Magic = SP_INLINE_MAGIC;
    Inline->Reserved[0] = Inline->Reserved[1] = 0;
    if (Params->Buffer)
        memcpy(Data, Params->Buffer, Size);
    else
        memset(Data, 0, Size);
    memset(Data + Size, 0, Extent - sizeof(SP_INLINE) - Size);
    Record = &SpRecordsAlias(Pool)[Slot];
    Record->Magic = SP_RECORD_MAGIC;
    Record->State = SP_STATE_LIVE;
    Record->Tag = Tag;
    Record->Flags = Params->SecurePoolFlags;
    Record->Allocation = (ULONG_PTR)(SpDataView(Pool) + Offset + sizeof(SP_INLINE));
    Record->Size = Size;
    Record->Cookie = Params->Cookie;
    Record->Extent = Extent;
    Record->ContentSum = ExpSecurePoolSum(Pool->Key, Data, Size);
    Record->RecordSum = ExpSecurePoolRecordSum(Pool, Record);
    Pool->LiveCount++;
    if (Record->Flags & SECURE_POOL_FLAGS_FREEABLE)
        Pool->LiveFreeable++;
    ExpUnlockSecurePool(Pool);
    return (PVOID)Record->Allocation;
}

/* Frees the allocation in Slot: its bytes are zeroed, so nothing of it stays readable. */
VOID ExpReleaseSecureAllocation(SECURE_POOL *Pool, ULONG Slot)
{
    SP_RECORD *Record = &SpRecordsAlias(Pool)[Slot];
    SIZE_T Offset = Record->Allocation - sizeof(SP_INLINE) - (ULONG_PTR)SpDataView(Pool);
    SIZE_T Extent = Record->Extent;
    memset(SpDataAlias(Pool) + Offset, 0, Extent);
    Pool->LiveCount--;
    if (Record->Flags & SECURE_POOL_FLAGS_FREEABLE)
        Pool->LiveFreeable--;
    memset(Record, 0, sizeof(*Record));
    Pool->FreeSlots[Pool->FreeSlotCount++] = Slot;
    if (!ExpReturnExtent(Pool, Offset, Extent))
        KdpLog("ntk: secure pool %p: out of memory; %zu bytes of it stay unusable\n", Pool,
               Extent);
}

/* ---- ExCreatePool, ExDestroyPool ---- */

static NTSTATUS ExpCheckCreateParameters(const POOL_CREATE_EXTENDED_PARAMS *Params)
{
    ULONG i;
    if (Params == NULL)
        return STATUS_SUCCESS;
    if (Params->Version != POOL_CREATE_PARAMS_VERSION)
        return STATUS_INVALID_PARAMETER;
    if ((Params->ParameterCount != 0) != (Params->Parameters != NULL))
        return STATUS_INVALID_PARAMETER_3;
    /* A name is not permitted for a secure pool, and no other parameter type exists. */
    for (i = 0; i < Params->ParameterCount; i++)
        KdpLog("ntk: ExCreatePool: parameter %u (type %d): %s\n", i, Params->Parameters[i].Type,
               Params->Parameters[i].Type == PoolCreateExtendedParameterName
                   ? "a secure pool takes no name"
                   : "unknown type");
    return Params->ParameterCount ? STATUS_INVALID_PARAMETER_3 : STATUS_SUCCESS;
}

NTSTATUS ExCreatePool(ULONG Flags, ULONG_PTR Tag, POOL_CREATE_EXTENDED_PARAMS *Params,
                      HANDLE *PoolHandle)
{
    VF_CHECK_IRQL(ExCreatePool);
    SECURE_POOL *Pool;
    NTSTATUS Status;
    /* Secure pools only: the private paged and nonpaged pool types' flag values are not in
     * the public headers ntk is written from, so any other type is an invalid one. */
    if (!(Flags & POOL_CREATE_FLG_SECURE_POOL) ||
        (Flags & ~(ULONG)(POOL_CREATE_FLG_SECURE_POOL | POOL_CREATE_FLG_USE_GLOBAL_POOL)))
        return STATUS_INVALID_PARAMETER_1;
    Status = ExpCheckCreateParameters(Params);
    if (!NT_SUCCESS(Status))
        return Status;
    if (PoolHandle == NULL)
        return STATUS_INVALID_PARAMETER_4;
    Pool = ExpNewPoolObject(Tag, __builtin_return_address(0));
    if (Pool == NULL)
        return STATUS_INSUFFICIENT_RESOURCES;
    pthread_rwlock_wrlock(&ExpSecurePoolsLock);
    InsertTailList(&ExpSecurePools, &Pool->Link);
    InterlockedIncrement(&ExpSecurePoolCount);
    pthread_rwlock_unlock(&ExpSecurePoolsLock);
    *PoolHandle = (HANDLE)Pool;
    return STATUS_SUCCESS;
}

VOID ExDestroyPool(HANDLE PoolHandle)
{
    VF_CHECK_IRQL(ExDestroyPool);
    SECURE_POOL *Pool;
    ULONG Slot;
    pthread_rwlock_wrlock(&ExpSecurePoolsLock);
    Pool = ExpFindPoolLocked(PoolHandle);
    if (Pool == NULL) {
        pthread_rwlock_unlock(&ExpSecurePoolsLock);
        KdpLog("ntk: ExDestroyPool: %p is not a pool handle\n", PoolHandle);
        KeBugCheckEx(BAD_POOL_CALLER, 0x46, (ULONG_PTR)PoolHandle, 0, 0);
    }
    /* Waits for an operation in progress; none can start once the pool is off the list. */
    NtkLock(&Pool->Lock);
    if (Pool->LiveFreeable != 0) {
        const SP_RECORD *Records = SpRecordsView(Pool);
        KdpLog("ntk: ExDestroyPool: %u freeable allocations of pool %p not freed\n",
               Pool->LiveFreeable, PoolHandle);
        for (Slot = 0; Slot < SP_MAX_RECORDS; Slot++)
            if (Records[Slot].State == SP_STATE_LIVE &&
                (Records[Slot].Flags & SECURE_POOL_FLAGS_FREEABLE))
                KdpLog("ntk:   allocation %p (tag 0x%08x, %zu bytes)\n",
                       (PVOID)Records[Slot].Allocation, Records[Slot].Tag, Records[Slot].Size);
        KeBugCheckEx(BAD_POOL_CALLER, 0x46, (ULONG_PTR)PoolHandle, 0, 0);
    }
    RemoveEntryList(&Pool->Link);
    InterlockedDecrement(&ExpSecurePoolCount);
    NtkUnlock(&Pool->Lock);
    pthread_rwlock_unlock(&ExpSecurePoolsLock);
    /* Allocations made without SECURE_POOL_FLAGS_FREEABLE end with their pool. */
    ExpDeletePoolObject(Pool);
}
