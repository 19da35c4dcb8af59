/* The completion-status matrix: every combination of how the driver completes a request
 * (returned status, or pending with a final status, completed from a work item or inside the
 * dispatch routine), transfer (control codes of the four methods, buffered and direct reads
 * and writes) and caller (synchronous handle, overlapped with an event, without an event, on a
 * port, on a port with the event's low bit set, on a port with
 * FILE_SKIP_COMPLETION_PORT_ON_SUCCESS, and NtDeviceIoControlFile/NtReadFile/NtWriteFile on a
 * synchronous and on a port's handle). For each row the expected outcome is computed from the
 * documented rules (Expect below), then compared with what the caller sees: the return value
 * and last error, the NTSTATUS, the status block (pre-filled with a sentinel), the event
 * (pre-set), the file handle's state, the port's packets, and the bytes in the caller's buffer.
 *     ntk run --driver statdrv.so -- user_matrix.so */
#include <ntk/ntapi.h>
#include <windows.h>
#include <winioctl.h>
#include "../e2e/e2e_user.h"
#include "statdrv_ioctl.h"

#define BUFFER_LENGTH 16
#define INFORMATION 5
#define SENTINEL_STATUS ((ULONG_PTR)0x5A5A5A5A5A5A5A5AULL)
#define SENTINEL_INFORMATION ((ULONG_PTR)0xA5A5A5A5A5A5A5A5ULL)
#define SENTINEL_BYTES 0xCCCCCCCCu
#define MARKER_KEY ((ULONG_PTR)0x4D41524BULL)
#define PACKET_WAIT_MS 10000 /* only bounds a wait that a bug would make endless */

#ifndef STATUS_BUFFER_OVERFLOW
#define STATUS_BUFFER_OVERFLOW ((NTSTATUS)0x80000005L)
#endif
#ifndef STATUS_INVALID_PARAMETER
#define STATUS_INVALID_PARAMETER ((NTSTATUS)0xC000000DL)
#endif
#ifndef STATUS_DEVICE_NOT_READY
#define STATUS_DEVICE_NOT_READY ((NTSTATUS)0xC00000A3L)
#endif
#ifndef STATUS_OBJECT_NAME_EXISTS
#define STATUS_OBJECT_NAME_EXISTS ((NTSTATUS)0x40000000L)
#endif
#ifndef ERROR_NOT_READY
#define ERROR_NOT_READY 21L
#endif

/* ---- The dimensions ---- */

/* Success, error, warning, and two informational successes (a success code other than zero,
 * and one of severity "informational"). */
static const STAT_BEHAVIOUR Behaviours[] = {
    { STAT_COMPLETE_NOW, STATUS_SUCCESS, 0, INFORMATION, INFORMATION },
    { STAT_COMPLETE_NOW, STATUS_INVALID_PARAMETER, 0, INFORMATION, INFORMATION },
    { STAT_COMPLETE_NOW, STATUS_BUFFER_OVERFLOW, 0, INFORMATION, INFORMATION },
    { STAT_COMPLETE_NOW, STATUS_TIMEOUT, 0, INFORMATION, INFORMATION },
    { STAT_COMPLETE_NOW, STATUS_OBJECT_NAME_EXISTS, 0, INFORMATION, INFORMATION },
    { STAT_PEND_WORKITEM, 0, STATUS_SUCCESS, INFORMATION, INFORMATION },
    { STAT_PEND_WORKITEM, 0, STATUS_DEVICE_NOT_READY, INFORMATION, INFORMATION },
    { STAT_PEND_WORKITEM, 0, STATUS_BUFFER_OVERFLOW, INFORMATION, INFORMATION },
    { STAT_PEND_WORKITEM, 0, STATUS_OBJECT_NAME_EXISTS, INFORMATION, INFORMATION },
    { STAT_PEND_INLINE, 0, STATUS_SUCCESS, INFORMATION, INFORMATION },
    { STAT_PEND_INLINE, 0, STATUS_DEVICE_NOT_READY, INFORMATION, INFORMATION },
    { STAT_PEND_INLINE, 0, STATUS_BUFFER_OVERFLOW, INFORMATION, INFORMATION },
    { STAT_PEND_INLINE, 0, STATUS_OBJECT_NAME_EXISTS, INFORMATION, INFORMATION },
};

typedef enum {
    XFER_IOCTL_BUFFERED,
    XFER_IOCTL_IN_DIRECT,
    XFER_IOCTL_OUT_DIRECT,
    XFER_IOCTL_NEITHER,
    XFER_READ_BUFFERED,
    XFER_WRITE_BUFFERED,
    XFER_READ_DIRECT,
    XFER_WRITE_DIRECT,
    XFER_COUNT
} XFER;

static const char *const XferNames[XFER_COUNT] = {
    "ioctl-buffered", "ioctl-in-direct", "ioctl-out-direct", "ioctl-neither",
    "read-buffered",  "write-buffered",  "read-direct",      "write-direct",
};

typedef enum {
    CALLER_SYNC,         /* a handle opened without FILE_FLAG_OVERLAPPED */
    CALLER_EVENT,        /* overlapped, OVERLAPPED.hEvent set */
    CALLER_NO_EVENT,     /* overlapped, no event: the file handle is signalled */
    CALLER_PORT,         /* overlapped on a handle associated with a port */
    CALLER_PORT_NOQUEUE, /* the same, hEvent with its low bit set */
    CALLER_PORT_SKIP,    /* a port's handle with FILE_SKIP_COMPLETION_PORT_ON_SUCCESS */
    CALLER_NT_SYNC,      /* NtXxxFile on the synchronous handle, with an event */
    CALLER_NT_PORT,      /* NtXxxFile on the port's handle, with an event and an APC context */
    CALLER_COUNT
} CALLER;

static const char *const CallerNames[CALLER_COUNT] = {
    "sync", "event", "no-event", "port", "port-noqueue", "port-skip", "nt-sync", "nt-port",
};

/* ---- The rules ---- */

typedef enum { DATA_NONE, DATA_COPIED_BACK, DATA_IN_PLACE } DATA_PATH;

typedef struct _EXPECTED {
    NTSTATUS NtReturn;   /* what the NtXxxFile call returns on an overlapped handle */
    NTSTATUS Final;      /* the request's final status */
    BOOLEAN Pended;
    BOOLEAN Written;     /* status block, event, file object and port are updated */
    BOOLEAN Packet;      /* a packet reaches the port */
    UCHAR Buffer[BUFFER_LENGTH];
} EXPECTED;

static DATA_PATH DataPath(XFER Xfer)
{
    switch (Xfer) {
    /* Buffered input: the I/O manager copies IoStatus.Information bytes of the system buffer
     * back to the caller's buffer at completion, unless the status is an error
     * (NT_ERROR); a warning such as STATUS_BUFFER_OVERFLOW copies. */
    case XFER_IOCTL_BUFFERED:
    case XFER_READ_BUFFERED:
        return DATA_COPIED_BACK;
    /* Direct reads, METHOD_OUT_DIRECT and METHOD_NEITHER: the driver writes the caller's
     * pages themselves (through the MDL, or the user address in the caller's context), so what
     * it wrote is there whatever the status. */
    case XFER_IOCTL_OUT_DIRECT:
    case XFER_IOCTL_NEITHER:
    case XFER_READ_DIRECT:
        return DATA_IN_PLACE;
    /* METHOD_IN_DIRECT's buffer and a write's are the driver's input: nothing comes back. */
    default:
        return DATA_NONE;
    }
}

static VOID InitialBuffer(UCHAR *Buffer)
{
    ULONG i;
    for (i = 0; i < BUFFER_LENGTH; i++)
        Buffer[i] = (UCHAR)(0x11 + i);
}

static BOOLEAN CallerHasPort(CALLER Caller)
{
    return Caller == CALLER_PORT || Caller == CALLER_PORT_NOQUEUE ||
           Caller == CALLER_PORT_SKIP || Caller == CALLER_NT_PORT;
}

static VOID Expect(const STAT_BEHAVIOUR *Behaviour, XFER Xfer, CALLER Caller, EXPECTED *E)
{
    ULONG i, Count;
    E->Pended = Behaviour->How != STAT_COMPLETE_NOW;
    /* A dispatch routine that marked the IRP pending returns STATUS_PENDING; the request's
     * status is then IoStatus.Status at completion. */
    E->NtReturn = E->Pended ? STATUS_PENDING : Behaviour->Returned;
    E->Final = E->Pended ? Behaviour->Final : Behaviour->Returned;
    /* An error returned without pending reaches the caller through the return value alone:
     * the I/O manager writes no status block, sets no event and queues no packet. Anything
     * else (success, warning, informational, or any status after pending) updates them. */
    E->Written = !(NT_ERROR(E->Final) && !E->Pended);
    /* The port gets a packet for an updated request with an APC context (the OVERLAPPED),
     * unless hEvent's low bit says not to ("a valid event handle whose low-order bit is set
     * keeps I/O completion from being queued"), or the file skips the port for a request that
     * "returns success immediately" (FILE_SKIP_COMPLETION_PORT_ON_SUCCESS). */
    E->Packet = E->Written && CallerHasPort(Caller) && Caller != CALLER_PORT_NOQUEUE &&
                !(Caller == CALLER_PORT_SKIP && !E->Pended && NT_SUCCESS(E->Final));
    InitialBuffer(E->Buffer);
    Count = Behaviour->Fill < BUFFER_LENGTH ? Behaviour->Fill : BUFFER_LENGTH;
    switch (DataPath(Xfer)) {
    case DATA_COPIED_BACK:
        if (!NT_ERROR(E->Final)) {
            if (Behaviour->Information < Count)
                Count = Behaviour->Information;
            for (i = 0; i < Count; i++)
                E->Buffer[i] = STAT_PATTERN(i);
        }
        break;
    case DATA_IN_PLACE:
        for (i = 0; i < Count; i++)
            E->Buffer[i] = STAT_PATTERN(i);
        break;
    default:
        break;
    }
}

/* The Win32 error the documented status-to-error mapping gives for the statuses used here. */
static DWORD Win32Error(NTSTATUS Status)
{
    switch (Status) {
    case STATUS_INVALID_PARAMETER:
        return ERROR_INVALID_PARAMETER;
    case STATUS_DEVICE_NOT_READY:
        return ERROR_NOT_READY;
    case STATUS_BUFFER_OVERFLOW:
        return ERROR_MORE_DATA;
    default:
        return 0xFFFFFFFF;
    }
}

/* ---- The handles ---- */

typedef struct _DEVICE_HANDLES {
    HANDLE Sync, Async, Port, PortSkip;
} DEVICE_HANDLES;

static DEVICE_HANDLES Devices[2]; /* [0] buffered, [1] direct */
static HANDLE Port, Event;
static ULONG ApcToken;

static ULONG_PTR PortKey(ULONG Device, BOOLEAN Skip)
{
    return 0x1000 + Device * 0x10 + (Skip ? 1 : 0);
}

static HANDLE OpenDevice(ULONG Device, BOOL Overlapped)
{
    return CreateFileW(Device == 0 ? L"\\\\.\\NtkStatBuf" : L"\\\\.\\NtkStatDir",
                       GENERIC_READ | GENERIC_WRITE, FILE_SHARE_READ | FILE_SHARE_WRITE, NULL,
                       OPEN_EXISTING, Overlapped ? FILE_FLAG_OVERLAPPED : 0, NULL);
}

static BOOL OpenAll(VOID)
{
    ULONG d;
    Port = CreateIoCompletionPort(INVALID_HANDLE_VALUE, NULL, 0, 0);
    Event = CreateEventW(NULL, TRUE, FALSE, NULL);
    if (Port == NULL || Event == NULL)
        return FALSE;
    for (d = 0; d < 2; d++) {
        DEVICE_HANDLES *H = &Devices[d];
        H->Sync = OpenDevice(d, FALSE);
        H->Async = OpenDevice(d, TRUE);
        H->Port = OpenDevice(d, TRUE);
        H->PortSkip = OpenDevice(d, TRUE);
        if (H->Sync == INVALID_HANDLE_VALUE || H->Async == INVALID_HANDLE_VALUE ||
            H->Port == INVALID_HANDLE_VALUE || H->PortSkip == INVALID_HANDLE_VALUE)
            return FALSE;
        if (CreateIoCompletionPort(H->Port, Port, PortKey(d, FALSE), 0) != Port ||
            CreateIoCompletionPort(H->PortSkip, Port, PortKey(d, TRUE), 0) != Port ||
            !SetFileCompletionNotificationModes(H->PortSkip, FILE_SKIP_COMPLETION_PORT_ON_SUCCESS))
            return FALSE;
    }
    return TRUE;
}

static ULONG XferDevice(XFER Xfer)
{
    return Xfer == XFER_READ_DIRECT || Xfer == XFER_WRITE_DIRECT ? 1 : 0;
}

static ULONG XferControlCode(XFER Xfer)
{
    switch (Xfer) {
    case XFER_IOCTL_BUFFERED:
        return IOCTL_STAT_BUFFERED;
    case XFER_IOCTL_IN_DIRECT:
        return IOCTL_STAT_IN_DIRECT;
    case XFER_IOCTL_OUT_DIRECT:
        return IOCTL_STAT_OUT_DIRECT;
    case XFER_IOCTL_NEITHER:
        return IOCTL_STAT_NEITHER;
    default:
        return 0;
    }
}

static BOOLEAN XferIsRead(XFER Xfer)
{
    return Xfer == XFER_READ_BUFFERED || Xfer == XFER_READ_DIRECT;
}

static BOOL Win32Call(XFER Xfer, HANDLE File, UCHAR *Buffer, LPDWORD Bytes, LPOVERLAPPED Ov)
{
    ULONG Code = XferControlCode(Xfer);
    if (Code != 0)
        return DeviceIoControl(File, Code, NULL, 0, Buffer, BUFFER_LENGTH, Bytes, Ov);
    if (XferIsRead(Xfer))
        return ReadFile(File, Buffer, BUFFER_LENGTH, Bytes, Ov);
    return WriteFile(File, Buffer, BUFFER_LENGTH, Bytes, Ov);
}

static NTSTATUS NtCall(XFER Xfer, HANDLE File, HANDLE EventHandle, PVOID ApcContext,
                       PIO_STATUS_BLOCK IoStatus, UCHAR *Buffer)
{
    ULONG Code = XferControlCode(Xfer);
    LARGE_INTEGER Offset = { .QuadPart = 0 };
    if (Code != 0)
        return NtDeviceIoControlFile(File, EventHandle, NULL, ApcContext, IoStatus, Code, NULL, 0,
                                     Buffer, BUFFER_LENGTH);
    if (XferIsRead(Xfer))
        return NtReadFile(File, EventHandle, NULL, ApcContext, IoStatus, Buffer, BUFFER_LENGTH,
                          &Offset, NULL);
    return NtWriteFile(File, EventHandle, NULL, ApcContext, IoStatus, Buffer, BUFFER_LENGTH,
                       &Offset, NULL);
}

static BOOLEAN Signalled(HANDLE Handle)
{
    return WaitForSingleObject(Handle, 0) == WAIT_OBJECT_0;
}

/* ---- One row ---- */

/* The port's next packet must be the request's (when one is expected), and nothing else may
 * be queued: a marker posted now is the next packet after it. */
static VOID CheckPort(const EXPECTED *E, ULONG_PTR Key, PVOID ApcContext, BOOLEAN NtForm)
{
    ULONG_PTR GotKey = 0;
    LPOVERLAPPED GotOv = NULL;
    DWORD Bytes = SENTINEL_BYTES;
    BOOL Ok;

    if (E->Packet) {
        if (NtForm) {
            PVOID K = NULL, A = NULL;
            IO_STATUS_BLOCK Io;
            LARGE_INTEGER Timeout = { .QuadPart = -10000LL * PACKET_WAIT_MS };
            CHECK_STATUS(NtRemoveIoCompletion(Port, &K, &A, &Io, &Timeout), STATUS_SUCCESS);
            CHECK_EQ((ULONG_PTR)K, Key);
            CHECK(A == ApcContext);
            CHECK_STATUS(Io.Status, E->Final);
            CHECK_EQ(Io.Information, INFORMATION);
        } else {
            SetLastError(0);
            Ok = GetQueuedCompletionStatus(Port, &Bytes, &GotKey, &GotOv, PACKET_WAIT_MS);
            /* A packet of a failed I/O: FALSE with lpOverlapped set and the I/O's error. */
            CHECK_EQ(Ok, NT_SUCCESS(E->Final));
            if (!NT_SUCCESS(E->Final))
                CHECK_EQ(GetLastError(), Win32Error(E->Final));
            CHECK_EQ(GotKey, Key);
            CHECK(GotOv == ApcContext);
            CHECK_EQ(Bytes, INFORMATION);
        }
    }
    CHECK(PostQueuedCompletionStatus(Port, 0, MARKER_KEY, NULL));
    GotOv = (LPOVERLAPPED)&GotOv;
    CHECK(GetQueuedCompletionStatus(Port, &Bytes, &GotKey, &GotOv, PACKET_WAIT_MS));
    CHECK_EQ(GotKey, MARKER_KEY);
    CHECK(GotOv == NULL);
}

static VOID RunWin32Row(const EXPECTED *E, XFER Xfer, CALLER Caller)
{
    DEVICE_HANDLES *H = &Devices[XferDevice(Xfer)];
    UCHAR Buffer[BUFFER_LENGTH];
    OVERLAPPED Ov;
    DWORD Bytes = SENTINEL_BYTES, Error;
    HANDLE File;
    BOOL Ok;

    InitialBuffer(Buffer);
    if (Caller == CALLER_SYNC) {
        SetLastError(0);
        Ok = Win32Call(Xfer, H->Sync, Buffer, &Bytes, NULL);
        Error = GetLastError();
        /* The synchronous caller sees the final status (the I/O manager waited for a pended
         * request). Success: TRUE and the count. A warning: FALSE, its error, and the count
         * (data did move). An error: FALSE, its error, a count of zero. */
        CHECK_EQ(Ok, NT_SUCCESS(E->Final));
        if (!NT_SUCCESS(E->Final))
            CHECK_EQ(Error, Win32Error(E->Final));
        CHECK_EQ(Bytes, NT_ERROR(E->Final) ? 0 : INFORMATION);
        CHECK(memcmp(Buffer, E->Buffer, BUFFER_LENGTH) == 0);
        CheckPort(E, 0, NULL, FALSE);
        return;
    }

    File = Caller == CALLER_EVENT || Caller == CALLER_NO_EVENT ? H->Async
           : Caller == CALLER_PORT_SKIP                         ? H->PortSkip
                                                                : H->Port;
    memset(&Ov, 0, sizeof(Ov));
    Ov.InternalHigh = SENTINEL_INFORMATION;
    Ov.hEvent = Caller == CALLER_NO_EVENT       ? NULL
                : Caller == CALLER_PORT_NOQUEUE ? (HANDLE)((ULONG_PTR)Event | 1)
                                                : Event;
    /* Set before the call: the request resets it when it is queued. */
    SetEvent(Event);
    SetLastError(0);
    Ok = Win32Call(Xfer, File, Buffer, &Bytes, &Ov);
    Error = GetLastError();
    if (E->NtReturn == STATUS_PENDING) {
        /* FALSE with ERROR_IO_PENDING; the count is not written. */
        CHECK(!Ok);
        CHECK_EQ(Error, ERROR_IO_PENDING);
        CHECK_EQ(Bytes, SENTINEL_BYTES);
        /* Wait for it: on the event, or on the file handle without one. */
        Bytes = SENTINEL_BYTES;
        SetLastError(0);
        Ok = GetOverlappedResult(File, &Ov, &Bytes, TRUE);
        CHECK_EQ(Ok, NT_SUCCESS(E->Final));
        if (!NT_SUCCESS(E->Final))
            CHECK_EQ(GetLastError(), Win32Error(E->Final));
        CHECK_EQ(Bytes, INFORMATION);
    } else if (NT_SUCCESS(E->NtReturn)) {
        /* Completed at once with success: TRUE and the count from the status block. */
        CHECK(Ok);
        CHECK_EQ(Bytes, INFORMATION);
    } else {
        /* Completed at once with a warning (FALSE, its error, the count) or an error (FALSE, its
         * error, no count). */
        CHECK(!Ok);
        CHECK_EQ(Error, Win32Error(E->NtReturn));
        CHECK_EQ(Bytes, NT_WARNING(E->NtReturn) ? INFORMATION : SENTINEL_BYTES);
    }
    /* The OVERLAPPED is the status block: written, or still as kernel32 left it (Internal
     * STATUS_PENDING, so HasOverlappedIoCompleted stays FALSE for an error that did not pend). */
    CHECK_EQ(Ov.Internal, E->Written ? (ULONG_PTR)(ULONG)E->Final : (ULONG_PTR)STATUS_PENDING);
    CHECK_EQ(Ov.InternalHigh, E->Written ? INFORMATION : SENTINEL_INFORMATION);
    CHECK_EQ(HasOverlappedIoCompleted(&Ov), E->Written);
    if (!E->Written) {
        /* GetOverlappedResult without waiting: still incomplete. */
        SetLastError(0);
        CHECK(!GetOverlappedResult(File, &Ov, &Bytes, FALSE));
        CHECK_EQ(GetLastError(), ERROR_IO_INCOMPLETE);
    }
    if (Caller == CALLER_NO_EVENT)
        CHECK_EQ(Signalled(File), E->Written);
    else
        CHECK_EQ(Signalled(Event), E->Written);
    CHECK(memcmp(Buffer, E->Buffer, BUFFER_LENGTH) == 0);
    CheckPort(E, PortKey(XferDevice(Xfer), Caller == CALLER_PORT_SKIP), &Ov, FALSE);
}

static VOID RunNtRow(const EXPECTED *E, XFER Xfer, CALLER Caller)
{
    DEVICE_HANDLES *H = &Devices[XferDevice(Xfer)];
    UCHAR Buffer[BUFFER_LENGTH];
    IO_STATUS_BLOCK Io;
    NTSTATUS Status;
    BOOLEAN Sync = Caller == CALLER_NT_SYNC;

    InitialBuffer(Buffer);
    Io.Pointer = (PVOID)SENTINEL_STATUS;
    Io.Information = SENTINEL_INFORMATION;
    SetEvent(Event);
    Status = NtCall(Xfer, Sync ? H->Sync : H->Port, Event, Sync ? NULL : &ApcToken, &Io, Buffer);
    /* A synchronous handle: ret == STATUS_PENDING ? IoStatus.Status : ret, as the I/O manager
     * waits for a pended request. Otherwise the dispatch routine's return. */
    CHECK_STATUS(Status, Sync ? E->Final : E->NtReturn);
    if (Status == STATUS_PENDING)
        CHECK_EQ(WaitForSingleObject(Event, PACKET_WAIT_MS), WAIT_OBJECT_0);
    if (E->Written) {
        CHECK_STATUS(Io.Status, E->Final);
        CHECK_EQ(Io.Information, INFORMATION);
    } else {
        CHECK_EQ((ULONG_PTR)Io.Pointer, SENTINEL_STATUS);
        CHECK_EQ(Io.Information, SENTINEL_INFORMATION);
    }
    CHECK_EQ(Signalled(Event), E->Written);
    CHECK(memcmp(Buffer, E->Buffer, BUFFER_LENGTH) == 0);
    CheckPort(E, PortKey(XferDevice(Xfer), FALSE), &ApcToken, TRUE);
}

static BOOL Configure(const STAT_BEHAVIOUR *Behaviour)
{
    DWORD Bytes;
    return DeviceIoControl(Devices[0].Sync, IOCTL_STAT_CONFIGURE, (PVOID)Behaviour,
                           sizeof(*Behaviour), NULL, 0, &Bytes, NULL);
}

int main(void)
{
    ULONG b, x, c, Rows = 0, FailedRows = 0;
    if (!OpenAll()) {
        printf("matrix: cannot open the devices or the port (error %lu)\n",
               (unsigned long)GetLastError());
        return 1;
    }
    for (b = 0; b < RTL_NUMBER_OF(Behaviours); b++) {
        const STAT_BEHAVIOUR *Behaviour = &Behaviours[b];
        CHECK(Configure(Behaviour));
        for (x = 0; x < XFER_COUNT; x++) {
            for (c = 0; c < CALLER_COUNT; c++) {
                EXPECTED E;
                int Before = NtkTestFailed;
                Expect(Behaviour, (XFER)x, (CALLER)c, &E);
                if (c == CALLER_NT_SYNC || c == CALLER_NT_PORT)
                    RunNtRow(&E, (XFER)x, (CALLER)c);
                else
                    RunWin32Row(&E, (XFER)x, (CALLER)c);
                Rows++;
                if (NtkTestFailed != Before) {
                    FailedRows++;
                    printf("matrix: row failed: how %lu returned 0x%08lX final 0x%08lX, %s, %s\n",
                           (unsigned long)Behaviour->How, (unsigned long)(ULONG)Behaviour->Returned,
                           (unsigned long)(ULONG)Behaviour->Final, XferNames[x], CallerNames[c]);
                }
            }
        }
    }
    printf("matrix: %lu rows, %lu failed\n", (unsigned long)Rows, (unsigned long)FailedRows);
    return NTK_TEST_SUMMARY();
}
