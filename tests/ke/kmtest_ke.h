/* Helpers shared by the tests/ke test drivers: system threads, delays and the summary every
 * DriverEntry ends with. Checks (CHECK, CHECK_EQ ...) are only ever made from the thread that
 * runs DriverEntry; DPCs, APCs and helper threads record what they saw in globals that
 * DriverEntry checks afterwards, since ntktest.h's counters are not atomic. */
#ifndef NTK_TESTS_KE_KMTEST_KE_H
#define NTK_TESTS_KE_KMTEST_KE_H

#include <ntddk.h>
#include "../ntktest.h"

/* Time in 100 ns units. */
#define KMT_US(n) ((LONGLONG)(n) * 10)
#define KMT_MS(n) ((LONGLONG)(n) * 10000)
#define KMT_SEC(n) ((LONGLONG)(n) * 10000000)
#define KMT_MIN(n) (KMT_SEC(n) * 60)

/* Starts a system thread; returns its referenced thread object (NULL on failure, which is
 * checked). ObDereferenceObject it after KmtJoinThread. */
static inline PKTHREAD KmtStartThread(PKSTART_ROUTINE Routine, PVOID Context)
{
    HANDLE handle = NULL;
    PVOID object = NULL;
    NTSTATUS status = PsCreateSystemThread(&handle, THREAD_ALL_ACCESS, NULL, NULL, NULL,
                                           Routine, Context);
    CHECK_STATUS(status, STATUS_SUCCESS);
    if (!NT_SUCCESS(status))
        return NULL;
    status = ObReferenceObjectByHandle(handle, SYNCHRONIZE, *PsThreadType, KernelMode, &object,
                                       NULL);
    CHECK_STATUS(status, STATUS_SUCCESS);
    ZwClose(handle);
    return NT_SUCCESS(status) ? (PKTHREAD)object : NULL;
}

/* Waits (forever: the ctest timeout catches a hang) for the thread to exit and drops it. */
static inline void KmtJoinThread(PKTHREAD Thread)
{
    if (Thread == NULL)
        return;
    CHECK_STATUS(KeWaitForSingleObject(Thread, Executive, KernelMode, FALSE, NULL),
                 STATUS_SUCCESS);
    ObDereferenceObject(Thread);
}

static inline NTSTATUS KmtDelay(LONGLONG Relative100ns)
{
    LARGE_INTEGER interval;
    interval.QuadPart = -Relative100ns;
    return KeDelayExecutionThread(KernelMode, FALSE, &interval);
}

static inline NTSTATUS KmtWait(PVOID Object)
{
    return KeWaitForSingleObject(Object, Executive, KernelMode, FALSE, NULL);
}

/* Polls an object: STATUS_SUCCESS if signaled (and consumed), STATUS_TIMEOUT otherwise. */
static inline NTSTATUS KmtPoll(PVOID Object)
{
    LARGE_INTEGER zero;
    zero.QuadPart = 0;
    return KeWaitForSingleObject(Object, Executive, KernelMode, FALSE, &zero);
}

/* Runs one test function, saying so first (so that a hang shows where it is). */
#define KMT_RUN(Name, Call)                                                                      \
    do {                                                                                         \
        DbgPrint("%s: %s\n", Name, #Call);                                                       \
        Call;                                                                                    \
    } while (0)

/* The end of every DriverEntry: "N passed, M failed", then NAME: all checks passed / FAILED. */
static inline NTSTATUS KmtFinish(PCSTR Name)
{
    int failed = NTK_TEST_SUMMARY();
    DbgPrint("%s: %s\n", Name, failed ? "FAILED" : "all checks passed");
    return failed ? STATUS_UNSUCCESSFUL : STATUS_SUCCESS;
}

#endif
