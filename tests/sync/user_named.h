/* Shared by user_named.c (with the driver) and user_named_local.c (between user threads). */
#ifndef NTK_TESTS_SYNC_USER_NAMED_H
#define NTK_TESTS_SYNC_USER_NAMED_H

#include <windows.h>
#include <winioctl.h>
#include <ntk/ntapi.h>
#include "../e2e/e2e_user.h"
#include "named_ioctl.h"

#ifndef ERROR_PATH_NOT_FOUND
#define ERROR_PATH_NOT_FOUND 3L
#endif
#ifndef ERROR_NOT_OWNER
#define ERROR_NOT_OWNER 288L
#endif
#ifndef ERROR_TOO_MANY_POSTS
#define ERROR_TOO_MANY_POSTS 298L
#endif

#define ROUNDS 20000      /* ping-pong rounds */
#define PER_THREAD 20000  /* semaphore and mutex operations per racing thread */
#define RACERS 4
#define LIMIT 100
#define LIMIT_TRIES 1000
#define JOIN_MS 120000    /* only so that a lost wake-up ends the test */

/* The driver's named objects, opened by user_named.c. */
extern HANDLE K2U, U2K, Sem, Mutex;

typedef struct {
    HANDLE Handle;
    LONG Ok, TooMany, Other, BadPrevious;
    LONG Count;
} RACER;

/* Releases r->Count units one at a time, counting the outcomes. */
DWORD WINAPI Releaser(LPVOID Param);
/* Waits (bounded) for all the threads, then closes them. */
void Join(HANDLE *Threads, DWORD Count);

/* Runs user_named_local.c's checks; adds its passed and failed counts to *Passed, *Failed. */
void UserNamedLocalChecks(int *Passed, int *Failed);

#endif
