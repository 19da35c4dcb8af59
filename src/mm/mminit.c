/* Mm: the address space. User space lies below MmUserProbeAddress; system space (pool, kernel
 * stacks) is one region reserved above MmSystemRangeStart. The ntk command runs with the
 * bottom-up mmap layout so that every user mapping (heap, stacks, images) stays low. */
#include "ntkp.h"
#include "../vf/vfddi.h"
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/personality.h>
#include <unistd.h>

PVOID MmHighestUserAddress = (PVOID)MI_HIGHEST_USER_ADDRESS;
PVOID MmSystemRangeStart = (PVOID)MI_SYSTEM_RANGE_START;
ULONG_PTR MmUserProbeAddress = MI_USER_PROBE_ADDRESS;

static PUCHAR MiSystemBase;
static PUCHAR MiSystemNext;
static pthread_mutex_t MiSystemLock = PTHREAD_MUTEX_INITIALIZER;

void NtkEnsureAddressLayout(int argc, char **argv)
{
    int Persona = personality(0xffffffff);
    (void)argc;
    if (Persona == -1 || (Persona & ADDR_COMPAT_LAYOUT))
        return;
    if (getenv("NTK_LAYOUT_REEXEC") != NULL)
        return; /* the host would not switch layouts; MmInitSystem reports it */
    setenv("NTK_LAYOUT_REEXEC", "1", 1);
    if (personality((unsigned long)Persona | ADDR_COMPAT_LAYOUT) != -1)
        execv("/proc/self/exe", argv);
}

NTSTATUS MmInitSystem(VOID)
{
    PVOID Base;
    if (MiSystemBase)
        return STATUS_SUCCESS;
    Base = mmap((PVOID)MI_SYSTEM_RANGE_START, MI_SYSTEM_REGION_SIZE, PROT_NONE,
                MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE | MAP_FIXED_NOREPLACE, -1, 0);
    if (Base != (PVOID)MI_SYSTEM_RANGE_START) {
        fprintf(stderr, "ntk: cannot reserve system space at %p: %s\n",
                (PVOID)MI_SYSTEM_RANGE_START, strerror(errno));
        if (Base != MAP_FAILED)
            munmap(Base, MI_SYSTEM_REGION_SIZE);
        return STATUS_CONFLICTING_ADDRESSES;
    }
    if (!(personality(0xffffffff) & ADDR_COMPAT_LAYOUT))
        KdpLog("ntk: the process runs with the top-down mmap layout: user mappings may lie above "
               "MmUserProbeAddress (call NtkEnsureAddressLayout first)\n");
    MiSystemBase = MiSystemNext = Base;
    MmpInstallFaultHandlers();
    return STATUS_SUCCESS;
}

/* System pages are never reused once released, so a stale pointer into them faults. */
PVOID MmpReserveSystemPages(SIZE_T Size)
{
    PUCHAR Base = MmpReserveSystemRange(Size);
    if (Base == NULL || mprotect(Base, ROUND_TO_PAGES(Size), PROT_READ | PROT_WRITE) != 0)
        return NULL;
    return Base;
}

/* Address space only, left inaccessible: for the special pool, which sets each page's access. */
PVOID MmpReserveSystemRange(SIZE_T Size)
{
    PUCHAR Base;
    Size = ROUND_TO_PAGES(Size);
    pthread_mutex_lock(&MiSystemLock);
    if (MiSystemBase == NULL || MiSystemNext + Size > MiSystemBase + MI_SYSTEM_REGION_SIZE) {
        pthread_mutex_unlock(&MiSystemLock);
        return NULL;
    }
    Base = MiSystemNext;
    MiSystemNext += Size;
    pthread_mutex_unlock(&MiSystemLock);
    return Base;
}

VOID MmpReleaseSystemPages(PVOID Base, SIZE_T Size)
{
    Size = ROUND_TO_PAGES(Size);
    madvise(Base, Size, MADV_DONTNEED);
    mprotect(Base, Size, PROT_NONE);
}

BOOLEAN MmpIsSystemAddress(const VOID *Address)
{
    return (ULONG_PTR)Address >= MI_SYSTEM_RANGE_START;
}

BOOLEAN MmIsAddressValid(PVOID VirtualAddress)
{
    VF_CHECK_IRQL(MmIsAddressValid);
    unsigned char Vec;
    PVOID Page = PAGE_ALIGN(VirtualAddress);
    if (mincore(Page, PAGE_SIZE, &Vec) != 0)
        return FALSE;
    return MmpTouchUserRange(VirtualAddress, 1, FALSE) == STATUS_SUCCESS;
}
