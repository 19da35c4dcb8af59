/* The ntstrsafe.h functions, exported rather than inline. One set of workers serves the char
 * (A) and WCHAR (W) forms; they follow the WDK header's workers step by step so that results,
 * truncation and the Ex flags behave the same. */
#include "rtlp.h"
#include <ntstrsafe.h>

#define STRSAFE_VALID_FLAGS                                                                       \
    (0x000000FF | STRSAFE_IGNORE_NULLS | STRSAFE_FILL_BEHIND_NULL | STRSAFE_FILL_ON_FAILURE |     \
     STRSAFE_NULL_ON_FAILURE | STRSAFE_NO_TRUNCATION)

static inline size_t RtlpUnit(BOOLEAN Wide)
{
    return Wide ? sizeof(WCHAR) : sizeof(char);
}

static inline ULONG RtlpGet(const void *String, size_t Index, BOOLEAN Wide)
{
    return Wide ? ((const WCHAR *)String)[Index] : (UCHAR)((const char *)String)[Index];
}

static inline void RtlpSet(void *String, size_t Index, ULONG Char, BOOLEAN Wide)
{
    if (Wide)
        ((WCHAR *)String)[Index] = (WCHAR)Char;
    else
        ((char *)String)[Index] = (char)Char;
}

static inline void *RtlpAt(void *String, size_t Index, BOOLEAN Wide)
{
    return (PUCHAR)String + Index * RtlpUnit(Wide);
}

static const WCHAR RtlpEmpty[1] = {0}; /* "" for both widths */

static NTSTATUS RtlpValidateDest(size_t cchDest, size_t cchMax)
{
    return (cchDest == 0 || cchDest > cchMax) ? STATUS_INVALID_PARAMETER : STATUS_SUCCESS;
}

static NTSTATUS RtlpLengthWorker(const void *psz, size_t cchMax, size_t *pcchLength,
                                 BOOLEAN Wide)
{
    size_t n = 0;

    while (n < cchMax && RtlpGet(psz, n, Wide) != 0)
        n++;
    if (n == cchMax) {
        if (pcchLength != NULL)
            *pcchLength = 0;
        return STATUS_INVALID_PARAMETER;
    }
    if (pcchLength != NULL)
        *pcchLength = n;
    return STATUS_SUCCESS;
}

/* Copies at most cchToCopy chars of pszSrc (stopping at its NUL) and always terminates; if the
 * destination fills up, the result is cut to cchDest-1 chars and STATUS_BUFFER_OVERFLOW. */
static NTSTATUS RtlpCopyWorker(void *pszDest, size_t cchDest, size_t *pcchNewDestLength,
                               const void *pszSrc, size_t cchToCopy, BOOLEAN Wide)
{
    NTSTATUS status = STATUS_SUCCESS;
    size_t n = 0;
    ULONG c;

    while (cchDest != 0 && cchToCopy != 0 && (c = RtlpGet(pszSrc, n, Wide)) != 0) {
        RtlpSet(pszDest, n++, c, Wide);
        cchDest--;
        cchToCopy--;
    }
    if (cchDest == 0) {
        n--;
        status = STATUS_BUFFER_OVERFLOW;
    }
    RtlpSet(pszDest, n, 0, Wide);
    if (pcchNewDestLength != NULL)
        *pcchNewDestLength = n;
    return status;
}

static NTSTATUS RtlpVPrintfWorker(void *pszDest, size_t cchDest, size_t *pcchNewDestLength,
                                  const void *pszFormat, va_list argList, BOOLEAN Wide)
{
    size_t written, needed;

    if (pszFormat == NULL) {
        RtlpSet(pszDest, 0, 0, Wide);
        if (pcchNewDestLength != NULL)
            *pcchNewDestLength = 0;
        return STATUS_INVALID_PARAMETER;
    }
    needed = RtlpVFormatInternal(pszDest, cchDest - 1, TRUE, Wide, pszFormat, argList, &written);
    if (pcchNewDestLength != NULL)
        *pcchNewDestLength = written;
    return needed > cchDest - 1 ? STATUS_BUFFER_OVERFLOW : STATUS_SUCCESS;
}

static NTSTATUS RtlpCopy(void *pszDest, size_t cchDest, const void *pszSrc, size_t cchToCopy,
                         BOOLEAN Wide)
{
    NTSTATUS status = RtlpValidateDest(cchDest, NTSTRSAFE_MAX_CCH);

    if (NT_SUCCESS(status) && cchToCopy > NTSTRSAFE_MAX_LENGTH)
        status = STATUS_INVALID_PARAMETER;
    if (NT_SUCCESS(status))
        return RtlpCopyWorker(pszDest, cchDest, NULL, pszSrc != NULL ? pszSrc : RtlpEmpty,
                              cchToCopy, Wide);
    if (cchDest > 0 && pszDest != NULL)
        RtlpSet(pszDest, 0, 0, Wide);
    return status;
}

static NTSTATUS RtlpCat(void *pszDest, size_t cchDest, const void *pszSrc, size_t cchToAppend,
                        BOOLEAN Wide)
{
    NTSTATUS status = RtlpValidateDest(cchDest, NTSTRSAFE_MAX_CCH);
    size_t length;

    if (NT_SUCCESS(status))
        status = RtlpLengthWorker(pszDest, cchDest, &length, Wide);
    if (NT_SUCCESS(status) && cchToAppend > NTSTRSAFE_MAX_LENGTH)
        status = STATUS_INVALID_PARAMETER;
    if (!NT_SUCCESS(status))
        return status;
    return RtlpCopyWorker(RtlpAt(pszDest, length, Wide), cchDest - length, NULL,
                          pszSrc != NULL ? pszSrc : RtlpEmpty, cchToAppend, Wide);
}

static NTSTATUS RtlpVPrintf(void *pszDest, size_t cchDest, const void *pszFormat,
                            va_list argList, BOOLEAN Wide)
{
    NTSTATUS status = RtlpValidateDest(cchDest, NTSTRSAFE_MAX_CCH);

    if (NT_SUCCESS(status))
        return RtlpVPrintfWorker(pszDest, cchDest, NULL, pszFormat, argList, Wide);
    if (cchDest > 0 && pszDest != NULL)
        RtlpSet(pszDest, 0, 0, Wide);
    return status;
}

/* The Ex forms. */
typedef enum _RTLP_EX_OP { RtlpExCopy, RtlpExCat, RtlpExPrintf } RTLP_EX_OP;

static NTSTATUS RtlpEx(RTLP_EX_OP Op, void *pszDest, size_t cchDest, const void *pszSrc,
                       va_list *argList, void **ppszDestEnd, size_t *pcchRemaining,
                       ULONG dwFlags, BOOLEAN Wide)
{
    NTSTATUS status = STATUS_SUCCESS;
    size_t length = 0, written = 0, remaining = cchDest;
    void *end = pszDest;
    int fill = STRSAFE_GET_FILL_PATTERN(dwFlags);

    if ((dwFlags & ~(ULONG)STRSAFE_VALID_FLAGS) != 0)
        return STATUS_INVALID_PARAMETER;
    /* With STRSAFE_IGNORE_NULLS a NULL destination of size 0 is allowed. */
    if (dwFlags & STRSAFE_IGNORE_NULLS) {
        if ((pszDest == NULL && cchDest != 0) || cchDest > NTSTRSAFE_MAX_CCH)
            return STATUS_INVALID_PARAMETER;
        if (pszSrc == NULL)
            pszSrc = RtlpEmpty;
    } else {
        status = RtlpValidateDest(cchDest, NTSTRSAFE_MAX_CCH);
        if (!NT_SUCCESS(status)) {
            if (cchDest > 0 && pszDest != NULL)
                RtlpSet(pszDest, 0, 0, Wide);
            return status;
        }
        if (pszSrc == NULL)
            pszSrc = RtlpEmpty;
    }
    if (Op == RtlpExCat && cchDest != 0) {
        status = RtlpLengthWorker(pszDest, cchDest, &length, Wide);
        if (!NT_SUCCESS(status))
            return status;
    }
    if (cchDest == 0) {
        /* Nothing can be written: fine only if there was nothing to write. */
        if (RtlpGet(pszSrc, 0, Wide) != 0)
            status = pszDest == NULL ? STATUS_INVALID_PARAMETER : STATUS_BUFFER_OVERFLOW;
    } else {
        void *at = RtlpAt(pszDest, length, Wide);
        if (Op == RtlpExPrintf)
            status = RtlpVPrintfWorker(at, cchDest - length, &written, pszSrc, *argList, Wide);
        else
            status = RtlpCopyWorker(at, cchDest - length, &written, pszSrc, NTSTRSAFE_MAX_LENGTH,
                                    Wide);
        end = RtlpAt(pszDest, length + written, Wide);
        remaining = cchDest - length - written;
        if (NT_SUCCESS(status) && (dwFlags & STRSAFE_FILL_BEHIND_NULL) && remaining > 1)
            RtlFillMemory(RtlpAt(end, 1, Wide), (remaining - 1) * RtlpUnit(Wide), fill);
    }
    if (!NT_SUCCESS(status) && cchDest != 0) {
        if (dwFlags & STRSAFE_FILL_ON_FAILURE) {
            RtlFillMemory(pszDest, cchDest * RtlpUnit(Wide), fill);
            if (fill == 0) {
                end = pszDest;
                remaining = cchDest;
            } else {
                end = RtlpAt(pszDest, cchDest - 1, Wide);
                remaining = 1;
                RtlpSet(end, 0, 0, Wide);
            }
        }
        if (dwFlags & STRSAFE_NULL_ON_FAILURE) {
            end = pszDest;
            remaining = cchDest;
            RtlpSet(end, 0, 0, Wide);
        } else if (dwFlags & STRSAFE_NO_TRUNCATION) {
            /* Undo the partial result: a copy leaves "", a cat the original string. */
            end = RtlpAt(pszDest, length, Wide);
            remaining = cchDest - length;
            RtlpSet(end, 0, 0, Wide);
        }
    }
    if (NT_SUCCESS(status) || status == STATUS_BUFFER_OVERFLOW) {
        if (ppszDestEnd != NULL)
            *ppszDestEnd = end;
        if (pcchRemaining != NULL)
            *pcchRemaining = remaining;
    }
    return status;
}

/* Byte-count Ex forms report the remaining space in bytes, odd bytes included. */
static NTSTATUS RtlpCbEx(RTLP_EX_OP Op, void *pszDest, size_t cbDest, const void *pszSrc,
                         va_list *argList, void **ppszDestEnd, size_t *pcbRemaining,
                         ULONG dwFlags, BOOLEAN Wide)
{
    size_t remaining = 0;
    NTSTATUS status = RtlpEx(Op, pszDest, cbDest / RtlpUnit(Wide), pszSrc, argList, ppszDestEnd,
                             &remaining, dwFlags, Wide);

    if ((NT_SUCCESS(status) || status == STATUS_BUFFER_OVERFLOW) && pcbRemaining != NULL)
        *pcbRemaining = remaining * RtlpUnit(Wide) + cbDest % RtlpUnit(Wide);
    return status;
}

/* Copy. */
NTSTRSAFEDDI RtlStringCchCopyA(NTSTRSAFE_PSTR pszDest, size_t cchDest, NTSTRSAFE_PCSTR pszSrc)
{
    return RtlpCopy(pszDest, cchDest, pszSrc, NTSTRSAFE_MAX_LENGTH, FALSE);
}

NTSTRSAFEDDI RtlStringCchCopyW(NTSTRSAFE_PWSTR pszDest, size_t cchDest, NTSTRSAFE_PCWSTR pszSrc)
{
    return RtlpCopy(pszDest, cchDest, pszSrc, NTSTRSAFE_MAX_LENGTH, TRUE);
}

NTSTRSAFEDDI RtlStringCbCopyA(NTSTRSAFE_PSTR pszDest, size_t cbDest, NTSTRSAFE_PCSTR pszSrc)
{
    return RtlpCopy(pszDest, cbDest, pszSrc, NTSTRSAFE_MAX_LENGTH, FALSE);
}

NTSTRSAFEDDI RtlStringCbCopyW(NTSTRSAFE_PWSTR pszDest, size_t cbDest, NTSTRSAFE_PCWSTR pszSrc)
{
    return RtlpCopy(pszDest, cbDest / sizeof(WCHAR), pszSrc, NTSTRSAFE_MAX_LENGTH, TRUE);
}

NTSTRSAFEDDI RtlStringCchCopyNA(NTSTRSAFE_PSTR pszDest, size_t cchDest, NTSTRSAFE_PCSTR pszSrc,
                                size_t cchToCopy)
{
    return RtlpCopy(pszDest, cchDest, pszSrc, cchToCopy, FALSE);
}

NTSTRSAFEDDI RtlStringCchCopyNW(NTSTRSAFE_PWSTR pszDest, size_t cchDest, NTSTRSAFE_PCWSTR pszSrc,
                                size_t cchToCopy)
{
    return RtlpCopy(pszDest, cchDest, pszSrc, cchToCopy, TRUE);
}

NTSTRSAFEDDI RtlStringCbCopyNA(NTSTRSAFE_PSTR pszDest, size_t cbDest, NTSTRSAFE_PCSTR pszSrc,
                               size_t cbToCopy)
{
    return RtlpCopy(pszDest, cbDest, pszSrc, cbToCopy, FALSE);
}

NTSTRSAFEDDI RtlStringCbCopyNW(NTSTRSAFE_PWSTR pszDest, size_t cbDest, NTSTRSAFE_PCWSTR pszSrc,
                               size_t cbToCopy)
{
    return RtlpCopy(pszDest, cbDest / sizeof(WCHAR), pszSrc, cbToCopy / sizeof(WCHAR), TRUE);
}

NTSTRSAFEDDI RtlStringCchCopyExA(NTSTRSAFE_PSTR pszDest, size_t cchDest, NTSTRSAFE_PCSTR pszSrc,
                                 NTSTRSAFE_PSTR *ppszDestEnd, size_t *pcchRemaining,
                                 ULONG dwFlags)
{
    return RtlpEx(RtlpExCopy, pszDest, cchDest, pszSrc, NULL, (void **)ppszDestEnd,
                  pcchRemaining, dwFlags, FALSE);
}

NTSTRSAFEDDI RtlStringCchCopyExW(NTSTRSAFE_PWSTR pszDest, size_t cchDest, NTSTRSAFE_PCWSTR pszSrc,
                                 NTSTRSAFE_PWSTR *ppszDestEnd, size_t *pcchRemaining,
                                 ULONG dwFlags)
{
    return RtlpEx(RtlpExCopy, pszDest, cchDest, pszSrc, NULL, (void **)ppszDestEnd,
                  pcchRemaining, dwFlags, TRUE);
}

NTSTRSAFEDDI RtlStringCbCopyExA(NTSTRSAFE_PSTR pszDest, size_t cbDest, NTSTRSAFE_PCSTR pszSrc,
                                NTSTRSAFE_PSTR *ppszDestEnd, size_t *pcbRemaining,
                                ULONG dwFlags)
{
    return RtlpCbEx(RtlpExCopy, pszDest, cbDest, pszSrc, NULL, (void **)ppszDestEnd,
                    pcbRemaining, dwFlags, FALSE);
}

NTSTRSAFEDDI RtlStringCbCopyExW(NTSTRSAFE_PWSTR pszDest, size_t cbDest, NTSTRSAFE_PCWSTR pszSrc,
                                NTSTRSAFE_PWSTR *ppszDestEnd, size_t *pcbRemaining,
                                ULONG dwFlags)
{
    return RtlpCbEx(RtlpExCopy, pszDest, cbDest, pszSrc, NULL, (void **)ppszDestEnd,
                    pcbRemaining, dwFlags, TRUE);
}

/* Concatenate. */
NTSTRSAFEDDI RtlStringCchCatA(NTSTRSAFE_PSTR pszDest, size_t cchDest, NTSTRSAFE_PCSTR pszSrc)
{
    return RtlpCat(pszDest, cchDest, pszSrc, NTSTRSAFE_MAX_LENGTH, FALSE);
}

NTSTRSAFEDDI RtlStringCchCatW(NTSTRSAFE_PWSTR pszDest, size_t cchDest, NTSTRSAFE_PCWSTR pszSrc)
{
    return RtlpCat(pszDest, cchDest, pszSrc, NTSTRSAFE_MAX_LENGTH, TRUE);
}

NTSTRSAFEDDI RtlStringCbCatA(NTSTRSAFE_PSTR pszDest, size_t cbDest, NTSTRSAFE_PCSTR pszSrc)
{
    return RtlpCat(pszDest, cbDest, pszSrc, NTSTRSAFE_MAX_LENGTH, FALSE);
}

NTSTRSAFEDDI RtlStringCbCatW(NTSTRSAFE_PWSTR pszDest, size_t cbDest, NTSTRSAFE_PCWSTR pszSrc)
{
    return RtlpCat(pszDest, cbDest / sizeof(WCHAR), pszSrc, NTSTRSAFE_MAX_LENGTH, TRUE);
}

NTSTRSAFEDDI RtlStringCchCatNA(NTSTRSAFE_PSTR pszDest, size_t cchDest, NTSTRSAFE_PCSTR pszSrc,
                               size_t cchToAppend)
{
    return RtlpCat(pszDest, cchDest, pszSrc, cchToAppend, FALSE);
}

NTSTRSAFEDDI RtlStringCchCatNW(NTSTRSAFE_PWSTR pszDest, size_t cchDest, NTSTRSAFE_PCWSTR pszSrc,
                               size_t cchToAppend)
{
    return RtlpCat(pszDest, cchDest, pszSrc, cchToAppend, TRUE);
}

NTSTRSAFEDDI RtlStringCbCatNA(NTSTRSAFE_PSTR pszDest, size_t cbDest, NTSTRSAFE_PCSTR pszSrc,
                              size_t cbToAppend)
{
    return RtlpCat(pszDest, cbDest, pszSrc, cbToAppend, FALSE);
}

NTSTRSAFEDDI RtlStringCbCatNW(NTSTRSAFE_PWSTR pszDest, size_t cbDest, NTSTRSAFE_PCWSTR pszSrc,
                              size_t cbToAppend)
{
    return RtlpCat(pszDest, cbDest / sizeof(WCHAR), pszSrc, cbToAppend / sizeof(WCHAR), TRUE);
}

NTSTRSAFEDDI RtlStringCchCatExA(NTSTRSAFE_PSTR pszDest, size_t cchDest, NTSTRSAFE_PCSTR pszSrc,
                                NTSTRSAFE_PSTR *ppszDestEnd, size_t *pcchRemaining,
                                ULONG dwFlags)
{
    return RtlpEx(RtlpExCat, pszDest, cchDest, pszSrc, NULL, (void **)ppszDestEnd,
                  pcchRemaining, dwFlags, FALSE);
}

NTSTRSAFEDDI RtlStringCchCatExW(NTSTRSAFE_PWSTR pszDest, size_t cchDest, NTSTRSAFE_PCWSTR pszSrc,
                                NTSTRSAFE_PWSTR *ppszDestEnd, size_t *pcchRemaining,
                                ULONG dwFlags)
{
    return RtlpEx(RtlpExCat, pszDest, cchDest, pszSrc, NULL, (void **)ppszDestEnd,
                  pcchRemaining, dwFlags, TRUE);
}

NTSTRSAFEDDI RtlStringCbCatExA(NTSTRSAFE_PSTR pszDest, size_t cbDest, NTSTRSAFE_PCSTR pszSrc,
                               NTSTRSAFE_PSTR *ppszDestEnd, size_t *pcbRemaining, ULONG dwFlags)
{
    return RtlpCbEx(RtlpExCat, pszDest, cbDest, pszSrc, NULL, (void **)ppszDestEnd,
                    pcbRemaining, dwFlags, FALSE);
}

NTSTRSAFEDDI RtlStringCbCatExW(NTSTRSAFE_PWSTR pszDest, size_t cbDest, NTSTRSAFE_PCWSTR pszSrc,
                               NTSTRSAFE_PWSTR *ppszDestEnd, size_t *pcbRemaining,
                               ULONG dwFlags)
{
    return RtlpCbEx(RtlpExCat, pszDest, cbDest, pszSrc, NULL, (void **)ppszDestEnd,
                    pcbRemaining, dwFlags, TRUE);
}

/* Format. */
NTSTRSAFEDDI RtlStringCchVPrintfA(NTSTRSAFE_PSTR pszDest, size_t cchDest,
                                  NTSTRSAFE_PCSTR pszFormat, va_list argList)
{
    return RtlpVPrintf(pszDest, cchDest, pszFormat, argList, FALSE);
}

NTSTRSAFEDDI RtlStringCchVPrintfW(NTSTRSAFE_PWSTR pszDest, size_t cchDest,
                                  NTSTRSAFE_PCWSTR pszFormat, va_list argList)
{
    return RtlpVPrintf(pszDest, cchDest, pszFormat, argList, TRUE);
}

NTSTRSAFEDDI RtlStringCbVPrintfA(NTSTRSAFE_PSTR pszDest, size_t cbDest, NTSTRSAFE_PCSTR pszFormat,
                                 va_list argList)
{
    return RtlpVPrintf(pszDest, cbDest, pszFormat, argList, FALSE);
}

NTSTRSAFEDDI RtlStringCbVPrintfW(NTSTRSAFE_PWSTR pszDest, size_t cbDest,
                                 NTSTRSAFE_PCWSTR pszFormat, va_list argList)
{
    return RtlpVPrintf(pszDest, cbDest / sizeof(WCHAR), pszFormat, argList, TRUE);
}

NTSTRSAFEDDI RtlStringCchPrintfA(NTSTRSAFE_PSTR pszDest, size_t cchDest, NTSTRSAFE_PCSTR pszFormat,
                                 ...)
{
    va_list args;
    NTSTATUS status;

    va_start(args, pszFormat);
    status = RtlpVPrintf(pszDest, cchDest, pszFormat, args, FALSE);
    va_end(args);
    return status;
}

NTSTRSAFEDDI RtlStringCchPrintfW(NTSTRSAFE_PWSTR pszDest, size_t cchDest,
                                 NTSTRSAFE_PCWSTR pszFormat, ...)
{
    va_list args;
    NTSTATUS status;

    va_start(args, pszFormat);
    status = RtlpVPrintf(pszDest, cchDest, pszFormat, args, TRUE);
    va_end(args);
    return status;
}

NTSTRSAFEDDI RtlStringCbPrintfA(NTSTRSAFE_PSTR pszDest, size_t cbDest, NTSTRSAFE_PCSTR pszFormat,
                                ...)
{
    va_list args;
    NTSTATUS status;

    va_start(args, pszFormat);
    status = RtlpVPrintf(pszDest, cbDest, pszFormat, args, FALSE);
    va_end(args);
    return status;
}

NTSTRSAFEDDI RtlStringCbPrintfW(NTSTRSAFE_PWSTR pszDest, size_t cbDest, NTSTRSAFE_PCWSTR pszFormat,
                                ...)
{
    va_list args;
    NTSTATUS status;

    va_start(args, pszFormat);
    status = RtlpVPrintf(pszDest, cbDest / sizeof(WCHAR), pszFormat, args, TRUE);
    va_end(args);
    return status;
}

NTSTRSAFEDDI RtlStringCchVPrintfExA(NTSTRSAFE_PSTR pszDest, size_t cchDest,
                                    NTSTRSAFE_PSTR *ppszDestEnd, size_t *pcchRemaining,
                                    ULONG dwFlags, NTSTRSAFE_PCSTR pszFormat, va_list argList)
{
    va_list args;
    NTSTATUS status;

    va_copy(args, argList);
    status = RtlpEx(RtlpExPrintf, pszDest, cchDest, pszFormat, &args, (void **)ppszDestEnd,
                    pcchRemaining, dwFlags, FALSE);
    va_end(args);
    return status;
}

NTSTRSAFEDDI RtlStringCchVPrintfExW(NTSTRSAFE_PWSTR pszDest, size_t cchDest,
                                    NTSTRSAFE_PWSTR *ppszDestEnd, size_t *pcchRemaining,
                                    ULONG dwFlags, NTSTRSAFE_PCWSTR pszFormat, va_list argList)
{
    va_list args;
    NTSTATUS status;

    va_copy(args, argList);
    status = RtlpEx(RtlpExPrintf, pszDest, cchDest, pszFormat, &args, (void **)ppszDestEnd,
                    pcchRemaining, dwFlags, TRUE);
    va_end(args);
    return status;
}

NTSTRSAFEDDI RtlStringCbVPrintfExA(NTSTRSAFE_PSTR pszDest, size_t cbDest,
                                   NTSTRSAFE_PSTR *ppszDestEnd, size_t *pcbRemaining,
                                   ULONG dwFlags, NTSTRSAFE_PCSTR pszFormat, va_list argList)
{
    va_list args;
    NTSTATUS status;

    va_copy(args, argList);
    status = RtlpCbEx(RtlpExPrintf, pszDest, cbDest, pszFormat, &args, (void **)ppszDestEnd,
                      pcbRemaining, dwFlags, FALSE);
    va_end(args);
    return status;
}

NTSTRSAFEDDI RtlStringCbVPrintfExW(NTSTRSAFE_PWSTR pszDest, size_t cbDest,
                                   NTSTRSAFE_PWSTR *ppszDestEnd, size_t *pcbRemaining,
                                   ULONG dwFlags, NTSTRSAFE_PCWSTR pszFormat, va_list argList)
{
    va_list args;
    NTSTATUS status;

    va_copy(args, argList);
    status = RtlpCbEx(RtlpExPrintf, pszDest, cbDest, pszFormat, &args, (void **)ppszDestEnd,
                      pcbRemaining, dwFlags, TRUE);
    va_end(args);
    return status;
}

NTSTRSAFEDDI RtlStringCchPrintfExA(NTSTRSAFE_PSTR pszDest, size_t cchDest,
                                   NTSTRSAFE_PSTR *ppszDestEnd, size_t *pcchRemaining,
                                   ULONG dwFlags, NTSTRSAFE_PCSTR pszFormat, ...)
{
    va_list args;
    NTSTATUS status;

    va_start(args, pszFormat);
    status = RtlStringCchVPrintfExA(pszDest, cchDest, ppszDestEnd, pcchRemaining, dwFlags,
                                    pszFormat, args);
    va_end(args);
    return status;
}

NTSTRSAFEDDI RtlStringCchPrintfExW(NTSTRSAFE_PWSTR pszDest, size_t cchDest,
                                   NTSTRSAFE_PWSTR *ppszDestEnd, size_t *pcchRemaining,
                                   ULONG dwFlags, NTSTRSAFE_PCWSTR pszFormat, ...)
{
    va_list args;
    NTSTATUS status;

    va_start(args, pszFormat);
    status = RtlStringCchVPrintfExW(pszDest, cchDest, ppszDestEnd, pcchRemaining, dwFlags,
                                    pszFormat, args);
    va_end(args);
    return status;
}

NTSTRSAFEDDI RtlStringCbPrintfExA(NTSTRSAFE_PSTR pszDest, size_t cbDest,
                                  NTSTRSAFE_PSTR *ppszDestEnd, size_t *pcbRemaining,
                                  ULONG dwFlags, NTSTRSAFE_PCSTR pszFormat, ...)
{
    va_list args;
    NTSTATUS status;

    va_start(args, pszFormat);
    status = RtlStringCbVPrintfExA(pszDest, cbDest, ppszDestEnd, pcbRemaining, dwFlags,
                                   pszFormat, args);
    va_end(args);
    return status;
}

NTSTRSAFEDDI RtlStringCbPrintfExW(NTSTRSAFE_PWSTR pszDest, size_t cbDest,
                                  NTSTRSAFE_PWSTR *ppszDestEnd, size_t *pcbRemaining,
                                  ULONG dwFlags, NTSTRSAFE_PCWSTR pszFormat, ...)
{
    va_list args;
    NTSTATUS status;

    va_start(args, pszFormat);
    status = RtlStringCbVPrintfExW(pszDest, cbDest, ppszDestEnd, pcbRemaining, dwFlags,
                                   pszFormat, args);
    va_end(args);
    return status;
}

/* Length. */
static NTSTATUS RtlpLength(const void *psz, size_t cchMax, size_t *pcchLength, BOOLEAN Wide)
{
    if (psz == NULL || cchMax > NTSTRSAFE_MAX_CCH) {
        if (pcchLength != NULL)
            *pcchLength = 0;
        return STATUS_INVALID_PARAMETER;
    }
    return RtlpLengthWorker(psz, cchMax, pcchLength, Wide);
}

NTSTRSAFEDDI RtlStringCchLengthA(NTSTRSAFE_PCSTR psz, size_t cchMax, size_t *pcchLength)
{
    return RtlpLength(psz, cchMax, pcchLength, FALSE);
}

NTSTRSAFEDDI RtlStringCchLengthW(NTSTRSAFE_PCWSTR psz, size_t cchMax, size_t *pcchLength)
{
    return RtlpLength(psz, cchMax, pcchLength, TRUE);
}

NTSTRSAFEDDI RtlStringCbLengthA(NTSTRSAFE_PCSTR psz, size_t cbMax, size_t *pcbLength)
{
    return RtlpLength(psz, cbMax, pcbLength, FALSE);
}

NTSTRSAFEDDI RtlStringCbLengthW(NTSTRSAFE_PCWSTR psz, size_t cbMax, size_t *pcbLength)
{
    size_t cch = 0;
    NTSTATUS status = RtlpLength(psz, cbMax / sizeof(WCHAR), &cch, TRUE);

    if (pcbLength != NULL)
        *pcbLength = cch * sizeof(WCHAR);
    return status;
}

/* UNICODE_STRING forms. */
static NTSTATUS RtlpValidateUnicodeString(PCUNICODE_STRING String)
{
    if (String == NULL || (String->Length % sizeof(WCHAR)) != 0 ||
        (String->MaximumLength % sizeof(WCHAR)) != 0 ||
        String->Length > String->MaximumLength ||
        String->MaximumLength > NTSTRSAFE_UNICODE_STRING_MAX_CCH * sizeof(WCHAR) ||
        (String->Buffer == NULL && (String->Length != 0 || String->MaximumLength != 0)))
        return STATUS_INVALID_PARAMETER;
    return STATUS_SUCCESS;
}

NTSTRSAFEDDI RtlUnicodeStringValidate(PCUNICODE_STRING SourceString)
{
    return RtlpValidateUnicodeString(SourceString);
}

NTSTRSAFEDDI RtlUnicodeStringInit(PUNICODE_STRING DestinationString, NTSTRSAFE_PCWSTR pszSrc)
{
    size_t cch = 0;

    if (DestinationString == NULL)
        return STATUS_INVALID_PARAMETER;
    DestinationString->Buffer = (PWSTR)pszSrc;
    DestinationString->Length = DestinationString->MaximumLength = 0;
    if (pszSrc == NULL)
        return STATUS_SUCCESS;
    if (!NT_SUCCESS(RtlpLengthWorker(pszSrc, NTSTRSAFE_UNICODE_STRING_MAX_CCH, &cch, TRUE)))
        return STATUS_INVALID_PARAMETER;
    DestinationString->Length = (USHORT)(cch * sizeof(WCHAR));
    DestinationString->MaximumLength = (USHORT)((cch + 1) * sizeof(WCHAR));
    return STATUS_SUCCESS;
}

/* Appends up to Count chars of Source (stopping at a NUL if StopAtNul) after Offset chars of
 * the destination; what does not fit is dropped with STATUS_BUFFER_OVERFLOW. */
static NTSTATUS RtlpUnicodeStringPut(PUNICODE_STRING Dest, size_t Offset, PCWSTR Source,
                                     size_t Count, BOOLEAN StopAtNul)
{
    size_t room = Dest->MaximumLength / sizeof(WCHAR) - Offset, n = 0;

    if (StopAtNul)
        Count = RtlpWideLengthBounded(Source, Count);
    n = Count < room ? Count : room;
    if (n != 0)
        RtlMoveMemory(Dest->Buffer + Offset, Source, n * sizeof(WCHAR));
    Dest->Length = (USHORT)((Offset + n) * sizeof(WCHAR));
    return n < Count ? STATUS_BUFFER_OVERFLOW : STATUS_SUCCESS;
}

NTSTRSAFEDDI RtlUnicodeStringCopy(PUNICODE_STRING DestinationString,
                                  PCUNICODE_STRING SourceString)
{
    NTSTATUS status = RtlpValidateUnicodeString(DestinationString);

    if (NT_SUCCESS(status))
        status = RtlpValidateUnicodeString(SourceString);
    if (!NT_SUCCESS(status))
        return status;
    return RtlpUnicodeStringPut(DestinationString, 0, SourceString->Buffer,
                                SourceString->Length / sizeof(WCHAR), FALSE);
}

NTSTRSAFEDDI RtlUnicodeStringCopyString(PUNICODE_STRING DestinationString,
                                        NTSTRSAFE_PCWSTR pszSrc)
{
    NTSTATUS status = RtlpValidateUnicodeString(DestinationString);

    if (!NT_SUCCESS(status))
        return status;
    return RtlpUnicodeStringPut(DestinationString, 0, pszSrc != NULL ? pszSrc : RtlpEmpty,
                                NTSTRSAFE_UNICODE_STRING_MAX_CCH, TRUE);
}

NTSTRSAFEDDI RtlUnicodeStringCat(PUNICODE_STRING DestinationString,
                                 PCUNICODE_STRING SourceString)
{
    NTSTATUS status = RtlpValidateUnicodeString(DestinationString);

    if (NT_SUCCESS(status))
        status = RtlpValidateUnicodeString(SourceString);
    if (!NT_SUCCESS(status))
        return status;
    return RtlpUnicodeStringPut(DestinationString, DestinationString->Length / sizeof(WCHAR),
                                SourceString->Buffer, SourceString->Length / sizeof(WCHAR),
                                FALSE);
}

NTSTRSAFEDDI RtlUnicodeStringCatString(PUNICODE_STRING DestinationString,
                                       NTSTRSAFE_PCWSTR pszSrc)
{
    NTSTATUS status = RtlpValidateUnicodeString(DestinationString);

    if (!NT_SUCCESS(status))
        return status;
    return RtlpUnicodeStringPut(DestinationString, DestinationString->Length / sizeof(WCHAR),
                                pszSrc != NULL ? pszSrc : RtlpEmpty,
                                NTSTRSAFE_UNICODE_STRING_MAX_CCH, TRUE);
}

NTSTRSAFEDDI RtlUnicodeStringVPrintf(PUNICODE_STRING DestinationString,
                                     NTSTRSAFE_PCWSTR pszFormat, va_list argList)
{
    NTSTATUS status = RtlpValidateUnicodeString(DestinationString);
    size_t cchDest, written, needed;

    if (!NT_SUCCESS(status))
        return status;
    if (pszFormat == NULL)
        return STATUS_INVALID_PARAMETER;
    /* The whole buffer is usable: a UNICODE_STRING needs no terminator. */
    cchDest = DestinationString->MaximumLength / sizeof(WCHAR);
    needed = RtlpVFormatInternal(DestinationString->Buffer, cchDest, FALSE, TRUE, pszFormat,
                                 argList, &written);
    DestinationString->Length = (USHORT)(written * sizeof(WCHAR));
    return needed > cchDest ? STATUS_BUFFER_OVERFLOW : STATUS_SUCCESS;
}

NTSTRSAFEDDI RtlUnicodeStringPrintf(PUNICODE_STRING DestinationString, NTSTRSAFE_PCWSTR pszFormat,
                                    ...)
{
    va_list args;
    NTSTATUS status;

    va_start(args, pszFormat);
    status = RtlUnicodeStringVPrintf(DestinationString, pszFormat, args);
    va_end(args);
    return status;
}
