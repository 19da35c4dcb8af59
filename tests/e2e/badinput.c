/* badinput: bad input from user mode gets Windows' error and never crashes the kernel.
 * Runs against the echo test driver:
 *     ntk run --driver echo.so -- badinput.so */
#include <windows.h>
#include <ntk/ntapi.h>
#include <string.h>
#include "e2e_user.h"
#include "echo_ioctl.h"

static HANDLE OpenEcho(DWORD access)
{
    return CreateFileW(ECHO_WIN32_NAME, access, FILE_SHARE_READ | FILE_SHARE_WRITE, NULL,
                       OPEN_EXISTING, 0, NULL);
}

static BOOL AllBytes(const BYTE *p, size_t n, BYTE value)
{
    for (size_t i = 0; i < n; i++) {
        if (p[i] != value)
            return FALSE;
    }
    return TRUE;
}

/* A write then a read gives the same bytes back: the kernel and the driver still work. */
static void CheckRoundTrip(HANDLE h, const char *text)
{
    BYTE buf[64];
    DWORD n = 12345, len = (DWORD)strlen(text);
    CHECK_SUCCEEDS(WriteFile(h, text, len, &n, NULL));
    CHECK_EQ(n, len);
    memset(buf, 0, sizeof(buf));
    n = 12345;
    CHECK_SUCCEEDS(ReadFile(h, buf, sizeof(buf), &n, NULL));
    CHECK_EQ(n, len);
    CHECK(memcmp(buf, text, len) == 0);
}

static void CheckPoolIntact(HANDLE h)
{
    ULONG intact = 0;
    DWORD n = 0;
    CHECK_SUCCEEDS(DeviceIoControl(h, IOCTL_ECHO_POOL_INTACT, NULL, 0, &intact, sizeof(intact), &n,
                                   NULL));
    CHECK_EQ(n, sizeof(ULONG));
    CHECK_EQ(intact, 1);
}

static void TestBadHandles(void)
{
    BYTE buf[16] = { 0 };
    DWORD n;
    HANDLE closed = OpenEcho(GENERIC_READ | GENERIC_WRITE);
    CHECK(closed != INVALID_HANDLE_VALUE);
    CHECK_SUCCEEDS(CloseHandle(closed));

    HANDLE bad[] = { NULL, (HANDLE)(ULONG_PTR)0x1234, closed };
    for (unsigned i = 0; i < ARRAYSIZE(bad); i++) {
        printf("bad handle %p\n", bad[i]);
        CHECK_FAILS_WITH(ReadFile(bad[i], buf, sizeof(buf), &n, NULL), ERROR_INVALID_HANDLE);
        CHECK_FAILS_WITH(WriteFile(bad[i], buf, sizeof(buf), &n, NULL), ERROR_INVALID_HANDLE);
        CHECK_FAILS_WITH(DeviceIoControl(bad[i], IOCTL_ECHO_COPY, buf, sizeof(buf), buf,
                                         sizeof(buf), &n, NULL),
                         ERROR_INVALID_HANDLE);
        CHECK_FAILS_WITH(CloseHandle(bad[i]), ERROR_INVALID_HANDLE);
    }

    /* A handle to an object of another type: STATUS_OBJECT_TYPE_MISMATCH → ERROR_INVALID_HANDLE. */
    HANDLE ev = CreateEventW(NULL, TRUE, FALSE, NULL);
    CHECK(ev != NULL);
    CHECK_FAILS_WITH(ReadFile(ev, buf, sizeof(buf), &n, NULL), ERROR_INVALID_HANDLE);
    CHECK_FAILS_WITH(WriteFile(ev, buf, sizeof(buf), &n, NULL), ERROR_INVALID_HANDLE);
    CHECK_FAILS_WITH(
        DeviceIoControl(ev, IOCTL_ECHO_COPY, buf, sizeof(buf), buf, sizeof(buf), &n, NULL),
        ERROR_INVALID_HANDLE);
    CHECK_SUCCEEDS(CloseHandle(ev));
}

static void TestOpenAndAccess(void)
{
    BYTE buf[16] = { 0 };
    DWORD n;

    SetLastError(0xDEADBEEF);
    HANDLE none = CreateFileW(L"\\\\.\\NoSuchDevice", GENERIC_READ, 0, NULL, OPEN_EXISTING, 0,
                              NULL);
    CHECK(none == INVALID_HANDLE_VALUE);
    CHECK_EQ(GetLastError(), ERROR_FILE_NOT_FOUND);

    HANDLE hr = OpenEcho(GENERIC_READ);
    HANDLE hw = OpenEcho(GENERIC_WRITE);
    CHECK(hr != INVALID_HANDLE_VALUE);
    CHECK(hw != INVALID_HANDLE_VALUE);
    if (hr == INVALID_HANDLE_VALUE || hw == INVALID_HANDLE_VALUE)
        return;

    CHECK_FAILS_WITH(WriteFile(hr, "x", 1, &n, NULL), ERROR_ACCESS_DENIED);
    CHECK_FAILS_WITH(ReadFile(hw, buf, sizeof(buf), &n, NULL), ERROR_ACCESS_DENIED);
    CHECK_SUCCEEDS(WriteFile(hw, "w", 1, &n, NULL));
    CHECK_SUCCEEDS(ReadFile(hr, buf, sizeof(buf), &n, NULL));
    CHECK_EQ(n, 1);
    CHECK_EQ(buf[0], 'w');

    /* The IOCTL's access bits are checked against the handle's granted access. */
    CHECK_FAILS_WITH(DeviceIoControl(hr, IOCTL_ECHO_NEEDS_WRITE, NULL, 0, NULL, 0, &n, NULL),
                     ERROR_ACCESS_DENIED);
    CHECK_SUCCEEDS(DeviceIoControl(hw, IOCTL_ECHO_NEEDS_WRITE, NULL, 0, NULL, 0, &n, NULL));
    CHECK_SUCCEEDS(DeviceIoControl(hr, IOCTL_ECHO_COPY, buf, 4, buf, 4, &n, NULL));
    CHECK_EQ(n, 4);

    CHECK_SUCCEEDS(CloseHandle(hr));
    CHECK_SUCCEEDS(CloseHandle(hw));
}

static void TestBadBuffers(HANDLE h)
{
    BYTE buf[16] = { 0 };
    DWORD n;
    void *kernel = (void *)(ULONG_PTR)0xFFFF800000000000ULL;

    CheckRoundTrip(h, "hello, echo");

    /* NULL with a length. */
    CHECK_FAILS_WITH(WriteFile(h, NULL, 16, &n, NULL), ERROR_NOACCESS);
    CHECK_FAILS_WITH(ReadFile(h, NULL, 16, &n, NULL), ERROR_NOACCESS);
    CHECK_FAILS_WITH(DeviceIoControl(h, IOCTL_ECHO_COPY, NULL, 16, buf, sizeof(buf), &n, NULL),
                     ERROR_NOACCESS);
    CHECK_FAILS_WITH(DeviceIoControl(h, IOCTL_ECHO_COPY, buf, sizeof(buf), NULL, 16, &n, NULL),
                     ERROR_NOACCESS);

    /* A system-space address. */
    CHECK_FAILS_WITH(WriteFile(h, kernel, 16, &n, NULL), ERROR_NOACCESS);
    CHECK_FAILS_WITH(ReadFile(h, kernel, 16, &n, NULL), ERROR_NOACCESS);
    CHECK_FAILS_WITH(DeviceIoControl(h, IOCTL_ECHO_COPY, kernel, 16, buf, sizeof(buf), &n, NULL),
                     ERROR_NOACCESS);
    CHECK_FAILS_WITH(DeviceIoControl(h, IOCTL_ECHO_COPY, buf, sizeof(buf), kernel, 16, &n, NULL),
                     ERROR_NOACCESS);

    /* A real pool block of the driver's: neither readable nor writable from user mode. */
    ULONG64 poolAddress = 0;
    CHECK_SUCCEEDS(DeviceIoControl(h, IOCTL_ECHO_POOL_ADDRESS, NULL, 0, &poolAddress,
                                   sizeof(poolAddress), &n, NULL));
    CHECK(poolAddress != 0);
    if (poolAddress != 0) {
        void *pool = (void *)(ULONG_PTR)poolAddress;
        printf("driver pool block at %p\n", pool);
        CHECK_FAILS_WITH(ReadFile(h, pool, 16, &n, NULL), ERROR_NOACCESS);
        CHECK_FAILS_WITH(WriteFile(h, pool, 16, &n, NULL), ERROR_NOACCESS);
        CHECK_FAILS_WITH(DeviceIoControl(h, IOCTL_ECHO_COPY, buf, sizeof(buf), pool, 16, &n, NULL),
                         ERROR_NOACCESS);
        CHECK_FAILS_WITH(DeviceIoControl(h, IOCTL_ECHO_COPY, pool, 16, buf, sizeof(buf), &n, NULL),
                         ERROR_NOACCESS);
        CheckPoolIntact(h);
    }

    /* Ranges that start below the user limit and reach above it. */
    ULONG64 limit = 0;
    CHECK_SUCCEEDS(
        DeviceIoControl(h, IOCTL_ECHO_USER_LIMIT, NULL, 0, &limit, sizeof(limit), &n, NULL));
    CHECK(limit != 0);
    if (limit != 0) {
        void *straddle = (void *)(ULONG_PTR)(limit - 8);
        printf("MmUserProbeAddress = 0x%llx\n", (unsigned long long)limit);
        CHECK((ULONG_PTR)buf < limit); /* our own buffers are user memory */
        CHECK_FAILS_WITH(WriteFile(h, straddle, 16, &n, NULL), ERROR_NOACCESS);
        CHECK_FAILS_WITH(ReadFile(h, straddle, 16, &n, NULL), ERROR_NOACCESS);
        CHECK_FAILS_WITH(ReadFile(h, (void *)(ULONG_PTR)limit, 1, &n, NULL), ERROR_NOACCESS);
        CHECK_FAILS_WITH(
            DeviceIoControl(h, IOCTL_ECHO_COPY, straddle, 16, buf, sizeof(buf), &n, NULL),
            ERROR_NOACCESS);
        CHECK_FAILS_WITH(
            DeviceIoControl(h, IOCTL_ECHO_COPY, buf, sizeof(buf), straddle, 16, &n, NULL),
            ERROR_NOACCESS);
        /* A length that wraps around the address space. */
        CHECK_FAILS_WITH(WriteFile(h, (void *)(ULONG_PTR)0xFFFFFFFFFFFFFF00ULL, 0x200, &n, NULL),
                         ERROR_NOACCESS);
    }

    /* None of the failed writes reached the driver: it still holds the last good write. */
    BYTE back[64];
    n = 0;
    CHECK_SUCCEEDS(ReadFile(h, back, sizeof(back), &n, NULL));
    CHECK_EQ(n, strlen("hello, echo"));
    CHECK(memcmp(back, "hello, echo", strlen("hello, echo")) == 0);
}

/* The system services themselves (ntdll's level): every pointer argument is probed. The
 * kernel pointer is the driver's pool block, so a service that writes through it without
 * probing corrupts the block, and the driver notices. */
static void TestNtBadPointers(HANDLE h)
{
    IO_STATUS_BLOCK iosb;
    BYTE buf[16] = { 0 };
    DWORD n;
    ULONG64 poolAddress = 0;
    CHECK_SUCCEEDS(DeviceIoControl(h, IOCTL_ECHO_POOL_ADDRESS, NULL, 0, &poolAddress,
                                   sizeof(poolAddress), &n, NULL));
    if (poolAddress == 0)
        return;
    PVOID pool = (PVOID)(ULONG_PTR)poolAddress;

    CheckRoundTrip(h, "before the Nt tests");

    /* The I/O status block. */
    CHECK_STATUS(NtWriteFile(h, NULL, NULL, NULL, (PIO_STATUS_BLOCK)pool, "XY", 2, NULL, NULL),
                 STATUS_ACCESS_VIOLATION);
    CHECK_STATUS(NtWriteFile(h, NULL, NULL, NULL, NULL, "XY", 2, NULL, NULL),
                 STATUS_ACCESS_VIOLATION);
    CHECK_STATUS(NtReadFile(h, NULL, NULL, NULL, (PIO_STATUS_BLOCK)pool, buf, sizeof(buf), NULL,
                            NULL),
                 STATUS_ACCESS_VIOLATION);
    CHECK_STATUS(NtDeviceIoControlFile(h, NULL, NULL, NULL, (PIO_STATUS_BLOCK)pool,
                                       IOCTL_ECHO_COPY, buf, 4, buf, 4),
                 STATUS_ACCESS_VIOLATION);
    /* The buffers, at the Nt level. */
    CHECK_STATUS(NtWriteFile(h, NULL, NULL, NULL, &iosb, pool, 16, NULL, NULL),
                 STATUS_ACCESS_VIOLATION);
    CHECK_STATUS(NtReadFile(h, NULL, NULL, NULL, &iosb, pool, 16, NULL, NULL),
                 STATUS_ACCESS_VIOLATION);
    /* A good call works and fills the status block. */
    iosb.Status = (NTSTATUS)0x12345678;
    iosb.Information = 999;
    CHECK_STATUS(NtWriteFile(h, NULL, NULL, NULL, &iosb, "good", 4, NULL, NULL), STATUS_SUCCESS);
    CHECK_STATUS(iosb.Status, STATUS_SUCCESS);
    CHECK_EQ(iosb.Information, 4);

    /* Object attributes, the name, its buffer, the handle out-parameter. */
    WCHAR path[] = L"\\??\\NtkEcho";
    UNICODE_STRING name = { (USHORT)(sizeof(path) - sizeof(WCHAR)), (USHORT)sizeof(path), path };
    OBJECT_ATTRIBUTES oa;
    HANDLE fh = NULL;
    InitializeObjectAttributes(&oa, &name, OBJ_CASE_INSENSITIVE, NULL, NULL);
    CHECK_STATUS(NtCreateFile(&fh, GENERIC_READ | SYNCHRONIZE, &oa, &iosb, NULL, 0,
                              FILE_SHARE_READ | FILE_SHARE_WRITE, FILE_OPEN,
                              FILE_SYNCHRONOUS_IO_NONALERT, NULL, 0),
                 STATUS_SUCCESS);
    if (fh != NULL)
        CHECK_STATUS(NtClose(fh), STATUS_SUCCESS);
    CHECK_STATUS(NtCreateFile(&fh, GENERIC_READ, (POBJECT_ATTRIBUTES)pool, &iosb, NULL, 0,
                              FILE_SHARE_READ, FILE_OPEN, 0, NULL, 0),
                 STATUS_ACCESS_VIOLATION);
    oa.ObjectName = (PUNICODE_STRING)pool;
    CHECK_STATUS(NtCreateFile(&fh, GENERIC_READ, &oa, &iosb, NULL, 0, FILE_SHARE_READ, FILE_OPEN,
                              0, NULL, 0),
                 STATUS_ACCESS_VIOLATION);
    UNICODE_STRING badBuffer = { 16, 16, (PWSTR)pool };
    oa.ObjectName = &badBuffer;
    CHECK_STATUS(NtCreateFile(&fh, GENERIC_READ, &oa, &iosb, NULL, 0, FILE_SHARE_READ, FILE_OPEN,
                              0, NULL, 0),
                 STATUS_ACCESS_VIOLATION);
    oa.ObjectName = &name;
    CHECK_STATUS(NtCreateFile((PHANDLE)pool, GENERIC_READ, &oa, &iosb, NULL, 0, FILE_SHARE_READ,
                              FILE_OPEN, 0, NULL, 0),
                 STATUS_ACCESS_VIOLATION);
    CHECK_STATUS(NtCreateFile(&fh, GENERIC_READ, &oa, (PIO_STATUS_BLOCK)pool, NULL, 0,
                              FILE_SHARE_READ, FILE_OPEN, 0, NULL, 0),
                 STATUS_ACCESS_VIOLATION);

    /* Handles and waits. */
    CHECK_STATUS(NtClose((HANDLE)pool), STATUS_INVALID_HANDLE);
    HANDLE ev = CreateEventW(NULL, TRUE, FALSE, NULL);
    CHECK(ev != NULL);
    CHECK_STATUS(NtWaitForSingleObject(ev, FALSE, (PLARGE_INTEGER)pool), STATUS_ACCESS_VIOLATION);
    LARGE_INTEGER zero;
    zero.QuadPart = 0;
    CHECK_STATUS(NtWaitForSingleObject(ev, FALSE, &zero), STATUS_TIMEOUT);
    HANDLE evs[2] = { ev, ev };
    CHECK_STATUS(NtWaitForMultipleObjects(2, (HANDLE *)pool, WaitAny, FALSE, &zero),
                 STATUS_ACCESS_VIOLATION);
    CHECK_STATUS(NtWaitForMultipleObjects(1, evs, WaitAny, FALSE, (PLARGE_INTEGER)pool),
                 STATUS_ACCESS_VIOLATION);
    CHECK_STATUS(NtCreateEvent((PHANDLE)pool, EVENT_ALL_ACCESS, NULL, NotificationEvent, FALSE),
                 STATUS_ACCESS_VIOLATION);
    CHECK_STATUS(NtSetEvent(ev, (PLONG)pool), STATUS_ACCESS_VIOLATION);
    CHECK_SUCCEEDS(CloseHandle(ev));

    /* Information classes. */
    THREAD_BASIC_INFORMATION tbi;
    ULONG len = 0;
    CHECK_STATUS(NtQueryInformationThread(GetCurrentThread(), ThreadBasicInformation, pool,
                                          sizeof(tbi), NULL),
                 STATUS_ACCESS_VIOLATION);
    CHECK_STATUS(NtQueryInformationThread(GetCurrentThread(), ThreadBasicInformation, &tbi,
                                          sizeof(tbi), (PULONG)pool),
                 STATUS_ACCESS_VIOLATION);
    CHECK_STATUS(NtQueryInformationThread(GetCurrentThread(), ThreadBasicInformation, &tbi,
                                          sizeof(tbi) - 1, &len),
                 STATUS_INFO_LENGTH_MISMATCH);
    CHECK_STATUS(NtQueryInformationThread(GetCurrentThread(), ThreadBasicInformation, &tbi,
                                          sizeof(tbi), &len),
                 STATUS_SUCCESS);
    CHECK_EQ(len, sizeof(tbi));
    CHECK_EQ((ULONG_PTR)tbi.ClientId.UniqueThread, GetCurrentThreadId());

    /* None of it reached the driver's memory, and the last good write is what it holds. */
    CheckPoolIntact(h);
    BYTE back[16];
    n = 0;
    CHECK_SUCCEEDS(ReadFile(h, back, sizeof(back), &n, NULL));
    CHECK_EQ(n, 4);
    CHECK(memcmp(back, "good", 4) == 0);
}

static void TestZeroLength(HANDLE h)
{
    BYTE buf[16];
    DWORD n = 12345;
    CHECK_SUCCEEDS(ReadFile(h, buf, 0, &n, NULL));
    CHECK_EQ(n, 0);
    n = 12345;
    CHECK_SUCCEEDS(ReadFile(h, NULL, 0, &n, NULL));
    CHECK_EQ(n, 0);
    n = 12345;
    CHECK_SUCCEEDS(WriteFile(h, buf, 0, &n, NULL));
    CHECK_EQ(n, 0);
    n = 12345;
    CHECK_SUCCEEDS(WriteFile(h, NULL, 0, &n, NULL));
    CHECK_EQ(n, 0);
    n = 12345;
    CHECK_SUCCEEDS(DeviceIoControl(h, IOCTL_ECHO_COPY, NULL, 0, NULL, 0, &n, NULL));
    CHECK_EQ(n, 0);
    /* The echo now holds nothing: a read returns 0 bytes. */
    n = 12345;
    CHECK_SUCCEEDS(ReadFile(h, buf, sizeof(buf), &n, NULL));
    CHECK_EQ(n, 0);
}

static BOOL IsResourceOrAccessError(DWORD e)
{
    return e == ERROR_NOACCESS || e == ERROR_NO_SYSTEM_RESOURCES || e == ERROR_NOT_ENOUGH_MEMORY ||
           e == ERROR_NOT_ENOUGH_QUOTA || e == ERROR_INVALID_USER_BUFFER;
}

static void TestHugeLength(HANDLE h)
{
    BYTE buf[64];
    DWORD n, e;
    BOOL ok;

    CheckRoundTrip(h, "small");

    SetLastError(0);
    ok = WriteFile(h, buf, 0xFFFFFFFF, &n, NULL);
    e = GetLastError();
    CHECK(!ok);
    CHECK(IsResourceOrAccessError(e));
    printf("WriteFile of 0xFFFFFFFF bytes: %d, error %u\n", ok, (unsigned)e);

    SetLastError(0);
    ok = ReadFile(h, buf, 0xFFFFFFFF, &n, NULL);
    e = GetLastError();
    CHECK(!ok);
    CHECK(IsResourceOrAccessError(e));
    printf("ReadFile of 0xFFFFFFFF bytes: %d, error %u\n", ok, (unsigned)e);

    SetLastError(0);
    ok = DeviceIoControl(h, IOCTL_ECHO_COPY, buf, 0xFFFFFFFF, buf, 16, &n, NULL);
    e = GetLastError();
    CHECK(!ok);
    CHECK(IsResourceOrAccessError(e));

    SetLastError(0);
    ok = DeviceIoControl(h, IOCTL_ECHO_COPY, buf, 16, buf, 0xFFFFFFFF, &n, NULL);
    e = GetLastError();
    CHECK(!ok);
    CHECK(IsResourceOrAccessError(e));

    /* The kernel keeps working. */
    CheckRoundTrip(h, "still alive after huge lengths");
    CheckPoolIntact(h);
}

static void TestBufferedCopyBack(HANDLE h)
{
    BYTE out[32];
    DWORD n;
    ULONG count;

    /* Only Information bytes come back. */
    memset(out, 0xCC, sizeof(out));
    count = 4;
    n = 12345;
    CHECK_SUCCEEDS(DeviceIoControl(h, IOCTL_ECHO_PARTIAL, &count, sizeof(count), out, 16, &n, NULL));
    CHECK_EQ(n, 4);
    CHECK(AllBytes(out, 4, 0xAB));
    CHECK(AllBytes(out + 4, sizeof(out) - 4, 0xCC));

    memset(out, 0xCC, sizeof(out));
    count = 0;
    n = 12345;
    CHECK_SUCCEEDS(DeviceIoControl(h, IOCTL_ECHO_PARTIAL, &count, sizeof(count), out, 16, &n, NULL));
    CHECK_EQ(n, 0);
    CHECK(AllBytes(out, sizeof(out), 0xCC));

    /* Nothing comes back on an error status, whatever Information says. */
    memset(out, 0xCC, sizeof(out));
    CHECK_FAILS_WITH(DeviceIoControl(h, IOCTL_ECHO_FAIL, NULL, 0, out, 16, &n, NULL),
                     ERROR_INVALID_PARAMETER);
    CHECK(AllBytes(out, sizeof(out), 0xCC));

    /* A warning (STATUS_BUFFER_OVERFLOW) copies Information bytes and fails with
     * ERROR_MORE_DATA; lpBytesReturned tells how much arrived. */
    memset(out, 0xCC, sizeof(out));
    n = 12345;
    CHECK_FAILS_WITH(DeviceIoControl(h, IOCTL_ECHO_OVERFLOW, NULL, 0, out, 16, &n, NULL),
                     ERROR_MORE_DATA);
    CHECK_EQ(n, 8);
    CHECK(AllBytes(out, 8, 0xAB));
    CHECK(AllBytes(out + 8, sizeof(out) - 8, 0xCC));

    /* Input copied to output. */
    memset(out, 0xCC, sizeof(out));
    n = 12345;
    CHECK_SUCCEEDS(DeviceIoControl(h, IOCTL_ECHO_COPY, "0123456789", 10, out, 16, &n, NULL));
    CHECK_EQ(n, 10);
    CHECK(memcmp(out, "0123456789", 10) == 0);
    CHECK(AllBytes(out + 10, sizeof(out) - 10, 0xCC));

    /* A smaller output buffer than input: only the output length comes back. */
    memset(out, 0xCC, sizeof(out));
    n = 12345;
    CHECK_SUCCEEDS(DeviceIoControl(h, IOCTL_ECHO_COPY, "0123456789", 10, out, 4, &n, NULL));
    CHECK_EQ(n, 4);
    CHECK(memcmp(out, "0123", 4) == 0);
    CHECK(AllBytes(out + 4, sizeof(out) - 4, 0xCC));

    /* A code the driver does not handle. */
    CHECK_FAILS_WITH(DeviceIoControl(h, IOCTL_ECHO_UNKNOWN, NULL, 0, NULL, 0, &n, NULL),
                     ERROR_INVALID_FUNCTION);

    /* METHOD_NEITHER with valid pointers: the driver sees the caller's own buffers. */
    memset(out, 0xCC, sizeof(out));
    n = 12345;
    CHECK_SUCCEEDS(DeviceIoControl(h, IOCTL_ECHO_NEITHER, "neither!", 8, out, 16, &n, NULL));
    CHECK_EQ(n, 8);
    CHECK(memcmp(out, "neither!", 8) == 0);
    CHECK(AllBytes(out + 8, sizeof(out) - 8, 0xCC));
}

int main(void)
{
    HANDLE h = OpenEcho(GENERIC_READ | GENERIC_WRITE);
    CHECK(h != INVALID_HANDLE_VALUE);
    if (h == INVALID_HANDLE_VALUE) {
        printf("cannot open \\\\.\\NtkEcho: error %u\n", (unsigned)GetLastError());
        return NTK_TEST_SUMMARY();
    }

    TestBadHandles();
    TestOpenAndAccess();
    TestBadBuffers(h);
    TestNtBadPointers(h);
    TestZeroLength(h);
    TestHugeLength(h);
    TestBufferedCopyBack(h);

    /* After all of it, the device still echoes. */
    CheckRoundTrip(h, "the end");
    CheckPoolIntact(h);
    CHECK_SUCCEEDS(CloseHandle(h));
    return NTK_TEST_SUMMARY();
}
