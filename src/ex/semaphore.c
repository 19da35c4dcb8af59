/* Ex: semaphore objects (ExSemaphoreObjectType) and their services: NtCreateSemaphore,
 * NtOpenSemaphore, NtReleaseSemaphore, NtQuerySemaphore and the Zw forms drivers call. */
#include "exp.h"
#include "../vf/vfddi.h"

static POBJECT_TYPE ExpSemaphoreType;
POBJECT_TYPE *ExSemaphoreObjectType = &ExpSemaphoreType;

NTSTATUS ExpInitializeSemaphoreType(VOID)
{
    static const OBJECT_TYPE_INITIALIZER SemaphoreType = {
        L"Semaphore", 0x616D6553, /* 'Sema' */
        { STANDARD_RIGHTS_READ | SEMAPHORE_QUERY_STATE,
          STANDARD_RIGHTS_WRITE | SEMAPHORE_MODIFY_STATE, STANDARD_RIGHTS_EXECUTE | SYNCHRONIZE,
          SEMAPHORE_ALL_ACCESS },
        SEMAPHORE_ALL_ACCESS, NULL, NULL, NULL
    };
    return ObCreateObjectType(&SemaphoreType, &ExpSemaphoreType);
}

typedef struct _EXP_SEMAPHORE_INIT {
    LONG Count, Limit;
} EXP_SEMAPHORE_INIT;

static VOID ExpInitializeSemaphore(PVOID Body, PVOID Context)
{
    EXP_SEMAPHORE_INIT *Init = Context;
    KeInitializeSemaphore(Body, Init->Count, Init->Limit);
}

static NTSTATUS ExpCreateSemaphore(PHANDLE SemaphoreHandle, ACCESS_MASK DesiredAccess,
                                   POBJECT_ATTRIBUTES ObjectAttributes, LONG InitialCount,
                                   LONG MaximumCount, KPROCESSOR_MODE Mode)
{
    EXP_SEMAPHORE_INIT Init = { InitialCount, MaximumCount };
    if (MaximumCount <= 0 || InitialCount < 0 || InitialCount > MaximumCount)
        return STATUS_INVALID_PARAMETER;
    return ExpCreateObject(SemaphoreHandle, DesiredAccess, ObjectAttributes, ExpSemaphoreType,
                           sizeof(KSEMAPHORE), ExpInitializeSemaphore, &Init, Mode);
}

/* KeReleaseSemaphore raises STATUS_SEMAPHORE_LIMIT_EXCEEDED, which is right for a driver's
 * own semaphore; a service returns it instead and leaves the count as it was. */
static NTSTATUS ExpReleaseSemaphore(HANDLE SemaphoreHandle, LONG ReleaseCount,
                                    PLONG PreviousCount, KPROCESSOR_MODE Mode)
{
    PKSEMAPHORE Semaphore;
    LONG Previous;
    NTSTATUS Status;

    if (ReleaseCount <= 0)
        return STATUS_INVALID_PARAMETER;
    /* A bad PreviousCount fails the call before anything is released. */
    if (Mode == UserMode && PreviousCount) {
        Status = MmpProbeUserRange(PreviousCount, sizeof(LONG), sizeof(LONG));
        if (NT_SUCCESS(Status))
            Status = MmpTouchUserRange(PreviousCount, sizeof(LONG), TRUE);
        if (!NT_SUCCESS(Status))
            return Status;
    }
    Status = ObReferenceObjectByHandle(SemaphoreHandle, SEMAPHORE_MODIFY_STATE, ExpSemaphoreType,
                                       Mode, (PVOID *)&Semaphore, NULL);
    if (!NT_SUCCESS(Status))
        return Status;
    KiAcquireDispatcherLock();
    Previous = Semaphore->Header.SignalState;
    if (Previous > Semaphore->Limit - ReleaseCount) {
        Status = STATUS_SEMAPHORE_LIMIT_EXCEEDED;
    } else {
        Semaphore->Header.SignalState = Previous + ReleaseCount;
        KiWaitTest(&Semaphore->Header);
    }
    KiReleaseDispatcherLock();
    ObfDereferenceObject(Semaphore);
    if (NT_SUCCESS(Status) && PreviousCount)
        Status = NtpWrite(Mode, PreviousCount, &Previous, sizeof(Previous));
    return Status;
}

static NTSTATUS ExpQuerySemaphore(HANDLE SemaphoreHandle,
                                  SEMAPHORE_INFORMATION_CLASS InformationClass,
                                  PVOID Information, ULONG Length, PULONG ReturnLength,
                                  KPROCESSOR_MODE Mode)
{
    SEMAPHORE_BASIC_INFORMATION Basic;
    PKSEMAPHORE Semaphore;
    NTSTATUS Status;

    if (InformationClass != SemaphoreBasicInformation)
        return STATUS_INVALID_INFO_CLASS;
    if (Length != sizeof(Basic))
        return STATUS_INFO_LENGTH_MISMATCH;
    Status = ObReferenceObjectByHandle(SemaphoreHandle, SEMAPHORE_QUERY_STATE, ExpSemaphoreType,
                                       Mode, (PVOID *)&Semaphore, NULL);
    if (!NT_SUCCESS(Status))
        return Status;
    Basic.CurrentCount = __atomic_load_n(&Semaphore->Header.SignalState, __ATOMIC_ACQUIRE);
    Basic.MaximumCount = Semaphore->Limit;
    ObfDereferenceObject(Semaphore);
    Status = NtpWrite(Mode, Information, &Basic, sizeof(Basic));
    if (NT_SUCCESS(Status) && ReturnLength) {
        ULONG Written = sizeof(Basic);
        Status = NtpWrite(Mode, ReturnLength, &Written, sizeof(Written));
    }
    return Status;
}

/* ---- Services ---- */

NTSTATUS NtCreateSemaphore(PHANDLE SemaphoreHandle, ACCESS_MASK DesiredAccess,
                           POBJECT_ATTRIBUTES ObjectAttributes, LONG InitialCount,
                           LONG MaximumCount)
{
    NTSTATUS Status;
    KiEnterService();
    Status = ExpCreateSemaphore(SemaphoreHandle, DesiredAccess, ObjectAttributes, InitialCount,
                                MaximumCount, KeGetPreviousMode());
    KiLeaveService();
    return Status;
}

NTSTATUS ZwCreateSemaphore(PHANDLE SemaphoreHandle, ACCESS_MASK DesiredAccess,
                           POBJECT_ATTRIBUTES ObjectAttributes, LONG InitialCount,
                           LONG MaximumCount)
{
    VF_CHECK_IRQL(ZwCreateSemaphore);
    KPROCESSOR_MODE Old = KiSetPreviousMode(KernelMode);
    NTSTATUS Status = ExpCreateSemaphore(SemaphoreHandle, DesiredAccess, ObjectAttributes,
                                         InitialCount, MaximumCount, KernelMode);
    KiSetPreviousMode(Old);
    return Status;
}

NTSTATUS NtOpenSemaphore(PHANDLE SemaphoreHandle, ACCESS_MASK DesiredAccess,
                         POBJECT_ATTRIBUTES ObjectAttributes)
{
    NTSTATUS Status;
    KiEnterService();
    Status = ExpOpenObject(SemaphoreHandle, DesiredAccess, ObjectAttributes, ExpSemaphoreType,
                           KeGetPreviousMode());
    KiLeaveService();
    return Status;
}

NTSTATUS ZwOpenSemaphore(PHANDLE SemaphoreHandle, ACCESS_MASK DesiredAccess,
                         POBJECT_ATTRIBUTES ObjectAttributes)
{
    VF_CHECK_IRQL(ZwOpenSemaphore);
    KPROCESSOR_MODE Old = KiSetPreviousMode(KernelMode);
    NTSTATUS Status = ExpOpenObject(SemaphoreHandle, DesiredAccess, ObjectAttributes,
                                    ExpSemaphoreType, KernelMode);
    KiSetPreviousMode(Old);
    return Status;
}

NTSTATUS NtReleaseSemaphore(HANDLE SemaphoreHandle, LONG ReleaseCount, PLONG PreviousCount)
{
    NTSTATUS Status;
    KiEnterService();
    Status = ExpReleaseSemaphore(SemaphoreHandle, ReleaseCount, PreviousCount,
                                 KeGetPreviousMode());
    KiLeaveService();
    return Status;
}

NTSTATUS ZwReleaseSemaphore(HANDLE SemaphoreHandle, LONG ReleaseCount, PLONG PreviousCount)
{
    VF_CHECK_IRQL(ZwReleaseSemaphore);
    KPROCESSOR_MODE Old = KiSetPreviousMode(KernelMode);
    NTSTATUS Status = ExpReleaseSemaphore(SemaphoreHandle, ReleaseCount, PreviousCount,
                                          KernelMode);
    KiSetPreviousMode(Old);
    return Status;
}

NTSTATUS NtQuerySemaphore(HANDLE SemaphoreHandle, SEMAPHORE_INFORMATION_CLASS InformationClass,
                          PVOID SemaphoreInformation, ULONG Length, PULONG ReturnLength)
{
    NTSTATUS Status;
    KiEnterService();
    Status = ExpQuerySemaphore(SemaphoreHandle, InformationClass, SemaphoreInformation, Length,
                               ReturnLength, KeGetPreviousMode());
    KiLeaveService();
    return Status;
}
