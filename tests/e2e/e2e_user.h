/* Helpers for the e2e user programs: Win32 error codes (winerror.h values) and checks of
 * the "returns FALSE and sets GetLastError()" convention. Include after <windows.h>. */
#ifndef NTK_E2E_USER_H
#define NTK_E2E_USER_H

#include <stdio.h>
#include "../ntktest.h"

#ifndef ERROR_SUCCESS
#define ERROR_SUCCESS 0L
#endif
#ifndef ERROR_INVALID_FUNCTION
#define ERROR_INVALID_FUNCTION 1L
#endif
#ifndef ERROR_FILE_NOT_FOUND
#define ERROR_FILE_NOT_FOUND 2L
#endif
#ifndef ERROR_ACCESS_DENIED
#define ERROR_ACCESS_DENIED 5L
#endif
#ifndef ERROR_INVALID_HANDLE
#define ERROR_INVALID_HANDLE 6L
#endif
#ifndef ERROR_NOT_ENOUGH_MEMORY
#define ERROR_NOT_ENOUGH_MEMORY 8L
#endif
#ifndef ERROR_INVALID_PARAMETER
#define ERROR_INVALID_PARAMETER 87L
#endif
#ifndef ERROR_INSUFFICIENT_BUFFER
#define ERROR_INSUFFICIENT_BUFFER 122L
#endif
#ifndef ERROR_ALREADY_EXISTS
#define ERROR_ALREADY_EXISTS 183L
#endif
#ifndef ERROR_MORE_DATA
#define ERROR_MORE_DATA 234L
#endif
#ifndef ERROR_NOACCESS
#define ERROR_NOACCESS 998L
#endif
#ifndef ERROR_INVALID_USER_BUFFER
#define ERROR_INVALID_USER_BUFFER 1784L
#endif
#ifndef ERROR_NO_SYSTEM_RESOURCES
#define ERROR_NO_SYSTEM_RESOURCES 1450L
#endif
#ifndef ERROR_NOT_ENOUGH_QUOTA
#define ERROR_NOT_ENOUGH_QUOTA 1816L
#endif

/* CALL must return FALSE (0) and set the last error to ERR. */
#define CHECK_FAILS_WITH(call, err)                                                               \
    do {                                                                                          \
        SetLastError(0xDEADBEEF);                                                                 \
        long long ok_ = (long long)(call);                                                        \
        DWORD e_ = GetLastError();                                                                \
        if (ok_ == 0 && e_ == (DWORD)(err)) {                                                     \
            NtkTestPassed++;                                                                      \
        } else {                                                                                  \
            NtkTestFailed++;                                                                      \
            fprintf(stderr,                                                                       \
                    "%s:%d: CHECK failed: %s returned %lld with error %u, expected 0 with %s "    \
                    "(%u)\n",                                                                     \
                    __FILE__, __LINE__, #call, ok_, (unsigned)e_, #err, (unsigned)(err));         \
        }                                                                                         \
    } while (0)

/* CALL must return TRUE (nonzero). */
#define CHECK_SUCCEEDS(call)                                                                      \
    do {                                                                                          \
        SetLastError(0xDEADBEEF);                                                                 \
        long long ok_ = (long long)(call);                                                        \
        if (ok_ != 0) {                                                                           \
            NtkTestPassed++;                                                                      \
        } else {                                                                                  \
            NtkTestFailed++;                                                                      \
            fprintf(stderr, "%s:%d: CHECK failed: %s failed with error %u\n", __FILE__,           \
                    __LINE__, #call, (unsigned)GetLastError());                                   \
        }                                                                                         \
    } while (0)

#endif
