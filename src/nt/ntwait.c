/* Nt: waits on handles and delays. */
#include "ntkp.h"
#include "../ex/exp.h"
#include "../vf/vfddi.h"

static BOOLEAN NtpIsWaitable(PVOID Object)
{
    POBJECT_TYPE Type = ObGetObjectType(Object);
    return Type == *PsThreadType || Type == *PsProcessType || Type == *ExEventObjectType ||
           Type == *IoFileObjectType || Type == *ExSemaphoreObjectType ||
           Type == ExpMutantObjectType;
}

/* Objects that can be waited on start with a DISPATCHER_HEADER; a file waits on its event. */
static PVOID NtpDispatcherObject(PVOID Object)
{
    if (ObGetObjectType(Object) == *IoFileObjectType)
        return &((PFILE_OBJECT)Object)->Event;
    return Object;
}

static NTSTATUS NtpWaitMultiple(ULONG Count, HANDLE Handles[], BOOLEAN HandlesInUserMemory,
                                WAIT_TYPE WaitType, BOOLEAN Alertable, PLARGE_INTEGER Timeout,
                                KPROCESSOR_MODE Mode)
{
    HANDLE Captured[MAXIMUM_WAIT_OBJECTS];
    PVOID Bodies[MAXIMUM_WAIT_OBJECTS];
    PVOID Objects[MAXIMUM_WAIT_OBJECTS];
    KWAIT_BLOCK WaitBlocks[MAXIMUM_WAIT_OBJECTS];
    LARGE_INTEGER TimeoutValue;
    PLARGE_INTEGER TimeoutPointer;
    NTSTATUS Status;
    ULONG i, j, Referenced = 0;

    if (Count == 0 || Count > MAXIMUM_WAIT_OBJECTS)
        return STATUS_INVALID_PARAMETER_1;
    if (WaitType != WaitAll && WaitType != WaitAny)
        return STATUS_INVALID_PARAMETER_3;
    Status = NtpCaptureTimeout(Mode, Timeout, &TimeoutValue, &TimeoutPointer);
    if (!NT_SUCCESS(Status))
        return Status;
    if (HandlesInUserMemory && Mode == UserMode) {
        Status = MmpCopyFromUser(Captured, Handles, Count * sizeof(HANDLE));
        if (!NT_SUCCESS(Status))
            return Status;
    } else {
        for (i = 0; i < Count; i++)
            Captured[i] = Handles[i];
    }
    for (i = 0; i < Count; i++) {
        Status = ObReferenceObjectByHandle(Captured[i], SYNCHRONIZE, NULL, Mode, &Bodies[i],
                                           NULL);
        if (!NT_SUCCESS(Status))
            goto out;
        Referenced++;
        if (!NtpIsWaitable(Bodies[i])) {
            Status = STATUS_OBJECT_TYPE_MISMATCH;
            goto out;
        }
        Objects[i] = NtpDispatcherObject(Bodies[i]);
    }
    if (WaitType == WaitAll) {
        for (i = 0; i < Count; i++)
            for (j = i + 1; j < Count; j++)
                if (Objects[i] == Objects[j]) {
                    Status = STATUS_INVALID_PARAMETER_MIX;
                    goto out;
                }
    }
    Status = KeWaitForMultipleObjects(Count, Objects, WaitType, UserRequest, Mode, Alertable,
                                      TimeoutPointer, WaitBlocks);
    /* An alertable wait that a user APC ended runs the APCs before returning to user mode. */
    if (Status == STATUS_USER_APC)
        KiDeliverUserApcs();
out:
    for (i = 0; i < Referenced; i++)
        ObfDereferenceObject(Bodies[i]);
    return Status;
}

NTSTATUS NtWaitForSingleObject(HANDLE Handle, BOOLEAN Alertable, PLARGE_INTEGER Timeout)
{
    NTSTATUS Status;
    KiEnterService();
    Status = NtpWaitMultiple(1, &Handle, FALSE, WaitAny, Alertable, Timeout,
                             KeGetPreviousMode());
    KiLeaveService();
    return Status;
}

NTSTATUS ZwWaitForSingleObject(HANDLE Handle, BOOLEAN Alertable, PLARGE_INTEGER Timeout)
{
    VF_CHECK_IRQL(ZwWaitForSingleObject);
    KPROCESSOR_MODE Old = KiSetPreviousMode(KernelMode);
    NTSTATUS Status =
        NtpWaitMultiple(1, &Handle, FALSE, WaitAny, Alertable, Timeout, KernelMode);
    KiSetPreviousMode(Old);
    return Status;
}

NTSTATUS NtWaitForMultipleObjects(ULONG Count, HANDLE Handles[], WAIT_TYPE WaitType,
                                  BOOLEAN Alertable, PLARGE_INTEGER Timeout)
{
    NTSTATUS Status;
    KiEnterService();
    Status = NtpWaitMultiple(Count, Handles, TRUE, WaitType, Alertable, Timeout,
                             KeGetPreviousMode());
    KiLeaveService();
    return Status;
}

NTSTATUS ZwWaitForMultipleObjects(ULONG Count, HANDLE Handles[], WAIT_TYPE WaitType,
                                  BOOLEAN Alertable, PLARGE_INTEGER Timeout)
{
    VF_CHECK_IRQL(ZwWaitForMultipleObjects);
    KPROCESSOR_MODE Old = KiSetPreviousMode(KernelMode);
    NTSTATUS Status =
        NtpWaitMultiple(Count, Handles, FALSE, WaitType, Alertable, Timeout, KernelMode);
    KiSetPreviousMode(Old);
    return Status;
}

NTSTATUS NtDelayExecution(BOOLEAN Alertable, PLARGE_INTEGER DelayInterval)
{
    LARGE_INTEGER Interval;
    PLARGE_INTEGER Pointer;
    NTSTATUS Status;
    KiEnterService();
    Status = NtpCaptureTimeout(KeGetPreviousMode(), DelayInterval, &Interval, &Pointer);
    if (NT_SUCCESS(Status) && Pointer == NULL)
        Status = STATUS_ACCESS_VIOLATION;
    if (NT_SUCCESS(Status))
        Status = KeDelayExecutionThread(KeGetPreviousMode(), Alertable, &Interval);
    if (Status == STATUS_USER_APC)
        KiDeliverUserApcs();
    KiLeaveService();
    return Status;
}

NTSTATUS NtYieldExecution(VOID)
{
    sched_yield();
    return STATUS_SUCCESS;
}
