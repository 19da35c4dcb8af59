/* Vf private: the deadlock detector's graph (vfdeadlock.c) and its report (vfdlreport.c). */
#ifndef NTK_VF_VFDLP_H
#define NTK_VF_VFDLP_H

#include "ntkp.h"

/* Driver Verifier's parameter 1 (bug check 0xC4): a lock hierarchy violation. */
#define VF_DEADLOCK_DETECTED 0x1001
#define VF_STACK_FRAMES 16

typedef struct _VF_NODE VF_NODE, *PVF_NODE;

/* The order From -> To: a thread acquired To while holding From. */
typedef struct _VF_EDGE {
    PVF_NODE From;
    PVF_NODE To;
    PKTHREAD Thread;
    PVOID FromCaller; /* where that thread had acquired From */
    PVOID Caller;     /* where it acquired To */
    ULONG Frames;
    PVOID Stack[VF_STACK_FRAMES]; /* the stack of To's acquisition */
} VF_EDGE, *PVF_EDGE;

/* A lock that took part in an order. */
struct _VF_NODE {
    PVOID Lock;
    UCHAR Type;       /* VF_LOCK_TYPE */
    PVF_NODE HashNext;
    LIST_ENTRY Link;  /* all nodes */
    PVF_EDGE *Edges;  /* orders from this lock */
    ULONG EdgeCount;
    ULONG EdgeCapacity;
    ULONG Visit;      /* search generation that reached it */
    PVF_EDGE Via;     /* the edge the search reached it by */
};

/* Logs the violation: the current thread, holding Held (acquired at HeldCaller), acquires
 * Acquired at Caller, while the search's path Acquired -> ... -> Held (Via links from Held
 * back to Acquired) records the other order. The graph lock is held. */
VOID VfReportInversion(PVF_NODE Held, PVF_NODE Acquired, PVOID HeldCaller, PVOID Caller);

#endif
