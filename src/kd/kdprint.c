/* Kd: DbgPrint and friends. Output goes to the kernel debug log (stderr unless the host says
 * otherwise), one write per message, filtered per component and level as Windows does; ntk
 * shows every level by default, as if the Debug Print Filter allowed all. The last lines are
 * kept for crash reports. */
#include "ntkp.h"
#include "kdp.h"
#include "rtlp.h"
#include "sehp.h"
#include <string.h>
#include <unistd.h>

#define KD_MESSAGE_MAX 512 /* Windows' limit for one DbgPrint message */
#define KD_COMPONENTS (DPFLTR_ENDOFTABLE_ID + 1)

BOOLEAN KdDebuggerEnabled = FALSE;
BOOLEAN KdDebuggerNotPresent = TRUE;

static int KdpOutputFd = 2;
static ULONG KdpComponentMask[KD_COMPONENTS];
static ULONG KdpWin2000Mask = 0xFFFFFFFF;
static pthread_mutex_t KdpLock = PTHREAD_MUTEX_INITIALIZER;
static volatile BOOLEAN KdpBugCheckMode;

/* The ring of the last KD_LOG_LINES lines, for the crash dump: a line longer than
 * KD_LOG_LINE_MAX - 1 keeps its beginning. KdpRingNext is the line being written. */
static CHAR KdpRing[KD_LOG_LINES][KD_LOG_LINE_MAX];
static USHORT KdpRingLength[KD_LOG_LINES];
static ULONG KdpRingNext, KdpRingCount;

VOID KdpSetOutput(int Fd)
{
    KdpOutputFd = Fd;
}

VOID KdpSetFilterAll(BOOLEAN ShowAll)
{
    /* Without ShowAll, Windows' default: only DPFLTR_ERROR_LEVEL messages. */
    KdpWin2000Mask = ShowAll ? 0xFFFFFFFF : 1;
}

static VOID KdpRemember(const char *Text, size_t Length)
{
    size_t i;
    for (i = 0; i < Length; i++) {
        ULONG Slot = KdpRingNext;
        if (Text[i] == '\n') {
            KdpRingNext = (Slot + 1) % KD_LOG_LINES;
            KdpRingLength[KdpRingNext] = 0;
            if (KdpRingCount < KD_LOG_LINES)
                KdpRingCount++;
        } else if (KdpRingLength[Slot] < KD_LOG_LINE_MAX - 1) {
            KdpRing[Slot][KdpRingLength[Slot]++] = Text[i];
        }
    }
}

VOID KdpWriteRaw(PCSTR Text, SIZE_T Length)
{
    while (Length > 0) {
        ssize_t Done = write(KdpOutputFd, Text, Length);
        if (Done <= 0)
            break;
        Text += Done;
        Length -= (size_t)Done;
    }
}

static VOID KdpWrite(const char *Text, size_t Length)
{
    /* During a bug check another thread may be frozen holding the lock: try it for a while,
     * then write without it. */
    BOOLEAN Locked = TRUE;
    if (KdpBugCheckMode) {
        int Try;
        for (Try = 0; Try < 1000 && pthread_mutex_trylock(&KdpLock) != 0; Try++)
            __builtin_ia32_pause();
        Locked = Try < 1000;
    } else {
        pthread_mutex_lock(&KdpLock);
    }
    KdpRemember(Text, Length);
    KdpWriteRaw(Text, Length);
    if (Locked)
        pthread_mutex_unlock(&KdpLock);
    KdpNoteProgress();
}

VOID KdpEnterBugCheckMode(VOID)
{
    KdpBugCheckMode = TRUE;
}

/* Oldest first; a last line without its newline yet comes last. */
VOID KdpForEachLogLine(KD_LOG_LINE_ROUTINE Routine, PVOID Context)
{
    ULONG Count = KdpRingCount, First, i;
    if (Count == KD_LOG_LINES)
        Count = KD_LOG_LINES - 1; /* the oldest slot is the one being reused */
    First = (KdpRingNext + KD_LOG_LINES - Count) % KD_LOG_LINES;
    for (i = 0; i < Count; i++) {
        ULONG Slot = (First + i) % KD_LOG_LINES;
        Routine(KdpRing[Slot], KdpRingLength[Slot], Context);
    }
    if (KdpRingLength[KdpRingNext] != 0)
        Routine(KdpRing[KdpRingNext], KdpRingLength[KdpRingNext], Context);
}

static BOOLEAN KdpEnabled(ULONG ComponentId, ULONG Level)
{
    ULONG Mask = Level < 32 ? (1u << Level) : (Level & ~DPFLTR_MASK);
    if (ComponentId >= KD_COMPONENTS)
        ComponentId = DPFLTR_DEFAULT_ID;
    return (Mask & (KdpComponentMask[ComponentId] | KdpWin2000Mask)) != 0;
}

static ULONG KdpPrint(PCCH Prefix, ULONG ComponentId, ULONG Level, PCCH Format, va_list Args)
{
    char Message[KD_MESSAGE_MAX + 1];
    size_t Used = 0;
    int Needed;
    if (!KdpEnabled(ComponentId, Level))
        return STATUS_SUCCESS;
    if (Prefix) {
        Used = strlen(Prefix);
        if (Used > KD_MESSAGE_MAX)
            Used = KD_MESSAGE_MAX;
        memcpy(Message, Prefix, Used);
    }
    Needed = RtlpVFormatA(Message + Used, sizeof(Message) - Used, Format ? Format : "(null)",
                          Args);
    if (Needed < 0 || (size_t)Needed >= sizeof(Message) - Used)
        Used = KD_MESSAGE_MAX;
    else
        Used += (size_t)Needed;
    KdpWrite(Message, Used);
    return STATUS_SUCCESS;
}

ULONG DbgPrint(PCSTR Format, ...)
{
    va_list Args;
    ULONG Status;
    va_start(Args, Format);
    Status = KdpPrint(NULL, DPFLTR_DEFAULT_ID, DPFLTR_INFO_LEVEL, Format, Args);
    va_end(Args);
    return Status;
}

ULONG DbgPrintReturnControlC(PCCH Format, ...)
{
    va_list Args;
    ULONG Status;
    va_start(Args, Format);
    Status = KdpPrint(NULL, DPFLTR_DEFAULT_ID, DPFLTR_INFO_LEVEL, Format, Args);
    va_end(Args);
    return Status;
}

ULONG DbgPrintEx(ULONG ComponentId, ULONG Level, PCSTR Format, ...)
{
    va_list Args;
    ULONG Status;
    va_start(Args, Format);
    Status = KdpPrint(NULL, ComponentId, Level, Format, Args);
    va_end(Args);
    return Status;
}

ULONG vDbgPrintEx(ULONG ComponentId, ULONG Level, PCCH Format, va_list arglist)
{
    return KdpPrint(NULL, ComponentId, Level, Format, arglist);
}

ULONG vDbgPrintExWithPrefix(PCCH Prefix, ULONG ComponentId, ULONG Level, PCCH Format,
                            va_list arglist)
{
    return KdpPrint(Prefix, ComponentId, Level, Format, arglist);
}

NTSTATUS DbgQueryDebugFilterState(ULONG ComponentId, ULONG Level)
{
    if (ComponentId >= KD_COMPONENTS)
        return STATUS_INVALID_PARAMETER_1;
    return KdpEnabled(ComponentId, Level) ? (NTSTATUS)TRUE : (NTSTATUS)FALSE;
}

NTSTATUS DbgSetDebugFilterState(ULONG ComponentId, ULONG Level, BOOLEAN State)
{
    ULONG Mask = Level < 32 ? (1u << Level) : (Level & ~DPFLTR_MASK);
    if (ComponentId >= KD_COMPONENTS)
        return STATUS_INVALID_PARAMETER_1;
    if (State)
        KdpComponentMask[ComponentId] |= Mask;
    else
        KdpComponentMask[ComponentId] &= ~Mask;
    return STATUS_SUCCESS;
}

VOID KdpLog(PCSTR Format, ...)
{
    char Message[1024];
    va_list Args;
    int Needed;
    va_start(Args, Format);
    Needed = RtlpVFormatA(Message, sizeof(Message), Format, Args);
    va_end(Args);
    if (Needed < 0 || (size_t)Needed >= sizeof(Message))
        Needed = sizeof(Message) - 1;
    KdpWrite(Message, (size_t)Needed);
}

/* The breaking instruction is the caller's call: one byte before the return address, as an
 * int3's exception address is the int3 itself. */
static PVOID KdpCallSite(PVOID ReturnAddress)
{
    return (PUCHAR)ReturnAddress - 1;
}

/* With no kernel debugger attached, a breakpoint is an ordinary exception: a driver's __except
 * may handle it; unhandled, it is bug check 0x1E with STATUS_BREAKPOINT at the caller. */
static VOID KdpRaiseBreak(NTSTATUS Code, PVOID Address, ULONG_PTR Information)
{
    EXCEPTION_RECORD Record;
    CONTEXT Context;
    memset(&Record, 0, sizeof(Record));
    RtlCaptureContext(&Context);
    Context.Rip = (ULONG64)(ULONG_PTR)Address + 1; /* execution goes on after the call */
    Record.ExceptionCode = Code;
    Record.ExceptionAddress = Address;
    Record.NumberParameters = 1;
    Record.ExceptionInformation[0] = Information; /* BREAKPOINT_BREAK */
    if (!RtlpDispatchException(&Record, &Context))
        RtlpUnhandledException(&Record, &Context);
    /* A filter said EXCEPTION_CONTINUE_EXECUTION: go on after the breakpoint. */
}

VOID DbgBreakPoint(VOID)
{
    KdpLog("ntk: DbgBreakPoint at %p with no kernel debugger attached\n",
           __builtin_return_address(0));
    KdpRaiseBreak(STATUS_BREAKPOINT, KdpCallSite(__builtin_return_address(0)), 0);
}

VOID DbgBreakPointWithStatus(ULONG Status)
{
    KdpLog("ntk: DbgBreakPointWithStatus(0x%08X) at %p with no kernel debugger attached\n",
           (unsigned)Status, __builtin_return_address(0));
    KdpRaiseBreak(STATUS_BREAKPOINT, KdpCallSite(__builtin_return_address(0)), Status);
}

/* ASSERT: the assertion text goes to the log first, then the breakpoint a debugger would
 * stop at; with none attached that is bug check 0x1E (STATUS_BREAKPOINT). */
VOID RtlAssert(PVOID VoidFailedAssertion, PVOID VoidFileName, ULONG LineNumber,
               PSTR MutableMessage)
{
    KdpLog("\n*** Assertion failed: %s%s\n***   Source File: %s, line %u\n\n",
           MutableMessage ? MutableMessage : "", (PCSTR)VoidFailedAssertion, (PCSTR)VoidFileName,
           (unsigned)LineNumber);
    KdpRaiseBreak(STATUS_BREAKPOINT, KdpCallSite(__builtin_return_address(0)), 0);
}

/* NT_ASSERT's failure: the same text, then STATUS_ASSERTION_FAILURE raised at the caller, as
 * the WDK's NT_ASSERT does; unhandled, bug check 0x1E with that code. */
NTK_EXPORT VOID KdpAssertionFailure(PCSTR Expression, PCSTR FileName, ULONG LineNumber)
{
    KdpLog("\n*** Assertion failed: %s\n***   Source File: %s, line %u\n\n", Expression,
           FileName, (unsigned)LineNumber);
    KdpRaiseBreak(STATUS_ASSERTION_FAILURE, KdpCallSite(__builtin_return_address(0)), 0);
}
