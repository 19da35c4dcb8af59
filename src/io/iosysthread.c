/* Io: IoCreateSystemThread, a system thread that holds a reference on a driver or device
 * object, so on the driver, until it exits, whether its start routine returns or it calls
 * PsTerminateSystemThread. Unloading the driver waits for it (IopRundownDriverWorkItems). */
#include "../ex/exworker.h"
#include "../vf/vfddi.h"
#include <string.h>

#define IOP_TAG_SYSTEM_THREAD 0x68546F49 /* 'IoTh' */

typedef struct _IOP_THREAD_START {
    PVOID IoObject;
    PVOID DriverWork; /* the thread counts against its driver */
    PKSTART_ROUTINE StartRoutine;
    PVOID StartContext;
    volatile LONG Abandoned; /* creation failed after the thread was created: do not run */
    jmp_buf PsExitFrame;     /* Ps's exit frame, put back before the thread goes on to exit */
} IOP_THREAD_START;

static VOID IopSystemThreadStart(PVOID Context)
{
    IOP_THREAD_START *volatile Start = Context;
    volatile BOOLEAN Terminated = FALSE;

    /* PsTerminateSystemThread unwinds to the thread's exit frame: stop on the way there to
     * release the reference, then go on. */
    memcpy(Start->PsExitFrame, PsGetCurrentEThread()->ExitFrame, sizeof(jmp_buf));
    if (_setjmp(PsGetCurrentEThread()->ExitFrame) == 0) {
        if (!__atomic_load_n(&Start->Abandoned, __ATOMIC_ACQUIRE))
            Start->StartRoutine(Start->StartContext);
    } else {
        Terminated = TRUE;
    }
    memcpy(PsGetCurrentEThread()->ExitFrame, Start->PsExitFrame, sizeof(jmp_buf));
    IopDereferenceDriverWork(Start->DriverWork, TRUE);
    ObfDereferenceObject(Start->IoObject);
    ExFreePoolWithTag(Start, IOP_TAG_SYSTEM_THREAD);
    if (Terminated)
        _longjmp(PsGetCurrentEThread()->ExitFrame, 1);
}

NTSTATUS IoCreateSystemThread(PVOID IoObject, PHANDLE ThreadHandle, ULONG DesiredAccess,
                              POBJECT_ATTRIBUTES ObjectAttributes, HANDLE ProcessHandle,
                              PCLIENT_ID ClientId, PKSTART_ROUTINE StartRoutine,
                              PVOID StartContext)
{
    VF_CHECK_IRQL(IoCreateSystemThread);
    PDEVICE_OBJECT Object = IoObject;
    IOP_THREAD_START *Start;
    CLIENT_ID Cid = { NULL, NULL };
    NTSTATUS Status;

    if (KeGetCurrentIrql() != PASSIVE_LEVEL)
        KeBugCheckEx(IRQL_NOT_LESS_OR_EQUAL, 0, KeGetCurrentIrql(), 0,
                     (ULONG_PTR)__builtin_return_address(0));
    if (Object == NULL || (Object->Type != IO_TYPE_DEVICE && Object->Type != IO_TYPE_DRIVER)) {
        KdpLog("ntk: IoCreateSystemThread: %p is neither a device nor a driver object\n",
               IoObject);
        return STATUS_INVALID_PARAMETER;
    }
    if (StartRoutine == NULL)
        return STATUS_INVALID_PARAMETER;
    Start = ExAllocatePool2(POOL_FLAG_NON_PAGED, sizeof(*Start), IOP_TAG_SYSTEM_THREAD);
    if (Start == NULL)
        return STATUS_INSUFFICIENT_RESOURCES;
    Start->IoObject = IoObject;
    Start->StartRoutine = StartRoutine;
    Start->StartContext = StartContext;
    Start->Abandoned = 0;
    ObfReferenceObject(IoObject);
    Start->DriverWork = IopReferenceDriverWork(IoObject, TRUE);
    Status = PsCreateSystemThread(ThreadHandle, DesiredAccess, ObjectAttributes, ProcessHandle,
                                  &Cid, IopSystemThreadStart, Start);
    if (NT_SUCCESS(Status)) {
        if (ClientId)
            *ClientId = Cid;
        return Status;
    }
    if (Cid.UniqueThread != NULL) {
        /* The thread exists (its handle could not be made): it releases Start itself. */
        __atomic_store_n(&Start->Abandoned, 1, __ATOMIC_RELEASE);
        return Status;
    }
    IopDereferenceDriverWork(Start->DriverWork, TRUE);
    ObfDereferenceObject(IoObject);
    ExFreePoolWithTag(Start, IOP_TAG_SYSTEM_THREAD);
    return Status;
}
