/* Sleeps and waits over NtDelayExecution / NtWaitFor*Object(s). */
#include "basep.h"

#include <stdio.h>

/* Win32 milliseconds -> NT relative 100 ns units (negative); INFINITE -> no timeout (NULL). */
PLARGE_INTEGER BasepFormatTimeOut(PLARGE_INTEGER TimeOut, DWORD Milliseconds)
{
    if (Milliseconds == INFINITE)
        return NULL;
    TimeOut->QuadPart = -(LONGLONG)Milliseconds * 10000;
    return TimeOut;
}

/* The success codes of a wait are the WAIT_* values themselves: STATUS_WAIT_0 + n is
 * WAIT_OBJECT_0 + n, STATUS_ABANDONED_WAIT_0 + n is WAIT_ABANDONED + n, STATUS_USER_APC is
 * WAIT_IO_COMPLETION and STATUS_TIMEOUT is WAIT_TIMEOUT. */
static DWORD BasepWaitResult(NTSTATUS Status)
{
    if (!NT_SUCCESS(Status)) {
        BasepSetLastNtError(Status);
        return WAIT_FAILED;
    }
    return (DWORD)Status;
}

WINBASEAPI DWORD WINAPI SleepEx(DWORD dwMilliseconds, BOOL bAlertable)
{
    LARGE_INTEGER Interval;
    NTSTATUS Status;

    /* NtDelayExecution needs an interval: "infinite" is the most negative relative time. */
    if (BasepFormatTimeOut(&Interval, dwMilliseconds) == NULL)
        Interval.QuadPart = (LONGLONG)(0x8000000000000000ULL);
    /* An alert (NtAlertThread) is not an APC: Windows goes back to sleep. */
    do {
        Status = NtDelayExecution((BOOLEAN)(bAlertable != FALSE), &Interval);
    } while (bAlertable && Status == STATUS_ALERTED);
    if (Status == STATUS_USER_APC)
        return WAIT_IO_COMPLETION;
    if (!NT_SUCCESS(Status)) {
        /* Sleep has no failure return; do not pretend the thread slept. */
        fprintf(stderr, "ntk-user: SleepEx: NtDelayExecution failed with 0x%08X\n",
                (unsigned)Status);
        BasepSetLastNtError(Status);
    }
    return 0;
}

WINBASEAPI VOID WINAPI Sleep(DWORD dwMilliseconds)
{
    SleepEx(dwMilliseconds, FALSE);
}

WINBASEAPI DWORD WINAPI WaitForSingleObjectEx(HANDLE hHandle, DWORD dwMilliseconds,
                                              BOOL bAlertable)
{
    LARGE_INTEGER Time;
    PLARGE_INTEGER TimeOut = BasepFormatTimeOut(&Time, dwMilliseconds);
    NTSTATUS Status;

    do {
        Status = NtWaitForSingleObject(hHandle, (BOOLEAN)(bAlertable != FALSE), TimeOut);
    } while (bAlertable && Status == STATUS_ALERTED);
    return BasepWaitResult(Status);
}

WINBASEAPI DWORD WINAPI WaitForSingleObject(HANDLE hHandle, DWORD dwMilliseconds)
{
    return WaitForSingleObjectEx(hHandle, dwMilliseconds, FALSE);
}

WINBASEAPI DWORD WINAPI WaitForMultipleObjectsEx(DWORD nCount, const HANDLE *lpHandles,
                                                 BOOL bWaitAll, DWORD dwMilliseconds,
                                                 BOOL bAlertable)
{
    HANDLE Handles[MAXIMUM_WAIT_OBJECTS];
    LARGE_INTEGER Time;
    PLARGE_INTEGER TimeOut = BasepFormatTimeOut(&Time, dwMilliseconds);
    NTSTATUS Status;

    if (nCount == 0 || nCount > MAXIMUM_WAIT_OBJECTS || lpHandles == NULL) {
        SetLastError(ERROR_INVALID_PARAMETER);
        return WAIT_FAILED;
    }
    /* The service takes a writable array (kernel32 also rewrites console handles here). */
    memcpy(Handles, lpHandles, nCount * sizeof(HANDLE));
    do {
        Status = NtWaitForMultipleObjects(nCount, Handles, bWaitAll ? WaitAll : WaitAny,
                                          (BOOLEAN)(bAlertable != FALSE), TimeOut);
    } while (bAlertable && Status == STATUS_ALERTED);
    return BasepWaitResult(Status);
}

WINBASEAPI DWORD WINAPI WaitForMultipleObjects(DWORD nCount, const HANDLE *lpHandles,
                                               BOOL bWaitAll, DWORD dwMilliseconds)
{
    return WaitForMultipleObjectsEx(nCount, lpHandles, bWaitAll, dwMilliseconds, FALSE);
}
