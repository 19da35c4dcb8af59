/* `ntk analyze DUMP`: explains a crash dump in the spirit of `!analyze -v`: what the bug check
 * means and what each parameter is, the probable culprit (driver, function, source line), the
 * faulting stack, who waits on what (and a deadlock cycle if there is one), and what to look at
 * next. --json prints the same as a machine-readable document. */
#include "ntk_analyze.h"
#include <stdlib.h>
#include <string.h>

typedef struct _NTK_REPORT {
    const NJ_VALUE *Dump, *BugCheck, *Cause, *Threads;
    unsigned Code;
    unsigned long long Parameter[4];
    const char *Name;
    const NTK_BUGCODE_TEXT *Text;
    const NTK_SUBTYPE_TEXT *Subtype;
    int Truncated;
} NTK_REPORT;

static const char *NtkBase(const char *Path)
{
    const char *Slash = Path ? strrchr(Path, '/') : NULL;
    return Slash ? Slash + 1 : Path;
}

/* "module!function+0x1a (file.c:42)" */
static void NtkFormatFrame(const NJ_VALUE *Frame, char *Out, size_t Size)
{
    const char *Module = NjText(Frame, "module"), *Function = NjText(Frame, "function");
    const char *File = NjText(Frame, "file");
    int n;
    if (Module == NULL)
        n = snprintf(Out, Size, "0x%llx", NjUnsigned(Frame, "address", 0));
    else if (Function)
        n = snprintf(Out, Size, "%s!%s+0x%llx", Module, Function,
                     NjUnsigned(Frame, "function_offset", 0));
    else
        n = snprintf(Out, Size, "%s+0x%llx", Module, NjUnsigned(Frame, "offset", 0));
    if (File && n > 0 && (size_t)n < Size) {
        const char *Inline = NjText(Frame, "inline_file");
        if (Inline)
            snprintf(Out + n, Size - (size_t)n, " (%s:%llu, inlined %s:%llu)", NtkBase(File),
                     NjUnsigned(Frame, "line", 0), NtkBase(Inline),
                     NjUnsigned(Frame, "inline_line", 0));
        else
            snprintf(Out + n, Size - (size_t)n, " (%s:%llu)", NtkBase(File),
                     NjUnsigned(Frame, "line", 0));
    }
}

static const NJ_VALUE *NtkThreadById(const NTK_REPORT *Report, unsigned long long Cid)
{
    size_t i;
    for (i = 0; i < NjLength(Report->Threads); i++) {
        const NJ_VALUE *Thread = NjItem(Report->Threads, i);
        if (NjHas(Thread, "cid") && NjUnsigned(Thread, "cid", 0) == Cid)
            return Thread;
    }
    return NULL;
}

static const char *NtkParameterText(const NTK_REPORT *Report, int i)
{
    if (Report->Subtype && Report->Subtype->Parameter[i])
        return Report->Subtype->Parameter[i];
    return Report->Text ? Report->Text->Parameter[i] : "(no description for this code)";
}

/* ---- Deadlocks: thread -> owner of what it waits on ---- */

static unsigned long long NtkWaitsFor(const NJ_VALUE *Thread, const NJ_VALUE **Object)
{
    const NJ_VALUE *Objects = NjGet(NjGet(Thread, "wait"), "objects");
    size_t i;
    for (i = 0; i < NjLength(Objects); i++) {
        const NJ_VALUE *Item = NjItem(Objects, i);
        if (NjHas(Item, "owner")) {
            *Object = Item;
            return NjUnsigned(Item, "owner", 0);
        }
    }
    return 0;
}

/* Fills Cycle with the thread IDs of the first wait cycle found; returns its length. */
static size_t NtkFindDeadlock(const NTK_REPORT *Report, unsigned long long *Cycle, size_t Max)
{
    size_t t;
    for (t = 0; t < NjLength(Report->Threads); t++) {
        const NJ_VALUE *Thread = NjItem(Report->Threads, t);
        unsigned long long Start = NjUnsigned(Thread, "cid", 0), At = Start;
        size_t n = 0;
        if (!NjTrue(Thread, "waiting"))
            continue;
        while (n < Max) {
            const NJ_VALUE *Object;
            const NJ_VALUE *Current = NtkThreadById(Report, At);
            unsigned long long Next = Current ? NtkWaitsFor(Current, &Object) : 0;
            size_t k;
            if (Next == 0)
                break;
            Cycle[n++] = At;
            if (Next == Start)
                return n;
            for (k = 0; k < n; k++)
                if (Cycle[k] == Next)
                    break;
            if (k < n)
                break; /* a cycle not through Start: found from its own members */
            At = Next;
        }
    }
    return 0;
}

/* ---- Text report ---- */

static void NtkPrintStack(FILE *Out, const NJ_VALUE *Stack, size_t Limit, const char *Indent)
{
    size_t i;
    char Text[512];
    for (i = 0; i < NjLength(Stack) && i < Limit; i++) {
        NtkFormatFrame(NjItem(Stack, i), Text, sizeof(Text));
        fprintf(Out, "%s#%-2zu %s\n", Indent, i, Text);
    }
    if (NjLength(Stack) == 0)
        fprintf(Out, "%s(no frames)\n", Indent);
}

static void NtkPrintWait(FILE *Out, const NJ_VALUE *Thread)
{
    const NJ_VALUE *Wait = NjGet(Thread, "wait");
    const NJ_VALUE *Objects = NjGet(Wait, "objects");
    size_t i;
    if (!NjTrue(Thread, "waiting"))
        return;
    if (NjLength(Objects) == 0) {
        fprintf(Out, "      waits: a delay (KeDelayExecutionThread / Sleep)\n");
        return;
    }
    for (i = 0; i < NjLength(Objects); i++) {
        const NJ_VALUE *Object = NjItem(Objects, i);
        fprintf(Out, "      waits (%s, %s, %s mode%s) on %s %s", NjText(Wait, "kind"),
                NjText(Wait, "reason") ? NjText(Wait, "reason") : "?", NjText(Wait, "mode"),
                NjTrue(Wait, "alertable") ? ", alertable" : "",
                NjText(Object, "type") ? NjText(Object, "type") : "?",
                NjText(Object, "object") ? NjText(Object, "object") : "?");
        if (NjText(Object, "symbol"))
            fprintf(Out, " (%s)", NjText(Object, "symbol"));
        if (NjHas(Object, "fast_mutex"))
            fprintf(Out, ", the event of FAST_MUTEX %s", NjText(Object, "fast_mutex"));
        if (NjHas(Object, "owner"))
            fprintf(Out, ", owned by thread %llu", NjUnsigned(Object, "owner", 0));
        fprintf(Out, "\n");
    }
}

static void NtkPrintThreads(FILE *Out, const NTK_REPORT *Report)
{
    size_t i, j;
    fprintf(Out, "\nTHREADS (%zu)\n", NjLength(Report->Threads));
    for (i = 0; i < NjLength(Report->Threads); i++) {
        const NJ_VALUE *Thread = NjItem(Report->Threads, i);
        const NJ_VALUE *Owned = NjGet(Thread, "owned_mutexes"), *Irps = NjGet(Thread, "pending_irps");
        const NJ_VALUE *Spin = NjGet(Thread, "spin_locks");
        if (NjHas(Thread, "cid"))
            fprintf(Out, "  thread %llu (%s, process %llu %s), %s, IRQL %llu, processor %llu, %s "
                         "mode, linux tid %llu\n",
                    NjUnsigned(Thread, "cid", 0), NjText(Thread, "kind"),
                    NjUnsigned(Thread, "process_id", 0),
                    NjText(Thread, "process") ? NjText(Thread, "process") : "?",
                    NjText(Thread, "status"), NjUnsigned(Thread, "irql", 0),
                    NjUnsigned(Thread, "processor", 0), NjText(Thread, "mode"),
                    NjUnsigned(Thread, "linux_tid", 0));
        else
            fprintf(Out, "  host thread %s (no NT identity), %s, linux tid %llu\n",
                    NjText(Thread, "name") ? NjText(Thread, "name") : "?",
                    NjText(Thread, "status"), NjUnsigned(Thread, "linux_tid", 0));
        if (NjText(Thread, "error"))
            fprintf(Out, "      (dump incomplete here: %s)\n", NjText(Thread, "error"));
        NtkPrintWait(Out, Thread);
        for (j = 0; j < NjLength(Owned); j++)
            fprintf(Out, "      owns mutex %s%s%s\n", NjText(NjItem(Owned, j), "object"),
                    NjText(NjItem(Owned, j), "symbol") ? " " : "",
                    NjText(NjItem(Owned, j), "symbol") ? NjText(NjItem(Owned, j), "symbol") : "");
        for (j = 0; j < NjLength(Spin); j++) {
            const NJ_VALUE *Lock = NjItem(Spin, j);
            unsigned long long Owner = NjUnsigned(Lock, "owner", 0);
            fprintf(Out, "      %s spin lock %s%s%s, owned by thread %llu\n",
                    Owner == NjUnsigned(Thread, "cid", 1) ? "holds" : "spins on (probably)",
                    NjText(Lock, "lock"), NjText(Lock, "symbol") ? " " : "",
                    NjText(Lock, "symbol") ? NjText(Lock, "symbol") : "", Owner);
        }
        for (j = 0; j < NjLength(Irps); j++) {
            const NJ_VALUE *Irp = NjItem(Irps, j);
            if (Irp->Kind == NJ_STRING)
                fprintf(Out, "      pending IRPs: %s\n", Irp->String);
            else
                fprintf(Out, "      pending IRP %s: major %llu to %s%s\n", NjText(Irp, "irp"),
                        NjUnsigned(Irp, "major", 0),
                        NjText(Irp, "driver") ? NjText(Irp, "driver") : "?",
                        NjTrue(Irp, "cancel") ? " (cancelled)" : "");
        }
        NtkPrintStack(Out, NjGet(Thread, "stack"), 12, "      ");
    }
}

static void NtkPrintSystem(FILE *Out, const NTK_REPORT *Report)
{
    const NJ_VALUE *Modules = NjGet(Report->Dump, "modules");
    const NJ_VALUE *Processors = NjGet(Report->Dump, "processors");
    const NJ_VALUE *Pool = NjGet(Report->Dump, "pool"), *Tags = NjGet(Pool, "tags");
    const NJ_VALUE *Handles = NjGet(Report->Dump, "handles");
    const NJ_VALUE *Callbacks = NjGet(Report->Dump, "callbacks");
    const NJ_VALUE *Log = NjGet(Report->Dump, "log");
    const NJ_VALUE *Problems = NjGet(Report->Dump, "dump_problems");
    size_t i, j, First;

    fprintf(Out, "\nPROCESSORS\n");
    for (i = 0; i < NjLength(Processors); i++) {
        const NJ_VALUE *P = NjItem(Processors, i), *Dpc = NjGet(P, "current_dpc");
        char Text[512] = "";
        if (Dpc)
            NtkFormatFrame(NjGet(Dpc, "routine"), Text, sizeof(Text));
        fprintf(Out, "  %llu: %s", NjUnsigned(P, "number", 0),
                NjHas(P, "owner") ? "at DISPATCH_LEVEL or above" : "free");
        if (NjHas(P, "owner"))
            fprintf(Out, " (thread %llu, IRQL %llu)", NjUnsigned(P, "owner", 0),
                    NjUnsigned(P, "irql", 0));
        if (Dpc)
            fprintf(Out, ", running DPC %s", Text);
        fprintf(Out, "%s\n", NjTrue(P, "dpcs_queued") ? ", DPCs queued" : "");
    }
    fprintf(Out, "\nDRIVERS AND PROGRAMS\n");
    for (i = 0; i < NjLength(Modules); i++) {
        const NJ_VALUE *M = NjItem(Modules, i);
        const char *Kind = NjText(M, "kind");
        if (Kind && (strcmp(Kind, "driver") == 0 || strcmp(Kind, "program") == 0 ||
                     strcmp(Kind, "other") == 0))
            fprintf(Out, "  %-28s %-8s %s  %s\n", NjText(M, "name"), Kind, NjText(M, "base"),
                    NjText(M, "path"));
    }
    fprintf(Out, "\nPOOL (%s)\n", NjText(Pool, "status") ? NjText(Pool, "status") : "absent");
    for (i = 0; i < NjLength(Tags) && i < 20; i++) {
        const NJ_VALUE *T = NjItem(Tags, i);
        if (NjHas(T, "live_blocks"))
            fprintf(Out, "  '%s'  %llu blocks, %llu bytes\n", NjText(T, "tag"),
                    NjUnsigned(T, "live_blocks", 0), NjUnsigned(T, "live_bytes", 0));
        else
            fprintf(Out,
                    "  '%s'  nonpaged %llu/%llu (%llu bytes, peak %llu), paged %llu/%llu (%llu "
                    "bytes, peak %llu)\n",
                    NjText(T, "tag"), NjUnsigned(T, "nonpaged_allocs", 0),
                    NjUnsigned(T, "nonpaged_frees", 0), NjUnsigned(T, "nonpaged_bytes", 0),
                    NjUnsigned(T, "nonpaged_peak", 0), NjUnsigned(T, "paged_allocs", 0),
                    NjUnsigned(T, "paged_frees", 0), NjUnsigned(T, "paged_bytes", 0),
                    NjUnsigned(T, "paged_peak", 0));
    }
    fprintf(Out, "\nHANDLES\n");
    for (i = 0; i < NjLength(Handles); i++) {
        const NJ_VALUE *P = NjItem(Handles, i), *Entries = NjGet(P, "entries");
        fprintf(Out, "  process %llu %s: %s\n", NjUnsigned(P, "process_id", 0),
                NjText(P, "process") ? NjText(P, "process") : "?", NjText(P, "status"));
        for (j = 0; j < NjLength(Entries) && j < 32; j++) {
            const NJ_VALUE *H = NjItem(Entries, j);
            const char *Device = NjText(H, "device_name"), *File = NjText(H, "file_name");
            fprintf(Out, "    %s  %-12s access %s  %s%s%s%s\n", NjText(H, "handle"),
                    NjText(H, "type") ? NjText(H, "type") : "?", NjText(H, "granted_access"),
                    NjText(H, "name") ? NjText(H, "name") : "", Device ? "device " : "",
                    Device ? Device : "", File ? File : "");
        }
    }
    if (NjLength(Callbacks)) {
        fprintf(Out, "\nBUG CHECK CALLBACK DATA\n");
        for (i = 0; i < NjLength(Callbacks); i++) {
            const NJ_VALUE *C = NjItem(Callbacks, i);
            fprintf(Out, "  %s callback of %s: %s, %llu bytes%s%s%s%s\n", NjText(C, "kind"),
                    NjText(C, "component"), NjText(C, "state"), NjUnsigned(C, "length", 0),
                    NjText(C, "guid") ? " " : "", NjText(C, "guid") ? NjText(C, "guid") : "",
                    NjText(C, "problem") ? ", " : "",
                    NjText(C, "problem") ? NjText(C, "problem") : "");
            if (NjText(C, "data_text") && NjText(C, "data_text")[0])
                fprintf(Out, "    text: %s\n", NjText(C, "data_text"));
        }
    }
    fprintf(Out, "\nLAST KERNEL LOG LINES\n");
    First = NjLength(Log) > 25 ? NjLength(Log) - 25 : 0;
    for (i = First; i < NjLength(Log); i++)
        fprintf(Out, "  %s\n", NjItem(Log, i)->String ? NjItem(Log, i)->String : "");
    if (NjLength(Problems) || Report->Truncated) {
        fprintf(Out, "\nDUMP PROBLEMS\n");
        if (Report->Truncated)
            fprintf(Out, "  the dump file ends early: the writer did not finish\n");
        for (i = 0; i < NjLength(Problems); i++)
            fprintf(Out, "  %s\n", NjItem(Problems, i)->String);
    }
}

static void NtkPrintReport(FILE *Out, const NTK_REPORT *Report, const char *Path)
{
    const NJ_VALUE *Cause = Report->Cause, *Nested = NjGet(Report->BugCheck, "nested");
    const NJ_VALUE *Exception = NjGet(Report->Dump, "exception");
    const NJ_VALUE *Faulting = NULL, *Self;
    unsigned long long Cycle[16];
    size_t CycleLength, i;
    char Text[512];

    fprintf(Out, "*******************************************************************************\n"
                 "*                                                                             *\n"
                 "*                        ntk bug check analysis                               *\n"
                 "*                                                                             *\n"
                 "*******************************************************************************\n\n");
    fprintf(Out, "Dump: %s\n\n", Path);
    fprintf(Out, "%s (0x%08X)\n", Report->Name, Report->Code);
    fprintf(Out, "%s\n", Report->Text ? Report->Text->Meaning
                                      : "ntk has no explanation for this code (not one it raises)."); 
    if (Report->Subtype)
        fprintf(Out, "This one (parameter %d = 0x%llX): %s\n", Report->Text->SubtypeParameter,
                Report->Parameter[Report->Text->SubtypeParameter - 1], Report->Subtype->Meaning);
    fprintf(Out, "\nArguments:\n");
    for (i = 0; i < 4; i++)
        fprintf(Out, "  Arg%zu: %016llx  %s\n", i + 1, Report->Parameter[i],
                NtkParameterText(Report, (int)i));
    fprintf(Out, "\n%s\n", NjText(Report->BugCheck, "stop_line") ? NjText(Report->BugCheck, "stop_line") : "");
    if (NjHas(Report->BugCheck, "thread"))
        fprintf(Out, "Raised by thread %llu on processor %llu at IRQL %llu.\n",
                NjUnsigned(Report->BugCheck, "thread", 0),
                NjUnsigned(Report->BugCheck, "processor", 0),
                NjUnsigned(Report->BugCheck, "irql", 0));
    else
        fprintf(Out, "Raised by a host thread (linux tid %llu) with no NT identity.\n",
                NjUnsigned(Report->BugCheck, "linux_tid", 0));
    for (i = 0; i < NjLength(Nested); i++)
        fprintf(Out, "While stopping, %s (0x%s) happened in %s.\n",
                NjText(NjItem(Nested, i), "name") ? NjText(NjItem(Nested, i), "name") : "a bug check",
                NjText(NjItem(Nested, i), "code_hex") + 2, NjText(NjItem(Nested, i), "during"));

    fprintf(Out, "\nPROBABLE CAUSE\n");
    if (Cause && NjText(Cause, "module")) {
        NtkFormatFrame(Cause, Text, sizeof(Text));
        fprintf(Out, "  Image:     %s (%s)\n", NjText(Cause, "module"), NjText(Cause, "kind"));
        fprintf(Out, "  Where:     %s\n", Text);
        if (NjText(Cause, "file"))
            fprintf(Out, "  Source:    %s:%llu\n", NjText(Cause, "file"), NjUnsigned(Cause, "line", 0));
        fprintf(Out, "  Address:   %s (%s+%s)\n", NjText(Cause, "address"), NjText(Cause, "module"),
                NjText(Cause, "offset"));
        if (NjHas(Cause, "thread"))
            fprintf(Out, "  Thread:    %llu\n", NjUnsigned(Cause, "thread", 0));
        fprintf(Out, "  Found by:  %s\n", NjText(Cause, "how"));
    } else {
        fprintf(Out, "  not determined%s%s\n", Cause && NjText(Cause, "how") ? ": " : "",
                Cause && NjText(Cause, "how") ? NjText(Cause, "how") : "");
    }

    Self = NjItem(Report->Threads, 0);
    if (Exception) {
        fprintf(Out, "\nFAULTING STACK (exception context)\n");
        Faulting = NjGet(Exception, "stack");
    } else if (Cause && NjHas(Cause, "thread") && NtkThreadById(Report, NjUnsigned(Cause, "thread", 0))) {
        fprintf(Out, "\nSTACK OF THREAD %llu\n", NjUnsigned(Cause, "thread", 0));
        Faulting = NjGet(NtkThreadById(Report, NjUnsigned(Cause, "thread", 0)), "stack");
    } else {
        fprintf(Out, "\nSTACK OF THE BUGCHECKING THREAD\n");
        Faulting = NjGet(Self, "stack");
    }
    NtkPrintStack(Out, Faulting, 32, "  ");

    CycleLength = NtkFindDeadlock(Report, Cycle, 16);
    if (CycleLength) {
        fprintf(Out, "\nDEADLOCK\n");
        for (i = 0; i < CycleLength; i++) {
            const NJ_VALUE *Object = NULL;
            unsigned long long Owner = NtkWaitsFor(NtkThreadById(Report, Cycle[i]), &Object);
            fprintf(Out, "  thread %llu waits for %s %s%s%s%s, owned by thread %llu\n", Cycle[i],
                    NjText(Object, "type") ? NjText(Object, "type") : "object",
                    NjText(Object, "object") ? NjText(Object, "object") : "?",
                    NjText(Object, "symbol") ? " (" : "",
                    NjText(Object, "symbol") ? NjText(Object, "symbol") : "",
                    NjText(Object, "symbol") ? ")" : "", Owner);
        }
    }

    fprintf(Out, "\nWHAT TO LOOK AT NEXT\n");
    if (Report->Subtype && Report->Subtype->Next)
        fprintf(Out, "  %s\n", Report->Subtype->Next);
    else if (Report->Text && Report->Text->Next)
        fprintf(Out, "  %s\n", Report->Text->Next);
    if (Cause && NjText(Cause, "file"))
        fprintf(Out, "  Start at %s:%llu in %s.\n", NtkBase(NjText(Cause, "file")),
                NjUnsigned(Cause, "line", 0), NjText(Cause, "function") ? NjText(Cause, "function") : "?");
    if (CycleLength)
        fprintf(Out, "  The threads above wait on each other in a cycle: take the locks in one order.\n");
    fprintf(Out, "  The kernel log below shows what happened just before the stop.\n");

    NtkPrintThreads(Out, Report);
    NtkPrintSystem(Out, Report);
}

/* ---- JSON report ---- */

static void NtkJsonFrame(FILE *Out, const NJ_VALUE *Frame)
{
    char Text[512];
    NtkFormatFrame(Frame, Text, sizeof(Text));
    fprintf(Out, "{\"text\": ");
    NjWriteString(Out, Text);
    fprintf(Out, ", \"module\": ");
    NjWriteString(Out, NjText(Frame, "module"));
    fprintf(Out, ", \"function\": ");
    NjWriteString(Out, NjText(Frame, "function"));
    fprintf(Out, ", \"file\": ");
    NjWriteString(Out, NjText(Frame, "file"));
    fprintf(Out, ", \"line\": %llu}", NjUnsigned(Frame, "line", 0));
}

static void NtkPrintJson(FILE *Out, const NTK_REPORT *Report, const char *Path)
{
    const NJ_VALUE *Cause = Report->Cause;
    const NJ_VALUE *Stack = NjGet(NjItem(Report->Threads, 0), "stack");
    unsigned long long Cycle[16];
    size_t CycleLength = NtkFindDeadlock(Report, Cycle, 16), i;
    char Hex[16];
    snprintf(Hex, sizeof(Hex), "0x%08X", Report->Code);
    if (NjGet(Report->Dump, "exception"))
        Stack = NjGet(NjGet(Report->Dump, "exception"), "stack");
    fprintf(Out, "{\n  \"format\": \"ntk-analysis\",\n  \"version\": 1,\n  \"dump\": ");
    NjWriteString(Out, Path);
    fprintf(Out, ",\n  \"code\": %u,\n  \"code_hex\": \"%s\",\n  \"name\": ", Report->Code, Hex);
    NjWriteString(Out, Report->Name);
    fprintf(Out, ",\n  \"meaning\": ");
    NjWriteString(Out, Report->Text ? Report->Text->Meaning : NULL);
    fprintf(Out, ",\n  \"subtype\": ");
    NjWriteString(Out, Report->Subtype ? Report->Subtype->Meaning : NULL);
    fprintf(Out, ",\n  \"parameters\": [");
    for (i = 0; i < 4; i++) {
        fprintf(Out, "%s\n    {\"value\": \"0x%016llX\", \"meaning\": ", i ? "," : "",
                Report->Parameter[i]);
        NjWriteString(Out, NtkParameterText(Report, (int)i));
        fprintf(Out, "}");
    }
    fprintf(Out, "\n  ],\n  \"culprit\": ");
    if (Cause && NjText(Cause, "module")) {
        fprintf(Out, "{\"module\": ");
        NjWriteString(Out, NjText(Cause, "module"));
        fprintf(Out, ", \"kind\": ");
        NjWriteString(Out, NjText(Cause, "kind"));
        fprintf(Out, ", \"function\": ");
        NjWriteString(Out, NjText(Cause, "function"));
        fprintf(Out, ", \"file\": ");
        NjWriteString(Out, NjText(Cause, "file"));
        fprintf(Out, ", \"line\": %llu, \"address\": ", NjUnsigned(Cause, "line", 0));
        NjWriteString(Out, NjText(Cause, "address"));
        fprintf(Out, ", \"how\": ");
        NjWriteString(Out, NjText(Cause, "how"));
        fprintf(Out, "}");
    } else {
        fprintf(Out, "null");
    }
    fprintf(Out, ",\n  \"stack\": [");
    for (i = 0; i < NjLength(Stack); i++) {
        fprintf(Out, "%s\n    ", i ? "," : "");
        NtkJsonFrame(Out, NjItem(Stack, i));
    }
    fprintf(Out, "\n  ],\n  \"deadlock\": [");
    for (i = 0; i < CycleLength; i++)
        fprintf(Out, "%s%llu", i ? ", " : "", Cycle[i]);
    fprintf(Out, "],\n  \"next\": ");
    NjWriteString(Out, Report->Subtype && Report->Subtype->Next ? Report->Subtype->Next
                       : Report->Text ? Report->Text->Next : NULL);
    fprintf(Out, ",\n  \"truncated\": %s\n}\n", Report->Truncated ? "true" : "false");
}

/* ---- The command ---- */

static void NtkAnalyzeUsage(FILE *Out)
{
    fprintf(Out, "usage: ntk analyze [--json] DUMP\n"
                 "       ntk analyze --explain CODE\n"
                 "       ntk analyze --list\n"
                 "Explains a crash dump that `ntk run` wrote (docs/CRASHDUMP.md).\n"
                 "  --json          a machine-readable report\n"
                 "  --explain CODE  what a bug check code means (hex or its name)\n"
                 "  --list          every bug check code ntk explains\n");
}

static int NtkExplain(const char *What)
{
    size_t Count, i, p;
    const NTK_BUGCODE_TEXT *Texts = NtkBugCodeTexts(&Count);
    char *End;
    unsigned long Code = strtoul(What, &End, 16);
    const NTK_BUGCODE_TEXT *Text = NULL;
    if (*End == 0)
        Text = NtkFindBugCodeText((unsigned)Code);
    for (i = 0; Text == NULL && i < Count; i++) {
        PCSTR Name = RtlpBugCheckName(Texts[i].Code);
        if (Name && strcmp(Name, What) == 0)
            Text = &Texts[i];
    }
    if (Text == NULL) {
        fprintf(stderr, "ntk analyze: no explanation for %s\n", What);
        return 1;
    }
    printf("%s (0x%08X)\n%s\n", RtlpBugCheckName(Text->Code), Text->Code, Text->Meaning);
    for (p = 0; p < 4; p++)
        printf("  Parameter %zu: %s\n", p + 1, Text->Parameter[p]);
    printf("Next: %s\n", Text->Next);
    if (Text->Subtypes) {
        const NTK_SUBTYPE_TEXT *Sub;
        for (Sub = Text->Subtypes; Sub->Meaning; Sub++)
            printf("  Subtype 0x%llX: %s\n", Sub->Value, Sub->Meaning);
    }
    return 0;
}

int NtkAnalyzeMain(int argc, char **argv)
{
    const char *Path = NULL;
    int Json = 0, i, Truncated = 0;
    char Error[128];
    NTK_REPORT Report;
    FILE *File;
    char *Text;
    long Size;
    for (i = 0; i < argc; i++) {
        if (strcmp(argv[i], "--json") == 0) {
            Json = 1;
        } else if (strcmp(argv[i], "--explain") == 0 && i + 1 < argc) {
            return NtkExplain(argv[i + 1]);
        } else if (strcmp(argv[i], "--list") == 0) {
            size_t Count, k;
            const NTK_BUGCODE_TEXT *Texts = NtkBugCodeTexts(&Count);
            for (k = 0; k < Count; k++)
                printf("0x%08X %s\n", Texts[k].Code, RtlpBugCheckName(Texts[k].Code));
            return 0;
        } else if (strcmp(argv[i], "--help") == 0) {
            NtkAnalyzeUsage(stdout);
            return 0;
        } else if (argv[i][0] == '-' || Path) {
            NtkAnalyzeUsage(stderr);
            return 2;
        } else {
            Path = argv[i];
        }
    }
    if (Path == NULL) {
        NtkAnalyzeUsage(stderr);
        return 2;
    }
    File = fopen(Path, "rb");
    if (File == NULL) {
        perror(Path);
        return 2;
    }
    fseek(File, 0, SEEK_END);
    Size = ftell(File);
    if (Size < 0) {
        fclose(File);
        fprintf(stderr, "ntk analyze: cannot read %s\n", Path);
        return 2;
    }
    fseek(File, 0, SEEK_SET);
    Text = malloc((size_t)Size + 1);
    if (Text == NULL || fread(Text, 1, (size_t)Size, File) != (size_t)Size) {
        fprintf(stderr, "ntk analyze: cannot read %s\n", Path);
        fclose(File);
        free(Text);
        return 2;
    }
    fclose(File);
    Text[Size] = 0;
    memset(&Report, 0, sizeof(Report));
    Report.Dump = NjParse(Text, (size_t)Size, &Truncated, Error, sizeof(Error));
    free(Text);
    if (Report.Dump == NULL || NjText(Report.Dump, "format") == NULL ||
        strcmp(NjText(Report.Dump, "format"), "ntk-dump") != 0) {
        fprintf(stderr, "ntk analyze: %s is not an ntk crash dump%s%s\n", Path,
                Report.Dump ? "" : ": ", Report.Dump ? "" : Error);
        NjFree((NJ_VALUE *)Report.Dump);
        return 2;
    }
    if (NjUnsigned(Report.Dump, "version", 0) != 1)
        fprintf(stderr, "ntk analyze: %s is dump format version %llu; this ntk reads version 1\n",
                Path, NjUnsigned(Report.Dump, "version", 0));
    Report.Truncated = Truncated;
    Report.BugCheck = NjGet(Report.Dump, "bugcheck");
    Report.Cause = NjGet(Report.Dump, "cause");
    Report.Threads = NjGet(Report.Dump, "threads");
    Report.Code = (unsigned)NjUnsigned(Report.BugCheck, "code", 0);
    for (i = 0; i < 4; i++)
        Report.Parameter[i] = NjUnsigned(NjItem(NjGet(Report.BugCheck, "parameters"), (size_t)i),
                                         NULL, 0);
    Report.Name = NjText(Report.BugCheck, "name") ? NjText(Report.BugCheck, "name")
                                                  : "UNKNOWN_BUGCHECK";
    Report.Text = NtkFindBugCodeText(Report.Code);
    if (Report.Text && Report.Text->SubtypeParameter)
        Report.Subtype = NtkFindSubtypeText(Report.Text,
                                            Report.Parameter[Report.Text->SubtypeParameter - 1]);
    if (Json)
        NtkPrintJson(stdout, &Report, Path);
    else
        NtkPrintReport(stdout, &Report, Path);
    NjFree((NJ_VALUE *)Report.Dump);
    return 0;
}
