/* bug_deadlock: lock order inversions that never hang, each of which Driver Verifier's
 * deadlock detection reports as 0xC4/0x1001 the first time the inverted order is taken.
 * Built once per case (BUG_CASE). FirstOrder runs to the end in one thread, taking the locks
 * in one order and releasing them; only then does SecondOrder, in another thread, take them
 * in the other order: the threads never contend, so only the recorded order can tell.
 * The functions and locks are global so that the report names them. */
#include "kmtest_sync.h"

#define DL_SPIN 1            /* two spin locks */
#define DL_SPIN_QUEUED 2     /* a spin lock and an in-stack queued spin lock */
#define DL_FAST_GUARDED 3    /* a fast mutex and a guarded mutex */
#define DL_RESOURCE_MUTEX 4  /* an ERESOURCE (shared) and a KMUTEX */
#define DL_THREE 5           /* three locks, three threads: A -> B, B -> C, C -> A */

KSPIN_LOCK DlLockA, DlLockB;
EX_SPIN_LOCK DlLockC;
FAST_MUTEX DlFastMutex;
KGUARDED_MUTEX DlGuardedMutex;
ERESOURCE DlResource;
KMUTEX DlMutex;

static void Say(PCSTR What)
{
    DbgPrint("bug_deadlock: %s\n", What);
}

VOID FirstOrder(PVOID Context)
{
    KIRQL old;
    KLOCK_QUEUE_HANDLE h;
    UNREFERENCED_PARAMETER(Context);
    UNREFERENCED_PARAMETER(h);
#if BUG_CASE == DL_SPIN || BUG_CASE == DL_THREE
    KeAcquireSpinLock(&DlLockA, &old);
    KeAcquireSpinLockAtDpcLevel(&DlLockB);
    KeReleaseSpinLockFromDpcLevel(&DlLockB);
    KeReleaseSpinLock(&DlLockA, old);
#elif BUG_CASE == DL_SPIN_QUEUED
    KeAcquireInStackQueuedSpinLock(&DlLockA, &h);
    KeAcquireSpinLockAtDpcLevel(&DlLockB);
    KeReleaseSpinLockFromDpcLevel(&DlLockB);
    KeReleaseInStackQueuedSpinLock(&h);
#elif BUG_CASE == DL_FAST_GUARDED
    ExAcquireFastMutex(&DlFastMutex);
    KeAcquireGuardedMutex(&DlGuardedMutex);
    KeReleaseGuardedMutex(&DlGuardedMutex);
    ExReleaseFastMutex(&DlFastMutex);
#elif BUG_CASE == DL_RESOURCE_MUTEX
    KeEnterCriticalRegion();
    ExAcquireResourceSharedLite(&DlResource, TRUE);
    KeWaitForSingleObject(&DlMutex, Executive, KernelMode, FALSE, NULL);
    KeReleaseMutex(&DlMutex, FALSE);
    ExReleaseResourceLite(&DlResource);
    KeLeaveCriticalRegion();
#endif
    UNREFERENCED_PARAMETER(old);
    Say("first order taken and released");
}

#if BUG_CASE == DL_THREE
VOID MiddleOrder(PVOID Context)
{
    KIRQL old;
    UNREFERENCED_PARAMETER(Context);
    KeAcquireSpinLock(&DlLockB, &old);
    ExAcquireSpinLockExclusiveAtDpcLevel(&DlLockC);
    ExReleaseSpinLockExclusiveFromDpcLevel(&DlLockC);
    KeReleaseSpinLock(&DlLockB, old);
    Say("middle order taken and released");
}
#endif

VOID SecondOrder(PVOID Context)
{
    KIRQL old;
    KLOCK_QUEUE_HANDLE h;
    UNREFERENCED_PARAMETER(Context);
    UNREFERENCED_PARAMETER(h);
    Say("taking the locks in the other order");
#if BUG_CASE == DL_SPIN
    KeAcquireSpinLock(&DlLockB, &old);
    KeAcquireSpinLockAtDpcLevel(&DlLockA);
    KeReleaseSpinLockFromDpcLevel(&DlLockA);
    KeReleaseSpinLock(&DlLockB, old);
#elif BUG_CASE == DL_SPIN_QUEUED
    KeAcquireSpinLock(&DlLockB, &old);
    KeAcquireInStackQueuedSpinLockAtDpcLevel(&DlLockA, &h);
    KeReleaseInStackQueuedSpinLockFromDpcLevel(&h);
    KeReleaseSpinLock(&DlLockB, old);
#elif BUG_CASE == DL_FAST_GUARDED
    KeAcquireGuardedMutex(&DlGuardedMutex);
    ExAcquireFastMutex(&DlFastMutex);
    ExReleaseFastMutex(&DlFastMutex);
    KeReleaseGuardedMutex(&DlGuardedMutex);
#elif BUG_CASE == DL_RESOURCE_MUTEX
    KeWaitForSingleObject(&DlMutex, Executive, KernelMode, FALSE, NULL);
    KeEnterCriticalRegion();
    ExAcquireResourceExclusiveLite(&DlResource, TRUE);
    ExReleaseResourceLite(&DlResource);
    KeLeaveCriticalRegion();
    KeReleaseMutex(&DlMutex, FALSE);
#elif BUG_CASE == DL_THREE
    old = ExAcquireSpinLockShared(&DlLockC);
    KeAcquireSpinLockAtDpcLevel(&DlLockA);
    KeReleaseSpinLockFromDpcLevel(&DlLockA);
    ExReleaseSpinLockShared(&DlLockC, old);
#else
#error BUG_CASE
#endif
    UNREFERENCED_PARAMETER(old);
    Say("survived");
}

NTSTATUS DriverEntry(PDRIVER_OBJECT DriverObject, PUNICODE_STRING RegistryPath)
{
    UNREFERENCED_PARAMETER(DriverObject);
    UNREFERENCED_PARAMETER(RegistryPath);
    KeInitializeSpinLock(&DlLockA);
    KeInitializeSpinLock(&DlLockB);
    DlLockC = 0;
    ExInitializeFastMutex(&DlFastMutex);
    KeInitializeGuardedMutex(&DlGuardedMutex);
    ExInitializeResourceLite(&DlResource);
    KeInitializeMutex(&DlMutex, 0);

    KmtJoinThread(KmtStartThread(FirstOrder, NULL));
#if BUG_CASE == DL_THREE
    KmtJoinThread(KmtStartThread(MiddleOrder, NULL));
#endif
    KmtJoinThread(KmtStartThread(SecondOrder, NULL));
    ExDeleteResourceLite(&DlResource);
    return KmtFinish("bug_deadlock");
}
