/* Nt: user APCs (stubs until the APC machinery lands). */
#include "ntkp.h"

NTSTATUS NtQueueApcThread(HANDLE ThreadHandle, PPS_APC_ROUTINE ApcRoutine, PVOID ApcArgument1,
                          PVOID ApcArgument2, PVOID ApcArgument3)
{
    UNREFERENCED_PARAMETER(ThreadHandle);
    UNREFERENCED_PARAMETER(ApcRoutine);
    UNREFERENCED_PARAMETER(ApcArgument1);
    UNREFERENCED_PARAMETER(ApcArgument2);
    UNREFERENCED_PARAMETER(ApcArgument3);
    KdpLog("ntk: NtQueueApcThread is not implemented yet\n");
    return STATUS_NOT_IMPLEMENTED;
}

NTSTATUS NtTestAlert(VOID)
{
    KdpLog("ntk: NtTestAlert is not implemented yet\n");
    return STATUS_NOT_IMPLEMENTED;
}

NTSTATUS NtAlertThread(HANDLE ThreadHandle)
{
    UNREFERENCED_PARAMETER(ThreadHandle);
    KdpLog("ntk: NtAlertThread is not implemented yet\n");
    return STATUS_NOT_IMPLEMENTED;
}
