/* Nt: user APCs and alerts. */
#include "ntkp.h"

#define NTP_TAG_APC 0x43504154 /* 'TAPC' */

/* The kernel routine of a user APC that NtQueueApcThread allocated: it frees the APC. */
static VOID NtpFreeUserApc(PKAPC Apc, PKNORMAL_ROUTINE *NormalRoutine, PVOID *NormalContext,
                           PVOID *SystemArgument1, PVOID *SystemArgument2)
{
    UNREFERENCED_PARAMETER(NormalRoutine);
    UNREFERENCED_PARAMETER(NormalContext);
    UNREFERENCED_PARAMETER(SystemArgument1);
    UNREFERENCED_PARAMETER(SystemArgument2);
    ExFreePoolWithTag(Apc, NTP_TAG_APC);
}

static VOID NtpRundownUserApc(PKAPC Apc)
{
    ExFreePoolWithTag(Apc, NTP_TAG_APC);
}

NTSTATUS NtQueueApcThread(HANDLE ThreadHandle, PPS_APC_ROUTINE ApcRoutine, PVOID ApcArgument1,
                          PVOID ApcArgument2, PVOID ApcArgument3)
{
    PETHREAD Thread;
    PKAPC Apc;
    NTSTATUS Status;
    KiEnterService();
    Status = ObReferenceObjectByHandle(ThreadHandle, THREAD_SET_CONTEXT, *PsThreadType,
                                       KeGetPreviousMode(), (PVOID *)&Thread, NULL);
    if (NT_SUCCESS(Status)) {
        if (Thread->SystemThread) {
            Status = STATUS_INVALID_HANDLE;
        } else if ((Apc = ExAllocatePool2(POOL_FLAG_NON_PAGED, sizeof(KAPC), NTP_TAG_APC)) ==
                   NULL) {
            Status = STATUS_NO_MEMORY;
        } else {
            PKNORMAL_ROUTINE Normal;
            *(PVOID *)&Normal = *(PVOID *)&ApcRoutine;
            KeInitializeApc(Apc, &Thread->Tcb, OriginalApcEnvironment, NtpFreeUserApc,
                            NtpRundownUserApc, Normal, UserMode, ApcArgument1);
            if (!KeInsertQueueApc(Apc, ApcArgument2, ApcArgument3, 0)) {
                ExFreePoolWithTag(Apc, NTP_TAG_APC);
                Status = STATUS_UNSUCCESSFUL;
            }
        }
        ObfDereferenceObject(Thread);
    }
    KiLeaveService();
    return Status;
}

NTSTATUS NtTestAlert(VOID)
{
    NTSTATUS Status;
    KiEnterService();
    Status = KeTestAlertThread(UserMode) ? STATUS_ALERTED : STATUS_SUCCESS;
    if (KiDeliverUserApcs())
        Status = STATUS_USER_APC;
    KiLeaveService();
    return Status;
}

NTSTATUS NtAlertThread(HANDLE ThreadHandle)
{
    PETHREAD Thread;
    NTSTATUS Status;
    KiEnterService();
    Status = ObReferenceObjectByHandle(ThreadHandle, THREAD_ALERT, *PsThreadType,
                                       KeGetPreviousMode(), (PVOID *)&Thread, NULL);
    if (NT_SUCCESS(Status)) {
        KeAlertThread(&Thread->Tcb, KeGetPreviousMode());
        ObfDereferenceObject(Thread);
    }
    KiLeaveService();
    return Status;
}
