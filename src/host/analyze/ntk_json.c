/* A small JSON reader for `ntk analyze`: the whole document into a tree. It accepts a
 * document that stops early (the writer of a crash dump may have died) by closing what is
 * open, and says so. */
#include "ntk_analyze.h"
#include <stdlib.h>
#include <string.h>

typedef struct _NJ_PARSER {
    const char *Text;
    size_t Length, At;
    int Truncated;
    char *Error;
    size_t ErrorSize;
    int Failed;
} NJ_PARSER;

static void *NjAlloc(size_t Size)
{
    void *p = calloc(1, Size ? Size : 1);
    if (p == NULL) {
        fprintf(stderr, "ntk analyze: out of memory\n");
        exit(2);
    }
    return p;
}

static void NjFail(NJ_PARSER *Parser, const char *What)
{
    if (!Parser->Failed)
        snprintf(Parser->Error, Parser->ErrorSize, "%s at byte %zu", What, Parser->At);
    Parser->Failed = 1;
}

static void NjSpace(NJ_PARSER *Parser)
{
    while (Parser->At < Parser->Length && strchr(" \t\r\n", Parser->Text[Parser->At]) &&
           Parser->Text[Parser->At] != 0)
        Parser->At++;
}

static int NjEnd(NJ_PARSER *Parser)
{
    NjSpace(Parser);
    if (Parser->At >= Parser->Length) {
        Parser->Truncated = 1;
        return 1;
    }
    return 0;
}

static void NjPutUtf8(char *Out, size_t *n, unsigned Code)
{
    if (Code < 0x80) {
        Out[(*n)++] = (char)Code;
    } else if (Code < 0x800) {
        Out[(*n)++] = (char)(0xC0 | (Code >> 6));
        Out[(*n)++] = (char)(0x80 | (Code & 0x3F));
    } else if (Code < 0x10000) {
        Out[(*n)++] = (char)(0xE0 | (Code >> 12));
        Out[(*n)++] = (char)(0x80 | ((Code >> 6) & 0x3F));
        Out[(*n)++] = (char)(0x80 | (Code & 0x3F));
    } else {
        Out[(*n)++] = (char)(0xF0 | (Code >> 18));
        Out[(*n)++] = (char)(0x80 | ((Code >> 12) & 0x3F));
        Out[(*n)++] = (char)(0x80 | ((Code >> 6) & 0x3F));
        Out[(*n)++] = (char)(0x80 | (Code & 0x3F));
    }
}

static unsigned NjHex4(NJ_PARSER *Parser)
{
    unsigned Value = 0, i;
    for (i = 0; i < 4; i++) {
        char c = Parser->At < Parser->Length ? Parser->Text[Parser->At++] : 0;
        Value <<= 4;
        if (c >= '0' && c <= '9')
            Value |= (unsigned)(c - '0');
        else if (c >= 'a' && c <= 'f')
            Value |= (unsigned)(c - 'a' + 10);
        else if (c >= 'A' && c <= 'F')
            Value |= (unsigned)(c - 'A' + 10);
        else
            NjFail(Parser, "bad \\u escape");
    }
    return Value;
}

/* After the opening quote. */
static char *NjString(NJ_PARSER *Parser)
{
    size_t End = Parser->At, n = 0;
    char *Out;
    /* The decoded string is never longer than its encoding (\uXXXX is 6 bytes for at most 4). */
    while (End < Parser->Length && Parser->Text[End] != '"')
        End += Parser->Text[End] == '\\' ? 2 : 1;
    Out = NjAlloc(End - Parser->At + 4);
    while (Parser->At < Parser->Length) {
        char c = Parser->Text[Parser->At++];
        if (c == '"') {
            Out[n] = 0;
            return Out;
        }
        if (c != '\\') {
            Out[n++] = c;
            continue;
        }
        if (Parser->At >= Parser->Length)
            break;
        c = Parser->Text[Parser->At++];
        switch (c) {
        case 'n': Out[n++] = '\n'; break;
        case 't': Out[n++] = '\t'; break;
        case 'r': Out[n++] = '\r'; break;
        case 'b': Out[n++] = '\b'; break;
        case 'f': Out[n++] = '\f'; break;
        case 'u': {
            unsigned Code = NjHex4(Parser);
            if (Code >= 0xD800 && Code < 0xDC00 && Parser->At + 6 <= Parser->Length &&
                Parser->Text[Parser->At] == '\\' && Parser->Text[Parser->At + 1] == 'u') {
                unsigned Low;
                Parser->At += 2;
                Low = NjHex4(Parser);
                Code = 0x10000 + ((Code - 0xD800) << 10) + (Low - 0xDC00);
            }
            NjPutUtf8(Out, &n, Code ? Code : '?');
            break;
        }
        default: Out[n++] = c; break;
        }
    }
    Parser->Truncated = 1;
    Out[n] = 0;
    return Out;
}

static NJ_VALUE *NjValue(NJ_PARSER *Parser, int Depth);

static void NjAppend(NJ_VALUE *Container, char *Key, NJ_VALUE *Item)
{
    Container->Items = realloc(Container->Items, (Container->Count + 1) * sizeof(NJ_VALUE *));
    if (Container->Kind == NJ_OBJECT)
        Container->Keys = realloc(Container->Keys, (Container->Count + 1) * sizeof(char *));
    if (Container->Items == NULL || (Container->Kind == NJ_OBJECT && Container->Keys == NULL)) {
        fprintf(stderr, "ntk analyze: out of memory\n");
        exit(2);
    }
    Container->Items[Container->Count] = Item;
    if (Container->Kind == NJ_OBJECT)
        Container->Keys[Container->Count] = Key;
    Container->Count++;
}

static NJ_VALUE *NjContainer(NJ_PARSER *Parser, NJ_KIND Kind, int Depth)
{
    NJ_VALUE *Value = NjAlloc(sizeof(*Value));
    char Close = Kind == NJ_ARRAY ? ']' : '}';
    Value->Kind = Kind;
    if (NjEnd(Parser))
        return Value;
    if (Parser->Text[Parser->At] == Close) {
        Parser->At++;
        return Value;
    }
    for (;;) {
        char *Key = NULL;
        NJ_VALUE *Item;
        if (NjEnd(Parser))
            return Value;
        if (Kind == NJ_OBJECT) {
            if (Parser->Text[Parser->At] != '"') {
                NjFail(Parser, "expected a member name");
                return Value;
            }
            Parser->At++;
            Key = NjString(Parser);
            if (NjEnd(Parser))
                return Value;
            if (Parser->Text[Parser->At] != ':') {
                NjFail(Parser, "expected ':'");
                return Value;
            }
            Parser->At++;
        }
        Item = NjValue(Parser, Depth + 1);
        if (Item == NULL)
            return Value;
        NjAppend(Value, Key, Item);
        if (Parser->Failed || NjEnd(Parser))
            return Value;
        if (Parser->Text[Parser->At] == ',') {
            Parser->At++;
            continue;
        }
        if (Parser->Text[Parser->At] == Close) {
            Parser->At++;
            return Value;
        }
        NjFail(Parser, "expected ',' or the end of a container");
        return Value;
    }
}

static NJ_VALUE *NjValue(NJ_PARSER *Parser, int Depth)
{
    NJ_VALUE *Value;
    char c;
    if (Depth > 64) {
        NjFail(Parser, "nested too deeply");
        return NULL;
    }
    if (NjEnd(Parser))
        return NULL;
    c = Parser->Text[Parser->At];
    if (c == '{' || c == '[') {
        Parser->At++;
        return NjContainer(Parser, c == '{' ? NJ_OBJECT : NJ_ARRAY, Depth);
    }
    Value = NjAlloc(sizeof(*Value));
    if (c == '"') {
        Parser->At++;
        Value->Kind = NJ_STRING;
        Value->String = NjString(Parser);
    } else if (strncmp(Parser->Text + Parser->At, "true", 4) == 0) {
        Value->Kind = NJ_BOOL;
        Value->Bool = 1;
        Parser->At += 4;
    } else if (strncmp(Parser->Text + Parser->At, "false", 5) == 0) {
        Value->Kind = NJ_BOOL;
        Parser->At += 5;
    } else if (strncmp(Parser->Text + Parser->At, "null", 4) == 0) {
        Value->Kind = NJ_NULL;
        Parser->At += 4;
    } else if (c == '-' || (c >= '0' && c <= '9')) {
        char *End;
        Value->Kind = NJ_NUMBER;
        Value->Number = strtod(Parser->Text + Parser->At, &End);
        Parser->At = (size_t)(End - Parser->Text);
    } else {
        NjFail(Parser, "unexpected character");
        free(Value);
        return NULL;
    }
    return Value;
}

NJ_VALUE *NjParse(const char *Text, size_t Length, int *Truncated, char *Error, size_t ErrorSize)
{
    NJ_PARSER Parser = { Text, Length, 0, 0, Error, ErrorSize, 0 };
    NJ_VALUE *Root = NjValue(&Parser, 0);
    if (Truncated)
        *Truncated = Parser.Truncated;
    if (Root == NULL && !Parser.Failed)
        NjFail(&Parser, "empty document");
    return Parser.Failed && (Root == NULL || Root->Kind != NJ_OBJECT) ? NULL : Root;
}

VOID NjFree(NJ_VALUE *Value)
{
    size_t i;
    if (Value == NULL)
        return;
    for (i = 0; i < Value->Count; i++) {
        NjFree(Value->Items[i]);
        if (Value->Keys)
            free(Value->Keys[i]);
    }
    free(Value->Items);
    free(Value->Keys);
    free(Value->String);
    free(Value);
}

const NJ_VALUE *NjGet(const NJ_VALUE *Object, const char *Key)
{
    size_t i;
    if (Object == NULL || Object->Kind != NJ_OBJECT)
        return NULL;
    for (i = 0; i < Object->Count; i++)
        if (Object->Keys[i] && strcmp(Object->Keys[i], Key) == 0)
            return Object->Items[i];
    return NULL;
}

int NjHas(const NJ_VALUE *Object, const char *Key)
{
    const NJ_VALUE *Value = NjGet(Object, Key);
    return Value != NULL && Value->Kind != NJ_NULL;
}

const char *NjText(const NJ_VALUE *Object, const char *Key)
{
    const NJ_VALUE *Value = NjGet(Object, Key);
    return Value && Value->Kind == NJ_STRING ? Value->String : NULL;
}

static unsigned long long NjToUnsigned(const NJ_VALUE *Value, unsigned long long Default)
{
    if (Value == NULL)
        return Default;
    if (Value->Kind == NJ_NUMBER)
        return Value->Number < 0 ? Default : (unsigned long long)Value->Number;
    if (Value->Kind == NJ_STRING && Value->String[0])
        return strtoull(Value->String, NULL, 0);
    return Default;
}

unsigned long long NjUnsigned(const NJ_VALUE *Object, const char *Key, unsigned long long Default)
{
    return NjToUnsigned(Key ? NjGet(Object, Key) : Object, Default);
}

int NjTrue(const NJ_VALUE *Object, const char *Key)
{
    const NJ_VALUE *Value = NjGet(Object, Key);
    return Value && Value->Kind == NJ_BOOL && Value->Bool;
}

const NJ_VALUE *NjItem(const NJ_VALUE *Array, size_t Index)
{
    if (Array == NULL || (Array->Kind != NJ_ARRAY && Array->Kind != NJ_OBJECT) ||
        Index >= Array->Count)
        return NULL;
    return Array->Items[Index];
}

size_t NjLength(const NJ_VALUE *Array)
{
    return Array && (Array->Kind == NJ_ARRAY || Array->Kind == NJ_OBJECT) ? Array->Count : 0;
}

VOID NjWriteString(FILE *Out, const char *Text)
{
    const unsigned char *p = (const unsigned char *)(Text ? Text : "");
    if (Text == NULL) {
        fputs("null", Out);
        return;
    }
    fputc('"', Out);
    for (; *p; p++) {
        if (*p == '"' || *p == '\\')
            fprintf(Out, "\\%c", *p);
        else if (*p == '\n')
            fputs("\\n", Out);
        else if (*p < 0x20)
            fprintf(Out, "\\u%04x", *p);
        else
            fputc(*p, Out);
    }
    fputc('"', Out);
}
