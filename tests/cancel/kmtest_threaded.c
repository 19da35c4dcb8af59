/* kmtest_threaded: IRPs drivers build, and the thread that built them. From the WDK's "Creating
 * IRPs for Lower-Level Drivers": IoBuildSynchronousFsdRequest and IoBuildDeviceIoControlRequest
 * make threaded IRPs, bound to the current thread and cancelled when it exits;
 * IoBuildAsynchronousFsdRequest and IoAllocateIrp make IRPs bound to no thread, which the
 * thread's exit leaves alone. A device of this driver pends every request with a cancel
 * routine; system threads send it requests and exit without waiting.
 *     ntk run [--cpus N] --driver kmtest_threaded.so   exits 0 when all pass */
#include "../ke/kmtest_ke.h"

#define TAG 'hTmK'

static PDEVICE_OBJECT Device;
static volatile LONG Cancelled;

static VOID PendCancel(PDEVICE_OBJECT DeviceObject, PIRP Irp)
{
    UNREFERENCED_PARAMETER(DeviceObject);
    IoReleaseCancelSpinLock(Irp->CancelIrql);
    InterlockedIncrement(&Cancelled);
    Irp->IoStatus.Status = STATUS_CANCELLED;
    Irp->IoStatus.Information = 0;
    IoCompleteRequest(Irp, IO_NO_INCREMENT);
}

/* Every request pends until it is cancelled. */
static NTSTATUS PendDispatch(PDEVICE_OBJECT DeviceObject, PIRP Irp)
{
    KIRQL Irql;
    UNREFERENCED_PARAMETER(DeviceObject);
    IoMarkIrpPending(Irp);
    IoAcquireCancelSpinLock(&Irql);
    if (Irp->Cancel) {
        IoReleaseCancelSpinLock(Irql);
        Irp->IoStatus.Status = STATUS_CANCELLED;
        IoCompleteRequest(Irp, IO_NO_INCREMENT);
        return STATUS_PENDING;
    }
    IoSetCancelRoutine(Irp, PendCancel);
    IoReleaseCancelSpinLock(Irql);
    return STATUS_PENDING;
}

/* What a sending thread leaves for DriverEntry: in pool, since its stack goes away. */
typedef struct {
    KEVENT Done;
    IO_STATUS_BLOCK Iosb;
    UCHAR Buffer[16];
    PIRP Irp;
    NTSTATUS CallStatus;
    BOOLEAN Asynchronous;
    volatile LONG Completions;
} SEND;

static NTSTATUS AsyncCompletion(PDEVICE_OBJECT DeviceObject, PIRP Irp, PVOID Context)
{
    SEND *Send = Context;
    UNREFERENCED_PARAMETER(DeviceObject);
    Send->Iosb = Irp->IoStatus;
    InterlockedIncrement(&Send->Completions);
    IoFreeIrp(Irp); /* an asynchronous IRP is the driver's to free */
    KeSetEvent(&Send->Done, IO_NO_INCREMENT, FALSE);
    return STATUS_MORE_PROCESSING_REQUIRED;
}

static VOID SendAndExit(PVOID Context)
{
    SEND *Send = Context;
    LARGE_INTEGER Offset;
    Offset.QuadPart = 0;
    if (Send->Asynchronous) {
        Send->Irp = IoBuildAsynchronousFsdRequest(IRP_MJ_READ, Device, Send->Buffer,
                                                  sizeof(Send->Buffer), &Offset, NULL);
        if (Send->Irp)
            IoSetCompletionRoutine(Send->Irp, AsyncCompletion, Send, TRUE, TRUE, TRUE);
    } else {
        Send->Irp = IoBuildDeviceIoControlRequest(CTL_CODE(FILE_DEVICE_UNKNOWN, 0x800,
                                                           METHOD_BUFFERED, FILE_ANY_ACCESS),
                                                  Device, NULL, 0, Send->Buffer,
                                                  sizeof(Send->Buffer), FALSE, &Send->Done,
                                                  &Send->Iosb);
    }
    if (Send->Irp)
        Send->CallStatus = IoCallDriver(Device, Send->Irp);
    /* Exits with the request pending and nobody waiting for it. */
    PsTerminateSystemThread(STATUS_SUCCESS);
}

static SEND *NewSend(BOOLEAN Asynchronous)
{
    SEND *Send = ExAllocatePool2(POOL_FLAG_NON_PAGED, sizeof(SEND), TAG);
    CHECK(Send != NULL);
    if (Send == NULL)
        return NULL;
    KeInitializeEvent(&Send->Done, NotificationEvent, FALSE);
    Send->Iosb.Status = (NTSTATUS)0xDEADBEEF;
    Send->Asynchronous = Asynchronous;
    return Send;
}

/* A threaded IRP: the sender's exit cancels it; the I/O manager completes and frees it and
 * signals the caller's event with STATUS_CANCELLED in the caller's status block. */
static void TestThreadedIrpCancelledAtExit(void)
{
    SEND *Send = NewSend(FALSE);
    LONG Before = Cancelled;
    if (Send == NULL)
        return;
    KmtJoinThread(KmtStartThread(SendAndExit, Send));
    CHECK(Send->Irp != NULL);
    CHECK_STATUS(Send->CallStatus, STATUS_PENDING);
    /* The thread's exit has waited for its cancelled request. */
    CHECK_STATUS(KmtPoll(&Send->Done), STATUS_SUCCESS);
    CHECK_STATUS(Send->Iosb.Status, STATUS_CANCELLED);
    CHECK_EQ(Cancelled, Before + 1);
    ExFreePoolWithTag(Send, TAG);
}

/* An asynchronous IRP is bound to no thread: it is still pending after its sender exits, until
 * someone cancels it. */
static void TestAsynchronousIrpOutlivesThread(void)
{
    SEND *Send = NewSend(TRUE);
    LONG Before = Cancelled;
    if (Send == NULL)
        return;
    KmtJoinThread(KmtStartThread(SendAndExit, Send));
    CHECK(Send->Irp != NULL);
    CHECK_STATUS(Send->CallStatus, STATUS_PENDING);
    CHECK_STATUS(KmtPoll(&Send->Done), STATUS_TIMEOUT);
    CHECK_EQ(Send->Completions, 0);
    CHECK_EQ(Cancelled, Before);
    CHECK(IoCancelIrp(Send->Irp));
    CHECK_STATUS(KmtWait(&Send->Done), STATUS_SUCCESS);
    CHECK_EQ(Send->Completions, 1);
    CHECK_STATUS(Send->Iosb.Status, STATUS_CANCELLED);
    CHECK_EQ(Cancelled, Before + 1);
    ExFreePoolWithTag(Send, TAG);
}

/* Several threads at once, each with a threaded request: every one cancelled exactly once. */
#define MANY 8

static void TestManyThreads(void)
{
    SEND *Sends[MANY];
    PKTHREAD Threads[MANY];
    LONG Before = Cancelled;
    ULONG i;
    for (i = 0; i < MANY; i++)
        Sends[i] = NewSend(FALSE);
    for (i = 0; i < MANY; i++)
        Threads[i] = Sends[i] ? KmtStartThread(SendAndExit, Sends[i]) : NULL;
    for (i = 0; i < MANY; i++)
        KmtJoinThread(Threads[i]);
    for (i = 0; i < MANY; i++) {
        if (Sends[i] == NULL)
            continue;
        CHECK_STATUS(KmtPoll(&Sends[i]->Done), STATUS_SUCCESS);
        CHECK_STATUS(Sends[i]->Iosb.Status, STATUS_CANCELLED);
        ExFreePoolWithTag(Sends[i], TAG);
    }
    CHECK_EQ(Cancelled, Before + MANY);
}

static NTSTATUS CreateClose(PDEVICE_OBJECT DeviceObject, PIRP Irp)
{
    UNREFERENCED_PARAMETER(DeviceObject);
    Irp->IoStatus.Status = STATUS_SUCCESS;
    Irp->IoStatus.Information = 0;
    IoCompleteRequest(Irp, IO_NO_INCREMENT);
    return STATUS_SUCCESS;
}

static VOID Unload(PDRIVER_OBJECT DriverObject)
{
    UNREFERENCED_PARAMETER(DriverObject);
    IoDeleteDevice(Device);
    DbgPrint("kmtest_threaded: unload\n");
}

NTSTATUS DriverEntry(PDRIVER_OBJECT DriverObject, PUNICODE_STRING RegistryPath)
{
    NTSTATUS Status;
    UNREFERENCED_PARAMETER(RegistryPath);
    DriverObject->DriverUnload = Unload;
    DriverObject->MajorFunction[IRP_MJ_CREATE] = CreateClose;
    DriverObject->MajorFunction[IRP_MJ_CLOSE] = CreateClose;
    DriverObject->MajorFunction[IRP_MJ_READ] = PendDispatch;
    DriverObject->MajorFunction[IRP_MJ_DEVICE_CONTROL] = PendDispatch;
    Status = IoCreateDevice(DriverObject, 0, NULL, FILE_DEVICE_UNKNOWN, 0, FALSE, &Device);
    CHECK_STATUS(Status, STATUS_SUCCESS);
    if (!NT_SUCCESS(Status))
        return Status;
    KMT_RUN("kmtest_threaded", TestThreadedIrpCancelledAtExit());
    KMT_RUN("kmtest_threaded", TestAsynchronousIrpOutlivesThread());
    KMT_RUN("kmtest_threaded", TestManyThreads());
    Status = KmtFinish("kmtest_threaded");
    if (!NT_SUCCESS(Status))
        IoDeleteDevice(Device);
    return Status;
}
