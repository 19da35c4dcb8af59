/* Kd: the crash dump's JSON writer (see kdjson.h). Strings are escaped as JSON requires;
 * bytes that are not valid UTF-8 are written as \u00XX so the file always parses. */
#include "kdjson.h"
#include "kdp.h"
#include "rtlp.h"
#include <unistd.h>

VOID KdjOpen(KDJ_WRITER *Writer, int Fd)
{
    Writer->Fd = Fd;
    Writer->Used = 0;
    Writer->Depth = 0;
    Writer->Failed = FALSE;
    Writer->Items[0] = 0;
    Writer->Array[0] = TRUE;
}

VOID KdjFlush(KDJ_WRITER *Writer)
{
    KdpNoRecovery++;
    ULONG Done = 0;
    while (!Writer->Failed && Done < Writer->Used) {
        ssize_t n = write(Writer->Fd, Writer->Buffer + Done, Writer->Used - Done);
        if (n <= 0)
            Writer->Failed = TRUE;
        else
            Done += (ULONG)n;
    }
    Writer->Used = 0;
    KdpNoRecovery--;
}

static VOID KdjPut(KDJ_WRITER *Writer, PCSTR Text, SIZE_T Length)
{
    while (Length > 0) {
        SIZE_T Room = sizeof(Writer->Buffer) - Writer->Used, n = Length < Room ? Length : Room;
        SIZE_T i;
        for (i = 0; i < n; i++)
            Writer->Buffer[Writer->Used + i] = Text[i];
        Writer->Used += (ULONG)n;
        Text += n;
        Length -= n;
        if (Writer->Used == sizeof(Writer->Buffer))
            KdjFlush(Writer);
    }
}

static VOID KdjPutText(KDJ_WRITER *Writer, PCSTR Text)
{
    SIZE_T n = 0;
    while (Text[n])
        n++;
    KdjPut(Writer, Text, n);
}

static VOID KdjIndent(KDJ_WRITER *Writer)
{
    ULONG i;
    KdjPut(Writer, "\n", 1);
    for (i = 0; i < Writer->Depth; i++)
        KdjPut(Writer, "  ", 2);
}

static VOID KdjEscaped(KDJ_WRITER *Writer, PCSTR Text, SIZE_T Length)
{
    static const char Hex[] = "0123456789abcdef";
    SIZE_T i = 0;
    KdjPut(Writer, "\"", 1);
    while (i < Length) {
        UCHAR c = (UCHAR)Text[i];
        size_t Next = i;
        BOOLEAN Replaced = FALSE;
        if (c == '"' || c == '\\') {
            CHAR Pair[2] = { '\\', (CHAR)c };
            KdjPut(Writer, Pair, 2);
            i++;
        } else if (c == '\n') {
            KdjPut(Writer, "\\n", 2);
            i++;
        } else if (c == '\t') {
            KdjPut(Writer, "\\t", 2);
            i++;
        } else if (c < 0x20 || c == 0x7F) {
            CHAR Escape[6] = { '\\', 'u', '0', '0', Hex[c >> 4], Hex[c & 15] };
            KdjPut(Writer, Escape, 6);
            i++;
        } else if (c < 0x80) {
            KdjPut(Writer, (PCSTR)&Text[i], 1);
            i++;
        } else {
            RtlpDecodeUtf8(Text, Length, &Next, &Replaced);
            if (Replaced) {
                CHAR Escape[6] = { '\\', 'u', '0', '0', Hex[c >> 4], Hex[c & 15] };
                KdjPut(Writer, Escape, 6);
                i++;
            } else {
                KdjPut(Writer, &Text[i], Next - i);
                i = Next;
            }
        }
    }
    KdjPut(Writer, "\"", 1);
}

/* Comma, newline and indentation before an item, then its key. */
static VOID KdjItem(KDJ_WRITER *Writer, PCSTR Key)
{
    if (Writer->Items[Writer->Depth]++ > 0)
        KdjPut(Writer, ",", 1);
    if (Writer->Depth > 0)
        KdjIndent(Writer);
    if (Key != NULL && !Writer->Array[Writer->Depth]) {
        SIZE_T n = 0;
        while (Key[n])
            n++;
        KdjEscaped(Writer, Key, n);
        KdjPut(Writer, ": ", 2);
    }
}

static VOID KdjBegin(KDJ_WRITER *Writer, PCSTR Key, BOOLEAN Array)
{
    KdjItem(Writer, Key);
    KdjPut(Writer, Array ? "[" : "{", 1);
    if (Writer->Depth + 1 < KDJ_MAX_DEPTH) {
        Writer->Depth++;
        Writer->Array[Writer->Depth] = Array;
        Writer->Items[Writer->Depth] = 0;
    }
}

VOID KdjBeginObject(KDJ_WRITER *Writer, PCSTR Key)
{
    KdpNoRecovery++;
    KdjBegin(Writer, Key, FALSE);
    KdpNoRecovery--;
}

VOID KdjBeginArray(KDJ_WRITER *Writer, PCSTR Key)
{
    KdpNoRecovery++;
    KdjBegin(Writer, Key, TRUE);
    KdpNoRecovery--;
}

VOID KdjEnd(KDJ_WRITER *Writer)
{
    KdpNoRecovery++;
    BOOLEAN Array;
    ULONG Items;
    if (Writer->Depth == 0)
        goto Out;
    Array = Writer->Array[Writer->Depth];
    Items = Writer->Items[Writer->Depth];
    Writer->Depth--;
    if (Items > 0)
        KdjIndent(Writer);
    KdjPut(Writer, Array ? "]" : "}", 1);
    if (Writer->Depth == 0)
        KdjPut(Writer, "\n", 1);
Out:
    KdpNoRecovery--;
}

VOID KdjUnwind(KDJ_WRITER *Writer, ULONG Depth, PCSTR Why)
{
    KdpNoRecovery++;
    if (Writer->Depth > Depth && Why != NULL)
        KdjString(Writer, "error", Why);
    while (Writer->Depth > Depth)
        KdjEnd(Writer);
    KdpNoRecovery--;
}

VOID KdjStringN(KDJ_WRITER *Writer, PCSTR Key, PCSTR Value, SIZE_T Length)
{
    KdpNoRecovery++;
    KdjItem(Writer, Key);
    if (Value == NULL)
        KdjPut(Writer, "null", 4);
    else
        KdjEscaped(Writer, Value, Length);
    KdpNoRecovery--;
}

VOID KdjString(KDJ_WRITER *Writer, PCSTR Key, PCSTR Value)
{
    SIZE_T n = 0;
    if (Value != NULL)
        while (Value[n])
            n++;
    KdjStringN(Writer, Key, Value, n);
}

VOID KdjWide(KDJ_WRITER *Writer, PCSTR Key, PCWSTR Value, SIZE_T Chars)
{
    KdpNoRecovery++;
    CHAR Text[512];
    SIZE_T n = Value ? RtlpUtf16ToUtf8(Text, sizeof(Text), Value, Chars) : 0;
    KdjStringN(Writer, Key, Value ? Text : NULL, n);
    KdpNoRecovery--;
}

SIZE_T KdjFormatDecimal(PCHAR Out, ULONG64 Value)
{
    CHAR Digits[24];
    SIZE_T n = 0, i;
    do {
        Digits[n++] = (CHAR)('0' + Value % 10);
        Value /= 10;
    } while (Value != 0);
    for (i = 0; i < n; i++)
        Out[i] = Digits[n - 1 - i];
    Out[n] = 0;
    return n;
}

SIZE_T KdjFormatHex(PCHAR Out, ULONG64 Value, ULONG Digits)
{
    static const char Hex[] = "0123456789ABCDEF";
    ULONG i;
    Out[0] = '0';
    Out[1] = 'x';
    for (i = 0; i < Digits; i++)
        Out[2 + i] = Hex[(Value >> (4 * (Digits - 1 - i))) & 15];
    Out[2 + Digits] = 0;
    return 2 + Digits;
}

VOID KdjUnsigned(KDJ_WRITER *Writer, PCSTR Key, ULONG64 Value)
{
    KdpNoRecovery++;
    CHAR Text[24];
    SIZE_T n = KdjFormatDecimal(Text, Value);
    KdjItem(Writer, Key);
    KdjPut(Writer, Text, n);
    KdpNoRecovery--;
}

VOID KdjSigned(KDJ_WRITER *Writer, PCSTR Key, LONG64 Value)
{
    KdpNoRecovery++;
    CHAR Text[24];
    SIZE_T n;
    KdjItem(Writer, Key);
    if (Value < 0) {
        KdjPut(Writer, "-", 1);
        n = KdjFormatDecimal(Text, (ULONG64)0 - (ULONG64)Value);
    } else {
        n = KdjFormatDecimal(Text, (ULONG64)Value);
    }
    KdjPut(Writer, Text, n);
    KdpNoRecovery--;
}

VOID KdjHex(KDJ_WRITER *Writer, PCSTR Key, ULONG64 Value)
{
    KdpNoRecovery++;
    CHAR Text[24];
    SIZE_T n = KdjFormatHex(Text, Value, 16);
    KdjStringN(Writer, Key, Text, n);
    KdpNoRecovery--;
}

VOID KdjBool(KDJ_WRITER *Writer, PCSTR Key, BOOLEAN Value)
{
    KdpNoRecovery++;
    KdjItem(Writer, Key);
    KdjPutText(Writer, Value ? "true" : "false");
    KdpNoRecovery--;
}

VOID KdjNull(KDJ_WRITER *Writer, PCSTR Key)
{
    KdpNoRecovery++;
    KdjItem(Writer, Key);
    KdjPut(Writer, "null", 4);
    KdpNoRecovery--;
}

VOID KdjHexBytes(KDJ_WRITER *Writer, PCSTR Key, const UCHAR *Data, SIZE_T Length)
{
    KdpNoRecovery++;
    static const char Hex[] = "0123456789abcdef";
    SIZE_T i;
    KdjItem(Writer, Key);
    KdjPut(Writer, "\"", 1);
    for (i = 0; i < Length; i++) {
        CHAR Pair[2] = { Hex[Data[i] >> 4], Hex[Data[i] & 15] };
        KdjPut(Writer, Pair, 2);
    }
    KdjPut(Writer, "\"", 1);
    KdpNoRecovery--;
}
