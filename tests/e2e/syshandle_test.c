/* Handles are per process: handle values the syshandle driver created in the System process,
 * and a kernel handle, mean nothing in this user process.
 *     ntk run --driver syshandle.so -- syshandle_test.so */
#include <windows.h>
#include "e2e_user.h"
#include "syshandle_ioctl.h"

static void CheckInvalidHere(HANDLE value, const char *what)
{
    printf("%s handle value %p\n", what, value);
    CHECK(value != NULL);
    SetLastError(0xDEADBEEF);
    CHECK_EQ(WaitForSingleObject(value, 0), WAIT_FAILED);
    CHECK_EQ(GetLastError(), ERROR_INVALID_HANDLE);
    CHECK_FAILS_WITH(SetEvent(value), ERROR_INVALID_HANDLE);
    HANDLE dup = NULL;
    CHECK_FAILS_WITH(DuplicateHandle(GetCurrentProcess(), value, GetCurrentProcess(), &dup, 0,
                                     FALSE, DUPLICATE_SAME_ACCESS),
                     ERROR_INVALID_HANDLE);
    CHECK_FAILS_WITH(CloseHandle(value), ERROR_INVALID_HANDLE);
}

int main(void)
{
    HANDLE h = CreateFileW(SYSHANDLE_WIN32_NAME, GENERIC_READ | GENERIC_WRITE, 0, NULL,
                           OPEN_EXISTING, 0, NULL);
    CHECK(h != INVALID_HANDLE_VALUE);
    if (h == INVALID_HANDLE_VALUE)
        return NTK_TEST_SUMMARY();

    SYSHANDLE_INFO info;
    DWORD n = 0;
    memset(&info, 0, sizeof(info));
    CHECK_SUCCEEDS(DeviceIoControl(h, IOCTL_SYSHANDLE_GET, NULL, 0, &info, sizeof(info), &n, NULL));
    CHECK_EQ(n, sizeof(info));

    /* The dispatch routine ran in this process, on behalf of user mode. */
    CHECK_EQ(info.ProcessId, GetCurrentProcessId());
    CHECK(info.ProcessId != 4);
    CHECK_EQ(info.PreviousMode, 1 /* UserMode */);
    /* There, the System process's handle is unknown while the kernel handle works. */
    CHECK_STATUS(info.SystemHandleStatus, STATUS_INVALID_HANDLE);
    CHECK_STATUS(info.KernelHandleStatus, STATUS_SUCCESS);

    /* Our own handles do not collide with the value, or the test would prove nothing. */
    HANDLE mine = CreateEventW(NULL, TRUE, FALSE, NULL);
    CHECK(mine != NULL);
    CHECK(mine != (HANDLE)(ULONG_PTR)info.SystemHandle);
    CHECK(h != (HANDLE)(ULONG_PTR)info.SystemHandle);

    CheckInvalidHere((HANDLE)(ULONG_PTR)info.SystemHandle, "System process");
    CheckInvalidHere((HANDLE)(ULONG_PTR)info.KernelHandle, "kernel");

    /* Our own handle still works after all that. */
    CHECK_SUCCEEDS(SetEvent(mine));
    CHECK_EQ(WaitForSingleObject(mine, 0), WAIT_OBJECT_0);
    CHECK_SUCCEEDS(CloseHandle(mine));
    CHECK_SUCCEEDS(CloseHandle(h));
    return NTK_TEST_SUMMARY();
}
