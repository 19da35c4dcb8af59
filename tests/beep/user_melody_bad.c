/* user_melody_bad: bad requests to the KMelody driver get their NTSTATUS and queue nothing;
 * then a note plays and an hour-long one is cut short when the driver unloads. Under
 * --virtual-time the WAV file holds exactly
 *   tone:523:100 gap:40 tone:500:100
 * (the driver's thread must stop in the middle of the long note, and silence the speaker). */
#include <windows.h>
#include <winioctl.h>
#include <ntk/ntapi.h>
#include <stdlib.h>
#include "../ntktest.h"
#include "../../samples/kmelody/KMelodyCommon.h"

static HANDLE g_Melody;

static NTSTATUS Play(const VOID *Notes, ULONG Length)
{
    IO_STATUS_BLOCK iosb;
    return NtDeviceIoControlFile(g_Melody, NULL, NULL, NULL, &iosb, IOCTL_MELODY_PLAY,
                                 (PVOID)Notes, Length, NULL, 0);
}

int main(void)
{
    UNICODE_STRING name = RTL_CONSTANT_STRING(L"\\??\\KMelody");
    OBJECT_ATTRIBUTES oa;
    IO_STATUS_BLOCK iosb;
    Note good[2] = { { 523, 100, 40, 1 }, { 500, 3600 * 1000, 0, 1 } };
    Note bad[3] = { { 523, 100, 0, 1 }, { 20, 100, 0, 1 }, { 523, 100, 0, 1 } };
    Note *many = calloc(MELODY_MAX_NOTES + 1, sizeof(Note));

    InitializeObjectAttributes(&oa, &name, OBJ_CASE_INSENSITIVE, NULL, NULL);
    CHECK_STATUS(NtCreateFile(&g_Melody, GENERIC_WRITE | SYNCHRONIZE, &oa, &iosb, NULL, 0,
                              FILE_SHARE_READ | FILE_SHARE_WRITE, FILE_OPEN,
                              FILE_SYNCHRONOUS_IO_NONALERT, NULL, 0),
                 STATUS_SUCCESS);
    CHECK(many != NULL);
    if (g_Melody == NULL || many == NULL)
        return NTK_TEST_SUMMARY();

    /* Sizes: nothing, part of a note, more notes than one request may hold. */
    CHECK_STATUS(Play(NULL, 0), STATUS_INVALID_BUFFER_SIZE);
    CHECK_STATUS(Play(good, 0), STATUS_INVALID_BUFFER_SIZE);
    CHECK_STATUS(Play(good, sizeof(Note) - 1), STATUS_INVALID_BUFFER_SIZE);
    CHECK_STATUS(Play(good, sizeof(Note) + 1), STATUS_INVALID_BUFFER_SIZE);
    CHECK_STATUS(Play(many, (MELODY_MAX_NOTES + 1) * sizeof(Note)), STATUS_INVALID_PARAMETER);
    /* A frequency the Beep device would refuse fails the whole request. */
    CHECK_STATUS(Play(bad, sizeof(bad)), STATUS_INVALID_PARAMETER);
    bad[1].Frequency = 0x8000;
    CHECK_STATUS(Play(bad, sizeof(bad)), STATUS_INVALID_PARAMETER);
    /* Pointers the I/O manager refuses; a code the driver does not know. */
    CHECK_STATUS(Play((PVOID)(ULONG_PTR)0x10, sizeof(Note)), STATUS_ACCESS_VIOLATION);
    CHECK_STATUS(Play((PVOID)(ULONG_PTR)0x700000001000ULL, sizeof(Note)), STATUS_ACCESS_VIOLATION);
    CHECK_STATUS(NtDeviceIoControlFile(g_Melody, NULL, NULL, NULL, &iosb,
                                       CTL_CODE(MELODY_DEVICE, 0x801, METHOD_BUFFERED,
                                                FILE_ANY_ACCESS),
                                       good, sizeof(good), NULL, 0),
                 STATUS_INVALID_DEVICE_REQUEST);

    /* The most notes allowed: silent rests of no length, over at once. */
    CHECK_STATUS(Play(many, MELODY_MAX_NOTES * sizeof(Note)), STATUS_SUCCESS);

    CHECK_STATUS(Play(good, sizeof(good)), STATUS_SUCCESS);
    Sleep(100 + 40 + 100);
    CHECK_STATUS(NtClose(g_Melody), STATUS_SUCCESS);
    free(many);
    return NTK_TEST_SUMMARY();
}
