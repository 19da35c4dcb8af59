/* The current process: identity and exit. */
#include "basep.h"

#include <stdio.h>
#include <stdlib.h>

static BOOL BasepQueryProcess(HANDLE hProcess, PPROCESS_BASIC_INFORMATION Information)
{
    NTSTATUS Status = NtQueryInformationProcess(hProcess, ProcessBasicInformation, Information,
                                                sizeof(*Information), NULL);
    if (!NT_SUCCESS(Status)) {
        BasepSetLastNtError(Status);
        return FALSE;
    }
    return TRUE;
}

WINBASEAPI HANDLE WINAPI GetCurrentProcess(VOID)
{
    return NtCurrentProcess();
}

WINBASEAPI DWORD WINAPI GetCurrentProcessId(VOID)
{
    return HandleToULong(BasepTeb()->ClientId.UniqueProcess);
}

WINBASEAPI DWORD WINAPI GetProcessId(HANDLE Process)
{
    PROCESS_BASIC_INFORMATION Information;

    if (!BasepQueryProcess(Process, &Information))
        return 0;
    return (DWORD)Information.UniqueProcessId;
}

WINBASEAPI BOOL WINAPI GetExitCodeProcess(HANDLE hProcess, LPDWORD lpExitCode)
{
    PROCESS_BASIC_INFORMATION Information;

    if (!BasepQueryProcess(hProcess, &Information))
        return FALSE;
    /* A live process's ExitStatus is STATUS_PENDING, which is STILL_ACTIVE. */
    *lpExitCode = (DWORD)Information.ExitStatus;
    return TRUE;
}

WINBASEAPI DECLSPEC_NORETURN VOID WINAPI ExitProcess(UINT uExitCode)
{
    NTSTATUS Status = NtTerminateProcess(NtCurrentProcess(), (NTSTATUS)uExitCode);

    /* Terminating the current process ends this thread too; if it did not, do not run on. */
    fprintf(stderr, "ntk-user: ExitProcess: NtTerminateProcess returned 0x%08X\n",
            (unsigned)Status);
    abort();
}
