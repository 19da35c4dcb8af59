/* user_vm_exit: leaves memory allocated when it exits. It reserves and commits a region at
 * VMTEST_EXIT_ADDRESS, another where the kernel chooses, tells kmtest_vm the first one and
 * returns from main without freeing either: the process's exit must release both, which the
 * driver checks at unload. */
#include <windows.h>
#include <winioctl.h>
#include "../ntktest.h"
#include "vm_ioctl.h"

int main(void)
{
    HANDLE Device = CreateFileW(L"\\\\.\\NtkVm", GENERIC_READ | GENERIC_WRITE, 0, NULL,
                                OPEN_EXISTING, 0, NULL);
    unsigned long long Address = VMTEST_EXIT_ADDRESS;
    PUCHAR Fixed = VirtualAlloc((PVOID)(ULONG_PTR)Address, 0x10000, MEM_RESERVE | MEM_COMMIT,
                                PAGE_READWRITE);
    PUCHAR Chosen = VirtualAlloc(NULL, 0x100000, MEM_RESERVE, PAGE_READWRITE);
    DWORD Returned;

    CHECK(Device != INVALID_HANDLE_VALUE);
    CHECK_EQ(Fixed, Address);
    CHECK(Chosen != NULL);
    CHECK(VirtualAlloc(Chosen, 0x1000, MEM_COMMIT, PAGE_READWRITE) == Chosen);
    if (Fixed != NULL)
        Fixed[0] = 1;
    CHECK(DeviceIoControl(Device, IOCTL_VMTEST_REMEMBER, &Address, sizeof(Address), NULL, 0,
                          &Returned, NULL));
    CloseHandle(Device);
    printf("user_vm_exit: leaving %p and %p allocated\n", (void *)Fixed, (void *)Chosen);
    return NTK_TEST_SUMMARY();
}
