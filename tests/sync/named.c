/* named: kernel objects shared with user mode by name (issue 6, point 6). DriverEntry runs the
 * kernel-side checks (named_checks.c), which leave four named objects in \BaseNamedObjects;
 * the IOCTLs start system threads that meet user_named.c on them:
 *  - PINGPONG: KeWaitForSingleObject on the synchronization event user mode sets, then
 *    KeSetEvent on the notification event user mode waits for, Iterations times;
 *  - ZW_PINGPONG: the same through handles the thread opens by name on objects user mode
 *    created: ZwWaitForMultipleObjects (WaitAll) on an event and a semaphore, ZwSetEvent;
 *  - CONSUME: takes Iterations units of the named semaphore, racing user-mode consumers;
 *  - ABANDON: acquires the named mutex and exits owning it;
 *  - WAIT_MUTEX: waits for the named mutex (which a user thread abandons), then releases it;
 *  - RESULT: waits for those threads and reports what they saw. */
#include "named.h"

#define NAMED_MAX_THREADS 16

static PKTHREAD Threads[NAMED_MAX_THREADS];
static ULONG ThreadCount;
static NAMED_RESULT Result;

static NTSTATUS NamedWait(PVOID Object)
{
    LARGE_INTEGER timeout;
    timeout.QuadPart = -KMT_SEC(NAMED_WAIT_SECONDS);
    return KeWaitForSingleObject(Object, Executive, KernelMode, FALSE, &timeout);
}

/* ---- The threads the IOCTLs start ---- */

static VOID PingPongThread(PVOID Context)
{
    ULONG i, n = (ULONG)(ULONG_PTR)Context;
    NTSTATUS status = STATUS_SUCCESS;
    for (i = 0; i < n; i++) {
        status = NamedWait(U2K);
        if (status != STATUS_SUCCESS)
            break;
        Result.PingPongCount++;
        KeSetEvent(K2U, IO_NO_INCREMENT, FALSE);
    }
    Result.PingPongStatus = status;
    PsTerminateSystemThread(STATUS_SUCCESS);
}

static NTSTATUS OpenUserObject(PHANDLE Handle, PCWSTR Name, BOOLEAN Semaphore)
{
    UNICODE_STRING name;
    OBJECT_ATTRIBUTES oa;
    NamedInitName(&name, Name);
    InitializeObjectAttributes(&oa, &name, OBJ_KERNEL_HANDLE, NULL, NULL);
    return Semaphore ? ZwOpenSemaphore(Handle, SYNCHRONIZE, &oa)
                     : ZwOpenEvent(Handle, SYNCHRONIZE | EVENT_MODIFY_STATE, &oa);
}

static VOID ZwPingPongThread(PVOID Context)
{
    ULONG i, n = (ULONG)(ULONG_PTR)Context;
    HANDLE wait[2] = { NULL, NULL }, ack = NULL;
    LARGE_INTEGER timeout;
    NTSTATUS status;

    timeout.QuadPart = -KMT_SEC(NAMED_WAIT_SECONDS);
    status = OpenUserObject(&wait[0], NAMED_KERNEL_PREFIX NAMED_USER_GO, FALSE);
    if (NT_SUCCESS(status))
        status = OpenUserObject(&wait[1], NAMED_KERNEL_PREFIX NAMED_USER_SEM, TRUE);
    if (NT_SUCCESS(status))
        status = OpenUserObject(&ack, NAMED_KERNEL_PREFIX NAMED_USER_ACK, FALSE);
    for (i = 0; NT_SUCCESS(status) && i < n; i++) {
        status = ZwWaitForMultipleObjects(2, wait, WaitAll, FALSE, &timeout);
        if (status != STATUS_SUCCESS)
            break;
        Result.ZwPingPongCount++;
        status = ZwSetEvent(ack, NULL);
    }
    Result.ZwPingPongStatus = status;
    for (i = 0; i < 2; i++)
        if (wait[i])
            ZwClose(wait[i]);
    if (ack)
        ZwClose(ack);
    PsTerminateSystemThread(STATUS_SUCCESS);
}

static VOID ConsumeThread(PVOID Context)
{
    ULONG i, n = (ULONG)(ULONG_PTR)Context;
    NTSTATUS status = STATUS_SUCCESS;
    for (i = 0; i < n; i++) {
        status = NamedWait(SemObject);
        if (status != STATUS_SUCCESS)
            break;
        Result.Consumed++;
    }
    Result.ConsumeStatus = status;
    PsTerminateSystemThread(STATUS_SUCCESS);
}

/* Takes the user-visible mutex and exits owning it: the next owner sees it abandoned. */
static VOID AbandonThread(PVOID Context)
{
    UNREFERENCED_PARAMETER(Context);
    Result.AbandonWaitStatus = NamedWait(MutexObject);
    PsTerminateSystemThread(STATUS_SUCCESS);
}

/* Waits for the mutex user mode holds, releases it through the driver's kernel handle. */
static VOID WaitMutexThread(PVOID Context)
{
    UNREFERENCED_PARAMETER(Context);
    Result.MutexWaitStatus = NamedWait(MutexObject);
    Result.MutexReleaseStatus = ZwReleaseMutant(MutexHandle, NULL);
    PsTerminateSystemThread(STATUS_SUCCESS);
}

static NTSTATUS StartThread(PKSTART_ROUTINE Routine, ULONG Iterations)
{
    OBJECT_ATTRIBUTES oa;
    HANDLE handle;
    PVOID object;
    NTSTATUS status;
    if (ThreadCount == NAMED_MAX_THREADS)
        return STATUS_INSUFFICIENT_RESOURCES;
    /* The IOCTL runs in the caller's process: the thread handle must be a kernel handle. */
    InitializeObjectAttributes(&oa, NULL, OBJ_KERNEL_HANDLE, NULL, NULL);
    status = PsCreateSystemThread(&handle, THREAD_ALL_ACCESS, &oa, NULL, NULL, Routine,
                                  (PVOID)(ULONG_PTR)Iterations);
    if (!NT_SUCCESS(status))
        return status;
    status = ObReferenceObjectByHandle(handle, SYNCHRONIZE, *PsThreadType, KernelMode, &object,
                                       NULL);
    ZwClose(handle);
    if (NT_SUCCESS(status))
        Threads[ThreadCount++] = object;
    return status;
}

static NTSTATUS JoinThreads(void)
{
    NTSTATUS result = STATUS_SUCCESS;
    ULONG i;
    for (i = 0; i < ThreadCount; i++) {
        NTSTATUS status = NamedWait(Threads[i]);
        if (status != STATUS_SUCCESS)
            result = status;
        else
            ObDereferenceObject(Threads[i]);
    }
    ThreadCount = 0;
    return result;
}

/* ---- Dispatch ---- */

static NTSTATUS Complete(PIRP Irp, NTSTATUS Status, ULONG_PTR Information)
{
    Irp->IoStatus.Status = Status;
    Irp->IoStatus.Information = Information;
    IoCompleteRequest(Irp, IO_NO_INCREMENT);
    return Status;
}

static NTSTATUS NamedCreateClose(PDEVICE_OBJECT DeviceObject, PIRP Irp)
{
    UNREFERENCED_PARAMETER(DeviceObject);
    return Complete(Irp, STATUS_SUCCESS, 0);
}

static NTSTATUS NamedDeviceControl(PDEVICE_OBJECT DeviceObject, PIRP Irp)
{
    PIO_STACK_LOCATION sp = IoGetCurrentIrpStackLocation(Irp);
    ULONG code = sp->Parameters.DeviceIoControl.IoControlCode;
    PVOID buffer = Irp->AssociatedIrp.SystemBuffer;
    ULONG iterations = 0;
    UNREFERENCED_PARAMETER(DeviceObject);

    if (code == IOCTL_NAMED_RESULT) {
        if (sp->Parameters.DeviceIoControl.OutputBufferLength < sizeof(NAMED_RESULT))
            return Complete(Irp, STATUS_BUFFER_TOO_SMALL, 0);
        Result.JoinStatus = JoinThreads();
        RtlCopyMemory(buffer, &Result, sizeof(Result));
        return Complete(Irp, STATUS_SUCCESS, sizeof(Result));
    }
    if (sp->Parameters.DeviceIoControl.InputBufferLength >= sizeof(NAMED_START))
        iterations = ((NAMED_START *)buffer)->Iterations;
    switch (code) {
    case IOCTL_NAMED_PINGPONG:
        return Complete(Irp, StartThread(PingPongThread, iterations), 0);
    case IOCTL_NAMED_ZW_PINGPONG:
        return Complete(Irp, StartThread(ZwPingPongThread, iterations), 0);
    case IOCTL_NAMED_CONSUME:
        return Complete(Irp, StartThread(ConsumeThread, iterations), 0);
    case IOCTL_NAMED_ABANDON:
        return Complete(Irp, StartThread(AbandonThread, 0), 0);
    case IOCTL_NAMED_WAIT_MUTEX:
        return Complete(Irp, StartThread(WaitMutexThread, 0), 0);
    default:
        return Complete(Irp, STATUS_INVALID_DEVICE_REQUEST, 0);
    }
}

static void CloseObjects(void)
{
    HANDLE *handles[] = { &K2UHandle, &U2KHandle, &SemHandle, &MutexHandle };
    ULONG i;
    if (SemObject)
        ObDereferenceObject(SemObject);
    if (MutexObject)
        ObDereferenceObject(MutexObject);
    SemObject = MutexObject = NULL;
    for (i = 0; i < sizeof(handles) / sizeof(handles[0]); i++) {
        if (*handles[i])
            ZwClose(*handles[i]);
        *handles[i] = NULL;
    }
}

static VOID NamedUnload(PDRIVER_OBJECT DriverObject)
{
    UNICODE_STRING link = RTL_CONSTANT_STRING(NAMED_LINK_NAME);
    NTSTATUS status = JoinThreads();
    if (status != STATUS_SUCCESS)
        DbgPrint("named: FAIL: a thread did not end (0x%08X)\n", status);
    CloseObjects();
    IoDeleteSymbolicLink(&link);
    IoDeleteDevice(DriverObject->DeviceObject);
}

NTSTATUS DriverEntry(PDRIVER_OBJECT DriverObject, PUNICODE_STRING RegistryPath)
{
    UNICODE_STRING name = RTL_CONSTANT_STRING(NAMED_DEVICE_NAME);
    UNICODE_STRING link = RTL_CONSTANT_STRING(NAMED_LINK_NAME);
    PDEVICE_OBJECT device;
    NTSTATUS status;
    UNREFERENCED_PARAMETER(RegistryPath);

    status = NamedCheckKernel();
    if (!NT_SUCCESS(status)) {
        CloseObjects();
        return status;
    }

    DriverObject->DriverUnload = NamedUnload;
    DriverObject->MajorFunction[IRP_MJ_CREATE] = NamedCreateClose;
    DriverObject->MajorFunction[IRP_MJ_CLOSE] = NamedCreateClose;
    DriverObject->MajorFunction[IRP_MJ_DEVICE_CONTROL] = NamedDeviceControl;
    status = IoCreateDevice(DriverObject, 0, &name, FILE_DEVICE_UNKNOWN, 0, FALSE, &device);
    if (NT_SUCCESS(status)) {
        status = IoCreateSymbolicLink(&link, &name);
        if (!NT_SUCCESS(status))
            IoDeleteDevice(device);
    }
    if (!NT_SUCCESS(status))
        CloseObjects();
    return status;
}
