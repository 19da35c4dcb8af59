/* The thread's last Win32 error, kept in the TEB as kernel32 keeps it. */
#include "basep.h"

#include <stdio.h>
#include <stdlib.h>

/* Every thread the kernel runs user code on has a TEB; a thread without one is a bug in how
 * the program was started, so say so instead of faulting on a NULL pointer. */
PTEB BasepTeb(VOID)
{
    PTEB Teb = NtCurrentTeb();
    if (Teb == NULL) {
        fprintf(stderr, "ntk-user: this thread has no TEB (not an ntk user thread)\n");
        abort();
    }
    return Teb;
}

WINBASEAPI DWORD WINAPI GetLastError(VOID)
{
    return BasepTeb()->LastErrorValue;
}

WINBASEAPI VOID WINAPI SetLastError(DWORD dwErrCode)
{
    BasepTeb()->LastErrorValue = dwErrCode;
}

VOID BasepSetLastNtError(NTSTATUS Status)
{
    SetLastError(RtlNtStatusToDosError(Status));
}

/* ntk's rule: what is declared but not implemented fails loudly, never silently succeeds. */
VOID BasepNotImplemented(PCSTR Function)
{
    fprintf(stderr, "ntk-user: %s is not implemented\n", Function);
    SetLastError(ERROR_CALL_NOT_IMPLEMENTED);
}
