/* Async: a WDM driver whose requests complete later. IOCTL_ASYNC_DELAY pends its IRP in a
 * cancel-safe queue (IoCsq*), sorted by due time; one KTIMER and its DPC complete the requests
 * that are due and re-arm the timer for the next one. A cancelled request (CancelIo(Ex), its
 * thread exiting) is completed with STATUS_CANCELLED through the queue's
 * CsqCompleteCanceledIrp; IRP_MJ_CLEANUP cancels the requests of the file whose last handle was
 * closed. Written from the WDK documentation ("Cancel-Safe IRP Queues", IoCsqInitialize,
 * KeSetTimer, CustomTimerDpc). */
#include <ntddk.h>
#include "AsyncCommon.h"

typedef struct _ASYNC_QUEUE {
    IO_CSQ Csq; /* first: the callbacks get the queue from it */
    KSPIN_LOCK Lock;
    LIST_ENTRY Pending; /* by due time, through Tail.Overlay.ListEntry */
    ULONG Queued;
    KTIMER Timer;
    KDPC Dpc;
    volatile LONG Requests, Completed, Cancelled;
} ASYNC_QUEUE;

static ASYNC_QUEUE Queue;

/* What IoCsqRemoveNextIrp looks for: a file's requests, or those due by a time. */
typedef struct _ASYNC_PEEK {
    PFILE_OBJECT FileObject;
    LONGLONG DueBy;
} ASYNC_PEEK;

/* The due time (system time) lives in DriverContext[0]; DriverContext[3] is the queue's. */
static LONGLONG AsyncDue(PIRP Irp)
{
    return (LONGLONG)(ULONG_PTR)Irp->Tail.Overlay.DriverContext[0];
}

static VOID NTAPI AsyncInsertIrp(PIO_CSQ Csq, PIRP Irp)
{
    PLIST_ENTRY Entry;
    UNREFERENCED_PARAMETER(Csq);
    /* After every request due no later: equal delays complete in the order they came. */
    for (Entry = Queue.Pending.Blink; Entry != &Queue.Pending; Entry = Entry->Blink)
        if (AsyncDue(CONTAINING_RECORD(Entry, IRP, Tail.Overlay.ListEntry)) <= AsyncDue(Irp))
            break;
    InsertHeadList(Entry, &Irp->Tail.Overlay.ListEntry);
    Queue.Queued++;
}

static VOID NTAPI AsyncRemoveIrp(PIO_CSQ Csq, PIRP Irp)
{
    UNREFERENCED_PARAMETER(Csq);
    RemoveEntryList(&Irp->Tail.Overlay.ListEntry);
    Queue.Queued--;
}

static PIRP NTAPI AsyncPeekNextIrp(PIO_CSQ Csq, PIRP Irp, PVOID PeekContext)
{
    ASYNC_PEEK *Peek = PeekContext;
    PLIST_ENTRY Entry = Irp ? Irp->Tail.Overlay.ListEntry.Flink : Queue.Pending.Flink;
    UNREFERENCED_PARAMETER(Csq);
    for (; Entry != &Queue.Pending; Entry = Entry->Flink) {
        PIRP Next = CONTAINING_RECORD(Entry, IRP, Tail.Overlay.ListEntry);
        if (Peek == NULL)
            return Next;
        if (Peek->FileObject != NULL) {
            if (IoGetCurrentIrpStackLocation(Next)->FileObject == Peek->FileObject)
                return Next;
        } else if (AsyncDue(Next) <= Peek->DueBy) {
            return Next;
        } else {
            return NULL; /* sorted: nothing further is due */
        }
    }
    return NULL;
}

static VOID NTAPI AsyncAcquireLock(PIO_CSQ Csq, PKIRQL Irql)
{
    UNREFERENCED_PARAMETER(Csq);
    KeAcquireSpinLock(&Queue.Lock, Irql);
}

static VOID NTAPI AsyncReleaseLock(PIO_CSQ Csq, KIRQL Irql)
{
    UNREFERENCED_PARAMETER(Csq);
    KeReleaseSpinLock(&Queue.Lock, Irql);
}

static VOID NTAPI AsyncCompleteCanceledIrp(PIO_CSQ Csq, PIRP Irp)
{
    UNREFERENCED_PARAMETER(Csq);
    InterlockedIncrement(&Queue.Cancelled);
    Irp->IoStatus.Status = STATUS_CANCELLED;
    Irp->IoStatus.Information = 0;
    IoCompleteRequest(Irp, IO_NO_INCREMENT);
}

/* Points the timer at the first request, or leaves it be when none is queued (a DPC finding
 * nothing due does nothing). Under the queue lock, so that two callers cannot cross. */
static VOID AsyncArmTimer(VOID)
{
    KIRQL Irql;
    KeAcquireSpinLock(&Queue.Lock, &Irql);
    if (!IsListEmpty(&Queue.Pending)) {
        PIRP First = CONTAINING_RECORD(Queue.Pending.Flink, IRP, Tail.Overlay.ListEntry);
        LARGE_INTEGER Due;
        Due.QuadPart = AsyncDue(First);
        KeSetTimer(&Queue.Timer, Due, &Queue.Dpc); /* positive: an absolute system time */
    }
    KeReleaseSpinLock(&Queue.Lock, Irql);
}

static VOID AsyncTimerDpc(PKDPC Dpc, PVOID Context, PVOID Arg1, PVOID Arg2)
{
    LARGE_INTEGER Now;
    ASYNC_PEEK Peek;
    PIRP Irp;
    UNREFERENCED_PARAMETER(Dpc);
    UNREFERENCED_PARAMETER(Context);
    UNREFERENCED_PARAMETER(Arg1);
    UNREFERENCED_PARAMETER(Arg2);
    KeQuerySystemTime(&Now);
    Peek.FileObject = NULL;
    Peek.DueBy = Now.QuadPart;
    while ((Irp = IoCsqRemoveNextIrp(&Queue.Csq, &Peek)) != NULL) {
        const AsyncRequest *Request = Irp->AssociatedIrp.SystemBuffer;
        *(unsigned *)Irp->AssociatedIrp.SystemBuffer = Request->Tag;
        Irp->IoStatus.Status = STATUS_SUCCESS;
        Irp->IoStatus.Information = sizeof(unsigned);
        InterlockedIncrement(&Queue.Completed);
        IoCompleteRequest(Irp, IO_NO_INCREMENT);
    }
    AsyncArmTimer();
}

static NTSTATUS AsyncComplete(PIRP Irp, NTSTATUS Status)
{
    Irp->IoStatus.Status = Status;
    Irp->IoStatus.Information = 0;
    IoCompleteRequest(Irp, IO_NO_INCREMENT);
    return Status;
}

static NTSTATUS AsyncDeviceControl(PDEVICE_OBJECT DeviceObject, PIRP Irp)
{
    PIO_STACK_LOCATION Stack = IoGetCurrentIrpStackLocation(Irp);
    const AsyncRequest *Request = Irp->AssociatedIrp.SystemBuffer;
    LARGE_INTEGER Now;
    UNREFERENCED_PARAMETER(DeviceObject);

    if (Stack->Parameters.DeviceIoControl.IoControlCode == IOCTL_ASYNC_GET_QUEUED) {
        KIRQL Irql;
        if (Stack->Parameters.DeviceIoControl.OutputBufferLength < sizeof(unsigned))
            return AsyncComplete(Irp, STATUS_BUFFER_TOO_SMALL);
        KeAcquireSpinLock(&Queue.Lock, &Irql);
        *(unsigned *)Irp->AssociatedIrp.SystemBuffer = Queue.Queued;
        KeReleaseSpinLock(&Queue.Lock, Irql);
        Irp->IoStatus.Status = STATUS_SUCCESS;
        Irp->IoStatus.Information = sizeof(unsigned);
        IoCompleteRequest(Irp, IO_NO_INCREMENT);
        return STATUS_SUCCESS;
    }
    if (Stack->Parameters.DeviceIoControl.IoControlCode != IOCTL_ASYNC_DELAY)
        return AsyncComplete(Irp, STATUS_INVALID_DEVICE_REQUEST);
    if (Stack->Parameters.DeviceIoControl.InputBufferLength < sizeof(AsyncRequest) ||
        Stack->Parameters.DeviceIoControl.OutputBufferLength < sizeof(unsigned))
        return AsyncComplete(Irp, STATUS_BUFFER_TOO_SMALL);
    KeQuerySystemTime(&Now);
    Irp->Tail.Overlay.DriverContext[0] =
        (PVOID)(ULONG_PTR)(Now.QuadPart + (LONGLONG)Request->DelayMs * 10000);
    InterlockedIncrement(&Queue.Requests);
    /* Marks the IRP pending; from here it may complete on another thread at any moment. */
    IoCsqInsertIrp(&Queue.Csq, Irp, NULL);
    AsyncArmTimer();
    return STATUS_PENDING;
}

/* The last handle to a file is closed: its queued requests are cancelled. */
static NTSTATUS AsyncCleanup(PDEVICE_OBJECT DeviceObject, PIRP Irp)
{
    ASYNC_PEEK Peek;
    PIRP Pending;
    UNREFERENCED_PARAMETER(DeviceObject);
    Peek.FileObject = IoGetCurrentIrpStackLocation(Irp)->FileObject;
    Peek.DueBy = 0;
    while ((Pending = IoCsqRemoveNextIrp(&Queue.Csq, &Peek)) != NULL)
        AsyncCompleteCanceledIrp(&Queue.Csq, Pending);
    return AsyncComplete(Irp, STATUS_SUCCESS);
}

static NTSTATUS AsyncCreateClose(PDEVICE_OBJECT DeviceObject, PIRP Irp)
{
    UNREFERENCED_PARAMETER(DeviceObject);
    return AsyncComplete(Irp, STATUS_SUCCESS);
}

static VOID AsyncUnload(PDRIVER_OBJECT DriverObject)
{
    UNICODE_STRING Link = RTL_CONSTANT_STRING(L"\\??\\Async");
    /* Every file is closed, so every request has been completed or cancelled. */
    KeCancelTimer(&Queue.Timer);
    KeFlushQueuedDpcs();
    DbgPrint("async: %ld requests, %ld completed, %ld cancelled, %ld lost\n", Queue.Requests,
             Queue.Completed, Queue.Cancelled, Queue.Requests - Queue.Completed - Queue.Cancelled);
    IoDeleteSymbolicLink(&Link);
    IoDeleteDevice(DriverObject->DeviceObject);
}

NTSTATUS DriverEntry(PDRIVER_OBJECT DriverObject, PUNICODE_STRING RegistryPath)
{
    UNICODE_STRING Name = RTL_CONSTANT_STRING(L"\\Device\\Async");
    UNICODE_STRING Link = RTL_CONSTANT_STRING(L"\\??\\Async");
    PDEVICE_OBJECT Device;
    NTSTATUS Status;
    UNREFERENCED_PARAMETER(RegistryPath);

    KeInitializeSpinLock(&Queue.Lock);
    InitializeListHead(&Queue.Pending);
    KeInitializeTimer(&Queue.Timer);
    KeInitializeDpc(&Queue.Dpc, AsyncTimerDpc, NULL);
    IoCsqInitialize(&Queue.Csq, AsyncInsertIrp, AsyncRemoveIrp, AsyncPeekNextIrp,
                    AsyncAcquireLock, AsyncReleaseLock, AsyncCompleteCanceledIrp);

    DriverObject->DriverUnload = AsyncUnload;
    DriverObject->MajorFunction[IRP_MJ_CREATE] = AsyncCreateClose;
    DriverObject->MajorFunction[IRP_MJ_CLOSE] = AsyncCreateClose;
    DriverObject->MajorFunction[IRP_MJ_CLEANUP] = AsyncCleanup;
    DriverObject->MajorFunction[IRP_MJ_DEVICE_CONTROL] = AsyncDeviceControl;
    Status = IoCreateDevice(DriverObject, 0, &Name, FILE_DEVICE_UNKNOWN, 0, FALSE, &Device);
    if (!NT_SUCCESS(Status))
        return Status;
    Device->Flags |= DO_BUFFERED_IO;
    Status = IoCreateSymbolicLink(&Link, &Name);
    if (!NT_SUCCESS(Status))
        IoDeleteDevice(Device);
    return Status;
}
