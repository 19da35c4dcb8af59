/* Handles: CloseHandle and DuplicateHandle over NtClose and NtDuplicateObject. */
#include "basep.h"

WINBASEAPI BOOL WINAPI CloseHandle(HANDLE hObject)
{
    NTSTATUS Status = NtClose(hObject);

    if (!NT_SUCCESS(Status)) {
        BasepSetLastNtError(Status);
        return FALSE;
    }
    return TRUE;
}

/* DUPLICATE_CLOSE_SOURCE and DUPLICATE_SAME_ACCESS have the values NtDuplicateObject takes. */
WINBASEAPI BOOL WINAPI DuplicateHandle(HANDLE hSourceProcessHandle, HANDLE hSourceHandle,
                                       HANDLE hTargetProcessHandle, LPHANDLE lpTargetHandle,
                                       DWORD dwDesiredAccess, BOOL bInheritHandle,
                                       DWORD dwOptions)
{
    NTSTATUS Status = NtDuplicateObject(hSourceProcessHandle, hSourceHandle,
                                        hTargetProcessHandle, lpTargetHandle, dwDesiredAccess,
                                        bInheritHandle ? OBJ_INHERIT : 0, dwOptions);

    if (!NT_SUCCESS(Status)) {
        BasepSetLastNtError(Status);
        return FALSE;
    }
    return TRUE;
}
