/* Ke: virtual processors and IRQL. A thread raising to DISPATCH_LEVEL takes ownership of its
 * processor, so it is the only thread running there until it drops below DISPATCH_LEVEL, when
 * the processor's pending DPCs run first. Below DISPATCH_LEVEL, IRQL is the thread's own. */
#include "ki.h"
#include "../vf/vfddi.h"
#include <linux/futex.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

KPRCB KiProcessorBlock[KI_MAX_PROCESSORS];
ULONG KiProcessorCount = 1;
static volatile LONG KiNextProcessor;

NTSTATUS KiInitializeProcessors(ULONG Count)
{
    ULONG i;
    if (Count == 0) {
        long Host = sysconf(_SC_NPROCESSORS_ONLN);
        Count = Host > 0 ? (ULONG)Host : 1;
    }
    if (Count > KI_MAX_PROCESSORS)
        return STATUS_INVALID_PARAMETER;
    KiProcessorCount = Count;
    for (i = 0; i < Count; i++)
        KiProcessorBlock[i].Number = i;
    return STATUS_SUCCESS;
}

/* New threads are spread over the processors. */
ULONG KiSelectProcessor(VOID)
{
    return (ULONG)InterlockedIncrement(&KiNextProcessor) % KiProcessorCount;
}

ULONGLONG KiHostNanoseconds(VOID)
{
    struct timespec Now;
    clock_gettime(CLOCK_MONOTONIC, &Now);
    return (ULONGLONG)Now.tv_sec * 1000000000ULL + (ULONGLONG)Now.tv_nsec;
}

static __attribute__((noinline)) VOID KiAcquireProcessorContended(KPRCB *Prcb)
{
    /* Another thread runs at DISPATCH_LEVEL here: wait, as a thread would that the processor
     * does not schedule. */
    while (__atomic_exchange_n(&Prcb->OwnerLock, 2, __ATOMIC_ACQUIRE) != 0)
        syscall(SYS_futex, &Prcb->OwnerLock, FUTEX_WAIT_PRIVATE, 2, NULL, NULL, 0);
}

VOID KiAcquireProcessor(KPRCB *Prcb, PKTHREAD Thread)
{
    int Expected = 0;
    if (__builtin_expect(!__atomic_compare_exchange_n(&Prcb->OwnerLock, &Expected, 1, FALSE,
                                                      __ATOMIC_ACQUIRE, __ATOMIC_RELAXED),
                         0))
        KiAcquireProcessorContended(Prcb);
    (void)Thread;
}

VOID KiReleaseProcessor(KPRCB *Prcb)
{
    if (__atomic_exchange_n(&Prcb->OwnerLock, 0, __ATOMIC_RELEASE) == 2)
        syscall(SYS_futex, &Prcb->OwnerLock, FUTEX_WAKE_PRIVATE, 1, NULL, NULL, 0);
}

static inline PKTHREAD KiThread(VOID)
{
    PKTHREAD Thread = KiCurrentThread;
    return __builtin_expect(Thread != NULL, 1) ? Thread : KeGetCurrentThread();
}

KIRQL KfRaiseIrql(KIRQL NewIrql)
{
    PKTHREAD Thread = KiThread();
    KIRQL Old = Thread->Irql;
    if (NewIrql < Old)
        KeBugCheckEx(IRQL_NOT_GREATER_OR_EQUAL, Old, NewIrql, 0, 0);
    if (Old < DISPATCH_LEVEL && NewIrql >= DISPATCH_LEVEL) {
        KiAcquireProcessor(&KiProcessorBlock[Thread->Processor], Thread);
        if (__builtin_expect(ExpForceIrqlChecking, 0))
            ExpTrimPagedPool();
    }
    Thread->Irql = NewIrql;
    return Old;
}

VOID KeLowerIrql(KIRQL NewIrql)
{
    PKTHREAD Thread = KiThread();
    KIRQL Old = Thread->Irql;
    if (NewIrql > Old)
        KeBugCheckEx(IRQL_NOT_LESS_OR_EQUAL, Old, NewIrql, 0, 0);
    if (Old >= DISPATCH_LEVEL && NewIrql < DISPATCH_LEVEL) {
        KPRCB *Prcb = &KiProcessorBlock[Thread->Processor];
        Thread->Irql = DISPATCH_LEVEL;
        if (__atomic_load_n(&Prcb->DpcHead, __ATOMIC_ACQUIRE) != NULL)
            KiRetireDpcList(Prcb);
        KiReleaseProcessor(Prcb);
    }
    Thread->Irql = NewIrql;
    if (NewIrql == PASSIVE_LEVEL && Thread->KernelApcPending)
        KiDeliverApc(KernelMode);
}

KIRQL KeRaiseIrqlToDpcLevel(VOID)
{
    VF_CHECK_IRQL(KeRaiseIrqlToDpcLevel);
    return KfRaiseIrql(DISPATCH_LEVEL);
}

KIRQL KeRaiseIrqlToSynchLevel(VOID)
{
    VF_CHECK_IRQL(KeRaiseIrqlToSynchLevel);
    return KfRaiseIrql(SYNCH_LEVEL);
}

/* Runs the current processor's queued DPCs now, as a drop below DISPATCH_LEVEL would. */
VOID KiRetireCurrentDpcs(VOID)
{
    KeLowerIrql(KfRaiseIrql(DISPATCH_LEVEL));
}

ULONG KeGetCurrentProcessorNumber(VOID)
{
    return KeGetCurrentThread()->Processor;
}

ULONG KeGetCurrentProcessorNumberEx(PPROCESSOR_NUMBER ProcNumber)
{
    ULONG Number = KeGetCurrentThread()->Processor;
    if (ProcNumber) {
        ProcNumber->Group = 0;
        ProcNumber->Number = (UCHAR)Number;
        ProcNumber->Reserved = 0;
    }
    return Number;
}

static KAFFINITY KiActiveProcessors(VOID)
{
    return KiProcessorCount >= 64 ? ~(KAFFINITY)0 : (((KAFFINITY)1 << KiProcessorCount) - 1);
}

ULONG KeQueryActiveProcessorCount(PKAFFINITY ActiveProcessors)
{
    if (ActiveProcessors)
        *ActiveProcessors = KiActiveProcessors();
    return KiProcessorCount;
}

ULONG KeQueryActiveProcessorCountEx(USHORT GroupNumber)
{
    return (GroupNumber == 0 || GroupNumber == ALL_PROCESSOR_GROUPS) ? KiProcessorCount : 0;
}

ULONG KeQueryMaximumProcessorCount(VOID)
{
    return KiProcessorCount;
}

KAFFINITY KeQueryActiveProcessors(VOID)
{
    return KiActiveProcessors();
}

NTSTATUS KeGetProcessorNumberFromIndex(ULONG ProcIndex, PPROCESSOR_NUMBER ProcNumber)
{
    if (ProcIndex >= KiProcessorCount)
        return STATUS_INVALID_PARAMETER;
    ProcNumber->Group = 0;
    ProcNumber->Number = (UCHAR)ProcIndex;
    ProcNumber->Reserved = 0;
    return STATUS_SUCCESS;
}

ULONG KeGetProcessorIndexFromNumber(PPROCESSOR_NUMBER ProcNumber)
{
    if (ProcNumber->Group != 0 || ProcNumber->Number >= KiProcessorCount)
        return (ULONG)-1; /* INVALID_PROCESSOR_INDEX */
    return ProcNumber->Number;
}

/* Moves the thread onto a processor of Affinity; it must not own its processor. */
static VOID KiSetAffinity(PKTHREAD Thread, KAFFINITY Affinity)
{
    /* An affinity naming no active processor has no effect, as the WDK says. */
    Affinity &= KiActiveProcessors();
    if (Affinity == 0)
        return;
    if (Thread->Irql >= DISPATCH_LEVEL)
        KeBugCheckEx(IRQL_NOT_LESS_OR_EQUAL, 0, Thread->Irql, 0, 0);
    Thread->Affinity = Affinity;
    if (!(Affinity & ((KAFFINITY)1 << Thread->Processor)))
        Thread->Processor = (ULONG)__builtin_ctzll(Affinity);
}

KAFFINITY KeSetSystemAffinityThreadEx(KAFFINITY Affinity)
{
    VF_CHECK_IRQL(KeSetSystemAffinityThreadEx);
    PKTHREAD Thread = KeGetCurrentThread();
    KAFFINITY Previous = Thread->SystemAffinityActive ? Thread->Affinity : 0;
    if (!Thread->SystemAffinityActive)
        Thread->UserAffinity = Thread->Affinity;
    KiSetAffinity(Thread, Affinity);
    Thread->SystemAffinityActive = TRUE;
    return Previous;
}

VOID KeRevertToUserAffinityThreadEx(KAFFINITY Affinity)
{
    VF_CHECK_IRQL(KeRevertToUserAffinityThreadEx);
    PKTHREAD Thread = KeGetCurrentThread();
    if (Affinity != 0) {
        KiSetAffinity(Thread, Affinity);
        return;
    }
    Thread->SystemAffinityActive = FALSE;
    KiSetAffinity(Thread, Thread->UserAffinity);
}

VOID KeSetSystemAffinityThread(KAFFINITY Affinity)
{
    VF_CHECK_IRQL(KeSetSystemAffinityThread);
    KeSetSystemAffinityThreadEx(Affinity);
}

VOID KeRevertToUserAffinityThread(VOID)
{
    VF_CHECK_IRQL(KeRevertToUserAffinityThread);
    KeRevertToUserAffinityThreadEx(0);
}
