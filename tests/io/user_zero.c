/* The Zero driver (samples/zero) from user mode: reads zero exactly the bytes asked for in a
 * buffer pre-filled with 0xCC, at any offset and size; a zero-length read fails with
 * STATUS_INVALID_BUFFER_SIZE; writes are counted and discarded; the statistics IOCTLs (a short
 * buffer, clearing); the totals stay exact under several threads reading and writing at once;
 * a bad buffer fails with ERROR_NOACCESS without reaching the driver. */
#include <windows.h>
#include <winioctl.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
#include "../e2e/e2e_user.h"
#include "../../samples/zero/ZeroCommon.h"

#define PAGE 4096
#define THREADS 8
#define ITERATIONS 2000

static HANDLE Device;

static ZeroStats GetStats(void)
{
    ZeroStats Stats = { -1, -1 };
    DWORD Returned = 0;
    CHECK(DeviceIoControl(Device, IOCTL_ZERO_GET_STATS, NULL, 0, &Stats, sizeof(Stats),
                          &Returned, NULL));
    CHECK_EQ(Returned, sizeof(Stats));
    return Stats;
}

static void ClearStats(void)
{
    DWORD Returned;
    CHECK(DeviceIoControl(Device, IOCTL_ZERO_CLEAR_STATS, NULL, 0, NULL, 0, &Returned, NULL));
}

static int AllEqual(const unsigned char *p, size_t n, unsigned char v)
{
    size_t i;
    for (i = 0; i < n; i++)
        if (p[i] != v)
            return 0;
    return 1;
}

/* Reads Length bytes at Offset of a 0xCC buffer: exactly those become zeros. */
static void ReadAt(unsigned char *Buffer, size_t Size, size_t Offset, DWORD Length)
{
    DWORD Read = 0;
    memset(Buffer, 0xCC, Size);
    CHECK(ReadFile(Device, Buffer + Offset, Length, &Read, NULL));
    CHECK_EQ(Read, Length);
    CHECK(AllEqual(Buffer, Offset, 0xCC));
    CHECK(AllEqual(Buffer + Offset, Length, 0));
    CHECK(AllEqual(Buffer + Offset + Length, Size - Offset - Length, 0xCC));
}

static void TestReads(void)
{
    unsigned char Small[200];
    unsigned char *Pages = mmap(NULL, 300 * PAGE, PROT_READ | PROT_WRITE,
                                MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    ZeroStats Stats;
    DWORD Read = 5;
    CHECK(Pages != MAP_FAILED);
    if (Pages == MAP_FAILED)
        return;
    /* A fresh driver: nothing counted yet. */
    Stats = GetStats();
    CHECK_EQ(Stats.TotalRead, 0);
    CHECK_EQ(Stats.TotalWritten, 0);

    ReadAt(Small, sizeof(Small), 0, 100);
    ReadAt(Small, sizeof(Small), 37, 1);
    ReadAt(Pages, 3 * PAGE, 4000, 5000);           /* across three pages */
    ReadAt(Pages, 3 * PAGE, PAGE, PAGE);           /* exactly one page */
    ReadAt(Pages, 300 * PAGE, 123, 256 * PAGE);    /* 1 MiB, 257 pages */
    Stats = GetStats();
    CHECK_EQ(Stats.TotalRead, 100 + 1 + 5000 + PAGE + 256 * PAGE);

    /* Length 0: STATUS_INVALID_BUFFER_SIZE (ERROR_INVALID_USER_BUFFER), nothing counted. */
    CHECK_FAILS_WITH(ReadFile(Device, Small, 0, &Read, NULL), ERROR_INVALID_USER_BUFFER);
    CHECK_EQ(GetStats().TotalRead, Stats.TotalRead);
    munmap(Pages, 300 * PAGE);
}

static void TestWritesAndStats(void)
{
    unsigned char Data[1024];
    ZeroStats Stats;
    DWORD Written = 0, Returned = 0;
    long long Before = GetStats().TotalWritten;
    memset(Data, 0x5A, sizeof(Data));
    CHECK(WriteFile(Device, Data, sizeof(Data), &Written, NULL));
    CHECK_EQ(Written, sizeof(Data));
    CHECK(WriteFile(Device, Data, 1, &Written, NULL));
    CHECK_EQ(Written, 1);
    /* A zero-length write is accepted. */
    CHECK(WriteFile(Device, Data, 0, &Written, NULL));
    CHECK_EQ(Written, 0);
    CHECK(AllEqual(Data, sizeof(Data), 0x5A));
    Stats = GetStats();
    CHECK_EQ(Stats.TotalWritten, Before + 1025);

    /* A buffer too small for the statistics. */
    CHECK_FAILS_WITH(DeviceIoControl(Device, IOCTL_ZERO_GET_STATS, NULL, 0, &Stats, 8, &Returned,
                                     NULL),
                     ERROR_INSUFFICIENT_BUFFER);
    ClearStats();
    Stats = GetStats();
    CHECK_EQ(Stats.TotalRead, 0);
    CHECK_EQ(Stats.TotalWritten, 0);
}

typedef struct {
    HANDLE File;
    long long Read;
    long long Written;
    int Failures;
} WORKER;

static DWORD WINAPI Worker(LPVOID Parameter)
{
    WORKER *Work = Parameter;
    unsigned char Buffer[2 * 512 + 64];
    int i;
    for (i = 0; i < ITERATIONS; i++) {
        DWORD ReadLength = (DWORD)(i % 512) + 1, WriteLength = (DWORD)(i % 1000) + 1, Done = 0;
        DWORD Offset = (DWORD)(i % 61);
        memset(Buffer, 0xCC, sizeof(Buffer));
        if (!ReadFile(Work->File, Buffer + Offset, ReadLength, &Done, NULL) ||
            Done != ReadLength || !AllEqual(Buffer + Offset, ReadLength, 0) ||
            !AllEqual(Buffer, Offset, 0xCC) || Buffer[Offset + ReadLength] != 0xCC)
            Work->Failures++;
        Work->Read += ReadLength;
        if (!WriteFile(Work->File, Buffer, WriteLength > sizeof(Buffer) ? sizeof(Buffer)
                                                                         : WriteLength,
                       &Done, NULL))
            Work->Failures++;
        Work->Written += Done;
    }
    return 0;
}

static void TestConcurrentTotals(void)
{
    WORKER Work[THREADS];
    HANDLE Threads[THREADS];
    long long Read = 0, Written = 0;
    ZeroStats Stats;
    int i;
    ClearStats();
    for (i = 0; i < THREADS; i++) {
        memset(&Work[i], 0, sizeof(Work[i]));
        /* Half the threads share the main handle, half open their own. */
        Work[i].File = (i & 1) ? CreateFileW(L"\\\\.\\Zero", GENERIC_READ | GENERIC_WRITE, 0,
                                             NULL, OPEN_EXISTING, 0, NULL)
                               : Device;
        CHECK(Work[i].File != INVALID_HANDLE_VALUE);
        Threads[i] = CreateThread(NULL, 0, Worker, &Work[i], 0, NULL);
        CHECK(Threads[i] != NULL);
    }
    CHECK_EQ(WaitForMultipleObjects(THREADS, Threads, TRUE, INFINITE), WAIT_OBJECT_0);
    for (i = 0; i < THREADS; i++) {
        CloseHandle(Threads[i]);
        CHECK_EQ(Work[i].Failures, 0);
        Read += Work[i].Read;
        Written += Work[i].Written;
        if (Work[i].File != Device)
            CloseHandle(Work[i].File);
    }
    Stats = GetStats();
    CHECK_EQ(Stats.TotalRead, Read);
    CHECK_EQ(Stats.TotalWritten, Written);
    printf("concurrent: %d threads, read %lld, written %lld\n", THREADS, Stats.TotalRead,
           Stats.TotalWritten);
}

static void TestBadBuffer(void)
{
    unsigned char *Page = mmap(NULL, PAGE, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    unsigned char Good[32];
    ZeroStats Before = GetStats(), After;
    DWORD Done = 0;
    CHECK(Page != MAP_FAILED);
    CHECK_FAILS_WITH(ReadFile(Device, Page, 100, &Done, NULL), ERROR_NOACCESS);
    CHECK_FAILS_WITH(WriteFile(Device, Page, 100, &Done, NULL), ERROR_NOACCESS);
    After = GetStats();
    CHECK_EQ(After.TotalRead, Before.TotalRead);
    CHECK_EQ(After.TotalWritten, Before.TotalWritten);
    ReadAt(Good, sizeof(Good), 0, sizeof(Good));
    munmap(Page, PAGE);
}

int main(void)
{
    Device = CreateFileW(L"\\\\.\\Zero", GENERIC_READ | GENERIC_WRITE, 0, NULL, OPEN_EXISTING, 0,
                         NULL);
    CHECK(Device != INVALID_HANDLE_VALUE);
    if (Device == INVALID_HANDLE_VALUE)
        return NTK_TEST_SUMMARY();
    TestReads();
    TestWritesAndStats();
    TestConcurrentTotals();
    TestBadBuffer();
    CloseHandle(Device);
    return NTK_TEST_SUMMARY();
}
