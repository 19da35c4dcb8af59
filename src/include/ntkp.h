/* ntk kernel private definitions shared between components. Each component still owns its
 * structures; these are the internal interfaces between them. */
#ifndef NTK_NTKP_H
#define NTK_NTKP_H

#include <ntddk.h>
#include <ntk/ntapi.h>
#include <pthread.h>
#include <setjmp.h>
#include <sys/types.h>
#include "ntklock.h"

/* Address space layout (see mm): user space below, system space above. */
#define MI_SYSTEM_RANGE_START 0x700000000000ULL
#define MI_USER_PROBE_ADDRESS 0x6FFFFFFF0000ULL
#define MI_HIGHEST_USER_ADDRESS 0x6FFFFFFEFFFFULL
#define MI_SYSTEM_REGION_SIZE (1ULL << 40)

/* Kernel handles carry the sign bit, as on x64 Windows. */
#define KERNEL_HANDLE_MASK ((ULONG_PTR)0xFFFFFFFF80000000ULL)
#define ObpIsKernelHandle(h) (((ULONG_PTR)(h)&KERNEL_HANDLE_MASK) == KERNEL_HANDLE_MASK &&        \
                              (LONG_PTR)(h) < -2)

/* ---- Ke ---- */
typedef struct _KPROCESS {
    DISPATCHER_HEADER Header;
    LIST_ENTRY ThreadListHead;
    KPRIORITY BasePriority;
} KPROCESS;

typedef struct _KTHREAD {
    DISPATCHER_HEADER Header;
    PKPROCESS Process;
    KIRQL Irql;                  /* at DISPATCH_LEVEL and above, the processor's IRQL */
    KPROCESSOR_MODE PreviousMode;
    KPROCESSOR_MODE ExecutingMode; /* UserMode while a user thread runs its own code */
    BOOLEAN Alertable;
    BOOLEAN WaitNext;            /* KeSetEvent(..., TRUE): the next wait restores WaitIrql */
    KIRQL WaitIrql;
    KPRIORITY Priority;
    KPRIORITY BasePriority;
    SHORT KernelApcDisable;
    SHORT SpecialApcDisable;
    /* Waiting: the thread sleeps on its own futex; wait blocks live here, not in objects. */
    volatile int WaitFutex;
    NTSTATUS WaitStatus;
    BOOLEAN Waiting;
    KPROCESSOR_MODE WaitMode;    /* a UserMode wait ends early when the thread is terminated */
    UCHAR WaitType;
    UCHAR WaitReason;            /* KWAIT_REASON of the current (or last) wait, for the dump */
    ULONG WaitCount;
    PKWAIT_BLOCK WaitBlockList;
    KWAIT_BLOCK WaitBlock[THREAD_WAIT_OBJECTS + 1];
    ULONG WaitSequence;          /* which wait the wait timer belongs to */
    BOOLEAN Idle;                /* counted as idle (blocked in a kernel wait) */
    KTIMER WaitTimer;            /* a wait's timeout, on the kernel's timer list */
    LIST_ENTRY ThreadListEntry;  /* in KPROCESS.ThreadListHead */
    LIST_ENTRY MutantListHead;
    /* Processors: the thread runs on Processor; at DISPATCH_LEVEL it owns it. */
    ULONG Processor;
    KAFFINITY Affinity;
    KAFFINITY UserAffinity;
    BOOLEAN SystemAffinityActive;
    /* APCs. */
    LIST_ENTRY ApcListHead[2];   /* KernelMode, UserMode */
    BOOLEAN KernelApcPending;
    BOOLEAN UserApcPending;
    BOOLEAN KernelApcInProgress;
    BOOLEAN ApcQueueable;
    BOOLEAN Alerted[2];
    BOOLEAN DeliveringApcs;
    /* The queue (completion port) the thread last removed from: counted in its CurrentCount
     * while the thread runs, not while it waits (kequeue.c). Guarded by the dispatcher lock. */
    struct _KQUEUE *Queue;
    LIST_ENTRY QueueListEntry;   /* in KQUEUE.ThreadListHead */
    BOOLEAN QueueActive;         /* counted in Queue->CurrentCount */
    BOOLEAN QueueYielded;        /* gave its place up for the current wait */
    /* Host thread. */
    pthread_t HostThread;
    pid_t LinuxTid;
    int Nice;
} KTHREAD;

/* The current IRQL; PASSIVE_LEVEL on a thread with no NT identity yet (during boot). */
static inline KIRQL KiGetIrql(VOID);

/* Processors. */
typedef struct _KPRCB KPRCB;
extern ULONG KiProcessorCount;
extern BOOLEAN KiVirtualTime;
extern ULONG KiDpcWatchdogMs;
NTSTATUS KiInitializeProcessors(ULONG Count);
ULONG KiSelectProcessor(VOID);
VOID KiRetireCurrentDpcs(VOID);
VOID KiInitializeClock(VOID);
NTSTATUS KiStartSystemThreads(VOID);
VOID KiCheckImageUnload(ULONG_PTR Base, ULONG_PTR End);
VOID PspCheckImageUnload(ULONG_PTR Base, ULONG_PTR End);
/* Virtual time: threads blocked in kernel waits are idle; the clock advances when all are. */
VOID KiThreadStarted(VOID);
VOID KiThreadExited(VOID);
VOID KiMarkIdle(PKTHREAD Thread);
VOID KiMarkBusy(PKTHREAD Thread);
VOID KiArmWaitTimer(PKTHREAD Thread, ULONGLONG DueTime);
VOID KiCancelWaitTimer(PKTHREAD Thread);
ULONGLONG KiAbsoluteDueTime(LONGLONG Timeout);
/* APCs. */
VOID KiDeliverApc(KPROCESSOR_MODE DeliveryMode);
BOOLEAN KiDeliverUserApcs(VOID);
VOID KiCheckForKernelApcDelivery(VOID);
BOOLEAN KiRemoveQueueApc(PKAPC Apc);
BOOLEAN KiHasDeliverableKernelApc(PKTHREAD Thread);
BOOLEAN KiFirstKernelApcRunnable(PKTHREAD Thread); /* dispatcher lock held */
VOID KiRundownApcs(PKTHREAD Thread);
VOID KiUnwaitThread(PKTHREAD Thread, NTSTATUS Status); /* dispatcher lock held */
VOID KiInitializeThread(PKTHREAD Thread, PKPROCESS Process);
VOID KiInitializeProcess(PKPROCESS Process);
VOID KiSignalObject(PDISPATCHER_HEADER Header); /* set SignalState 1 and satisfy waiters */
VOID KiWaitTest(PDISPATCHER_HEADER Header);     /* caller holds the dispatcher lock */
NTSTATUS KiRemoveQueue(PRKQUEUE Queue, KPROCESSOR_MODE WaitMode, BOOLEAN Alertable,
                       PLARGE_INTEGER Timeout, PLIST_ENTRY *Entry);
ULONG KiRemoveQueueMore(PRKQUEUE Queue, PLIST_ENTRY Entries[], ULONG Count);
BOOLEAN KiQueueReleaseForWait(PKTHREAD Thread, ULONG Count, PVOID Object[]); /* lock held */
VOID KiQueueResumeAfterWait(PKTHREAD Thread, PRKQUEUE Queue);                /* lock held */
VOID KiRundownThreadQueue(PKTHREAD Thread);
VOID KiAbandonMutants(PKTHREAD Thread);
VOID KiWakeForTermination(PKTHREAD Thread);
VOID KiApplyHostPriority(PKTHREAD Thread);
int KiPriorityToNice(KPRIORITY Priority);
VOID KiAcquireDispatcherLock(VOID);
VOID KiReleaseDispatcherLock(VOID);
ULONGLONG KiQueryInterruptTime(VOID);
ULONGLONG KiQuerySystemTime(VOID);
extern __thread PKTHREAD KiCurrentThread;
static inline KIRQL KiGetIrql(VOID)
{
    PKTHREAD Thread = KiCurrentThread;
    return Thread ? Thread->Irql : PASSIVE_LEVEL;
}

/* The thread's APC-disable counts as Windows' CombinedApcDisable holds them (bug check
 * parameters): SpecialApcDisable in the high 16 bits, KernelApcDisable in the low 16. */
static inline ULONG KiCombinedApcDisable(const KTHREAD *Thread)
{
    return ((ULONG)(USHORT)Thread->SpecialApcDisable << 16) | (USHORT)Thread->KernelApcDisable;
}

/* Bugcheck hooks: the host turns a bugcheck into the STOP line and an exit status. */
typedef VOID (*KI_BUGCHECK_HANDLER)(ULONG Code, ULONG_PTR P1, ULONG_PTR P2, ULONG_PTR P3,
                                    ULONG_PTR P4);
NTK_EXPORT VOID KiSetBugCheckHandler(KI_BUGCHECK_HANDLER Handler);
DECLSPEC_NORETURN VOID KiIrqlUnexpected(KIRQL Current, KIRQL Expected, PVOID Routine,
                                        ULONG_PTR P3, ULONG_PTR P4);

/* ---- Ps ---- */
typedef struct _HANDLE_TABLE *PHANDLE_TABLE;

typedef struct _EPROCESS {
    KPROCESS Pcb;
    HANDLE UniqueProcessId;
    HANDLE InheritedFromUniqueProcessId;
    PHANDLE_TABLE ObjectTable;
    NTSTATUS ExitStatus;
    volatile LONG ActiveThreads;
    BOOLEAN Terminating;
    CHAR ImageFileName[16];
    LIST_ENTRY ProcessListEntry;
    struct _MMVAD *VadList;      /* the process's user-space regions (mm/mmvad.c) */
    BOOLEAN AddressSpaceDeleted; /* the regions are gone: no new allocation */
} EPROCESS;

typedef struct _ETHREAD {
    KTHREAD Tcb;
    CLIENT_ID Cid;
    NTSTATUS ExitStatus;
    PTEB Teb;
    BOOLEAN SystemThread;
    BOOLEAN Terminated;         /* termination requested or done */
    BOOLEAN CanExit;            /* started by ntk, so ExitFrame is valid */
    LIST_ENTRY IrpList;
    NTK_LOCK IrpListLock;
    PKEVENT IrpListEmptyEvent;  /* set when IrpList empties while the thread exits */
    jmp_buf ExitFrame;          /* PsTerminateSystemThread / NtTerminateThread unwind here */
    PKSTART_ROUTINE SystemStart;
    PUSER_THREAD_START_ROUTINE UserStart;
    PVOID StartContext;
    KEVENT StartGate;           /* released once the thread is fully set up */
} ETHREAD;

#define PsGetCurrentEThread() ((PETHREAD)KiCurrentThread)
#define PspCurrentProcess() ((PEPROCESS)KiCurrentThread->Process)
NTSTATUS PspInitialize(VOID);
NTSTATUS PspCreateProcess(PCSTR ImageName, PEPROCESS *Process);
NTSTATUS PspCreateThread(PEPROCESS Process, BOOLEAN System, PKSTART_ROUTINE SystemStart,
                         PUSER_THREAD_START_ROUTINE UserStart, PVOID Context, BOOLEAN Suspended,
                         PETHREAD *Thread);
DECLSPEC_NORETURN VOID PspExitThread(NTSTATUS ExitStatus);
VOID PspTerminateProcess(PEPROCESS Process, NTSTATUS ExitStatus);
PETHREAD PspAdoptHostThread(PEPROCESS Process); /* a Linux thread becomes an NT thread */
/* The process's live threads, each referenced, in a pool array (free it with ExFreePool). */
NTSTATUS PspReferenceProcessThreads(PEPROCESS Process, PETHREAD **Threads, PULONG Count);
extern PEPROCESS PsIdleProcessInternal;

/* ---- Ob ---- */
typedef NTSTATUS (*OB_PARSE_METHOD)(PVOID ParseObject, POBJECT_TYPE ObjectType,
                                    KPROCESSOR_MODE AccessMode, ULONG Attributes,
                                    PUNICODE_STRING RemainingName, PVOID ParseContext,
                                    PVOID *Object);
typedef VOID (*OB_DELETE_METHOD)(PVOID Object);
typedef VOID (*OB_CLOSE_METHOD)(PEPROCESS Process, PVOID Object, ULONG_PTR ProcessHandleCount,
                                ULONG_PTR SystemHandleCount);

typedef struct _OBJECT_TYPE_INITIALIZER {
    PCWSTR Name;
    ULONG PoolTag;
    GENERIC_MAPPING GenericMapping;
    ACCESS_MASK ValidAccessMask;
    OB_PARSE_METHOD ParseProcedure;
    OB_DELETE_METHOD DeleteProcedure;
    OB_CLOSE_METHOD CloseProcedure;
} OBJECT_TYPE_INITIALIZER;

NTSTATUS ObpInitialize(VOID);
VOID ObpRunDeferredDeletes(VOID); /* before a driver unloads: what waits is deleted now */
NTSTATUS ObCreateObjectType(const OBJECT_TYPE_INITIALIZER *Init, POBJECT_TYPE *ObjectType);
NTSTATUS ObCreateObject(KPROCESSOR_MODE ProbeMode, POBJECT_TYPE ObjectType,
                        POBJECT_ATTRIBUTES ObjectAttributes, KPROCESSOR_MODE OwnershipMode,
                        PVOID ParseContext, ULONG ObjectBodySize, ULONG PagedPoolCharge,
                        ULONG NonPagedPoolCharge, PVOID *Object);
NTSTATUS ObInsertObject(PVOID Object, PACCESS_STATE PassedAccessState,
                        ACCESS_MASK DesiredAccess, ULONG ObjectPointerBias, PVOID *NewObject,
                        PHANDLE Handle);
NTSTATUS ObOpenObjectByName(POBJECT_ATTRIBUTES ObjectAttributes, POBJECT_TYPE ObjectType,
                            KPROCESSOR_MODE AccessMode, PACCESS_STATE AccessState,
                            ACCESS_MASK DesiredAccess, PVOID ParseContext, PHANDLE Handle);
NTSTATUS ObpCreateHandle(PEPROCESS Process, PVOID Object, ACCESS_MASK GrantedAccess,
                         ULONG Attributes, PHANDLE Handle);
NTSTATUS ObpCloseHandle(HANDLE Handle, KPROCESSOR_MODE PreviousMode);
NTSTATUS ObpDuplicateHandle(PEPROCESS SourceProcess, HANDLE SourceHandle,
                            PEPROCESS TargetProcess, PHANDLE TargetHandle,
                            ACCESS_MASK DesiredAccess, ULONG HandleAttributes, ULONG Options,
                            KPROCESSOR_MODE PreviousMode);
PHANDLE_TABLE ObpCreateHandleTable(VOID);
VOID ObpKillProcessHandles(PEPROCESS Process);
VOID ObpDeleteHandleTable(PEPROCESS Process);
ULONG ObpHandleCountOfProcess(PEPROCESS Process);
ACCESS_MASK ObpMapGenericMask(POBJECT_TYPE Type, ACCESS_MASK Access);
PCWSTR ObpTypeName(POBJECT_TYPE Type);
BOOLEAN ObpObjectHasName(PVOID Object);
LONG_PTR ObpPointerCount(PVOID Object);
LONG_PTR ObpHandleCount(PVOID Object);
NTK_EXPORT VOID ObpDumpNamespace(VOID);
NTSTATUS ObpCreateSymbolicLinkByName(PCUNICODE_STRING Path, PCUNICODE_STRING Target,
                                     BOOLEAN Permanent);
extern POBJECT_TYPE ObpDirectoryObjectType, ObpSymbolicLinkObjectType, ObpTypeObjectType;
extern POBJECT_TYPE IopFileObjectTypeInternal;

/* ---- Ex ---- */
NTSTATUS ExpInitializePool(VOID);
/* The deadlock detector knows a lock at Lock: frees in its pool arena take the slow path, which
 * makes the detector forget the locks of a freed block (poolarena.c). */
VOID ExpNoteTrackedLock(const VOID *Lock);
typedef struct _NTK_POOL_TAG_STATS {
    ULONG Tag;
    ULONG PagedAllocs, PagedFrees, NonPagedAllocs, NonPagedFrees;
    SIZE_T PagedBytes, NonPagedBytes;  /* in use now */
    SIZE_T PagedPeak, NonPagedPeak;    /* the most ever in use at once */
} NTK_POOL_TAG_STATS;
extern BOOLEAN VfPoolChecks; /* Driver Verifier's pool checks are on */
/* Force IRQL checking (pagedpool.c): paged pool "paged out" at each raise to DISPATCH_LEVEL. */
extern volatile BOOLEAN ExpForceIrqlChecking;
VOID ExpTrimPagedPool(VOID);
BOOLEAN ExpPageInPagedPool(ULONG_PTR Address, KIRQL Irql); /* from the fault handler */
VOID ExpUntrimPagedPool(VOID);                            /* a bug check */
BOOLEAN ExpIsPagedPoolAddress(const VOID *Address);
BOOLEAN ExpQueryPoolTags(NTK_POOL_TAG_STATS *Stats, ULONG Capacity, ULONG *Count);
BOOLEAN ExpTryQueryPoolTags(NTK_POOL_TAG_STATS *Stats, ULONG Capacity, ULONG *Count);
VOID ExpNoteDriverImage(PCUNICODE_STRING ServiceName, ULONG_PTR Base, ULONG_PTR End);
VOID ExpSpecialPoolFault(ULONG_PTR Address, ULONG_PTR Access, ULONG_PTR Pc, BOOLEAN DriverCode);
/* Pool blocks still allocated by an image (by the caller's address range). */
ULONG ExpCountImageAllocations(ULONG_PTR ImageBase, ULONG_PTR ImageEnd, SIZE_T *Bytes,
                               VOID (*Report)(PVOID Block, ULONG Tag, SIZE_T Size, PVOID Caller,
                                              PVOID Context),
                               PVOID Context);
BOOLEAN ExpIsPoolAddress(PVOID Address);
VOID ExpCheckImageLookasideLists(ULONG_PTR Base, ULONG_PTR End); /* unload: 0xCE if one lives */
NTSTATUS ExpInitializeEventType(VOID);
extern POBJECT_TYPE ExpEventObjectTypeInternal;

/* ---- Mm ---- */
NTSTATUS MmInitSystem(VOID);
PVOID MmpReserveSystemPages(SIZE_T Size); /* commits read/write pages in system space */
VOID MmpReleaseSystemPages(PVOID Base, SIZE_T Size);
PVOID MmpReserveSystemRange(SIZE_T Size);  /* address space only, inaccessible */
BOOLEAN MmpTakeGuardPage(ULONG_PTR Address); /* a guard page's first touch: TRUE, guard gone */
NTSTATUS MmpProbeUserRange(const VOID *Address, SIZE_T Length, ULONG Alignment);
NTSTATUS MmpCopyFromUser(PVOID Destination, const VOID *UserSource, SIZE_T Length);
NTSTATUS MmpCopyToUser(PVOID UserDestination, const VOID *Source, SIZE_T Length);
NTSTATUS MmpTouchUserRange(volatile VOID *Address, SIZE_T Length, BOOLEAN Write);
BOOLEAN MmpIsSystemAddress(const VOID *Address);
VOID MmpInstallFaultHandlers(VOID);
VOID MmpDeleteProcessAddressSpace(PEPROCESS Process); /* process exit: release every region */

/* ---- Io ---- */
NTSTATUS IopInitialize(VOID);
VOID IopFlushIrpCache(VOID); /* at thread exit */
VOID IopCancelThreadIo(PETHREAD Thread); /* at thread exit: cancels and waits for its IRPs */
VOID IopRundownDriverWorkItems(PDRIVER_OBJECT DriverObject); /* waits for its work items */
typedef struct _OPEN_PACKET {
    PFILE_OBJECT FileObject;
    NTSTATUS FinalStatus;
    ULONG_PTR Information;
    ULONG CreateOptions;
    ULONG CreateDisposition;
    USHORT FileAttributes;
    USHORT ShareAccess;
    ACCESS_MASK DesiredAccess;
    BOOLEAN ParseCheck;
} OPEN_PACKET, *POPEN_PACKET;
NTSTATUS IopCreateDriverObject(PCWSTR ServiceName, PDRIVER_INITIALIZE Init, PVOID ImageBase,
                               ULONG ImageSize, PDRIVER_OBJECT *DriverObject);
NTSTATUS IopCallDriverEntry(PDRIVER_OBJECT DriverObject);
VOID IopUnloadDriver(PDRIVER_OBJECT DriverObject);
/* A driver compiled into libntk: DriverEntry now, unloaded with the others (last loaded
 * first). */
NTSTATUS NtkpLoadBuiltinDriver(PCWSTR ServiceName, PDRIVER_INITIALIZE Entry);
NTSTATUS IopReadWrite(HANDLE FileHandle, HANDLE Event, PIO_APC_ROUTINE ApcRoutine,
                      PVOID ApcContext, PIO_STATUS_BLOCK IoStatusBlock, PVOID Buffer,
                      ULONG Length, PLARGE_INTEGER ByteOffset, PULONG Key, UCHAR Major);
NTSTATUS IopDeviceIoControl(HANDLE FileHandle, HANDLE Event, PIO_APC_ROUTINE ApcRoutine,
                            PVOID ApcContext, PIO_STATUS_BLOCK IoStatusBlock, ULONG IoControlCode,
                            PVOID InputBuffer, ULONG InputBufferLength, PVOID OutputBuffer,
                            ULONG OutputBufferLength, UCHAR Major);
NTSTATUS IopCreateFile(PHANDLE FileHandle, ACCESS_MASK DesiredAccess,
                       POBJECT_ATTRIBUTES ObjectAttributes, PIO_STATUS_BLOCK IoStatusBlock,
                       ULONG FileAttributes, ULONG ShareAccess, ULONG Disposition,
                       ULONG CreateOptions);

/* ---- Kd ---- */
NTK_EXPORT VOID KdpSetOutput(int Fd);
/* The kernel's own messages, in the debug log; Windows format rules (%wZ, %ws, %p ...). */
VOID KdpLog(PCSTR Format, ...);
NTK_EXPORT VOID KdpSetFilterAll(BOOLEAN ShowAll);

/* ---- Nt: capture of user-mode arguments ---- */
NTSTATUS NtpCaptureObjectAttributes(KPROCESSOR_MODE Mode, POBJECT_ATTRIBUTES Source,
                                    POBJECT_ATTRIBUTES Captured, PUNICODE_STRING CapturedName);
VOID NtpReleaseObjectAttributes(PUNICODE_STRING CapturedName);
NTSTATUS NtpCaptureTimeout(KPROCESSOR_MODE Mode, PLARGE_INTEGER Source, PLARGE_INTEGER Captured,
                           PLARGE_INTEGER *Pointer);
NTSTATUS NtpWriteHandle(KPROCESSOR_MODE Mode, PHANDLE Destination, HANDLE Value);
NTSTATUS NtpWrite(KPROCESSOR_MODE Mode, PVOID Destination, const VOID *Source, SIZE_T Length);

/* ---- Nt: system-service entry from user mode ---- */
/* A user thread's call into the kernel: PreviousMode is UserMode for the call's duration. */
#define KiEnterService() KPROCESSOR_MODE _ntk_prev_exec = KiEnterServiceInner()
#define KiLeaveService() KiLeaveServiceInner(_ntk_prev_exec)
KPROCESSOR_MODE KiEnterServiceInner(VOID);
VOID KiLeaveServiceInner(KPROCESSOR_MODE Saved);

/* A Zw call from kernel mode runs the Nt service with PreviousMode = KernelMode. */
KPROCESSOR_MODE KiSetPreviousMode(KPROCESSOR_MODE Mode);

/* Host interface (ntk command, tests). */
#include <ntk/host.h>

#endif
