/* The ZeroFilter sample (samples/zerofilter) attached over Zero (samples/zero), from user mode:
 * opens of \\.\Zero reach the filter first, with a file object that names Zero's device; every
 * request is counted once by major function and still does what Zero does (reads zero exactly
 * the bytes asked, writes are discarded, the statistics IOCTLs work); the filter's byte counts
 * equal Zero's own totals; a bad buffer fails before any driver sees it; the counts stay exact
 * under several threads. */
#include <windows.h>
#include <winioctl.h>
#include <string.h>
#include <sys/mman.h>
#include "../e2e/e2e_user.h"
#include "../../samples/zero/ZeroCommon.h"
#include "../../samples/zerofilter/ZeroFilterCommon.h"

#define PAGE 4096
#define THREADS 8
#define ITERATIONS 1500

static HANDLE Control;

static ZeroFilterCounts GetCounts(void)
{
    ZeroFilterCounts Counts;
    DWORD Returned = 0;
    memset(&Counts, 0xFF, sizeof(Counts));
    CHECK(DeviceIoControl(Control, IOCTL_ZERO_FILTER_GET_COUNTS, NULL, 0, &Counts,
                          sizeof(Counts), &Returned, NULL));
    CHECK_EQ(Returned, sizeof(Counts));
    return Counts;
}

static void ClearCounts(void)
{
    DWORD Returned;
    CHECK(DeviceIoControl(Control, IOCTL_ZERO_FILTER_CLEAR_COUNTS, NULL, 0, NULL, 0, &Returned,
                          NULL));
}

static HANDLE OpenZero(void)
{
    return CreateFileW(L"\\\\.\\Zero", GENERIC_READ | GENERIC_WRITE, 0, NULL, OPEN_EXISTING, 0,
                       NULL);
}

static ZeroStats GetZeroStats(HANDLE Zero)
{
    ZeroStats Stats = { -1, -1 };
    DWORD Returned = 0;
    CHECK(DeviceIoControl(Zero, IOCTL_ZERO_GET_STATS, NULL, 0, &Stats, sizeof(Stats), &Returned,
                          NULL));
    CHECK_EQ(Returned, sizeof(Stats));
    return Stats;
}

static int AllEqual(const unsigned char *p, size_t n, unsigned char v)
{
    size_t i;
    for (i = 0; i < n; i++)
        if (p[i] != v)
            return 0;
    return 1;
}

/* Every major function other than those listed has a count of zero. */
static void CheckOthersZero(const ZeroFilterCounts *Counts)
{
    int i;
    for (i = 0; i < ZERO_FILTER_MAJORS; i++) {
        if (i == ZERO_FILTER_MJ_CREATE || i == ZERO_FILTER_MJ_CLOSE || i == ZERO_FILTER_MJ_READ ||
            i == ZERO_FILTER_MJ_WRITE || i == ZERO_FILTER_MJ_DEVICE_CONTROL ||
            i == ZERO_FILTER_MJ_CLEANUP)
            continue;
        CHECK_EQ(Counts->Irps[i], 0);
    }
}

static void TestSequence(void)
{
    static const DWORD Reads[] = { 1, 100, PAGE, 5000, 64 * 1024 };
    static const DWORD Writes[] = { 10, 1000, 3 * PAGE };
    unsigned char *Buffer = mmap(NULL, 80 * 1024, PROT_READ | PROT_WRITE,
                                 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    long long ReadBytes = 0, WrittenBytes = 0;
    ZeroFilterCounts Counts;
    ZeroStats Stats;
    DWORD Done, Returned;
    HANDLE Zero;
    size_t i;
    CHECK(Buffer != MAP_FAILED);
    if (Buffer == MAP_FAILED)
        return;

    ClearCounts();
    Zero = OpenZero();
    CHECK(Zero != INVALID_HANDLE_VALUE);
    CHECK(DeviceIoControl(Zero, IOCTL_ZERO_CLEAR_STATS, NULL, 0, NULL, 0, &Returned, NULL));
    for (i = 0; i < sizeof(Reads) / sizeof(Reads[0]); i++) {
        memset(Buffer, 0xCC, Reads[i] + 1);
        Done = 0;
        CHECK(ReadFile(Zero, Buffer, Reads[i], &Done, NULL));
        CHECK_EQ(Done, Reads[i]);
        CHECK(AllEqual(Buffer, Reads[i], 0));
        CHECK_EQ(Buffer[Reads[i]], 0xCC);
        ReadBytes += Reads[i];
    }
    for (i = 0; i < sizeof(Writes) / sizeof(Writes[0]); i++) {
        memset(Buffer, 0x5A, Writes[i]);
        Done = 0;
        CHECK(WriteFile(Zero, Buffer, Writes[i], &Done, NULL));
        CHECK_EQ(Done, Writes[i]);
        CHECK(AllEqual(Buffer, Writes[i], 0x5A));
        WrittenBytes += Writes[i];
    }
    /* Zero's failure passes back up through the filter unchanged, with nothing counted. */
    CHECK_FAILS_WITH(ReadFile(Zero, Buffer, 0, &Done, NULL), ERROR_INVALID_USER_BUFFER);
    Stats = GetZeroStats(Zero);
    CHECK_EQ(Stats.TotalRead, ReadBytes);
    CHECK_EQ(Stats.TotalWritten, WrittenBytes);
    CHECK(CloseHandle(Zero));

    Counts = GetCounts();
    CHECK_EQ(Counts.Irps[ZERO_FILTER_MJ_CREATE], 1);
    CHECK_EQ(Counts.CreatesOfNamedDevice, 1);
    CHECK_EQ(Counts.Irps[ZERO_FILTER_MJ_READ], 6);
    CHECK_EQ(Counts.Irps[ZERO_FILTER_MJ_WRITE], 3);
    CHECK_EQ(Counts.Irps[ZERO_FILTER_MJ_DEVICE_CONTROL], 2);
    CHECK_EQ(Counts.Irps[ZERO_FILTER_MJ_CLEANUP], 1);
    CHECK_EQ(Counts.Irps[ZERO_FILTER_MJ_CLOSE], 1);
    CHECK_EQ(Counts.BytesRead, ReadBytes);
    CHECK_EQ(Counts.BytesWritten, WrittenBytes);
    CHECK_EQ(Counts.PendingReturned, 0);
    CheckOthersZero(&Counts);
    munmap(Buffer, 80 * 1024);
}

/* The I/O manager probes and locks the buffer before building the IRP: no driver sees it. */
static void TestBadBuffer(void)
{
    unsigned char *Page = mmap(NULL, PAGE, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    ZeroFilterCounts Counts;
    DWORD Done = 0;
    HANDLE Zero = OpenZero();
    CHECK(Page != MAP_FAILED);
    CHECK(Zero != INVALID_HANDLE_VALUE);
    ClearCounts();
    CHECK_FAILS_WITH(ReadFile(Zero, Page, 100, &Done, NULL), ERROR_NOACCESS);
    CHECK_FAILS_WITH(WriteFile(Zero, Page, 100, &Done, NULL), ERROR_NOACCESS);
    Counts = GetCounts();
    CHECK_EQ(Counts.Irps[ZERO_FILTER_MJ_READ], 0);
    CHECK_EQ(Counts.Irps[ZERO_FILTER_MJ_WRITE], 0);
    CHECK_EQ(Counts.BytesRead, 0);
    CloseHandle(Zero);
    munmap(Page, PAGE);
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
    unsigned char Buffer[1024 + 64];
    int i;
    for (i = 0; i < ITERATIONS; i++) {
        DWORD ReadLength = (DWORD)(i % 1024) + 1, WriteLength = (DWORD)(i % 700) + 1, Done = 0;
        memset(Buffer, 0xCC, sizeof(Buffer));
        if (!ReadFile(Work->File, Buffer, ReadLength, &Done, NULL) || Done != ReadLength ||
            !AllEqual(Buffer, ReadLength, 0) || Buffer[ReadLength] != 0xCC)
            Work->Failures++;
        Work->Read += ReadLength;
        if (!WriteFile(Work->File, Buffer, WriteLength, &Done, NULL) || Done != WriteLength)
            Work->Failures++;
        Work->Written += WriteLength;
    }
    return 0;
}

static void TestConcurrent(void)
{
    WORKER Work[THREADS];
    HANDLE Threads[THREADS], Shared;
    long long Read = 0, Written = 0;
    ZeroFilterCounts Counts;
    ZeroStats Stats;
    DWORD Returned;
    int i, Opened = 1;
    ClearCounts();
    Shared = OpenZero();
    CHECK(Shared != INVALID_HANDLE_VALUE);
    CHECK(DeviceIoControl(Shared, IOCTL_ZERO_CLEAR_STATS, NULL, 0, NULL, 0, &Returned, NULL));
    for (i = 0; i < THREADS; i++) {
        memset(&Work[i], 0, sizeof(Work[i]));
        /* Half the threads share one handle, half open their own. */
        Work[i].File = (i & 1) ? OpenZero() : Shared;
        CHECK(Work[i].File != INVALID_HANDLE_VALUE);
        if (i & 1)
            Opened++;
        Threads[i] = CreateThread(NULL, 0, Worker, &Work[i], 0, NULL);
        CHECK(Threads[i] != NULL);
    }
    CHECK_EQ(WaitForMultipleObjects(THREADS, Threads, TRUE, INFINITE), WAIT_OBJECT_0);
    for (i = 0; i < THREADS; i++) {
        CloseHandle(Threads[i]);
        CHECK_EQ(Work[i].Failures, 0);
        Read += Work[i].Read;
        Written += Work[i].Written;
        if (Work[i].File != Shared)
            CloseHandle(Work[i].File);
    }
    Stats = GetZeroStats(Shared);
    CloseHandle(Shared);
    CHECK_EQ(Stats.TotalRead, Read);
    CHECK_EQ(Stats.TotalWritten, Written);
    Counts = GetCounts();
    CHECK_EQ(Counts.Irps[ZERO_FILTER_MJ_READ], THREADS * ITERATIONS);
    CHECK_EQ(Counts.Irps[ZERO_FILTER_MJ_WRITE], THREADS * ITERATIONS);
    CHECK_EQ(Counts.Irps[ZERO_FILTER_MJ_CREATE], Opened);
    CHECK_EQ(Counts.CreatesOfNamedDevice, Opened);
    CHECK_EQ(Counts.Irps[ZERO_FILTER_MJ_CLEANUP], Opened);
    CHECK_EQ(Counts.Irps[ZERO_FILTER_MJ_CLOSE], Opened);
    CHECK_EQ(Counts.Irps[ZERO_FILTER_MJ_DEVICE_CONTROL], 2);
    CHECK_EQ(Counts.BytesRead, Read);
    CHECK_EQ(Counts.BytesWritten, Written);
    CheckOthersZero(&Counts);
    printf("concurrent: %d threads, %lld reads (%lld bytes), %lld writes (%lld bytes)\n",
           THREADS, Counts.Irps[ZERO_FILTER_MJ_READ], Counts.BytesRead,
           Counts.Irps[ZERO_FILTER_MJ_WRITE], Counts.BytesWritten);
}

int main(void)
{
    Control = CreateFileW(L"\\\\.\\ZeroFilter", GENERIC_READ | GENERIC_WRITE, 0, NULL,
                          OPEN_EXISTING, 0, NULL);
    CHECK(Control != INVALID_HANDLE_VALUE);
    if (Control == INVALID_HANDLE_VALUE)
        return NTK_TEST_SUMMARY();
    TestSequence();
    TestBadBuffer();
    TestConcurrent();
    CloseHandle(Control);
    return NTK_TEST_SUMMARY();
}
