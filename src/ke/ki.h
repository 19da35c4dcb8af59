/* Ke private definitions: processors and their DPC queues. */
#ifndef NTK_KI_H
#define NTK_KI_H

#include "ntkp.h"

#define KI_MAX_PROCESSORS 64

/* Cache-line aligned: each processor's hot words stay off its neighbours' lines. */
struct DECLSPEC_ALIGN(64) _KPRCB {
    ULONG Number;
    /* Ownership: a thread at DISPATCH_LEVEL or above holds its processor. */
    volatile int OwnerLock;      /* futex: 0 free, 1 owned, 2 owned with waiters */
    /* The DPC queue: High importance at the head, others at the tail. */
    NTK_LOCK DpcLock;
    PKDPC DpcHead, DpcTail;
    PKDPC ThreadedHead, ThreadedTail; /* threaded DPCs run at PASSIVE_LEVEL in the DPC thread */
    volatile int DpcSignal;      /* futex word the processor's DPC thread sleeps on */
    volatile int DpcThreadIdle;
    /* The DPC running now, for the watchdog. */
    PKDPC volatile CurrentDpc;
    volatile ULONGLONG DpcStartTime; /* interrupt time (100 ns), virtual under virtual time */
};

extern KPRCB KiProcessorBlock[KI_MAX_PROCESSORS];

VOID KiAcquireProcessor(KPRCB *Prcb, PKTHREAD Thread);
VOID KiReleaseProcessor(KPRCB *Prcb);
VOID KiRetireDpcList(KPRCB *Prcb);
VOID KiRunThreadedDpcs(KPRCB *Prcb);
VOID KiSignalDpcThread(KPRCB *Prcb);
ULONGLONG KiHostNanoseconds(VOID);
VOID KiDpcWatchdogCheck(VOID);
VOID KiAdvanceVirtualTime(ULONGLONG Delta);

#endif
