/* boost_badptr: the PriorityBooster sample (samples/prioritybooster) against bad input. Its
 * IOCTL is METHOD_NEITHER, so every pointer below reaches the driver as it is; the driver's
 * probe and __try turn the bad ones into failed requests and the kernel keeps serving.
 *   boost_badptr            every case, then "N passed, 0 failed"
 *   boost_badptr unmapped   one IOCTL with an unmapped input buffer (for the driver built
 *                           without __try: the kernel stops) */
#include <windows.h>
#include <winioctl.h>
#include <string.h>
#include "../e2e/e2e_user.h"
#include "../../samples/prioritybooster/PriorityBoosterCommon.h"

/* Below 64 KiB nothing is ever mapped, on Windows or Linux. */
#define UNMAPPED_ADDRESS ((PVOID)(ULONG_PTR)0x1000)
/* System space: MmSystemRangeStart and above. */
#define SYSTEM_ADDRESS ((PVOID)(ULONG_PTR)0x700000000000ULL)

static HANDLE Device;

static BOOL Boost(PVOID Input, DWORD Length)
{
    DWORD Returned = 0;
    return DeviceIoControl(Device, IOCTL_PRIORITY_BOOSTER_SET_PRIORITY, Input, Length, NULL, 0,
                           &Returned, NULL);
}

int main(int argc, char *argv[])
{
    ThreadData Data;
    union {
        ULONG Align;
        UCHAR Bytes[2 * sizeof(ThreadData)];
    } Raw;

    Device = CreateFileW(L"\\\\.\\PriorityBooster", GENERIC_WRITE, 0, NULL, OPEN_EXISTING, 0,
                         NULL);
    if (Device == INVALID_HANDLE_VALUE) {
        printf("boost_badptr: cannot open \\\\.\\PriorityBooster (error %lu)\n",
               (unsigned long)GetLastError());
        return 1;
    }
    if (argc > 1 && strcmp(argv[1], "unmapped") == 0) {
        printf("boost_badptr: passing the unmapped buffer %p\n", UNMAPPED_ADDRESS);
        fflush(stdout);
        Boost(UNMAPPED_ADDRESS, sizeof(ThreadData));
        printf("boost_badptr: survived (error %lu)\n", (unsigned long)GetLastError());
        CloseHandle(Device);
        return 0;
    }

    Data.ThreadId = GetCurrentThreadId();
    Data.Priority = 20;
    CHECK(Boost(&Data, sizeof(Data)));

    /* Pointers the probe or the read refuse: STATUS_ACCESS_VIOLATION or
     * STATUS_DATATYPE_MISALIGNMENT, both ERROR_NOACCESS. */
    CHECK_FAILS_WITH(Boost(UNMAPPED_ADDRESS, sizeof(ThreadData)), ERROR_NOACCESS);
    CHECK_FAILS_WITH(Boost(SYSTEM_ADDRESS, sizeof(ThreadData)), ERROR_NOACCESS);
    memcpy(&Raw.Bytes[1], &Data, sizeof(Data));
    CHECK_FAILS_WITH(Boost(&Raw.Bytes[1], sizeof(ThreadData)), ERROR_NOACCESS);

    /* The driver's own checks. */
    CHECK_FAILS_WITH(Boost(NULL, sizeof(ThreadData)), ERROR_INVALID_PARAMETER);
    CHECK_FAILS_WITH(Boost(&Data, sizeof(Data) - 1), ERROR_INSUFFICIENT_BUFFER);
    Data.Priority = 0;
    CHECK_FAILS_WITH(Boost(&Data, sizeof(Data)), ERROR_INVALID_PARAMETER);
    Data.Priority = 32;
    CHECK_FAILS_WITH(Boost(&Data, sizeof(Data)), ERROR_INVALID_PARAMETER);
    Data.ThreadId = 0xFFFFFFF0;
    Data.Priority = 10;
    CHECK_FAILS_WITH(Boost(&Data, sizeof(Data)), ERROR_INVALID_PARAMETER);

    /* After every failure the driver and the kernel still work. */
    Data.ThreadId = GetCurrentThreadId();
    Data.Priority = 12;
    CHECK(Boost(&Data, sizeof(Data)));

    CloseHandle(Device);
    return NTK_TEST_SUMMARY();
}
