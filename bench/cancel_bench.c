/* What a cancelled request costs: an overlapped IOCTL_ASYNC_DELAY pended in the Async sample's
 * cancel-safe queue, CancelIoEx of it, and GetOverlappedResult's ERROR_OPERATION_ABORTED; beside
 * a request completed at once (IOCTL_ASYNC_GET_QUEUED, synchronous) and a Linux system call in
 * the same run. The best of several rounds counts. */
#include <windows.h>
#include <winioctl.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>
#include "../samples/async/AsyncCommon.h"

static double NowNs(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec * 1e9 + (double)t.tv_nsec;
}

int main(int argc, char **argv)
{
    long iterations = argc > 1 ? atol(argv[1]) : 100000;
    double best_cancel = 1e300, best_sync = 1e300, best_sys = 1e300;
    AsyncRequest request = { 60000, 1 };
    OVERLAPPED overlapped;
    unsigned result;
    DWORD bytes;
    int round, fd;
    HANDLE async = CreateFileW(L"\\\\.\\Async", GENERIC_READ | GENERIC_WRITE, 0, NULL,
                               OPEN_EXISTING, FILE_FLAG_OVERLAPPED, NULL);
    HANDLE sync = CreateFileW(L"\\\\.\\Async", GENERIC_READ | GENERIC_WRITE, 0, NULL,
                              OPEN_EXISTING, 0, NULL);
    if (async == INVALID_HANDLE_VALUE || sync == INVALID_HANDLE_VALUE) {
        printf("cannot open \\\\.\\Async: error %u\n", (unsigned)GetLastError());
        return 1;
    }
    memset(&overlapped, 0, sizeof(overlapped));
    overlapped.hEvent = CreateEventW(NULL, TRUE, FALSE, NULL);
    fd = open("/dev/null", O_RDONLY);
    for (round = 0; round < 5; round++) {
        double t0, t1;
        long i;
        t0 = NowNs();
        for (i = 0; i < iterations; i++) {
            if (DeviceIoControl(async, IOCTL_ASYNC_DELAY, &request, sizeof(request), &result,
                                sizeof(result), NULL, &overlapped) ||
                GetLastError() != ERROR_IO_PENDING || !CancelIoEx(async, &overlapped) ||
                GetOverlappedResult(async, &overlapped, &bytes, TRUE) ||
                GetLastError() != ERROR_OPERATION_ABORTED) {
                printf("cancel round trip failed: error %u\n", (unsigned)GetLastError());
                return 1;
            }
        }
        t1 = NowNs();
        if ((t1 - t0) / iterations < best_cancel)
            best_cancel = (t1 - t0) / iterations;
        t0 = NowNs();
        for (i = 0; i < iterations; i++) {
            if (!DeviceIoControl(sync, IOCTL_ASYNC_GET_QUEUED, NULL, 0, &result, sizeof(result),
                                 &bytes, NULL)) {
                printf("DeviceIoControl failed: error %u\n", (unsigned)GetLastError());
                return 1;
            }
        }
        t1 = NowNs();
        if ((t1 - t0) / iterations < best_sync)
            best_sync = (t1 - t0) / iterations;
        t0 = NowNs();
        for (i = 0; i < iterations; i++) {
            int avail;
            (void)ioctl(fd, FIONREAD, &avail);
        }
        t1 = NowNs();
        if ((t1 - t0) / iterations < best_sys)
            best_sys = (t1 - t0) / iterations;
    }
    printf("pend in a CSQ + CancelIoEx + GetOverlappedResult: %.1f ns per request\n", best_cancel);
    printf("DeviceIoControl completed at once:               %.1f ns per call\n", best_sync);
    printf("Linux ioctl(/dev/null, FIONREAD):                 %.1f ns per call\n", best_sys);
    printf("ratio cancelled / immediate: %.2fx\n", best_cancel / best_sync);
    close(fd);
    CloseHandle(overlapped.hEvent);
    CloseHandle(sync);
    CloseHandle(async);
    return 0;
}
