/* The ntk command's unwinder and symbolizer for crash dumps, over elfutils' libdwfl: the
 * process's own images are reported from /proc/self/maps, stacks are unwound from the
 * registers the kernel captured (DWARF CFI, frame pointers where there is none) reading memory
 * through KdpSafeRead, and addresses get function, file and line from each image's debug
 * information. No ptrace: the thread states are given, not attached to. */
#include "ntk_analyze.h"
#include <dwarf.h>
#include <elfutils/libdw.h>
#include <elfutils/libdwfl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static Dwfl *NtkDwfl;
static const KD_REGISTERS *NtkUnwindRegisters;
static char *NtkDebugInfoPath;

static const Dwfl_Callbacks NtkProcessCallbacks = {
    .find_elf = dwfl_linux_proc_find_elf,
    .find_debuginfo = dwfl_standard_find_debuginfo,
    .debuginfo_path = &NtkDebugInfoPath,
};

static pid_t NtkNextThread(Dwfl *Session, void *Argument, void **ThreadArgument)
{
    (void)Session;
    (void)Argument;
    if (*ThreadArgument != NULL)
        return 0;
    *ThreadArgument = (void *)1;
    return getpid();
}

static bool NtkGetThread(Dwfl *Session, pid_t Tid, void *Argument, void **ThreadArgument)
{
    (void)Session;
    (void)Tid;
    (void)Argument;
    *ThreadArgument = (void *)1;
    return true;
}

static bool NtkReadMemory(Dwfl *Session, Dwarf_Addr Address, Dwarf_Word *Result, void *Argument)
{
    (void)Session;
    (void)Argument;
    return KdpSafeRead((ULONG_PTR)Address, Result, sizeof(*Result));
}

static bool NtkInitialRegisters(Dwfl_Thread *Thread, void *Argument)
{
    Dwarf_Word Registers[KD_REGISTER_COUNT];
    int i;
    (void)Argument;
    for (i = 0; i < KD_REGISTER_COUNT; i++)
        Registers[i] = NtkUnwindRegisters->Value[i];
    if (!dwfl_thread_state_registers(Thread, 0, KD_REGISTER_COUNT, Registers))
        return false;
    dwfl_thread_state_register_pc(Thread, NtkUnwindRegisters->Value[KD_REG_RIP]);
    return true;
}

static const Dwfl_Thread_Callbacks NtkThreadCallbacks = {
    .next_thread = NtkNextThread,
    .get_thread = NtkGetThread,
    .memory_read = NtkReadMemory,
    .set_initial_registers = NtkInitialRegisters,
};

static VOID NtkPrepare(VOID)
{
    if (NtkDwfl != NULL)
        dwfl_end(NtkDwfl);
    NtkDwfl = dwfl_begin(&NtkProcessCallbacks);
    if (NtkDwfl == NULL)
        return;
    dwfl_report_begin(NtkDwfl);
    if (dwfl_linux_proc_report(NtkDwfl, getpid()) != 0 ||
        dwfl_report_end(NtkDwfl, NULL, NULL) != 0) {
        dwfl_end(NtkDwfl);
        NtkDwfl = NULL;
        return;
    }
    if (!dwfl_attach_state(NtkDwfl, NULL, getpid(), &NtkThreadCallbacks, NULL))
        fprintf(stderr, "ntk: stacks cannot be unwound: %s\n", dwfl_errmsg(-1));
}

typedef struct _NTK_FRAMES {
    ULONG_PTR *Pcs;
    BOOLEAN *Activation;
    ULONG Count, Max;
} NTK_FRAMES;

static int NtkFrame(Dwfl_Frame *Frame, void *Argument)
{
    NTK_FRAMES *Frames = Argument;
    Dwarf_Addr Pc;
    bool Activation;
    if (!dwfl_frame_pc(Frame, &Pc, &Activation) || Pc == 0)
        return DWARF_CB_ABORT;
    Frames->Pcs[Frames->Count] = (ULONG_PTR)Pc;
    Frames->Activation[Frames->Count] = Activation || Frames->Count == 0;
    Frames->Count++;
    return Frames->Count < Frames->Max ? DWARF_CB_OK : DWARF_CB_ABORT;
}

static ULONG NtkUnwind(const KD_REGISTERS *Registers, ULONG_PTR *Pcs, BOOLEAN *Activation,
                       ULONG Max)
{
    NTK_FRAMES Frames = { Pcs, Activation, 0, Max };
    if (NtkDwfl == NULL || Max == 0)
        return 0;
    NtkUnwindRegisters = Registers;
    /* The walk ends with an error where the stack ends; the frames until then are good. */
    (void)dwfl_getthread_frames(NtkDwfl, getpid(), NtkFrame, &Frames);
    return Frames.Count;
}

static VOID NtkCopy(PCHAR Out, SIZE_T Capacity, const char *Text)
{
    SIZE_T n = 0;
    while (Text && Text[n] && n + 1 < Capacity) {
        Out[n] = Text[n];
        n++;
    }
    Out[n] = 0;
}

/* The compilation unit covering Address. libdw finds it through .debug_aranges, which clang
 * does not emit by default: then each unit's own ranges are searched. */
static Dwarf_Die *NtkFindUnit(Dwfl_Module *Module, Dwarf_Addr Address, Dwarf_Addr *Bias)
{
    Dwarf_Die *Unit = dwfl_module_addrdie(Module, Address, Bias);
    if (Unit != NULL)
        return Unit;
    for (Unit = dwfl_module_nextcu(Module, NULL, Bias); Unit != NULL;
         Unit = dwfl_module_nextcu(Module, Unit, Bias))
        if (dwarf_haspc(Unit, Address - *Bias) > 0)
            return Unit;
    return NULL;
}

/* clang marks code it merged from several places with line 0: take the closest line before. */
static VOID NtkNearestLine(Dwfl_Module *Module, Dwarf_Addr Address, PKD_SYMBOL Symbol)
{
    Dwarf_Addr Bias = 0, Best = 0;
    Dwarf_Die *Unit = NtkFindUnit(Module, Address, &Bias);
    Dwarf_Lines *Lines;
    const char *File = NULL;
    size_t Count, i;
    int Line = 0;
    if (Unit == NULL || dwarf_getsrclines(Unit, &Lines, &Count) != 0)
        return;
    for (i = 0; i < Count; i++) {
        Dwarf_Line *Entry = dwarf_onesrcline(Lines, i);
        Dwarf_Addr At;
        int Number;
        if (Entry && dwarf_lineaddr(Entry, &At) == 0 && At <= Address - Bias && At >= Best &&
            dwarf_lineno(Entry, &Number) == 0 && Number != 0) {
            Best = At;
            Line = Number;
            File = dwarf_linesrc(Entry, NULL, NULL);
        }
    }
    if (File && Line) {
        NtkCopy(Symbol->File, sizeof(Symbol->File), File);
        Symbol->Line = (ULONG)Line;
    }
}

/* Source details from the DWARF scopes at Address: code inlined from a header gets the line of
 * the call in the function's own file (the inline location is kept as InlineFile/InlineLine),
 * and a function's entry gets the line that declares it. */
static VOID NtkSourceDetails(Dwfl_Module *Module, Dwarf_Addr Address, BOOLEAN Entry,
                             PKD_SYMBOL Symbol)
{
    Dwarf_Addr Bias = 0;
    Dwarf_Die *Cu = NtkFindUnit(Module, Address, &Bias), *Scopes = NULL;
    int Count, i, Outer = -1, Function = -1;
    if (Cu == NULL || (Count = dwarf_getscopes(Cu, Address - Bias, &Scopes)) <= 0)
        return;
    for (i = 0; i < Count; i++) {
        int Tag = dwarf_tag(&Scopes[i]);
        if (Tag == DW_TAG_inlined_subroutine)
            Outer = i;
        else if (Tag == DW_TAG_subprogram) {
            Function = i;
            break;
        }
    }
    if (Entry && Function >= 0 && Outer < 0) {
        int Line = 0;
        const char *File = dwarf_decl_file(&Scopes[Function]);
        if (File && dwarf_decl_line(&Scopes[Function], &Line) == 0) {
            NtkCopy(Symbol->File, sizeof(Symbol->File), File);
            Symbol->Line = (ULONG)Line;
        }
    } else if (Outer >= 0) {
        Dwarf_Attribute Attribute;
        Dwarf_Word CallLine = 0, CallFile = 0;
        Dwarf_Files *Files;
        size_t FileCount;
        const char *File;
        if (dwarf_formudata(dwarf_attr(&Scopes[Outer], DW_AT_call_line, &Attribute), &CallLine) ==
                0 &&
            dwarf_formudata(dwarf_attr(&Scopes[Outer], DW_AT_call_file, &Attribute), &CallFile) ==
                0 &&
            dwarf_getsrcfiles(Cu, &Files, &FileCount) == 0 && CallFile < FileCount &&
            (File = dwarf_filesrc(Files, CallFile, NULL, NULL)) != NULL) {
            NtkCopy(Symbol->InlineFile, sizeof(Symbol->InlineFile), Symbol->File);
            Symbol->InlineLine = Symbol->Line;
            NtkCopy(Symbol->File, sizeof(Symbol->File), File);
            Symbol->Line = (ULONG)CallLine;
        }
    }
    free(Scopes);
}

/* The maps report an image's ranges backed by its file; its .bss (a driver's static objects
 * past the last file page) follows them. An address just past a module's end is looked up in
 * that module. */
typedef struct _NTK_NEAREST {
    Dwarf_Addr Address;
    Dwfl_Module *Module;
    Dwarf_Addr End;
} NTK_NEAREST;

static int NtkNearestModule(Dwfl_Module *Module, void **UserData, const char *Name,
                            Dwarf_Addr Start, void *Arg)
{
    NTK_NEAREST *Nearest = Arg;
    Dwarf_Addr End = 0;
    (void)UserData;
    (void)Name;
    (void)Start;
    dwfl_module_info(Module, NULL, NULL, &End, NULL, NULL, NULL, NULL);
    if (End <= Nearest->Address && Nearest->Address - End < ((Dwarf_Addr)64 << 20) &&
        (Nearest->Module == NULL || End > Nearest->End)) {
        Nearest->Module = Module;
        Nearest->End = End;
    }
    return DWARF_CB_OK;
}

static Dwfl_Module *NtkModuleOf(Dwarf_Addr Address)
{
    NTK_NEAREST Nearest = { Address, NULL, 0 };
    GElf_Off Offset;
    GElf_Sym Sym;
    Dwfl_Module *Module = dwfl_addrmodule(NtkDwfl, Address);
    if (Module)
        return Module;
    dwfl_getmodules(NtkDwfl, NtkNearestModule, &Nearest, 0);
    /* Only if a symbol of that image covers the address. */
    if (Nearest.Module &&
        dwfl_module_addrinfo(Nearest.Module, Address, &Offset, &Sym, NULL, NULL, NULL) &&
        Offset < Sym.st_size)
        return Nearest.Module;
    return NULL;
}

static BOOLEAN NtkSymbolize(ULONG_PTR Pc, BOOLEAN ReturnAddress, PKD_SYMBOL Symbol)
{
    Dwarf_Addr Address = ReturnAddress ? Pc - 1 : Pc, Start = 0;
    const char *Name, *MainFile = NULL, *Function, *File;
    Dwfl_Module *Module;
    Dwfl_Line *Line;
    GElf_Off Offset = 0;
    GElf_Sym Sym;
    int LineNumber = 0;
    if (NtkDwfl == NULL)
        return FALSE;
    Module = NtkModuleOf(Address);
    if (Module == NULL)
        return FALSE;
    Name = dwfl_module_info(Module, NULL, &Start, NULL, NULL, NULL, &MainFile, NULL);
    memset(Symbol, 0, sizeof(*Symbol));
    NtkCopy(Symbol->Path, sizeof(Symbol->Path), MainFile ? MainFile : Name);
    NtkCopy(Symbol->Module, sizeof(Symbol->Module),
            strrchr(Symbol->Path, '/') ? strrchr(Symbol->Path, '/') + 1 : Symbol->Path);
    Symbol->ModuleBase = (ULONG_PTR)Start;
    Function = dwfl_module_addrinfo(Module, Address, &Offset, &Sym, NULL, NULL, NULL);
    if (Function) {
        NtkCopy(Symbol->Function, sizeof(Symbol->Function), Function);
        Symbol->FunctionOffset = (ULONG_PTR)(Offset + (Pc - Address));
    }
    Line = dwfl_module_getsrc(Module, Address);
    if (Line && (File = dwfl_lineinfo(Line, NULL, &LineNumber, NULL, NULL, NULL)) != NULL) {
        NtkCopy(Symbol->File, sizeof(Symbol->File), File);
        Symbol->Line = (ULONG)LineNumber;
    } else {
        Dwarf_Addr Bias = 0;
        Dwarf_Die *Unit = NtkFindUnit(Module, Address, &Bias);
        Dwarf_Line *UnitLine = Unit ? dwarf_getsrc_die(Unit, Address - Bias) : NULL;
        if (UnitLine && (File = dwarf_linesrc(UnitLine, NULL, NULL)) != NULL &&
            dwarf_lineno(UnitLine, &LineNumber) == 0) {
            NtkCopy(Symbol->File, sizeof(Symbol->File), File);
            Symbol->Line = (ULONG)LineNumber;
        }
    }
    if (Symbol->File[0] && Symbol->Line == 0)
        NtkNearestLine(Module, Address, Symbol);
    NtkSourceDetails(Module, Address, !ReturnAddress && Function && Offset == 0, Symbol);
    return TRUE;
}

VOID NtkInstallSymbolizer(VOID)
{
    static const KD_DEBUG_HOOKS Hooks = { NtkPrepare, NtkUnwind, NtkSymbolize };
    /* A crash dump is written with the network out of reach: no debuginfod lookups. */
    unsetenv("DEBUGINFOD_URLS");
    KdpSetDebugHooks(&Hooks);
}
