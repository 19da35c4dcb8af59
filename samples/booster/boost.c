/* The Boost client of chapter 4: boost <tid> <priority> sets any thread's priority through
 * the Booster driver. */
#include <windows.h>
#include <stdio.h>
#include <stdlib.h>
#include "BoosterCommon.h"

static int Error(const char *message)
{
    printf("%s (error=%u)\n", message, (unsigned)GetLastError());
    return 1;
}

int main(int argc, char *argv[])
{
    if (argc < 3) {
        printf("Usage: boost <tid> <priority>\n");
        return 0;
    }

    int tid = atoi(argv[1]);
    int priority = atoi(argv[2]);

    HANDLE hDevice = CreateFile(L"\\\\.\\Booster", GENERIC_WRITE, 0, NULL, OPEN_EXISTING, 0, NULL);
    if (hDevice == INVALID_HANDLE_VALUE)
        return Error("Failed to open device");

    ThreadData data;
    data.ThreadId = (ULONG)tid;
    data.Priority = priority;

    DWORD returned;
    BOOL success = WriteFile(hDevice, &data, sizeof(data), &returned, NULL);
    if (!success) {
        int rc = Error("Priority change failed!");
        CloseHandle(hDevice);
        return rc;
    }

    printf("Priority change succeeded!\n");
    CloseHandle(hDevice);
    return 0;
}
