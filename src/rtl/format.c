/* The printf engine behind DbgPrint, the RtlString*Printf family and the user library's
 * wsprintf-likes, with Windows' semantics rather than glibc's: LLP64 sizes (l is 32-bit), the
 * I/I32/I64/w size prefixes, %S/%ws/%wZ/%Z, %p as 16 uppercase hex digits. One engine serves
 * narrow (UTF-8) and wide (UTF-16) output; the format string has the output's encoding. */
#include "rtlp.h"
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>

typedef struct _RTLP_SINK {
    PVOID Buffer; /* char * or WCHAR * */
    size_t Limit; /* units that may be written */
    size_t Count; /* units the output needs so far */
    BOOLEAN Wide;
} RTLP_SINK, *PRTLP_SINK;

typedef enum _RTLP_SIZE {
    SizeNone,
    SizeChar,     /* hh */
    SizeShort,    /* h */
    SizeLong,     /* l: 32-bit integers, wide chars and strings */
    SizeLongLong, /* ll, I64, L (integers), j */
    SizeLongDouble,
    SizePointer, /* I, z, t */
    SizeInt32,   /* I32 */
    SizeWide     /* w */
} RTLP_SIZE;

typedef struct _RTLP_SPEC {
    BOOLEAN Left, Plus, Space, Zero, Alternate;
    int Width;     /* -1 if none */
    int Precision; /* -1 if none */
    RTLP_SIZE Size;
    ULONG Conversion;
} RTLP_SPEC, *PRTLP_SPEC;

static void RtlpPutUnit(PRTLP_SINK Sink, ULONG Unit)
{
    if (Sink->Count < Sink->Limit) {
        if (Sink->Wide)
            ((WCHAR *)Sink->Buffer)[Sink->Count] = (WCHAR)Unit;
        else
            ((char *)Sink->Buffer)[Sink->Count] = (char)Unit;
    }
    Sink->Count++;
}

static void RtlpPutRepeated(PRTLP_SINK Sink, ULONG Unit, size_t Count)
{
    while (Count-- != 0)
        RtlpPutUnit(Sink, Unit);
}

/* One code point in the output's encoding. */
static void RtlpPutCodePoint(PRTLP_SINK Sink, ULONG CodePoint)
{
    size_t i, n;

    if (Sink->Wide) {
        WCHAR seq[2];
        n = RtlpEncodeUtf16(CodePoint, seq);
        for (i = 0; i < n; i++)
            RtlpPutUnit(Sink, seq[i]);
    } else {
        char seq[4];
        n = RtlpEncodeUtf8(CodePoint, seq);
        for (i = 0; i < n; i++)
            RtlpPutUnit(Sink, (UCHAR)seq[i]);
    }
}

/* Length of Units without a trailing incomplete UTF-8 sequence. */
static size_t RtlpTrimUtf8(const char *Units, size_t Count)
{
    size_t start = Count, back = 0, need;
    UCHAR lead;

    while (start > 0 && back < 4 && ((UCHAR)Units[start - 1] & 0xC0) == 0x80) {
        start--;
        back++;
    }
    if (start == 0)
        return Count;
    lead = (UCHAR)Units[start - 1];
    need = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 1;
    return need > back + 1 ? start - 1 : Count;
}

/* Length of Units without a trailing high surrogate. */
static size_t RtlpTrimUtf16(const WCHAR *Units, size_t Count)
{
    return (Count > 0 && Units[Count - 1] >= 0xD800 && Units[Count - 1] <= 0xDBFF) ? Count - 1
                                                                                   : Count;
}

static void RtlpPad(PRTLP_SINK Sink, PRTLP_SPEC Spec, size_t Length, BOOLEAN Before)
{
    size_t width = Spec->Width < 0 ? 0 : (size_t)Spec->Width;

    if (width <= Length || Spec->Left == Before)
        return;
    /* Windows' CRT pads strings and chars with zeros too when the 0 flag is given. */
    RtlpPutRepeated(Sink, (Spec->Zero && !Spec->Left) ? '0' : ' ', width - Length);
}

/* A string of Count source units (narrow UTF-8 or wide UTF-16), padded to the width. Count is
 * already limited by the precision; Cut says the precision did it. */
static void RtlpPutString(PRTLP_SINK Sink, PRTLP_SPEC Spec, const void *String, BOOLEAN SourceWide,
                          size_t Count, BOOLEAN Cut)
{
    RTLP_CONVERSION conversion;
    size_t i, length;
    BOOLEAN replaced = FALSE;

    if (SourceWide == Sink->Wide) {
        length = Count;
    } else {
        /* Converting: never start a sequence the precision cut in half. */
        if (Cut)
            Count = SourceWide ? RtlpTrimUtf16(String, Count) : RtlpTrimUtf8(String, Count);
        if (SourceWide)
            RtlpUtf16ToUtf8Ex(NULL, 0, String, Count, &conversion);
        else
            RtlpUtf8ToUtf16Ex(NULL, 0, String, Count, &conversion);
        length = conversion.Needed;
    }
    RtlpPad(Sink, Spec, length, TRUE);
    if (SourceWide == Sink->Wide) {
        for (i = 0; i < Count; i++)
            RtlpPutUnit(Sink, SourceWide ? (ULONG)((const WCHAR *)String)[i]
                                         : (ULONG)((const UCHAR *)String)[i]);
    } else {
        for (i = 0; i < Count;)
            RtlpPutCodePoint(Sink, SourceWide
                                       ? RtlpDecodeUtf16(String, Count, &i, &replaced)
                                       : RtlpDecodeUtf8(String, Count, &i, &replaced));
    }
    RtlpPad(Sink, Spec, length, FALSE);
}

/* A NUL-terminated string argument; the precision bounds how far it is read. */
static void RtlpPutCString(PRTLP_SINK Sink, PRTLP_SPEC Spec, const void *String, BOOLEAN Wide)
{
    size_t max = Spec->Precision < 0 ? SIZE_MAX : (size_t)Spec->Precision, n = 0;

    if (String == NULL) {
        String = "(null)";
        Wide = FALSE;
    }
    if (Wide) {
        while (n < max && ((const WCHAR *)String)[n] != UNICODE_NULL)
            n++;
    } else {
        while (n < max && ((const char *)String)[n] != '\0')
            n++;
    }
    RtlpPutString(Sink, Spec, String, Wide, n, (BOOLEAN)(n == max));
}

/* A counted string argument (STRING or UNICODE_STRING): Length bytes, no terminator needed. */
static void RtlpPutCountedString(PRTLP_SINK Sink, PRTLP_SPEC Spec, const void *Counted,
                                 BOOLEAN Wide)
{
    size_t max = Spec->Precision < 0 ? SIZE_MAX : (size_t)Spec->Precision, n;
    const void *buffer;

    if (Wide) {
        const UNICODE_STRING *us = Counted;
        buffer = us != NULL ? us->Buffer : NULL;
        n = us != NULL ? us->Length / sizeof(WCHAR) : 0;
    } else {
        const STRING *as = Counted;
        buffer = as != NULL ? as->Buffer : NULL;
        n = as != NULL ? as->Length : 0;
    }
    if (buffer == NULL) {
        RtlpPutCString(Sink, Spec, NULL, FALSE);
        return;
    }
    RtlpPutString(Sink, Spec, buffer, Wide, n < max ? n : max, (BOOLEAN)(n > max));
}

static void RtlpPutChar(PRTLP_SINK Sink, PRTLP_SPEC Spec, ULONG Char, BOOLEAN Wide)
{
    BOOLEAN replaced = FALSE;
    size_t i = 0, length = 1;
    ULONG cp;

    if (Wide == Sink->Wide) {
        RtlpPad(Sink, Spec, 1, TRUE);
        RtlpPutUnit(Sink, Char);
        RtlpPad(Sink, Spec, 1, FALSE);
        return;
    }
    if (Wide) {
        WCHAR w = (WCHAR)Char;
        cp = RtlpDecodeUtf16(&w, 1, &i, &replaced);
        length = cp < 0x80 ? 1 : cp < 0x800 ? 2 : 3;
    } else {
        char c = (char)Char;
        cp = RtlpDecodeUtf8(&c, 1, &i, &replaced);
    }
    RtlpPad(Sink, Spec, length, TRUE);
    RtlpPutCodePoint(Sink, cp);
    RtlpPad(Sink, Spec, length, FALSE);
}

static void RtlpPutInteger(PRTLP_SINK Sink, PRTLP_SPEC Spec, ULONGLONG Magnitude,
                           BOOLEAN Negative, BOOLEAN Signed, ULONG Base, BOOLEAN Upper)
{
    const char *digitSet = Upper ? "0123456789ABCDEF" : "0123456789abcdef";
    char digits[64], sign = 0, prefix[2];
    size_t ndigits = 0, nprefix = 0, zeros = 0, total, width, i;
    ULONGLONG v = Magnitude;

    /* An explicit precision of 0 prints nothing for a zero value. */
    if (!(Spec->Precision == 0 && Magnitude == 0)) {
        do {
            digits[ndigits++] = digitSet[v % Base];
            v /= Base;
        } while (v != 0);
    }
    if (Spec->Precision > 0 && (size_t)Spec->Precision > ndigits)
        zeros = (size_t)Spec->Precision - ndigits;
    if (Signed)
        sign = Negative ? '-' : Spec->Plus ? '+' : Spec->Space ? ' ' : 0;
    if (Spec->Alternate && Base == 16 && Magnitude != 0) {
        prefix[nprefix++] = '0';
        prefix[nprefix++] = Upper ? 'X' : 'x';
    }
    if (Spec->Alternate && Base == 8 && zeros == 0 && (ndigits == 0 || digits[ndigits - 1] != '0'))
        zeros = 1;
    total = (sign != 0) + nprefix + zeros + ndigits;
    width = Spec->Width < 0 ? 0 : (size_t)Spec->Width;
    if (width > total && !Spec->Left) {
        /* The 0 flag pads between sign/prefix and digits, unless a precision is given. */
        if (Spec->Zero && Spec->Precision < 0)
            zeros += width - total;
        else
            RtlpPutRepeated(Sink, ' ', width - total);
        total = width;
    }
    if (sign != 0)
        RtlpPutUnit(Sink, (UCHAR)sign);
    for (i = 0; i < nprefix; i++)
        RtlpPutUnit(Sink, (UCHAR)prefix[i]);
    RtlpPutRepeated(Sink, '0', zeros);
    while (ndigits > 0)
        RtlpPutUnit(Sink, (UCHAR)digits[--ndigits]);
    if (width > total)
        RtlpPutRepeated(Sink, ' ', width - total);
}

/* Floating point goes through the C library, rebuilt as a standard conversion. */
static void RtlpPutFloat(PRTLP_SINK Sink, PRTLP_SPEC Spec, va_list *Args)
{
    char spec[32], local[128], *text = local;
    size_t n = 0, i;
    int length;
    long double ld = 0;
    double d = 0;

    spec[n++] = '%';
    if (Spec->Left)
        spec[n++] = '-';
    if (Spec->Plus)
        spec[n++] = '+';
    if (Spec->Space)
        spec[n++] = ' ';
    if (Spec->Zero)
        spec[n++] = '0';
    if (Spec->Alternate)
        spec[n++] = '#';
    spec[n++] = '*';
    spec[n++] = '.';
    spec[n++] = '*';
    if (Spec->Size == SizeLongDouble)
        spec[n++] = 'L';
    spec[n++] = (char)Spec->Conversion;
    spec[n] = '\0';
    if (Spec->Size == SizeLongDouble)
        ld = va_arg(*Args, long double);
    else
        d = va_arg(*Args, double);
#define RTLP_SNPRINTF(buf, cap)                                                                   \
    (Spec->Size == SizeLongDouble ? snprintf(buf, cap, spec, Spec->Width, Spec->Precision, ld)   \
                                  : snprintf(buf, cap, spec, Spec->Width, Spec->Precision, d))
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
    length = RTLP_SNPRINTF(local, sizeof(local));
    if (length >= (int)sizeof(local)) {
        text = malloc((size_t)length + 1);
        if (text != NULL)
            RTLP_SNPRINTF(text, (size_t)length + 1);
        else
            text = local;
    }
#pragma GCC diagnostic pop
#undef RTLP_SNPRINTF
    /* Out of memory for a huge field: what did not fit the local buffer prints as '?', so the
     * count stays exact. */
    for (i = 0; length > 0 && i < (size_t)length; i++)
        RtlpPutUnit(Sink, (text != local || i < sizeof(local) - 1) ? (UCHAR)text[i] : '?');
    if (text != local)
        free(text);
}

static ULONGLONG RtlpFetchUnsigned(RTLP_SIZE Size, va_list *Args)
{
    switch (Size) {
    case SizeChar:
        return (UCHAR)va_arg(*Args, int);
    case SizeShort:
        return (USHORT)va_arg(*Args, int);
    case SizeLongLong:
    case SizeLongDouble:
        return va_arg(*Args, ULONGLONG);
    case SizePointer:
        return va_arg(*Args, ULONG_PTR);
    default: /* none, l, I32, w: 32-bit */
        return va_arg(*Args, unsigned int);
    }
}

static LONGLONG RtlpFetchSigned(RTLP_SIZE Size, va_list *Args)
{
    switch (Size) {
    case SizeChar:
        return (signed char)va_arg(*Args, int);
    case SizeShort:
        return (SHORT)va_arg(*Args, int);
    case SizeLongLong:
    case SizeLongDouble:
        return va_arg(*Args, LONGLONG);
    case SizePointer:
        return va_arg(*Args, LONG_PTR);
    default:
        return va_arg(*Args, int);
    }
}

static int RtlpParseNumber(const void *Format, BOOLEAN Wide, size_t *Index)
{
    long long value = 0;
    ULONG c;

    for (;;) {
        c = Wide ? ((const WCHAR *)Format)[*Index] : (UCHAR)((const char *)Format)[*Index];
        if (c < '0' || c > '9')
            break;
        if (value < INT_MAX)
            value = value * 10 + (c - '0');
        (*Index)++;
    }
    return value > INT_MAX ? INT_MAX : (int)value;
}

static void RtlpFormatEngine(PRTLP_SINK Sink, const void *Format, va_list *Args)
{
    const BOOLEAN wide = Sink->Wide;
    size_t i = 0, start, k;
    RTLP_SPEC spec;
    ULONG c;
#define RTLP_F(k) (wide ? (ULONG)((const WCHAR *)Format)[k] : (ULONG)((const UCHAR *)Format)[k])

    for (;;) {
        c = RTLP_F(i);
        if (c == 0)
            break;
        if (c != '%') {
            RtlpPutUnit(Sink, c);
            i++;
            continue;
        }
        start = i++;
        RtlZeroMemory(&spec, sizeof(spec));
        spec.Width = spec.Precision = -1;
        for (;; i++) {
            c = RTLP_F(i);
            if (c == '-')
                spec.Left = TRUE;
            else if (c == '+')
                spec.Plus = TRUE;
            else if (c == ' ')
                spec.Space = TRUE;
            else if (c == '0')
                spec.Zero = TRUE;
            else if (c == '#')
                spec.Alternate = TRUE;
            else
                break;
        }
        if (RTLP_F(i) == '*') {
            int w = va_arg(*Args, int);
            i++;
            /* A negative '*' width means left-justified. */
            if (w < 0) {
                spec.Left = TRUE;
                w = w == INT_MIN ? INT_MAX : -w;
            }
            spec.Width = w;
        } else if (RTLP_F(i) >= '0' && RTLP_F(i) <= '9') {
            spec.Width = RtlpParseNumber(Format, wide, &i);
        }
        if (RTLP_F(i) == '.') {
            i++;
            if (RTLP_F(i) == '*') {
                int p = va_arg(*Args, int);
                i++;
                spec.Precision = p < 0 ? -1 : p; /* negative: as if omitted */
            } else {
                spec.Precision = RtlpParseNumber(Format, wide, &i);
            }
        }
        c = RTLP_F(i);
        if (c == 'h') {
            spec.Size = RTLP_F(i + 1) == 'h' ? SizeChar : SizeShort;
            i += spec.Size == SizeChar ? 2 : 1;
        } else if (c == 'l') {
            spec.Size = RTLP_F(i + 1) == 'l' ? SizeLongLong : SizeLong;
            i += spec.Size == SizeLongLong ? 2 : 1;
        } else if (c == 'L') {
            spec.Size = SizeLongDouble;
            i++;
        } else if (c == 'I') {
            if (RTLP_F(i + 1) == '6' && RTLP_F(i + 2) == '4') {
                spec.Size = SizeLongLong;
                i += 3;
            } else if (RTLP_F(i + 1) == '3' && RTLP_F(i + 2) == '2') {
                spec.Size = SizeInt32;
                i += 3;
            } else {
                spec.Size = SizePointer;
                i++;
            }
        } else if (c == 'w') {
            spec.Size = SizeWide;
            i++;
        } else if (c == 'z' || c == 't') {
            spec.Size = SizePointer;
            i++;
        } else if (c == 'j') {
            spec.Size = SizeLongLong;
            i++;
        }
        spec.Conversion = c = RTLP_F(i);
        if (c == 0) {
            /* A truncated specification prints as written. */
            for (k = start; k < i; k++)
                RtlpPutUnit(Sink, RTLP_F(k));
            break;
        }
        i++;
        switch (c) {
        case 'd':
        case 'i': {
            LONGLONG v = RtlpFetchSigned(spec.Size, Args);
            RtlpPutInteger(Sink, &spec, v < 0 ? 0ULL - (ULONGLONG)v : (ULONGLONG)v, v < 0, TRUE,
                           10, FALSE);
            break;
        }
        case 'u':
            RtlpPutInteger(Sink, &spec, RtlpFetchUnsigned(spec.Size, Args), FALSE, FALSE, 10,
                           FALSE);
            break;
        case 'o':
            RtlpPutInteger(Sink, &spec, RtlpFetchUnsigned(spec.Size, Args), FALSE, FALSE, 8,
                           FALSE);
            break;
        case 'x':
        case 'X':
            RtlpPutInteger(Sink, &spec, RtlpFetchUnsigned(spec.Size, Args), FALSE, FALSE, 16,
                           c == 'X');
            break;
        case 'p':
            /* As the Windows kernel prints pointers: all 16 digits, uppercase, no 0x. */
            spec.Precision = 16;
            spec.Plus = spec.Space = spec.Alternate = FALSE;
            RtlpPutInteger(Sink, &spec, (ULONG_PTR)va_arg(*Args, PVOID), FALSE, FALSE, 16, TRUE);
            break;
        case 'c':
        case 'C': {
            BOOLEAN wideArg = spec.Size == SizeShort || spec.Size == SizeChar ? FALSE
                              : spec.Size == SizeLong || spec.Size == SizeWide
                                  ? TRUE
                                  : (BOOLEAN)((c == 'c') == wide);
            RtlpPutChar(Sink, &spec, (ULONG)va_arg(*Args, int), wideArg);
            break;
        }
        case 's':
        case 'S': {
            BOOLEAN wideArg = spec.Size == SizeShort || spec.Size == SizeChar ? FALSE
                              : spec.Size == SizeLong || spec.Size == SizeWide
                                  ? TRUE
                                  : (BOOLEAN)((c == 's') == wide);
            RtlpPutCString(Sink, &spec, va_arg(*Args, const void *), wideArg);
            break;
        }
        case 'Z': {
            BOOLEAN wideArg = spec.Size == SizeShort || spec.Size == SizeChar ? FALSE
                              : spec.Size == SizeLong || spec.Size == SizeWide ? TRUE
                                                                               : wide;
            RtlpPutCountedString(Sink, &spec, va_arg(*Args, const void *), wideArg);
            break;
        }
        case 'n':
            (void)va_arg(*Args, PVOID); /* consumed, never written through */
            break;
        case 'e':
        case 'E':
        case 'f':
        case 'F':
        case 'g':
        case 'G':
        case 'a':
        case 'A':
            RtlpPutFloat(Sink, &spec, Args);
            break;
        case '%':
            RtlpPutUnit(Sink, '%');
            break;
        default:
            /* Unknown conversion: print the specification as written. */
            for (k = start; k < i; k++)
                RtlpPutUnit(Sink, RTLP_F(k));
            break;
        }
    }
#undef RTLP_F
}

size_t RtlpVFormatInternal(PVOID Buffer, size_t Limit, BOOLEAN Terminate, BOOLEAN Wide,
                           const void *Format, va_list Args, size_t *Written)
{
    RTLP_SINK sink;
    size_t written;
    va_list ap;

    sink.Buffer = Buffer;
    sink.Limit = Buffer != NULL ? Limit : 0;
    sink.Count = 0;
    sink.Wide = Wide;
    va_copy(ap, Args);
    RtlpFormatEngine(&sink, Format, &ap);
    va_end(ap);
    written = sink.Count < sink.Limit ? sink.Count : sink.Limit;
    /* Truncated output never ends in half a character. */
    if (sink.Count > sink.Limit)
        written = Wide ? RtlpTrimUtf16(Buffer, written) : RtlpTrimUtf8(Buffer, written);
    if (Terminate && Buffer != NULL) {
        if (Wide)
            ((WCHAR *)Buffer)[written] = UNICODE_NULL;
        else
            ((char *)Buffer)[written] = '\0';
    }
    if (Written != NULL)
        *Written = written;
    return sink.Count;
}

static int RtlpCountToInt(size_t Count)
{
    return Count > INT_MAX ? -1 : (int)Count;
}

NTK_EXPORT int RtlpVFormatA(char *Buffer, size_t Capacity, const char *Format, va_list Args)
{
    if (Buffer == NULL)
        Capacity = 0;
    return RtlpCountToInt(RtlpVFormatInternal(Buffer, Capacity != 0 ? Capacity - 1 : 0,
                                              (BOOLEAN)(Capacity != 0), FALSE, Format, Args,
                                              NULL));
}

NTK_EXPORT int RtlpVFormatW(WCHAR *Buffer, size_t Capacity, const WCHAR *Format, va_list Args)
{
    if (Buffer == NULL)
        Capacity = 0;
    return RtlpCountToInt(RtlpVFormatInternal(Buffer, Capacity != 0 ? Capacity - 1 : 0,
                                              (BOOLEAN)(Capacity != 0), TRUE, Format, Args,
                                              NULL));
}

NTK_EXPORT int RtlpFormatA(char *Buffer, size_t Capacity, const char *Format, ...)
{
    va_list args;
    int n;

    va_start(args, Format);
    n = RtlpVFormatA(Buffer, Capacity, Format, args);
    va_end(args);
    return n;
}

NTK_EXPORT int RtlpFormatW(WCHAR *Buffer, size_t Capacity, const WCHAR *Format, ...)
{
    va_list args;
    int n;

    va_start(args, Format);
    n = RtlpVFormatW(Buffer, Capacity, Format, args);
    va_end(args);
    return n;
}
