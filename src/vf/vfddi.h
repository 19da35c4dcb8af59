/* Vf: the IRQL contract of every DDI libntk exports to drivers, as one X-macro list.
 *
 * X(Name, MinIrql, MaxIrql): Name is the function libntk really exports (KfRaiseIrql, not the
 * KeRaiseIrql macro; IofCallDriver, IofCompleteRequest, ObfReferenceObject, ObfDereferenceObject,
 * KeAcquireSpinLockRaiseToDpc). MinIrql is PASSIVE_LEVEL unless the WDK page sets a floor;
 * MaxIrql is HIGH_LEVEL where the page says "Any level".
 *
 * The values are the "IRQL" row of each routine's WDK reference page (wdm.h, ntddk.h, ntifs.h,
 * ntstrsafe.h). Where that row says "See Remarks", the comment quotes the remark the bound comes
 * from; where the WDK documents no IRQL, the comment says "ntk:" and gives the reason for the
 * value chosen. Two rules apply throughout:
 *  - Rtl routines whose page says "any level if the buffers are resident" (or "PASSIVE_LEVEL if
 *    paged") are recorded as <= DISPATCH_LEVEL: ntk cannot tell a resident buffer from a pageable
 *    one, and DISPATCH_LEVEL is the highest IRQL at which a driver may touch nonpaged data
 *    without owning an interrupt.
 *  - A routine whose documented IRQL depends on an argument (KeSetEvent's Wait, ...) records the
 *    most permissive case; the argument-dependent part is not an entry-IRQL check.
 *
 * Not listed, on purpose (see tests/unit/test_vf_ddi.c): KeGetCurrentIrql, KeBugCheckEx and
 * KeBugCheck, which VfCheckDdiIrql itself calls (a check inside them would recurse), and
 * inline functions and macros of the headers, which libntk does not export. */
#ifndef NTK_VF_VFDDI_H
#define NTK_VF_VFDDI_H

#include <ntk/ntkbase.h>
#include <ntk/ddk/ketypes.h>

#define NTK_DDI_IRQL_CONTRACTS(X)                                                                 \
    /* ---- ntk/ddk/kefuncs.h: IRQL ---- */                                                       \
    /* "Any level (see Remarks)": KfRaiseIrql bug checks by itself if NewIrql < current. */       \
    X(KfRaiseIrql, PASSIVE_LEVEL, HIGH_LEVEL)                                                     \
    X(KeLowerIrql, PASSIVE_LEVEL, HIGH_LEVEL)                                                     \
    /* "Callers ... must be running at IRQL <= DISPATCH_LEVEL. Otherwise ... a bug check." */     \
    X(KeRaiseIrqlToDpcLevel, PASSIVE_LEVEL, DISPATCH_LEVEL)                                       \
    /* ntk: no WDK page; by analogy with KeRaiseIrqlToDpcLevel, raising to SYNCH_LEVEL from       \
     * above it would be a lowering. */                                                           \
    X(KeRaiseIrqlToSynchLevel, PASSIVE_LEVEL, SYNCH_LEVEL)                                        \
    /* ---- threads, priorities, processors ---- */                                               \
    X(KeGetCurrentThread, PASSIVE_LEVEL, HIGH_LEVEL)                                              \
    X(KeSetPriorityThread, PASSIVE_LEVEL, PASSIVE_LEVEL)                                          \
    /* The page says PASSIVE_LEVEL, not <= DISPATCH_LEVEL. */                                     \
    X(KeQueryPriorityThread, PASSIVE_LEVEL, PASSIVE_LEVEL)                                        \
    X(KeSetBasePriorityThread, PASSIVE_LEVEL, PASSIVE_LEVEL)                                      \
    /* ntk: as KeGetCurrentProcessorNumberEx ("Any level"). */                                    \
    X(KeGetCurrentProcessorNumber, PASSIVE_LEVEL, HIGH_LEVEL)                                     \
    X(KeGetCurrentProcessorNumberEx, PASSIVE_LEVEL, HIGH_LEVEL)                                   \
    X(KeQueryActiveProcessorCount, PASSIVE_LEVEL, HIGH_LEVEL)                                     \
    X(KeDelayExecutionThread, PASSIVE_LEVEL, APC_LEVEL)                                           \
    X(KeEnterCriticalRegion, PASSIVE_LEVEL, APC_LEVEL)                                            \
    X(KeLeaveCriticalRegion, PASSIVE_LEVEL, APC_LEVEL)                                            \
    X(KeEnterGuardedRegion, PASSIVE_LEVEL, APC_LEVEL)                                             \
    X(KeLeaveGuardedRegion, PASSIVE_LEVEL, APC_LEVEL)                                             \
    X(KeAreApcsDisabled, PASSIVE_LEVEL, DISPATCH_LEVEL)                                           \
    X(KeAreAllApcsDisabled, PASSIVE_LEVEL, DISPATCH_LEVEL)                                        \
    /* ---- affinity ---- */                                                                      \
    /* "<= DISPATCH_LEVEL (see Remarks)": at DISPATCH_LEVEL the processor change is deferred      \
     * until the caller lowers the IRQL below DISPATCH_LEVEL. */                                  \
    X(KeSetSystemAffinityThreadEx, PASSIVE_LEVEL, DISPATCH_LEVEL)                                 \
    X(KeRevertToUserAffinityThreadEx, PASSIVE_LEVEL, DISPATCH_LEVEL)                              \
    X(KeSetSystemAffinityThread, PASSIVE_LEVEL, DISPATCH_LEVEL)                                   \
    /* ntk: as KeRevertToUserAffinityThreadEx. */                                                 \
    X(KeRevertToUserAffinityThread, PASSIVE_LEVEL, DISPATCH_LEVEL)                                \
    /* "See Remarks": "In Windows Vista and later ... can be called at any IRQL." */              \
    X(KeQueryActiveProcessors, PASSIVE_LEVEL, HIGH_LEVEL)                                         \
    /* ntk: the group-aware processor queries, as KeQueryActiveProcessorCount ("Any level"). */   \
    X(KeQueryActiveProcessorCountEx, PASSIVE_LEVEL, HIGH_LEVEL)                                   \
    X(KeQueryMaximumProcessorCount, PASSIVE_LEVEL, HIGH_LEVEL)                                    \
    X(KeGetProcessorNumberFromIndex, PASSIVE_LEVEL, HIGH_LEVEL)                                   \
    X(KeGetProcessorIndexFromNumber, PASSIVE_LEVEL, HIGH_LEVEL)                                   \
    /* ---- DPCs ---- */                                                                          \
    X(KeInitializeDpc, PASSIVE_LEVEL, HIGH_LEVEL)                                                 \
    X(KeInitializeThreadedDpc, PASSIVE_LEVEL, HIGH_LEVEL)                                         \
    X(KeInsertQueueDpc, PASSIVE_LEVEL, HIGH_LEVEL)                                                \
    X(KeRemoveQueueDpc, PASSIVE_LEVEL, HIGH_LEVEL)                                                \
    X(KeSetImportanceDpc, PASSIVE_LEVEL, HIGH_LEVEL)                                              \
    X(KeSetTargetProcessorDpc, PASSIVE_LEVEL, HIGH_LEVEL)                                         \
    X(KeSetTargetProcessorDpcEx, PASSIVE_LEVEL, HIGH_LEVEL)                                       \
    X(KeFlushQueuedDpcs, PASSIVE_LEVEL, PASSIVE_LEVEL)                                            \
    /* ---- timers ---- */                                                                        \
    /* "<= DISPATCH_LEVEL (see Remarks)": "should be running at IRQL = DISPATCH_LEVEL or lower.   \
     * It is best to initialize timers at IRQL = PASSIVE_LEVEL." */                               \
    X(KeInitializeTimer, PASSIVE_LEVEL, DISPATCH_LEVEL)                                           \
    X(KeInitializeTimerEx, PASSIVE_LEVEL, DISPATCH_LEVEL)                                         \
    X(KeSetTimer, PASSIVE_LEVEL, DISPATCH_LEVEL)                                                  \
    X(KeSetTimerEx, PASSIVE_LEVEL, DISPATCH_LEVEL)                                                \
    X(KeCancelTimer, PASSIVE_LEVEL, DISPATCH_LEVEL)                                               \
    X(KeReadStateTimer, PASSIVE_LEVEL, DISPATCH_LEVEL)                                            \
    /* ---- APCs: exported by ntoskrnl but not documented in the WDK ---- */                      \
    /* ntk: initializing caller storage, like KeInitializeDpc. */                                 \
    X(KeInitializeApc, PASSIVE_LEVEL, HIGH_LEVEL)                                                 \
    /* ntk: queuing takes the dispatcher lock, like KeInsertQueueDpc's target side. */            \
    X(KeInsertQueueApc, PASSIVE_LEVEL, DISPATCH_LEVEL)                                            \
    /* ntk: delivers the current thread's pending user APC state; a thread-context operation. */  \
    X(KeTestAlertThread, PASSIVE_LEVEL, APC_LEVEL)                                                \
    /* ntk: readies a waiting thread, like KeSetEvent. */                                         \
    X(KeAlertThread, PASSIVE_LEVEL, DISPATCH_LEVEL)                                               \
    /* ---- time ---- */                                                                          \
    X(KeQuerySystemTime, PASSIVE_LEVEL, HIGH_LEVEL)                                               \
    X(KeQuerySystemTimePrecise, PASSIVE_LEVEL, HIGH_LEVEL)                                        \
    X(KeQueryInterruptTime, PASSIVE_LEVEL, HIGH_LEVEL)                                            \
    X(KeQueryTickCount, PASSIVE_LEVEL, HIGH_LEVEL)                                                \
    X(KeQueryTimeIncrement, PASSIVE_LEVEL, HIGH_LEVEL)                                            \
    X(KeQueryPerformanceCounter, PASSIVE_LEVEL, HIGH_LEVEL)                                       \
    X(KeStallExecutionProcessor, PASSIVE_LEVEL, HIGH_LEVEL)                                       \
    /* ---- dispatcher objects and waits ---- */                                                  \
    X(KeInitializeEvent, PASSIVE_LEVEL, HIGH_LEVEL)                                               \
    /* "See Remarks": "If Wait is set to FALSE, the caller can be running at IRQL <=              \
     * DISPATCH_LEVEL. Otherwise ... IRQL <= APC_LEVEL and in a nonarbitrary thread context." */  \
    X(KeSetEvent, PASSIVE_LEVEL, DISPATCH_LEVEL)                                                  \
    X(KeResetEvent, PASSIVE_LEVEL, DISPATCH_LEVEL)                                                \
    X(KeClearEvent, PASSIVE_LEVEL, DISPATCH_LEVEL)                                                \
    /* ntk: the ntifs page was not available; as KeSetEvent and KeResetEvent. */                  \
    X(KePulseEvent, PASSIVE_LEVEL, DISPATCH_LEVEL)                                                \
    /* "<= DISPATCH_LEVEL" (rule IrqlKeDispatchLte); the remarks also allow an ISR at DIRQL to    \
     * read a resident event whose users synchronize with the ISR: ntk has no ISRs. */            \
    X(KeReadStateEvent, PASSIVE_LEVEL, DISPATCH_LEVEL)                                            \
    /* The page says PASSIVE_LEVEL (unlike KeInitializeEvent and KeInitializeMutex). */           \
    X(KeInitializeSemaphore, PASSIVE_LEVEL, PASSIVE_LEVEL)                                        \
    /* "See Remarks": "<= DISPATCH_LEVEL provided that Wait is set to FALSE. Otherwise, the       \
     * caller must be running at IRQL = PASSIVE_LEVEL." */                                        \
    X(KeReleaseSemaphore, PASSIVE_LEVEL, DISPATCH_LEVEL)                                          \
    X(KeReadStateSemaphore, PASSIVE_LEVEL, HIGH_LEVEL)                                            \
    /* ntifs: KeInsertQueue, KeInsertHeadQueue, KeRemoveQueue, KeRundownQueue "<=             \
     * DISPATCH_LEVEL" (KeRemoveQueue waits only at lower IRQL, kewait.c checks); ntk:          \
     * KeInitializeQueue and KeReadStateQueue as the other objects' initializers and readers. */ \
    X(KeInitializeQueue, PASSIVE_LEVEL, HIGH_LEVEL)                                               \
    X(KeInsertQueue, PASSIVE_LEVEL, DISPATCH_LEVEL)                                               \
    X(KeInsertHeadQueue, PASSIVE_LEVEL, DISPATCH_LEVEL)                                           \
    X(KeRemoveQueue, PASSIVE_LEVEL, DISPATCH_LEVEL)                                               \
    X(KeReadStateQueue, PASSIVE_LEVEL, DISPATCH_LEVEL)                                            \
    X(KeRundownQueue, PASSIVE_LEVEL, DISPATCH_LEVEL)                                              \
    X(KeInitializeMutex, PASSIVE_LEVEL, HIGH_LEVEL)                                               \
    X(KeReleaseMutex, PASSIVE_LEVEL, DISPATCH_LEVEL)                                              \
    X(KeReadStateMutex, PASSIVE_LEVEL, DISPATCH_LEVEL)                                            \
    /* <= DISPATCH_LEVEL; at DISPATCH_LEVEL only with a zero timeout (not an entry check). */     \
    X(KeWaitForSingleObject, PASSIVE_LEVEL, DISPATCH_LEVEL)                                       \
    X(KeWaitForMultipleObjects, PASSIVE_LEVEL, DISPATCH_LEVEL)                                    \
    /* ---- fast mutexes ---- */                                                                  \
    X(ExAcquireFastMutex, PASSIVE_LEVEL, APC_LEVEL)                                               \
    /* "Callers of ExReleaseFastMutex must be running at IRQL = APC_LEVEL": a floor too. */       \
    X(ExReleaseFastMutex, APC_LEVEL, APC_LEVEL)                                                   \
    X(ExTryToAcquireFastMutex, PASSIVE_LEVEL, APC_LEVEL)                                          \
    /* IRQL row "APC_LEVEL", but the remarks allow a thread "already running at APC_LEVEL" or     \
     * inside a critical region (KeEnterCriticalRegion), which is PASSIVE_LEVEL. */               \
    X(ExAcquireFastMutexUnsafe, PASSIVE_LEVEL, APC_LEVEL)                                         \
    X(ExReleaseFastMutexUnsafe, PASSIVE_LEVEL, APC_LEVEL)                                         \
    /* ---- spin locks ---- */                                                                    \
    /* "See Remarks": only tests the lock, "neither raises nor lowers the IRQL"; the remark that  \
     * it serves "the caller that is running at a low IRQL" is advice, not a limit. */            \
    X(KeTestSpinLock, PASSIVE_LEVEL, HIGH_LEVEL)                                                  \
    X(KeAcquireSpinLockRaiseToDpc, PASSIVE_LEVEL, DISPATCH_LEVEL)                                 \
    /* "DISPATCH_LEVEL (see Remarks)": "Callers of this routine are running at IRQL =             \
     * DISPATCH_LEVEL" (they hold the lock KeAcquireSpinLock raised for). */                      \
    X(KeReleaseSpinLock, DISPATCH_LEVEL, DISPATCH_LEVEL)                                          \
    /* "when the caller is already running at IRQL >= DISPATCH_LEVEL". */                         \
    X(KeAcquireSpinLockAtDpcLevel, DISPATCH_LEVEL, HIGH_LEVEL)                                    \
    /* IRQL row "DISPATCH_LEVEL"; the release of a lock taken at >= DISPATCH_LEVEL happens at     \
     * the same IRQL, so the ceiling is the acquire's. */                                         \
    X(KeReleaseSpinLockFromDpcLevel, DISPATCH_LEVEL, HIGH_LEVEL)                                  \
    X(KeTryToAcquireSpinLockAtDpcLevel, DISPATCH_LEVEL, HIGH_LEVEL)                               \
    /* ---- ntk/ddk/exsync.h: spin locks for threaded DPCs, queued spin locks ---- */             \
    /* ntk: no IRQL row; a threaded DPC runs at PASSIVE_LEVEL or DISPATCH_LEVEL. */               \
    X(KeAcquireSpinLockForDpc, PASSIVE_LEVEL, DISPATCH_LEVEL)                                     \
    /* ntk: the lock is held, so the caller is at DISPATCH_LEVEL. */                              \
    X(KeReleaseSpinLockForDpc, DISPATCH_LEVEL, DISPATCH_LEVEL)                                    \
    X(KeAcquireInStackQueuedSpinLock, PASSIVE_LEVEL, DISPATCH_LEVEL)                              \
    /* "IRQL >= DISPATCH_LEVEL". */                                                               \
    X(KeAcquireInStackQueuedSpinLockAtDpcLevel, DISPATCH_LEVEL, HIGH_LEVEL)                       \
    /* "DISPATCH_LEVEL": the release restores the IRQL saved in the lock handle. */               \
    X(KeReleaseInStackQueuedSpinLock, DISPATCH_LEVEL, DISPATCH_LEVEL)                             \
    X(KeReleaseInStackQueuedSpinLockFromDpcLevel, DISPATCH_LEVEL, HIGH_LEVEL)                     \
    /* ntk: as KeAcquireSpinLockForDpc and KeReleaseSpinLockForDpc. */                            \
    X(KeAcquireInStackQueuedSpinLockForDpc, PASSIVE_LEVEL, DISPATCH_LEVEL)                        \
    X(KeReleaseInStackQueuedSpinLockForDpc, DISPATCH_LEVEL, DISPATCH_LEVEL)                       \
    /* ---- reader/writer spin locks: "DISPATCH_LEVEL (see Remarks)": "<= DISPATCH_LEVEL" on */   \
    /* entry to the raising forms; ">= DISPATCH_LEVEL" for the AtDpcLevel/FromDpcLevel forms. */  \
    X(ExAcquireSpinLockShared, PASSIVE_LEVEL, DISPATCH_LEVEL)                                     \
    X(ExReleaseSpinLockShared, DISPATCH_LEVEL, DISPATCH_LEVEL)                                    \
    X(ExAcquireSpinLockSharedAtDpcLevel, DISPATCH_LEVEL, HIGH_LEVEL)                              \
    X(ExReleaseSpinLockSharedFromDpcLevel, DISPATCH_LEVEL, HIGH_LEVEL)                            \
    X(ExAcquireSpinLockExclusive, PASSIVE_LEVEL, DISPATCH_LEVEL)                                  \
    X(ExReleaseSpinLockExclusive, DISPATCH_LEVEL, DISPATCH_LEVEL)                                 \
    X(ExAcquireSpinLockExclusiveAtDpcLevel, DISPATCH_LEVEL, HIGH_LEVEL)                           \
    X(ExReleaseSpinLockExclusiveFromDpcLevel, DISPATCH_LEVEL, HIGH_LEVEL)                         \
    /* "DISPATCH_LEVEL": the caller holds the lock shared. */                                     \
    X(ExTryConvertSharedSpinLockExclusive, DISPATCH_LEVEL, HIGH_LEVEL)                            \
    /* ---- guarded mutexes ---- */                                                               \
    X(KeInitializeGuardedMutex, PASSIVE_LEVEL, DISPATCH_LEVEL)                                    \
    X(KeAcquireGuardedMutex, PASSIVE_LEVEL, APC_LEVEL)                                            \
    X(KeReleaseGuardedMutex, PASSIVE_LEVEL, APC_LEVEL)                                            \
    X(KeTryToAcquireGuardedMutex, PASSIVE_LEVEL, APC_LEVEL)                                       \
    /* "<= APC_LEVEL"; the remarks add: at APC_LEVEL or in a guarded region (checked apart). */   \
    X(KeAcquireGuardedMutexUnsafe, PASSIVE_LEVEL, APC_LEVEL)                                      \
    X(KeReleaseGuardedMutexUnsafe, PASSIVE_LEVEL, APC_LEVEL)                                      \
    /* ---- executive resources ---- */                                                           \
    X(ExInitializeResourceLite, PASSIVE_LEVEL, DISPATCH_LEVEL)                                    \
    X(ExReinitializeResourceLite, PASSIVE_LEVEL, DISPATCH_LEVEL)                                  \
    X(ExDeleteResourceLite, PASSIVE_LEVEL, APC_LEVEL)                                             \
    X(ExAcquireResourceExclusiveLite, PASSIVE_LEVEL, APC_LEVEL)                                   \
    X(ExAcquireResourceSharedLite, PASSIVE_LEVEL, APC_LEVEL)                                      \
    X(ExAcquireSharedStarveExclusive, PASSIVE_LEVEL, APC_LEVEL)                                   \
    X(ExAcquireSharedWaitForExclusive, PASSIVE_LEVEL, APC_LEVEL)                                  \
    X(ExReleaseResourceLite, PASSIVE_LEVEL, DISPATCH_LEVEL)                                       \
    X(ExReleaseResourceForThreadLite, PASSIVE_LEVEL, DISPATCH_LEVEL)                              \
    X(ExConvertExclusiveToSharedLite, PASSIVE_LEVEL, DISPATCH_LEVEL)                              \
    X(ExIsResourceAcquiredExclusiveLite, PASSIVE_LEVEL, DISPATCH_LEVEL)                           \
    X(ExIsResourceAcquiredSharedLite, PASSIVE_LEVEL, DISPATCH_LEVEL)                              \
    X(ExIsResourceAcquiredLite, PASSIVE_LEVEL, DISPATCH_LEVEL)                                    \
    X(ExGetExclusiveWaiterCount, PASSIVE_LEVEL, DISPATCH_LEVEL)                                   \
    X(ExGetSharedWaiterCount, PASSIVE_LEVEL, DISPATCH_LEVEL)                                      \
    X(ExEnterCriticalRegionAndAcquireResourceExclusive, PASSIVE_LEVEL, APC_LEVEL)                 \
    X(ExEnterCriticalRegionAndAcquireResourceShared, PASSIVE_LEVEL, APC_LEVEL)                    \
    X(ExEnterCriticalRegionAndAcquireSharedWaitForExclusive, PASSIVE_LEVEL, APC_LEVEL)            \
    X(ExReleaseResourceAndLeaveCriticalRegion, PASSIVE_LEVEL, APC_LEVEL)                          \
    /* ---- ntk/ddk/interlocked.h: "Any level" (list storage resident) ---- */                    \
    X(ExpInterlockedPushEntrySList, PASSIVE_LEVEL, HIGH_LEVEL)                                    \
    X(ExpInterlockedPopEntrySList, PASSIVE_LEVEL, HIGH_LEVEL)                                     \
    X(ExpInterlockedFlushSList, PASSIVE_LEVEL, HIGH_LEVEL)                                        \
    X(ExInterlockedInsertHeadList, PASSIVE_LEVEL, HIGH_LEVEL)                                     \
    X(ExInterlockedInsertTailList, PASSIVE_LEVEL, HIGH_LEVEL)                                     \
    X(ExInterlockedRemoveHeadList, PASSIVE_LEVEL, HIGH_LEVEL)                                     \
    X(ExInterlockedPushEntryList, PASSIVE_LEVEL, HIGH_LEVEL)                                      \
    X(ExInterlockedPopEntryList, PASSIVE_LEVEL, HIGH_LEVEL)                                       \
    X(ExInterlockedAddUlong, PASSIVE_LEVEL, HIGH_LEVEL)                                           \
    X(ExInterlockedAddLargeInteger, PASSIVE_LEVEL, HIGH_LEVEL)                                    \
    /* ---- pool ---- */                                                                          \
    X(ExAllocatePool2, PASSIVE_LEVEL, DISPATCH_LEVEL)                                             \
    X(ExAllocatePoolWithTag, PASSIVE_LEVEL, DISPATCH_LEVEL)                                       \
    /* "<= DISPATCH_LEVEL (see Remarks)": at DISPATCH_LEVEL only NonPagedXxx pool types. */       \
    X(ExAllocatePoolWithQuotaTag, PASSIVE_LEVEL, DISPATCH_LEVEL)                                  \
    X(ExAllocatePoolWithTagPriority, PASSIVE_LEVEL, DISPATCH_LEVEL)                               \
    X(ExAllocatePool, PASSIVE_LEVEL, DISPATCH_LEVEL)                                              \
    X(ExAllocatePoolZero, PASSIVE_LEVEL, DISPATCH_LEVEL)                                          \
    X(ExAllocatePoolUninitialized, PASSIVE_LEVEL, DISPATCH_LEVEL)                                 \
    X(ExFreePool, PASSIVE_LEVEL, DISPATCH_LEVEL)                                                  \
    X(ExFreePoolWithTag, PASSIVE_LEVEL, DISPATCH_LEVEL)                                           \
    /* "<= DISPATCH_LEVEL (see Remarks)": paged allocations only at <= APC_LEVEL. */              \
    X(ExFreePool2, PASSIVE_LEVEL, DISPATCH_LEVEL)                                                 \
    X(ExAllocatePool3, PASSIVE_LEVEL, DISPATCH_LEVEL)                                              \
    /* ---- ntk/ddk/securepool.h ---- */                                                           \
    X(ExCreatePool, PASSIVE_LEVEL, PASSIVE_LEVEL)                                                  \
    X(ExDestroyPool, PASSIVE_LEVEL, PASSIVE_LEVEL)                                                 \
    /* ntk: no IRQL documented; secure allocations are nonpaged (ExFreePool2's remarks). */        \
    X(ExSecurePoolUpdate, PASSIVE_LEVEL, DISPATCH_LEVEL)                                           \
    X(ExSecurePoolValidate, PASSIVE_LEVEL, DISPATCH_LEVEL)                                         \
    X(ExRaiseStatus, PASSIVE_LEVEL, APC_LEVEL)                                                    \
    /* "can only be used at IRQL = PASSIVE_LEVEL". */                                             \
    X(ExRaiseAccessViolation, PASSIVE_LEVEL, PASSIVE_LEVEL)                                       \
    X(ExRaiseDatatypeMisalignment, PASSIVE_LEVEL, PASSIVE_LEVEL)                                  \
    /* ntk: not documented for drivers; the same raise as ExRaiseStatus. */                       \
    X(RtlRaiseStatus, PASSIVE_LEVEL, APC_LEVEL)                                                   \
    /* ---- versions ---- */                                                                      \
    X(RtlGetVersion, PASSIVE_LEVEL, PASSIVE_LEVEL)                                                \
    X(PsGetVersion, PASSIVE_LEVEL, PASSIVE_LEVEL)                                                 \
    X(MmGetSystemRoutineAddress, PASSIVE_LEVEL, PASSIVE_LEVEL)                                    \
    /* ---- ntk/ddk/iofuncs.h: object manager ---- */                                             \
    X(ObfReferenceObject, PASSIVE_LEVEL, DISPATCH_LEVEL)                                          \
    X(ObfDereferenceObject, PASSIVE_LEVEL, DISPATCH_LEVEL)                                        \
    X(ObDereferenceObjectDeferDelete, PASSIVE_LEVEL, DISPATCH_LEVEL)                              \
    X(ObDereferenceObjectDeferDeleteWithTag, PASSIVE_LEVEL, DISPATCH_LEVEL)                       \
    /* ntk: the ObReferenceObjectWithTag page is not available; as ObfReferenceObject. */         \
    X(ObfReferenceObjectWithTag, PASSIVE_LEVEL, DISPATCH_LEVEL)                                   \
    X(ObfDereferenceObjectWithTag, PASSIVE_LEVEL, DISPATCH_LEVEL)                                 \
    X(ObReferenceObjectByHandle, PASSIVE_LEVEL, PASSIVE_LEVEL)                                    \
    X(ObReferenceObjectByHandleWithTag, PASSIVE_LEVEL, PASSIVE_LEVEL)                             \
    X(ObReferenceObjectByPointer, PASSIVE_LEVEL, DISPATCH_LEVEL)                                  \
    /* ntk: undocumented; a namespace lookup, like ObReferenceObjectByHandle. */                  \
    X(ObReferenceObjectByName, PASSIVE_LEVEL, PASSIVE_LEVEL)                                      \
    X(ObOpenObjectByPointer, PASSIVE_LEVEL, APC_LEVEL)                                            \
    /* ntk: the ntifs page says "reserved for system use" with no IRQL; as                        \
     * ZwMakeTemporaryObject. */                                                                  \
    X(ObMakeTemporaryObject, PASSIVE_LEVEL, PASSIVE_LEVEL)                                        \
    /* ntk: undocumented; reads the object header, like ObReferenceObjectByPointer. */            \
    X(ObGetObjectType, PASSIVE_LEVEL, DISPATCH_LEVEL)                                             \
    /* ---- processes and threads ---- */                                                         \
    /* "Any level" (the page says it is identical to PsGetCurrentProcess). */                     \
    X(IoGetCurrentProcess, PASSIVE_LEVEL, HIGH_LEVEL)                                             \
    X(PsGetCurrentThread, PASSIVE_LEVEL, HIGH_LEVEL)                                              \
    X(PsGetCurrentProcess, PASSIVE_LEVEL, HIGH_LEVEL)                                             \
    X(PsGetCurrentThreadId, PASSIVE_LEVEL, HIGH_LEVEL)                                            \
    /* ntk: as PsGetCurrentThreadId ("Any level"). */                                             \
    X(PsGetCurrentProcessId, PASSIVE_LEVEL, HIGH_LEVEL)                                           \
    /* IRQL row "DISPATCH_LEVEL", read as a ceiling. */                                           \
    X(PsGetThreadId, PASSIVE_LEVEL, DISPATCH_LEVEL)                                               \
    X(PsGetThreadProcessId, PASSIVE_LEVEL, HIGH_LEVEL)                                            \
    /* ntk: no page available; as PsGetThreadId. */                                               \
    X(PsGetThreadProcess, PASSIVE_LEVEL, DISPATCH_LEVEL)                                          \
    X(PsGetProcessId, PASSIVE_LEVEL, HIGH_LEVEL)                                                  \
    /* IRQL row "APC_LEVEL", read as a ceiling. */                                                \
    X(PsGetProcessExitStatus, PASSIVE_LEVEL, APC_LEVEL)                                           \
    X(PsGetThreadExitStatus, PASSIVE_LEVEL, APC_LEVEL)                                            \
    X(PsIsSystemThread, PASSIVE_LEVEL, DISPATCH_LEVEL)                                            \
    /* ntk: the ntddk page was not available; a flag test on the thread, like PsGetCurrentThread. \
     */                                                                                           \
    X(PsIsThreadTerminating, PASSIVE_LEVEL, HIGH_LEVEL)                                           \
    /* ntk: as PsLookupProcessByProcessId ("<= APC_LEVEL", "contains pageable code"). */          \
    X(PsLookupThreadByThreadId, PASSIVE_LEVEL, APC_LEVEL)                                         \
    X(PsLookupProcessByProcessId, PASSIVE_LEVEL, APC_LEVEL)                                       \
    X(PsCreateSystemThread, PASSIVE_LEVEL, PASSIVE_LEVEL)                                         \
    X(PsTerminateSystemThread, PASSIVE_LEVEL, PASSIVE_LEVEL)                                      \
    X(ExGetPreviousMode, PASSIVE_LEVEL, DISPATCH_LEVEL)                                           \
    /* ntk: undocumented; the same value as ExGetPreviousMode. */                                 \
    X(KeGetPreviousMode, PASSIVE_LEVEL, DISPATCH_LEVEL)                                           \
    /* ---- devices, drivers and IRPs ---- */                                                     \
    X(IoCreateDevice, PASSIVE_LEVEL, PASSIVE_LEVEL)                                               \
    /* The page says <= APC_LEVEL, not PASSIVE_LEVEL. */                                          \
    X(IoDeleteDevice, PASSIVE_LEVEL, APC_LEVEL)                                                   \
    X(IoCreateSymbolicLink, PASSIVE_LEVEL, PASSIVE_LEVEL)                                         \
    X(IoDeleteSymbolicLink, PASSIVE_LEVEL, PASSIVE_LEVEL)                                         \
    X(IoGetDeviceObjectPointer, PASSIVE_LEVEL, PASSIVE_LEVEL)                                     \
    X(IoAttachDeviceToDeviceStack, PASSIVE_LEVEL, DISPATCH_LEVEL)                                 \
    X(IoAttachDeviceToDeviceStackSafe, PASSIVE_LEVEL, DISPATCH_LEVEL)                             \
    X(IoAttachDevice, PASSIVE_LEVEL, PASSIVE_LEVEL)                                               \
    X(IoDetachDevice, PASSIVE_LEVEL, PASSIVE_LEVEL)                                               \
    X(IoGetAttachedDeviceReference, PASSIVE_LEVEL, DISPATCH_LEVEL)                                \
    X(IoGetAttachedDevice, PASSIVE_LEVEL, DISPATCH_LEVEL)                                         \
    X(IoGetRelatedDeviceObject, PASSIVE_LEVEL, DISPATCH_LEVEL)                                    \
    X(IoAllocateIrp, PASSIVE_LEVEL, DISPATCH_LEVEL)                                               \
    X(IoFreeIrp, PASSIVE_LEVEL, DISPATCH_LEVEL)                                                   \
    X(IoInitializeIrp, PASSIVE_LEVEL, DISPATCH_LEVEL)                                             \
    X(IoReuseIrp, PASSIVE_LEVEL, DISPATCH_LEVEL)                                                  \
    X(IofCallDriver, PASSIVE_LEVEL, DISPATCH_LEVEL)                                               \
    X(IofCompleteRequest, PASSIVE_LEVEL, DISPATCH_LEVEL)                                          \
    X(IoCancelIrp, PASSIVE_LEVEL, DISPATCH_LEVEL)                                                 \
    X(IoAcquireCancelSpinLock, PASSIVE_LEVEL, DISPATCH_LEVEL)                                     \
    /* "DISPATCH_LEVEL": "The holder of the cancel spin lock runs at IRQL = DISPATCH_LEVEL". */   \
    X(IoReleaseCancelSpinLock, DISPATCH_LEVEL, DISPATCH_LEVEL)                                    \
    X(IoBuildDeviceIoControlRequest, PASSIVE_LEVEL, PASSIVE_LEVEL)                                \
    X(IoBuildSynchronousFsdRequest, PASSIVE_LEVEL, PASSIVE_LEVEL)                                 \
    X(IoBuildAsynchronousFsdRequest, PASSIVE_LEVEL, DISPATCH_LEVEL)                               \
    X(IoThreadToProcess, PASSIVE_LEVEL, DISPATCH_LEVEL)                                           \
    X(IoIsSystemThread, PASSIVE_LEVEL, DISPATCH_LEVEL)                                            \
    X(IoSetCompletionRoutineEx, PASSIVE_LEVEL, DISPATCH_LEVEL)                                    \
    /* ---- ntk/ddk/csq.h: cancel-safe IRP queues ---- */                                        \
    /* IoCsqInitialize(Ex): "Any level". */                                                       \
    X(IoCsqInitialize, PASSIVE_LEVEL, HIGH_LEVEL)                                                 \
    X(IoCsqInitializeEx, PASSIVE_LEVEL, HIGH_LEVEL)                                               \
    X(IoCsqInsertIrp, PASSIVE_LEVEL, DISPATCH_LEVEL)                                              \
    X(IoCsqInsertIrpEx, PASSIVE_LEVEL, DISPATCH_LEVEL)                                            \
    X(IoCsqRemoveNextIrp, PASSIVE_LEVEL, DISPATCH_LEVEL)                                          \
    X(IoCsqRemoveIrp, PASSIVE_LEVEL, DISPATCH_LEVEL)                                              \
    /* ---- memory manager ---- */                                                                \
    X(ProbeForRead, PASSIVE_LEVEL, APC_LEVEL)                                                     \
    X(ProbeForWrite, PASSIVE_LEVEL, APC_LEVEL)                                                    \
    X(MmIsAddressValid, PASSIVE_LEVEL, DISPATCH_LEVEL)                                            \
    /* ---- ntk/ddk/mdl.h: MDLs ---- */                                                           \
    X(IoAllocateMdl, PASSIVE_LEVEL, DISPATCH_LEVEL)                                               \
    X(IoFreeMdl, PASSIVE_LEVEL, DISPATCH_LEVEL)                                                   \
    X(IoBuildPartialMdl, PASSIVE_LEVEL, DISPATCH_LEVEL)                                           \
    /* "Any level". */                                                                            \
    X(MmSizeOfMdl, PASSIVE_LEVEL, HIGH_LEVEL)                                                     \
    /* "<= APC_LEVEL for pageable addresses, <= DISPATCH_LEVEL for nonpageable addresses". */     \
    X(MmProbeAndLockPages, PASSIVE_LEVEL, DISPATCH_LEVEL)                                         \
    X(MmUnlockPages, PASSIVE_LEVEL, DISPATCH_LEVEL)                                               \
    X(MmBuildMdlForNonPagedPool, PASSIVE_LEVEL, DISPATCH_LEVEL)                                   \
    /* "<= APC_LEVEL if UserMode, <= DISPATCH_LEVEL if KernelMode" (the AccessMode argument). */ \
    X(MmMapLockedPagesSpecifyCache, PASSIVE_LEVEL, DISPATCH_LEVEL)                                \
    X(MmMapLockedPages, PASSIVE_LEVEL, DISPATCH_LEVEL)                                            \
    /* "See Remarks": <= DISPATCH_LEVEL for a system-space mapping, <= APC_LEVEL otherwise. */    \
    X(MmUnmapLockedPages, PASSIVE_LEVEL, DISPATCH_LEVEL)                                          \
    /* ---- Zw services: every Zw page says PASSIVE_LEVEL (rule IrqlZwPassive) ---- */            \
    X(ZwClose, PASSIVE_LEVEL, PASSIVE_LEVEL)                                                      \
    X(ZwCreateFile, PASSIVE_LEVEL, PASSIVE_LEVEL)                                                 \
    X(ZwOpenFile, PASSIVE_LEVEL, PASSIVE_LEVEL)                                                   \
    X(ZwReadFile, PASSIVE_LEVEL, PASSIVE_LEVEL)                                                   \
    X(ZwWriteFile, PASSIVE_LEVEL, PASSIVE_LEVEL)                                                  \
    X(ZwDeviceIoControlFile, PASSIVE_LEVEL, PASSIVE_LEVEL)                                        \
    X(ZwCreateEvent, PASSIVE_LEVEL, PASSIVE_LEVEL)                                                \
    X(ZwOpenEvent, PASSIVE_LEVEL, PASSIVE_LEVEL)                                                  \
    X(ZwSetEvent, PASSIVE_LEVEL, PASSIVE_LEVEL)                                                   \
    X(ZwResetEvent, PASSIVE_LEVEL, PASSIVE_LEVEL)                                                 \
    X(ZwClearEvent, PASSIVE_LEVEL, PASSIVE_LEVEL)                                                 \
    X(ZwWaitForSingleObject, PASSIVE_LEVEL, PASSIVE_LEVEL)                                        \
    X(ZwWaitForMultipleObjects, PASSIVE_LEVEL, PASSIVE_LEVEL)                                     \
    /* ntk: not in the WDK headers; the Zw rule (PASSIVE_LEVEL) as for ZwCreateEvent. */          \
    X(ZwCreateSemaphore, PASSIVE_LEVEL, PASSIVE_LEVEL)                                            \
    X(ZwOpenSemaphore, PASSIVE_LEVEL, PASSIVE_LEVEL)                                              \
    X(ZwReleaseSemaphore, PASSIVE_LEVEL, PASSIVE_LEVEL)                                           \
    X(ZwCreateMutant, PASSIVE_LEVEL, PASSIVE_LEVEL)                                               \
    X(ZwOpenMutant, PASSIVE_LEVEL, PASSIVE_LEVEL)                                                 \
    X(ZwReleaseMutant, PASSIVE_LEVEL, PASSIVE_LEVEL)                                              \
    /* IoCreateNotificationEvent, IoCreateSynchronizationEvent: "IRQL PASSIVE_LEVEL". */          \
    X(IoCreateNotificationEvent, PASSIVE_LEVEL, PASSIVE_LEVEL)                                    \
    X(IoCreateSynchronizationEvent, PASSIVE_LEVEL, PASSIVE_LEVEL)                                 \
    X(ZwDuplicateObject, PASSIVE_LEVEL, PASSIVE_LEVEL)                                            \
    X(ZwMakeTemporaryObject, PASSIVE_LEVEL, PASSIVE_LEVEL)                                        \
    X(ZwAllocateVirtualMemory, PASSIVE_LEVEL, PASSIVE_LEVEL)                                    \
    X(ZwFreeVirtualMemory, PASSIVE_LEVEL, PASSIVE_LEVEL)                                        \
    X(ZwQueryVirtualMemory, PASSIVE_LEVEL, PASSIVE_LEVEL)                                       \
    X(ZwProtectVirtualMemory, PASSIVE_LEVEL, PASSIVE_LEVEL)                                     \
    /* ---- ntk/ddk/workitem.h ---- */                                                            \
    X(ExQueueWorkItem, PASSIVE_LEVEL, DISPATCH_LEVEL)                                             \
    X(IoAllocateWorkItem, PASSIVE_LEVEL, DISPATCH_LEVEL)                                          \
    X(IoFreeWorkItem, PASSIVE_LEVEL, DISPATCH_LEVEL)                                              \
    X(IoQueueWorkItem, PASSIVE_LEVEL, DISPATCH_LEVEL)                                             \
    X(IoQueueWorkItemEx, PASSIVE_LEVEL, DISPATCH_LEVEL)                                           \
    X(IoTryQueueWorkItem, PASSIVE_LEVEL, DISPATCH_LEVEL)                                          \
    X(IoSizeofWorkItem, PASSIVE_LEVEL, HIGH_LEVEL)                                                \
    X(IoInitializeWorkItem, PASSIVE_LEVEL, HIGH_LEVEL)                                            \
    X(IoUninitializeWorkItem, PASSIVE_LEVEL, HIGH_LEVEL)                                          \
    X(IoCreateSystemThread, PASSIVE_LEVEL, PASSIVE_LEVEL)                                         \
    /* ---- ntk/ddk/lookaside.h ---- */                                                           \
    X(ExInitializeNPagedLookasideList, PASSIVE_LEVEL, DISPATCH_LEVEL)                             \
    X(ExInitializePagedLookasideList, PASSIVE_LEVEL, APC_LEVEL)                                   \
    X(ExAllocateFromNPagedLookasideList, PASSIVE_LEVEL, DISPATCH_LEVEL)                           \
    X(ExFreeToNPagedLookasideList, PASSIVE_LEVEL, DISPATCH_LEVEL)                                 \
    X(ExAllocateFromPagedLookasideList, PASSIVE_LEVEL, APC_LEVEL)                                 \
    X(ExFreeToPagedLookasideList, PASSIVE_LEVEL, APC_LEVEL)                                       \
    X(ExDeleteNPagedLookasideList, PASSIVE_LEVEL, DISPATCH_LEVEL)                                 \
    X(ExDeletePagedLookasideList, PASSIVE_LEVEL, APC_LEVEL)                                       \
    /* "<= DISPATCH_LEVEL (see Remarks)": typically PASSIVE_LEVEL. A paged list's entries are     \
     * still only allocated and freed at <= APC_LEVEL (the pool checks). */                       \
    X(ExInitializeLookasideListEx, PASSIVE_LEVEL, DISPATCH_LEVEL)                                 \
    X(ExAllocateFromLookasideListEx, PASSIVE_LEVEL, DISPATCH_LEVEL)                               \
    X(ExFreeToLookasideListEx, PASSIVE_LEVEL, DISPATCH_LEVEL)                                     \
    X(ExFlushLookasideListEx, PASSIVE_LEVEL, DISPATCH_LEVEL)                                      \
    X(ExDeleteLookasideListEx, PASSIVE_LEVEL, DISPATCH_LEVEL)                                     \
    /* ---- ddk/wdm.h: debug output ---- */                                                       \
    /* "<= DIRQL (see Comments)": callable at IRQL <= DIRQL, the Unicode formats (%wZ, %ws, ...)  \
     * only at PASSIVE_LEVEL. There is no single DIRQL value, so the ceiling is HIGH_LEVEL. */    \
    X(DbgPrint, PASSIVE_LEVEL, HIGH_LEVEL)                                                        \
    X(DbgPrintEx, PASSIVE_LEVEL, HIGH_LEVEL)                                                      \
    X(vDbgPrintEx, PASSIVE_LEVEL, HIGH_LEVEL)                                                     \
    X(vDbgPrintExWithPrefix, PASSIVE_LEVEL, HIGH_LEVEL)                                           \
    X(DbgPrintReturnControlC, PASSIVE_LEVEL, HIGH_LEVEL)                                          \
    /* ntk: filter-state queries, usable wherever DbgPrintEx is. */                               \
    X(DbgQueryDebugFilterState, PASSIVE_LEVEL, HIGH_LEVEL)                                        \
    X(DbgSetDebugFilterState, PASSIVE_LEVEL, HIGH_LEVEL)                                          \
    /* ntk: a breakpoint (or assertion) is legal at any IRQL. */                                  \
    X(DbgBreakPoint, PASSIVE_LEVEL, HIGH_LEVEL)                                                   \
    X(DbgBreakPointWithStatus, PASSIVE_LEVEL, HIGH_LEVEL)                                         \
    X(RtlAssert, PASSIVE_LEVEL, HIGH_LEVEL)                                                       \
    X(KdpAssertionFailure, PASSIVE_LEVEL, HIGH_LEVEL) /* ntk: NT_ASSERT, any level like RtlAssert */ \
    /* ---- ntk/rtl.h (resident-buffer rule: see the top of this file) ---- */                    \
    /* "Any level (See Remarks)": any IRQL "if both blocks of memory are resident". */            \
    X(RtlCompareMemory, PASSIVE_LEVEL, DISPATCH_LEVEL)                                            \
    /* ntk: behind the RtlSecureZeroMemory macro (inline in the WDK); writes caller memory. */    \
    X(RtlpSecureZeroMemory, PASSIVE_LEVEL, HIGH_LEVEL)                                            \
    /* ntk: a fail-fast bug check, legal at any IRQL like KeBugCheckEx. */                        \
    X(RtlFailFast, PASSIVE_LEVEL, HIGH_LEVEL)                                                     \
    /* The page points at WdmlibRtlInitUnicodeStringEx's remarks: resident-buffer rule. */        \
    X(RtlInitUnicodeString, PASSIVE_LEVEL, DISPATCH_LEVEL)                                        \
    X(RtlInitUnicodeStringEx, PASSIVE_LEVEL, DISPATCH_LEVEL)                                      \
    X(RtlInitAnsiString, PASSIVE_LEVEL, DISPATCH_LEVEL)                                           \
    X(RtlInitString, PASSIVE_LEVEL, DISPATCH_LEVEL)                                               \
    /* "Any level (See Remarks)": buffers "must be resident if the caller is running at IRQL >=   \
     * DISPATCH_LEVEL". */                                                                        \
    X(RtlCopyUnicodeString, PASSIVE_LEVEL, DISPATCH_LEVEL)                                        \
    X(RtlCompareUnicodeString, PASSIVE_LEVEL, PASSIVE_LEVEL)                                      \
    /* ntk: as RtlCompareUnicodeString. */                                                        \
    X(RtlCompareUnicodeStrings, PASSIVE_LEVEL, PASSIVE_LEVEL)                                     \
    X(RtlEqualUnicodeString, PASSIVE_LEVEL, PASSIVE_LEVEL)                                        \
    X(RtlPrefixUnicodeString, PASSIVE_LEVEL, PASSIVE_LEVEL)                                       \
    /* "See Remarks": "The Destination buffer must be resident if the caller is running at IRQL   \
     * >= DISPATCH_LEVEL". */                                                                     \
    X(RtlAppendUnicodeToString, PASSIVE_LEVEL, DISPATCH_LEVEL)                                    \
    X(RtlAppendUnicodeStringToString, PASSIVE_LEVEL, DISPATCH_LEVEL)                              \
    X(RtlUnicodeStringToInteger, PASSIVE_LEVEL, PASSIVE_LEVEL)                                    \
    X(RtlIntegerToUnicodeString, PASSIVE_LEVEL, PASSIVE_LEVEL)                                    \
    X(RtlInt64ToUnicodeString, PASSIVE_LEVEL, PASSIVE_LEVEL)                                      \
    X(RtlCharToInteger, PASSIVE_LEVEL, PASSIVE_LEVEL)                                             \
    X(RtlUpcaseUnicodeChar, PASSIVE_LEVEL, APC_LEVEL)                                             \
    /* ntk: as RtlUpcaseUnicodeChar. */                                                           \
    X(RtlDowncaseUnicodeChar, PASSIVE_LEVEL, APC_LEVEL)                                           \
    X(RtlUpcaseUnicodeString, PASSIVE_LEVEL, PASSIVE_LEVEL)                                       \
    X(RtlDowncaseUnicodeString, PASSIVE_LEVEL, PASSIVE_LEVEL)                                     \
    /* ntk: may allocate from paged pool, like RtlUpcaseUnicodeString. */                         \
    X(RtlDuplicateUnicodeString, PASSIVE_LEVEL, PASSIVE_LEVEL)                                    \
    X(RtlFreeUnicodeString, PASSIVE_LEVEL, PASSIVE_LEVEL)                                         \
    X(RtlFreeAnsiString, PASSIVE_LEVEL, PASSIVE_LEVEL)                                            \
    X(RtlAnsiStringToUnicodeString, PASSIVE_LEVEL, PASSIVE_LEVEL)                                 \
    X(RtlUnicodeStringToAnsiString, PASSIVE_LEVEL, PASSIVE_LEVEL)                                 \
    X(RtlCreateUnicodeString, PASSIVE_LEVEL, PASSIVE_LEVEL)                                       \
    X(RtlInitAnsiStringEx, PASSIVE_LEVEL, DISPATCH_LEVEL)                                         \
    X(RtlInitStringEx, PASSIVE_LEVEL, DISPATCH_LEVEL)                                             \
    X(RtlCopyString, PASSIVE_LEVEL, DISPATCH_LEVEL)                                               \
    X(RtlCompareString, PASSIVE_LEVEL, PASSIVE_LEVEL)                                             \
    X(RtlEqualString, PASSIVE_LEVEL, PASSIVE_LEVEL)                                               \
    X(RtlPrefixString, PASSIVE_LEVEL, PASSIVE_LEVEL)                                              \
    X(RtlAppendStringToString, PASSIVE_LEVEL, DISPATCH_LEVEL)                                     \
    X(RtlUpperChar, PASSIVE_LEVEL, PASSIVE_LEVEL)                                                 \
    X(RtlUpperString, PASSIVE_LEVEL, PASSIVE_LEVEL)                                               \
    X(RtlxAnsiStringToUnicodeSize, PASSIVE_LEVEL, PASSIVE_LEVEL)                                  \
    X(RtlxUnicodeStringToAnsiSize, PASSIVE_LEVEL, PASSIVE_LEVEL)                                  \
    X(RtlUnicodeToUTF8N, PASSIVE_LEVEL, PASSIVE_LEVEL)                                            \
    X(RtlUTF8ToUnicodeN, PASSIVE_LEVEL, PASSIVE_LEVEL)                                            \
    X(RtlHashUnicodeString, PASSIVE_LEVEL, PASSIVE_LEVEL)                                         \
    X(RtlStringFromGUID, PASSIVE_LEVEL, PASSIVE_LEVEL)                                            \
    X(RtlGUIDFromString, PASSIVE_LEVEL, PASSIVE_LEVEL)                                            \
    /* ntk: no IRQL in the stored WDK pages; a lookup in a constant table, safe at any IRQL. */   \
    X(RtlNtStatusToDosError, PASSIVE_LEVEL, HIGH_LEVEL)                                           \
    X(RtlNtStatusToDosErrorNoTeb, PASSIVE_LEVEL, HIGH_LEVEL)                                      \
    /* ---- ddk/ntstrsafe.h: every page (Copy, Printf, ...) says PASSIVE_LEVEL ---- */            \
    X(RtlStringCchCopyA, PASSIVE_LEVEL, PASSIVE_LEVEL)                                            \
    X(RtlStringCchCopyW, PASSIVE_LEVEL, PASSIVE_LEVEL)                                            \
    X(RtlStringCbCopyA, PASSIVE_LEVEL, PASSIVE_LEVEL)                                             \
    X(RtlStringCbCopyW, PASSIVE_LEVEL, PASSIVE_LEVEL)                                             \
    X(RtlStringCchCopyNA, PASSIVE_LEVEL, PASSIVE_LEVEL)                                           \
    X(RtlStringCchCopyNW, PASSIVE_LEVEL, PASSIVE_LEVEL)                                           \
    X(RtlStringCbCopyNA, PASSIVE_LEVEL, PASSIVE_LEVEL)                                            \
    X(RtlStringCbCopyNW, PASSIVE_LEVEL, PASSIVE_LEVEL)                                            \
    X(RtlStringCchCopyExA, PASSIVE_LEVEL, PASSIVE_LEVEL)                                          \
    X(RtlStringCchCopyExW, PASSIVE_LEVEL, PASSIVE_LEVEL)                                          \
    X(RtlStringCbCopyExA, PASSIVE_LEVEL, PASSIVE_LEVEL)                                           \
    X(RtlStringCbCopyExW, PASSIVE_LEVEL, PASSIVE_LEVEL)                                           \
    X(RtlStringCchCatA, PASSIVE_LEVEL, PASSIVE_LEVEL)                                             \
    X(RtlStringCchCatW, PASSIVE_LEVEL, PASSIVE_LEVEL)                                             \
    X(RtlStringCbCatA, PASSIVE_LEVEL, PASSIVE_LEVEL)                                              \
    X(RtlStringCbCatW, PASSIVE_LEVEL, PASSIVE_LEVEL)                                              \
    X(RtlStringCchCatNA, PASSIVE_LEVEL, PASSIVE_LEVEL)                                            \
    X(RtlStringCchCatNW, PASSIVE_LEVEL, PASSIVE_LEVEL)                                            \
    X(RtlStringCbCatNA, PASSIVE_LEVEL, PASSIVE_LEVEL)                                             \
    X(RtlStringCbCatNW, PASSIVE_LEVEL, PASSIVE_LEVEL)                                             \
    X(RtlStringCchCatExA, PASSIVE_LEVEL, PASSIVE_LEVEL)                                           \
    X(RtlStringCchCatExW, PASSIVE_LEVEL, PASSIVE_LEVEL)                                           \
    X(RtlStringCbCatExA, PASSIVE_LEVEL, PASSIVE_LEVEL)                                            \
    X(RtlStringCbCatExW, PASSIVE_LEVEL, PASSIVE_LEVEL)                                            \
    X(RtlStringCchPrintfA, PASSIVE_LEVEL, PASSIVE_LEVEL)                                          \
    X(RtlStringCchPrintfW, PASSIVE_LEVEL, PASSIVE_LEVEL)                                          \
    X(RtlStringCbPrintfA, PASSIVE_LEVEL, PASSIVE_LEVEL)                                           \
    X(RtlStringCbPrintfW, PASSIVE_LEVEL, PASSIVE_LEVEL)                                           \
    X(RtlStringCchVPrintfA, PASSIVE_LEVEL, PASSIVE_LEVEL)                                         \
    X(RtlStringCchVPrintfW, PASSIVE_LEVEL, PASSIVE_LEVEL)                                         \
    X(RtlStringCbVPrintfA, PASSIVE_LEVEL, PASSIVE_LEVEL)                                          \
    X(RtlStringCbVPrintfW, PASSIVE_LEVEL, PASSIVE_LEVEL)                                          \
    X(RtlStringCchPrintfExA, PASSIVE_LEVEL, PASSIVE_LEVEL)                                        \
    X(RtlStringCchPrintfExW, PASSIVE_LEVEL, PASSIVE_LEVEL)                                        \
    X(RtlStringCbPrintfExA, PASSIVE_LEVEL, PASSIVE_LEVEL)                                         \
    X(RtlStringCbPrintfExW, PASSIVE_LEVEL, PASSIVE_LEVEL)                                         \
    X(RtlStringCchVPrintfExA, PASSIVE_LEVEL, PASSIVE_LEVEL)                                       \
    X(RtlStringCchVPrintfExW, PASSIVE_LEVEL, PASSIVE_LEVEL)                                       \
    X(RtlStringCbVPrintfExA, PASSIVE_LEVEL, PASSIVE_LEVEL)                                        \
    X(RtlStringCbVPrintfExW, PASSIVE_LEVEL, PASSIVE_LEVEL)                                        \
    X(RtlStringCchLengthA, PASSIVE_LEVEL, PASSIVE_LEVEL)                                          \
    X(RtlStringCchLengthW, PASSIVE_LEVEL, PASSIVE_LEVEL)                                          \
    X(RtlStringCbLengthA, PASSIVE_LEVEL, PASSIVE_LEVEL)                                           \
    X(RtlStringCbLengthW, PASSIVE_LEVEL, PASSIVE_LEVEL)                                           \
    X(RtlUnicodeStringInit, PASSIVE_LEVEL, PASSIVE_LEVEL)                                         \
    X(RtlUnicodeStringValidate, PASSIVE_LEVEL, PASSIVE_LEVEL)                                     \
    X(RtlUnicodeStringCopy, PASSIVE_LEVEL, PASSIVE_LEVEL)                                         \
    X(RtlUnicodeStringCopyString, PASSIVE_LEVEL, PASSIVE_LEVEL)                                   \
    X(RtlUnicodeStringCat, PASSIVE_LEVEL, PASSIVE_LEVEL)                                          \
    X(RtlUnicodeStringCatString, PASSIVE_LEVEL, PASSIVE_LEVEL)                                    \
    X(RtlUnicodeStringPrintf, PASSIVE_LEVEL, PASSIVE_LEVEL)                                       \
    X(RtlUnicodeStringVPrintf, PASSIVE_LEVEL, PASSIVE_LEVEL)

/* VF_DDI_KeSetEvent, VF_DDI_IofCallDriver, ...: a DDI's index in the table. */
typedef enum _VF_DDI {
#define VF_DDI_ENUMERATOR(Name, MinIrql, MaxIrql) VF_DDI_##Name,
    NTK_DDI_IRQL_CONTRACTS(VF_DDI_ENUMERATOR)
#undef VF_DDI_ENUMERATOR
    VF_DDI_COUNT
} VF_DDI;

NTK_EXTERN_C_START

/* Bug checks if the current IRQL is outside the contract of Ddi: IRQL_NOT_LESS_OR_EQUAL (0xA)
 * above its maximum, IRQL_NOT_GREATER_OR_EQUAL (0x9) below its minimum. Routine is the DDI's
 * address, Caller the address its caller will return to. */
VOID VfCheckDdiIrql(ULONG Ddi, PVOID Routine, PVOID Caller);
/* The DDI's name, or NULL for an index out of range. */
NTK_EXPORT PCSTR VfDdiName(ULONG Ddi);
/* The contract of the DDI called Name (case-sensitive); FALSE if the table has no such DDI. */
NTK_EXPORT BOOLEAN VfDdiContract(PCSTR Name, KIRQL *Min, KIRQL *Max);

NTK_EXTERN_C_END

/* The limits as constants, so that each check folds into a compare or two at its call site;
 * the out-of-line VfCheckDdiIrql only runs for a violation. */
#define VF_DDI_MIN_OF(Name, MinIrql, MaxIrql) [VF_DDI_##Name] = (MinIrql),
#define VF_DDI_MAX_OF(Name, MinIrql, MaxIrql) [VF_DDI_##Name] = (MaxIrql),
static const UCHAR VfDdiMinIrql[VF_DDI_COUNT] __attribute__((unused)) = {
    NTK_DDI_IRQL_CONTRACTS(VF_DDI_MIN_OF)
};
static const UCHAR VfDdiMaxIrql[VF_DDI_COUNT] __attribute__((unused)) = {
    NTK_DDI_IRQL_CONTRACTS(VF_DDI_MAX_OF)
};
#undef VF_DDI_MIN_OF
#undef VF_DDI_MAX_OF

/* The first statement of a DDI's implementation: VF_CHECK_IRQL(KeSetEvent); */
#define VF_CHECK_IRQL(Name)                                                                       \
    do {                                                                                          \
        KIRQL VfIrql_ = KiGetIrql();                                                              \
        if (__builtin_expect(VfIrql_ > VfDdiMaxIrql[VF_DDI_##Name] ||                            \
                                 VfIrql_ < VfDdiMinIrql[VF_DDI_##Name],                          \
                             0))                                                                  \
            VfCheckDdiIrql(VF_DDI_##Name, (PVOID)(Name), __builtin_return_address(0));            \
    } while (0)

#endif
