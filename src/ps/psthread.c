/* Ps: thread creation, start-up, exit and process termination. Every NT thread is a pthread;
 * system threads run on stacks in system space, user threads on ordinary (user) stacks. */
#include "ntkp.h"
#include "sehp.h"
#include "../vf/vfddi.h"
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#define PSP_SYSTEM_STACK_SIZE (1024 * 1024)
#define PSP_ALT_STACK_SIZE (64 * 1024)

HANDLE PspCreateCid(PVOID Object);
VOID PspDeleteCid(HANDLE Cid);

static pthread_mutex_t PspProcessLock = PTHREAD_MUTEX_INITIALIZER;

VOID PspDeleteThread(PVOID Object)
{
    PETHREAD Thread = Object;
    PspDeleteCid(Thread->Cid.UniqueThread);
    free(Thread->Teb);
    if (Thread->Tcb.Process)
        ObfDereferenceObject(Thread->Tcb.Process); /* a thread keeps its process alive */
}

static NTSTATUS PspAllocateThread(PEPROCESS Process, BOOLEAN System, PETHREAD *Result)
{
    PETHREAD Thread;
    NTSTATUS Status = ObCreateObject(KernelMode, *PsThreadType, NULL, KernelMode, NULL,
                                     sizeof(ETHREAD), 0, 0, (PVOID *)&Thread);
    if (!NT_SUCCESS(Status))
        return Status;
    memset(Thread, 0, sizeof(*Thread));
    KiInitializeThread(&Thread->Tcb, &Process->Pcb);
    ObfReferenceObject(Process);
    Thread->SystemThread = System;
    Thread->ExitStatus = STATUS_PENDING;
    InitializeListHead(&Thread->IrpList);
    Thread->Cid.UniqueProcess = Process->UniqueProcessId;
    Thread->Cid.UniqueThread = PspCreateCid(Thread);
    if (Thread->Cid.UniqueThread == NULL) {
        ObfDereferenceObject(Thread);
        return STATUS_INSUFFICIENT_RESOURCES;
    }
    if (!System) {
        /* The TEB is user memory, as on Windows. */
        Thread->Teb = calloc(1, sizeof(TEB));
        if (Thread->Teb == NULL) {
            ObfDereferenceObject(Thread);
            return STATUS_NO_MEMORY;
        }
        Thread->Teb->NtTib.Self = &Thread->Teb->NtTib;
        Thread->Teb->ClientId = Thread->Cid;
    }
    pthread_mutex_lock(&PspProcessLock);
    InsertTailList(&Process->Pcb.ThreadListHead, &Thread->Tcb.ThreadListEntry);
    Process->ActiveThreads++;
    pthread_mutex_unlock(&PspProcessLock);
    *Result = Thread;
    return STATUS_SUCCESS;
}

static __thread PVOID PspAltStack;

static VOID PspReleaseAltStack(VOID)
{
    stack_t Off = { .ss_flags = SS_DISABLE };
    sigaltstack(&Off, NULL);
    free(PspAltStack);
    PspAltStack = NULL;
}

static VOID PspBindHostThread(PETHREAD Thread)
{
    stack_t Alt;
    KiCurrentThread = &Thread->Tcb;
    Thread->Tcb.HostThread = pthread_self();
    Thread->Tcb.LinuxTid = (pid_t)syscall(SYS_gettid);
    /* Faults are dispatched on an alternate stack, so even a stack overflow is reported. */
    Alt.ss_sp = PspAltStack = malloc(PSP_ALT_STACK_SIZE);
    Alt.ss_size = PSP_ALT_STACK_SIZE;
    Alt.ss_flags = 0;
    if (Alt.ss_sp)
        sigaltstack(&Alt, NULL);
    if (Thread->Tcb.Priority != 8)
        KiApplyHostPriority(&Thread->Tcb);
}

PETHREAD PspAdoptHostThread(PEPROCESS Process)
{
    PETHREAD Thread;
    if (!NT_SUCCESS(PspAllocateThread(Process, TRUE, &Thread))) {
        fprintf(stderr, "ntk: cannot give this host thread an NT identity\n");
        abort();
    }
    KiThreadStarted();
    PspBindHostThread(Thread);
    return Thread;
}

/* A thread ends with kernel APCs still disabled: it holds a kernel mutex, or left a critical
 * or guarded region unbalanced. Windows stops with 0x20 KERNEL_APC_PENDING_DURING_EXIT: an APC
 * pending at exit (0: none), the APC disable counts as in CombinedApcDisable, the IRQL. */
static VOID PspCheckExitApcDisable(PETHREAD Thread)
{
    PKTHREAD Tcb = &Thread->Tcb;
    PLIST_ENTRY Pending = &Tcb->ApcListHead[KernelMode];
    if (Tcb->KernelApcDisable == 0 && Tcb->SpecialApcDisable == 0)
        return;
    KdpLog("ntk: thread %u ends with kernel APCs disabled (KernelApcDisable %d, "
           "SpecialApcDisable %d): a kernel mutex still held, or a critical or guarded region "
           "not left\n",
           (unsigned)(ULONG_PTR)Thread->Cid.UniqueThread, (int)Tcb->KernelApcDisable,
           (int)Tcb->SpecialApcDisable);
    KeBugCheckEx(KERNEL_APC_PENDING_DURING_EXIT,
                 IsListEmpty(Pending) ? 0 : (ULONG_PTR)CONTAINING_RECORD(Pending->Flink, KAPC,
                                                                         ApcListEntry),
                 KiCombinedApcDisable(Tcb), Tcb->Irql, 0);
}

/* Runs the last steps of a thread: its objects are signaled and its process may end. */
static VOID PspThreadRundown(PETHREAD Thread)
{
    PEPROCESS Process = (PEPROCESS)Thread->Tcb.Process;
    BOOLEAN LastThread;
    Thread->Tcb.ExecutingMode = KernelMode;
    Thread->Tcb.PreviousMode = KernelMode;
    if (Thread->Tcb.Irql != PASSIVE_LEVEL)
        KiIrqlUnexpected(Thread->Tcb.Irql, PASSIVE_LEVEL,
                         Thread->SystemThread ? (PVOID)Thread->SystemStart
                                              : (PVOID)Thread->UserStart,
                         (ULONG_PTR)Thread, 0);
    PspCheckExitApcDisable(Thread); /* a thread that returned from its start routine */
    /* Its pending I/O is cancelled and waited for first, while its APCs can still run and
     * before anything else here could deliver one (see IopCancelThreadIo). */
    IopCancelThreadIo(Thread);
    KiAbandonMutants(&Thread->Tcb);
    KiRundownThreadQueue(&Thread->Tcb);
    KiRundownApcs(&Thread->Tcb);
    Thread->Terminated = TRUE;
    /* No user code runs on this thread again; its TEB goes now, not with the last reference. */
    free(Thread->Teb);
    Thread->Teb = NULL;
    pthread_mutex_lock(&PspProcessLock);
    RemoveEntryList(&Thread->Tcb.ThreadListEntry);
    LastThread = --Process->ActiveThreads == 0;
    pthread_mutex_unlock(&PspProcessLock);
    KiSignalObject(&Thread->Tcb.Header);
    if (LastThread) {
        if (Process->ExitStatus == STATUS_PENDING)
            Process->ExitStatus = Thread->ExitStatus;
        Process->Terminating = TRUE;
        ObpKillProcessHandles(Process);
        MmpDeleteProcessAddressSpace(Process);
        KiSignalObject(&Process->Pcb.Header);
    }
}

static void *PspThreadStartup(void *Context)
{
    PETHREAD Thread = Context;
    PspBindHostThread(Thread);
    Thread->CanExit = TRUE;
    if (_setjmp(Thread->ExitFrame) == 0) {
        if (Thread->SystemThread) {
            Thread->SystemStart(Thread->StartContext);
            Thread->ExitStatus = STATUS_SUCCESS;
        } else {
            NTSTATUS Status;
            Thread->Tcb.ExecutingMode = UserMode;
            Thread->Tcb.PreviousMode = UserMode;
            Status = Thread->UserStart(Thread->StartContext);
            Thread->ExitStatus = Status;
        }
    }
    /* Whatever __try frames were live when the thread exited are gone with its stack. */
    RtlpSehFrameList = NULL;
    PspThreadRundown(Thread);
    IopFlushIrpCache();
    PspReleaseAltStack();
    KiThreadExited();
    KiCurrentThread = NULL;
    ObfDereferenceObject(Thread); /* the running thread's own reference */
    return NULL;
}

VOID PspExitThread(NTSTATUS ExitStatus)
{
    PETHREAD Thread = PsGetCurrentEThread();
    /* Checked here, while the caller's frame is still on the stack for the dump. */
    PspCheckExitApcDisable(Thread);
    Thread->ExitStatus = ExitStatus;
    if (!Thread->CanExit) {
        /* The host's own thread (the kernel's initial thread) has no start frame to end. */
        KdpLog("ntk: thread %u, which ntk did not start, cannot exit\n",
               (unsigned)(ULONG_PTR)Thread->Cid.UniqueThread);
        KeBugCheckEx(SYSTEM_THREAD_EXCEPTION_NOT_HANDLED, (ULONG)ExitStatus, 0, 0, 0);
    }
    _longjmp(Thread->ExitFrame, 1);
}

NTSTATUS PspCreateThread(PEPROCESS Process, BOOLEAN System, PKSTART_ROUTINE SystemStart,
                         PUSER_THREAD_START_ROUTINE UserStart, PVOID Context, BOOLEAN Suspended,
                         PETHREAD *Result)
{
    PETHREAD Thread;
    pthread_attr_t Attributes;
    pthread_t Host;
    NTSTATUS Status;
    int Rc;

    if (Suspended) {
        KdpLog("ntk: creating a suspended thread is not implemented\n");
        return STATUS_NOT_IMPLEMENTED;
    }
    if (Process->Terminating)
        return STATUS_PROCESS_IS_TERMINATING;
    Status = PspAllocateThread(Process, System, &Thread);
    if (!NT_SUCCESS(Status))
        return Status;
    Thread->SystemStart = SystemStart;
    Thread->UserStart = UserStart;
    Thread->StartContext = Context;
    ObfReferenceObject(Thread); /* held by the running thread until it exits */
    KiThreadStarted();          /* busy from now, so virtual time waits for it */
    pthread_attr_init(&Attributes);
    pthread_attr_setdetachstate(&Attributes, PTHREAD_CREATE_DETACHED);
    if (System) {
        PVOID Stack = MmpReserveSystemPages(PSP_SYSTEM_STACK_SIZE);
        if (Stack)
            pthread_attr_setstack(&Attributes, Stack, PSP_SYSTEM_STACK_SIZE);
    }
    Rc = pthread_create(&Host, &Attributes, PspThreadStartup, Thread);
    pthread_attr_destroy(&Attributes);
    if (Rc != 0) {
        KiThreadExited();
        pthread_mutex_lock(&PspProcessLock);
        RemoveEntryList(&Thread->Tcb.ThreadListEntry);
        Process->ActiveThreads--;
        pthread_mutex_unlock(&PspProcessLock);
        ObfDereferenceObject(Thread);
        ObfDereferenceObject(Thread);
        return STATUS_INSUFFICIENT_RESOURCES;
    }
    *Result = Thread;
    return STATUS_SUCCESS;
}

/* Marks every thread of a process for termination; each exits at its next kernel entry or
 * user-mode wait (threads cannot be stopped in the middle of their own code). */
VOID PspTerminateProcess(PEPROCESS Process, NTSTATUS ExitStatus)
{
    PLIST_ENTRY Entry;
    pthread_mutex_lock(&PspProcessLock);
    if (Process->ExitStatus == STATUS_PENDING)
        Process->ExitStatus = ExitStatus;
    for (Entry = Process->Pcb.ThreadListHead.Flink; Entry != &Process->Pcb.ThreadListHead;
         Entry = Entry->Flink) {
        PETHREAD Thread = CONTAINING_RECORD(Entry, ETHREAD, Tcb.ThreadListEntry);
        if (!Thread->Terminated) {
            Thread->ExitStatus = ExitStatus;
            Thread->Terminated = TRUE;
        }
        if (&Thread->Tcb != KiCurrentThread)
            KiWakeForTermination(&Thread->Tcb);
    }
    pthread_mutex_unlock(&PspProcessLock);
}

NTSTATUS PspReferenceProcessThreads(PEPROCESS Process, PETHREAD **Threads, PULONG Count)
{
    PLIST_ENTRY Entry;
    PETHREAD *Array;
    ULONG n = 0, Size;
    pthread_mutex_lock(&PspProcessLock);
    for (Entry = Process->Pcb.ThreadListHead.Flink; Entry != &Process->Pcb.ThreadListHead;
         Entry = Entry->Flink)
        n++;
    Size = n ? n : 1;
    Array = ExAllocatePool2(POOL_FLAG_NON_PAGED, (SIZE_T)Size * sizeof(PETHREAD), 0x64726854);
    if (Array == NULL) {
        pthread_mutex_unlock(&PspProcessLock);
        return STATUS_INSUFFICIENT_RESOURCES;
    }
    n = 0;
    for (Entry = Process->Pcb.ThreadListHead.Flink; Entry != &Process->Pcb.ThreadListHead;
         Entry = Entry->Flink) {
        /* A listed thread has not run down, so it still holds its own reference. */
        Array[n] = CONTAINING_RECORD(Entry, ETHREAD, Tcb.ThreadListEntry);
        ObfReferenceObject(Array[n++]);
    }
    pthread_mutex_unlock(&PspProcessLock);
    *Threads = Array;
    *Count = n;
    return STATUS_SUCCESS;
}

/* A system thread still running code of an image that is going away. */
VOID PspCheckImageUnload(ULONG_PTR Base, ULONG_PTR End)
{
    PLIST_ENTRY Entry;
    PEPROCESS Process = PsInitialSystemProcess;
    pthread_mutex_lock(&PspProcessLock);
    for (Entry = Process->Pcb.ThreadListHead.Flink; Entry != &Process->Pcb.ThreadListHead;
         Entry = Entry->Flink) {
        PETHREAD Thread = CONTAINING_RECORD(Entry, ETHREAD, Tcb.ThreadListEntry);
        ULONG_PTR Start = (ULONG_PTR)Thread->SystemStart;
        if (!Thread->Terminated && Start >= Base && Start < End) {
            pthread_mutex_unlock(&PspProcessLock);
            KdpLog("ntk: a driver is unloading while its system thread %u (start %p) runs\n",
                   (unsigned)(ULONG_PTR)Thread->Cid.UniqueThread, (PVOID)Start);
            KeBugCheckEx(DRIVER_UNLOADED_WITHOUT_CANCELLING_PENDING_OPERATIONS, Start, 0, Start,
                         0);
        }
    }
    pthread_mutex_unlock(&PspProcessLock);
}

NTSTATUS PsCreateSystemThread(PHANDLE ThreadHandle, ULONG DesiredAccess,
                              POBJECT_ATTRIBUTES ObjectAttributes, HANDLE ProcessHandle,
                              PCLIENT_ID ClientId, PKSTART_ROUTINE StartRoutine, PVOID StartContext)
{
    VF_CHECK_IRQL(PsCreateSystemThread);
    PEPROCESS Process = PsInitialSystemProcess;
    PETHREAD Thread;
    NTSTATUS Status;
    if (KeGetCurrentIrql() != PASSIVE_LEVEL)
        KeBugCheckEx(IRQL_NOT_LESS_OR_EQUAL, 0, KeGetCurrentIrql(), 0, 0);
    if (ProcessHandle != NULL) {
        Status = ObReferenceObjectByHandle(ProcessHandle, PROCESS_CREATE_THREAD, *PsProcessType,
                                           KernelMode, (PVOID *)&Process, NULL);
        if (!NT_SUCCESS(Status))
            return Status;
        ObfDereferenceObject(Process);
    }
    Status = PspCreateThread(Process, TRUE, StartRoutine, NULL, StartContext, FALSE, &Thread);
    if (!NT_SUCCESS(Status))
        return Status;
    if (ClientId)
        *ClientId = Thread->Cid;
    Status = ObpCreateHandle(PspCurrentProcess(), Thread,
                             ObpMapGenericMask(*PsThreadType, DesiredAccess ? DesiredAccess
                                                                            : THREAD_ALL_ACCESS),
                             ObjectAttributes ? ObjectAttributes->Attributes : 0, ThreadHandle);
    ObfDereferenceObject(Thread);
    return Status;
}

NTSTATUS PsTerminateSystemThread(NTSTATUS ExitStatus)
{
    VF_CHECK_IRQL(PsTerminateSystemThread);
    PETHREAD Thread = PsGetCurrentThread();
    if (!Thread->SystemThread)
        return STATUS_INVALID_PARAMETER;
    PspExitThread(ExitStatus);
}
