/* ZeroFilter: a legacy (non-PnP) WDM filter driver over the Zero driver of chapter 7
 * (samples/zero), following the WDK's filter pattern. DriverEntry finds \Device\Zero with
 * IoGetDeviceObjectPointer, creates an unnamed filter device with Zero's device type and
 * buffering flags, and attaches it on top of Zero's stack with
 * IoAttachDeviceToDeviceStackSafe; from then on every open of \\.\Zero reaches the filter
 * first. Each request is counted by major function and passed down: reads and writes with
 * IoCopyCurrentIrpStackLocationToNext and a completion routine that adds the bytes the lower
 * driver transferred, the rest with IoSkipCurrentIrpStackLocation. A control device,
 * \Device\ZeroFilter (\\.\ZeroFilter), returns the counts. Load it after Zero; it unloads
 * first, detaching before it deletes its device. */
#include <ntddk.h>
#include "ZeroFilterCommon.h"

#define DRIVER_PREFIX "ZeroFilter: "

typedef enum { ControlDevice, FilterDevice } DEVICE_KIND;

typedef struct {
    DEVICE_KIND Kind;
    PDEVICE_OBJECT Lower; /* the device attached to (filter only) */
} DEVICE_EXTENSION, *PDEVICE_EXTENSION;

/* Updated by any number of requests at once: interlocked. */
static ZeroFilterCounts g_Counts;
static PDEVICE_OBJECT g_ControlDevice, g_FilterDevice;
static PFILE_OBJECT g_ZeroFile; /* keeps Zero's device object referenced while attached */

static VOID ZeroFilterUnload(_In_ PDRIVER_OBJECT DriverObject);
static NTSTATUS ZeroFilterDispatch(_In_ PDEVICE_OBJECT DeviceObject, _Inout_ PIRP Irp);

static NTSTATUS CompleteIrp(PIRP Irp, NTSTATUS Status, ULONG_PTR Information)
{
    Irp->IoStatus.Status = Status;
    Irp->IoStatus.Information = Information;
    IoCompleteRequest(Irp, IO_NO_INCREMENT);
    return Status;
}

NTSTATUS DriverEntry(_In_ PDRIVER_OBJECT DriverObject, _In_ PUNICODE_STRING RegistryPath)
{
    UNICODE_STRING zeroName = RTL_CONSTANT_STRING(L"\\Device\\Zero");
    UNICODE_STRING devName = RTL_CONSTANT_STRING(L"\\Device\\ZeroFilter");
    UNICODE_STRING symLink = RTL_CONSTANT_STRING(L"\\??\\ZeroFilter");
    PDEVICE_OBJECT zeroDevice = NULL;
    PDEVICE_EXTENSION ext;
    BOOLEAN symLinkCreated = FALSE;
    NTSTATUS status;
    ULONG i;
    UNREFERENCED_PARAMETER(RegistryPath);

    DriverObject->DriverUnload = ZeroFilterUnload;
    /* A filter passes down whatever it does not understand: every major function. */
    for (i = 0; i <= IRP_MJ_MAXIMUM_FUNCTION; i++)
        DriverObject->MajorFunction[i] = ZeroFilterDispatch;

    do {
        status = IoCreateDevice(DriverObject, sizeof(DEVICE_EXTENSION), &devName,
                                FILE_DEVICE_UNKNOWN, 0, FALSE, &g_ControlDevice);
        if (!NT_SUCCESS(status))
            break;
        ext = (PDEVICE_EXTENSION)g_ControlDevice->DeviceExtension;
        ext->Kind = ControlDevice;
        g_ControlDevice->Flags |= DO_BUFFERED_IO;
        status = IoCreateSymbolicLink(&symLink, &devName);
        if (!NT_SUCCESS(status))
            break;
        symLinkCreated = TRUE;

        status = IoGetDeviceObjectPointer(&zeroName, FILE_READ_DATA, &g_ZeroFile, &zeroDevice);
        if (!NT_SUCCESS(status)) {
            KdPrint((DRIVER_PREFIX "cannot open \\Device\\Zero (0x%08X): load zero first\n",
                     status));
            break;
        }
        status = IoCreateDevice(DriverObject, sizeof(DEVICE_EXTENSION), NULL,
                                zeroDevice->DeviceType, zeroDevice->Characteristics, FALSE,
                                &g_FilterDevice);
        if (!NT_SUCCESS(status))
            break;
        ext = (PDEVICE_EXTENSION)g_FilterDevice->DeviceExtension;
        ext->Kind = FilterDevice;
        ext->Lower = NULL;
        /* The I/O manager builds requests for the top of the stack by its flags: they must be
         * the lower device's. */
        g_FilterDevice->Flags |= zeroDevice->Flags & (DO_BUFFERED_IO | DO_DIRECT_IO |
                                                      DO_POWER_PAGABLE);
        status = IoAttachDeviceToDeviceStackSafe(g_FilterDevice, zeroDevice, &ext->Lower);
        if (!NT_SUCCESS(status)) {
            KdPrint((DRIVER_PREFIX "cannot attach (0x%08X)\n", status));
            break;
        }
        g_FilterDevice->Flags &= ~DO_DEVICE_INITIALIZING;
        KdPrint((DRIVER_PREFIX "attached above \\Device\\Zero, stack size %d\n",
                 (int)g_FilterDevice->StackSize));
    } while (FALSE);

    if (!NT_SUCCESS(status)) {
        if (g_FilterDevice)
            IoDeleteDevice(g_FilterDevice);
        if (g_ZeroFile)
            ObDereferenceObject(g_ZeroFile);
        if (symLinkCreated)
            IoDeleteSymbolicLink(&symLink);
        if (g_ControlDevice)
            IoDeleteDevice(g_ControlDevice);
        return status;
    }
    return STATUS_SUCCESS;
}

static VOID ZeroFilterUnload(_In_ PDRIVER_OBJECT DriverObject)
{
    UNICODE_STRING symLink = RTL_CONSTANT_STRING(L"\\??\\ZeroFilter");
    PDEVICE_EXTENSION ext = (PDEVICE_EXTENSION)g_FilterDevice->DeviceExtension;
    UNREFERENCED_PARAMETER(DriverObject);

    KdPrint((DRIVER_PREFIX "%lld creates, %lld reads (%lld bytes), %lld writes (%lld bytes), "
             "%lld device controls\n",
             g_Counts.Irps[IRP_MJ_CREATE], g_Counts.Irps[IRP_MJ_READ], g_Counts.BytesRead,
             g_Counts.Irps[IRP_MJ_WRITE], g_Counts.BytesWritten,
             g_Counts.Irps[IRP_MJ_DEVICE_CONTROL]));
    /* The file object's reference goes first, as the WDK asks, then the attachment. */
    ObDereferenceObject(g_ZeroFile);
    IoDetachDevice(ext->Lower);
    IoDeleteDevice(g_FilterDevice);
    IoDeleteSymbolicLink(&symLink);
    IoDeleteDevice(g_ControlDevice);
}

/* Reads and writes: the bytes the lower driver reports having transferred. */
static NTSTATUS ZeroFilterTransferComplete(_In_ PDEVICE_OBJECT DeviceObject, _In_ PIRP Irp,
                                           _In_opt_ PVOID Context)
{
    UNREFERENCED_PARAMETER(DeviceObject);
    /* The lower driver pended it: this stack location must say so too. */
    if (Irp->PendingReturned) {
        IoMarkIrpPending(Irp);
        InterlockedIncrement64(&g_Counts.PendingReturned);
    }
    if (NT_SUCCESS(Irp->IoStatus.Status))
        InterlockedAdd64((LONG64 *)Context, (LONG64)Irp->IoStatus.Information);
    return STATUS_CONTINUE_COMPLETION;
}

static NTSTATUS ZeroFilterControl(PIRP Irp)
{
    PIO_STACK_LOCATION stack = IoGetCurrentIrpStackLocation(Irp);
    ZeroFilterCounts *out;
    ULONG i;

    switch (stack->MajorFunction) {
    case IRP_MJ_CREATE:
    case IRP_MJ_CLEANUP:
    case IRP_MJ_CLOSE:
        return CompleteIrp(Irp, STATUS_SUCCESS, 0);
    case IRP_MJ_DEVICE_CONTROL:
        break;
    default:
        return CompleteIrp(Irp, STATUS_INVALID_DEVICE_REQUEST, 0);
    }
    switch (stack->Parameters.DeviceIoControl.IoControlCode) {
    case IOCTL_ZERO_FILTER_GET_COUNTS:
        if (stack->Parameters.DeviceIoControl.OutputBufferLength < sizeof(ZeroFilterCounts))
            return CompleteIrp(Irp, STATUS_BUFFER_TOO_SMALL, 0);
        out = (ZeroFilterCounts *)Irp->AssociatedIrp.SystemBuffer;
        for (i = 0; i < ZERO_FILTER_MAJORS; i++)
            out->Irps[i] = InterlockedAdd64(&g_Counts.Irps[i], 0);
        out->BytesRead = InterlockedAdd64(&g_Counts.BytesRead, 0);
        out->BytesWritten = InterlockedAdd64(&g_Counts.BytesWritten, 0);
        out->CreatesOfNamedDevice = InterlockedAdd64(&g_Counts.CreatesOfNamedDevice, 0);
        out->PendingReturned = InterlockedAdd64(&g_Counts.PendingReturned, 0);
        return CompleteIrp(Irp, STATUS_SUCCESS, sizeof(ZeroFilterCounts));
    case IOCTL_ZERO_FILTER_CLEAR_COUNTS:
        for (i = 0; i < ZERO_FILTER_MAJORS; i++)
            InterlockedExchange64(&g_Counts.Irps[i], 0);
        InterlockedExchange64(&g_Counts.BytesRead, 0);
        InterlockedExchange64(&g_Counts.BytesWritten, 0);
        InterlockedExchange64(&g_Counts.CreatesOfNamedDevice, 0);
        InterlockedExchange64(&g_Counts.PendingReturned, 0);
        return CompleteIrp(Irp, STATUS_SUCCESS, 0);
    default:
        return CompleteIrp(Irp, STATUS_INVALID_DEVICE_REQUEST, 0);
    }
}

static NTSTATUS ZeroFilterDispatch(_In_ PDEVICE_OBJECT DeviceObject, _Inout_ PIRP Irp)
{
    PDEVICE_EXTENSION ext = (PDEVICE_EXTENSION)DeviceObject->DeviceExtension;
    PIO_STACK_LOCATION stack = IoGetCurrentIrpStackLocation(Irp);

    if (ext->Kind == ControlDevice)
        return ZeroFilterControl(Irp);

    InterlockedIncrement64(&g_Counts.Irps[stack->MajorFunction]);
    /* The open names Zero's device; the request reached the top of its stack, this device. */
    if (stack->MajorFunction == IRP_MJ_CREATE && stack->FileObject &&
        stack->FileObject->DeviceObject == ext->Lower)
        InterlockedIncrement64(&g_Counts.CreatesOfNamedDevice);

    if (stack->MajorFunction == IRP_MJ_READ || stack->MajorFunction == IRP_MJ_WRITE) {
        IoCopyCurrentIrpStackLocationToNext(Irp);
        IoSetCompletionRoutine(Irp, ZeroFilterTransferComplete,
                               stack->MajorFunction == IRP_MJ_READ ? &g_Counts.BytesRead
                                                                   : &g_Counts.BytesWritten,
                               TRUE, TRUE, TRUE);
        return IoCallDriver(ext->Lower, Irp);
    }
    IoSkipCurrentIrpStackLocation(Irp);
    return IoCallDriver(ext->Lower, Irp);
}
