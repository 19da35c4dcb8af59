/* Ex: sequenced singly linked lists (lock free, one 16-byte compare-exchange per operation)
 * and the list routines that a caller's spin lock guards. */
#include "ntkp.h"
#include "../ke/kispin.h"
#include "../vf/vfddi.h"

/* ---- SLIST ----
 * The header, as two quadwords: Low = Depth (bits 0-15) | Sequence (bits 16-63); High = the
 * first entry's address (NextEntry << 4; entries are 16-byte aligned). Every change bumps the
 * sequence, so a pop that read a stale Next cannot succeed (no ABA). */

#define EXP_SLIST_DEPTH 0xFFFFULL
#define EXP_SLIST_SEQUENCE_ONE 0x10000ULL
#define EXP_SLIST_ENTRY_MASK (~0xFULL)

static VOID ExpReadSListHeader(PSLIST_HEADER ListHead, LONG64 Old[2])
{
    /* The two halves may tear; the compare-exchange catches it. */
    Old[0] = (LONG64)__atomic_load_n(&ListHead->Alignment, __ATOMIC_ACQUIRE);
    Old[1] = (LONG64)__atomic_load_n(&ListHead->Region, __ATOMIC_ACQUIRE);
}

static ULONG64 ExpNextLow(LONG64 OldLow, LONG DepthChange)
{
    ULONG64 Low = (ULONG64)OldLow;
    ULONG64 Sequence = (Low & ~EXP_SLIST_DEPTH) + EXP_SLIST_SEQUENCE_ONE;
    /* DepthChange 0: flushed, the list is empty. */
    ULONG64 Depth =
        DepthChange == 0 ? 0 : ((Low + (ULONG64)(LONG64)DepthChange) & EXP_SLIST_DEPTH);
    return Sequence | Depth;
}

static PSLIST_ENTRY ExpFirst(LONG64 High)
{
    return (PSLIST_ENTRY)(ULONG_PTR)((ULONG64)High & EXP_SLIST_ENTRY_MASK);
}

PSLIST_ENTRY ExpInterlockedPushEntrySList(PSLIST_HEADER ListHead, PSLIST_ENTRY ListEntry)
{
    VF_CHECK_IRQL(ExpInterlockedPushEntrySList);
    LONG64 Old[2];
    PSLIST_ENTRY First;
    ExpReadSListHeader(ListHead, Old);
    do {
        First = ExpFirst(Old[1]);
        ListEntry->Next = First;
    } while (!InterlockedCompareExchange128((LONG64 volatile *)ListHead,
                                            (LONG64)(ULONG_PTR)ListEntry,
                                            (LONG64)ExpNextLow(Old[0], 1), Old));
    return First;
}

PSLIST_ENTRY ExpInterlockedPopEntrySList(PSLIST_HEADER ListHead)
{
    VF_CHECK_IRQL(ExpInterlockedPopEntrySList);
    LONG64 Old[2];
    PSLIST_ENTRY First, Next;
    ExpReadSListHeader(ListHead, Old);
    do {
        First = ExpFirst(Old[1]);
        if (First == NULL)
            return NULL;
        /* First may be popped and reused meanwhile: then the sequence has moved on and the
         * compare-exchange fails. */
        Next = __atomic_load_n(&First->Next, __ATOMIC_RELAXED);
    } while (!InterlockedCompareExchange128((LONG64 volatile *)ListHead,
                                            (LONG64)(ULONG_PTR)Next,
                                            (LONG64)ExpNextLow(Old[0], -1), Old));
    return First;
}

PSLIST_ENTRY ExpInterlockedFlushSList(PSLIST_HEADER ListHead)
{
    VF_CHECK_IRQL(ExpInterlockedFlushSList);
    LONG64 Old[2];
    PSLIST_ENTRY First;
    ExpReadSListHeader(ListHead, Old);
    do {
        First = ExpFirst(Old[1]);
        if (First == NULL)
            return NULL;
    } while (!InterlockedCompareExchange128((LONG64 volatile *)ListHead, 0,
                                            (LONG64)ExpNextLow(Old[0], 0), Old));
    return First;
}

/* ---- lists under a caller's spin lock: any IRQL; below DISPATCH_LEVEL the lock raises ---- */

PLIST_ENTRY ExInterlockedInsertHeadList(PLIST_ENTRY ListHead, PLIST_ENTRY ListEntry,
                                        PKSPIN_LOCK Lock)
{
    VF_CHECK_IRQL(ExInterlockedInsertHeadList);
    KIRQL OldIrql = KiAcquireSpinLockRaise(Lock);
    PLIST_ENTRY First = IsListEmpty(ListHead) ? NULL : ListHead->Flink;
    InsertHeadList(ListHead, ListEntry);
    KiReleaseSpinLockLower(Lock, OldIrql);
    return First;
}

PLIST_ENTRY ExInterlockedInsertTailList(PLIST_ENTRY ListHead, PLIST_ENTRY ListEntry,
                                        PKSPIN_LOCK Lock)
{
    VF_CHECK_IRQL(ExInterlockedInsertTailList);
    KIRQL OldIrql = KiAcquireSpinLockRaise(Lock);
    PLIST_ENTRY Last = IsListEmpty(ListHead) ? NULL : ListHead->Blink;
    InsertTailList(ListHead, ListEntry);
    KiReleaseSpinLockLower(Lock, OldIrql);
    return Last;
}

PLIST_ENTRY ExInterlockedRemoveHeadList(PLIST_ENTRY ListHead, PKSPIN_LOCK Lock)
{
    VF_CHECK_IRQL(ExInterlockedRemoveHeadList);
    KIRQL OldIrql = KiAcquireSpinLockRaise(Lock);
    PLIST_ENTRY First = IsListEmpty(ListHead) ? NULL : RemoveHeadList(ListHead);
    KiReleaseSpinLockLower(Lock, OldIrql);
    return First;
}

PSINGLE_LIST_ENTRY ExInterlockedPushEntryList(PSINGLE_LIST_ENTRY ListHead,
                                              PSINGLE_LIST_ENTRY ListEntry, PKSPIN_LOCK Lock)
{
    VF_CHECK_IRQL(ExInterlockedPushEntryList);
    KIRQL OldIrql = KiAcquireSpinLockRaise(Lock);
    PSINGLE_LIST_ENTRY First = ListHead->Next;
    PushEntryList(ListHead, ListEntry);
    KiReleaseSpinLockLower(Lock, OldIrql);
    return First;
}

PSINGLE_LIST_ENTRY ExInterlockedPopEntryList(PSINGLE_LIST_ENTRY ListHead, PKSPIN_LOCK Lock)
{
    VF_CHECK_IRQL(ExInterlockedPopEntryList);
    KIRQL OldIrql = KiAcquireSpinLockRaise(Lock);
    PSINGLE_LIST_ENTRY First = PopEntryList(ListHead);
    KiReleaseSpinLockLower(Lock, OldIrql);
    return First;
}

ULONG ExInterlockedAddUlong(PULONG Addend, ULONG Increment, PKSPIN_LOCK Lock)
{
    VF_CHECK_IRQL(ExInterlockedAddUlong);
    KIRQL OldIrql = KiAcquireSpinLockRaise(Lock);
    ULONG Initial = *Addend;
    *Addend = Initial + Increment;
    KiReleaseSpinLockLower(Lock, OldIrql);
    return Initial;
}

LARGE_INTEGER ExInterlockedAddLargeInteger(PLARGE_INTEGER Addend, LARGE_INTEGER Increment,
                                           PKSPIN_LOCK Lock)
{
    VF_CHECK_IRQL(ExInterlockedAddLargeInteger);
    KIRQL OldIrql = KiAcquireSpinLockRaise(Lock);
    LARGE_INTEGER Initial = *Addend;
    Addend->QuadPart = (LONGLONG)((ULONGLONG)Initial.QuadPart + (ULONGLONG)Increment.QuadPart);
    KiReleaseSpinLockLower(Lock, OldIrql);
    return Initial;
}
