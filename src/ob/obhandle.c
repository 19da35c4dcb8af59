/* Ob: per-process handle tables. A handle is (index + 1) * 4; kernel handles live in the
 * System process's table and carry KERNEL_HANDLE_MASK, so user mode can never name them. */
#include "obp.h"
#include "ntklock.h"
#include <string.h>

typedef struct _HANDLE_TABLE_ENTRY {
    PVOID Object;            /* body; NULL when free */
    ACCESS_MASK GrantedAccess;
    ULONG Attributes;        /* OBJ_INHERIT...; for a free entry, the next free index + 1 */
} HANDLE_TABLE_ENTRY;

typedef struct _HANDLE_TABLE {
    NTK_LOCK Lock;
    HANDLE_TABLE_ENTRY *Entries;
    ULONG Capacity;
    ULONG FreeHead;          /* index + 1 of the first free entry, 0 if none */
    ULONG Used;
} HANDLE_TABLE;

#define OBP_MAX_HANDLES (16 * 1024 * 1024)

#define OBP_TAG_HANDLE_TABLE 0x62744F4F /* 'OOtb' */

/* Handle tables live in pool, as NT's do. */
PHANDLE_TABLE ObpCreateHandleTable(VOID)
{
    return ExAllocatePool2(POOL_FLAG_PAGED, sizeof(HANDLE_TABLE), OBP_TAG_HANDLE_TABLE);
}

static PHANDLE_TABLE ObpTableOf(PEPROCESS Process)
{
    return Process->ObjectTable;
}

NTSTATUS ObpCreateHandle(PEPROCESS Process, PVOID Object, ACCESS_MASK GrantedAccess,
                         ULONG Attributes, PHANDLE Handle)
{
    PHANDLE_TABLE Table;
    POBJECT_HEADER Header = OBJECT_TO_OBJECT_HEADER(Object);
    BOOLEAN Kernel = (Attributes & OBJ_KERNEL_HANDLE) != 0;
    ULONG Index;

    if (Kernel)
        Process = PsInitialSystemProcess;
    Table = ObpTableOf(Process);
    NtkLock(&Table->Lock);
    if (Table->FreeHead == 0) {
        ULONG NewCapacity = Table->Capacity ? Table->Capacity * 2 : 64;
        HANDLE_TABLE_ENTRY *Grown;
        ULONG i;
        if (NewCapacity > OBP_MAX_HANDLES) {
            NtkUnlock(&Table->Lock);
            return STATUS_INSUFFICIENT_RESOURCES;
        }
        Grown = ExAllocatePool2(POOL_FLAG_PAGED | POOL_FLAG_UNINITIALIZED,
                                NewCapacity * sizeof(*Grown), OBP_TAG_HANDLE_TABLE);
        if (Grown == NULL) {
            NtkUnlock(&Table->Lock);
            return STATUS_INSUFFICIENT_RESOURCES;
        }
        if (Table->Entries) {
            memcpy(Grown, Table->Entries, Table->Capacity * sizeof(*Grown));
            ExFreePoolWithTag(Table->Entries, OBP_TAG_HANDLE_TABLE);
        }
        for (i = Table->Capacity; i < NewCapacity; i++) {
            Grown[i].Object = NULL;
            Grown[i].GrantedAccess = 0;
            Grown[i].Attributes = i + 2 <= NewCapacity ? i + 2 : 0;
        }
        Grown[NewCapacity - 1].Attributes = 0;
        Table->FreeHead = Table->Capacity + 1;
        Table->Entries = Grown;
        Table->Capacity = NewCapacity;
    }
    Index = Table->FreeHead - 1;
    Table->FreeHead = Table->Entries[Index].Attributes;
    Table->Entries[Index].Object = Object;
    Table->Entries[Index].GrantedAccess = GrantedAccess;
    Table->Entries[Index].Attributes = Attributes & (OBJ_INHERIT | OBJ_KERNEL_HANDLE);
    Table->Used++;
    ObfReferenceObject(Object);
    __atomic_add_fetch(&Header->HandleCount, 1, __ATOMIC_SEQ_CST);
    InterlockedIncrement(&Header->Type->TotalHandles);
    NtkUnlock(&Table->Lock);
    *Handle = (HANDLE)(ULONG_PTR)((Index + 1) * 4);
    if (Kernel)
        *Handle = (HANDLE)((ULONG_PTR)*Handle | KERNEL_HANDLE_MASK);
    return STATUS_SUCCESS;
}

/* Finds a handle's table and index; FALSE for values that cannot be handles. */
static BOOLEAN ObpDecodeHandle(HANDLE Handle, KPROCESSOR_MODE Mode, PEPROCESS *Process,
                               ULONG *Index)
{
    ULONG_PTR Value = (ULONG_PTR)Handle;
    if (ObpIsKernelHandle(Handle)) {
        if (Mode == UserMode)
            return FALSE;
        *Process = PsInitialSystemProcess;
        Value &= ~KERNEL_HANDLE_MASK;
    } else {
        if (Value > 0xFFFFFFFFULL)
            return FALSE;
        *Process = PspCurrentProcess();
    }
    if (Value < 4 || (Value & 3) != 0)
        return FALSE;
    *Index = (ULONG)(Value / 4 - 1);
    return TRUE;
}

/* References the object behind a handle; the table lock makes lookup and close atomic. */
NTSTATUS ObpReferenceHandle(HANDLE Handle, KPROCESSOR_MODE Mode, PVOID *Object,
                            ACCESS_MASK *GrantedAccess, ULONG *Attributes)
{
    PEPROCESS Process;
    PHANDLE_TABLE Table;
    ULONG Index;
    if (!ObpDecodeHandle(Handle, Mode, &Process, &Index))
        return STATUS_INVALID_HANDLE;
    Table = ObpTableOf(Process);
    NtkLock(&Table->Lock);
    if (Index >= Table->Capacity || Table->Entries[Index].Object == NULL) {
        NtkUnlock(&Table->Lock);
        return STATUS_INVALID_HANDLE;
    }
    *Object = Table->Entries[Index].Object;
    *GrantedAccess = Table->Entries[Index].GrantedAccess;
    if (Attributes)
        *Attributes = Table->Entries[Index].Attributes;
    ObfReferenceObject(*Object);
    NtkUnlock(&Table->Lock);
    return STATUS_SUCCESS;
}

VOID ObpDecrementHandleCount(PEPROCESS Process, PVOID Object)
{
    POBJECT_HEADER Header = OBJECT_TO_OBJECT_HEADER(Object);
    LONG_PTR Old = __atomic_fetch_sub(&Header->HandleCount, 1, __ATOMIC_SEQ_CST);
    InterlockedDecrement(&Header->Type->TotalHandles);
    if (Header->Type->CloseProcedure)
        Header->Type->CloseProcedure(Process, Object, (ULONG_PTR)Old, (ULONG_PTR)Old);
    ObpDeleteNameCheck(Object);
    ObfDereferenceObject(Object);
}

static NTSTATUS ObpRemoveHandle(PEPROCESS Process, PHANDLE_TABLE Table, ULONG Index,
                                PVOID *Object)
{
    NtkLock(&Table->Lock);
    if (Index >= Table->Capacity || Table->Entries[Index].Object == NULL) {
        NtkUnlock(&Table->Lock);
        return STATUS_INVALID_HANDLE;
    }
    *Object = Table->Entries[Index].Object;
    Table->Entries[Index].Object = NULL;
    Table->Entries[Index].GrantedAccess = 0;
    Table->Entries[Index].Attributes = Table->FreeHead;
    Table->FreeHead = Index + 1;
    Table->Used--;
    NtkUnlock(&Table->Lock);
    (void)Process;
    return STATUS_SUCCESS;
}

NTSTATUS ObpCloseHandle(HANDLE Handle, KPROCESSOR_MODE PreviousMode)
{
    PEPROCESS Process;
    ULONG Index;
    PVOID Object;
    NTSTATUS Status;
    if (!ObpDecodeHandle(Handle, PreviousMode, &Process, &Index))
        return STATUS_INVALID_HANDLE;
    Status = ObpRemoveHandle(Process, ObpTableOf(Process), Index, &Object);
    if (NT_SUCCESS(Status))
        ObpDecrementHandleCount(Process, Object);
    return Status;
}

NTSTATUS ObpDuplicateHandle(PEPROCESS SourceProcess, HANDLE SourceHandle,
                            PEPROCESS TargetProcess, PHANDLE TargetHandle,
                            ACCESS_MASK DesiredAccess, ULONG HandleAttributes, ULONG Options,
                            KPROCESSOR_MODE PreviousMode)
{
    PVOID Object;
    ACCESS_MASK Granted;
    ULONG Attributes;
    NTSTATUS Status;
    if (SourceProcess != PspCurrentProcess() && !ObpIsKernelHandle(SourceHandle)) {
        KdpLog("ntk: duplicating a handle of another process is not implemented\n");
        return STATUS_NOT_IMPLEMENTED;
    }
    Status = ObpReferenceHandle(SourceHandle, PreviousMode, &Object, &Granted, &Attributes);
    if (!NT_SUCCESS(Status))
        return Status;
    if (!(Options & DUPLICATE_SAME_ACCESS))
        Granted = ObpMapGenericMask(OBJECT_TO_OBJECT_HEADER(Object)->Type, DesiredAccess);
    if (!(Options & DUPLICATE_SAME_ATTRIBUTES))
        Attributes = HandleAttributes;
    Status = ObpCreateHandle(TargetProcess, Object, Granted, Attributes, TargetHandle);
    ObfDereferenceObject(Object);
    if (NT_SUCCESS(Status) && (Options & DUPLICATE_CLOSE_SOURCE))
        ObpCloseHandle(SourceHandle, PreviousMode);
    return Status;
}

/* Closes every handle of a process that is going away. */
VOID ObpKillProcessHandles(PEPROCESS Process)
{
    PHANDLE_TABLE Table = ObpTableOf(Process);
    ULONG Index;
    if (Table == NULL)
        return;
    for (Index = 0; Index < Table->Capacity; Index++) {
        PVOID Object;
        if (NT_SUCCESS(ObpRemoveHandle(Process, Table, Index, &Object)))
            ObpDecrementHandleCount(Process, Object);
    }
}

VOID ObpDeleteHandleTable(PEPROCESS Process)
{
    PHANDLE_TABLE Table = ObpTableOf(Process);
    if (Table == NULL)
        return;
    ObpKillProcessHandles(Process);
    if (Table->Entries)
        ExFreePoolWithTag(Table->Entries, OBP_TAG_HANDLE_TABLE);
    ExFreePoolWithTag(Table, OBP_TAG_HANDLE_TABLE);
    Process->ObjectTable = NULL;
}

ULONG ObpHandleCountOfProcess(PEPROCESS Process)
{
    PHANDLE_TABLE Table = ObpTableOf(Process);
    ULONG Used;
    NtkLock(&Table->Lock);
    Used = Table->Used;
    NtkUnlock(&Table->Lock);
    return Used;
}

NTSTATUS ObpTryEnumerateHandles(PEPROCESS Process, OBP_HANDLE_ROUTINE Routine, PVOID Context)
{
    PHANDLE_TABLE Table = ObpTableOf(Process);
    ULONG_PTR Tag = Process == PsInitialSystemProcess ? KERNEL_HANDLE_MASK : 0;
    ULONG Index;
    if (Table == NULL)
        return STATUS_SUCCESS;
    if (!NtkTryLockBounded(&Table->Lock, 2000))
        return STATUS_LOCK_NOT_GRANTED;
    for (Index = 0; Index < Table->Capacity; Index++) {
        const HANDLE_TABLE_ENTRY *Entry = &Table->Entries[Index];
        /* The System process holds only kernel handles: show them as drivers see them. */
        if (Entry->Object != NULL &&
            !Routine((HANDLE)(((ULONG_PTR)(Index + 1) * 4) | Tag), Entry->Object,
                     Entry->GrantedAccess, Context))
            break;
    }
    NtkUnlock(&Table->Lock);
    return STATUS_SUCCESS;
}
