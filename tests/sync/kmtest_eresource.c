/* kmtest_eresource: executive resources, from the WDK pages of ExInitializeResourceLite,
 * ExAcquireResourceExclusiveLite, ExAcquireResourceSharedLite, ExAcquireSharedStarveExclusive,
 * ExAcquireSharedWaitForExclusive, ExReleaseResourceLite, ExReleaseResourceForThreadLite,
 * ExConvertExclusiveToSharedLite, ExIsResourceAcquired*Lite, ExGet*WaiterCount and
 * ExEnterCriticalRegionAndAcquireResource*: recursion, the exclusive owner's shared access,
 * conversion, the waiter rules, and on release exclusive waiters first, in arrival order.
 *     ntk run [--cpus N] --driver kmtest_eresource.so     exits 0 when every check passed */
#include "kmtest_sync.h"

static ERESOURCE Resource;

static void TestSingleThread(void)
{
    CHECK_EQ(sizeof(ERESOURCE), 0x68);
    CHECK_STATUS(ExInitializeResourceLite(&Resource), STATUS_SUCCESS);
    KeEnterCriticalRegion();
    CHECK_EQ(ExIsResourceAcquiredSharedLite(&Resource), 0);
    CHECK(!ExIsResourceAcquiredExclusiveLite(&Resource));
    CHECK_EQ(ExGetExclusiveWaiterCount(&Resource), 0);
    CHECK_EQ(ExGetSharedWaiterCount(&Resource), 0);

    /* The exclusive owner may acquire again, exclusive or shared: it stays exclusive and the
     * shared count is the total. */
    CHECK(ExAcquireResourceExclusiveLite(&Resource, TRUE));
    CHECK(ExIsResourceAcquiredExclusiveLite(&Resource));
    CHECK_EQ(ExIsResourceAcquiredSharedLite(&Resource), 1);
    CHECK(ExAcquireResourceExclusiveLite(&Resource, FALSE));
    CHECK(ExAcquireResourceSharedLite(&Resource, FALSE));
    CHECK(ExAcquireSharedStarveExclusive(&Resource, FALSE));
    CHECK(ExAcquireSharedWaitForExclusive(&Resource, FALSE));
    CHECK(ExIsResourceAcquiredExclusiveLite(&Resource));
    CHECK_EQ(ExIsResourceAcquiredSharedLite(&Resource), 5);
    CHECK_EQ(ExIsResourceAcquiredLite(&Resource), 5);

    /* Conversion keeps the count. */
    ExConvertExclusiveToSharedLite(&Resource);
    CHECK(!ExIsResourceAcquiredExclusiveLite(&Resource));
    CHECK_EQ(ExIsResourceAcquiredSharedLite(&Resource), 5);
    ExReleaseResourceLite(&Resource);
    ExReleaseResourceLite(&Resource);
    ExReleaseResourceLite(&Resource);
    ExReleaseResourceLite(&Resource);
    CHECK_EQ(ExIsResourceAcquiredSharedLite(&Resource), 1);
    ExReleaseResourceLite(&Resource);
    CHECK_EQ(ExIsResourceAcquiredSharedLite(&Resource), 0);

    /* Shared acquisition recurses and counts. A shared owner cannot get exclusive access
     * without waiting (for itself): no-wait fails. */
    CHECK(ExAcquireResourceSharedLite(&Resource, TRUE));
    CHECK(ExAcquireResourceSharedLite(&Resource, TRUE));
    CHECK(ExAcquireSharedStarveExclusive(&Resource, TRUE));
    CHECK_EQ(ExIsResourceAcquiredSharedLite(&Resource), 3);
    CHECK(!ExIsResourceAcquiredExclusiveLite(&Resource));
    CHECK(!ExAcquireResourceExclusiveLite(&Resource, FALSE));
    CHECK_EQ(ExIsResourceAcquiredSharedLite(&Resource), 3);
    ExReleaseResourceForThreadLite(&Resource, ExGetCurrentResourceThread());
    ExReleaseResourceLite(&Resource);
    ExReleaseResourceLite(&Resource);
    CHECK_EQ(ExIsResourceAcquiredSharedLite(&Resource), 0);
    KeLeaveCriticalRegion();

    /* At APC_LEVEL no critical region is needed. */
    {
        KIRQL old;
        KeRaiseIrql(APC_LEVEL, &old);
        CHECK(ExAcquireResourceExclusiveLite(&Resource, TRUE));
        ExReleaseResourceLite(&Resource);
        KeLowerIrql(old);
    }

    /* Critical region and acquisition in one call; release and leave in one call. */
    ExEnterCriticalRegionAndAcquireResourceExclusive(&Resource);
    CHECK(KeAreApcsDisabled());
    CHECK(ExIsResourceAcquiredExclusiveLite(&Resource));
    ExReleaseResourceAndLeaveCriticalRegion(&Resource);
    CHECK(!KeAreApcsDisabled());
    ExEnterCriticalRegionAndAcquireResourceShared(&Resource);
    CHECK(KeAreApcsDisabled());
    CHECK_EQ(ExIsResourceAcquiredSharedLite(&Resource), 1);
    CHECK(!ExIsResourceAcquiredExclusiveLite(&Resource));
    ExReleaseResourceAndLeaveCriticalRegion(&Resource);
    ExEnterCriticalRegionAndAcquireSharedWaitForExclusive(&Resource);
    CHECK_EQ(ExIsResourceAcquiredSharedLite(&Resource), 1);
    ExReleaseResourceAndLeaveCriticalRegion(&Resource);
    CHECK(!KeAreApcsDisabled());

    CHECK_STATUS(ExReinitializeResourceLite(&Resource), STATUS_SUCCESS);
    CHECK_STATUS(ExDeleteResourceLite(&Resource), STATUS_SUCCESS);
}

/* ---- helper threads: each does one request and reports ---- */

typedef enum { OpExclusive, OpShared, OpStarve, OpWaitForExclusive } OP;

typedef struct _REQUEST {
    OP Op;
    BOOLEAN Wait;
    BOOLEAN Hold;           /* keep it until Release is set */
    BOOLEAN ReleasedForIt;  /* another thread released it on its behalf */
    BOOLEAN Result;
    LONG Order;             /* when it was granted */
    ULONG SharedCount;      /* ExIsResourceAcquiredSharedLite once granted */
    BOOLEAN Exclusive;      /* ExIsResourceAcquiredExclusiveLite once granted */
    ERESOURCE_THREAD Thread;
    KEVENT Done;            /* the request returned */
    KEVENT Release;
    PKTHREAD Object;
} REQUEST;

static BOOLEAN Acquire(OP Op, BOOLEAN Wait)
{
    switch (Op) {
    case OpExclusive:
        return ExAcquireResourceExclusiveLite(&Resource, Wait);
    case OpShared:
        return ExAcquireResourceSharedLite(&Resource, Wait);
    case OpStarve:
        return ExAcquireSharedStarveExclusive(&Resource, Wait);
    default:
        return ExAcquireSharedWaitForExclusive(&Resource, Wait);
    }
}

static VOID RequestThread(PVOID Context)
{
    REQUEST *r = (REQUEST *)Context;
    KeEnterCriticalRegion();
    r->Thread = ExGetCurrentResourceThread();
    r->Result = Acquire(r->Op, r->Wait);
    if (r->Result) {
        r->Order = KmtStamp();
        r->SharedCount = ExIsResourceAcquiredSharedLite(&Resource);
        r->Exclusive = ExIsResourceAcquiredExclusiveLite(&Resource);
    }
    KeSetEvent(&r->Done, IO_NO_INCREMENT, FALSE);
    if (r->Result && r->Hold)
        KmtWait(&r->Release);
    if (r->Result && !r->ReleasedForIt)
        ExReleaseResourceLite(&Resource);
    KeLeaveCriticalRegion();
}

static void Start(REQUEST *r, OP Op, BOOLEAN Wait, BOOLEAN Hold)
{
    RtlZeroMemory(r, sizeof(*r));
    r->Op = Op;
    r->Wait = Wait;
    r->Hold = Hold;
    KeInitializeEvent(&r->Done, NotificationEvent, FALSE);
    KeInitializeEvent(&r->Release, NotificationEvent, FALSE);
    r->Object = KmtStartThread(RequestThread, r);
}

/* A no-wait request from another thread: its result. */
static BOOLEAN TryFromOther(OP Op)
{
    REQUEST r;
    Start(&r, Op, FALSE, FALSE);
    KmtJoinThread(r.Object);
    return r.Result;
}

static void Finish(REQUEST *r)
{
    KeSetEvent(&r->Release, IO_NO_INCREMENT, FALSE);
    KmtJoinThread(r->Object);
}

/* Other threads against an owner. */
static void TestOtherThreads(void)
{
    ExInitializeResourceLite(&Resource);
    KeEnterCriticalRegion();

    /* Held exclusive: nobody else gets in without waiting. */
    ExAcquireResourceExclusiveLite(&Resource, TRUE);
    CHECK(!TryFromOther(OpExclusive));
    CHECK(!TryFromOther(OpShared));
    CHECK(!TryFromOther(OpStarve));
    CHECK(!TryFromOther(OpWaitForExclusive));
    /* Converted to shared: readers join, writers still wait. */
    ExConvertExclusiveToSharedLite(&Resource);
    CHECK(TryFromOther(OpShared));
    CHECK(TryFromOther(OpStarve));
    CHECK(TryFromOther(OpWaitForExclusive));
    CHECK(!TryFromOther(OpExclusive));
    ExReleaseResourceLite(&Resource);
    CHECK(TryFromOther(OpExclusive));

    KeLeaveCriticalRegion();
    ExDeleteResourceLite(&Resource);
}

/* With a shared owner and an exclusive waiter pending: a no-wait shared acquire and
 * ExAcquireSharedWaitForExclusive fail, ExAcquireSharedStarveExclusive succeeds; the owner
 * itself still recurses with ExAcquireResourceSharedLite. On release the exclusive waiter goes
 * first, before a shared waiter that came later. */
static void TestExclusiveWaiterPending(void)
{
    REQUEST writer, reader;

    ExInitializeResourceLite(&Resource);
    KmtOrderNext = 0;
    KeEnterCriticalRegion();
    ExAcquireResourceSharedLite(&Resource, TRUE);

    Start(&writer, OpExclusive, TRUE, TRUE);
    KMT_WAIT_UNTIL(ExGetExclusiveWaiterCount(&Resource) == 1);
    CHECK_STATUS(KmtPoll(&writer.Done), STATUS_TIMEOUT);

    /* Other threads. */
    CHECK(!TryFromOther(OpShared));
    CHECK(!TryFromOther(OpWaitForExclusive));
    CHECK(TryFromOther(OpStarve));
    CHECK(!TryFromOther(OpExclusive));
    /* The shared owner itself. */
    CHECK(ExAcquireResourceSharedLite(&Resource, FALSE));
    CHECK(!ExAcquireSharedWaitForExclusive(&Resource, FALSE));
    CHECK(ExAcquireSharedStarveExclusive(&Resource, FALSE));
    CHECK_EQ(ExIsResourceAcquiredSharedLite(&Resource), 3);
    ExReleaseResourceLite(&Resource);
    ExReleaseResourceLite(&Resource);
    CHECK_EQ(ExGetExclusiveWaiterCount(&Resource), 1);
    CHECK_EQ(ExGetSharedWaiterCount(&Resource), 0);

    /* A shared waiter arrives after the exclusive one. */
    Start(&reader, OpShared, TRUE, TRUE);
    KMT_WAIT_UNTIL(ExGetSharedWaiterCount(&Resource) == 1);
    KmtOrderNext = 0;

    /* Release: the writer is granted, the reader still waits. */
    ExReleaseResourceLite(&Resource);
    CHECK_STATUS(KmtWait(&writer.Done), STATUS_SUCCESS);
    CHECK(writer.Result);
    CHECK(writer.Exclusive);
    CHECK_EQ(writer.SharedCount, 1);
    CHECK_EQ(writer.Order, 1);
    CHECK_EQ(ExGetExclusiveWaiterCount(&Resource), 0);
    CHECK_EQ(ExGetSharedWaiterCount(&Resource), 1);
    CHECK_STATUS(KmtPoll(&reader.Done), STATUS_TIMEOUT);
    CHECK(!ExAcquireResourceSharedLite(&Resource, FALSE));
    Finish(&writer);
    CHECK_STATUS(KmtWait(&reader.Done), STATUS_SUCCESS);
    CHECK(reader.Result);
    CHECK(!reader.Exclusive);
    CHECK_EQ(reader.Order, 2);
    CHECK_EQ(ExGetSharedWaiterCount(&Resource), 0);
    Finish(&reader);

    KeLeaveCriticalRegion();
    ExDeleteResourceLite(&Resource);
}

/* Exclusive waiters are granted in arrival order; then waiting readers all at once. */
#define WRITERS 3
#define READERS 3
static void TestGrantOrder(void)
{
    REQUEST w[WRITERS], r[READERS];
    int i;

    ExInitializeResourceLite(&Resource);
    KmtOrderNext = 0;
    KeEnterCriticalRegion();
    ExAcquireResourceExclusiveLite(&Resource, TRUE);
    for (i = 0; i < WRITERS; i++) {
        Start(&w[i], OpExclusive, TRUE, TRUE);
        KMT_WAIT_UNTIL(ExGetExclusiveWaiterCount(&Resource) == (ULONG)i + 1);
    }
    for (i = 0; i < READERS; i++) {
        Start(&r[i], i == 1 ? OpStarve : OpShared, TRUE, TRUE);
        KMT_WAIT_UNTIL(ExGetSharedWaiterCount(&Resource) == (ULONG)i + 1);
    }
    ExReleaseResourceLite(&Resource);
    for (i = 0; i < WRITERS; i++) {
        CHECK_STATUS(KmtWait(&w[i].Done), STATUS_SUCCESS);
        CHECK_EQ(w[i].Order, i + 1);
        CHECK(w[i].Exclusive);
        if (i + 1 < WRITERS)
            CHECK_STATUS(KmtPoll(&w[i + 1].Done), STATUS_TIMEOUT);
        CHECK_STATUS(KmtPoll(&r[0].Done), STATUS_TIMEOUT);
        Finish(&w[i]);
    }
    /* All the readers hold it at once: each has returned while the others still hold it. */
    for (i = 0; i < READERS; i++) {
        CHECK_STATUS(KmtWait(&r[i].Done), STATUS_SUCCESS);
        CHECK(r[i].Result);
        CHECK_EQ(r[i].SharedCount, 1);
        CHECK(r[i].Order > WRITERS);
    }
    CHECK_EQ(ExGetSharedWaiterCount(&Resource), 0);
    CHECK(!ExAcquireResourceExclusiveLite(&Resource, FALSE));
    for (i = 0; i < READERS; i++)
        Finish(&r[i]);
    CHECK(ExAcquireResourceExclusiveLite(&Resource, FALSE));
    ExReleaseResourceLite(&Resource);
    KeLeaveCriticalRegion();
    ExDeleteResourceLite(&Resource);
}

/* Many shared owners at once (the owner table grows); a release on another thread's behalf. */
#define OWNERS 10
static void TestManyOwners(void)
{
    REQUEST o[OWNERS], leaver;
    int i;

    ExInitializeResourceLite(&Resource);
    for (i = 0; i < OWNERS; i++) {
        Start(&o[i], OpShared, TRUE, TRUE);
        CHECK_STATUS(KmtWait(&o[i].Done), STATUS_SUCCESS);
        CHECK(o[i].Result);
    }
    KeEnterCriticalRegion();
    CHECK(!ExAcquireResourceExclusiveLite(&Resource, FALSE));
    CHECK(ExAcquireResourceSharedLite(&Resource, FALSE));
    CHECK_EQ(ExIsResourceAcquiredSharedLite(&Resource), 1);
    ExReleaseResourceLite(&Resource);
    CHECK_EQ(ExIsResourceAcquiredSharedLite(&Resource), 0);
    for (i = 0; i < OWNERS; i++)
        Finish(&o[i]);
    CHECK(ExAcquireResourceExclusiveLite(&Resource, FALSE));
    ExReleaseResourceLite(&Resource);

    /* A thread owns it shared; we release it on that thread's behalf. */
    Start(&leaver, OpShared, TRUE, TRUE);
    CHECK_STATUS(KmtWait(&leaver.Done), STATUS_SUCCESS);
    CHECK(!ExAcquireResourceExclusiveLite(&Resource, FALSE));
    ExReleaseResourceForThreadLite(&Resource, leaver.Thread);
    CHECK(ExAcquireResourceExclusiveLite(&Resource, FALSE));
    ExReleaseResourceLite(&Resource);
    KeLeaveCriticalRegion();
    /* The owner's own release would now find nothing: it skips it. */
    leaver.ReleasedForIt = TRUE;
    Finish(&leaver);
    ExDeleteResourceLite(&Resource);
}

NTSTATUS DriverEntry(PDRIVER_OBJECT DriverObject, PUNICODE_STRING RegistryPath)
{
    UNREFERENCED_PARAMETER(DriverObject);
    UNREFERENCED_PARAMETER(RegistryPath);
    KMT_RUN("kmtest_eresource", TestSingleThread());
    KMT_RUN("kmtest_eresource", TestOtherThreads());
    KMT_RUN("kmtest_eresource", TestExclusiveWaiterPending());
    KMT_RUN("kmtest_eresource", TestGrantOrder());
    KMT_RUN("kmtest_eresource", TestManyOwners());
    return KmtFinish("kmtest_eresource");
}
