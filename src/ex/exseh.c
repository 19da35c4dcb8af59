/* Ex: structured exception handling, the dispatcher behind include/ntk/seh.h (docs/SEH.md).
 *
 * A thread's __try statements form a chain of RTLP_SEH_FRAMEs on its stack (RtlpSehFrameList,
 * innermost first). An exception is dispatched in two phases, as on Windows:
 *  1. The chain is searched innermost first and each __except filter runs, before anything is
 *     unwound. A filter is code of the function that holds the __try, so it runs in that
 *     function's frame: the dispatcher _longjmps there. The stack between the dispatcher and
 *     that frame (the raiser's frames, the dispatcher's own) would be overwritten by the
 *     filter, so it is first parked (copied aside); RtlpSehFilterDone copies it back and resumes
 *     the dispatcher with the verdict, as if the filter had been a call. A constant filter
 *     (EXCEPTION_EXECUTE_HANDLER ...) is known without running it.
 *  2. The frames between the raise and the handler are popped innermost first; each __finally
 *     block runs (reached by _longjmp; its statement's step comes back to RtlpSehUnwindNext),
 *     then the __except block of the handler's frame runs.
 * A __try/__finally left by return or goto runs its __finally the same way, from the
 * statement's cleanup: the cleanup parks its stack, the __finally block runs, and
 * RtlpSehExitNext resumes the cleanup, which lets the return or the goto proceed.
 *
 * Everything a dispatch needs lives in an activation: mapped memory, never the stack that is
 * parked or unwound. A thread's activations form a list, so that one abandoned because a nested
 * exception was handled further out is freed when that handler takes over. */
#include "ntkp.h"
#include "sehp.h"
#include "kdp.h"
#include <dlfcn.h>
#include <string.h>
#include <sys/mman.h>
#include <ucontext.h>

/* The registers a C function keeps across calls, where it resumes, and its FP control. */
typedef struct _RTLP_SEH_JUMP {
    ULONG64 Rbx, Rbp, R12, R13, R14, R15; /* 0x00 */
    ULONG64 Rsp, Rip;                     /* 0x30 */
    ULONG MxCsr;                          /* 0x40 */
    USHORT FpuControl;                    /* 0x44 */
} RTLP_SEH_JUMP;

#define RTLP_SEH_DISPATCH 1
#define RTLP_SEH_EXIT 2
#define RTLP_SEH_MAX_RECORDS 4 /* a record and the records it chains to, copied */
#define RTLP_SEH_MAX_NESTING 16
#define RTLP_SEH_RED_ZONE 128
#define RTLP_SEH_PARK_GRANULE (64 * 1024)
#define RTLP_SEH_PARK_KEEP (1024 * 1024)
#define RTLP_SEH_PARK_LIMIT (256 * 1024 * 1024)
#define RTLP_SEH_RESUMABLE (CONTEXT_CONTROL | CONTEXT_INTEGER) /* a context one can resume */

typedef struct _RTLP_SEH_ACTIVATION {
    CONTEXT Context; /* first: the mapping is page-aligned, CONTEXT wants 16 */
    EXCEPTION_RECORD Records[RTLP_SEH_MAX_RECORDS];
    EXCEPTION_POINTERS Pointers;
    struct _RTLP_SEH_ACTIVATION *Next; /* the thread's list, newest first */
    ULONG Type;
    BOOLEAN Resumable; /* continuing is possible: a software raise, or a complete Context */
    PRTLP_SEH_FRAME Frame;     /* the frame whose filter or __finally runs for it now */
    PRTLP_SEH_FRAME Target;    /* phase 2: the frame whose __except block runs */
    PRTLP_SEH_FRAME SavedList; /* the chain when the dispatch began */
    RTLP_SEH_JUMP Resume;      /* where the code that parked its stack resumes */
    ULONG_PTR ParkLow, ParkHigh;
    PUCHAR Park;
    SIZE_T ParkCapacity;
    LONG Verdict;
} RTLP_SEH_ACTIVATION, *PRTLP_SEH_ACTIVATION;

#define RTLP_SEH_ACTIVATION_SIZE ALIGN_UP_BY(sizeof(RTLP_SEH_ACTIVATION), PAGE_SIZE)

NTK_EXPORT __thread PRTLP_SEH_FRAME RtlpSehFrameList;
static __thread PRTLP_SEH_ACTIVATION RtlpSehActivations;
static __thread PRTLP_SEH_ACTIVATION RtlpSehSpare; /* one kept for the next exception */
static __thread BOOLEAN RtlpSehThreadKnown;        /* RtlpSehThreadKey is set for the thread */
static pthread_key_t RtlpSehThreadKey;
static pthread_once_t RtlpSehThreadOnce = PTHREAD_ONCE_INIT;

/* ---- Machine code: jumps the C library cannot make ---- */

__attribute__((returns_twice)) int RtlpSehSaveJump(RTLP_SEH_JUMP *Jump);
DECLSPEC_NORETURN VOID RtlpSehRestoreAndJump(PVOID Destination, const VOID *Source, SIZE_T Length,
                                             const RTLP_SEH_JUMP *Jump);
static VOID RtlpSehCopyStack(PVOID Destination, const VOID *Source, SIZE_T Length)
{
    __asm__ volatile("cld; rep movsb" : "+D"(Destination), "+S"(Source), "+c"(Length) : : "memory");
}

__asm__(".text\n"
        /* int RtlpSehSaveJump(RTLP_SEH_JUMP *): 0 now, 1 when RtlpSehRestoreAndJump resumes. */
        ".globl RtlpSehSaveJump\n"
        ".hidden RtlpSehSaveJump\n"
        ".type RtlpSehSaveJump, @function\n"
        "RtlpSehSaveJump:\n"
        "  .cfi_startproc\n"
        "  endbr64\n"
        "  movq %rbx, 0x00(%rdi)\n"
        "  movq %rbp, 0x08(%rdi)\n"
        "  movq %r12, 0x10(%rdi)\n"
        "  movq %r13, 0x18(%rdi)\n"
        "  movq %r14, 0x20(%rdi)\n"
        "  movq %r15, 0x28(%rdi)\n"
        "  leaq 8(%rsp), %rax\n"
        "  movq %rax, 0x30(%rdi)\n"
        "  movq (%rsp), %rax\n"
        "  movq %rax, 0x38(%rdi)\n"
        "  stmxcsr 0x40(%rdi)\n"
        "  fnstcw 0x44(%rdi)\n"
        "  xorl %eax, %eax\n"
        "  ret\n"
        "  .cfi_endproc\n"
        ".size RtlpSehSaveJump, .-RtlpSehSaveJump\n"
        /* RtlpSehRestoreAndJump(Destination, Source, Length, Jump): copies the parked bytes
         * back (the copy may overwrite this very stack, so nothing here uses it), then resumes
         * Jump with 1. */
        ".globl RtlpSehRestoreAndJump\n"
        ".hidden RtlpSehRestoreAndJump\n"
        ".type RtlpSehRestoreAndJump, @function\n"
        "RtlpSehRestoreAndJump:\n"
        "  .cfi_startproc\n"
        "  endbr64\n"
        "  movq %rcx, %r8\n"
        "  movq %rdx, %rcx\n"
        "  cld\n"
        "  rep movsb\n"
        "  ldmxcsr 0x40(%r8)\n"
        "  fldcw 0x44(%r8)\n"
        "  movq 0x00(%r8), %rbx\n"
        "  movq 0x08(%r8), %rbp\n"
        "  movq 0x10(%r8), %r12\n"
        "  movq 0x18(%r8), %r13\n"
        "  movq 0x20(%r8), %r14\n"
        "  movq 0x28(%r8), %r15\n"
        "  movq 0x30(%r8), %rsp\n"
        "  movl $1, %eax\n"
        "  jmp *0x38(%r8)\n"
        "  .cfi_endproc\n"
        ".size RtlpSehRestoreAndJump, .-RtlpSehRestoreAndJump\n"
        /* RtlpSehFilterDone(Frame, Verdict) and RtlpSehExitNext(Frame) are called by the macros
         * from the function that holds the __try: pass that function's stack pointer on. */
        ".globl RtlpSehFilterDone\n"
        ".type RtlpSehFilterDone, @function\n"
        "RtlpSehFilterDone:\n"
        "  .cfi_startproc\n"
        "  endbr64\n"
        "  leaq 8(%rsp), %rdx\n"
        "  jmp RtlpSehFilterDoneWithSp\n"
        "  .cfi_endproc\n"
        ".size RtlpSehFilterDone, .-RtlpSehFilterDone\n"
        ".globl RtlpSehExitNext\n"
        ".type RtlpSehExitNext, @function\n"
        "RtlpSehExitNext:\n"
        "  .cfi_startproc\n"
        "  endbr64\n"
        "  leaq 8(%rsp), %rsi\n"
        "  jmp RtlpSehExitNextWithSp\n"
        "  .cfi_endproc\n"
        ".size RtlpSehExitNext, .-RtlpSehExitNext\n"
        /* VOID RtlCaptureContext(PCONTEXT): the caller's registers, Rip and Rsp as they are
         * once this returns. */
        ".globl RtlCaptureContext\n"
        ".type RtlCaptureContext, @function\n"
        "RtlCaptureContext:\n"
        "  .cfi_startproc\n"
        "  endbr64\n"
        "  movq %rax, 0x78(%rdi)\n"
        "  movq %rcx, 0x80(%rdi)\n"
        "  movq %rdx, 0x88(%rdi)\n"
        "  movq %rbx, 0x90(%rdi)\n"
        "  leaq 8(%rsp), %rax\n"
        "  movq %rax, 0x98(%rdi)\n"
        "  movq %rbp, 0xA0(%rdi)\n"
        "  movq %rsi, 0xA8(%rdi)\n"
        "  movq %rdi, 0xB0(%rdi)\n"
        "  movq %r8, 0xB8(%rdi)\n"
        "  movq %r9, 0xC0(%rdi)\n"
        "  movq %r10, 0xC8(%rdi)\n"
        "  movq %r11, 0xD0(%rdi)\n"
        "  movq %r12, 0xD8(%rdi)\n"
        "  movq %r13, 0xE0(%rdi)\n"
        "  movq %r14, 0xE8(%rdi)\n"
        "  movq %r15, 0xF0(%rdi)\n"
        "  movq (%rsp), %rax\n"
        "  movq %rax, 0xF8(%rdi)\n"
        "  pushfq\n"
        "  .cfi_adjust_cfa_offset 8\n"
        "  popq %rax\n"
        "  .cfi_adjust_cfa_offset -8\n"
        "  movl %eax, 0x44(%rdi)\n"
        "  movw %cs, 0x38(%rdi)\n"
        "  movw %ds, 0x3A(%rdi)\n"
        "  movw %es, 0x3C(%rdi)\n"
        "  movw %fs, 0x3E(%rdi)\n"
        "  movw %gs, 0x40(%rdi)\n"
        "  movw %ss, 0x42(%rdi)\n"
        "  stmxcsr 0x34(%rdi)\n"
        "  fxsave 0x100(%rdi)\n"
        "  xorl %eax, %eax\n"
        "  movq %rax, 0x48(%rdi)\n" /* Dr0..Dr7: not captured */
        "  movq %rax, 0x50(%rdi)\n"
        "  movq %rax, 0x58(%rdi)\n"
        "  movq %rax, 0x60(%rdi)\n"
        "  movq %rax, 0x68(%rdi)\n"
        "  movq %rax, 0x70(%rdi)\n"
        "  movl $0x10000F, 0x30(%rdi)\n" /* CONTEXT_FULL | CONTEXT_SEGMENTS */
        "  movq 0x78(%rdi), %rax\n"
        "  ret\n"
        "  .cfi_endproc\n"
        ".size RtlCaptureContext, .-RtlCaptureContext\n"
        /* RtlpRestoreContext(PCONTEXT): resumes it through an interrupt-return frame built on
         * this stack, which lies below the context's own (so its red zone survives). */
        ".globl RtlpRestoreContext\n"
        ".hidden RtlpRestoreContext\n"
        ".type RtlpRestoreContext, @function\n"
        "RtlpRestoreContext:\n"
        "  .cfi_startproc\n"
        "  endbr64\n"
        "  fxrstor 0x100(%rdi)\n"
        "  ldmxcsr 0x34(%rdi)\n"
        "  movl %ss, %eax\n"
        "  pushq %rax\n"
        "  pushq 0x98(%rdi)\n"
        "  movl 0x44(%rdi), %eax\n"
        "  pushq %rax\n"
        "  movl %cs, %eax\n"
        "  pushq %rax\n"
        "  pushq 0xF8(%rdi)\n"
        "  movq 0x78(%rdi), %rax\n"
        "  movq 0x80(%rdi), %rcx\n"
        "  movq 0x88(%rdi), %rdx\n"
        "  movq 0x90(%rdi), %rbx\n"
        "  movq 0xA0(%rdi), %rbp\n"
        "  movq 0xA8(%rdi), %rsi\n"
        "  movq 0xB8(%rdi), %r8\n"
        "  movq 0xC0(%rdi), %r9\n"
        "  movq 0xC8(%rdi), %r10\n"
        "  movq 0xD0(%rdi), %r11\n"
        "  movq 0xD8(%rdi), %r12\n"
        "  movq 0xE0(%rdi), %r13\n"
        "  movq 0xE8(%rdi), %r14\n"
        "  movq 0xF0(%rdi), %r15\n"
        "  movq 0xB0(%rdi), %rdi\n"
        "  iretq\n"
        "  .cfi_endproc\n"
        ".size RtlpRestoreContext, .-RtlpRestoreContext\n");

/* ---- Misuse and broken chains ---- */

static KPROCESSOR_MODE RtlpSehCurrentMode(VOID)
{
    PKTHREAD Thread = KiCurrentThread;
    return Thread != NULL && Thread->ExecutingMode == UserMode ? UserMode : KernelMode;
}

/* The frames are not what the macros leave: a __try left by longjmp, a stack overwritten. A
 * user program's mistake ends the program; a kernel one is EXCEPTION_SCOPE_INVALID (0x14D). */
static DECLSPEC_NORETURN VOID RtlpSehFatal(PCSTR What, PVOID Where)
{
    PKTHREAD Thread = KiCurrentThread;
    KdpLog("ntk: SEH: %s (frame %p)\n", What, Where);
    if (RtlpSehCurrentMode() == UserMode) {
        Thread->ExecutingMode = KernelMode;
        PspTerminateProcess(PspCurrentProcess(), STATUS_BAD_STACK);
        PspExitThread(STATUS_BAD_STACK);
    }
    KeBugCheckEx(EXCEPTION_SCOPE_INVALID, (ULONG_PTR)Where, (ULONG_PTR)RtlpSehFrameList, 0, 0);
}

VOID RtlpSehBadChain(PRTLP_SEH_FRAME Frame)
{
    RtlpSehFatal("a __try statement ends but is not the innermost on this thread (a __try left "
                 "by longjmp?)",
                 Frame);
}

/* `break` or `continue` written directly in a __try block: they apply to the __try statement
 * (Windows: to the enclosing loop). Logged once per place. */
VOID RtlpSehJumpOut(PRTLP_SEH_FRAME Frame, LONG How)
{
    static PVOID Logged[32];
    PVOID Where = __builtin_return_address(0);
    ULONG i;
    Dl_info Info;
    if (RtlpSehFrameList != Frame)
        RtlpSehBadChain(Frame);
    RtlpSehFrameList = Frame->Next;
    Frame->Abnormal = 1;
    Frame->State =
        (Frame->Kind & RTLP_SEH_FINALLY_FRAME) ? RTLP_SEH_FINALLY_PENDING : RTLP_SEH_DONE;
    for (i = 0; i < RTL_NUMBER_OF(Logged); i++) {
        PVOID Seen = __atomic_load_n(&Logged[i], __ATOMIC_RELAXED);
        if (Seen == Where)
            return;
        if (Seen == NULL && __atomic_compare_exchange_n(&Logged[i], &Seen, Where, FALSE,
                                                        __ATOMIC_RELAXED, __ATOMIC_RELAXED))
            break;
    }
    if (dladdr(Where, &Info) == 0 || Info.dli_fname == NULL) {
        Info.dli_fname = "?";
        Info.dli_fbase = NULL;
    } else if (strrchr(Info.dli_fname, '/') != NULL) {
        Info.dli_fname = strrchr(Info.dli_fname, '/') + 1;
    }
    KdpLog("ntk: SEH: '%s' directly inside a __try block (%s+0x%llx) leaves the __try "
           "statement, not the enclosing loop as on Windows; use __leave\n",
           How ? "continue" : "break", Info.dli_fname,
           (unsigned long long)((ULONG_PTR)Where - (ULONG_PTR)Info.dli_fbase));
}

/* ---- Activations ---- */

static VOID RtlpSehUnmap(PRTLP_SEH_ACTIVATION Activation)
{
    if (Activation->Park != NULL)
        munmap(Activation->Park, Activation->ParkCapacity);
    munmap(Activation, RTLP_SEH_ACTIVATION_SIZE);
}

/* At thread exit: the spare, and whatever a thread ended in the middle of (a user program ended
 * by an exception raised in a filter, say). */
static VOID RtlpSehThreadExit(PVOID Unused)
{
    PRTLP_SEH_ACTIVATION Activation, Next;
    UNREFERENCED_PARAMETER(Unused);
    for (Activation = RtlpSehActivations; Activation != NULL; Activation = Next) {
        Next = Activation->Next;
        RtlpSehUnmap(Activation);
    }
    RtlpSehActivations = NULL;
    if (RtlpSehSpare != NULL)
        RtlpSehUnmap(RtlpSehSpare);
    RtlpSehSpare = NULL;
    RtlpSehFrameList = NULL;
}

static VOID RtlpSehCreateThreadKey(VOID)
{
    pthread_key_create(&RtlpSehThreadKey, RtlpSehThreadExit);
}

static PVOID RtlpSehMap(SIZE_T Size)
{
    PVOID Address = mmap(NULL, Size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (Address == MAP_FAILED) {
        KdpLog("ntk: SEH: out of memory for an exception dispatch\n");
        KeBugCheckEx(NO_EXCEPTION_HANDLING_SUPPORT, 0, Size, 0, 0);
    }
    return Address;
}

static PRTLP_SEH_ACTIVATION RtlpSehAllocate(ULONG Type)
{
    PRTLP_SEH_ACTIVATION Activation = RtlpSehSpare;
    PUCHAR Park = NULL;
    SIZE_T ParkCapacity = 0;
    if (!RtlpSehThreadKnown) {
        pthread_once(&RtlpSehThreadOnce, RtlpSehCreateThreadKey);
        pthread_setspecific(RtlpSehThreadKey, &RtlpSehThreadKey);
        RtlpSehThreadKnown = TRUE;
    }
    if (Activation != NULL) {
        RtlpSehSpare = NULL;
        Park = Activation->Park;
        ParkCapacity = Activation->ParkCapacity;
    } else {
        Activation = RtlpSehMap(RTLP_SEH_ACTIVATION_SIZE);
    }
    memset(Activation, 0, sizeof(*Activation));
    Activation->Park = Park;
    Activation->ParkCapacity = ParkCapacity;
    Activation->Type = Type;
    Activation->Next = RtlpSehActivations;
    RtlpSehActivations = Activation;
    return Activation;
}

static VOID RtlpSehRelease(PRTLP_SEH_ACTIVATION Activation)
{
    PRTLP_SEH_ACTIVATION *Link = &RtlpSehActivations;
    while (*Link != NULL && *Link != Activation)
        Link = &(*Link)->Next;
    if (*Link == Activation)
        *Link = Activation->Next;
    if (Activation->ParkCapacity > RTLP_SEH_PARK_KEEP) {
        munmap(Activation->Park, Activation->ParkCapacity);
        Activation->Park = NULL;
        Activation->ParkCapacity = 0;
    }
    if (RtlpSehSpare == NULL)
        RtlpSehSpare = Activation;
    else
        RtlpSehUnmap(Activation);
}

/* A handler at Target takes over: the code that was running a filter or a __finally below it
 * for another activation is gone, and so is that activation. */
static VOID RtlpSehReleaseBelow(PRTLP_SEH_FRAME Target, PRTLP_SEH_ACTIVATION Current)
{
    PRTLP_SEH_ACTIVATION Activation = RtlpSehActivations, Next;
    for (; Activation != NULL; Activation = Next) {
        Next = Activation->Next;
        if (Activation == Current ||
            (Activation->Frame != NULL && (ULONG_PTR)Activation->Frame < (ULONG_PTR)Target))
            RtlpSehRelease(Activation);
    }
}

static ULONG RtlpSehNesting(VOID)
{
    ULONG Count = 0;
    PRTLP_SEH_ACTIVATION Activation;
    for (Activation = RtlpSehActivations; Activation != NULL; Activation = Activation->Next)
        Count++;
    return Count;
}

/* Copies the stack from below the point Activation->Resume will resume up to High aside. */
static VOID RtlpSehPark(PRTLP_SEH_ACTIVATION Activation, ULONG_PTR High)
{
    ULONG_PTR Low = (Activation->Resume.Rsp - RTLP_SEH_RED_ZONE) & ~(ULONG_PTR)15;
    SIZE_T Size = High - Low;
    /* The frame is a local of a function further up this stack. Not so if the compiler moved
     * locals off the stack (ASan's detect_stack_use_after_return) or the chain is corrupt. */
    if (High <= Low || Size > RTLP_SEH_PARK_LIMIT)
        RtlpSehFatal("a __try frame is not on this thread's stack above the dispatcher (ASan's "
                     "detect_stack_use_after_return must be off)",
                     (PVOID)High);
    if (Size > Activation->ParkCapacity) {
        if (Activation->Park != NULL)
            munmap(Activation->Park, Activation->ParkCapacity);
        Activation->ParkCapacity = ALIGN_UP_BY(Size, RTLP_SEH_PARK_GRANULE);
        Activation->Park = RtlpSehMap(Activation->ParkCapacity);
    }
    RtlpSehCopyStack(Activation->Park, (PVOID)Low, Size);
    Activation->ParkLow = Low;
    Activation->ParkHigh = High;
}

/* ---- Phase 1: filters ---- */

/* Runs Frame's filter where it is written, with the stack below Frame parked meanwhile. */
static DECLSPEC_NOINLINE LONG RtlpSehEvaluateFilter(PRTLP_SEH_ACTIVATION Activation,
                                                    PRTLP_SEH_FRAME Frame)
{
    Frame->Code = Activation->Records[0].ExceptionCode;
    Frame->Pointers = &Activation->Pointers;
    Frame->Activation = Activation;
    Activation->Frame = Frame;
    if (RtlpSehSaveJump(&Activation->Resume) == 0) {
        RtlpSehPark(Activation, (ULONG_PTR)Frame);
        /* A nested exception in the filter searches from the frames around this __try. */
        RtlpSehFrameList = Frame->Next;
        Frame->State = RTLP_SEH_FILTER;
        _longjmp(Frame->Jmp, 1);
    }
    /* Back from RtlpSehFilterDoneWithSp: the stack is as it was. */
    RtlpSehFrameList = Activation->SavedList;
    Frame->State = RTLP_SEH_BODY;
    Frame->Pointers = NULL;
    Frame->Activation = NULL;
    Activation->Frame = NULL;
    return Activation->Verdict;
}

/* Runs on the stack it is about to overwrite: no sanitizer bookkeeping that would outlive it. */
__attribute__((used, noinline, no_sanitize("address"))) static DECLSPEC_NORETURN VOID
RtlpSehFilterDoneWithSp(PRTLP_SEH_FRAME Frame, LONG Verdict, ULONG_PTR CallerSp)
{
    PRTLP_SEH_ACTIVATION Activation = Frame->Activation;
    if (Frame->State != RTLP_SEH_FILTER || Activation == NULL || Activation->Frame != Frame ||
        CallerSp < Activation->ParkLow || CallerSp > Activation->ParkHigh)
        RtlpSehFatal("a filter finished that the dispatcher did not start", Frame);
    Activation->Verdict = Verdict;
    RtlpSehRestoreAndJump((PVOID)Activation->ParkLow, Activation->Park,
                          CallerSp - Activation->ParkLow, &Activation->Resume);
}

/* ---- Phase 2: unwinding ---- */

static DECLSPEC_NORETURN VOID RtlpSehUnwindFrom(PRTLP_SEH_ACTIVATION Activation)
{
    PRTLP_SEH_FRAME Frame;
    while ((Frame = RtlpSehFrameList) != Activation->Target) {
        if (Frame == NULL)
            RtlpSehFatal("the handler's frame left the chain during the unwind",
                         Activation->Target);
        RtlpSehFrameList = Frame->Next;
        if (Frame->Kind & RTLP_SEH_FINALLY_FRAME) {
            Frame->Abnormal = 1;
            Frame->Activation = Activation;
            Activation->Frame = Frame;
            Frame->State = RTLP_SEH_UNWIND_PENDING;
            _longjmp(Frame->Jmp, 1);
        }
        Frame->State = RTLP_SEH_DONE;
    }
    RtlpSehFrameList = Frame->Next;
    Frame->Code = Activation->Records[0].ExceptionCode;
    Frame->Pointers = NULL;
    Frame->Activation = NULL;
    Frame->State = RTLP_SEH_HANDLER_PENDING;
    RtlpSehReleaseBelow(Frame, Activation);
    _longjmp(Frame->Jmp, 1);
}

/* A __finally block ran for an unwind: on to the next frame. */
VOID RtlpSehUnwindNext(PRTLP_SEH_FRAME Frame)
{
    PRTLP_SEH_ACTIVATION Activation = Frame->Activation;
    if (Activation == NULL || Activation->Type != RTLP_SEH_DISPATCH || Activation->Frame != Frame)
        RtlpSehFatal("a __finally finished for an unwind that is not in progress", Frame);
    Frame->State = RTLP_SEH_DONE;
    Frame->Activation = NULL;
    Activation->Frame = NULL;
    RtlpSehUnwindFrom(Activation);
}

/* ---- Leaving a __try statement by return, goto or break ---- */

static DECLSPEC_NOINLINE VOID RtlpSehRunFinallyOnExit(PRTLP_SEH_FRAME Frame)
{
    PRTLP_SEH_ACTIVATION Activation = RtlpSehAllocate(RTLP_SEH_EXIT);
    Activation->Frame = Frame;
    Frame->Activation = Activation;
    Frame->Abnormal = 1;
    if (RtlpSehSaveJump(&Activation->Resume) == 0) {
        RtlpSehPark(Activation, (ULONG_PTR)Frame);
        Frame->State = RTLP_SEH_EXIT_PENDING;
        _longjmp(Frame->Jmp, 1);
    }
    /* Back from RtlpSehExitNextWithSp: the __finally block has run. */
    Frame->Activation = NULL;
    Frame->State = RTLP_SEH_DONE;
    RtlpSehRelease(Activation);
}

__attribute__((used, noinline, no_sanitize("address"))) static DECLSPEC_NORETURN VOID
RtlpSehExitNextWithSp(PRTLP_SEH_FRAME Frame, ULONG_PTR CallerSp)
{
    PRTLP_SEH_ACTIVATION Activation = Frame->Activation;
    if (Activation == NULL || Activation->Type != RTLP_SEH_EXIT || Activation->Frame != Frame ||
        CallerSp < Activation->ParkLow || CallerSp > Activation->ParkHigh)
        RtlpSehFatal("a __finally finished for a return that is not in progress", Frame);
    RtlpSehRestoreAndJump((PVOID)Activation->ParkLow, Activation->Park,
                          CallerSp - Activation->ParkLow, &Activation->Resume);
}

/* The statement's frame goes out of scope before the statement finished. */
VOID RtlpSehLeaveScope(PRTLP_SEH_FRAME Frame)
{
    PRTLP_SEH_ACTIVATION Activation = Frame->Activation;
    switch (Frame->State) {
    case RTLP_SEH_BODY:
        /* return or goto out of the __try block: an abnormal termination. */
        if (RtlpSehFrameList != Frame)
            RtlpSehBadChain(Frame);
        RtlpSehFrameList = Frame->Next;
        if (Frame->Kind & RTLP_SEH_FINALLY_FRAME)
            RtlpSehRunFinallyOnExit(Frame);
        break;
    case RTLP_SEH_UNWIND_RUNNING:
    case RTLP_SEH_EXIT_RUNNING:
        /* return or goto out of a __finally block that ran for an exception or a return: that
         * exception is dismissed, or that return abandoned, and this jump goes on. */
        Frame->Activation = NULL;
        if (Activation != NULL)
            RtlpSehReleaseBelow(Frame, Activation);
        break;
    case RTLP_SEH_FILTER:
        RtlpSehFatal("a filter left its __try statement", Frame);
    default:
        break;
    }
    Frame->State = RTLP_SEH_DONE;
}

/* ---- The dispatcher ---- */

static VOID RtlpSehCopyRecords(PRTLP_SEH_ACTIVATION Activation, PEXCEPTION_RECORD Record)
{
    ULONG i;
    for (i = 0; i < RTLP_SEH_MAX_RECORDS && Record != NULL; i++) {
        Activation->Records[i] = *Record;
        if (Activation->Records[i].NumberParameters > EXCEPTION_MAXIMUM_PARAMETERS)
            Activation->Records[i].NumberParameters = EXCEPTION_MAXIMUM_PARAMETERS;
        if (i > 0)
            Activation->Records[i - 1].ExceptionRecord = &Activation->Records[i];
        Record = Record->ExceptionRecord;
    }
    Activation->Records[i - 1].ExceptionRecord = NULL;
    Activation->Pointers.ExceptionRecord = &Activation->Records[0];
    Activation->Pointers.ContextRecord = &Activation->Context;
}

static VOID RtlpRaise(PEXCEPTION_RECORD Record, PCONTEXT Context);

static BOOLEAN RtlpSehDispatch(PEXCEPTION_RECORD Record, PCONTEXT Context, BOOLEAN Software)
{
    KPROCESSOR_MODE Mode = RtlpSehCurrentMode();
    ULONG_PTR Here = (ULONG_PTR)__builtin_frame_address(0);
    PRTLP_SEH_ACTIVATION Activation;
    PRTLP_SEH_FRAME Frame;
    LONG Verdict;

    if (RtlpSehNesting() >= RTLP_SEH_MAX_NESTING) {
        KdpLog("ntk: SEH: exception 0x%08X at %p raised while %u are being dispatched\n",
               (unsigned)Record->ExceptionCode, Record->ExceptionAddress, RTLP_SEH_MAX_NESTING);
        return FALSE;
    }
    Activation = RtlpSehAllocate(RTLP_SEH_DISPATCH);
    RtlpSehCopyRecords(Activation, Record);
    if (Context != NULL)
        Activation->Context = *Context;
    Activation->Resumable =
        Software ||
        (Context != NULL && (Context->ContextFlags & RTLP_SEH_RESUMABLE) == RTLP_SEH_RESUMABLE);
    Activation->SavedList = RtlpSehFrameList;

    for (Frame = Activation->SavedList; Frame != NULL; Frame = Frame->Next) {
        /* Live frames are above this one, inside their __try blocks. (Frames of one function
         * may lie in any order, so there is no order to check between them.) */
        if ((ULONG_PTR)Frame <= Here || Frame->State != RTLP_SEH_BODY) {
            RtlpSehRelease(Activation);
            RtlpSehFatal("a frame in the thread's __try chain is not a live __try block (one "
                         "left by longjmp?)",
                         Frame);
        }
        /* Never across the boundary between user and kernel mode. */
        if (((Frame->Kind & RTLP_SEH_USER_FRAME) != 0) != (Mode == UserMode))
            break;
        if (!(Frame->Kind & RTLP_SEH_EXCEPT_FRAME))
            continue;
        if (Frame->Kind & RTLP_SEH_CONSTANT_FILTER)
            Verdict = Frame->Filter;
        else
            Verdict = RtlpSehEvaluateFilter(Activation, Frame);
        if (Verdict > 0) {
            Activation->Target = Frame;
            RtlpSehUnwindFrom(Activation);
        }
        if (Verdict < 0) {
            if (Record->ExceptionFlags & EXCEPTION_NONCONTINUABLE) {
                EXCEPTION_RECORD Nested;
                memset(&Nested, 0, sizeof(Nested));
                Nested.ExceptionCode = STATUS_NONCONTINUABLE_EXCEPTION;
                Nested.ExceptionFlags = EXCEPTION_NONCONTINUABLE;
                Nested.ExceptionRecord = Record;
                Nested.ExceptionAddress = Record->ExceptionAddress;
                RtlpSehRelease(Activation);
                RtlpRaise(&Nested, Context);
                return FALSE; /* not reached: a noncontinuable raise does not return */
            }
            if (!Activation->Resumable)
                continue; /* nothing to resume: as EXCEPTION_CONTINUE_SEARCH */
            if (Context != NULL)
                *Context = Activation->Context;
            RtlpSehRelease(Activation);
            return TRUE;
        }
    }
    RtlpSehRelease(Activation);
    return FALSE;
}

BOOLEAN RtlpDispatchException(PEXCEPTION_RECORD Record, PCONTEXT Context)
{
    return RtlpSehDispatch(Record, Context, FALSE);
}

VOID RtlpUnhandledException(PEXCEPTION_RECORD Record, PCONTEXT Context)
{
    PKTHREAD Thread = KiCurrentThread;
    NTSTATUS Code = Record->ExceptionCode;
    if (RtlpSehCurrentMode() == UserMode) {
        KdpLog("ntk: user process: unhandled exception 0x%08X at %p; the process is terminated\n",
               (unsigned)Code, Record->ExceptionAddress);
        Thread->ExecutingMode = KernelMode;
        PspTerminateProcess(PspCurrentProcess(), Code);
        PspExitThread(Code);
    }
    KdpLog("ntk: exception 0x%08X at %p in kernel mode has no handler\n", (unsigned)Code,
           Record->ExceptionAddress);
    KdpNoteExceptionContext(Record, Context); /* the dump shows the faulting stack */
    if (Thread != NULL && ((PETHREAD)Thread)->SystemThread)
        KeBugCheckEx(SYSTEM_THREAD_EXCEPTION_NOT_HANDLED, (ULONG_PTR)(ULONG)Code,
                     (ULONG_PTR)Record->ExceptionAddress, (ULONG_PTR)Record, (ULONG_PTR)Context);
    KeBugCheckEx(KMODE_EXCEPTION_NOT_HANDLED, (ULONG_PTR)(ULONG)Code,
                 (ULONG_PTR)Record->ExceptionAddress,
                 Record->NumberParameters > 0 ? Record->ExceptionInformation[0] : 0,
                 Record->NumberParameters > 1 ? Record->ExceptionInformation[1] : 0);
}

/* ---- Raising ---- */

static VOID RtlpRaise(PEXCEPTION_RECORD Record, PCONTEXT Context)
{
    if (RtlpSehDispatch(Record, Context, TRUE))
        return;
    RtlpUnhandledException(Record, Context);
}

/* The context of the function that called the raise: Rip is where it continues. */
#define RTLP_CAPTURE_CALLER(Context)                                                              \
    do {                                                                                          \
        RtlCaptureContext(Context);                                                               \
        (Context)->Rip = (ULONG64)__builtin_return_address(0);                                    \
        (Context)->Rsp = (ULONG64)__builtin_frame_address(0) + 16;                                \
        (Context)->Rbp = *(ULONG64 *)__builtin_frame_address(0);                                  \
    } while (0)

NTK_EXPORT VOID NTAPI RtlRaiseException(PEXCEPTION_RECORD ExceptionRecord)
{
    CONTEXT Context;
    RTLP_CAPTURE_CALLER(&Context);
    ExceptionRecord->ExceptionAddress = __builtin_return_address(0);
    RtlpRaise(ExceptionRecord, &Context);
}

static DECLSPEC_NORETURN VOID RtlpRaiseStatus(NTSTATUS Status, PVOID Address, PCONTEXT Context)
{
    EXCEPTION_RECORD Record;
    memset(&Record, 0, sizeof(Record));
    Record.ExceptionCode = Status;
    Record.ExceptionFlags = EXCEPTION_NONCONTINUABLE;
    Record.ExceptionAddress = Address;
    RtlpRaise(&Record, Context);
    RtlpUnhandledException(&Record, Context); /* not reached */
}

/* The status goes out unchanged, a success code too; the exception is noncontinuable. */
NTK_EXPORT VOID ExRaiseStatus(NTSTATUS Status)
{
    CONTEXT Context;
    RTLP_CAPTURE_CALLER(&Context);
    RtlpRaiseStatus(Status, __builtin_return_address(0), &Context);
}

NTK_EXPORT VOID RtlRaiseStatus(NTSTATUS Status)
{
    CONTEXT Context;
    RTLP_CAPTURE_CALLER(&Context);
    RtlpRaiseStatus(Status, __builtin_return_address(0), &Context);
}

NTK_EXPORT VOID ExRaiseAccessViolation(VOID)
{
    CONTEXT Context;
    RTLP_CAPTURE_CALLER(&Context);
    RtlpRaiseStatus(STATUS_ACCESS_VIOLATION, __builtin_return_address(0), &Context);
}

NTK_EXPORT VOID ExRaiseDatatypeMisalignment(VOID)
{
    CONTEXT Context;
    RTLP_CAPTURE_CALLER(&Context);
    RtlpRaiseStatus(STATUS_DATATYPE_MISALIGNMENT, __builtin_return_address(0), &Context);
}

/* kernel32's RaiseException, for user programs: only EXCEPTION_NONCONTINUABLE is a flag the
 * caller sets; more than EXCEPTION_MAXIMUM_PARAMETERS arguments are cut to that many. */
NTK_EXPORT VOID WINAPI RaiseException(DWORD dwExceptionCode, DWORD dwExceptionFlags,
                                      DWORD nNumberOfArguments, const ULONG_PTR *lpArguments)
{
    EXCEPTION_RECORD Record;
    CONTEXT Context;
    ULONG i;
    RTLP_CAPTURE_CALLER(&Context);
    memset(&Record, 0, sizeof(Record));
    Record.ExceptionCode = (NTSTATUS)dwExceptionCode;
    Record.ExceptionFlags = dwExceptionFlags & EXCEPTION_NONCONTINUABLE;
    Record.ExceptionAddress = __builtin_return_address(0);
    if (lpArguments != NULL) {
        Record.NumberParameters = nNumberOfArguments > EXCEPTION_MAXIMUM_PARAMETERS
                                      ? EXCEPTION_MAXIMUM_PARAMETERS
                                      : nNumberOfArguments;
        for (i = 0; i < Record.NumberParameters; i++)
            Record.ExceptionInformation[i] = lpArguments[i];
    }
    RtlpRaise(&Record, &Context);
}

/* ---- Contexts ---- */

VOID RtlpContextFromSignal(PCONTEXT Context, const VOID *UContext)
{
    const ucontext_t *Signal = UContext;
    const greg_t *Gregs = Signal->uc_mcontext.gregs;
    USHORT Ss;
    __builtin_memset(Context, 0, sizeof(*Context));
    Context->ContextFlags = CONTEXT_FULL | CONTEXT_SEGMENTS;
    Context->Rax = (ULONG64)Gregs[REG_RAX];
    Context->Rcx = (ULONG64)Gregs[REG_RCX];
    Context->Rdx = (ULONG64)Gregs[REG_RDX];
    Context->Rbx = (ULONG64)Gregs[REG_RBX];
    Context->Rsp = (ULONG64)Gregs[REG_RSP];
    Context->Rbp = (ULONG64)Gregs[REG_RBP];
    Context->Rsi = (ULONG64)Gregs[REG_RSI];
    Context->Rdi = (ULONG64)Gregs[REG_RDI];
    Context->R8 = (ULONG64)Gregs[REG_R8];
    Context->R9 = (ULONG64)Gregs[REG_R9];
    Context->R10 = (ULONG64)Gregs[REG_R10];
    Context->R11 = (ULONG64)Gregs[REG_R11];
    Context->R12 = (ULONG64)Gregs[REG_R12];
    Context->R13 = (ULONG64)Gregs[REG_R13];
    Context->R14 = (ULONG64)Gregs[REG_R14];
    Context->R15 = (ULONG64)Gregs[REG_R15];
    Context->Rip = (ULONG64)Gregs[REG_RIP];
    Context->EFlags = (ULONG)Gregs[REG_EFL];
    Context->SegCs = (USHORT)(Gregs[REG_CSGSFS] & 0xFFFF);
    Context->SegGs = (USHORT)((Gregs[REG_CSGSFS] >> 16) & 0xFFFF);
    Context->SegFs = (USHORT)((Gregs[REG_CSGSFS] >> 32) & 0xFFFF);
    __asm__("movw %%ss, %0" : "=r"(Ss));
    Context->SegSs = Context->SegDs = Context->SegEs = Ss;
    if (Signal->uc_mcontext.fpregs != NULL) {
        __builtin_memcpy(&Context->FltSave, Signal->uc_mcontext.fpregs, sizeof(Context->FltSave));
        Context->MxCsr = Context->FltSave.MxCsr;
    }
}
