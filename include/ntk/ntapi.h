/* The system services (Nt*), as ntdll exports them: what user programs call into the kernel
 * through. libntk implements them; libntk-user builds the Win32 subset on them. */
#ifndef NTK_NTAPI_H
#define NTK_NTAPI_H

#include <ntk/ntkbase.h>
#include <ntk/memtypes.h>

NTK_EXTERN_C_START

typedef struct _NT_TIB {
    PVOID ExceptionList;
    PVOID StackBase;
    PVOID StackLimit;
    PVOID SubSystemTib;
    PVOID FiberData;
    PVOID ArbitraryUserPointer;
    struct _NT_TIB *Self;
} NT_TIB, *PNT_TIB;

/* The start of Windows x64's TEB: the fields user code reads directly. */
typedef struct _TEB {
    NT_TIB NtTib;                     /* 0x00 */
    PVOID EnvironmentPointer;         /* 0x38 */
    CLIENT_ID ClientId;               /* 0x40 */
    PVOID ActiveRpcHandle;            /* 0x50 */
    PVOID ThreadLocalStoragePointer;  /* 0x58 */
    PVOID ProcessEnvironmentBlock;    /* 0x60 */
    ULONG LastErrorValue;             /* 0x68 */
    ULONG CountOfOwnedCriticalSections;
    PVOID CsrClientThread;
    PVOID Win32ThreadInfo;
    ULONG User32Reserved[26];
    ULONG UserReserved[5];
    PVOID WOW32Reserved;
    LCID CurrentLocale;
    ULONG FpSoftwareStatusRegister;
    PVOID ReservedForDebuggerInstrumentation[16];
    PVOID SystemReserved1[30];
    CHAR PlaceholderCompatibilityMode;
    CHAR PlaceholderReserved[11];
    ULONG ProxiedProcessId;
    PVOID ActivationStack[5];         /* 0x290: ACTIVATION_CONTEXT_STACK, 0x28 bytes */
    UCHAR WorkingOnBehalfOfTicket[8];
    NTSTATUS ExceptionCode;
} TEB, *PTEB;

NTSYSAPI PTEB NTAPI NtCurrentTeb(VOID);

typedef enum _THREADINFOCLASS {
    ThreadBasicInformation = 0,
    ThreadTimes = 1,
    ThreadPriority = 2,
    ThreadBasePriority = 3,
    ThreadAffinityMask = 4,
    ThreadImpersonationToken = 5,
    ThreadDescriptorTableEntry = 6,
    ThreadEnableAlignmentFaultFixup = 7,
    ThreadEventPair = 8,
    ThreadQuerySetWin32StartAddress = 9,
    ThreadZeroTlsCell = 10,
    ThreadPerformanceCount = 11,
    ThreadAmILastThread = 12,
    ThreadIdealProcessor = 13,
    ThreadPriorityBoost = 14,
    ThreadSetTlsArrayAddress = 15,
    ThreadIsIoPending = 16,
    ThreadHideFromDebugger = 17,
    MaxThreadInfoClass
} THREADINFOCLASS;

typedef enum _PROCESSINFOCLASS {
    ProcessBasicInformation = 0,
    ProcessQuotaLimits = 1,
    ProcessIoCounters = 2,
    ProcessVmCounters = 3,
    ProcessTimes = 4,
    ProcessBasePriority = 5,
    ProcessRaisePriority = 6,
    ProcessDebugPort = 7,
    ProcessExceptionPort = 8,
    ProcessAccessToken = 9,
    ProcessHandleCount = 20,
    MaxProcessInfoClass
} PROCESSINFOCLASS;

typedef struct _THREAD_BASIC_INFORMATION {
    NTSTATUS ExitStatus;
    PTEB TebBaseAddress;
    CLIENT_ID ClientId;
    KAFFINITY AffinityMask;
    KPRIORITY Priority;
    KPRIORITY BasePriority;
} THREAD_BASIC_INFORMATION, *PTHREAD_BASIC_INFORMATION;

typedef struct _PROCESS_BASIC_INFORMATION {
    NTSTATUS ExitStatus;
    PVOID PebBaseAddress;
    KAFFINITY AffinityMask;
    KPRIORITY BasePriority;
    ULONG_PTR UniqueProcessId;
    ULONG_PTR InheritedFromUniqueProcessId;
} PROCESS_BASIC_INFORMATION, *PPROCESS_BASIC_INFORMATION;

typedef NTSTATUS (*PUSER_THREAD_START_ROUTINE)(PVOID ThreadParameter);

#define THREAD_CREATE_FLAGS_CREATE_SUSPENDED 0x00000001
#define DUPLICATE_CLOSE_SOURCE 0x00000001
#define DUPLICATE_SAME_ACCESS 0x00000002
#define DUPLICATE_SAME_ATTRIBUTES 0x00000004

/* Files and devices. */
NTSYSCALLAPI NTSTATUS NTAPI NtCreateFile(PHANDLE FileHandle, ACCESS_MASK DesiredAccess,
                                         POBJECT_ATTRIBUTES ObjectAttributes,
                                         PIO_STATUS_BLOCK IoStatusBlock,
                                         PLARGE_INTEGER AllocationSize, ULONG FileAttributes,
                                         ULONG ShareAccess, ULONG CreateDisposition,
                                         ULONG CreateOptions, PVOID EaBuffer, ULONG EaLength);
NTSYSCALLAPI NTSTATUS NTAPI NtOpenFile(PHANDLE FileHandle, ACCESS_MASK DesiredAccess,
                                       POBJECT_ATTRIBUTES ObjectAttributes,
                                       PIO_STATUS_BLOCK IoStatusBlock, ULONG ShareAccess,
                                       ULONG OpenOptions);
NTSYSCALLAPI NTSTATUS NTAPI NtReadFile(HANDLE FileHandle, HANDLE Event, PIO_APC_ROUTINE ApcRoutine,
                                       PVOID ApcContext, PIO_STATUS_BLOCK IoStatusBlock,
                                       PVOID Buffer, ULONG Length, PLARGE_INTEGER ByteOffset,
                                       PULONG Key);
NTSYSCALLAPI NTSTATUS NTAPI NtWriteFile(HANDLE FileHandle, HANDLE Event,
                                        PIO_APC_ROUTINE ApcRoutine, PVOID ApcContext,
                                        PIO_STATUS_BLOCK IoStatusBlock, PVOID Buffer, ULONG Length,
                                        PLARGE_INTEGER ByteOffset, PULONG Key);
NTSYSCALLAPI NTSTATUS NTAPI NtDeviceIoControlFile(HANDLE FileHandle, HANDLE Event,
                                                  PIO_APC_ROUTINE ApcRoutine, PVOID ApcContext,
                                                  PIO_STATUS_BLOCK IoStatusBlock,
                                                  ULONG IoControlCode, PVOID InputBuffer,
                                                  ULONG InputBufferLength, PVOID OutputBuffer,
                                                  ULONG OutputBufferLength);
NTSYSCALLAPI NTSTATUS NTAPI NtCancelIoFile(HANDLE FileHandle, PIO_STATUS_BLOCK IoStatusBlock);
NTSYSCALLAPI NTSTATUS NTAPI NtCancelIoFileEx(HANDLE FileHandle, PIO_STATUS_BLOCK IoRequestToCancel,
                                             PIO_STATUS_BLOCK IoStatusBlock);
NTSYSCALLAPI NTSTATUS NTAPI NtSetInformationFile(HANDLE FileHandle,
                                                 PIO_STATUS_BLOCK IoStatusBlock,
                                                 PVOID FileInformation, ULONG Length,
                                                 FILE_INFORMATION_CLASS FileInformationClass);

/* FileCompletionInformation: associates a file opened for asynchronous I/O with a port. */
typedef struct _FILE_COMPLETION_INFORMATION {
    HANDLE Port;
    PVOID Key;
} FILE_COMPLETION_INFORMATION, *PFILE_COMPLETION_INFORMATION;

/* FileIoCompletionNotificationInformation (SetFileCompletionNotificationModes). */
typedef struct _FILE_IO_COMPLETION_NOTIFICATION_INFORMATION {
    ULONG Flags;
} FILE_IO_COMPLETION_NOTIFICATION_INFORMATION, *PFILE_IO_COMPLETION_NOTIFICATION_INFORMATION;
#ifndef FILE_SKIP_COMPLETION_PORT_ON_SUCCESS
#define FILE_SKIP_COMPLETION_PORT_ON_SUCCESS 0x1
#define FILE_SKIP_SET_EVENT_ON_HANDLE 0x2
#define FILE_SKIP_SET_USER_EVENT_ON_FAST_IO 0x4
#endif

/* I/O completion ports. */
#define IO_COMPLETION_QUERY_STATE 0x0001
#define IO_COMPLETION_MODIFY_STATE 0x0002
#define IO_COMPLETION_ALL_ACCESS (STANDARD_RIGHTS_REQUIRED | SYNCHRONIZE | 0x3)
typedef struct _FILE_IO_COMPLETION_INFORMATION {
    PVOID KeyContext;
    PVOID ApcContext;
    IO_STATUS_BLOCK IoStatusBlock;
} FILE_IO_COMPLETION_INFORMATION, *PFILE_IO_COMPLETION_INFORMATION;
typedef enum _IO_COMPLETION_INFORMATION_CLASS {
    IoCompletionBasicInformation
} IO_COMPLETION_INFORMATION_CLASS;
typedef struct _IO_COMPLETION_BASIC_INFORMATION {
    LONG Depth; /* packets queued */
} IO_COMPLETION_BASIC_INFORMATION, *PIO_COMPLETION_BASIC_INFORMATION;
NTSYSCALLAPI NTSTATUS NTAPI NtCreateIoCompletion(PHANDLE IoCompletionHandle,
                                                 ACCESS_MASK DesiredAccess,
                                                 POBJECT_ATTRIBUTES ObjectAttributes,
                                                 ULONG Count);
NTSYSCALLAPI NTSTATUS NTAPI NtOpenIoCompletion(PHANDLE IoCompletionHandle,
                                               ACCESS_MASK DesiredAccess,
                                               POBJECT_ATTRIBUTES ObjectAttributes);
NTSYSCALLAPI NTSTATUS NTAPI NtSetIoCompletion(HANDLE IoCompletionHandle, PVOID KeyContext,
                                              PVOID ApcContext, NTSTATUS IoStatus,
                                              ULONG_PTR IoStatusInformation);
NTSYSCALLAPI NTSTATUS NTAPI NtRemoveIoCompletion(HANDLE IoCompletionHandle, PVOID *KeyContext,
                                                 PVOID *ApcContext,
                                                 PIO_STATUS_BLOCK IoStatusBlock,
                                                 PLARGE_INTEGER Timeout);
NTSYSCALLAPI NTSTATUS NTAPI NtRemoveIoCompletionEx(
    HANDLE IoCompletionHandle, PFILE_IO_COMPLETION_INFORMATION IoCompletionInformation,
    ULONG Count, PULONG NumEntriesRemoved, PLARGE_INTEGER Timeout, BOOLEAN Alertable);
NTSYSCALLAPI NTSTATUS NTAPI NtQueryIoCompletion(
    HANDLE IoCompletionHandle, IO_COMPLETION_INFORMATION_CLASS IoCompletionInformationClass,
    PVOID IoCompletionInformation, ULONG IoCompletionInformationLength, PULONG ResultLength);

/* Objects and handles. */
NTSYSCALLAPI NTSTATUS NTAPI NtClose(HANDLE Handle);
NTSYSCALLAPI NTSTATUS NTAPI NtDuplicateObject(HANDLE SourceProcessHandle, HANDLE SourceHandle,
                                              HANDLE TargetProcessHandle, PHANDLE TargetHandle,
                                              ACCESS_MASK DesiredAccess, ULONG HandleAttributes,
                                              ULONG Options);
NTSYSCALLAPI NTSTATUS NTAPI NtMakeTemporaryObject(HANDLE Handle);

/* Waits and events. */
NTSYSCALLAPI NTSTATUS NTAPI NtWaitForSingleObject(HANDLE Handle, BOOLEAN Alertable,
                                                  PLARGE_INTEGER Timeout);
NTSYSCALLAPI NTSTATUS NTAPI NtWaitForMultipleObjects(ULONG Count, HANDLE Handles[],
                                                     WAIT_TYPE WaitType, BOOLEAN Alertable,
                                                     PLARGE_INTEGER Timeout);
NTSYSCALLAPI NTSTATUS NTAPI NtDelayExecution(BOOLEAN Alertable, PLARGE_INTEGER DelayInterval);
NTSYSCALLAPI NTSTATUS NTAPI NtCreateEvent(PHANDLE EventHandle, ACCESS_MASK DesiredAccess,
                                          POBJECT_ATTRIBUTES ObjectAttributes,
                                          EVENT_TYPE EventType, BOOLEAN InitialState);
NTSYSCALLAPI NTSTATUS NTAPI NtOpenEvent(PHANDLE EventHandle, ACCESS_MASK DesiredAccess,
                                        POBJECT_ATTRIBUTES ObjectAttributes);
NTSYSCALLAPI NTSTATUS NTAPI NtSetEvent(HANDLE EventHandle, PLONG PreviousState);
NTSYSCALLAPI NTSTATUS NTAPI NtResetEvent(HANDLE EventHandle, PLONG PreviousState);
NTSYSCALLAPI NTSTATUS NTAPI NtClearEvent(HANDLE EventHandle);
NTSYSCALLAPI NTSTATUS NTAPI NtPulseEvent(HANDLE EventHandle, PLONG PreviousState);

/* Semaphores and mutants (Win32's mutexes). */
typedef enum _SEMAPHORE_INFORMATION_CLASS { SemaphoreBasicInformation } SEMAPHORE_INFORMATION_CLASS;
typedef struct _SEMAPHORE_BASIC_INFORMATION {
    LONG CurrentCount;
    LONG MaximumCount;
} SEMAPHORE_BASIC_INFORMATION, *PSEMAPHORE_BASIC_INFORMATION;
typedef enum _MUTANT_INFORMATION_CLASS { MutantBasicInformation } MUTANT_INFORMATION_CLASS;
typedef struct _MUTANT_BASIC_INFORMATION {
    LONG CurrentCount;       /* 1 free, 0 owned once, -n owned n + 1 times */
    BOOLEAN OwnedByCaller;
    BOOLEAN AbandonedState;
} MUTANT_BASIC_INFORMATION, *PMUTANT_BASIC_INFORMATION;
NTSYSCALLAPI NTSTATUS NTAPI NtCreateSemaphore(PHANDLE SemaphoreHandle, ACCESS_MASK DesiredAccess,
                                              POBJECT_ATTRIBUTES ObjectAttributes,
                                              LONG InitialCount, LONG MaximumCount);
NTSYSCALLAPI NTSTATUS NTAPI NtOpenSemaphore(PHANDLE SemaphoreHandle, ACCESS_MASK DesiredAccess,
                                            POBJECT_ATTRIBUTES ObjectAttributes);
NTSYSCALLAPI NTSTATUS NTAPI NtReleaseSemaphore(HANDLE SemaphoreHandle, LONG ReleaseCount,
                                               PLONG PreviousCount);
NTSYSCALLAPI NTSTATUS NTAPI NtQuerySemaphore(HANDLE SemaphoreHandle,
                                             SEMAPHORE_INFORMATION_CLASS InformationClass,
                                             PVOID SemaphoreInformation, ULONG Length,
                                             PULONG ReturnLength);
NTSYSCALLAPI NTSTATUS NTAPI NtCreateMutant(PHANDLE MutantHandle, ACCESS_MASK DesiredAccess,
                                           POBJECT_ATTRIBUTES ObjectAttributes,
                                           BOOLEAN InitialOwner);
NTSYSCALLAPI NTSTATUS NTAPI NtOpenMutant(PHANDLE MutantHandle, ACCESS_MASK DesiredAccess,
                                         POBJECT_ATTRIBUTES ObjectAttributes);
NTSYSCALLAPI NTSTATUS NTAPI NtReleaseMutant(HANDLE MutantHandle, PLONG PreviousCount);
NTSYSCALLAPI NTSTATUS NTAPI NtQueryMutant(HANDLE MutantHandle,
                                          MUTANT_INFORMATION_CLASS InformationClass,
                                          PVOID MutantInformation, ULONG Length,
                                          PULONG ReturnLength);

/* Processes and threads. */
NTSYSCALLAPI NTSTATUS NTAPI NtCreateThreadEx(PHANDLE ThreadHandle, ACCESS_MASK DesiredAccess,
                                             POBJECT_ATTRIBUTES ObjectAttributes,
                                             HANDLE ProcessHandle,
                                             PUSER_THREAD_START_ROUTINE StartRoutine,
                                             PVOID Argument, ULONG CreateFlags, SIZE_T ZeroBits,
                                             SIZE_T StackSize, SIZE_T MaximumStackSize,
                                             PVOID AttributeList);
NTSYSCALLAPI NTSTATUS NTAPI NtTerminateThread(HANDLE ThreadHandle, NTSTATUS ExitStatus);
NTSYSCALLAPI NTSTATUS NTAPI NtTerminateProcess(HANDLE ProcessHandle, NTSTATUS ExitStatus);
NTSYSCALLAPI NTSTATUS NTAPI NtQueryInformationThread(HANDLE ThreadHandle,
                                                     THREADINFOCLASS ThreadInformationClass,
                                                     PVOID ThreadInformation,
                                                     ULONG ThreadInformationLength,
                                                     PULONG ReturnLength);
NTSYSCALLAPI NTSTATUS NTAPI NtSetInformationThread(HANDLE ThreadHandle,
                                                   THREADINFOCLASS ThreadInformationClass,
                                                   PVOID ThreadInformation,
                                                   ULONG ThreadInformationLength);
NTSYSCALLAPI NTSTATUS NTAPI NtQueryInformationProcess(HANDLE ProcessHandle,
                                                      PROCESSINFOCLASS ProcessInformationClass,
                                                      PVOID ProcessInformation,
                                                      ULONG ProcessInformationLength,
                                                      PULONG ReturnLength);
NTSYSCALLAPI NTSTATUS NTAPI NtYieldExecution(VOID);
typedef VOID (*PPS_APC_ROUTINE)(PVOID ApcArgument1, PVOID ApcArgument2, PVOID ApcArgument3);
NTSYSCALLAPI NTSTATUS NTAPI NtQueueApcThread(HANDLE ThreadHandle, PPS_APC_ROUTINE ApcRoutine,
                                             PVOID ApcArgument1, PVOID ApcArgument2,
                                             PVOID ApcArgument3);
NTSYSCALLAPI NTSTATUS NTAPI NtTestAlert(VOID);
NTSYSCALLAPI NTSTATUS NTAPI NtAlertThread(HANDLE ThreadHandle);

/* Virtual memory (per process) and the system's basic figures. */
NTSYSCALLAPI NTSTATUS NTAPI NtAllocateVirtualMemory(HANDLE ProcessHandle, PVOID *BaseAddress,
                                                    ULONG_PTR ZeroBits, PSIZE_T RegionSize,
                                                    ULONG AllocationType, ULONG Protect);
NTSYSCALLAPI NTSTATUS NTAPI NtFreeVirtualMemory(HANDLE ProcessHandle, PVOID *BaseAddress,
                                                PSIZE_T RegionSize, ULONG FreeType);
NTSYSCALLAPI NTSTATUS NTAPI NtQueryVirtualMemory(HANDLE ProcessHandle, PVOID BaseAddress,
                                                 MEMORY_INFORMATION_CLASS MemoryInformationClass,
                                                 PVOID MemoryInformation,
                                                 SIZE_T MemoryInformationLength,
                                                 PSIZE_T ReturnLength);
NTSYSCALLAPI NTSTATUS NTAPI NtProtectVirtualMemory(HANDLE ProcessHandle, PVOID *BaseAddress,
                                                   PSIZE_T RegionSize, ULONG NewProtect,
                                                   PULONG OldProtect);

typedef enum _SYSTEM_INFORMATION_CLASS {
    SystemBasicInformation = 0,
    SystemProcessorInformation = 1,
    SystemPerformanceInformation = 2,
    SystemTimeOfDayInformation = 3
} SYSTEM_INFORMATION_CLASS;

typedef struct _SYSTEM_BASIC_INFORMATION {
    ULONG Reserved;
    ULONG TimerResolution;            /* 100 ns units */
    ULONG PageSize;
    ULONG NumberOfPhysicalPages;
    ULONG LowestPhysicalPageNumber;
    ULONG HighestPhysicalPageNumber;
    ULONG AllocationGranularity;
    ULONG_PTR MinimumUserModeAddress;
    ULONG_PTR MaximumUserModeAddress;
    KAFFINITY ActiveProcessorsAffinityMask;
    CCHAR NumberOfProcessors;
} SYSTEM_BASIC_INFORMATION, *PSYSTEM_BASIC_INFORMATION;

NTSYSCALLAPI NTSTATUS NTAPI NtQuerySystemInformation(
    SYSTEM_INFORMATION_CLASS SystemInformationClass, PVOID SystemInformation,
    ULONG SystemInformationLength, PULONG ReturnLength);

/* Debug output from user mode (as ntdll's DbgPrint does through the kernel). */
NTSYSAPI ULONG __cdecl DbgPrint(PCSTR Format, ...);

NTK_EXTERN_C_END

#endif
