/* Io: MDL allocation (IoAllocateMdl, IoFreeMdl, IoBuildPartialMdl) and the MDLs of direct I/O:
 * the I/O manager describes a DO_DIRECT_IO read or write buffer, and the second buffer of a
 * METHOD_IN_DIRECT / METHOD_OUT_DIRECT control request, with a locked MDL at Irp->MdlAddress,
 * and unlocks and frees it when the request ends. Locking and mapping are in src/mm/mmmdl.c. */
#include "iop.h"
#include "iomdl.h"
#include "../vf/vfddi.h"

#define IOP_TAG_MDL 0x206C644D /* 'Mdl ' */

/* The largest buffer an MDL may describe: 4 GB - PAGE_SIZE (Windows 7 and later). */
#define IOP_MAX_MDL_LENGTH ((ULONG)(0x100000000ULL - PAGE_SIZE))

/* Each thread keeps a few freed small MDLs (up to 64 KiB at any offset: 17 pages), as Windows
 * keeps them on a lookaside list; those carry MDL_ALLOCATED_FIXED_SIZE, as Windows' do. */
#define IOP_MDL_CACHE_PAGES 17
#define IOP_MDL_CACHE_DEPTH 4
#define IOP_MDL_CACHE_SIZE (sizeof(MDL) + IOP_MDL_CACHE_PAGES * sizeof(PFN_NUMBER))

typedef struct _IOP_MDL_CACHE {
    PMDL Mdls[IOP_MDL_CACHE_DEPTH];
    ULONG Count;
} IOP_MDL_CACHE;

static __thread IOP_MDL_CACHE IopMdlCache;

VOID IopFlushMdlCache(VOID)
{
    while (IopMdlCache.Count)
        ExFreePoolWithTag(IopMdlCache.Mdls[--IopMdlCache.Count], IOP_TAG_MDL);
}

static PMDL IopAllocateMdl(PVOID VirtualAddress, ULONG Length)
{
    SIZE_T Pages = ADDRESS_AND_SIZE_TO_SPAN_PAGES(VirtualAddress, Length);
    PMDL Mdl = NULL;
    BOOLEAN Fixed = Pages <= IOP_MDL_CACHE_PAGES;

    if (Length > IOP_MAX_MDL_LENGTH)
        return NULL;
    if (Fixed && IopMdlCache.Count)
        Mdl = IopMdlCache.Mdls[--IopMdlCache.Count];
    if (Mdl == NULL)
        Mdl = ExAllocatePool2(POOL_FLAG_NON_PAGED | POOL_FLAG_UNINITIALIZED,
                              Fixed ? IOP_MDL_CACHE_SIZE
                                    : sizeof(MDL) + Pages * sizeof(PFN_NUMBER),
                              IOP_TAG_MDL);
    if (Mdl == NULL)
        return NULL;
    MmInitializeMdl(Mdl, VirtualAddress, Length);
    Mdl->Process = NULL;
    Mdl->MappedSystemVa = NULL;
    if (Fixed)
        Mdl->MdlFlags = MDL_ALLOCATED_FIXED_SIZE;
    return Mdl;
}

PMDL IoAllocateMdl(PVOID VirtualAddress, ULONG Length, BOOLEAN SecondaryBuffer,
                   BOOLEAN ChargeQuota, PIRP Irp)
{
    VF_CHECK_IRQL(IoAllocateMdl);
    PMDL Mdl = IopAllocateMdl(VirtualAddress, Length);
    UNREFERENCED_PARAMETER(ChargeQuota); /* "reserved for system use": no quota is charged */
    if (Mdl == NULL || Irp == NULL)
        return Mdl;
    /* The first buffer of an IRP is its MdlAddress; secondary ones go at the end of the chain. */
    if (SecondaryBuffer && Irp->MdlAddress != NULL) {
        PMDL Last = Irp->MdlAddress;
        while (Last->Next != NULL)
            Last = Last->Next;
        Last->Next = Mdl;
    } else {
        Irp->MdlAddress = Mdl;
    }
    return Mdl;
}

VOID IoFreeMdl(PMDL Mdl)
{
    VF_CHECK_IRQL(IoFreeMdl);
    /* "If the MDL is a partial MDL, IoFreeMdl unmaps any pages that have been mapped to it." */
    if (Mdl->MdlFlags & MDL_PARTIAL_HAS_BEEN_MAPPED)
        MmUnmapLockedPages(Mdl->MappedSystemVa, Mdl);
    if ((Mdl->MdlFlags & MDL_ALLOCATED_FIXED_SIZE) && KiCurrentThread &&
        IopMdlCache.Count < IOP_MDL_CACHE_DEPTH) {
        Mdl->MdlFlags = 0;
        IopMdlCache.Mdls[IopMdlCache.Count++] = Mdl;
        return;
    }
    ExFreePool(Mdl);
}

VOID IoBuildPartialMdl(PMDL SourceMdl, PMDL TargetMdl, PVOID VirtualAddress, ULONG Length)
{
    VF_CHECK_IRQL(IoBuildPartialMdl);
    ULONG_PTR Source = (ULONG_PTR)MmGetMdlVirtualAddress(SourceMdl);
    ULONG_PTR Start = (ULONG_PTR)VirtualAddress;
    ULONG_PTR Offset = Start - Source;
    SIZE_T Pages, Needed, i;
    PPFN_NUMBER From, To;

    /* The range must lie within the source's: INVALID_MDL_RANGE (source, target, VA, length). */
    if (Start < Source || Offset > SourceMdl->ByteCount ||
        (Length != 0 && Length > SourceMdl->ByteCount - Offset))
        KeBugCheckEx(INVALID_MDL_RANGE, (ULONG_PTR)SourceMdl, (ULONG_PTR)TargetMdl, Start, Length);
    if (Length == 0)
        Length = (ULONG)(SourceMdl->ByteCount - Offset);
    Pages = ADDRESS_AND_SIZE_TO_SPAN_PAGES(VirtualAddress, Length);
    /* The target must have room for the pages (its Size, a CSHORT, says so while it fits). */
    Needed = sizeof(MDL) + Pages * sizeof(PFN_NUMBER);
    if (Needed <= 0x7FFF && (SIZE_T)(USHORT)TargetMdl->Size < Needed)
        KeBugCheckEx(TARGET_MDL_TOO_SMALL, (ULONG_PTR)SourceMdl, (ULONG_PTR)TargetMdl, Start,
                     Length);

    TargetMdl->StartVa = PAGE_ALIGN(VirtualAddress);
    TargetMdl->ByteOffset = BYTE_OFFSET(VirtualAddress);
    TargetMdl->ByteCount = Length;
    TargetMdl->Process = SourceMdl->Process;
    /* The partial MDL describes pages its source keeps locked, and shares the source's system
     * mapping if it has one (nonpaged pool always has). */
    TargetMdl->MdlFlags = (CSHORT)((TargetMdl->MdlFlags &
                                    (MDL_ALLOCATED_FIXED_SIZE | MDL_ALLOCATED_MUST_SUCCEED)) |
                                   (SourceMdl->MdlFlags &
                                    (MDL_SOURCE_IS_NONPAGED_POOL | MDL_MAPPED_TO_SYSTEM_VA |
                                     MDL_IO_PAGE_READ | MDL_WRITE_OPERATION)) |
                                   MDL_PARTIAL);
    TargetMdl->MappedSystemVa =
        (SourceMdl->MdlFlags & (MDL_SOURCE_IS_NONPAGED_POOL | MDL_MAPPED_TO_SYSTEM_VA))
            ? (PVOID)((PUCHAR)SourceMdl->MappedSystemVa + Offset)
            : NULL;
    From = MmGetMdlPfnArray(SourceMdl) +
           (((ULONG_PTR)TargetMdl->StartVa - (ULONG_PTR)SourceMdl->StartVa) >> PAGE_SHIFT);
    To = MmGetMdlPfnArray(TargetMdl);
    for (i = 0; i < Pages; i++)
        To[i] = From[i];
}

NTSTATUS IopLockIrpBuffer(PIRP Irp, PVOID Buffer, ULONG Length, KPROCESSOR_MODE Mode,
                          LOCK_OPERATION Operation)
{
    PMDL Mdl = IopAllocateMdl(Buffer, Length);
    NTSTATUS Status;
    if (Mdl == NULL)
        return STATUS_INSUFFICIENT_RESOURCES;
    Status = MmpProbeAndLockPages(Mdl, Mode, Operation);
    if (!NT_SUCCESS(Status)) {
        IoFreeMdl(Mdl);
        return Status;
    }
    Irp->MdlAddress = Mdl;
    return STATUS_SUCCESS;
}

VOID IopFreeIrpMdls(PIRP Irp)
{
    PMDL Mdl = Irp->MdlAddress, Next;
    Irp->MdlAddress = NULL;
    for (; Mdl != NULL; Mdl = Next) {
        Next = Mdl->Next;
        if (Mdl->MdlFlags & MDL_PAGES_LOCKED)
            MmUnlockPages(Mdl);
        IoFreeMdl(Mdl);
    }
}
