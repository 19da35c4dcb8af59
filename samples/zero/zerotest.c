/* The Zero test client of chapter 7: reads 64 bytes into a buffer full of non-zero data and
 * checks that they came back as zeros, writes 1024 bytes, then prints the driver's totals.
 * On a freshly loaded driver: "Total Read: 64, Total Write: 1024". */
#include <windows.h>
#include <winioctl.h>
#include <stdio.h>
#include "ZeroCommon.h"

static int Error(const char *message)
{
    printf("%s (error=%u)\n", message, (unsigned)GetLastError());
    return 1;
}

int main(void)
{
    HANDLE hDevice = CreateFile(L"\\\\.\\Zero", GENERIC_READ | GENERIC_WRITE, 0, NULL,
                                OPEN_EXISTING, 0, NULL);
    if (hDevice == INVALID_HANDLE_VALUE)
        return Error("Failed to open device");

    /* Read: fill the buffer with non-zero values first, so that the zeros must come from the
     * driver. */
    BYTE buffer[64];
    for (int i = 0; i < (int)sizeof(buffer); ++i)
        buffer[i] = (BYTE)(i + 1);
    DWORD bytes;
    BOOL ok = ReadFile(hDevice, buffer, sizeof(buffer), &bytes, NULL);
    if (!ok)
        return Error("failed to read");
    if (bytes != sizeof(buffer))
        printf("Wrong number of bytes\n");
    long total = 0;
    for (int i = 0; i < (int)sizeof(buffer); ++i)
        total += buffer[i];
    if (total != 0)
        printf("Wrong data\n");

    /* Write: whatever the buffer holds is discarded. */
    BYTE buffer2[1024];
    for (int i = 0; i < (int)sizeof(buffer2); ++i)
        buffer2[i] = (BYTE)i;
    ok = WriteFile(hDevice, buffer2, sizeof(buffer2), &bytes, NULL);
    if (!ok)
        return Error("failed to write");
    if (bytes != sizeof(buffer2))
        printf("Wrong byte count\n");

    ZeroStats stats;
    if (!DeviceIoControl(hDevice, IOCTL_ZERO_GET_STATS, NULL, 0, &stats, sizeof(stats), &bytes,
                         NULL))
        return Error("failed in DeviceIoControl");
    printf("Total Read: %lld, Total Write: %lld\n", stats.TotalRead, stats.TotalWritten);

    CloseHandle(hDevice);
    return 0;
}
