/* kmtest_lookaside: lookaside lists, from the WDK pages of ExInitializeNPagedLookasideList,
 * ExInitializePagedLookasideList, ExInitializeLookasideListEx, the allocate, free, flush and
 * delete routines, and "Using Lookaside Lists": layout, round trips, LIFO reuse, the header's
 * counters, caller-supplied routines called only on misses, Depth tuning and its bounds,
 * several system threads on one list, one list passed from thread to thread, flushing.
 *     ntk run [--cpus N] [--virtual-time] --driver kmtest_lookaside.so   exits 0 when all pass */
#include "../ke/kmtest_ke.h"

#define TAG 'tLmK'
#define ENTRY_SIZE 64

/* How many entries the list holds now: the list head's depth, where an SLIST_HEADER has it. */
static ULONG Cached(PGENERAL_LOOKASIDE_POOL L)
{
    return (ULONG)(L->ListHead.Alignment & 0xFFFF);
}

/* ---- counting routines ---- */

static volatile LONG AllocCalls, FreeCalls, FailAllocations;
static POOL_TYPE SeenType;
static SIZE_T SeenSize;
static ULONG SeenTag;

static PVOID NTAPI CountingAllocate(POOL_TYPE PoolType, SIZE_T NumberOfBytes, ULONG Tag)
{
    SeenType = PoolType;
    SeenSize = NumberOfBytes;
    SeenTag = Tag;
    if (FailAllocations)
        return NULL;
    InterlockedIncrement(&AllocCalls);
    return ExAllocatePoolWithTag(PoolType, NumberOfBytes, Tag);
}

static VOID NTAPI CountingFree(PVOID Buffer)
{
    InterlockedIncrement(&FreeCalls);
    ExFreePool(Buffer);
}

static void ResetCounts(void)
{
    AllocCalls = FreeCalls = FailAllocations = 0;
    SeenType = (POOL_TYPE)-1;
    SeenSize = 0;
    SeenTag = 0;
}

/* The WDK's example: private data around the LOOKASIDE_LIST_EX, reached from the callbacks. */
typedef struct {
    volatile LONG NumberOfAllocations;
    volatile LONG NumberOfFrees;
    PLOOKASIDE_LIST_EX SeenLookaside;
    POOL_TYPE SeenType;
    LOOKASIDE_LIST_EX LookasideField;
} MY_PRIVATE_DATA;

static PVOID NTAPI PrivateAllocateEx(POOL_TYPE PoolType, SIZE_T NumberOfBytes, ULONG Tag,
                                     PLOOKASIDE_LIST_EX Lookaside)
{
    MY_PRIVATE_DATA *Context = CONTAINING_RECORD(Lookaside, MY_PRIVATE_DATA, LookasideField);
    PVOID Entry = ExAllocatePoolWithTag((POOL_TYPE)(PoolType & ~POOL_QUOTA_FAIL_INSTEAD_OF_RAISE),
                                        NumberOfBytes, Tag);
    Context->SeenLookaside = Lookaside;
    Context->SeenType = PoolType;
    if (Entry != NULL)
        InterlockedIncrement(&Context->NumberOfAllocations);
    return Entry;
}

static VOID NTAPI PrivateFreeEx(PVOID Buffer, PLOOKASIDE_LIST_EX Lookaside)
{
    MY_PRIVATE_DATA *Context = CONTAINING_RECORD(Lookaside, MY_PRIVATE_DATA, LookasideField);
    InterlockedIncrement(&Context->NumberOfFrees);
    ExFreePool(Buffer);
}

/* ---- 1. layout ---- */

static NPAGED_LOOKASIDE_LIST GlobalList; /* a driver's global, cache-aligned */

static void TestLayout(void)
{
    CHECK_EQ(sizeof(NPAGED_LOOKASIDE_LIST), 0x80);
    CHECK_EQ(sizeof(PAGED_LOOKASIDE_LIST), 0x80);
    CHECK_EQ(sizeof(GENERAL_LOOKASIDE), 0x80);
    CHECK_EQ(sizeof(LOOKASIDE_LIST_EX), 0x60);
    CHECK_EQ(sizeof(GENERAL_LOOKASIDE_POOL), 0x60);
    CHECK_EQ(__alignof__(NPAGED_LOOKASIDE_LIST), 64);
    CHECK_EQ(((ULONG_PTR)&GlobalList) & 63, 0);
    CHECK_EQ(FIELD_OFFSET(GENERAL_LOOKASIDE, ListHead), 0x00);
    CHECK_EQ(FIELD_OFFSET(GENERAL_LOOKASIDE, Depth), 0x10);
    CHECK_EQ(FIELD_OFFSET(GENERAL_LOOKASIDE, MaximumDepth), 0x12);
    CHECK_EQ(FIELD_OFFSET(GENERAL_LOOKASIDE, TotalAllocates), 0x14);
    CHECK_EQ(FIELD_OFFSET(GENERAL_LOOKASIDE, AllocateMisses), 0x18);
    CHECK_EQ(FIELD_OFFSET(GENERAL_LOOKASIDE, AllocateHits), 0x18);
    CHECK_EQ(FIELD_OFFSET(GENERAL_LOOKASIDE, TotalFrees), 0x1C);
    CHECK_EQ(FIELD_OFFSET(GENERAL_LOOKASIDE, FreeMisses), 0x20);
    CHECK_EQ(FIELD_OFFSET(GENERAL_LOOKASIDE, Type), 0x24);
    CHECK_EQ(FIELD_OFFSET(GENERAL_LOOKASIDE, Tag), 0x28);
    CHECK_EQ(FIELD_OFFSET(GENERAL_LOOKASIDE, Size), 0x2C);
    CHECK_EQ(FIELD_OFFSET(GENERAL_LOOKASIDE, Allocate), 0x30);
    CHECK_EQ(FIELD_OFFSET(GENERAL_LOOKASIDE, AllocateEx), 0x30);
    CHECK_EQ(FIELD_OFFSET(GENERAL_LOOKASIDE, Free), 0x38);
    CHECK_EQ(FIELD_OFFSET(GENERAL_LOOKASIDE, ListEntry), 0x40);
    CHECK_EQ(FIELD_OFFSET(GENERAL_LOOKASIDE, LastTotalAllocates), 0x50);
    CHECK_EQ(FIELD_OFFSET(GENERAL_LOOKASIDE, LastAllocateMisses), 0x54);
    CHECK_EQ(FIELD_OFFSET(GENERAL_LOOKASIDE, Future), 0x58);
    CHECK_EQ(FIELD_OFFSET(GENERAL_LOOKASIDE_POOL, Future), 0x58);
    CHECK_EQ(LOOKASIDE_MINIMUM_BLOCK_SIZE, 8);
}

/* ---- 2. initialization, round trips, LIFO ---- */

static void TestInitializeAndRoundTrip(void)
{
    PGENERAL_LOOKASIDE L = &GlobalList.L;
    PUCHAR a, b, c;
    int i;

    /* Garbage in the structure must not matter. */
    memset(&GlobalList, 0xA5, sizeof(GlobalList));
    ExInitializeNPagedLookasideList(&GlobalList, NULL, NULL, 0, ENTRY_SIZE, TAG, 0);
    CHECK_EQ(L->TotalAllocates, 0);
    CHECK_EQ(L->AllocateMisses, 0);
    CHECK_EQ(L->TotalFrees, 0);
    CHECK_EQ(L->FreeMisses, 0);
    CHECK_EQ(L->Type, NonPagedPool);
    CHECK_EQ(L->Tag, TAG);
    CHECK_EQ(L->Size, ENTRY_SIZE);
    /* "sets these entry points to ExAllocatePoolWithTag and ExFreePool". */
    CHECK(L->Allocate == ExAllocatePoolWithTag);
    CHECK(L->Free == ExFreePool);
    CHECK(L->Depth >= 4);
    CHECK(L->MaximumDepth >= L->Depth);
    CHECK(L->MaximumDepth <= EX_MAXIMUM_LOOKASIDE_DEPTH_LIMIT);
    CHECK_EQ(Cached((PGENERAL_LOOKASIDE_POOL)L), 0);

    a = ExAllocateFromNPagedLookasideList(&GlobalList);
    b = ExAllocateFromNPagedLookasideList(&GlobalList);
    CHECK(a != NULL && b != NULL && a != b);
    if (a == NULL || b == NULL)
        return;
    CHECK_EQ((ULONG_PTR)a & 15, 0);
    CHECK(MmIsAddressValid(a) && MmIsAddressValid(a + ENTRY_SIZE - 1));
    memset(a, 0x11, ENTRY_SIZE);
    memset(b, 0x22, ENTRY_SIZE);
    CHECK_EQ(L->TotalAllocates, 2);
    CHECK_EQ(L->AllocateMisses, 2);
    ExFreeToNPagedLookasideList(&GlobalList, a);
    ExFreeToNPagedLookasideList(&GlobalList, b);
    CHECK_EQ(Cached((PGENERAL_LOOKASIDE_POOL)L), 2);
    CHECK_EQ(L->TotalFrees, 2);
    CHECK_EQ(L->FreeMisses, 0);
    /* LIFO: the last entry freed is the next one allocated. */
    CHECK(ExAllocateFromNPagedLookasideList(&GlobalList) == b);
    CHECK(ExAllocateFromNPagedLookasideList(&GlobalList) == a);
    CHECK_EQ(L->AllocateMisses, 2);
    CHECK_EQ(L->TotalAllocates, 4);
    /* Only the link (the first pointer) is the list's while an entry is cached. */
    for (i = sizeof(PVOID); i < ENTRY_SIZE; i++)
        if (a[i] != 0x11 || b[i] != 0x22)
            break;
    CHECK_EQ(i, ENTRY_SIZE);
    /* With the default routines an entry is a pool block with the list's tag. */
    c = ExAllocateFromNPagedLookasideList(&GlobalList);
    CHECK(c != NULL);
    if (c != NULL)
        ExFreePoolWithTag(c, TAG);
    ExFreeToNPagedLookasideList(&GlobalList, a);
    ExFreeToNPagedLookasideList(&GlobalList, b);
    /* At DISPATCH_LEVEL, hits and misses alike. */
    {
        KIRQL old;
        PVOID e[8];
        KeRaiseIrql(DISPATCH_LEVEL, &old);
        for (i = 0; i < 8; i++)
            e[i] = ExAllocateFromNPagedLookasideList(&GlobalList);
        for (i = 0; i < 8; i++)
            if (e[i] != NULL)
                ExFreeToNPagedLookasideList(&GlobalList, e[i]);
        KeLowerIrql(old);
        for (i = 0; i < 8; i++)
            CHECK(e[i] != NULL);
    }
    ExDeleteNPagedLookasideList(&GlobalList);
    /* A deleted list may be initialized again (here with a paged pool type: Flags). */
    ExInitializeNPagedLookasideList(&GlobalList, NULL, NULL, POOL_RAISE_IF_ALLOCATION_FAILURE,
                                    ENTRY_SIZE, TAG, 0);
    CHECK_EQ(L->Type, NonPagedPool | POOL_RAISE_IF_ALLOCATION_FAILURE);
    ExDeleteNPagedLookasideList(&GlobalList);
}

/* ---- 3. counters after a known sequence ---- */

static void TestCounters(void)
{
    NPAGED_LOOKASIDE_LIST list;
    PGENERAL_LOOKASIDE L = &list.L;
    PVOID e[16];
    ULONG depth, i, n;

    ResetCounts();
    ExInitializeNPagedLookasideList(&list, CountingAllocate, CountingFree, 0, ENTRY_SIZE, TAG, 0);
    CHECK(L->Allocate == CountingAllocate);
    CHECK(L->Free == CountingFree);
    depth = L->Depth;
    CHECK(depth >= 4 && depth <= 8);
    n = depth + 2;
    /* n allocations from an empty list: all misses, each one call of Allocate. */
    for (i = 0; i < n; i++)
        e[i] = ExAllocateFromNPagedLookasideList(&list);
    CHECK_EQ(L->TotalAllocates, n);
    CHECK_EQ(L->AllocateMisses, n);
    CHECK_EQ(AllocCalls, n);
    CHECK_EQ(SeenType, NonPagedPool);
    CHECK_EQ(SeenSize, ENTRY_SIZE);
    CHECK_EQ(SeenTag, TAG);
    CHECK_EQ(FreeCalls, 0);
    /* n frees: depth are kept, the two beyond go to Free. */
    for (i = 0; i < n; i++)
        ExFreeToNPagedLookasideList(&list, e[i]);
    CHECK_EQ(L->TotalFrees, n);
    CHECK_EQ(L->FreeMisses, 2);
    CHECK_EQ(FreeCalls, 2);
    CHECK_EQ(Cached((PGENERAL_LOOKASIDE_POOL)L), depth);
    CHECK_EQ(L->Depth, depth);
    /* depth hits, then one miss. */
    for (i = 0; i < depth + 1; i++)
        e[i] = ExAllocateFromNPagedLookasideList(&list);
    CHECK_EQ(L->TotalAllocates, n + depth + 1);
    CHECK_EQ(L->AllocateMisses, n + 1);
    CHECK_EQ(AllocCalls, n + 1);
    CHECK_EQ(Cached((PGENERAL_LOOKASIDE_POOL)L), 0);
    for (i = 0; i < depth + 1; i++)
        ExFreeToNPagedLookasideList(&list, e[i]);
    CHECK_EQ(L->TotalFrees, n + depth + 1);
    CHECK_EQ(L->FreeMisses, 3);
    CHECK_EQ(FreeCalls, 3);
    /* A failing Allocate: NULL, counted as a miss. */
    for (i = 0; i < depth; i++)
        e[i] = ExAllocateFromNPagedLookasideList(&list);
    FailAllocations = 1;
    CHECK(ExAllocateFromNPagedLookasideList(&list) == NULL);
    FailAllocations = 0;
    CHECK_EQ(L->AllocateMisses, n + 2);
    CHECK_EQ(AllocCalls, n + 1);
    for (i = 0; i < depth; i++)
        ExFreeToNPagedLookasideList(&list, e[i]);
    /* Delete frees what is cached, through Free. */
    ExDeleteNPagedLookasideList(&list);
    CHECK_EQ(FreeCalls, AllocCalls);
}

/* ---- 4. paged lists ---- */

static void TestPaged(void)
{
    PAGED_LOOKASIDE_LIST list;
    PVOID a, b;
    ResetCounts();
    ExInitializePagedLookasideList(&list, CountingAllocate, CountingFree, 0, 100, TAG, 0);
    CHECK_EQ(list.L.Type, PagedPool);
    a = ExAllocateFromPagedLookasideList(&list);
    CHECK(a != NULL);
    CHECK_EQ(SeenType, PagedPool);
    CHECK_EQ(SeenSize, 100);
    ExFreeToPagedLookasideList(&list, a);
    b = ExAllocateFromPagedLookasideList(&list);
    CHECK(b == a);
    CHECK_EQ(AllocCalls, 1);
    ExFreeToPagedLookasideList(&list, b);
    ExDeletePagedLookasideList(&list);
    CHECK_EQ(FreeCalls, 1);

    /* Default routines: paged pool with the tag. */
    ExInitializePagedLookasideList(&list, NULL, NULL, 0, 24, TAG, 0);
    a = ExAllocateFromPagedLookasideList(&list);
    CHECK(a != NULL);
    if (a != NULL) {
        memset(a, 0x5A, 24);
        ExFreeToPagedLookasideList(&list, a);
    }
    CHECK(ExAllocateFromPagedLookasideList(&list) == a);
    ExFreeToPagedLookasideList(&list, a);
    ExDeletePagedLookasideList(&list);
}

/* ---- 5. LOOKASIDE_LIST_EX ---- */

static void TestListEx(void)
{
    LOOKASIDE_LIST_EX list;
    MY_PRIVATE_DATA *ctx;
    PVOID e[8];
    ULONG i, depth;

    /* Parameter checks. */
    CHECK_STATUS(ExInitializeLookasideListEx(&list, NULL, NULL, NonPagedPool,
                                             EX_LOOKASIDE_LIST_EX_FLAGS_RAISE_ON_FAIL |
                                                 EX_LOOKASIDE_LIST_EX_FLAGS_FAIL_NO_RAISE,
                                             ENTRY_SIZE, TAG, 0),
                 STATUS_INVALID_PARAMETER_5);
    CHECK_STATUS(ExInitializeLookasideListEx(&list, NULL, NULL, NonPagedPool, 0x100, ENTRY_SIZE,
                                             TAG, 0),
                 STATUS_INVALID_PARAMETER_5);
    CHECK_STATUS(ExInitializeLookasideListEx(&list, NULL, NULL, DontUseThisType, 0, ENTRY_SIZE,
                                             TAG, 0),
                 STATUS_INVALID_PARAMETER_4);
    CHECK_STATUS(ExInitializeLookasideListEx(&list, NULL, NULL, NonPagedPoolMustSucceed, 0,
                                             ENTRY_SIZE, TAG, 0),
                 STATUS_INVALID_PARAMETER_4);

    /* Default routines, nonpaged NX pool. */
    CHECK_STATUS(ExInitializeLookasideListEx(&list, NULL, NULL, NonPagedPoolNx, 0, ENTRY_SIZE,
                                             TAG, 0),
                 STATUS_SUCCESS);
    CHECK_EQ(list.L.Type, NonPagedPoolNx);
    CHECK(list.L.AllocateEx != NULL && list.L.FreeEx != NULL);
    e[0] = ExAllocateFromLookasideListEx(&list);
    e[1] = ExAllocateFromLookasideListEx(&list);
    CHECK(e[0] != NULL && e[1] != NULL);
    ExFreeToLookasideListEx(&list, e[0]);
    ExFreeToLookasideListEx(&list, e[1]);
    CHECK(ExAllocateFromLookasideListEx(&list) == e[1]);
    CHECK(ExAllocateFromLookasideListEx(&list) == e[0]);
    ExFreeToLookasideListEx(&list, e[1]);
    ExFreeToLookasideListEx(&list, e[0]);
    CHECK_EQ(list.L.TotalAllocates, 4);
    CHECK_EQ(list.L.AllocateMisses, 2);
    CHECK_EQ(list.L.TotalFrees, 4);
    CHECK_EQ(list.L.FreeMisses, 0);
    ExDeleteLookasideListEx(&list);

    /* Private data reached from the callbacks, which receive the list. */
    ctx = ExAllocatePoolWithTag(NonPagedPool, sizeof(*ctx), TAG);
    CHECK(ctx != NULL);
    if (ctx == NULL)
        return;
    RtlZeroMemory(ctx, sizeof(*ctx));
    CHECK_STATUS(ExInitializeLookasideListEx(&ctx->LookasideField, PrivateAllocateEx,
                                             PrivateFreeEx, NonPagedPool,
                                             EX_LOOKASIDE_LIST_EX_FLAGS_RAISE_ON_FAIL,
                                             ENTRY_SIZE, TAG, 0),
                 STATUS_SUCCESS);
    CHECK(ctx->LookasideField.L.AllocateEx == PrivateAllocateEx);
    depth = ctx->LookasideField.L.Depth;
    CHECK(depth >= 4 && depth < 8);
    for (i = 0; i < 8; i++)
        e[i] = ExAllocateFromLookasideListEx(&ctx->LookasideField);
    CHECK_EQ(ctx->NumberOfAllocations, 8);
    CHECK(ctx->SeenLookaside == &ctx->LookasideField);
    /* The flag reaches Allocate as a PoolType modifier. */
    CHECK_EQ(ctx->SeenType, NonPagedPool | POOL_RAISE_IF_ALLOCATION_FAILURE);
    for (i = 0; i < 8; i++)
        ExFreeToLookasideListEx(&ctx->LookasideField, e[i]);
    CHECK_EQ(ctx->NumberOfFrees, 8 - depth);
    CHECK_EQ(ctx->LookasideField.L.FreeMisses, 8 - depth);
    CHECK_EQ(Cached(&ctx->LookasideField.L), depth);
    /* Flush: "the lookaside list is empty and the allocated storage for all its entries has been
     * freed"; the list stays usable. */
    ExFlushLookasideListEx(&ctx->LookasideField);
    CHECK_EQ(ctx->NumberOfFrees, 8);
    CHECK_EQ(Cached(&ctx->LookasideField.L), 0);
    e[0] = ExAllocateFromLookasideListEx(&ctx->LookasideField);
    CHECK(e[0] != NULL);
    CHECK_EQ(ctx->NumberOfAllocations, 9);
    CHECK_EQ(ctx->LookasideField.L.AllocateMisses, 9);
    ExFreeToLookasideListEx(&ctx->LookasideField, e[0]);
    ExDeleteLookasideListEx(&ctx->LookasideField);
    CHECK_EQ(ctx->NumberOfFrees, 9);

    /* FAIL_NO_RAISE: the quota modifier. Paged entries. */
    RtlZeroMemory(ctx, sizeof(*ctx));
    CHECK_STATUS(ExInitializeLookasideListEx(&ctx->LookasideField, PrivateAllocateEx,
                                             PrivateFreeEx, PagedPool,
                                             EX_LOOKASIDE_LIST_EX_FLAGS_FAIL_NO_RAISE, 32, TAG, 0),
                 STATUS_SUCCESS);
    e[0] = ExAllocateFromLookasideListEx(&ctx->LookasideField);
    CHECK(e[0] != NULL);
    CHECK_EQ(ctx->SeenType, PagedPool | POOL_QUOTA_FAIL_INSTEAD_OF_RAISE);
    ExFreeToLookasideListEx(&ctx->LookasideField, e[0]);
    ExDeleteLookasideListEx(&ctx->LookasideField);
    CHECK_EQ(ctx->NumberOfFrees, 1);
    ExFreePoolWithTag(ctx, TAG);
}

/* ---- 6. Depth tuning and its bounds ---- */

#define BURST 64

static void TestDepthTuning(void)
{
    static PVOID e[BURST];
    NPAGED_LOOKASIDE_LIST list;
    PGENERAL_LOOKASIDE L = &list.L;
    ULONG round, i, misses = 0, depth, before, freesBefore;
    BOOLEAN bounded = TRUE;

    ResetCounts();
    ExInitializeNPagedLookasideList(&list, CountingAllocate, CountingFree, 0, ENTRY_SIZE, TAG, 0);
    /* A working set of 64 entries: the system raises Depth until the list satisfies it. */
    for (round = 0; round < 50; round++) {
        ULONG start = L->AllocateMisses;
        for (i = 0; i < BURST; i++)
            e[i] = ExAllocateFromNPagedLookasideList(&list);
        for (i = 0; i < BURST; i++)
            ExFreeToNPagedLookasideList(&list, e[i]);
        misses = L->AllocateMisses - start;
        if (L->Depth < 4 || L->Depth > L->MaximumDepth || Cached((PGENERAL_LOOKASIDE_POOL)L) >
                                                              L->Depth)
            bounded = FALSE;
    }
    CHECK(bounded);
    CHECK_EQ(misses, 0);
    CHECK(L->Depth >= BURST);
    CHECK(L->Depth <= L->MaximumDepth);
    CHECK_EQ(Cached((PGENERAL_LOOKASIDE_POOL)L), BURST);
    CHECK_EQ(AllocCalls, L->AllocateMisses);
    CHECK_EQ(AllocCalls - FreeCalls, BURST);
    DbgPrint("kmtest_lookaside: a working set of %u entries: Depth %u (maximum %u) after %u "
             "allocations, %u misses\n", BURST, L->Depth, L->MaximumDepth, L->TotalAllocates,
             L->AllocateMisses);

    /* Idle (fewer than 256 allocations a second): Depth falls, surplus entries are freed. */
    for (round = 0; round < 3; round++) {
        ULONG allocsBefore = AllocCalls, cachedBefore = Cached((PGENERAL_LOOKASIDE_POOL)L);
        before = L->Depth;
        freesBefore = FreeCalls;
        CHECK_STATUS(KmtDelay(KMT_MS(1100)), STATUS_SUCCESS);
        for (i = 0; i < 256; i++)
            ExFreeToNPagedLookasideList(&list, ExAllocateFromNPagedLookasideList(&list));
        depth = L->Depth;
        CHECK(depth < before);
        CHECK(depth >= 4);
        CHECK(Cached((PGENERAL_LOOKASIDE_POOL)L) <= depth);
        /* All hits; the surplus given back went through Free. */
        CHECK_EQ(AllocCalls, allocsBefore);
        CHECK_EQ(FreeCalls - freesBefore, cachedBefore - Cached((PGENERAL_LOOKASIDE_POOL)L));
        DbgPrint("kmtest_lookaside: idle period %u: Depth %u -> %u, %u cached\n", round, before,
                 depth, Cached((PGENERAL_LOOKASIDE_POOL)L));
    }
    CHECK_EQ(AllocCalls - FreeCalls, Cached((PGENERAL_LOOKASIDE_POOL)L));
    ExDeleteNPagedLookasideList(&list);
    CHECK_EQ(AllocCalls, FreeCalls);
}

/* ---- 7. several system threads on one list ---- */

#define THREADS 4
#define ITERATIONS 20000

typedef struct {
    PVOID Link;            /* the list's while cached */
    volatile LONG64 Owner; /* who holds the entry: 0 nobody */
    ULONG Stamp[12];
} TEST_ENTRY;

static NPAGED_LOOKASIDE_LIST SharedList;
static LOOKASIDE_LIST_EX SharedListEx;
static volatile LONG Duplicates, Corrupted, NullEntries, ThreadAllocations;
static volatile LONG ExAllocCalls, ExFreeCalls;

static PVOID NTAPI SharedAllocateEx(POOL_TYPE PoolType, SIZE_T NumberOfBytes, ULONG Tag,
                                    PLOOKASIDE_LIST_EX Lookaside)
{
    TEST_ENTRY *Entry = ExAllocatePoolWithTag(PoolType, NumberOfBytes, Tag);
    if (Lookaside != &SharedListEx)
        InterlockedIncrement(&Corrupted);
    if (Entry != NULL) {
        Entry->Owner = 0;
        InterlockedIncrement(&ExAllocCalls);
    }
    return Entry;
}

static VOID NTAPI SharedFreeEx(PVOID Buffer, PLOOKASIDE_LIST_EX Lookaside)
{
    UNREFERENCED_PARAMETER(Lookaside);
    InterlockedIncrement(&ExFreeCalls);
    ExFreePool(Buffer);
}

static PVOID NTAPI SharedAllocate(POOL_TYPE PoolType, SIZE_T NumberOfBytes, ULONG Tag)
{
    TEST_ENTRY *Entry = CountingAllocate(PoolType, NumberOfBytes, Tag);
    if (Entry != NULL)
        Entry->Owner = 0;
    return Entry;
}

static VOID Hammer(PVOID Context)
{
    LONG64 me = (LONG64)(ULONG_PTR)Context;
    TEST_ENTRY *held[8];
    ULONG i, k, n, s;

    for (i = 0; i < ITERATIONS; i++) {
        BOOLEAN ex = (i & 1) != 0;
        KIRQL old = PASSIVE_LEVEL;
        n = 1 + (i * 7 + (ULONG)me) % 8;
        if ((i & 3) == 2)
            KeRaiseIrql(DISPATCH_LEVEL, &old);
        for (k = 0; k < n; k++) {
            TEST_ENTRY *e = ex ? ExAllocateFromLookasideListEx(&SharedListEx)
                               : ExAllocateFromNPagedLookasideList(&SharedList);
            held[k] = e;
            if (e == NULL) {
                InterlockedIncrement(&NullEntries);
                continue;
            }
            InterlockedIncrement(&ThreadAllocations);
            /* An entry handed to two holders at once would already be owned. */
            if (InterlockedCompareExchange64(&e->Owner, me, 0) != 0)
                InterlockedIncrement(&Duplicates);
            for (s = 0; s < 12; s++)
                e->Stamp[s] = (ULONG)me * 1000003u + i + s;
        }
        for (k = 0; k < n; k++) {
            TEST_ENTRY *e = held[k];
            if (e == NULL)
                continue;
            for (s = 0; s < 12; s++)
                if (e->Stamp[s] != (ULONG)me * 1000003u + i + s)
                    break;
            if (s != 12 || e->Owner != me)
                InterlockedIncrement(&Corrupted);
            e->Owner = 0;
            if (ex)
                ExFreeToLookasideListEx(&SharedListEx, e);
            else
                ExFreeToNPagedLookasideList(&SharedList, e);
        }
        if ((i & 3) == 2)
            KeLowerIrql(old);
    }
}

static void TestConcurrent(void)
{
    PKTHREAD threads[THREADS];
    ULONG i;
    ULONG64 total;

    ResetCounts();
    Duplicates = Corrupted = NullEntries = ThreadAllocations = 0;
    ExAllocCalls = ExFreeCalls = 0;
    ExInitializeNPagedLookasideList(&SharedList, SharedAllocate, CountingFree, 0,
                                    sizeof(TEST_ENTRY), TAG, 0);
    CHECK_STATUS(ExInitializeLookasideListEx(&SharedListEx, SharedAllocateEx, SharedFreeEx,
                                             NonPagedPool, 0, sizeof(TEST_ENTRY), TAG, 0),
                 STATUS_SUCCESS);
    for (i = 0; i < THREADS; i++)
        threads[i] = KmtStartThread(Hammer, (PVOID)(ULONG_PTR)(i + 1));
    for (i = 0; i < THREADS; i++)
        KmtJoinThread(threads[i]);
    CHECK_EQ(Duplicates, 0);
    CHECK_EQ(Corrupted, 0);
    CHECK_EQ(NullEntries, 0);
    /* No allocation or free lost: the counters are exact, and every entry Allocate made is
     * either cached or was given to Free. */
    total = (ULONG64)SharedList.L.TotalAllocates + SharedListEx.L.TotalAllocates;
    CHECK_EQ(total, ThreadAllocations);
    CHECK_EQ(SharedList.L.TotalFrees, SharedList.L.TotalAllocates);
    CHECK_EQ(SharedListEx.L.TotalFrees, SharedListEx.L.TotalAllocates);
    CHECK_EQ(SharedList.L.AllocateMisses, AllocCalls);
    CHECK_EQ(SharedListEx.L.AllocateMisses, ExAllocCalls);
    CHECK(SharedList.L.FreeMisses <= (ULONG)FreeCalls);
    CHECK(SharedListEx.L.FreeMisses <= (ULONG)ExFreeCalls);
    CHECK_EQ(AllocCalls - FreeCalls, Cached((PGENERAL_LOOKASIDE_POOL)&SharedList.L));
    CHECK_EQ(ExAllocCalls - ExFreeCalls, Cached(&SharedListEx.L));
    CHECK(SharedList.L.Depth >= 4 && SharedList.L.Depth <= SharedList.L.MaximumDepth);
    CHECK(SharedListEx.L.Depth >= 4 && SharedListEx.L.Depth <= SharedListEx.L.MaximumDepth);
    DbgPrint("kmtest_lookaside: %d threads, %lu allocations: %u and %u misses, Depth %u and %u\n",
             THREADS, (unsigned long)total, SharedList.L.AllocateMisses,
             SharedListEx.L.AllocateMisses, SharedList.L.Depth, SharedListEx.L.Depth);
    ExDeleteNPagedLookasideList(&SharedList);
    ExDeleteLookasideListEx(&SharedListEx);
    CHECK_EQ(AllocCalls, FreeCalls);
    CHECK_EQ(ExAllocCalls, ExFreeCalls);
}

/* ---- 8. one list, one thread after another ----
 * A list used by one thread, then by another, then by the first again (also long enough for a
 * list one thread uses alone to become that thread's again), then flushed and deleted by a third:
 * every entry comes back in LIFO order whichever thread freed it, and the counters and the
 * cached count stay exact at each step (a list changes hands without losing either). */

typedef struct {
    PNPAGED_LOOKASIDE_LIST List;
    PLOOKASIDE_LIST_EX ListEx;
    PVOID Got[2];  /* from the classic list, freed in the order 1, 0 */
    PVOID GotEx;   /* from the Ex list */
    BOOLEAN Flush;
} HANDOFF;

static VOID HandOffThread(PVOID Context)
{
    HANDOFF *h = Context;
    if (h->Flush) {
        ExFlushLookasideListEx(h->ListEx);
        return;
    }
    h->Got[0] = ExAllocateFromNPagedLookasideList(h->List);
    h->Got[1] = ExAllocateFromNPagedLookasideList(h->List);
    ExFreeToNPagedLookasideList(h->List, h->Got[1]);
    ExFreeToNPagedLookasideList(h->List, h->Got[0]);
    h->GotEx = ExAllocateFromLookasideListEx(h->ListEx);
    ExFreeToLookasideListEx(h->ListEx, h->GotEx);
}

static void RunHandOff(HANDOFF *h)
{
    KmtJoinThread(KmtStartThread(HandOffThread, h));
}

static void TestHandOff(void)
{
    NPAGED_LOOKASIDE_LIST list;
    MY_PRIVATE_DATA *ctx = ExAllocatePoolZero(NonPagedPool, sizeof(*ctx), TAG);
    PGENERAL_LOOKASIDE L = &list.L;
    PGENERAL_LOOKASIDE_POOL Lx;
    HANDOFF h;
    PVOID a, b, c, again;
    ULONG round;

    CHECK(ctx != NULL);
    if (ctx == NULL)
        return;
    Lx = &ctx->LookasideField.L;
    ResetCounts();
    ExInitializeNPagedLookasideList(&list, CountingAllocate, CountingFree, 0, ENTRY_SIZE, TAG, 0);
    CHECK_STATUS(ExInitializeLookasideListEx(&ctx->LookasideField, PrivateAllocateEx,
                                             PrivateFreeEx, NonPagedPool, 0, ENTRY_SIZE, TAG, 0),
                 STATUS_SUCCESS);
    memset(&h, 0, sizeof(h));
    h.List = &list;
    h.ListEx = &ctx->LookasideField;

    /* This thread first: two misses, both cached. */
    a = ExAllocateFromNPagedLookasideList(&list);
    b = ExAllocateFromNPagedLookasideList(&list);
    ExFreeToNPagedLookasideList(&list, a);
    ExFreeToNPagedLookasideList(&list, b);
    c = ExAllocateFromLookasideListEx(&ctx->LookasideField);
    ExFreeToLookasideListEx(&ctx->LookasideField, c);
    CHECK_EQ(L->TotalAllocates, 2);
    CHECK_EQ(L->AllocateMisses, 2);
    CHECK_EQ(L->TotalFrees, 2);
    CHECK_EQ(Cached((PGENERAL_LOOKASIDE_POOL)L), 2);

    /* Then other threads, then this one again, a few times over. */
    for (round = 0; round < 3; round++) {
        RunHandOff(&h);
        CHECK(h.GotEx == c); /* the Ex list's one entry, freed by this thread */
        CHECK(h.Got[0] == b && h.Got[1] == a); /* newest first, as this thread freed them */
        CHECK_EQ(L->TotalAllocates, 4 + 4 * round);
        CHECK_EQ(L->AllocateMisses, 2);
        CHECK_EQ(L->TotalFrees, 4 + 4 * round);
        CHECK_EQ(L->FreeMisses, 0);
        CHECK_EQ(Cached((PGENERAL_LOOKASIDE_POOL)L), 2);
        /* The other thread freed Got[1], then Got[0]: Got[0] comes out first. */
        again = ExAllocateFromNPagedLookasideList(&list);
        CHECK(again == h.Got[0]);
        ExFreeToNPagedLookasideList(&list, again);
        CHECK(ExAllocateFromNPagedLookasideList(&list) == again); /* LIFO on this thread too */
        ExFreeToNPagedLookasideList(&list, again);
        CHECK_EQ(L->TotalAllocates, 6 + 4 * round);
        CHECK_EQ(L->TotalFrees, 6 + 4 * round);
        CHECK_EQ(Cached((PGENERAL_LOOKASIDE_POOL)L), 2);
    }
    /* This thread alone for a while (a shared list one thread uses becomes its own again),
     * then another thread once more. */
    for (round = 0; round < 3 * 256; round++) {
        again = ExAllocateFromNPagedLookasideList(&list);
        CHECK(again == h.Got[0]);
        ExFreeToNPagedLookasideList(&list, again);
    }
    CHECK_EQ(L->TotalAllocates, 14 + 3 * 256);
    CHECK_EQ(L->TotalFrees, 14 + 3 * 256);
    RunHandOff(&h);
    CHECK(h.Got[0] == b && h.Got[1] == a);
    CHECK_EQ(L->TotalAllocates, 16 + 3 * 256);
    CHECK_EQ(L->TotalFrees, 16 + 3 * 256);
    CHECK_EQ(L->AllocateMisses, 2);
    CHECK_EQ(Cached((PGENERAL_LOOKASIDE_POOL)L), 2);
    CHECK_EQ(AllocCalls, 2);
    CHECK_EQ(FreeCalls, 0);
    CHECK_EQ(Lx->TotalAllocates, 5);
    CHECK_EQ(Lx->TotalFrees, 5);
    CHECK_EQ(Lx->AllocateMisses, 1);
    CHECK_EQ(Cached(Lx), 1);

    /* A third thread flushes the Ex list: its entry goes to the Free routine. */
    h.Flush = TRUE;
    RunHandOff(&h);
    CHECK_EQ(Cached(Lx), 0);
    CHECK_EQ(ctx->NumberOfFrees, 1);
    c = ExAllocateFromLookasideListEx(&ctx->LookasideField);
    CHECK(c != NULL);
    CHECK_EQ(Lx->AllocateMisses, 2);
    CHECK_EQ(ctx->NumberOfAllocations, 2);
    ExFreeToLookasideListEx(&ctx->LookasideField, c);
    ExDeleteLookasideListEx(&ctx->LookasideField);
    CHECK_EQ(ctx->NumberOfFrees, 2);
    ExDeleteNPagedLookasideList(&list);
    CHECK_EQ(FreeCalls, 2);
    ExFreePoolWithTag(ctx, TAG);
}

static VOID Unload(PDRIVER_OBJECT DriverObject)
{
    UNREFERENCED_PARAMETER(DriverObject);
    DbgPrint("kmtest_lookaside: unload\n");
}

NTSTATUS DriverEntry(PDRIVER_OBJECT DriverObject, PUNICODE_STRING RegistryPath)
{
    UNREFERENCED_PARAMETER(RegistryPath);
    DriverObject->DriverUnload = Unload;
    KMT_RUN("kmtest_lookaside", TestLayout());
    KMT_RUN("kmtest_lookaside", TestInitializeAndRoundTrip());
    KMT_RUN("kmtest_lookaside", TestCounters());
    KMT_RUN("kmtest_lookaside", TestPaged());
    KMT_RUN("kmtest_lookaside", TestListEx());
    KMT_RUN("kmtest_lookaside", TestDepthTuning());
    KMT_RUN("kmtest_lookaside", TestConcurrent());
    KMT_RUN("kmtest_lookaside", TestHandOff());
    return KmtFinish("kmtest_lookaside");
}
