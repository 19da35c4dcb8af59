/* Events over NtCreateEvent / NtOpenEvent / NtSetEvent ... Named events live in
 * \BaseNamedObjects, the directory kernel32 uses for the (single) session. */
#include "basep.h"

#include <stdlib.h>

static const WCHAR BasepNamedObjectsPrefix[] = L"\\BaseNamedObjects\\";

/* Builds the object attributes for a named or unnamed object. "Global\" and "Local\" name the
 * global and the session namespace; ntk has one session, so both are \BaseNamedObjects.
 * On success the caller frees Name->Buffer (NULL for an unnamed object). */
static BOOL BasepFormatObjectAttributes(POBJECT_ATTRIBUTES ObjectAttributes,
                                        PUNICODE_STRING Name, LPCWSTR lpName,
                                        LPSECURITY_ATTRIBUTES SecurityAttributes,
                                        ULONG Attributes)
{
    static const WCHAR Global[] = L"Global\\", Local[] = L"Local\\";
    SIZE_T Length;

    Name->Buffer = NULL;
    if (SecurityAttributes != NULL && SecurityAttributes->bInheritHandle)
        Attributes |= OBJ_INHERIT;
    /* An empty name is no name: the object is created unnamed, as on Windows. */
    if (lpName == NULL || lpName[0] == UNICODE_NULL) {
        InitializeObjectAttributes(ObjectAttributes, NULL, Attributes, NULL,
                                   SecurityAttributes ? SecurityAttributes->lpSecurityDescriptor
                                                      : NULL);
        return TRUE;
    }
    Length = BasepWideLength(lpName);
    if (Length >= RTL_NUMBER_OF(Global) - 1 &&
        memcmp(lpName, Global, sizeof(Global) - sizeof(WCHAR)) == 0) {
        lpName += RTL_NUMBER_OF(Global) - 1;
        Length -= RTL_NUMBER_OF(Global) - 1;
    } else if (Length >= RTL_NUMBER_OF(Local) - 1 &&
               memcmp(lpName, Local, sizeof(Local) - sizeof(WCHAR)) == 0) {
        lpName += RTL_NUMBER_OF(Local) - 1;
        Length -= RTL_NUMBER_OF(Local) - 1;
    }
    if (!BasepBuildName(BasepNamedObjectsPrefix, lpName, Length, Name))
        return FALSE;
    InitializeObjectAttributes(ObjectAttributes, Name, Attributes, NULL,
                               SecurityAttributes ? SecurityAttributes->lpSecurityDescriptor
                                                  : NULL);
    return TRUE;
}

WINBASEAPI HANDLE WINAPI CreateEventW(LPSECURITY_ATTRIBUTES lpEventAttributes, BOOL bManualReset,
                                      BOOL bInitialState, LPCWSTR lpName)
{
    OBJECT_ATTRIBUTES ObjectAttributes;
    UNICODE_STRING Name;
    HANDLE Handle;
    NTSTATUS Status;

    /* OBJ_OPENIF: an existing event of that name is opened, not an error. */
    if (!BasepFormatObjectAttributes(&ObjectAttributes, &Name, lpName, lpEventAttributes,
                                     lpName != NULL ? OBJ_OPENIF : 0))
        return NULL;
    Status = NtCreateEvent(&Handle, EVENT_ALL_ACCESS, &ObjectAttributes,
                           bManualReset ? NotificationEvent : SynchronizationEvent,
                           (BOOLEAN)(bInitialState != FALSE));
    free(Name.Buffer);
    if (!NT_SUCCESS(Status)) {
        BasepSetLastNtError(Status);
        return NULL;
    }
    /* Windows tells a creator from an opener through the last error, on success too. */
    SetLastError(Status == STATUS_OBJECT_NAME_EXISTS ? ERROR_ALREADY_EXISTS : ERROR_SUCCESS);
    return Handle;
}

WINBASEAPI HANDLE WINAPI CreateEventA(LPSECURITY_ATTRIBUTES lpEventAttributes, BOOL bManualReset,
                                      BOOL bInitialState, LPCSTR lpName)
{
    PWSTR Name;
    HANDLE Handle;

    if (!BasepWideFromAnsi(lpName, &Name))
        return NULL;
    Handle = CreateEventW(lpEventAttributes, bManualReset, bInitialState, Name);
    free(Name);
    return Handle;
}

WINBASEAPI HANDLE WINAPI OpenEventW(DWORD dwDesiredAccess, BOOL bInheritHandle, LPCWSTR lpName)
{
    OBJECT_ATTRIBUTES ObjectAttributes;
    UNICODE_STRING Name;
    HANDLE Handle;
    NTSTATUS Status;

    if (lpName == NULL) {
        SetLastError(ERROR_INVALID_PARAMETER);
        return NULL;
    }
    if (!BasepFormatObjectAttributes(&ObjectAttributes, &Name, lpName, NULL,
                                     bInheritHandle ? OBJ_INHERIT : 0))
        return NULL;
    Status = NtOpenEvent(&Handle, dwDesiredAccess, &ObjectAttributes);
    free(Name.Buffer);
    if (!NT_SUCCESS(Status)) {
        BasepSetLastNtError(Status);
        return NULL;
    }
    return Handle;
}

WINBASEAPI HANDLE WINAPI OpenEventA(DWORD dwDesiredAccess, BOOL bInheritHandle, LPCSTR lpName)
{
    PWSTR Name;
    HANDLE Handle;

    if (lpName == NULL) {
        SetLastError(ERROR_INVALID_PARAMETER);
        return NULL;
    }
    if (!BasepWideFromAnsi(lpName, &Name))
        return NULL;
    Handle = OpenEventW(dwDesiredAccess, bInheritHandle, Name);
    free(Name);
    return Handle;
}

static BOOL BasepEventResult(NTSTATUS Status)
{
    if (!NT_SUCCESS(Status)) {
        BasepSetLastNtError(Status);
        return FALSE;
    }
    return TRUE;
}

WINBASEAPI BOOL WINAPI SetEvent(HANDLE hEvent)
{
    return BasepEventResult(NtSetEvent(hEvent, NULL));
}

/* kernel32 resets with NtClearEvent: the previous state is not wanted. */
WINBASEAPI BOOL WINAPI ResetEvent(HANDLE hEvent)
{
    return BasepEventResult(NtClearEvent(hEvent));
}

WINBASEAPI BOOL WINAPI PulseEvent(HANDLE hEvent)
{
    return BasepEventResult(NtPulseEvent(hEvent, NULL));
}
