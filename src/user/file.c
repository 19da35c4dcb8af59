/* Files and devices: CreateFile, ReadFile, WriteFile, DeviceIoControl, overlapped I/O and its
 * cancellation over NtCreateFile, NtReadFile, NtWriteFile, NtDeviceIoControlFile and
 * NtCancelIoFile(Ex). */
#include "basep.h"

#include <stdlib.h>

static HANDLE BasepCreateFile(LPCWSTR lpFileName, DWORD dwDesiredAccess, DWORD dwShareMode,
                              LPSECURITY_ATTRIBUTES lpSecurityAttributes,
                              DWORD dwCreationDisposition, DWORD dwFlagsAndAttributes)
{
    /* kernel32 always asks for SYNCHRONIZE (to wait on the handle) and FILE_READ_ATTRIBUTES. */
    ACCESS_MASK Access = dwDesiredAccess | SYNCHRONIZE | FILE_READ_ATTRIBUTES;
    ULONG Disposition, Options = 0, Attributes = OBJ_CASE_INSENSITIVE;
    OBJECT_ATTRIBUTES ObjectAttributes;
    IO_STATUS_BLOCK IoStatus;
    UNICODE_STRING NtPath;
    HANDLE Handle;
    NTSTATUS Status;
    DWORD Error;

    switch (dwCreationDisposition) {
    case CREATE_NEW:
        Disposition = FILE_CREATE;
        break;
    case CREATE_ALWAYS:
        Disposition = FILE_OVERWRITE_IF;
        break;
    case OPEN_EXISTING:
        Disposition = FILE_OPEN;
        break;
    case OPEN_ALWAYS:
        Disposition = FILE_OPEN_IF;
        break;
    case TRUNCATE_EXISTING:
        Disposition = FILE_OVERWRITE;
        break;
    default:
        SetLastError(ERROR_INVALID_PARAMETER);
        return INVALID_HANDLE_VALUE;
    }

    /* Without FILE_FLAG_OVERLAPPED the I/O manager serializes the handle's I/O and waits for
     * it; non-alertable, so APCs do not interrupt file I/O. */
    if (!(dwFlagsAndAttributes & FILE_FLAG_OVERLAPPED))
        Options |= FILE_SYNCHRONOUS_IO_NONALERT;
    if (dwFlagsAndAttributes & FILE_FLAG_WRITE_THROUGH)
        Options |= FILE_WRITE_THROUGH;
    if (dwFlagsAndAttributes & FILE_FLAG_NO_BUFFERING)
        Options |= FILE_NO_INTERMEDIATE_BUFFERING;
    if (dwFlagsAndAttributes & FILE_FLAG_RANDOM_ACCESS)
        Options |= FILE_RANDOM_ACCESS;
    if (dwFlagsAndAttributes & FILE_FLAG_SEQUENTIAL_SCAN)
        Options |= FILE_SEQUENTIAL_ONLY;
    if (dwFlagsAndAttributes & FILE_FLAG_DELETE_ON_CLOSE) {
        Options |= FILE_DELETE_ON_CLOSE;
        Access |= DELETE;
    }
    /* Only backup semantics may open a directory. */
    if (dwFlagsAndAttributes & FILE_FLAG_BACKUP_SEMANTICS)
        Options |= FILE_OPEN_FOR_BACKUP_INTENT;
    else
        Options |= FILE_NON_DIRECTORY_FILE;
    if (dwFlagsAndAttributes & FILE_FLAG_OPEN_REPARSE_POINT)
        Options |= FILE_OPEN_REPARSE_POINT;
    if (dwFlagsAndAttributes & FILE_FLAG_OPEN_NO_RECALL)
        Options |= FILE_OPEN_NO_RECALL;
    if (dwFlagsAndAttributes & FILE_FLAG_POSIX_SEMANTICS)
        Attributes &= ~(ULONG)OBJ_CASE_INSENSITIVE;
    if (lpSecurityAttributes != NULL && lpSecurityAttributes->bInheritHandle)
        Attributes |= OBJ_INHERIT;

    if (lpFileName == NULL) {
        SetLastError(ERROR_INVALID_PARAMETER);
        return INVALID_HANDLE_VALUE;
    }
    Error = BasepDosPathToNtPath(lpFileName, &NtPath);
    if (Error != ERROR_SUCCESS) {
        SetLastError(Error);
        return INVALID_HANDLE_VALUE;
    }
    InitializeObjectAttributes(&ObjectAttributes, &NtPath, Attributes, NULL,
                               lpSecurityAttributes != NULL
                                   ? lpSecurityAttributes->lpSecurityDescriptor
                                   : NULL);
    IoStatus.Information = 0;
    Status = NtCreateFile(&Handle, Access, &ObjectAttributes, &IoStatus, NULL,
                          dwFlagsAndAttributes &
                              (FILE_ATTRIBUTE_VALID_FLAGS & ~FILE_ATTRIBUTE_DIRECTORY),
                          dwShareMode, Disposition, Options, NULL, 0);
    free(NtPath.Buffer);
    if (!NT_SUCCESS(Status)) {
        /* CREATE_NEW on an existing file is "file exists", not "already exists". */
        if (Status == STATUS_OBJECT_NAME_COLLISION && dwCreationDisposition == CREATE_NEW)
            SetLastError(ERROR_FILE_EXISTS);
        else
            BasepSetLastNtError(Status);
        return INVALID_HANDLE_VALUE;
    }
    /* CREATE_ALWAYS and OPEN_ALWAYS succeed either way and say which through the last error. */
    if ((dwCreationDisposition == CREATE_ALWAYS && IoStatus.Information == FILE_OVERWRITTEN) ||
        (dwCreationDisposition == OPEN_ALWAYS && IoStatus.Information == FILE_OPENED))
        SetLastError(ERROR_ALREADY_EXISTS);
    else
        SetLastError(ERROR_SUCCESS);
    return Handle;
}

WINBASEAPI HANDLE WINAPI CreateFileW(LPCWSTR lpFileName, DWORD dwDesiredAccess, DWORD dwShareMode,
                                     LPSECURITY_ATTRIBUTES lpSecurityAttributes,
                                     DWORD dwCreationDisposition, DWORD dwFlagsAndAttributes,
                                     HANDLE hTemplateFile)
{
    /* Copying a template's extended attributes needs NtQueryEaFile, which ntk lacks. */
    if (hTemplateFile != NULL) {
        BasepNotImplemented("CreateFileW with hTemplateFile");
        return INVALID_HANDLE_VALUE;
    }
    return BasepCreateFile(lpFileName, dwDesiredAccess, dwShareMode, lpSecurityAttributes,
                           dwCreationDisposition, dwFlagsAndAttributes);
}

WINBASEAPI HANDLE WINAPI CreateFileA(LPCSTR lpFileName, DWORD dwDesiredAccess, DWORD dwShareMode,
                                     LPSECURITY_ATTRIBUTES lpSecurityAttributes,
                                     DWORD dwCreationDisposition, DWORD dwFlagsAndAttributes,
                                     HANDLE hTemplateFile)
{
    PWSTR FileName;
    HANDLE Handle;

    if (lpFileName == NULL) {
        SetLastError(ERROR_INVALID_PARAMETER);
        return INVALID_HANDLE_VALUE;
    }
    if (!BasepWideFromAnsi(lpFileName, &FileName))
        return INVALID_HANDLE_VALUE;
    Handle = CreateFileW(FileName, dwDesiredAccess, dwShareMode, lpSecurityAttributes,
                         dwCreationDisposition, dwFlagsAndAttributes, hTemplateFile);
    free(FileName);
    return Handle;
}

/* The low bit of OVERLAPPED.hEvent asks that the completion not be queued to a completion port;
 * it is not part of the handle. Without a port the APC context is the OVERLAPPED itself. */
static HANDLE BasepOverlappedEvent(LPOVERLAPPED lpOverlapped)
{
    return (HANDLE)((ULONG_PTR)lpOverlapped->hEvent & ~(ULONG_PTR)1);
}

static PVOID BasepOverlappedApcContext(LPOVERLAPPED lpOverlapped)
{
    return ((ULONG_PTR)lpOverlapped->hEvent & 1) ? NULL : lpOverlapped;
}

/* The OVERLAPPED is the I/O status block (Internal = Status, InternalHigh = Information) and
 * Offset/OffsetHigh is the byte offset. Internal reads STATUS_PENDING until completion. */
static VOID BasepStartOverlapped(LPOVERLAPPED lpOverlapped, PLARGE_INTEGER ByteOffset)
{
    ByteOffset->LowPart = lpOverlapped->Offset;
    ByteOffset->HighPart = (LONG)lpOverlapped->OffsetHigh;
    lpOverlapped->Internal = (ULONG_PTR)STATUS_PENDING;
}

/* An I/O started without an OVERLAPPED on a handle opened with FILE_FLAG_OVERLAPPED may pend:
 * wait on the file handle (the file object is signalled when it completes). */
static NTSTATUS BasepWaitForSynchronousIo(HANDLE hFile, NTSTATUS Status, PIO_STATUS_BLOCK IoStatus)
{
    if (Status == STATUS_PENDING) {
        Status = NtWaitForSingleObject(hFile, FALSE, NULL);
        if (NT_SUCCESS(Status))
            Status = IoStatus->Status;
    }
    return Status;
}

/* The result of an overlapped request as the caller sees it right away. */
static BOOL BasepOverlappedResult(NTSTATUS Status, LPOVERLAPPED lpOverlapped, LPDWORD lpCount)
{
    if (NT_SUCCESS(Status) && Status != STATUS_PENDING) {
        if (lpCount != NULL)
            *lpCount = (DWORD)lpOverlapped->InternalHigh;
        return TRUE;
    }
    if (Status == STATUS_PENDING) {
        SetLastError(ERROR_IO_PENDING);
        return FALSE;
    }
    /* A warning (STATUS_BUFFER_OVERFLOW: ERROR_MORE_DATA) completed and transferred data. */
    if (NT_WARNING(Status) && lpCount != NULL)
        *lpCount = (DWORD)lpOverlapped->InternalHigh;
    BasepSetLastNtError(Status);
    return FALSE;
}

/* NtReadFile and NtWriteFile have the same shape. */
typedef NTSTATUS(NTAPI *BASEP_READ_WRITE_ROUTINE)(HANDLE FileHandle, HANDLE Event,
                                                  PIO_APC_ROUTINE ApcRoutine, PVOID ApcContext,
                                                  PIO_STATUS_BLOCK IoStatusBlock, PVOID Buffer,
                                                  ULONG Length, PLARGE_INTEGER ByteOffset,
                                                  PULONG Key);

static BOOL BasepReadWrite(BASEP_READ_WRITE_ROUTINE Routine, BOOL IsRead, HANDLE hFile,
                           PVOID Buffer, DWORD Length, LPDWORD lpCount, LPOVERLAPPED lpOverlapped)
{
    IO_STATUS_BLOCK IoStatus;
    LARGE_INTEGER ByteOffset;
    NTSTATUS Status;

    if (lpOverlapped != NULL) {
        BasepStartOverlapped(lpOverlapped, &ByteOffset);
        Status = Routine(hFile, BasepOverlappedEvent(lpOverlapped), NULL,
                         BasepOverlappedApcContext(lpOverlapped), (PIO_STATUS_BLOCK)lpOverlapped,
                         Buffer, Length, &ByteOffset, NULL);
        if (IsRead && Status == STATUS_END_OF_FILE && lpCount != NULL)
            *lpCount = 0;
        return BasepOverlappedResult(Status, lpOverlapped, lpCount);
    }

    /* The documented contract: the count may be NULL only with an OVERLAPPED. */
    if (lpCount == NULL) {
        SetLastError(ERROR_INVALID_PARAMETER);
        return FALSE;
    }
    *lpCount = 0;
    IoStatus.Information = 0;
    Status = Routine(hFile, NULL, NULL, NULL, &IoStatus, Buffer, Length, NULL, NULL);
    Status = BasepWaitForSynchronousIo(hFile, Status, &IoStatus);
    if (NT_SUCCESS(Status)) {
        *lpCount = (DWORD)IoStatus.Information;
        return TRUE;
    }
    /* A synchronous read at the end of a file succeeds with zero bytes. */
    if (IsRead && Status == STATUS_END_OF_FILE)
        return TRUE;
    if (NT_WARNING(Status))
        *lpCount = (DWORD)IoStatus.Information;
    BasepSetLastNtError(Status);
    return FALSE;
}

WINBASEAPI BOOL WINAPI ReadFile(HANDLE hFile, LPVOID lpBuffer, DWORD nNumberOfBytesToRead,
                                LPDWORD lpNumberOfBytesRead, LPOVERLAPPED lpOverlapped)
{
    return BasepReadWrite(NtReadFile, TRUE, hFile, lpBuffer, nNumberOfBytesToRead,
                          lpNumberOfBytesRead, lpOverlapped);
}

WINBASEAPI BOOL WINAPI WriteFile(HANDLE hFile, LPCVOID lpBuffer, DWORD nNumberOfBytesToWrite,
                                 LPDWORD lpNumberOfBytesWritten, LPOVERLAPPED lpOverlapped)
{
    /* NtWriteFile's buffer is not const in its prototype, but it only reads it. */
    return BasepReadWrite(NtWriteFile, FALSE, hFile, (PVOID)lpBuffer, nNumberOfBytesToWrite,
                          lpNumberOfBytesWritten, lpOverlapped);
}

WINBASEAPI BOOL WINAPI DeviceIoControl(HANDLE hDevice, DWORD dwIoControlCode, LPVOID lpInBuffer,
                                       DWORD nInBufferSize, LPVOID lpOutBuffer,
                                       DWORD nOutBufferSize, LPDWORD lpBytesReturned,
                                       LPOVERLAPPED lpOverlapped)
{
    IO_STATUS_BLOCK IoStatus;
    LARGE_INTEGER NoOffset; /* ioctls have no byte offset */
    NTSTATUS Status;

    if (lpOverlapped != NULL) {
        BasepStartOverlapped(lpOverlapped, &NoOffset);
        Status = NtDeviceIoControlFile(hDevice, BasepOverlappedEvent(lpOverlapped), NULL,
                                       BasepOverlappedApcContext(lpOverlapped),
                                       (PIO_STATUS_BLOCK)lpOverlapped, dwIoControlCode,
                                       lpInBuffer, nInBufferSize, lpOutBuffer, nOutBufferSize);
        return BasepOverlappedResult(Status, lpOverlapped, lpBytesReturned);
    }

    /* "If lpOverlapped is NULL, lpBytesReturned cannot be NULL." */
    if (lpBytesReturned == NULL) {
        SetLastError(ERROR_INVALID_PARAMETER);
        return FALSE;
    }
    *lpBytesReturned = 0;
    IoStatus.Information = 0;
    Status = NtDeviceIoControlFile(hDevice, NULL, NULL, NULL, &IoStatus, dwIoControlCode,
                                   lpInBuffer, nInBufferSize, lpOutBuffer, nOutBufferSize);
    Status = BasepWaitForSynchronousIo(hDevice, Status, &IoStatus);
    if (NT_SUCCESS(Status)) {
        *lpBytesReturned = (DWORD)IoStatus.Information;
        return TRUE;
    }
    /* A warning still returned data: FALSE with ERROR_MORE_DATA and the byte count. */
    if (NT_WARNING(Status))
        *lpBytesReturned = (DWORD)IoStatus.Information;
    BasepSetLastNtError(Status);
    return FALSE;
}

/* The request signals its event, or the file object when it has none. A zero timeout only
 * looks; a timeout that elapses is WAIT_TIMEOUT, an APC that ran is WAIT_IO_COMPLETION. */
WINBASEAPI BOOL WINAPI GetOverlappedResultEx(HANDLE hFile, LPOVERLAPPED lpOverlapped,
                                             LPDWORD lpNumberOfBytesTransferred,
                                             DWORD dwMilliseconds, BOOL bAlertable)
{
    NTSTATUS Status = (NTSTATUS)lpOverlapped->Internal;

    if (Status == STATUS_PENDING) {
        HANDLE Event = BasepOverlappedEvent(lpOverlapped);
        DWORD Wait;
        if (dwMilliseconds == 0) {
            SetLastError(ERROR_IO_INCOMPLETE);
            return FALSE;
        }
        Wait = WaitForSingleObjectEx(Event != NULL ? Event : hFile, dwMilliseconds, bAlertable);
        if (Wait == WAIT_FAILED)
            return FALSE;
        if (Wait == WAIT_TIMEOUT || Wait == WAIT_IO_COMPLETION) {
            SetLastError(Wait);
            return FALSE;
        }
        Status = (NTSTATUS)lpOverlapped->Internal;
        /* Someone else set the event before the request completed. */
        if (Status == STATUS_PENDING) {
            SetLastError(ERROR_IO_INCOMPLETE);
            return FALSE;
        }
    }
    *lpNumberOfBytesTransferred = (DWORD)lpOverlapped->InternalHigh;
    if (NT_SUCCESS(Status))
        return TRUE;
    BasepSetLastNtError(Status);
    return FALSE;
}

WINBASEAPI BOOL WINAPI GetOverlappedResult(HANDLE hFile, LPOVERLAPPED lpOverlapped,
                                           LPDWORD lpNumberOfBytesTransferred, BOOL bWait)
{
    return GetOverlappedResultEx(hFile, lpOverlapped, lpNumberOfBytesTransferred,
                                 bWait ? INFINITE : 0, FALSE);
}

/* Both only ask for the cancellation: a cancelled request completes with STATUS_CANCELLED
 * (ERROR_OPERATION_ABORTED from GetOverlappedResult), or normally if it was too late. */
WINBASEAPI BOOL WINAPI CancelIo(HANDLE hFile)
{
    IO_STATUS_BLOCK IoStatus;
    NTSTATUS Status = NtCancelIoFile(hFile, &IoStatus);
    if (!NT_SUCCESS(Status)) {
        BasepSetLastNtError(Status);
        return FALSE;
    }
    return TRUE;
}

WINBASEAPI BOOL WINAPI CancelIoEx(HANDLE hFile, LPOVERLAPPED lpOverlapped)
{
    IO_STATUS_BLOCK IoStatus;
    /* The OVERLAPPED is the request's status block. STATUS_NOT_FOUND: ERROR_NOT_FOUND. */
    NTSTATUS Status = NtCancelIoFileEx(hFile, (PIO_STATUS_BLOCK)lpOverlapped, &IoStatus);
    if (!NT_SUCCESS(Status)) {
        BasepSetLastNtError(Status);
        return FALSE;
    }
    return TRUE;
}
