/* Kd private interfaces: the debug log's ring of recent lines, bug-check support (freezing the
 * other threads, protected phases, the crash dump) and hang detection. docs/CRASHDUMP.md
 * describes the dump; the host (the ntk command) supplies the unwinder and the symbolizer. */
#ifndef NTK_KDP_H
#define NTK_KDP_H

#include <ntddk.h>
#include <ntk/ddk/kebugcheck.h>
#include <sys/types.h>

NTK_EXTERN_C_START

/* ---- Progress, for hang detection ----
 * A thread that ran a system service, finished a wait, ran a DPC or changed IRQL has made
 * progress. The check is one load of a mostly read-shared word; the store happens once per
 * watchdog period at most. */
extern volatile LONG KdpProgress;
static inline VOID KdpNoteProgress(VOID)
{
    if (!__atomic_load_n(&KdpProgress, __ATOMIC_RELAXED))
        __atomic_store_n(&KdpProgress, 1, __ATOMIC_RELAXED);
}

/* ---- The host's side (the ntk command) ---- */

/* Registers in DWARF x86-64 numbering: rax rdx rcx rbx rsi rdi rbp rsp r8..r15, then rip. */
#define KD_REGISTER_COUNT 17
#define KD_REG_RBP 6
#define KD_REG_RSP 7
#define KD_REG_RIP 16
typedef struct _KD_REGISTERS {
    ULONG64 Value[KD_REGISTER_COUNT];
} KD_REGISTERS, *PKD_REGISTERS;

typedef struct _KD_SYMBOL {
    CHAR Module[128];        /* file name of the image */
    CHAR Path[256];          /* its path */
    ULONG_PTR ModuleBase;
    CHAR Function[128];      /* empty if unknown */
    ULONG_PTR FunctionOffset;
    CHAR File[256];          /* source file, empty if unknown */
    ULONG Line;
    CHAR InlineFile[256];    /* inside code inlined there (File:Line is the call), if any */
    ULONG InlineLine;
} KD_SYMBOL, *PKD_SYMBOL;

typedef struct _KD_DEBUG_HOOKS {
    /* Once per dump, before the first Unwind or Symbolize (e.g. to list the loaded images). */
    VOID (*Prepare)(VOID);
    /* Walks a stack from a register set: up to Max program counters, the first the
     * interrupted instruction; Activation[i] is TRUE where Pcs[i] is exact (not a return
     * address). Returns how many. Must read memory with KdpSafeRead. */
    ULONG (*Unwind)(const KD_REGISTERS *Registers, ULONG_PTR *Pcs, BOOLEAN *Activation,
                    ULONG Max);
    /* Fills Symbol for an address; ReturnAddress asks for the line of the call before it. */
    BOOLEAN (*Symbolize)(ULONG_PTR Pc, BOOLEAN ReturnAddress, PKD_SYMBOL Symbol);
} KD_DEBUG_HOOKS;

NTK_EXPORT VOID KdpSetDebugHooks(const KD_DEBUG_HOOKS *Hooks);
/* Reads memory that may not be mapped: FALSE instead of a fault. Async-signal-safe. */
NTK_EXPORT BOOLEAN KdpSafeRead(ULONG_PTR Address, PVOID Buffer, SIZE_T Length);
/* Where the crash dump goes; NULL or "none": no dump. Default: ./ntk-crash.dump. */
NTK_EXPORT VOID KdpSetDumpFile(PCSTR Path);
/* ntk run --expect-bugcheck: exit 0 if this code stops the kernel, 4 if another one does. */
#define KD_EXIT_BUGCHECK 3
#define KD_EXIT_EXPECTED_BUGCHECK 0
#define KD_EXIT_OTHER_BUGCHECK 4
#define KD_EXIT_NO_BUGCHECK 5
NTK_EXPORT VOID KdpSetExpectedBugCheck(ULONG Code);
/* The images the host loaded, so the dump can tell drivers from the rest. */
#define KD_IMAGE_DRIVER 1
#define KD_IMAGE_PROGRAM 2
NTK_EXPORT VOID KdpNoteImage(PCSTR Path, ULONG Kind);
/* --hang-timeout: no progress for Seconds is bug check 0xE2; also arms SIGQUIT, which asks
 * for the same dump at any time. Seconds 0 arms only the signal. */
NTK_EXPORT NTSTATUS KdpStartHangDetection(ULONG Seconds);

/* ---- Inside the kernel ---- */

/* An unhandled exception is about to become bug check 0x1E/0x7E: the dump unwinds the
 * faulting stack from Context. Call right before KeBugCheckEx. */
VOID KdpNoteExceptionContext(const EXCEPTION_RECORD *Record, const CONTEXT *Context);

/* The ring of the last debug-log lines (kdprint.c). */
#define KD_LOG_LINES 200
#define KD_LOG_LINE_MAX 240
typedef VOID (*KD_LOG_LINE_ROUTINE)(PCSTR Text, SIZE_T Length, PVOID Context);
VOID KdpForEachLogLine(KD_LOG_LINE_ROUTINE Routine, PVOID Context);
VOID KdpEnterBugCheckMode(VOID); /* the log stops waiting for its lock */
VOID KdpWriteRaw(PCSTR Text, SIZE_T Length); /* to the log's output, not into the ring */

/* A thread stopped by the bug check (or the one raising it). */
typedef struct _KD_THREAD_STATE {
    pid_t Tid;
    PKTHREAD Thread;         /* NULL: a host thread with no NT identity */
    KD_REGISTERS Registers;
    volatile LONG Ready;
} KD_THREAD_STATE, *PKD_THREAD_STATE;

#define KD_MAX_THREADS 512
#define KD_MAX_NESTED 8

typedef struct _KD_BUGCHECK {
    ULONG Code;
    ULONG_PTR Parameter[4];
    PCSTR Name;
    CHAR StopLine[200];
    KD_THREAD_STATE Self;    /* the bugchecking thread at KeBugCheckEx */
    KIRQL Irql;              /* its IRQL then */
    ULONG Processor;
    int ExitCode;
    ULONG FrozenCount;       /* entries of Frozen that are filled */
    KD_THREAD_STATE *Frozen;
    ULONG MissingCount;      /* threads that were signalled but did not stop */
    pid_t Missing[64];
    ULONG NestedCount;       /* bug checks raised while this one was handled */
    struct {
        ULONG Code;
        ULONG_PTR Parameter[4];
        CHAR During[48];
    } Nested[KD_MAX_NESTED];
    ULONG ConcurrentCount;   /* other threads that bugchecked at the same time */
    struct {
        pid_t Tid;
        ULONG Code;
        ULONG_PTR Parameter[4];
    } Concurrent[8];
    BOOLEAN HaveException;   /* KdpNoteExceptionContext was called */
    EXCEPTION_RECORD ExceptionRecord;
    KD_REGISTERS ExceptionRegisters;
} KD_BUGCHECK, *PKD_BUGCHECK;

/* Bug-check machinery (kdfreeze.c). */
VOID KdpBeginBugCheck(PKD_BUGCHECK BugCheck); /* signal handlers, deadline, SEH cut off */
VOID KdpFreezeExecution(PKD_BUGCHECK BugCheck);
DECLSPEC_NORETURN VOID KdpNestedBugCheck(ULONG Code, ULONG_PTR P1, ULONG_PTR P2,
                                         ULONG_PTR P3, ULONG_PTR P4);
DECLSPEC_NORETURN VOID KdpConcurrentBugCheck(ULONG Code, ULONG_PTR P1, ULONG_PTR P2,
                                             ULONG_PTR P3, ULONG_PTR P4);
DECLSPEC_NORETURN VOID KdpFinishBugCheck(VOID); /* exits with BugCheck->ExitCode */
/* Runs Routine so that a fault, a nested bug check or TimeoutMs passing returns here:
 * 0 if it ran to the end, else KD_PROTECT_*; What names the phase in reports. */
#define KD_PROTECT_NESTED 1
#define KD_PROTECT_FAULT 2
#define KD_PROTECT_TIMEOUT 3
typedef VOID (*KD_PROTECTED_ROUTINE)(PVOID Context);
/* While KdpNoRecovery > 0 (the dump writer between two consistent states) a time limit waits
 * a little instead of interrupting. */
extern volatile LONG KdpNoRecovery;
ULONG KdpProtect(PCSTR What, ULONG TimeoutMs, KD_PROTECTED_ROUTINE Routine, PVOID Context);
PCSTR KdpProtectReason(ULONG Reason);
VOID KdpCaptureRegisters(PKD_REGISTERS Registers, const VOID *UContext);

/* The dump (kddump.c) and what it asks the bug-check code for (kebug.c). */
VOID KdpWriteCrashDump(PKD_BUGCHECK BugCheck);
VOID KdpDumpAbandon(VOID); /* the process must end now: keep what was written */
PCSTR KdpDumpFile(VOID);
typedef VOID (*KD_CALLBACK_DATA_ROUTINE)(PCSTR Kind, PCSTR Component, ULONG State,
                                         const GUID *Guid, const VOID *Data, ULONG Length,
                                         PCSTR Problem, PVOID Context);
VOID KiReportBugCheckCallbacks(KD_CALLBACK_DATA_ROUTINE Routine, PVOID Context);
VOID KiCollectSecondaryDumpData(KD_CALLBACK_DATA_ROUTINE Routine, PVOID Context);
extern PKD_BUGCHECK KiActiveBugCheck;

/* Host configuration kept by kd (kdhost.c). */
ULONG KdpImageKind(PCSTR Path);
ULONG KdpExpectedBugCheck(BOOLEAN *Set);
const KD_DEBUG_HOOKS *KdpDebugHooks(VOID);
BOOLEAN KdpNotedException(pid_t Tid, PEXCEPTION_RECORD Record, PKD_REGISTERS Registers);

NTK_EXTERN_C_END

#endif
