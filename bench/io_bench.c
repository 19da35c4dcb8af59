/* Round trips of the transfer methods, against Linux syscalls measured in the same run:
 * DeviceIoControl with METHOD_BUFFERED, METHOD_IN_DIRECT, METHOD_OUT_DIRECT and METHOD_NEITHER
 * (64 bytes in, 64 out), and ReadFile/WriteFile of 64 B and 64 KiB on a DO_BUFFERED_IO and a
 * DO_DIRECT_IO device; the baseline is ioctl(FIONREAD) on /dev/null, with read() of /dev/zero
 * of the same sizes for scale. The best of several rounds counts. */
#include <windows.h>
#include <winioctl.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>
#include "io_bench.h"

#define ROUNDS 5
#define BIG (64 * 1024)

static long Iterations;
static HANDLE Buffered, Direct;
static int Null, Zero;
static unsigned char In[IO_BENCH_PAYLOAD], Out[IO_BENCH_PAYLOAD];
static unsigned char *Big;

static double NowNs(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec * 1e9 + (double)t.tv_nsec;
}

typedef int (*OPERATION)(void *Context);

/* ns per call: the best round. A failing call stops the benchmark. */
static double Measure(OPERATION Operation, void *Context, long Count)
{
    double Best = 1e300;
    int Round;
    for (Round = 0; Round < ROUNDS; Round++) {
        double T0 = NowNs(), T;
        long i;
        for (i = 0; i < Count; i++)
            if (!Operation(Context)) {
                printf("operation failed: error %u\n", (unsigned)GetLastError());
                exit(1);
            }
        T = (NowNs() - T0) / (double)Count;
        if (T < Best)
            Best = T;
    }
    return Best;
}

static int Fionread(void *Context)
{
    int Avail;
    (void)Context;
    (void)ioctl(Null, FIONREAD, &Avail);
    return 1;
}

static int ReadZero(void *Context)
{
    size_t Length = (size_t)Context;
    return read(Zero, Big, Length) == (ssize_t)Length;
}

static int Control(void *Context)
{
    DWORD Code = (DWORD)(ULONG_PTR)Context, Returned;
    return DeviceIoControl(Direct, Code, In, sizeof(In), Out, sizeof(Out), &Returned, NULL);
}

typedef struct {
    HANDLE File;
    BOOL Write;
    DWORD Length;
} TRANSFER;

static int Transfer(void *Context)
{
    TRANSFER *T = Context;
    DWORD Done;
    BOOL Ok = T->Write ? WriteFile(T->File, Big, T->Length, &Done, NULL)
                       : ReadFile(T->File, Big, T->Length, &Done, NULL);
    return Ok && Done == T->Length;
}

static void Line(const char *What, double Ns, double Baseline)
{
    printf("%-40s %9.1f ns  %6.2fx\n", What, Ns, Ns / Baseline);
}

int main(int argc, char **argv)
{
    static const struct {
        const char *Name;
        DWORD Code;
    } Methods[] = {
        { "DeviceIoControl METHOD_BUFFERED 64/64", IOCTL_IO_BENCH_BUFFERED },
        { "DeviceIoControl METHOD_IN_DIRECT 64/64", IOCTL_IO_BENCH_IN_DIRECT },
        { "DeviceIoControl METHOD_OUT_DIRECT 64/64", IOCTL_IO_BENCH_OUT_DIRECT },
        { "DeviceIoControl METHOD_NEITHER 64/64", IOCTL_IO_BENCH_NEITHER },
    };
    double Baseline;
    size_t i;
    int Direction, Size, Kind;

    Iterations = argc > 1 ? atol(argv[1]) : 100000;
    Buffered = CreateFileW(L"\\\\.\\NtkIoBenchBuffered", GENERIC_READ | GENERIC_WRITE, 0, NULL,
                           OPEN_EXISTING, 0, NULL);
    Direct = CreateFileW(L"\\\\.\\NtkIoBenchDirect", GENERIC_READ | GENERIC_WRITE, 0, NULL,
                         OPEN_EXISTING, 0, NULL);
    Null = open("/dev/null", O_RDONLY);
    Zero = open("/dev/zero", O_RDONLY);
    Big = malloc(BIG);
    if (Buffered == INVALID_HANDLE_VALUE || Direct == INVALID_HANDLE_VALUE || Null < 0 ||
        Zero < 0 || Big == NULL) {
        printf("setup failed (error %u)\n", (unsigned)GetLastError());
        return 1;
    }
    memset(Big, 0x5A, BIG);
    memset(In, 0x5A, sizeof(In));

    Baseline = Measure(Fionread, NULL, Iterations);
    printf("%-40s %9s     %s\n", "", "per call", "vs FIONREAD");
    Line("Linux ioctl(/dev/null, FIONREAD)", Baseline, Baseline);
    Line("Linux read(/dev/zero, 64 B)", Measure(ReadZero, (void *)(size_t)64, Iterations),
         Baseline);
    Line("Linux read(/dev/zero, 64 KiB)", Measure(ReadZero, (void *)(size_t)BIG, Iterations / 10),
         Baseline);
    for (i = 0; i < sizeof(Methods) / sizeof(Methods[0]); i++) {
        /* IN_DIRECT's second buffer is input too: the driver checks that it equals the first. */
        if (Methods[i].Code == IOCTL_IO_BENCH_IN_DIRECT)
            memcpy(Out, In, sizeof(Out));
        else
            memset(Out, 0, sizeof(Out));
        Line(Methods[i].Name, Measure(Control, (void *)(ULONG_PTR)Methods[i].Code, Iterations),
             Baseline);
        if (memcmp(In, Out, sizeof(Out)) != 0) {
            printf("%s: echo mismatch\n", Methods[i].Name);
            return 1;
        }
    }
    for (Kind = 0; Kind < 2; Kind++)
        for (Direction = 0; Direction < 2; Direction++)
            for (Size = 0; Size < 2; Size++) {
                TRANSFER T = { Kind ? Direct : Buffered, Direction, Size ? BIG : 64 };
                char Name[64];
                snprintf(Name, sizeof(Name), "%s %s %s", Direction ? "WriteFile" : "ReadFile",
                         Size ? "64 KiB" : "64 B", Kind ? "direct" : "buffered");
                Line(Name, Measure(Transfer, &T, Size ? Iterations / 10 : Iterations),
                     Baseline);
            }
    free(Big);
    close(Null);
    close(Zero);
    CloseHandle(Buffered);
    CloseHandle(Direct);
    return 0;
}
