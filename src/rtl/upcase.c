/* Case mapping of single characters: Unicode's simple case mappings for ASCII, Latin-1, Latin
 * Extended-A, the regular pairs of Latin Extended-B and Latin Extended Additional, Greek,
 * Cyrillic, Armenian, Roman numerals, circled letters and fullwidth Latin. Characters outside
 * these ranges map to themselves, as Windows' table does for caseless characters. */
#include "rtlp.h"

/* Runs of alternating upper/lower pairs; the callers know which parity is lowercase. */
static inline BOOLEAN RtlpInPairRun(ULONG C, ULONG First, ULONG Last)
{
    return (BOOLEAN)(C >= First && C <= Last);
}

NTSYSAPI WCHAR NTAPI RtlUpcaseUnicodeChar(WCHAR SourceCharacter)
{
    ULONG c = SourceCharacter;

    if (c < 0x80)
        return (WCHAR)((c >= 'a' && c <= 'z') ? c - 0x20 : c);
    if (c < 0x100) {
        if (c == 0xB5)
            return 0x39C; /* micro sign -> capital mu */
        if (c == 0xFF)
            return 0x178;
        if (c >= 0xE0 && c != 0xF7)
            return (WCHAR)(c - 0x20);
        return (WCHAR)c;
    }
    if (c < 0x180) {
        if (c == 0x131)
            return 'I';
        if (c == 0x17F)
            return 'S';
        if (RtlpInPairRun(c, 0x100, 0x12F) || RtlpInPairRun(c, 0x132, 0x137) ||
            RtlpInPairRun(c, 0x14A, 0x177))
            return (WCHAR)((c & 1) ? c - 1 : c);
        if (RtlpInPairRun(c, 0x139, 0x148) || RtlpInPairRun(c, 0x179, 0x17E))
            return (WCHAR)((c & 1) ? c : c - 1);
        return (WCHAR)c;
    }
    if (c < 0x250) {
        if (RtlpInPairRun(c, 0x1CD, 0x1DC))
            return (WCHAR)((c & 1) ? c : c - 1);
        if (RtlpInPairRun(c, 0x1DE, 0x1EF) || RtlpInPairRun(c, 0x1F8, 0x21F) ||
            RtlpInPairRun(c, 0x222, 0x233))
            return (WCHAR)((c & 1) ? c - 1 : c);
        return (WCHAR)c;
    }
    if (c >= 0x370 && c < 0x400) {
        if (c == 0x3AC)
            return 0x386;
        if (c >= 0x3AD && c <= 0x3AF)
            return (WCHAR)(c - 0x25);
        if (c == 0x3C2)
            return 0x3A3; /* final sigma */
        if ((c >= 0x3B1 && c <= 0x3C1) || (c >= 0x3C3 && c <= 0x3CB))
            return (WCHAR)(c - 0x20);
        if (c == 0x3CC)
            return 0x38C;
        if (c == 0x3CD || c == 0x3CE)
            return (WCHAR)(c - 0x3F);
        if (RtlpInPairRun(c, 0x3D8, 0x3EF))
            return (WCHAR)((c & 1) ? c - 1 : c);
        return (WCHAR)c;
    }
    if (c >= 0x400 && c < 0x530) {
        if (c >= 0x430 && c <= 0x44F)
            return (WCHAR)(c - 0x20);
        if (c >= 0x450 && c <= 0x45F)
            return (WCHAR)(c - 0x50);
        if (RtlpInPairRun(c, 0x460, 0x481) || RtlpInPairRun(c, 0x48A, 0x4BF) ||
            RtlpInPairRun(c, 0x4D0, 0x52F))
            return (WCHAR)((c & 1) ? c - 1 : c);
        if (RtlpInPairRun(c, 0x4C1, 0x4CE))
            return (WCHAR)((c & 1) ? c : c - 1);
        if (c == 0x4CF)
            return 0x4C0;
        return (WCHAR)c;
    }
    if (c >= 0x561 && c <= 0x586)
        return (WCHAR)(c - 0x30);
    if (RtlpInPairRun(c, 0x1E00, 0x1E95) || RtlpInPairRun(c, 0x1EA0, 0x1EFF))
        return (WCHAR)((c & 1) ? c - 1 : c);
    if (c >= 0x2170 && c <= 0x217F)
        return (WCHAR)(c - 0x10);
    if (c >= 0x24D0 && c <= 0x24E9)
        return (WCHAR)(c - 0x1A);
    if (c >= 0xFF41 && c <= 0xFF5A)
        return (WCHAR)(c - 0x20);
    return (WCHAR)c;
}

NTSYSAPI WCHAR NTAPI RtlDowncaseUnicodeChar(WCHAR SourceCharacter)
{
    ULONG c = SourceCharacter;

    if (c < 0x80)
        return (WCHAR)((c >= 'A' && c <= 'Z') ? c + 0x20 : c);
    if (c < 0x100)
        return (WCHAR)((c >= 0xC0 && c <= 0xDE && c != 0xD7) ? c + 0x20 : c);
    if (c < 0x180) {
        if (c == 0x130)
            return 'i';
        if (c == 0x178)
            return 0xFF;
        if (RtlpInPairRun(c, 0x100, 0x12F) || RtlpInPairRun(c, 0x132, 0x137) ||
            RtlpInPairRun(c, 0x14A, 0x177))
            return (WCHAR)((c & 1) ? c : c + 1);
        if (RtlpInPairRun(c, 0x139, 0x148) || RtlpInPairRun(c, 0x179, 0x17E))
            return (WCHAR)((c & 1) ? c + 1 : c);
        return (WCHAR)c;
    }
    if (c < 0x250) {
        if (RtlpInPairRun(c, 0x1CD, 0x1DC))
            return (WCHAR)((c & 1) ? c + 1 : c);
        if (RtlpInPairRun(c, 0x1DE, 0x1EF) || RtlpInPairRun(c, 0x1F8, 0x21F) ||
            RtlpInPairRun(c, 0x222, 0x233))
            return (WCHAR)((c & 1) ? c : c + 1);
        return (WCHAR)c;
    }
    if (c >= 0x370 && c < 0x400) {
        if (c == 0x386)
            return 0x3AC;
        if (c >= 0x388 && c <= 0x38A)
            return (WCHAR)(c + 0x25);
        if (c == 0x38C)
            return 0x3CC;
        if (c == 0x38E || c == 0x38F)
            return (WCHAR)(c + 0x3F);
        if ((c >= 0x391 && c <= 0x3A1) || (c >= 0x3A3 && c <= 0x3AB))
            return (WCHAR)(c + 0x20);
        if (RtlpInPairRun(c, 0x3D8, 0x3EF))
            return (WCHAR)((c & 1) ? c : c + 1);
        return (WCHAR)c;
    }
    if (c >= 0x400 && c < 0x530) {
        if (c <= 0x40F)
            return (WCHAR)(c + 0x50);
        if (c <= 0x42F)
            return (WCHAR)(c + 0x20);
        if (RtlpInPairRun(c, 0x460, 0x481) || RtlpInPairRun(c, 0x48A, 0x4BF) ||
            RtlpInPairRun(c, 0x4D0, 0x52F))
            return (WCHAR)((c & 1) ? c : c + 1);
        if (RtlpInPairRun(c, 0x4C1, 0x4CE))
            return (WCHAR)((c & 1) ? c + 1 : c);
        if (c == 0x4C0)
            return 0x4CF;
        return (WCHAR)c;
    }
    if (c >= 0x531 && c <= 0x556)
        return (WCHAR)(c + 0x30);
    if (RtlpInPairRun(c, 0x1E00, 0x1E95) || RtlpInPairRun(c, 0x1EA0, 0x1EFF))
        return (WCHAR)((c & 1) ? c : c + 1);
    if (c >= 0x2160 && c <= 0x216F)
        return (WCHAR)(c + 0x10);
    if (c >= 0x24B6 && c <= 0x24CF)
        return (WCHAR)(c + 0x1A);
    if (c >= 0xFF21 && c <= 0xFF3A)
        return (WCHAR)(c + 0x20);
    return (WCHAR)c;
}

/* The ANSI code page is UTF-8: only ASCII letters have single-byte case pairs. */
NTSYSAPI CHAR NTAPI RtlUpperChar(CHAR Character)
{
    return (CHAR)((Character >= 'a' && Character <= 'z') ? Character - 0x20 : Character);
}
