/* Counted 8-bit strings (STRING/ANSI_STRING) and their conversion to and from Unicode. ntk's
 * ANSI code page is UTF-8, so conversions are lossless except for invalid input (U+FFFD). */
#include "rtlp.h"

#define RTLP_MAX_INIT_CHARS ((size_t)MAXUSHORT - 1) /* Length that still counts a NUL */

static size_t RtlpNarrowLengthBounded(PCSZ String, size_t Max)
{
    size_t n = 0;

    while (n < Max && String[n] != ANSI_NULL)
        n++;
    return n;
}

NTSYSAPI VOID NTAPI RtlInitString(PSTRING DestinationString, PCSZ SourceString)
{
    size_t length;

    DestinationString->Buffer = (PCHAR)SourceString;
    if (SourceString == NULL) {
        DestinationString->Length = DestinationString->MaximumLength = 0;
        return;
    }
    length = RtlpNarrowLengthBounded(SourceString, RTLP_MAX_INIT_CHARS);
    DestinationString->Length = (USHORT)length;
    DestinationString->MaximumLength = (USHORT)(length + 1);
}

NTSYSAPI VOID NTAPI RtlInitAnsiString(PANSI_STRING DestinationString, PCSZ SourceString)
{
    RtlInitString(DestinationString, SourceString);
}

NTSYSAPI NTSTATUS NTAPI RtlInitStringEx(PSTRING DestinationString, PCSZ SourceString)
{
    size_t length;

    DestinationString->Length = DestinationString->MaximumLength = 0;
    DestinationString->Buffer = (PCHAR)SourceString;
    if (SourceString == NULL)
        return STATUS_SUCCESS;
    length = RtlpNarrowLengthBounded(SourceString, RTLP_MAX_INIT_CHARS + 1);
    if (length > RTLP_MAX_INIT_CHARS)
        return STATUS_NAME_TOO_LONG;
    DestinationString->Length = (USHORT)length;
    DestinationString->MaximumLength = (USHORT)(length + 1);
    return STATUS_SUCCESS;
}

NTSYSAPI NTSTATUS NTAPI RtlInitAnsiStringEx(PANSI_STRING DestinationString, PCSZ SourceString)
{
    return RtlInitStringEx(DestinationString, SourceString);
}

NTSYSAPI VOID NTAPI RtlCopyString(PSTRING DestinationString, const STRING *SourceString)
{
    USHORT length;

    if (SourceString == NULL) {
        DestinationString->Length = 0;
        return;
    }
    length = SourceString->Length < DestinationString->MaximumLength
                 ? SourceString->Length
                 : DestinationString->MaximumLength;
    RtlMoveMemory(DestinationString->Buffer, SourceString->Buffer, length);
    DestinationString->Length = length;
    if (length < DestinationString->MaximumLength)
        DestinationString->Buffer[length] = ANSI_NULL;
}

NTSYSAPI LONG NTAPI RtlCompareString(const STRING *String1, const STRING *String2,
                                     BOOLEAN CaseInSensitive)
{
    USHORT i, n = String1->Length < String2->Length ? String1->Length : String2->Length;

    for (i = 0; i < n; i++) {
        UCHAR c1 = (UCHAR)String1->Buffer[i], c2 = (UCHAR)String2->Buffer[i];
        if (c1 != c2 && CaseInSensitive) {
            c1 = (UCHAR)RtlUpperChar((CHAR)c1);
            c2 = (UCHAR)RtlUpperChar((CHAR)c2);
        }
        if (c1 != c2)
            return (LONG)c1 - (LONG)c2;
    }
    return (LONG)String1->Length - (LONG)String2->Length;
}

NTSYSAPI BOOLEAN NTAPI RtlEqualString(const STRING *String1, const STRING *String2,
                                      BOOLEAN CaseInSensitive)
{
    return (BOOLEAN)(String1->Length == String2->Length &&
                     RtlCompareString(String1, String2, CaseInSensitive) == 0);
}

NTSYSAPI BOOLEAN NTAPI RtlPrefixString(const STRING *String1, const STRING *String2,
                                       BOOLEAN CaseInSensitive)
{
    STRING head;

    if (String1->Length > String2->Length)
        return FALSE;
    head.Buffer = String2->Buffer;
    head.Length = head.MaximumLength = String1->Length;
    return (BOOLEAN)(RtlCompareString(String1, &head, CaseInSensitive) == 0);
}

NTSYSAPI NTSTATUS NTAPI RtlAppendStringToString(PSTRING Destination, const STRING *Source)
{
    size_t length;

    if (Source == NULL || Source->Length == 0)
        return STATUS_SUCCESS;
    length = (size_t)Destination->Length + Source->Length;
    if (length > Destination->MaximumLength)
        return STATUS_BUFFER_TOO_SMALL;
    /* Windows does not NUL-terminate here, unlike the Unicode append routines. */
    RtlMoveMemory(Destination->Buffer + Destination->Length, Source->Buffer, Source->Length);
    Destination->Length = (USHORT)length;
    return STATUS_SUCCESS;
}

NTSYSAPI VOID NTAPI RtlUpperString(PSTRING DestinationString, const STRING *SourceString)
{
    USHORT i, length = SourceString->Length < DestinationString->MaximumLength
                           ? SourceString->Length
                           : DestinationString->MaximumLength;

    for (i = 0; i < length; i++)
        DestinationString->Buffer[i] = RtlUpperChar(SourceString->Buffer[i]);
    DestinationString->Length = length;
}

NTSYSAPI ULONG NTAPI RtlxAnsiStringToUnicodeSize(PCANSI_STRING AnsiString)
{
    return (ULONG)((RtlpUtf8ToUtf16(NULL, 0, AnsiString->Buffer, AnsiString->Length) + 1) *
                   sizeof(WCHAR));
}

NTSYSAPI ULONG NTAPI RtlxUnicodeStringToAnsiSize(PCUNICODE_STRING UnicodeString)
{
    return (ULONG)(RtlpUtf16ToUtf8(NULL, 0, UnicodeString->Buffer,
                                   UnicodeString->Length / sizeof(WCHAR)) +
                   1);
}

NTSYSAPI NTSTATUS NTAPI RtlAnsiStringToUnicodeString(PUNICODE_STRING DestinationString,
                                                     PCANSI_STRING SourceString,
                                                     BOOLEAN AllocateDestinationString)
{
    size_t chars = RtlpUtf8ToUtf16(NULL, 0, SourceString->Buffer, SourceString->Length);
    size_t size = (chars + 1) * sizeof(WCHAR); /* with the terminator */
    PWSTR buffer;

    if (size > UNICODE_STRING_MAX_BYTES)
        return STATUS_INVALID_PARAMETER_2;
    if (AllocateDestinationString) {
        buffer = RtlpAllocateStringMemory(size);
        if (buffer == NULL)
            return STATUS_NO_MEMORY;
        DestinationString->Buffer = buffer;
        DestinationString->MaximumLength = (USHORT)size;
    } else if (size > DestinationString->MaximumLength) {
        return STATUS_BUFFER_OVERFLOW;
    }
    RtlpUtf8ToUtf16(DestinationString->Buffer, chars, SourceString->Buffer, SourceString->Length);
    DestinationString->Buffer[chars] = UNICODE_NULL;
    DestinationString->Length = (USHORT)(chars * sizeof(WCHAR));
    return STATUS_SUCCESS;
}

NTSYSAPI NTSTATUS NTAPI RtlUnicodeStringToAnsiString(PANSI_STRING DestinationString,
                                                     PCUNICODE_STRING SourceString,
                                                     BOOLEAN AllocateDestinationString)
{
    size_t chars = SourceString->Length / sizeof(WCHAR);
    size_t length = RtlpUtf16ToUtf8(NULL, 0, SourceString->Buffer, chars);
    NTSTATUS status = STATUS_SUCCESS;
    PCHAR buffer;

    if (length + 1 > MAXUSHORT)
        return STATUS_INVALID_PARAMETER_2;
    if (AllocateDestinationString) {
        buffer = RtlpAllocateStringMemory(length + 1);
        if (buffer == NULL)
            return STATUS_NO_MEMORY;
        DestinationString->Buffer = buffer;
        DestinationString->MaximumLength = (USHORT)(length + 1);
    } else if (length >= DestinationString->MaximumLength) {
        /* Windows converts what fits, terminated, and reports the overflow. */
        if (DestinationString->MaximumLength == 0)
            return STATUS_BUFFER_OVERFLOW;
        status = STATUS_BUFFER_OVERFLOW;
        length = DestinationString->MaximumLength - 1u;
    }
    length = length == 0 ? 0
                         : RtlpUtf16ToUtf8(DestinationString->Buffer, length, SourceString->Buffer,
                                           chars);
    DestinationString->Buffer[length] = ANSI_NULL;
    DestinationString->Length = (USHORT)length;
    return status;
}

NTSYSAPI VOID NTAPI RtlFreeAnsiString(PANSI_STRING AnsiString)
{
    RtlpFreeStringMemory(AnsiString->Buffer);
    AnsiString->Buffer = NULL;
    AnsiString->Length = AnsiString->MaximumLength = 0;
}
