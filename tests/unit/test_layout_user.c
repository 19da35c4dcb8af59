/* Windows x64 layout of the Win32 structures of include/user, and the values of their
 * constants. Each expected value is the literal Windows x64 value (checked against
 * MinGW-w64's headers), never one computed from ntk's own headers. */
#include <windows.h>

#include <stddef.h>

#include "ntktest.h"

int main(void)
{
    /* SYSTEM_INFO */
    CHECK_EQ(sizeof(SYSTEM_INFO), 0x30);
    CHECK_EQ(offsetof(SYSTEM_INFO, dwOemId), 0x0);
    CHECK_EQ(offsetof(SYSTEM_INFO, wProcessorArchitecture), 0x0);
    CHECK_EQ(offsetof(SYSTEM_INFO, wReserved), 0x2);
    CHECK_EQ(offsetof(SYSTEM_INFO, dwPageSize), 0x4);
    CHECK_EQ(offsetof(SYSTEM_INFO, lpMinimumApplicationAddress), 0x8);
    CHECK_EQ(offsetof(SYSTEM_INFO, lpMaximumApplicationAddress), 0x10);
    CHECK_EQ(offsetof(SYSTEM_INFO, dwActiveProcessorMask), 0x18);
    CHECK_EQ(offsetof(SYSTEM_INFO, dwNumberOfProcessors), 0x20);
    CHECK_EQ(offsetof(SYSTEM_INFO, dwProcessorType), 0x24);
    CHECK_EQ(offsetof(SYSTEM_INFO, dwAllocationGranularity), 0x28);
    CHECK_EQ(offsetof(SYSTEM_INFO, wProcessorLevel), 0x2C);
    CHECK_EQ(offsetof(SYSTEM_INFO, wProcessorRevision), 0x2E);
    CHECK_EQ(PROCESSOR_ARCHITECTURE_AMD64, 9);
    CHECK_EQ(PROCESSOR_AMD_X8664, 8664);

    /* MEMORY_BASIC_INFORMATION, as user programs see it */
    CHECK_EQ(sizeof(MEMORY_BASIC_INFORMATION), 0x30);
    CHECK_EQ(offsetof(MEMORY_BASIC_INFORMATION, RegionSize), 0x18);
    CHECK_EQ(offsetof(MEMORY_BASIC_INFORMATION, Type), 0x28);
    CHECK_EQ(MEM_COMMIT, 0x1000);
    CHECK_EQ(PAGE_EXECUTE_READWRITE, 0x40);

    return NTK_TEST_SUMMARY();
}
