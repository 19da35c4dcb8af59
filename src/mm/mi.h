/* Mm private: the per-process virtual address descriptors (mmvad.c) and the operations the
 * system services (mmsvc.c) run on captured arguments. */
#ifndef NTK_MM_MI_H
#define NTK_MM_MI_H

#include "ntkp.h"

#define MI_ALLOCATION_GRANULARITY 0x10000ULL

/* A reservation: [Start, End), Start on a 64 KiB boundary, End on a page. Its pages are runs
 * of equal state; run i covers [previous run's End (or Start), Runs[i].End). Protect 0 is a
 * reserved page, anything else is a committed page's PAGE_* protection. Adjacent runs always
 * differ, so a run is what a query reports as one region. */
typedef struct _MMVAD_RUN {
    ULONG_PTR End;
    ULONG Protect;
} MMVAD_RUN;

typedef struct _MMVAD {
    struct _MMVAD *Next;       /* the process's list, by address */
    struct _MMVAD *GlobalNext; /* every process's VADs, by address */
    ULONG_PTR Start, End;
    ULONG AllocationProtect;
    ULONG RunCount, RunCapacity;
    MMVAD_RUN *Runs;
} MMVAD, *PMMVAD;

NTSTATUS MiAllocateVirtualMemory(PEPROCESS Process, PVOID *BaseAddress, ULONG_PTR ZeroBits,
                                 PSIZE_T RegionSize, ULONG AllocationType, ULONG Protect);
NTSTATUS MiFreeVirtualMemory(PEPROCESS Process, PVOID *BaseAddress, PSIZE_T RegionSize,
                             ULONG FreeType);
NTSTATUS MiQueryVirtualMemory(PEPROCESS Process, PVOID BaseAddress,
                              PMEMORY_BASIC_INFORMATION Information);
NTSTATUS MiProtectVirtualMemory(PEPROCESS Process, PVOID *BaseAddress, PSIZE_T RegionSize,
                                ULONG NewProtect, PULONG OldProtect);
/* A host mapping (a line of /proc/self/maps); Protect 0 when it allows no access. */
typedef struct _MI_HOST_MAPPING {
    ULONG_PTR Start, End;
    ULONG Protect;
    ULONG Type; /* MEM_IMAGE, MEM_MAPPED or MEM_PRIVATE */
    const char *Path;
    size_t PathLength;
} MI_HOST_MAPPING;
/* With MiVadLock held: every process's VADs, and what the host maps outside them. */
extern PMMVAD MiGlobalVads;
BOOLEAN MiQueryHostRegion(ULONG_PTR Page, ULONG_PTR *Limit, PMEMORY_BASIC_INFORMATION Information);
/* The lowest (or, TopDown, highest) 64 KiB-aligned free range of Length below Limit. */
BOOLEAN MiFindHostGap(SIZE_T Length, ULONG_PTR Limit, BOOLEAN TopDown, ULONG_PTR *Start);

/* STATUS_SUCCESS or STATUS_INVALID_PAGE_PROTECTION; the host protection in *HostProtection. */
NTSTATUS MiCheckProtection(ULONG Protect, int *HostProtection);

#endif
