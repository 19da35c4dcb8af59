/* Ke: bug checks. The kernel stops: the STOP line is printed and the host's handler decides
 * how the process ends (the ntk command exits 3). */
#include "ntkp.h"
#include "../vf/vfddi.h"
#include "rtlp.h"
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

static KI_BUGCHECK_HANDLER KiBugCheckHandler;
static volatile LONG KiBugCheckActive;

VOID KiSetBugCheckHandler(KI_BUGCHECK_HANDLER Handler)
{
    KiBugCheckHandler = Handler;
}

VOID KeBugCheckEx(ULONG BugCheckCode, ULONG_PTR P1, ULONG_PTR P2, ULONG_PTR P3, ULONG_PTR P4)
{
    PCSTR Name = RtlpBugCheckName(BugCheckCode);
    char Line[256];
    int Length;

    /* One processor reports; any other that bugchecks meanwhile stops here. */
    if (__atomic_exchange_n(&KiBugCheckActive, 1, __ATOMIC_SEQ_CST) != 0) {
        for (;;)
            pause();
    }
    Length = snprintf(Line, sizeof(Line),
                      "\n*** STOP: 0x%08X %s (0x%016llX, 0x%016llX, 0x%016llX, 0x%016llX)\n",
                      BugCheckCode, Name ? Name : "UNKNOWN_BUGCHECK", (unsigned long long)P1,
                      (unsigned long long)P2, (unsigned long long)P3, (unsigned long long)P4);
    KdpLog("%s", Line);
    if (KiBugCheckHandler)
        KiBugCheckHandler(BugCheckCode, P1, P2, P3, P4);
    (void)Length;
    _exit(3);
}

/* 0xC8: a routine returned at another IRQL than it was called at. Parameter 1 packs the
 * current and the expected IRQL as Windows does ((Current << 16) | (Expected << 8)). */
VOID KiIrqlUnexpected(KIRQL Current, KIRQL Expected, PVOID Routine, ULONG_PTR P3, ULONG_PTR P4)
{
    KdpLog("ntk: %p returned at IRQL %u, entered at IRQL %u\n", Routine, Current, Expected);
    KeBugCheckEx(IRQL_UNEXPECTED_VALUE, ((ULONG_PTR)Current << 16) | ((ULONG_PTR)Expected << 8),
                 (ULONG_PTR)Routine, P3, P4);
}

VOID KeBugCheck(ULONG BugCheckCode)
{
    KeBugCheckEx(BugCheckCode, 0, 0, 0, 0);
}
