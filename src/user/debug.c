/* OutputDebugString: user-mode debug output goes to the kernel debug log through DbgPrint. */
#include "basep.h"

#include <stdio.h>
#include <stdlib.h>

WINBASEAPI VOID WINAPI OutputDebugStringA(LPCSTR lpOutputString)
{
    if (lpOutputString != NULL)
        DbgPrint("%s", lpOutputString);
}

/* As on Windows, the wide form converts and goes the same way as the ANSI one. */
WINBASEAPI VOID WINAPI OutputDebugStringW(LPCWSTR lpOutputString)
{
    LPSTR Ansi;

    if (lpOutputString == NULL)
        return;
    Ansi = BasepAnsiFromWide(lpOutputString);
    if (Ansi == NULL) {
        fprintf(stderr, "ntk-user: OutputDebugStringW: out of memory\n");
        return;
    }
    DbgPrint("%s", Ansi);
    free(Ansi);
}
