/* The KMelody client of chapter 8: queues a short tune with one IOCTL_MELODY_PLAY and waits
 * while the driver's thread plays it on the Beep device (the IOCTL returns at once): the
 * tune's length plus MARGIN ms (`melody [MARGIN]`, default 500), so that the run does not end,
 * and the driver unload, in the middle of it. Under
 * `ntk run --virtual-time --beep-wav FILE` the file then holds exactly these tones:
 *   440 Hz 200 ms, 50 ms silence; 587 Hz 150 ms twice, 100 ms after each; 659 Hz 300 ms,
 *   30 ms silence and a 120 ms rest; 784 Hz 100 ms three times, 80 ms after each; 880 Hz
 *   400 ms. */
#include <windows.h>
#include <winioctl.h>
#include <stdio.h>
#include <stdlib.h>
#include "KMelodyCommon.h"

static const Note Tune[] = {
    /* Frequency, Duration, Delay, Repeat */
    { 440, 200, 50, 1 },
    { 587, 150, 100, 2 },
    { 659, 300, 30, 1 },
    { 0, 120, 0, 1 }, /* a rest */
    { 784, 100, 80, 3 },
    { 880, 400, 20, 1 },
};

static int Error(const char *message)
{
    printf("%s (error=%u)\n", message, (unsigned)GetLastError());
    return 1;
}

int main(int argc, char *argv[])
{
    DWORD total = 0, bytes, margin = argc > 1 ? (DWORD)strtoul(argv[1], NULL, 10) : 500;
    ULONG i, count = sizeof(Tune) / sizeof(Tune[0]);

    HANDLE hDevice = CreateFile(L"\\\\.\\KMelody", GENERIC_WRITE, 0, NULL, OPEN_EXISTING, 0,
                                NULL);
    if (hDevice == INVALID_HANDLE_VALUE)
        return Error("Failed to open device");

    for (i = 0; i < count; i++)
        total += (Tune[i].Repeat ? Tune[i].Repeat : 1) * (Tune[i].Duration + Tune[i].Delay);
    if (!DeviceIoControl(hDevice, IOCTL_MELODY_PLAY, (LPVOID)Tune, sizeof(Tune), NULL, 0, &bytes,
                         NULL)) {
        int rc = Error("Failed to play the melody");
        CloseHandle(hDevice);
        return rc;
    }
    printf("melody: %u notes queued, %u ms of music\n", (unsigned)count, (unsigned)total);
    CloseHandle(hDevice);

    /* The driver plays on after the IOCTL returns; the run must not end before the tune. */
    Sleep(total + margin);
    printf("melody: done\n");
    return 0;
}
