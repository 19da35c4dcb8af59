/* Mm: memory descriptor lists — probing and locking, the PFN array, system mappings.
 *
 * The system address of a locked buffer. Windows maps the locked physical pages a second time,
 * at a system-space address that stays valid in any process context and at any IRQL, and a
 * write through either address is seen through the other. ntk cannot make a second mapping of
 * a user buffer: user memory is the host's ordinary private anonymous memory (heap, thread
 * stacks, images), and Linux offers no way to map existing private pages twice —
 * mremap(old, 0, ...) duplicates only shared mappings (it fails with EINVAL on private ones
 * since Linux 4.14), MREMAP_DONTUNMAP and userfaultfd's UFFDIO_MOVE move pages rather than share
 * them, process_vm_readv/writev copy, and memfd_create can only back memory allocated from it.
 * Moving the user's pages into a memfd while the request runs would need every other user
 * thread stopped (a write in between would be lost) and would leave the heap as shared memory.
 *
 * What ntk does instead: every process lives in one host address space, so the user's own
 * virtual address already names the same pages from every thread, in every process context and
 * at every IRQL — exactly what the system address must guarantee. MmMapLockedPagesSpecifyCache
 * returns it (StartVa + ByteOffset), sets MDL_MAPPED_TO_SYSTEM_VA and MappedSystemVa, and a write
 * through it is the user's write, trivially. The trade-offs:
 *  - the address lies below MmSystemRangeStart (a driver asserting that its system address is in
 *    system space would fail);
 *  - the mapping is the user's own: if the user program unmaps or reprotects the buffer while the
 *    request runs, the driver faults (Windows' locked pages and separate PTEs would survive);
 *    MdlMappingNoWrite and the cache type have no effect;
 *  - mapping costs nothing (no system PTEs), so LowPagePriority mappings never fail.
 * Nonpaged pool and driver buffers are in the same address space too: MmBuildMdlForNonPagedPool
 * gives their own address as MappedSystemVa, as Windows does.
 *
 * The PFN array holds virtual page numbers (address >> PAGE_SHIFT): ntk has no physical
 * addresses, and they identify the pages as physical numbers would (equal for equal pages).
 * "Locking" is the probe: the pages are touched for the operation (a read, or a write of the
 * value already there), which faults them in; Linux never moves an anonymous page's virtual
 * address, so the MDL stays valid while the user mapping exists. */
#include "ntkp.h"
#include "../io/iomdl.h"
#include "../vf/vfddi.h"

static PFN_NUMBER MiPageCount(PMDL Mdl)
{
    return ADDRESS_AND_SIZE_TO_SPAN_PAGES(MmGetMdlVirtualAddress(Mdl), Mdl->ByteCount);
}

static VOID MiFillPfnArray(PMDL Mdl)
{
    PPFN_NUMBER Pfn = MmGetMdlPfnArray(Mdl);
    PFN_NUMBER First = (ULONG_PTR)Mdl->StartVa >> PAGE_SHIFT;
    PFN_NUMBER Count = MiPageCount(Mdl), i;
    for (i = 0; i < Count; i++)
        Pfn[i] = First + i;
}

SIZE_T MmSizeOfMdl(PVOID Base, SIZE_T Length)
{
    VF_CHECK_IRQL(MmSizeOfMdl);
    return sizeof(MDL) + ADDRESS_AND_SIZE_TO_SPAN_PAGES(Base, Length) * sizeof(PFN_NUMBER);
}

NTSTATUS MmpProbeAndLockPages(PMDL Mdl, KPROCESSOR_MODE AccessMode, LOCK_OPERATION Operation)
{
    PVOID Address = MmGetMdlVirtualAddress(Mdl);
    BOOLEAN Write = Operation != IoReadAccess;
    NTSTATUS Status;

    /* Pages already locked, or described as resident (nonpaged pool, a partial MDL), may not
     * be locked again: the MDL would be "inserted twice" on the locked-page list (0xD9/0x01). */
    if (Mdl->MdlFlags & (MDL_PAGES_LOCKED | MDL_SOURCE_IS_NONPAGED_POOL | MDL_PARTIAL)) {
        KdpLog("ntk: MmProbeAndLockPages: MDL %p (flags 0x%04X) is already locked, built for "
               "nonpaged pool or partial; it may not be locked\n",
               (PVOID)Mdl, (unsigned)(USHORT)Mdl->MdlFlags);
        KeBugCheckEx(LOCKED_PAGES_TRACKER_CORRUPTION, 0x01, 0, (ULONG_PTR)Mdl, MiPageCount(Mdl));
    }
    if (AccessMode == UserMode) {
        Status = MmpProbeUserRange(Address, Mdl->ByteCount, 1);
        if (!NT_SUCCESS(Status))
            return Status;
    }
    Status = MmpTouchUserRange(Address, Mdl->ByteCount, Write);
    if (!NT_SUCCESS(Status))
        return Status;
    MiFillPfnArray(Mdl);
    Mdl->Process = MmpIsSystemAddress(Address) ? NULL : PsGetCurrentProcess();
    Mdl->MdlFlags |= MDL_PAGES_LOCKED;
    if (Write)
        Mdl->MdlFlags |= MDL_WRITE_OPERATION;
    return STATUS_SUCCESS;
}

VOID MmProbeAndLockPages(PMDL MemoryDescriptorList, KPROCESSOR_MODE AccessMode,
                         LOCK_OPERATION Operation)
{
    VF_CHECK_IRQL(MmProbeAndLockPages);
    NTSTATUS Status = MmpProbeAndLockPages(MemoryDescriptorList, AccessMode, Operation);
    /* "Calls to MmProbeAndLockPages must be enclosed in a try/except block": the failure is
     * raised (without a handler: bug check 0x1E, as on Windows). */
    if (!NT_SUCCESS(Status))
        ExRaiseStatus(Status);
}

/* Drops the system mapping (there is nothing to unmap: see the top of this file). */
static VOID MiUnmapSystem(PMDL Mdl)
{
    Mdl->MdlFlags &= ~(MDL_MAPPED_TO_SYSTEM_VA | MDL_PARTIAL_HAS_BEEN_MAPPED);
    Mdl->MappedSystemVa = NULL;
}

VOID MmUnlockPages(PMDL MemoryDescriptorList)
{
    VF_CHECK_IRQL(MmUnlockPages);
    PMDL Mdl = MemoryDescriptorList;
    /* Unlocking pages that are not locked: PROCESS_HAS_LOCKED_PAGES, parameter 1 = 1. */
    if (!(Mdl->MdlFlags & MDL_PAGES_LOCKED)) {
        KdpLog("ntk: MmUnlockPages: MDL %p (flags 0x%04X) is not locked\n", (PVOID)Mdl,
               (unsigned)(USHORT)Mdl->MdlFlags);
        KeBugCheckEx(PROCESS_HAS_LOCKED_PAGES, 0x01, (ULONG_PTR)Mdl, 0, 0);
    }
    if (Mdl->MdlFlags & MDL_MAPPED_TO_SYSTEM_VA)
        MiUnmapSystem(Mdl);
    Mdl->MdlFlags &= ~(MDL_PAGES_LOCKED | MDL_WRITE_OPERATION);
}

VOID MmBuildMdlForNonPagedPool(PMDL MemoryDescriptorList)
{
    VF_CHECK_IRQL(MmBuildMdlForNonPagedPool);
    PMDL Mdl = MemoryDescriptorList;
    MiFillPfnArray(Mdl);
    Mdl->Process = NULL;
    Mdl->MappedSystemVa = MmGetMdlVirtualAddress(Mdl);
    Mdl->MdlFlags |= MDL_SOURCE_IS_NONPAGED_POOL;
}

PVOID MmMapLockedPagesSpecifyCache(PMDL MemoryDescriptorList, KPROCESSOR_MODE AccessMode,
                                   MEMORY_CACHING_TYPE CacheType, PVOID RequestedAddress,
                                   ULONG BugCheckOnFailure, ULONG Priority)
{
    VF_CHECK_IRQL(MmMapLockedPagesSpecifyCache);
    PMDL Mdl = MemoryDescriptorList;
    PVOID Address = MmGetMdlVirtualAddress(Mdl);
    /* Nothing is mapped, so nothing can fail: BugCheckOnFailure and the priority's resource
     * level are moot, and the cache type and MdlMappingNoWrite/NoExecute cannot apply to the
     * buffer's own mapping. */
    UNREFERENCED_PARAMETER(CacheType);
    UNREFERENCED_PARAMETER(BugCheckOnFailure);
    UNREFERENCED_PARAMETER(Priority);

    if (!(Mdl->MdlFlags & (MDL_PAGES_LOCKED | MDL_SOURCE_IS_NONPAGED_POOL | MDL_PARTIAL))) {
        KdpLog("ntk: MmMapLockedPagesSpecifyCache: MDL %p (flags 0x%04X) does not describe locked "
               "pages\n",
               (PVOID)Mdl, (unsigned)(USHORT)Mdl->MdlFlags);
        /* Mapping pages that are not locked: MEMORY_MANAGEMENT 0x1233, the first PFN. */
        KeBugCheckEx(MEMORY_MANAGEMENT, 0x1233, (ULONG_PTR)Mdl->StartVa >> PAGE_SHIFT, 0, 0);
    }
    if (AccessMode == UserMode) {
        /* The pages are visible to the user process at their own address already; for system
         * pages (pool) that is a system address, which the user can touch but not pass to a
         * service. A requested address can only be that one. */
        if (RequestedAddress != NULL && PAGE_ALIGN(RequestedAddress) != Mdl->StartVa)
            ExRaiseStatus(STATUS_CONFLICTING_ADDRESSES);
        return Address;
    }
    /* Nonpaged pool is mapped already (MmBuildMdlForNonPagedPool set MappedSystemVa). */
    if (Mdl->MdlFlags & MDL_SOURCE_IS_NONPAGED_POOL)
        return Address;
    Mdl->MappedSystemVa = Address;
    Mdl->MdlFlags |= MDL_MAPPED_TO_SYSTEM_VA;
    if (Mdl->MdlFlags & MDL_PARTIAL)
        Mdl->MdlFlags |= MDL_PARTIAL_HAS_BEEN_MAPPED;
    return Address;
}

PVOID MmMapLockedPages(PMDL MemoryDescriptorList, KPROCESSOR_MODE AccessMode)
{
    VF_CHECK_IRQL(MmMapLockedPages);
    return MmMapLockedPagesSpecifyCache(MemoryDescriptorList, AccessMode, MmCached, NULL, TRUE,
                                        HighPagePriority);
}

VOID MmUnmapLockedPages(PVOID BaseAddress, PMDL MemoryDescriptorList)
{
    VF_CHECK_IRQL(MmUnmapLockedPages);
    PMDL Mdl = MemoryDescriptorList;
    /* A system mapping is the MDL's own; a user-mode mapping is the buffer itself. */
    if ((Mdl->MdlFlags & MDL_MAPPED_TO_SYSTEM_VA) && BaseAddress == Mdl->MappedSystemVa)
        MiUnmapSystem(Mdl);
}
