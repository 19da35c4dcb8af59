/* Counted Unicode strings: initialization, copying, comparison, appending, case conversion,
 * duplication and hashing, with the WDK's contracts. */
#include "rtlp.h"

size_t RtlpWideLength(PCWSTR String)
{
    size_t n = 0;

    while (String[n] != UNICODE_NULL)
        n++;
    return n;
}

size_t RtlpWideLengthBounded(PCWSTR String, size_t Max)
{
    size_t n = 0;

    while (n < Max && String[n] != UNICODE_NULL)
        n++;
    return n;
}

PVOID RtlpAllocateStringMemory(SIZE_T NumberOfBytes)
{
    /* The pool may refuse zero-byte blocks; an empty string still gets a real buffer. */
    return ExAllocatePool2(RTLP_POOL_FLAG_PAGED, NumberOfBytes != 0 ? NumberOfBytes : 1,
                           RTLP_STRING_TAG);
}

VOID RtlpFreeStringMemory(PVOID Buffer)
{
    if (Buffer != NULL)
        ExFreePoolWithTag(Buffer, RTLP_STRING_TAG);
}

/* The longest Length an initialized UNICODE_STRING can have while still counting its NUL. */
#define RTLP_MAX_INIT_BYTES (UNICODE_STRING_MAX_BYTES - sizeof(WCHAR))

NTSYSAPI VOID NTAPI RtlInitUnicodeString(PUNICODE_STRING DestinationString, PCWSTR SourceString)
{
    size_t bytes;

    DestinationString->Buffer = (PWSTR)SourceString;
    if (SourceString == NULL) {
        DestinationString->Length = DestinationString->MaximumLength = 0;
        return;
    }
    /* Windows truncates an over-long string rather than failing. */
    bytes = RtlpWideLengthBounded(SourceString, RTLP_MAX_INIT_BYTES / sizeof(WCHAR)) *
            sizeof(WCHAR);
    DestinationString->Length = (USHORT)bytes;
    DestinationString->MaximumLength = (USHORT)(bytes + sizeof(WCHAR));
}

NTSYSAPI NTSTATUS NTAPI RtlInitUnicodeStringEx(PUNICODE_STRING DestinationString,
                                               PCWSTR SourceString)
{
    size_t chars;

    DestinationString->Length = DestinationString->MaximumLength = 0;
    DestinationString->Buffer = (PWSTR)SourceString;
    if (SourceString == NULL)
        return STATUS_SUCCESS;
    chars = RtlpWideLengthBounded(SourceString, RTLP_MAX_INIT_BYTES / sizeof(WCHAR) + 1);
    if (chars > RTLP_MAX_INIT_BYTES / sizeof(WCHAR))
        return STATUS_NAME_TOO_LONG; /* more than 32766 chars */
    DestinationString->Length = (USHORT)(chars * sizeof(WCHAR));
    DestinationString->MaximumLength = (USHORT)(chars * sizeof(WCHAR) + sizeof(WCHAR));
    return STATUS_SUCCESS;
}

NTSYSAPI VOID NTAPI RtlCopyUnicodeString(PUNICODE_STRING DestinationString,
                                         PCUNICODE_STRING SourceString)
{
    USHORT bytes;

    if (SourceString == NULL) {
        DestinationString->Length = 0;
        return;
    }
    /* Truncate to whole chars that fit; terminate only if room remains. */
    bytes = SourceString->Length < DestinationString->MaximumLength
                ? SourceString->Length
                : DestinationString->MaximumLength;
    bytes &= (USHORT)~1u;
    RtlMoveMemory(DestinationString->Buffer, SourceString->Buffer, bytes);
    DestinationString->Length = bytes;
    if ((ULONG)bytes + sizeof(WCHAR) <= DestinationString->MaximumLength)
        DestinationString->Buffer[bytes / sizeof(WCHAR)] = UNICODE_NULL;
}

NTSYSAPI LONG NTAPI RtlCompareUnicodeStrings(PCWCH String1, SIZE_T String1Length, PCWCH String2,
                                             SIZE_T String2Length, BOOLEAN CaseInSensitive)
{
    SIZE_T i, n = String1Length < String2Length ? String1Length : String2Length;

    for (i = 0; i < n; i++) {
        WCHAR c1 = String1[i], c2 = String2[i];
        if (c1 != c2 && CaseInSensitive) {
            c1 = RtlUpcaseUnicodeChar(c1);
            c2 = RtlUpcaseUnicodeChar(c2);
        }
        if (c1 != c2)
            return (LONG)c1 - (LONG)c2;
    }
    /* Equal prefix: the shorter string sorts first. */
    return String1Length < String2Length ? -1 : String1Length > String2Length ? 1 : 0;
}

NTSYSAPI LONG NTAPI RtlCompareUnicodeString(PCUNICODE_STRING String1, PCUNICODE_STRING String2,
                                            BOOLEAN CaseInSensitive)
{
    return RtlCompareUnicodeStrings(String1->Buffer, String1->Length / sizeof(WCHAR),
                                    String2->Buffer, String2->Length / sizeof(WCHAR),
                                    CaseInSensitive);
}

NTSYSAPI BOOLEAN NTAPI RtlEqualUnicodeString(PCUNICODE_STRING String1, PCUNICODE_STRING String2,
                                             BOOLEAN CaseInSensitive)
{
    if (String1->Length != String2->Length)
        return FALSE;
    return (BOOLEAN)(RtlCompareUnicodeStrings(String1->Buffer, String1->Length / sizeof(WCHAR),
                                              String2->Buffer, String2->Length / sizeof(WCHAR),
                                              CaseInSensitive) == 0);
}

NTSYSAPI BOOLEAN NTAPI RtlPrefixUnicodeString(PCUNICODE_STRING String1, PCUNICODE_STRING String2,
                                              BOOLEAN CaseInSensitive)
{
    size_t chars = String1->Length / sizeof(WCHAR);

    if (String1->Length > String2->Length)
        return FALSE;
    return (BOOLEAN)(RtlCompareUnicodeStrings(String1->Buffer, chars, String2->Buffer, chars,
                                              CaseInSensitive) == 0);
}

/* Appends Bytes at Source to Destination, or fails without touching it. */
static NTSTATUS RtlpAppendWide(PUNICODE_STRING Destination, PCWCH Source, size_t Bytes)
{
    size_t length = (size_t)Destination->Length + Bytes;

    if (Bytes == 0)
        return STATUS_SUCCESS;
    if (length > Destination->MaximumLength)
        return STATUS_BUFFER_TOO_SMALL;
    RtlMoveMemory((PUCHAR)Destination->Buffer + Destination->Length, Source, Bytes);
    Destination->Length = (USHORT)length;
    if (length + sizeof(WCHAR) <= Destination->MaximumLength)
        Destination->Buffer[length / sizeof(WCHAR)] = UNICODE_NULL;
    return STATUS_SUCCESS;
}

NTSYSAPI NTSTATUS NTAPI RtlAppendUnicodeToString(PUNICODE_STRING Destination, PCWSTR Source)
{
    if (Source == NULL)
        return STATUS_SUCCESS;
    return RtlpAppendWide(Destination, Source, RtlpWideLength(Source) * sizeof(WCHAR));
}

NTSYSAPI NTSTATUS NTAPI RtlAppendUnicodeStringToString(PUNICODE_STRING Destination,
                                                       PCUNICODE_STRING Source)
{
    if (Source == NULL)
        return STATUS_SUCCESS;
    return RtlpAppendWide(Destination, Source->Buffer, Source->Length & ~1u);
}

/* Upcase or downcase SourceString into DestinationString (allocating it if asked). */
static NTSTATUS RtlpChangeCase(PUNICODE_STRING DestinationString, PCUNICODE_STRING SourceString,
                               BOOLEAN AllocateDestinationString, WCHAR (*Map)(WCHAR))
{
    USHORT i, chars = SourceString->Length / sizeof(WCHAR);

    if (AllocateDestinationString) {
        PWSTR buffer = RtlpAllocateStringMemory(SourceString->Length);
        if (buffer == NULL)
            return STATUS_NO_MEMORY;
        DestinationString->Buffer = buffer;
        DestinationString->MaximumLength = SourceString->Length;
    } else if (SourceString->Length > DestinationString->MaximumLength) {
        return STATUS_BUFFER_OVERFLOW;
    }
    /* Index by index so that Destination may be Source (in-place conversion). */
    for (i = 0; i < chars; i++)
        DestinationString->Buffer[i] = Map(SourceString->Buffer[i]);
    DestinationString->Length = (USHORT)(chars * sizeof(WCHAR));
    return STATUS_SUCCESS;
}

static WCHAR RtlpUpcaseMap(WCHAR c)
{
    return RtlUpcaseUnicodeChar(c);
}

static WCHAR RtlpDowncaseMap(WCHAR c)
{
    return RtlDowncaseUnicodeChar(c);
}

NTSYSAPI NTSTATUS NTAPI RtlUpcaseUnicodeString(PUNICODE_STRING DestinationString,
                                               PCUNICODE_STRING SourceString,
                                               BOOLEAN AllocateDestinationString)
{
    return RtlpChangeCase(DestinationString, SourceString, AllocateDestinationString,
                          RtlpUpcaseMap);
}

NTSYSAPI NTSTATUS NTAPI RtlDowncaseUnicodeString(PUNICODE_STRING DestinationString,
                                                 PCUNICODE_STRING SourceString,
                                                 BOOLEAN AllocateDestinationString)
{
    return RtlpChangeCase(DestinationString, SourceString, AllocateDestinationString,
                          RtlpDowncaseMap);
}

NTSYSAPI NTSTATUS NTAPI RtlDuplicateUnicodeString(ULONG Flags, PCUNICODE_STRING StringIn,
                                                  PUNICODE_STRING StringOut)
{
    const ULONG valid = RTL_DUPLICATE_UNICODE_STRING_NULL_TERMINATE |
                        RTL_DUPLICATE_UNICODE_STRING_ALLOCATE_NULL_STRING;
    BOOLEAN terminate = (Flags & RTL_DUPLICATE_UNICODE_STRING_NULL_TERMINATE) != 0;
    size_t maximum;
    PWSTR buffer;

    if (StringIn == NULL || StringOut == NULL || (Flags & ~valid) != 0 ||
        StringIn->Length > StringIn->MaximumLength ||
        (StringIn->Buffer == NULL && StringIn->MaximumLength != 0))
        return STATUS_INVALID_PARAMETER;
    /* An empty source gives a NULL string unless both flags ask for an allocated "". */
    if (StringIn->Length == 0 && Flags != valid) {
        StringOut->Length = StringOut->MaximumLength = 0;
        StringOut->Buffer = NULL;
        return STATUS_SUCCESS;
    }
    maximum = (size_t)StringIn->Length + (terminate ? sizeof(WCHAR) : 0);
    if (maximum > UNICODE_STRING_MAX_BYTES)
        return STATUS_NAME_TOO_LONG;
    buffer = RtlpAllocateStringMemory(maximum);
    if (buffer == NULL)
        return STATUS_NO_MEMORY;
    RtlCopyMemory(buffer, StringIn->Buffer, StringIn->Length);
    if (terminate)
        buffer[StringIn->Length / sizeof(WCHAR)] = UNICODE_NULL;
    StringOut->Buffer = buffer;
    StringOut->Length = StringIn->Length;
    StringOut->MaximumLength = (USHORT)maximum;
    return STATUS_SUCCESS;
}

NTSYSAPI BOOLEAN NTAPI RtlCreateUnicodeString(PUNICODE_STRING DestinationString,
                                              PCWSTR SourceString)
{
    size_t bytes;
    PWSTR buffer;

    if (SourceString == NULL)
        return FALSE;
    bytes = (RtlpWideLengthBounded(SourceString, UNICODE_STRING_MAX_CHARS) + 1) * sizeof(WCHAR);
    if (bytes > UNICODE_STRING_MAX_BYTES)
        return FALSE;
    buffer = RtlpAllocateStringMemory(bytes);
    if (buffer == NULL)
        return FALSE;
    RtlCopyMemory(buffer, SourceString, bytes);
    DestinationString->Buffer = buffer;
    DestinationString->Length = (USHORT)(bytes - sizeof(WCHAR));
    DestinationString->MaximumLength = (USHORT)bytes;
    return TRUE;
}

NTSYSAPI VOID NTAPI RtlFreeUnicodeString(PUNICODE_STRING UnicodeString)
{
    RtlpFreeStringMemory(UnicodeString->Buffer);
    UnicodeString->Buffer = NULL;
    UnicodeString->Length = UnicodeString->MaximumLength = 0;
}

NTSYSAPI NTSTATUS NTAPI RtlHashUnicodeString(PCUNICODE_STRING String, BOOLEAN CaseInSensitive,
                                             ULONG HashAlgorithm, PULONG HashValue)
{
    ULONG hash = 0;
    USHORT i;

    if (String == NULL || HashValue == NULL ||
        (HashAlgorithm != HASH_STRING_ALGORITHM_DEFAULT &&
         HashAlgorithm != HASH_STRING_ALGORITHM_X65599))
        return STATUS_INVALID_PARAMETER;
    for (i = 0; i < String->Length / sizeof(WCHAR); i++) {
        WCHAR c = String->Buffer[i];
        hash = hash * 65599 + (CaseInSensitive ? RtlUpcaseUnicodeChar(c) : c);
    }
    *HashValue = hash;
    return STATUS_SUCCESS;
}
