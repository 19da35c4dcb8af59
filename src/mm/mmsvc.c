/* Mm: the virtual-memory system services. Nt* are user mode's entries (PreviousMode UserMode:
 * every pointer is probed and captured), Zw* the drivers' (PreviousMode KernelMode). Both
 * reference the target process by handle: NtCurrentProcess(), or a handle with
 * PROCESS_VM_OPERATION (PROCESS_QUERY_INFORMATION to query). Every process shares the host's
 * address space, so another process's memory is as reachable as the caller's own. */
#include "mi.h"
#include "../vf/vfddi.h"
#include <string.h>
#include <unistd.h>

static NTSTATUS MiRead(KPROCESSOR_MODE Mode, PVOID Destination, const VOID *Source, SIZE_T Length)
{
    if (Source == NULL)
        return STATUS_ACCESS_VIOLATION;
    if (Mode == UserMode)
        return MmpCopyFromUser(Destination, Source, Length);
    memcpy(Destination, Source, Length);
    return STATUS_SUCCESS;
}

/* The two in/out arguments, read before anything is done (a bad pointer changes nothing). */
static NTSTATUS MiCaptureRange(KPROCESSOR_MODE Mode, PVOID *BaseAddress, PSIZE_T RegionSize,
                               PVOID *Base, SIZE_T *Size)
{
    NTSTATUS Status = MiRead(Mode, Base, BaseAddress, sizeof(*Base));
    if (NT_SUCCESS(Status))
        Status = MiRead(Mode, Size, RegionSize, sizeof(*Size));
    /* The results go back through the same pointers: they must be writable too. */
    if (NT_SUCCESS(Status))
        Status = NtpWrite(Mode, BaseAddress, Base, sizeof(*Base));
    if (NT_SUCCESS(Status))
        Status = NtpWrite(Mode, RegionSize, Size, sizeof(*Size));
    return Status;
}

static NTSTATUS MiWriteRange(KPROCESSOR_MODE Mode, PVOID *BaseAddress, PSIZE_T RegionSize,
                             PVOID Base, SIZE_T Size)
{
    NTSTATUS Status = NtpWrite(Mode, BaseAddress, &Base, sizeof(Base));
    if (NT_SUCCESS(Status))
        Status = NtpWrite(Mode, RegionSize, &Size, sizeof(Size));
    return Status;
}

static NTSTATUS MiReferenceProcess(HANDLE ProcessHandle, ACCESS_MASK Access,
                                   KPROCESSOR_MODE Mode, PEPROCESS *Process)
{
    return ObReferenceObjectByHandle(ProcessHandle, Access, *PsProcessType, Mode,
                                     (PVOID *)Process, NULL);
}

static NTSTATUS MiAllocateService(HANDLE ProcessHandle, PVOID *BaseAddress, ULONG_PTR ZeroBits,
                                  PSIZE_T RegionSize, ULONG AllocationType, ULONG Protect,
                                  KPROCESSOR_MODE Mode)
{
    PEPROCESS Process;
    PVOID Base;
    SIZE_T Size;
    NTSTATUS Status = MiCaptureRange(Mode, BaseAddress, RegionSize, &Base, &Size);
    if (!NT_SUCCESS(Status))
        return Status;
    Status = MiReferenceProcess(ProcessHandle, PROCESS_VM_OPERATION, Mode, &Process);
    if (!NT_SUCCESS(Status))
        return Status;
    Status = MiAllocateVirtualMemory(Process, &Base, ZeroBits, &Size, AllocationType, Protect);
    ObfDereferenceObject(Process);
    if (NT_SUCCESS(Status))
        Status = MiWriteRange(Mode, BaseAddress, RegionSize, Base, Size);
    return Status;
}

NTSTATUS NtAllocateVirtualMemory(HANDLE ProcessHandle, PVOID *BaseAddress, ULONG_PTR ZeroBits,
                                 PSIZE_T RegionSize, ULONG AllocationType, ULONG Protect)
{
    NTSTATUS Status;
    KiEnterService();
    Status = MiAllocateService(ProcessHandle, BaseAddress, ZeroBits, RegionSize, AllocationType,
                               Protect, KeGetPreviousMode());
    KiLeaveService();
    return Status;
}

NTSTATUS ZwAllocateVirtualMemory(HANDLE ProcessHandle, PVOID *BaseAddress, ULONG_PTR ZeroBits,
                                 PSIZE_T RegionSize, ULONG AllocationType, ULONG Protect)
{
    VF_CHECK_IRQL(ZwAllocateVirtualMemory);
    KPROCESSOR_MODE Old = KiSetPreviousMode(KernelMode);
    NTSTATUS Status = MiAllocateService(ProcessHandle, BaseAddress, ZeroBits, RegionSize,
                                        AllocationType, Protect, KernelMode);
    KiSetPreviousMode(Old);
    return Status;
}

static NTSTATUS MiFreeService(HANDLE ProcessHandle, PVOID *BaseAddress, PSIZE_T RegionSize,
                              ULONG FreeType, KPROCESSOR_MODE Mode)
{
    PEPROCESS Process;
    PVOID Base;
    SIZE_T Size;
    NTSTATUS Status = MiCaptureRange(Mode, BaseAddress, RegionSize, &Base, &Size);
    if (!NT_SUCCESS(Status))
        return Status;
    Status = MiReferenceProcess(ProcessHandle, PROCESS_VM_OPERATION, Mode, &Process);
    if (!NT_SUCCESS(Status))
        return Status;
    Status = MiFreeVirtualMemory(Process, &Base, &Size, FreeType);
    ObfDereferenceObject(Process);
    if (NT_SUCCESS(Status))
        Status = MiWriteRange(Mode, BaseAddress, RegionSize, Base, Size);
    return Status;
}

NTSTATUS NtFreeVirtualMemory(HANDLE ProcessHandle, PVOID *BaseAddress, PSIZE_T RegionSize,
                             ULONG FreeType)
{
    NTSTATUS Status;
    KiEnterService();
    Status = MiFreeService(ProcessHandle, BaseAddress, RegionSize, FreeType, KeGetPreviousMode());
    KiLeaveService();
    return Status;
}

NTSTATUS ZwFreeVirtualMemory(HANDLE ProcessHandle, PVOID *BaseAddress, PSIZE_T RegionSize,
                             ULONG FreeType)
{
    VF_CHECK_IRQL(ZwFreeVirtualMemory);
    KPROCESSOR_MODE Old = KiSetPreviousMode(KernelMode);
    NTSTATUS Status = MiFreeService(ProcessHandle, BaseAddress, RegionSize, FreeType, KernelMode);
    KiSetPreviousMode(Old);
    return Status;
}

static NTSTATUS MiQueryService(HANDLE ProcessHandle, PVOID BaseAddress,
                               MEMORY_INFORMATION_CLASS Class, PVOID Buffer, SIZE_T Length,
                               PSIZE_T ReturnLength, KPROCESSOR_MODE Mode)
{
    MEMORY_BASIC_INFORMATION Information;
    SIZE_T Returned = sizeof(Information);
    PEPROCESS Process;
    NTSTATUS Status;

    if (Class != MemoryBasicInformation) {
        if ((ULONG)Class > (ULONG)MemoryPhysicalContiguityInformation)
            return STATUS_INVALID_INFO_CLASS;
        KdpLog("ntk: NtQueryVirtualMemory: information class %u is not implemented\n",
               (ULONG)Class);
        return STATUS_NOT_IMPLEMENTED;
    }
    if (Length < sizeof(Information))
        return STATUS_INFO_LENGTH_MISMATCH;
    if (Mode == UserMode) {
        Status = MmpProbeUserRange(Buffer, sizeof(Information), TYPE_ALIGNMENT(ULONG_PTR));
        if (NT_SUCCESS(Status) && ReturnLength)
            Status = MmpProbeUserRange(ReturnLength, sizeof(*ReturnLength), 1);
        if (!NT_SUCCESS(Status))
            return Status;
    }
    Status = MiReferenceProcess(ProcessHandle, PROCESS_QUERY_INFORMATION, Mode, &Process);
    if (!NT_SUCCESS(Status))
        return Status;
    Status = MiQueryVirtualMemory(Process, BaseAddress, &Information);
    ObfDereferenceObject(Process);
    if (NT_SUCCESS(Status))
        Status = NtpWrite(Mode, Buffer, &Information, sizeof(Information));
    if (NT_SUCCESS(Status) && ReturnLength)
        Status = NtpWrite(Mode, ReturnLength, &Returned, sizeof(Returned));
    return Status;
}

NTSTATUS NtQueryVirtualMemory(HANDLE ProcessHandle, PVOID BaseAddress,
                              MEMORY_INFORMATION_CLASS MemoryInformationClass,
                              PVOID MemoryInformation, SIZE_T MemoryInformationLength,
                              PSIZE_T ReturnLength)
{
    NTSTATUS Status;
    KiEnterService();
    Status = MiQueryService(ProcessHandle, BaseAddress, MemoryInformationClass, MemoryInformation,
                            MemoryInformationLength, ReturnLength, KeGetPreviousMode());
    KiLeaveService();
    return Status;
}

NTSTATUS ZwQueryVirtualMemory(HANDLE ProcessHandle, PVOID BaseAddress,
                              MEMORY_INFORMATION_CLASS MemoryInformationClass,
                              PVOID MemoryInformation, SIZE_T MemoryInformationLength,
                              PSIZE_T ReturnLength)
{
    VF_CHECK_IRQL(ZwQueryVirtualMemory);
    KPROCESSOR_MODE Old = KiSetPreviousMode(KernelMode);
    NTSTATUS Status = MiQueryService(ProcessHandle, BaseAddress, MemoryInformationClass,
                                     MemoryInformation, MemoryInformationLength, ReturnLength,
                                     KernelMode);
    KiSetPreviousMode(Old);
    return Status;
}

static NTSTATUS MiProtectService(HANDLE ProcessHandle, PVOID *BaseAddress, PSIZE_T RegionSize,
                                 ULONG NewProtect, PULONG OldProtect, KPROCESSOR_MODE Mode)
{
    PEPROCESS Process;
    PVOID Base;
    SIZE_T Size;
    ULONG Old = 0;
    NTSTATUS Status = MiCaptureRange(Mode, BaseAddress, RegionSize, &Base, &Size);
    if (NT_SUCCESS(Status))
        Status = OldProtect ? NtpWrite(Mode, OldProtect, &Old, sizeof(Old))
                            : STATUS_ACCESS_VIOLATION;
    if (!NT_SUCCESS(Status))
        return Status;
    Status = MiReferenceProcess(ProcessHandle, PROCESS_VM_OPERATION, Mode, &Process);
    if (!NT_SUCCESS(Status))
        return Status;
    Status = MiProtectVirtualMemory(Process, &Base, &Size, NewProtect, &Old);
    ObfDereferenceObject(Process);
    if (NT_SUCCESS(Status))
        Status = MiWriteRange(Mode, BaseAddress, RegionSize, Base, Size);
    if (NT_SUCCESS(Status))
        Status = NtpWrite(Mode, OldProtect, &Old, sizeof(Old));
    return Status;
}

NTSTATUS NtProtectVirtualMemory(HANDLE ProcessHandle, PVOID *BaseAddress, PSIZE_T RegionSize,
                                ULONG NewProtect, PULONG OldProtect)
{
    NTSTATUS Status;
    KiEnterService();
    Status = MiProtectService(ProcessHandle, BaseAddress, RegionSize, NewProtect, OldProtect,
                              KeGetPreviousMode());
    KiLeaveService();
    return Status;
}

NTSTATUS ZwProtectVirtualMemory(HANDLE ProcessHandle, PVOID *BaseAddress, PSIZE_T RegionSize,
                                ULONG NewProtect, PULONG OldProtect)
{
    VF_CHECK_IRQL(ZwProtectVirtualMemory);
    KPROCESSOR_MODE Old = KiSetPreviousMode(KernelMode);
    NTSTATUS Status = MiProtectService(ProcessHandle, BaseAddress, RegionSize, NewProtect,
                                       OldProtect, KernelMode);
    KiSetPreviousMode(Old);
    return Status;
}

/* SystemBasicInformation: what GetSystemInfo reports. */
static NTSTATUS MiQuerySystemInformation(SYSTEM_INFORMATION_CLASS Class, PVOID Buffer,
                                         ULONG Length, PULONG ReturnLength, KPROCESSOR_MODE Mode)
{
    SYSTEM_BASIC_INFORMATION Basic;
    ULONG Returned = sizeof(Basic);
    long PhysicalPages = sysconf(_SC_PHYS_PAGES);
    NTSTATUS Status;

    if (Class != SystemBasicInformation) {
        if ((ULONG)Class > (ULONG)SystemTimeOfDayInformation)
            return STATUS_INVALID_INFO_CLASS;
        KdpLog("ntk: NtQuerySystemInformation: information class %u is not implemented\n",
               (ULONG)Class);
        return STATUS_NOT_IMPLEMENTED;
    }
    if (Length != sizeof(Basic))
        return STATUS_INFO_LENGTH_MISMATCH;
    memset(&Basic, 0, sizeof(Basic));
    Basic.TimerResolution = 156250; /* the clock's 15.625 ms tick, in 100 ns */
    Basic.PageSize = PAGE_SIZE;
    if (PhysicalPages <= 0)
        PhysicalPages = 1;
    Basic.NumberOfPhysicalPages = PhysicalPages > (long)MAXULONG ? MAXULONG : (ULONG)PhysicalPages;
    Basic.LowestPhysicalPageNumber = 1;
    Basic.HighestPhysicalPageNumber = Basic.NumberOfPhysicalPages;
    Basic.AllocationGranularity = (ULONG)MI_ALLOCATION_GRANULARITY;
    Basic.MinimumUserModeAddress = (ULONG_PTR)MM_LOWEST_USER_ADDRESS;
    Basic.MaximumUserModeAddress = (ULONG_PTR)MmHighestUserAddress;
    Basic.ActiveProcessorsAffinityMask =
        KiProcessorCount >= 64 ? ~(KAFFINITY)0 : ((KAFFINITY)1 << KiProcessorCount) - 1;
    Basic.NumberOfProcessors = (CCHAR)KiProcessorCount;
    Status = NtpWrite(Mode, Buffer, &Basic, sizeof(Basic));
    if (NT_SUCCESS(Status) && ReturnLength)
        Status = NtpWrite(Mode, ReturnLength, &Returned, sizeof(Returned));
    return Status;
}

NTSTATUS NtQuerySystemInformation(SYSTEM_INFORMATION_CLASS SystemInformationClass,
                                  PVOID SystemInformation, ULONG SystemInformationLength,
                                  PULONG ReturnLength)
{
    NTSTATUS Status;
    KiEnterService();
    Status = MiQuerySystemInformation(SystemInformationClass, SystemInformation,
                                      SystemInformationLength, ReturnLength, KeGetPreviousMode());
    KiLeaveService();
    return Status;
}
