/* QueueUserAPC: a user APC runs when its thread next waits alertably (SleepEx,
 * WaitForSingleObjectEx with bAlertable), which then returns WAIT_IO_COMPLETION. */
#include "basep.h"

/* The Win32 routine takes one argument; the NT user APC routine takes three. */
static VOID BasepDispatchApc(PVOID Routine, PVOID Parameter, PVOID Unused)
{
    PAPCFUNC Function;
    UNREFERENCED_PARAMETER(Unused);
    *(PVOID *)&Function = Routine;
    Function((ULONG_PTR)Parameter);
}

WINBASEAPI DWORD WINAPI QueueUserAPC(PAPCFUNC pfnAPC, HANDLE hThread, ULONG_PTR dwData)
{
    PVOID Routine;
    NTSTATUS Status;
    *(PAPCFUNC *)&Routine = pfnAPC;
    Status = NtQueueApcThread(hThread, BasepDispatchApc, Routine, (PVOID)dwData, NULL);
    if (!NT_SUCCESS(Status)) {
        BasepSetLastNtError(Status);
        return 0;
    }
    return 1;
}
