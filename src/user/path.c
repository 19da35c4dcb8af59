/* Win32 path -> NT path, the part of RtlDosPathNameToNtPathName_U that ntk needs. There is no
 * current directory in an ntk user process, so only absolute forms are accepted:
 *   \\?\X     -> \??\X             (verbatim: no normalization)
 *   \??\X     -> \??\X             (already an NT path in the DOS devices directory)
 *   \\.\X     -> \??\X             (DOS device path: normalized)
 *   C:\X      -> \??\C:\X          (normalized)
 *   \\srv\shr -> \??\UNC\srv\shr   (normalized)
 * Normalization turns '/' into '\', collapses repeated separators, drops "." and resolves ".."
 * without climbing above the root (drive, UNC share or device namespace). */
#include "basep.h"

#include <stdlib.h>

#define BASEP_IS_SEPARATOR(c) ((c) == L'\\' || (c) == L'/')

static BOOL BasepIsDotComponent(PCWSTR Component, SIZE_T Length, SIZE_T Dots)
{
    SIZE_T i;

    if (Length != Dots)
        return FALSE;
    for (i = 0; i < Length; i++)
        if (Component[i] != L'.')
            return FALSE;
    return TRUE;
}

/* Appends the normalized components of Rest to Out (which holds the prefix, OutLength chars).
 * The first RootComponents components (drive, or server and share) cannot be removed by "..". */
static SIZE_T BasepNormalize(PWSTR Out, SIZE_T OutLength, PCWSTR Rest, SIZE_T RootComponents,
                             BOOL IsDrive)
{
    SIZE_T PrefixLength = OutLength, Count = 0, Start, End = 0;
    SIZE_T RestLength = BasepWideLength(Rest);

    while (End < RestLength) {
        while (End < RestLength && BASEP_IS_SEPARATOR(Rest[End]))
            End++;
        Start = End;
        while (End < RestLength && !BASEP_IS_SEPARATOR(Rest[End]))
            End++;
        if (End == Start || BasepIsDotComponent(Rest + Start, End - Start, 1))
            continue;
        if (BasepIsDotComponent(Rest + Start, End - Start, 2)) {
            if (Count > RootComponents) {
                while (OutLength > PrefixLength && Out[OutLength - 1] != L'\\')
                    OutLength--;
                if (OutLength > PrefixLength)
                    OutLength--;
                Count--;
            }
            continue;
        }
        if (Count > 0)
            Out[OutLength++] = L'\\';
        memcpy(Out + OutLength, Rest + Start, (End - Start) * sizeof(WCHAR));
        OutLength += End - Start;
        Count++;
    }
    /* A drive's root is "C:\"; elsewhere a trailing separator is kept as written. */
    if ((IsDrive && Count == RootComponents) ||
        (Count > 0 && RestLength > 0 && BASEP_IS_SEPARATOR(Rest[RestLength - 1])))
        Out[OutLength++] = L'\\';
    return OutLength;
}

/* On success NtPath->Buffer is malloc'ed and NUL-terminated; the caller frees it. */
DWORD BasepDosPathToNtPath(PCWSTR DosPath, PUNICODE_STRING NtPath)
{
    static const WCHAR DosDevices[] = L"\\??\\", Unc[] = L"\\??\\UNC\\";
    SIZE_T Length = BasepWideLength(DosPath), OutLength;
    PCWSTR Prefix = DosDevices, Rest;
    SIZE_T RootComponents = 0;
    BOOL Verbatim = FALSE, IsDrive = FALSE;
    PWSTR Out;

    if (Length >= 4 && DosPath[0] == L'\\' && DosPath[3] == L'\\' &&
        ((DosPath[1] == L'\\' && DosPath[2] == L'?') ||
         (DosPath[1] == L'?' && DosPath[2] == L'?'))) {
        Verbatim = TRUE;
        Rest = DosPath + 4;
    } else if (Length >= 4 && BASEP_IS_SEPARATOR(DosPath[0]) && BASEP_IS_SEPARATOR(DosPath[1]) &&
               (DosPath[2] == L'.' || DosPath[2] == L'?') && BASEP_IS_SEPARATOR(DosPath[3])) {
        Rest = DosPath + 4;
    } else if (Length >= 3 && BASEP_IS_SEPARATOR(DosPath[0]) && BASEP_IS_SEPARATOR(DosPath[1])) {
        Prefix = Unc;
        Rest = DosPath + 2;
        RootComponents = 2;
    } else if (Length >= 3 && ((DosPath[0] | 0x20) >= L'a' && (DosPath[0] | 0x20) <= L'z') &&
               DosPath[1] == L':' && BASEP_IS_SEPARATOR(DosPath[2])) {
        Rest = DosPath;
        RootComponents = 1;
        IsDrive = TRUE;
    } else {
        /* Relative, drive-relative ("C:x") and rooted ("\x") paths need a current directory. */
        return ERROR_PATH_NOT_FOUND;
    }

    /* The longest prefix adds 8 characters to what is kept of the input, plus separators. */
    Out = malloc((Length + RTL_NUMBER_OF(Unc) + 2) * sizeof(WCHAR));
    if (Out == NULL)
        return ERROR_NOT_ENOUGH_MEMORY;
    OutLength = BasepWideLength(Prefix);
    memcpy(Out, Prefix, OutLength * sizeof(WCHAR));
    if (Verbatim) {
        memcpy(Out + OutLength, Rest, (Length - 4) * sizeof(WCHAR));
        OutLength += Length - 4;
    } else {
        OutLength = BasepNormalize(Out, OutLength, Rest, RootComponents, IsDrive);
    }
    if (OutLength * sizeof(WCHAR) > UNICODE_STRING_MAX_BYTES - sizeof(WCHAR)) {
        free(Out);
        return ERROR_FILENAME_EXCED_RANGE;
    }
    Out[OutLength] = UNICODE_NULL;
    NtPath->Buffer = Out;
    NtPath->Length = (USHORT)(OutLength * sizeof(WCHAR));
    NtPath->MaximumLength = (USHORT)((OutLength + 1) * sizeof(WCHAR));
    return ERROR_SUCCESS;
}
