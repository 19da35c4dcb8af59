/* kmtest_pool: the pool's per-tag counters (NtkQueryPoolTag, NtkQueryPoolTags, what --poolmon
 * prints) and the special pool seen from a driver: where a block sits in its page, the guard
 * pages around it, its page gone after the free, what stays in the normal pool, and several
 * threads at once. Built twice: kmtest_pool, and kmtest_pool_special (SPECIAL_ALL) which runs
 * under --special-pool for itself, so that plain ExAllocatePoolWithTag calls are special too.
 *     ntk run [--cpus N] [--special-pool kmtest_pool_special] --driver kmtest_pool[_special].so */
#include "../ke/kmtest_ke.h"
#include <ntk/ntkpool.h>

#define TAG_STATS 'tsPK'   /* "KPst" */
#define TAG_PAGED 'gpPK'   /* "KPpg" */
#define TAG_SPECIAL 'psPK' /* "KPsp" */
#define TAG_RACE 'crPK'    /* "KPrc" */
#define TAG_NEVER 'vnPK'   /* "KPnv": never allocated */
#define TAG_POOLMON 'mpPK' /* "KPpm": left for --poolmon to show */
#define TAG_LIST 'tlPK'    /* "KPlt" */

static PVOID PoolMonBlocks[3];

static BOOLEAN Valid(const VOID *Address)
{
    return MmIsAddressValid((PVOID)Address);
}

/* A block the special pool placed: alone on its page, inaccessible pages on both sides. */
static BOOLEAN IsSpecial(const VOID *Block)
{
    PUCHAR Page = PAGE_ALIGN(Block);
    return Valid(Page) && !Valid(Page - 1) && !Valid(Page + PAGE_SIZE);
}

static void TestCounters(void)
{
    NTK_POOL_TAG_INFO Info;
    PVOID A, B, C, P;

    CHECK_STATUS(NtkQueryPoolTag(TAG_NEVER, &Info), STATUS_NOT_FOUND);
    CHECK_STATUS(NtkQueryPoolTag(TAG_STATS, NULL), STATUS_INVALID_PARAMETER);

    A = ExAllocatePool2(POOL_FLAG_NON_PAGED, 100, TAG_STATS);
    B = ExAllocatePool2(POOL_FLAG_NON_PAGED, 200, TAG_STATS);
    C = ExAllocatePoolWithTag(NonPagedPoolNx, 300, TAG_STATS);
    P = ExAllocatePool2(POOL_FLAG_PAGED, 50, TAG_STATS);
    CHECK(A && B && C && P);
    CHECK_STATUS(NtkQueryPoolTag(TAG_STATS, &Info), STATUS_SUCCESS);
    CHECK_EQ(Info.Tag, TAG_STATS);
    CHECK_EQ(Info.NonPagedAllocs, 3);
    CHECK_EQ(Info.NonPagedFrees, 0);
    CHECK_EQ(Info.NonPagedBytes, 600);
    CHECK_EQ(Info.NonPagedPeak, 600);
    CHECK_EQ(Info.PagedAllocs, 1);
    CHECK_EQ(Info.PagedBytes, 50);
    CHECK_EQ(Info.PagedPeak, 50);

    ExFreePoolWithTag(B, TAG_STATS);
    CHECK_STATUS(NtkQueryPoolTag(TAG_STATS, &Info), STATUS_SUCCESS);
    CHECK_EQ(Info.NonPagedFrees, 1);
    CHECK_EQ(Info.NonPagedBytes, 400);
    CHECK_EQ(Info.NonPagedPeak, 600); /* the peak stays */

    B = ExAllocatePool2(POOL_FLAG_NON_PAGED, 150, TAG_STATS);
    CHECK_STATUS(NtkQueryPoolTag(TAG_STATS, &Info), STATUS_SUCCESS);
    CHECK_EQ(Info.NonPagedAllocs, 4);
    CHECK_EQ(Info.NonPagedBytes, 550);
    CHECK_EQ(Info.NonPagedPeak, 600);

    ExFreePool(A);
    ExFreePoolWithTag(B, TAG_STATS);
    ExFreePool2(C, TAG_STATS, NULL, 0);
    ExFreePoolWithTag(P, TAG_STATS);
    CHECK_STATUS(NtkQueryPoolTag(TAG_STATS, &Info), STATUS_SUCCESS);
    CHECK_EQ(Info.NonPagedAllocs, 4);
    CHECK_EQ(Info.NonPagedFrees, 4);
    CHECK_EQ(Info.NonPagedBytes, 0);
    CHECK_EQ(Info.NonPagedPeak, 600);
    CHECK_EQ(Info.PagedFrees, 1);
    CHECK_EQ(Info.PagedBytes, 0);

    /* The protected-tag bit does not make another tag. */
    CHECK_STATUS(NtkQueryPoolTag(TAG_STATS | 0x80000000u, &Info), STATUS_SUCCESS);
    CHECK_EQ(Info.NonPagedAllocs, 4);

    /* Paged only: the non-paged counters stay zero. */
    P = ExAllocatePool2(POOL_FLAG_PAGED, 4096 * 3, TAG_PAGED);
    CHECK(P != NULL);
    CHECK_STATUS(NtkQueryPoolTag(TAG_PAGED, &Info), STATUS_SUCCESS);
    CHECK_EQ(Info.PagedAllocs, 1);
    CHECK_EQ(Info.PagedBytes, 4096 * 3);
    CHECK_EQ(Info.NonPagedAllocs, 0);
    ExFreePool(P);
}

static void TestTagList(void)
{
    NTK_POOL_TAG_INFO *List;
    ULONG Count = 0, Again = 0, i;
    BOOLEAN Found = FALSE;

    CHECK_STATUS(NtkQueryPoolTags(NULL, 0, NULL), STATUS_INVALID_PARAMETER);
    CHECK_STATUS(NtkQueryPoolTags(NULL, 0, &Count), STATUS_BUFFER_TOO_SMALL);
    CHECK(Count >= 2); /* this test's tags, the kernel's own */
    List = ExAllocatePool2(POOL_FLAG_NON_PAGED, (Count + 8) * sizeof(*List), TAG_LIST);
    CHECK(List != NULL);
    if (List == NULL)
        return;
    CHECK_STATUS(NtkQueryPoolTags(List, Count + 8, &Again), STATUS_SUCCESS);
    CHECK(Again >= Count);
    for (i = 0; i < Again && i < Count + 8; i++)
        Found |= List[i].Tag == TAG_PAGED && List[i].PagedAllocs == 1;
    CHECK(Found);
    /* One entry fewer than needed: the first ones are filled, the count says how many. */
    CHECK_STATUS(NtkQueryPoolTags(List, Again - 1, &Count), STATUS_BUFFER_TOO_SMALL);
    CHECK(Count >= Again);
    ExFreePoolWithTag(List, TAG_LIST);
}

static void TestSpecialPlacement(void)
{
    PUCHAR Block, Start;
    NTK_POOL_TAG_INFO Before = { 0 }, After;
    ULONG i;
    BOOLEAN Zero = TRUE;

    (void)NtkQueryPoolTag(TAG_SPECIAL, &Before);
    /* POOL_FLAG_SPECIAL_POOL asks for it whatever ntk run was told. Verify End: the block ends
     * at the end of its page, 16-byte aligned. */
    Block = ExAllocatePool2(POOL_FLAG_NON_PAGED | POOL_FLAG_SPECIAL_POOL, 13, TAG_SPECIAL);
    CHECK(Block != NULL);
    if (Block == NULL)
        return;
    CHECK(IsSpecial(Block));
    CHECK_EQ((ULONG_PTR)Block & 15, 0);
    CHECK_EQ(BYTE_OFFSET(Block), (PAGE_SIZE - 13) & ~15u);
    for (i = 0; i < 13; i++)
        Zero &= Block[i] == 0; /* ExAllocatePool2 zeroes, in the special pool too */
    CHECK(Zero);
    memset(Block, 0x7E, 13);
    CHECK_STATUS(NtkQueryPoolTag(TAG_SPECIAL, &After), STATUS_SUCCESS);
    CHECK_EQ(After.NonPagedAllocs, (Before.Tag ? Before.NonPagedAllocs : 0) + 1);
    CHECK_EQ(After.NonPagedBytes, (Before.Tag ? Before.NonPagedBytes : 0) + 13);
    ExFreePoolWithTag(Block, TAG_SPECIAL);
    CHECK(!Valid(Block)); /* the freed page is gone */
    CHECK_STATUS(NtkQueryPoolTag(TAG_SPECIAL, &After), STATUS_SUCCESS);
    CHECK_EQ(After.NonPagedBytes, Before.Tag ? Before.NonPagedBytes : 0);

    /* A page-multiple block ends exactly at the guard page. */
    Block = ExAllocatePool2(POOL_FLAG_PAGED | POOL_FLAG_SPECIAL_POOL, 64, TAG_SPECIAL);
    CHECK(Block && IsSpecial(Block) && BYTE_OFFSET(Block + 64) == 0);
    if (Block)
        ExFreePool(Block);

    /* A page or more is never special. */
    Block = ExAllocatePool2(POOL_FLAG_NON_PAGED | POOL_FLAG_SPECIAL_POOL, PAGE_SIZE, TAG_SPECIAL);
    CHECK(Block != NULL);
    if (Block) {
        CHECK(!IsSpecial(Block) || Valid(Block + PAGE_SIZE));
        memset(Block, 1, PAGE_SIZE);
        ExFreePool(Block);
    }

    /* Freed pages are not reused at once: a hundred blocks, all on different pages. */
    Start = ExAllocatePool2(POOL_FLAG_NON_PAGED | POOL_FLAG_SPECIAL_POOL, 32, TAG_SPECIAL);
    CHECK(Start != NULL);
    if (Start == NULL)
        return;
    ExFreePool(Start);
    for (i = 0; i < 100; i++) {
        Block = ExAllocatePool2(POOL_FLAG_NON_PAGED | POOL_FLAG_SPECIAL_POOL, 32, TAG_SPECIAL);
        CHECK(Block != NULL && PAGE_ALIGN(Block) != PAGE_ALIGN(Start));
        if (Block)
            ExFreePool(Block);
    }
    CHECK(!Valid(Start));
}

/* The special pool's alignment for one allocation: the XxxSpecialPoolUnderrun priorities put
 * the block at the start of its page (only when the block is special at all). */
static void TestPriorityAlignment(void)
{
    PUCHAR Under, Over;
    Under = ExAllocatePoolWithTagPriority(NonPagedPoolNx, 40, TAG_SPECIAL,
                                          NormalPoolPrioritySpecialPoolUnderrun);
    Over = ExAllocatePoolWithTagPriority(NonPagedPoolNx, 40, TAG_SPECIAL,
                                         HighPoolPrioritySpecialPoolOverrun);
    CHECK(Under && Over);
    if (!Under || !Over)
        return;
#ifdef SPECIAL_ALL
    CHECK(IsSpecial(Under) && BYTE_OFFSET(Under) == 0);
    CHECK(IsSpecial(Over) && BYTE_OFFSET(Over) == ((PAGE_SIZE - 40) & ~15u));
#else
    /* Not asked for: these priorities alone do not use the special pool. */
    CHECK(!IsSpecial(Under) || Valid((PUCHAR)PAGE_ALIGN(Under) + PAGE_SIZE));
#endif
    memset(Under, 2, 40);
    memset(Over, 3, 40);
    ExFreePoolWithTag(Under, TAG_SPECIAL);
    ExFreePoolWithTag(Over, TAG_SPECIAL);
}

/* Under --special-pool for this driver, its plain allocations below a page are special. */
static void TestDriverSelection(void)
{
    PUCHAR Block = ExAllocatePoolWithTag(NonPagedPoolNx, 24, TAG_SPECIAL);
    CHECK(Block != NULL);
    if (Block == NULL)
        return;
#ifdef SPECIAL_ALL
    CHECK(IsSpecial(Block));
    CHECK_EQ(BYTE_OFFSET(Block), (PAGE_SIZE - 24) & ~15u);
#else
    CHECK(!IsSpecial(Block) || Valid((PUCHAR)PAGE_ALIGN(Block) + PAGE_SIZE));
#endif
    ExFreePoolWithTag(Block, TAG_SPECIAL);
}

#define RACE_THREADS 4
#define RACE_ROUNDS 1500

static volatile LONG RaceBad;

static VOID RaceThread(PVOID Context)
{
    ULONG i, Seed = (ULONG)(ULONG_PTR)Context;
    for (i = 0; i < RACE_ROUNDS; i++) {
        SIZE_T Size = 1 + (Seed = Seed * 1103515245u + 12345u) % 500;
        PUCHAR Special = ExAllocatePool2(POOL_FLAG_NON_PAGED | POOL_FLAG_SPECIAL_POOL, Size,
                                         TAG_RACE);
        PUCHAR Normal = ExAllocatePool2(POOL_FLAG_NON_PAGED, Size, TAG_RACE);
        if (Special == NULL || Normal == NULL) {
            InterlockedIncrement(&RaceBad);
            continue;
        }
        memset(Special, (int)i, Size);
        memset(Normal, (int)i, Size);
        if (Special[Size - 1] != (UCHAR)i || Normal[0] != (UCHAR)i)
            InterlockedIncrement(&RaceBad);
        ExFreePoolWithTag(Special, TAG_RACE);
        ExFreePoolWithTag(Normal, TAG_RACE);
    }
    PsTerminateSystemThread(STATUS_SUCCESS);
}

static void TestConcurrent(void)
{
    PKTHREAD Threads[RACE_THREADS];
    NTK_POOL_TAG_INFO Info;
    ULONG i;
    for (i = 0; i < RACE_THREADS; i++)
        Threads[i] = KmtStartThread(RaceThread, (PVOID)(ULONG_PTR)(i + 1));
    for (i = 0; i < RACE_THREADS; i++)
        KmtJoinThread(Threads[i]);
    CHECK_EQ(RaceBad, 0);
    CHECK_STATUS(NtkQueryPoolTag(TAG_RACE, &Info), STATUS_SUCCESS);
    CHECK_EQ(Info.NonPagedAllocs, RACE_THREADS * RACE_ROUNDS * 2);
    CHECK_EQ(Info.NonPagedFrees, RACE_THREADS * RACE_ROUNDS * 2);
    CHECK_EQ(Info.NonPagedBytes, 0);
    CHECK(Info.NonPagedPeak > 0 && Info.NonPagedPeak <= RACE_THREADS * 2 * 500);
}

static VOID Unload(PDRIVER_OBJECT DriverObject)
{
    ULONG i;
    UNREFERENCED_PARAMETER(DriverObject);
    for (i = 0; i < RTL_NUMBER_OF(PoolMonBlocks); i++)
        if (PoolMonBlocks[i])
            ExFreePoolWithTag(PoolMonBlocks[i], TAG_POOLMON);
    DbgPrint("kmtest_pool: unload\n");
}

NTSTATUS DriverEntry(PDRIVER_OBJECT DriverObject, PUNICODE_STRING RegistryPath)
{
    ULONG i;
    UNREFERENCED_PARAMETER(RegistryPath);
    DriverObject->DriverUnload = Unload;
    KMT_RUN("kmtest_pool", TestCounters());
    KMT_RUN("kmtest_pool", TestTagList());
    KMT_RUN("kmtest_pool", TestSpecialPlacement());
    KMT_RUN("kmtest_pool", TestPriorityAlignment());
    KMT_RUN("kmtest_pool", TestDriverSelection());
    KMT_RUN("kmtest_pool", TestConcurrent());
    /* Three blocks (100, 200, 300 bytes) live until unload: --poolmon shows 3 allocations,
     * 3 frees and a peak of 600 bytes for "KPpm". */
    for (i = 0; i < RTL_NUMBER_OF(PoolMonBlocks); i++)
        PoolMonBlocks[i] = ExAllocatePool2(POOL_FLAG_NON_PAGED, 100 * (i + 1), TAG_POOLMON);
    return KmtFinish("kmtest_pool");
}
