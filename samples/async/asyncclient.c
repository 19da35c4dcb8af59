/* The Async driver's client: overlapped requests that complete later, one cancelled with
 * CancelIoEx, one cancelled from another thread, CancelIo, a thread that exits with a request
 * pending, and a handle closed with requests pending. With "exit" as its argument it ends its
 * process with requests still pending instead, one of them from a thread blocked in a wait. */
#include <windows.h>
#include <winioctl.h>
#include <stdio.h>
#include <string.h>
#include "AsyncCommon.h"

static int Failures;

#define EXPECT(cond, ...)                                                                         \
    do {                                                                                          \
        if (!(cond)) {                                                                            \
            Failures++;                                                                           \
            printf("Wrong: " __VA_ARGS__);                                                        \
            printf(" (line %d, error=%lu)\n", __LINE__, (unsigned long)GetLastError());           \
        }                                                                                         \
    } while (0)

typedef struct {
    OVERLAPPED Overlapped;
    AsyncRequest Request;
    unsigned Result;
} PENDING_REQUEST;

static HANDLE OpenAsync(void)
{
    return CreateFileW(L"\\\\.\\Async", GENERIC_READ | GENERIC_WRITE, 0, NULL, OPEN_EXISTING,
                       FILE_FLAG_OVERLAPPED, NULL);
}

/* Starts one request; it must pend. */
static void Start(HANDLE Device, PENDING_REQUEST *Pending, unsigned DelayMs, unsigned Tag)
{
    BOOL Ok;
    memset(Pending, 0, sizeof(*Pending));
    Pending->Overlapped.hEvent = CreateEventW(NULL, TRUE, FALSE, NULL);
    Pending->Request.DelayMs = DelayMs;
    Pending->Request.Tag = Tag;
    Ok = DeviceIoControl(Device, IOCTL_ASYNC_DELAY, &Pending->Request, sizeof(Pending->Request),
                         &Pending->Result, sizeof(Pending->Result), NULL, &Pending->Overlapped);
    EXPECT(!Ok && GetLastError() == ERROR_IO_PENDING, "request %u did not pend", Tag);
}

/* Waits for a request; TRUE if it succeeded (and then returned its tag). */
static BOOL Finish(HANDLE Device, PENDING_REQUEST *Pending, const char *Name)
{
    DWORD Bytes = 0;
    BOOL Ok = GetOverlappedResult(Device, &Pending->Overlapped, &Bytes, TRUE);
    DWORD Error = Ok ? 0 : GetLastError();
    CloseHandle(Pending->Overlapped.hEvent);
    if (Ok) {
        EXPECT(Bytes == sizeof(unsigned) && Pending->Result == Pending->Request.Tag,
               "%s: %lu bytes, tag %u", Name, (unsigned long)Bytes, Pending->Result);
        printf("%s: completed, tag %u\n", Name, Pending->Result);
    } else {
        printf("%s: error %lu\n", Name, (unsigned long)Error);
    }
    SetLastError(Error);
    return Ok;
}

static void ExpectAborted(HANDLE Device, PENDING_REQUEST *Pending, const char *Name)
{
    BOOL Ok = Finish(Device, Pending, Name);
    EXPECT(!Ok && GetLastError() == ERROR_OPERATION_ABORTED, "%s was not aborted", Name);
}

/* Several requests, one of them cancelled by its OVERLAPPED. */
static void TestCancelOne(HANDLE Device)
{
    PENDING_REQUEST Pending[4];
    Start(Device, &Pending[0], 50, 100);
    Start(Device, &Pending[1], 100, 101);
    Start(Device, &Pending[2], 60000, 102);
    Start(Device, &Pending[3], 150, 103);
    EXPECT(CancelIoEx(Device, &Pending[2].Overlapped), "CancelIoEx of a pending request");
    EXPECT(Finish(Device, &Pending[0], "request 100"), "request 100 failed");
    EXPECT(Finish(Device, &Pending[1], "request 101"), "request 101 failed");
    ExpectAborted(Device, &Pending[2], "request 102");
    EXPECT(Finish(Device, &Pending[3], "request 103"), "request 103 failed");
    /* Nothing left to cancel. */
    SetLastError(0);
    EXPECT(!CancelIoEx(Device, &Pending[2].Overlapped) && GetLastError() == ERROR_NOT_FOUND,
           "CancelIoEx of a finished request");
    SetLastError(0);
    EXPECT(!CancelIoEx(Device, NULL) && GetLastError() == ERROR_NOT_FOUND,
           "CancelIoEx with nothing pending");
}

/* CancelIo: the calling thread's requests for the handle. */
static void TestCancelIo(HANDLE Device)
{
    PENDING_REQUEST Pending[2];
    Start(Device, &Pending[0], 60000, 200);
    Start(Device, &Pending[1], 60000, 201);
    EXPECT(CancelIo(Device), "CancelIo");
    ExpectAborted(Device, &Pending[0], "request 200");
    ExpectAborted(Device, &Pending[1], "request 201");
    EXPECT(CancelIo(Device), "CancelIo with nothing pending");
}

typedef struct {
    HANDLE Device;
    PENDING_REQUEST *Pending;
    HANDLE Started;
} THREAD_ARGS;

static DWORD WINAPI CancelAll(LPVOID Parameter)
{
    THREAD_ARGS *Args = Parameter;
    return CancelIoEx(Args->Device, NULL) ? 0 : GetLastError();
}

/* Starts a request and then waits for ever: only its process's end stops it. */
static DWORD WINAPI StartAndWaitForever(LPVOID Parameter)
{
    THREAD_ARGS *Args = Parameter;
    HANDLE Never = CreateEventW(NULL, TRUE, FALSE, NULL);
    Start(Args->Device, Args->Pending, 60000, 603);
    SetEvent(Args->Started);
    WaitForSingleObject(Never, INFINITE);
    return 0;
}

static DWORD WINAPI StartAndExit(LPVOID Parameter)
{
    THREAD_ARGS *Args = Parameter;
    Start(Args->Device, Args->Pending, 60000, 400);
    return 0; /* with the request pending */
}

/* CancelIoEx reaches requests of other threads of the process. */
static void TestCancelFromAnotherThread(HANDLE Device)
{
    PENDING_REQUEST Pending;
    THREAD_ARGS Args = { Device, &Pending, NULL };
    HANDLE Thread;
    DWORD Code = 1;
    Start(Device, &Pending, 60000, 300);
    Thread = CreateThread(NULL, 0, CancelAll, &Args, 0, NULL);
    EXPECT(Thread != NULL, "CreateThread");
    WaitForSingleObject(Thread, INFINITE);
    GetExitCodeThread(Thread, &Code);
    CloseHandle(Thread);
    EXPECT(Code == 0, "CancelIoEx from another thread: error %lu", (unsigned long)Code);
    ExpectAborted(Device, &Pending, "request 300");
}

/* A thread that exits cancels its requests, and is not gone before they have completed. */
static void TestThreadExit(HANDLE Device)
{
    PENDING_REQUEST Pending;
    THREAD_ARGS Args = { Device, &Pending, NULL };
    HANDLE Thread = CreateThread(NULL, 0, StartAndExit, &Args, 0, NULL);
    DWORD Bytes;
    EXPECT(Thread != NULL, "CreateThread");
    WaitForSingleObject(Thread, INFINITE);
    CloseHandle(Thread);
    EXPECT(!GetOverlappedResult(Device, &Pending.Overlapped, &Bytes, FALSE) &&
               GetLastError() != ERROR_IO_INCOMPLETE,
           "the exited thread's request is still pending");
    ExpectAborted(Device, &Pending, "request 400");
}

/* Closing the last handle sends CLEANUP, which cancels the file's queued requests. */
static void TestClose(void)
{
    HANDLE Device = OpenAsync();
    PENDING_REQUEST Pending[2];
    EXPECT(Device != INVALID_HANDLE_VALUE, "second open");
    Start(Device, &Pending[0], 60000, 500);
    Start(Device, &Pending[1], 60000, 501);
    CloseHandle(Device);
    ExpectAborted(NULL, &Pending[0], "request 500");
    ExpectAborted(NULL, &Pending[1], "request 501");
}

int main(int argc, char **argv)
{
    HANDLE Device = OpenAsync();
    if (Device == INVALID_HANDLE_VALUE) {
        printf("Wrong: cannot open \\\\.\\Async (error=%lu)\n", (unsigned long)GetLastError());
        return 1;
    }
    if (argc > 1 && strcmp(argv[1], "exit") == 0) {
        /* The process ends with these pending, one of them from a thread blocked in a wait:
         * its threads' exit cancels them. */
        static PENDING_REQUEST Pending[4];
        THREAD_ARGS Args = { Device, &Pending[3], CreateEventW(NULL, TRUE, FALSE, NULL) };
        HANDLE Thread = CreateThread(NULL, 0, StartAndWaitForever, &Args, 0, NULL);
        EXPECT(Thread != NULL, "CreateThread");
        WaitForSingleObject(Args.Started, INFINITE);
        Start(Device, &Pending[0], 60000, 600);
        Start(Device, &Pending[1], 60000, 601);
        Start(Device, &Pending[2], 60000, 602);
        printf("exiting with 4 requests pending\n");
        return Failures;
    }
    TestCancelOne(Device);
    TestCancelIo(Device);
    TestCancelFromAnotherThread(Device);
    TestThreadExit(Device);
    TestClose();
    CloseHandle(Device);
    printf("%s\n", Failures ? "async client: FAILED" : "async client: all requests accounted for");
    return Failures;
}
