/* The Boost client of the 1st edition: boost <tid> <priority> sets any thread's priority
 * through the PriorityBooster driver's IOCTL. */
#include <windows.h>
#include <stdio.h>
#include <stdlib.h>
#include "PriorityBoosterCommon.h"

static int Error(const char *message)
{
    printf("%s (error=%u)\n", message, (unsigned)GetLastError());
    return 1;
}

int main(int argc, char *argv[])
{
    if (argc < 3) {
        printf("Usage: boost <threadid> <priority>\n");
        return 0;
    }

    HANDLE hDevice = CreateFile(L"\\\\.\\PriorityBooster", GENERIC_WRITE, FILE_SHARE_WRITE, NULL,
                                OPEN_EXISTING, 0, NULL);
    if (hDevice == INVALID_HANDLE_VALUE)
        return Error("Failed to open device");

    ThreadData data;
    data.ThreadId = (ULONG)atoi(argv[1]);
    data.Priority = atoi(argv[2]);

    DWORD returned;
    BOOL success = DeviceIoControl(hDevice, IOCTL_PRIORITY_BOOSTER_SET_PRIORITY, &data,
                                   sizeof(data), NULL, 0, &returned, NULL);
    if (success)
        printf("Priority change succeeded!\n");
    else
        Error("Priority change failed!");

    CloseHandle(hDevice);
    return success ? 0 : 1;
}
