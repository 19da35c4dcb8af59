/* Events, semaphores and mutexes over the Nt services (NtCreateEvent, NtCreateSemaphore,
 * NtCreateMutant ...). Named objects live in \BaseNamedObjects, the directory kernel32 uses
 * for the (single) session; drivers reach the same objects there. */
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

/* What every Create* does with the service's result. Windows tells a creator from an opener
 * through the last error, on success too; a name in use by another type of object is
 * STATUS_OBJECT_TYPE_MISMATCH, ERROR_INVALID_HANDLE. */
static HANDLE BasepCreateResult(NTSTATUS Status, HANDLE Handle)
{
    if (!NT_SUCCESS(Status)) {
        BasepSetLastNtError(Status);
        return NULL;
    }
    SetLastError(Status == STATUS_OBJECT_NAME_EXISTS ? ERROR_ALREADY_EXISTS : ERROR_SUCCESS);
    return Handle;
}

typedef NTSTATUS (*BASEP_OPEN_SERVICE)(PHANDLE Handle, ACCESS_MASK DesiredAccess,
                                       POBJECT_ATTRIBUTES ObjectAttributes);

/* What every Open* does: the name is required; a missing one is ERROR_FILE_NOT_FOUND. */
static HANDLE BasepOpenNamed(BASEP_OPEN_SERVICE Service, DWORD dwDesiredAccess,
                             BOOL bInheritHandle, LPCWSTR lpName)
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
    Status = Service(&Handle, dwDesiredAccess, &ObjectAttributes);
    free(Name.Buffer);
    if (!NT_SUCCESS(Status)) {
        BasepSetLastNtError(Status);
        return NULL;
    }
    return Handle;
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
    return BasepCreateResult(Status, Handle);
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

/* The ANSI Open* functions: the name converted, then the wide function. */
static HANDLE BasepOpenAnsi(HANDLE(WINAPI *OpenW)(DWORD, BOOL, LPCWSTR), DWORD DesiredAccess,
                            BOOL InheritHandle, LPCSTR Name)
{
    PWSTR Wide;
    HANDLE Handle;

    if (Name == NULL) {
        SetLastError(ERROR_INVALID_PARAMETER);
        return NULL;
    }
    if (!BasepWideFromAnsi(Name, &Wide))
        return NULL;
    Handle = OpenW(DesiredAccess, InheritHandle, Wide);
    free(Wide);
    return Handle;
}

WINBASEAPI HANDLE WINAPI OpenEventW(DWORD dwDesiredAccess, BOOL bInheritHandle, LPCWSTR lpName)
{
    return BasepOpenNamed(NtOpenEvent, dwDesiredAccess, bInheritHandle, lpName);
}

WINBASEAPI HANDLE WINAPI OpenEventA(DWORD dwDesiredAccess, BOOL bInheritHandle, LPCSTR lpName)
{
    return BasepOpenAnsi(OpenEventW, dwDesiredAccess, bInheritHandle, lpName);
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

/* ---- Semaphores ---- */

WINBASEAPI HANDLE WINAPI CreateSemaphoreW(LPSECURITY_ATTRIBUTES lpSemaphoreAttributes,
                                          LONG lInitialCount, LONG lMaximumCount, LPCWSTR lpName)
{
    OBJECT_ATTRIBUTES ObjectAttributes;
    UNICODE_STRING Name;
    HANDLE Handle = NULL;
    NTSTATUS Status;

    if (!BasepFormatObjectAttributes(&ObjectAttributes, &Name, lpName, lpSemaphoreAttributes,
                                     lpName != NULL ? OBJ_OPENIF : 0))
        return NULL;
    /* The service checks the counts: a maximum below 1, or an initial count outside
     * 0..maximum, is STATUS_INVALID_PARAMETER (ERROR_INVALID_PARAMETER). */
    Status = NtCreateSemaphore(&Handle, SEMAPHORE_ALL_ACCESS, &ObjectAttributes, lInitialCount,
                               lMaximumCount);
    free(Name.Buffer);
    return BasepCreateResult(Status, Handle);
}

WINBASEAPI HANDLE WINAPI CreateSemaphoreA(LPSECURITY_ATTRIBUTES lpSemaphoreAttributes,
                                          LONG lInitialCount, LONG lMaximumCount, LPCSTR lpName)
{
    PWSTR Name;
    HANDLE Handle;

    if (!BasepWideFromAnsi(lpName, &Name))
        return NULL;
    Handle = CreateSemaphoreW(lpSemaphoreAttributes, lInitialCount, lMaximumCount, Name);
    free(Name);
    return Handle;
}

WINBASEAPI HANDLE WINAPI OpenSemaphoreW(DWORD dwDesiredAccess, BOOL bInheritHandle,
                                        LPCWSTR lpName)
{
    return BasepOpenNamed(NtOpenSemaphore, dwDesiredAccess, bInheritHandle, lpName);
}

WINBASEAPI HANDLE WINAPI OpenSemaphoreA(DWORD dwDesiredAccess, BOOL bInheritHandle, LPCSTR lpName)
{
    return BasepOpenAnsi(OpenSemaphoreW, dwDesiredAccess, bInheritHandle, lpName);
}

/* Over the maximum: FALSE with ERROR_TOO_MANY_POSTS, the count unchanged. */
WINBASEAPI BOOL WINAPI ReleaseSemaphore(HANDLE hSemaphore, LONG lReleaseCount,
                                        LPLONG lpPreviousCount)
{
    return BasepEventResult(NtReleaseSemaphore(hSemaphore, lReleaseCount, lpPreviousCount));
}

/* ---- Mutexes (mutants) ---- */

WINBASEAPI HANDLE WINAPI CreateMutexW(LPSECURITY_ATTRIBUTES lpMutexAttributes, BOOL bInitialOwner,
                                      LPCWSTR lpName)
{
    OBJECT_ATTRIBUTES ObjectAttributes;
    UNICODE_STRING Name;
    HANDLE Handle = NULL;
    NTSTATUS Status;

    if (!BasepFormatObjectAttributes(&ObjectAttributes, &Name, lpName, lpMutexAttributes,
                                     lpName != NULL ? OBJ_OPENIF : 0))
        return NULL;
    /* An existing mutex is opened, not acquired: bInitialOwner only applies to a new one. */
    Status = NtCreateMutant(&Handle, MUTANT_ALL_ACCESS, &ObjectAttributes,
                            (BOOLEAN)(bInitialOwner != FALSE));
    free(Name.Buffer);
    return BasepCreateResult(Status, Handle);
}

WINBASEAPI HANDLE WINAPI CreateMutexA(LPSECURITY_ATTRIBUTES lpMutexAttributes, BOOL bInitialOwner,
                                      LPCSTR lpName)
{
    PWSTR Name;
    HANDLE Handle;

    if (!BasepWideFromAnsi(lpName, &Name))
        return NULL;
    Handle = CreateMutexW(lpMutexAttributes, bInitialOwner, Name);
    free(Name);
    return Handle;
}

WINBASEAPI HANDLE WINAPI OpenMutexW(DWORD dwDesiredAccess, BOOL bInheritHandle, LPCWSTR lpName)
{
    return BasepOpenNamed(NtOpenMutant, dwDesiredAccess, bInheritHandle, lpName);
}

WINBASEAPI HANDLE WINAPI OpenMutexA(DWORD dwDesiredAccess, BOOL bInheritHandle, LPCSTR lpName)
{
    return BasepOpenAnsi(OpenMutexW, dwDesiredAccess, bInheritHandle, lpName);
}

/* Not the owner: FALSE with ERROR_NOT_OWNER (STATUS_MUTANT_NOT_OWNED). */
WINBASEAPI BOOL WINAPI ReleaseMutex(HANDLE hMutex)
{
    return BasepEventResult(NtReleaseMutant(hMutex, NULL));
}
