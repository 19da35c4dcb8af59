/* The ntk command's crash-dump side: the symbolizer it gives the kernel (ntk_symbols.c), the
 * `ntk analyze` subcommand (ntk_analyze.c) with its JSON reader (ntk_json.c) and its
 * explanation of every bug check ntk raises (ntk_bugtext.c). */
#ifndef NTK_ANALYZE_H
#define NTK_ANALYZE_H

#include <ntddk.h>
#include "kdp.h"
#include "rtlp.h"
#include <stdio.h>

VOID NtkInstallSymbolizer(VOID);
int NtkAnalyzeMain(int argc, char **argv);

/* ---- JSON ---- */
typedef enum { NJ_NULL, NJ_BOOL, NJ_NUMBER, NJ_STRING, NJ_ARRAY, NJ_OBJECT } NJ_KIND;

typedef struct _NJ_VALUE {
    NJ_KIND Kind;
    int Bool;
    double Number;
    char *String;             /* NJ_STRING, NUL-terminated (may hold NULs as \u0000: no) */
    size_t Count;             /* NJ_ARRAY, NJ_OBJECT */
    struct _NJ_VALUE **Items;
    char **Keys;              /* NJ_OBJECT */
} NJ_VALUE;

/* Parses a document; a document cut short (a dump whose writer died) is closed where it
 * ends, and *Truncated says so. NULL and a message in Error on a syntax error. */
NJ_VALUE *NjParse(const char *Text, size_t Length, int *Truncated, char *Error, size_t ErrorSize);
VOID NjFree(NJ_VALUE *Value);
const NJ_VALUE *NjGet(const NJ_VALUE *Object, const char *Key);
const char *NjText(const NJ_VALUE *Object, const char *Key); /* NULL unless a string */
int NjHas(const NJ_VALUE *Object, const char *Key);
/* A number, or a "0x..." string, as an unsigned value; Default if neither. */
unsigned long long NjUnsigned(const NJ_VALUE *Object, const char *Key, unsigned long long Default);
int NjTrue(const NJ_VALUE *Object, const char *Key);
const NJ_VALUE *NjItem(const NJ_VALUE *Array, size_t Index);
size_t NjLength(const NJ_VALUE *Array);
VOID NjWriteString(FILE *Out, const char *Text); /* quoted and escaped */

/* ---- What each bug check means ---- */
typedef struct _NTK_SUBTYPE_TEXT {
    unsigned long long Value;  /* of the subtype parameter */
    const char *Meaning;
    const char *Parameter[4];  /* NULL: as the code's own */
    const char *Next;          /* NULL: as the code's own */
} NTK_SUBTYPE_TEXT;

typedef struct _NTK_BUGCODE_TEXT {
    unsigned Code;
    const char *Meaning;
    const char *Parameter[4];
    const char *Next;
    int SubtypeParameter;      /* 1..4, 0 if the code has no subtypes */
    const NTK_SUBTYPE_TEXT *Subtypes;
} NTK_BUGCODE_TEXT;

const NTK_BUGCODE_TEXT *NtkFindBugCodeText(unsigned Code);
const NTK_SUBTYPE_TEXT *NtkFindSubtypeText(const NTK_BUGCODE_TEXT *Text, unsigned long long Value);
/* Every code with an explanation, for `ntk analyze --list`. */
const NTK_BUGCODE_TEXT *NtkBugCodeTexts(size_t *Count);

#endif
