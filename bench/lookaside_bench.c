/* Lookaside-list benchmark, run in DriverEntry: one allocate + free pair of a 64-byte block from
 * a nonpaged lookaside list (classic and LOOKASIDE_LIST_EX, default routines), against the
 * pool's ExAllocatePoolWithTag + ExFreePoolWithTag of the same size (the baseline), glibc's
 * malloc + free and the special pool, all in the same run, on one thread and on two at once.
 * With two threads, each thread has lists of its own (as a driver keeps one per processor), and
 * then both use one shared list. Best of 5 rounds of 2,000,000 pairs each (20,000 for the special
 * pool); every block is written once so that no allocation can be optimized away. Goals: the
 * list takes at most half the pool's time, the pool at most 1.5 times malloc's. */
#include <ntddk.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#define BLOCK 64
#define PAIRS 2000000
#define ROUNDS 5
#define TAG 'hcBL'


static ULONGLONG NowNs(VOID)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (ULONGLONG)t.tv_sec * 1000000000ULL + (ULONGLONG)t.tv_nsec;
}

typedef struct DECLSPEC_CACHEALIGN {
    NPAGED_LOOKASIDE_LIST List;
    DECLSPEC_CACHEALIGN LOOKASIDE_LIST_EX ListEx; /* each list on lines of its own */
} BENCH_LISTS;

static BENCH_LISTS Own[3]; /* the main thread's, then each bench thread's */
static BENCH_LISTS Shared; /* both bench threads' */

enum { KIND_LOOKASIDE, KIND_LOOKASIDE_EX, KIND_POOL, KIND_MALLOC, KIND_SPECIAL,
       KIND_SHARED_LOOKASIDE, KIND_SHARED_LOOKASIDE_EX, KIND_COUNT };
#define KIND_ONE_THREAD KIND_SHARED_LOOKASIDE /* the kinds one thread runs */

/* Pairs of one kind, per pair in ns, on Lists; every block is written once. */
static double RunKind(int Kind, ULONG Pairs, BENCH_LISTS *Lists)
{
    PNPAGED_LOOKASIDE_LIST List = &Lists->List;
    PLOOKASIDE_LIST_EX ListEx = &Lists->ListEx;
    /* Each block's address is stored where the compiler cannot drop it: on this thread's
     * stack, since a variable both threads wrote would cost every pair a cache miss. */
    volatile UCHAR *volatile Sink;
    if (Kind == KIND_SHARED_LOOKASIDE || Kind == KIND_SHARED_LOOKASIDE_EX) {
        List = &Shared.List;
        ListEx = &Shared.ListEx;
        Kind = Kind == KIND_SHARED_LOOKASIDE ? KIND_LOOKASIDE : KIND_LOOKASIDE_EX;
    }
    ULONGLONG t0 = NowNs();
    for (ULONG i = 0; i < Pairs; i++) {
        PUCHAR p;
        switch (Kind) {
        case KIND_LOOKASIDE:
            p = ExAllocateFromNPagedLookasideList(List);
            p[BLOCK - 1] = (UCHAR)i;
            Sink = p;
            ExFreeToNPagedLookasideList(List, p);
            break;
        case KIND_LOOKASIDE_EX:
            p = ExAllocateFromLookasideListEx(ListEx);
            p[BLOCK - 1] = (UCHAR)i;
            Sink = p;
            ExFreeToLookasideListEx(ListEx, p);
            break;
        case KIND_POOL:
            p = ExAllocatePoolWithTag(NonPagedPool, BLOCK, TAG);
            p[BLOCK - 1] = (UCHAR)i;
            Sink = p;
            ExFreePoolWithTag(p, TAG);
            break;
        case KIND_SPECIAL:
            p = ExAllocatePool2(POOL_FLAG_NON_PAGED | POOL_FLAG_SPECIAL_POOL, BLOCK, TAG);
            p[BLOCK - 1] = (UCHAR)i;
            Sink = p;
            ExFreePoolWithTag(p, TAG);
            break;
        default:
            p = malloc(BLOCK);
            p[BLOCK - 1] = (UCHAR)i;
            Sink = p;
            free(p);
            break;
        }
    }
    (void)Sink;
    return (double)(NowNs() - t0) / Pairs;
}

static NTSTATUS InitializeLists(BENCH_LISTS *Lists)
{
    ExInitializeNPagedLookasideList(&Lists->List, NULL, NULL, 0, BLOCK, TAG, 0);
    return ExInitializeLookasideListEx(&Lists->ListEx, NULL, NULL, NonPagedPool, 0, BLOCK, TAG,
                                       0);
}

static VOID DeleteLists(BENCH_LISTS *Lists)
{
    ExDeleteNPagedLookasideList(&Lists->List);
    ExDeleteLookasideListEx(&Lists->ListEx);
}

/* Two system threads running the same kind at once: the time per pair each thread sees. Each
 * thread gets fresh lists of its own, as a driver gives each worker its own. */
typedef struct {
    int Kind;
    ULONG Pairs;
    double Ns;
    KEVENT Go;
    BENCH_LISTS *Lists;
} BENCH_THREAD;

static VOID BenchThread(PVOID Context)
{
    BENCH_THREAD *b = Context;
    KeWaitForSingleObject(&b->Go, Executive, KernelMode, FALSE, NULL);
    b->Ns = RunKind(b->Kind, b->Pairs, b->Lists);
    PsTerminateSystemThread(STATUS_SUCCESS);
}

static double RunTwoThreads(int Kind, ULONG Pairs)
{
    BENCH_THREAD b[2];
    PVOID Threads[2] = { NULL, NULL };
    for (int i = 0; i < 2; i++) {
        HANDLE h;
        b[i].Kind = Kind;
        b[i].Pairs = Pairs;
        b[i].Ns = 0;
        b[i].Lists = &Own[1 + i];
        if (!NT_SUCCESS(InitializeLists(b[i].Lists)))
            return 0;
        KeInitializeEvent(&b[i].Go, NotificationEvent, FALSE);
        if (!NT_SUCCESS(PsCreateSystemThread(&h, THREAD_ALL_ACCESS, NULL, NULL, NULL, BenchThread,
                                             &b[i])))
            return 0;
        ObReferenceObjectByHandle(h, SYNCHRONIZE, *PsThreadType, KernelMode, &Threads[i], NULL);
        ZwClose(h);
    }
    KeSetEvent(&b[0].Go, IO_NO_INCREMENT, FALSE);
    KeSetEvent(&b[1].Go, IO_NO_INCREMENT, FALSE);
    for (int i = 0; i < 2; i++) {
        KeWaitForSingleObject(Threads[i], Executive, KernelMode, FALSE, NULL);
        ObDereferenceObject(Threads[i]);
        DeleteLists(b[i].Lists);
    }
    return (b[0].Ns + b[1].Ns) / 2;
}

static VOID Report(const char *What, double Ns, double Pool, double Malloc)
{
    char line[256];
    snprintf(line, sizeof(line), "%-44s %6.1f ns   /pool %.2fx   /malloc %.2fx\n", What, Ns,
             Ns / Pool, Ns / Malloc);
    DbgPrint("%s", line);
}

static const char *Verdict(BOOLEAN Met)
{
    return Met ? "met" : "NOT met";
}

NTSTATUS DriverEntry(PDRIVER_OBJECT DriverObject, PUNICODE_STRING RegistryPath)
{
    static const char *const Names[KIND_COUNT] = {
        "ExAllocateFrom/ExFreeToNPagedLookasideList", "ExAllocateFrom/ExFreeToLookasideListEx",
        "ExAllocatePoolWithTag/ExFreePoolWithTag", "malloc/free (glibc)",
        "ExAllocatePool2(POOL_FLAG_SPECIAL_POOL)/ExFree",
        "one shared NPAGED_LOOKASIDE_LIST", "one shared LOOKASIDE_LIST_EX"
    };
    double One[KIND_COUNT], Two[KIND_COUNT], t;
    NTSTATUS status;
    UNREFERENCED_PARAMETER(DriverObject);
    UNREFERENCED_PARAMETER(RegistryPath);

    if (!NT_SUCCESS(status = InitializeLists(&Own[0])))
        return status;
    if (!NT_SUCCESS(status = InitializeLists(&Shared)))
        return status;
    for (int k = 0; k < KIND_COUNT; k++)
        One[k] = Two[k] = 1e300;
    /* The special pool costs system calls per pair: fewer pairs, the same rounds. */
    for (int round = 0; round < ROUNDS; round++) {
        for (int k = 0; k < KIND_COUNT; k++) {
            ULONG Pairs = k == KIND_SPECIAL ? PAIRS / 100 : PAIRS;
            if (k < KIND_ONE_THREAD && (t = RunKind(k, Pairs, &Own[0])) < One[k])
                One[k] = t;
            if ((t = RunTwoThreads(k, Pairs / 2)) < Two[k])
                Two[k] = t;
        }
    }
    DbgPrint("allocate+free of a %d-byte block, best of %d rounds of %d pairs (special pool: "
             "%d):\n",
             BLOCK, ROUNDS, PAIRS, PAIRS / 100);
    DbgPrint("one thread:\n");
    for (int k = 0; k < KIND_ONE_THREAD; k++)
        Report(Names[k], One[k], One[KIND_POOL], One[KIND_MALLOC]);
    DbgPrint("two threads at once (time per pair on each; a list each, then one shared):\n");
    for (int k = 0; k < KIND_COUNT; k++)
        Report(Names[k], Two[k], Two[KIND_POOL], Two[KIND_MALLOC]);
    DbgPrint("goal lookaside <= 0.5x pool: one thread %s, two threads %s (shared list %s)\n",
             Verdict(One[KIND_LOOKASIDE] <= 0.5 * One[KIND_POOL] &&
                     One[KIND_LOOKASIDE_EX] <= 0.5 * One[KIND_POOL]),
             Verdict(Two[KIND_LOOKASIDE] <= 0.5 * Two[KIND_POOL] &&
                     Two[KIND_LOOKASIDE_EX] <= 0.5 * Two[KIND_POOL]),
             Verdict(Two[KIND_SHARED_LOOKASIDE] <= 0.5 * Two[KIND_POOL]));
    DbgPrint("goal pool <= 1.5x malloc: one thread %s, two threads %s\n",
             Verdict(One[KIND_POOL] <= 1.5 * One[KIND_MALLOC]),
             Verdict(Two[KIND_POOL] <= 1.5 * Two[KIND_MALLOC]));
    DbgPrint("special pool overhead per allocation: %.0f ns over the pool\n",
             One[KIND_SPECIAL] - One[KIND_POOL]);
    DbgPrint("list counters: %u allocations, %u misses, %u frees, %u free misses, Depth %u\n",
             Own[0].List.L.TotalAllocates, Own[0].List.L.AllocateMisses,
             Own[0].List.L.TotalFrees, Own[0].List.L.FreeMisses, Own[0].List.L.Depth);
    DeleteLists(&Own[0]);
    DeleteLists(&Shared);
    return STATUS_SUCCESS;
}
