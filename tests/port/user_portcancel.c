/* GetOverlappedResultEx's timeouts and alertable wait on a request that stays pending; then
 * requests on a port's file that end by cancellation still complete to the port: CancelIoEx,
 * the handle's close (IRP_MJ_CLEANUP cancels what the driver holds for the file) and the
 * issuing thread's exit each give a packet with STATUS_CANCELLED (ERROR_OPERATION_ABORTED).
 * Through the Async sample driver, whose requests pend in a cancel-safe queue.
 *     ntk run --driver async.so -- user_portcancel.so */
#include <windows.h>
#include <winioctl.h>
#include "../e2e/e2e_user.h"
#include "AsyncCommon.h"

#define WAIT_BOUND_MS 60000 /* bounds waits that only a bug would make endless */
#define LONG_DELAY_MS (10 * 60 * 1000) /* never reached: these requests are cancelled */

static HANDLE Port;

static HANDLE OpenAsync(ULONG_PTR Key)
{
    HANDLE File = CreateFileW(L"\\\\.\\Async", GENERIC_READ | GENERIC_WRITE, 0, NULL,
                              OPEN_EXISTING, FILE_FLAG_OVERLAPPED, NULL);
    CHECK(File != INVALID_HANDLE_VALUE);
    CHECK(CreateIoCompletionPort(File, Port, Key, 0) == Port);
    return File;
}

static BOOL Start(HANDLE File, OVERLAPPED *Ov, unsigned DelayMs, unsigned *Out)
{
    AsyncRequest Request = { DelayMs, 0x7A6 };
    DWORD Bytes;
    memset(Ov, 0, sizeof(*Ov));
    SetLastError(0);
    if (DeviceIoControl(File, IOCTL_ASYNC_DELAY, &Request, sizeof(Request), Out, sizeof(*Out),
                        &Bytes, Ov))
        return FALSE;
    return GetLastError() == ERROR_IO_PENDING;
}

/* The next packet: the request's, cancelled. */
static VOID CheckCancelledPacket(OVERLAPPED *Ov, ULONG_PTR Key)
{
    DWORD Bytes = 99;
    ULONG_PTR GotKey = 0;
    LPOVERLAPPED Got = NULL;
    SetLastError(0);
    CHECK(!GetQueuedCompletionStatus(Port, &Bytes, &GotKey, &Got, WAIT_BOUND_MS));
    CHECK(Got == Ov);
    CHECK_EQ(GetLastError(), ERROR_OPERATION_ABORTED);
    CHECK_EQ(GotKey, Key);
    CHECK_EQ(Bytes, 0);
}

static HANDLE ExitFile;
static OVERLAPPED ExitOv;
static unsigned ExitOut;

static DWORD WINAPI StartAndExit(LPVOID Parameter)
{
    UNREFERENCED_PARAMETER(Parameter);
    return Start(ExitFile, &ExitOv, LONG_DELAY_MS, &ExitOut) ? 0 : 1;
}

static volatile LONG ApcRuns;

static VOID WINAPI CountApc(ULONG_PTR Parameter)
{
    UNREFERENCED_PARAMETER(Parameter);
    __atomic_add_fetch(&ApcRuns, 1, __ATOMIC_SEQ_CST);
}

/* GetOverlappedResultEx on a request that stays pending: a zero timeout only looks
 * (ERROR_IO_INCOMPLETE), a timeout that elapses is WAIT_TIMEOUT, an APC run by an alertable
 * wait is WAIT_IO_COMPLETION; after CancelIoEx it returns the cancellation. */
static VOID TestOverlappedResultEx(VOID)
{
    HANDLE File = CreateFileW(L"\\\\.\\Async", GENERIC_READ | GENERIC_WRITE, 0, NULL,
                              OPEN_EXISTING, FILE_FLAG_OVERLAPPED, NULL);
    OVERLAPPED Ov;
    unsigned Out;
    DWORD Bytes;
    CHECK(File != INVALID_HANDLE_VALUE);
    CHECK(Start(File, &Ov, LONG_DELAY_MS, &Out));
    CHECK(!HasOverlappedIoCompleted(&Ov));
    SetLastError(0);
    CHECK(!GetOverlappedResultEx(File, &Ov, &Bytes, 0, FALSE));
    CHECK_EQ(GetLastError(), ERROR_IO_INCOMPLETE);
    SetLastError(0);
    CHECK(!GetOverlappedResultEx(File, &Ov, &Bytes, 20, FALSE));
    CHECK_EQ(GetLastError(), WAIT_TIMEOUT);
    CHECK(QueueUserAPC(CountApc, GetCurrentThread(), 0));
    SetLastError(0);
    CHECK(!GetOverlappedResultEx(File, &Ov, &Bytes, INFINITE, TRUE));
    CHECK_EQ(GetLastError(), WAIT_IO_COMPLETION);
    CHECK_EQ(ApcRuns, 1);
    CHECK(CancelIoEx(File, &Ov));
    SetLastError(0);
    CHECK(!GetOverlappedResultEx(File, &Ov, &Bytes, WAIT_BOUND_MS, FALSE));
    CHECK_EQ(GetLastError(), ERROR_OPERATION_ABORTED);
    CHECK_EQ(Bytes, 0);
    CHECK(HasOverlappedIoCompleted(&Ov));
    CloseHandle(File);
}

int main(void)
{
    OVERLAPPED Ov;
    unsigned Out = 0;
    DWORD Bytes, Code = 99;
    ULONG_PTR Key;
    LPOVERLAPPED Got;
    HANDLE File, Thread;

    TestOverlappedResultEx();
    Port = CreateIoCompletionPort(INVALID_HANDLE_VALUE, NULL, 0, 0);
    CHECK(Port != NULL);

    /* Completed normally: TRUE, the tag as output. */
    File = OpenAsync(0xA1);
    CHECK(Start(File, &Ov, 1, &Out));
    CHECK(GetQueuedCompletionStatus(Port, &Bytes, &Key, &Got, WAIT_BOUND_MS));
    CHECK(Got == &Ov);
    CHECK_EQ(Key, 0xA1);
    CHECK_EQ(Bytes, sizeof(unsigned));
    CHECK_EQ(Out, 0x7A6);

    /* CancelIoEx. */
    CHECK(Start(File, &Ov, LONG_DELAY_MS, &Out));
    CHECK(CancelIoEx(File, &Ov));
    CheckCancelledPacket(&Ov, 0xA1);

    /* The handle's close. */
    CHECK(Start(File, &Ov, LONG_DELAY_MS, &Out));
    CHECK(CloseHandle(File));
    CheckCancelledPacket(&Ov, 0xA1);

    /* The issuing thread's exit. */
    ExitFile = OpenAsync(0xA2);
    Thread = CreateThread(NULL, 0, StartAndExit, NULL, 0, NULL);
    CHECK(Thread != NULL);
    CHECK_EQ(WaitForSingleObject(Thread, WAIT_BOUND_MS), WAIT_OBJECT_0);
    CHECK(GetExitCodeThread(Thread, &Code));
    CHECK_EQ(Code, 0);
    CloseHandle(Thread);
    CheckCancelledPacket(&ExitOv, 0xA2);
    CHECK(CloseHandle(ExitFile));

    /* Nothing else was queued. */
    Got = (LPOVERLAPPED)&Key;
    CHECK(!GetQueuedCompletionStatus(Port, &Bytes, &Key, &Got, 0));
    CHECK(Got == NULL);
    CHECK_EQ(GetLastError(), WAIT_TIMEOUT);
    CloseHandle(Port);
    printf("portcancel: cancelled requests completed to the port\n");
    return NTK_TEST_SUMMARY();
}
