/* I/O completion ports through kernel32's functions: creating and associating, named ports,
 * the documented return and last-error combinations of GetQueuedCompletionStatus(Ex),
 * timeouts, batches, alertable waits, bad and wrong-type handles, completion modes.
 *     ntk run --driver statdrv.so -- user_port.so */
#include <ntk/ntapi.h>
#include <windows.h>
#include <winioctl.h>
#include "../e2e/e2e_user.h"
#include "statdrv_ioctl.h"
#include <stddef.h>

#ifndef ERROR_ABANDONED_WAIT_0
#define ERROR_ABANDONED_WAIT_0 735L
#endif
#define WAIT_BOUND_MS 30000 /* bounds waits that only a bug would make endless */
#define Increment(p) __atomic_add_fetch((p), 1, __ATOMIC_SEQ_CST)

static HANDLE OpenStat(BOOL Overlapped)
{
    return CreateFileW(L"\\\\.\\NtkStatBuf", GENERIC_READ | GENERIC_WRITE,
                       FILE_SHARE_READ | FILE_SHARE_WRITE, NULL, OPEN_EXISTING,
                       Overlapped ? FILE_FLAG_OVERLAPPED : 0, NULL);
}

static BOOL Configure(HANDLE File, ULONG How, NTSTATUS Status, ULONG Information)
{
    STAT_BEHAVIOUR Behaviour = { How, Status, Status, Information, Information };
    OVERLAPPED Ov;
    DWORD Bytes;
    BOOL Ok;
    memset(&Ov, 0, sizeof(Ov));
    Ov.hEvent = CreateEventW(NULL, TRUE, FALSE, NULL);
    Ok = DeviceIoControl(File, IOCTL_STAT_CONFIGURE, &Behaviour, sizeof(Behaviour), NULL, 0,
                         &Bytes, &Ov);
    CloseHandle(Ov.hEvent);
    return Ok;
}

/* GetQueuedCompletionStatus with nothing to remove. */
static VOID CheckEmpty(HANDLE Port, DWORD Milliseconds)
{
    DWORD Bytes = 7;
    ULONG_PTR Key = 7;
    LPOVERLAPPED Ov = (LPOVERLAPPED)&Key;
    SetLastError(0);
    CHECK(!GetQueuedCompletionStatus(Port, &Bytes, &Key, &Ov, Milliseconds));
    /* "If ... the function times out, the function returns FALSE, sets *lpOverlapped to
     * NULL, and GetLastError returns WAIT_TIMEOUT." */
    CHECK(Ov == NULL);
    CHECK_EQ(GetLastError(), WAIT_TIMEOUT);
}

static VOID TestCreate(VOID)
{
    HANDLE Port, Port2, File, SyncFile, Event;

    /* INVALID_HANDLE_VALUE creates a port associated with nothing; the key is ignored. */
    Port = CreateIoCompletionPort(INVALID_HANDLE_VALUE, NULL, 42, 0);
    CHECK(Port != NULL && Port != INVALID_HANDLE_VALUE);
    /* "In this case, the ExistingCompletionPort parameter must be NULL". */
    SetLastError(0);
    CHECK(CreateIoCompletionPort(INVALID_HANDLE_VALUE, Port, 0, 0) == NULL);
    CHECK_EQ(GetLastError(), ERROR_INVALID_PARAMETER);

    /* Associating with an existing port returns that port's handle. */
    File = OpenStat(TRUE);
    CHECK(File != INVALID_HANDLE_VALUE);
    CHECK(CreateIoCompletionPort(File, Port, 1, 0) == Port);
    /* A file is associated with one port only. */
    SetLastError(0);
    CHECK(CreateIoCompletionPort(File, Port, 2, 0) == NULL);
    CHECK_EQ(GetLastError(), ERROR_INVALID_PARAMETER);
    SetLastError(0);
    CHECK(CreateIoCompletionPort(File, NULL, 2, 0) == NULL);
    CHECK_EQ(GetLastError(), ERROR_INVALID_PARAMETER);
    CloseHandle(File);

    /* Both at once: a new port, associated with the file. */
    File = OpenStat(TRUE);
    Port2 = CreateIoCompletionPort(File, NULL, 3, 4);
    CHECK(Port2 != NULL && Port2 != Port);
    CHECK(CreateIoCompletionPort(File, Port, 4, 0) == NULL);
    CloseHandle(File);
    CloseHandle(Port2);

    /* "It has to have been opened for overlapped I/O". */
    SyncFile = OpenStat(FALSE);
    SetLastError(0);
    CHECK(CreateIoCompletionPort(SyncFile, Port, 5, 0) == NULL);
    CHECK_EQ(GetLastError(), ERROR_INVALID_PARAMETER);
    SetLastError(0);
    CHECK(CreateIoCompletionPort(SyncFile, NULL, 5, 0) == NULL);
    CHECK_EQ(GetLastError(), ERROR_INVALID_PARAMETER);
    CloseHandle(SyncFile);

    /* Bad and wrong-type handles: ERROR_INVALID_HANDLE. */
    Event = CreateEventW(NULL, TRUE, FALSE, NULL);
    File = OpenStat(TRUE);
    SetLastError(0);
    CHECK(CreateIoCompletionPort((HANDLE)(ULONG_PTR)0x7770, Port, 0, 0) == NULL);
    CHECK_EQ(GetLastError(), ERROR_INVALID_HANDLE);
    SetLastError(0);
    CHECK(CreateIoCompletionPort(Event, Port, 0, 0) == NULL); /* an event is not a file */
    CHECK_EQ(GetLastError(), ERROR_INVALID_HANDLE);
    SetLastError(0);
    CHECK(CreateIoCompletionPort(File, Event, 0, 0) == NULL); /* nor a port */
    CHECK_EQ(GetLastError(), ERROR_INVALID_HANDLE);
    SetLastError(0);
    CHECK(CreateIoCompletionPort(File, (HANDLE)(ULONG_PTR)0x7770, 0, 0) == NULL);
    CHECK_EQ(GetLastError(), ERROR_INVALID_HANDLE);
    /* The failures left the file free to associate. */
    CHECK(CreateIoCompletionPort(File, Port, 6, 0) == Port);
    CloseHandle(File);
    CloseHandle(Event);
    CloseHandle(Port);
}

static VOID TestPostAndRemove(VOID)
{
    HANDLE Port = CreateIoCompletionPort(INVALID_HANDLE_VALUE, NULL, 0, 1);
    OVERLAPPED Ov[3];
    OVERLAPPED_ENTRY Entries[8];
    IO_COMPLETION_BASIC_INFORMATION Basic;
    ULONG Removed, i, ResultLength;
    DWORD Bytes;
    ULONG_PTR Key;
    LPOVERLAPPED Got;

    /* Nothing queued: a zero timeout and a short one both time out. */
    CheckEmpty(Port, 0);
    CheckEmpty(Port, 20);

    /* Packets come out first in, first out, as posted. */
    for (i = 0; i < 3; i++)
        CHECK(PostQueuedCompletionStatus(Port, 100 + i, 10 + i, &Ov[i]));
    CHECK_STATUS(NtQueryIoCompletion(Port, IoCompletionBasicInformation, &Basic, sizeof(Basic),
                                     &ResultLength),
                 STATUS_SUCCESS);
    CHECK_EQ(Basic.Depth, 3);
    CHECK_EQ(ResultLength, sizeof(Basic));
    CHECK_STATUS(NtQueryIoCompletion(Port, IoCompletionBasicInformation, &Basic, 1, NULL),
                 STATUS_INFO_LENGTH_MISMATCH);
    for (i = 0; i < 3; i++) {
        CHECK(GetQueuedCompletionStatus(Port, &Bytes, &Key, &Got, INFINITE));
        CHECK_EQ(Bytes, 100 + i);
        CHECK_EQ(Key, 10 + i);
        CHECK(Got == &Ov[i]);
    }
    CheckEmpty(Port, 0);

    /* A posted packet with a NULL OVERLAPPED is a success: TRUE with lpOverlapped NULL. */
    CHECK(PostQueuedCompletionStatus(Port, 0, 99, NULL));
    Got = (LPOVERLAPPED)&Key;
    CHECK(GetQueuedCompletionStatus(Port, &Bytes, &Key, &Got, 0));
    CHECK(Got == NULL);
    CHECK_EQ(Key, 99);

    /* A packet posted with a failure status (NtSetIoCompletion): FALSE, the OVERLAPPED set,
     * the packet's error. */
    CHECK_STATUS(NtSetIoCompletion(Port, (PVOID)77, &Ov[0], STATUS_INVALID_PARAMETER, 3),
                 STATUS_SUCCESS);
    SetLastError(0);
    CHECK(!GetQueuedCompletionStatus(Port, &Bytes, &Key, &Got, 0));
    CHECK(Got == &Ov[0]);
    CHECK_EQ(Key, 77);
    CHECK_EQ(Bytes, 3);
    CHECK_EQ(GetLastError(), ERROR_INVALID_PARAMETER);

    /* GetQueuedCompletionStatusEx: up to ulCount entries at once, each with its status. */
    for (i = 0; i < 5; i++)
        CHECK(PostQueuedCompletionStatus(Port, i, 20 + i, &Ov[i % 3]));
    Removed = 99;
    CHECK(GetQueuedCompletionStatusEx(Port, Entries, 3, &Removed, INFINITE, FALSE));
    CHECK_EQ(Removed, 3);
    for (i = 0; i < 3; i++) {
        CHECK_EQ(Entries[i].lpCompletionKey, 20 + i);
        CHECK(Entries[i].lpOverlapped == &Ov[i % 3]);
        CHECK_EQ(Entries[i].dwNumberOfBytesTransferred, i);
        CHECK_EQ(Entries[i].Internal, (ULONG_PTR)STATUS_SUCCESS);
    }
    CHECK(GetQueuedCompletionStatusEx(Port, Entries, 8, &Removed, 0, FALSE));
    CHECK_EQ(Removed, 2);
    CHECK_EQ(Entries[0].lpCompletionKey, 23);
    CHECK_EQ(Entries[1].lpCompletionKey, 24);
    SetLastError(0);
    Removed = 99;
    CHECK(!GetQueuedCompletionStatusEx(Port, Entries, 8, &Removed, 0, FALSE));
    CHECK_EQ(GetLastError(), WAIT_TIMEOUT);
    CHECK_EQ(Removed, 0);
    SetLastError(0);
    CHECK(!GetQueuedCompletionStatusEx(Port, Entries, 0, &Removed, 0, FALSE));
    CHECK_EQ(GetLastError(), ERROR_INVALID_PARAMETER);
    /* A bad array fails the call without taking the packet. */
    CHECK(PostQueuedCompletionStatus(Port, 0, 31, NULL));
    CHECK_STATUS(NtRemoveIoCompletionEx(Port, (PFILE_IO_COMPLETION_INFORMATION)(ULONG_PTR)8, 1,
                                        &Removed, NULL, FALSE),
                 STATUS_ACCESS_VIOLATION);
    CHECK(GetQueuedCompletionStatus(Port, &Bytes, &Key, &Got, 0));
    CHECK_EQ(Key, 31);
    CloseHandle(Port);
}

static volatile LONG ApcRuns;

static VOID WINAPI CountApc(ULONG_PTR Parameter)
{
    Increment(&ApcRuns);
    CHECK_EQ(Parameter, 0xA9C);
}

static VOID TestAlertable(VOID)
{
    HANDLE Port = CreateIoCompletionPort(INVALID_HANDLE_VALUE, NULL, 0, 0);
    OVERLAPPED_ENTRY Entry;
    ULONG Removed = 99;
    DWORD Bytes;
    ULONG_PTR Key;
    LPOVERLAPPED Got;

    CHECK(QueueUserAPC(CountApc, GetCurrentThread(), 0xA9C));
    /* Not alertable: the APC stays queued. */
    CheckEmpty(Port, 0);
    CHECK(!GetQueuedCompletionStatusEx(Port, &Entry, 1, &Removed, 0, FALSE));
    CHECK_EQ(ApcRuns, 0);
    /* Alertable: the APC runs and the call returns FALSE with WAIT_IO_COMPLETION. */
    SetLastError(0);
    Removed = 99;
    CHECK(!GetQueuedCompletionStatusEx(Port, &Entry, 1, &Removed, INFINITE, TRUE));
    CHECK_EQ(GetLastError(), WAIT_IO_COMPLETION);
    CHECK_EQ(Removed, 0);
    CHECK_EQ(ApcRuns, 1);
    /* With a packet queued too, the packet wins (the wait is satisfied first). */
    CHECK(PostQueuedCompletionStatus(Port, 1, 2, NULL));
    CHECK(QueueUserAPC(CountApc, GetCurrentThread(), 0xA9C));
    CHECK(GetQueuedCompletionStatusEx(Port, &Entry, 1, &Removed, INFINITE, TRUE));
    CHECK_EQ(Removed, 1);
    CHECK_EQ(Entry.lpCompletionKey, 2);
    CHECK_EQ(SleepEx(1, TRUE), WAIT_IO_COMPLETION); /* the APC left queued runs now */
    CHECK_EQ(ApcRuns, 2);
    (void)Bytes;
    (void)Key;
    (void)Got;
    CloseHandle(Port);
}

static VOID TestBadHandles(VOID)
{
    HANDLE Event = CreateEventW(NULL, TRUE, FALSE, NULL);
    HANDLE Port = CreateIoCompletionPort(INVALID_HANDLE_VALUE, NULL, 0, 0);
    HANDLE File = OpenStat(TRUE);
    HANDLE Bad = (HANDLE)(ULONG_PTR)0x7770;
    OVERLAPPED_ENTRY Entry;
    OVERLAPPED Ov;
    UCHAR Buffer[4];
    ULONG Removed;
    DWORD Bytes;
    ULONG_PTR Key;
    LPOVERLAPPED Got = (LPOVERLAPPED)&Key;

    /* A handle that is not a port: FALSE, *lpOverlapped NULL, ERROR_INVALID_HANDLE. */
    SetLastError(0);
    CHECK(!GetQueuedCompletionStatus(Bad, &Bytes, &Key, &Got, 0));
    CHECK(Got == NULL);
    CHECK_EQ(GetLastError(), ERROR_INVALID_HANDLE);
    Got = (LPOVERLAPPED)&Key;
    SetLastError(0);
    CHECK(!GetQueuedCompletionStatus(Event, &Bytes, &Key, &Got, 0));
    CHECK(Got == NULL);
    CHECK_EQ(GetLastError(), ERROR_INVALID_HANDLE);
    SetLastError(0);
    CHECK(!GetQueuedCompletionStatus(File, &Bytes, &Key, &Got, 0));
    CHECK_EQ(GetLastError(), ERROR_INVALID_HANDLE);
    SetLastError(0);
    CHECK(!GetQueuedCompletionStatusEx(Event, &Entry, 1, &Removed, 0, FALSE));
    CHECK_EQ(GetLastError(), ERROR_INVALID_HANDLE);
    SetLastError(0);
    CHECK(!PostQueuedCompletionStatus(Bad, 0, 0, NULL));
    CHECK_EQ(GetLastError(), ERROR_INVALID_HANDLE);
    SetLastError(0);
    CHECK(!PostQueuedCompletionStatus(Event, 0, 0, NULL));
    CHECK_EQ(GetLastError(), ERROR_INVALID_HANDLE);
    SetLastError(0);
    CHECK(!SetFileCompletionNotificationModes(Port, FILE_SKIP_COMPLETION_PORT_ON_SUCCESS));
    CHECK_EQ(GetLastError(), ERROR_INVALID_HANDLE);

    /* A port used as a file. */
    memset(&Ov, 0, sizeof(Ov));
    SetLastError(0);
    CHECK(!ReadFile(Port, Buffer, sizeof(Buffer), &Bytes, &Ov));
    CHECK_EQ(GetLastError(), ERROR_INVALID_HANDLE);
    SetLastError(0);
    CHECK(!WriteFile(Port, Buffer, sizeof(Buffer), &Bytes, NULL));
    CHECK_EQ(GetLastError(), ERROR_INVALID_HANDLE);
    SetLastError(0);
    CHECK(!DeviceIoControl(Port, IOCTL_STAT_BUFFERED, NULL, 0, Buffer, sizeof(Buffer), &Bytes,
                           NULL));
    CHECK_EQ(GetLastError(), ERROR_INVALID_HANDLE);

    /* Completion modes: unknown flags are invalid; the port must be opened for the handle. */
    SetLastError(0);
    CHECK(!SetFileCompletionNotificationModes(File, 0x80));
    CHECK_EQ(GetLastError(), ERROR_INVALID_PARAMETER);
    CHECK(SetFileCompletionNotificationModes(File, FILE_SKIP_SET_EVENT_ON_HANDLE));

    /* A closed port handle is a bad handle. */
    CloseHandle(Port);
    SetLastError(0);
    CHECK(!PostQueuedCompletionStatus(Port, 0, 0, NULL));
    CHECK_EQ(GetLastError(), ERROR_INVALID_HANDLE);
    CloseHandle(File);
    CloseHandle(Event);
}

/* FILE_SKIP_SET_EVENT_ON_HANDLE: an asynchronous request on the file leaves the file handle
 * unsignalled; FILE_SKIP_COMPLETION_PORT_ON_SUCCESS: an immediate success queues nothing, a
 * pended one still does. */
static VOID TestCompletionModes(VOID)
{
    HANDLE Port = CreateIoCompletionPort(INVALID_HANDLE_VALUE, NULL, 0, 0);
    HANDLE File = OpenStat(TRUE), Plain = OpenStat(TRUE);
    HANDLE Event = CreateEventW(NULL, TRUE, FALSE, NULL);
    UCHAR Buffer[8];
    OVERLAPPED Ov;
    DWORD Bytes;
    ULONG_PTR Key;
    LPOVERLAPPED Got;

    CHECK(CreateIoCompletionPort(File, Port, 0x5C, 0) == Port);
    CHECK(SetFileCompletionNotificationModes(
        File, FILE_SKIP_COMPLETION_PORT_ON_SUCCESS | FILE_SKIP_SET_EVENT_ON_HANDLE));
    CHECK(Configure(Plain, STAT_COMPLETE_NOW, STATUS_SUCCESS, 2));

    /* The file handle is left unsignalled by the request (a plain handle is signalled). */
    memset(&Ov, 0, sizeof(Ov));
    Ov.hEvent = Event;
    CHECK(DeviceIoControl(Plain, IOCTL_STAT_BUFFERED, NULL, 0, Buffer, sizeof(Buffer), &Bytes,
                          &Ov));
    CHECK_EQ(WaitForSingleObject(Plain, 0), WAIT_OBJECT_0);
    memset(&Ov, 0, sizeof(Ov));
    Ov.hEvent = Event;
    CHECK(DeviceIoControl(File, IOCTL_STAT_BUFFERED, NULL, 0, Buffer, sizeof(Buffer), &Bytes,
                          &Ov));
    CHECK_EQ(Bytes, 2);
    CHECK_EQ(WaitForSingleObject(Event, 0), WAIT_OBJECT_0); /* the user's event is set */
    /* Immediate success: no packet. */
    CheckEmpty(Port, 0);

    /* Pended: a packet. */
    CHECK(Configure(Plain, STAT_PEND_WORKITEM, STATUS_SUCCESS, 3));
    memset(&Ov, 0, sizeof(Ov));
    Ov.hEvent = Event;
    CHECK(!DeviceIoControl(File, IOCTL_STAT_BUFFERED, NULL, 0, Buffer, sizeof(Buffer), &Bytes,
                           &Ov));
    CHECK_EQ(GetLastError(), ERROR_IO_PENDING);
    CHECK(GetQueuedCompletionStatus(Port, &Bytes, &Key, &Got, WAIT_BOUND_MS));
    CHECK_EQ(Key, 0x5C);
    CHECK(Got == &Ov);
    CHECK_EQ(Bytes, 3);
    CHECK_EQ(WaitForSingleObject(File, 0), WAIT_TIMEOUT);
    CloseHandle(Event);
    CloseHandle(Plain);
    CloseHandle(File);
    CloseHandle(Port);
}

/* A named port: NtCreateIoCompletion with a name, NtOpenIoCompletion by it; a name of another
 * type is STATUS_OBJECT_TYPE_MISMATCH. */
static VOID TestNamed(VOID)
{
    UNICODE_STRING Name = RTL_CONSTANT_STRING(L"\\BaseNamedObjects\\NtkTestPort");
    UNICODE_STRING EventName = RTL_CONSTANT_STRING(L"\\BaseNamedObjects\\NtkPortEvent");
    OBJECT_ATTRIBUTES Attributes;
    HANDLE Port = NULL, Opened = NULL, Other = NULL;
    HANDLE Event = CreateEventW(NULL, TRUE, FALSE, L"NtkPortEvent");
    DWORD Bytes;
    ULONG_PTR Key;
    LPOVERLAPPED Got;

    InitializeObjectAttributes(&Attributes, &Name, 0, NULL, NULL);
    CHECK_STATUS(NtCreateIoCompletion(&Port, IO_COMPLETION_ALL_ACCESS, &Attributes, 2),
                 STATUS_SUCCESS);
    CHECK_STATUS(NtOpenIoCompletion(&Opened, IO_COMPLETION_ALL_ACCESS, &Attributes),
                 STATUS_SUCCESS);
    CHECK(PostQueuedCompletionStatus(Port, 8, 0x0A, NULL));
    CHECK(GetQueuedCompletionStatus(Opened, &Bytes, &Key, &Got, 0));
    CHECK_EQ(Key, 0x0A);
    CHECK_EQ(Bytes, 8);
    /* Query access alone does not allow removing or posting. */
    CHECK_STATUS(NtOpenIoCompletion(&Other, IO_COMPLETION_QUERY_STATE, &Attributes),
                 STATUS_SUCCESS);
    SetLastError(0);
    CHECK(!PostQueuedCompletionStatus(Other, 0, 0, NULL));
    CHECK_EQ(GetLastError(), ERROR_ACCESS_DENIED);
    NtClose(Other);
    InitializeObjectAttributes(&Attributes, &EventName, 0, NULL, NULL);
    CHECK_STATUS(NtOpenIoCompletion(&Other, IO_COMPLETION_ALL_ACCESS, &Attributes),
                 STATUS_OBJECT_TYPE_MISMATCH);
    NtClose(Opened);
    NtClose(Port);
    CloseHandle(Event);
}

/* OVERLAPPED and OVERLAPPED_ENTRY as Windows x64 lays them out (winbase.h/minwinbase.h); the
 * kernel structures are checked in tests/unit/test_layout.c, which cannot include windows.h. */
static VOID TestLayout(VOID)
{
    CHECK_EQ(sizeof(OVERLAPPED), 0x20);
    CHECK_EQ(offsetof(OVERLAPPED, Internal), 0x0);
    CHECK_EQ(offsetof(OVERLAPPED, InternalHigh), 0x8);
    CHECK_EQ(offsetof(OVERLAPPED, Offset), 0x10);
    CHECK_EQ(offsetof(OVERLAPPED, OffsetHigh), 0x14);
    CHECK_EQ(offsetof(OVERLAPPED, Pointer), 0x10);
    CHECK_EQ(offsetof(OVERLAPPED, hEvent), 0x18);
    CHECK_EQ(sizeof(OVERLAPPED_ENTRY), 0x20);
    CHECK_EQ(offsetof(OVERLAPPED_ENTRY, lpCompletionKey), 0x0);
    CHECK_EQ(offsetof(OVERLAPPED_ENTRY, lpOverlapped), 0x8);
    CHECK_EQ(offsetof(OVERLAPPED_ENTRY, Internal), 0x10);
    CHECK_EQ(offsetof(OVERLAPPED_ENTRY, dwNumberOfBytesTransferred), 0x18);
    CHECK_EQ(sizeof(FILE_IO_COMPLETION_INFORMATION), sizeof(OVERLAPPED_ENTRY));
}

int main(void)
{
    TestLayout();
    TestCreate();
    TestNamed();
    TestPostAndRemove();
    TestAlertable();
    TestBadHandles();
    TestCompletionModes();
    return NTK_TEST_SUMMARY();
}
