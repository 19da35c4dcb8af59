/* ntk — wdm.h: the WDM driver interface, Windows x64 layout. */
#ifndef _WDMDDK_
#define _WDMDDK_
#define _WDM_INCLUDED_

/* Drivers built for ntk are checked builds unless they say otherwise, so KdPrint prints. */
#ifndef DBG
#define DBG 1
#endif
#define NTDDI_WIN10 0x0A000000
#ifndef NTDDI_VERSION
#define NTDDI_VERSION 0x0A00000C
#endif
#ifndef _WIN64
#define _WIN64 1
#endif
#ifndef _AMD64_
#define _AMD64_ 1
#endif

#include <ntk/ntkbase.h>
#include <ntk/rtl.h>
#include <ntk/bugcodes.h>
#include <ntk/seh.h>
#include <ntk/ddk/ketypes.h>
#include <ntk/ddk/iotypes.h>
#include <ntk/ddk/kefuncs.h>
#include <ntk/ddk/iofuncs.h>
#include <ntk/ddk/workitem.h>
#include <ntk/ddk/interlocked.h>
#include <ntk/ddk/exsync.h>
#include <ntk/ddk/lookaside.h>
#include <ntk/ddk/securepool.h>
#include <ntk/ddk/kebugcheck.h>
#include <ntk/ddk/csq.h>

NTK_EXTERN_C_START

/* Debug output (Kd). */
#define DPFLTR_ERROR_LEVEL 0
#define DPFLTR_WARNING_LEVEL 1
#define DPFLTR_TRACE_LEVEL 2
#define DPFLTR_INFO_LEVEL 3
#define DPFLTR_MASK 0x80000000

typedef enum _DPFLTR_TYPE {
    DPFLTR_SYSTEM_ID = 0,
    DPFLTR_VERIFIER_ID = 93,
    DPFLTR_IHVDRIVER_ID = 77,
    DPFLTR_IHVVIDEO_ID = 78,
    DPFLTR_IHVAUDIO_ID = 79,
    DPFLTR_IHVNETWORK_ID = 80,
    DPFLTR_IHVSTREAMING_ID = 81,
    DPFLTR_IHVBUS_ID = 82,
    DPFLTR_DEFAULT_ID = 101,
    DPFLTR_ENDOFTABLE_ID = 146
} DPFLTR_TYPE;

NTSYSAPI ULONG __cdecl DbgPrint(PCSTR Format, ...);
NTSYSAPI ULONG __cdecl DbgPrintEx(ULONG ComponentId, ULONG Level, PCSTR Format, ...);
NTSYSAPI ULONG vDbgPrintEx(ULONG ComponentId, ULONG Level, PCCH Format, va_list arglist);
NTSYSAPI ULONG vDbgPrintExWithPrefix(PCCH Prefix, ULONG ComponentId, ULONG Level, PCCH Format,
                                     va_list arglist);
NTSYSAPI ULONG __cdecl DbgPrintReturnControlC(PCCH Format, ...);
NTSYSAPI NTSTATUS DbgQueryDebugFilterState(ULONG ComponentId, ULONG Level);
NTSYSAPI NTSTATUS DbgSetDebugFilterState(ULONG ComponentId, ULONG Level, BOOLEAN State);
NTSYSAPI VOID DbgBreakPoint(VOID);
NTSYSAPI VOID DbgBreakPointWithStatus(ULONG Status);
NTSYSAPI VOID NTAPI RtlAssert(PVOID VoidFailedAssertion, PVOID VoidFileName, ULONG LineNumber,
                              PSTR MutableMessage);
/* NT_ASSERT raises STATUS_ASSERTION_FAILURE, as the WDK's __int2c-based form does. */
NTSYSAPI VOID KdpAssertionFailure(PCSTR Expression, PCSTR FileName, ULONG LineNumber);
extern NTKERNELAPI BOOLEAN KdDebuggerEnabled;
extern NTKERNELAPI BOOLEAN KdDebuggerNotPresent;
#define KD_DEBUGGER_ENABLED KdDebuggerEnabled
#define KD_DEBUGGER_NOT_PRESENT KdDebuggerNotPresent

#if DBG
#define KdPrint(_x_) DbgPrint _x_
#define KdPrintEx(_x_) DbgPrintEx _x_
#define vKdPrintEx(_x_) vDbgPrintEx _x_
#define vKdPrintExWithPrefix(_x_) vDbgPrintExWithPrefix _x_
#define KdBreakPoint() DbgBreakPoint()
#define ASSERT(exp) ((!(exp)) ? (RtlAssert((PVOID) #exp, (PVOID)__FILE__, __LINE__, NULL), FALSE) : TRUE)
#define ASSERTMSG(msg, exp) ((!(exp)) ? (RtlAssert((PVOID) #exp, (PVOID)__FILE__, __LINE__, (PSTR)(msg)), FALSE) : TRUE)
#define NT_ASSERT(exp)                                                                            \
    ((!(exp)) ? (KdpAssertionFailure(#exp, __FILE__, __LINE__), FALSE) : TRUE)
#define NT_ASSERTMSG(msg, exp) NT_ASSERT(exp)
#else
#define KdPrint(_x_)
#define KdPrintEx(_x_)
#define vKdPrintEx(_x_)
#define vKdPrintExWithPrefix(_x_)
#define KdBreakPoint()
#define ASSERT(exp) ((void)0)
#define ASSERTMSG(msg, exp) ((void)0)
#define NT_ASSERT(exp) ((void)0)
#define NT_ASSERTMSG(msg, exp) ((void)0)
#endif
#define NT_VERIFY(exp) ((exp) ? TRUE : (ASSERT(exp), FALSE))

NTK_EXTERN_C_END

#endif
