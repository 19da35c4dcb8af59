/* ntk — structured exception handling for C and C++ built with gcc or clang:
 * __try / __except (filter) / __finally / __leave, GetExceptionCode(),
 * GetExceptionInformation(), AbnormalTermination(), and the Windows x64 records
 * (EXCEPTION_RECORD, CONTEXT, EXCEPTION_POINTERS). docs/SEH.md explains the design and lists
 * what differs from Microsoft's compiler; in short:
 *   - a local changed inside __try and read in the filter, the handler or after the statement
 *     must be volatile (the handler is reached by a longjmp);
 *   - break and continue written directly in a __try, __except or __finally block leave the
 *     __try statement itself, not the enclosing loop (ntk logs it once for a __try block);
 *   - __leave goes to the end of the innermost __try body it is written in, as on Windows;
 *   - GetExceptionInformation() is valid only in the filter, as on Windows.
 * Filters run before any unwinding, on the raising thread, with the raiser's frames intact, so
 * EXCEPTION_CONTINUE_EXECUTION resumes the raise (and a hardware fault, when its context is
 * known); __finally blocks run innermost first during the unwind, then the __except block. */
#ifndef NTK_SEH_H
#define NTK_SEH_H

#include <ntk/ntkbase.h>
#include <setjmp.h>

/* gcc's -Wclobbered (in -Wextra) flags every local that lives across the _setjmp of a __try,
 * loop counters included, whatever happens to it. The rule it approximates is the one above:
 * what the __try block changes and the handler or the code after reads must be volatile. */
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wclobbered"
#endif

NTK_EXTERN_C_START

/* ---- Records (winnt.h / wdm.h, x64 layout) ---- */

#define EXCEPTION_MAXIMUM_PARAMETERS 15
#define EXCEPTION_NONCONTINUABLE 0x1
#define EXCEPTION_UNWINDING 0x2
#define EXCEPTION_EXIT_UNWIND 0x4
#define EXCEPTION_STACK_INVALID 0x8
#define EXCEPTION_NESTED_CALL 0x10
#define EXCEPTION_TARGET_UNWIND 0x20
#define EXCEPTION_COLLIDED_UNWIND 0x40
#define EXCEPTION_UNWIND (EXCEPTION_UNWINDING | EXCEPTION_EXIT_UNWIND | EXCEPTION_TARGET_UNWIND | \
                          EXCEPTION_COLLIDED_UNWIND)

#define EXCEPTION_EXECUTE_HANDLER 1
#define EXCEPTION_CONTINUE_SEARCH 0
#define EXCEPTION_CONTINUE_EXECUTION (-1)

/* 0x98 bytes. ExceptionCode is NTSTATUS (signed) in both modes, so that comparisons with the
 * STATUS_* and EXCEPTION_* codes compile cleanly under -Wextra. */
typedef struct _EXCEPTION_RECORD {
    NTSTATUS ExceptionCode;
    ULONG ExceptionFlags;
    struct _EXCEPTION_RECORD *ExceptionRecord;
    PVOID ExceptionAddress;
    ULONG NumberParameters;
    ULONG_PTR ExceptionInformation[EXCEPTION_MAXIMUM_PARAMETERS];
} EXCEPTION_RECORD, *PEXCEPTION_RECORD;

typedef struct DECLSPEC_ALIGN(16) _M128A {
    ULONGLONG Low;
    LONGLONG High;
} M128A, *PM128A;

/* The FXSAVE image: 0x200 bytes. */
typedef struct DECLSPEC_ALIGN(16) _XSAVE_FORMAT {
    USHORT ControlWord;
    USHORT StatusWord;
    UCHAR TagWord;
    UCHAR Reserved1;
    USHORT ErrorOpcode;
    ULONG ErrorOffset;
    USHORT ErrorSelector;
    USHORT Reserved2;
    ULONG DataOffset;
    USHORT DataSelector;
    USHORT Reserved3;
    ULONG MxCsr;
    ULONG MxCsr_Mask;
    M128A FloatRegisters[8];
    M128A XmmRegisters[16];
    UCHAR Reserved4[96];
} XSAVE_FORMAT, *PXSAVE_FORMAT;
typedef XSAVE_FORMAT XMM_SAVE_AREA32, *PXMM_SAVE_AREA32;

#define CONTEXT_AMD64 0x00100000L
#define CONTEXT_CONTROL (CONTEXT_AMD64 | 0x1L)
#define CONTEXT_INTEGER (CONTEXT_AMD64 | 0x2L)
#define CONTEXT_SEGMENTS (CONTEXT_AMD64 | 0x4L)
#define CONTEXT_FLOATING_POINT (CONTEXT_AMD64 | 0x8L)
#define CONTEXT_DEBUG_REGISTERS (CONTEXT_AMD64 | 0x10L)
#define CONTEXT_FULL (CONTEXT_CONTROL | CONTEXT_INTEGER | CONTEXT_FLOATING_POINT)
#define CONTEXT_ALL                                                                               \
    (CONTEXT_CONTROL | CONTEXT_INTEGER | CONTEXT_SEGMENTS | CONTEXT_FLOATING_POINT |               \
     CONTEXT_DEBUG_REGISTERS)

/* The full x64 CONTEXT: 0x4D0 bytes, 16-byte aligned. ntk fills the control, integer, segment
 * and floating-point (FXSAVE) parts; debug registers, VectorRegister (AVX) and the branch
 * records stay zero. */
typedef struct DECLSPEC_ALIGN(16) _CONTEXT {
    ULONG64 P1Home; /* 0x000 */
    ULONG64 P2Home;
    ULONG64 P3Home;
    ULONG64 P4Home;
    ULONG64 P5Home;
    ULONG64 P6Home;
    ULONG ContextFlags; /* 0x030 */
    ULONG MxCsr;
    USHORT SegCs; /* 0x038 */
    USHORT SegDs;
    USHORT SegEs;
    USHORT SegFs;
    USHORT SegGs;
    USHORT SegSs;
    ULONG EFlags; /* 0x044 */
    ULONG64 Dr0;  /* 0x048 */
    ULONG64 Dr1;
    ULONG64 Dr2;
    ULONG64 Dr3;
    ULONG64 Dr6;
    ULONG64 Dr7;
    ULONG64 Rax; /* 0x078 */
    ULONG64 Rcx;
    ULONG64 Rdx;
    ULONG64 Rbx;
    ULONG64 Rsp; /* 0x098 */
    ULONG64 Rbp;
    ULONG64 Rsi;
    ULONG64 Rdi;
    ULONG64 R8; /* 0x0B8 */
    ULONG64 R9;
    ULONG64 R10;
    ULONG64 R11;
    ULONG64 R12;
    ULONG64 R13;
    ULONG64 R14;
    ULONG64 R15;
    ULONG64 Rip; /* 0x0F8 */
    union {
        XMM_SAVE_AREA32 FltSave; /* 0x100 */
        struct {
            M128A Header[2];
            M128A Legacy[8];
            M128A Xmm0; /* 0x1A0 */
            M128A Xmm1;
            M128A Xmm2;
            M128A Xmm3;
            M128A Xmm4;
            M128A Xmm5;
            M128A Xmm6;
            M128A Xmm7;
            M128A Xmm8;
            M128A Xmm9;
            M128A Xmm10;
            M128A Xmm11;
            M128A Xmm12;
            M128A Xmm13;
            M128A Xmm14;
            M128A Xmm15;
        };
    };
    M128A VectorRegister[26]; /* 0x300 */
    ULONG64 VectorControl;    /* 0x4A0 */
    ULONG64 DebugControl;
    ULONG64 LastBranchToRip;
    ULONG64 LastBranchFromRip;
    ULONG64 LastExceptionToRip;
    ULONG64 LastExceptionFromRip;
} CONTEXT, *PCONTEXT;

typedef struct _EXCEPTION_POINTERS {
    PEXCEPTION_RECORD ExceptionRecord;
    PCONTEXT ContextRecord;
} EXCEPTION_POINTERS, *PEXCEPTION_POINTERS, *LPEXCEPTION_POINTERS;

#ifdef __cplusplus
static_assert(sizeof(EXCEPTION_RECORD) == 0x98, "EXCEPTION_RECORD is 0x98 bytes on x64");
static_assert(sizeof(CONTEXT) == 0x4D0, "CONTEXT is 0x4D0 bytes on x64");
#else
_Static_assert(sizeof(EXCEPTION_RECORD) == 0x98, "EXCEPTION_RECORD is 0x98 bytes on x64");
_Static_assert(sizeof(CONTEXT) == 0x4D0, "CONTEXT is 0x4D0 bytes on x64");
#endif

/* Raises a software exception: ExceptionAddress becomes the caller's return address. Returns
 * only if a filter said EXCEPTION_CONTINUE_EXECUTION for a continuable record. */
NTSYSAPI VOID NTAPI RtlRaiseException(PEXCEPTION_RECORD ExceptionRecord);
/* The caller's registers; Rip and Rsp are those after RtlCaptureContext returns. */
NTSYSAPI VOID NTAPI RtlCaptureContext(PCONTEXT ContextRecord);

#ifndef _WDMDDK_
/* User mode (kernel32): the exception codes under their Win32 names, and RaiseException. */
#define EXCEPTION_ACCESS_VIOLATION STATUS_ACCESS_VIOLATION
#define EXCEPTION_DATATYPE_MISALIGNMENT STATUS_DATATYPE_MISALIGNMENT
#define EXCEPTION_BREAKPOINT STATUS_BREAKPOINT
#define EXCEPTION_SINGLE_STEP STATUS_SINGLE_STEP
#define EXCEPTION_ARRAY_BOUNDS_EXCEEDED STATUS_ARRAY_BOUNDS_EXCEEDED
#define EXCEPTION_FLT_DENORMAL_OPERAND STATUS_FLOAT_DENORMAL_OPERAND
#define EXCEPTION_FLT_DIVIDE_BY_ZERO STATUS_FLOAT_DIVIDE_BY_ZERO
#define EXCEPTION_FLT_INEXACT_RESULT STATUS_FLOAT_INEXACT_RESULT
#define EXCEPTION_FLT_INVALID_OPERATION STATUS_FLOAT_INVALID_OPERATION
#define EXCEPTION_FLT_OVERFLOW STATUS_FLOAT_OVERFLOW
#define EXCEPTION_FLT_STACK_CHECK STATUS_FLOAT_STACK_CHECK
#define EXCEPTION_FLT_UNDERFLOW STATUS_FLOAT_UNDERFLOW
#define EXCEPTION_INT_DIVIDE_BY_ZERO STATUS_INTEGER_DIVIDE_BY_ZERO
#define EXCEPTION_INT_OVERFLOW STATUS_INTEGER_OVERFLOW
#define EXCEPTION_PRIV_INSTRUCTION STATUS_PRIVILEGED_INSTRUCTION
#define EXCEPTION_IN_PAGE_ERROR STATUS_IN_PAGE_ERROR
#define EXCEPTION_ILLEGAL_INSTRUCTION STATUS_ILLEGAL_INSTRUCTION
#define EXCEPTION_NONCONTINUABLE_EXCEPTION STATUS_NONCONTINUABLE_EXCEPTION
#define EXCEPTION_STACK_OVERFLOW STATUS_STACK_OVERFLOW
#define EXCEPTION_INVALID_DISPOSITION STATUS_INVALID_DISPOSITION
#define EXCEPTION_GUARD_PAGE STATUS_GUARD_PAGE_VIOLATION
#define EXCEPTION_INVALID_HANDLE STATUS_INVALID_HANDLE
WINBASEAPI VOID WINAPI RaiseException(DWORD dwExceptionCode, DWORD dwExceptionFlags,
                                      DWORD nNumberOfArguments, const ULONG_PTR *lpArguments);
#endif

/* ---- The keywords ----
 * Everything below named Rtlp* is ntk's private machinery, visible only because the macros
 * expand to it. A __try statement is one `for` statement over a frame on the stack:
 *
 *   for (frame; state != DONE; RtlpSehStep)
 *       if (state == BODY) { __label__ leave;
 *                            switch (0) default: { if (0) { leave: ; } else BODY  body_end }
 *                            if (state == BODY) a `break` left the body }
 *       else if (state == ENTER) { kind, constant filter; if (_setjmp(jmp) == 0) push }
 *       else if (state == FILTER) RtlpSehFilterDone(frame, (filter));      -- __except only
 *       else while (enter handler / enter finally) HANDLER-OR-FINALLY
 *
 * The dispatcher reaches the statement by _longjmp to the frame with the state telling which
 * branch the next pass runs. For a filter it first copies ("parks") the stack between itself
 * and the frame, so that the filter may use that memory; RtlpSehFilterDone copies it back and
 * resumes the dispatcher where it stopped, with the verdict. */

enum {
    RTLP_SEH_DONE = 0,
    RTLP_SEH_ENTER,
    RTLP_SEH_ARMED,
    RTLP_SEH_BODY,
    RTLP_SEH_FILTER,
    RTLP_SEH_HANDLER_PENDING,
    RTLP_SEH_HANDLER_RUNNING,
    RTLP_SEH_FINALLY_PENDING, /* after the body: normal end, __leave, break or continue */
    RTLP_SEH_FINALLY_RUNNING,
    RTLP_SEH_UNWIND_PENDING, /* an exception unwinds through the frame */
    RTLP_SEH_UNWIND_RUNNING,
    RTLP_SEH_EXIT_PENDING, /* the body was left by return or goto */
    RTLP_SEH_EXIT_RUNNING
};

#define RTLP_SEH_EXCEPT_FRAME 0x1
#define RTLP_SEH_FINALLY_FRAME 0x2
#define RTLP_SEH_CONSTANT_FILTER 0x4
#define RTLP_SEH_USER_FRAME 0x8 /* compiled for user mode (windows.h) */
#ifdef _WDMDDK_
#define RTLP_SEH_FRAME_MODE 0
#else
#define RTLP_SEH_FRAME_MODE RTLP_SEH_USER_FRAME
#endif

struct _RTLP_SEH_ACTIVATION;

typedef struct _RTLP_SEH_FRAME {
    struct _RTLP_SEH_FRAME *Next; /* the next outer frame of this thread */
    volatile LONG State;
    LONG Kind;
    LONG Filter;   /* the verdict of a constant filter */
    NTSTATUS Code; /* GetExceptionCode() in the filter and the handler */
    LONG Abnormal; /* AbnormalTermination() in the __finally block */
    PEXCEPTION_POINTERS Pointers; /* GetExceptionInformation() in the filter */
    struct _RTLP_SEH_ACTIVATION *Activation;
    jmp_buf Jmp;
} RTLP_SEH_FRAME, *PRTLP_SEH_FRAME;

/* The thread's innermost frame. */
extern NTSYSAPI __thread PRTLP_SEH_FRAME RtlpSehFrameList
    __attribute__((tls_model("initial-exec")));

NTSYSAPI DECLSPEC_NORETURN VOID RtlpSehFilterDone(PRTLP_SEH_FRAME Frame, LONG Verdict);
NTSYSAPI DECLSPEC_NORETURN VOID RtlpSehUnwindNext(PRTLP_SEH_FRAME Frame);
NTSYSAPI DECLSPEC_NORETURN VOID RtlpSehExitNext(PRTLP_SEH_FRAME Frame);
NTSYSAPI VOID RtlpSehLeaveScope(PRTLP_SEH_FRAME Frame);
NTSYSAPI VOID RtlpSehJumpOut(PRTLP_SEH_FRAME Frame, LONG How);
NTSYSAPI DECLSPEC_NORETURN VOID RtlpSehBadChain(PRTLP_SEH_FRAME Frame);

FORCEINLINE PRTLP_SEH_FRAME RtlpSehInitialize(PRTLP_SEH_FRAME Frame)
{
    Frame->State = RTLP_SEH_ENTER;
    return Frame;
}

FORCEINLINE VOID RtlpSehPush(PRTLP_SEH_FRAME Frame)
{
    PRTLP_SEH_FRAME Linked = Frame;
    __asm__("" : "+r"(Linked)); /* a local's address in a global, on purpose: no warning */
    Frame->Next = RtlpSehFrameList;
    RtlpSehFrameList = Linked;
    Frame->State = RTLP_SEH_ARMED;
}

/* The body ended normally (or by __leave): pop the frame. */
FORCEINLINE VOID RtlpSehBodyEnd(PRTLP_SEH_FRAME Frame, LONG NextState)
{
    if (RtlpSehFrameList != Frame)
        RtlpSehBadChain(Frame);
    RtlpSehFrameList = Frame->Next;
    Frame->Abnormal = 0;
    Frame->State = NextState;
}

FORCEINLINE BOOLEAN RtlpSehEnterHandler(PRTLP_SEH_FRAME Frame)
{
    if (Frame->State != RTLP_SEH_HANDLER_PENDING)
        return FALSE;
    Frame->State = RTLP_SEH_HANDLER_RUNNING;
    return TRUE;
}

FORCEINLINE BOOLEAN RtlpSehEnterFinally(PRTLP_SEH_FRAME Frame)
{
    LONG State = Frame->State;
    if (State != RTLP_SEH_FINALLY_PENDING && State != RTLP_SEH_UNWIND_PENDING &&
        State != RTLP_SEH_EXIT_PENDING)
        return FALSE;
    Frame->State = State + 1;
    return TRUE;
}

/* The for statement's step: runs after every pass. Must be inlined: RtlpSehExitNext reads the
 * stack pointer of the function that holds the __try. */
FORCEINLINE VOID RtlpSehStep(PRTLP_SEH_FRAME Frame)
{
    LONG State = Frame->State;
    if (State == RTLP_SEH_ARMED)
        Frame->State = RTLP_SEH_BODY;
    else if (State == RTLP_SEH_FINALLY_RUNNING || State == RTLP_SEH_HANDLER_RUNNING)
        Frame->State = RTLP_SEH_DONE;
    else if (State == RTLP_SEH_BODY)
        RtlpSehJumpOut(Frame, 1); /* `continue` in the body */
    else if (State == RTLP_SEH_UNWIND_RUNNING)
        RtlpSehUnwindNext(Frame);
    else if (State == RTLP_SEH_EXIT_RUNNING)
        RtlpSehExitNext(Frame);
}

/* __attribute__((cleanup)): the statement is left by return, goto or break. */
FORCEINLINE VOID RtlpSehCleanup(PRTLP_SEH_FRAME Frame)
{
    if (Frame->State != RTLP_SEH_DONE)
        RtlpSehLeaveScope(Frame);
}

#define RTLP_SEH_F _RtlpSehFrame
/* __leave jumps to a local label (__label__) that each __try body declares: the innermost one
 * in scope, which is the innermost __try block around it, as on Windows (a __leave in an
 * __except or __finally block goes to the end of the enclosing __try block; outside any, the
 * label does not exist and the compiler says so). */
#define __try                                                                                     \
    for (RTLP_SEH_FRAME RTLP_SEH_F __attribute__((cleanup(RtlpSehCleanup))),                      \
         *_RtlpSehInitialized __attribute__((unused)) = RtlpSehInitialize(&RTLP_SEH_F);           \
         RTLP_SEH_F.State != RTLP_SEH_DONE; RtlpSehStep(&RTLP_SEH_F))                             \
        if (RTLP_SEH_F.State == RTLP_SEH_BODY) {                                                  \
            __label__ _RtlpSehLeave;                                                              \
            switch (0)                                                                            \
            default: {                                                                            \
                if (0) {                                                                          \
                _RtlpSehLeave:;                                                                   \
                } else if (0)                                                                     \
                    goto _RtlpSehLeave; /* "used" */                                              \
                else

#define RTLP_SEH_BODY_END(NextState)                                                              \
    RtlpSehBodyEnd(&RTLP_SEH_F, NextState);                                                       \
    }                                                                                             \
    if (RTLP_SEH_F.State == RTLP_SEH_BODY)                                                        \
        RtlpSehJumpOut(&RTLP_SEH_F, 0); /* `break` in the body */                                 \
    }

/* Variadic: a filter may hold commas, as in __except (Status = GetExceptionCode(), 1). */
#define __except(...)                                                                             \
    RTLP_SEH_BODY_END(RTLP_SEH_DONE)                                                              \
    else if (RTLP_SEH_F.State == RTLP_SEH_ENTER) {                                                \
        RTLP_SEH_F.Kind = RTLP_SEH_EXCEPT_FRAME | RTLP_SEH_FRAME_MODE |                           \
                          (__builtin_constant_p((__VA_ARGS__)) ? RTLP_SEH_CONSTANT_FILTER : 0);   \
        RTLP_SEH_F.Filter = __builtin_constant_p((__VA_ARGS__)) ? (LONG)(__VA_ARGS__) : 0;        \
        if (_setjmp(RTLP_SEH_F.Jmp) == 0)                                                         \
            RtlpSehPush(&RTLP_SEH_F);                                                             \
    }                                                                                             \
    else if (RTLP_SEH_F.State == RTLP_SEH_FILTER)                                                 \
        RtlpSehFilterDone(&RTLP_SEH_F, (LONG)(__VA_ARGS__));                                      \
    else while (RtlpSehEnterHandler(&RTLP_SEH_F))

#define __finally                                                                                 \
    RTLP_SEH_BODY_END(RTLP_SEH_FINALLY_PENDING)                                                   \
    else if (RTLP_SEH_F.State == RTLP_SEH_ENTER) {                                                \
        RTLP_SEH_F.Kind = RTLP_SEH_FINALLY_FRAME | RTLP_SEH_FRAME_MODE;                           \
        if (_setjmp(RTLP_SEH_F.Jmp) == 0)                                                         \
            RtlpSehPush(&RTLP_SEH_F);                                                             \
    }                                                                                             \
    else while (RtlpSehEnterFinally(&RTLP_SEH_F))

#define __leave goto _RtlpSehLeave

#define GetExceptionCode() ((NTSTATUS)RTLP_SEH_F.Code)
#define _exception_code() GetExceptionCode()
#define GetExceptionInformation() ((PEXCEPTION_POINTERS)RTLP_SEH_F.Pointers)
#define _exception_info() GetExceptionInformation()
#define AbnormalTermination() ((BOOL)RTLP_SEH_F.Abnormal)
#define _abnormal_termination() ((int)RTLP_SEH_F.Abnormal)

NTK_EXTERN_C_END

#endif
