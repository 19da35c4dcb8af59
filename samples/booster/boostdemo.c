/* boostdemo: shows the Booster driver's effect on a real thread.
 *
 * A worker thread waits on an event; each time main signals it, it reports its own NT
 * priority (NtQueryInformationThread, ThreadBasicInformation) and the nice value Linux gives
 * the pthread behind it. main prints "before", boosts the worker through \\.\Booster exactly
 * as boost does, and prints "after":
 *
 *     ntk run --driver booster.so -- boostdemo.so 25
 *
 * getpriority() is the one Linux call here: it shows what the priority change did to the
 * host thread. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE /* syscall(), clock_gettime() */
#endif
#include <windows.h>
#include <ntk/ntapi.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>
#include "BoosterCommon.h"

static HANDLE ReportRequest; /* auto-reset: main asks the worker to report */
static HANDLE ReportDone;    /* auto-reset: the worker has reported */
static volatile LONG Quit;

static void Report(void)
{
    THREAD_BASIC_INFORMATION tbi;
    NTSTATUS status = NtQueryInformationThread(GetCurrentThread(), ThreadBasicInformation, &tbi,
                                               sizeof(tbi), NULL);
    if (!NT_SUCCESS(status)) {
        printf("thread %u: NtQueryInformationThread failed (0x%08X)\n",
               (unsigned)GetCurrentThreadId(), (unsigned)status);
        return;
    }
    int nice = getpriority(PRIO_PROCESS, (id_t)syscall(SYS_gettid));
    printf("thread %u: NT priority %d, Linux nice %d\n", (unsigned)GetCurrentThreadId(),
           (int)tbi.Priority, nice);
    fflush(stdout);
}

static DWORD WINAPI Worker(LPVOID param)
{
    (void)param;
    for (;;) {
        if (WaitForSingleObject(ReportRequest, INFINITE) != WAIT_OBJECT_0)
            return 1;
        if (Quit)
            return 0;
        Report();
        SetEvent(ReportDone);
    }
}

static int Error(const char *message)
{
    printf("%s (error=%u)\n", message, (unsigned)GetLastError());
    return 1;
}

/* Ask the worker for a report and wait until it is printed. */
static BOOL AskReport(void)
{
    return SetEvent(ReportRequest) && WaitForSingleObject(ReportDone, INFINITE) == WAIT_OBJECT_0;
}

static int Boost(DWORD tid, int priority)
{
    HANDLE hDevice = CreateFile(L"\\\\.\\Booster", GENERIC_WRITE, 0, NULL, OPEN_EXISTING, 0, NULL);
    if (hDevice == INVALID_HANDLE_VALUE)
        return Error("Failed to open device");

    ThreadData data;
    data.ThreadId = tid;
    data.Priority = priority;
    DWORD returned;
    BOOL success = WriteFile(hDevice, &data, sizeof(data), &returned, NULL);
    int rc = success ? 0 : Error("Priority change failed!");
    if (success)
        printf("Priority change succeeded!\n");
    CloseHandle(hDevice);
    return rc;
}

int main(int argc, char *argv[])
{
    int priority = argc > 1 ? atoi(argv[1]) : 25;

    ReportRequest = CreateEventW(NULL, FALSE, FALSE, NULL);
    ReportDone = CreateEventW(NULL, FALSE, FALSE, NULL);
    if (ReportRequest == NULL || ReportDone == NULL)
        return Error("CreateEvent failed");

    DWORD tid;
    HANDLE hThread = CreateThread(NULL, 0, Worker, NULL, 0, &tid);
    if (hThread == NULL)
        return Error("CreateThread failed");

    printf("before:\n");
    if (!AskReport())
        return Error("worker did not report");

    printf("boosting thread %u to priority %d\n", (unsigned)tid, priority);
    int rc = Boost(tid, priority);

    printf("after:\n");
    if (!AskReport())
        return Error("worker did not report");

    Quit = 1;
    SetEvent(ReportRequest);
    WaitForSingleObject(hThread, INFINITE);
    CloseHandle(hThread);
    CloseHandle(ReportRequest);
    CloseHandle(ReportDone);
    return rc;
}
