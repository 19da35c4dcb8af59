/* UTF-16 <-> UTF-8: the converters the formatter, the ANSI routines (ntk's ANSI code page is
 * UTF-8), the debug log and the user library share, and RtlUnicodeToUTF8N/RtlUTF8ToUnicodeN. */
#include "rtlp.h"

ULONG RtlpDecodeUtf16(const WCHAR *In, size_t Count, size_t *Index, BOOLEAN *Replaced)
{
    ULONG w = In[*Index];

    if (w >= 0xD800 && w <= 0xDBFF && *Index + 1 < Count) {
        ULONG w2 = In[*Index + 1];
        if (w2 >= 0xDC00 && w2 <= 0xDFFF) {
            *Index += 2;
            return 0x10000 + ((w - 0xD800) << 10) + (w2 - 0xDC00);
        }
    }
    *Index += 1;
    if (w >= 0xD800 && w <= 0xDFFF) {
        *Replaced = TRUE;
        return 0xFFFD;
    }
    return w;
}

ULONG RtlpDecodeUtf8(const char *In, size_t Count, size_t *Index, BOOLEAN *Replaced)
{
    const UCHAR *p = (const UCHAR *)In + *Index;
    size_t avail = Count - *Index, need, k;
    ULONG cp, b0 = p[0];
    UCHAR lo = 0x80, hi = 0xBF;

    if (b0 < 0x80) {
        *Index += 1;
        return b0;
    }
    if (b0 >= 0xC2 && b0 <= 0xDF) {
        need = 1;
        cp = b0 & 0x1F;
    } else if (b0 >= 0xE0 && b0 <= 0xEF) {
        need = 2;
        cp = b0 & 0x0F;
        if (b0 == 0xE0)
            lo = 0xA0; /* no overlong forms */
        else if (b0 == 0xED)
            hi = 0x9F; /* no surrogates */
    } else if (b0 >= 0xF0 && b0 <= 0xF4) {
        need = 3;
        cp = b0 & 0x07;
        if (b0 == 0xF0)
            lo = 0x90;
        else if (b0 == 0xF4)
            hi = 0x8F; /* nothing above U+10FFFF */
    } else {
        *Index += 1;
        *Replaced = TRUE;
        return 0xFFFD;
    }
    /* One U+FFFD per maximal invalid subsequence, as Unicode recommends and Windows does. */
    for (k = 1; k <= need; k++) {
        if (k >= avail || p[k] < lo || p[k] > hi) {
            *Index += k;
            *Replaced = TRUE;
            return 0xFFFD;
        }
        cp = (cp << 6) | (p[k] & 0x3F);
        lo = 0x80;
        hi = 0xBF;
    }
    *Index += need + 1;
    return cp;
}

size_t RtlpEncodeUtf8(ULONG CodePoint, char *Out)
{
    if (CodePoint < 0x80) {
        Out[0] = (char)CodePoint;
        return 1;
    }
    if (CodePoint < 0x800) {
        Out[0] = (char)(0xC0 | (CodePoint >> 6));
        Out[1] = (char)(0x80 | (CodePoint & 0x3F));
        return 2;
    }
    if (CodePoint < 0x10000) {
        Out[0] = (char)(0xE0 | (CodePoint >> 12));
        Out[1] = (char)(0x80 | ((CodePoint >> 6) & 0x3F));
        Out[2] = (char)(0x80 | (CodePoint & 0x3F));
        return 3;
    }
    Out[0] = (char)(0xF0 | (CodePoint >> 18));
    Out[1] = (char)(0x80 | ((CodePoint >> 12) & 0x3F));
    Out[2] = (char)(0x80 | ((CodePoint >> 6) & 0x3F));
    Out[3] = (char)(0x80 | (CodePoint & 0x3F));
    return 4;
}

size_t RtlpEncodeUtf16(ULONG CodePoint, WCHAR *Out)
{
    if (CodePoint < 0x10000) {
        Out[0] = (WCHAR)CodePoint;
        return 1;
    }
    CodePoint -= 0x10000;
    Out[0] = (WCHAR)(0xD800 + (CodePoint >> 10));
    Out[1] = (WCHAR)(0xDC00 + (CodePoint & 0x3FF));
    return 2;
}

VOID RtlpUtf16ToUtf8Ex(char *Out, size_t OutCap, const WCHAR *In, size_t InChars,
                       PRTLP_CONVERSION Result)
{
    size_t i = 0, n;
    char seq[4];

    Result->Written = Result->Needed = 0;
    Result->Replaced = FALSE;
    while (i < InChars) {
        n = RtlpEncodeUtf8(RtlpDecodeUtf16(In, InChars, &i, &Result->Replaced), seq);
        /* Only whole sequences, and nothing after the first one that does not fit. */
        if (Result->Written == Result->Needed && Result->Written + n <= OutCap) {
            RtlCopyMemory(Out + Result->Written, seq, n);
            Result->Written += n;
        }
        Result->Needed += n;
    }
}

VOID RtlpUtf8ToUtf16Ex(WCHAR *Out, size_t OutCap, const char *In, size_t InBytes,
                       PRTLP_CONVERSION Result)
{
    size_t i = 0, n;
    WCHAR seq[2];

    Result->Written = Result->Needed = 0;
    Result->Replaced = FALSE;
    while (i < InBytes) {
        n = RtlpEncodeUtf16(RtlpDecodeUtf8(In, InBytes, &i, &Result->Replaced), seq);
        if (Result->Written == Result->Needed && Result->Written + n <= OutCap) {
            RtlCopyMemory(Out + Result->Written, seq, n * sizeof(WCHAR));
            Result->Written += n;
        }
        Result->Needed += n;
    }
}

NTK_EXPORT size_t RtlpUtf16ToUtf8(char *Out, size_t OutCap, const WCHAR *In, size_t InChars)
{
    RTLP_CONVERSION r;

    if (Out == NULL)
        OutCap = 0;
    RtlpUtf16ToUtf8Ex(Out, OutCap, In, InChars, &r);
    return OutCap == 0 ? r.Needed : r.Written;
}

NTK_EXPORT size_t RtlpUtf8ToUtf16(WCHAR *Out, size_t OutCap, const char *In, size_t InBytes)
{
    RTLP_CONVERSION r;

    if (Out == NULL)
        OutCap = 0;
    RtlpUtf8ToUtf16Ex(Out, OutCap, In, InBytes, &r);
    return OutCap == 0 ? r.Needed : r.Written;
}

NTSYSAPI NTSTATUS NTAPI RtlUnicodeToUTF8N(PCHAR UTF8StringDestination,
                                          ULONG UTF8StringMaxByteCount,
                                          PULONG UTF8StringActualByteCount,
                                          PCWCH UnicodeStringSource,
                                          ULONG UnicodeStringByteCount)
{
    RTLP_CONVERSION r;
    size_t cap = UTF8StringDestination != NULL ? UTF8StringMaxByteCount : 0;

    if (UTF8StringDestination == NULL && UTF8StringActualByteCount == NULL)
        return STATUS_INVALID_PARAMETER;
    if (UnicodeStringSource == NULL)
        return STATUS_INVALID_PARAMETER_4;
    if (UnicodeStringByteCount % sizeof(WCHAR) != 0)
        return STATUS_INVALID_PARAMETER_5;
    RtlpUtf16ToUtf8Ex(UTF8StringDestination, cap, UnicodeStringSource,
                      UnicodeStringByteCount / sizeof(WCHAR), &r);
    if (UTF8StringActualByteCount != NULL)
        *UTF8StringActualByteCount =
            (ULONG)(UTF8StringDestination == NULL ? r.Needed : r.Written);
    if (UTF8StringDestination != NULL && r.Needed > cap)
        return STATUS_BUFFER_TOO_SMALL;
    return r.Replaced ? STATUS_SOME_NOT_MAPPED : STATUS_SUCCESS;
}

NTSYSAPI NTSTATUS NTAPI RtlUTF8ToUnicodeN(PWSTR UnicodeStringDestination,
                                          ULONG UnicodeStringMaxByteCount,
                                          PULONG UnicodeStringActualByteCount,
                                          PCCH UTF8StringSource, ULONG UTF8StringByteCount)
{
    RTLP_CONVERSION r;
    size_t cap = UnicodeStringDestination != NULL ? UnicodeStringMaxByteCount / sizeof(WCHAR) : 0;

    if (UnicodeStringDestination == NULL && UnicodeStringActualByteCount == NULL)
        return STATUS_INVALID_PARAMETER;
    if (UTF8StringSource == NULL)
        return STATUS_INVALID_PARAMETER_4;
    RtlpUtf8ToUtf16Ex(UnicodeStringDestination, cap, UTF8StringSource, UTF8StringByteCount, &r);
    if (UnicodeStringActualByteCount != NULL)
        *UnicodeStringActualByteCount =
            (ULONG)((UnicodeStringDestination == NULL ? r.Needed : r.Written) * sizeof(WCHAR));
    if (UnicodeStringDestination != NULL && r.Needed > cap)
        return STATUS_BUFFER_TOO_SMALL;
    return r.Replaced ? STATUS_SOME_NOT_MAPPED : STATUS_SUCCESS;
}
