/* UTF-16 helpers. wchar_t is 16-bit here (-fshort-wchar), so glibc's wcs* functions, which
 * assume 32-bit wchar_t, must never be called. The "ANSI" code page of ntk is UTF-8; the
 * conversions are Rtl's (invalid input becomes U+FFFD, as MultiByteToWideChar does). */
#include "basep.h"

#include <rtlp.h>
#include <stdlib.h>

SIZE_T BasepWideLength(PCWSTR String)
{
    SIZE_T Length = 0;
    while (String[Length] != UNICODE_NULL)
        Length++;
    return Length;
}

/* A NUL-terminated UTF-16 copy of a UTF-8 string, malloc'ed; NULL stays NULL. */
BOOL BasepWideFromAnsi(LPCSTR Ansi, PWSTR *Wide)
{
    SIZE_T Bytes, Needed;
    PWSTR Buffer;

    *Wide = NULL;
    if (Ansi == NULL)
        return TRUE;
    Bytes = strlen(Ansi);
    Needed = RtlpUtf8ToUtf16(NULL, 0, Ansi, Bytes);
    Buffer = malloc((Needed + 1) * sizeof(WCHAR));
    if (Buffer == NULL) {
        SetLastError(ERROR_NOT_ENOUGH_MEMORY);
        return FALSE;
    }
    if (Needed != 0)
        RtlpUtf8ToUtf16(Buffer, Needed, Ansi, Bytes);
    Buffer[Needed] = UNICODE_NULL;
    *Wide = Buffer;
    return TRUE;
}

/* A NUL-terminated UTF-8 copy of a UTF-16 string, malloc'ed (NULL when out of memory). */
LPSTR BasepAnsiFromWide(LPCWSTR Wide)
{
    SIZE_T Chars = BasepWideLength(Wide);
    SIZE_T Needed = RtlpUtf16ToUtf8(NULL, 0, Wide, Chars);
    LPSTR Buffer = malloc(Needed + 1);

    if (Buffer == NULL)
        return NULL;
    if (Needed != 0)
        RtlpUtf16ToUtf8(Buffer, Needed, Wide, Chars);
    Buffer[Needed] = 0;
    return Buffer;
}

/* Prefix + the first NameLength characters of Name, as a malloc'ed, NUL-terminated counted
 * string the caller frees (Result->Buffer). Sets the last error and fails when too long. */
BOOL BasepBuildName(PCWSTR Prefix, PCWSTR Name, SIZE_T NameLength, PUNICODE_STRING Result)
{
    SIZE_T PrefixLength = BasepWideLength(Prefix);
    SIZE_T Total = PrefixLength + NameLength;

    if (Total * sizeof(WCHAR) > UNICODE_STRING_MAX_BYTES - sizeof(WCHAR)) {
        SetLastError(ERROR_FILENAME_EXCED_RANGE);
        return FALSE;
    }
    Result->Buffer = malloc((Total + 1) * sizeof(WCHAR));
    if (Result->Buffer == NULL) {
        SetLastError(ERROR_NOT_ENOUGH_MEMORY);
        return FALSE;
    }
    memcpy(Result->Buffer, Prefix, PrefixLength * sizeof(WCHAR));
    memcpy(Result->Buffer + PrefixLength, Name, NameLength * sizeof(WCHAR));
    Result->Buffer[Total] = UNICODE_NULL;
    Result->Length = (USHORT)(Total * sizeof(WCHAR));
    Result->MaximumLength = (USHORT)((Total + 1) * sizeof(WCHAR));
    return TRUE;
}
