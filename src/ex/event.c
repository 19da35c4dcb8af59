/* Ex: event objects (ExEventObjectType) and their services; named events live in
 * \BaseNamedObjects when created from user mode. */
#include "ntkp.h"
#include "../vf/vfddi.h"

static POBJECT_TYPE ExpEventType, ExpSemaphoreType;
POBJECT_TYPE *ExEventObjectType = &ExpEventType;
POBJECT_TYPE *ExSemaphoreObjectType = &ExpSemaphoreType;

NTSTATUS ExpInitializeEventType(VOID)
{
    static const OBJECT_TYPE_INITIALIZER EventType = {
        L"Event", 0x6E657645, /* 'Even' */
        { STANDARD_RIGHTS_READ | EVENT_QUERY_STATE, STANDARD_RIGHTS_WRITE | EVENT_MODIFY_STATE,
          STANDARD_RIGHTS_EXECUTE | SYNCHRONIZE, EVENT_ALL_ACCESS },
        EVENT_ALL_ACCESS, NULL, NULL, NULL
    };
    static const OBJECT_TYPE_INITIALIZER SemaphoreType = {
        L"Semaphore", 0x616D6553, /* 'Sema' */
        { STANDARD_RIGHTS_READ | SEMAPHORE_QUERY_STATE,
          STANDARD_RIGHTS_WRITE | SEMAPHORE_MODIFY_STATE, STANDARD_RIGHTS_EXECUTE | SYNCHRONIZE,
          SEMAPHORE_ALL_ACCESS },
        SEMAPHORE_ALL_ACCESS, NULL, NULL, NULL
    };
    NTSTATUS Status = ObCreateObjectType(&EventType, &ExpEventType);
    if (NT_SUCCESS(Status))
        Status = ObCreateObjectType(&SemaphoreType, &ExpSemaphoreType);
    return Status;
}

static NTSTATUS ExpCreateEvent(PHANDLE EventHandle, ACCESS_MASK DesiredAccess,
                               POBJECT_ATTRIBUTES ObjectAttributes, EVENT_TYPE EventType,
                               BOOLEAN InitialState, KPROCESSOR_MODE Mode)
{
    OBJECT_ATTRIBUTES Captured;
    UNICODE_STRING Name;
    PKEVENT Event;
    HANDLE Handle = NULL;
    NTSTATUS Status, InsertStatus;

    if (EventType != NotificationEvent && EventType != SynchronizationEvent)
        return STATUS_INVALID_PARAMETER;
    if (ObjectAttributes) {
        Status = NtpCaptureObjectAttributes(Mode, ObjectAttributes, &Captured, &Name);
        if (!NT_SUCCESS(Status))
            return Status;
    } else {
        InitializeObjectAttributes(&Captured, NULL, 0, NULL, NULL);
        Name.Buffer = NULL;
    }
    Status = ObCreateObject(Mode, ExpEventType, &Captured, Mode, NULL, sizeof(KEVENT), 0, 0,
                            (PVOID *)&Event);
    if (NT_SUCCESS(Status)) {
        KeInitializeEvent(Event, EventType, InitialState);
        InsertStatus = ObInsertObject(Event, NULL, DesiredAccess, 0, NULL, &Handle);
        Status = InsertStatus;
        if (NT_SUCCESS(Status)) {
            NTSTATUS WriteStatus = NtpWriteHandle(Mode, EventHandle, Handle);
            if (!NT_SUCCESS(WriteStatus)) {
                ObpCloseHandle(Handle, KernelMode);
                Status = WriteStatus;
            }
        }
    }
    NtpReleaseObjectAttributes(&Name);
    return Status;
}

NTSTATUS NtCreateEvent(PHANDLE EventHandle, ACCESS_MASK DesiredAccess,
                       POBJECT_ATTRIBUTES ObjectAttributes, EVENT_TYPE EventType,
                       BOOLEAN InitialState)
{
    NTSTATUS Status;
    KiEnterService();
    Status = ExpCreateEvent(EventHandle, DesiredAccess, ObjectAttributes, EventType, InitialState,
                            KeGetPreviousMode());
    KiLeaveService();
    return Status;
}

NTSTATUS ZwCreateEvent(PHANDLE EventHandle, ACCESS_MASK DesiredAccess,
                       POBJECT_ATTRIBUTES ObjectAttributes, EVENT_TYPE EventType,
                       BOOLEAN InitialState)
{
    VF_CHECK_IRQL(ZwCreateEvent);
    KPROCESSOR_MODE Old = KiSetPreviousMode(KernelMode);
    NTSTATUS Status = ExpCreateEvent(EventHandle, DesiredAccess, ObjectAttributes, EventType,
                                     InitialState, KernelMode);
    KiSetPreviousMode(Old);
    return Status;
}

static NTSTATUS ExpOpenEvent(PHANDLE EventHandle, ACCESS_MASK DesiredAccess,
                             POBJECT_ATTRIBUTES ObjectAttributes, KPROCESSOR_MODE Mode)
{
    OBJECT_ATTRIBUTES Captured;
    UNICODE_STRING Name;
    HANDLE Handle;
    NTSTATUS Status = NtpCaptureObjectAttributes(Mode, ObjectAttributes, &Captured, &Name);
    if (!NT_SUCCESS(Status))
        return Status;
    Status = ObOpenObjectByName(&Captured, ExpEventType, Mode, NULL, DesiredAccess, NULL, &Handle);
    NtpReleaseObjectAttributes(&Name);
    if (NT_SUCCESS(Status)) {
        NTSTATUS WriteStatus = NtpWriteHandle(Mode, EventHandle, Handle);
        if (!NT_SUCCESS(WriteStatus)) {
            ObpCloseHandle(Handle, KernelMode);
            Status = WriteStatus;
        }
    }
    return Status;
}

NTSTATUS NtOpenEvent(PHANDLE EventHandle, ACCESS_MASK DesiredAccess,
                     POBJECT_ATTRIBUTES ObjectAttributes)
{
    NTSTATUS Status;
    KiEnterService();
    Status = ExpOpenEvent(EventHandle, DesiredAccess, ObjectAttributes, KeGetPreviousMode());
    KiLeaveService();
    return Status;
}

NTSTATUS ZwOpenEvent(PHANDLE EventHandle, ACCESS_MASK DesiredAccess,
                     POBJECT_ATTRIBUTES ObjectAttributes)
{
    VF_CHECK_IRQL(ZwOpenEvent);
    KPROCESSOR_MODE Old = KiSetPreviousMode(KernelMode);
    NTSTATUS Status = ExpOpenEvent(EventHandle, DesiredAccess, ObjectAttributes, KernelMode);
    KiSetPreviousMode(Old);
    return Status;
}

typedef enum { ExpSet, ExpReset, ExpClear, ExpPulse } EXP_EVENT_OP;

static NTSTATUS ExpEventOperation(HANDLE EventHandle, EXP_EVENT_OP Op, PLONG PreviousState,
                                  KPROCESSOR_MODE Mode)
{
    PKEVENT Event;
    LONG Previous = 0;
    NTSTATUS Status = ObReferenceObjectByHandle(EventHandle, EVENT_MODIFY_STATE, ExpEventType,
                                                Mode, (PVOID *)&Event, NULL);
    if (!NT_SUCCESS(Status))
        return Status;
    switch (Op) {
    case ExpSet:
        Previous = KeSetEvent(Event, EVENT_INCREMENT, FALSE);
        break;
    case ExpReset:
        Previous = KeResetEvent(Event);
        break;
    case ExpClear:
        KeClearEvent(Event);
        break;
    case ExpPulse:
        Previous = KePulseEvent(Event, EVENT_INCREMENT, FALSE);
        break;
    }
    ObfDereferenceObject(Event);
    if (PreviousState)
        Status = NtpWrite(Mode, PreviousState, &Previous, sizeof(Previous));
    return Status;
}

#define EXP_EVENT_SERVICE(NtName, ZwName, Op)                                                     \
    NTSTATUS NtName(HANDLE EventHandle, PLONG PreviousState)                                      \
    {                                                                                             \
        NTSTATUS Status;                                                                          \
        KiEnterService();                                                                         \
        Status = ExpEventOperation(EventHandle, Op, PreviousState, KeGetPreviousMode());          \
        KiLeaveService();                                                                         \
        return Status;                                                                            \
    }                                                                                             \
    NTSTATUS ZwName(HANDLE EventHandle, PLONG PreviousState)                                      \
    {                                                                                             \
        return ExpEventOperation(EventHandle, Op, PreviousState, KernelMode);                     \
    }

EXP_EVENT_SERVICE(NtSetEvent, ZwSetEvent, ExpSet)
EXP_EVENT_SERVICE(NtResetEvent, ZwResetEvent, ExpReset)

NTSTATUS NtPulseEvent(HANDLE EventHandle, PLONG PreviousState)
{
    NTSTATUS Status;
    KiEnterService();
    Status = ExpEventOperation(EventHandle, ExpPulse, PreviousState, KeGetPreviousMode());
    KiLeaveService();
    return Status;
}

NTSTATUS NtClearEvent(HANDLE EventHandle)
{
    NTSTATUS Status;
    KiEnterService();
    Status = ExpEventOperation(EventHandle, ExpClear, NULL, KeGetPreviousMode());
    KiLeaveService();
    return Status;
}

NTSTATUS ZwClearEvent(HANDLE EventHandle)
{
    VF_CHECK_IRQL(ZwClearEvent);
    return ExpEventOperation(EventHandle, ExpClear, NULL, KernelMode);
}
