/* Pended reads completed from a DPC: the synchronous caller gets the data and count; the
 * overlapped caller gets ERROR_IO_PENDING, then its event, then the result. */
#include <windows.h>
#include <string.h>
#include "../ntktest.h"

#define PEND_DATA "completed in a DPC"

int main(void)
{
    char Buffer[64];
    DWORD Read = 0xFFFF;
    OVERLAPPED Overlapped;
    HANDLE Event, File;

    File = CreateFileW(L"\\\\.\\NtkPend", GENERIC_READ, 0, NULL, OPEN_EXISTING, 0, NULL);
    CHECK(File != INVALID_HANDLE_VALUE);
    memset(Buffer, 0, sizeof(Buffer));
    CHECK(ReadFile(File, Buffer, sizeof(Buffer), &Read, NULL));
    CHECK_EQ(Read, sizeof(PEND_DATA));
    CHECK(strcmp(Buffer, PEND_DATA) == 0);
    /* A short buffer: the error comes back through the pended path too. */
    CHECK(!ReadFile(File, Buffer, 4, &Read, NULL));
    CHECK_EQ(GetLastError(), ERROR_INSUFFICIENT_BUFFER);
    CloseHandle(File);

    File = CreateFileW(L"\\\\.\\NtkPend", GENERIC_READ, 0, NULL, OPEN_EXISTING,
                       FILE_FLAG_OVERLAPPED, NULL);
    CHECK(File != INVALID_HANDLE_VALUE);
    Event = CreateEventW(NULL, TRUE, FALSE, NULL);
    memset(&Overlapped, 0, sizeof(Overlapped));
    Overlapped.hEvent = Event;
    memset(Buffer, 0, sizeof(Buffer));
    CHECK(!ReadFile(File, Buffer, sizeof(Buffer), NULL, &Overlapped));
    CHECK_EQ(GetLastError(), ERROR_IO_PENDING);
    CHECK_EQ(WaitForSingleObject(Event, INFINITE), WAIT_OBJECT_0);
    CHECK(HasOverlappedIoCompleted(&Overlapped));
    Read = 0;
    CHECK(GetOverlappedResult(File, &Overlapped, &Read, FALSE));
    CHECK_EQ(Read, sizeof(PEND_DATA));
    CHECK(strcmp(Buffer, PEND_DATA) == 0);
    CloseHandle(Event);
    CloseHandle(File);
    return NTK_TEST_SUMMARY();
}
