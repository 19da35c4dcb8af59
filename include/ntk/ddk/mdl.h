/* Memory descriptor lists: the MDL DDIs of wdm.h (IoAllocateMdl, MmProbeAndLockPages,
 * MmGetSystemAddressForMdlSafe ...) and their macros. The MDL itself (0x30 bytes, followed by
 * its PFN_NUMBER array) is in ntk/ddk/iotypes.h.
 *
 * ntk runs every process in one host address space, so a page has one virtual address for
 * everybody: "physical" page numbers are virtual page numbers (address >> PAGE_SHIFT), and the
 * system address of a locked user buffer is that buffer's own address (see src/mm/mmmdl.c). */
#ifndef NTK_DDK_MDL_H
#define NTK_DDK_MDL_H

#include <ntk/ddk/iotypes.h>

NTK_EXTERN_C_START

typedef ULONG_PTR PFN_NUMBER, *PPFN_NUMBER;

typedef enum _LOCK_OPERATION {
    IoReadAccess,
    IoWriteAccess,
    IoModifyAccess
} LOCK_OPERATION;

typedef enum _MEMORY_CACHING_TYPE {
    MmNonCached = 0,
    MmCached = 1,
    MmWriteCombined = 2,
    MmHardwareCoherentCached,
    MmNonCachedUnordered,
    MmUSWCCached,
    MmMaximumCacheType,
    MmNotMapped = -1
} MEMORY_CACHING_TYPE;

typedef enum _MM_PAGE_PRIORITY {
    LowPagePriority,
    NormalPagePriority = 16,
    HighPagePriority = 32
} MM_PAGE_PRIORITY;

/* Flags ORed into a mapping's Priority (Windows 8 and later). */
#define MdlMappingNoWrite 0x80000000
#define MdlMappingNoExecute 0x40000000
#define MdlMappingWithGuardPtes 0x20000000

/* ---- The DDIs ---- */

NTKERNELAPI PMDL IoAllocateMdl(PVOID VirtualAddress, ULONG Length, BOOLEAN SecondaryBuffer,
                               BOOLEAN ChargeQuota, PIRP Irp);
NTKERNELAPI VOID IoFreeMdl(PMDL Mdl);
NTKERNELAPI VOID IoBuildPartialMdl(PMDL SourceMdl, PMDL TargetMdl, PVOID VirtualAddress,
                                   ULONG Length);
NTKERNELAPI SIZE_T MmSizeOfMdl(PVOID Base, SIZE_T Length);
NTKERNELAPI VOID MmProbeAndLockPages(PMDL MemoryDescriptorList, KPROCESSOR_MODE AccessMode,
                                     LOCK_OPERATION Operation);
NTKERNELAPI VOID MmUnlockPages(PMDL MemoryDescriptorList);
NTKERNELAPI VOID MmBuildMdlForNonPagedPool(PMDL MemoryDescriptorList);
NTKERNELAPI PVOID MmMapLockedPagesSpecifyCache(PMDL MemoryDescriptorList,
                                               KPROCESSOR_MODE AccessMode,
                                               MEMORY_CACHING_TYPE CacheType,
                                               PVOID RequestedAddress, ULONG BugCheckOnFailure,
                                               ULONG Priority);
NTKERNELAPI PVOID MmMapLockedPages(PMDL MemoryDescriptorList, KPROCESSOR_MODE AccessMode);
NTKERNELAPI VOID MmUnmapLockedPages(PVOID BaseAddress, PMDL MemoryDescriptorList);

/* ---- The macros ---- */

#define MmGetMdlPfnArray(Mdl) ((PPFN_NUMBER)((PMDL)(Mdl) + 1))
#define MmGetMdlBaseVa(Mdl) ((Mdl)->StartVa)
#define MmGetMdlByteCount(Mdl) ((Mdl)->ByteCount)
#define MmGetMdlByteOffset(Mdl) ((Mdl)->ByteOffset)
#define MmGetMdlVirtualAddress(Mdl) ((PVOID)((PCHAR)((Mdl)->StartVa) + (Mdl)->ByteOffset))

/* Sets up an MDL the caller allocated (MmSizeOfMdl bytes) to describe Length bytes at BaseVa. */
#define MmInitializeMdl(MemoryDescriptorList, BaseVa, Length)                                    \
    {                                                                                             \
        (MemoryDescriptorList)->Next = (PMDL)NULL;                                                \
        (MemoryDescriptorList)->Size =                                                            \
            (CSHORT)(sizeof(MDL) +                                                                \
                     (sizeof(PFN_NUMBER) * ADDRESS_AND_SIZE_TO_SPAN_PAGES((BaseVa), (Length)))); \
        (MemoryDescriptorList)->MdlFlags = 0;                                                     \
        (MemoryDescriptorList)->StartVa = (PVOID)PAGE_ALIGN((BaseVa));                            \
        (MemoryDescriptorList)->ByteOffset = BYTE_OFFSET((BaseVa));                               \
        (MemoryDescriptorList)->ByteCount = (ULONG)(Length);                                      \
    }

/* The system address of the buffer: the existing mapping, or a new one (NULL if that fails). */
#define MmGetSystemAddressForMdlSafe(Mdl, Priority)                                               \
    (((Mdl)->MdlFlags & (MDL_MAPPED_TO_SYSTEM_VA | MDL_SOURCE_IS_NONPAGED_POOL))                  \
         ? ((Mdl)->MappedSystemVa)                                                                \
         : (MmMapLockedPagesSpecifyCache((Mdl), KernelMode, MmCached, NULL, FALSE, (Priority))))

/* Obsolete: the same, but a mapping failure is a bug check. */
#define MmGetSystemAddressForMdl(Mdl)                                                             \
    (((Mdl)->MdlFlags & (MDL_MAPPED_TO_SYSTEM_VA | MDL_SOURCE_IS_NONPAGED_POOL))                  \
         ? ((Mdl)->MappedSystemVa)                                                                \
         : (MmMapLockedPages((Mdl), KernelMode)))

/* Before a partial MDL is built again: releases the system mapping it made of its own. */
#define MmPrepareMdlForReuse(Mdl)                                                                 \
    {                                                                                             \
        if (((Mdl)->MdlFlags & MDL_PARTIAL_HAS_BEEN_MAPPED) != 0)                                 \
            MmUnmapLockedPages((Mdl)->MappedSystemVa, (Mdl));                                     \
    }

NTK_EXTERN_C_END

#endif
