/* A thread exits while its request is in a driver that ignores cancellation: the exit waits
 * five minutes (virtual time), then the request is disassociated from the thread; when the
 * driver completes it later, nothing is written to the requester's status block.
 *     ntk run --virtual-time --driver stubborn.so -- user_stubborn.so */
#include <windows.h>
#include <winioctl.h>
#include <string.h>
#include "../e2e/e2e_user.h"

#define IOCTL_STUBBORN CTL_CODE(0x8024, 0x800, METHOD_BUFFERED, FILE_ANY_ACCESS)

static HANDLE Device;
static OVERLAPPED Overlapped;

static DWORD WINAPI StartAndExit(LPVOID Parameter)
{
    ULONG DelayMs = 10 * 60 * 1000;
    UNREFERENCED_PARAMETER(Parameter);
    SetLastError(0);
    CHECK(!DeviceIoControl(Device, IOCTL_STUBBORN, &DelayMs, sizeof(DelayMs), NULL, 0, NULL,
                           &Overlapped));
    CHECK_EQ(GetLastError(), ERROR_IO_PENDING);
    return 0;
}

int main(void)
{
    HANDLE Thread;
    Device = CreateFileW(L"\\\\.\\NtkStubborn", GENERIC_READ | GENERIC_WRITE, 0, NULL,
                         OPEN_EXISTING, FILE_FLAG_OVERLAPPED, NULL);
    CHECK(Device != INVALID_HANDLE_VALUE);
    Overlapped.hEvent = CreateEventW(NULL, TRUE, FALSE, NULL);
    Thread = CreateThread(NULL, 0, StartAndExit, NULL, 0, NULL);
    CHECK(Thread != NULL);
    CHECK_EQ(WaitForSingleObject(Thread, INFINITE), WAIT_OBJECT_0);
    CloseHandle(Thread);
    /* The exit waited its five minutes for the request (the kernel log says so); the driver
     * still has it. */
    CHECK_EQ(Overlapped.Internal, (ULONG_PTR)STATUS_PENDING);
    /* Completed at ten minutes: the event is set, the status block is left alone. */
    CHECK_EQ(WaitForSingleObject(Overlapped.hEvent, INFINITE), WAIT_OBJECT_0);
    CHECK_EQ(Overlapped.Internal, (ULONG_PTR)STATUS_PENDING);
    CloseHandle(Overlapped.hEvent);
    CloseHandle(Device);
    return NTK_TEST_SUMMARY();
}
