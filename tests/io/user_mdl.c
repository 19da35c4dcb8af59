/* Direct I/O and MDLs seen from user mode, against tests/io/mdltest.c (\\.\NtkMdl):
 *  - a direct read: the MDL describes exactly the caller's buffer (ByteCount, ByteOffset,
 *    MmGetMdlVirtualAddress == the buffer), is locked for write, and the driver's writes through
 *    the system address land in the buffer and nowhere else;
 *  - a direct write: locked for read, the driver reads what the user wrote;
 *  - METHOD_OUT_DIRECT / METHOD_IN_DIRECT: input in a system buffer, output by MDL, zero-length
 *    output without one; IN_DIRECT accepts a read-only buffer, OUT_DIRECT does not;
 *  - IoBuildPartialMdl over part of the read buffer;
 *  - a pended request: the user's writes are seen through the driver's system address, the
 *    driver's writes (from a DPC) through the user's;
 *  - bad buffers fail with ERROR_NOACCESS and the kernel keeps working. */
#include <windows.h>
#include <winioctl.h>
#include <ntk/ntapi.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
#include "../e2e/e2e_user.h"
#include "mdltest_ioctl.h"

#define PAGE 4096
#define MDL_MAPPED_TO_SYSTEM_VA 0x0001
#define MDL_PAGES_LOCKED 0x0002
#define MDL_PARTIAL 0x0010
#define MDL_WRITE_OPERATION 0x0080

static HANDLE Device;

static MDLTEST_INFO Query(void)
{
    MDLTEST_INFO Info;
    DWORD Returned = 0;
    memset(&Info, 0xFF, sizeof(Info));
    CHECK(DeviceIoControl(Device, IOCTL_MDLTEST_QUERY, NULL, 0, &Info, sizeof(Info), &Returned,
                          NULL));
    CHECK_EQ(Returned, sizeof(Info));
    return Info;
}

static void Configure(unsigned char Fill, unsigned Use, unsigned Offset, unsigned Length)
{
    MDLTEST_CONFIG Config = { Fill, Offset, Length, Use };
    DWORD Returned;
    CHECK(DeviceIoControl(Device, IOCTL_MDLTEST_CONFIG, &Config, sizeof(Config), NULL, 0,
                          &Returned, NULL));
}

static int AllEqual(const unsigned char *p, size_t n, unsigned char v)
{
    size_t i;
    for (i = 0; i < n; i++)
        if (p[i] != v)
            return 0;
    return 1;
}

static unsigned char *MapPages(size_t Pages)
{
    void *p = mmap(NULL, Pages * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1,
                   0);
    CHECK(p != MAP_FAILED);
    return p == MAP_FAILED ? NULL : p;
}

static void TestDirectRead(void)
{
    unsigned char *Buffer = MapPages(4);
    unsigned char *Va;
    DWORD Read = 0;
    MDLTEST_INFO Info;
    if (Buffer == NULL)
        return;
    /* 5000 bytes from offset 0xF00 of the first page: three pages. */
    memset(Buffer, 0xCC, 4 * PAGE);
    Va = Buffer + 0xF00;
    Configure(0x11, 0, 0, 0);
    CHECK(ReadFile(Device, Va, 5000, &Read, NULL));
    CHECK_EQ(Read, 5000);
    CHECK(AllEqual(Buffer, 0xF00, 0xCC));
    CHECK(AllEqual(Va, 5000, 0x11));
    CHECK(AllEqual(Va + 5000, 4 * PAGE - 0xF00 - 5000, 0xCC));
    Info = Query();
    CHECK_EQ(Info.Major, 3 /* IRP_MJ_READ */);
    CHECK_EQ(Info.HadMdl, 1);
    CHECK_EQ(Info.ByteCount, 5000);
    CHECK_EQ(Info.ByteOffset, 0xF00);
    CHECK(Info.VirtualAddress == (uintptr_t)Va);
    CHECK(Info.StartVa == (uintptr_t)Buffer);
    CHECK_EQ(Info.PageCount, 3);
    CHECK_EQ(Info.PfnsConsecutive, 1);
    CHECK(Info.Pfn0 == (uintptr_t)Buffer >> 12);
    CHECK_EQ(Info.HadProcess, 1);
    CHECK(Info.SystemAddress != 0);
    /* Locked for the driver's writes; mapped once the driver asked. */
    CHECK((Info.FlagsBefore & (MDL_PAGES_LOCKED | MDL_WRITE_OPERATION)) ==
          (MDL_PAGES_LOCKED | MDL_WRITE_OPERATION));
    CHECK(!(Info.FlagsBefore & MDL_MAPPED_TO_SYSTEM_VA));
    CHECK(Info.FlagsAfter & MDL_MAPPED_TO_SYSTEM_VA);

    /* A zero-length read has no MDL. */
    Read = 7;
    CHECK(ReadFile(Device, Va, 0, &Read, NULL));
    CHECK_EQ(Read, 0);
    Info = Query();
    CHECK_EQ(Info.HadMdl, 0);

    /* A large read (1 MiB): 256 pages in one MDL. */
    {
        unsigned char *Big = MapPages(256);
        if (Big) {
            memset(Big, 0xCC, 256 * PAGE);
            Configure(0x22, 0, 0, 0);
            CHECK(ReadFile(Device, Big, 256 * PAGE, &Read, NULL));
            CHECK_EQ(Read, 256 * PAGE);
            CHECK(AllEqual(Big, 256 * PAGE, 0x22));
            Info = Query();
            CHECK_EQ(Info.PageCount, 256);
            CHECK_EQ(Info.PfnsConsecutive, 1);
            munmap(Big, 256 * PAGE);
        }
    }
    munmap(Buffer, 4 * PAGE);
}

static void TestDirectWrite(void)
{
    unsigned char Data[777];
    unsigned long long Sum = 0;
    DWORD Written = 0;
    MDLTEST_INFO Info;
    size_t i;
    for (i = 0; i < sizeof(Data); i++) {
        Data[i] = (unsigned char)(i * 7 + 3);
        Sum += Data[i];
    }
    CHECK(WriteFile(Device, Data, sizeof(Data), &Written, NULL));
    CHECK_EQ(Written, sizeof(Data));
    Info = Query();
    CHECK_EQ(Info.Major, 4 /* IRP_MJ_WRITE */);
    CHECK_EQ(Info.ByteCount, sizeof(Data));
    CHECK(Info.VirtualAddress == (uintptr_t)Data);
    CHECK_EQ(Info.ByteOffset, (uintptr_t)Data & (PAGE - 1));
    CHECK_EQ(Info.Sum, Sum);
    CHECK(Info.FlagsBefore & MDL_PAGES_LOCKED);
    CHECK(!(Info.FlagsBefore & MDL_WRITE_OPERATION));

    /* A write from a read-only buffer only needs read access. */
    {
        unsigned char *Ro = MapPages(1);
        if (Ro) {
            memset(Ro, 1, PAGE);
            mprotect(Ro, PAGE, PROT_READ);
            CHECK(WriteFile(Device, Ro, PAGE, &Written, NULL));
            Info = Query();
            CHECK_EQ(Info.Sum, PAGE);
            munmap(Ro, PAGE);
        }
    }
}

static void TestControlMethods(void)
{
    unsigned char Out[256];
    MDLTEST_FILL Fill = { 0x77, 0, 100 };
    MDLTEST_INFO Info;
    DWORD Returned = 0;
    unsigned long long Sum = 0;
    size_t i;

    /* METHOD_OUT_DIRECT: the driver fills the output buffer through the MDL. */
    memset(Out, 0xCC, sizeof(Out));
    CHECK(DeviceIoControl(Device, IOCTL_MDLTEST_OUT_DIRECT, &Fill, sizeof(Fill), Out, sizeof(Out),
                          &Returned, NULL));
    CHECK_EQ(Returned, 100);
    CHECK(AllEqual(Out, 100, 0x77));
    CHECK(AllEqual(Out + 100, sizeof(Out) - 100, 0xCC));
    Info = Query();
    CHECK_EQ(Info.Major, 14 /* IRP_MJ_DEVICE_CONTROL */);
    CHECK_EQ(Info.HadSystemBuffer, 1);
    CHECK_EQ(Info.InputLength, sizeof(Fill));
    CHECK_EQ(Info.OutputLength, sizeof(Out));
    CHECK_EQ(Info.HadMdl, 1);
    CHECK_EQ(Info.ByteCount, sizeof(Out));
    CHECK(Info.VirtualAddress == (uintptr_t)Out);
    CHECK(Info.FlagsBefore & MDL_WRITE_OPERATION);

    /* No output buffer: no MDL. */
    CHECK(DeviceIoControl(Device, IOCTL_MDLTEST_OUT_DIRECT, &Fill, sizeof(Fill), Out, 0,
                          &Returned, NULL));
    CHECK_EQ(Returned, 0);
    Info = Query();
    CHECK_EQ(Info.HadMdl, 0);
    CHECK_EQ(Info.HadSystemBuffer, 1);

    /* METHOD_IN_DIRECT: the driver reads the second buffer; no input, no system buffer. */
    for (i = 0; i < sizeof(Out); i++) {
        Out[i] = (unsigned char)(255 - i);
        Sum += Out[i];
    }
    CHECK(DeviceIoControl(Device, IOCTL_MDLTEST_IN_DIRECT, NULL, 0, Out, sizeof(Out), &Returned,
                          NULL));
    CHECK_EQ(Returned, sizeof(Out));
    Info = Query();
    CHECK_EQ(Info.HadSystemBuffer, 0);
    CHECK_EQ(Info.Sum, Sum);
    CHECK(Info.FlagsBefore & MDL_PAGES_LOCKED);
    CHECK(!(Info.FlagsBefore & MDL_WRITE_OPERATION));

    /* A read-only page: fine for IN_DIRECT (read access), not for OUT_DIRECT. */
    {
        unsigned char *Ro = MapPages(1);
        if (Ro) {
            memset(Ro, 2, PAGE);
            mprotect(Ro, PAGE, PROT_READ);
            CHECK(DeviceIoControl(Device, IOCTL_MDLTEST_IN_DIRECT, NULL, 0, Ro, PAGE, &Returned,
                                  NULL));
            Info = Query();
            CHECK_EQ(Info.Sum, 2 * PAGE);
            CHECK_FAILS_WITH(DeviceIoControl(Device, IOCTL_MDLTEST_OUT_DIRECT, &Fill,
                                             sizeof(Fill), Ro, PAGE, &Returned, NULL),
                             ERROR_NOACCESS);
            CHECK(AllEqual(Ro, PAGE, 2));
            munmap(Ro, PAGE);
        }
    }
}

static void TestPartialMdl(void)
{
    unsigned char *Buffer = MapPages(3);
    DWORD Read = 0;
    MDLTEST_INFO Info;
    if (Buffer == NULL)
        return;
    /* Read 8192 bytes at offset 0x40; the driver writes only [1000, 3000) of them, through a
     * partial MDL. */
    memset(Buffer, 0xCC, 3 * PAGE);
    Configure(0xAB, 1, 1000, 2000);
    CHECK(ReadFile(Device, Buffer + 0x40, 8192, &Read, NULL));
    CHECK_EQ(Read, 8192);
    CHECK(AllEqual(Buffer, 0x40 + 1000, 0xCC));
    CHECK(AllEqual(Buffer + 0x40 + 1000, 2000, 0xAB));
    CHECK(AllEqual(Buffer + 0x40 + 3000, 3 * PAGE - 0x40 - 3000, 0xCC));
    Info = Query();
    CHECK_EQ(Info.PartialByteCount, 2000);
    CHECK_EQ(Info.PartialByteOffset, (0x40 + 1000) & (PAGE - 1));
    CHECK(Info.PartialVirtualAddress == (uintptr_t)(Buffer + 0x40 + 1000));
    CHECK(Info.PartialFlags & MDL_PARTIAL);
    CHECK(!(Info.PartialFlags & MDL_PAGES_LOCKED));
    CHECK_EQ(Info.PartialPfnsMatch, 1);
    CHECK_EQ(Info.PartialSharedMapping, 1);

    /* Length 0: from the offset to the end of the source. */
    memset(Buffer, 0xCC, 3 * PAGE);
    Configure(0xBA, 1, 5000, 0);
    CHECK(ReadFile(Device, Buffer, 8192, &Read, NULL));
    CHECK(AllEqual(Buffer, 5000, 0xCC));
    CHECK(AllEqual(Buffer + 5000, 8192 - 5000, 0xBA));
    CHECK(AllEqual(Buffer + 8192, PAGE, 0xCC));
    Info = Query();
    CHECK_EQ(Info.PartialByteCount, 8192 - 5000);
    Configure(0xA5, 0, 0, 0);
    munmap(Buffer, 3 * PAGE);
}

static void TestPendedAliasing(void)
{
    static unsigned char Buffer[2 * PAGE];
    static const char Text[] = "written by the user while pended";
    HANDLE Async = CreateFileW(L"\\\\.\\NtkMdl", GENERIC_READ | GENERIC_WRITE, 0, NULL,
                               OPEN_EXISTING, FILE_FLAG_OVERLAPPED, NULL);
    HANDLE Event = CreateEventW(NULL, TRUE, FALSE, NULL);
    OVERLAPPED Overlapped;
    MDLTEST_FILL Peek = { 0, 300, sizeof(Text) };
    MDLTEST_FILL Finish = { 0xEE, 0, 64 };
    char Seen[sizeof(Text)];
    DWORD Returned = 0;
    MDLTEST_INFO Info;

    CHECK(Async != INVALID_HANDLE_VALUE);
    memset(Buffer, 0, sizeof(Buffer));
    memset(&Overlapped, 0, sizeof(Overlapped));
    Overlapped.hEvent = Event;
    CHECK(!DeviceIoControl(Async, IOCTL_MDLTEST_PEND, NULL, 0, Buffer + 100, 5000, NULL,
                           &Overlapped));
    CHECK_EQ(GetLastError(), ERROR_IO_PENDING);

    /* The user writes; the driver reads it through its system address. */
    memcpy(Buffer + 100 + 300, Text, sizeof(Text));
    memset(Seen, 0, sizeof(Seen));
    CHECK(DeviceIoControl(Device, IOCTL_MDLTEST_PEEK, &Peek, sizeof(Peek), Seen, sizeof(Seen),
                          &Returned, NULL));
    CHECK_EQ(Returned, sizeof(Text));
    CHECK(memcmp(Seen, Text, sizeof(Text)) == 0);

    /* The driver writes from a DPC, in another thread at DISPATCH_LEVEL; the user sees it. */
    CHECK(DeviceIoControl(Device, IOCTL_MDLTEST_FINISH, &Finish, sizeof(Finish), NULL, 0,
                          &Returned, NULL));
    CHECK_EQ(WaitForSingleObject(Event, INFINITE), WAIT_OBJECT_0);
    CHECK(GetOverlappedResult(Async, &Overlapped, &Returned, FALSE));
    CHECK_EQ(Returned, 64);
    CHECK(AllEqual(Buffer + 100, 64, 0xEE));
    CHECK(AllEqual(Buffer, 100, 0));
    CHECK(memcmp(Buffer + 100 + 300, Text, sizeof(Text)) == 0);
    Info = Query();
    CHECK_EQ(Info.DpcRan, 1);
    CHECK_EQ(Info.DpcIrql, 2);
    CHECK_EQ(Info.DpcOtherThread, 1);
    CloseHandle(Event);
    CloseHandle(Async);
}

static void TestBadBuffers(void)
{
    unsigned char *Pages = MapPages(2);
    unsigned char Good[64];
    DWORD Done = 0;
    MDLTEST_FILL Fill = { 0x77, 0, 16 };
    if (Pages == NULL)
        return;
    mprotect(Pages, PAGE, PROT_NONE);     /* page 0: no access */
    mprotect(Pages + PAGE, PAGE, PROT_READ); /* page 1: read-only */

    /* Reads need write access, writes read access; OUT_DIRECT write, IN_DIRECT read. */
    CHECK_FAILS_WITH(ReadFile(Device, Pages, 100, &Done, NULL), ERROR_NOACCESS);
    CHECK_FAILS_WITH(ReadFile(Device, Pages + PAGE, 100, &Done, NULL), ERROR_NOACCESS);
    CHECK_FAILS_WITH(ReadFile(Device, Pages + PAGE - 10, 100, &Done, NULL), ERROR_NOACCESS);
    CHECK_FAILS_WITH(WriteFile(Device, Pages, 100, &Done, NULL), ERROR_NOACCESS);
    CHECK_FAILS_WITH(WriteFile(Device, Pages + PAGE - 10, 100, &Done, NULL), ERROR_NOACCESS);
    CHECK_FAILS_WITH(DeviceIoControl(Device, IOCTL_MDLTEST_OUT_DIRECT, &Fill, sizeof(Fill),
                                     Pages, 64, &Done, NULL),
                     ERROR_NOACCESS);
    CHECK_FAILS_WITH(DeviceIoControl(Device, IOCTL_MDLTEST_IN_DIRECT, NULL, 0, Pages, 64, &Done,
                                     NULL),
                     ERROR_NOACCESS);
    /* A bad input buffer for a direct method (copied to the system buffer). */
    CHECK_FAILS_WITH(DeviceIoControl(Device, IOCTL_MDLTEST_OUT_DIRECT, Pages, sizeof(Fill), Good,
                                     sizeof(Good), &Done, NULL),
                     ERROR_NOACCESS);
    /* System space and the never-mapped first 64 KiB. */
    CHECK_FAILS_WITH(ReadFile(Device, (void *)(uintptr_t)0x700000001000ULL, 100, &Done, NULL),
                     ERROR_NOACCESS);
    CHECK_FAILS_WITH(WriteFile(Device, (void *)(uintptr_t)0x1000, 100, &Done, NULL),
                     ERROR_NOACCESS);
    CHECK_FAILS_WITH(DeviceIoControl(Device, IOCTL_MDLTEST_OUT_DIRECT, &Fill, sizeof(Fill),
                                     (void *)(uintptr_t)0x6FFFFFFFF000ULL, 0x2000, &Done, NULL),
                     ERROR_NOACCESS);

    /* The kernel keeps working. */
    memset(Good, 0xCC, sizeof(Good));
    Configure(0x5A, 0, 0, 0);
    CHECK(ReadFile(Device, Good, sizeof(Good), &Done, NULL));
    CHECK_EQ(Done, sizeof(Good));
    CHECK(AllEqual(Good, sizeof(Good), 0x5A));
    Configure(0xA5, 0, 0, 0);
    munmap(Pages, 2 * PAGE);
}

/* Where a read or write lands (the NtReadFile page): a synchronous handle has a current
 * position, used when no offset or FILE_USE_FILE_POINTER_POSITION is given (a device driver,
 * not being a file system, leaves it at 0); an asynchronous handle has none, so a request
 * without an offset is STATUS_INVALID_PARAMETER, and ReadFile without an OVERLAPPED fails with
 * ERROR_INVALID_PARAMETER. */
static void TestByteOffsets(void)
{
    static unsigned char Buffer[64];
    HANDLE Async = CreateFileW(L"\\\\.\\NtkMdl", GENERIC_READ | GENERIC_WRITE, 0, NULL,
                               OPEN_EXISTING, FILE_FLAG_OVERLAPPED, NULL);
    HANDLE Event = CreateEventW(NULL, TRUE, FALSE, NULL);
    IO_STATUS_BLOCK Iosb;
    LARGE_INTEGER Offset;
    OVERLAPPED Overlapped;
    DWORD Done = 0;

    CHECK(Async != INVALID_HANDLE_VALUE);
    Offset.QuadPart = 0x123456789LL;
    CHECK_EQ(NtReadFile(Device, NULL, NULL, NULL, &Iosb, Buffer, 16, &Offset, NULL),
             STATUS_SUCCESS);
    CHECK_EQ(Query().RequestOffset, 0x123456789LL);
    CHECK(ReadFile(Device, Buffer, 16, &Done, NULL));
    CHECK_EQ(Query().RequestOffset, 0);
    Offset.HighPart = -1;
    Offset.LowPart = FILE_USE_FILE_POINTER_POSITION;
    CHECK_EQ(NtWriteFile(Device, NULL, NULL, NULL, &Iosb, Buffer, 16, &Offset, NULL),
             STATUS_SUCCESS);
    CHECK_EQ(Query().RequestOffset, 0);

    CHECK_EQ(NtReadFile(Async, NULL, NULL, NULL, &Iosb, Buffer, 16, NULL, NULL),
             STATUS_INVALID_PARAMETER);
    CHECK_EQ(NtWriteFile(Async, NULL, NULL, NULL, &Iosb, Buffer, 16, NULL, NULL),
             STATUS_INVALID_PARAMETER);
    CHECK_FAILS_WITH(ReadFile(Async, Buffer, 16, &Done, NULL), ERROR_INVALID_PARAMETER);
    memset(&Overlapped, 0, sizeof(Overlapped));
    Overlapped.hEvent = Event;
    Overlapped.Offset = 0x5000;
    Overlapped.OffsetHigh = 2;
    if (!ReadFile(Async, Buffer, 16, NULL, &Overlapped))
        CHECK_EQ(GetLastError(), ERROR_IO_PENDING);
    CHECK(GetOverlappedResult(Async, &Overlapped, &Done, TRUE));
    CHECK_EQ(Query().RequestOffset, 0x200005000LL);
    CloseHandle(Event);
    CloseHandle(Async);
}

int main(void)
{
    Device = CreateFileW(L"\\\\.\\NtkMdl", GENERIC_READ | GENERIC_WRITE, 0, NULL, OPEN_EXISTING,
                         0, NULL);
    CHECK(Device != INVALID_HANDLE_VALUE);
    if (Device == INVALID_HANDLE_VALUE)
        return NTK_TEST_SUMMARY();
    TestDirectRead();
    TestDirectWrite();
    TestControlMethods();
    TestPartialMdl();
    TestPendedAliasing();
    TestBadBuffers();
    TestByteOffsets();
    CloseHandle(Device);
    return NTK_TEST_SUMMARY();
}
