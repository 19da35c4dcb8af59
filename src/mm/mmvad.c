/* Mm: per-process virtual memory. Every NT process lives in the one Linux address space, so
 * "per process" is bookkeeping: each EPROCESS keeps the list of reservations it made (its VADs),
 * queries see only those, and the pages are real host mappings: a reservation is a PROT_NONE
 * mapping, committing sets the page protection, decommitting drops the contents and goes back
 * to PROT_NONE, releasing unmaps. A touch of a reserved page therefore faults as on Windows; so
 * does the first touch of a guard page, which then becomes an ordinary page. */
#include "mi.h"
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

/* One lock for every process's list: the address space they share is one resource, and a
 * reservation must be checked against it and made in one step. */
static pthread_mutex_t MiVadLock = PTHREAD_MUTEX_INITIALIZER;

#define MI_USER_END ((ULONG_PTR)MI_USER_PROBE_ADDRESS) /* one past the highest user page */
#define MI_LOWEST_USER ((ULONG_PTR)MM_LOWEST_USER_ADDRESS)
#define MI_ROUND_UP(x, a) (((x) + (a)-1) & ~((ULONG_PTR)(a)-1))

NTSTATUS MiCheckProtection(ULONG Protect, int *HostProtection)
{
    ULONG Base = Protect & 0xFF, Modifiers = Protect & ~0xFFU;
    int Host;
    switch (Base) {
    case PAGE_NOACCESS: Host = PROT_NONE; break;
    case PAGE_READONLY: Host = PROT_READ; break;
    case PAGE_READWRITE: Host = PROT_READ | PROT_WRITE; break;
    case PAGE_EXECUTE: Host = PROT_EXEC; break;
    case PAGE_EXECUTE_READ: Host = PROT_READ | PROT_EXEC; break;
    case PAGE_EXECUTE_READWRITE: Host = PROT_READ | PROT_WRITE | PROT_EXEC; break;
    default:
        /* Copy-on-write is for mapped views; private memory has nothing to copy. */
        return STATUS_INVALID_PAGE_PROTECTION;
    }
    /* At most one modifier, and none on PAGE_NOACCESS. */
    if (Modifiers != 0 && Modifiers != PAGE_GUARD && Modifiers != PAGE_NOCACHE &&
        Modifiers != PAGE_WRITECOMBINE)
        return STATUS_INVALID_PAGE_PROTECTION;
    if (Modifiers != 0 && Base == PAGE_NOACCESS)
        return STATUS_INVALID_PAGE_PROTECTION;
    /* A guard page allows nothing until its first touch (MmpTakeGuardPage). */
    if (Modifiers == PAGE_GUARD)
        Host = PROT_NONE;
    /* PAGE_NOCACHE and PAGE_WRITECOMBINE describe the processor's caching of the page, which
     * ordinary host memory has no say in: they are kept and reported, nothing more. */
    if (HostProtection)
        *HostProtection = Host;
    return STATUS_SUCCESS;
}

/* ---- runs ---- */

static VOID MiEmitRun(MMVAD_RUN *Runs, ULONG *Count, ULONG_PTR End, ULONG Protect)
{
    if (*Count > 0 && Runs[*Count - 1].Protect == Protect) {
        Runs[*Count - 1].End = End;
        return;
    }
    Runs[*Count].End = End;
    Runs[*Count].Protect = Protect;
    (*Count)++;
}

/* Gives [From, To) (inside the VAD) the state Protect. */
static NTSTATUS MiSetRuns(PMMVAD Vad, ULONG_PTR From, ULONG_PTR To, ULONG Protect)
{
    ULONG Capacity = Vad->RunCount + 2, Count = 0, i;
    MMVAD_RUN *Runs = malloc(Capacity * sizeof(*Runs));
    ULONG_PTR Low = Vad->Start;
    BOOLEAN Inserted = FALSE;
    if (Runs == NULL)
        return STATUS_INSUFFICIENT_RESOURCES;
    for (i = 0; i < Vad->RunCount; i++) {
        ULONG_PTR End = Vad->Runs[i].End;
        ULONG Old = Vad->Runs[i].Protect;
        if (Low < From)
            MiEmitRun(Runs, &Count, End < From ? End : From, Old);
        if (!Inserted && End > From) {
            MiEmitRun(Runs, &Count, To, Protect);
            Inserted = TRUE;
        }
        if (End > To)
            MiEmitRun(Runs, &Count, End, Old);
        Low = End;
    }
    free(Vad->Runs);
    Vad->Runs = Runs;
    Vad->RunCount = Count;
    Vad->RunCapacity = Capacity;
    return STATUS_SUCCESS;
}

static MMVAD_RUN *MiRunAt(PMMVAD Vad, ULONG_PTR Address)
{
    ULONG i;
    for (i = 0; i < Vad->RunCount; i++)
        if (Vad->Runs[i].End > Address)
            return &Vad->Runs[i];
    return NULL;
}

static BOOLEAN MiAllCommitted(PMMVAD Vad, ULONG_PTR From, ULONG_PTR To)
{
    ULONG_PTR Low = Vad->Start;
    ULONG i;
    for (i = 0; i < Vad->RunCount; Low = Vad->Runs[i].End, i++)
        if (Vad->Runs[i].End > From && Low < To && Vad->Runs[i].Protect == 0)
            return FALSE;
    return TRUE;
}

/* ---- VAD lists (MiVadLock held) ---- */

static PMMVAD MiFindVad(PEPROCESS Process, ULONG_PTR Address)
{
    PMMVAD Vad;
    for (Vad = Process->VadList; Vad != NULL && Vad->Start <= Address; Vad = Vad->Next)
        if (Address < Vad->End)
            return Vad;
    return NULL;
}

static BOOLEAN MiOverlapsVad(PEPROCESS Process, ULONG_PTR Start, ULONG_PTR End)
{
    PMMVAD Vad;
    for (Vad = Process->VadList; Vad != NULL && Vad->Start < End; Vad = Vad->Next)
        if (Vad->End > Start)
            return TRUE;
    return FALSE;
}

/* Every process's VADs: what of the host's mappings belongs to some NT process. */
PMMVAD MiGlobalVads;

static VOID MiInsertVad(PEPROCESS Process, PMMVAD New)
{
    PMMVAD *Link = &Process->VadList;
    while (*Link != NULL && (*Link)->Start < New->Start)
        Link = &(*Link)->Next;
    New->Next = *Link;
    *Link = New;
    Link = &MiGlobalVads;
    while (*Link != NULL && (*Link)->Start < New->Start)
        Link = &(*Link)->GlobalNext;
    New->GlobalNext = *Link;
    *Link = New;
}

static VOID MiDeleteVad(PEPROCESS Process, PMMVAD Vad)
{
    PMMVAD *Link = &Process->VadList;
    while (*Link != Vad)
        Link = &(*Link)->Next;
    *Link = Vad->Next;
    Link = &MiGlobalVads;
    while (*Link != Vad)
        Link = &(*Link)->GlobalNext;
    *Link = Vad->GlobalNext;
    munmap((PVOID)Vad->Start, Vad->End - Vad->Start);
    free(Vad->Runs);
    free(Vad);
}

static NTSTATUS MiReserveFixed(ULONG_PTR Start, SIZE_T Length)
{
    PVOID Host = mmap((PVOID)Start, Length, PROT_NONE,
                      MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
    if (Host == MAP_FAILED)
        return errno == EEXIST ? STATUS_CONFLICTING_ADDRESSES : STATUS_NO_MEMORY;
    if ((ULONG_PTR)Host != Start) { /* a host that ignores MAP_FIXED_NOREPLACE */
        munmap(Host, Length);
        return STATUS_CONFLICTING_ADDRESSES;
    }
    return STATUS_SUCCESS;
}

/* Reserves [*Start, *Start + Length) in the host: at *Start exactly when it is not 0, else
 * where the host finds room, aligned to the allocation granularity, in user space; below
 * Limit, or as high as possible, by searching the host's free ranges. */
static NTSTATUS MiReserveHostRange(ULONG_PTR *Start, SIZE_T Length, ULONG_PTR Limit,
                                   BOOLEAN TopDown)
{
    const int Flags = MAP_PRIVATE | MAP_ANONYMOUS;
    PUCHAR Host;
    ULONG_PTR Aligned, Extra = MI_ALLOCATION_GRANULARITY - PAGE_SIZE;
    int Attempt;
    if (*Start != 0)
        return MiReserveFixed(*Start, Length);
    if (TopDown || Limit < MI_USER_END) {
        /* The host's own mappings can appear between the search and the mapping: try again. */
        for (Attempt = 0; Attempt < 8; Attempt++) {
            NTSTATUS Status;
            if (!MiFindHostGap(Length, Limit, TopDown, &Aligned))
                return STATUS_NO_MEMORY;
            Status = MiReserveFixed(Aligned, Length);
            if (Status != STATUS_CONFLICTING_ADDRESSES) {
                if (NT_SUCCESS(Status))
                    *Start = Aligned;
                return Status;
            }
        }
        return STATUS_NO_MEMORY;
    }
    Host = mmap(NULL, Length + Extra, PROT_NONE, Flags, -1, 0);
    if (Host == MAP_FAILED)
        return STATUS_NO_MEMORY;
    Aligned = MI_ROUND_UP((ULONG_PTR)Host, MI_ALLOCATION_GRANULARITY);
    if (Aligned > (ULONG_PTR)Host)
        munmap(Host, Aligned - (ULONG_PTR)Host);
    if ((ULONG_PTR)Host + Length + Extra > Aligned + Length)
        munmap((PVOID)(Aligned + Length), (ULONG_PTR)Host + Length + Extra - (Aligned + Length));
    if (Aligned < MI_LOWEST_USER || Aligned + Length > MI_USER_END) {
        munmap((PVOID)Aligned, Length);
        return STATUS_NO_MEMORY;
    }
    *Start = Aligned;
    return STATUS_SUCCESS;
}

/* Commits [From, To) of Vad with Protect (already validated). */
static NTSTATUS MiCommit(PMMVAD Vad, ULONG_PTR From, ULONG_PTR To, ULONG Protect)
{
    int Host = PROT_NONE;
    NTSTATUS Status = MiCheckProtection(Protect, &Host);
    if (!NT_SUCCESS(Status))
        return Status;
    /* The host charges writable private pages against its commit limit here. */
    if (mprotect((PVOID)From, To - From, Host) != 0)
        return STATUS_COMMITMENT_LIMIT;
    return MiSetRuns(Vad, From, To, Protect);
}

static VOID MiDecommit(PMMVAD Vad, ULONG_PTR From, ULONG_PTR To)
{
    mprotect((PVOID)From, To - From, PROT_NONE);
    madvise((PVOID)From, To - From, MADV_DONTNEED); /* a later commit sees zeros */
    if (!NT_SUCCESS(MiSetRuns(Vad, From, To, 0)))
        /* Out of memory for the bookkeeping: the pages are decommitted, so say so loudly. */
        KdpLog("ntk: MiDecommit: cannot record the decommitted range %p-%p\n", (PVOID)From,
               (PVOID)To);
}

/* ---- the operations ---- */

#define MI_VALID_ALLOCATION_TYPES                                                                 \
    (MEM_COMMIT | MEM_RESERVE | MEM_RESET | MEM_RESET_UNDO | MEM_TOP_DOWN | MEM_WRITE_WATCH |     \
     MEM_PHYSICAL | MEM_LARGE_PAGES)

static NTSTATUS MiCheckAllocationType(ULONG Type)
{
    if ((Type & ~MI_VALID_ALLOCATION_TYPES) != 0 ||
        (Type & (MEM_COMMIT | MEM_RESERVE | MEM_RESET | MEM_RESET_UNDO)) == 0)
        return STATUS_INVALID_PARAMETER_5;
    /* MEM_RESET and MEM_RESET_UNDO come alone. */
    if ((Type & (MEM_RESET | MEM_RESET_UNDO)) && Type != MEM_RESET && Type != MEM_RESET_UNDO)
        return STATUS_INVALID_PARAMETER_5;
    if ((Type & MEM_PHYSICAL) && !(Type & MEM_RESERVE))
        return STATUS_INVALID_PARAMETER_5;
    if (Type & (MEM_RESET_UNDO | MEM_WRITE_WATCH | MEM_PHYSICAL | MEM_LARGE_PAGES)) {
        KdpLog("ntk: NtAllocateVirtualMemory: allocation type 0x%X is not implemented\n", Type);
        return STATUS_NOT_IMPLEMENTED;
    }
    return STATUS_SUCCESS;
}

/* One past the highest base address ZeroBits allows: a count of high-order bits that must be
 * zero in a 32-bit address (1 to 20), or, from 32 up, a mask of the bits that may be set. */
static ULONG_PTR MiZeroBitsLimit(ULONG_PTR ZeroBits)
{
    ULONG_PTR Limit;
    if (ZeroBits == 0)
        return MI_USER_END;
    if (ZeroBits < 32)
        Limit = ((ULONG_PTR)0xFFFFFFFF >> ZeroBits) + 1;
    else
        Limit = __builtin_clzll(ZeroBits) == 0 ? MI_USER_END
                                               : (ULONG_PTR)1 << (64 - __builtin_clzll(ZeroBits));
    return Limit < MI_USER_END ? Limit : MI_USER_END;
}

NTSTATUS MiAllocateVirtualMemory(PEPROCESS Process, PVOID *BaseAddress, ULONG_PTR ZeroBits,
                                 PSIZE_T RegionSize, ULONG AllocationType, ULONG Protect)
{
    ULONG_PTR Base = (ULONG_PTR)*BaseAddress, Size = *RegionSize, Start, End;
    NTSTATUS Status;
    PMMVAD Vad;

    if (ZeroBits > 20 && ZeroBits < 32)
        return STATUS_INVALID_PARAMETER_3;
    Status = MiCheckAllocationType(AllocationType);
    if (!NT_SUCCESS(Status))
        return Status;
    Status = MiCheckProtection(Protect, NULL);
    if (!NT_SUCCESS(Status))
        return Status;
    if (Base != 0 && (Base < MI_LOWEST_USER || Base >= MI_USER_END))
        return STATUS_INVALID_PARAMETER_2;
    if (Size == 0 || Size > MI_USER_END - (Base ? Base : MI_LOWEST_USER))
        return STATUS_INVALID_PARAMETER_4;
    /* Without an address, MEM_COMMIT alone also reserves. */
    if (Base == 0 && (AllocationType & MEM_COMMIT))
        AllocationType |= MEM_RESERVE;

    pthread_mutex_lock(&MiVadLock);
    if (Process->AddressSpaceDeleted) {
        Status = STATUS_PROCESS_IS_TERMINATING;
    } else if (AllocationType & MEM_RESERVE) {
        Start = Base & ~(MI_ALLOCATION_GRANULARITY - 1);
        End = ROUND_TO_PAGES(Base + Size);
        if (Base == 0)
            End = ROUND_TO_PAGES(Size);
        Vad = calloc(1, sizeof(*Vad));
        if (Vad != NULL)
            Vad->Runs = malloc(sizeof(*Vad->Runs) * 2);
        if (Vad == NULL || Vad->Runs == NULL) {
            if (Vad)
                free(Vad);
            Status = STATUS_INSUFFICIENT_RESOURCES;
        } else if (Base != 0 && MiOverlapsVad(Process, Start, End)) {
            free(Vad->Runs);
            free(Vad);
            Status = STATUS_CONFLICTING_ADDRESSES;
        } else {
            SIZE_T Length = End - Start;
            Status = MiReserveHostRange(&Start, Length, MiZeroBitsLimit(ZeroBits),
                                        (AllocationType & MEM_TOP_DOWN) != 0);
            if (NT_SUCCESS(Status)) {
                Vad->Start = Start;
                Vad->End = Start + Length;
                Vad->AllocationProtect = Protect;
                Vad->RunCount = 1;
                Vad->RunCapacity = 2;
                Vad->Runs[0].End = Vad->End;
                Vad->Runs[0].Protect = 0;
                if (AllocationType & MEM_COMMIT)
                    Status = MiCommit(Vad, Vad->Start, Vad->End, Protect);
                if (NT_SUCCESS(Status)) {
                    MiInsertVad(Process, Vad);
                    *BaseAddress = (PVOID)Vad->Start;
                    *RegionSize = Vad->End - Vad->Start;
                } else {
                    munmap((PVOID)Vad->Start, Length);
                }
            }
            if (!NT_SUCCESS(Status)) {
                free(Vad->Runs);
                free(Vad);
            }
        }
    } else {
        /* MEM_COMMIT or MEM_RESET of pages inside one reservation. */
        Start = (ULONG_PTR)PAGE_ALIGN(Base);
        End = ROUND_TO_PAGES(Base + Size);
        Vad = MiFindVad(Process, Start);
        if (Vad == NULL || End > Vad->End) {
            Status = STATUS_CONFLICTING_ADDRESSES;
        } else if (AllocationType & MEM_COMMIT) {
            Status = MiCommit(Vad, Start, End, Protect);
        } else {
            /* MEM_RESET: the contents are of no further interest; the host may drop them. */
            Status = madvise((PVOID)Start, End - Start, MADV_FREE) == 0 ? STATUS_SUCCESS
                                                                         : STATUS_NO_MEMORY;
        }
        if (NT_SUCCESS(Status)) {
            *BaseAddress = (PVOID)Start;
            *RegionSize = End - Start;
        }
    }
    pthread_mutex_unlock(&MiVadLock);
    return Status;
}

NTSTATUS MiFreeVirtualMemory(PEPROCESS Process, PVOID *BaseAddress, PSIZE_T RegionSize,
                             ULONG FreeType)
{
    ULONG_PTR Base = (ULONG_PTR)*BaseAddress, Size = *RegionSize, Start, End;
    NTSTATUS Status = STATUS_SUCCESS;
    PMMVAD Vad;

    if (FreeType != MEM_DECOMMIT && FreeType != MEM_RELEASE)
        return STATUS_INVALID_PARAMETER_4;
    if (Base >= MI_USER_END)
        return STATUS_INVALID_PARAMETER_2;
    if (Size > MI_USER_END - Base)
        return STATUS_INVALID_PARAMETER_3;
    Start = (ULONG_PTR)PAGE_ALIGN(Base);
    pthread_mutex_lock(&MiVadLock);
    Vad = MiFindVad(Process, Start);
    if (Vad == NULL) {
        Status = STATUS_MEMORY_NOT_ALLOCATED;
    } else {
        End = Size == 0 ? Vad->End : ROUND_TO_PAGES(Base + Size);
        if (FreeType == MEM_RELEASE) {
            /* The whole reservation, named by its base (and, if given, its whole size). */
            if (Start != Vad->Start)
                Status = STATUS_FREE_VM_NOT_AT_BASE;
            else if (End != Vad->End)
                Status = STATUS_UNABLE_TO_FREE_VM;
        } else if (End > Vad->End) {
            Status = STATUS_UNABLE_TO_FREE_VM;
        }
        if (NT_SUCCESS(Status)) {
            *BaseAddress = (PVOID)Start;
            *RegionSize = End - Start;
            if (FreeType == MEM_RELEASE)
                MiDeleteVad(Process, Vad);
            else
                MiDecommit(Vad, Start, End);
        }
    }
    pthread_mutex_unlock(&MiVadLock);
    return Status;
}

NTSTATUS MiQueryVirtualMemory(PEPROCESS Process, PVOID BaseAddress,
                              PMEMORY_BASIC_INFORMATION Information)
{
    ULONG_PTR Page = (ULONG_PTR)PAGE_ALIGN(BaseAddress), Next = MI_USER_END;
    PMMVAD Vad;
    if ((ULONG_PTR)BaseAddress >= MI_USER_END)
        return STATUS_INVALID_PARAMETER;
    memset(Information, 0, sizeof(*Information));
    Information->BaseAddress = (PVOID)Page;
    pthread_mutex_lock(&MiVadLock);
    Vad = MiFindVad(Process, Page);
    if (Vad != NULL) {
        MMVAD_RUN *Run = MiRunAt(Vad, Page);
        Information->AllocationBase = (PVOID)Vad->Start;
        Information->AllocationProtect = Vad->AllocationProtect;
        Information->RegionSize = Run->End - Page;
        Information->State = Run->Protect ? MEM_COMMIT : MEM_RESERVE;
        Information->Protect = Run->Protect;
        Information->Type = MEM_PRIVATE;
    } else {
        /* Free: up to this process's next reservation, the host's next mapping, or the end
         * of user space; unless the host has mapped the page itself. */
        for (Vad = Process->VadList; Vad != NULL; Vad = Vad->Next)
            if (Vad->Start > Page) {
                Next = Vad->Start;
                break;
            }
        if (!MiQueryHostRegion(Page, &Next, Information)) {
            Information->RegionSize = Next - Page;
            Information->State = MEM_FREE;
            Information->Protect = PAGE_NOACCESS;
        }
    }
    pthread_mutex_unlock(&MiVadLock);
    return STATUS_SUCCESS;
}

NTSTATUS MiProtectVirtualMemory(PEPROCESS Process, PVOID *BaseAddress, PSIZE_T RegionSize,
                                ULONG NewProtect, PULONG OldProtect)
{
    ULONG_PTR Base = (ULONG_PTR)*BaseAddress, Size = *RegionSize, Start, End;
    NTSTATUS Status;
    PMMVAD Vad;

    Status = MiCheckProtection(NewProtect, NULL);
    if (!NT_SUCCESS(Status))
        return Status;
    if (Base >= MI_USER_END)
        return STATUS_INVALID_PARAMETER_2;
    if (Size > MI_USER_END - Base)
        return STATUS_INVALID_PARAMETER_3;
    Start = (ULONG_PTR)PAGE_ALIGN(Base);
    End = ROUND_TO_PAGES(Base + (Size ? Size : 1)); /* every page holding a byte of the range */
    pthread_mutex_lock(&MiVadLock);
    Vad = MiFindVad(Process, Start);
    if (Vad == NULL || End > Vad->End) {
        Status = STATUS_CONFLICTING_ADDRESSES;
    } else if (!MiAllCommitted(Vad, Start, End)) {
        Status = STATUS_NOT_COMMITTED;
    } else {
        *OldProtect = MiRunAt(Vad, Start)->Protect;
        Status = MiCommit(Vad, Start, End, NewProtect);
        if (NT_SUCCESS(Status)) {
            *BaseAddress = (PVOID)Start;
            *RegionSize = End - Start;
        }
    }
    pthread_mutex_unlock(&MiVadLock);
    return Status;
}

VOID MmpDeleteProcessAddressSpace(PEPROCESS Process)
{
    ULONG Count = 0;
    SIZE_T Bytes = 0;
    pthread_mutex_lock(&MiVadLock);
    while (Process->VadList != NULL) {
        Count++;
        Bytes += Process->VadList->End - Process->VadList->Start;
        MiDeleteVad(Process, Process->VadList);
    }
    Process->AddressSpaceDeleted = TRUE;
    pthread_mutex_unlock(&MiVadLock);
    if (Count != 0)
        KdpLog("ntk: process %s (%p) ended with %u region%s (%llu bytes) of virtual memory: "
               "released\n",
               Process->ImageFileName, Process->UniqueProcessId, Count, Count == 1 ? "" : "s",
               (ULONGLONG)Bytes);
}

/* A fault at Address: if it is a guard page of some process's memory, the page loses its guard
 * (keeping the rest of its protection) and TRUE says the fault is STATUS_GUARD_PAGE_VIOLATION,
 * raised once, as on Windows. */
BOOLEAN MmpTakeGuardPage(ULONG_PTR Address)
{
    ULONG_PTR Page = (ULONG_PTR)PAGE_ALIGN(Address);
    BOOLEAN Taken = FALSE;
    PMMVAD Vad;
    pthread_mutex_lock(&MiVadLock);
    for (Vad = MiGlobalVads; Vad != NULL && Vad->Start <= Page; Vad = Vad->GlobalNext) {
        MMVAD_RUN *Run;
        if (Page >= Vad->End)
            continue;
        Run = MiRunAt(Vad, Page);
        if (Run && (Run->Protect & PAGE_GUARD))
            Taken = NT_SUCCESS(MiCommit(Vad, Page, Page + PAGE_SIZE, Run->Protect & ~PAGE_GUARD));
        break;
    }
    pthread_mutex_unlock(&MiVadLock);
    return Taken;
}
