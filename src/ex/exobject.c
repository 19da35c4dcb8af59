/* Ex: what creating and opening a named executive object (event, semaphore, mutant) shares:
 * capture of the caller's attributes, insertion into the namespace, the handle written back. */
#include "exp.h"

NTSTATUS ExpCreateObject(PHANDLE Handle, ACCESS_MASK DesiredAccess,
                         POBJECT_ATTRIBUTES ObjectAttributes, POBJECT_TYPE Type, ULONG BodySize,
                         EXP_INITIALIZE_BODY Initialize, PVOID Context, KPROCESSOR_MODE Mode)
{
    OBJECT_ATTRIBUTES Captured;
    UNICODE_STRING Name;
    PVOID Body;
    HANDLE NewHandle = NULL;
    NTSTATUS Status;

    if (ObjectAttributes) {
        Status = NtpCaptureObjectAttributes(Mode, ObjectAttributes, &Captured, &Name);
        if (!NT_SUCCESS(Status))
            return Status;
    } else {
        InitializeObjectAttributes(&Captured, NULL, 0, NULL, NULL);
        Name.Buffer = NULL;
    }
    /* The handle pointer is probed for writing before anything is created, as Windows does,
     * so that a bad one leaves no object behind in the namespace. */
    if (Mode == UserMode) {
        Status = MmpProbeUserRange(Handle, sizeof(*Handle), sizeof(ULONG));
        if (NT_SUCCESS(Status))
            Status = MmpTouchUserRange(Handle, sizeof(*Handle), TRUE);
        if (!NT_SUCCESS(Status)) {
            NtpReleaseObjectAttributes(&Name);
            return Status;
        }
    }
    Status = ObCreateObject(Mode, Type, &Captured, Mode, NULL, BodySize, 0, 0, &Body);
    if (NT_SUCCESS(Status)) {
        Initialize(Body, Context);
        /* With OBJ_OPENIF and an existing object, the new body is discarded and the existing
         * one is opened: STATUS_OBJECT_NAME_EXISTS, a success. */
        Status = ObInsertObject(Body, NULL, DesiredAccess, 0, NULL, &NewHandle);
        if (NT_SUCCESS(Status)) {
            NTSTATUS WriteStatus = NtpWriteHandle(Mode, Handle, NewHandle);
            if (!NT_SUCCESS(WriteStatus)) {
                ObpCloseHandle(NewHandle, KernelMode);
                Status = WriteStatus;
            }
        }
    }
    NtpReleaseObjectAttributes(&Name);
    return Status;
}

NTSTATUS ExpOpenObject(PHANDLE Handle, ACCESS_MASK DesiredAccess,
                       POBJECT_ATTRIBUTES ObjectAttributes, POBJECT_TYPE Type,
                       KPROCESSOR_MODE Mode)
{
    OBJECT_ATTRIBUTES Captured;
    UNICODE_STRING Name;
    HANDLE NewHandle;
    NTSTATUS Status = NtpCaptureObjectAttributes(Mode, ObjectAttributes, &Captured, &Name);
    if (!NT_SUCCESS(Status))
        return Status;
    Status = ObOpenObjectByName(&Captured, Type, Mode, NULL, DesiredAccess, NULL, &NewHandle);
    NtpReleaseObjectAttributes(&Name);
    if (NT_SUCCESS(Status)) {
        NTSTATUS WriteStatus = NtpWriteHandle(Mode, Handle, NewHandle);
        if (!NT_SUCCESS(WriteStatus)) {
            ObpCloseHandle(NewHandle, KernelMode);
            Status = WriteStatus;
        }
    }
    return Status;
}
