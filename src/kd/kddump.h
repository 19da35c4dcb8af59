/* Kd: the crash dump writer's parts (kddump.c, kdmodules.c, kdthreads.c, kdsystem.c). */
#ifndef NTK_KDDUMP_H
#define NTK_KDDUMP_H

#include "ntkp.h"
#include "kdp.h"
#include "kdjson.h"

#define KD_MAX_FRAMES 48
#define KD_MAX_MODULES 256

/* What an image is, for telling the culprit from the kernel. */
#define KD_KIND_OTHER 0
#define KD_KIND_DRIVER 1  /* KD_IMAGE_DRIVER */
#define KD_KIND_PROGRAM 2 /* KD_IMAGE_PROGRAM */
#define KD_KIND_KERNEL 3  /* libntk */
#define KD_KIND_USERLIB 4 /* libntk-user */
#define KD_KIND_HOST 5    /* the ntk command or the test that hosts the kernel */
#define KD_KIND_SYSTEM 6  /* libc, the loader and other system libraries */

typedef struct _KD_MODULE {
    CHAR Path[256];
    PCSTR Name;
    ULONG_PTR Base, End;
    ULONG Kind;
} KD_MODULE;

typedef struct _KD_STACK {
    ULONG Count;
    ULONG_PTR Pc[KD_MAX_FRAMES];
    BOOLEAN Activation[KD_MAX_FRAMES];
} KD_STACK;

extern KD_MODULE KdpModules[KD_MAX_MODULES];
extern ULONG KdpModuleCount;
VOID KdpLoadModules(VOID);
const KD_MODULE *KdpFindModule(ULONG_PTR Address);
PCSTR KdpKindName(ULONG Kind);
BOOLEAN KdpIsCulpritKind(ULONG Kind);
VOID KdpPrepareSymbols(VOID);
VOID KdpUnwind(const KD_REGISTERS *Registers, KD_STACK *Stack);
BOOLEAN KdpSymbolize(ULONG_PTR Pc, BOOLEAN ReturnAddress, PKD_SYMBOL Symbol);
/* Members describing Address: address, module, kind, offset, function, file, line. */
VOID KdpWriteLocation(KDJ_WRITER *Writer, ULONG_PTR Address, BOOLEAN ReturnAddress);
VOID KdpWriteStack(KDJ_WRITER *Writer, PCSTR Key, const KD_STACK *Stack);
VOID KdpWriteModules(KDJ_WRITER *Writer);

/* Threads: every NT thread found, frozen or not, and the host threads that were frozen. */
typedef struct _KD_THREAD_ENTRY {
    PETHREAD Thread;               /* NULL for a host thread */
    const KD_THREAD_STATE *State;  /* NULL if it was not stopped */
    PCSTR Status;                  /* "bugchecking", "frozen", "not stopped" */
    KD_STACK Stack;
} KD_THREAD_ENTRY;

#define KD_MAX_PROCESSES 64
extern KD_THREAD_ENTRY KdpThreadTable[KD_MAX_THREADS + 1];
extern ULONG KdpThreadTableCount;
extern PEPROCESS KdpProcessTable[KD_MAX_PROCESSES];
extern ULONG KdpProcessTableCount;
VOID KdpCollectThreads(PKD_BUGCHECK BugCheck);
VOID KdpUnwindThreads(VOID);
BOOLEAN KdpIsKnownThread(PKTHREAD Thread);
ULONG_PTR KdpThreadId(PKTHREAD Thread); /* its client ID, 0 if unknown */
VOID KdpWriteThread(KDJ_WRITER *Writer, KD_THREAD_ENTRY *Entry);

/* The rest of the system (kdsystem.c). */
VOID KdpWriteProcessors(KDJ_WRITER *Writer);
VOID KdpWriteHandles(KDJ_WRITER *Writer);
VOID KdpWritePool(KDJ_WRITER *Writer);

/* Bounded copies of strings from memory that may be bad. */
SIZE_T KdpReadString(ULONG_PTR Address, PCHAR Out, SIZE_T Capacity);

#endif
