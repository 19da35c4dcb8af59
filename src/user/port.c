/* I/O completion ports: CreateIoCompletionPort, GetQueuedCompletionStatus(Ex),
 * PostQueuedCompletionStatus and SetFileCompletionNotificationModes over NtCreateIoCompletion,
 * NtSetInformationFile, NtRemoveIoCompletion(Ex) and NtSetIoCompletion. */
#include "basep.h"

static BOOL BasepSetFileInformation(HANDLE FileHandle, PVOID Information, ULONG Length,
                                    FILE_INFORMATION_CLASS Class)
{
    IO_STATUS_BLOCK IoStatus;
    NTSTATUS Status = NtSetInformationFile(FileHandle, &IoStatus, Information, Length, Class);
    if (!NT_SUCCESS(Status)) {
        BasepSetLastNtError(Status);
        return FALSE;
    }
    return TRUE;
}

/* Creates a port (ExistingCompletionPort NULL), associates FileHandle with a port (unless it is
 * INVALID_HANDLE_VALUE), or both; NULL on failure. A port created here for a file that cannot
 * be associated is closed again. */
WINBASEAPI HANDLE WINAPI CreateIoCompletionPort(HANDLE FileHandle, HANDLE ExistingCompletionPort,
                                                ULONG_PTR CompletionKey,
                                                DWORD NumberOfConcurrentThreads)
{
    FILE_COMPLETION_INFORMATION Completion;
    HANDLE Port = ExistingCompletionPort;
    NTSTATUS Status;

    /* "If INVALID_HANDLE_VALUE is specified ... the ExistingCompletionPort parameter must be
     * NULL". */
    if (FileHandle == INVALID_HANDLE_VALUE && ExistingCompletionPort != NULL) {
        SetLastError(ERROR_INVALID_PARAMETER);
        return NULL;
    }
    if (Port == NULL) {
        Status = NtCreateIoCompletion(&Port, IO_COMPLETION_ALL_ACCESS, NULL,
                                      NumberOfConcurrentThreads);
        if (!NT_SUCCESS(Status)) {
            BasepSetLastNtError(Status);
            return NULL;
        }
    }
    if (FileHandle != INVALID_HANDLE_VALUE) {
        Completion.Port = Port;
        Completion.Key = (PVOID)CompletionKey;
        if (!BasepSetFileInformation(FileHandle, &Completion, sizeof(Completion),
                                     FileCompletionInformation)) {
            if (ExistingCompletionPort == NULL) {
                DWORD Error = GetLastError();
                NtClose(Port);
                SetLastError(Error);
            }
            return NULL;
        }
    }
    return Port;
}

/* FALSE with *lpOverlapped NULL when no packet was removed (WAIT_TIMEOUT on a timeout,
 * ERROR_ABANDONED_WAIT_0 once the port's handle is closed); FALSE with *lpOverlapped set for a
 * packet of a failed I/O, the I/O's error in the last error. */
WINBASEAPI BOOL WINAPI GetQueuedCompletionStatus(HANDLE CompletionPort, LPDWORD lpNumberOfBytes,
                                                 PULONG_PTR lpCompletionKey,
                                                 LPOVERLAPPED *lpOverlapped,
                                                 DWORD dwMilliseconds)
{
    LARGE_INTEGER Time;
    IO_STATUS_BLOCK IoStatus;
    PVOID Key, ApcContext;
    NTSTATUS Status = NtRemoveIoCompletion(CompletionPort, &Key, &ApcContext, &IoStatus,
                                           BasepFormatTimeOut(&Time, dwMilliseconds));
    if (Status != STATUS_SUCCESS) {
        *lpOverlapped = NULL;
        if (Status == STATUS_TIMEOUT)
            SetLastError(WAIT_TIMEOUT);
        else if (Status == STATUS_ABANDONED_WAIT_0)
            SetLastError(ERROR_ABANDONED_WAIT_0);
        else
            BasepSetLastNtError(Status);
        return FALSE;
    }
    *lpCompletionKey = (ULONG_PTR)Key;
    *lpOverlapped = ApcContext;
    *lpNumberOfBytes = (DWORD)IoStatus.Information;
    if (!NT_SUCCESS(IoStatus.Status)) {
        BasepSetLastNtError(IoStatus.Status);
        return FALSE;
    }
    return TRUE;
}

/* OVERLAPPED_ENTRY has FILE_IO_COMPLETION_INFORMATION's layout: the entries are filled in
 * place. Each entry carries its own status (Internal); the call succeeds when any was removed. */
WINBASEAPI BOOL WINAPI GetQueuedCompletionStatusEx(HANDLE CompletionPort,
                                                   LPOVERLAPPED_ENTRY lpCompletionPortEntries,
                                                   ULONG ulCount, PULONG ulNumEntriesRemoved,
                                                   DWORD dwMilliseconds, BOOL fAlertable)
{
    LARGE_INTEGER Time;
    NTSTATUS Status = NtRemoveIoCompletionEx(
        CompletionPort, (PFILE_IO_COMPLETION_INFORMATION)lpCompletionPortEntries, ulCount,
        ulNumEntriesRemoved, BasepFormatTimeOut(&Time, dwMilliseconds),
        (BOOLEAN)(fAlertable != FALSE));
    if (Status == STATUS_SUCCESS)
        return TRUE;
    if (Status == STATUS_TIMEOUT)
        SetLastError(WAIT_TIMEOUT);
    else if (Status == STATUS_USER_APC)
        SetLastError(WAIT_IO_COMPLETION);
    else if (Status == STATUS_ABANDONED_WAIT_0)
        SetLastError(ERROR_ABANDONED_WAIT_0);
    else
        BasepSetLastNtError(Status);
    return FALSE;
}

WINBASEAPI BOOL WINAPI PostQueuedCompletionStatus(HANDLE CompletionPort,
                                                  DWORD dwNumberOfBytesTransferred,
                                                  ULONG_PTR dwCompletionKey,
                                                  LPOVERLAPPED lpOverlapped)
{
    NTSTATUS Status = NtSetIoCompletion(CompletionPort, (PVOID)dwCompletionKey, lpOverlapped,
                                        STATUS_SUCCESS, dwNumberOfBytesTransferred);
    if (!NT_SUCCESS(Status)) {
        BasepSetLastNtError(Status);
        return FALSE;
    }
    return TRUE;
}

WINBASEAPI BOOL WINAPI SetFileCompletionNotificationModes(HANDLE FileHandle, UCHAR Flags)
{
    FILE_IO_COMPLETION_NOTIFICATION_INFORMATION Information = { Flags };
    return BasepSetFileInformation(FileHandle, &Information, sizeof(Information),
                                   FileIoCompletionNotificationInformation);
}
