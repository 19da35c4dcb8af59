/* Ex: the special pool (Driver Verifier's). Each allocation gets a page of its own between two
 * inaccessible pages, placed at the end of its page (Verify End, the default: an overrun faults
 * at the instruction) or at its start (Verify Start: an underrun faults). The rest of the page
 * holds a pattern that the free checks (0xC1). A freed page becomes inaccessible and is reused
 * only after every other slot has been, so a use after free faults (0xD5/0xCC). Allocations of
 * a page or more, and any once the special pool is full, come from the normal pool, as on
 * Windows. */
#include "pool.h"
#include "../vf/vfdeadlock.h"
#include "ntklock.h"
#include "rtlp.h"
#include <string.h>
#include <sys/mman.h>

/* A slot is two pages: an inaccessible one, then the data page (the next slot's first page is
 * the guard after it). 8 GiB of address space: about a million slots before one is reused. */
#define EXP_SPECIAL_SLOT_SIZE (2 * PAGE_SIZE)
#define EXP_SPECIAL_SLOTS (512 * 1024)
#define EXP_SPECIAL_RANGE ((SIZE_T)EXP_SPECIAL_SLOTS * EXP_SPECIAL_SLOT_SIZE + PAGE_SIZE)
/* Each live slot costs the host two memory mappings; stay well below its limit (65530). */
#define EXP_SPECIAL_MAX_LIVE 16000
#define EXP_SPECIAL_MAX_SELECTIONS 16

enum { EXP_SLOT_UNUSED, EXP_SLOT_LIVE, EXP_SLOT_FREED };

typedef struct _EXP_SPECIAL_SLOT {
    PVOID Caller;
    ULONG Tag;
    USHORT Size;
    USHORT Offset;     /* of the block in its data page */
    UCHAR State;
    UCHAR PoolType;
    UCHAR Pattern;
    UCHAR VerifyStart;
} EXP_SPECIAL_SLOT;

typedef struct _EXP_SPECIAL_DRIVER {
    WCHAR Name[64];    /* the service name: the image's file name without its extension */
    ULONG_PTR Base, End;
} EXP_SPECIAL_DRIVER;

volatile BOOLEAN ExpSpecialPoolActive;
static NTK_LOCK ExpSpecialLock = NTK_LOCK_INIT;
static PUCHAR ExpSpecialBase;
static EXP_SPECIAL_SLOT *ExpSlots;
static ULONG ExpSpecialNext, ExpSpecialHigh, ExpSpecialLive;
static BOOLEAN ExpSpecialVerifyStart, ExpSpecialFullLogged;
static ULONG ExpSpecialTags[EXP_SPECIAL_MAX_SELECTIONS], ExpSpecialTagCount;
static EXP_SPECIAL_DRIVER ExpSpecialDrivers[EXP_SPECIAL_MAX_SELECTIONS];
static ULONG ExpSpecialDriverCount;

/* Reserves the address space and the slot table on first use. */
static BOOLEAN ExpSpecialReady(VOID)
{
    PVOID Table;
    if (ExpSpecialBase)
        return TRUE;
    Table = mmap(NULL, sizeof(EXP_SPECIAL_SLOT) * EXP_SPECIAL_SLOTS, PROT_READ | PROT_WRITE,
                 MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (Table == MAP_FAILED)
        return FALSE;
    ExpSpecialBase = MmpReserveSystemRange(EXP_SPECIAL_RANGE);
    if (ExpSpecialBase == NULL) {
        munmap(Table, sizeof(EXP_SPECIAL_SLOT) * EXP_SPECIAL_SLOTS);
        return FALSE;
    }
    ExpSlots = Table;
    return TRUE;
}

BOOLEAN ExpIsSpecialPoolAddress(const VOID *Address)
{
    PUCHAR Base = ExpSpecialBase;
    return Base && (PUCHAR)Address >= Base && (PUCHAR)Address < Base + EXP_SPECIAL_RANGE;
}

static PUCHAR ExpSlotData(ULONG Slot)
{
    return ExpSpecialBase + (SIZE_T)Slot * EXP_SPECIAL_SLOT_SIZE + PAGE_SIZE;
}

/* ---- Selection ---- */

VOID NtkSpecialPoolForDriver(const char *ServiceName)
{
    EXP_SPECIAL_DRIVER *Driver;
    ULONG i;
    NtkLock(&ExpSpecialLock);
    if (ExpSpecialDriverCount < EXP_SPECIAL_MAX_SELECTIONS) {
        Driver = &ExpSpecialDrivers[ExpSpecialDriverCount++];
        for (i = 0; ServiceName[i] && ServiceName[i] != '.' && i < RTL_NUMBER_OF(Driver->Name) - 1;
             i++)
            Driver->Name[i] = (WCHAR)(UCHAR)ServiceName[i];
        Driver->Name[i] = 0;
        ExpSpecialPoolActive = TRUE;
    }
    NtkUnlock(&ExpSpecialLock);
}

VOID NtkSpecialPoolForTag(ULONG Tag)
{
    NtkLock(&ExpSpecialLock);
    if (ExpSpecialTagCount < EXP_SPECIAL_MAX_SELECTIONS) {
        ExpSpecialTags[ExpSpecialTagCount++] = Tag;
        ExpSpecialPoolActive = TRUE;
    }
    NtkUnlock(&ExpSpecialLock);
}

VOID NtkSpecialPoolVerifyStart(BOOLEAN VerifyStart)
{
    ExpSpecialVerifyStart = VerifyStart;
}

/* The loader tells which image a driver's service name (or its \Driver\ name) stands for,
 * and with Base 0 when it is gone. */
VOID ExpNoteDriverImage(PCUNICODE_STRING ServiceName, ULONG_PTR Base, ULONG_PTR End)
{
    UNICODE_STRING Name = *ServiceName, Selected;
    ULONG i;
    if (!ExpSpecialPoolActive)
        return;
    for (i = 0; i < ServiceName->Length / sizeof(WCHAR); i++)
        if (ServiceName->Buffer[i] == L'\\') {
            Name.Buffer = ServiceName->Buffer + i + 1;
            Name.Length = (USHORT)(ServiceName->Length - (i + 1) * sizeof(WCHAR));
        }
    Name.MaximumLength = Name.Length;
    NtkLock(&ExpSpecialLock);
    for (i = 0; i < ExpSpecialDriverCount; i++) {
        RtlInitUnicodeString(&Selected, ExpSpecialDrivers[i].Name);
        if (RtlEqualUnicodeString(&Selected, &Name, TRUE)) {
            ExpSpecialDrivers[i].Base = Base;
            ExpSpecialDrivers[i].End = End;
            if (Base)
                KdpLog("ntk: special pool: every allocation of %wZ below a page is special\n",
                       &Name);
        }
    }
    NtkUnlock(&ExpSpecialLock);
}

static BOOLEAN ExpSpecialSelected(ULONG Tag, PVOID Caller)
{
    ULONG i;
    for (i = 0; i < ExpSpecialTagCount; i++)
        if ((ExpSpecialTags[i] & ~0x80000000u) == (Tag & ~0x80000000u))
            return TRUE;
    for (i = 0; i < ExpSpecialDriverCount; i++)
        if ((ULONG_PTR)Caller >= ExpSpecialDrivers[i].Base &&
            (ULONG_PTR)Caller < ExpSpecialDrivers[i].End)
            return TRUE;
    return FALSE;
}

/* ---- Allocation ---- */

static BOOLEAN ExpTakeSlot(ULONG *Slot)
{
    ULONG n;
    if (ExpSpecialLive >= EXP_SPECIAL_MAX_LIVE)
        return FALSE;
    /* Round robin: a freed page stays inaccessible as long as possible. */
    for (n = 0; n < EXP_SPECIAL_SLOTS; n++) {
        ULONG i = ExpSpecialNext;
        ExpSpecialNext = (ExpSpecialNext + 1) % EXP_SPECIAL_SLOTS;
        if (ExpSlots[i].State != EXP_SLOT_LIVE) {
            *Slot = i;
            if (i + 1 > ExpSpecialHigh)
                ExpSpecialHigh = i + 1;
            return TRUE;
        }
    }
    return FALSE;
}

PVOID ExpAllocateSpecialPool(UCHAR PoolType, SIZE_T Size, ULONG Tag, BOOLEAN Zero, PVOID Caller,
                             ULONG Special)
{
    EXP_SPECIAL_SLOT *Entry;
    BOOLEAN VerifyStart;
    PUCHAR Data;
    ULONG Slot;

    if (Size >= PAGE_SIZE)
        return NULL;
    NtkLock(&ExpSpecialLock);
    if (!(Special & EXP_SPECIAL_FORCE) && !ExpSpecialSelected(Tag, Caller)) {
        NtkUnlock(&ExpSpecialLock);
        return NULL;
    }
    if (!ExpSpecialReady() || !ExpTakeSlot(&Slot)) {
        BOOLEAN Log = !ExpSpecialFullLogged;
        ExpSpecialFullLogged = TRUE;
        NtkUnlock(&ExpSpecialLock);
        if (Log)
            KdpLog("ntk: special pool: full (%u live allocations); allocating from the normal "
                   "pool until some are freed\n",
                   EXP_SPECIAL_MAX_LIVE);
        return NULL;
    }
    Data = ExpSlotData(Slot);
    if (mprotect(Data, PAGE_SIZE, PROT_READ | PROT_WRITE) != 0) {
        NtkUnlock(&ExpSpecialLock);
        return NULL;
    }
    VerifyStart = (Special & EXP_SPECIAL_UNDERRUN) ? TRUE
                  : (Special & EXP_SPECIAL_OVERRUN) ? FALSE
                                                      : ExpSpecialVerifyStart;
    Entry = &ExpSlots[Slot];
    Entry->Caller = Caller;
    Entry->Tag = Tag;
    Entry->Size = (USHORT)(Size ? Size : 1);
    /* Verify End: the highest 16-byte aligned address that fits (pool alignment). */
    Entry->Offset = VerifyStart ? 0 : (USHORT)((PAGE_SIZE - Entry->Size) & ~(SIZE_T)15);
    Entry->PoolType = PoolType;
    Entry->Pattern = (UCHAR)(0xA5 ^ (Slot & 0x7F));
    Entry->VerifyStart = VerifyStart;
    Entry->State = EXP_SLOT_LIVE;
    ExpSpecialLive++;
    ExpSpecialFullLogged = FALSE;
    NtkUnlock(&ExpSpecialLock);
    memset(Data, Entry->Pattern, PAGE_SIZE);
    if (Zero)
        memset(Data + Entry->Offset, 0, Entry->Size);
    ExpAccountAllocation(Tag, PoolType, Size, TRUE);
    return Data + Entry->Offset;
}

/* ---- Free ---- */

static const UCHAR *ExpFindCorruption(const UCHAR *From, const UCHAR *To, UCHAR Pattern)
{
    for (; From < To; From++)
        if (*From != Pattern)
            return From;
    return NULL;
}

VOID ExpFreeSpecialPool(PVOID Block, ULONG Tag, BOOLEAN CheckTag)
{
    ULONG_PTR Offset = (ULONG_PTR)((PUCHAR)Block - ExpSpecialBase);
    ULONG Slot = (ULONG)(Offset / EXP_SPECIAL_SLOT_SIZE);
    EXP_SPECIAL_SLOT *Entry = &ExpSlots[Slot];
    const UCHAR *Corrupt;
    PUCHAR Data;
    KIRQL Irql = KiGetIrql();

    /* The deadlock detector forgets the locks the block held (it is alone on its page). */
    if (VfMayHoldTrackedLock((ULONG_PTR)Block, 1))
        VfDeadlockForgetPool((ULONG_PTR)Block, (ULONG_PTR)PAGE_ALIGN(Block) + PAGE_SIZE);
    NtkLock(&ExpSpecialLock);
    if (Offset % EXP_SPECIAL_SLOT_SIZE < PAGE_SIZE || Slot >= EXP_SPECIAL_SLOTS ||
        Entry->State != EXP_SLOT_LIVE) {
        NtkUnlock(&ExpSpecialLock);
        KeBugCheckEx(SPECIAL_POOL_DETECTED_MEMORY_CORRUPTION, (ULONG_PTR)Block, 0, 0, 0x20);
    }
    Data = ExpSlotData(Slot);
    if ((PUCHAR)Block != Data + Entry->Offset) {
        NtkUnlock(&ExpSpecialLock);
        KeBugCheckEx(SPECIAL_POOL_DETECTED_MEMORY_CORRUPTION, (ULONG_PTR)Block, Entry->Size,
                     (Entry->Size + 15) & ~15u, 0x21);
    }
    if (Irql > DISPATCH_LEVEL || (Entry->PoolType && Irql > APC_LEVEL)) {
        NtkUnlock(&ExpSpecialLock);
        KeBugCheckEx(DRIVER_VERIFIER_DETECTED_VIOLATION, Entry->PoolType ? 0x11 : 0x12, Irql,
                     Entry->PoolType, (ULONG_PTR)Block);
    }
    if (CheckTag && (Entry->Tag & ~0x80000000u) != (Tag & ~0x80000000u)) {
        ULONG Actual = Entry->Tag;
        NtkUnlock(&ExpSpecialLock);
        KeBugCheckEx(BAD_POOL_CALLER, 0x0A, (ULONG_PTR)Block, Actual, Tag);
    }
    /* The pattern around the block: before it (an underrun) and after it (an overrun into
     * the slack that no guard page covers). */
    Corrupt = ExpFindCorruption(Data, Data + Entry->Offset, Entry->Pattern);
    if (Corrupt) {
        NtkUnlock(&ExpSpecialLock);
        KdpLog("ntk: special pool: the %u bytes before the block at %p were written (at %p)\n",
               Entry->Offset, Block, Corrupt);
        KeBugCheckEx(SPECIAL_POOL_DETECTED_MEMORY_CORRUPTION, (ULONG_PTR)Block,
                     (ULONG_PTR)Corrupt, 0, 0x23);
    }
    Corrupt = ExpFindCorruption(Data + Entry->Offset + Entry->Size, Data + PAGE_SIZE,
                                Entry->Pattern);
    if (Corrupt) {
        NtkUnlock(&ExpSpecialLock);
        KdpLog("ntk: special pool: a write %u bytes past the end of the %u-byte block at %p\n",
               (unsigned)(Corrupt - ((PUCHAR)Block + Entry->Size)), Entry->Size, Block);
        KeBugCheckEx(SPECIAL_POOL_DETECTED_MEMORY_CORRUPTION, (ULONG_PTR)Block,
                     (ULONG_PTR)Corrupt, 0, 0x24);
    }
    Entry->State = EXP_SLOT_FREED;
    ExpSpecialLive--;
    madvise(Data, PAGE_SIZE, MADV_DONTNEED);
    mprotect(Data, PAGE_SIZE, PROT_NONE);
    NtkUnlock(&ExpSpecialLock);
    ExpAccountAllocation(Entry->Tag, Entry->PoolType, Entry->Size, FALSE);
}

ULONG ExpCountSpecialAllocations(ULONG_PTR ImageBase, ULONG_PTR ImageEnd, SIZE_T *Bytes,
                                 VOID (*Report)(PVOID Block, ULONG Tag, SIZE_T Size,
                                                PVOID Caller, PVOID Context),
                                 PVOID Context)
{
    ULONG i, Count = 0;
    SIZE_T Total = 0;
    if (ExpSpecialBase == NULL) {
        *Bytes = 0;
        return 0;
    }
    NtkLock(&ExpSpecialLock);
    for (i = 0; i < ExpSpecialHigh; i++) {
        const EXP_SPECIAL_SLOT *Entry = &ExpSlots[i];
        if (Entry->State == EXP_SLOT_LIVE && (ULONG_PTR)Entry->Caller >= ImageBase &&
            (ULONG_PTR)Entry->Caller < ImageEnd) {
            Count++;
            Total += Entry->Size;
            if (Report)
                Report(ExpSlotData(i) + Entry->Offset, Entry->Tag, Entry->Size, Entry->Caller,
                       Context);
        }
    }
    NtkUnlock(&ExpSpecialLock);
    *Bytes = Total;
    return Count;
}

/* ---- Faults ---- */

/* A kernel-mode page fault at Address: in the special pool it is a bug check, never an
 * exception. The driver's own code faulting is 0xD6/0xD5; the system's, for a driver's
 * allocation, 0xCD/0xCC. Returns only for addresses outside the special pool. */
VOID ExpSpecialPoolFault(ULONG_PTR Address, ULONG_PTR Access, ULONG_PTR Pc, BOOLEAN DriverCode)
{
    ULONG_PTR Offset = Address - (ULONG_PTR)ExpSpecialBase;
    ULONG Slot = (ULONG)(Offset / EXP_SPECIAL_SLOT_SIZE);
    const EXP_SPECIAL_SLOT *Entry;
    ULONG_PTR Write = Access == 1;
    CHAR Tag[5];

    if (!ExpIsSpecialPoolAddress((PVOID)Address))
        return;
    if (Offset % EXP_SPECIAL_SLOT_SIZE < PAGE_SIZE) {
        /* A guard page: past the end of the block before it, or before the one after. */
        const EXP_SPECIAL_SLOT *Before = Slot > 0 ? &ExpSlots[Slot - 1] : NULL;
        Entry = Slot < EXP_SPECIAL_SLOTS ? &ExpSlots[Slot] : NULL;
        if (Before && Before->State == EXP_SLOT_LIVE) {
            ULONG_PTR End = (ULONG_PTR)ExpSlotData(Slot - 1) + Before->Offset + Before->Size;
            RtlpFormatPoolTag(Before->Tag, Tag);
            KdpLog("ntk: special pool: %s %Iu bytes past the end of a %u-byte block (tag '%s', "
                   "allocated at %p)\n",
                   Write ? "a write" : "a read", Address - End, Before->Size, Tag,
                   Before->Caller);
        } else if (Entry && Entry->State == EXP_SLOT_LIVE) {
            ULONG_PTR Start = (ULONG_PTR)ExpSlotData(Slot) + Entry->Offset;
            RtlpFormatPoolTag(Entry->Tag, Tag);
            KdpLog("ntk: special pool: %s %Iu bytes before the start of a %u-byte block (tag "
                   "'%s', allocated at %p)\n",
                   Write ? "a write" : "a read", Start - Address, Entry->Size, Tag,
                   Entry->Caller);
        }
        KeBugCheckEx(DriverCode ? DRIVER_PAGE_FAULT_BEYOND_END_OF_ALLOCATION
                                : PAGE_FAULT_BEYOND_END_OF_ALLOCATION,
                     Address, Write, Pc, 0);
    }
    Entry = &ExpSlots[Slot];
    if (Entry->State == EXP_SLOT_LIVE)
        return; /* an accessible page: not a special pool fault (an execute, say) */
    if (Entry->State == EXP_SLOT_FREED) {
        RtlpFormatPoolTag(Entry->Tag, Tag);
        KdpLog("ntk: special pool: %s of freed memory, offset %Id in a %u-byte block (tag '%s', "
               "allocated at %p)\n",
               Write ? "a write" : "a read",
               (LONG_PTR)(Address - ((ULONG_PTR)ExpSlotData(Slot) + Entry->Offset)), Entry->Size,
               Tag, Entry->Caller);
    }
    KeBugCheckEx(DriverCode ? DRIVER_PAGE_FAULT_IN_FREED_SPECIAL_POOL
                            : PAGE_FAULT_IN_FREED_SPECIAL_POOL,
                 Address, Write, Pc, 0);
}
