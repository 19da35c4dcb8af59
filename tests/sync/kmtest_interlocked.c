/* kmtest_interlocked: the Interlocked intrinsics (8/16/32/64-bit and pointer, with the
 * Acquire/Release/NoFence forms, bit tests, the 16-byte compare-exchange), sequenced singly
 * linked lists (SLIST) and the ExInterlocked list routines, from their WDK pages.
 *     ntk run [--cpus N] --driver kmtest_interlocked.so     exits 0 when every check passed */
#include "kmtest_sync.h"

static void Test32(void)
{
    volatile LONG v = 5;

    /* Increment and Decrement return the new value and wrap at the limits. */
    CHECK_EQ(InterlockedIncrement(&v), 6);
    CHECK_EQ(InterlockedDecrement(&v), 5);
    CHECK_EQ(InterlockedIncrementAcquire(&v), 6);
    CHECK_EQ(InterlockedIncrementRelease(&v), 7);
    CHECK_EQ(InterlockedIncrementNoFence(&v), 8);
    CHECK_EQ(InterlockedDecrementAcquire(&v), 7);
    CHECK_EQ(InterlockedDecrementRelease(&v), 6);
    CHECK_EQ(InterlockedDecrementNoFence(&v), 5);
    v = MAXLONG;
    CHECK_EQ(InterlockedIncrement(&v), MINLONG);
    CHECK_EQ(v, MINLONG);
    CHECK_EQ(InterlockedDecrement(&v), MAXLONG);
    v = 0;
    CHECK_EQ(InterlockedDecrement(&v), -1);

    /* Exchange, ExchangeAdd, And, Or, Xor return the old value; Add the new one. */
    v = 10;
    CHECK_EQ(InterlockedExchange(&v, 20), 10);
    CHECK_EQ(InterlockedExchangeAcquire(&v, 21), 20);
    CHECK_EQ(InterlockedExchangeNoFence(&v, 22), 21);
    CHECK_EQ(v, 22);
    CHECK_EQ(InterlockedExchangeAdd(&v, 8), 22);
    CHECK_EQ(v, 30);
    CHECK_EQ(InterlockedExchangeAddAcquire(&v, -10), 30);
    CHECK_EQ(InterlockedExchangeAddRelease(&v, 1), 20);
    CHECK_EQ(InterlockedExchangeAddNoFence(&v, 1), 21);
    CHECK_EQ(InterlockedAdd(&v, 8), 30);
    CHECK_EQ(InterlockedAddAcquire(&v, 1), 31);
    CHECK_EQ(InterlockedAddRelease(&v, 1), 32);
    CHECK_EQ(InterlockedAddNoFence(&v, -32), 0);
    v = 0x0F0F;
    CHECK_EQ(InterlockedAnd(&v, 0x00FF), 0x0F0F);
    CHECK_EQ(v, 0x000F);
    CHECK_EQ(InterlockedOr(&v, 0x0F00), 0x000F);
    CHECK_EQ(v, 0x0F0F);
    CHECK_EQ(InterlockedXor(&v, 0x0FF0), 0x0F0F);
    CHECK_EQ(v, 0x00FF);
    CHECK_EQ(InterlockedAndAcquire(&v, 0xF0), 0xFF);
    CHECK_EQ(InterlockedOrRelease(&v, 0x01), 0xF0);
    CHECK_EQ(InterlockedXorNoFence(&v, 0xF1), 0xF1);
    CHECK_EQ(v, 0);

    /* CompareExchange returns the initial value and swaps only on a match. */
    v = 7;
    CHECK_EQ(InterlockedCompareExchange(&v, 9, 8), 7);
    CHECK_EQ(v, 7);
    CHECK_EQ(InterlockedCompareExchange(&v, 9, 7), 7);
    CHECK_EQ(v, 9);
    CHECK_EQ(InterlockedCompareExchangeAcquire(&v, 1, 9), 9);
    CHECK_EQ(InterlockedCompareExchangeRelease(&v, 2, 1), 1);
    CHECK_EQ(InterlockedCompareExchangeNoFence(&v, 3, 5), 2);
    CHECK_EQ(v, 2);
}

static void TestSmall(void)
{
    volatile SHORT s = 0x7FFF;
    volatile CHAR c = 0x0F;

    CHECK_EQ(InterlockedIncrement16(&s), (SHORT)0x8000);
    CHECK_EQ(InterlockedDecrement16(&s), 0x7FFF);
    CHECK_EQ(InterlockedIncrementAcquire16(&s), (SHORT)0x8000);
    CHECK_EQ(InterlockedDecrementRelease16(&s), 0x7FFF);
    CHECK_EQ(InterlockedExchange16(&s, 0x1234), 0x7FFF);
    CHECK_EQ(InterlockedExchangeAdd16(&s, 1), 0x1234);
    CHECK_EQ(InterlockedCompareExchange16(&s, 5, 0x1235), 0x1235);
    CHECK_EQ(InterlockedCompareExchange16(&s, 6, 0x1235), 5);
    CHECK_EQ(s, 5);
    CHECK_EQ(InterlockedAnd16(&s, 4), 5);
    CHECK_EQ(InterlockedOr16(&s, 3), 4);
    CHECK_EQ(InterlockedXor16(&s, 1), 7);
    CHECK_EQ(InterlockedOr16Acquire(&s, 8), 6);
    CHECK_EQ(s, 14);

    CHECK_EQ(InterlockedAnd8(&c, 0x3C), 0x0F);
    CHECK_EQ(c, 0x0C);
    CHECK_EQ(InterlockedOr8(&c, 0x01), 0x0C);
    CHECK_EQ(InterlockedXor8(&c, 0x0D), 0x0D);
    CHECK_EQ(c, 0);
    CHECK_EQ(InterlockedAnd8Release(&c, 0), 0);
    CHECK_EQ(InterlockedExchange8(&c, 0x7F), 0);
    CHECK_EQ(InterlockedExchangeAdd8(&c, 1), 0x7F);
    CHECK_EQ(c, (CHAR)0x80);
    CHECK_EQ(InterlockedCompareExchange8(&c, 1, (CHAR)0x80), (CHAR)0x80);
    CHECK_EQ(c, 1);
}

static void Test64(void)
{
    volatile LONG64 v = 0x100000000LL;

    CHECK_EQ(InterlockedIncrement64(&v), 0x100000001LL);
    CHECK_EQ(InterlockedDecrement64(&v), 0x100000000LL);
    CHECK_EQ(InterlockedIncrementAcquire64(&v), 0x100000001LL);
    CHECK_EQ(InterlockedDecrementNoFence64(&v), 0x100000000LL);
    v = MAXLONGLONG;
    CHECK_EQ(InterlockedIncrement64(&v), (LONG64)0x8000000000000000ULL);
    CHECK_EQ(InterlockedDecrement64(&v), MAXLONGLONG);
    v = 1;
    CHECK_EQ(InterlockedExchange64(&v, 0x500000000LL), 1);
    CHECK_EQ(InterlockedExchangeAdd64(&v, 0x100000000LL), 0x500000000LL);
    CHECK_EQ(InterlockedAdd64(&v, 1), 0x600000001LL);
    CHECK_EQ(InterlockedExchangeAcquire64(&v, 3), 0x600000001LL);
    CHECK_EQ(InterlockedAnd64(&v, 2), 3);
    CHECK_EQ(InterlockedOr64(&v, 0x100000000LL), 2);
    CHECK_EQ(InterlockedXor64(&v, 0x100000002LL), 0x100000002LL);
    CHECK_EQ(v, 0);
    /* Both Windows spellings of the sized ordered forms. */
    CHECK_EQ(InterlockedOr64Acquire(&v, 1), 0);
    CHECK_EQ(InterlockedOrAcquire64(&v, 2), 1);
    CHECK_EQ(InterlockedAnd64Release(&v, 1), 3);
    CHECK_EQ(InterlockedXorNoFence64(&v, 1), 1);
    CHECK_EQ(v, 0);
    CHECK_EQ(InterlockedCompareExchange64(&v, 0x700000000LL, 1), 0);
    CHECK_EQ(v, 0);
    CHECK_EQ(InterlockedCompareExchange64(&v, 0x700000000LL, 0), 0);
    CHECK_EQ(v, 0x700000000LL);
    CHECK_EQ(InterlockedCompareExchangeAcquire64(&v, 1, 0x700000000LL), 0x700000000LL);
    CHECK_EQ(InterlockedCompareExchangeRelease64(&v, 2, 1), 1);
    CHECK_EQ(v, 2);
}

static void TestPointers(void)
{
    int a, b;
    PVOID volatile p = &a;

    CHECK(InterlockedExchangePointer(&p, &b) == &a);
    CHECK(p == &b);
    CHECK(InterlockedExchangePointerAcquire(&p, NULL) == &b);
    CHECK(InterlockedExchangePointerNoFence(&p, &a) == NULL);
    CHECK(InterlockedCompareExchangePointer(&p, &b, NULL) == &a);
    CHECK(p == &a);
    CHECK(InterlockedCompareExchangePointer(&p, &b, &a) == &a);
    CHECK(p == &b);
    CHECK(InterlockedCompareExchangePointerAcquire(&p, &a, &b) == &b);
    CHECK(InterlockedCompareExchangePointerRelease(&p, NULL, &a) == &a);
    CHECK(InterlockedCompareExchangePointerNoFence(&p, &a, &b) == NULL);
    CHECK(p == NULL);
    WritePointerRelease(&p, &b);
    CHECK(ReadPointerAcquire(&p) == &b);
    CHECK(ReadPointerNoFence(&p) == &b);
}

static void TestBits(void)
{
    volatile LONG bits[2] = { 0, 0 };
    volatile LONG64 wide = 0;

    /* The old value of the bit; the bit changes. */
    CHECK(!InterlockedBitTestAndSet(&bits[0], 3));
    CHECK_EQ(bits[0], 8);
    CHECK(InterlockedBitTestAndSet(&bits[0], 3));
    CHECK(InterlockedBitTestAndReset(&bits[0], 3));
    CHECK_EQ(bits[0], 0);
    CHECK(!InterlockedBitTestAndReset(&bits[0], 3));
    CHECK(!InterlockedBitTestAndComplement(&bits[0], 31));
    CHECK_EQ(bits[0], MINLONG);
    CHECK(InterlockedBitTestAndComplement(&bits[0], 31));
    CHECK_EQ(bits[0], 0);
    CHECK(!InterlockedBitTestAndSetAcquire(&bits[0], 0));
    CHECK(InterlockedBitTestAndResetRelease(&bits[0], 0));
    /* The offset indexes a bit string: bit 40 is bit 8 of the second LONG. */
    CHECK(!InterlockedBitTestAndSet(&bits[0], 40));
    CHECK_EQ(bits[0], 0);
    CHECK_EQ(bits[1], 0x100);
    CHECK(!InterlockedBitTestAndSet64(&wide, 63));
    CHECK_EQ(wide, (LONG64)0x8000000000000000ULL);
    CHECK(InterlockedBitTestAndReset64(&wide, 63));
    CHECK(!InterlockedBitTestAndComplement64(&wide, 33));
    CHECK_EQ(wide, 0x200000000LL);

    WriteRelease(&bits[0], 5);
    CHECK_EQ(ReadAcquire(&bits[0]), 5);
    WriteNoFence64(&wide, 6);
    CHECK_EQ(ReadNoFence64(&wide), 6);
    MemoryBarrier();
    KeMemoryBarrier();
}

static void Test128(void)
{
    struct DECLSPEC_ALIGN(16) {
        LONG64 Low, High;
    } target = { 1, 2 };
    LONG64 comparand[2] = { 1, 3 };

    /* Mismatch: no store, the comparand receives the current value. */
    CHECK(!InterlockedCompareExchange128(&target.Low, 20, 10, comparand));
    CHECK_EQ(target.Low, 1);
    CHECK_EQ(target.High, 2);
    CHECK_EQ(comparand[0], 1);
    CHECK_EQ(comparand[1], 2);
    /* Match: both halves stored. */
    CHECK(InterlockedCompareExchange128(&target.Low, 20, 10, comparand));
    CHECK_EQ(target.Low, 10);
    CHECK_EQ(target.High, 20);
}

/* Many threads hammer one counter: no increment is lost. */
#define HAMMER_THREADS 4
#define HAMMER_ROUNDS 20000
static volatile LONG Counter32;
static volatile LONG64 Counter64;
static VOID HammerThread(PVOID Context)
{
    int i;
    UNREFERENCED_PARAMETER(Context);
    for (i = 0; i < HAMMER_ROUNDS; i++) {
        InterlockedIncrement(&Counter32);
        InterlockedExchangeAdd64(&Counter64, 3);
        InterlockedDecrementRelease(&Counter32);
        InterlockedIncrementAcquire(&Counter32);
    }
}

static void TestAtomicity(void)
{
    PKTHREAD t[HAMMER_THREADS];
    int i;
    for (i = 0; i < HAMMER_THREADS; i++)
        t[i] = KmtStartThread(HammerThread, NULL);
    for (i = 0; i < HAMMER_THREADS; i++)
        KmtJoinThread(t[i]);
    CHECK_EQ(Counter32, HAMMER_THREADS * HAMMER_ROUNDS);
    CHECK_EQ(Counter64, 3LL * HAMMER_THREADS * HAMMER_ROUNDS);
}

/* ---- SLIST ---- */

typedef struct DECLSPEC_ALIGN(16) _ITEM {
    SLIST_ENTRY Link;
    ULONG Index;
    volatile LONG Seen;
} ITEM;

static void TestSListBasics(void)
{
    SLIST_HEADER head;
    ITEM a, b, c;
    KSPIN_LOCK lock;
    ULONGLONG sequence;

    CHECK_EQ(sizeof(SLIST_HEADER), 16);
    CHECK_EQ((ULONG_PTR)&head & 15, 0);
    KeInitializeSpinLock(&lock);
    InitializeSListHead(&head);
    CHECK_EQ(QueryDepthSList(&head), 0);
    CHECK(FirstEntrySList(&head) == NULL);
    CHECK(InterlockedPopEntrySList(&head) == NULL);
    CHECK(InterlockedFlushSList(&head) == NULL);

    /* Push returns the previous first entry; the depth counts the entries. */
    sequence = head.HeaderX64.Sequence;
    CHECK(InterlockedPushEntrySList(&head, &a.Link) == NULL);
    CHECK(head.HeaderX64.Sequence != sequence);
    CHECK_EQ(QueryDepthSList(&head), 1);
    CHECK(InterlockedPushEntrySList(&head, &b.Link) == &a.Link);
    CHECK(ExInterlockedPushEntrySList(&head, &c.Link, &lock) == &b.Link);
    CHECK_EQ(ExQueryDepthSList(&head), 3);
    CHECK(FirstEntrySList(&head) == &c.Link);
    CHECK(KeTestSpinLock(&lock));

    /* Pops are LIFO. */
    CHECK(InterlockedPopEntrySList(&head) == &c.Link);
    CHECK(ExInterlockedPopEntrySList(&head, &lock) == &b.Link);
    CHECK_EQ(QueryDepthSList(&head), 1);

    /* Flush returns the old first entry (with its chain) and empties the list. */
    CHECK(InterlockedPushEntrySList(&head, &b.Link) == &a.Link);
    CHECK(InterlockedFlushSList(&head) == &b.Link);
    CHECK(b.Link.Next == &a.Link);
    CHECK_EQ(QueryDepthSList(&head), 0);
    CHECK(InterlockedPopEntrySList(&head) == NULL);
    CHECK(InterlockedPushEntrySList(&head, &a.Link) == NULL);
    CHECK(ExInterlockedFlushSList(&head) == &a.Link);
    CHECK(InterlockedPopEntrySList(&head) == NULL);

    /* Any IRQL. */
    {
        KIRQL old = KeRaiseIrqlToDpcLevel();
        CHECK(InterlockedPushEntrySList(&head, &a.Link) == NULL);
        CHECK(InterlockedPopEntrySList(&head) == &a.Link);
        KeLowerIrql(old);
    }
}

/* Threads pop and push the same items concurrently: none is lost or duplicated. */
#define SLIST_THREADS 4
#define SLIST_ITEMS 64
#define SLIST_ROUNDS 5000
static SLIST_HEADER SharedList;
static ITEM Items[SLIST_THREADS * SLIST_ITEMS];

static VOID SListThread(PVOID Context)
{
    ULONG Base = (ULONG)(ULONG_PTR)Context * SLIST_ITEMS, i;
    PSLIST_ENTRY held[4];
    int round, n;
    for (i = 0; i < SLIST_ITEMS; i++)
        InterlockedPushEntrySList(&SharedList, &Items[Base + i].Link);
    for (round = 0; round < SLIST_ROUNDS; round++) {
        for (n = 0; n < 4; n++)
            held[n] = InterlockedPopEntrySList(&SharedList);
        for (n = 0; n < 4; n++)
            if (held[n] != NULL)
                InterlockedPushEntrySList(&SharedList, held[n]);
    }
}

static void TestSListThreads(void)
{
    PKTHREAD t[SLIST_THREADS];
    PSLIST_ENTRY e;
    ULONG i, count = 0, duplicates = 0;

    InitializeSListHead(&SharedList);
    for (i = 0; i < SLIST_THREADS; i++)
        t[i] = KmtStartThread(SListThread, (PVOID)(ULONG_PTR)i);
    for (i = 0; i < SLIST_THREADS; i++)
        KmtJoinThread(t[i]);
    CHECK_EQ(QueryDepthSList(&SharedList), SLIST_THREADS * SLIST_ITEMS);
    for (e = InterlockedFlushSList(&SharedList); e != NULL; e = e->Next) {
        ITEM *item = CONTAINING_RECORD(e, ITEM, Link);
        if (item->Seen++)
            duplicates++;
        count++;
    }
    CHECK_EQ(count, SLIST_THREADS * SLIST_ITEMS);
    CHECK_EQ(duplicates, 0);
    CHECK_EQ(QueryDepthSList(&SharedList), 0);
}

/* ---- lists under a spin lock ---- */

static void TestExInterlockedLists(KIRQL Irql)
{
    LIST_ENTRY head, e1, e2, e3;
    SINGLE_LIST_ENTRY shead, s1, s2;
    KSPIN_LOCK lock;
    KIRQL old = 0xFF;

    KeInitializeSpinLock(&lock);
    InitializeListHead(&head);
    shead.Next = NULL;
    if (Irql != PASSIVE_LEVEL)
        KeRaiseIrql(Irql, &old);

    /* Insert returns the previous first (last) entry, NULL when the list was empty. */
    CHECK(ExInterlockedInsertHeadList(&head, &e1, &lock) == NULL);
    CHECK(ExInterlockedInsertHeadList(&head, &e2, &lock) == &e1);
    CHECK(ExInterlockedInsertTailList(&head, &e3, &lock) == &e1);
    CHECK_EQ(KeGetCurrentIrql(), Irql);
    CHECK(KeTestSpinLock(&lock));
    CHECK(head.Flink == &e2 && e2.Flink == &e1 && e1.Flink == &e3 && e3.Flink == &head);
    CHECK(ExInterlockedRemoveHeadList(&head, &lock) == &e2);
    CHECK(ExInterlockedRemoveHeadList(&head, &lock) == &e1);
    CHECK(ExInterlockedRemoveHeadList(&head, &lock) == &e3);
    /* Empty: NULL (the non-interlocked RemoveHeadList returns the head itself). */
    CHECK(ExInterlockedRemoveHeadList(&head, &lock) == NULL);
    CHECK(RemoveHeadList(&head) == &head);
    CHECK(ExInterlockedInsertTailList(&head, &e1, &lock) == NULL);
    CHECK(ExInterlockedInsertTailList(&head, &e2, &lock) == &e1);

    CHECK(ExInterlockedPopEntryList(&shead, &lock) == NULL);
    CHECK(ExInterlockedPushEntryList(&shead, &s1, &lock) == NULL);
    CHECK(ExInterlockedPushEntryList(&shead, &s2, &lock) == &s1);
    CHECK(ExInterlockedPopEntryList(&shead, &lock) == &s2);
    CHECK(ExInterlockedPopEntryList(&shead, &lock) == &s1);
    CHECK(ExInterlockedPopEntryList(&shead, &lock) == NULL);
    CHECK_EQ(KeGetCurrentIrql(), Irql);
    CHECK(KeTestSpinLock(&lock));

    if (Irql != PASSIVE_LEVEL)
        KeLowerIrql(old);
}

static void TestExInterlockedAdds(void)
{
    KSPIN_LOCK lock;
    ULONG u = 0xFFFFFFFE;
    LARGE_INTEGER big, inc, prev;
    LONGLONG dest = 5, exch = 9, comp = 5;

    KeInitializeSpinLock(&lock);
    CHECK_EQ(ExInterlockedAddUlong(&u, 3, &lock), 0xFFFFFFFE);
    CHECK_EQ(u, 1);
    big.QuadPart = 0xFFFFFFFFLL;
    inc.QuadPart = 1;
    prev = ExInterlockedAddLargeInteger(&big, inc, &lock);
    CHECK_EQ(prev.QuadPart, 0xFFFFFFFFLL);
    CHECK_EQ(big.QuadPart, 0x100000000LL);
    ExInterlockedAddLargeStatistic(&big, 2);
    CHECK_EQ(big.QuadPart, 0x100000002LL);
    CHECK_EQ(ExInterlockedCompareExchange64(&dest, &exch, &comp, &lock), 5);
    CHECK_EQ(dest, 9);
    CHECK(KeTestSpinLock(&lock));
}

NTSTATUS DriverEntry(PDRIVER_OBJECT DriverObject, PUNICODE_STRING RegistryPath)
{
    UNREFERENCED_PARAMETER(DriverObject);
    UNREFERENCED_PARAMETER(RegistryPath);
    KMT_RUN("kmtest_interlocked", Test32());
    KMT_RUN("kmtest_interlocked", TestSmall());
    KMT_RUN("kmtest_interlocked", Test64());
    KMT_RUN("kmtest_interlocked", TestPointers());
    KMT_RUN("kmtest_interlocked", TestBits());
    KMT_RUN("kmtest_interlocked", Test128());
    KMT_RUN("kmtest_interlocked", TestAtomicity());
    KMT_RUN("kmtest_interlocked", TestSListBasics());
    KMT_RUN("kmtest_interlocked", TestSListThreads());
    KMT_RUN("kmtest_interlocked", TestExInterlockedLists(PASSIVE_LEVEL));
    KMT_RUN("kmtest_interlocked", TestExInterlockedLists(APC_LEVEL));
    KMT_RUN("kmtest_interlocked", TestExInterlockedLists(DISPATCH_LEVEL));
    KMT_RUN("kmtest_interlocked", TestExInterlockedAdds());
    return KmtFinish("kmtest_interlocked");
}
