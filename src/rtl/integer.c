/* Numbers in strings: RtlUnicodeStringToInteger, RtlCharToInteger, RtlIntegerToUnicodeString,
 * RtlInt64ToUnicodeString, and GUIDs in their registry form. */
#include "rtlp.h"

static int RtlpDigitValue(ULONG c)
{
    if (c >= '0' && c <= '9')
        return (int)(c - '0');
    if (c >= 'A' && c <= 'Z')
        return (int)(c - 'A' + 10);
    if (c >= 'a' && c <= 'z')
        return (int)(c - 'a' + 10);
    return -1;
}

/* The parser both entry points share: leading white space (anything up to ' '), an optional
 * sign, then with Base 0 a "0b"/"0o"/"0x" prefix, then digits up to the first non-digit. */
static NTSTATUS RtlpParseInteger(const void *Chars, BOOLEAN Wide, size_t Count, ULONG Base,
                                 PULONG Value)
{
    size_t i = 0;
    BOOLEAN negative = FALSE;
    ULONG total = 0;
#define RTLP_CHAR(k) (Wide ? (ULONG)((const WCHAR *)Chars)[k] : (ULONG)((const UCHAR *)Chars)[k])

    while (i < Count && RTLP_CHAR(i) <= ' ')
        i++;
    if (i < Count && (RTLP_CHAR(i) == '+' || RTLP_CHAR(i) == '-'))
        negative = RTLP_CHAR(i++) == '-';
    if (Base == 0) {
        Base = 10;
        if (i + 1 < Count && RTLP_CHAR(i) == '0') {
            ULONG p = RTLP_CHAR(i + 1);
            Base = p == 'b' ? 2 : p == 'o' ? 8 : p == 'x' ? 16 : 10;
            if (Base != 10)
                i += 2;
        }
    } else if (Base != 2 && Base != 8 && Base != 10 && Base != 16) {
        return STATUS_INVALID_PARAMETER;
    }
    if (Value == NULL)
        return STATUS_ACCESS_VIOLATION;
    for (; i < Count; i++) {
        int digit = RtlpDigitValue(RTLP_CHAR(i));
        if (digit < 0 || (ULONG)digit >= Base)
            break;
        total = total * Base + (ULONG)digit; /* wraps, as Windows does */
    }
#undef RTLP_CHAR
    *Value = negative ? 0u - total : total;
    return STATUS_SUCCESS;
}

NTSYSAPI NTSTATUS NTAPI RtlUnicodeStringToInteger(PCUNICODE_STRING String, ULONG Base,
                                                  PULONG Value)
{
    return RtlpParseInteger(String->Buffer, TRUE, String->Length / sizeof(WCHAR), Base, Value);
}

NTSYSAPI NTSTATUS NTAPI RtlCharToInteger(PCSZ String, ULONG Base, PULONG Value)
{
    size_t count = 0;

    while (String[count] != ANSI_NULL)
        count++;
    return RtlpParseInteger(String, FALSE, count, Base, Value);
}

static NTSTATUS RtlpIntegerToUnicode(ULONGLONG Value, ULONG Base, PUNICODE_STRING String)
{
    WCHAR digits[64];
    size_t n = 0, i, bytes;

    if (Base == 0)
        Base = 10;
    if (Base != 2 && Base != 8 && Base != 10 && Base != 16)
        return STATUS_INVALID_PARAMETER;
    do {
        digits[n++] = L"0123456789ABCDEF"[Value % Base];
        Value /= Base;
    } while (Value != 0);
    /* The result is a NUL-terminated string, so the terminator must fit too. */
    bytes = n * sizeof(WCHAR);
    if (bytes + sizeof(WCHAR) > String->MaximumLength)
        return STATUS_BUFFER_OVERFLOW;
    for (i = 0; i < n; i++)
        String->Buffer[i] = digits[n - 1 - i];
    String->Buffer[n] = UNICODE_NULL;
    String->Length = (USHORT)bytes;
    return STATUS_SUCCESS;
}

NTSYSAPI NTSTATUS NTAPI RtlIntegerToUnicodeString(ULONG Value, ULONG Base, PUNICODE_STRING String)
{
    return RtlpIntegerToUnicode(Value, Base, String);
}

NTSYSAPI NTSTATUS NTAPI RtlInt64ToUnicodeString(ULONGLONG Value, ULONG Base,
                                                PUNICODE_STRING String)
{
    return RtlpIntegerToUnicode(Value, Base, String);
}

/* "{XXXXXXXX-XXXX-XXXX-XXXX-XXXXXXXXXXXX}": 38 chars. */
#define RTLP_GUID_CHARS 38

NTSYSAPI NTSTATUS NTAPI RtlStringFromGUID(const GUID *Guid, PUNICODE_STRING GuidString)
{
    PWSTR buffer = RtlpAllocateStringMemory((RTLP_GUID_CHARS + 1) * sizeof(WCHAR));
    ULONGLONG parts[3] = {Guid->Data1, Guid->Data2, Guid->Data3};
    int widths[3] = {8, 4, 4};
    size_t n = 0;
    int i, k;

    if (buffer == NULL)
        return STATUS_NO_MEMORY;
    buffer[n++] = L'{';
    for (i = 0; i < 3; i++) {
        for (k = widths[i] - 1; k >= 0; k--)
            buffer[n++] = L"0123456789ABCDEF"[(parts[i] >> (4 * k)) & 0xF];
        buffer[n++] = L'-';
    }
    for (i = 0; i < 8; i++) {
        if (i == 2)
            buffer[n++] = L'-';
        buffer[n++] = L"0123456789ABCDEF"[Guid->Data4[i] >> 4];
        buffer[n++] = L"0123456789ABCDEF"[Guid->Data4[i] & 0xF];
    }
    buffer[n++] = L'}';
    buffer[n] = UNICODE_NULL;
    GuidString->Buffer = buffer;
    GuidString->Length = RTLP_GUID_CHARS * sizeof(WCHAR);
    GuidString->MaximumLength = (RTLP_GUID_CHARS + 1) * sizeof(WCHAR);
    return STATUS_SUCCESS;
}

NTSYSAPI NTSTATUS NTAPI RtlGUIDFromString(PCUNICODE_STRING GuidString, GUID *Guid)
{
    /* Positions of the hex digits of each field, in the braced form. */
    static const UCHAR fields[11][2] = {{1, 8},   {10, 4},  {15, 4},  {20, 2},
                                        {22, 2},  {25, 2},  {27, 2},  {29, 2},
                                        {31, 2},  {33, 2},  {35, 2}};
    ULONG values[11];
    const WCHAR *s = GuidString->Buffer;
    int f, k;

    if (GuidString->Length != RTLP_GUID_CHARS * sizeof(WCHAR) || s[0] != L'{' ||
        s[9] != L'-' || s[14] != L'-' || s[19] != L'-' || s[24] != L'-' || s[37] != L'}')
        return STATUS_INVALID_PARAMETER;
    for (f = 0; f < 11; f++) {
        ULONG v = 0;
        for (k = 0; k < fields[f][1]; k++) {
            int digit = RtlpDigitValue(s[fields[f][0] + k]);
            if (digit < 0 || digit > 15)
                return STATUS_INVALID_PARAMETER;
            v = (v << 4) | (ULONG)digit;
        }
        values[f] = v;
    }
    Guid->Data1 = values[0];
    Guid->Data2 = (USHORT)values[1];
    Guid->Data3 = (USHORT)values[2];
    for (f = 0; f < 8; f++)
        Guid->Data4[f] = (UCHAR)values[3 + f];
    return STATUS_SUCCESS;
}
