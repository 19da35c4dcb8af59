/* CancelIo, CancelIoEx, NtCancelIoFile and NtCancelIoFileEx: bad input gets Windows' errors;
 * a synchronous request is cancelled from another thread, and by its thread's termination.
 * Runs against the Async sample driver:
 *     ntk run --virtual-time --driver async.so -- user_cancel.so */
#include <windows.h>
#include <winioctl.h>
#include <ntk/ntapi.h>
#include <string.h>
#include "../e2e/e2e_user.h"
#include "AsyncCommon.h"

#ifndef ERROR_NOT_FOUND
#define ERROR_NOT_FOUND 1168L
#endif
#ifndef ERROR_OPERATION_ABORTED
#define ERROR_OPERATION_ABORTED 995L
#endif

static HANDLE Open(DWORD Flags)
{
    return CreateFileW(L"\\\\.\\Async", GENERIC_READ | GENERIC_WRITE, 0, NULL, OPEN_EXISTING,
                       Flags, NULL);
}

static unsigned Queued(HANDLE Query)
{
    unsigned Count = 0xFFFFFFFF;
    DWORD Bytes = 0;
    CHECK(DeviceIoControl(Query, IOCTL_ASYNC_GET_QUEUED, NULL, 0, &Count, sizeof(Count), &Bytes,
                          NULL));
    return Count;
}

/* Waits (bounded, so that a bug fails instead of hanging) until the driver holds Count. */
static void WaitQueued(HANDLE Query, unsigned Count)
{
    int i;
    for (i = 0; i < 100000 && Queued(Query) != Count; i++)
        Sleep(1);
    CHECK_EQ(Queued(Query), Count);
}

static void TestBadHandles(void)
{
    HANDLE Event = CreateEventW(NULL, TRUE, FALSE, NULL);
    OVERLAPPED Overlapped;
    memset(&Overlapped, 0, sizeof(Overlapped));
    CHECK_FAILS_WITH(CancelIo((HANDLE)(ULONG_PTR)0x1234), ERROR_INVALID_HANDLE);
    CHECK_FAILS_WITH(CancelIoEx((HANDLE)(ULONG_PTR)0x1234, NULL), ERROR_INVALID_HANDLE);
    CHECK_FAILS_WITH(CancelIoEx((HANDLE)(ULONG_PTR)0x1234, &Overlapped), ERROR_INVALID_HANDLE);
    CHECK_FAILS_WITH(CancelIo(NULL), ERROR_INVALID_HANDLE);
    /* Not a file. */
    CHECK_FAILS_WITH(CancelIo(Event), ERROR_INVALID_HANDLE);
    CHECK_FAILS_WITH(CancelIoEx(Event, NULL), ERROR_INVALID_HANDLE);
    CloseHandle(Event);
}

static void TestStatusBlocks(HANDLE Device)
{
    IO_STATUS_BLOCK IoStatus, Other;
    char Raw[sizeof(IO_STATUS_BLOCK) + 8];
    memset(&IoStatus, 0xCC, sizeof(IoStatus));
    CHECK_STATUS(NtCancelIoFile(Device, &IoStatus), STATUS_SUCCESS);
    CHECK_STATUS(IoStatus.Status, STATUS_SUCCESS);
    CHECK_EQ(IoStatus.Information, 0);
    CHECK_STATUS(NtCancelIoFile(Device, NULL), STATUS_ACCESS_VIOLATION);
    CHECK_STATUS(NtCancelIoFile(Device, (PIO_STATUS_BLOCK)(ULONG_PTR)0x10),
                 STATUS_ACCESS_VIOLATION);
    CHECK_STATUS(NtCancelIoFile(Device, (PIO_STATUS_BLOCK)(ULONG_PTR)0x700000001000ULL),
                 STATUS_ACCESS_VIOLATION);
    CHECK_STATUS(NtCancelIoFile(Device, (PIO_STATUS_BLOCK)(Raw + 1)),
                 STATUS_DATATYPE_MISALIGNMENT);
    CHECK_STATUS(NtCancelIoFileEx(Device, NULL, NULL), STATUS_ACCESS_VIOLATION);
    CHECK_STATUS(NtCancelIoFile((HANDLE)(ULONG_PTR)0x1234, &IoStatus), STATUS_INVALID_HANDLE);
    /* Nothing pending: CancelIo succeeds, CancelIoEx does not find anything. */
    CHECK_STATUS(NtCancelIoFileEx(Device, NULL, &IoStatus), STATUS_NOT_FOUND);
    CHECK_STATUS(NtCancelIoFileEx(Device, &Other, &IoStatus), STATUS_NOT_FOUND);
    CHECK_SUCCEEDS(CancelIo(Device));
    CHECK_FAILS_WITH(CancelIoEx(Device, NULL), ERROR_NOT_FOUND);
}

typedef struct {
    HANDLE Device;
    BOOL Ok;
    DWORD Error;
} SYNC_CALL;

static DWORD WINAPI SynchronousRequest(LPVOID Parameter)
{
    SYNC_CALL *Call = Parameter;
    AsyncRequest Request = { 60000, 7 };
    unsigned Result = 0;
    DWORD Bytes = 0;
    Call->Ok = DeviceIoControl(Call->Device, IOCTL_ASYNC_DELAY, &Request, sizeof(Request),
                               &Result, sizeof(Result), &Bytes, NULL);
    Call->Error = GetLastError();
    return 0;
}

/* A synchronous request pends in the driver; CancelIoEx from this thread ends it. */
static void TestSynchronousCancel(HANDLE Query)
{
    SYNC_CALL Call = { Open(0), TRUE, 0 };
    HANDLE Thread;
    CHECK(Call.Device != INVALID_HANDLE_VALUE);
    Thread = CreateThread(NULL, 0, SynchronousRequest, &Call, 0, NULL);
    CHECK(Thread != NULL);
    WaitQueued(Query, 1);
    CHECK_SUCCEEDS(CancelIoEx(Call.Device, NULL));
    CHECK_EQ(WaitForSingleObject(Thread, INFINITE), WAIT_OBJECT_0);
    CloseHandle(Thread);
    CHECK(!Call.Ok);
    CHECK_EQ(Call.Error, ERROR_OPERATION_ABORTED);
    CHECK_EQ(Queued(Query), 0);
    CloseHandle(Call.Device);
}

typedef struct {
    HANDLE Device;
    HANDLE Release;
    OVERLAPPED Overlapped;
    AsyncRequest Request;
    unsigned Result;
} OTHER_THREAD;

static DWORD WINAPI StartAndWait(LPVOID Parameter)
{
    OTHER_THREAD *Other = Parameter;
    BOOL Ok = DeviceIoControl(Other->Device, IOCTL_ASYNC_DELAY, &Other->Request,
                              sizeof(Other->Request), &Other->Result, sizeof(Other->Result), NULL,
                              &Other->Overlapped);
    if (Ok || GetLastError() != ERROR_IO_PENDING)
        return 1;
    WaitForSingleObject(Other->Release, INFINITE);
    return 0;
}

/* CancelIo leaves other threads' requests alone; CancelIoEx reaches them. */
static void TestCancelIoIsPerThread(HANDLE Device, HANDLE Query)
{
    OTHER_THREAD Other;
    DWORD Bytes = 0, Code = 1;
    HANDLE Thread;
    memset(&Other, 0, sizeof(Other));
    Other.Device = Device;
    Other.Release = CreateEventW(NULL, TRUE, FALSE, NULL);
    Other.Overlapped.hEvent = CreateEventW(NULL, TRUE, FALSE, NULL);
    Other.Request.DelayMs = 60000;
    Other.Request.Tag = 9;
    Thread = CreateThread(NULL, 0, StartAndWait, &Other, 0, NULL);
    CHECK(Thread != NULL);
    WaitQueued(Query, 1);
    CHECK_SUCCEEDS(CancelIo(Device));
    CHECK_EQ(Queued(Query), 1);
    CHECK_EQ(Other.Overlapped.Internal, (ULONG_PTR)STATUS_PENDING);
    CHECK_SUCCEEDS(CancelIoEx(Device, &Other.Overlapped));
    CHECK_FAILS_WITH(GetOverlappedResult(Device, &Other.Overlapped, &Bytes, TRUE),
                     ERROR_OPERATION_ABORTED);
    CHECK_STATUS(Other.Overlapped.Internal, STATUS_CANCELLED);
    CHECK_EQ(Queued(Query), 0);
    SetEvent(Other.Release);
    CHECK_EQ(WaitForSingleObject(Thread, INFINITE), WAIT_OBJECT_0);
    CHECK(GetExitCodeThread(Thread, &Code));
    CHECK_EQ(Code, 0);
    CloseHandle(Thread);
    CloseHandle(Other.Release);
    CloseHandle(Other.Overlapped.hEvent);
}

/* The thread is terminated in the middle of a synchronous request: it is cancelled and waited
 * for before the thread ends. */
static void TestTerminateDuringRequest(HANDLE Query)
{
    SYNC_CALL Call = { Open(0), TRUE, 0 };
    DWORD Code = 0;
    HANDLE Thread;
    CHECK(Call.Device != INVALID_HANDLE_VALUE);
    Thread = CreateThread(NULL, 0, SynchronousRequest, &Call, 0, NULL);
    CHECK(Thread != NULL);
    WaitQueued(Query, 1);
    CHECK_STATUS(NtTerminateThread(Thread, (NTSTATUS)0x77), STATUS_SUCCESS);
    CHECK_EQ(WaitForSingleObject(Thread, INFINITE), WAIT_OBJECT_0);
    CHECK(GetExitCodeThread(Thread, &Code));
    CHECK_EQ(Code, 0x77);
    CloseHandle(Thread);
    CHECK_EQ(Queued(Query), 0);
    /* The handle still works. */
    CHECK_SUCCEEDS(CancelIo(Call.Device));
    CloseHandle(Call.Device);
}

int main(void)
{
    HANDLE Device = Open(FILE_FLAG_OVERLAPPED), Query = Open(0);
    CHECK(Device != INVALID_HANDLE_VALUE);
    CHECK(Query != INVALID_HANDLE_VALUE);
    TestBadHandles();
    TestStatusBlocks(Device);
    TestCancelIoIsPerThread(Device, Query);
    TestSynchronousCancel(Query);
    TestTerminateDuringRequest(Query);
    CloseHandle(Device);
    CloseHandle(Query);
    return NTK_TEST_SUMMARY();
}
