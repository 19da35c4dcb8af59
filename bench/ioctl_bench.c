/* The embedded DeviceIoControl round trip (METHOD_BUFFERED, 64 bytes in and out, through
 * handle -> IRP -> driver -> completion), against a Linux syscall measured in the same run
 * (ioctl on /dev/null). Prints both and their ratio; the best of several rounds counts. */
#include <windows.h>
#include <winioctl.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>
#include "bench_ioctl.h"

static double NowNs(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec * 1e9 + (double)t.tv_nsec;
}

int main(int argc, char **argv)
{
    long iterations = argc > 1 ? atol(argv[1]) : 200000;
    unsigned char in[BENCH_PAYLOAD], out[BENCH_PAYLOAD];
    double best_ioctl = 1e300, best_sys = 1e300;
    int round, fd;
    HANDLE h = CreateFileW(L"\\\\.\\NtkBench", GENERIC_READ | GENERIC_WRITE, 0, NULL, OPEN_EXISTING,
                           0, NULL);
    if (h == INVALID_HANDLE_VALUE) {
        printf("cannot open \\\\.\\NtkBench: error %u\n", (unsigned)GetLastError());
        return 1;
    }
    fd = open("/dev/null", O_RDONLY);
    memset(in, 0x5A, sizeof(in));
    for (round = 0; round < 5; round++) {
        double t0, t1;
        long i;
        DWORD returned;
        t0 = NowNs();
        for (i = 0; i < iterations; i++) {
            if (!DeviceIoControl(h, IOCTL_BENCH_ECHO, in, sizeof(in), out, sizeof(out), &returned,
                                 NULL) ||
                returned != sizeof(out)) {
                printf("DeviceIoControl failed: error %u\n", (unsigned)GetLastError());
                return 1;
            }
        }
        t1 = NowNs();
        if ((t1 - t0) / iterations < best_ioctl)
            best_ioctl = (t1 - t0) / iterations;
        t0 = NowNs();
        for (i = 0; i < iterations; i++) {
            int avail;
            (void)ioctl(fd, FIONREAD, &avail);
        }
        t1 = NowNs();
        if ((t1 - t0) / iterations < best_sys)
            best_sys = (t1 - t0) / iterations;
    }
    if (memcmp(in, out, sizeof(out)) != 0) {
        printf("echo mismatch\n");
        return 1;
    }
    printf("DeviceIoControl METHOD_BUFFERED 64/64: %.1f ns per call\n", best_ioctl);
    printf("Linux ioctl(/dev/null, FIONREAD):      %.1f ns per call\n", best_sys);
    printf("ratio: %.2fx (goal <= 2x)\n", best_ioctl / best_sys);
    close(fd);
    CloseHandle(h);
    return 0;
}
