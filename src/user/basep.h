/* libntk-user's private helpers (kernel32's Basep* layer): error mapping, timeouts, strings. */
#ifndef NTK_USER_BASEP_H
#define NTK_USER_BASEP_H

/* The ntk headers first, so windows.h's guarded constants defer to the kernel's. */
#include <ntk/ntapi.h>
#include <ntk/rtl.h>
#include <windows.h>

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
