/* Device stacks, checked from DriverEntry over the Zero driver (loaded first): two filter
 * devices attached with IoAttachDeviceToDeviceStackSafe and IoAttachDevice; StackSize is the
 * lower device's plus one; IoGetAttachedDevice(Reference), IoGetRelatedDeviceObject and
 * IoGetDeviceObjectPointer give the top while the file object keeps naming Zero's device;
 * requests sent to the top pass down both filters (one skips its stack location, the other
 * copies it and sets a completion routine, which gets its own device); IoAttachDevice's own
 * open sends its CLEANUP and CLOSE through the new device; an attach to a device
 * being deleted fails; detaching unwinds the stack. The same two filters over a device that pends
 * every request and completes it from a timer's DPC, sent from a system thread: the lower
 * driver's pending state reaches the top through the completion routine, as I/O verification
 * requires. Fails to load if any check failed. */
#include <ntddk.h>
#include "../ntktest.h"
#include "../../samples/zero/ZeroCommon.h"

typedef struct {
    PDEVICE_OBJECT Lower;    /* NULL: the pending device at the bottom */
    BOOLEAN CopyAndComplete; /* else IoSkipCurrentIrpStackLocation */
    LONG Dispatched;
    PDEVICE_OBJECT DispatchedTo;
} FILTER_EXTENSION;

static LONG Completions;
static PDEVICE_OBJECT CompletedFor;
static PIRP Pended;
static KTIMER PendTimer;
static KDPC PendDpc;

static VOID FinishPended(PKDPC Dpc, PVOID Context, PVOID Argument1, PVOID Argument2)
{
    PIRP Irp = Pended;
    UNREFERENCED_PARAMETER(Dpc);
    UNREFERENCED_PARAMETER(Context);
    UNREFERENCED_PARAMETER(Argument1);
    UNREFERENCED_PARAMETER(Argument2);
    Irp->IoStatus.Status = STATUS_SUCCESS;
    Irp->IoStatus.Information = 7;
    IoCompleteRequest(Irp, IO_NO_INCREMENT);
}

static NTSTATUS FilterComplete(PDEVICE_OBJECT DeviceObject, PIRP Irp, PVOID Context)
{
    UNREFERENCED_PARAMETER(Context);
    if (Irp->PendingReturned)
        IoMarkIrpPending(Irp);
    CompletedFor = DeviceObject;
    InterlockedIncrement(&Completions);
    return STATUS_CONTINUE_COMPLETION;
}

static NTSTATUS FilterDispatch(PDEVICE_OBJECT DeviceObject, PIRP Irp)
{
    FILTER_EXTENSION *Ext = DeviceObject->DeviceExtension;
    InterlockedIncrement(&Ext->Dispatched);
    Ext->DispatchedTo = DeviceObject;
    if (Ext->Lower == NULL) {
        LARGE_INTEGER Due;
        Due.QuadPart = -10 * 10000; /* 10 ms */
        IoMarkIrpPending(Irp);
        Pended = Irp;
        KeSetTimer(&PendTimer, Due, &PendDpc);
        return STATUS_PENDING;
    }
    if (Ext->CopyAndComplete) {
        IoCopyCurrentIrpStackLocationToNext(Irp);
        IoSetCompletionRoutine(Irp, FilterComplete, NULL, TRUE, TRUE, TRUE);
    } else {
        IoSkipCurrentIrpStackLocation(Irp);
    }
    return IoCallDriver(Ext->Lower, Irp);
}

static PDEVICE_OBJECT CreateFilter(PDRIVER_OBJECT Driver, PDEVICE_OBJECT Model, BOOLEAN Copy)
{
    PDEVICE_OBJECT Device = NULL;
    FILTER_EXTENSION *Ext;
    CHECK_STATUS(IoCreateDevice(Driver, sizeof(FILTER_EXTENSION), NULL, Model->DeviceType, 0,
                                FALSE, &Device),
                 STATUS_SUCCESS);
    if (Device == NULL)
        return NULL;
    Ext = Device->DeviceExtension;
    RtlZeroMemory(Ext, sizeof(*Ext));
    Ext->CopyAndComplete = Copy;
    Device->Flags |= Model->Flags & (DO_BUFFERED_IO | DO_DIRECT_IO);
    return Device;
}

/* A read and a control request sent to the top of the stack. */
static VOID SendThrough(PDEVICE_OBJECT Top, PDEVICE_OBJECT A, PDEVICE_OBJECT B)
{
    FILTER_EXTENSION *ExtA = A->DeviceExtension, *ExtB = B->DeviceExtension;
    UCHAR Buffer[100];
    ZeroStats Stats;
    IO_STATUS_BLOCK Io;
    KEVENT Event;
    NTSTATUS Status;
    PIRP Irp;
    ULONG i, Zeros = 0;

    KeInitializeEvent(&Event, NotificationEvent, FALSE);
    RtlFillMemory(Buffer, sizeof(Buffer), 0xCC);
    /* B copied DO_DIRECT_IO from the stack: the builder gives the read an MDL for Zero. */
    Irp = IoBuildSynchronousFsdRequest(IRP_MJ_READ, Top, Buffer, sizeof(Buffer), NULL, &Event,
                                       &Io);
    CHECK(Irp != NULL);
    if (Irp == NULL)
        return;
    CHECK_EQ(Irp->StackCount, 3);
    CHECK(Irp->MdlAddress != NULL);
    Status = IoCallDriver(Top, Irp);
    if (Status == STATUS_PENDING) {
        KeWaitForSingleObject(&Event, Executive, KernelMode, FALSE, NULL);
        Status = Io.Status;
    }
    CHECK_STATUS(Status, STATUS_SUCCESS);
    CHECK_EQ(Io.Information, sizeof(Buffer));
    for (i = 0; i < sizeof(Buffer); i++)
        Zeros += Buffer[i] == 0;
    CHECK_EQ(Zeros, sizeof(Buffer));
    CHECK_EQ(ExtB->Dispatched, 1);
    CHECK_EQ(ExtA->Dispatched, 1);
    CHECK(ExtB->DispatchedTo == B);
    CHECK(ExtA->DispatchedTo == A);
    /* A's routine sits in Zero's stack location; it is called with A's device. */
    CHECK_EQ(Completions, 1);
    CHECK(CompletedFor == A);

    KeClearEvent(&Event);
    Irp = IoBuildDeviceIoControlRequest(IOCTL_ZERO_GET_STATS, Top, NULL, 0, &Stats,
                                        sizeof(Stats), FALSE, &Event, &Io);
    CHECK(Irp != NULL);
    if (Irp == NULL)
        return;
    Status = IoCallDriver(Top, Irp);
    if (Status == STATUS_PENDING) {
        KeWaitForSingleObject(&Event, Executive, KernelMode, FALSE, NULL);
        Status = Io.Status;
    }
    CHECK_STATUS(Status, STATUS_SUCCESS);
    CHECK_EQ(Io.Information, sizeof(Stats));
    CHECK_EQ(Stats.TotalRead, sizeof(Buffer));
    CHECK_EQ(ExtA->Dispatched, 2);
    CHECK_EQ(Completions, 2);
}

/* B (skips) over A (copies, completion routine) over a device that pends: the request pends at
 * every level and completes from the DPC, on another thread. */
static VOID PendThrough(PVOID Context)
{
    PDRIVER_OBJECT Driver = Context;
    PDEVICE_OBJECT Bottom = NULL, A, B;
    FILTER_EXTENSION *Ext;
    IO_STATUS_BLOCK Io;
    KEVENT Event;
    NTSTATUS Status;
    PIRP Irp;
    CHECK_STATUS(IoCreateDevice(Driver, sizeof(FILTER_EXTENSION), NULL, FILE_DEVICE_UNKNOWN, 0,
                                FALSE, &Bottom),
                 STATUS_SUCCESS);
    if (Bottom == NULL)
        return;
    RtlZeroMemory(Bottom->DeviceExtension, sizeof(FILTER_EXTENSION));
    KeInitializeTimer(&PendTimer);
    KeInitializeDpc(&PendDpc, FinishPended, NULL);
    A = CreateFilter(Driver, Bottom, TRUE);
    B = CreateFilter(Driver, Bottom, FALSE);
    Ext = A->DeviceExtension;
    CHECK_STATUS(IoAttachDeviceToDeviceStackSafe(A, Bottom, &Ext->Lower), STATUS_SUCCESS);
    Ext = B->DeviceExtension;
    CHECK_STATUS(IoAttachDeviceToDeviceStackSafe(B, Bottom, &Ext->Lower), STATUS_SUCCESS);
    CHECK(Ext->Lower == A);
    Completions = 0;
    KeInitializeEvent(&Event, NotificationEvent, FALSE);
    Irp = IoBuildDeviceIoControlRequest(0x222003, B, NULL, 0, NULL, 0, TRUE, &Event, &Io);
    CHECK(Irp != NULL);
    if (Irp) {
        Status = IoCallDriver(B, Irp);
        CHECK_STATUS(Status, STATUS_PENDING);
        CHECK_STATUS(KeWaitForSingleObject(&Event, Executive, KernelMode, FALSE, NULL),
                     STATUS_SUCCESS);
        CHECK_STATUS(Io.Status, STATUS_SUCCESS);
        CHECK_EQ(Io.Information, 7);
        CHECK_EQ(Completions, 1);
        CHECK(CompletedFor == A);
    }
    IoDetachDevice(A);
    IoDeleteDevice(B);
    IoDetachDevice(Bottom);
    IoDeleteDevice(A);
    IoDeleteDevice(Bottom);
    PsTerminateSystemThread(STATUS_SUCCESS);
}

/* An attach above a device whose deletion is pending fails, and writes nothing. */
static VOID AttachToDeleted(PDRIVER_OBJECT Driver)
{
    PDEVICE_OBJECT Doomed = NULL, Filter = NULL, Below = NULL;
    CHECK_STATUS(IoCreateDevice(Driver, 0, NULL, FILE_DEVICE_UNKNOWN, 0, FALSE, &Doomed),
                 STATUS_SUCCESS);
    CHECK_STATUS(IoCreateDevice(Driver, 0, NULL, FILE_DEVICE_UNKNOWN, 0, FALSE, &Filter),
                 STATUS_SUCCESS);
    if (Doomed == NULL || Filter == NULL)
        return;
    ObReferenceObject(Doomed);
    IoDeleteDevice(Doomed);
    CHECK_STATUS(IoAttachDeviceToDeviceStackSafe(Filter, Doomed, &Below), STATUS_NO_SUCH_DEVICE);
    CHECK(Below == NULL);
    CHECK(IoAttachDeviceToDeviceStack(Filter, Doomed) == NULL);
    CHECK_EQ(Filter->StackSize, 1);
    ObDereferenceObject(Doomed);
    IoDeleteDevice(Filter);
}

NTSTATUS DriverEntry(PDRIVER_OBJECT DriverObject, PUNICODE_STRING RegistryPath)
{
    UNICODE_STRING ZeroName = RTL_CONSTANT_STRING(L"\\Device\\Zero");
    PDEVICE_OBJECT Zero = NULL, Top = NULL, A, B, Reference;
    PFILE_OBJECT File = NULL, File2 = NULL;
    FILTER_EXTENSION *ExtA, *ExtB;
    int Failed;
    UNREFERENCED_PARAMETER(RegistryPath);

    DriverObject->MajorFunction[IRP_MJ_CREATE] = FilterDispatch;
    DriverObject->MajorFunction[IRP_MJ_CLEANUP] = FilterDispatch;
    DriverObject->MajorFunction[IRP_MJ_CLOSE] = FilterDispatch;
    DriverObject->MajorFunction[IRP_MJ_READ] = FilterDispatch;
    DriverObject->MajorFunction[IRP_MJ_DEVICE_CONTROL] = FilterDispatch;
    DriverObject->MajorFunction[IRP_MJ_INTERNAL_DEVICE_CONTROL] = FilterDispatch;

    CHECK_STATUS(IoGetDeviceObjectPointer(&ZeroName, FILE_READ_DATA, &File, &Zero),
                 STATUS_SUCCESS);
    if (Zero == NULL)
        return STATUS_UNSUCCESSFUL;
    CHECK(File->DeviceObject == Zero);
    CHECK(IoGetAttachedDevice(Zero) == Zero);
    CHECK_EQ(Zero->StackSize, 1);

    /* A: attached with the Safe form; its extension's Lower is set by the attach itself. */
    A = CreateFilter(DriverObject, Zero, TRUE);
    ExtA = A->DeviceExtension;
    CHECK_STATUS(IoAttachDeviceToDeviceStackSafe(A, Zero, &ExtA->Lower), STATUS_SUCCESS);
    CHECK(ExtA->Lower == Zero);
    CHECK_EQ(A->StackSize, 2);
    CHECK(Zero->AttachedDevice == A);
    CHECK(IoGetAttachedDevice(Zero) == A);
    Reference = IoGetAttachedDeviceReference(Zero);
    CHECK(Reference == A);
    ObDereferenceObject(Reference);

    /* B: attached by name, over the top of the stack (A). */
    B = CreateFilter(DriverObject, Zero, FALSE);
    ExtB = B->DeviceExtension;
    CHECK_STATUS(IoAttachDevice(B, &ZeroName, &ExtB->Lower), STATUS_SUCCESS);
    CHECK(ExtB->Lower == A);
    CHECK_EQ(B->StackSize, 3);
    CHECK(IoGetRelatedDeviceObject(File) == B);
    /* IoAttachDevice's own open: CREATE through A before the attach, CLEANUP and CLOSE through
     * B (forwarded to A) after it, as the WDK says. */
    CHECK_EQ(ExtB->Dispatched, 2);
    CHECK_EQ(ExtA->Dispatched, 3);
    ExtB->Dispatched = 0;
    ExtA->Dispatched = 0;
    Completions = 0;

    /* A new open names Zero's device and returns the top. */
    CHECK_STATUS(IoGetDeviceObjectPointer(&ZeroName, FILE_READ_DATA, &File2, &Top),
                 STATUS_SUCCESS);
    CHECK(Top == B);
    CHECK(File2 != NULL && File2->DeviceObject == Zero);
    CHECK_EQ(ExtB->Dispatched, 2); /* CREATE and CLEANUP so far */
    CHECK_EQ(ExtA->Dispatched, 2);
    ExtA->Dispatched = ExtB->Dispatched = 0;
    Completions = 0;
    if (Top == B)
        SendThrough(Top, A, B);
    if (File2)
        ObDereferenceObject(File2); /* CLOSE through B and A */
    CHECK_EQ(ExtB->Dispatched, 3); /* the read, the control request, the CLOSE */

    AttachToDeleted(DriverObject);
    {
        HANDLE Thread = NULL;
        CHECK_STATUS(PsCreateSystemThread(&Thread, THREAD_ALL_ACCESS, NULL, NULL, NULL,
                                          PendThrough, DriverObject),
                     STATUS_SUCCESS);
        if (Thread) {
            CHECK_STATUS(ZwWaitForSingleObject(Thread, FALSE, NULL), STATUS_SUCCESS);
            ZwClose(Thread);
        }
    }

    /* Unwind: B's detach leaves A on top, A's leaves Zero alone. */
    ObDereferenceObject(File);
    IoDetachDevice(A);
    CHECK(IoGetAttachedDevice(Zero) == A);
    CHECK(A->AttachedDevice == NULL);
    IoDeleteDevice(B);
    IoDetachDevice(Zero);
    CHECK(IoGetAttachedDevice(Zero) == Zero);
    IoDeleteDevice(A);

    Failed = NTK_TEST_SUMMARY();
    DbgPrint("stacktest: %s\n", Failed ? "FAILED" : "all checks passed");
    return Failed ? STATUS_UNSUCCESSFUL : STATUS_SUCCESS;
}
