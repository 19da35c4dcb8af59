/* Kd: DbgPrint and friends. Output goes to the kernel debug log (stderr unless the host says
 * otherwise), one write per message, filtered per component and level as Windows does; ntk
 * shows every level by default, as if the Debug Print Filter allowed all. The last lines are
 * kept for crash reports. */
#include "ntkp.h"
#include "rtlp.h"
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

VOID KdpSetOutput(int Fd)
{
    KdpOutputFd = Fd;
}

VOID KdpSetFilterAll(BOOLEAN ShowAll)
{
    /* Without ShowAll, Windows' default: only DPFLTR_ERROR_LEVEL messages. */
    KdpWin2000Mask = ShowAll ? 0xFFFFFFFF : 1;
}

static VOID KdpWrite(const char *Text, size_t Length)
{
    pthread_mutex_lock(&KdpLock);
    while (Length > 0) {
        ssize_t Done = write(KdpOutputFd, Text, Length);
        if (Done <= 0)
            break;
        Text += Done;
        Length -= (size_t)Done;
    }
    pthread_mutex_unlock(&KdpLock);
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

/* With no kernel debugger attached, a breakpoint in kernel mode is an unhandled exception. */
VOID DbgBreakPoint(VOID)
{
    KeBugCheckEx(KMODE_EXCEPTION_NOT_HANDLED, (ULONG)STATUS_BREAKPOINT,
                 (ULONG_PTR)__builtin_return_address(0), 0, 0);
}

VOID DbgBreakPointWithStatus(ULONG Status)
{
    UNREFERENCED_PARAMETER(Status);
    KeBugCheckEx(KMODE_EXCEPTION_NOT_HANDLED, (ULONG)STATUS_BREAKPOINT,
                 (ULONG_PTR)__builtin_return_address(0), 0, 0);
}

VOID RtlAssert(PVOID VoidFailedAssertion, PVOID VoidFileName, ULONG LineNumber,
               PSTR MutableMessage)
{
    KdpLog("\n*** Assertion failed: %s%s\n***   Source File: %s, line %u\n\n",
           MutableMessage ? MutableMessage : "", (PCSTR)VoidFailedAssertion, (PCSTR)VoidFileName,
           (unsigned)LineNumber);
    KeBugCheckEx(KMODE_EXCEPTION_NOT_HANDLED, (ULONG)STATUS_BREAKPOINT,
                 (ULONG_PTR)__builtin_return_address(0), 0, 0);
}
