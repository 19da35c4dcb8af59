/* Io: named events for drivers, IoCreateNotificationEvent and IoCreateSynchronizationEvent.
 * The name is a full object name, normally under \BaseNamedObjects, where user mode opens the
 * same event as "Global\Xxx" or "Xxx". */
#include "iop.h"
#include "../vf/vfddi.h"

/* A new event starts signaled, as the WDK pages say; an existing one is only opened, its
 * state untouched. The returned pointer holds no reference of its own: the kernel handle
 * keeps the event alive until the driver closes it with ZwClose. */
static PKEVENT IopCreateNamedEvent(PUNICODE_STRING EventName, PHANDLE EventHandle,
                                   EVENT_TYPE Type)
{
    OBJECT_ATTRIBUTES Attributes;
    HANDLE Handle;
    PKEVENT Event;
    NTSTATUS Status;

    if (EventName == NULL || EventHandle == NULL)
        return NULL;
    InitializeObjectAttributes(&Attributes, EventName, OBJ_OPENIF | OBJ_KERNEL_HANDLE, NULL, NULL);
    Status = ZwCreateEvent(&Handle, EVENT_ALL_ACCESS, &Attributes, Type, TRUE);
    if (!NT_SUCCESS(Status))
        return NULL;
    Status = ObReferenceObjectByHandle(Handle, 0, *ExEventObjectType, KernelMode,
                                       (PVOID *)&Event, NULL);
    if (!NT_SUCCESS(Status)) {
        ZwClose(Handle);
        return NULL;
    }
    ObfDereferenceObject(Event);
    *EventHandle = Handle;
    return Event;
}

PKEVENT IoCreateNotificationEvent(PUNICODE_STRING EventName, PHANDLE EventHandle)
{
    VF_CHECK_IRQL(IoCreateNotificationEvent);
    return IopCreateNamedEvent(EventName, EventHandle, NotificationEvent);
}

PKEVENT IoCreateSynchronizationEvent(PUNICODE_STRING EventName, PHANDLE EventHandle)
{
    VF_CHECK_IRQL(IoCreateSynchronizationEvent);
    return IopCreateNamedEvent(EventName, EventHandle, SynchronizationEvent);
}
