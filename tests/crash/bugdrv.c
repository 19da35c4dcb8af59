/* bugdrv: a driver that commits, on request, each bug ntk stops the kernel for. crashuser.c
 * sends IOCTL_BUGDRV_CRASH with the case number; the line that commits each bug carries a
 * SITE(name) comment, and tests/crash/CMakeLists.txt checks that `ntk analyze` names that
 * line (the test finds the line number by the comment, so lines may move freely). */
#include <ntddk.h>
#include <ntk/ddk/kebugcheck.h>
#include "bugdrv.h"
#include "bugdrv_cases.h"

static PDEVICE_OBJECT BugDevice;
/* A bad pointer, not NULL (UBSan would report a NULL store before the fault): the first 64 KiB
 * are never mapped. */
static volatile LONG *volatile BugNull = (volatile LONG *)(ULONG_PTR)0x100;
static volatile LONG BugValue = 1;
static KSPIN_LOCK BugLock;
static KMUTEX BugMutexA, BugMutexB;
static volatile LONG BugHolding;
static KTIMER BugTimer;
static KDPC BugDpc;
static KEVENT BugNever;
static WORK_QUEUE_ITEM BugWork;
PVOID BugLeaked;
static KBUGCHECK_CALLBACK_RECORD BugCallback, BugFaultingCallback, BugNestedCallback;
static KBUGCHECK_REASON_CALLBACK_RECORD BugSecondary, BugHangingSecondary;
static UCHAR BugCallbackBuffer[64];
static CHAR BugSecondaryData[] = "bugdrv secondary dump data: 42 requests in flight";

NTSTATUS BugComplete(PIRP Irp, NTSTATUS Status)
{
    Irp->IoStatus.Status = Status;
    Irp->IoStatus.Information = 0;
    IoCompleteRequest(Irp, IO_NO_INCREMENT);
    return Status;
}

/* ---- Routines that run elsewhere ---- */

static VOID BugFaultingThread(PVOID Context)
{
    UNREFERENCED_PARAMETER(Context);
    *BugNull = 7; /* SITE(thread_fault) */
}

static VOID BugWaitingThread(PVOID Context)
{
    UNREFERENCED_PARAMETER(Context);
    KeWaitForSingleObject(&BugNever, Executive, KernelMode, FALSE, NULL); /* SITE(thread_unload) */
    DbgPrint("bugdrv: the waiting thread ends\n"); /* (not a tail call: the frame stays) */
}

static VOID BugDeadlockThread(PVOID Context)
{
    PKMUTEX First = Context ? &BugMutexB : &BugMutexA, Second = Context ? &BugMutexA : &BugMutexB;
    LARGE_INTEGER Nap;
    Nap.QuadPart = -10000; /* 1 ms */
    KeWaitForSingleObject(First, Executive, KernelMode, FALSE, NULL);
    InterlockedIncrement(&BugHolding);
    while (BugHolding < 2)
        KeDelayExecutionThread(KernelMode, FALSE, &Nap);
    /* A reason other than Executive (0), so that the dump shows the one given. */
    KeWaitForSingleObject(Second, WrMutex, KernelMode, FALSE, NULL); /* SITE(deadlock) */
    DbgPrint("bugdrv: no deadlock after all\n");
}

static VOID BugRaisingDpc(PKDPC Dpc, PVOID Context, PVOID A1, PVOID A2) /* SITE(dpc_irql) */
{
    KIRQL Old;
    UNREFERENCED_PARAMETER(Dpc);
    UNREFERENCED_PARAMETER(Context);
    UNREFERENCED_PARAMETER(A1);
    UNREFERENCED_PARAMETER(A2);
    KeRaiseIrql(HIGH_LEVEL, &Old);
}

static VOID BugCriticalDpc(PKDPC Dpc, PVOID Context, PVOID A1, PVOID A2) /* SITE(dpc_critical) */
{
    UNREFERENCED_PARAMETER(Dpc);
    UNREFERENCED_PARAMETER(Context);
    UNREFERENCED_PARAMETER(A1);
    UNREFERENCED_PARAMETER(A2);
    KeEnterCriticalRegion();
}

static VOID BugStallingDpc(PKDPC Dpc, PVOID Context, PVOID A1, PVOID A2)
{
    UNREFERENCED_PARAMETER(Dpc);
    UNREFERENCED_PARAMETER(Context);
    UNREFERENCED_PARAMETER(A1);
    UNREFERENCED_PARAMETER(A2);
    for (int i = 0; i < 100; i++)
        KeStallExecutionProcessor(100000); /* SITE(dpc_watchdog) */
}

static VOID BugRaisingWork(PVOID Context) /* SITE(work_irql) */
{
    KIRQL Old;
    UNREFERENCED_PARAMETER(Context);
    KeRaiseIrql(DISPATCH_LEVEL, &Old);
}

static VOID BugCriticalWork(PVOID Context) /* SITE(work_critical) */
{
    UNREFERENCED_PARAMETER(Context);
    KeEnterCriticalRegion();
}

static KMUTEX BugExitMutex;

/* Ends while it owns a kernel mutex, so with normal kernel APCs disabled. */
static VOID BugMutexExitThread(PVOID Context)
{
    UNREFERENCED_PARAMETER(Context);
    NTSTATUS Status;
    KeWaitForSingleObject(&BugExitMutex, Executive, KernelMode, FALSE, NULL);
    Status = PsTerminateSystemThread(STATUS_SUCCESS); /* SITE(exit_holding_mutex) */
    DbgPrint("bugdrv: PsTerminateSystemThread returned 0x%08X\n", Status); /* keeps the frame */
}

/* Returns from its start routine inside a critical region. */
static VOID BugCriticalExitThread(PVOID Context)
{
    UNREFERENCED_PARAMETER(Context);
    KeEnterCriticalRegion();
}

static VOID BugTerminatingWork(PVOID Context)
{
    UNREFERENCED_PARAMETER(Context);
    PsTerminateSystemThread(STATUS_SUCCESS); /* SITE(work_terminate) */
}

static VOID BugIdleWork(PVOID Context)
{
    UNREFERENCED_PARAMETER(Context);
}

static VOID BugCancel(PDEVICE_OBJECT DeviceObject, PIRP Irp)
{
    UNREFERENCED_PARAMETER(DeviceObject);
    UNREFERENCED_PARAMETER(Irp);
}

/* ---- Bug check callbacks ---- */

static VOID BugSaveState(PVOID Buffer, ULONG Length)
{
    static const char Text[] = "bugdrv: device state saved by the bug check callback";
    RtlCopyMemory(Buffer, Text, Length < sizeof(Text) ? Length : sizeof(Text));
}

static VOID BugFaultInCallback(PVOID Buffer, ULONG Length)
{
    UNREFERENCED_PARAMETER(Buffer);
    UNREFERENCED_PARAMETER(Length);
    *BugNull = 1;
}

static VOID BugBugCheckInCallback(PVOID Buffer, ULONG Length)
{
    UNREFERENCED_PARAMETER(Buffer);
    UNREFERENCED_PARAMETER(Length);
    KeBugCheckEx(0xDEAD, 1, 2, 3, 4);
}

static VOID BugSecondaryCallback(KBUGCHECK_CALLBACK_REASON Reason,
                                 PKBUGCHECK_REASON_CALLBACK_RECORD Record, PVOID Data,
                                 ULONG Length)
{
    PKBUGCHECK_SECONDARY_DUMP_DATA Dump = Data;
    static const GUID Guid = { 0x6e746b21, 0x6275, 0x6764, { 0x72, 0x76, 0, 1, 2, 3, 4, 5 } };
    UNREFERENCED_PARAMETER(Record);
    if (Reason != KbCallbackSecondaryDumpData || Length < sizeof(*Dump))
        return;
    Dump->Guid = Guid;
    if (Dump->OutBuffer == NULL) {
        /* Asked for the size: the data is small enough for the system's buffer. */
        Dump->OutBufferLength = sizeof(BugSecondaryData);
        return;
    }
    RtlCopyMemory(Dump->OutBuffer, BugSecondaryData, sizeof(BugSecondaryData));
    Dump->OutBufferLength = sizeof(BugSecondaryData);
}

static VOID BugHangingCallback(KBUGCHECK_CALLBACK_REASON Reason,
                               PKBUGCHECK_REASON_CALLBACK_RECORD Record, PVOID Data, ULONG Length)
{
    UNREFERENCED_PARAMETER(Reason);
    UNREFERENCED_PARAMETER(Record);
    UNREFERENCED_PARAMETER(Data);
    UNREFERENCED_PARAMETER(Length);
    for (;;)
        KeStallExecutionProcessor(1000);
}

/* ---- The crashes: one function each, so that every stack and line shows which ---- */

static DECLSPEC_NOINLINE NTSTATUS BugNone(PDEVICE_OBJECT DeviceObject, PIRP Irp)
{
    UNREFERENCED_PARAMETER(DeviceObject);
    return BugComplete(Irp, STATUS_SUCCESS);
}

static DECLSPEC_NOINLINE NTSTATUS BugAccessViolation(PDEVICE_OBJECT DeviceObject, PIRP Irp)
{
    UNREFERENCED_PARAMETER(DeviceObject);
    *BugNull = 1; /* SITE(access_violation) */
    return BugComplete(Irp, STATUS_SUCCESS);
}

static DECLSPEC_NOINLINE NTSTATUS BugBreakpoint(PDEVICE_OBJECT DeviceObject, PIRP Irp)
{
    UNREFERENCED_PARAMETER(DeviceObject);
    DbgBreakPoint(); /* SITE(breakpoint) */
    return BugComplete(Irp, STATUS_SUCCESS);
}

static DECLSPEC_NOINLINE NTSTATUS BugAssert(PDEVICE_OBJECT DeviceObject, PIRP Irp)
{
    UNREFERENCED_PARAMETER(DeviceObject);
    ASSERT(BugValue == 2); /* SITE(assert) */
    return BugComplete(Irp, STATUS_SUCCESS);
}

static DECLSPEC_NOINLINE NTSTATUS BugRaise(PDEVICE_OBJECT DeviceObject, PIRP Irp)
{
    UNREFERENCED_PARAMETER(DeviceObject);
    ExRaiseStatus(STATUS_INVALID_PARAMETER); /* SITE(raise) */
    return BugComplete(Irp, STATUS_SUCCESS);
}

static DECLSPEC_NOINLINE NTSTATUS BugThreadFault(PDEVICE_OBJECT DeviceObject, PIRP Irp)
{
    HANDLE Thread;
    UNREFERENCED_PARAMETER(DeviceObject);
    PsCreateSystemThread(&Thread, THREAD_ALL_ACCESS, NULL, NULL, NULL, BugFaultingThread, NULL);
    return BugComplete(Irp, STATUS_SUCCESS);
}

static DECLSPEC_NOINLINE NTSTATUS BugIrqlWait(PDEVICE_OBJECT DeviceObject, PIRP Irp)
{
    KIRQL Old;
    LARGE_INTEGER Due;
    UNREFERENCED_PARAMETER(DeviceObject);
    KeInitializeEvent(&BugNever, NotificationEvent, FALSE);
    KeRaiseIrql(DISPATCH_LEVEL, &Old);
    Due.QuadPart = -10000;
    KeWaitForSingleObject(&BugNever, Executive, KernelMode, FALSE, &Due); /* SITE(irql_wait) */
    return BugComplete(Irp, STATUS_SUCCESS);
}

static DECLSPEC_NOINLINE NTSTATUS BugRaiseLower(PDEVICE_OBJECT DeviceObject, PIRP Irp)
{
    KIRQL Old;
    UNREFERENCED_PARAMETER(DeviceObject);
    KeRaiseIrql(DISPATCH_LEVEL, &Old);
    KeRaiseIrql(APC_LEVEL, &Old); /* SITE(raise_lower) */
    return BugComplete(Irp, STATUS_SUCCESS);
}

static DECLSPEC_NOINLINE NTSTATUS BugSpinTwice(PDEVICE_OBJECT DeviceObject, PIRP Irp)
{
    KIRQL Old;
    UNREFERENCED_PARAMETER(DeviceObject);
    KeInitializeSpinLock(&BugLock);
    KeAcquireSpinLock(&BugLock, &Old);
    KeAcquireSpinLock(&BugLock, &Old); /* SITE(spin_twice) */
    return BugComplete(Irp, STATUS_SUCCESS);
}

static DECLSPEC_NOINLINE NTSTATUS BugSpinNotOwned(PDEVICE_OBJECT DeviceObject, PIRP Irp)
{
    KIRQL Old;
    UNREFERENCED_PARAMETER(DeviceObject);
    KeInitializeSpinLock(&BugLock);
    KeRaiseIrql(DISPATCH_LEVEL, &Old);
    KeReleaseSpinLock(&BugLock, Old); /* SITE(spin_not_owned) */
    return BugComplete(Irp, STATUS_SUCCESS);
}

static DECLSPEC_NOINLINE NTSTATUS BugMutexNotOwner(PDEVICE_OBJECT DeviceObject, PIRP Irp)
{
    UNREFERENCED_PARAMETER(DeviceObject);
    KeInitializeMutex(&BugMutexA, 0);
    KeReleaseMutex(&BugMutexA, FALSE); /* SITE(mutex_not_owner) */
    return BugComplete(Irp, STATUS_SUCCESS);
}

static DECLSPEC_NOINLINE NTSTATUS BugOverDereference(PDEVICE_OBJECT DeviceObject, PIRP Irp)
{
    int i;
    PIO_STACK_LOCATION Stack = IoGetCurrentIrpStackLocation(Irp);
    UNREFERENCED_PARAMETER(DeviceObject);
    for (i = 0; i < 16; i++)
        ObDereferenceObject(Stack->FileObject); /* SITE(over_dereference) */
    return BugComplete(Irp, STATUS_SUCCESS);
}

static DECLSPEC_NOINLINE NTSTATUS BugWaitTooMany(PDEVICE_OBJECT DeviceObject, PIRP Irp)
{
    PVOID Objects[65];
    NTSTATUS Status;
    int i;
    UNREFERENCED_PARAMETER(DeviceObject);
    KeInitializeEvent(&BugNever, NotificationEvent, FALSE);
    for (i = 0; i < 65; i++)
        Objects[i] = &BugNever;
    Status = KeWaitForMultipleObjects(65, Objects, WaitAny, Executive, 0, 0, 0, 0); /* SITE(wait_too_many) */
    DbgPrint("bugdrv: the wait returned 0x%08X\n", Status);
    return BugComplete(Irp, STATUS_SUCCESS);
}

static DECLSPEC_NOINLINE NTSTATUS BugBadWaitType(PDEVICE_OBJECT DeviceObject, PIRP Irp)
{
    PVOID Objects[65];
    NTSTATUS Status;
    UNREFERENCED_PARAMETER(DeviceObject);
    KeInitializeEvent(&BugNever, NotificationEvent, FALSE);
    Objects[0] = &BugNever;
    Status = KeWaitForMultipleObjects(1, Objects, (WAIT_TYPE)7, Executive, 0, 0, 0, 0); /* SITE(bad_wait_type) */
    DbgPrint("bugdrv: the wait returned 0x%08X\n", Status);
    return BugComplete(Irp, STATUS_SUCCESS);
}

static DECLSPEC_NOINLINE NTSTATUS BugBadProcessor(PDEVICE_OBJECT DeviceObject, PIRP Irp)
{
    UNREFERENCED_PARAMETER(DeviceObject);
    KeInitializeDpc(&BugDpc, BugRaisingDpc, NULL);
    KeSetTargetProcessorDpc(&BugDpc, 63); /* SITE(bad_processor) */
    return BugComplete(Irp, STATUS_SUCCESS);
}

static DECLSPEC_NOINLINE NTSTATUS BugPoolDispatch(PDEVICE_OBJECT DeviceObject, PIRP Irp)
{
    KIRQL Old;
    PVOID Block;
    UNREFERENCED_PARAMETER(DeviceObject);
    KeRaiseIrql(DISPATCH_LEVEL, &Old);
    Block = ExAllocatePool2(POOL_FLAG_PAGED, 64, BUGDRV_TAG); /* SITE(pool_dispatch) */
    DbgPrint("bugdrv: got %p\n", Block);
    return BugComplete(Irp, STATUS_SUCCESS);
}

static DECLSPEC_NOINLINE NTSTATUS BugFreeTwice(PDEVICE_OBJECT DeviceObject, PIRP Irp)
{
    PVOID Block;
    UNREFERENCED_PARAMETER(DeviceObject);
    Block = ExAllocatePool2(POOL_FLAG_NON_PAGED, 64, BUGDRV_TAG);
    ExFreePoolWithTag(Block, BUGDRV_TAG);
    ExFreePoolWithTag(Block, BUGDRV_TAG); /* SITE(free_twice) */
    return BugComplete(Irp, STATUS_SUCCESS);
}

static DECLSPEC_NOINLINE NTSTATUS BugFreeWrongTag(PDEVICE_OBJECT DeviceObject, PIRP Irp)
{
    PVOID Block;
    UNREFERENCED_PARAMETER(DeviceObject);
    Block = ExAllocatePool2(POOL_FLAG_NON_PAGED, 64, BUGDRV_TAG);
    ExFreePoolWithTag(Block, 'gaTx'); /* SITE(free_wrong_tag) */
    return BugComplete(Irp, STATUS_SUCCESS);
}

static DECLSPEC_NOINLINE NTSTATUS BugFreeBadAddress(PDEVICE_OBJECT DeviceObject, PIRP Irp)
{
    LIST_ENTRY Head;
    UNREFERENCED_PARAMETER(DeviceObject);
    ExFreePool(&Head); /* SITE(free_bad_address) */
    return BugComplete(Irp, STATUS_SUCCESS);
}

static DECLSPEC_NOINLINE NTSTATUS BugFastMutexTwice(PDEVICE_OBJECT DeviceObject, PIRP Irp)
{
    FAST_MUTEX Fast;
    UNREFERENCED_PARAMETER(DeviceObject);
    ExInitializeFastMutex(&Fast);
    ExAcquireFastMutex(&Fast);
    ExAcquireFastMutex(&Fast); /* SITE(fast_mutex_twice) */
    return BugComplete(Irp, STATUS_SUCCESS);
}

static DECLSPEC_NOINLINE NTSTATUS BugFastMutexNotOwner(PDEVICE_OBJECT DeviceObject, PIRP Irp)
{
    KIRQL Old;
    FAST_MUTEX Fast;
    UNREFERENCED_PARAMETER(DeviceObject);
    ExInitializeFastMutex(&Fast);
    KeRaiseIrql(APC_LEVEL, &Old); /* as if acquired: the release checks the owner */
    ExReleaseFastMutex(&Fast); /* SITE(fast_mutex_not_owner) */
    return BugComplete(Irp, STATUS_SUCCESS);
}

static DECLSPEC_NOINLINE NTSTATUS BugLeak(PDEVICE_OBJECT DeviceObject, PIRP Irp)
{
    UNREFERENCED_PARAMETER(DeviceObject);
    BugLeaked = ExAllocatePool2(POOL_FLAG_NON_PAGED, 100, BUGDRV_TAG); /* SITE(leak) */
    return BugComplete(Irp, STATUS_SUCCESS);
}

static DECLSPEC_NOINLINE NTSTATUS BugCompletePending(PDEVICE_OBJECT DeviceObject, PIRP Irp)
{
    UNREFERENCED_PARAMETER(DeviceObject);
    Irp->IoStatus.Status = STATUS_PENDING;
    IoCompleteRequest(Irp, IO_NO_INCREMENT); /* SITE(complete_pending) */
    return STATUS_PENDING;
}

static DECLSPEC_NOINLINE NTSTATUS BugCompleteWithCancel(PDEVICE_OBJECT DeviceObject, PIRP Irp)
{
    UNREFERENCED_PARAMETER(DeviceObject);
    IoSetCancelRoutine(Irp, BugCancel);
    Irp->IoStatus.Status = STATUS_SUCCESS;
    IoCompleteRequest(Irp, IO_NO_INCREMENT); /* SITE(complete_with_cancel) */
    return STATUS_SUCCESS;
}

static DECLSPEC_NOINLINE NTSTATUS BugCompleteTwice(PDEVICE_OBJECT DeviceObject, PIRP Irp)
{
    UNREFERENCED_PARAMETER(DeviceObject);
    Irp->IoStatus.Status = STATUS_SUCCESS;
    IoCompleteRequest(Irp, IO_NO_INCREMENT);
    IoCompleteRequest(Irp, IO_NO_INCREMENT); /* SITE(complete_twice) */
    return STATUS_SUCCESS;
}

static DECLSPEC_NOINLINE NTSTATUS BugDispatchIrql(PDEVICE_OBJECT DeviceObject, PIRP Irp)
{
    KIRQL Old;
    UNREFERENCED_PARAMETER(DeviceObject);
    BugComplete(Irp, STATUS_SUCCESS);
    KeRaiseIrql(DISPATCH_LEVEL, &Old);
    return STATUS_SUCCESS;
}

static DECLSPEC_NOINLINE NTSTATUS BugNoStackLocation(PDEVICE_OBJECT DeviceObject, PIRP Irp)
{
    NTSTATUS Status;
    Status = IoCallDriver(DeviceObject, Irp); /* SITE(no_stack_location) */
    DbgPrint("bugdrv: IoCallDriver returned 0x%08X\n", Status);
    return Status;
}

static DECLSPEC_NOINLINE NTSTATUS BugFreeNotIrp(PDEVICE_OBJECT DeviceObject, PIRP Irp)
{
    IRP Fake;
    UNREFERENCED_PARAMETER(DeviceObject);
    RtlZeroMemory(&Fake, sizeof(Fake));
    IoFreeIrp(&Fake); /* SITE(free_not_irp) */
    return BugComplete(Irp, STATUS_SUCCESS);
}

static DECLSPEC_NOINLINE NTSTATUS BugDpcIrql(PDEVICE_OBJECT DeviceObject, PIRP Irp)
{
    UNREFERENCED_PARAMETER(DeviceObject);
    KeInitializeDpc(&BugDpc, BugRaisingDpc, NULL);
    KeInsertQueueDpc(&BugDpc, NULL, NULL);
    return BugComplete(Irp, STATUS_SUCCESS);
}

static DECLSPEC_NOINLINE NTSTATUS BugDpcCritical(PDEVICE_OBJECT DeviceObject, PIRP Irp)
{
    UNREFERENCED_PARAMETER(DeviceObject);
    KeInitializeThreadedDpc(&BugDpc, BugCriticalDpc, NULL); /* PASSIVE_LEVEL */
    KeInsertQueueDpc(&BugDpc, NULL, NULL);
    return BugComplete(Irp, STATUS_SUCCESS);
}

static DECLSPEC_NOINLINE NTSTATUS BugWorkIrql(PDEVICE_OBJECT DeviceObject, PIRP Irp)
{
    UNREFERENCED_PARAMETER(DeviceObject);
    ExInitializeWorkItem(&BugWork, BugRaisingWork, NULL);
    ExQueueWorkItem(&BugWork, DelayedWorkQueue);
    return BugComplete(Irp, STATUS_SUCCESS);
}

static DECLSPEC_NOINLINE NTSTATUS BugWorkTwice(PDEVICE_OBJECT DeviceObject, PIRP Irp)
{
    KIRQL Old;
    UNREFERENCED_PARAMETER(DeviceObject);
    /* With one processor held at DISPATCH_LEVEL no worker can take the first one yet. */
    ExInitializeWorkItem(&BugWork, BugIdleWork, NULL);
    KeRaiseIrql(DISPATCH_LEVEL, &Old);
    ExQueueWorkItem(&BugWork, DelayedWorkQueue);
    ExQueueWorkItem(&BugWork, DelayedWorkQueue); /* SITE(work_twice) */
    KeLowerIrql(Old);
    return BugComplete(Irp, STATUS_SUCCESS);
}

static DECLSPEC_NOINLINE NTSTATUS BugWorkTerminate(PDEVICE_OBJECT DeviceObject, PIRP Irp)
{
    UNREFERENCED_PARAMETER(DeviceObject);
    ExInitializeWorkItem(&BugWork, BugTerminatingWork, NULL);
    ExQueueWorkItem(&BugWork, DelayedWorkQueue);
    return BugComplete(Irp, STATUS_SUCCESS);
}

static DECLSPEC_NOINLINE NTSTATUS BugWorkCritical(PDEVICE_OBJECT DeviceObject, PIRP Irp)
{
    UNREFERENCED_PARAMETER(DeviceObject);
    ExInitializeWorkItem(&BugWork, BugCriticalWork, NULL);
    ExQueueWorkItem(&BugWork, DelayedWorkQueue);
    return BugComplete(Irp, STATUS_SUCCESS);
}

static DECLSPEC_NOINLINE NTSTATUS BugExitHoldingMutex(PDEVICE_OBJECT DeviceObject, PIRP Irp)
{
    HANDLE Thread;
    UNREFERENCED_PARAMETER(DeviceObject);
    KeInitializeMutex(&BugExitMutex, 0);
    if (NT_SUCCESS(PsCreateSystemThread(&Thread, THREAD_ALL_ACCESS, NULL, NULL, NULL,
                                        BugMutexExitThread, NULL)))
        ZwClose(Thread);
    return BugComplete(Irp, STATUS_SUCCESS);
}

static DECLSPEC_NOINLINE NTSTATUS BugExitInCritical(PDEVICE_OBJECT DeviceObject, PIRP Irp)
{
    HANDLE Thread;
    UNREFERENCED_PARAMETER(DeviceObject);
    if (NT_SUCCESS(PsCreateSystemThread(&Thread, THREAD_ALL_ACCESS, NULL, NULL, NULL,
                                        BugCriticalExitThread, NULL)))
        ZwClose(Thread);
    return BugComplete(Irp, STATUS_SUCCESS);
}

static DECLSPEC_NOINLINE NTSTATUS BugCriticalRegion(PDEVICE_OBJECT DeviceObject, PIRP Irp)
{
    UNREFERENCED_PARAMETER(DeviceObject);
    KeEnterCriticalRegion(); /* SITE(critical_region) */
    return BugComplete(Irp, STATUS_SUCCESS);
}

static DECLSPEC_NOINLINE NTSTATUS BugThreadUnload(PDEVICE_OBJECT DeviceObject, PIRP Irp)
{
    HANDLE Thread;
    UNREFERENCED_PARAMETER(DeviceObject);
    KeInitializeEvent(&BugNever, NotificationEvent, FALSE);
    PsCreateSystemThread(&Thread, THREAD_ALL_ACCESS, NULL, NULL, NULL, BugWaitingThread, NULL);
    ZwClose(Thread);
    return BugComplete(Irp, STATUS_SUCCESS);
}

static DECLSPEC_NOINLINE NTSTATUS BugTimerUnload(PDEVICE_OBJECT DeviceObject, PIRP Irp)
{
    LARGE_INTEGER Due;
    UNREFERENCED_PARAMETER(DeviceObject);
    KeInitializeTimer(&BugTimer);
    Due.QuadPart = -10LL * 1000 * 1000 * 600;
    KeSetTimer(&BugTimer, Due, NULL); /* SITE(timer_unload) */
    return BugComplete(Irp, STATUS_SUCCESS);
}

static DECLSPEC_NOINLINE NTSTATUS BugDpcWatchdog(PDEVICE_OBJECT DeviceObject, PIRP Irp)
{
    UNREFERENCED_PARAMETER(DeviceObject);
    KeInitializeDpc(&BugDpc, BugStallingDpc, NULL);
    KeInsertQueueDpc(&BugDpc, NULL, NULL);
    return BugComplete(Irp, STATUS_SUCCESS);
}

static DECLSPEC_NOINLINE NTSTATUS BugCorruptList(PDEVICE_OBJECT DeviceObject, PIRP Irp)
{
    LIST_ENTRY Head, Entry;
    UNREFERENCED_PARAMETER(DeviceObject);
    InitializeListHead(&Head);
    InsertTailList(&Head, &Entry);
    Entry.Blink = &Entry; /* a stray write */
    RemoveEntryList(&Entry); /* SITE(corrupt_list) */
    return BugComplete(Irp, STATUS_SUCCESS);
}

static DECLSPEC_NOINLINE NTSTATUS BugDispatchFault(PDEVICE_OBJECT DeviceObject, PIRP Irp)
{
    KIRQL Old;
    UNREFERENCED_PARAMETER(DeviceObject);
    KeRaiseIrql(DISPATCH_LEVEL, &Old);
    BugValue = *BugNull; /* SITE(dispatch_fault) */
    return BugComplete(Irp, STATUS_SUCCESS);
}

static DECLSPEC_NOINLINE NTSTATUS BugSystemAddress(PDEVICE_OBJECT DeviceObject, PIRP Irp)
{
    UNREFERENCED_PARAMETER(DeviceObject);
    /* Not the function's first instruction: debug information gives that one the line of the
     * function's name. */
    DbgPrint("bugdrv: reading system space nobody allocated\n");
    BugValue = *(volatile LONG *)(ULONG_PTR)0x780000000000ULL; /* SITE(system_address) */
    return BugComplete(Irp, STATUS_SUCCESS);
}

static DECLSPEC_NOINLINE NTSTATUS BugDeadlock(PDEVICE_OBJECT DeviceObject, PIRP Irp)
{
    HANDLE Thread;
    UNREFERENCED_PARAMETER(DeviceObject);
    KeInitializeMutex(&BugMutexA, 0);
    KeInitializeMutex(&BugMutexB, 0);
    PsCreateSystemThread(&Thread, THREAD_ALL_ACCESS, NULL, NULL, NULL, BugDeadlockThread, NULL);
    ZwClose(Thread);
    PsCreateSystemThread(&Thread, THREAD_ALL_ACCESS, NULL, NULL, NULL, BugDeadlockThread,
                         (PVOID)1);
    ZwClose(Thread);
    return BugComplete(Irp, STATUS_SUCCESS);
}

static KBUGCHECK_CALLBACK_RECORD BugGoneCallback;
static KBUGCHECK_REASON_CALLBACK_RECORD BugGoneSecondary;

static VOID BugGoneRoutine(PVOID Buffer, ULONG Length)
{
    UNREFERENCED_PARAMETER(Buffer);
    UNREFERENCED_PARAMETER(Length);
    DbgPrint("bugdrv: a deregistered callback ran\n");
}

static VOID BugGoneReasonRoutine(KBUGCHECK_CALLBACK_REASON Reason,
                                 PKBUGCHECK_REASON_CALLBACK_RECORD Record, PVOID Data, ULONG Length)
{
    UNREFERENCED_PARAMETER(Reason);
    UNREFERENCED_PARAMETER(Record);
    UNREFERENCED_PARAMETER(Data);
    UNREFERENCED_PARAMETER(Length);
    DbgPrint("bugdrv: a deregistered callback ran\n");
}

/* A record deregisters once: TRUE, then FALSE; a deregistered one is never called. */
static VOID BugRegisterAndDeregister(void)
{
    KeInitializeCallbackRecord(&BugGoneCallback);
    KeInitializeCallbackRecord(&BugGoneSecondary);
    if (KeRegisterBugCheckCallback(&BugGoneCallback, BugGoneRoutine, NULL, 0,
                                   (PUCHAR) "bugdrv-gone") &&
        KeRegisterBugCheckReasonCallback(&BugGoneSecondary, BugGoneReasonRoutine,
                                         KbCallbackSecondaryDumpData, (PUCHAR) "bugdrv-gone2") &&
        KeDeregisterBugCheckCallback(&BugGoneCallback) &&
        !KeDeregisterBugCheckCallback(&BugGoneCallback) &&
        KeDeregisterBugCheckReasonCallback(&BugGoneSecondary) &&
        !KeDeregisterBugCheckReasonCallback(&BugGoneSecondary))
        DbgPrint("bugdrv: deregistered both callback records\n");
}

static DECLSPEC_NOINLINE NTSTATUS BugCallbacks(PDEVICE_OBJECT DeviceObject, PIRP Irp)
{
    UNREFERENCED_PARAMETER(DeviceObject);
    BugRegisterAndDeregister();
    KeInitializeCallbackRecord(&BugCallback);
    KeRegisterBugCheckCallback(&BugCallback, BugSaveState, BugCallbackBuffer,
                               sizeof(BugCallbackBuffer), (PUCHAR) "bugdrv-state");
    KeInitializeCallbackRecord(&BugSecondary);
    KeRegisterBugCheckReasonCallback(&BugSecondary, BugSecondaryCallback,
                                     KbCallbackSecondaryDumpData, (PUCHAR) "bugdrv-secondary");
    DbgBreakPointWithStatus(0x11); /* SITE(callbacks) */
    return BugComplete(Irp, STATUS_SUCCESS);
}

static DECLSPEC_NOINLINE NTSTATUS BugCallbackFaults(PDEVICE_OBJECT DeviceObject, PIRP Irp)
{
    UNREFERENCED_PARAMETER(DeviceObject);
    KeInitializeCallbackRecord(&BugFaultingCallback);
    KeRegisterBugCheckCallback(&BugFaultingCallback, BugFaultInCallback, NULL, 0,
                               (PUCHAR) "bugdrv-faulting");
    KeInitializeCallbackRecord(&BugNestedCallback);
    KeRegisterBugCheckCallback(&BugNestedCallback, BugBugCheckInCallback, NULL, 0,
                               (PUCHAR) "bugdrv-nested");
    KeInitializeCallbackRecord(&BugHangingSecondary);
    KeRegisterBugCheckReasonCallback(&BugHangingSecondary, BugHangingCallback,
                                     KbCallbackSecondaryDumpData, (PUCHAR) "bugdrv-hanging");
    DbgBreakPointWithStatus(0x12); /* SITE(callback_faults) */
    return BugComplete(Irp, STATUS_SUCCESS);
}

/* ---- IRPs and device stacks (I/O verification) ---- */

/* Completed, then reported pending, never marked: the bug check comes as the routine returns. */
static DECLSPEC_NOINLINE NTSTATUS BugPendingUnmarked(PDEVICE_OBJECT DeviceObject, PIRP Irp)
{
    UNREFERENCED_PARAMETER(DeviceObject);
    BugComplete(Irp, STATUS_SUCCESS);
    return STATUS_PENDING;
}

/* Left for a DPC to complete 10 ms later, reported pending, never marked: judged at the return
 * or at the completion, whichever comes second. */
static PIRP BugQueuedIrp;

static VOID BugCompleteQueued(PKDPC Dpc, PVOID Context, PVOID Argument1, PVOID Argument2)
{
    UNREFERENCED_PARAMETER(Dpc);
    UNREFERENCED_PARAMETER(Context);
    UNREFERENCED_PARAMETER(Argument1);
    UNREFERENCED_PARAMETER(Argument2);
    BugComplete(BugQueuedIrp, STATUS_SUCCESS);
}

static DECLSPEC_NOINLINE NTSTATUS BugPendingQueued(PDEVICE_OBJECT DeviceObject, PIRP Irp)
{
    LARGE_INTEGER Due;
    UNREFERENCED_PARAMETER(DeviceObject);
    BugQueuedIrp = Irp;
    Due.QuadPart = -10 * 10000;
    KeInitializeTimer(&BugTimer);
    KeInitializeDpc(&BugDpc, BugCompleteQueued, NULL);
    KeSetTimer(&BugTimer, Due, &BugDpc);
    return STATUS_PENDING;
}

static DECLSPEC_NOINLINE NTSTATUS BugMarkedNotPending(PDEVICE_OBJECT DeviceObject, PIRP Irp)
{
    UNREFERENCED_PARAMETER(DeviceObject);
    IoMarkIrpPending(Irp);
    return BugComplete(Irp, STATUS_SUCCESS);
}

static DECLSPEC_NOINLINE NTSTATUS BugFreeIrpPool(PDEVICE_OBJECT DeviceObject, PIRP Irp)
{
    PIRP Own = IoAllocateIrp(DeviceObject->StackSize, FALSE);
    if (Own)
        ExFreePool(Own); /* SITE(free_irp_pool) */
    return BugComplete(Irp, STATUS_SUCCESS);
}

static DECLSPEC_NOINLINE NTSTATUS BugFreeIrpInUse(PDEVICE_OBJECT DeviceObject, PIRP Irp)
{
    UNREFERENCED_PARAMETER(DeviceObject);
    IoFreeIrp(Irp); /* SITE(free_irp_in_use) */
    return STATUS_SUCCESS;
}

/* An unnamed device of this driver attached over its own. */
static PDEVICE_OBJECT BugAttachFilter(PDEVICE_OBJECT Below)
{
    PDEVICE_OBJECT Filter = NULL;
    if (!NT_SUCCESS(IoCreateDevice(Below->DriverObject, 0, NULL, FILE_DEVICE_UNKNOWN, 0, FALSE,
                                   &Filter)))
        return NULL;
    if (IoAttachDeviceToDeviceStack(Filter, Below) == NULL) {
        IoDeleteDevice(Filter);
        return NULL;
    }
    return Filter;
}

static DECLSPEC_NOINLINE NTSTATUS BugDeleteAttached(PDEVICE_OBJECT DeviceObject, PIRP Irp)
{
    PDEVICE_OBJECT Filter = BugAttachFilter(DeviceObject);
    if (Filter == NULL)
        return BugComplete(Irp, STATUS_UNSUCCESSFUL);
    IoDeleteDevice(Filter); /* SITE(delete_attached) */
    DbgPrint("bugdrv: the attached device was deleted\n");
    return BugComplete(Irp, STATUS_SUCCESS);
}

static DECLSPEC_NOINLINE NTSTATUS BugDetachTwice(PDEVICE_OBJECT DeviceObject, PIRP Irp)
{
    PDEVICE_OBJECT Filter = BugAttachFilter(DeviceObject);
    if (Filter) {
        IoDetachDevice(DeviceObject);
        IoDetachDevice(DeviceObject); /* SITE(detach_twice) */
        IoDeleteDevice(Filter);
    }
    return BugComplete(Irp, STATUS_SUCCESS);
}

static DECLSPEC_NOINLINE NTSTATUS BugDeleteTwice(PDEVICE_OBJECT DeviceObject, PIRP Irp)
{
    PDEVICE_OBJECT Extra = NULL;
    if (NT_SUCCESS(IoCreateDevice(DeviceObject->DriverObject, 0, NULL, FILE_DEVICE_UNKNOWN, 0,
                                  FALSE, &Extra))) {
        ObReferenceObject(Extra); /* still there for the second call */
        IoDeleteDevice(Extra);
        IoDeleteDevice(Extra); /* SITE(delete_twice) */
        ObDereferenceObject(Extra);
    }
    return BugComplete(Irp, STATUS_SUCCESS);
}

/* The WDK's example of read-only memory: a string literal changed through a pointer. (The
 * pointer goes through an empty asm, so that the compiler, which knows the write is undefined,
 * cannot drop it.) */
static const CHAR BugConstant[] = "This string cannot be modified.";

static DECLSPEC_NOINLINE NTSTATUS BugWriteReadOnly(PDEVICE_OBJECT DeviceObject, PIRP Irp)
{
    CHAR *Message = (CHAR *)BugConstant;
    UNREFERENCED_PARAMETER(DeviceObject);
    __asm__ volatile("" : "+r"(Message));
    DbgPrint("bugdrv: changing a string literal\n");
    *(volatile CHAR *)Message = 't'; /* SITE(write_readonly) */
    return BugComplete(Irp, STATUS_SUCCESS);
}

typedef NTSTATUS (*BUG_CRASH_ROUTINE)(PDEVICE_OBJECT DeviceObject, PIRP Irp);

static const BUG_CRASH_ROUTINE BugCrashes[BUGDRV_CASE_COUNT] = {
    [BUGDRV_none] = BugNone,
    [BUGDRV_access_violation] = BugAccessViolation,
    [BUGDRV_breakpoint] = BugBreakpoint,
    [BUGDRV_assert] = BugAssert,
    [BUGDRV_raise] = BugRaise,
    [BUGDRV_thread_fault] = BugThreadFault,
    [BUGDRV_irql_wait] = BugIrqlWait,
    [BUGDRV_raise_lower] = BugRaiseLower,
    [BUGDRV_spin_twice] = BugSpinTwice,
    [BUGDRV_spin_not_owned] = BugSpinNotOwned,
    [BUGDRV_mutex_not_owner] = BugMutexNotOwner,
    [BUGDRV_over_dereference] = BugOverDereference,
    [BUGDRV_wait_too_many] = BugWaitTooMany,
    [BUGDRV_bad_wait_type] = BugBadWaitType,
    [BUGDRV_bad_processor] = BugBadProcessor,
    [BUGDRV_pool_dispatch] = BugPoolDispatch,
    [BUGDRV_free_twice] = BugFreeTwice,
    [BUGDRV_free_wrong_tag] = BugFreeWrongTag,
    [BUGDRV_free_bad_address] = BugFreeBadAddress,
    [BUGDRV_fast_mutex_twice] = BugFastMutexTwice,
    [BUGDRV_fast_mutex_not_owner] = BugFastMutexNotOwner,
    [BUGDRV_leak] = BugLeak,
    [BUGDRV_complete_pending] = BugCompletePending,
    [BUGDRV_complete_with_cancel] = BugCompleteWithCancel,
    [BUGDRV_complete_twice] = BugCompleteTwice,
    [BUGDRV_dispatch_irql] = BugDispatchIrql,
    [BUGDRV_no_stack_location] = BugNoStackLocation,
    [BUGDRV_free_not_irp] = BugFreeNotIrp,
    [BUGDRV_dpc_irql] = BugDpcIrql,
    [BUGDRV_dpc_critical] = BugDpcCritical,
    [BUGDRV_work_irql] = BugWorkIrql,
    [BUGDRV_work_twice] = BugWorkTwice,
    [BUGDRV_work_terminate] = BugWorkTerminate,
    [BUGDRV_work_critical] = BugWorkCritical,
    [BUGDRV_exit_holding_mutex] = BugExitHoldingMutex,
    [BUGDRV_exit_in_critical] = BugExitInCritical,
    [BUGDRV_critical_region] = BugCriticalRegion,
    [BUGDRV_thread_unload] = BugThreadUnload,
    [BUGDRV_timer_unload] = BugTimerUnload,
    [BUGDRV_dpc_watchdog] = BugDpcWatchdog,
    [BUGDRV_corrupt_list] = BugCorruptList,
    [BUGDRV_dispatch_fault] = BugDispatchFault,
    [BUGDRV_system_address] = BugSystemAddress,
    [BUGDRV_deadlock] = BugDeadlock,
    [BUGDRV_callbacks] = BugCallbacks,
    [BUGDRV_callback_faults] = BugCallbackFaults,
    [BUGDRV_special_overrun] = BugSpecialOverrun,
    [BUGDRV_special_underrun] = BugSpecialUnderrun,
    [BUGDRV_special_after_free] = BugSpecialAfterFree,
    [BUGDRV_special_slack] = BugSpecialSlack,
    [BUGDRV_special_prefix] = BugSpecialPrefix,
    [BUGDRV_special_free_twice] = BugSpecialFreeTwice,
    [BUGDRV_special_system] = BugSpecialSystem,
    [BUGDRV_special_leak] = BugSpecialLeak,
    [BUGDRV_zero_size] = BugZeroSize,
    [BUGDRV_pool_slack] = BugPoolSlack,
    [BUGDRV_pool_overrun] = BugPoolOverrun,
    [BUGDRV_pool_bad_header] = BugPoolBadHeader,
    [BUGDRV_pending_unmarked] = BugPendingUnmarked,
    [BUGDRV_pending_queued] = BugPendingQueued,
    [BUGDRV_marked_not_pending] = BugMarkedNotPending,
    [BUGDRV_free_irp_pool] = BugFreeIrpPool,
    [BUGDRV_free_irp_in_use] = BugFreeIrpInUse,
    [BUGDRV_delete_attached] = BugDeleteAttached,
    [BUGDRV_detach_twice] = BugDetachTwice,
    [BUGDRV_delete_twice] = BugDeleteTwice,
    [BUGDRV_write_readonly] = BugWriteReadOnly,
};

static NTSTATUS BugCreateClose(PDEVICE_OBJECT DeviceObject, PIRP Irp)
{
    UNREFERENCED_PARAMETER(DeviceObject);
    return BugComplete(Irp, STATUS_SUCCESS);
}

static NTSTATUS BugDeviceControl(PDEVICE_OBJECT DeviceObject, PIRP Irp)
{
    PIO_STACK_LOCATION Stack = IoGetCurrentIrpStackLocation(Irp);
    NTSTATUS Status;
    ULONG Case;
    if (Stack->Parameters.DeviceIoControl.IoControlCode != IOCTL_BUGDRV_CRASH ||
        Stack->Parameters.DeviceIoControl.InputBufferLength < sizeof(ULONG))
        return BugComplete(Irp, STATUS_INVALID_DEVICE_REQUEST);
    Case = *(PULONG)Irp->AssociatedIrp.SystemBuffer;
    DbgPrint("bugdrv: committing crash %lu\n", Case);
    if (Case >= BUGDRV_CASE_COUNT || BugCrashes[Case] == NULL)
        return BugComplete(Irp, STATUS_INVALID_PARAMETER);
    if (Case == BUGDRV_deadlock) {
        BugCrashes[Case](DeviceObject, Irp);
        /* Wait for the two threads' deadlock: this thread never comes back either. */
        KeInitializeEvent(&BugNever, NotificationEvent, FALSE);
        KeWaitForSingleObject(&BugNever, Executive, KernelMode, FALSE, NULL);
        return STATUS_SUCCESS;
    }
    Status = BugCrashes[Case](DeviceObject, Irp);
    DbgPrint("bugdrv: crash %lu did not stop the kernel\n", Case);
    return Status;
}

static VOID BugUnload(PDRIVER_OBJECT DriverObject)
{
    UNICODE_STRING Link = RTL_CONSTANT_STRING(BUGDRV_LINK_NAME);
    UNREFERENCED_PARAMETER(DriverObject);
    IoDeleteSymbolicLink(&Link);
    IoDeleteDevice(BugDevice);
}

NTSTATUS DriverEntry(PDRIVER_OBJECT DriverObject, PUNICODE_STRING RegistryPath)
{
    UNICODE_STRING Name = RTL_CONSTANT_STRING(BUGDRV_DEVICE_NAME);
    UNICODE_STRING Link = RTL_CONSTANT_STRING(BUGDRV_LINK_NAME);
    NTSTATUS Status;
    UNREFERENCED_PARAMETER(RegistryPath);
    DriverObject->MajorFunction[IRP_MJ_CREATE] = BugCreateClose;
    DriverObject->MajorFunction[IRP_MJ_CLOSE] = BugCreateClose;
    DriverObject->MajorFunction[IRP_MJ_DEVICE_CONTROL] = BugDeviceControl;
    DriverObject->DriverUnload = BugUnload;
    Status = IoCreateDevice(DriverObject, 0, &Name, FILE_DEVICE_UNKNOWN, 0, FALSE, &BugDevice);
    if (!NT_SUCCESS(Status))
        return Status;
    Status = IoCreateSymbolicLink(&Link, &Name);
    if (!NT_SUCCESS(Status))
        IoDeleteDevice(BugDevice);
    return Status;
}
