/* ntk kernel private: the structured-exception dispatcher (src/ex/exseh.c) as the rest of the
 * kernel uses it. The keywords and the records are in include/ntk/seh.h; docs/SEH.md explains
 * the design. */
#ifndef NTK_SEHP_H
#define NTK_SEHP_H

#include <ntddk.h>

/* Dispatches an exception that happened on this thread: searches the thread's frames (those
 * of the current mode only; a kernel-mode exception never reaches a user-mode __except) and
 * runs the filters.
 *   - A handler took it: the __finally blocks in between have run and the __except block runs
 *     now; this call does not return.
 *   - No handler: returns FALSE. The caller reports it (RtlpUnhandledException does what
 *     Windows does: bug check 0x1E, 0x7E in a system thread, or the end of a user process).
 *   - A filter said EXCEPTION_CONTINUE_EXECUTION: returns TRUE, and *Context holds the context
 *     to resume, as the filter may have changed it; resume it with RtlpRestoreContext. This
 *     happens only if Context has CONTEXT_CONTROL and CONTEXT_INTEGER (a fault's full context,
 *     see RtlpContextFromSignal); without them CONTINUE_EXECUTION counts as CONTINUE_SEARCH.
 *     A noncontinuable record raises STATUS_NONCONTINUABLE_EXCEPTION instead.
 * Record and Context are copied: they may live on the faulting thread's stack. Context may be
 * NULL. Must run on the thread's own stack (not a signal stack), after the signal handler has
 * returned, at the faulting thread's IRQL. */
BOOLEAN RtlpDispatchException(PEXCEPTION_RECORD Record, PCONTEXT Context);

/* An exception nobody handled, as Windows ends it: in a user thread running its own code the
 * process ends with the exception code; in kernel mode KMODE_EXCEPTION_NOT_HANDLED (0x1E:
 * code, address, ExceptionInformation[0], [1]) or, in a system thread,
 * SYSTEM_THREAD_EXCEPTION_NOT_HANDLED (0x7E: code, address, record, context). */
DECLSPEC_NORETURN VOID RtlpUnhandledException(PEXCEPTION_RECORD Record, PCONTEXT Context);

/* Fills a CONTEXT (CONTEXT_FULL | CONTEXT_SEGMENTS) from a signal handler's ucontext_t:
 * integer registers, Rip, Rsp, EFlags, segments, MxCsr and the FXSAVE area. Async-signal-safe:
 * call it in the handler, into memory on the faulting thread's stack below its red zone. */
VOID RtlpContextFromSignal(PCONTEXT Context, const VOID *UContext);

/* Resumes a context: every integer register, Rip, Rsp, EFlags and the FXSAVE state. */
DECLSPEC_NORETURN VOID RtlpRestoreContext(PCONTEXT Context);

/* Boundaries: code that runs nested on whatever the thread was doing (a DPC routine retired
 * when IRQL drops, an APC, a callback) must not see that code's __try frames: an exception it
 * does not handle itself is unhandled, as on Windows. Suspend the chain around the call:
 *     PVOID Saved = RtlpSehSuspendFrames(); Routine(...); RtlpSehResumeFrames(Saved); */
FORCEINLINE PVOID RtlpSehSuspendFrames(VOID)
{
    PVOID Saved = RtlpSehFrameList;
    RtlpSehFrameList = NULL;
    return Saved;
}

FORCEINLINE VOID RtlpSehResumeFrames(PVOID Saved)
{
    RtlpSehFrameList = (PRTLP_SEH_FRAME)Saved;
}

#endif
