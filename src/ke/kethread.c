/* Ke: the current thread, IRQL, thread priorities and their effect on the host thread. */
#include "ntkp.h"
#include "kdp.h"
#include "../vf/vfddi.h"
#include <errno.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

__thread PKTHREAD KiCurrentThread;

static PKTHREAD KiCurrent(VOID)
{
    if (KiCurrentThread == NULL) {
        /* A Linux thread that ntk did not create called into the kernel: it joins the System
         * process, as a thread of a driver's own making would on Windows. */
        PspAdoptHostThread(PsInitialSystemProcess);
    }
    return KiCurrentThread;
}

VOID KiInitializeProcess(PKPROCESS Process)
{
    Process->Header.Type = ProcessObject;
    Process->Header.Size = sizeof(KPROCESS) / sizeof(LONG);
    Process->Header.SignalState = 0;
    InitializeListHead(&Process->Header.WaitListHead);
    InitializeListHead(&Process->ThreadListHead);
    Process->BasePriority = 8;
}

VOID KiInitializeThread(PKTHREAD Thread, PKPROCESS Process)
{
    Thread->Header.Type = ThreadObject;
    Thread->Header.Size = sizeof(KTHREAD) / sizeof(LONG);
    Thread->Header.SignalState = 0;
    InitializeListHead(&Thread->Header.WaitListHead);
    InitializeListHead(&Thread->MutantListHead);
    Thread->Process = Process;
    Thread->Irql = PASSIVE_LEVEL;
    Thread->PreviousMode = KernelMode;
    Thread->ExecutingMode = KernelMode;
    Thread->Priority = Process->BasePriority;
    Thread->BasePriority = Process->BasePriority;
    Thread->Processor = KiSelectProcessor();
    Thread->Affinity = Thread->UserAffinity =
        KiProcessorCount >= 64 ? ~(KAFFINITY)0 : (((KAFFINITY)1 << KiProcessorCount) - 1);
    Thread->WaitTimer.Header.Type = TimerNotificationObject;
    InitializeListHead(&Thread->WaitTimer.Header.WaitListHead);
    InitializeListHead(&Thread->ApcListHead[KernelMode]);
    InitializeListHead(&Thread->ApcListHead[UserMode]);
    Thread->ApcQueueable = TRUE;
    Thread->Queue = NULL;
    InitializeListHead(&Thread->QueueListEntry);
}

PKTHREAD KeGetCurrentThread(VOID)
{
    return KiCurrent();
}

KIRQL KeGetCurrentIrql(VOID)
{
    return KiCurrent()->Irql;
}

KPROCESSOR_MODE KeGetPreviousMode(VOID)
{
    VF_CHECK_IRQL(KeGetPreviousMode);
    return KiCurrent()->PreviousMode;
}

KPROCESSOR_MODE ExGetPreviousMode(VOID)
{
    VF_CHECK_IRQL(ExGetPreviousMode);
    return KiCurrent()->PreviousMode;
}

KPROCESSOR_MODE KiSetPreviousMode(KPROCESSOR_MODE Mode)
{
    PKTHREAD Thread = KiCurrent();
    KPROCESSOR_MODE Old = Thread->PreviousMode;
    Thread->PreviousMode = Mode;
    return Old;
}

KPROCESSOR_MODE KiEnterServiceInner(VOID)
{
    PKTHREAD Thread = KiCurrent();
    KdpNoteProgress();
    KPROCESSOR_MODE Saved = Thread->ExecutingMode;
    /* A call from user code is a system call; a call from kernel code (a driver calling an
     * Nt routine directly) keeps the caller's PreviousMode, as on Windows. */
    if (Saved == UserMode) {
        Thread->PreviousMode = UserMode;
        Thread->ExecutingMode = KernelMode;
        if (((PETHREAD)Thread)->Terminated)
            PspExitThread(((PETHREAD)Thread)->ExitStatus);
        if (Thread->KernelApcPending)
            KiDeliverApc(KernelMode);
    }
    return Saved;
}

VOID KiLeaveServiceInner(KPROCESSOR_MODE Saved)
{
    PKTHREAD Thread = KiCurrentThread;
    if (Saved == UserMode) {
        if (Thread->Irql != PASSIVE_LEVEL)
            KeBugCheckEx(IRQL_GT_ZERO_AT_SYSTEM_SERVICE, 0, Thread->Irql, 0, 0);
        /* Returning to user mode inside a critical or guarded region. */
        if (Thread->KernelApcDisable != 0 || Thread->SpecialApcDisable != 0)
            KeBugCheckEx(APC_INDEX_MISMATCH, 0, 0, KiCombinedApcDisable(Thread), 0);
        if (((PETHREAD)Thread)->Terminated)
            PspExitThread(((PETHREAD)Thread)->ExitStatus);
        /* Back to user mode, then look for APCs once more: a completing I/O request looks
         * at our mode after queueing its APC (each side writes, fences, then reads). */
        Thread->PreviousMode = UserMode;
        Thread->ExecutingMode = UserMode;
        __atomic_thread_fence(__ATOMIC_SEQ_CST);
        while (Thread->KernelApcPending && KiHasDeliverableKernelApc(Thread)) {
            Thread->ExecutingMode = KernelMode;
            KiDeliverApc(KernelMode);
            Thread->ExecutingMode = UserMode;
            __atomic_thread_fence(__ATOMIC_SEQ_CST);
        }
    }
}

/* Priority → nice: 8 (normal) is nice 0; 1..7 spread over nice 19..3; 9..31 over -1..-20. */
int KiPriorityToNice(KPRIORITY Priority)
{
    if (Priority <= 8)
        return ((8 - Priority) * 19 + 3) / 7;
    return -(((Priority - 8) * 20 + 11) / 23);
}

VOID KiApplyHostPriority(PKTHREAD Thread)
{
    int Nice = KiPriorityToNice(Thread->Priority);
    if (Thread->LinuxTid == 0)
        return;
    if (setpriority(PRIO_PROCESS, (id_t)Thread->LinuxTid, Nice) != 0) {
        KdpLog("ntk: host refused nice %d for thread %u (Linux tid %d): %s; its NT priority is "
               "%d all the same\n",
               Nice, (unsigned)(ULONG_PTR)((PETHREAD)Thread)->Cid.UniqueThread,
               (int)Thread->LinuxTid, strerror(errno), (int)Thread->Priority);
        return;
    }
    Thread->Nice = Nice;
}

KPRIORITY KeSetPriorityThread(PKTHREAD Thread, KPRIORITY Priority)
{
    VF_CHECK_IRQL(KeSetPriorityThread);
    KPRIORITY Old;
    if (KeGetCurrentIrql() > DISPATCH_LEVEL)
        KeBugCheckEx(IRQL_NOT_LESS_OR_EQUAL, 0, KeGetCurrentIrql(), 0, 0);
    KiAcquireDispatcherLock();
    Old = Thread->Priority;
    if (Priority < 1 || Priority > HIGH_PRIORITY) {
        KiReleaseDispatcherLock();
        KdpLog("ntk: KeSetPriorityThread: priority %d is outside 1..31; not changed (a checked "
               "Windows kernel asserts here)\n", (int)Priority);
        return Old;
    }
    Thread->Priority = Priority;
    Thread->BasePriority = Priority;
    KiReleaseDispatcherLock();
    KiApplyHostPriority(Thread);
    return Old;
}

KPRIORITY KeQueryPriorityThread(PKTHREAD Thread)
{
    VF_CHECK_IRQL(KeQueryPriorityThread);
    return Thread->Priority;
}

LONG KeSetBasePriorityThread(PKTHREAD Thread, LONG Increment)
{
    VF_CHECK_IRQL(KeSetBasePriorityThread);
    LONG Old;
    KPRIORITY New;
    BOOLEAN RealTime;
    KiAcquireDispatcherLock();
    RealTime = Thread->Process->BasePriority >= LOW_REALTIME_PRIORITY;
    Old = Thread->BasePriority - Thread->Process->BasePriority;
    /* +16 / -16 saturate: the top (15 or 31) or bottom (1 or 16) of the priority class. */
    if (Increment >= 16)
        New = RealTime ? HIGH_PRIORITY : 15;
    else if (Increment <= -16)
        New = RealTime ? LOW_REALTIME_PRIORITY : 1;
    else
        New = Thread->Process->BasePriority + Increment;
    if (New < 1)
        New = 1;
    if (New > 15 && !RealTime)
        New = 15;
    if (New > HIGH_PRIORITY)
        New = HIGH_PRIORITY;
    Thread->BasePriority = New;
    Thread->Priority = New;
    KiReleaseDispatcherLock();
    KiApplyHostPriority(Thread);
    return Old;
}

