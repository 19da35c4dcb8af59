/* Kd: a streaming JSON writer for the crash dump. No allocation, no locks, no stdio: it runs
 * while other threads are frozen. Output is buffered and written with write(2). */
#ifndef NTK_KDJSON_H
#define NTK_KDJSON_H

#include <ntddk.h>

#define KDJ_MAX_DEPTH 32

typedef struct _KDJ_WRITER {
    int Fd;
    ULONG Used;
    ULONG Depth;
    BOOLEAN Array[KDJ_MAX_DEPTH]; /* the open container at each depth is an array */
    ULONG Items[KDJ_MAX_DEPTH];   /* items written into it so far */
    BOOLEAN Failed;               /* a write failed: the rest is dropped */
    CHAR Buffer[16384];
} KDJ_WRITER;

VOID KdjOpen(KDJ_WRITER *Writer, int Fd);
VOID KdjFlush(KDJ_WRITER *Writer);
/* Key is the member name inside an object, NULL inside an array (or at the top). */
VOID KdjBeginObject(KDJ_WRITER *Writer, PCSTR Key);
VOID KdjBeginArray(KDJ_WRITER *Writer, PCSTR Key);
VOID KdjEnd(KDJ_WRITER *Writer);
/* Closes containers until Depth is open, first adding "error": Why to the innermost one. */
VOID KdjUnwind(KDJ_WRITER *Writer, ULONG Depth, PCSTR Why);
VOID KdjString(KDJ_WRITER *Writer, PCSTR Key, PCSTR Value);            /* NULL: null */
VOID KdjStringN(KDJ_WRITER *Writer, PCSTR Key, PCSTR Value, SIZE_T Length);
VOID KdjWide(KDJ_WRITER *Writer, PCSTR Key, PCWSTR Value, SIZE_T Chars); /* UTF-16 */
VOID KdjUnsigned(KDJ_WRITER *Writer, PCSTR Key, ULONG64 Value);
VOID KdjSigned(KDJ_WRITER *Writer, PCSTR Key, LONG64 Value);
VOID KdjHex(KDJ_WRITER *Writer, PCSTR Key, ULONG64 Value);               /* "0x..." */
VOID KdjBool(KDJ_WRITER *Writer, PCSTR Key, BOOLEAN Value);
VOID KdjNull(KDJ_WRITER *Writer, PCSTR Key);
VOID KdjHexBytes(KDJ_WRITER *Writer, PCSTR Key, const UCHAR *Data, SIZE_T Length);
/* Text helpers for fixed buffers: hex with 0x and 16 digits, decimal. */
SIZE_T KdjFormatHex(PCHAR Out, ULONG64 Value, ULONG Digits);
SIZE_T KdjFormatDecimal(PCHAR Out, ULONG64 Value);

#endif
