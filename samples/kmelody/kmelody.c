/* The KMelody driver of chapter 8 of "Windows Kernel Programming, 2nd ed.", in C: clients queue
 * notes with IOCTL_MELODY_PLAY on \Device\KMelody (symbolic link \??\KMelody) and a system
 * thread of the driver plays them, one after the other, on the Beep device.
 *
 * - Notes come from a lookaside list (LOOKASIDE_LIST_EX, paged pool: every allocation and free
 *   happens at PASSIVE_LEVEL or APC_LEVEL) and wait in a list guarded by a fast mutex.
 * - A semaphore counts the queued notes: the dispatch routine releases it once per note, the
 *   thread waits on it and on a stop event with KeWaitForMultipleObjects(WaitAny).
 * - The thread opens \Device\Beep once (IoGetDeviceObjectPointer) and sends each tone with an
 *   IRP from IoBuildDeviceIoControlRequest(IOCTL_BEEP_SET).
 * - It waits out each note's duration and delay on the stop event with a timeout rather than
 *   with KeDelayExecutionThread, so that unloading during a long note does not wait for it.
 * - DriverUnload sets the stop event and waits for the thread object before it returns. */
#include <ntddk.h>
#include <ntddbeep.h>
#include "KMelodyCommon.h"

#define DRIVER_PREFIX "KMelody: "
#define DRIVER_TAG 'oleM'

typedef struct {
    LIST_ENTRY Link;
    Note Data;
} FullNote;

typedef struct {
    LIST_ENTRY Head;            /* FullNote.Link, guarded by Lock */
    FAST_MUTEX Lock;
    LOOKASIDE_LIST_EX Lookaside;
    KSEMAPHORE Counter;         /* one count per queued note */
    KEVENT StopEvent;
    PETHREAD Thread;            /* referenced: waitable after its handle is closed */
    LONG NotesPlayed;           /* written by the thread only */
} PlaybackState;

static PlaybackState g_State;

static VOID MelodyUnload(_In_ PDRIVER_OBJECT DriverObject);
static NTSTATUS MelodyCreateClose(_In_ PDEVICE_OBJECT DeviceObject, _Inout_ PIRP Irp);
static NTSTATUS MelodyDeviceControl(_In_ PDEVICE_OBJECT DeviceObject, _Inout_ PIRP Irp);
static VOID PlayMelody(_In_ PVOID Context);

static NTSTATUS CompleteIrp(PIRP Irp, NTSTATUS Status)
{
    Irp->IoStatus.Status = Status;
    Irp->IoStatus.Information = 0;
    IoCompleteRequest(Irp, IO_NO_INCREMENT);
    return Status;
}

NTSTATUS DriverEntry(_In_ PDRIVER_OBJECT DriverObject, _In_ PUNICODE_STRING RegistryPath)
{
    UNICODE_STRING devName = RTL_CONSTANT_STRING(L"\\Device\\KMelody");
    UNICODE_STRING symLink = RTL_CONSTANT_STRING(L"\\??\\KMelody");
    PDEVICE_OBJECT DeviceObject = NULL;
    BOOLEAN symLinkCreated = FALSE, lookasideReady = FALSE;
    OBJECT_ATTRIBUTES attributes;
    HANDLE hThread;
    NTSTATUS status;
    UNREFERENCED_PARAMETER(RegistryPath);

    InitializeListHead(&g_State.Head);
    ExInitializeFastMutex(&g_State.Lock);
    KeInitializeSemaphore(&g_State.Counter, 0, MAXLONG);
    KeInitializeEvent(&g_State.StopEvent, NotificationEvent, FALSE);

    /* One exit for every failure: undo whatever was done. */
    do {
        status = ExInitializeLookasideListEx(&g_State.Lookaside, NULL, NULL, PagedPool, 0,
                                             sizeof(FullNote), DRIVER_TAG, 0);
        if (!NT_SUCCESS(status)) {
            KdPrint((DRIVER_PREFIX "failed to create the lookaside list (0x%08X)\n", status));
            break;
        }
        lookasideReady = TRUE;

        status = IoCreateDevice(DriverObject, 0, &devName, FILE_DEVICE_UNKNOWN, 0, FALSE,
                                &DeviceObject);
        if (!NT_SUCCESS(status)) {
            KdPrint((DRIVER_PREFIX "failed to create device (0x%08X)\n", status));
            break;
        }
        status = IoCreateSymbolicLink(&symLink, &devName);
        if (!NT_SUCCESS(status)) {
            KdPrint((DRIVER_PREFIX "failed to create symbolic link (0x%08X)\n", status));
            break;
        }
        symLinkCreated = TRUE;

        InitializeObjectAttributes(&attributes, NULL, OBJ_KERNEL_HANDLE, NULL, NULL);
        status = PsCreateSystemThread(&hThread, THREAD_ALL_ACCESS, &attributes, NULL, NULL,
                                      PlayMelody, NULL);
        if (!NT_SUCCESS(status)) {
            KdPrint((DRIVER_PREFIX "failed to create the thread (0x%08X)\n", status));
            break;
        }
        status = ObReferenceObjectByHandle(hThread, SYNCHRONIZE, *PsThreadType, KernelMode,
                                           (PVOID *)&g_State.Thread, NULL);
        ZwClose(hThread);
        if (!NT_SUCCESS(status)) {
            /* Cannot happen for a handle just created; the thread must still stop. */
            KdPrint((DRIVER_PREFIX "failed to reference the thread (0x%08X)\n", status));
            KeSetEvent(&g_State.StopEvent, IO_NO_INCREMENT, FALSE);
            break;
        }
    } while (FALSE);

    if (!NT_SUCCESS(status)) {
        if (symLinkCreated)
            IoDeleteSymbolicLink(&symLink);
        if (DeviceObject)
            IoDeleteDevice(DeviceObject);
        if (lookasideReady)
            ExDeleteLookasideListEx(&g_State.Lookaside);
        return status;
    }

    DriverObject->DriverUnload = MelodyUnload;
    DriverObject->MajorFunction[IRP_MJ_CREATE] = MelodyCreateClose;
    DriverObject->MajorFunction[IRP_MJ_CLOSE] = MelodyCreateClose;
    DriverObject->MajorFunction[IRP_MJ_DEVICE_CONTROL] = MelodyDeviceControl;
    KdPrint((DRIVER_PREFIX "DriverEntry completed successfully\n"));
    return STATUS_SUCCESS;
}

static VOID MelodyUnload(_In_ PDRIVER_OBJECT DriverObject)
{
    UNICODE_STRING symLink = RTL_CONSTANT_STRING(L"\\??\\KMelody");

    /* The thread runs the driver's code and allocates from its lookaside list: it must be
     * gone before either is. */
    KeSetEvent(&g_State.StopEvent, IO_NO_INCREMENT, FALSE);
    KeWaitForSingleObject(g_State.Thread, Executive, KernelMode, FALSE, NULL);
    ObDereferenceObject(g_State.Thread);
    ExDeleteLookasideListEx(&g_State.Lookaside);
    IoDeleteSymbolicLink(&symLink);
    IoDeleteDevice(DriverObject->DeviceObject);
    KdPrint((DRIVER_PREFIX "unloaded after playing %ld notes\n", g_State.NotesPlayed));
}

static NTSTATUS MelodyCreateClose(_In_ PDEVICE_OBJECT DeviceObject, _Inout_ PIRP Irp)
{
    UNREFERENCED_PARAMETER(DeviceObject);
    return CompleteIrp(Irp, STATUS_SUCCESS);
}

static VOID FreeNotes(PLIST_ENTRY Head)
{
    while (!IsListEmpty(Head)) {
        FullNote *note = CONTAINING_RECORD(RemoveHeadList(Head), FullNote, Link);
        ExFreeToLookasideListEx(&g_State.Lookaside, note);
    }
}

/* IOCTL_MELODY_PLAY: every note is checked and allocated first, so a request queues all of
 * its notes or none. */
static NTSTATUS QueueNotes(const Note *notes, ULONG count)
{
    LIST_ENTRY batch;
    ULONG i;

    for (i = 0; i < count; i++) {
        if (notes[i].Frequency != 0 && (notes[i].Frequency < BEEP_FREQUENCY_MINIMUM ||
                                        notes[i].Frequency > BEEP_FREQUENCY_MAXIMUM))
            return STATUS_INVALID_PARAMETER;
    }
    InitializeListHead(&batch);
    for (i = 0; i < count; i++) {
        FullNote *note = (FullNote *)ExAllocateFromLookasideListEx(&g_State.Lookaside);
        if (note == NULL) {
            FreeNotes(&batch);
            return STATUS_INSUFFICIENT_RESOURCES;
        }
        note->Data = notes[i];
        InsertTailList(&batch, &note->Link);
    }
    ExAcquireFastMutex(&g_State.Lock);
    while (!IsListEmpty(&batch))
        InsertTailList(&g_State.Head, RemoveHeadList(&batch));
    ExReleaseFastMutex(&g_State.Lock);
    /* One count per note: the thread takes them one at a time. */
    KeReleaseSemaphore(&g_State.Counter, IO_NO_INCREMENT, (LONG)count, FALSE);
    return STATUS_SUCCESS;
}

static NTSTATUS MelodyDeviceControl(_In_ PDEVICE_OBJECT DeviceObject, _Inout_ PIRP Irp)
{
    PIO_STACK_LOCATION stack = IoGetCurrentIrpStackLocation(Irp);
    ULONG len = stack->Parameters.DeviceIoControl.InputBufferLength;
    UNREFERENCED_PARAMETER(DeviceObject);

    if (stack->Parameters.DeviceIoControl.IoControlCode != IOCTL_MELODY_PLAY)
        return CompleteIrp(Irp, STATUS_INVALID_DEVICE_REQUEST);
    if (len == 0 || len % sizeof(Note) != 0)
        return CompleteIrp(Irp, STATUS_INVALID_BUFFER_SIZE);
    if (len / sizeof(Note) > MELODY_MAX_NOTES)
        return CompleteIrp(Irp, STATUS_INVALID_PARAMETER);
    if (Irp->AssociatedIrp.SystemBuffer == NULL)
        return CompleteIrp(Irp, STATUS_INVALID_PARAMETER);
    return CompleteIrp(Irp, QueueNotes((const Note *)Irp->AssociatedIrp.SystemBuffer,
                                       len / sizeof(Note)));
}

/* ---- The playing thread ---- */

/* Waits Milliseconds, or less if the driver is unloading: TRUE then. */
static BOOLEAN WaitOrStop(ULONG Milliseconds)
{
    LARGE_INTEGER interval;
    if (Milliseconds == 0)
        return KeReadStateEvent(&g_State.StopEvent) != 0;
    interval.QuadPart = -10000LL * Milliseconds;
    return KeWaitForSingleObject(&g_State.StopEvent, Executive, KernelMode, FALSE, &interval) ==
           STATUS_SUCCESS;
}

/* One IOCTL_BEEP_SET, built as an IRP of our own and waited for if the driver pends it. */
static NTSTATUS SendBeep(PDEVICE_OBJECT beepDevice, ULONG frequency, ULONG duration)
{
    BEEP_SET_PARAMETERS params;
    IO_STATUS_BLOCK ioStatus;
    KEVENT done;
    PIRP irp;
    NTSTATUS status;

    params.Frequency = frequency;
    params.Duration = duration;
    KeInitializeEvent(&done, NotificationEvent, FALSE);
    irp = IoBuildDeviceIoControlRequest(IOCTL_BEEP_SET, beepDevice, &params, sizeof(params), NULL,
                                        0, FALSE, &done, &ioStatus);
    if (irp == NULL)
        return STATUS_INSUFFICIENT_RESOURCES;
    status = IoCallDriver(beepDevice, irp);
    if (status == STATUS_PENDING) {
        KeWaitForSingleObject(&done, Executive, KernelMode, FALSE, NULL);
        status = ioStatus.Status;
    }
    return status;
}

/* Plays one note (all its repeats); TRUE if the driver is unloading. */
static BOOLEAN PlayNote(PDEVICE_OBJECT beepDevice, const Note *note)
{
    ULONG times = note->Repeat ? note->Repeat : 1, i;
    for (i = 0; i < times; i++) {
        BOOLEAN stop;
        if (note->Frequency != 0) {
            NTSTATUS status = SendBeep(beepDevice, note->Frequency, note->Duration);
            if (!NT_SUCCESS(status))
                KdPrint((DRIVER_PREFIX "IOCTL_BEEP_SET (%u Hz, %u ms) failed (0x%08X)\n",
                         note->Frequency, note->Duration, status));
            else
                g_State.NotesPlayed++;
        }
        stop = WaitOrStop(note->Duration);
        if (stop) {
            /* Cut short: the speaker must not go on with the tone. */
            if (note->Frequency != 0)
                SendBeep(beepDevice, 0, 0);
            return TRUE;
        }
        if (WaitOrStop(note->Delay))
            return TRUE;
    }
    return FALSE;
}

static VOID PlayMelody(_In_ PVOID Context)
{
    UNICODE_STRING beepName = RTL_CONSTANT_STRING(DD_BEEP_DEVICE_NAME_U);
    PDEVICE_OBJECT beepDevice = NULL;
    PFILE_OBJECT beepFile = NULL;
    PVOID objects[2];
    UNREFERENCED_PARAMETER(Context);

    /* The stop event comes first: WaitAny reports the lowest index that is signaled. */
    objects[0] = &g_State.StopEvent;
    objects[1] = &g_State.Counter;
    for (;;) {
        NTSTATUS status = KeWaitForMultipleObjects(2, objects, WaitAny, Executive, KernelMode,
                                                   FALSE, NULL, NULL);
        FullNote *note;
        BOOLEAN stop;
        if (status != STATUS_WAIT_1)
            break;

        ExAcquireFastMutex(&g_State.Lock);
        note = CONTAINING_RECORD(RemoveHeadList(&g_State.Head), FullNote, Link);
        ExReleaseFastMutex(&g_State.Lock);

        if (beepDevice == NULL) {
            status = IoGetDeviceObjectPointer(&beepName, GENERIC_WRITE, &beepFile, &beepDevice);
            if (!NT_SUCCESS(status)) {
                KdPrint((DRIVER_PREFIX "failed to open the Beep device (0x%08X)\n", status));
                beepDevice = NULL;
                ExFreeToLookasideListEx(&g_State.Lookaside, note);
                continue;
            }
        }
        stop = PlayNote(beepDevice, &note->Data);
        ExFreeToLookasideListEx(&g_State.Lookaside, note);
        if (stop)
            break;
    }

    /* Notes still queued are never played. */
    ExAcquireFastMutex(&g_State.Lock);
    FreeNotes(&g_State.Head);
    ExReleaseFastMutex(&g_State.Lock);
    if (beepFile)
        ObDereferenceObject(beepFile);
    PsTerminateSystemThread(STATUS_SUCCESS);
}
