/* Kd: the crash dump, a JSON document ("format": "ntk-dump", "version": 1) that
 * docs/CRASHDUMP.md describes field by field. It is written while every other thread is
 * frozen: no allocation, no blocking lock, each section protected so that a fault or a hang
 * in one still leaves a well-formed file with an "error" where that section broke off. */
#include "kddump.h"
#include "rtlp.h"
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define KD_DUMP_VERSION 1
#define KD_MAX_PROBLEMS 32

static KDJ_WRITER KdpWriter;
static int KdpDumpFd = -1;
static CHAR KdpTemporaryPath[4200];
static PCSTR KdpFinalPath;
static CHAR KdpProblems[KD_MAX_PROBLEMS][128];
static ULONG KdpProblemCount;
static KD_STACK KdpExceptionStack;
static BOOLEAN KdpHaveExceptionStack;
static KD_REGISTERS KdpExceptionRegisters;

typedef VOID (*KD_SECTION_ROUTINE)(KDJ_WRITER *Writer, PVOID Context);
typedef struct _KD_SECTION {
    KDJ_WRITER *Writer;
    KD_SECTION_ROUTINE Routine;
    PVOID Context;
} KD_SECTION;

static VOID KdpRunSection(PVOID Context)
{
    KD_SECTION *Section = Context;
    Section->Routine(Section->Writer, Section->Context);
}

/* Runs one part of the dump; if it breaks off, its open containers are closed with an
 * "error" member and the problem is listed at the end. */
static VOID KdpSection(PCSTR What, ULONG TimeoutMs, KD_SECTION_ROUTINE Routine, PVOID Context)
{
    KD_SECTION Section = { &KdpWriter, Routine, Context };
    ULONG Depth = KdpWriter.Depth;
    ULONG Reason = KdpProtect(What, TimeoutMs, KdpRunSection, &Section);
    if (Reason == 0)
        return;
    KdjUnwind(&KdpWriter, Depth, KdpProtectReason(Reason));
    if (KdpProblemCount < KD_MAX_PROBLEMS)
        RtlpFormatA(KdpProblems[KdpProblemCount++], sizeof(KdpProblems[0]), "%s: %s", What,
                    KdpProtectReason(Reason));
}

/* ---- Header ---- */

static VOID KdpWriteTime(KDJ_WRITER *Writer)
{
    struct timespec Now;
    LONG64 Days, Seconds, y, m, d, Era, Doe, Yoe, Doy, Mp;
    CHAR Text[32];
    clock_gettime(CLOCK_REALTIME, &Now);
    KdjUnsigned(Writer, "time_unix", (ULONG64)Now.tv_sec);
    /* Civil date from days since 1970-01-01 (proleptic Gregorian). */
    Days = Now.tv_sec / 86400;
    Seconds = Now.tv_sec % 86400;
    Days += 719468;
    Era = Days / 146097;
    Doe = Days - Era * 146097;
    Yoe = (Doe - Doe / 1460 + Doe / 36524 - Doe / 146096) / 365;
    Doy = Doe - (365 * Yoe + Yoe / 4 - Yoe / 100);
    Mp = (5 * Doy + 2) / 153;
    d = Doy - (153 * Mp + 2) / 5 + 1;
    m = Mp < 10 ? Mp + 3 : Mp - 9;
    y = Yoe + Era * 400 + (m <= 2);
    RtlpFormatA(Text, sizeof(Text), "%04d-%02d-%02dT%02d:%02d:%02dZ", (int)y, (int)m, (int)d,
                (int)(Seconds / 3600), (int)(Seconds / 60 % 60), (int)(Seconds % 60));
    KdjString(Writer, "time_utc", Text);
}

static VOID KdpWriteCommandLine(KDJ_WRITER *Writer)
{
    static CHAR Line[4096];
    ssize_t Got = 0, n, Start = 0, i;
    int Fd = open("/proc/self/cmdline", O_RDONLY | O_CLOEXEC);
    KdjBeginArray(Writer, "command");
    if (Fd >= 0) {
        while (Got < (ssize_t)sizeof(Line) && (n = read(Fd, Line + Got, sizeof(Line) - Got)) > 0)
            Got += n;
        close(Fd);
    }
    for (i = 0; i < Got; i++) {
        if (Line[i] == 0) {
            KdjStringN(Writer, NULL, Line + Start, (SIZE_T)(i - Start));
            Start = i + 1;
        }
    }
    KdjEnd(Writer);
}

static VOID KdpWriteParameters(KDJ_WRITER *Writer, const ULONG_PTR *Parameter)
{
    ULONG i;
    KdjBeginArray(Writer, "parameters");
    for (i = 0; i < 4; i++)
        KdjHex(Writer, NULL, Parameter[i]);
    KdjEnd(Writer);
}

static VOID KdpWriteBugCheck(KDJ_WRITER *Writer, PVOID Context)
{
    PKD_BUGCHECK BugCheck = Context;
    CHAR Code[16];
    BOOLEAN ExpectSet;
    ULONG Expected = KdpExpectedBugCheck(&ExpectSet), i;
    PCSTR Stop = BugCheck->StopLine;
    SIZE_T StopLength;
    KdjBeginObject(Writer, "bugcheck");
    KdjUnsigned(Writer, "code", BugCheck->Code);
    KdjFormatHex(Code, BugCheck->Code, 8);
    KdjString(Writer, "code_hex", Code);
    KdjString(Writer, "name", BugCheck->Name);
    KdpWriteParameters(Writer, BugCheck->Parameter);
    while (*Stop == '\n')
        Stop++;
    StopLength = strlen(Stop);
    while (StopLength > 0 && Stop[StopLength - 1] == '\n')
        StopLength--;
    KdjStringN(Writer, "stop_line", Stop, StopLength);
    KdjUnsigned(Writer, "irql", BugCheck->Irql);
    KdjUnsigned(Writer, "processor", BugCheck->Processor);
    if (BugCheck->Self.Thread)
        KdjUnsigned(Writer, "thread", (ULONG_PTR)((PETHREAD)BugCheck->Self.Thread)->Cid.UniqueThread);
    else
        KdjNull(Writer, "thread");
    KdjUnsigned(Writer, "linux_tid", (ULONG64)BugCheck->Self.Tid);
    if (ExpectSet) {
        KdjFormatHex(Code, Expected, 8);
        KdjString(Writer, "expected", Code);
    }
    KdjSigned(Writer, "exit_code", BugCheck->ExitCode);
    KdjBeginArray(Writer, "nested");
    for (i = 0; i < BugCheck->NestedCount && i < KD_MAX_NESTED; i++) {
        KdjBeginObject(Writer, NULL);
        KdjFormatHex(Code, BugCheck->Nested[i].Code, 8);
        KdjString(Writer, "code_hex", Code);
        KdjString(Writer, "name", RtlpBugCheckName(BugCheck->Nested[i].Code));
        KdpWriteParameters(Writer, BugCheck->Nested[i].Parameter);
        KdjString(Writer, "during", BugCheck->Nested[i].During);
        KdjEnd(Writer);
    }
    KdjEnd(Writer);
    KdjBeginArray(Writer, "concurrent");
    for (i = 0; i < BugCheck->ConcurrentCount && i < 8; i++) {
        KdjBeginObject(Writer, NULL);
        KdjUnsigned(Writer, "linux_tid", (ULONG64)BugCheck->Concurrent[i].Tid);
        KdjFormatHex(Code, BugCheck->Concurrent[i].Code, 8);
        KdjString(Writer, "code_hex", Code);
        KdjString(Writer, "name", RtlpBugCheckName(BugCheck->Concurrent[i].Code));
        KdpWriteParameters(Writer, BugCheck->Concurrent[i].Parameter);
        KdjEnd(Writer);
    }
    KdjEnd(Writer);
    KdjBeginArray(Writer, "threads_not_stopped");
    for (i = 0; i < BugCheck->MissingCount; i++)
        KdjUnsigned(Writer, NULL, (ULONG64)BugCheck->Missing[i]);
    KdjEnd(Writer);
    KdjEnd(Writer);
}

/* ---- The exception, when the bug check is an unhandled one ---- */

static VOID KdpFindException(PKD_BUGCHECK BugCheck)
{
    EXCEPTION_RECORD Record;
    if (KdpNotedException(BugCheck->Self.Tid, &Record, &KdpExceptionRegisters)) {
        KdpHaveExceptionStack = TRUE;
    } else if (BugCheck->Code == SYSTEM_THREAD_EXCEPTION_NOT_HANDLED &&
               BugCheck->Parameter[3] != 0) {
        /* 0x7E: parameter 4 is the context record. */
        CONTEXT Context;
        if (KdpSafeRead(BugCheck->Parameter[3], &Context, sizeof(Context)) &&
            Context.Rip == BugCheck->Parameter[1]) {
            ULONG64 *r = KdpExceptionRegisters.Value;
            r[0] = Context.Rax, r[1] = Context.Rdx, r[2] = Context.Rcx, r[3] = Context.Rbx;
            r[4] = Context.Rsi, r[5] = Context.Rdi, r[6] = Context.Rbp, r[7] = Context.Rsp;
            r[8] = Context.R8, r[9] = Context.R9, r[10] = Context.R10, r[11] = Context.R11;
            r[12] = Context.R12, r[13] = Context.R13, r[14] = Context.R14, r[15] = Context.R15;
            r[16] = Context.Rip;
            KdpHaveExceptionStack = TRUE;
        }
    }
    if (KdpHaveExceptionStack)
        KdpUnwind(&KdpExceptionRegisters, &KdpExceptionStack);
}

/* ---- The cause: which driver, where ---- */

#define KD_PARAM_CODE 1      /* the parameter is a code address */
#define KD_PARAM_IMAGE 2     /* an address inside the image to blame */
#define KD_PARAM_DRIVER 3    /* a DRIVER_OBJECT */
#define KD_PARAM_DEVICE 4    /* a DEVICE_OBJECT */

#define KD_PARAM_EXCEPTION 5 /* an exception address: exact for a fault, else a return address */

static const struct {
    ULONG Code;
    UCHAR SubtypeParameter; /* 0: any; else this parameter must equal Subtype */
    ULONG_PTR Subtype;
    UCHAR Parameter;        /* 1..4 */
    UCHAR Kind;
    PCSTR How;
} KdpBlame[] = {
    { KMODE_EXCEPTION_NOT_HANDLED, 0, 0, 2, KD_PARAM_EXCEPTION,
      "the exception address (parameter 2)" },
    { SYSTEM_THREAD_EXCEPTION_NOT_HANDLED, 0, 0, 2, KD_PARAM_EXCEPTION,
      "the exception address (parameter 2)" },
    { DRIVER_IRQL_NOT_LESS_OR_EQUAL, 0, 0, 4, KD_PARAM_CODE,
      "the faulting instruction (parameter 4)" },
    { PAGE_FAULT_IN_NONPAGED_AREA, 0, 0, 3, KD_PARAM_CODE,
      "the faulting instruction (parameter 3)" },
    { DRIVER_PAGE_FAULT_BEYOND_END_OF_ALLOCATION, 0, 0, 3, KD_PARAM_CODE,
      "the faulting instruction (parameter 3)" },
    { DRIVER_PAGE_FAULT_IN_FREED_SPECIAL_POOL, 0, 0, 3, KD_PARAM_CODE,
      "the faulting instruction (parameter 3)" },
    { PAGE_FAULT_BEYOND_END_OF_ALLOCATION, 0, 0, 3, KD_PARAM_CODE,
      "the faulting instruction (parameter 3)" },
    { PAGE_FAULT_IN_FREED_SPECIAL_POOL, 0, 0, 3, KD_PARAM_CODE,
      "the faulting instruction (parameter 3)" },
    { IRQL_UNEXPECTED_VALUE, 0, 0, 2, KD_PARAM_CODE, "the routine that returned (parameter 2)" },
    { DRIVER_UNLOADED_WITHOUT_CANCELLING_PENDING_OPERATIONS, 0, 0, 1, KD_PARAM_CODE,
      "the code still running (parameter 1)" },
    { WORKER_THREAD_RETURNED_AT_BAD_IRQL, 0, 0, 1, KD_PARAM_CODE,
      "the work routine (parameter 1)" },
    { APC_INDEX_MISMATCH, 4, 1, 1, KD_PARAM_CODE, "the work routine (parameter 1)" },
    { DPC_WATCHDOG_VIOLATION, 1, 0, 4, KD_PARAM_CODE, "the DPC routine (parameter 4)" },
    { TIMER_OR_DPC_INVALID, 0, 0, 2, KD_PARAM_CODE, "the timer, DPC or routine (parameter 2)" },
    { TIMER_OR_DPC_INVALID, 0, 0, 3, KD_PARAM_IMAGE, "the image being unloaded (parameter 3)" },
    { DRIVER_VERIFIER_DETECTED_VIOLATION, 1, 0x62, 3, KD_PARAM_DRIVER,
      "the driver object (parameter 3)" },
    { DRIVER_VERIFIER_IOMANAGER_VIOLATION, 1, 0x05, 2, KD_PARAM_DEVICE,
      "the device object (parameter 2)" },
    { DRIVER_VERIFIER_IOMANAGER_VIOLATION, 1, 0x23D, 2, KD_PARAM_CODE,
      "the dispatch routine (parameter 2)" },
    { DRIVER_VERIFIER_IOMANAGER_VIOLATION, 1, 0x23E, 2, KD_PARAM_CODE,
      "the dispatch routine (parameter 2)" },
    { DRIVER_VERIFIER_IOMANAGER_VIOLATION, 1, 0x244, 2, KD_PARAM_CODE,
      "the driver's DriverEntry (parameter 2)" },
    { DRIVER_VERIFIER_IOMANAGER_VIOLATION, 1, 0x245, 2, KD_PARAM_CODE,
      "the driver's DriverEntry (parameter 2)" },
};

/* Exception codes of hardware faults: their address is the faulting instruction itself. */
static BOOLEAN KdpIsFaultCode(ULONG_PTR Code)
{
    switch ((NTSTATUS)(ULONG)Code) {
    case STATUS_ACCESS_VIOLATION:
    case STATUS_DATATYPE_MISALIGNMENT:
    case STATUS_BREAKPOINT:
    case STATUS_ILLEGAL_INSTRUCTION:
    case STATUS_INTEGER_DIVIDE_BY_ZERO:
    case STATUS_INTEGER_OVERFLOW:
        return TRUE;
    default:
        return FALSE;
    }
}

typedef struct _KD_CAUSE {
    ULONG_PTR Address;
    BOOLEAN ReturnAddress;
    PCSTR How;
    KD_THREAD_ENTRY *Thread;  /* whose stack it comes from, if any */
    const KD_STACK *Stack;
} KD_CAUSE;

static ULONG_PTR KdpDriverStart(ULONG_PTR DriverObject)
{
    DRIVER_OBJECT Driver;
    return KdpSafeRead(DriverObject, &Driver, sizeof(Driver)) ? (ULONG_PTR)Driver.DriverStart : 0;
}

static ULONG_PTR KdpDeviceDriverStart(ULONG_PTR DeviceObject)
{
    DEVICE_OBJECT Device;
    return KdpSafeRead(DeviceObject, &Device, sizeof(Device))
               ? KdpDriverStart((ULONG_PTR)Device.DriverObject)
               : 0;
}

static BOOLEAN KdpInCulprit(ULONG_PTR Address)
{
    const KD_MODULE *Module = KdpFindModule(Address);
    return Module && KdpIsCulpritKind(Module->Kind);
}

/* The innermost frame of Stack inside Module (and Function, if given). */
static LONG KdpFrameIn(const KD_STACK *Stack, const KD_MODULE *Module, PCSTR Function)
{
    ULONG i;
    for (i = 0; i < Stack->Count; i++) {
        KD_SYMBOL Symbol;
        if (KdpFindModule(Stack->Pc[i]) != Module)
            continue;
        if (Function == NULL ||
            (KdpSymbolize(Stack->Pc[i], !Stack->Activation[i], &Symbol) &&
             strcmp(Symbol.Function, Function) == 0))
            return (LONG)i;
    }
    return -1;
}

/* A routine named by a parameter may still be running on some thread (a DPC that spins, a
 * system thread that waits): that frame gives the line. */
static BOOLEAN KdpRefine(KD_CAUSE *Cause, const KD_MODULE *Module, PCSTR Function)
{
    ULONG t;
    for (t = 0; t < KdpThreadTableCount; t++) {
        KD_THREAD_ENTRY *Entry = &KdpThreadTable[t];
        LONG i = KdpFrameIn(&Entry->Stack, Module, Function);
        if (i >= 0) {
            /* The named address itself keeps its exactness. */
            if (Entry->Stack.Pc[i] != Cause->Address)
                Cause->ReturnAddress = !Entry->Stack.Activation[i];
            Cause->Address = Entry->Stack.Pc[i];
            Cause->Thread = Entry;
            Cause->Stack = &Entry->Stack;
            return TRUE;
        }
    }
    return FALSE;
}

static BOOLEAN KdpFirstCulpritFrame(KD_THREAD_ENTRY *Entry, KD_CAUSE *Cause)
{
    ULONG i;
    for (i = 0; i < Entry->Stack.Count; i++) {
        if (KdpInCulprit(Entry->Stack.Pc[i])) {
            Cause->Address = Entry->Stack.Pc[i];
            Cause->ReturnAddress = !Entry->Stack.Activation[i];
            Cause->Thread = Entry;
            Cause->Stack = &Entry->Stack;
            return TRUE;
        }
    }
    return FALSE;
}

/* 0xC4/0x62 (a leak at unload): where the first leaked block of the image was allocated. */
static ULONG_PTR KdpLeakCaller;

static VOID KdpNoteLeak(PVOID Block, ULONG Tag, SIZE_T Size, PVOID Caller, PVOID Context)
{
    (void)Block;
    (void)Tag;
    (void)Size;
    (void)Context;
    if (KdpLeakCaller == 0)
        KdpLeakCaller = (ULONG_PTR)Caller;
}

static VOID KdpFindLeak(PVOID Context)
{
    const KD_MODULE *Module = Context;
    SIZE_T Bytes;
    ExpCountImageAllocations(Module->Base, Module->End, &Bytes, KdpNoteLeak, NULL);
}

static VOID KdpFindCause(PKD_BUGCHECK BugCheck, KD_CAUSE *Cause)
{
    KD_THREAD_ENTRY *Self = KdpThreadTableCount > 0 ? &KdpThreadTable[0] : NULL;
    ULONG i, t;
    memset(Cause, 0, sizeof(*Cause));
    Cause->Thread = Self;
    Cause->Stack = Self ? &Self->Stack : NULL;
    if (KdpHaveExceptionStack && KdpInCulprit(KdpExceptionRegisters.Value[KD_REG_RIP])) {
        Cause->Address = KdpExceptionRegisters.Value[KD_REG_RIP];
        Cause->How = "the faulting instruction (exception context)";
        Cause->Stack = &KdpExceptionStack;
        return;
    }
    for (i = 0; i < sizeof(KdpBlame) / sizeof(KdpBlame[0]); i++) {
        ULONG_PTR Value, Address = 0;
        const KD_MODULE *Module;
        KD_SYMBOL Symbol;
        if (KdpBlame[i].Code != BugCheck->Code ||
            (KdpBlame[i].SubtypeParameter &&
             BugCheck->Parameter[KdpBlame[i].SubtypeParameter - 1] != KdpBlame[i].Subtype))
            continue;
        Value = BugCheck->Parameter[KdpBlame[i].Parameter - 1];
        switch (KdpBlame[i].Kind) {
        case KD_PARAM_EXCEPTION:
        case KD_PARAM_CODE:
        case KD_PARAM_IMAGE:
            Address = Value;
            break;
        case KD_PARAM_DRIVER:
            Address = KdpDriverStart(Value);
            break;
        case KD_PARAM_DEVICE:
            Address = KdpDeviceDriverStart(Value);
            break;
        }
        if (!KdpInCulprit(Address))
            continue;
        Module = KdpFindModule(Address);
        Cause->Address = Address;
        Cause->ReturnAddress = KdpBlame[i].Kind == KD_PARAM_EXCEPTION &&
                               !KdpIsFaultCode(BugCheck->Parameter[0]);
        Cause->How = KdpBlame[i].How;
        Cause->Stack = NULL;
        Cause->Thread = NULL;
        if (BugCheck->Code == DRIVER_VERIFIER_DETECTED_VIOLATION &&
            BugCheck->Parameter[0] == 0x62) {
            KdpLeakCaller = 0;
            if (KdpProtect("finding a leaked block", 1000, KdpFindLeak, (PVOID)Module) == 0 &&
                KdpLeakCaller != 0) {
                Cause->Address = KdpLeakCaller;
                Cause->ReturnAddress = TRUE;
                Cause->How = "where a block still allocated at unload was allocated";
            }
            return;
        }
        if (KdpBlame[i].Kind == KD_PARAM_CODE || KdpBlame[i].Kind == KD_PARAM_EXCEPTION) {
            if (KdpSymbolize(Address, FALSE, &Symbol) && Symbol.Function[0])
                KdpRefine(Cause, Module, Symbol.Function);
        } else if (Self && KdpFrameIn(&Self->Stack, Module, NULL) < 0) {
            KdpRefine(Cause, Module, NULL);
        } else if (Self) {
            LONG f = KdpFrameIn(&Self->Stack, Module, NULL);
            Cause->Address = Self->Stack.Pc[f];
            Cause->ReturnAddress = !Self->Stack.Activation[f];
            Cause->Thread = Self;
            Cause->Stack = &Self->Stack;
        }
        return;
    }
    /* A fault in the kernel on behalf of a driver (a DDI writing past a special pool block):
     * the driver's frame under the faulting one. */
    if (KdpHaveExceptionStack) {
        for (i = 0; i < KdpExceptionStack.Count; i++) {
            if (KdpInCulprit(KdpExceptionStack.Pc[i])) {
                Cause->Address = KdpExceptionStack.Pc[i];
                Cause->ReturnAddress = !KdpExceptionStack.Activation[i];
                Cause->Stack = &KdpExceptionStack;
                Cause->How = "the innermost driver frame of the faulting stack (exception context)";
                return;
            }
        }
    }
    if (Self && KdpFirstCulpritFrame(Self, Cause)) {
        Cause->How = "the innermost driver frame on the stack of the bugchecking thread";
        return;
    }
    /* A hang or a bug check raised for another thread: a waiting thread in driver code, one
     * that holds a mutex first (in a deadlock, each waiter holds what another wants). */
    for (t = 1; t < KdpThreadTableCount; t++) {
        PETHREAD Thread = KdpThreadTable[t].Thread;
        PLIST_ENTRY Owned = Thread ? Thread->Tcb.MutantListHead.Flink : NULL;
        if (Thread && Thread->Tcb.Waiting && Owned && Owned != &Thread->Tcb.MutantListHead &&
            KdpFirstCulpritFrame(&KdpThreadTable[t], Cause)) {
            Cause->How = "the innermost driver frame of a waiting thread that holds a mutex";
            return;
        }
    }
    for (t = 1; t < KdpThreadTableCount; t++) {
        if (KdpThreadTable[t].Thread && KdpThreadTable[t].Thread->Tcb.Waiting &&
            KdpFirstCulpritFrame(&KdpThreadTable[t], Cause)) {
            Cause->How = "the innermost driver frame of a waiting thread";
            return;
        }
    }
    for (t = 1; t < KdpThreadTableCount; t++) {
        if (KdpFirstCulpritFrame(&KdpThreadTable[t], Cause)) {
            Cause->How = "the innermost driver frame of another thread";
            return;
        }
    }
    /* No driver code anywhere: the kernel's caller of KeBugCheckEx. */
    Cause->Thread = Self;
    Cause->Stack = Self ? &Self->Stack : NULL;
    Cause->Address = Self && Self->Stack.Count > 1 ? Self->Stack.Pc[1] : 0;
    Cause->ReturnAddress = TRUE;
    Cause->How = "no driver code was found on any stack; the kernel's own frame";
}

static VOID KdpWriteCause(KDJ_WRITER *Writer, PVOID Context)
{
    KD_CAUSE Cause;
    KdpFindCause(Context, &Cause);
    KdjBeginObject(Writer, "cause");
    KdjString(Writer, "how", Cause.How);
    if (Cause.Address)
        KdpWriteLocation(Writer, Cause.Address, Cause.ReturnAddress);
    if (Cause.Thread && Cause.Thread->Thread)
        KdjUnsigned(Writer, "thread", (ULONG_PTR)Cause.Thread->Thread->Cid.UniqueThread);
    else if (Cause.Thread && Cause.Thread->State)
        KdjUnsigned(Writer, "linux_tid", (ULONG64)Cause.Thread->State->Tid);
    KdjEnd(Writer);
    if (KdpHaveExceptionStack) {
        KdjBeginObject(Writer, "exception");
        KdjHex(Writer, "rip", KdpExceptionRegisters.Value[KD_REG_RIP]);
        KdjHex(Writer, "rsp", KdpExceptionRegisters.Value[KD_REG_RSP]);
        KdpWriteStack(Writer, "stack", &KdpExceptionStack);
        KdjEnd(Writer);
    }
}

/* ---- Threads ---- */

static VOID KdpWriteOneThread(KDJ_WRITER *Writer, PVOID Context)
{
    KdjBeginObject(Writer, NULL);
    KdpWriteThread(Writer, Context);
    KdjEnd(Writer);
}

static VOID KdpCollect(PVOID Context)
{
    KdpCollectThreads(Context);
}

static VOID KdpWriteAllThreads(VOID)
{
    ULONG i;
    KdjBeginArray(&KdpWriter, "threads");
    for (i = 0; i < KdpThreadTableCount; i++)
        KdpSection("a thread", 10000, KdpWriteOneThread, &KdpThreadTable[i]);
    KdjEnd(&KdpWriter);
}

/* ---- Callbacks and log ---- */

static VOID KdpWriteCallbackData(PCSTR Kind, PCSTR Component, ULONG State, const GUID *Guid,
                                 const VOID *Data, ULONG Length, PCSTR Problem, PVOID Context)
{
    static PCSTR const States[] = { "empty", "inserted", "started", "finished", "incomplete" };
    static UCHAR Copy[4096];
    KDJ_WRITER *Writer = Context;
    ULONG Shown = Length;
    KdjBeginObject(Writer, NULL);
    KdjString(Writer, "kind", Kind);
    KdjString(Writer, "component", Component);
    KdjString(Writer, "state", State < 5 ? States[State] : "damaged");
    if (Guid) {
        CHAR Text[48];
        RtlpFormatA(Text, sizeof(Text), "{%08X-%04X-%04X-%02X%02X-%02X%02X%02X%02X%02X%02X}",
                    Guid->Data1, Guid->Data2, Guid->Data3, Guid->Data4[0], Guid->Data4[1],
                    Guid->Data4[2], Guid->Data4[3], Guid->Data4[4], Guid->Data4[5],
                    Guid->Data4[6], Guid->Data4[7]);
        KdjString(Writer, "guid", Text);
    }
    KdjUnsigned(Writer, "length", Length);
    if (Data && Length) {
        /* A basic callback's buffer is read here, secondary data was copied already. */
        if (strcmp(Kind, "bugcheck") == 0) {
            Shown = Length > sizeof(Copy) ? (ULONG)sizeof(Copy) : Length;
            if (!KdpSafeRead((ULONG_PTR)Data, Copy, Shown))
                Shown = 0;
            Data = Copy;
        }
        KdjHexBytes(Writer, "data_hex", Data, Shown);
        {
            CHAR Text[1024];
            ULONG i, n = Shown < sizeof(Text) ? Shown : (ULONG)sizeof(Text);
            for (i = 0; i < n; i++) {
                CHAR c = ((const CHAR *)Data)[i];
                Text[i] = (c >= 0x20 && c < 0x7F) || c == '\n' ? c : '.';
            }
            while (n > 0 && Text[n - 1] == '.')
                n--;
            KdjStringN(Writer, "data_text", Text, n);
        }
    }
    if (Problem)
        KdjString(Writer, "problem", Problem);
    KdjEnd(Writer);
}

static VOID KdpWriteCallbacks(KDJ_WRITER *Writer, PVOID Context)
{
    (void)Context;
    KdjBeginArray(Writer, "callbacks");
    KiReportBugCheckCallbacks(KdpWriteCallbackData, Writer);
    KiCollectSecondaryDumpData(KdpWriteCallbackData, Writer);
    KdjEnd(Writer);
}

static VOID KdpWriteLogLine(PCSTR Text, SIZE_T Length, PVOID Context)
{
    KdjStringN(Context, NULL, Text, Length);
}

static VOID KdpWriteLog(KDJ_WRITER *Writer, PVOID Context)
{
    (void)Context;
    KdjBeginArray(Writer, "log");
    KdpForEachLogLine(KdpWriteLogLine, Writer);
    KdjEnd(Writer);
}

static VOID KdpSectionModules(KDJ_WRITER *Writer, PVOID Context)
{
    (void)Context;
    KdpWriteModules(Writer);
}

static VOID KdpSectionProcessors(KDJ_WRITER *Writer, PVOID Context)
{
    (void)Context;
    KdpWriteProcessors(Writer);
}

static VOID KdpSectionHandles(KDJ_WRITER *Writer, PVOID Context)
{
    (void)Context;
    KdpWriteHandles(Writer);
}

static VOID KdpSectionPool(KDJ_WRITER *Writer, PVOID Context)
{
    (void)Context;
    KdpWritePool(Writer);
}

static VOID KdpUnwindAll(PVOID Context)
{
    KdpFindException(Context);
    KdpUnwindThreads();
}

/* The dump is written beside its name and renamed when done, so that a reader never sees half
 * of one (two runs in one directory replace each other's whole dumps). */
static BOOLEAN KdpCloseDump(VOID)
{
    int Fd = KdpDumpFd;
    if (Fd < 0)
        return FALSE;
    KdpDumpFd = -1;
    KdjFlush(&KdpWriter);
    close(Fd);
    return rename(KdpTemporaryPath, KdpFinalPath) == 0;
}

VOID KdpDumpAbandon(VOID)
{
    KdpCloseDump();
}

VOID KdpWriteCrashDump(PKD_BUGCHECK BugCheck)
{
    KDJ_WRITER *Writer = &KdpWriter;
    PCSTR Path = KdpDumpFile();
    ULONG i;
    int Fd;
    if (Path == NULL)
        return;
    RtlpFormatA(KdpTemporaryPath, sizeof(KdpTemporaryPath), "%s.%d.tmp", Path, (int)getpid());
    KdpFinalPath = Path;
    Fd = open(KdpTemporaryPath, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (Fd < 0) {
        KdpLog("ntk: cannot write the crash dump to %s (errno %d)\n", Path, errno);
        return;
    }
    KdjOpen(Writer, Fd);
    KdpDumpFd = Fd;
    KdjBeginObject(Writer, NULL);
    KdjString(Writer, "format", "ntk-dump");
    KdjUnsigned(Writer, "version", KD_DUMP_VERSION);
    KdjString(Writer, "generator", "ntk");
    KdpWriteTime(Writer);
    KdjUnsigned(Writer, "pid", (ULONG64)getpid());
    KdpWriteCommandLine(Writer);
    KdjUnsigned(Writer, "processor_count", KiProcessorCount);
    KdpSection("the bug check", 2000, KdpWriteBugCheck, BugCheck);

    KdpLoadModules();
    KdpPrepareSymbols();
    if (KdpProtect("finding the threads", 5000, KdpCollect, BugCheck) != 0 &&
        KdpProblemCount < KD_MAX_PROBLEMS)
        RtlpFormatA(KdpProblems[KdpProblemCount++], sizeof(KdpProblems[0]),
                    "finding the threads: some may be missing");
    KdpProtect("unwinding the stacks", 30000, KdpUnwindAll, BugCheck);

    KdpSection("the cause", 10000, KdpWriteCause, BugCheck);
    KdpWriteAllThreads();
    KdpSection("the processors", 5000, KdpSectionProcessors, NULL);
    KdpSection("the modules", 2000, KdpSectionModules, NULL);
    KdpSection("the callbacks", 10000, KdpWriteCallbacks, NULL);
    KdpSection("the handles", 5000, KdpSectionHandles, NULL);
    KdpSection("the pool", 3000, KdpSectionPool, NULL);
    KdpSection("the log", 2000, KdpWriteLog, NULL);
    KdjBeginArray(Writer, "dump_problems");
    for (i = 0; i < KdpProblemCount; i++)
        KdjString(Writer, NULL, KdpProblems[i]);
    KdjEnd(Writer);
    KdjUnwind(Writer, 0, NULL);
    if (!KdpCloseDump())
        KdpLog("ntk: cannot name the crash dump %s (errno %d)\n", Path, errno);
    else if (Writer->Failed)
        KdpLog("ntk: the crash dump %s is incomplete: a write failed\n", Path);
    else
        KdpLog("ntk: crash dump written to %s (explain it with: ntk analyze %s)\n", Path, Path);
}
