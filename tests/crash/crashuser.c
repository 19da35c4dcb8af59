/* crashuser: asks bugdrv to commit one crash, named on the command line.
 *     ntk run --driver bugdrv.so -- crashuser.so CASE
 * Crashes that happen at unload (leak, thread_unload, timer_unload) or on another thread
 * (thread_fault, work_*, deadlock) let this program return or wait; the rest never return. */
#include <windows.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "bugdrv.h"

#define BUGDRV_NAME(name) #name,
static const char *const Names[] = { BUGDRV_CASES(BUGDRV_NAME) };

int main(int argc, char **argv)
{
    ULONG Case;
    DWORD Returned = 0;
    HANDLE Device;
    if (argc < 2) {
        fprintf(stderr, "usage: crashuser CASE\n");
        return 2;
    }
    for (Case = 0; Case < BUGDRV_CASE_COUNT; Case++)
        if (strcmp(Names[Case], argv[1]) == 0)
            break;
    if (Case == BUGDRV_CASE_COUNT) {
        fprintf(stderr, "crashuser: no case '%s'\n", argv[1]);
        return 2;
    }
    Device = CreateFileW(BUGDRV_WIN32_NAME, GENERIC_READ | GENERIC_WRITE, 0, NULL, OPEN_EXISTING,
                         0, NULL);
    if (Device == INVALID_HANDLE_VALUE) {
        fprintf(stderr, "crashuser: cannot open the device: %u\n", (unsigned)GetLastError());
        return 2;
    }
    printf("crashuser: asking for %s\n", argv[1]);
    if (!DeviceIoControl(Device, IOCTL_BUGDRV_CRASH, &Case, sizeof(Case), NULL, 0, &Returned,
                         NULL))
        printf("crashuser: DeviceIoControl failed: %u\n", (unsigned)GetLastError());
    /* A crash on another thread takes a moment. */
    if (argc > 2)
        Sleep((DWORD)atoi(argv[2]));
    CloseHandle(Device);
    printf("crashuser: survived %s\n", argv[1]);
    return 0;
}
