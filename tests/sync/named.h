/* The named test driver's two halves: named_checks.c (DriverEntry's checks, which create the
 * shared objects) and named.c (the threads and IOCTLs user_named.c drives). */
#ifndef NTK_TESTS_SYNC_NAMED_H
#define NTK_TESTS_SYNC_NAMED_H

#include "kmtest_sync.h"
#include "named_ioctl.h"

/* The objects in \BaseNamedObjects: kernel handles, and references for waiting. */
extern PKEVENT K2U, U2K;
extern HANDLE K2UHandle, U2KHandle, SemHandle, MutexHandle;
extern PVOID SemObject, MutexObject;

void NamedInitName(PUNICODE_STRING Name, PCWSTR Text);

/* Runs the checks and prints the summary; STATUS_SUCCESS if all passed and the shared objects
 * exist. */
NTSTATUS NamedCheckKernel(void);

#endif
