/* Executive synchronization: ERESOURCE, guarded mutexes, queued and reader-writer spin locks. */
#ifndef NTK_DDK_EXSYNC_H
#define NTK_DDK_EXSYNC_H

#include <ntk/ddk/ketypes.h>

NTK_EXTERN_C_START

/* Guarded mutexes: acquiring enters a guarded region (all kernel APCs off) until the release;
 * not recursive. The Unsafe forms expect the caller to be in a guarded region or at
 * APC_LEVEL already. */
NTKERNELAPI VOID KeInitializeGuardedMutex(PKGUARDED_MUTEX Mutex);
NTKERNELAPI VOID KeAcquireGuardedMutex(PKGUARDED_MUTEX Mutex);
NTKERNELAPI VOID KeReleaseGuardedMutex(PKGUARDED_MUTEX Mutex);
NTKERNELAPI BOOLEAN KeTryToAcquireGuardedMutex(PKGUARDED_MUTEX Mutex);
NTKERNELAPI VOID KeAcquireGuardedMutexUnsafe(PKGUARDED_MUTEX FastMutex);
NTKERNELAPI VOID KeReleaseGuardedMutexUnsafe(PKGUARDED_MUTEX FastMutex);

/* In-stack queued spin locks: granted in request order. LockHandle.OldIrql keeps the IRQL the
 * caller had. Do not mix them with KeAcquireSpinLock on the same lock. */
NTKERNELAPI VOID KeAcquireInStackQueuedSpinLock(PKSPIN_LOCK SpinLock,
                                                PKLOCK_QUEUE_HANDLE LockHandle);
NTKERNELAPI VOID KeAcquireInStackQueuedSpinLockAtDpcLevel(PKSPIN_LOCK SpinLock,
                                                          PKLOCK_QUEUE_HANDLE LockHandle);
NTKERNELAPI VOID KeReleaseInStackQueuedSpinLock(PKLOCK_QUEUE_HANDLE LockHandle);
NTKERNELAPI VOID KeReleaseInStackQueuedSpinLockFromDpcLevel(PKLOCK_QUEUE_HANDLE LockHandle);
/* For threaded DPCs: raise to DISPATCH_LEVEL only if below it. */
NTKERNELAPI VOID KeAcquireInStackQueuedSpinLockForDpc(PKSPIN_LOCK SpinLock,
                                                      PKLOCK_QUEUE_HANDLE LockHandle);
NTKERNELAPI VOID KeReleaseInStackQueuedSpinLockForDpc(PKLOCK_QUEUE_HANDLE LockHandle);
NTKERNELAPI KIRQL KeAcquireSpinLockForDpc(PKSPIN_LOCK SpinLock);
NTKERNELAPI VOID KeReleaseSpinLockForDpc(PKSPIN_LOCK SpinLock, KIRQL OldIrql);

/* Reader/writer spin locks: a 32-bit word, 0 when free. A waiting writer holds new readers
 * back; recursion is not allowed. */
typedef volatile LONG EX_SPIN_LOCK, *PEX_SPIN_LOCK;
NTKERNELAPI KIRQL ExAcquireSpinLockShared(PEX_SPIN_LOCK SpinLock);
NTKERNELAPI VOID ExReleaseSpinLockShared(PEX_SPIN_LOCK SpinLock, KIRQL OldIrql);
NTKERNELAPI VOID ExAcquireSpinLockSharedAtDpcLevel(PEX_SPIN_LOCK SpinLock);
NTKERNELAPI VOID ExReleaseSpinLockSharedFromDpcLevel(PEX_SPIN_LOCK SpinLock);
NTKERNELAPI KIRQL ExAcquireSpinLockExclusive(PEX_SPIN_LOCK SpinLock);
NTKERNELAPI VOID ExReleaseSpinLockExclusive(PEX_SPIN_LOCK SpinLock, KIRQL OldIrql);
NTKERNELAPI VOID ExAcquireSpinLockExclusiveAtDpcLevel(PEX_SPIN_LOCK SpinLock);
NTKERNELAPI VOID ExReleaseSpinLockExclusiveFromDpcLevel(PEX_SPIN_LOCK SpinLock);
/* TRUE (the lock is now held exclusive) if the caller was its only reader and no writer was
 * waiting; FALSE leaves it held shared. */
NTKERNELAPI LOGICAL ExTryConvertSharedSpinLockExclusive(PEX_SPIN_LOCK SpinLock);

/* Executive resources (ERESOURCE). Callers disable normal kernel APCs (KeEnterCriticalRegion)
 * or run at APC_LEVEL while they hold one. */
#define ExGetCurrentResourceThread() ((ERESOURCE_THREAD)KeGetCurrentThread())
NTKERNELAPI NTSTATUS ExInitializeResourceLite(PERESOURCE Resource);
NTKERNELAPI NTSTATUS ExReinitializeResourceLite(PERESOURCE Resource);
NTKERNELAPI NTSTATUS ExDeleteResourceLite(PERESOURCE Resource);
NTKERNELAPI BOOLEAN ExAcquireResourceExclusiveLite(PERESOURCE Resource, BOOLEAN Wait);
NTKERNELAPI BOOLEAN ExAcquireResourceSharedLite(PERESOURCE Resource, BOOLEAN Wait);
NTKERNELAPI BOOLEAN ExAcquireSharedStarveExclusive(PERESOURCE Resource, BOOLEAN Wait);
NTKERNELAPI BOOLEAN ExAcquireSharedWaitForExclusive(PERESOURCE Resource, BOOLEAN Wait);
NTKERNELAPI VOID ExReleaseResourceLite(PERESOURCE Resource);
NTKERNELAPI VOID ExReleaseResourceForThreadLite(PERESOURCE Resource,
                                                ERESOURCE_THREAD ResourceThreadId);
NTKERNELAPI VOID ExConvertExclusiveToSharedLite(PERESOURCE Resource);
NTKERNELAPI BOOLEAN ExIsResourceAcquiredExclusiveLite(PERESOURCE Resource);
NTKERNELAPI ULONG ExIsResourceAcquiredSharedLite(PERESOURCE Resource);
NTKERNELAPI ULONG ExIsResourceAcquiredLite(PERESOURCE Resource);
NTKERNELAPI ULONG ExGetExclusiveWaiterCount(PERESOURCE Resource);
NTKERNELAPI ULONG ExGetSharedWaiterCount(PERESOURCE Resource);
NTKERNELAPI PVOID ExEnterCriticalRegionAndAcquireResourceExclusive(PERESOURCE Resource);
NTKERNELAPI PVOID ExEnterCriticalRegionAndAcquireResourceShared(PERESOURCE Resource);
NTKERNELAPI PVOID ExEnterCriticalRegionAndAcquireSharedWaitForExclusive(PERESOURCE Resource);
NTKERNELAPI VOID ExReleaseResourceAndLeaveCriticalRegion(PERESOURCE Resource);
/* The pre-Lite names, as the DDK maps them. */
#define ExAcquireResourceExclusive(Resource, Wait) ExAcquireResourceExclusiveLite(Resource, Wait)
#define ExAcquireResourceShared(Resource, Wait) ExAcquireResourceSharedLite(Resource, Wait)
#define ExReleaseResource(Resource) ExReleaseResourceLite(Resource)
#define ExReleaseResourceForThread(Resource, Thread)                                              \
    ExReleaseResourceForThreadLite(Resource, Thread)
#define ExIsResourceAcquiredExclusive(Resource) ExIsResourceAcquiredExclusiveLite(Resource)
#define ExIsResourceAcquiredShared(Resource) ExIsResourceAcquiredSharedLite(Resource)

NTK_EXTERN_C_END

#endif
