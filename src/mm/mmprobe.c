/* Mm: probing and capturing user buffers, and turning host faults into NT outcomes.
 * A copy from or to a user buffer runs under a per-thread recovery point: a fault there makes
 * the copy fail with STATUS_ACCESS_VIOLATION, as the __try around Windows' copies does. */
#include "ntkp.h"
#include "sehp.h"
#include "kdp.h"
#include "../vf/vfddi.h"
#include <dlfcn.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <ucontext.h>
#include <unistd.h>

typedef struct _MI_RECOVERY {
    jmp_buf Frame;
    PVOID FaultAddress;
} MI_RECOVERY;

/* volatile: the compiler must not move these stores across the guarded copy. */
static __thread MI_RECOVERY *volatile MiRecovery;

static NTSTATUS MiCheckRange(const VOID *Address, SIZE_T Length, ULONG Alignment)
{
    ULONG_PTR Start = (ULONG_PTR)Address, End;
    if (Length == 0)
        return STATUS_SUCCESS;
    if (Alignment > 1 && (Start & (Alignment - 1)) != 0)
        return STATUS_DATATYPE_MISALIGNMENT;
    End = Start + Length;
    /* The first 64 KiB are never mapped, on Windows as on Linux: no need to touch them. */
    if (End < Start || End > MmUserProbeAddress || Start < (ULONG_PTR)MM_LOWEST_USER_ADDRESS)
        return STATUS_ACCESS_VIOLATION;
    return STATUS_SUCCESS;
}

NTSTATUS MmpProbeUserRange(const VOID *Address, SIZE_T Length, ULONG Alignment)
{
    return MiCheckRange(Address, Length, Alignment);
}

/* Runs Operation(Context) under a recovery point: STATUS_ACCESS_VIOLATION if it faulted.
 * Nothing here changes after _setjmp, so no local can be clobbered by the return through it. */
static NTSTATUS MiGuarded(VOID (*Operation)(PVOID), PVOID Context)
{
    MI_RECOVERY Recovery;
    MI_RECOVERY *Saved = MiRecovery;
    if (_setjmp(Recovery.Frame) != 0) {
        MiRecovery = Saved;
        return STATUS_ACCESS_VIOLATION;
    }
    MiRecovery = &Recovery;
    Operation(Context);
    MiRecovery = Saved;
    return STATUS_SUCCESS;
}

typedef struct _MI_COPY {
    PVOID Destination;
    const VOID *Source;
    SIZE_T Length;
    BOOLEAN Write;
} MI_COPY;

/* User memory is the user program's to get wrong: the kernel copies what lies there, as
 * Windows does, so sanitizers must not instrument these accesses (rep movsb is not). */
static VOID MiCopy(PVOID Context)
{
    MI_COPY *Copy = Context;
    PVOID Destination = Copy->Destination;
    const VOID *Source = Copy->Source;
    SIZE_T Length = Copy->Length;
    __asm__ volatile("rep movsb" : "+D"(Destination), "+S"(Source), "+c"(Length) : : "memory");
}

static NTSTATUS MiGuardedCopy(PVOID Destination, const VOID *Source, SIZE_T Length)
{
    MI_COPY Copy = { Destination, Source, Length, FALSE };
    return MiGuarded(MiCopy, &Copy);
}

NTSTATUS MmpCopyFromUser(PVOID Destination, const VOID *UserSource, SIZE_T Length)
{
    NTSTATUS Status = MiCheckRange(UserSource, Length, 1);
    if (!NT_SUCCESS(Status) || Length == 0)
        return Status;
    return MiGuardedCopy(Destination, UserSource, Length);
}

NTSTATUS MmpCopyToUser(PVOID UserDestination, const VOID *Source, SIZE_T Length)
{
    NTSTATUS Status = MiCheckRange(UserDestination, Length, 1);
    if (!NT_SUCCESS(Status) || Length == 0)
        return Status;
    return MiGuardedCopy(UserDestination, Source, Length);
}

/* Touches one byte per page (reading, or writing the same value back). */
__attribute__((no_sanitize("address"))) static VOID MiTouch(PVOID Context)
{
    MI_COPY *Touch = Context;
    volatile UCHAR *Byte = (volatile UCHAR *)Touch->Destination;
    volatile UCHAR *Last = Byte + Touch->Length - 1;
    for (;;) {
        UCHAR Value = *Byte;
        if (Touch->Write)
            *Byte = Value;
        if (PAGE_ALIGN((PVOID)Byte) == PAGE_ALIGN((PVOID)Last))
            break;
        Byte = (volatile UCHAR *)PAGE_ALIGN((PVOID)Byte) + PAGE_SIZE;
    }
    if (Byte != Last) {
        UCHAR Value = *Last;
        if (Touch->Write)
            *Last = Value;
    }
}

NTSTATUS MmpTouchUserRange(volatile VOID *Address, SIZE_T Length, BOOLEAN Write)
{
    MI_COPY Touch = { (PVOID)Address, NULL, Length, Write };
    if (Length == 0)
        return STATUS_SUCCESS;
    return MiGuarded(MiTouch, &Touch);
}

VOID ProbeForRead(const volatile VOID *Address, SIZE_T Length, ULONG Alignment)
{
    VF_CHECK_IRQL(ProbeForRead);
    NTSTATUS Status = MiCheckRange((const VOID *)Address, Length, Alignment);
    if (!NT_SUCCESS(Status))
        ExRaiseStatus(Status);
}

VOID ProbeForWrite(volatile VOID *Address, SIZE_T Length, ULONG Alignment)
{
    VF_CHECK_IRQL(ProbeForWrite);
    NTSTATUS Status = MiCheckRange((const VOID *)Address, Length, Alignment);
    if (NT_SUCCESS(Status))
        Status = MmpTouchUserRange(Address, Length, TRUE);
    if (!NT_SUCCESS(Status))
        ExRaiseStatus(Status);
}

/* ---- Host faults ---- */

static DECLSPEC_NORETURN VOID MiResumeRecovery(VOID)
{
    _longjmp(MiRecovery->Frame, 1);
}

static VOID MiRedirect(ucontext_t *Context, PVOID Target, ULONG_PTR A0, ULONG_PTR A1,
                       ULONG_PTR A2, ULONG_PTR A3)
{
    greg_t *Regs = Context->uc_mcontext.gregs;
    ULONG_PTR Sp = ((ULONG_PTR)Regs[REG_RSP] - 256) & ~(ULONG_PTR)15;
    /* A return address that points at the fault keeps backtraces meaningful. */
    Sp -= 8;
    *(ULONG_PTR *)Sp = (ULONG_PTR)Regs[REG_RIP];
    Regs[REG_RSP] = (greg_t)Sp;
    Regs[REG_RIP] = (greg_t)(ULONG_PTR)Target;
    Regs[REG_RDI] = (greg_t)A0;
    Regs[REG_RSI] = (greg_t)A1;
    Regs[REG_RDX] = (greg_t)A2;
    Regs[REG_RCX] = (greg_t)A3;
}

/* Code in libntk is the kernel's; anything else that faults in kernel mode is a driver's. */
static BOOLEAN MiIsKernelCode(ULONG_PTR Pc)
{
    Dl_info Fault, Kernel;
    return dladdr((PVOID)Pc, &Fault) && dladdr((PVOID)MiIsKernelCode, &Kernel) &&
           Fault.dli_fbase == Kernel.dli_fbase;
}

/* Kernel-space memory that is there but read-only: system space, and the images of drivers and
 * of the kernel (on Windows they live in system space; ntk maps them low). */
static BOOLEAN MiIsReadOnlyKernelMemory(ULONG_PTR Address)
{
    Dl_info Image;
    if (Address < MI_SYSTEM_RANGE_START && !dladdr((PVOID)Address, &Image))
        return FALSE;
    return MmpTouchUserRange((PVOID)Address, 1, FALSE) == STATUS_SUCCESS;
}

/* Page faults Windows never turns into exceptions: the special pool's (0xD6/0xCD past a block,
 * 0xD5/0xCC in a freed one), a write to read-only kernel memory (0xBE: a driver's constant
 * string, its code, a secure pool), any at DISPATCH_LEVEL or above (0xD1 in a driver, 0xA in
 * the kernel), and a bad system address (0x50): no __try can catch them. */
static VOID MiCheckFatalPageFault(PEXCEPTION_RECORD Record, PCONTEXT Context)
{
    PKTHREAD Thread = KiCurrentThread;
    ULONG_PTR Access, Address, Pc = (ULONG_PTR)Record->ExceptionAddress;
    BOOLEAN ReadOnly;
    if (Thread == NULL || Thread->ExecutingMode != KernelMode ||
        Record->ExceptionCode != STATUS_ACCESS_VIOLATION || Record->NumberParameters < 2)
        return;
    Access = Record->ExceptionInformation[0];
    Address = Record->ExceptionInformation[1];
    ReadOnly = Access == 1 && MiIsReadOnlyKernelMemory(Address);
    /* Each case below is a bug check: the dump unwinds from the fault. */
    if (ReadOnly || Thread->Irql >= DISPATCH_LEVEL || Address >= MI_SYSTEM_RANGE_START)
        KdpNoteExceptionContext(Record, Context);
    ExpSpecialPoolFault(Address, Access, Pc, !MiIsKernelCode(Pc));
    /* Parameter 2 is the page table entry on Windows: ntk has none to show. */
    if (ReadOnly)
        KeBugCheckEx(ATTEMPTED_WRITE_TO_READONLY_MEMORY, Address, 0, 0, 0);
    if (Thread->Irql >= DISPATCH_LEVEL)
        KeBugCheckEx(MiIsKernelCode(Pc) ? IRQL_NOT_LESS_OR_EQUAL : DRIVER_IRQL_NOT_LESS_OR_EQUAL,
                     Address, Thread->Irql, Access, Pc);
    if (Address >= MI_SYSTEM_RANGE_START)
        /* x64 parameter 2: 0 read, 2 write, 0x10 execute; parameter 4: not-present PTE. */
        KeBugCheckEx(PAGE_FAULT_IN_NONPAGED_AREA, Address,
                     Access == 1 ? 2 : Access == 8 ? 0x10 : 0, Pc, 2);
}

/* Runs on the faulting thread's own stack: the exception goes to the thread's __try frames. */
static DECLSPEC_NORETURN VOID MiDispatchFault(PEXCEPTION_RECORD Record, PCONTEXT Context)
{
    MiCheckFatalPageFault(Record, Context);
    /* The first touch of a guard page: its own exception, and the page is ordinary from then
     * on. */
    if (Record->ExceptionCode == STATUS_ACCESS_VIOLATION && Record->NumberParameters >= 2 &&
        Record->ExceptionInformation[1] < MI_USER_PROBE_ADDRESS &&
        MmpTakeGuardPage(Record->ExceptionInformation[1]))
        Record->ExceptionCode = STATUS_GUARD_PAGE_VIOLATION;
    if (RtlpDispatchException(Record, Context))
        RtlpRestoreContext(Context);
    /* Nobody handled it: the user process ends, or the kernel stops with Windows' code. */
    RtlpUnhandledException(Record, Context);
}

/* Builds the exception record and the full context below the faulting stack pointer (and its
 * red zone), then redirects the thread to MiDispatchFault on that stack. */
static VOID MiRedirectToDispatch(ucontext_t *Context, NTSTATUS Code, int Signal, siginfo_t *Info)
{
    greg_t *Regs = Context->uc_mcontext.gregs;
    ULONG_PTR Sp = ((ULONG_PTR)Regs[REG_RSP] - 256) & ~(ULONG_PTR)63;
    PCONTEXT Ctx;
    PEXCEPTION_RECORD Record;
    Sp -= sizeof(CONTEXT);
    Ctx = (PCONTEXT)Sp;
    Sp = (Sp - sizeof(EXCEPTION_RECORD)) & ~(ULONG_PTR)15;
    Record = (PEXCEPTION_RECORD)Sp;
    RtlpContextFromSignal(Ctx, Context);
    __builtin_memset(Record, 0, sizeof(*Record));
    Record->ExceptionCode = Code;
    Record->ExceptionAddress = (PVOID)Regs[REG_RIP];
    if (Signal == SIGTRAP) /* int3 has executed: the breakpoint is the byte before */
        Record->ExceptionAddress = (PVOID)(Regs[REG_RIP] - 1);
    if (Signal == SIGSEGV || (Signal == SIGBUS && Code == STATUS_ACCESS_VIOLATION)) {
        greg_t Err = Regs[REG_ERR];
        Record->NumberParameters = 2;
        Record->ExceptionInformation[0] = (Err & 0x10) ? 8 : (Err & 2) ? 1 : 0;
        Record->ExceptionInformation[1] = (ULONG_PTR)Info->si_addr;
    }
    Regs[REG_RSP] = (greg_t)(Sp - 8);
    *(ULONG_PTR *)(Sp - 8) = (ULONG_PTR)Regs[REG_RIP];
    Regs[REG_RIP] = (greg_t)(ULONG_PTR)MiDispatchFault;
    Regs[REG_RDI] = (greg_t)(ULONG_PTR)Record;
    Regs[REG_RSI] = (greg_t)(ULONG_PTR)Ctx;
}

static void MiFaultHandler(int Signal, siginfo_t *Info, void *RawContext)
{
    ucontext_t *Context = RawContext;
    NTSTATUS Code;
    switch (Signal) {
    case SIGSEGV:
        Code = STATUS_ACCESS_VIOLATION;
        break;
    case SIGBUS:
        Code = Info->si_code == BUS_ADRALN ? STATUS_DATATYPE_MISALIGNMENT
                                           : STATUS_ACCESS_VIOLATION;
        break;
    case SIGFPE:
        Code = Info->si_code == FPE_INTOVF ? STATUS_INTEGER_OVERFLOW
                                           : STATUS_INTEGER_DIVIDE_BY_ZERO;
        break;
    case SIGILL:
        Code = STATUS_ILLEGAL_INSTRUCTION;
        break;
    default:
        Code = STATUS_BREAKPOINT;
        break;
    }
    /* Force IRQL checking: paged pool "paged out" at a raise comes back in below
     * DISPATCH_LEVEL, and the access is retried. */
    if (Signal == SIGSEGV && ExpForceIrqlChecking &&
        ExpPageInPagedPool((ULONG_PTR)Info->si_addr,
                           KiCurrentThread ? KiCurrentThread->Irql : PASSIVE_LEVEL))
        return;
    if ((Signal == SIGSEGV || Signal == SIGBUS) && MiRecovery != NULL) {
        MiRecovery->FaultAddress = Info->si_addr;
        MiRedirect(Context, (PVOID)MiResumeRecovery, 0, 0, 0, 0);
        return;
    }
    MiRedirectToDispatch(Context, Code, Signal, Info);
}

VOID MmpInstallFaultHandlers(VOID)
{
    static const int Signals[] = { SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGTRAP };
    struct sigaction Action;
    size_t i;
    memset(&Action, 0, sizeof(Action));
    Action.sa_sigaction = MiFaultHandler;
    Action.sa_flags = SA_SIGINFO | SA_ONSTACK | SA_NODEFER;
    sigemptyset(&Action.sa_mask);
    for (i = 0; i < sizeof(Signals) / sizeof(Signals[0]); i++)
        sigaction(Signals[i], &Action, NULL);
}
