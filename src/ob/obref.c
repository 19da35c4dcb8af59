/* Ob: references by handle and by name, and the handle services. */
#include "obp.h"
#include "../vf/vfddi.h"

NTSTATUS ObpReferenceHandle(HANDLE Handle, KPROCESSOR_MODE Mode, PVOID *Object,
                            ACCESS_MASK *GrantedAccess, ULONG *Attributes);

NTSTATUS ObReferenceObjectByHandle(HANDLE Handle, ACCESS_MASK DesiredAccess,
                                   POBJECT_TYPE ObjectType, KPROCESSOR_MODE AccessMode,
                                   PVOID *Object, POBJECT_HANDLE_INFORMATION HandleInformation)
{
    VF_CHECK_IRQL(ObReferenceObjectByHandle);
    PVOID Body;
    ACCESS_MASK Granted;
    ULONG Attributes = 0;
    NTSTATUS Status;

    if (KeGetCurrentIrql() > DISPATCH_LEVEL)
        KeBugCheckEx(IRQL_NOT_LESS_OR_EQUAL, (ULONG_PTR)Handle, KeGetCurrentIrql(), 0, 0);
    *Object = NULL;
    if (Handle == NtCurrentProcess() || Handle == NtCurrentThread()) {
        BOOLEAN IsProcess = Handle == NtCurrentProcess();
        POBJECT_TYPE Type = IsProcess ? *PsProcessType : *PsThreadType;
        if (ObjectType && ObjectType != Type)
            return STATUS_OBJECT_TYPE_MISMATCH;
        Body = IsProcess ? (PVOID)PspCurrentProcess() : (PVOID)KiCurrentThread;
        ObfReferenceObject(Body);
        Granted = IsProcess ? PROCESS_ALL_ACCESS : THREAD_ALL_ACCESS;
    } else {
        Status = ObpReferenceHandle(Handle, AccessMode, &Body, &Granted, &Attributes);
        if (!NT_SUCCESS(Status))
            return Status;
        if (ObjectType && OBJECT_TO_OBJECT_HEADER(Body)->Type != ObjectType) {
            ObfDereferenceObject(Body);
            return STATUS_OBJECT_TYPE_MISMATCH;
        }
        if (AccessMode == UserMode) {
            ACCESS_MASK Wanted = ObpMapGenericMask(OBJECT_TO_OBJECT_HEADER(Body)->Type,
                                                   DesiredAccess);
            if ((Granted & Wanted) != Wanted) {
                ObfDereferenceObject(Body);
                return STATUS_ACCESS_DENIED;
            }
        }
    }
    if (HandleInformation) {
        HandleInformation->GrantedAccess = Granted;
        HandleInformation->HandleAttributes = Attributes & OBJ_INHERIT;
    }
    *Object = Body;
    return STATUS_SUCCESS;
}

NTSTATUS ObReferenceObjectByHandleWithTag(HANDLE Handle, ACCESS_MASK DesiredAccess,
                                          POBJECT_TYPE ObjectType, KPROCESSOR_MODE AccessMode,
                                          ULONG Tag, PVOID *Object,
                                          POBJECT_HANDLE_INFORMATION HandleInformation)
{
    VF_CHECK_IRQL(ObReferenceObjectByHandleWithTag);
    UNREFERENCED_PARAMETER(Tag);
    return ObReferenceObjectByHandle(Handle, DesiredAccess, ObjectType, AccessMode, Object,
                                     HandleInformation);
}

/* Finds Name; a parse procedure (a device's) turns the rest of the path into the object. */
static NTSTATUS ObpReferenceByName(POBJECT_ATTRIBUTES ObjectAttributes, POBJECT_TYPE ObjectType,
                                   KPROCESSOR_MODE AccessMode, PVOID ParseContext,
                                   PVOID *Object)
{
    UNICODE_STRING Remaining, Storage;
    PVOID Found;
    POBJECT_TYPE FoundType;
    NTSTATUS Status;

    if (ObjectAttributes == NULL || ObjectAttributes->ObjectName == NULL)
        return STATUS_OBJECT_NAME_INVALID;
    Status = ObpLookupObjectName(ObjectAttributes->RootDirectory, ObjectAttributes->ObjectName,
                                 ObjectAttributes->Attributes, AccessMode, &Found, &Remaining,
                                 &Storage);
    if (!NT_SUCCESS(Status))
        return Status;
    FoundType = OBJECT_TO_OBJECT_HEADER(Found)->Type;
    if (FoundType->ParseProcedure && (ObjectType == NULL || ObjectType != FoundType)) {
        PVOID Result = NULL;
        Status = FoundType->ParseProcedure(Found, ObjectType, AccessMode,
                                           ObjectAttributes->Attributes, &Remaining, ParseContext,
                                           &Result);
        ObfDereferenceObject(Found);
        ObpFreeString(&Storage);
        if (!NT_SUCCESS(Status))
            return Status;
        Found = Result;
    } else {
        ObpFreeString(&Storage);
        if (Remaining.Length != 0) {
            ObfDereferenceObject(Found);
            return STATUS_OBJECT_PATH_NOT_FOUND;
        }
    }
    if (ObjectType && OBJECT_TO_OBJECT_HEADER(Found)->Type != ObjectType) {
        ObfDereferenceObject(Found);
        return STATUS_OBJECT_TYPE_MISMATCH;
    }
    *Object = Found;
    return STATUS_SUCCESS;
}

NTSTATUS ObOpenObjectByName(POBJECT_ATTRIBUTES ObjectAttributes, POBJECT_TYPE ObjectType,
                            KPROCESSOR_MODE AccessMode, PACCESS_STATE AccessState,
                            ACCESS_MASK DesiredAccess, PVOID ParseContext, PHANDLE Handle)
{
    PVOID Object;
    NTSTATUS Status;
    ULONG Attributes;
    UNREFERENCED_PARAMETER(AccessState);
    Status = ObpReferenceByName(ObjectAttributes, ObjectType, AccessMode, ParseContext, &Object);
    if (!NT_SUCCESS(Status))
        return Status;
    Attributes = ObjectAttributes->Attributes;
    if (AccessMode == UserMode)
        Attributes &= ~OBJ_KERNEL_HANDLE;
    Status = ObpCreateHandle(PspCurrentProcess(), Object,
                             ObpMapGenericMask(OBJECT_TO_OBJECT_HEADER(Object)->Type,
                                               DesiredAccess),
                             Attributes, Handle);
    ObfDereferenceObject(Object);
    return Status;
}

NTSTATUS ObReferenceObjectByName(PUNICODE_STRING ObjectName, ULONG Attributes,
                                 PACCESS_STATE AccessState, ACCESS_MASK DesiredAccess,
                                 POBJECT_TYPE ObjectType, KPROCESSOR_MODE AccessMode,
                                 PVOID ParseContext, PVOID *Object)
{
    VF_CHECK_IRQL(ObReferenceObjectByName);
    OBJECT_ATTRIBUTES ObjectAttributes;
    UNREFERENCED_PARAMETER(AccessState);
    UNREFERENCED_PARAMETER(DesiredAccess);
    InitializeObjectAttributes(&ObjectAttributes, ObjectName, Attributes, NULL, NULL);
    return ObpReferenceByName(&ObjectAttributes, ObjectType, AccessMode, ParseContext, Object);
}

NTSTATUS ObOpenObjectByPointer(PVOID Object, ULONG HandleAttributes,
                               PACCESS_STATE PassedAccessState, ACCESS_MASK DesiredAccess,
                               POBJECT_TYPE ObjectType, KPROCESSOR_MODE AccessMode,
                               PHANDLE Handle)
{
    VF_CHECK_IRQL(ObOpenObjectByPointer);
    UNREFERENCED_PARAMETER(PassedAccessState);
    if (ObjectType && OBJECT_TO_OBJECT_HEADER(Object)->Type != ObjectType)
        return STATUS_OBJECT_TYPE_MISMATCH;
    if (AccessMode == UserMode)
        HandleAttributes &= ~OBJ_KERNEL_HANDLE;
    return ObpCreateHandle(PspCurrentProcess(), Object,
                           ObpMapGenericMask(OBJECT_TO_OBJECT_HEADER(Object)->Type,
                                             DesiredAccess),
                           HandleAttributes, Handle);
}

/* ---- Services ---- */

NTSTATUS NtClose(HANDLE Handle)
{
    NTSTATUS Status;
    KiEnterService();
    Status = ObpCloseHandle(Handle, KeGetPreviousMode());
    KiLeaveService();
    return Status;
}

NTSTATUS ZwClose(HANDLE Handle)
{
    VF_CHECK_IRQL(ZwClose);
    KPROCESSOR_MODE Old = KiSetPreviousMode(KernelMode);
    NTSTATUS Status = ObpCloseHandle(Handle, KernelMode);
    KiSetPreviousMode(Old);
    return Status;
}

static NTSTATUS ObpProcessFromHandle(HANDLE Handle, KPROCESSOR_MODE Mode, PEPROCESS *Process)
{
    return ObReferenceObjectByHandle(Handle, PROCESS_DUP_HANDLE, *PsProcessType, Mode,
                                     (PVOID *)Process, NULL);
}

static NTSTATUS ObpDuplicateObject(HANDLE SourceProcessHandle, HANDLE SourceHandle,
                                   HANDLE TargetProcessHandle, PHANDLE TargetHandle,
                                   ACCESS_MASK DesiredAccess, ULONG HandleAttributes,
                                   ULONG Options, KPROCESSOR_MODE Mode)
{
    PEPROCESS Source, Target = NULL;
    HANDLE New = NULL;
    NTSTATUS Status = ObpProcessFromHandle(SourceProcessHandle, Mode, &Source);
    if (!NT_SUCCESS(Status))
        return Status;
    if (TargetProcessHandle != NULL)
        Status = ObpProcessFromHandle(TargetProcessHandle, Mode, &Target);
    if (NT_SUCCESS(Status)) {
        if (Target == NULL) {
            /* Only DUPLICATE_CLOSE_SOURCE makes sense without a target. */
            Status = (Options & DUPLICATE_CLOSE_SOURCE) ? ObpCloseHandle(SourceHandle, Mode)
                                                        : STATUS_INVALID_PARAMETER;
        } else {
            if (Mode == UserMode)
                HandleAttributes &= ~OBJ_KERNEL_HANDLE;
            Status = ObpDuplicateHandle(Source, SourceHandle, Target, &New, DesiredAccess,
                                        HandleAttributes, Options, Mode);
        }
    }
    if (NT_SUCCESS(Status) && TargetHandle) {
        if (Mode == UserMode)
            Status = MmpCopyToUser(TargetHandle, &New, sizeof(New));
        else
            *TargetHandle = New;
    }
    if (Target)
        ObfDereferenceObject(Target);
    ObfDereferenceObject(Source);
    return Status;
}

NTSTATUS NtDuplicateObject(HANDLE SourceProcessHandle, HANDLE SourceHandle,
                           HANDLE TargetProcessHandle, PHANDLE TargetHandle,
                           ACCESS_MASK DesiredAccess, ULONG HandleAttributes, ULONG Options)
{
    NTSTATUS Status;
    KiEnterService();
    Status = ObpDuplicateObject(SourceProcessHandle, SourceHandle, TargetProcessHandle,
                                TargetHandle, DesiredAccess, HandleAttributes, Options,
                                KeGetPreviousMode());
    KiLeaveService();
    return Status;
}

NTSTATUS ZwDuplicateObject(HANDLE SourceProcessHandle, HANDLE SourceHandle,
                           HANDLE TargetProcessHandle, PHANDLE TargetHandle,
                           ACCESS_MASK DesiredAccess, ULONG HandleAttributes, ULONG Options)
{
    VF_CHECK_IRQL(ZwDuplicateObject);
    KPROCESSOR_MODE Old = KiSetPreviousMode(KernelMode);
    NTSTATUS Status = ObpDuplicateObject(SourceProcessHandle, SourceHandle, TargetProcessHandle,
                                         TargetHandle, DesiredAccess, HandleAttributes, Options,
                                         KernelMode);
    KiSetPreviousMode(Old);
    return Status;
}

static NTSTATUS ObpMakeTemporary(HANDLE Handle, KPROCESSOR_MODE Mode)
{
    PVOID Object;
    NTSTATUS Status = ObReferenceObjectByHandle(Handle, DELETE, NULL, Mode, &Object, NULL);
    if (!NT_SUCCESS(Status))
        return Status;
    ObMakeTemporaryObject(Object);
    ObfDereferenceObject(Object);
    return STATUS_SUCCESS;
}

NTSTATUS NtMakeTemporaryObject(HANDLE Handle)
{
    NTSTATUS Status;
    KiEnterService();
    Status = ObpMakeTemporary(Handle, KeGetPreviousMode());
    KiLeaveService();
    return Status;
}

NTSTATUS ZwMakeTemporaryObject(HANDLE Handle)
{
    VF_CHECK_IRQL(ZwMakeTemporaryObject);
    return ObpMakeTemporary(Handle, KernelMode);
}
