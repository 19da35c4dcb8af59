/* Kd: the threads in the crash dump: every NT thread with its IRQL, processor, wait (each wait
 * block's object, its type and owner), the mutexes it owns, its pending IRPs and its stack, and
 * the host threads that were frozen. Structures are read through KdpSafeRead where a pointer
 * may be stale; locks are only tried. */
#include "kddump.h"
#include "rtlp.h"
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

KD_THREAD_ENTRY KdpThreadTable[KD_MAX_THREADS + 1];
ULONG KdpThreadTableCount;
PEPROCESS KdpProcessTable[KD_MAX_PROCESSES];
ULONG KdpProcessTableCount;

#define KD_MAX_LIST_WALK 4096

static VOID KdpAddProcess(PEPROCESS Process)
{
    ULONG i;
    if (Process == NULL)
        return;
    for (i = 0; i < KdpProcessTableCount; i++)
        if (KdpProcessTable[i] == Process)
            return;
    if (KdpProcessTableCount < KD_MAX_PROCESSES)
        KdpProcessTable[KdpProcessTableCount++] = Process;
}

static KD_THREAD_ENTRY *KdpFindEntry(PKTHREAD Thread)
{
    ULONG i;
    for (i = 0; i < KdpThreadTableCount; i++)
        if (KdpThreadTable[i].Thread && &KdpThreadTable[i].Thread->Tcb == Thread)
            return &KdpThreadTable[i];
    return NULL;
}

BOOLEAN KdpIsKnownThread(PKTHREAD Thread)
{
    return Thread != NULL && KdpFindEntry(Thread) != NULL;
}

ULONG_PTR KdpThreadId(PKTHREAD Thread)
{
    KD_THREAD_ENTRY *Entry = KdpFindEntry(Thread);
    return Entry ? (ULONG_PTR)Entry->Thread->Cid.UniqueThread : 0;
}

static VOID KdpAddThread(PETHREAD Thread, const KD_THREAD_STATE *State, PCSTR Status)
{
    KD_THREAD_ENTRY *Entry;
    if (Thread && KdpFindEntry(&Thread->Tcb))
        return;
    if (KdpThreadTableCount == KD_MAX_THREADS + 1)
        return;
    Entry = &KdpThreadTable[KdpThreadTableCount++];
    Entry->Thread = Thread;
    Entry->State = State;
    Entry->Status = Status;
    Entry->Stack.Count = 0;
    if (Thread)
        KdpAddProcess((PEPROCESS)Thread->Tcb.Process);
}

/* The bugchecking thread first, then the frozen ones, then NT threads found only on their
 * process's thread list (they did not stop, or had no host thread yet). */
VOID KdpCollectThreads(PKD_BUGCHECK BugCheck)
{
    ULONG i, p;
    KdpThreadTableCount = 0;
    KdpProcessTableCount = 0;
    KdpAddThread((PETHREAD)BugCheck->Self.Thread, &BugCheck->Self, "bugchecking");
    for (i = 0; i < BugCheck->FrozenCount; i++) {
        const KD_THREAD_STATE *State = &BugCheck->Frozen[i];
        if (State->Ready)
            KdpAddThread((PETHREAD)State->Thread, State, "frozen");
    }
    KdpAddProcess(PsInitialSystemProcess);
    for (p = 0; p < KdpProcessTableCount; p++) {
        PLIST_ENTRY Head = &KdpProcessTable[p]->Pcb.ThreadListHead, Entry = NULL;
        ULONG Walked = 0;
        if (!KdpSafeRead((ULONG_PTR)&Head->Flink, &Entry, sizeof(Entry)))
            continue;
        while (Entry && Entry != Head && Walked++ < KD_MAX_LIST_WALK) {
            PETHREAD Thread = CONTAINING_RECORD(Entry, ETHREAD, Tcb.ThreadListEntry);
            if (!KdpSafeRead((ULONG_PTR)&Entry->Flink, &Entry, sizeof(Entry)))
                break;
            KdpAddThread(Thread, NULL, "not stopped");
        }
    }
}

typedef struct _KD_UNWIND_ONE {
    KD_THREAD_ENTRY *Entry;
} KD_UNWIND_ONE;

VOID KdpUnwindThreads(VOID)
{
    ULONG i;
    for (i = 0; i < KdpThreadTableCount; i++)
        if (KdpThreadTable[i].State)
            KdpUnwind(&KdpThreadTable[i].State->Registers, &KdpThreadTable[i].Stack);
}

static PCSTR KdpDispatcherTypeName(UCHAR Type)
{
    switch (Type) {
    case EventNotificationObject:
        return "NotificationEvent";
    case EventSynchronizationObject:
        return "SynchronizationEvent";
    case MutantObject:
        return "Mutex";
    case ProcessObject:
        return "Process";
    case QueueObject:
        return "Queue";
    case SemaphoreObject:
        return "Semaphore";
    case ThreadObject:
        return "Thread";
    case TimerNotificationObject:
        return "NotificationTimer";
    case TimerSynchronizationObject:
        return "SynchronizationTimer";
    default:
        return "unknown";
    }
}

static VOID KdpWriteThreadRef(KDJ_WRITER *Writer, PCSTR Key, PKTHREAD Thread)
{
    ULONG_PTR Cid = KdpThreadId(Thread);
    if (Thread == NULL)
        KdjNull(Writer, Key);
    else if (Cid)
        KdjUnsigned(Writer, Key, Cid);
    else
        KdjHex(Writer, Key, (ULONG_PTR)Thread);
}

/* The threads whose wait blocks are linked into an object's wait list. */
static VOID KdpWriteWaiters(KDJ_WRITER *Writer, ULONG_PTR Object)
{
    PLIST_ENTRY Head = &((PDISPATCHER_HEADER)Object)->WaitListHead, Entry = NULL;
    ULONG Walked = 0;
    KdjBeginArray(Writer, "waiters");
    if (KdpSafeRead((ULONG_PTR)&Head->Flink, &Entry, sizeof(Entry))) {
        while (Entry && Entry != Head && Walked++ < 256) {
            KWAIT_BLOCK Block;
            if (!KdpSafeRead((ULONG_PTR)CONTAINING_RECORD(Entry, KWAIT_BLOCK, WaitListEntry),
                             &Block, sizeof(Block)))
                break;
            KdpWriteThreadRef(Writer, NULL, Block.Thread);
            Entry = Block.WaitListEntry.Flink;
        }
    }
    KdjEnd(Writer);
}

/* A dispatcher object: its type, state, owner (mutexes, and the fast mutex an event belongs
 * to when it looks like one) and a symbol when it is a driver's static variable. */
static VOID KdpWriteObject(KDJ_WRITER *Writer, ULONG_PTR Object, BOOLEAN Waiters)
{
    DISPATCHER_HEADER Header;
    const KD_MODULE *Module = KdpFindModule(Object);
    KdjHex(Writer, "object", Object);
    if (!KdpSafeRead(Object, &Header, sizeof(Header))) {
        KdjString(Writer, "type", "unreadable");
        return;
    }
    KdjString(Writer, "type", KdpDispatcherTypeName(Header.Type));
    KdjSigned(Writer, "signal_state", Header.SignalState);
    if (Module) {
        KD_SYMBOL Symbol;
        if (KdpSymbolize(Object, FALSE, &Symbol) && Symbol.Function[0]) {
            CHAR Name[300];
            RtlpFormatA(Name, sizeof(Name), "%s!%s+0x%Ix", Module->Name, Symbol.Function,
                        Symbol.FunctionOffset);
            KdjString(Writer, "symbol", Name);
        } else {
            KdjString(Writer, "module", Module->Name);
        }
    }
    if (Header.Type == MutantObject) {
        KMUTANT Mutant;
        if (KdpSafeRead(Object, &Mutant, sizeof(Mutant))) {
            KdpWriteThreadRef(Writer, "owner", Mutant.OwnerThread);
            KdjBool(Writer, "abandoned", Mutant.Abandoned);
        }
    } else if (Header.Type == ThreadObject && KdpIsKnownThread((PKTHREAD)Object)) {
        KdpWriteThreadRef(Writer, "thread", (PKTHREAD)Object);
    } else if (Header.Type == EventSynchronizationObject) {
        FAST_MUTEX Fast;
        ULONG_PTR Base = Object - FIELD_OFFSET(FAST_MUTEX, Event);
        if (KdpSafeRead(Base, &Fast, sizeof(Fast)) && Fast.Owner &&
            KdpIsKnownThread((PKTHREAD)Fast.Owner) && (Fast.Count & FM_LOCK_BIT) == 0) {
            KdjHex(Writer, "fast_mutex", Base);
            KdpWriteThreadRef(Writer, "owner", (PKTHREAD)Fast.Owner);
        }
    }
    if (Waiters)
        KdpWriteWaiters(Writer, Object);
}

/* KWAIT_REASON names, as the WDK spells them. */
static const char *const KdpWaitReasonNames[] = {
    "Executive", "FreePage", "PageIn", "PoolAllocation", "DelayExecution", "Suspended",
    "UserRequest", "WrExecutive", "WrFreePage", "WrPageIn", "WrPoolAllocation", "WrDelayExecution",
    "WrSuspended", "WrUserRequest", "WrSpare0", "WrQueue", "WrLpcReceive", "WrLpcReply",
    "WrVirtualMemory", "WrPageOut", "WrRendezvous", "WrKeyedEvent", "WrTerminated",
    "WrProcessInSwap", "WrCpuRateControl", "WrCalloutStack", "WrKernel", "WrResource",
    "WrPushLock", "WrMutex", "WrQuantumEnd", "WrDispatchInt", "WrPreempted", "WrYieldExecution",
    "WrFastMutex", "WrGuardedMutex", "WrRundown", "WrAlertByThreadId", "WrDeferredPreempt",
    "WrPhysicalFault",
};

static VOID KdpWriteWait(KDJ_WRITER *Writer, PKTHREAD Thread)
{
    ULONG Count = Thread->WaitCount, i;
    PKWAIT_BLOCK Blocks = Thread->WaitBlockList;
    KdjBeginObject(Writer, "wait");
    KdjString(Writer, "kind", Count == 0 ? "delay" : Thread->WaitType == WaitAll ? "all" : "any");
    KdjString(Writer, "mode", Thread->WaitMode == UserMode ? "user" : "kernel");
    if (Thread->WaitReason < RTL_NUMBER_OF(KdpWaitReasonNames))
        KdjString(Writer, "reason", KdpWaitReasonNames[Thread->WaitReason]);
    else
        KdjUnsigned(Writer, "reason", Thread->WaitReason);
    KdjBool(Writer, "alertable", Thread->Alertable);
    KdjBeginArray(Writer, "objects");
    for (i = 0; i < Count && i < MAXIMUM_WAIT_OBJECTS; i++) {
        KWAIT_BLOCK Block;
        if (!KdpSafeRead((ULONG_PTR)&Blocks[i], &Block, sizeof(Block)))
            break;
        KdjBeginObject(Writer, NULL);
        KdpWriteObject(Writer, (ULONG_PTR)Block.Object, FALSE);
        KdjEnd(Writer);
    }
    KdjEnd(Writer);
    KdjEnd(Writer);
}

static VOID KdpWriteOwnedMutexes(KDJ_WRITER *Writer, PKTHREAD Thread)
{
    PLIST_ENTRY Head = &Thread->MutantListHead, Entry = NULL;
    ULONG Walked = 0;
    KdjBeginArray(Writer, "owned_mutexes");
    if (KdpSafeRead((ULONG_PTR)&Head->Flink, &Entry, sizeof(Entry))) {
        while (Entry && Entry != Head && Walked++ < 256) {
            ULONG_PTR Mutant = (ULONG_PTR)CONTAINING_RECORD(Entry, KMUTANT, MutantListEntry);
            KdjBeginObject(Writer, NULL);
            KdpWriteObject(Writer, Mutant, TRUE);
            KdjEnd(Writer);
            if (!KdpSafeRead((ULONG_PTR)&Entry->Flink, &Entry, sizeof(Entry)))
                break;
        }
    }
    KdjEnd(Writer);
}

static VOID KdpWriteIrps(KDJ_WRITER *Writer, PETHREAD Thread)
{
    PLIST_ENTRY Head = &Thread->IrpList, Entry;
    ULONG Walked = 0;
    KdjBeginArray(Writer, "pending_irps");
    if (!NtkTryLockBounded(&Thread->IrpListLock, 2000)) {
        KdjString(Writer, NULL, "unavailable: lock held");
        KdjEnd(Writer);
        return;
    }
    for (Entry = Head->Flink; Entry && Entry != Head && Walked++ < 256;) {
        PIRP Irp = CONTAINING_RECORD(Entry, IRP, ThreadListEntry);
        IRP Copy;
        IO_STACK_LOCATION Stack;
        DEVICE_OBJECT Device;
        DRIVER_OBJECT Driver;
        if (!KdpSafeRead((ULONG_PTR)Irp, &Copy, sizeof(Copy)))
            break;
        KdjBeginObject(Writer, NULL);
        KdjHex(Writer, "irp", (ULONG_PTR)Irp);
        KdjBool(Writer, "cancel", Copy.Cancel);
        KdjBool(Writer, "pending_returned", Copy.PendingReturned);
        KdjSigned(Writer, "stack_count", Copy.StackCount);
        KdjSigned(Writer, "current_location", Copy.CurrentLocation);
        if (Copy.CancelRoutine)
            KdjHex(Writer, "cancel_routine", (ULONG_PTR)Copy.CancelRoutine);
        if (KdpSafeRead((ULONG_PTR)Copy.Tail.Overlay.CurrentStackLocation, &Stack,
                        sizeof(Stack))) {
            KdjUnsigned(Writer, "major", Stack.MajorFunction);
            KdjUnsigned(Writer, "minor", Stack.MinorFunction);
            KdjHex(Writer, "device", (ULONG_PTR)Stack.DeviceObject);
            if (KdpSafeRead((ULONG_PTR)Stack.DeviceObject, &Device, sizeof(Device)) &&
                KdpSafeRead((ULONG_PTR)Device.DriverObject, &Driver, sizeof(Driver)) &&
                Driver.DriverName.Length < 512) {
                WCHAR Name[256];
                if (KdpSafeRead((ULONG_PTR)Driver.DriverName.Buffer, Name,
                                Driver.DriverName.Length))
                    KdjWide(Writer, "driver", Name, Driver.DriverName.Length / sizeof(WCHAR));
            }
        }
        KdjEnd(Writer);
        Entry = Copy.ThreadListEntry.Flink;
    }
    NtkUnlock(&Thread->IrpListLock);
    KdjEnd(Writer);
}

static VOID KdpWriteRegisters(KDJ_WRITER *Writer, const KD_REGISTERS *Registers)
{
    static PCSTR const Names[KD_REGISTER_COUNT] = { "rax", "rdx", "rcx", "rbx", "rsi", "rdi",
                                                    "rbp", "rsp", "r8",  "r9",  "r10", "r11",
                                                    "r12", "r13", "r14", "r15", "rip" };
    ULONG i;
    KdjBeginObject(Writer, "registers");
    for (i = 0; i < KD_REGISTER_COUNT; i++)
        KdjHex(Writer, Names[i], Registers->Value[i]);
    KdjEnd(Writer);
}

/* A register that points at a word holding (thread | 1) points at a spin lock that thread
 * holds (how ntk's spin locks record their owner): a thread stopped in a spin loop shows the
 * lock it spins on this way. */
static VOID KdpWriteSpinLocks(KDJ_WRITER *Writer, const KD_REGISTERS *Registers)
{
    ULONG i, j;
    ULONG_PTR Seen[KD_REGISTER_COUNT];
    ULONG SeenCount = 0;
    KdjBeginArray(Writer, "spin_locks");
    for (i = 0; i < KD_REGISTER_COUNT - 1; i++) {
        ULONG_PTR Address = Registers->Value[i], Word;
        BOOLEAN Dup = FALSE;
        if ((Address & 7) != 0 || !KdpSafeRead(Address, &Word, sizeof(Word)) || !(Word & 1) ||
            !KdpIsKnownThread((PKTHREAD)(Word & ~(ULONG_PTR)1)))
            continue;
        for (j = 0; j < SeenCount; j++)
            Dup |= Seen[j] == Address;
        if (Dup)
            continue;
        Seen[SeenCount++] = Address;
        KdjBeginObject(Writer, NULL);
        KdjHex(Writer, "lock", Address);
        KdpWriteThreadRef(Writer, "owner", (PKTHREAD)(Word & ~(ULONG_PTR)1));
        {
            KD_SYMBOL Symbol;
            const KD_MODULE *Module = KdpFindModule(Address);
            if (Module && KdpSymbolize(Address, FALSE, &Symbol) && Symbol.Function[0]) {
                CHAR Name[300];
                RtlpFormatA(Name, sizeof(Name), "%s!%s+0x%Ix", Module->Name, Symbol.Function,
                            Symbol.FunctionOffset);
                KdjString(Writer, "symbol", Name);
            }
        }
        KdjEnd(Writer);
    }
    KdjEnd(Writer);
}

static VOID KdpWriteHostName(KDJ_WRITER *Writer, pid_t Tid)
{
    CHAR Path[64], Name[32];
    ssize_t n;
    int Fd;
    RtlpFormatA(Path, sizeof(Path), "/proc/self/task/%d/comm", (int)Tid);
    Fd = open(Path, O_RDONLY | O_CLOEXEC);
    if (Fd < 0)
        return;
    n = read(Fd, Name, sizeof(Name) - 1);
    close(Fd);
    if (n <= 0)
        return;
    if (Name[n - 1] == '\n')
        n--;
    KdjStringN(Writer, "name", Name, (SIZE_T)n);
}

VOID KdpWriteThread(KDJ_WRITER *Writer, KD_THREAD_ENTRY *Entry)
{
    PETHREAD Thread = Entry->Thread;
    KdjString(Writer, "status", Entry->Status);
    if (Entry->State) {
        KdjUnsigned(Writer, "linux_tid", (ULONG64)Entry->State->Tid);
        KdpWriteHostName(Writer, Entry->State->Tid);
    }
    if (Thread == NULL) {
        KdjString(Writer, "kind", "host");
    } else {
        PKTHREAD Tcb = &Thread->Tcb;
        PEPROCESS Process = (PEPROCESS)Tcb->Process;
        KdjString(Writer, "kind", Thread->SystemThread ? "system" : "user");
        KdjUnsigned(Writer, "cid", (ULONG_PTR)Thread->Cid.UniqueThread);
        KdjUnsigned(Writer, "process_id", (ULONG_PTR)Thread->Cid.UniqueProcess);
        if (Process)
            KdjStringN(Writer, "process", Process->ImageFileName,
                       strnlen(Process->ImageFileName, sizeof(Process->ImageFileName)));
        KdjHex(Writer, "ethread", (ULONG_PTR)Thread);
        if (Entry->State == NULL)
            KdjUnsigned(Writer, "linux_tid", (ULONG64)Tcb->LinuxTid);
        KdjUnsigned(Writer, "irql", Tcb->Irql);
        KdjUnsigned(Writer, "processor", Tcb->Processor);
        KdjString(Writer, "mode", Tcb->ExecutingMode == UserMode ? "user" : "kernel");
        KdjString(Writer, "previous_mode", Tcb->PreviousMode == UserMode ? "user" : "kernel");
        KdjSigned(Writer, "priority", Tcb->Priority);
        KdjSigned(Writer, "kernel_apc_disable", Tcb->KernelApcDisable);
        KdjSigned(Writer, "special_apc_disable", Tcb->SpecialApcDisable);
        KdjBool(Writer, "terminated", Thread->Terminated);
        if (Thread->SystemThread && Thread->SystemStart) {
            KdjBeginObject(Writer, "start");
            KdpWriteLocation(Writer, (ULONG_PTR)Thread->SystemStart, FALSE);
            KdjEnd(Writer);
        }
        KdjBool(Writer, "waiting", Tcb->Waiting);
        if (Tcb->Waiting)
            KdpWriteWait(Writer, Tcb);
        KdpWriteOwnedMutexes(Writer, Tcb);
        KdpWriteIrps(Writer, Thread);
    }
    if (Entry->State) {
        KdpWriteRegisters(Writer, &Entry->State->Registers);
        KdpWriteSpinLocks(Writer, &Entry->State->Registers);
        KdpWriteStack(Writer, "stack", &Entry->Stack);
    }
}
