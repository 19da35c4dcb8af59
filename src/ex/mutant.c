/* Ex: mutant objects (Win32's mutexes) and their services: NtCreateMutant, NtOpenMutant,
 * NtReleaseMutant, NtQueryMutant and the Zw forms drivers call.
 *
 * A mutant is a KMUTANT with ApcDisable 0: unlike a driver's KMUTEX, owning one does not hold
 * off kernel APCs. The dispatcher (src/ke/kewait.c) gives a satisfied wait ownership, counts
 * recursive acquisitions in SignalState (1 free, 0 owned once, -n owned n+1 times) and links
 * the mutant into its owner's MutantListHead; a thread that exits owning it abandons it
 * (KiAbandonMutants), and the next wait that takes it returns STATUS_ABANDONED_WAIT_0. */
#include "exp.h"
#include "../vf/vfddi.h"

POBJECT_TYPE ExpMutantObjectType;

/* The last reference to an owned mutant goes (its owner closed every handle, or a create
 * under OBJ_OPENIF discarded it): unlink it from the owner, whose exit would walk the list. */
static VOID ExpDeleteMutant(PVOID Object)
{
    PKMUTANT Mutant = Object;
    KiAcquireDispatcherLock();
    if (Mutant->OwnerThread != NULL) {
        RemoveEntryList(&Mutant->MutantListEntry);
        Mutant->OwnerThread->KernelApcDisable += Mutant->ApcDisable;
        Mutant->OwnerThread = NULL;
    }
    KiReleaseDispatcherLock();
}

NTSTATUS ExpInitializeMutantType(VOID)
{
    static const OBJECT_TYPE_INITIALIZER MutantType = {
        L"Mutant", 0x6174754D, /* 'Muta' */
        { STANDARD_RIGHTS_READ | MUTANT_QUERY_STATE, STANDARD_RIGHTS_WRITE,
          STANDARD_RIGHTS_EXECUTE | SYNCHRONIZE, MUTANT_ALL_ACCESS },
        MUTANT_ALL_ACCESS, NULL, ExpDeleteMutant, NULL
    };
    return ObCreateObjectType(&MutantType, &ExpMutantObjectType);
}

static VOID ExpInitializeMutant(PVOID Body, PVOID Context)
{
    PKMUTANT Mutant = Body;
    BOOLEAN InitialOwner = *(PBOOLEAN)Context;
    Mutant->Header.Type = MutantObject;
    Mutant->Header.Signalling = 0;
    Mutant->Header.Size = sizeof(KMUTANT) / sizeof(LONG);
    Mutant->Header.Reserved1 = 0;
    InitializeListHead(&Mutant->Header.WaitListHead);
    Mutant->Abandoned = FALSE;
    Mutant->ApcDisable = 0;
    Mutant->OwnerThread = NULL;
    Mutant->Header.SignalState = 1;
    if (InitialOwner) {
        PKTHREAD Thread = KeGetCurrentThread();
        KiAcquireDispatcherLock();
        Mutant->Header.SignalState = 0;
        Mutant->OwnerThread = Thread;
        InsertTailList(&Thread->MutantListHead, &Mutant->MutantListEntry);
        KiReleaseDispatcherLock();
    }
}

static NTSTATUS ExpCreateMutant(PHANDLE MutantHandle, ACCESS_MASK DesiredAccess,
                                POBJECT_ATTRIBUTES ObjectAttributes, BOOLEAN InitialOwner,
                                KPROCESSOR_MODE Mode)
{
    /* An existing mutant opened under OBJ_OPENIF is not acquired: the new one, which the
     * caller owned, is discarded (ExpDeleteMutant unlinks it). */
    return ExpCreateObject(MutantHandle, DesiredAccess, ObjectAttributes, ExpMutantObjectType,
                           sizeof(KMUTANT), ExpInitializeMutant, &InitialOwner, Mode);
}

static NTSTATUS ExpReleaseMutant(HANDLE MutantHandle, PLONG PreviousCount, KPROCESSOR_MODE Mode)
{
    PKTHREAD Thread = KeGetCurrentThread();
    PKMUTANT Mutant;
    LONG Previous = 0;
    NTSTATUS Status;

    /* A bad PreviousCount fails the call before the mutant is released. */
    if (Mode == UserMode && PreviousCount) {
        Status = MmpProbeUserRange(PreviousCount, sizeof(LONG), sizeof(LONG));
        if (NT_SUCCESS(Status))
            Status = MmpTouchUserRange(PreviousCount, sizeof(LONG), TRUE);
        if (!NT_SUCCESS(Status))
            return Status;
    }
    /* Win32's MUTEX_MODIFY_STATE is MUTANT_QUERY_STATE. */
    Status = ObReferenceObjectByHandle(MutantHandle, MUTANT_QUERY_STATE, ExpMutantObjectType,
                                       Mode, (PVOID *)&Mutant, NULL);
    if (!NT_SUCCESS(Status))
        return Status;
    KiAcquireDispatcherLock();
    if (Mutant->OwnerThread != Thread) {
        Status = STATUS_MUTANT_NOT_OWNED;
    } else {
        Previous = Mutant->Header.SignalState;
        Mutant->Header.SignalState = Previous + 1;
        if (Mutant->Header.SignalState == 1) {
            RemoveEntryList(&Mutant->MutantListEntry);
            Mutant->OwnerThread = NULL;
            Thread->KernelApcDisable += Mutant->ApcDisable;
            KiWaitTest(&Mutant->Header);
        }
    }
    KiReleaseDispatcherLock();
    ObfDereferenceObject(Mutant);
    if (NT_SUCCESS(Status) && PreviousCount)
        Status = NtpWrite(Mode, PreviousCount, &Previous, sizeof(Previous));
    return Status;
}

static NTSTATUS ExpQueryMutant(HANDLE MutantHandle, MUTANT_INFORMATION_CLASS InformationClass,
                               PVOID Information, ULONG Length, PULONG ReturnLength,
                               KPROCESSOR_MODE Mode)
{
    MUTANT_BASIC_INFORMATION Basic;
    PKMUTANT Mutant;
    NTSTATUS Status;

    if (InformationClass != MutantBasicInformation)
        return STATUS_INVALID_INFO_CLASS;
    if (Length != sizeof(Basic))
        return STATUS_INFO_LENGTH_MISMATCH;
    Status = ObReferenceObjectByHandle(MutantHandle, MUTANT_QUERY_STATE, ExpMutantObjectType,
                                       Mode, (PVOID *)&Mutant, NULL);
    if (!NT_SUCCESS(Status))
        return Status;
    memset(&Basic, 0, sizeof(Basic));
    KiAcquireDispatcherLock();
    Basic.CurrentCount = Mutant->Header.SignalState;
    Basic.OwnedByCaller = Mutant->OwnerThread == KeGetCurrentThread();
    Basic.AbandonedState = Mutant->Abandoned;
    KiReleaseDispatcherLock();
    ObfDereferenceObject(Mutant);
    Status = NtpWrite(Mode, Information, &Basic, sizeof(Basic));
    if (NT_SUCCESS(Status) && ReturnLength) {
        ULONG Written = sizeof(Basic);
        Status = NtpWrite(Mode, ReturnLength, &Written, sizeof(Written));
    }
    return Status;
}

/* ---- Services ---- */

NTSTATUS NtCreateMutant(PHANDLE MutantHandle, ACCESS_MASK DesiredAccess,
                        POBJECT_ATTRIBUTES ObjectAttributes, BOOLEAN InitialOwner)
{
    NTSTATUS Status;
    KiEnterService();
    Status = ExpCreateMutant(MutantHandle, DesiredAccess, ObjectAttributes, InitialOwner,
                             KeGetPreviousMode());
    KiLeaveService();
    return Status;
}

NTSTATUS ZwCreateMutant(PHANDLE MutantHandle, ACCESS_MASK DesiredAccess,
                        POBJECT_ATTRIBUTES ObjectAttributes, BOOLEAN InitialOwner)
{
    VF_CHECK_IRQL(ZwCreateMutant);
    KPROCESSOR_MODE Old = KiSetPreviousMode(KernelMode);
    NTSTATUS Status =
        ExpCreateMutant(MutantHandle, DesiredAccess, ObjectAttributes, InitialOwner, KernelMode);
    KiSetPreviousMode(Old);
    return Status;
}

NTSTATUS NtOpenMutant(PHANDLE MutantHandle, ACCESS_MASK DesiredAccess,
                      POBJECT_ATTRIBUTES ObjectAttributes)
{
    NTSTATUS Status;
    KiEnterService();
    Status = ExpOpenObject(MutantHandle, DesiredAccess, ObjectAttributes, ExpMutantObjectType,
                           KeGetPreviousMode());
    KiLeaveService();
    return Status;
}

NTSTATUS ZwOpenMutant(PHANDLE MutantHandle, ACCESS_MASK DesiredAccess,
                      POBJECT_ATTRIBUTES ObjectAttributes)
{
    VF_CHECK_IRQL(ZwOpenMutant);
    KPROCESSOR_MODE Old = KiSetPreviousMode(KernelMode);
    NTSTATUS Status = ExpOpenObject(MutantHandle, DesiredAccess, ObjectAttributes,
                                    ExpMutantObjectType, KernelMode);
    KiSetPreviousMode(Old);
    return Status;
}

NTSTATUS NtReleaseMutant(HANDLE MutantHandle, PLONG PreviousCount)
{
    NTSTATUS Status;
    KiEnterService();
    Status = ExpReleaseMutant(MutantHandle, PreviousCount, KeGetPreviousMode());
    KiLeaveService();
    return Status;
}

NTSTATUS ZwReleaseMutant(HANDLE MutantHandle, PLONG PreviousCount)
{
    VF_CHECK_IRQL(ZwReleaseMutant);
    KPROCESSOR_MODE Old = KiSetPreviousMode(KernelMode);
    NTSTATUS Status = ExpReleaseMutant(MutantHandle, PreviousCount, KernelMode);
    KiSetPreviousMode(Old);
    return Status;
}

NTSTATUS NtQueryMutant(HANDLE MutantHandle, MUTANT_INFORMATION_CLASS InformationClass,
                       PVOID MutantInformation, ULONG Length, PULONG ReturnLength)
{
    NTSTATUS Status;
    KiEnterService();
    Status = ExpQueryMutant(MutantHandle, InformationClass, MutantInformation, Length,
                            ReturnLength, KeGetPreviousMode());
    KiLeaveService();
    return Status;
}
