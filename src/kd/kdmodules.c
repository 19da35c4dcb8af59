/* Kd: the images in the process (from /proc/self/maps, which takes no lock), stack walks and
 * symbols for the crash dump. The ntk command supplies a DWARF unwinder and symbolizer
 * (libdw); without them a frame-pointer walk and image+offset are what the dump gets. A hook
 * that faults or hangs (a lock held by a frozen thread) is dropped for the rest of the dump. */
#include "kddump.h"
#include "rtlp.h"
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#define KD_HOOK_TIMEOUT_MS 5000

KD_MODULE KdpModules[KD_MAX_MODULES];
ULONG KdpModuleCount;
static BOOLEAN KdpHooksBroken;

static BOOLEAN KdpEndsWith(PCSTR Text, PCSTR Suffix)
{
    SIZE_T a = strlen(Text), b = strlen(Suffix);
    return a >= b && memcmp(Text + a - b, Suffix, b) == 0;
}

static ULONG KdpClassify(PCSTR Path, PCSTR Executable)
{
    ULONG Noted = KdpImageKind(Path);
    PCSTR Name = strrchr(Path, '/');
    Name = Name ? Name + 1 : Path;
    if (Noted)
        return Noted;
    if (strncmp(Name, "libntk-user.so", 14) == 0)
        return KD_KIND_USERLIB;
    if (strncmp(Name, "libntk.so", 9) == 0)
        return KD_KIND_KERNEL;
    if (strcmp(Path, Executable) == 0)
        return KD_KIND_HOST;
    if (strncmp(Path, "/usr/", 5) == 0 || strncmp(Path, "/lib", 4) == 0)
        return KD_KIND_SYSTEM;
    return KdpEndsWith(Name, ".so") ? KD_KIND_OTHER : KD_KIND_SYSTEM;
}

static ULONG_PTR KdpParseHex(PCSTR *Text)
{
    ULONG_PTR Value = 0;
    for (;; (*Text)++) {
        CHAR c = **Text;
        if (c >= '0' && c <= '9')
            Value = Value * 16 + (ULONG_PTR)(c - '0');
        else if (c >= 'a' && c <= 'f')
            Value = Value * 16 + (ULONG_PTR)(c - 'a' + 10);
        else
            return Value;
    }
}

/* The module whose mapping the previous line of the maps was: the anonymous read/write mapping
 * right after an image's last one is its .bss (zero-filled globals past the file's pages). */
static LONG KdpPreviousModule = -1;

static VOID KdpAddMapping(PCSTR Line, PCSTR Executable)
{
    ULONG_PTR Start, End, Offset;
    PCSTR p = Line, Path, Permissions;
    LONG Previous = KdpPreviousModule;
    ULONG i;
    KdpPreviousModule = -1;
    Start = KdpParseHex(&p);
    if (*p++ != '-')
        return;
    End = KdpParseHex(&p);
    while (*p == ' ')
        p++;
    Permissions = p;
    p += 4;
    while (*p == ' ')
        p++;
    Offset = KdpParseHex(&p);
    Path = strchr(p, '/');
    if (Path == NULL) {
        if (Previous >= 0 && Start == KdpModules[Previous].End && strchr(p, '[') == NULL &&
            strncmp(Permissions, "rw-p", 4) == 0)
            KdpModules[Previous].End = End;
        return;
    }
    for (i = 0; i < KdpModuleCount; i++) {
        if (strcmp(KdpModules[i].Path, Path) == 0) {
            if (Start < KdpModules[i].Base && Offset == 0)
                KdpModules[i].Base = Start;
            if (End > KdpModules[i].End)
                KdpModules[i].End = End;
            KdpPreviousModule = (LONG)i;
            return;
        }
    }
    if (KdpModuleCount == KD_MAX_MODULES || Offset != 0)
        return;
    KdpPreviousModule = (LONG)i;
    RtlpFormatA(KdpModules[i].Path, sizeof(KdpModules[i].Path), "%s", Path);
    KdpModules[i].Name = strrchr(KdpModules[i].Path, '/') + 1;
    KdpModules[i].Base = Start;
    KdpModules[i].End = End;
    KdpModules[i].Kind = KdpClassify(KdpModules[i].Path, Executable);
    KdpModuleCount++;
}

VOID KdpLoadModules(VOID)
{
    static CHAR Executable[256];
    CHAR Chunk[4096], Line[512];
    SIZE_T LineLength = 0;
    ssize_t Got, i;
    int Fd;
    ssize_t n = readlink("/proc/self/exe", Executable, sizeof(Executable) - 1);
    Executable[n > 0 ? n : 0] = 0;
    KdpModuleCount = 0;
    KdpPreviousModule = -1;
    Fd = open("/proc/self/maps", O_RDONLY | O_CLOEXEC);
    if (Fd < 0)
        return;
    while ((Got = read(Fd, Chunk, sizeof(Chunk))) > 0) {
        for (i = 0; i < Got; i++) {
            if (Chunk[i] == '\n') {
                Line[LineLength] = 0;
                KdpAddMapping(Line, Executable);
                LineLength = 0;
            } else if (LineLength < sizeof(Line) - 1) {
                Line[LineLength++] = Chunk[i];
            }
        }
    }
    close(Fd);
}

const KD_MODULE *KdpFindModule(ULONG_PTR Address)
{
    ULONG i;
    for (i = 0; i < KdpModuleCount; i++)
        if (Address >= KdpModules[i].Base && Address < KdpModules[i].End)
            return &KdpModules[i];
    return NULL;
}

PCSTR KdpKindName(ULONG Kind)
{
    static PCSTR const Names[] = { "other", "driver", "program", "kernel", "userlib", "host",
                                   "system" };
    return Kind < sizeof(Names) / sizeof(Names[0]) ? Names[Kind] : "other";
}

/* Code a driver writer owns: a driver, or a shared object ntk did not load itself. */
BOOLEAN KdpIsCulpritKind(ULONG Kind)
{
    return Kind == KD_KIND_DRIVER || Kind == KD_KIND_OTHER;
}

VOID KdpWriteModules(KDJ_WRITER *Writer)
{
    ULONG i;
    KdjBeginArray(Writer, "modules");
    for (i = 0; i < KdpModuleCount; i++) {
        KdjBeginObject(Writer, NULL);
        KdjString(Writer, "name", KdpModules[i].Name);
        KdjString(Writer, "path", KdpModules[i].Path);
        KdjString(Writer, "kind", KdpKindName(KdpModules[i].Kind));
        KdjHex(Writer, "base", KdpModules[i].Base);
        KdjHex(Writer, "end", KdpModules[i].End);
        KdjEnd(Writer);
    }
    KdjEnd(Writer);
}

/* ---- Hooks, protected ---- */

static VOID KdpCallPrepare(PVOID Context)
{
    (void)Context;
    KdpDebugHooks()->Prepare();
}

VOID KdpPrepareSymbols(VOID)
{
    const KD_DEBUG_HOOKS *Hooks = KdpDebugHooks();
    if (Hooks->Prepare && KdpProtect("preparing symbols", 15000, KdpCallPrepare, NULL) != 0)
        KdpHooksBroken = TRUE;
}

typedef struct _KD_UNWIND_CALL {
    const KD_REGISTERS *Registers;
    KD_STACK *Stack;
} KD_UNWIND_CALL;

static VOID KdpCallUnwind(PVOID Context)
{
    KD_UNWIND_CALL *Call = Context;
    Call->Stack->Count = KdpDebugHooks()->Unwind(Call->Registers, Call->Stack->Pc,
                                                 Call->Stack->Activation, KD_MAX_FRAMES);
}

/* Without a DWARF unwinder: follow saved frame pointers while they look sane. */
static VOID KdpFramePointerWalk(const KD_REGISTERS *Registers, KD_STACK *Stack)
{
    ULONG_PTR Fp = Registers->Value[KD_REG_RBP], Sp = Registers->Value[KD_REG_RSP];
    Stack->Count = 0;
    Stack->Pc[Stack->Count] = Registers->Value[KD_REG_RIP];
    Stack->Activation[Stack->Count++] = TRUE;
    while (Stack->Count < KD_MAX_FRAMES && Fp > Sp && (Fp & 7) == 0 && Fp - Sp < (64u << 20)) {
        ULONG_PTR Pair[2];
        if (!KdpSafeRead(Fp, Pair, sizeof(Pair)) || Pair[1] < 0x10000)
            break;
        Stack->Pc[Stack->Count] = Pair[1];
        Stack->Activation[Stack->Count++] = FALSE;
        Sp = Fp;
        Fp = Pair[0];
    }
}

VOID KdpUnwind(const KD_REGISTERS *Registers, KD_STACK *Stack)
{
    const KD_DEBUG_HOOKS *Hooks = KdpDebugHooks();
    KD_UNWIND_CALL Call = { Registers, Stack };
    Stack->Count = 0;
    if (Hooks->Unwind && !KdpHooksBroken) {
        ULONG Reason = KdpProtect("unwinding a stack", KD_HOOK_TIMEOUT_MS, KdpCallUnwind, &Call);
        if (Reason == 0 && Stack->Count > 0)
            return;
        if (Reason != 0)
            KdpHooksBroken = TRUE;
    }
    KdpFramePointerWalk(Registers, Stack);
}

typedef struct _KD_SYMBOLIZE_CALL {
    ULONG_PTR Pc;
    BOOLEAN ReturnAddress;
    PKD_SYMBOL Symbol;
    BOOLEAN Found;
} KD_SYMBOLIZE_CALL;

static VOID KdpCallSymbolize(PVOID Context)
{
    KD_SYMBOLIZE_CALL *Call = Context;
    Call->Found = KdpDebugHooks()->Symbolize(Call->Pc, Call->ReturnAddress, Call->Symbol);
}

BOOLEAN KdpSymbolize(ULONG_PTR Pc, BOOLEAN ReturnAddress, PKD_SYMBOL Symbol)
{
    const KD_DEBUG_HOOKS *Hooks = KdpDebugHooks();
    const KD_MODULE *Module = KdpFindModule(Pc);
    KD_SYMBOLIZE_CALL Call = { Pc, ReturnAddress, Symbol, FALSE };
    memset(Symbol, 0, sizeof(*Symbol));
    if (Hooks->Symbolize && !KdpHooksBroken) {
        ULONG Reason = KdpProtect("looking up a symbol", KD_HOOK_TIMEOUT_MS, KdpCallSymbolize,
                                  &Call);
        if (Reason != 0)
            KdpHooksBroken = TRUE;
        else if (Call.Found)
            return TRUE;
        memset(Symbol, 0, sizeof(*Symbol));
    }
    if (Module == NULL)
        return FALSE;
    RtlpFormatA(Symbol->Module, sizeof(Symbol->Module), "%s", Module->Name);
    RtlpFormatA(Symbol->Path, sizeof(Symbol->Path), "%s", Module->Path);
    Symbol->ModuleBase = Module->Base;
    return TRUE;
}

VOID KdpWriteLocation(KDJ_WRITER *Writer, ULONG_PTR Address, BOOLEAN ReturnAddress)
{
    KD_SYMBOL Symbol;
    const KD_MODULE *Module = KdpFindModule(Address);
    BOOLEAN Found = KdpSymbolize(Address, ReturnAddress, &Symbol);
    KdjHex(Writer, "address", Address);
    if (!Found && Module == NULL) {
        KdjNull(Writer, "module");
        return;
    }
    KdjString(Writer, "module", Module ? Module->Name : Symbol.Module);
    KdjString(Writer, "kind", KdpKindName(Module ? Module->Kind : KD_KIND_OTHER));
    KdjHex(Writer, "offset", Address - (Module ? Module->Base : Symbol.ModuleBase));
    if (Symbol.Function[0]) {
        KdjString(Writer, "function", Symbol.Function);
        KdjHex(Writer, "function_offset", Symbol.FunctionOffset);
    }
    if (Symbol.File[0]) {
        KdjString(Writer, "file", Symbol.File);
        KdjUnsigned(Writer, "line", Symbol.Line);
    }
    if (Symbol.InlineFile[0]) {
        KdjString(Writer, "inline_file", Symbol.InlineFile);
        KdjUnsigned(Writer, "inline_line", Symbol.InlineLine);
    }
}

VOID KdpWriteStack(KDJ_WRITER *Writer, PCSTR Key, const KD_STACK *Stack)
{
    ULONG i;
    KdjBeginArray(Writer, Key);
    for (i = 0; i < Stack->Count; i++) {
        KdjBeginObject(Writer, NULL);
        KdpWriteLocation(Writer, Stack->Pc[i], !Stack->Activation[i]);
        KdjEnd(Writer);
    }
    KdjEnd(Writer);
}

SIZE_T KdpReadString(ULONG_PTR Address, PCHAR Out, SIZE_T Capacity)
{
    SIZE_T n = 0;
    if (Capacity == 0)
        return 0;
    while (n + 1 < Capacity && KdpSafeRead(Address + n, &Out[n], 1) && Out[n] != 0)
        n++;
    Out[n] = 0;
    return n;
}
