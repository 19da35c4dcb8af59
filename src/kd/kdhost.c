/* Kd: what the host tells the kernel about debugging: where the crash dump goes, which bug
 * check a test expects, which images are drivers, and the unwinder and symbolizer to use. */
#include "ntkp.h"
#include "kdp.h"
#include "rtlp.h"
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define KD_MAX_NOTED_IMAGES 64

static CHAR KdpDumpPath[PATH_MAX];
static BOOLEAN KdpDumpDisabled;
static ULONG KdpExpected;
static BOOLEAN KdpExpectedSet;
static KD_DEBUG_HOOKS KdpHooks;
static struct {
    CHAR Path[PATH_MAX];
    ULONG Kind;
} KdpImages[KD_MAX_NOTED_IMAGES];
static ULONG KdpImageCount;

VOID KdpSetDumpFile(PCSTR Path)
{
    KdpDumpDisabled = Path == NULL || strcmp(Path, "none") == 0;
    if (!KdpDumpDisabled)
        RtlpFormatA(KdpDumpPath, sizeof(KdpDumpPath), "%s", Path);
}

/* NULL when no dump is wanted; the default is ./ntk-crash.dump, replaced by each new dump as
 * Windows replaces MEMORY.DMP. */
PCSTR KdpDumpFile(VOID)
{
    if (KdpDumpDisabled)
        return NULL;
    if (KdpDumpPath[0] == 0)
        RtlpFormatA(KdpDumpPath, sizeof(KdpDumpPath), "ntk-crash.dump");
    return KdpDumpPath;
}

VOID KdpSetExpectedBugCheck(ULONG Code)
{
    KdpExpected = Code;
    KdpExpectedSet = TRUE;
}

ULONG KdpExpectedBugCheck(BOOLEAN *Set)
{
    *Set = KdpExpectedSet;
    return KdpExpected;
}

VOID KdpNoteImage(PCSTR Path, ULONG Kind)
{
    CHAR Real[PATH_MAX];
    if (KdpImageCount == KD_MAX_NOTED_IMAGES || Path == NULL)
        return;
    /* /proc/self/maps names images by their real path. */
    if (realpath(Path, Real) == NULL)
        RtlpFormatA(Real, sizeof(Real), "%s", Path);
    RtlpFormatA(KdpImages[KdpImageCount].Path, PATH_MAX, "%s", Real);
    KdpImages[KdpImageCount].Kind = Kind;
    KdpImageCount++;
}

ULONG KdpImageKind(PCSTR Path)
{
    ULONG i;
    for (i = 0; i < KdpImageCount; i++)
        if (strcmp(KdpImages[i].Path, Path) == 0)
            return KdpImages[i].Kind;
    return 0;
}

VOID KdpSetDebugHooks(const KD_DEBUG_HOOKS *Hooks)
{
    if (Hooks)
        KdpHooks = *Hooks;
    else
        memset(&KdpHooks, 0, sizeof(KdpHooks));
}

const KD_DEBUG_HOOKS *KdpDebugHooks(VOID)
{
    return &KdpHooks;
}

/* The last unhandled exception's context, kept for the dump. */
static struct {
    pid_t Tid;
    EXCEPTION_RECORD Record;
    KD_REGISTERS Registers;
} KdpException;

VOID KdpNoteExceptionContext(const EXCEPTION_RECORD *Record, const CONTEXT *Context)
{
    KdpException.Tid = KiCurrentThread ? KiCurrentThread->LinuxTid : 0;
    if (Record)
        KdpException.Record = *Record;
    if (Context) {
        ULONG64 *r = KdpException.Registers.Value;
        r[0] = Context->Rax;
        r[1] = Context->Rdx;
        r[2] = Context->Rcx;
        r[3] = Context->Rbx;
        r[4] = Context->Rsi;
        r[5] = Context->Rdi;
        r[6] = Context->Rbp;
        r[7] = Context->Rsp;
        r[8] = Context->R8;
        r[9] = Context->R9;
        r[10] = Context->R10;
        r[11] = Context->R11;
        r[12] = Context->R12;
        r[13] = Context->R13;
        r[14] = Context->R14;
        r[15] = Context->R15;
        r[16] = Context->Rip;
    }
}

/* The exception context noted by this thread, if any. */
BOOLEAN KdpNotedException(pid_t Tid, PEXCEPTION_RECORD Record, PKD_REGISTERS Registers)
{
    if (KdpException.Tid == 0 || KdpException.Tid != Tid)
        return FALSE;
    *Record = KdpException.Record;
    *Registers = KdpException.Registers;
    return TRUE;
}
