/* Ex: event objects (ExEventObjectType) and their services. Named events live in
 * \BaseNamedObjects, where user mode (CreateEventW) and drivers (IoCreateNotificationEvent,
 * ZwCreateEvent) find the same object. */
#include "exp.h"
#include "../vf/vfddi.h"

static POBJECT_TYPE ExpEventType;
POBJECT_TYPE *ExEventObjectType = &ExpEventType;

NTSTATUS ExpInitializeEventType(VOID)
{
    static const OBJECT_TYPE_INITIALIZER EventType = {
        L"Event", 0x6E657645, /* 'Even' */
        { STANDARD_RIGHTS_READ | EVENT_QUERY_STATE, STANDARD_RIGHTS_WRITE | EVENT_MODIFY_STATE,
          STANDARD_RIGHTS_EXECUTE | SYNCHRONIZE, EVENT_ALL_ACCESS },
        EVENT_ALL_ACCESS, NULL, NULL, NULL
    };
    /* The semaphore and mutant types are created with it: the host boots them as one. */
    NTSTATUS Status = ObCreateObjectType(&EventType, &ExpEventType);
    if (NT_SUCCESS(Status))
        Status = ExpInitializeSemaphoreType();
    if (NT_SUCCESS(Status))
        Status = ExpInitializeMutantType();
    return Status;
}

typedef struct _EXP_EVENT_INIT {
    EVENT_TYPE Type;
    BOOLEAN State;
} EXP_EVENT_INIT;

static VOID ExpInitializeEvent(PVOID Body, PVOID Context)
{
    EXP_EVENT_INIT *Init = Context;
    KeInitializeEvent(Body, Init->Type, Init->State);
}

static NTSTATUS ExpCreateEvent(PHANDLE EventHandle, ACCESS_MASK DesiredAccess,
                               POBJECT_ATTRIBUTES ObjectAttributes, EVENT_TYPE EventType,
                               BOOLEAN InitialState, KPROCESSOR_MODE Mode)
{
    EXP_EVENT_INIT Init = { EventType, InitialState };
    if (EventType != NotificationEvent && EventType != SynchronizationEvent)
        return STATUS_INVALID_PARAMETER;
    return ExpCreateObject(EventHandle, DesiredAccess, ObjectAttributes, ExpEventType,
                           sizeof(KEVENT), ExpInitializeEvent, &Init, Mode);
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

NTSTATUS NtOpenEvent(PHANDLE EventHandle, ACCESS_MASK DesiredAccess,
                     POBJECT_ATTRIBUTES ObjectAttributes)
{
    NTSTATUS Status;
    KiEnterService();
    Status = ExpOpenObject(EventHandle, DesiredAccess, ObjectAttributes, ExpEventType,
                           KeGetPreviousMode());
    KiLeaveService();
    return Status;
}

NTSTATUS ZwOpenEvent(PHANDLE EventHandle, ACCESS_MASK DesiredAccess,
                     POBJECT_ATTRIBUTES ObjectAttributes)
{
    VF_CHECK_IRQL(ZwOpenEvent);
    KPROCESSOR_MODE Old = KiSetPreviousMode(KernelMode);
    NTSTATUS Status =
        ExpOpenObject(EventHandle, DesiredAccess, ObjectAttributes, ExpEventType, KernelMode);
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
        VF_CHECK_IRQL(ZwName);                                                                    \
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
