/* Threads: creation, exit, identity and priority over the Nt* thread services. */
#include "basep.h"

#include <stdio.h>
#include <stdlib.h>

/* The Win32 start routine returns a DWORD, the NT one an NTSTATUS: the new thread starts in
 * BasepThreadStartup with this record instead of calling through a cast function pointer. */
typedef struct _BASEP_THREAD_START {
    LPTHREAD_START_ROUTINE StartAddress;
    LPVOID Parameter;
} BASEP_THREAD_START, *PBASEP_THREAD_START;

static NTSTATUS BasepThreadStartup(PVOID Context)
{
    BASEP_THREAD_START Start = *(PBASEP_THREAD_START)Context;

    free(Context);
    /* The thread's exit code is what the routine returns, as ExitThread would set it. */
    return (NTSTATUS)Start.StartAddress(Start.Parameter);
}

static BOOL BasepQueryThread(HANDLE hThread, PTHREAD_BASIC_INFORMATION Information)
{
    NTSTATUS Status = NtQueryInformationThread(hThread, ThreadBasicInformation, Information,
                                               sizeof(*Information), NULL);
    if (!NT_SUCCESS(Status)) {
        BasepSetLastNtError(Status);
        return FALSE;
    }
    return TRUE;
}

WINBASEAPI HANDLE WINAPI CreateThread(LPSECURITY_ATTRIBUTES lpThreadAttributes, SIZE_T dwStackSize,
                                      LPTHREAD_START_ROUTINE lpStartAddress, LPVOID lpParameter,
                                      DWORD dwCreationFlags, LPDWORD lpThreadId)
{
    OBJECT_ATTRIBUTES ObjectAttributes;
    PBASEP_THREAD_START Start;
    THREAD_BASIC_INFORMATION Information;
    SIZE_T StackCommit = 0, StackReserve = 0;
    HANDLE Handle;
    NTSTATUS Status;

    if (lpStartAddress == NULL) {
        SetLastError(ERROR_INVALID_PARAMETER);
        return NULL;
    }
    /* dwStackSize is the commit size unless the caller says it is the reservation. */
    if (dwCreationFlags & STACK_SIZE_PARAM_IS_A_RESERVATION)
        StackReserve = dwStackSize;
    else
        StackCommit = dwStackSize;
    InitializeObjectAttributes(
        &ObjectAttributes, NULL,
        (lpThreadAttributes != NULL && lpThreadAttributes->bInheritHandle) ? OBJ_INHERIT : 0,
        NULL, lpThreadAttributes != NULL ? lpThreadAttributes->lpSecurityDescriptor : NULL);

    Start = malloc(sizeof(*Start));
    if (Start == NULL) {
        SetLastError(ERROR_NOT_ENOUGH_MEMORY);
        return NULL;
    }
    Start->StartAddress = lpStartAddress;
    Start->Parameter = lpParameter;
    Status = NtCreateThreadEx(&Handle, THREAD_ALL_ACCESS, &ObjectAttributes, NtCurrentProcess(),
                              BasepThreadStartup, Start,
                              (dwCreationFlags & CREATE_SUSPENDED)
                                  ? THREAD_CREATE_FLAGS_CREATE_SUSPENDED
                                  : 0,
                              0, StackCommit, StackReserve, NULL);
    if (!NT_SUCCESS(Status)) {
        free(Start);
        BasepSetLastNtError(Status);
        return NULL;
    }
    if (lpThreadId != NULL) {
        /* The thread exists and may already run: failing now would orphan it. */
        if (BasepQueryThread(Handle, &Information)) {
            *lpThreadId = HandleToULong(Information.ClientId.UniqueThread);
        } else {
            fprintf(stderr, "ntk-user: CreateThread: cannot read the new thread's id (error %u)\n",
                    (unsigned)GetLastError());
            *lpThreadId = 0;
        }
    }
    return Handle;
}

WINBASEAPI DECLSPEC_NORETURN VOID WINAPI ExitThread(DWORD dwExitCode)
{
    NTSTATUS Status = NtTerminateThread(NtCurrentThread(), (NTSTATUS)dwExitCode);

    /* Terminating the current thread does not return; if it did, do not run on. */
    fprintf(stderr, "ntk-user: ExitThread: NtTerminateThread returned 0x%08X\n",
            (unsigned)Status);
    abort();
}

WINBASEAPI BOOL WINAPI GetExitCodeThread(HANDLE hThread, LPDWORD lpExitCode)
{
    THREAD_BASIC_INFORMATION Information;

    if (!BasepQueryThread(hThread, &Information))
        return FALSE;
    /* A running thread's ExitStatus is STATUS_PENDING, which is STILL_ACTIVE. */
    *lpExitCode = (DWORD)Information.ExitStatus;
    return TRUE;
}

WINBASEAPI HANDLE WINAPI GetCurrentThread(VOID)
{
    return NtCurrentThread();
}

WINBASEAPI DWORD WINAPI GetCurrentThreadId(VOID)
{
    return HandleToULong(BasepTeb()->ClientId.UniqueThread);
}

WINBASEAPI DWORD WINAPI GetThreadId(HANDLE Thread)
{
    THREAD_BASIC_INFORMATION Information;

    if (!BasepQueryThread(Thread, &Information))
        return 0;
    return HandleToULong(Information.ClientId.UniqueThread);
}

/* The kernel saturates a base priority increment of +-16 (real-time 15 / idle -15 of the
 * priority class); kernel32 passes TIME_CRITICAL and IDLE that way. */
#define BASEP_SATURATION_INCREMENT 16

WINBASEAPI BOOL WINAPI SetThreadPriority(HANDLE hThread, int nPriority)
{
    LONG Increment = nPriority;
    NTSTATUS Status;

    if (nPriority == THREAD_PRIORITY_TIME_CRITICAL)
        Increment = BASEP_SATURATION_INCREMENT;
    else if (nPriority == THREAD_PRIORITY_IDLE)
        Increment = -BASEP_SATURATION_INCREMENT;
    Status = NtSetInformationThread(hThread, ThreadBasePriority, &Increment, sizeof(Increment));
    if (!NT_SUCCESS(Status)) {
        BasepSetLastNtError(Status);
        return FALSE;
    }
    return TRUE;
}

WINBASEAPI int WINAPI GetThreadPriority(HANDLE hThread)
{
    THREAD_BASIC_INFORMATION Information;

    if (!BasepQueryThread(hThread, &Information))
        return THREAD_PRIORITY_ERROR_RETURN;
    /* BasePriority is the increment over the process's class; +-16 means saturated. */
    if (Information.BasePriority == BASEP_SATURATION_INCREMENT)
        return THREAD_PRIORITY_TIME_CRITICAL;
    if (Information.BasePriority == -BASEP_SATURATION_INCREMENT)
        return THREAD_PRIORITY_IDLE;
    return Information.BasePriority;
}
