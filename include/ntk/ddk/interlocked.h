/* Interlocked operations and lists: the wdm.h intrinsics (x64 semantics), sequenced singly
 * linked lists (SLIST) and the spin-lock protected ExInterlocked list routines. */
#ifndef NTK_DDK_INTERLOCKED_H
#define NTK_DDK_INTERLOCKED_H

#include <ntk/ddk/ketypes.h>

NTK_EXTERN_C_START

/* Memory ordering of the Acquire, Release and NoFence forms; the plain form is a full barrier,
 * as every locked instruction is on x64. */
#define NTKP_FULL __ATOMIC_SEQ_CST
#define NTKP_ACQ __ATOMIC_ACQUIRE
#define NTKP_REL __ATOMIC_RELEASE
#define NTKP_NF __ATOMIC_RELAXED

/* Macros, like the intrinsics they stand for: the target is converted to the intrinsic's type
 * (drivers pass PULONG to InterlockedIncrement), the value too. Increment, Decrement and Add
 * return the new value; Exchange, ExchangeAdd, And, Or and Xor return the old one. */
#define NTKP_NEW(op, T, p, v, mo) __atomic_##op##_fetch((T volatile *)(p), (T)(v), mo)
#define NTKP_OLD(op, T, p, v, mo) __atomic_fetch_##op((T volatile *)(p), (T)(v), mo)
#define NTKP_XCHG(T, p, v, mo) __atomic_exchange_n((T volatile *)(p), (T)(v), mo)

/* Increment and decrement (wrap at the limits). */
#define InterlockedIncrement(p) NTKP_NEW(add, LONG, p, 1, NTKP_FULL)
#define InterlockedIncrementAcquire(p) NTKP_NEW(add, LONG, p, 1, NTKP_ACQ)
#define InterlockedIncrementRelease(p) NTKP_NEW(add, LONG, p, 1, NTKP_REL)
#define InterlockedIncrementNoFence(p) NTKP_NEW(add, LONG, p, 1, NTKP_NF)
#define InterlockedDecrement(p) NTKP_NEW(sub, LONG, p, 1, NTKP_FULL)
#define InterlockedDecrementAcquire(p) NTKP_NEW(sub, LONG, p, 1, NTKP_ACQ)
#define InterlockedDecrementRelease(p) NTKP_NEW(sub, LONG, p, 1, NTKP_REL)
#define InterlockedDecrementNoFence(p) NTKP_NEW(sub, LONG, p, 1, NTKP_NF)
#define InterlockedIncrement16(p) NTKP_NEW(add, SHORT, p, 1, NTKP_FULL)
#define InterlockedIncrementAcquire16(p) NTKP_NEW(add, SHORT, p, 1, NTKP_ACQ)
#define InterlockedIncrementRelease16(p) NTKP_NEW(add, SHORT, p, 1, NTKP_REL)
#define InterlockedIncrementNoFence16(p) NTKP_NEW(add, SHORT, p, 1, NTKP_NF)
#define InterlockedDecrement16(p) NTKP_NEW(sub, SHORT, p, 1, NTKP_FULL)
#define InterlockedDecrementAcquire16(p) NTKP_NEW(sub, SHORT, p, 1, NTKP_ACQ)
#define InterlockedDecrementRelease16(p) NTKP_NEW(sub, SHORT, p, 1, NTKP_REL)
#define InterlockedDecrementNoFence16(p) NTKP_NEW(sub, SHORT, p, 1, NTKP_NF)
#define InterlockedIncrement64(p) NTKP_NEW(add, LONG64, p, 1, NTKP_FULL)
#define InterlockedIncrementAcquire64(p) NTKP_NEW(add, LONG64, p, 1, NTKP_ACQ)
#define InterlockedIncrementRelease64(p) NTKP_NEW(add, LONG64, p, 1, NTKP_REL)
#define InterlockedIncrementNoFence64(p) NTKP_NEW(add, LONG64, p, 1, NTKP_NF)
#define InterlockedDecrement64(p) NTKP_NEW(sub, LONG64, p, 1, NTKP_FULL)
#define InterlockedDecrementAcquire64(p) NTKP_NEW(sub, LONG64, p, 1, NTKP_ACQ)
#define InterlockedDecrementRelease64(p) NTKP_NEW(sub, LONG64, p, 1, NTKP_REL)
#define InterlockedDecrementNoFence64(p) NTKP_NEW(sub, LONG64, p, 1, NTKP_NF)

/* Add (new value) and ExchangeAdd (old value). */
#define InterlockedAdd(p, v) NTKP_NEW(add, LONG, p, v, NTKP_FULL)
#define InterlockedAddAcquire(p, v) NTKP_NEW(add, LONG, p, v, NTKP_ACQ)
#define InterlockedAddRelease(p, v) NTKP_NEW(add, LONG, p, v, NTKP_REL)
#define InterlockedAddNoFence(p, v) NTKP_NEW(add, LONG, p, v, NTKP_NF)
#define InterlockedAdd64(p, v) NTKP_NEW(add, LONG64, p, v, NTKP_FULL)
#define InterlockedAddAcquire64(p, v) NTKP_NEW(add, LONG64, p, v, NTKP_ACQ)
#define InterlockedAddRelease64(p, v) NTKP_NEW(add, LONG64, p, v, NTKP_REL)
#define InterlockedAddNoFence64(p, v) NTKP_NEW(add, LONG64, p, v, NTKP_NF)
#define InterlockedExchangeAdd(p, v) NTKP_OLD(add, LONG, p, v, NTKP_FULL)
#define InterlockedExchangeAddAcquire(p, v) NTKP_OLD(add, LONG, p, v, NTKP_ACQ)
#define InterlockedExchangeAddRelease(p, v) NTKP_OLD(add, LONG, p, v, NTKP_REL)
#define InterlockedExchangeAddNoFence(p, v) NTKP_OLD(add, LONG, p, v, NTKP_NF)
#define InterlockedExchangeAdd8(p, v) NTKP_OLD(add, CHAR, p, v, NTKP_FULL)
#define InterlockedExchangeAdd16(p, v) NTKP_OLD(add, SHORT, p, v, NTKP_FULL)
#define InterlockedExchangeAdd64(p, v) NTKP_OLD(add, LONG64, p, v, NTKP_FULL)
#define InterlockedExchangeAddAcquire64(p, v) NTKP_OLD(add, LONG64, p, v, NTKP_ACQ)
#define InterlockedExchangeAddRelease64(p, v) NTKP_OLD(add, LONG64, p, v, NTKP_REL)
#define InterlockedExchangeAddNoFence64(p, v) NTKP_OLD(add, LONG64, p, v, NTKP_NF)
#define InterlockedExchangeAddSizeT(p, v) NTKP_OLD(add, LONG64, p, v, NTKP_FULL)
#define InterlockedIncrementSizeT(p) NTKP_NEW(add, LONG64, p, 1, NTKP_FULL)
#define InterlockedDecrementSizeT(p) NTKP_NEW(sub, LONG64, p, 1, NTKP_FULL)

/* And, Or, Xor (old value), in 8, 16, 32 and 64 bits. Both spellings of the sized ordered
 * forms exist in Windows headers (InterlockedAnd64Acquire, InterlockedAndAcquire64). */
#define InterlockedAnd(p, v) NTKP_OLD(and, LONG, p, v, NTKP_FULL)
#define InterlockedAndAcquire(p, v) NTKP_OLD(and, LONG, p, v, NTKP_ACQ)
#define InterlockedAndRelease(p, v) NTKP_OLD(and, LONG, p, v, NTKP_REL)
#define InterlockedAndNoFence(p, v) NTKP_OLD(and, LONG, p, v, NTKP_NF)
#define InterlockedOr(p, v) NTKP_OLD(or, LONG, p, v, NTKP_FULL)
#define InterlockedOrAcquire(p, v) NTKP_OLD(or, LONG, p, v, NTKP_ACQ)
#define InterlockedOrRelease(p, v) NTKP_OLD(or, LONG, p, v, NTKP_REL)
#define InterlockedOrNoFence(p, v) NTKP_OLD(or, LONG, p, v, NTKP_NF)
#define InterlockedXor(p, v) NTKP_OLD(xor, LONG, p, v, NTKP_FULL)
#define InterlockedXorAcquire(p, v) NTKP_OLD(xor, LONG, p, v, NTKP_ACQ)
#define InterlockedXorRelease(p, v) NTKP_OLD(xor, LONG, p, v, NTKP_REL)
#define InterlockedXorNoFence(p, v) NTKP_OLD(xor, LONG, p, v, NTKP_NF)
#define InterlockedAnd8(p, v) NTKP_OLD(and, CHAR, p, v, NTKP_FULL)
#define InterlockedAnd8Acquire(p, v) NTKP_OLD(and, CHAR, p, v, NTKP_ACQ)
#define InterlockedAnd8Release(p, v) NTKP_OLD(and, CHAR, p, v, NTKP_REL)
#define InterlockedAnd8NoFence(p, v) NTKP_OLD(and, CHAR, p, v, NTKP_NF)
#define InterlockedOr8(p, v) NTKP_OLD(or, CHAR, p, v, NTKP_FULL)
#define InterlockedOr8Acquire(p, v) NTKP_OLD(or, CHAR, p, v, NTKP_ACQ)
#define InterlockedOr8Release(p, v) NTKP_OLD(or, CHAR, p, v, NTKP_REL)
#define InterlockedOr8NoFence(p, v) NTKP_OLD(or, CHAR, p, v, NTKP_NF)
#define InterlockedXor8(p, v) NTKP_OLD(xor, CHAR, p, v, NTKP_FULL)
#define InterlockedXor8Acquire(p, v) NTKP_OLD(xor, CHAR, p, v, NTKP_ACQ)
#define InterlockedXor8Release(p, v) NTKP_OLD(xor, CHAR, p, v, NTKP_REL)
#define InterlockedXor8NoFence(p, v) NTKP_OLD(xor, CHAR, p, v, NTKP_NF)
#define InterlockedAnd16(p, v) NTKP_OLD(and, SHORT, p, v, NTKP_FULL)
#define InterlockedAnd16Acquire(p, v) NTKP_OLD(and, SHORT, p, v, NTKP_ACQ)
#define InterlockedAnd16Release(p, v) NTKP_OLD(and, SHORT, p, v, NTKP_REL)
#define InterlockedAnd16NoFence(p, v) NTKP_OLD(and, SHORT, p, v, NTKP_NF)
#define InterlockedOr16(p, v) NTKP_OLD(or, SHORT, p, v, NTKP_FULL)
#define InterlockedOr16Acquire(p, v) NTKP_OLD(or, SHORT, p, v, NTKP_ACQ)
#define InterlockedOr16Release(p, v) NTKP_OLD(or, SHORT, p, v, NTKP_REL)
#define InterlockedOr16NoFence(p, v) NTKP_OLD(or, SHORT, p, v, NTKP_NF)
#define InterlockedXor16(p, v) NTKP_OLD(xor, SHORT, p, v, NTKP_FULL)
#define InterlockedXor16Acquire(p, v) NTKP_OLD(xor, SHORT, p, v, NTKP_ACQ)
#define InterlockedXor16Release(p, v) NTKP_OLD(xor, SHORT, p, v, NTKP_REL)
#define InterlockedXor16NoFence(p, v) NTKP_OLD(xor, SHORT, p, v, NTKP_NF)
#define InterlockedAnd64(p, v) NTKP_OLD(and, LONG64, p, v, NTKP_FULL)
#define InterlockedAnd64Acquire(p, v) NTKP_OLD(and, LONG64, p, v, NTKP_ACQ)
#define InterlockedAnd64Release(p, v) NTKP_OLD(and, LONG64, p, v, NTKP_REL)
#define InterlockedAnd64NoFence(p, v) NTKP_OLD(and, LONG64, p, v, NTKP_NF)
#define InterlockedOr64(p, v) NTKP_OLD(or, LONG64, p, v, NTKP_FULL)
#define InterlockedOr64Acquire(p, v) NTKP_OLD(or, LONG64, p, v, NTKP_ACQ)
#define InterlockedOr64Release(p, v) NTKP_OLD(or, LONG64, p, v, NTKP_REL)
#define InterlockedOr64NoFence(p, v) NTKP_OLD(or, LONG64, p, v, NTKP_NF)
#define InterlockedXor64(p, v) NTKP_OLD(xor, LONG64, p, v, NTKP_FULL)
#define InterlockedXor64Acquire(p, v) NTKP_OLD(xor, LONG64, p, v, NTKP_ACQ)
#define InterlockedXor64Release(p, v) NTKP_OLD(xor, LONG64, p, v, NTKP_REL)
#define InterlockedXor64NoFence(p, v) NTKP_OLD(xor, LONG64, p, v, NTKP_NF)
#define InterlockedAndAcquire64 InterlockedAnd64Acquire
#define InterlockedAndRelease64 InterlockedAnd64Release
#define InterlockedAndNoFence64 InterlockedAnd64NoFence
#define InterlockedOrAcquire64 InterlockedOr64Acquire
#define InterlockedOrRelease64 InterlockedOr64Release
#define InterlockedOrNoFence64 InterlockedOr64NoFence
#define InterlockedXorAcquire64 InterlockedXor64Acquire
#define InterlockedXorRelease64 InterlockedXor64Release
#define InterlockedXorNoFence64 InterlockedXor64NoFence
#define InterlockedAndAffinity InterlockedAnd64
#define InterlockedOrAffinity InterlockedOr64

/* Exchange (old value). */
#define InterlockedExchange(p, v) NTKP_XCHG(LONG, p, v, NTKP_FULL)
#define InterlockedExchangeAcquire(p, v) NTKP_XCHG(LONG, p, v, NTKP_ACQ)
#define InterlockedExchangeNoFence(p, v) NTKP_XCHG(LONG, p, v, NTKP_NF)
#define InterlockedExchange8(p, v) NTKP_XCHG(CHAR, p, v, NTKP_FULL)
#define InterlockedExchange16(p, v) NTKP_XCHG(SHORT, p, v, NTKP_FULL)
#define InterlockedExchangeAcquire16(p, v) NTKP_XCHG(SHORT, p, v, NTKP_ACQ)
#define InterlockedExchangeNoFence16(p, v) NTKP_XCHG(SHORT, p, v, NTKP_NF)
#define InterlockedExchange64(p, v) NTKP_XCHG(LONG64, p, v, NTKP_FULL)
#define InterlockedExchangeAcquire64(p, v) NTKP_XCHG(LONG64, p, v, NTKP_ACQ)
#define InterlockedExchangeNoFence64(p, v) NTKP_XCHG(LONG64, p, v, NTKP_NF)
#define InterlockedExchangePointer(p, v) NTKP_XCHG(PVOID, p, v, NTKP_FULL)
#define InterlockedExchangePointerAcquire(p, v) NTKP_XCHG(PVOID, p, v, NTKP_ACQ)
#define InterlockedExchangePointerNoFence(p, v) NTKP_XCHG(PVOID, p, v, NTKP_NF)

/* CompareExchange: returns the initial value; stores Exchange only if it equalled Comperand. */
#define NTKP_DEFINE_CMPXCHG(Name, T, Success, Failure)                                           \
    FORCEINLINE T Name(T volatile *Destination, T Exchange, T Comperand)                          \
    {                                                                                             \
        __atomic_compare_exchange_n(Destination, &Comperand, Exchange, 0, Success, Failure);      \
        return Comperand;                                                                         \
    }
NTKP_DEFINE_CMPXCHG(InterlockedCompareExchange, LONG, NTKP_FULL, NTKP_FULL)
NTKP_DEFINE_CMPXCHG(InterlockedCompareExchangeAcquire, LONG, NTKP_ACQ, NTKP_ACQ)
NTKP_DEFINE_CMPXCHG(InterlockedCompareExchangeRelease, LONG, NTKP_REL, NTKP_NF)
NTKP_DEFINE_CMPXCHG(InterlockedCompareExchangeNoFence, LONG, NTKP_NF, NTKP_NF)
NTKP_DEFINE_CMPXCHG(InterlockedCompareExchange8, CHAR, NTKP_FULL, NTKP_FULL)
NTKP_DEFINE_CMPXCHG(InterlockedCompareExchange16, SHORT, NTKP_FULL, NTKP_FULL)
NTKP_DEFINE_CMPXCHG(InterlockedCompareExchangeAcquire16, SHORT, NTKP_ACQ, NTKP_ACQ)
NTKP_DEFINE_CMPXCHG(InterlockedCompareExchangeRelease16, SHORT, NTKP_REL, NTKP_NF)
NTKP_DEFINE_CMPXCHG(InterlockedCompareExchangeNoFence16, SHORT, NTKP_NF, NTKP_NF)
NTKP_DEFINE_CMPXCHG(InterlockedCompareExchange64, LONG64, NTKP_FULL, NTKP_FULL)
NTKP_DEFINE_CMPXCHG(InterlockedCompareExchangeAcquire64, LONG64, NTKP_ACQ, NTKP_ACQ)
NTKP_DEFINE_CMPXCHG(InterlockedCompareExchangeRelease64, LONG64, NTKP_REL, NTKP_NF)
NTKP_DEFINE_CMPXCHG(InterlockedCompareExchangeNoFence64, LONG64, NTKP_NF, NTKP_NF)
NTKP_DEFINE_CMPXCHG(InterlockedCompareExchangePointer, PVOID, NTKP_FULL, NTKP_FULL)
NTKP_DEFINE_CMPXCHG(InterlockedCompareExchangePointerAcquire, PVOID, NTKP_ACQ, NTKP_ACQ)
NTKP_DEFINE_CMPXCHG(InterlockedCompareExchangePointerRelease, PVOID, NTKP_REL, NTKP_NF)
NTKP_DEFINE_CMPXCHG(InterlockedCompareExchangePointerNoFence, PVOID, NTKP_NF, NTKP_NF)
#undef NTKP_DEFINE_CMPXCHG

/* The 16-byte compare-exchange (lock cmpxchg16b): Destination must be 16-byte aligned. On a
 * match it stores ExchangeHigh:ExchangeLow and returns 1; either way ComparandResult receives
 * the initial value. */
FORCEINLINE BOOLEAN InterlockedCompareExchange128(LONG64 volatile *Destination,
                                                  LONG64 ExchangeHigh, LONG64 ExchangeLow,
                                                  LONG64 *ComparandResult)
{
    BOOLEAN Equal;
    __asm__ __volatile__("lock cmpxchg16b %1\n\tsete %0"
                         : "=q"(Equal), "+m"(*(volatile LONG64(*)[2])Destination),
                           "+a"(ComparandResult[0]), "+d"(ComparandResult[1])
                         : "b"(ExchangeLow), "c"(ExchangeHigh)
                         : "memory", "cc");
    return Equal;
}

/* Bit test and set/reset/complement: returns the bit's old value. Offset indexes a bit string
 * starting at Base, as the intrinsics do. */
#define NTKP_DEFINE_BITTEST(Name, T, Bits, Op, Order)                                            \
    FORCEINLINE BOOLEAN Name(T volatile *Base, T Offset)                                          \
    {                                                                                             \
        T volatile *Word = Base + (Offset >> ((Bits) == 64 ? 6 : 5));                             \
        T Mask = (T)((unsigned long long)1 << (Offset & ((Bits)-1)));                             \
        return (Op(Word, Mask, Order) & Mask) != 0;                                               \
    }
#define NTKP_BTS(w, m, o) __atomic_fetch_or(w, m, o)
#define NTKP_BTR(w, m, o) __atomic_fetch_and(w, ~(m), o)
#define NTKP_BTC(w, m, o) __atomic_fetch_xor(w, m, o)
NTKP_DEFINE_BITTEST(InterlockedBitTestAndSet, LONG, 32, NTKP_BTS, NTKP_FULL)
NTKP_DEFINE_BITTEST(InterlockedBitTestAndSetAcquire, LONG, 32, NTKP_BTS, NTKP_ACQ)
NTKP_DEFINE_BITTEST(InterlockedBitTestAndSetRelease, LONG, 32, NTKP_BTS, NTKP_REL)
NTKP_DEFINE_BITTEST(InterlockedBitTestAndSetNoFence, LONG, 32, NTKP_BTS, NTKP_NF)
NTKP_DEFINE_BITTEST(InterlockedBitTestAndReset, LONG, 32, NTKP_BTR, NTKP_FULL)
NTKP_DEFINE_BITTEST(InterlockedBitTestAndResetAcquire, LONG, 32, NTKP_BTR, NTKP_ACQ)
NTKP_DEFINE_BITTEST(InterlockedBitTestAndResetRelease, LONG, 32, NTKP_BTR, NTKP_REL)
NTKP_DEFINE_BITTEST(InterlockedBitTestAndResetNoFence, LONG, 32, NTKP_BTR, NTKP_NF)
NTKP_DEFINE_BITTEST(InterlockedBitTestAndComplement, LONG, 32, NTKP_BTC, NTKP_FULL)
NTKP_DEFINE_BITTEST(InterlockedBitTestAndSet64, LONG64, 64, NTKP_BTS, NTKP_FULL)
NTKP_DEFINE_BITTEST(InterlockedBitTestAndReset64, LONG64, 64, NTKP_BTR, NTKP_FULL)
NTKP_DEFINE_BITTEST(InterlockedBitTestAndComplement64, LONG64, 64, NTKP_BTC, NTKP_FULL)
#undef NTKP_DEFINE_BITTEST
#undef NTKP_BTS
#undef NTKP_BTR
#undef NTKP_BTC

/* Ordered loads and stores. */
#define NTKP_DEFINE_READ_WRITE(Suffix, T)                                                         \
    FORCEINLINE T ReadAcquire##Suffix(T const volatile *Source)                                   \
    {                                                                                             \
        return __atomic_load_n(Source, NTKP_ACQ);                                                 \
    }                                                                                             \
    FORCEINLINE T ReadNoFence##Suffix(T const volatile *Source)                                   \
    {                                                                                             \
        return __atomic_load_n(Source, NTKP_NF);                                                  \
    }                                                                                             \
    FORCEINLINE VOID WriteRelease##Suffix(T volatile *Destination, T Value)                       \
    {                                                                                             \
        __atomic_store_n(Destination, Value, NTKP_REL);                                           \
    }                                                                                             \
    FORCEINLINE VOID WriteNoFence##Suffix(T volatile *Destination, T Value)                       \
    {                                                                                             \
        __atomic_store_n(Destination, Value, NTKP_NF);                                            \
    }
NTKP_DEFINE_READ_WRITE(, LONG)
NTKP_DEFINE_READ_WRITE(8, CHAR)
NTKP_DEFINE_READ_WRITE(16, SHORT)
NTKP_DEFINE_READ_WRITE(64, LONG64)
#undef NTKP_DEFINE_READ_WRITE
FORCEINLINE PVOID ReadPointerAcquire(PVOID const volatile *Source)
{
    return __atomic_load_n(Source, NTKP_ACQ);
}
FORCEINLINE PVOID ReadPointerNoFence(PVOID const volatile *Source)
{
    return __atomic_load_n(Source, NTKP_NF);
}
FORCEINLINE VOID WritePointerRelease(PVOID volatile *Destination, PVOID Value)
{
    __atomic_store_n(Destination, Value, NTKP_REL);
}
FORCEINLINE VOID WritePointerNoFence(PVOID volatile *Destination, PVOID Value)
{
    __atomic_store_n(Destination, Value, NTKP_NF);
}

/* Barriers. */
#define MemoryBarrier() __atomic_thread_fence(__ATOMIC_SEQ_CST)
#define KeMemoryBarrier() __atomic_thread_fence(__ATOMIC_SEQ_CST)
#define _ReadWriteBarrier() __atomic_signal_fence(__ATOMIC_SEQ_CST)
#define KeMemoryBarrierWithoutFence() __atomic_signal_fence(__ATOMIC_SEQ_CST)
#define YieldProcessor() __builtin_ia32_pause()

/* Sequenced singly linked lists. The header keeps Windows' x64 layout: Depth (16 bits) and
 * Sequence (48 bits) in the first quadword, the first entry's address >> 4 in the second; the
 * whole header changes with one 16-byte compare-exchange, so the lists are lock free. Entries
 * must be 16-byte aligned (SLIST_ENTRY is). */
FORCEINLINE VOID InitializeSListHead(PSLIST_HEADER SListHead)
{
    SListHead->Alignment = 0;
    SListHead->Region = 0;
}
#define ExInitializeSListHead InitializeSListHead
FORCEINLINE USHORT ExQueryDepthSList(const SLIST_HEADER *SListHead)
{
    return (USHORT)(__atomic_load_n(&SListHead->Alignment, __ATOMIC_RELAXED) & 0xFFFF);
}
#define QueryDepthSList(Head) ExQueryDepthSList(Head)
FORCEINLINE PSLIST_ENTRY RtlFirstEntrySList(const SLIST_HEADER *SListHead)
{
    return (PSLIST_ENTRY)(ULONG_PTR)((__atomic_load_n(&SListHead->Region, __ATOMIC_RELAXED) >> 4)
                                     << 4);
}
#define FirstEntrySList(Head) RtlFirstEntrySList(Head)

/* Push returns the previous first entry (NULL if the list was empty); pop returns the first
 * entry (NULL if empty); flush empties the list and returns its old first entry. */
NTKERNELAPI PSLIST_ENTRY ExpInterlockedPushEntrySList(PSLIST_HEADER ListHead,
                                                      PSLIST_ENTRY ListEntry);
NTKERNELAPI PSLIST_ENTRY ExpInterlockedPopEntrySList(PSLIST_HEADER ListHead);
NTKERNELAPI PSLIST_ENTRY ExpInterlockedFlushSList(PSLIST_HEADER ListHead);
#define InterlockedPushEntrySList(Head, Entry) ExpInterlockedPushEntrySList(Head, Entry)
#define InterlockedPopEntrySList(Head) ExpInterlockedPopEntrySList(Head)
#define InterlockedFlushSList(Head) ExpInterlockedFlushSList(Head)
/* On x64 the spin lock of the Ex forms is not used. */
#define ExInterlockedPushEntrySList(Head, Entry, Lock)                                            \
    ((VOID)(Lock), ExpInterlockedPushEntrySList(Head, Entry))
#define ExInterlockedPopEntrySList(Head, Lock) ((VOID)(Lock), ExpInterlockedPopEntrySList(Head))
#define ExInterlockedFlushSList(Head) ExpInterlockedFlushSList(Head)

/* Lists guarded by a caller's spin lock; callable at any IRQL. The insert routines return the
 * previous first (last) entry, or NULL if the list was empty; the remove and pop routines
 * return NULL for an empty list. */
NTKERNELAPI PLIST_ENTRY ExInterlockedInsertHeadList(PLIST_ENTRY ListHead, PLIST_ENTRY ListEntry,
                                                    PKSPIN_LOCK Lock);
NTKERNELAPI PLIST_ENTRY ExInterlockedInsertTailList(PLIST_ENTRY ListHead, PLIST_ENTRY ListEntry,
                                                    PKSPIN_LOCK Lock);
NTKERNELAPI PLIST_ENTRY ExInterlockedRemoveHeadList(PLIST_ENTRY ListHead, PKSPIN_LOCK Lock);
NTKERNELAPI PSINGLE_LIST_ENTRY ExInterlockedPushEntryList(PSINGLE_LIST_ENTRY ListHead,
                                                          PSINGLE_LIST_ENTRY ListEntry,
                                                          PKSPIN_LOCK Lock);
NTKERNELAPI PSINGLE_LIST_ENTRY ExInterlockedPopEntryList(PSINGLE_LIST_ENTRY ListHead,
                                                         PKSPIN_LOCK Lock);
/* Additions under the spin lock; both return the initial value. */
NTKERNELAPI ULONG ExInterlockedAddUlong(PULONG Addend, ULONG Increment, PKSPIN_LOCK Lock);
NTKERNELAPI LARGE_INTEGER ExInterlockedAddLargeInteger(PLARGE_INTEGER Addend,
                                                       LARGE_INTEGER Increment, PKSPIN_LOCK Lock);
#define ExInterlockedAddLargeStatistic(Addend, Increment)                                         \
    ((VOID)InterlockedAdd64(&(Addend)->QuadPart, (LONG64)(Increment)))
#define ExInterlockedCompareExchange64(Destination, Exchange, Comperand, Lock)                     \
    ((VOID)(Lock), InterlockedCompareExchange64((LONG64 volatile *)(Destination), *(Exchange),     \
                                                *(Comperand)))

NTK_EXTERN_C_END

#endif
