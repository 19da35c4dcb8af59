/* seh_boundary_user: a user program's __try around DeviceIoControl does not catch the
 * exception the driver raises in kernel mode (seh_bugcheck mode 3): that one is a bug check. */
#include <windows.h>
#include <winioctl.h>
#include <stdio.h>
#include "seh_bug_ioctl.h"

int main(void)
{
    DWORD Bytes = 0;
    HANDLE Device = CreateFileW(SEH_BUG_WIN32_NAME, GENERIC_READ | GENERIC_WRITE, 0, NULL,
                                OPEN_EXISTING, 0, NULL);
    if (Device == INVALID_HANDLE_VALUE) {
        printf("seh_boundary_user: cannot open the device (error %lu)\n",
               (unsigned long)GetLastError());
        return 1;
    }
    __try {
        DeviceIoControl(Device, IOCTL_SEH_BUG_RAISE, NULL, 0, NULL, 0, &Bytes, NULL);
    } __except (EXCEPTION_EXECUTE_HANDLER) {
        printf("seh_boundary_user: the user handler caught 0x%08lX\n",
               (unsigned long)GetExceptionCode());
    }
    printf("seh_boundary_user: DeviceIoControl returned\n");
    CloseHandle(Device);
    return 0;
}
