/* libntk-user's private helpers (kernel32's Basep* layer): error mapping, timeouts, strings. */
#ifndef NTK_USER_BASEP_H
#define NTK_USER_BASEP_H

/* The ntk headers first, so windows.h's guarded constants defer to the kernel's. */
#include <ntk/ntapi.h>
#include <ntk/rtl.h>
#include <windows.h>

/* Win32 error codes this library sets itself (winerror.h has them all). */
#ifndef ERROR_SUCCESS
#define ERROR_SUCCESS 0L
#endif
#ifndef ERROR_PATH_NOT_FOUND
#define ERROR_PATH_NOT_FOUND 3L
#endif
#ifndef ERROR_NOT_ENOUGH_MEMORY
#define ERROR_NOT_ENOUGH_MEMORY 8L
#endif
#ifndef ERROR_FILE_EXISTS
#define ERROR_FILE_EXISTS 80L
#endif
#ifndef ERROR_INVALID_PARAMETER
#define ERROR_INVALID_PARAMETER 87L
#endif
#ifndef ERROR_CALL_NOT_IMPLEMENTED
#define ERROR_CALL_NOT_IMPLEMENTED 120L
#endif
#ifndef ERROR_ALREADY_EXISTS
#define ERROR_ALREADY_EXISTS 183L
#endif
#ifndef ERROR_FILENAME_EXCED_RANGE
#define ERROR_FILENAME_EXCED_RANGE 206L
#endif
#ifndef ERROR_MORE_DATA
#define ERROR_MORE_DATA 234L
#endif
#ifndef ERROR_IO_INCOMPLETE
#define ERROR_IO_INCOMPLETE 996L
#endif
#ifndef ERROR_IO_PENDING
#define ERROR_IO_PENDING 997L
#endif

/* error.c */
PTEB BasepTeb(VOID);
VOID BasepSetLastNtError(NTSTATUS Status);
VOID BasepNotImplemented(PCSTR Function);

/* sync.c: a Win32 timeout in ms as an NT relative timeout; NULL for INFINITE. */
PLARGE_INTEGER BasepFormatTimeOut(PLARGE_INTEGER TimeOut, DWORD Milliseconds);

/* string.c: counted UTF-16 strings and the A (UTF-8) <-> W conversions. */
SIZE_T BasepWideLength(PCWSTR String);
BOOL BasepWideFromAnsi(LPCSTR Ansi, PWSTR *Wide);
LPSTR BasepAnsiFromWide(LPCWSTR Wide);
BOOL BasepBuildName(PCWSTR Prefix, PCWSTR Name, SIZE_T NameLength, PUNICODE_STRING Result);

/* path.c: a Win32 path as an NT path (malloc'ed); returns ERROR_SUCCESS or the Win32 error. */
DWORD BasepDosPathToNtPath(PCWSTR DosPath, PUNICODE_STRING NtPath);

#endif
