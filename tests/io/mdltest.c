/* A DO_DIRECT_IO test driver for MDLs and direct I/O.
 *
 * DriverEntry first checks the MDL DDIs themselves (IoAllocateMdl and IRP chains, MmSizeOfMdl,
 * MmInitializeMdl, MmBuildMdlForNonPagedPool, MmProbeAndLockPages / MmUnlockPages in
 * KernelMode, the exceptions a failing probe raises, system mappings, IoBuildPartialMdl,
 * IoBuildDeviceIoControlRequest and IoBuildSynchronousFsdRequest to its own direct device) and
 * fails to load if any check failed. Then \\.\NtkMdl serves the user programs: reads fill the
 * buffer through the MDL's system address (optionally through a partial MDL), writes sum it,
 * METHOD_OUT_DIRECT fills, METHOD_IN_DIRECT sums, and a pended METHOD_OUT_DIRECT request shows
 * that the user and the driver see each other's writes; IOCTL_MDLTEST_QUERY reports what the
 * driver saw. */
#include <ntddk.h>
#include "../ntktest.h"
#include "mdltest_ioctl.h"

#define MDLTEST_TAG 'tldM'

static MDLTEST_INFO LastInfo;
static MDLTEST_CONFIG Config = { 0xA5, 0, 0, 0 };
static PDEVICE_OBJECT MdlDevice;

/* The pended request, its system address, and the DPC that finishes it. */
static KSPIN_LOCK PendLock;
static PIRP PendingIrp;
static PUCHAR PendingSystemAddress;
static PKTHREAD PendingThread;
static MDLTEST_FILL FinishFill;
static KTIMER FinishTimer;
static KDPC FinishDpc;

static __attribute__((aligned(4096))) UCHAR StaticBuffer[4 * PAGE_SIZE];

static NTSTATUS Complete(PIRP Irp, NTSTATUS Status, ULONG_PTR Information)
{
    Irp->IoStatus.Status = Status;
    Irp->IoStatus.Information = Information;
    IoCompleteRequest(Irp, IO_NO_INCREMENT);
    return Status;
}

static BOOLEAN PfnsConsecutive(PMDL Mdl)
{
    PPFN_NUMBER Pfn = MmGetMdlPfnArray(Mdl);
    SIZE_T Pages = ADDRESS_AND_SIZE_TO_SPAN_PAGES(MmGetMdlVirtualAddress(Mdl),
                                                  MmGetMdlByteCount(Mdl));
    SIZE_T i;
    for (i = 0; i < Pages; i++)
        if (Pfn[i] != ((ULONG_PTR)Mdl->StartVa >> PAGE_SHIFT) + i)
            return FALSE;
    return TRUE;
}

/* Records the MDL's fields, maps it, records the mapping; returns the system address. */
static PUCHAR Describe(PMDL Mdl, MDLTEST_INFO *Info)
{
    PUCHAR System;
    Info->HadMdl = 1;
    Info->ByteCount = MmGetMdlByteCount(Mdl);
    Info->ByteOffset = MmGetMdlByteOffset(Mdl);
    Info->VirtualAddress = (ULONG_PTR)MmGetMdlVirtualAddress(Mdl);
    Info->StartVa = (ULONG_PTR)Mdl->StartVa;
    Info->Pfn0 = MmGetMdlPfnArray(Mdl)[0];
    Info->PageCount = (ULONG)ADDRESS_AND_SIZE_TO_SPAN_PAGES(MmGetMdlVirtualAddress(Mdl),
                                                            MmGetMdlByteCount(Mdl));
    Info->PfnsConsecutive = PfnsConsecutive(Mdl);
    Info->HadProcess = Mdl->Process != NULL;
    Info->FlagsBefore = (USHORT)Mdl->MdlFlags;
    System = MmGetSystemAddressForMdlSafe(Mdl, NormalPagePriority | MdlMappingNoExecute);
    Info->SystemAddress = (ULONG_PTR)System;
    Info->FlagsAfter = (USHORT)Mdl->MdlFlags;
    return System;
}

static ULONGLONG Sum(const UCHAR *Bytes, SIZE_T Length)
{
    ULONGLONG Total = 0;
    SIZE_T i;
    for (i = 0; i < Length; i++)
        Total += Bytes[i];
    return Total;
}

static NTSTATUS MdlCreateClose(PDEVICE_OBJECT DeviceObject, PIRP Irp)
{
    UNREFERENCED_PARAMETER(DeviceObject);
    return Complete(Irp, STATUS_SUCCESS, 0);
}

static NTSTATUS MdlRead(PDEVICE_OBJECT DeviceObject, PIRP Irp)
{
    ULONG Length = IoGetCurrentIrpStackLocation(Irp)->Parameters.Read.Length;
    PUCHAR System;
    UNREFERENCED_PARAMETER(DeviceObject);
    RtlZeroMemory(&LastInfo, sizeof(LastInfo));
    LastInfo.Major = IRP_MJ_READ;
    LastInfo.OutputLength = Length;
    LastInfo.RequestOffset = IoGetCurrentIrpStackLocation(Irp)->Parameters.Read.ByteOffset.QuadPart;
    if (Irp->MdlAddress == NULL)
        return Complete(Irp, STATUS_SUCCESS, 0);
    System = Describe(Irp->MdlAddress, &LastInfo);
    if (System == NULL)
        return Complete(Irp, STATUS_INSUFFICIENT_RESOURCES, 0);
    if (!Config.PartialUse) {
        RtlFillMemory(System, Length, Config.Fill);
    } else {
        /* Only the part a partial MDL describes, through the partial MDL's own address. */
        PUCHAR Va = (PUCHAR)MmGetMdlVirtualAddress(Irp->MdlAddress) + Config.PartialOffset;
        ULONG PartLength = Config.PartialLength ? Config.PartialLength
                                                : Length - Config.PartialOffset;
        PMDL Part = IoAllocateMdl(Va, PartLength, FALSE, FALSE, NULL);
        PUCHAR PartSystem;
        PPFN_NUMBER From, To;
        ULONG i, Pages, First;
        if (Part == NULL)
            return Complete(Irp, STATUS_INSUFFICIENT_RESOURCES, 0);
        IoBuildPartialMdl(Irp->MdlAddress, Part, Va, Config.PartialLength);
        LastInfo.PartialByteCount = MmGetMdlByteCount(Part);
        LastInfo.PartialByteOffset = MmGetMdlByteOffset(Part);
        LastInfo.PartialVirtualAddress = (ULONG_PTR)MmGetMdlVirtualAddress(Part);
        Pages = (ULONG)ADDRESS_AND_SIZE_TO_SPAN_PAGES(Va, MmGetMdlByteCount(Part));
        First = (ULONG)(((ULONG_PTR)Part->StartVa - (ULONG_PTR)Irp->MdlAddress->StartVa) >>
                        PAGE_SHIFT);
        From = MmGetMdlPfnArray(Irp->MdlAddress) + First;
        To = MmGetMdlPfnArray(Part);
        LastInfo.PartialPfnsMatch = 1;
        for (i = 0; i < Pages; i++)
            if (To[i] != From[i])
                LastInfo.PartialPfnsMatch = 0;
        PartSystem = MmGetSystemAddressForMdlSafe(Part, NormalPagePriority);
        LastInfo.PartialFlags = (USHORT)Part->MdlFlags;
        LastInfo.PartialSharedMapping = PartSystem == System + Config.PartialOffset;
        if (PartSystem)
            RtlFillMemory(PartSystem, MmGetMdlByteCount(Part), Config.Fill);
        IoFreeMdl(Part);
    }
    return Complete(Irp, STATUS_SUCCESS, Length);
}

static NTSTATUS MdlWrite(PDEVICE_OBJECT DeviceObject, PIRP Irp)
{
    ULONG Length = IoGetCurrentIrpStackLocation(Irp)->Parameters.Write.Length;
    PUCHAR System;
    UNREFERENCED_PARAMETER(DeviceObject);
    RtlZeroMemory(&LastInfo, sizeof(LastInfo));
    LastInfo.Major = IRP_MJ_WRITE;
    LastInfo.OutputLength = Length;
    LastInfo.RequestOffset =
        IoGetCurrentIrpStackLocation(Irp)->Parameters.Write.ByteOffset.QuadPart;
    if (Irp->MdlAddress == NULL)
        return Complete(Irp, STATUS_SUCCESS, 0);
    System = Describe(Irp->MdlAddress, &LastInfo);
    if (System == NULL)
        return Complete(Irp, STATUS_INSUFFICIENT_RESOURCES, 0);
    LastInfo.Sum = Sum(System, Length);
    return Complete(Irp, STATUS_SUCCESS, Length);
}

static VOID FinishPended(PKDPC Dpc, PVOID Context, PVOID Arg1, PVOID Arg2)
{
    PIRP Irp;
    PUCHAR System;
    KIRQL Irql;
    UNREFERENCED_PARAMETER(Dpc);
    UNREFERENCED_PARAMETER(Context);
    UNREFERENCED_PARAMETER(Arg1);
    UNREFERENCED_PARAMETER(Arg2);
    KeAcquireSpinLock(&PendLock, &Irql);
    Irp = PendingIrp;
    System = PendingSystemAddress;
    PendingIrp = NULL;
    KeReleaseSpinLock(&PendLock, Irql);
    if (Irp == NULL)
        return;
    /* At DISPATCH_LEVEL, in whatever thread runs the DPC: the system address still works. */
    LastInfo.DpcRan = 1;
    LastInfo.DpcIrql = KeGetCurrentIrql();
    LastInfo.DpcOtherThread = KeGetCurrentThread() != PendingThread;
    RtlFillMemory(System + FinishFill.Offset, FinishFill.Count, FinishFill.Fill);
    Complete(Irp, STATUS_SUCCESS, FinishFill.Offset + FinishFill.Count);
}

static NTSTATUS MdlDeviceControl(PDEVICE_OBJECT DeviceObject, PIRP Irp)
{
    PIO_STACK_LOCATION Stack = IoGetCurrentIrpStackLocation(Irp);
    ULONG InLength = Stack->Parameters.DeviceIoControl.InputBufferLength;
    ULONG OutLength = Stack->Parameters.DeviceIoControl.OutputBufferLength;
    PVOID SystemBuffer = Irp->AssociatedIrp.SystemBuffer;
    ULONG Code = Stack->Parameters.DeviceIoControl.IoControlCode;
    MDLTEST_FILL Fill;
    PUCHAR System;
    KIRQL Irql;
    UNREFERENCED_PARAMETER(DeviceObject);

    switch (Code) {
    case IOCTL_MDLTEST_QUERY:
        if (OutLength < sizeof(MDLTEST_INFO))
            return Complete(Irp, STATUS_BUFFER_TOO_SMALL, 0);
        RtlCopyMemory(SystemBuffer, &LastInfo, sizeof(LastInfo));
        return Complete(Irp, STATUS_SUCCESS, sizeof(LastInfo));
    case IOCTL_MDLTEST_CONFIG:
        if (InLength < sizeof(MDLTEST_CONFIG))
            return Complete(Irp, STATUS_INVALID_PARAMETER, 0);
        RtlCopyMemory(&Config, SystemBuffer, sizeof(Config));
        return Complete(Irp, STATUS_SUCCESS, 0);
    case IOCTL_MDLTEST_PEEK:
        if (InLength < sizeof(Fill))
            return Complete(Irp, STATUS_INVALID_PARAMETER, 0);
        RtlCopyMemory(&Fill, SystemBuffer, sizeof(Fill));
        if (OutLength < Fill.Count || PendingIrp == NULL)
            return Complete(Irp, STATUS_INVALID_DEVICE_STATE, 0);
        RtlCopyMemory(SystemBuffer, PendingSystemAddress + Fill.Offset, Fill.Count);
        return Complete(Irp, STATUS_SUCCESS, Fill.Count);
    case IOCTL_MDLTEST_FINISH: {
        LARGE_INTEGER Due;
        if (InLength < sizeof(Fill) || PendingIrp == NULL)
            return Complete(Irp, STATUS_INVALID_DEVICE_STATE, 0);
        RtlCopyMemory(&FinishFill, SystemBuffer, sizeof(FinishFill));
        Due.QuadPart = -10LL * 1000 * 10; /* 10 ms */
        KeSetTimer(&FinishTimer, Due, &FinishDpc);
        return Complete(Irp, STATUS_SUCCESS, 0);
    }
    default:
        break;
    }

    /* The direct methods: record what came with the request. */
    RtlZeroMemory(&LastInfo, sizeof(LastInfo));
    LastInfo.Major = IRP_MJ_DEVICE_CONTROL;
    LastInfo.HadSystemBuffer = SystemBuffer != NULL;
    LastInfo.InputLength = InLength;
    LastInfo.OutputLength = OutLength;
    System = Irp->MdlAddress ? Describe(Irp->MdlAddress, &LastInfo) : NULL;
    if (Irp->MdlAddress && System == NULL)
        return Complete(Irp, STATUS_INSUFFICIENT_RESOURCES, 0);
    switch (Code) {
    case IOCTL_MDLTEST_OUT_DIRECT: {
        ULONG Count;
        if (InLength < sizeof(Fill))
            return Complete(Irp, STATUS_INVALID_PARAMETER, 0);
        RtlCopyMemory(&Fill, SystemBuffer, sizeof(Fill));
        Count = Fill.Count < OutLength ? Fill.Count : OutLength;
        if (System)
            RtlFillMemory(System, Count, Fill.Fill);
        return Complete(Irp, STATUS_SUCCESS, System ? Count : 0);
    }
    case IOCTL_MDLTEST_IN_DIRECT:
        if (System)
            LastInfo.Sum = Sum(System, OutLength);
        return Complete(Irp, STATUS_SUCCESS, System ? OutLength : 0);
    case IOCTL_MDLTEST_PEND:
        if (System == NULL)
            return Complete(Irp, STATUS_INVALID_PARAMETER, 0);
        KeAcquireSpinLock(&PendLock, &Irql);
        if (PendingIrp != NULL) {
            KeReleaseSpinLock(&PendLock, Irql);
            return Complete(Irp, STATUS_DEVICE_BUSY, 0);
        }
        IoMarkIrpPending(Irp);
        PendingIrp = Irp;
        PendingSystemAddress = System;
        PendingThread = KeGetCurrentThread();
        KeReleaseSpinLock(&PendLock, Irql);
        return STATUS_PENDING;
    default:
        return Complete(Irp, STATUS_INVALID_DEVICE_REQUEST, 0);
    }
}

/* ---- DriverEntry's checks of the DDIs themselves ---- */

static void TestPoolMdl(void)
{
    PUCHAR Buffer = ExAllocatePool2(POOL_FLAG_NON_PAGED, 3 * PAGE_SIZE, MDLTEST_TAG);
    PUCHAR Va;
    ULONG Length = 2 * PAGE_SIZE;
    PMDL Mdl;
    CHECK(Buffer != NULL);
    if (Buffer == NULL)
        return;
    Va = Buffer + 100;
    Mdl = IoAllocateMdl(Va, Length, FALSE, FALSE, NULL);
    CHECK(Mdl != NULL);
    if (Mdl == NULL)
        return;
    CHECK(Mdl->Next == NULL);
    CHECK_EQ((USHORT)Mdl->Size, MmSizeOfMdl(Va, Length));
    CHECK_EQ(MmSizeOfMdl(Va, Length),
             sizeof(MDL) + ADDRESS_AND_SIZE_TO_SPAN_PAGES(Va, Length) * sizeof(PFN_NUMBER));
    CHECK_EQ(MmGetMdlByteCount(Mdl), Length);
    CHECK_EQ(MmGetMdlByteOffset(Mdl), BYTE_OFFSET(Va));
    CHECK(MmGetMdlVirtualAddress(Mdl) == Va);
    CHECK(MmGetMdlBaseVa(Mdl) == PAGE_ALIGN(Va));
    CHECK(!(Mdl->MdlFlags & (MDL_PAGES_LOCKED | MDL_MAPPED_TO_SYSTEM_VA)));
    MmBuildMdlForNonPagedPool(Mdl);
    CHECK(Mdl->MdlFlags & MDL_SOURCE_IS_NONPAGED_POOL);
    CHECK(!(Mdl->MdlFlags & MDL_PAGES_LOCKED));
    CHECK(PfnsConsecutive(Mdl));
    CHECK_EQ(MmGetMdlPfnArray(Mdl)[0], (ULONG_PTR)Va >> PAGE_SHIFT);
    /* Already mapped: MmGetSystemAddressForMdlSafe gives the buffer's own address. */
    CHECK(MmGetSystemAddressForMdlSafe(Mdl, LowPagePriority) == Va);
    CHECK(MmGetSystemAddressForMdl(Mdl) == Va);
    IoFreeMdl(Mdl);
    ExFreePoolWithTag(Buffer, MDLTEST_TAG);
}

static void TestIrpChain(void)
{
    PIRP Irp = IoAllocateIrp(1, FALSE);
    PMDL A, B, C, D;
    CHECK(Irp != NULL);
    if (Irp == NULL)
        return;
    CHECK(Irp->MdlAddress == NULL);
    A = IoAllocateMdl(StaticBuffer, 10, FALSE, FALSE, Irp);
    CHECK(A != NULL && Irp->MdlAddress == A);
    B = IoAllocateMdl(StaticBuffer + 10, 20, TRUE, FALSE, Irp);
    C = IoAllocateMdl(StaticBuffer + 30, 30, TRUE, FALSE, Irp);
    CHECK(Irp->MdlAddress == A && A->Next == B && B->Next == C && C->Next == NULL);
    /* Without an IRP nothing is linked. */
    D = IoAllocateMdl(StaticBuffer, 40, FALSE, FALSE, NULL);
    CHECK(D != NULL && D->Next == NULL && C->Next == NULL);
    IoFreeMdl(D);
    IoFreeMdl(C);
    IoFreeMdl(B);
    IoFreeMdl(A);
    Irp->MdlAddress = NULL;
    IoFreeIrp(Irp);
    /* Up to 4 GB - PAGE_SIZE may be described; beyond, IoAllocateMdl returns NULL. */
    CHECK(IoAllocateMdl(StaticBuffer, 0xFFFFFFFFu, FALSE, FALSE, NULL) == NULL);
}

static void TestInitializeMdl(void)
{
    union {
        MDL Mdl;
        UCHAR Bytes[sizeof(MDL) + 4 * sizeof(PFN_NUMBER)];
    } Storage;
    PMDL Mdl = &Storage.Mdl;
    PUCHAR Va = StaticBuffer + 0x123;
    MmInitializeMdl(Mdl, Va, 5000);
    CHECK(Mdl->Next == NULL);
    CHECK_EQ(Mdl->MdlFlags, 0);
    CHECK_EQ((USHORT)Mdl->Size, sizeof(MDL) + 2 * sizeof(PFN_NUMBER));
    CHECK_EQ((USHORT)Mdl->Size, MmSizeOfMdl(Va, 5000));
    CHECK(Mdl->StartVa == StaticBuffer);
    CHECK_EQ(Mdl->ByteOffset, 0x123);
    CHECK_EQ(Mdl->ByteCount, 5000);
    CHECK_EQ(sizeof(MDL), 0x30);
}

static void TestProbeKernel(void)
{
    PUCHAR Va = StaticBuffer + 10;
    PMDL Mdl = IoAllocateMdl(Va, 2 * PAGE_SIZE, FALSE, FALSE, NULL);
    PUCHAR System;
    CHECK(Mdl != NULL);
    if (Mdl == NULL)
        return;
    MmProbeAndLockPages(Mdl, KernelMode, IoWriteAccess);
    CHECK(Mdl->MdlFlags & MDL_PAGES_LOCKED);
    CHECK(Mdl->MdlFlags & MDL_WRITE_OPERATION);
    CHECK(!(Mdl->MdlFlags & MDL_MAPPED_TO_SYSTEM_VA));
    CHECK(PfnsConsecutive(Mdl));
    CHECK_EQ(ADDRESS_AND_SIZE_TO_SPAN_PAGES(Va, 2 * PAGE_SIZE), 3);
    System = MmGetSystemAddressForMdlSafe(Mdl, NormalPagePriority);
    CHECK(System != NULL);
    CHECK(Mdl->MdlFlags & MDL_MAPPED_TO_SYSTEM_VA);
    CHECK(Mdl->MappedSystemVa == System);
    /* Mapped once: the macro takes the existing mapping. */
    CHECK(MmGetSystemAddressForMdlSafe(Mdl, NormalPagePriority) == System);
    /* The mapping aliases the buffer both ways. */
    System[5] = 0x42;
    CHECK_EQ(Va[5], 0x42);
    Va[2 * PAGE_SIZE - 1] = 0x43;
    CHECK_EQ(System[2 * PAGE_SIZE - 1], 0x43);
    MmUnlockPages(Mdl);
    CHECK(!(Mdl->MdlFlags & (MDL_PAGES_LOCKED | MDL_MAPPED_TO_SYSTEM_VA)));
    /* Read access, an explicit map/unmap. */
    MmProbeAndLockPages(Mdl, KernelMode, IoReadAccess);
    CHECK(Mdl->MdlFlags & MDL_PAGES_LOCKED);
    CHECK(!(Mdl->MdlFlags & MDL_WRITE_OPERATION));
    System = MmMapLockedPagesSpecifyCache(Mdl, KernelMode, MmCached, NULL, FALSE,
                                          NormalPagePriority);
    CHECK(System != NULL && System[5] == 0x42);
    MmUnmapLockedPages(System, Mdl);
    CHECK(!(Mdl->MdlFlags & MDL_MAPPED_TO_SYSTEM_VA));
    MmUnlockPages(Mdl);
    IoFreeMdl(Mdl);
}

static void TestPartial(void)
{
    PUCHAR Va = StaticBuffer + 0x100;
    ULONG Length = 3 * PAGE_SIZE;
    PMDL Source = IoAllocateMdl(Va, Length, FALSE, FALSE, NULL);
    PUCHAR PartVa = Va + PAGE_SIZE + 0x80; /* second page of the source, offset 0x180 */
    PMDL Part = IoAllocateMdl(PartVa, 0x1F00, FALSE, FALSE, NULL);
    PUCHAR System, PartSystem;
    CHECK(Source != NULL && Part != NULL);
    if (Source == NULL || Part == NULL)
        return;
    MmProbeAndLockPages(Source, KernelMode, IoModifyAccess);

    /* The source is not mapped: neither is the partial MDL, until asked. */
    IoBuildPartialMdl(Source, Part, PartVa, 0x1F00);
    CHECK(Part->MdlFlags & MDL_PARTIAL);
    CHECK(!(Part->MdlFlags & (MDL_MAPPED_TO_SYSTEM_VA | MDL_PAGES_LOCKED)));
    CHECK_EQ(MmGetMdlByteCount(Part), 0x1F00);
    CHECK_EQ(MmGetMdlByteOffset(Part), 0x180);
    CHECK(MmGetMdlVirtualAddress(Part) == PartVa);
    CHECK(Part->StartVa == PAGE_ALIGN(PartVa));
    CHECK(Part->Process == Source->Process);
    CHECK_EQ(MmGetMdlPfnArray(Part)[0], MmGetMdlPfnArray(Source)[1]);
    CHECK_EQ(MmGetMdlPfnArray(Part)[1], MmGetMdlPfnArray(Source)[2]);
    CHECK_EQ(MmGetMdlPfnArray(Part)[2], MmGetMdlPfnArray(Source)[3]);
    PartSystem = MmGetSystemAddressForMdlSafe(Part, NormalPagePriority);
    CHECK(PartSystem != NULL);
    CHECK(Part->MdlFlags & MDL_MAPPED_TO_SYSTEM_VA);
    CHECK(Part->MdlFlags & MDL_PARTIAL_HAS_BEEN_MAPPED);
    PartSystem[0] = 0x5C;
    CHECK_EQ(PartVa[0], 0x5C);
    MmPrepareMdlForReuse(Part);
    CHECK(!(Part->MdlFlags & (MDL_MAPPED_TO_SYSTEM_VA | MDL_PARTIAL_HAS_BEEN_MAPPED)));

    /* Length 0: the rest of the source from VirtualAddress. */
    IoBuildPartialMdl(Source, Part, PartVa, 0);
    CHECK_EQ(MmGetMdlByteCount(Part), Length - (ULONG)(PartVa - Va));

    /* The source mapped: the partial MDL shares its mapping. */
    System = MmGetSystemAddressForMdlSafe(Source, NormalPagePriority);
    IoBuildPartialMdl(Source, Part, PartVa, 0x100);
    CHECK(Part->MdlFlags & MDL_MAPPED_TO_SYSTEM_VA);
    CHECK(!(Part->MdlFlags & MDL_PARTIAL_HAS_BEEN_MAPPED));
    CHECK(MmGetSystemAddressForMdlSafe(Part, NormalPagePriority) ==
          System + (PartVa - Va));
    IoFreeMdl(Part);
    MmUnlockPages(Source);
    IoFreeMdl(Source);

    /* A partial MDL of nonpaged pool is mapped too. */
    {
        PUCHAR Pool = ExAllocatePool2(POOL_FLAG_NON_PAGED, 2 * PAGE_SIZE, MDLTEST_TAG);
        PMDL PoolMdl = Pool ? IoAllocateMdl(Pool, 2 * PAGE_SIZE, FALSE, FALSE, NULL) : NULL;
        PMDL PoolPart = Pool ? IoAllocateMdl(Pool + 300, 100, FALSE, FALSE, NULL) : NULL;
        CHECK(PoolMdl != NULL && PoolPart != NULL);
        if (PoolMdl && PoolPart) {
            MmBuildMdlForNonPagedPool(PoolMdl);
            IoBuildPartialMdl(PoolMdl, PoolPart, Pool + 300, 100);
            CHECK(PoolPart->MdlFlags & MDL_SOURCE_IS_NONPAGED_POOL);
            CHECK(MmGetSystemAddressForMdlSafe(PoolPart, NormalPagePriority) == Pool + 300);
        }
        if (PoolPart)
            IoFreeMdl(PoolPart);
        if (PoolMdl)
            IoFreeMdl(PoolMdl);
        if (Pool)
            ExFreePoolWithTag(Pool, MDLTEST_TAG);
    }
}

/* A probe that fails raises: STATUS_ACCESS_VIOLATION for an unmapped page, for a UserMode
 * probe of system space and for a read-only page locked for writing; the MDL stays unlocked. */
static NTSTATUS ProbeRaises(PVOID Va, ULONG Length, KPROCESSOR_MODE Mode, LOCK_OPERATION Op)
{
    volatile NTSTATUS Code = STATUS_SUCCESS;
    PMDL Mdl = IoAllocateMdl(Va, Length, FALSE, FALSE, NULL);
    if (Mdl == NULL)
        return STATUS_INSUFFICIENT_RESOURCES;
    __try {
        MmProbeAndLockPages(Mdl, Mode, Op);
    } __except (EXCEPTION_EXECUTE_HANDLER) {
        Code = GetExceptionCode();
    }
    if (Code == STATUS_SUCCESS)
        MmUnlockPages(Mdl);
    else
        CHECK(!(Mdl->MdlFlags & MDL_PAGES_LOCKED));
    IoFreeMdl(Mdl);
    return Code;
}

static void TestProbeRaises(void)
{
    PUCHAR Pool = ExAllocatePool2(POOL_FLAG_NON_PAGED, 64, MDLTEST_TAG);
    CHECK_STATUS(ProbeRaises((PVOID)(ULONG_PTR)0x1000, 100, KernelMode, IoReadAccess),
                 STATUS_ACCESS_VIOLATION);
    CHECK_STATUS(ProbeRaises((PVOID)(ULONG_PTR)0x1000, 100, UserMode, IoWriteAccess),
                 STATUS_ACCESS_VIOLATION);
    CHECK(Pool != NULL);
    if (Pool) {
        /* Pool is system space: fine for KernelMode, not for a UserMode probe. */
        CHECK_STATUS(ProbeRaises(Pool, 64, KernelMode, IoWriteAccess), STATUS_SUCCESS);
        CHECK_STATUS(ProbeRaises(Pool, 64, UserMode, IoReadAccess), STATUS_ACCESS_VIOLATION);
        ExFreePoolWithTag(Pool, MDLTEST_TAG);
    }
    /* Driver code is mapped read-only: readable, not writable. */
    CHECK_STATUS(ProbeRaises((PVOID)(ULONG_PTR)ProbeRaises, 16, KernelMode, IoReadAccess),
                 STATUS_SUCCESS);
    CHECK_STATUS(ProbeRaises((PVOID)(ULONG_PTR)ProbeRaises, 16, KernelMode, IoWriteAccess),
                 STATUS_ACCESS_VIOLATION);
}

static NTSTATUS CallAndWait(PIRP Irp, PKEVENT Event, PIO_STATUS_BLOCK Iosb)
{
    NTSTATUS Status = IoCallDriver(MdlDevice, Irp);
    if (Status == STATUS_PENDING) {
        KeWaitForSingleObject(Event, Executive, KernelMode, FALSE, NULL);
        Status = Iosb->Status;
    }
    return Status;
}

static void TestBuiltRequests(void)
{
    PUCHAR Out = ExAllocatePool2(POOL_FLAG_NON_PAGED, 300, MDLTEST_TAG);
    UCHAR Local[256];
    MDLTEST_FILL Fill = { 0x5E, 0, 100 };
    IO_STATUS_BLOCK Iosb;
    KEVENT Event;
    LARGE_INTEGER Offset = { .QuadPart = 0 };
    PIRP Irp;
    ULONG i;
    ULONGLONG Expected = 0;

    CHECK(Out != NULL);
    if (Out == NULL)
        return;
    KeInitializeEvent(&Event, NotificationEvent, FALSE);

    /* METHOD_OUT_DIRECT: input in a system buffer, the output described by a locked MDL. */
    RtlFillMemory(Out, 300, 0xCC);
    Irp = IoBuildDeviceIoControlRequest(IOCTL_MDLTEST_OUT_DIRECT, MdlDevice, &Fill, sizeof(Fill),
                                        Out, 300, FALSE, &Event, &Iosb);
    CHECK(Irp != NULL);
    if (Irp) {
        CHECK(Irp->MdlAddress != NULL && Irp->AssociatedIrp.SystemBuffer != NULL);
        CHECK(Irp->MdlAddress && (Irp->MdlAddress->MdlFlags & MDL_PAGES_LOCKED));
        CHECK_STATUS(CallAndWait(Irp, &Event, &Iosb), STATUS_SUCCESS);
        CHECK_EQ(Iosb.Information, 100);
        CHECK_EQ(LastInfo.ByteCount, 300);
        CHECK(LastInfo.VirtualAddress == (ULONG_PTR)Out);
        CHECK(Out[0] == 0x5E && Out[99] == 0x5E && Out[100] == 0xCC && Out[299] == 0xCC);
    }

    /* METHOD_IN_DIRECT: the driver reads the second buffer. */
    for (i = 0; i < 300; i++) {
        Out[i] = (UCHAR)i;
        Expected += (UCHAR)i;
    }
    KeClearEvent(&Event);
    Irp = IoBuildDeviceIoControlRequest(IOCTL_MDLTEST_IN_DIRECT, MdlDevice, NULL, 0, Out, 300,
                                        FALSE, &Event, &Iosb);
    CHECK(Irp != NULL);
    if (Irp) {
        CHECK(Irp->AssociatedIrp.SystemBuffer == NULL);
        CHECK_STATUS(CallAndWait(Irp, &Event, &Iosb), STATUS_SUCCESS);
        CHECK_EQ(LastInfo.Sum, Expected);
        CHECK_EQ(LastInfo.FlagsBefore & MDL_WRITE_OPERATION, 0);
    }

    /* A zero-length output buffer gets no MDL. */
    KeClearEvent(&Event);
    Irp = IoBuildDeviceIoControlRequest(IOCTL_MDLTEST_OUT_DIRECT, MdlDevice, &Fill, sizeof(Fill),
                                        Out, 0, FALSE, &Event, &Iosb);
    CHECK(Irp != NULL && Irp->MdlAddress == NULL);
    if (Irp) {
        CHECK_STATUS(CallAndWait(Irp, &Event, &Iosb), STATUS_SUCCESS);
        CHECK_EQ(LastInfo.HadMdl, 0);
    }

    /* A bad kernel buffer: the builder fails instead of raising. */
    CHECK(IoBuildDeviceIoControlRequest(IOCTL_MDLTEST_OUT_DIRECT, MdlDevice, &Fill, sizeof(Fill),
                                        (PVOID)(ULONG_PTR)0x1000, 64, FALSE, &Event,
                                        &Iosb) == NULL);

    /* FSD requests to a direct device: a pool buffer, then a kernel stack buffer. */
    Config.Fill = 0x3D;
    KeClearEvent(&Event);
    Irp = IoBuildSynchronousFsdRequest(IRP_MJ_READ, MdlDevice, Out, 300, &Offset, &Event, &Iosb);
    CHECK(Irp != NULL);
    if (Irp) {
        CHECK(Irp->MdlAddress && (Irp->MdlAddress->MdlFlags & MDL_WRITE_OPERATION));
        CHECK_STATUS(CallAndWait(Irp, &Event, &Iosb), STATUS_SUCCESS);
        CHECK_EQ(Iosb.Information, 300);
        CHECK(Out[0] == 0x3D && Out[299] == 0x3D);
    }
    RtlFillMemory(Local, sizeof(Local), 2);
    KeClearEvent(&Event);
    Irp = IoBuildSynchronousFsdRequest(IRP_MJ_WRITE, MdlDevice, Local, sizeof(Local), &Offset,
                                       &Event, &Iosb);
    CHECK(Irp != NULL);
    if (Irp) {
        CHECK_STATUS(CallAndWait(Irp, &Event, &Iosb), STATUS_SUCCESS);
        CHECK_EQ(LastInfo.Sum, 2 * sizeof(Local));
        CHECK(LastInfo.VirtualAddress == (ULONG_PTR)Local);
    }
    Config.Fill = 0xA5;
    ExFreePoolWithTag(Out, MDLTEST_TAG);
}

static VOID MdlUnload(PDRIVER_OBJECT DriverObject)
{
    UNICODE_STRING Link = RTL_CONSTANT_STRING(L"\\??\\NtkMdl");
    KeCancelTimer(&FinishTimer);
    KeFlushQueuedDpcs();
    IoDeleteSymbolicLink(&Link);
    IoDeleteDevice(DriverObject->DeviceObject);
}

NTSTATUS DriverEntry(PDRIVER_OBJECT DriverObject, PUNICODE_STRING RegistryPath)
{
    UNICODE_STRING Name = RTL_CONSTANT_STRING(L"\\Device\\NtkMdl");
    UNICODE_STRING Link = RTL_CONSTANT_STRING(L"\\??\\NtkMdl");
    NTSTATUS Status;
    int Failed;
    UNREFERENCED_PARAMETER(RegistryPath);

    KeInitializeSpinLock(&PendLock);
    KeInitializeTimer(&FinishTimer);
    KeInitializeDpc(&FinishDpc, FinishPended, NULL);
    DriverObject->DriverUnload = MdlUnload;
    DriverObject->MajorFunction[IRP_MJ_CREATE] = MdlCreateClose;
    DriverObject->MajorFunction[IRP_MJ_CLOSE] = MdlCreateClose;
    DriverObject->MajorFunction[IRP_MJ_READ] = MdlRead;
    DriverObject->MajorFunction[IRP_MJ_WRITE] = MdlWrite;
    DriverObject->MajorFunction[IRP_MJ_DEVICE_CONTROL] = MdlDeviceControl;
    Status = IoCreateDevice(DriverObject, 0, &Name, FILE_DEVICE_UNKNOWN, 0, FALSE, &MdlDevice);
    if (!NT_SUCCESS(Status))
        return Status;
    MdlDevice->Flags |= DO_DIRECT_IO;

    DbgPrint("mdltest: TestPoolMdl\n");
    TestPoolMdl();
    DbgPrint("mdltest: TestIrpChain\n");
    TestIrpChain();
    DbgPrint("mdltest: TestInitializeMdl\n");
    TestInitializeMdl();
    DbgPrint("mdltest: TestProbeKernel\n");
    TestProbeKernel();
    DbgPrint("mdltest: TestProbeRaises\n");
    TestProbeRaises();
    DbgPrint("mdltest: TestPartial\n");
    TestPartial();
    DbgPrint("mdltest: TestBuiltRequests\n");
    TestBuiltRequests();
    Failed = NTK_TEST_SUMMARY();
    DbgPrint("mdltest: %s\n", Failed ? "FAILED" : "all checks passed");
    if (Failed) {
        IoDeleteDevice(MdlDevice);
        return STATUS_UNSUCCESSFUL;
    }
    Status = IoCreateSymbolicLink(&Link, &Name);
    if (!NT_SUCCESS(Status))
        IoDeleteDevice(MdlDevice);
    return Status;
}
