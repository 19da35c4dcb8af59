/* bugdrv: a driver that commits, on request, each bug ntk stops the kernel for. crashuser.c
 * sends IOCTL_BUGDRV_CRASH with the case number; the line that commits each bug carries a
 * SITE(name) comment, and tests/crash/CMakeLists.txt checks that `ntk analyze` names that
 * line (the test finds the line number by the comment, so lines may move freely). */
#include <ntddk.h>
#include <ntk/ddk/kebugcheck.h>
#include "bugdrv.h"

#define BUGDRV_TAG 'dguB' /* "Bugd" */

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
static PVOID BugLeak;
static KBUGCHECK_CALLBACK_RECORD BugCallback, BugFaultingCallback, BugNestedCallback;
static KBUGCHECK_REASON_CALLBACK_RECORD BugSecondary, BugHangingSecondary;
static UCHAR BugCallbackBuffer[64];
static CHAR BugSecondaryData[] = "bugdrv secondary dump data: 42 requests in flight";

static NTSTATUS BugComplete(PIRP Irp, NTSTATUS Status)
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
    KeWaitForSingleObject(Second, Executive, KernelMode, FALSE, NULL); /* SITE(deadlock) */
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

/* ---- The crashes, one function each so every stack shows which ---- */

static DECLSPEC_NOINLINE NTSTATUS BugCrash(ULONG Case, PDEVICE_OBJECT DeviceObject, PIRP Irp)
{
    PIO_STACK_LOCATION Stack = IoGetCurrentIrpStackLocation(Irp);
    KIRQL Old;
    HANDLE Thread;
    PVOID Block, Objects[65];
    FAST_MUTEX Fast;
    LIST_ENTRY Head, Entry;
    LARGE_INTEGER Due;
    IRP Fake;
    NTSTATUS Status;
    int i;

    switch (Case) {
    case BUGDRV_none:
        break;
    case BUGDRV_access_violation:
        *BugNull = 1; /* SITE(access_violation) */
        break;
    case BUGDRV_breakpoint:
        DbgBreakPoint(); /* SITE(breakpoint) */
        break;
    case BUGDRV_assert:
        ASSERT(BugValue == 2); /* SITE(assert) */
        break;
    case BUGDRV_raise:
        ExRaiseStatus(STATUS_INVALID_PARAMETER); /* SITE(raise) */
        break;
    case BUGDRV_thread_fault:
        PsCreateSystemThread(&Thread, THREAD_ALL_ACCESS, NULL, NULL, NULL, BugFaultingThread, NULL);
        break;
    case BUGDRV_irql_wait:
        KeInitializeEvent(&BugNever, NotificationEvent, FALSE);
        KeRaiseIrql(DISPATCH_LEVEL, &Old);
        Due.QuadPart = -10000;
        KeWaitForSingleObject(&BugNever, Executive, KernelMode, FALSE, &Due); /* SITE(irql_wait) */
        break;
    case BUGDRV_raise_lower:
        KeRaiseIrql(DISPATCH_LEVEL, &Old);
        KeRaiseIrql(APC_LEVEL, &Old); /* SITE(raise_lower) */
        break;
    case BUGDRV_spin_twice:
        KeInitializeSpinLock(&BugLock);
        KeAcquireSpinLock(&BugLock, &Old);
        KeAcquireSpinLock(&BugLock, &Old); /* SITE(spin_twice) */
        break;
    case BUGDRV_spin_not_owned:
        KeInitializeSpinLock(&BugLock);
        KeRaiseIrql(DISPATCH_LEVEL, &Old);
        KeReleaseSpinLock(&BugLock, Old); /* SITE(spin_not_owned) */
        break;
    case BUGDRV_mutex_not_owner:
        KeInitializeMutex(&BugMutexA, 0);
        KeReleaseMutex(&BugMutexA, FALSE); /* SITE(mutex_not_owner) */
        break;
    case BUGDRV_over_dereference:
        for (i = 0; i < 16; i++)
            ObDereferenceObject(Stack->FileObject); /* SITE(over_dereference) */
        break;
    case BUGDRV_wait_too_many:
        KeInitializeEvent(&BugNever, NotificationEvent, FALSE);
        for (i = 0; i < 65; i++)
            Objects[i] = &BugNever;
        Status = KeWaitForMultipleObjects(65, Objects, WaitAny, Executive, 0, 0, 0, 0); /* SITE(wait_too_many) */
        break;
    case BUGDRV_bad_wait_type:
        KeInitializeEvent(&BugNever, NotificationEvent, FALSE);
        Objects[0] = &BugNever;
        Status = KeWaitForMultipleObjects(1, Objects, (WAIT_TYPE)7, Executive, 0, 0, 0, 0); /* SITE(bad_wait_type) */
        break;
    case BUGDRV_bad_processor:
        KeInitializeDpc(&BugDpc, BugRaisingDpc, NULL);
        KeSetTargetProcessorDpc(&BugDpc, 63); /* SITE(bad_processor) */
        break;
    case BUGDRV_pool_dispatch:
        KeRaiseIrql(DISPATCH_LEVEL, &Old);
        Block = ExAllocatePool2(POOL_FLAG_PAGED, 64, BUGDRV_TAG); /* SITE(pool_dispatch) */
        break;
    case BUGDRV_free_twice:
        Block = ExAllocatePool2(POOL_FLAG_NON_PAGED, 64, BUGDRV_TAG);
        ExFreePoolWithTag(Block, BUGDRV_TAG);
        ExFreePoolWithTag(Block, BUGDRV_TAG); /* SITE(free_twice) */
        break;
    case BUGDRV_free_wrong_tag:
        Block = ExAllocatePool2(POOL_FLAG_NON_PAGED, 64, BUGDRV_TAG);
        ExFreePoolWithTag(Block, 'gaTx'); /* SITE(free_wrong_tag) */
        break;
    case BUGDRV_free_bad_address:
        ExFreePool(&Head); /* SITE(free_bad_address) */
        break;
    case BUGDRV_fast_mutex_twice:
        ExInitializeFastMutex(&Fast);
        ExAcquireFastMutex(&Fast);
        ExAcquireFastMutex(&Fast); /* SITE(fast_mutex_twice) */
        break;
    case BUGDRV_fast_mutex_not_owner:
        ExInitializeFastMutex(&Fast);
        KeRaiseIrql(APC_LEVEL, &Old); /* as if acquired: the release checks the owner */
        ExReleaseFastMutex(&Fast); /* SITE(fast_mutex_not_owner) */
        break;
    case BUGDRV_leak:
        BugLeak = ExAllocatePool2(POOL_FLAG_NON_PAGED, 100, BUGDRV_TAG); /* SITE(leak) */
        break;
    case BUGDRV_complete_pending:
        Irp->IoStatus.Status = STATUS_PENDING;
        IoCompleteRequest(Irp, IO_NO_INCREMENT); /* SITE(complete_pending) */
        return STATUS_PENDING;
    case BUGDRV_complete_with_cancel:
        IoSetCancelRoutine(Irp, BugCancel);
        Irp->IoStatus.Status = STATUS_SUCCESS;
        IoCompleteRequest(Irp, IO_NO_INCREMENT); /* SITE(complete_with_cancel) */
        return STATUS_SUCCESS;
    case BUGDRV_complete_twice:
        Irp->IoStatus.Status = STATUS_SUCCESS;
        IoCompleteRequest(Irp, IO_NO_INCREMENT);
        IoCompleteRequest(Irp, IO_NO_INCREMENT); /* SITE(complete_twice) */
        return STATUS_SUCCESS;
    case BUGDRV_dispatch_irql:
        BugComplete(Irp, STATUS_SUCCESS);
        KeRaiseIrql(DISPATCH_LEVEL, &Old);
        return STATUS_SUCCESS;
    case BUGDRV_no_stack_location:
        Status = IoCallDriver(DeviceObject, Irp); /* SITE(no_stack_location) */
        DbgPrint("bugdrv: IoCallDriver returned 0x%08X\n", Status);
        return Status;
    case BUGDRV_free_not_irp:
        RtlZeroMemory(&Fake, sizeof(Fake));
        IoFreeIrp(&Fake); /* SITE(free_not_irp) */
        break;
    case BUGDRV_dpc_irql:
        KeInitializeDpc(&BugDpc, BugRaisingDpc, NULL);
        KeInsertQueueDpc(&BugDpc, NULL, NULL);
        break;
    case BUGDRV_dpc_critical:
        KeInitializeThreadedDpc(&BugDpc, BugCriticalDpc, NULL); /* PASSIVE_LEVEL */
        KeInsertQueueDpc(&BugDpc, NULL, NULL);
        break;
    case BUGDRV_work_irql:
        ExInitializeWorkItem(&BugWork, BugRaisingWork, NULL);
        ExQueueWorkItem(&BugWork, DelayedWorkQueue);
        break;
    case BUGDRV_work_twice:
        /* With one processor held at DISPATCH_LEVEL no worker can take the first one yet. */
        ExInitializeWorkItem(&BugWork, BugIdleWork, NULL);
        KeRaiseIrql(DISPATCH_LEVEL, &Old);
        ExQueueWorkItem(&BugWork, DelayedWorkQueue);
        ExQueueWorkItem(&BugWork, DelayedWorkQueue); /* SITE(work_twice) */
        KeLowerIrql(Old);
        break;
    case BUGDRV_work_terminate:
        ExInitializeWorkItem(&BugWork, BugTerminatingWork, NULL);
        ExQueueWorkItem(&BugWork, DelayedWorkQueue);
        break;
    case BUGDRV_work_critical:
        ExInitializeWorkItem(&BugWork, BugCriticalWork, NULL);
        ExQueueWorkItem(&BugWork, DelayedWorkQueue);
        break;
    case BUGDRV_critical_region:
        KeEnterCriticalRegion(); /* SITE(critical_region) */
        break;
    case BUGDRV_thread_unload:
        KeInitializeEvent(&BugNever, NotificationEvent, FALSE);
        PsCreateSystemThread(&Thread, THREAD_ALL_ACCESS, NULL, NULL, NULL, BugWaitingThread, NULL);
        ZwClose(Thread);
        break;
    case BUGDRV_timer_unload:
        KeInitializeTimer(&BugTimer);
        Due.QuadPart = -10LL * 1000 * 1000 * 600;
        KeSetTimer(&BugTimer, Due, NULL); /* SITE(timer_unload) */
        break;
    case BUGDRV_dpc_watchdog:
        KeInitializeDpc(&BugDpc, BugStallingDpc, NULL);
        KeInsertQueueDpc(&BugDpc, NULL, NULL);
        break;
    case BUGDRV_corrupt_list:
        InitializeListHead(&Head);
        InsertTailList(&Head, &Entry);
        Entry.Blink = &Entry; /* a stray write */
        RemoveEntryList(&Entry); /* SITE(corrupt_list) */
        break;
    case BUGDRV_dispatch_fault:
        KeRaiseIrql(DISPATCH_LEVEL, &Old);
        BugValue = *BugNull; /* SITE(dispatch_fault) */
        break;
    case BUGDRV_system_address:
        BugValue = *(volatile LONG *)(ULONG_PTR)0x780000000000ULL; /* SITE(system_address) */
        break;
    case BUGDRV_deadlock:
        KeInitializeMutex(&BugMutexA, 0);
        KeInitializeMutex(&BugMutexB, 0);
        PsCreateSystemThread(&Thread, THREAD_ALL_ACCESS, NULL, NULL, NULL, BugDeadlockThread, NULL);
        ZwClose(Thread);
        PsCreateSystemThread(&Thread, THREAD_ALL_ACCESS, NULL, NULL, NULL, BugDeadlockThread,
                             (PVOID)1);
        ZwClose(Thread);
        break;
    case BUGDRV_callbacks:
        KeInitializeCallbackRecord(&BugCallback);
        KeRegisterBugCheckCallback(&BugCallback, BugSaveState, BugCallbackBuffer,
                                   sizeof(BugCallbackBuffer), (PUCHAR) "bugdrv-state");
        KeInitializeCallbackRecord(&BugSecondary);
        KeRegisterBugCheckReasonCallback(&BugSecondary, BugSecondaryCallback,
                                         KbCallbackSecondaryDumpData, (PUCHAR) "bugdrv-secondary");
        DbgBreakPointWithStatus(0x11); /* SITE(callbacks) */
        break;
    case BUGDRV_callback_faults:
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
        break;
    default:
        return BugComplete(Irp, STATUS_INVALID_PARAMETER);
    }
    return BugComplete(Irp, STATUS_SUCCESS);
}

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
    if (Case == BUGDRV_deadlock) {
        BugCrash(Case, DeviceObject, Irp);
        /* Wait for the two threads' deadlock: this thread never comes back either. */
        KeInitializeEvent(&BugNever, NotificationEvent, FALSE);
        KeWaitForSingleObject(&BugNever, Executive, KernelMode, FALSE, NULL);
        return STATUS_SUCCESS;
    }
    Status = BugCrash(Case, DeviceObject, Irp);
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
