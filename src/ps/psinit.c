/* Ps: process and thread object types, client IDs, the System process, lookups. */
#include "ntkp.h"
#include "../vf/vfddi.h"
#include <stdlib.h>
#include <string.h>

static POBJECT_TYPE PspProcessType, PspThreadType;
POBJECT_TYPE *PsProcessType = &PspProcessType;
POBJECT_TYPE *PsThreadType = &PspThreadType;
PEPROCESS PsInitialSystemProcess;

/* Client IDs: processes and threads share one table; an ID is (index + 1) * 4, so the first
 * one, the System process, is 4 as on Windows. */
static pthread_mutex_t PspCidLock = PTHREAD_MUTEX_INITIALIZER;
static PVOID *PspCidTable;
static ULONG PspCidCapacity, PspCidFree;

HANDLE PspCreateCid(PVOID Object)
{
    ULONG Index;
    pthread_mutex_lock(&PspCidLock);
    for (Index = PspCidFree; Index < PspCidCapacity && PspCidTable[Index]; Index++)
        ;
    if (Index == PspCidCapacity) {
        ULONG New = PspCidCapacity ? PspCidCapacity * 2 : 256;
        PVOID *Grown = realloc(PspCidTable, New * sizeof(PVOID));
        if (Grown == NULL) {
            pthread_mutex_unlock(&PspCidLock);
            return NULL;
        }
        memset(Grown + PspCidCapacity, 0, (New - PspCidCapacity) * sizeof(PVOID));
        PspCidTable = Grown;
        PspCidCapacity = New;
    }
    PspCidTable[Index] = Object;
    PspCidFree = Index + 1;
    pthread_mutex_unlock(&PspCidLock);
    return (HANDLE)(ULONG_PTR)((Index + 1) * 4);
}

VOID PspDeleteCid(HANDLE Cid)
{
    ULONG_PTR Value = (ULONG_PTR)Cid;
    ULONG Index;
    if (Value < 4 || (Value & 3))
        return;
    Index = (ULONG)(Value / 4 - 1);
    pthread_mutex_lock(&PspCidLock);
    if (Index < PspCidCapacity) {
        PspCidTable[Index] = NULL;
        if (Index < PspCidFree)
            PspCidFree = Index;
    }
    pthread_mutex_unlock(&PspCidLock);
}

/* Looks a client ID up and references the object if it has the wanted type. */
static PVOID PspLookupCid(HANDLE Cid, POBJECT_TYPE Type)
{
    ULONG_PTR Value = (ULONG_PTR)Cid;
    PVOID Object = NULL;
    if (Value < 4 || (Value & 3) || Value > 0xFFFFFFFFULL)
        return NULL;
    pthread_mutex_lock(&PspCidLock);
    if (Value / 4 - 1 < PspCidCapacity) {
        Object = PspCidTable[Value / 4 - 1];
        /* An object whose last reference is going away is no longer found. */
        if (Object && (ObGetObjectType(Object) != Type || ObpPointerCount(Object) == 0))
            Object = NULL;
        if (Object)
            ObfReferenceObject(Object);
    }
    pthread_mutex_unlock(&PspCidLock);
    return Object;
}

NTSTATUS PsLookupThreadByThreadId(HANDLE ThreadId, PETHREAD *Thread)
{
    VF_CHECK_IRQL(PsLookupThreadByThreadId);
    PETHREAD Found = PspLookupCid(ThreadId, PspThreadType);
    if (Found == NULL)
        return STATUS_INVALID_PARAMETER;
    *Thread = Found;
    return STATUS_SUCCESS;
}

NTSTATUS PsLookupProcessByProcessId(HANDLE ProcessId, PEPROCESS *Process)
{
    VF_CHECK_IRQL(PsLookupProcessByProcessId);
    PEPROCESS Found = PspLookupCid(ProcessId, PspProcessType);
    if (Found == NULL)
        return STATUS_INVALID_PARAMETER;
    *Process = Found;
    return STATUS_SUCCESS;
}

static VOID PspDeleteProcess(PVOID Object)
{
    PEPROCESS Process = Object;
    PspDeleteCid(Process->UniqueProcessId);
    ObpDeleteHandleTable(Process);
    MmpDeleteProcessAddressSpace(Process); /* a process none of whose threads ran */
}

VOID PspDeleteThread(PVOID Object);

NTSTATUS PspCreateProcess(PCSTR ImageName, PEPROCESS *Process)
{
    PEPROCESS New;
    NTSTATUS Status = ObCreateObject(KernelMode, PspProcessType, NULL, KernelMode, NULL,
                                     sizeof(EPROCESS), 0, 0, (PVOID *)&New);
    if (!NT_SUCCESS(Status))
        return Status;
    memset(New, 0, sizeof(*New));
    KiInitializeProcess(&New->Pcb);
    New->ObjectTable = ObpCreateHandleTable();
    New->UniqueProcessId = PspCreateCid(New);
    New->ExitStatus = STATUS_PENDING;
    if (New->ObjectTable == NULL || New->UniqueProcessId == NULL) {
        ObfDereferenceObject(New);
        return STATUS_INSUFFICIENT_RESOURCES;
    }
    if (PsInitialSystemProcess)
        New->InheritedFromUniqueProcessId = PsInitialSystemProcess->UniqueProcessId;
    strncpy(New->ImageFileName, ImageName, sizeof(New->ImageFileName) - 1);
    *Process = New;
    return STATUS_SUCCESS;
}

NTSTATUS PspInitialize(VOID)
{
    static const OBJECT_TYPE_INITIALIZER ProcessType = {
        L"Process", 0x636F7250, /* 'Proc' */
        { STANDARD_RIGHTS_READ | PROCESS_VM_READ | PROCESS_QUERY_INFORMATION,
          STANDARD_RIGHTS_WRITE | PROCESS_CREATE_PROCESS | PROCESS_CREATE_THREAD |
              PROCESS_VM_OPERATION | PROCESS_VM_WRITE | PROCESS_DUP_HANDLE |
              PROCESS_TERMINATE | PROCESS_SET_QUOTA | PROCESS_SET_INFORMATION |
              PROCESS_SUSPEND_RESUME,
          STANDARD_RIGHTS_EXECUTE | SYNCHRONIZE | PROCESS_QUERY_LIMITED_INFORMATION,
          PROCESS_ALL_ACCESS },
        PROCESS_ALL_ACCESS, NULL, PspDeleteProcess, NULL
    };
    static const OBJECT_TYPE_INITIALIZER ThreadType = {
        L"Thread", 0x65726854, /* 'Thre' */
        { STANDARD_RIGHTS_READ | THREAD_GET_CONTEXT | THREAD_QUERY_INFORMATION,
          STANDARD_RIGHTS_WRITE | THREAD_TERMINATE | THREAD_SUSPEND_RESUME | THREAD_ALERT |
              THREAD_SET_INFORMATION | THREAD_SET_CONTEXT,
          STANDARD_RIGHTS_EXECUTE | SYNCHRONIZE | THREAD_QUERY_LIMITED_INFORMATION,
          THREAD_ALL_ACCESS },
        THREAD_ALL_ACCESS, NULL, PspDeleteThread, NULL
    };
    NTSTATUS Status = ObCreateObjectType(&ProcessType, &PspProcessType);
    if (NT_SUCCESS(Status))
        Status = ObCreateObjectType(&ThreadType, &PspThreadType);
    if (NT_SUCCESS(Status))
        Status = PspCreateProcess("System", &PsInitialSystemProcess);
    if (!NT_SUCCESS(Status))
        return Status;
    PspAdoptHostThread(PsInitialSystemProcess);
    return STATUS_SUCCESS;
}

/* Getters drivers use. */
PETHREAD PsGetCurrentThread(VOID)
{
    return (PETHREAD)KeGetCurrentThread();
}

PEPROCESS PsGetCurrentProcess(VOID)
{
    return (PEPROCESS)KeGetCurrentThread()->Process;
}

PEPROCESS IoGetCurrentProcess(VOID)
{
    return PsGetCurrentProcess();
}

HANDLE PsGetCurrentThreadId(VOID)
{
    return PsGetCurrentThread()->Cid.UniqueThread;
}

HANDLE PsGetCurrentProcessId(VOID)
{
    return PsGetCurrentThread()->Cid.UniqueProcess;
}

HANDLE PsGetThreadId(PETHREAD Thread)
{
    VF_CHECK_IRQL(PsGetThreadId);
    return Thread->Cid.UniqueThread;
}

HANDLE PsGetThreadProcessId(PETHREAD Thread)
{
    return Thread->Cid.UniqueProcess;
}

PEPROCESS PsGetThreadProcess(PETHREAD Thread)
{
    VF_CHECK_IRQL(PsGetThreadProcess);
    return (PEPROCESS)Thread->Tcb.Process;
}

PEPROCESS IoThreadToProcess(PETHREAD Thread)
{
    VF_CHECK_IRQL(IoThreadToProcess);
    return PsGetThreadProcess(Thread);
}

HANDLE PsGetProcessId(PEPROCESS Process)
{
    return Process->UniqueProcessId;
}

NTSTATUS PsGetProcessExitStatus(PEPROCESS Process)
{
    VF_CHECK_IRQL(PsGetProcessExitStatus);
    return Process->ExitStatus;
}

NTSTATUS PsGetThreadExitStatus(PETHREAD Thread)
{
    VF_CHECK_IRQL(PsGetThreadExitStatus);
    return Thread->Terminated ? Thread->ExitStatus : STATUS_PENDING;
}

BOOLEAN PsIsSystemThread(PETHREAD Thread)
{
    VF_CHECK_IRQL(PsIsSystemThread);
    return Thread->SystemThread;
}

BOOLEAN IoIsSystemThread(PETHREAD Thread)
{
    VF_CHECK_IRQL(IoIsSystemThread);
    return Thread->SystemThread;
}

BOOLEAN PsIsThreadTerminating(PETHREAD Thread)
{
    return Thread->Terminated;
}
