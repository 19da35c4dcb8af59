/* user_vm_fault: writes to reserved memory with no __try around it. The access violation is
 * unhandled, so the process ends with its code (exit status 0xC0000005 & 0xFF = 5). */
#include <windows.h>
#include <stdio.h>

int main(void)
{
    volatile char *Base = VirtualAlloc(NULL, 0x10000, MEM_RESERVE, PAGE_READWRITE);
    if (Base == NULL)
        return 1;
    printf("user_vm_fault: writing to reserved %p\n", (void *)(Base + 0x3000));
    fflush(stdout);
    Base[0x3000] = 1;
    printf("user_vm_fault: still running\n");
    return 0;
}
