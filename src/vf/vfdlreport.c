/* Vf: the deadlock detector's report, in the spirit of !deadlock: which threads took which
 * locks in which order, then the stack of each acquisition (the inverting one, and each of
 * the earlier ones it inverts), symbolized with the loaded images' symbols. */
#include "vfdlp.h"
#include "vfdeadlock.h"
#include "kdp.h"
#include <dlfcn.h>
#include <execinfo.h>
#include <stdio.h>
#include <string.h>

static PCSTR VfLockTypeName(UCHAR Type)
{
    switch (Type) {
    case VfLockSpin:
        return "Spinlock";
    case VfLockQueuedSpin:
        return "QueuedSpinlock";
    case VfLockRwSpin:
        return "ReaderWriterSpinlock";
    case VfLockMutex:
        return "Mutex";
    case VfLockFastMutex:
        return "FastMutex";
    case VfLockGuardedMutex:
        return "GuardedMutex";
    case VfLockResource:
        return "Resource";
    default:
        return "Lock";
    }
}

static PCSTR VfBaseName(PCSTR Path)
{
    PCSTR Slash = Path ? strrchr(Path, '/') : NULL;
    return Slash ? Slash + 1 : (Path ? Path : "?");
}

/* The host's symbolizer (the ntk command's), which knows static functions and source lines;
 * prepared once, at the first report. */
static BOOLEAN VfSymbolsReady;

static BOOLEAN VfHostSymbolize(const VOID *Address, char *Buffer, size_t Size)
{
    const KD_DEBUG_HOOKS *Hooks = KdpDebugHooks();
    KD_SYMBOL Symbol;
    PCSTR File;
    if (Hooks->Symbolize == NULL)
        return FALSE;
    if (!VfSymbolsReady && Hooks->Prepare != NULL)
        Hooks->Prepare();
    VfSymbolsReady = TRUE;
    if (!Hooks->Symbolize((ULONG_PTR)Address, FALSE, &Symbol) || Symbol.Function[0] == 0)
        return FALSE;
    File = strrchr(Symbol.File, '/') ? strrchr(Symbol.File, '/') + 1 : Symbol.File;
    if (File[0] != 0)
        snprintf(Buffer, Size, "%.48s!%.80s+0x%lx (%.40s:%u)", Symbol.Module, Symbol.Function,
                 (unsigned long)Symbol.FunctionOffset, File, (unsigned)Symbol.Line);
    else
        snprintf(Buffer, Size, "%.48s!%.80s+0x%lx", Symbol.Module, Symbol.Function,
                 (unsigned long)Symbol.FunctionOffset);
    return TRUE;
}

/* "module!symbol+0xN (file:line)", "module+0xN" or the bare address. Address is an address
 * inside the instruction (a return address less one). */
static PCSTR VfDescribe(const VOID *Address, char *Buffer, size_t Size)
{
    Dl_info Info;
    if (Address != NULL && VfHostSymbolize(Address, Buffer, Size))
        return Buffer;
    if (Address != NULL && dladdr(Address, &Info) && Info.dli_fname != NULL) {
        if (Info.dli_sname != NULL && Info.dli_saddr != NULL)
            snprintf(Buffer, Size, "%s!%s+0x%lx", VfBaseName(Info.dli_fname), Info.dli_sname,
                     (unsigned long)((ULONG_PTR)Address - (ULONG_PTR)Info.dli_saddr));
        else
            snprintf(Buffer, Size, "%s+0x%lx", VfBaseName(Info.dli_fname),
                     (unsigned long)((ULONG_PTR)Address - (ULONG_PTR)Info.dli_fbase));
    } else {
        snprintf(Buffer, Size, "%p", Address);
    }
    return Buffer;
}

/* The lock's name: its symbol when it is a global of an image, else its address. */
static PCSTR VfDescribeLock(PVF_NODE Node, char *Buffer, size_t Size)
{
    char Where[160];
    const KD_DEBUG_HOOKS *Hooks = KdpDebugHooks();
    KD_SYMBOL Symbol;
    Dl_info Info;
    if (Hooks->Symbolize != NULL && VfSymbolsReady &&
        Hooks->Symbolize((ULONG_PTR)Node->Lock, FALSE, &Symbol) && Symbol.Function[0] != 0 &&
        Symbol.FunctionOffset == 0) {
        snprintf(Buffer, Size, "%.48s!%.80s (%p) Type '%s'", Symbol.Module, Symbol.Function,
                 Node->Lock, VfLockTypeName(Node->Type));
        return Buffer;
    }
    if (dladdr(Node->Lock, &Info) && Info.dli_sname != NULL && Info.dli_saddr == Node->Lock)
        snprintf(Buffer, Size, "%s!%s (%p) Type '%s'", VfBaseName(Info.dli_fname),
                 Info.dli_sname, Node->Lock, VfLockTypeName(Node->Type));
    else
        snprintf(Buffer, Size, "%s Type '%s'", (VfDescribe(Node->Lock, Where, sizeof(Where)),
                 Where), VfLockTypeName(Node->Type));
    return Buffer;
}

static BOOLEAN VfInKernel(PVOID Frame, const Dl_info *Self)
{
    Dl_info Info;
    return dladdr(Frame, &Info) && Info.dli_fbase == Self->dli_fbase;
}

/* The frames below the verifier and the DDI: from the first frame outside libntk that
 * follows a libntk frame (a sanitizer's backtrace interceptor may come first). */
static VOID VfLogStack(PVOID const *Frames, ULONG Count)
{
    Dl_info Self;
    char Text[200];
    ULONG i = 0, Shown = 0;
    if (!dladdr((PVOID)VfLogStack, &Self))
        Self.dli_fbase = NULL;
    while (i < Count && !VfInKernel(Frames[i], &Self))
        i++;
    while (i < Count && VfInKernel(Frames[i], &Self))
        i++;
    if (i == Count)
        i = 0;
    for (; i < Count; i++)
        KdpLog("ntk: verifier:     #%u %s\n", Shown++,
               VfDescribe((PCHAR)Frames[i] - 1, Text, sizeof(Text)));
    if (Shown == 0)
        KdpLog("ntk: verifier:     (no frames outside the kernel)\n");
}

VOID VfReportInversion(PVF_NODE Held, PVF_NODE Acquired, PVOID HeldCaller, PVOID Caller)
{
    char A[200], B[200], C[200], D[200];
    PVOID Frames[VF_STACK_FRAMES];
    ULONG Count = (ULONG)backtrace(Frames, VF_STACK_FRAMES), Locks = 1;
    PVF_EDGE Edge;

    for (Edge = Held->Via; Edge != NULL; Edge = Edge->From->Via)
        Locks++;
    VfDescribe(Caller, C, sizeof(C)); /* prepares the host's symbols */
    KdpLog("ntk: verifier: deadlock detected: lock hierarchy violation (%u locks)\n", Locks);
    KdpLog("ntk: verifier:   thread %p acquires %s at %s\n", KeGetCurrentThread(),
           VfDescribeLock(Acquired, A, sizeof(A)), VfDescribe((PCHAR)Caller - 1, C, sizeof(C)));
    KdpLog("ntk: verifier:   while holding %s, acquired at %s\n",
           VfDescribeLock(Held, B, sizeof(B)), VfDescribe((PCHAR)HeldCaller - 1, D, sizeof(D)));
    KdpLog("ntk: verifier:   stack of this acquisition:\n");
    VfLogStack(Frames, Count);
    /* The path was found from Acquired to Held: Via leads back from Held to Acquired. */
    for (Edge = Held->Via; Edge != NULL; Edge = Edge->From->Via) {
        KdpLog("ntk: verifier:   earlier, thread %p acquired %s at %s\n", Edge->Thread,
               VfDescribeLock(Edge->To, A, sizeof(A)),
               VfDescribe((PCHAR)Edge->Caller - 1, C, sizeof(C)));
        KdpLog("ntk: verifier:   while holding %s, acquired at %s\n",
               VfDescribeLock(Edge->From, B, sizeof(B)),
               VfDescribe((PCHAR)Edge->FromCaller - 1, D, sizeof(D)));
        KdpLog("ntk: verifier:   stack of that acquisition:\n");
        VfLogStack(Edge->Stack, Edge->Frames);
    }
}
