/* CppAlloc's client: adds three items, reads one back, removes one, shows the driver's
 * allocation counters, and exits with two items still in the list (the driver frees them when
 * it unloads). Bad requests fail with the Win32 errors of their NTSTATUS. */
#include <windows.h>
#include <winioctl.h>
#include <stdio.h>
#include <string.h>
#include "CppAllocCommon.h"

static int Error(const char* message)
{
    printf("%s (error=%u)\n", message, (unsigned)GetLastError());
    return 1;
}

int main(void)
{
    static const char* const Texts[] = { "first item", "second item", "third item" };
    ULONG Ids[3], Id;
    char Text[CPPALLOC_MAX_TEXT + 1];
    CppAllocStats Stats;
    DWORD Bytes;
    int i;
    HANDLE hDevice = CreateFile(L"\\\\.\\CppAlloc", GENERIC_READ | GENERIC_WRITE, 0, NULL,
                                OPEN_EXISTING, 0, NULL);
    if (hDevice == INVALID_HANDLE_VALUE)
        return Error("Failed to open device");

    for (i = 0; i < 3; i++)
        if (!DeviceIoControl(hDevice, IOCTL_CPPALLOC_ADD, (PVOID)Texts[i],
                             (DWORD)strlen(Texts[i]), &Ids[i], sizeof(Ids[i]), &Bytes, NULL))
            return Error("Failed to add an item");
    printf("Added items %u, %u, %u\n", (unsigned)Ids[0], (unsigned)Ids[1], (unsigned)Ids[2]);

    if (!DeviceIoControl(hDevice, IOCTL_CPPALLOC_GET, &Ids[1], sizeof(Ids[1]), Text,
                         sizeof(Text) - 1, &Bytes, NULL))
        return Error("Failed to get an item");
    Text[Bytes] = 0;
    printf("Item %u: %s\n", (unsigned)Ids[1], Text);

    if (!DeviceIoControl(hDevice, IOCTL_CPPALLOC_REMOVE, &Ids[0], sizeof(Ids[0]), NULL, 0,
                         &Bytes, NULL))
        return Error("Failed to remove an item");
    /* Gone now. */
    if (DeviceIoControl(hDevice, IOCTL_CPPALLOC_GET, &Ids[0], sizeof(Ids[0]), Text,
                        sizeof(Text), &Bytes, NULL) ||
        GetLastError() != ERROR_NOT_FOUND)
        return Error("A removed item is still there");
    /* No text, and too much text. */
    if (DeviceIoControl(hDevice, IOCTL_CPPALLOC_ADD, Text, 0, &Id, sizeof(Id), &Bytes, NULL) ||
        GetLastError() != ERROR_INVALID_PARAMETER)
        return Error("An empty item was accepted");
    memset(Text, 'x', sizeof(Text));
    if (DeviceIoControl(hDevice, IOCTL_CPPALLOC_ADD, Text, sizeof(Text), &Id, sizeof(Id), &Bytes,
                        NULL) ||
        GetLastError() != ERROR_INVALID_PARAMETER)
        return Error("An oversized item was accepted");

    if (!DeviceIoControl(hDevice, IOCTL_CPPALLOC_STATS, NULL, 0, &Stats, sizeof(Stats), &Bytes,
                         NULL))
        return Error("Failed to get the statistics");
    printf("Items: %u, live allocations: %d, total allocations: %u\n", Stats.Items,
           Stats.LiveAllocations, Stats.TotalAllocations);
    CloseHandle(hDevice);
    return 0;
}
