/* kmtest_irql: IRQL and spin locks, from the WDK pages of KeGetCurrentIrql, KeRaiseIrql,
 * KeLowerIrql, KeRaiseIrqlToDpcLevel, KeInitializeSpinLock, KeTestSpinLock, KeAcquireSpinLock,
 * KeAcquireSpinLockAtDpcLevel, KeTryToAcquireSpinLockAtDpcLevel, KeAreApcsDisabled and
 * KeAreAllApcsDisabled, plus the DDIs whose IRQL contract allows DISPATCH_LEVEL (a zero-timeout
 * wait, non-paged pool, KeSetEvent).
 *     ntk run [--cpus N] --driver kmtest_irql.so      exits 0 when every check passed */
#include "kmtest_ke.h"

static void TestRaiseLower(void)
{
    KIRQL old = 0xFF, old2 = 0xFF, old3 = 0xFF;

    CHECK_EQ(KeGetCurrentIrql(), PASSIVE_LEVEL);

    /* KeRaiseIrql stores the previous IRQL; KeLowerIrql restores it. */
    KeRaiseIrql(APC_LEVEL, &old);
    CHECK_EQ(old, PASSIVE_LEVEL);
    CHECK_EQ(KeGetCurrentIrql(), APC_LEVEL);

    /* Raising to the current level is allowed and changes nothing. */
    KeRaiseIrql(APC_LEVEL, &old2);
    CHECK_EQ(old2, APC_LEVEL);
    CHECK_EQ(KeGetCurrentIrql(), APC_LEVEL);

    KeRaiseIrql(DISPATCH_LEVEL, &old3);
    CHECK_EQ(old3, APC_LEVEL);
    CHECK_EQ(KeGetCurrentIrql(), DISPATCH_LEVEL);

    KeLowerIrql(old3);
    CHECK_EQ(KeGetCurrentIrql(), APC_LEVEL);
    KeLowerIrql(old2);
    CHECK_EQ(KeGetCurrentIrql(), APC_LEVEL);
    KeLowerIrql(old);
    CHECK_EQ(KeGetCurrentIrql(), PASSIVE_LEVEL);

    /* KeRaiseIrqlToDpcLevel returns the previous IRQL; again at DISPATCH_LEVEL is a no-op. */
    old = KeRaiseIrqlToDpcLevel();
    CHECK_EQ(old, PASSIVE_LEVEL);
    CHECK_EQ(KeGetCurrentIrql(), DISPATCH_LEVEL);
    old2 = KeRaiseIrqlToDpcLevel();
    CHECK_EQ(old2, DISPATCH_LEVEL);
    CHECK_EQ(KeGetCurrentIrql(), DISPATCH_LEVEL);
    KeLowerIrql(old2);
    CHECK_EQ(KeGetCurrentIrql(), DISPATCH_LEVEL);
    KeLowerIrql(old);
    CHECK_EQ(KeGetCurrentIrql(), PASSIVE_LEVEL);

    /* From APC_LEVEL. */
    KeRaiseIrql(APC_LEVEL, &old);
    old2 = KeRaiseIrqlToDpcLevel();
    CHECK_EQ(old2, APC_LEVEL);
    KeLowerIrql(old2);
    CHECK_EQ(KeGetCurrentIrql(), APC_LEVEL);
    KeLowerIrql(old);

    /* Device and high levels, straight from PASSIVE_LEVEL, and back. */
    KeRaiseIrql(CLOCK_LEVEL, &old);
    CHECK_EQ(old, PASSIVE_LEVEL);
    CHECK_EQ(KeGetCurrentIrql(), CLOCK_LEVEL);
    KeRaiseIrql(HIGH_LEVEL, &old2);
    CHECK_EQ(old2, CLOCK_LEVEL);
    CHECK_EQ(KeGetCurrentIrql(), HIGH_LEVEL);
    KeLowerIrql(old2);
    CHECK_EQ(KeGetCurrentIrql(), CLOCK_LEVEL);
    KeLowerIrql(old);
    CHECK_EQ(KeGetCurrentIrql(), PASSIVE_LEVEL);
}

static void TestSpinLocks(void)
{
    KSPIN_LOCK lock = (KSPIN_LOCK)0xDEADBEEF, lock2;
    KIRQL old = 0xFF, old2 = 0xFF;

    /* KeInitializeSpinLock writes 0; KeTestSpinLock is TRUE for a free lock. */
    KeInitializeSpinLock(&lock);
    CHECK_EQ(lock, 0);
    CHECK(KeTestSpinLock(&lock));
    KeInitializeSpinLock(&lock2);

    /* KeAcquireSpinLock raises to DISPATCH_LEVEL and returns the old IRQL. */
    KeAcquireSpinLock(&lock, &old);
    CHECK_EQ(old, PASSIVE_LEVEL);
    CHECK_EQ(KeGetCurrentIrql(), DISPATCH_LEVEL);
    CHECK(!KeTestSpinLock(&lock));
    CHECK(KeTestSpinLock(&lock2));
    /* Holding a spin lock is not a critical or guarded region. */
    CHECK(!KeAreApcsDisabled());
    CHECK(KeAreAllApcsDisabled());
    /* KeTryToAcquireSpinLockAtDpcLevel fails while the lock is held. */
    CHECK(!KeTryToAcquireSpinLockAtDpcLevel(&lock));
    CHECK_EQ(KeGetCurrentIrql(), DISPATCH_LEVEL);

    /* A second lock, nested, with the AtDpcLevel forms: IRQL is left alone. */
    KeAcquireSpinLockAtDpcLevel(&lock2);
    CHECK_EQ(KeGetCurrentIrql(), DISPATCH_LEVEL);
    CHECK(!KeTestSpinLock(&lock2));
    KeReleaseSpinLockFromDpcLevel(&lock2);
    CHECK_EQ(KeGetCurrentIrql(), DISPATCH_LEVEL);
    CHECK(KeTestSpinLock(&lock2));

    KeReleaseSpinLock(&lock, old);
    CHECK_EQ(KeGetCurrentIrql(), PASSIVE_LEVEL);
    CHECK(KeTestSpinLock(&lock));

    /* From APC_LEVEL the old IRQL is APC_LEVEL, and the release goes back there. */
    KeRaiseIrql(APC_LEVEL, &old2);
    KeAcquireSpinLock(&lock, &old);
    CHECK_EQ(old, APC_LEVEL);
    CHECK_EQ(KeGetCurrentIrql(), DISPATCH_LEVEL);
    KeReleaseSpinLock(&lock, old);
    CHECK_EQ(KeGetCurrentIrql(), APC_LEVEL);
    KeLowerIrql(old2);

    /* KeAcquireSpinLockRaiseToDpc directly. */
    old = KeAcquireSpinLockRaiseToDpc(&lock);
    CHECK_EQ(old, PASSIVE_LEVEL);
    CHECK_EQ(KeGetCurrentIrql(), DISPATCH_LEVEL);
    CHECK(!KeTestSpinLock(&lock));
    KeReleaseSpinLock(&lock, old);
    CHECK_EQ(KeGetCurrentIrql(), PASSIVE_LEVEL);

    /* At DISPATCH_LEVEL: try-acquire of a free lock succeeds, then fails while held. */
    old = KeRaiseIrqlToDpcLevel();
    CHECK(KeTryToAcquireSpinLockAtDpcLevel(&lock));
    CHECK_EQ(KeGetCurrentIrql(), DISPATCH_LEVEL);
    CHECK(!KeTestSpinLock(&lock));
    CHECK(!KeTryToAcquireSpinLockAtDpcLevel(&lock));
    KeReleaseSpinLockFromDpcLevel(&lock);
    CHECK(KeTestSpinLock(&lock));
    KeAcquireSpinLockAtDpcLevel(&lock);
    CHECK_EQ(KeGetCurrentIrql(), DISPATCH_LEVEL);
    KeReleaseSpinLockFromDpcLevel(&lock);
    CHECK_EQ(KeGetCurrentIrql(), DISPATCH_LEVEL);
    KeLowerIrql(old);
    CHECK_EQ(KeGetCurrentIrql(), PASSIVE_LEVEL);
}

/* KeAreApcsDisabled ignores IRQL; KeAreAllApcsDisabled is TRUE at IRQL >= APC_LEVEL. */
static void TestApcDisableVsIrql(void)
{
    KIRQL old;

    CHECK(!KeAreApcsDisabled());
    CHECK(!KeAreAllApcsDisabled());
    KeRaiseIrql(APC_LEVEL, &old);
    CHECK(!KeAreApcsDisabled());
    CHECK(KeAreAllApcsDisabled());
    KeLowerIrql(old);
    KeRaiseIrql(DISPATCH_LEVEL, &old);
    CHECK(!KeAreApcsDisabled());
    CHECK(KeAreAllApcsDisabled());
    KeLowerIrql(old);
    CHECK(!KeAreApcsDisabled());
    CHECK(!KeAreAllApcsDisabled());
}

/* What the WDK allows at DISPATCH_LEVEL works there. */
static void TestAllowedAtDispatch(void)
{
    KEVENT event;
    LARGE_INTEGER zero;
    KIRQL old;

    zero.QuadPart = 0;
    KeInitializeEvent(&event, NotificationEvent, FALSE);
    old = KeRaiseIrqlToDpcLevel();
    /* KeWaitForSingleObject with a zero timeout is allowed at DISPATCH_LEVEL. */
    CHECK_STATUS(KeWaitForSingleObject(&event, Executive, KernelMode, FALSE, &zero),
                 STATUS_TIMEOUT);
    CHECK_EQ(KeSetEvent(&event, IO_NO_INCREMENT, FALSE), 0);
    CHECK_STATUS(KeWaitForSingleObject(&event, Executive, KernelMode, FALSE, &zero),
                 STATUS_SUCCESS);
    CHECK_EQ(KeGetCurrentIrql(), DISPATCH_LEVEL);
    /* Non-paged pool may be allocated and freed at DISPATCH_LEVEL. */
    PVOID p = ExAllocatePool2(POOL_FLAG_NON_PAGED, 64, 'lriK');
    CHECK(p != NULL);
    if (p != NULL)
        ExFreePoolWithTag(p, 'lriK');
    CHECK_EQ(KeGetCurrentIrql(), DISPATCH_LEVEL);
    KeLowerIrql(old);
    CHECK_EQ(KeGetCurrentIrql(), PASSIVE_LEVEL);
}

/* A system thread starts at PASSIVE_LEVEL, whatever the IRQL of its creator. */
static volatile KIRQL ThreadIrql = 0xFF;
static VOID IrqlThread(PVOID Context)
{
    UNREFERENCED_PARAMETER(Context);
    ThreadIrql = KeGetCurrentIrql();
    PsTerminateSystemThread(STATUS_SUCCESS);
}

static void TestThreadStartsPassive(void)
{
    PKTHREAD t = KmtStartThread(IrqlThread, NULL);
    KmtJoinThread(t);
    CHECK_EQ(ThreadIrql, PASSIVE_LEVEL);
    /* The creator's IRQL is its own: still PASSIVE_LEVEL. */
    CHECK_EQ(KeGetCurrentIrql(), PASSIVE_LEVEL);
}

NTSTATUS DriverEntry(PDRIVER_OBJECT DriverObject, PUNICODE_STRING RegistryPath)
{
    UNREFERENCED_PARAMETER(DriverObject);
    UNREFERENCED_PARAMETER(RegistryPath);
    DbgPrint("kmtest_irql: start\n");
    KMT_RUN("kmtest_irql", TestRaiseLower());
    KMT_RUN("kmtest_irql", TestSpinLocks());
    KMT_RUN("kmtest_irql", TestApcDisableVsIrql());
    KMT_RUN("kmtest_irql", TestAllowedAtDispatch());
    KMT_RUN("kmtest_irql", TestThreadStartsPassive());
    CHECK_EQ(KeGetCurrentIrql(), PASSIVE_LEVEL);
    return KmtFinish("kmtest_irql");
}
