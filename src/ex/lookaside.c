/* Ex: lookaside lists (the WDK's "Using Lookaside Lists", ExInitializeLookasideListEx and the
 * ExXxxLookasideList pages).
 *
 * A lookaside list caches freed entries of one size: an allocation takes the most recently
 * freed entry (LIFO, as the WDK says of the current implementation) or, when the list is empty,
 * calls the list's Allocate routine (default: the pool, with the list's type and tag); a free
 * keeps the entry unless the list already holds Depth entries, in which case it calls the
 * list's Free routine (default: the pool).
 *
 * ListHead. The 16 bytes of the SLIST_HEADER are ntk's own list head, not an SLIST:
 *   quadword 0, bits 0-15  the number of entries cached (where an SLIST_HEADER has its depth)
 *               bits 16-47 when the current tuning period began (interrupt time in milliseconds,
 *                          the low 32 bits)
 *               bits 48-63 the list's owner: a thread's record (lookowner.h), UNCLAIMED before
 *                          the first allocation or free, or SHARED with the record of the
 *                          thread that held it last and whether another did this period
 *   quadword 1             the first cached entry; bit 0 set while a thread holds a shared list,
 *                          and all the time a thread owns it
 * Entries are linked through their first pointer. The first thread to use a list owns it, and
 * works on it with plain loads and stores: a hit costs no locked instruction. Another thread
 * that wants it takes it from its owner (lookowner.c) and the list is shared: holding it is one
 * compare-exchange on quadword 1 and releasing it one store. A shared list that one thread alone
 * holds for a whole tuning period (256 allocations) becomes that thread's. Either way, the
 * counters (TotalAllocates, AllocateMisses, TotalFrees, FreeMisses) and Depth are updated by
 * whoever holds the list, so they are exact with several processors at once, and the LIFO order
 * is the list's, not a thread's. The list is held only for a few instructions, never across an
 * Allocate or Free routine. Entries must be at least 2-byte aligned (the pool's are 16-byte
 * aligned, as SLIST entries must be on x64).
 *
 * Depth. Every list starts at Depth 4 with MaximumDepth 256 (EX_MAXIMUM_LOOKASIDE_DEPTH_BASE);
 * the Depth argument of the initialize routines is reserved and ignored. The WDK says the system
 * tracks each list's demand, holds more entries when demand is high and frees the surplus when
 * it falls. ntk's rule: a list is re-examined, while held, at the end of each tuning period; a
 * period ends after 256 allocations, or at an allocation that misses once 1 s of interrupt time
 * (virtual time under --virtual-time) has passed since the period began. With A the period's
 * allocations and M its misses:
 *   - idle (the period lasted 1 s or more, i.e. fewer than 256 allocations a second): Depth
 *     drops by a quarter of its excess over 4 (at least 1), not below 4, and the cached entries
 *     beyond the new Depth go back through the Free routine;
 *   - missing (more than one allocation in 32 missed, M * 32 > A): Depth rises by M / 2 (at
 *     least 4), up to MaximumDepth. A list never caches more entries than its driver had out at
 *     once, so rising too far costs no memory;
 *   - otherwise Depth stays.
 * LastTotalAllocates and LastAllocateMisses hold the counters at the start of the period.
 *
 * The system-wide set. Every initialized list is linked through ListEntry into one set until it
 * is deleted. Initializing a list that is in the set is Driver Verifier's 0xC4/0xCA, deleting
 * one that is not 0xC4/0xCB, an entry size below LOOKASIDE_MINIMUM_BLOCK_SIZE 0xC4/0xCD.
 * ExpCheckImageLookasideLists, called as a driver image goes away, finds the lists the image
 * still has: see there. Future[0..1] holds the address the initialize routine returns to. */
#include "pool.h"
#include "lookowner.h"
#include "ntklock.h"
#include "../vf/vfddi.h"
#include <sched.h>
#include <string.h>

VOID ExpCheckImageLookasideLists(ULONG_PTR Base, ULONG_PTR End);

_Static_assert(sizeof(NPAGED_LOOKASIDE_LIST) == 0x80, "x64 NPAGED_LOOKASIDE_LIST is 0x80 bytes");
_Static_assert(sizeof(PAGED_LOOKASIDE_LIST) == 0x80, "x64 PAGED_LOOKASIDE_LIST is 0x80 bytes");
_Static_assert(sizeof(LOOKASIDE_LIST_EX) == 0x60, "x64 LOOKASIDE_LIST_EX is 0x60 bytes");
_Static_assert(offsetof(GENERAL_LOOKASIDE, Depth) == 0x10, "GENERAL_LOOKASIDE layout");
_Static_assert(offsetof(GENERAL_LOOKASIDE, TotalAllocates) == 0x14, "GENERAL_LOOKASIDE layout");
_Static_assert(offsetof(GENERAL_LOOKASIDE, AllocateMisses) == 0x18, "GENERAL_LOOKASIDE layout");
_Static_assert(offsetof(GENERAL_LOOKASIDE, TotalFrees) == 0x1C, "GENERAL_LOOKASIDE layout");
_Static_assert(offsetof(GENERAL_LOOKASIDE, FreeMisses) == 0x20, "GENERAL_LOOKASIDE layout");
_Static_assert(offsetof(GENERAL_LOOKASIDE, Type) == 0x24, "GENERAL_LOOKASIDE layout");
_Static_assert(offsetof(GENERAL_LOOKASIDE, Tag) == 0x28, "GENERAL_LOOKASIDE layout");
_Static_assert(offsetof(GENERAL_LOOKASIDE, Size) == 0x2C, "GENERAL_LOOKASIDE layout");
_Static_assert(offsetof(GENERAL_LOOKASIDE, Allocate) == 0x30, "GENERAL_LOOKASIDE layout");
_Static_assert(offsetof(GENERAL_LOOKASIDE, Free) == 0x38, "GENERAL_LOOKASIDE layout");
_Static_assert(offsetof(GENERAL_LOOKASIDE, ListEntry) == 0x40, "GENERAL_LOOKASIDE layout");
_Static_assert(offsetof(GENERAL_LOOKASIDE, LastTotalAllocates) == 0x50, "layout");
_Static_assert(offsetof(GENERAL_LOOKASIDE, LastAllocateMisses) == 0x54, "layout");
_Static_assert(offsetof(GENERAL_LOOKASIDE, Future) == 0x58, "GENERAL_LOOKASIDE layout");
_Static_assert(offsetof(GENERAL_LOOKASIDE_POOL, Future) == 0x58, "GENERAL_LOOKASIDE_POOL layout");
_Static_assert(sizeof(GENERAL_LOOKASIDE_POOL) == 0x60, "GENERAL_LOOKASIDE_POOL is 0x60 bytes");

#define EXP_LOOKASIDE_MINIMUM_DEPTH 4
#define EXP_LOOKASIDE_PERIOD_ALLOCATIONS 256
#define EXP_LOOKASIDE_PERIOD_MS 1000
#define EXP_LOOKASIDE_HELD ((ULONG_PTR)1)
#define EXP_LOOKASIDE_COUNT_MASK 0xFFFFULL
#define EXP_LOOKASIDE_TIME_SHIFT 16
#define EXP_LOOKASIDE_OWNER_SHIFT 48
#define EXP_LOOKASIDE_OWNER_MASK (0xFFFFULL << EXP_LOOKASIDE_OWNER_SHIFT)
/* The owner field: a thread's record (1 .. EXP_LOOKASIDE_OWNERS - 1), or one of these. */
#define EXP_OWNER_UNCLAIMED 0x2000 /* nobody has used the list yet */
#define EXP_OWNER_SHARED 0x8000    /* shared; bits 0-11 the record of the thread that held it last */
#define EXP_OWNER_MIXED 0x4000     /* shared: another thread held it since the period began */
#define EXP_OWNER_LAST 0x0FFF

/* Driver Verifier's 0xC4 codes for lookaside lists (bug check 0xC4's parameter table). */
#define EXP_VF_LOOKASIDE_REINITIALIZED 0xCA
#define EXP_VF_LOOKASIDE_NOT_INITIALIZED 0xCB
#define EXP_VF_LOOKASIDE_BLOCK_TOO_SMALL 0xCD

typedef struct _EXP_LOOKASIDE_HEAD {
    ULONGLONG Header; /* entries cached, start of the tuning period, owner (see the top) */
    ULONG_PTR Top;    /* first entry | EXP_LOOKASIDE_HELD */
} EXP_LOOKASIDE_HEAD;

_Static_assert(sizeof(EXP_LOOKASIDE_HEAD) == sizeof(SLIST_HEADER), "the head fits ListHead");

typedef GENERAL_LOOKASIDE_POOL EXP_LOOKASIDE;

static NTK_LOCK ExpLookasideLock = NTK_LOCK_INIT;
static LIST_ENTRY ExpLookasideLists = { &ExpLookasideLists, &ExpLookasideLists };

#define EXP_HEAD(L) ((EXP_LOOKASIDE_HEAD *)&(L)->ListHead)

static ULONGLONG ExpLookasideNowMs(VOID)
{
    return KiQueryInterruptTime() / 10000;
}

/* Milliseconds since the tuning period began (the header keeps the low 32 bits of its start). */
static ULONG ExpPeriodElapsed(ULONGLONG Header, ULONGLONG NowMs)
{
    return (ULONG)NowMs - (ULONG)(Header >> EXP_LOOKASIDE_TIME_SHIFT);
}

static PVOID ExpLookasideCaller(const EXP_LOOKASIDE *L)
{
    PVOID Caller;
    memcpy(&Caller, L->Future, sizeof(Caller));
    return Caller;
}

/* ---- holding a list ----
 * An owned list keeps EXP_LOOKASIDE_HELD set in Top, so that no thread can hold it as a shared
 * list while its owner works on it: a thread that finds Top held and the list owned takes it
 * from its owner first. */

static ULONG ExpOwnerOf(ULONGLONG Header)
{
    return (ULONG)(Header >> EXP_LOOKASIDE_OWNER_SHIFT);
}

static BOOLEAN ExpIsRecord(ULONG Owner)
{
    return Owner != 0 && Owner < EXP_LOOKASIDE_OWNERS;
}

/* The list is held (shared) or being taken over: sets its owner field (a release, so that a
 * thread that sees the new owner sees what the setter stored before it). */
static VOID ExpSetOwner(EXP_LOOKASIDE_HEAD *Head, ULONG Owner)
{
    __atomic_store_n(&Head->Header,
                     (Head->Header & ~EXP_LOOKASIDE_OWNER_MASK) |
                         (ULONGLONG)Owner << EXP_LOOKASIDE_OWNER_SHIFT,
                     __ATOMIC_RELEASE);
}

/* The calling thread's record, as a shared list's last holder (0: it has none). */
static ULONG ExpHolderRecord(VOID)
{
    ULONG Me = ExpLookasideIndex;
    return ExpIsRecord(Me) ? Me : 0;
}

/* A shared list was just held by the calling thread: notes it as the last holder. */
static inline VOID ExpNoteHolder(EXP_LOOKASIDE_HEAD *Head)
{
    ULONG Owner = ExpOwnerOf(Head->Header), Me = ExpHolderRecord();
    if (Owner == EXP_OWNER_UNCLAIMED || (Owner & EXP_OWNER_LAST) != Me)
        ExpSetOwner(Head, EXP_OWNER_SHARED | EXP_OWNER_MIXED | Me);
}

/* The calling thread's record if it owns the list, now announced as working on it (Busy);
 * NULL otherwise. Busy is stored before the owner field is read: a revoker that has not been
 * seen yet sees Busy (lookowner.h). A thread without a record writes record 0, which owns
 * nothing, and gets a record on the slow path. */
static inline EXP_LOOKASIDE_THREAD *ExpEnterOwned(EXP_LOOKASIDE *L)
{
    ULONG Me = ExpLookasideIndex;
    EXP_LOOKASIDE_THREAD *Self = &ExpLookasideThreads[Me];
    __atomic_store_n(&Self->Busy, (PVOID)L, __ATOMIC_RELAXED);
    __atomic_signal_fence(__ATOMIC_SEQ_CST); /* a revoker's barrier orders the processor */
    if (__builtin_expect(__atomic_load_n(&Self->Revoking, __ATOMIC_ACQUIRE) == (PVOID)L, 0) ||
        __builtin_expect(ExpOwnerOf(__atomic_load_n(&EXP_HEAD(L)->Header, __ATOMIC_RELAXED)) !=
                             Me,
                         0)) {
        __atomic_store_n(&Self->Busy, NULL, __ATOMIC_RELEASE);
        return NULL;
    }
    return Self;
}

/* The calling thread, holding the list, makes it its own. Ownership is published while Busy
 * names the list, so that a thread that sees the new owner and takes the list away waits for
 * this operation's release (which keeps Top held). */
static EXP_LOOKASIDE_THREAD *ExpTakeOwnership(EXP_LOOKASIDE *L, ULONG Me)
{
    EXP_LOOKASIDE_THREAD *Self = &ExpLookasideThreads[Me];
    __atomic_store_n(&Self->Busy, (PVOID)L, __ATOMIC_RELAXED);
    __atomic_signal_fence(__ATOMIC_SEQ_CST);
    ExpSetOwner(EXP_HEAD(L), Me);
    return Self;
}

/* Another thread owns the list: the list becomes shared, with Top no longer held. */
static VOID ExpRevokeList(EXP_LOOKASIDE *L, ULONG Owner)
{
    EXP_LOOKASIDE_HEAD *Head = EXP_HEAD(L);
    ExpBeginRevoke(L, Owner);
    /* The owner is out of the list and stays out: nobody else writes the head now. */
    if (ExpOwnerOf(Head->Header) == Owner) {
        ExpSetOwner(Head, EXP_OWNER_SHARED | EXP_OWNER_MIXED | ExpHolderRecord());
        __atomic_store_n(&Head->Top, Head->Top & ~EXP_LOOKASIDE_HELD, __ATOMIC_RELEASE);
    }
    ExpEndRevoke(Owner);
}

/* Holds a list that the fast path could not enter: takes it from its owner if another thread
 * owns it, claims it for the calling thread if nobody has used it yet, and otherwise holds it
 * shared with the locked instruction. *Self: the caller's record if it now holds the list as
 * its owner. */
static DECLSPEC_NOINLINE ULONG_PTR ExpHoldListSlow(EXP_LOOKASIDE *L, EXP_LOOKASIDE_THREAD **Self)
{
    EXP_LOOKASIDE_HEAD *Head = EXP_HEAD(L);
    ULONG Spins = 0, Me = ExpLookasideSelf();
    for (;;) {
        ULONG Owner = ExpOwnerOf(__atomic_load_n(&Head->Header, __ATOMIC_ACQUIRE));
        ULONG_PTR Top;
        if (ExpIsRecord(Owner)) {
            if (Owner != Me)
                ExpRevokeList(L, Owner);
            else if ((*Self = ExpEnterOwned(L)) != NULL)
                return Head->Top & ~EXP_LOOKASIDE_HELD;
            else
                __builtin_ia32_pause(); /* ours, being taken away: wait for the revoker */
            continue;
        }
        Top = __atomic_load_n(&Head->Top, __ATOMIC_RELAXED);
        if (!(Top & EXP_LOOKASIDE_HELD) &&
            __atomic_compare_exchange_n(&Head->Top, &Top, Top | EXP_LOOKASIDE_HELD, FALSE,
                                        __ATOMIC_ACQUIRE, __ATOMIC_RELAXED)) {
            /* Held: the owner field cannot change under us. The first user owns the list, and
             * Top stays held for as long as it does. */
            if (ExpOwnerOf(Head->Header) == EXP_OWNER_UNCLAIMED && Me != 0) {
                *Self = ExpTakeOwnership(L, Me);
                return Top;
            }
            ExpNoteHolder(Head);
            *Self = NULL;
            return Top;
        }
        /* The holder may be a thread the host has preempted: after a while, let it run. */
        if (++Spins < 128)
            __builtin_ia32_pause();
        else
            sched_yield();
    }
}

/* Holds the list; returns its first entry. *Self is the caller's record when it holds the list
 * as its owner (no locked instruction), NULL when it holds a shared list. */
static inline ULONG_PTR ExpHoldList(EXP_LOOKASIDE *L, EXP_LOOKASIDE_THREAD **Self)
{
    EXP_LOOKASIDE_HEAD *Head = EXP_HEAD(L);
    ULONG_PTR Top;
    if (__builtin_expect((*Self = ExpEnterOwned(L)) != NULL, 1))
        return Head->Top & ~EXP_LOOKASIDE_HELD;
    Top = __atomic_load_n(&Head->Top, __ATOMIC_RELAXED);
    if ((ExpOwnerOf(Head->Header) & EXP_OWNER_SHARED) && !(Top & EXP_LOOKASIDE_HELD) &&
        __atomic_compare_exchange_n(&Head->Top, &Top, Top | EXP_LOOKASIDE_HELD, FALSE,
                                    __ATOMIC_ACQUIRE, __ATOMIC_RELAXED)) {
        ExpNoteHolder(Head);
        return Top;
    }
    return ExpHoldListSlow(L, Self);
}

/* Releases the list with Top as its first entry. */
static inline VOID ExpReleaseList(EXP_LOOKASIDE *L, ULONG_PTR Top, EXP_LOOKASIDE_THREAD *Self)
{
    EXP_LOOKASIDE_HEAD *Head = EXP_HEAD(L);
    if (Self != NULL) {
        Head->Top = Top | EXP_LOOKASIDE_HELD;
        __atomic_store_n(&Self->Busy, NULL, __ATOMIC_RELEASE);
    } else {
        __atomic_store_n(&Head->Top, Top, __ATOMIC_RELEASE);
    }
}

/* A shared list's tuning period ends, the list held: the calling thread's record if it was
 * the only holder all period (it then takes the list over), otherwise 0, and the next period
 * starts with no other holder noted. */
static ULONG ExpEndSharedPeriod(EXP_LOOKASIDE_HEAD *Head)
{
    ULONG Owner = ExpOwnerOf(Head->Header), Me = ExpHolderRecord();
    if (!(Owner & EXP_OWNER_SHARED))
        return 0;
    if (!(Owner & EXP_OWNER_MIXED) && Me != 0 && (Owner & EXP_OWNER_LAST) == Me)
        return Me;
    ExpSetOwner(Head, EXP_OWNER_SHARED | (Owner & EXP_OWNER_LAST));
    return 0;
}

/* ---- the Allocate and Free routines ---- */

static PVOID ExpPoolAllocateEntry(POOL_TYPE PoolType, SIZE_T Size, ULONG Tag, PVOID Caller)
{
    PVOID Entry = ExpAllocatePool((UCHAR)(PoolType & 1), Size, Tag, FALSE, Caller);
    if (Entry == NULL && (PoolType & POOL_RAISE_IF_ALLOCATION_FAILURE))
        ExRaiseStatus(STATUS_INSUFFICIENT_RESOURCES);
    return Entry;
}

/* The default routines of a LOOKASIDE_LIST_EX (a classic list's are ExAllocatePoolWithTag and
 * ExFreePool, as the WDK says). The list calls the pool directly instead; these are what a
 * driver that calls the list's routines itself gets. */
static PVOID NTAPI ExpDefaultAllocateEx(POOL_TYPE PoolType, SIZE_T NumberOfBytes, ULONG Tag,
                                        PLOOKASIDE_LIST_EX Lookaside)
{
    UNREFERENCED_PARAMETER(Lookaside);
    return ExpPoolAllocateEntry(PoolType, NumberOfBytes, Tag, __builtin_return_address(0));
}

static VOID NTAPI ExpDefaultFreeEx(PVOID Buffer, PLOOKASIDE_LIST_EX Lookaside)
{
    UNREFERENCED_PARAMETER(Lookaside);
    ExpFreePool(Buffer, 0, FALSE);
}

static BOOLEAN ExpDefaultAllocate(const EXP_LOOKASIDE *L, BOOLEAN Ex)
{
    return Ex ? L->AllocateEx == ExpDefaultAllocateEx : L->Allocate == ExAllocatePoolWithTag;
}

static BOOLEAN ExpDefaultFree(const EXP_LOOKASIDE *L, BOOLEAN Ex)
{
    return Ex ? L->FreeEx == ExpDefaultFreeEx : L->Free == ExFreePool;
}

/* A new entry, for an allocation that missed. Caller: the driver's call site, which the pool
 * records for the leak check. */
static PVOID ExpAllocateEntry(EXP_LOOKASIDE *L, BOOLEAN Ex, PVOID Caller)
{
    if (ExpDefaultAllocate(L, Ex))
        return ExpPoolAllocateEntry(L->Type, L->Size, L->Tag, Caller);
    if (Ex)
        return L->AllocateEx(L->Type, L->Size, L->Tag, (PLOOKASIDE_LIST_EX)L);
    return L->Allocate(L->Type, L->Size, L->Tag);
}

static VOID ExpFreeEntry(EXP_LOOKASIDE *L, BOOLEAN Ex, PVOID Entry)
{
    if (ExpDefaultFree(L, Ex)) {
        /* Both routines the pool's: the entry must carry the list's tag. */
        ExpFreePool(Entry, L->Tag, ExpDefaultAllocate(L, Ex));
        return;
    }
    if (Ex)
        L->FreeEx(Entry, (PLOOKASIDE_LIST_EX)L);
    else
        L->Free(Entry);
}

static VOID ExpFreeChain(EXP_LOOKASIDE *L, BOOLEAN Ex, PSINGLE_LIST_ENTRY Chain)
{
    while (Chain != NULL) {
        PSINGLE_LIST_ENTRY Next = Chain->Next;
        ExpFreeEntry(L, Ex, Chain);
        Chain = Next;
    }
}

/* ---- depth tuning (the rule is at the top of this file) ---- */

/* Ends the list's tuning period: adjusts Depth and returns the cached entries beyond it,
 * unlinked, for the caller to free once it has released the list. *Top is the list's first
 * entry, updated. The list is held. */
static PSINGLE_LIST_ENTRY ExpTuneList(EXP_LOOKASIDE *L, ULONG_PTR *Top, ULONGLONG NowMs)
{
    EXP_LOOKASIDE_HEAD *Head = EXP_HEAD(L);
    ULONG Elapsed = ExpPeriodElapsed(Head->Header, NowMs);
    ULONG Allocations = L->TotalAllocates - L->LastTotalAllocates;
    ULONG Misses = L->AllocateMisses - L->LastAllocateMisses;
    ULONG Depth = L->Depth, Count;
    PSINGLE_LIST_ENTRY Surplus = NULL;

    if (Elapsed >= EXP_LOOKASIDE_PERIOD_MS) {
        ULONG Step = (Depth > EXP_LOOKASIDE_MINIMUM_DEPTH)
                         ? (Depth - EXP_LOOKASIDE_MINIMUM_DEPTH + 3) / 4 : 0;
        Depth -= Step;
    } else if ((ULONGLONG)Misses * 32 > Allocations) {
        ULONG Step = Misses / 2 > 4 ? Misses / 2 : 4;
        Depth = Depth + Step > L->MaximumDepth ? L->MaximumDepth : Depth + Step;
    }
    if (Depth < EXP_LOOKASIDE_MINIMUM_DEPTH)
        Depth = EXP_LOOKASIDE_MINIMUM_DEPTH;
    L->Depth = (USHORT)Depth;
    L->LastTotalAllocates = L->TotalAllocates;
    L->LastAllocateMisses = L->AllocateMisses;

    Count = (ULONG)(Head->Header & EXP_LOOKASIDE_COUNT_MASK);
    while (Count > Depth) {
        PSINGLE_LIST_ENTRY Entry = (PSINGLE_LIST_ENTRY)*Top;
        *Top = (ULONG_PTR)Entry->Next;
        Entry->Next = Surplus;
        Surplus = Entry;
        Count--;
    }
    Head->Header = (Head->Header & EXP_LOOKASIDE_OWNER_MASK) |
                   (ULONGLONG)(ULONG)NowMs << EXP_LOOKASIDE_TIME_SHIFT | Count;
    return Surplus;
}

/* ---- allocate and free ---- */

/* An allocation that missed, or that ends a tuning period. The list is held; Top is its first
 * entry (NULL: empty). */
static DECLSPEC_NOINLINE PVOID ExpAllocateSlow(EXP_LOOKASIDE *L, BOOLEAN Ex, PVOID Caller,
                                              ULONG_PTR Top, EXP_LOOKASIDE_THREAD *Self)
{
    EXP_LOOKASIDE_HEAD *Head = EXP_HEAD(L);
    PSINGLE_LIST_ENTRY Entry = (PSINGLE_LIST_ENTRY)Top, Surplus = NULL;
    ULONGLONG NowMs = ExpLookasideNowMs();
    ULONG Me;

    if (Entry != NULL) {
        Top = (ULONG_PTR)Entry->Next;
        Head->Header--;
    } else {
        L->AllocateMisses++;
    }
    if ((ULONG)(L->TotalAllocates - L->LastTotalAllocates) >= EXP_LOOKASIDE_PERIOD_ALLOCATIONS ||
        (Entry == NULL && ExpPeriodElapsed(Head->Header, NowMs) >= EXP_LOOKASIDE_PERIOD_MS)) {
        Surplus = ExpTuneList(L, &Top, NowMs);
        /* A shared list that one thread alone used all period becomes that thread's again. */
        if (Self == NULL && (Me = ExpEndSharedPeriod(Head)) != 0)
            Self = ExpTakeOwnership(L, Me);
    }
    ExpReleaseList(L, Top, Self);
    ExpFreeChain(L, Ex, Surplus);
    return Entry != NULL ? (PVOID)Entry : ExpAllocateEntry(L, Ex, Caller);
}

/* An allocation and a free with the list held (as its owner or shared): the whole rule. */
static DECLSPEC_NOINLINE PVOID ExpAllocateHeld(EXP_LOOKASIDE *L, BOOLEAN Ex, PVOID Caller,
                                              ULONG_PTR Top, EXP_LOOKASIDE_THREAD *Self)
{
    PSINGLE_LIST_ENTRY Entry = (PSINGLE_LIST_ENTRY)Top;
    L->TotalAllocates++;
    if (__builtin_expect(Entry != NULL, 1) &&
        __builtin_expect((ULONG)(L->TotalAllocates - L->LastTotalAllocates) <
                             EXP_LOOKASIDE_PERIOD_ALLOCATIONS, 1)) {
        EXP_HEAD(L)->Header--;
        ExpReleaseList(L, (ULONG_PTR)Entry->Next, Self);
        return Entry;
    }
    return ExpAllocateSlow(L, Ex, Caller, Top, Self);
}

static DECLSPEC_NOINLINE VOID ExpFreeHeld(EXP_LOOKASIDE *L, BOOLEAN Ex, PVOID Entry,
                                         ULONG_PTR Top, EXP_LOOKASIDE_THREAD *Self)
{
    EXP_LOOKASIDE_HEAD *Head = EXP_HEAD(L);
    L->TotalFrees++;
    if (__builtin_expect((Head->Header & EXP_LOOKASIDE_COUNT_MASK) < L->Depth, 1)) {
        ((PSINGLE_LIST_ENTRY)Entry)->Next = (PSINGLE_LIST_ENTRY)Top;
        Head->Header++;
        ExpReleaseList(L, (ULONG_PTR)Entry, Self);
        return;
    }
    L->FreeMisses++;
    ExpReleaseList(L, Top, Self);
    ExpFreeEntry(L, Ex, Entry);
}

static DECLSPEC_NOINLINE PVOID ExpAllocateNotOwned(EXP_LOOKASIDE *L, BOOLEAN Ex, PVOID Caller)
{
    EXP_LOOKASIDE_THREAD *Self;
    ULONG_PTR Top = ExpHoldList(L, &Self);
    return ExpAllocateHeld(L, Ex, Caller, Top, Self);
}

static DECLSPEC_NOINLINE VOID ExpFreeNotOwned(EXP_LOOKASIDE *L, BOOLEAN Ex, PVOID Entry)
{
    EXP_LOOKASIDE_THREAD *Self;
    ULONG_PTR Top = ExpHoldList(L, &Self);
    ExpFreeHeld(L, Ex, Entry, Top, Self);
}

/* The common cases, written out: the calling thread owns the list, an allocation that hits
 * within its tuning period, a free below Depth. */
static inline __attribute__((always_inline)) PVOID ExpAllocateFromList(EXP_LOOKASIDE *L,
                                                                       BOOLEAN Ex, PVOID Caller)
{
    EXP_LOOKASIDE_HEAD *Head = EXP_HEAD(L);
    EXP_LOOKASIDE_THREAD *Self = ExpEnterOwned(L);
    PSINGLE_LIST_ENTRY Entry;
    if (__builtin_expect(Self == NULL, 0))
        return ExpAllocateNotOwned(L, Ex, Caller);
    Entry = (PSINGLE_LIST_ENTRY)(Head->Top & ~EXP_LOOKASIDE_HELD);
    if (__builtin_expect(Entry == NULL, 0) ||
        __builtin_expect((ULONG)(L->TotalAllocates + 1 - L->LastTotalAllocates) >=
                             EXP_LOOKASIDE_PERIOD_ALLOCATIONS, 0))
        return ExpAllocateHeld(L, Ex, Caller, (ULONG_PTR)Entry, Self);
    L->TotalAllocates++;
    Head->Header--;
    Head->Top = (ULONG_PTR)Entry->Next | EXP_LOOKASIDE_HELD;
    __atomic_store_n(&Self->Busy, NULL, __ATOMIC_RELEASE);
    return Entry;
}

static inline __attribute__((always_inline)) VOID ExpFreeToList(EXP_LOOKASIDE *L, BOOLEAN Ex,
                                                               PVOID Entry)
{
    EXP_LOOKASIDE_HEAD *Head = EXP_HEAD(L);
    EXP_LOOKASIDE_THREAD *Self;
    /* A bad entry faults here, before the list is held. */
    ((PSINGLE_LIST_ENTRY)Entry)->Next = NULL;
    Self = ExpEnterOwned(L);
    if (__builtin_expect(Self == NULL, 0)) {
        ExpFreeNotOwned(L, Ex, Entry);
        return;
    }
    if (__builtin_expect((Head->Header & EXP_LOOKASIDE_COUNT_MASK) >= L->Depth, 0)) {
        ExpFreeHeld(L, Ex, Entry, Head->Top & ~EXP_LOOKASIDE_HELD, Self);
        return;
    }
    L->TotalFrees++;
    ((PSINGLE_LIST_ENTRY)Entry)->Next = (PSINGLE_LIST_ENTRY)(Head->Top & ~EXP_LOOKASIDE_HELD);
    Head->Header++;
    Head->Top = (ULONG_PTR)Entry | EXP_LOOKASIDE_HELD;
    __atomic_store_n(&Self->Busy, NULL, __ATOMIC_RELEASE);
}

/* Empties the list and frees what it held. */
static VOID ExpFlushList(EXP_LOOKASIDE *L, BOOLEAN Ex)
{
    EXP_LOOKASIDE_HEAD *Head = EXP_HEAD(L);
    EXP_LOOKASIDE_THREAD *Self;
    ULONG_PTR Top = ExpHoldList(L, &Self);
    Head->Header &= ~EXP_LOOKASIDE_COUNT_MASK;
    ExpReleaseList(L, 0, Self);
    ExpFreeChain(L, Ex, (PSINGLE_LIST_ENTRY)Top);
}

/* ---- the system-wide set ---- */

static BOOLEAN ExpIsLiveLocked(const EXP_LOOKASIDE *L)
{
    PLIST_ENTRY Entry;
    for (Entry = ExpLookasideLists.Flink; Entry != &ExpLookasideLists; Entry = Entry->Flink)
        if (CONTAINING_RECORD(Entry, EXP_LOOKASIDE, ListEntry) == L)
            return TRUE;
    return FALSE;
}

static VOID ExpInitializeList(EXP_LOOKASIDE *L, PVOID Allocate, PVOID Free, POOL_TYPE Type,
                              SIZE_T Size, ULONG Tag, BOOLEAN Ex, PVOID Caller)
{
    if (Size < LOOKASIDE_MINIMUM_BLOCK_SIZE) {
        KdpLog("ntk: lookaside list %p initialized by %p with entries of %zu bytes; the minimum "
               "is %u\n", (PVOID)L, Caller, (size_t)Size, (unsigned)LOOKASIDE_MINIMUM_BLOCK_SIZE);
        KeBugCheckEx(DRIVER_VERIFIER_DETECTED_VIOLATION, EXP_VF_LOOKASIDE_BLOCK_TOO_SMALL,
                     (ULONG_PTR)L, Size, LOOKASIDE_MINIMUM_BLOCK_SIZE);
    }
    NtkLock(&ExpLookasideLock);
    if (ExpIsLiveLocked(L)) {
        NtkUnlock(&ExpLookasideLock);
        KdpLog("ntk: lookaside list %p initialized again by %p without being deleted\n",
               (PVOID)L, Caller);
        KeBugCheckEx(DRIVER_VERIFIER_DETECTED_VIOLATION, EXP_VF_LOOKASIDE_REINITIALIZED,
                     (ULONG_PTR)L, 0, 0);
    }
    memset(L, 0, sizeof(*L));
    EXP_HEAD(L)->Header = (ULONGLONG)EXP_OWNER_UNCLAIMED << EXP_LOOKASIDE_OWNER_SHIFT |
                          (ULONGLONG)(ULONG)ExpLookasideNowMs() << EXP_LOOKASIDE_TIME_SHIFT;
    L->Depth = EXP_LOOKASIDE_MINIMUM_DEPTH;
    L->MaximumDepth = EX_MAXIMUM_LOOKASIDE_DEPTH_BASE;
    L->Type = Type;
    L->Tag = Tag;
    L->Size = Size > MAXULONG ? MAXULONG : (ULONG)Size;
    if (Ex) {
        L->AllocateEx = Allocate ? (PALLOCATE_FUNCTION_EX)Allocate : ExpDefaultAllocateEx;
        L->FreeEx = Free ? (PFREE_FUNCTION_EX)Free : ExpDefaultFreeEx;
    } else {
        L->Allocate = Allocate ? (PALLOCATE_FUNCTION)Allocate : ExAllocatePoolWithTag;
        L->Free = Free ? (PFREE_FUNCTION)Free : ExFreePool;
    }
    memcpy(L->Future, &Caller, sizeof(Caller));
    InsertTailList(&ExpLookasideLists, &L->ListEntry);
    NtkUnlock(&ExpLookasideLock);
}

static VOID ExpDeleteList(EXP_LOOKASIDE *L, BOOLEAN Ex, PVOID Caller)
{
    NtkLock(&ExpLookasideLock);
    if (!ExpIsLiveLocked(L)) {
        NtkUnlock(&ExpLookasideLock);
        KdpLog("ntk: %p deletes lookaside list %p, which is not initialized\n", Caller,
               (PVOID)L);
        KeBugCheckEx(DRIVER_VERIFIER_DETECTED_VIOLATION, EXP_VF_LOOKASIDE_NOT_INITIALIZED,
                     (ULONG_PTR)L, 0, 0);
    }
    RemoveEntryList(&L->ListEntry);
    NtkUnlock(&ExpLookasideLock);
    ExpFlushList(L, Ex);
}

static BOOLEAN ExpInImage(const VOID *Address, ULONG_PTR Base, ULONG_PTR End)
{
    return (ULONG_PTR)Address >= Base && (ULONG_PTR)Address < End;
}

/* A driver image [Base, End) is going away: a lookaside list not yet deleted that lives in it
 * (a global), was initialized by its code, or would call its Allocate or Free routine is a bug
 * check. The WDK: "Before a driver unloads, it must explicitly free any lookaside lists it
 * created. Failure to do so is a serious programming error"; Driver Verifier's unload checks
 * look for undeleted lookaside lists. The code is 0xCE DRIVER_UNLOADED_WITHOUT_CANCELLING_
 * PENDING_OPERATIONS, whose page gives as cause a driver that "failed to cancel lookaside lists,
 * DPCs, worker threads, or other such items before unload" (0xC4 has no lookaside-at-unload
 * code, and 0xC7's parameters describe only timers and DPCs): parameter 1 the list (the memory
 * the system would reference), 2 = 0 (a read), 3 the address in the driver that initialized it,
 * 4 reserved (0). */
VOID ExpCheckImageLookasideLists(ULONG_PTR Base, ULONG_PTR End)
{
    PLIST_ENTRY Entry;
    NtkLock(&ExpLookasideLock);
    for (Entry = ExpLookasideLists.Flink; Entry != &ExpLookasideLists; Entry = Entry->Flink) {
        EXP_LOOKASIDE *L = CONTAINING_RECORD(Entry, EXP_LOOKASIDE, ListEntry);
        PVOID Caller = ExpLookasideCaller(L);
        if (ExpInImage(L, Base, End) || ExpInImage(Caller, Base, End) ||
            ExpInImage((PVOID)L->Allocate, Base, End) || ExpInImage((PVOID)L->Free, Base, End)) {
            NtkUnlock(&ExpLookasideLock);
            KdpLog("ntk: a driver is unloading with lookaside list %p (initialized by %p, tag "
                   "'%.4s', %lu entries cached) not deleted\n",
                   (PVOID)L, Caller, (const char *)&L->Tag,
                   (unsigned long)(EXP_HEAD(L)->Header & EXP_LOOKASIDE_COUNT_MASK));
            KeBugCheckEx(DRIVER_UNLOADED_WITHOUT_CANCELLING_PENDING_OPERATIONS, (ULONG_PTR)L, 0,
                         (ULONG_PTR)Caller, 0);
        }
    }
    NtkUnlock(&ExpLookasideLock);
}

/* ---- the DDIs ---- */

static EXP_LOOKASIDE *ExpGeneral(PGENERAL_LOOKASIDE L)
{
    return (EXP_LOOKASIDE *)L; /* the same fields at the same offsets */
}

VOID ExInitializeNPagedLookasideList(PNPAGED_LOOKASIDE_LIST Lookaside, PALLOCATE_FUNCTION Allocate,
                                     PFREE_FUNCTION Free, ULONG Flags, SIZE_T Size, ULONG Tag,
                                     USHORT Depth)
{
    VF_CHECK_IRQL(ExInitializeNPagedLookasideList);
    UNREFERENCED_PARAMETER(Depth);
    /* Flags (Windows 8 and later): POOL_NX_ALLOCATION, POOL_RAISE_IF_ALLOCATION_FAILURE. */
    ULONG Modifiers = Flags & (POOL_NX_ALLOCATION | POOL_RAISE_IF_ALLOCATION_FAILURE);
    ExpInitializeList(ExpGeneral(&Lookaside->L), (PVOID)Allocate, (PVOID)Free,
                      (POOL_TYPE)(NonPagedPool | Modifiers), Size, Tag, FALSE,
                      __builtin_return_address(0));
}

VOID ExInitializePagedLookasideList(PPAGED_LOOKASIDE_LIST Lookaside, PALLOCATE_FUNCTION Allocate,
                                    PFREE_FUNCTION Free, ULONG Flags, SIZE_T Size, ULONG Tag,
                                    USHORT Depth)
{
    VF_CHECK_IRQL(ExInitializePagedLookasideList);
    UNREFERENCED_PARAMETER(Depth);
    /* Flags: POOL_RAISE_IF_ALLOCATION_FAILURE (POOL_NX_ALLOCATION has no effect on paged pool). */
    ExpInitializeList(ExpGeneral(&Lookaside->L), (PVOID)Allocate, (PVOID)Free,
                      (POOL_TYPE)(PagedPool | (Flags & POOL_RAISE_IF_ALLOCATION_FAILURE)), Size,
                      Tag, FALSE, __builtin_return_address(0));
}

PVOID ExAllocateFromNPagedLookasideList(PNPAGED_LOOKASIDE_LIST Lookaside)
{
    VF_CHECK_IRQL(ExAllocateFromNPagedLookasideList);
    return ExpAllocateFromList(ExpGeneral(&Lookaside->L), FALSE, __builtin_return_address(0));
}

VOID ExFreeToNPagedLookasideList(PNPAGED_LOOKASIDE_LIST Lookaside, PVOID Entry)
{
    VF_CHECK_IRQL(ExFreeToNPagedLookasideList);
    ExpFreeToList(ExpGeneral(&Lookaside->L), FALSE, Entry);
}

PVOID ExAllocateFromPagedLookasideList(PPAGED_LOOKASIDE_LIST Lookaside)
{
    VF_CHECK_IRQL(ExAllocateFromPagedLookasideList);
    return ExpAllocateFromList(ExpGeneral(&Lookaside->L), FALSE, __builtin_return_address(0));
}

VOID ExFreeToPagedLookasideList(PPAGED_LOOKASIDE_LIST Lookaside, PVOID Entry)
{
    VF_CHECK_IRQL(ExFreeToPagedLookasideList);
    ExpFreeToList(ExpGeneral(&Lookaside->L), FALSE, Entry);
}

VOID ExDeleteNPagedLookasideList(PNPAGED_LOOKASIDE_LIST Lookaside)
{
    VF_CHECK_IRQL(ExDeleteNPagedLookasideList);
    ExpDeleteList(ExpGeneral(&Lookaside->L), FALSE, __builtin_return_address(0));
}

VOID ExDeletePagedLookasideList(PPAGED_LOOKASIDE_LIST Lookaside)
{
    VF_CHECK_IRQL(ExDeletePagedLookasideList);
    ExpDeleteList(ExpGeneral(&Lookaside->L), FALSE, __builtin_return_address(0));
}

/* Pool types a lookaside list can hold: nonpaged or paged, optionally cache-aligned, NX or
 * session pool, with the raise/quota modifiers. Must-succeed pool is not one of them. */
static BOOLEAN ExpValidLookasidePoolType(POOL_TYPE PoolType)
{
    ULONG Bits = (ULONG)PoolType, Base = Bits & 7;
    if (Bits & ~(ULONG)(7 | NonPagedPoolSession | NonPagedPoolNx |
                        POOL_QUOTA_FAIL_INSTEAD_OF_RAISE | POOL_RAISE_IF_ALLOCATION_FAILURE))
        return FALSE;
    return Base == NonPagedPool || Base == PagedPool || Base == NonPagedPoolCacheAligned ||
           Base == PagedPoolCacheAligned;
}

NTSTATUS ExInitializeLookasideListEx(PLOOKASIDE_LIST_EX Lookaside, PALLOCATE_FUNCTION_EX Allocate,
                                     PFREE_FUNCTION_EX Free, POOL_TYPE PoolType, ULONG Flags,
                                     SIZE_T Size, ULONG Tag, USHORT Depth)
{
    VF_CHECK_IRQL(ExInitializeLookasideListEx);
    UNREFERENCED_PARAMETER(Depth);
    if (!ExpValidLookasidePoolType(PoolType))
        return STATUS_INVALID_PARAMETER_4;
    const ULONG Both = EX_LOOKASIDE_LIST_EX_FLAGS_RAISE_ON_FAIL |
                       EX_LOOKASIDE_LIST_EX_FLAGS_FAIL_NO_RAISE;
    if ((Flags & ~Both) != 0 || Flags == Both) /* the two flags are mutually exclusive */
        return STATUS_INVALID_PARAMETER_5;
    /* The flags reach the Allocate routine as PoolType modifiers (the WDK's Flags parameter). */
    if (Flags & EX_LOOKASIDE_LIST_EX_FLAGS_RAISE_ON_FAIL)
        PoolType = (POOL_TYPE)(PoolType | POOL_RAISE_IF_ALLOCATION_FAILURE);
    if (Flags & EX_LOOKASIDE_LIST_EX_FLAGS_FAIL_NO_RAISE)
        PoolType = (POOL_TYPE)(PoolType | POOL_QUOTA_FAIL_INSTEAD_OF_RAISE);
    ExpInitializeList(&Lookaside->L, (PVOID)Allocate, (PVOID)Free, PoolType, Size, Tag, TRUE,
                      __builtin_return_address(0));
    return STATUS_SUCCESS;
}

PVOID ExAllocateFromLookasideListEx(PLOOKASIDE_LIST_EX Lookaside)
{
    VF_CHECK_IRQL(ExAllocateFromLookasideListEx);
    return ExpAllocateFromList(&Lookaside->L, TRUE, __builtin_return_address(0));
}

VOID ExFreeToLookasideListEx(PLOOKASIDE_LIST_EX Lookaside, PVOID Entry)
{
    VF_CHECK_IRQL(ExFreeToLookasideListEx);
    ExpFreeToList(&Lookaside->L, TRUE, Entry);
}

VOID ExFlushLookasideListEx(PLOOKASIDE_LIST_EX Lookaside)
{
    VF_CHECK_IRQL(ExFlushLookasideListEx);
    ExpFlushList(&Lookaside->L, TRUE);
}

VOID ExDeleteLookasideListEx(PLOOKASIDE_LIST_EX Lookaside)
{
    VF_CHECK_IRQL(ExDeleteLookasideListEx);
    ExpDeleteList(&Lookaside->L, TRUE, __builtin_return_address(0));
}
