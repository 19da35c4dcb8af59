/* named: kernel objects shared with user mode by name (issue 6, point 6). DriverEntry checks
 * the kernel-side services (IoCreateNotificationEvent, IoCreateSynchronizationEvent, the Zw
 * event, semaphore, mutant and wait services, bad input) and leaves four named objects in
 * \BaseNamedObjects; the IOCTLs start system threads that meet user_named.c on them:
 *  - PINGPONG: KeWaitForSingleObject on the synchronization event user mode sets, then
 *    KeSetEvent on the notification event user mode waits for, Iterations times;
 *  - ZW_PINGPONG: the same through handles the thread opens by name on objects user mode
 *    created: ZwWaitForMultipleObjects (WaitAll) on an event and a semaphore, ZwSetEvent;
 *  - CONSUME: takes Iterations units of the named semaphore, racing user-mode consumers;
 *  - ABANDON: acquires the named mutex and exits owning it;
 *  - WAIT_MUTEX: waits for the named mutex (which a user thread abandons), then releases it;
 *  - RESULT: waits for those threads and reports what they saw. */
#include "kmtest_sync.h"
#include "named_ioctl.h"

#define NAMED_MAX_THREADS 16

static PKEVENT K2U, U2K;
static HANDLE K2UHandle, U2KHandle, SemHandle, MutexHandle;
static PVOID SemObject, MutexObject;
static PKTHREAD Threads[NAMED_MAX_THREADS];
static ULONG ThreadCount;
static NAMED_RESULT Result;

static NTSTATUS NamedWait(PVOID Object)
{
    LARGE_INTEGER timeout;
    timeout.QuadPart = -KMT_SEC(NAMED_WAIT_SECONDS);
    return KeWaitForSingleObject(Object, Executive, KernelMode, FALSE, &timeout);
}

static void InitName(PUNICODE_STRING Name, PCWSTR Text)
{
    RtlInitUnicodeString(Name, Text);
}

/* ---- DriverEntry's checks ---- */

static void CheckIoCreateEvents(void)
{
    UNICODE_STRING k2u, u2k, bogus;
    HANDLE again = NULL;
    PKEVENT event;

    InitName(&k2u, NAMED_KERNEL_PREFIX NAMED_K2U);
    InitName(&u2k, NAMED_KERNEL_PREFIX NAMED_U2K);
    K2U = IoCreateNotificationEvent(&k2u, &K2UHandle);
    U2K = IoCreateSynchronizationEvent(&u2k, &U2KHandle);
    CHECK(K2U != NULL);
    CHECK(U2K != NULL);
    if (K2U == NULL || U2K == NULL)
        return;
    /* Kernel handles (the sign bit set), new events signaled, of the type asked for. */
    CHECK((LONG_PTR)K2UHandle < 0);
    CHECK((LONG_PTR)U2KHandle < 0);
    CHECK_EQ(KeReadStateEvent(K2U), 1);
    CHECK_EQ(KeReadStateEvent(U2K), 1);
    CHECK_EQ(K2U->Header.Type, NotificationEvent);
    CHECK_EQ(U2K->Header.Type, SynchronizationEvent);
    /* A synchronization event resets itself when a wait takes it. */
    CHECK_STATUS(KmtPoll(U2K), STATUS_SUCCESS);
    CHECK_EQ(KeReadStateEvent(U2K), 0);
    CHECK_STATUS(KmtPoll(U2K), STATUS_TIMEOUT);
    /* A notification event stays signaled for every waiter. */
    CHECK_STATUS(KmtPoll(K2U), STATUS_SUCCESS);
    CHECK_STATUS(KmtPoll(K2U), STATUS_SUCCESS);
    KeClearEvent(K2U);
    /* The same name again: the same event, only opened (its state untouched). */
    event = IoCreateNotificationEvent(&k2u, &again);
    CHECK(event == K2U);
    CHECK(again != NULL && again != K2UHandle);
    CHECK_EQ(KeReadStateEvent(K2U), 0);
    if (again)
        CHECK_STATUS(ZwClose(again), STATUS_SUCCESS);
    /* The event lives on through the first handle after the second one is closed. */
    CHECK_EQ(KeSetEvent(K2U, IO_NO_INCREMENT, FALSE), 0);
    CHECK_EQ(KeResetEvent(K2U), 1);
    /* No name, or a name that cannot be created: NULL. */
    again = NULL;
    CHECK(IoCreateNotificationEvent(NULL, &again) == NULL);
    InitName(&bogus, L"\\NtkNoSuchDirectory\\Event");
    CHECK(IoCreateSynchronizationEvent(&bogus, &again) == NULL);
    CHECK(again == NULL);
}

static NTSTATUS CreateSemaphoreNamed(PHANDLE Handle, PCWSTR Name, ULONG Attributes, LONG Count,
                                     LONG Limit)
{
    UNICODE_STRING name;
    OBJECT_ATTRIBUTES oa;
    InitName(&name, Name);
    InitializeObjectAttributes(&oa, Name ? &name : NULL, Attributes | OBJ_KERNEL_HANDLE, NULL,
                               NULL);
    return ZwCreateSemaphore(Handle, SEMAPHORE_ALL_ACCESS, &oa, Count, Limit);
}

static NTSTATUS CreateMutantNamed(PHANDLE Handle, PCWSTR Name, ULONG Attributes, BOOLEAN Owner)
{
    UNICODE_STRING name;
    OBJECT_ATTRIBUTES oa;
    InitName(&name, Name);
    InitializeObjectAttributes(&oa, Name ? &name : NULL, Attributes | OBJ_KERNEL_HANDLE, NULL,
                               NULL);
    return ZwCreateMutant(Handle, MUTANT_ALL_ACCESS, &oa, Owner);
}

static NTSTATUS CreateEventNamed(PHANDLE Handle, PCWSTR Name, ULONG Attributes)
{
    UNICODE_STRING name;
    OBJECT_ATTRIBUTES oa;
    InitName(&name, Name);
    InitializeObjectAttributes(&oa, Name ? &name : NULL, Attributes | OBJ_KERNEL_HANDLE, NULL,
                               NULL);
    return ZwCreateEvent(Handle, EVENT_ALL_ACCESS, &oa, NotificationEvent, FALSE);
}

static void CheckNamesAndTypes(void)
{
    PCWSTR sem = NAMED_KERNEL_PREFIX NAMED_SEM;
    UNICODE_STRING name;
    OBJECT_ATTRIBUTES oa;
    HANDLE h = NULL;
    LONG previous = 7;

    CHECK_STATUS(CreateSemaphoreNamed(&SemHandle, sem, 0, 0, NAMED_SEM_MAX), STATUS_SUCCESS);
    CHECK_STATUS(CreateMutantNamed(&MutexHandle, NAMED_KERNEL_PREFIX NAMED_MUTEX, 0, FALSE),
                 STATUS_SUCCESS);
    /* The name again: opened under OBJ_OPENIF, a collision without it. */
    CHECK_STATUS(CreateSemaphoreNamed(&h, sem, OBJ_OPENIF, 0, 1), STATUS_OBJECT_NAME_EXISTS);
    if (h) {
        /* Opened, not created: the maximum is the first creator's. */
        CHECK_STATUS(ZwReleaseSemaphore(h, 2, &previous), STATUS_SUCCESS);
        CHECK_EQ(previous, 0);
        CHECK_STATUS(ZwWaitForSingleObject(SemHandle, FALSE, NULL), STATUS_SUCCESS);
        CHECK_STATUS(ZwWaitForSingleObject(SemHandle, FALSE, NULL), STATUS_SUCCESS);
        CHECK_STATUS(ZwClose(h), STATUS_SUCCESS);
    }
    h = NULL;
    CHECK_STATUS(CreateSemaphoreNamed(&h, sem, 0, 0, 1), STATUS_OBJECT_NAME_COLLISION);
    CHECK(h == NULL);
    /* A name in use by another type: STATUS_OBJECT_TYPE_MISMATCH, opened or created. */
    CHECK_STATUS(CreateEventNamed(&h, sem, OBJ_OPENIF), STATUS_OBJECT_TYPE_MISMATCH);
    CHECK_STATUS(CreateMutantNamed(&h, sem, OBJ_OPENIF, FALSE), STATUS_OBJECT_TYPE_MISMATCH);
    InitName(&name, sem);
    InitializeObjectAttributes(&oa, &name, OBJ_KERNEL_HANDLE, NULL, NULL);
    CHECK_STATUS(ZwOpenEvent(&h, EVENT_ALL_ACCESS, &oa), STATUS_OBJECT_TYPE_MISMATCH);
    CHECK_STATUS(ZwOpenMutant(&h, MUTANT_ALL_ACCESS, &oa), STATUS_OBJECT_TYPE_MISMATCH);
    CHECK_STATUS(ZwOpenSemaphore(&h, SEMAPHORE_ALL_ACCESS, &oa), STATUS_SUCCESS);
    CHECK_STATUS(ZwClose(h), STATUS_SUCCESS);
    /* Bad names. */
    CHECK_STATUS(CreateEventNamed(&h, L"NtkNoBackslash", 0), STATUS_OBJECT_PATH_SYNTAX_BAD);
    CHECK_STATUS(CreateEventNamed(&h, L"\\NtkNoSuchDirectory\\E", 0),
                 STATUS_OBJECT_PATH_NOT_FOUND);
    CHECK_STATUS(CreateEventNamed(&h, NAMED_KERNEL_PREFIX, 0), STATUS_OBJECT_NAME_INVALID);
    InitName(&name, NAMED_KERNEL_PREFIX L"NtkNeverCreated");
    CHECK_STATUS(ZwOpenSemaphore(&h, SEMAPHORE_ALL_ACCESS, &oa), STATUS_OBJECT_NAME_NOT_FOUND);
    CHECK_STATUS(ZwOpenMutant(&h, SYNCHRONIZE, NULL), STATUS_INVALID_PARAMETER);
}

static void CheckSemaphoreServices(void)
{
    HANDLE sem = NULL, event = NULL;
    LONG previous = -1;
    LARGE_INTEGER zero;
    zero.QuadPart = 0;

    /* The counts: maximum at least 1, initial within 0..maximum. */
    CHECK_STATUS(CreateSemaphoreNamed(&sem, NULL, 0, 0, 0), STATUS_INVALID_PARAMETER);
    CHECK_STATUS(CreateSemaphoreNamed(&sem, NULL, 0, -1, 1), STATUS_INVALID_PARAMETER);
    CHECK_STATUS(CreateSemaphoreNamed(&sem, NULL, 0, 3, 2), STATUS_INVALID_PARAMETER);
    CHECK_STATUS(CreateSemaphoreNamed(&sem, NULL, 0, 0, 2), STATUS_SUCCESS);
    CHECK_STATUS(CreateEventNamed(&event, NULL, 0), STATUS_SUCCESS);
    CHECK_STATUS(ZwReleaseSemaphore(sem, 1, &previous), STATUS_SUCCESS);
    CHECK_EQ(previous, 0);
    /* Past the maximum: refused, the count as it was. */
    CHECK_STATUS(ZwReleaseSemaphore(sem, 2, &previous), STATUS_SEMAPHORE_LIMIT_EXCEEDED);
    CHECK_STATUS(ZwReleaseSemaphore(sem, 0, NULL), STATUS_INVALID_PARAMETER);
    CHECK_STATUS(ZwReleaseSemaphore(sem, -1, NULL), STATUS_INVALID_PARAMETER);
    CHECK_STATUS(ZwReleaseSemaphore(sem, 1, &previous), STATUS_SUCCESS);
    CHECK_EQ(previous, 1);
    CHECK_STATUS(ZwWaitForSingleObject(sem, FALSE, &zero), STATUS_SUCCESS);
    CHECK_STATUS(ZwWaitForSingleObject(sem, FALSE, &zero), STATUS_SUCCESS);
    CHECK_STATUS(ZwWaitForSingleObject(sem, FALSE, &zero), STATUS_TIMEOUT);
    /* Each service on the other's handle. */
    CHECK_STATUS(ZwReleaseSemaphore(event, 1, NULL), STATUS_OBJECT_TYPE_MISMATCH);
    CHECK_STATUS(ZwSetEvent(sem, NULL), STATUS_OBJECT_TYPE_MISMATCH);
    CHECK_STATUS(ZwReleaseMutant(sem, NULL), STATUS_OBJECT_TYPE_MISMATCH);
    CHECK_STATUS(ZwReleaseSemaphore(NULL, 1, NULL), STATUS_INVALID_HANDLE);
    CHECK_STATUS(ZwReleaseSemaphore((HANDLE)(LONG_PTR)-4000, 1, NULL), STATUS_INVALID_HANDLE);
    /* Waits on several: the lowest signaled index; WaitAll takes all or nothing. */
    {
        HANDLE both[2] = { event, sem }, twice[2] = { sem, sem };
        CHECK_STATUS(ZwReleaseSemaphore(sem, 1, NULL), STATUS_SUCCESS);
        CHECK_STATUS(ZwWaitForMultipleObjects(2, both, WaitAll, FALSE, &zero), STATUS_TIMEOUT);
        CHECK_STATUS(ZwWaitForMultipleObjects(2, both, WaitAny, FALSE, &zero), STATUS_WAIT_1);
        CHECK_STATUS(ZwReleaseSemaphore(sem, 1, NULL), STATUS_SUCCESS);
        CHECK_STATUS(ZwSetEvent(event, NULL), STATUS_SUCCESS);
        CHECK_STATUS(ZwWaitForMultipleObjects(2, both, WaitAny, FALSE, &zero), STATUS_WAIT_0);
        CHECK_STATUS(ZwWaitForMultipleObjects(2, both, WaitAll, FALSE, &zero), STATUS_SUCCESS);
        CHECK_STATUS(ZwWaitForSingleObject(sem, FALSE, &zero), STATUS_TIMEOUT);
        CHECK_STATUS(ZwWaitForMultipleObjects(2, twice, WaitAll, FALSE, &zero),
                     STATUS_INVALID_PARAMETER_MIX);
        CHECK_STATUS(ZwWaitForMultipleObjects(0, both, WaitAny, FALSE, &zero),
                     STATUS_INVALID_PARAMETER_1);
        CHECK_STATUS(ZwWaitForMultipleObjects(MAXIMUM_WAIT_OBJECTS + 1, both, WaitAny, FALSE,
                                              &zero),
                     STATUS_INVALID_PARAMETER_1);
    }
    CHECK_STATUS(ZwClose(sem), STATUS_SUCCESS);
    CHECK_STATUS(ZwClose(event), STATUS_SUCCESS);
}

static HANDLE OtherThreadMutant;
static NTSTATUS OtherThreadStatus;

static VOID ReleaseFromOtherThread(PVOID Context)
{
    UNREFERENCED_PARAMETER(Context);
    OtherThreadStatus = ZwReleaseMutant(OtherThreadMutant, NULL);
    PsTerminateSystemThread(STATUS_SUCCESS);
}

static void CheckMutantServices(void)
{
    HANDLE m = NULL, opened = NULL;
    LONG previous = 7;
    LARGE_INTEGER zero;
    zero.QuadPart = 0;

    /* Created owned, acquired again (recursion), released twice: the counts go 0, -1, 0, 1. */
    CHECK_STATUS(CreateMutantNamed(&m, NULL, 0, TRUE), STATUS_SUCCESS);
    CHECK_STATUS(ZwWaitForSingleObject(m, FALSE, &zero), STATUS_SUCCESS);
    CHECK_STATUS(ZwReleaseMutant(m, &previous), STATUS_SUCCESS);
    CHECK_EQ(previous, -1);
    /* Another thread is not the owner. */
    OtherThreadMutant = m;
    OtherThreadStatus = STATUS_PENDING;
    KmtJoinThread(KmtStartThread(ReleaseFromOtherThread, NULL));
    CHECK_STATUS(OtherThreadStatus, STATUS_MUTANT_NOT_OWNED);
    CHECK_STATUS(ZwReleaseMutant(m, &previous), STATUS_SUCCESS);
    CHECK_EQ(previous, 0);
    CHECK_STATUS(ZwReleaseMutant(m, NULL), STATUS_MUTANT_NOT_OWNED);
    /* Free now: a wait takes it at once. */
    CHECK_STATUS(ZwWaitForSingleObject(m, FALSE, &zero), STATUS_SUCCESS);
    CHECK_STATUS(ZwReleaseMutant(m, NULL), STATUS_SUCCESS);
    /* An owned mutant whose last handle closes goes away; its owner must forget it. */
    CHECK_STATUS(ZwClose(m), STATUS_SUCCESS);
    CHECK_STATUS(CreateMutantNamed(&m, NULL, 0, TRUE), STATUS_SUCCESS);
    CHECK_STATUS(ZwClose(m), STATUS_SUCCESS);
    /* An existing named mutant opened under OBJ_OPENIF is not acquired by InitialOwner. */
    CHECK_STATUS(CreateMutantNamed(&opened, NAMED_KERNEL_PREFIX NAMED_MUTEX, OBJ_OPENIF, TRUE),
                 STATUS_OBJECT_NAME_EXISTS);
    CHECK_STATUS(ZwReleaseMutant(opened, NULL), STATUS_MUTANT_NOT_OWNED);
    CHECK_STATUS(ZwWaitForSingleObject(opened, FALSE, &zero), STATUS_SUCCESS);
    CHECK_STATUS(ZwReleaseMutant(opened, &previous), STATUS_SUCCESS);
    CHECK_EQ(previous, 0);
    CHECK_STATUS(ZwClose(opened), STATUS_SUCCESS);
    /* A fresh owned mutant, to show the thread's list still works after the discards. */
    CHECK_STATUS(CreateMutantNamed(&m, NULL, 0, TRUE), STATUS_SUCCESS);
    CHECK_STATUS(ZwReleaseMutant(m, &previous), STATUS_SUCCESS);
    CHECK_EQ(previous, 0);
    CHECK_STATUS(ZwClose(m), STATUS_SUCCESS);
}

/* The three types are objects in \ObjectTypes, of the type "Type". */
static void CheckObjectTypes(void)
{
    static const PCWSTR names[] = { L"\\ObjectTypes\\Event", L"\\ObjectTypes\\Semaphore",
                                    L"\\ObjectTypes\\Mutant", L"\\ObjectTypes\\Type" };
    PVOID found[RTL_NUMBER_OF(names)];
    ULONG i;
    for (i = 0; i < RTL_NUMBER_OF(names); i++) {
        UNICODE_STRING name;
        InitName(&name, names[i]);
        found[i] = NULL;
        CHECK_STATUS(ObReferenceObjectByName(&name, OBJ_CASE_INSENSITIVE, NULL, 0, NULL,
                                             KernelMode, NULL, &found[i]),
                     STATUS_SUCCESS);
    }
    CHECK(found[0] == *ExEventObjectType);
    CHECK(found[1] == *ExSemaphoreObjectType);
    CHECK(found[2] != NULL && MutexObject != NULL && found[2] == ObGetObjectType(MutexObject));
    CHECK(found[3] != NULL && found[0] != NULL && ObGetObjectType(found[0]) == found[3]);
    CHECK(found[3] != NULL && ObGetObjectType(found[3]) == found[3]);
    for (i = 0; i < RTL_NUMBER_OF(names); i++)
        if (found[i])
            ObDereferenceObject(found[i]);
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
    InitName(&name, Name);
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

    KMT_RUN("named", CheckIoCreateEvents());
    KMT_RUN("named", CheckNamesAndTypes());
    KMT_RUN("named", CheckSemaphoreServices());
    KMT_RUN("named", CheckMutantServices());
    if (SemHandle)
        CHECK_STATUS(ObReferenceObjectByHandle(SemHandle, SYNCHRONIZE, *ExSemaphoreObjectType,
                                               KernelMode, &SemObject, NULL),
                     STATUS_SUCCESS);
    if (MutexHandle)
        CHECK_STATUS(ObReferenceObjectByHandle(MutexHandle, SYNCHRONIZE, NULL, KernelMode,
                                               &MutexObject, NULL),
                     STATUS_SUCCESS);
    KMT_RUN("named", CheckObjectTypes());
    status = KmtFinish("named");
    if (!NT_SUCCESS(status) || K2U == NULL || U2K == NULL || !SemObject || !MutexObject) {
        CloseObjects();
        return STATUS_UNSUCCESSFUL;
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
