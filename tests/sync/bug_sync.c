/* bug_sync: misuse of a synchronization DDI must end in the bug check Windows (with Driver
 * Verifier) reports. Built once per case (BUG_CASE selects it); each prints what it is about
 * to do, then does it; reaching "survived" is a failure. The test expects exit 3 and the STOP
 * line. */
#include "kmtest_sync.h"

#define SPIN_RECURSIVE 1          /* 0xF SPIN_LOCK_ALREADY_OWNED */
#define SPIN_NOT_HELD 2           /* 0x10 SPIN_LOCK_NOT_OWNED */
#define SPIN_OTHER_OWNER 3        /* 0x10 */
#define SPIN_ATDPC_PASSIVE 4      /* 0x9 IRQL_NOT_GREATER_OR_EQUAL */
#define SPIN_ABOVE_DISPATCH 5     /* 0xA IRQL_NOT_LESS_OR_EQUAL */
#define QUEUED_RECURSIVE 6        /* 0xF */
#define QUEUED_NOT_HELD 7         /* 0x10 */
#define QUEUED_ATDPC_PASSIVE 8    /* 0x9 */
#define QUEUED_MIXED 9            /* 0xC4/0x1008 */
#define RW_RECURSIVE 10           /* 0xF */
#define RW_NOT_HELD 11            /* 0x10 */
#define GMUTEX_RECURSIVE 12       /* 0xC4/0x1000 */
#define GMUTEX_OTHER_OWNER 13     /* 0xC4/0x1004 */
#define GMUTEX_UNSAFE_PASSIVE 14  /* 0xC4/0x39 */
#define RESOURCE_NOT_HELD 15      /* 0xE3 RESOURCE_NOT_OWNED */
#define RESOURCE_APCS_ENABLED 16  /* 0xC4/0x37 */
#define RESOURCE_SHARED_TO_EXCL 17 /* 0xC4/0x1000 */
#define RESOURCE_DISPATCH 18      /* 0xA */

static KSPIN_LOCK Lock;
static KGUARDED_MUTEX Mutex;
static ERESOURCE Resource;
static KEVENT Held, Never;

#if BUG_CASE == SPIN_OTHER_OWNER || BUG_CASE == GMUTEX_OTHER_OWNER
/* Takes the lock (or mutex) in another thread and keeps it. */
static VOID OwnerThread(PVOID Context)
{
    UNREFERENCED_PARAMETER(Context);
#if BUG_CASE == SPIN_OTHER_OWNER
    KIRQL old;
    KeAcquireSpinLock(&Lock, &old);
    KeLowerIrql(old); /* still holding it: the lock word names this thread */
#else
    KeAcquireGuardedMutex(&Mutex);
#endif
    KeSetEvent(&Held, IO_NO_INCREMENT, FALSE);
    KmtWait(&Never);
}
#endif

static void Say(PCSTR What)
{
    DbgPrint("bug_sync: %s\n", What);
}

NTSTATUS DriverEntry(PDRIVER_OBJECT DriverObject, PUNICODE_STRING RegistryPath)
{
    KIRQL old = PASSIVE_LEVEL;
    KLOCK_QUEUE_HANDLE h, h2;
    EX_SPIN_LOCK rw = 0;
    UNREFERENCED_PARAMETER(DriverObject);
    UNREFERENCED_PARAMETER(RegistryPath);
    UNREFERENCED_PARAMETER(h2);
    UNREFERENCED_PARAMETER(rw);
    KeInitializeSpinLock(&Lock);
    KeInitializeGuardedMutex(&Mutex);
    ExInitializeResourceLite(&Resource);
    KeInitializeEvent(&Held, NotificationEvent, FALSE);
    KeInitializeEvent(&Never, NotificationEvent, FALSE);
    RtlZeroMemory(&h, sizeof(h));

#if BUG_CASE == SPIN_RECURSIVE
    KeAcquireSpinLock(&Lock, &old);
    Say("acquiring a spin lock the thread holds");
    KeAcquireSpinLockAtDpcLevel(&Lock);
#elif BUG_CASE == SPIN_NOT_HELD
    old = KeRaiseIrqlToDpcLevel();
    Say("releasing a spin lock nobody holds");
    KeReleaseSpinLock(&Lock, old);
#elif BUG_CASE == SPIN_OTHER_OWNER
    KmtStartThread(OwnerThread, NULL);
    KmtWait(&Held);
    old = KeRaiseIrqlToDpcLevel();
    Say("releasing a spin lock another thread holds");
    KeReleaseSpinLock(&Lock, old);
#elif BUG_CASE == SPIN_ATDPC_PASSIVE
    Say("KeAcquireSpinLockAtDpcLevel at PASSIVE_LEVEL");
    KeAcquireSpinLockAtDpcLevel(&Lock);
#elif BUG_CASE == SPIN_ABOVE_DISPATCH
    KeRaiseIrql(HIGH_LEVEL, &old);
    Say("KeAcquireSpinLock at HIGH_LEVEL");
    KeAcquireSpinLock(&Lock, &old);
#elif BUG_CASE == QUEUED_RECURSIVE
    KeAcquireInStackQueuedSpinLock(&Lock, &h);
    Say("acquiring a queued spin lock the thread holds");
    KeAcquireInStackQueuedSpinLockAtDpcLevel(&Lock, &h2);
#elif BUG_CASE == QUEUED_NOT_HELD
    old = KeRaiseIrqlToDpcLevel();
    h.OldIrql = old;
    Say("releasing a queued spin lock with a handle that never acquired it");
    KeReleaseInStackQueuedSpinLock(&h);
#elif BUG_CASE == QUEUED_ATDPC_PASSIVE
    Say("KeAcquireInStackQueuedSpinLockAtDpcLevel at PASSIVE_LEVEL");
    KeAcquireInStackQueuedSpinLockAtDpcLevel(&Lock, &h);
#elif BUG_CASE == QUEUED_MIXED
    KeAcquireSpinLock(&Lock, &old);
    Say("queued acquire of a lock held by KeAcquireSpinLock");
    KeAcquireInStackQueuedSpinLockAtDpcLevel(&Lock, &h);
#elif BUG_CASE == RW_RECURSIVE
    old = ExAcquireSpinLockExclusive(&rw);
    Say("acquiring a reader/writer spin lock the thread holds");
    ExAcquireSpinLockSharedAtDpcLevel(&rw);
#elif BUG_CASE == RW_NOT_HELD
    old = KeRaiseIrqlToDpcLevel();
    Say("releasing a reader/writer spin lock nobody holds");
    ExReleaseSpinLockExclusive(&rw, old);
#elif BUG_CASE == GMUTEX_RECURSIVE
    KeAcquireGuardedMutex(&Mutex);
    Say("acquiring a guarded mutex the thread holds");
    KeAcquireGuardedMutex(&Mutex);
#elif BUG_CASE == GMUTEX_OTHER_OWNER
    KmtStartThread(OwnerThread, NULL);
    KmtWait(&Held);
    KeEnterGuardedRegion();
    Say("releasing a guarded mutex another thread holds");
    KeReleaseGuardedMutex(&Mutex);
#elif BUG_CASE == GMUTEX_UNSAFE_PASSIVE
    Say("KeAcquireGuardedMutexUnsafe at PASSIVE_LEVEL outside a guarded region");
    KeAcquireGuardedMutexUnsafe(&Mutex);
#elif BUG_CASE == RESOURCE_NOT_HELD
    KeEnterCriticalRegion();
    Say("releasing a resource the thread does not own");
    ExReleaseResourceLite(&Resource);
#elif BUG_CASE == RESOURCE_APCS_ENABLED
    Say("ExAcquireResourceExclusiveLite with normal kernel APCs enabled");
    ExAcquireResourceExclusiveLite(&Resource, TRUE);
#elif BUG_CASE == RESOURCE_SHARED_TO_EXCL
    KeEnterCriticalRegion();
    ExAcquireResourceSharedLite(&Resource, TRUE);
    Say("a shared owner waits for exclusive access");
    ExAcquireResourceExclusiveLite(&Resource, TRUE);
#elif BUG_CASE == RESOURCE_DISPATCH
    old = KeRaiseIrqlToDpcLevel();
    Say("ExAcquireResourceSharedLite at DISPATCH_LEVEL");
    ExAcquireResourceSharedLite(&Resource, FALSE);
#else
#error BUG_CASE
#endif
    Say("survived");
    UNREFERENCED_PARAMETER(old);
    return STATUS_UNSUCCESSFUL;
}
