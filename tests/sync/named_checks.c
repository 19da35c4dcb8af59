/* named: DriverEntry's checks of the kernel-side services: IoCreateNotificationEvent and
 * IoCreateSynchronizationEvent, the Zw event, semaphore, mutant and wait services, names,
 * types and bad input, the types in \ObjectTypes. They create the objects user_named.c and the
 * driver's threads share. */
#include "named.h"

PKEVENT K2U, U2K;
HANDLE K2UHandle, U2KHandle, SemHandle, MutexHandle;
PVOID SemObject, MutexObject;

void NamedInitName(PUNICODE_STRING Name, PCWSTR Text)
{
    RtlInitUnicodeString(Name, Text);
}

/* ---- DriverEntry's checks ---- */

static void CheckIoCreateEvents(void)
{
    UNICODE_STRING k2u, u2k, bogus;
    HANDLE again = NULL;
    PKEVENT event;

    NamedInitName(&k2u, NAMED_KERNEL_PREFIX NAMED_K2U);
    NamedInitName(&u2k, NAMED_KERNEL_PREFIX NAMED_U2K);
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
    NamedInitName(&bogus, L"\\NtkNoSuchDirectory\\Event");
    CHECK(IoCreateSynchronizationEvent(&bogus, &again) == NULL);
    CHECK(again == NULL);
}

static NTSTATUS CreateSemaphoreNamed(PHANDLE Handle, PCWSTR Name, ULONG Attributes, LONG Count,
                                     LONG Limit)
{
    UNICODE_STRING name;
    OBJECT_ATTRIBUTES oa;
    NamedInitName(&name, Name);
    InitializeObjectAttributes(&oa, Name ? &name : NULL, Attributes | OBJ_KERNEL_HANDLE, NULL,
                               NULL);
    return ZwCreateSemaphore(Handle, SEMAPHORE_ALL_ACCESS, &oa, Count, Limit);
}

static NTSTATUS CreateMutantNamed(PHANDLE Handle, PCWSTR Name, ULONG Attributes, BOOLEAN Owner)
{
    UNICODE_STRING name;
    OBJECT_ATTRIBUTES oa;
    NamedInitName(&name, Name);
    InitializeObjectAttributes(&oa, Name ? &name : NULL, Attributes | OBJ_KERNEL_HANDLE, NULL,
                               NULL);
    return ZwCreateMutant(Handle, MUTANT_ALL_ACCESS, &oa, Owner);
}

static NTSTATUS CreateEventNamed(PHANDLE Handle, PCWSTR Name, ULONG Attributes)
{
    UNICODE_STRING name;
    OBJECT_ATTRIBUTES oa;
    NamedInitName(&name, Name);
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
    NamedInitName(&name, sem);
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
    NamedInitName(&name, NAMED_KERNEL_PREFIX L"NtkNeverCreated");
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
        NamedInitName(&name, names[i]);
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

NTSTATUS NamedCheckKernel(void)
{
    NTSTATUS status;
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
    if (NT_SUCCESS(status) && (K2U == NULL || U2K == NULL || !SemObject || !MutexObject))
        status = STATUS_UNSUCCESSFUL;
    return status;
}
