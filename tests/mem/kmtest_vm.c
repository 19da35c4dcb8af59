/* kmtest_vm: Zw*VirtualMemory from a driver. DriverEntry runs in a system thread, so its
 * NtCurrentProcess() is the System process, whose user address space is as real as any other:
 * reserve, commit, decommit, release, protections, every documented error, a touch of reserved
 * memory caught by __try, and system threads racing on the same address space. The IOCTLs run
 * in the calling user thread, where NtCurrentProcess() is the client's process. Any failed
 * check fails DriverEntry. */
#include <ntddk.h>
#include "../ntktest.h"
#include "vm_ioctl.h"
#include "vm_touch.h"

#define KB(n) ((SIZE_T)(n) * 1024)
#define FIXED_AREA 0x5A0000000000ULL /* fixed-address tests, away from the host's mappings */

static PDEVICE_OBJECT VmDevice;
static PVOID SystemRegion;          /* held by the System process until unload */
static ULONG_PTR RememberedAddress; /* left allocated by an exiting user process */

static NTSTATUS Alloc(PVOID *Base, SIZE_T *Size, ULONG Type, ULONG Protect)
{
    return ZwAllocateVirtualMemory(NtCurrentProcess(), Base, 0, Size, Type, Protect);
}

static NTSTATUS Free(PVOID Base, SIZE_T Size, ULONG Type)
{
    return ZwFreeVirtualMemory(NtCurrentProcess(), &Base, &Size, Type);
}

static NTSTATUS Query(PVOID Address, PMEMORY_BASIC_INFORMATION Info)
{
    SIZE_T Returned = 0;
    NTSTATUS Status = ZwQueryVirtualMemory(NtCurrentProcess(), Address, MemoryBasicInformation,
                                           Info, sizeof(*Info), &Returned);
    if (NT_SUCCESS(Status))
        CHECK_EQ(Returned, sizeof(*Info));
    return Status;
}

static void CheckRegion(PVOID Address, PVOID Base, PVOID AllocationBase, SIZE_T Size, ULONG State,
                        ULONG Protect)
{
    MEMORY_BASIC_INFORMATION Info;
    CHECK_STATUS(Query(Address, &Info), STATUS_SUCCESS);
    CHECK_EQ(Info.BaseAddress, Base);
    CHECK_EQ(Info.AllocationBase, AllocationBase);
    CHECK_EQ(Info.RegionSize, Size);
    CHECK_EQ(Info.State, State);
    CHECK_EQ(Info.Protect, Protect);
    CHECK_EQ(Info.Type, State == MEM_FREE ? 0 : MEM_PRIVATE);
}

static NTSTATUS ProbeWrite(PVOID Address, SIZE_T Length)
{
    volatile NTSTATUS Status = STATUS_SUCCESS;
    __try {
        ProbeForWrite(Address, Length, 1);
    } __except (EXCEPTION_EXECUTE_HANDLER) {
        Status = GetExceptionCode();
    }
    return Status;
}

/* Reserve, commit inside, protect, decommit, release: the page states and what queries say. */
static void TestLifecycle(void)
{
    PUCHAR Base = NULL, Out;
    SIZE_T Size = KB(1024), OutSize;
    MEMORY_BASIC_INFORMATION Info;
    ULONG Old = 0;
    UCHAR Byte = 0;

    CHECK_STATUS(Alloc((PVOID *)&Base, &Size, MEM_RESERVE, PAGE_READWRITE), STATUS_SUCCESS);
    CHECK(((ULONG_PTR)Base & 0xFFFF) == 0);
    CHECK((PVOID)Base >= MM_LOWEST_USER_ADDRESS);
    CHECK((ULONG_PTR)Base + Size <= MmUserProbeAddress);
    CHECK_EQ(Size, KB(1024));
    CHECK_STATUS(Query(Base + 100, &Info), STATUS_SUCCESS);
    CHECK_EQ(Info.AllocationProtect, PAGE_READWRITE);
    CheckRegion(Base + 100, Base, Base, KB(1024), MEM_RESERVE, 0);

    /* Reserved pages fault: the exception reaches the driver's __try. */
    CHECK_STATUS(VmTouch(Base + 100, FALSE, NULL), STATUS_ACCESS_VIOLATION);
    CHECK_EQ(VmFaultAddress, (ULONG_PTR)(Base + 100));
    CHECK_STATUS(VmTouch(Base + KB(512), TRUE, NULL), STATUS_ACCESS_VIOLATION);
    CHECK_STATUS(ProbeWrite(Base, 1), STATUS_ACCESS_VIOLATION);

    /* Commit three pages from an unaligned address: rounded out to whole pages. */
    Out = Base + 0x3000 + 10;
    OutSize = 0x2000;
    CHECK_STATUS(Alloc((PVOID *)&Out, &OutSize, MEM_COMMIT, PAGE_READWRITE), STATUS_SUCCESS);
    CHECK_EQ(Out, Base + 0x3000);
    CHECK_EQ(OutSize, 0x3000);
    CheckRegion(Base, Base, Base, 0x3000, MEM_RESERVE, 0);
    CheckRegion(Base + 0x4321, Base + 0x4000, Base, 0x2000, MEM_COMMIT, PAGE_READWRITE);
    CheckRegion(Base + 0x6000, Base + 0x6000, Base, KB(1024) - 0x6000, MEM_RESERVE, 0);
    CHECK_STATUS(VmTouch(Base + 0x3000, FALSE, &Byte), STATUS_SUCCESS);
    CHECK_EQ(Byte, 0); /* fresh pages are zero */
    Base[0x3000] = 0x11;
    Base[0x5FFF] = 0x22;
    CHECK_STATUS(ProbeWrite(Base + 0x3000, 0x3000), STATUS_SUCCESS);
    CHECK_STATUS(ProbeWrite(Base + 0x3000, 0x3001), STATUS_ACCESS_VIOLATION);

    /* Committing committed pages succeeds and keeps their contents. */
    Out = Base + 0x3000;
    OutSize = 0x1000;
    CHECK_STATUS(Alloc((PVOID *)&Out, &OutSize, MEM_COMMIT, PAGE_READWRITE), STATUS_SUCCESS);
    CHECK_EQ(Base[0x3000], 0x11);

    /* Protection of one page; the old one comes back. */
    Out = Base + 0x4000;
    OutSize = 1;
    CHECK_STATUS(ZwProtectVirtualMemory(NtCurrentProcess(), (PVOID *)&Out, &OutSize,
                                        PAGE_READONLY, &Old),
                 STATUS_SUCCESS);
    CHECK_EQ(Old, PAGE_READWRITE);
    CHECK_EQ(Out, Base + 0x4000);
    CHECK_EQ(OutSize, 0x1000);
    CheckRegion(Base + 0x3000, Base + 0x3000, Base, 0x1000, MEM_COMMIT, PAGE_READWRITE);
    CheckRegion(Base + 0x4000, Base + 0x4000, Base, 0x1000, MEM_COMMIT, PAGE_READONLY);
    CheckRegion(Base + 0x5000, Base + 0x5000, Base, 0x1000, MEM_COMMIT, PAGE_READWRITE);
    CHECK_STATUS(VmTouch(Base + 0x4000, FALSE, NULL), STATUS_SUCCESS);
    CHECK_STATUS(VmTouch(Base + 0x4000, TRUE, NULL), STATUS_ACCESS_VIOLATION);
    CHECK_STATUS(ProbeWrite(Base + 0x4000, 1), STATUS_ACCESS_VIOLATION);
    Out = Base + 0x4000;
    OutSize = 0x1000;
    CHECK_STATUS(ZwProtectVirtualMemory(NtCurrentProcess(), (PVOID *)&Out, &OutSize,
                                        PAGE_NOACCESS, &Old),
                 STATUS_SUCCESS);
    CHECK_EQ(Old, PAGE_READONLY);
    CHECK_STATUS(VmTouch(Base + 0x4000, FALSE, NULL), STATUS_ACCESS_VIOLATION);
    /* Back to one region of three read/write pages. */
    Out = Base + 0x4000;
    CHECK_STATUS(ZwProtectVirtualMemory(NtCurrentProcess(), (PVOID *)&Out, &OutSize,
                                        PAGE_READWRITE, &Old),
                 STATUS_SUCCESS);
    CHECK_EQ(Old, PAGE_NOACCESS);
    CheckRegion(Base + 0x3000, Base + 0x3000, Base, 0x3000, MEM_COMMIT, PAGE_READWRITE);
    /* Only committed pages take a protection. */
    Out = Base;
    OutSize = 0x1000;
    CHECK_STATUS(ZwProtectVirtualMemory(NtCurrentProcess(), (PVOID *)&Out, &OutSize,
                                        PAGE_READONLY, &Old),
                 STATUS_NOT_COMMITTED);
    Out = Base + 0x5000;
    OutSize = 0x2000;
    CHECK_STATUS(ZwProtectVirtualMemory(NtCurrentProcess(), (PVOID *)&Out, &OutSize,
                                        PAGE_READONLY, &Old),
                 STATUS_NOT_COMMITTED);
    CHECK_EQ(Out, Base + 0x5000); /* unchanged on failure */

    /* Decommit one page: reserved again, faults, and comes back zeroed. */
    CHECK_STATUS(Free(Base + 0x3000, 0x1000, MEM_DECOMMIT), STATUS_SUCCESS);
    CheckRegion(Base + 0x3000, Base + 0x3000, Base, 0x1000, MEM_RESERVE, 0);
    CheckRegion(Base + 0x2FFF, Base + 0x2000, Base, 0x2000, MEM_RESERVE, 0);
    CHECK_STATUS(VmTouch(Base + 0x3000, FALSE, NULL), STATUS_ACCESS_VIOLATION);
    Out = Base + 0x3000;
    OutSize = 0x1000;
    CHECK_STATUS(Alloc((PVOID *)&Out, &OutSize, MEM_COMMIT, PAGE_READWRITE), STATUS_SUCCESS);
    CHECK_EQ(Base[0x3000], 0);
    CHECK_EQ(Base[0x5FFF], 0x22);
    /* Decommitting reserved pages is no error. */
    CHECK_STATUS(Free(Base + KB(512), KB(64), MEM_DECOMMIT), STATUS_SUCCESS);

    /* Freeing: errors first. */
    CHECK_STATUS(Free(Base + 0x1000, 0, MEM_RELEASE), STATUS_FREE_VM_NOT_AT_BASE);
    CHECK_STATUS(Free(Base, 0x1000, MEM_RELEASE), STATUS_UNABLE_TO_FREE_VM);
    CHECK_STATUS(Free(Base + KB(1020), 0x2000, MEM_DECOMMIT), STATUS_UNABLE_TO_FREE_VM);
    CHECK_STATUS(Free(Base, 0, MEM_DECOMMIT | MEM_RELEASE), STATUS_INVALID_PARAMETER_4);
    CHECK_STATUS(Free(Base, 0, 0), STATUS_INVALID_PARAMETER_4);
    CheckRegion(Base + 0x3000, Base + 0x3000, Base, 0x3000, MEM_COMMIT, PAGE_READWRITE);
    /* Release: the whole reservation, reported back. */
    Out = Base;
    OutSize = 0;
    CHECK_STATUS(ZwFreeVirtualMemory(NtCurrentProcess(), (PVOID *)&Out, &OutSize, MEM_RELEASE),
                 STATUS_SUCCESS);
    CHECK_EQ(Out, Base);
    CHECK_EQ(OutSize, KB(1024));
    CHECK_STATUS(Query(Base + 0x3000, &Info), STATUS_SUCCESS);
    CHECK_EQ(Info.State, MEM_FREE);
    CHECK_EQ(Info.AllocationBase, NULL);
    CHECK_EQ(Info.Protect, PAGE_NOACCESS);
    CHECK_STATUS(VmTouch(Base + 0x3000, FALSE, NULL), STATUS_ACCESS_VIOLATION);
    CHECK_STATUS(Free(Base, 0, MEM_RELEASE), STATUS_MEMORY_NOT_ALLOCATED);
    CHECK_STATUS(Free(Base, 0x1000, MEM_DECOMMIT), STATUS_MEMORY_NOT_ALLOCATED);

    /* Committing free memory needs a reservation. */
    Out = Base;
    OutSize = 0x1000;
    CHECK_STATUS(Alloc((PVOID *)&Out, &OutSize, MEM_COMMIT, PAGE_READWRITE),
                 STATUS_CONFLICTING_ADDRESSES);
}

/* Fixed addresses: rounding to 64 KiB, overlaps, reserve and commit at once, free regions. */
static void TestFixed(void)
{
    PUCHAR Base = (PUCHAR)FIXED_AREA + 0x1234, Out;
    SIZE_T Size = KB(64), OutSize;

    CHECK_STATUS(Alloc((PVOID *)&Base, &Size, MEM_RESERVE, PAGE_NOACCESS), STATUS_SUCCESS);
    CHECK_EQ(Base, FIXED_AREA);
    CHECK_EQ(Size, 0x12000); /* from the rounded-down base to the page after base + size */
    CheckRegion(Base, Base, Base, 0x12000, MEM_RESERVE, 0);
    Out = Base + KB(64);
    OutSize = 0x1000;
    CHECK_STATUS(Alloc((PVOID *)&Out, &OutSize, MEM_RESERVE, PAGE_READWRITE),
                 STATUS_CONFLICTING_ADDRESSES);
    Out = Base - KB(64);
    OutSize = KB(64) + 1;
    CHECK_STATUS(Alloc((PVOID *)&Out, &OutSize, MEM_RESERVE | MEM_COMMIT, PAGE_READWRITE),
                 STATUS_CONFLICTING_ADDRESSES);
    /* Committing across the reservation's end. */
    Out = Base + 0x11000;
    OutSize = 0x2000;
    CHECK_STATUS(Alloc((PVOID *)&Out, &OutSize, MEM_COMMIT, PAGE_READWRITE),
                 STATUS_CONFLICTING_ADDRESSES);

    /* A second reservation 1 MiB up: the free region between ends at it. */
    Out = Base + KB(1024);
    OutSize = 10000;
    CHECK_STATUS(Alloc((PVOID *)&Out, &OutSize, MEM_RESERVE | MEM_COMMIT, PAGE_EXECUTE_READ),
                 STATUS_SUCCESS);
    CHECK_EQ(Out, Base + KB(1024));
    CHECK_EQ(OutSize, 0x3000);
    CheckRegion(Out, Out, Out, 0x3000, MEM_COMMIT, PAGE_EXECUTE_READ);
    CHECK_STATUS(VmTouch(Out, FALSE, NULL), STATUS_SUCCESS);
    CHECK_STATUS(VmTouch(Out, TRUE, NULL), STATUS_ACCESS_VIOLATION);
    CheckRegion(Base + 0x12000, Base + 0x12000, NULL, KB(1024) - 0x12000, MEM_FREE,
                PAGE_NOACCESS);
    CHECK_STATUS(Free(Base, 0, MEM_RELEASE), STATUS_SUCCESS);
    CheckRegion(Base + 5, Base, NULL, KB(1024), MEM_FREE, PAGE_NOACCESS);
    CHECK_STATUS(Free(Out, 0, MEM_RELEASE), STATUS_SUCCESS);

    /* Caching modifiers are kept (here at the top of user space); MEM_RESET keeps the pages
     * committed. */
    Out = NULL;
    OutSize = KB(8);
    CHECK_STATUS(Alloc((PVOID *)&Out, &OutSize, MEM_COMMIT | MEM_TOP_DOWN,
                       PAGE_READWRITE | PAGE_NOCACHE),
                 STATUS_SUCCESS);
    CheckRegion(Out, Out, Out, KB(8), MEM_COMMIT, PAGE_READWRITE | PAGE_NOCACHE);
    Out[0] = 1;
    Base = Out;
    OutSize = KB(8);
    CHECK_STATUS(Alloc((PVOID *)&Out, &OutSize, MEM_RESET, PAGE_READWRITE), STATUS_SUCCESS);
    CheckRegion(Base, Base, Base, KB(8), MEM_COMMIT, PAGE_READWRITE | PAGE_NOCACHE);
    CHECK_STATUS(VmTouch(Base, TRUE, NULL), STATUS_SUCCESS);
    CHECK_STATUS(Free(Base, 0, MEM_RELEASE), STATUS_SUCCESS);
    Out = Base;
    OutSize = KB(8);
    CHECK_STATUS(Alloc((PVOID *)&Out, &OutSize, MEM_RESET, PAGE_READWRITE),
                 STATUS_CONFLICTING_ADDRESSES);
}

/* Where the kernel chooses: below what ZeroBits allows, or as high as possible. */
static void TestPlacement(void)
{
    static const struct {
        ULONG_PTR ZeroBits, Limit;
    } Cases[] = {
        { 1, 0x80000000ULL }, { 12, 0x100000ULL }, { 0x3FFFFFFFFULL, 0x400000000ULL },
        { 0xFFFFFFFFULL, 0x100000000ULL },
    };
    PVOID Base, High;
    SIZE_T Size;
    ULONG i;
    for (i = 0; i < RTL_NUMBER_OF(Cases); i++) {
        Base = NULL;
        Size = KB(64);
        CHECK_STATUS(ZwAllocateVirtualMemory(NtCurrentProcess(), &Base, Cases[i].ZeroBits, &Size,
                                             MEM_RESERVE | MEM_COMMIT, PAGE_READWRITE),
                     STATUS_SUCCESS);
        CHECK(Base != NULL && (ULONG_PTR)Base + Size <= Cases[i].Limit);
        CHECK(((ULONG_PTR)Base & 0xFFFF) == 0 && Base >= MM_LOWEST_USER_ADDRESS);
        CHECK_STATUS(VmTouch(Base, TRUE, NULL), STATUS_SUCCESS);
        CHECK_STATUS(Free(Base, 0, MEM_RELEASE), STATUS_SUCCESS);
    }
    Base = NULL;
    Size = KB(64);
    CHECK_STATUS(ZwAllocateVirtualMemory(NtCurrentProcess(), &Base, 16, &Size, MEM_RESERVE,
                                         PAGE_READWRITE),
                 STATUS_NO_MEMORY); /* nothing lies below 64 KiB */
    CHECK_STATUS(ZwAllocateVirtualMemory(NtCurrentProcess(), &Base, 25, &Size, MEM_RESERVE,
                                         PAGE_READWRITE),
                 STATUS_INVALID_PARAMETER_3);
    /* MEM_TOP_DOWN: the top of user space, then just below. */
    CHECK_STATUS(Alloc(&Base, &Size, MEM_RESERVE | MEM_TOP_DOWN, PAGE_READWRITE), STATUS_SUCCESS);
    CHECK_EQ(Base, MmUserProbeAddress - KB(64));
    High = NULL;
    CHECK_STATUS(Alloc(&High, &Size, MEM_RESERVE | MEM_TOP_DOWN, PAGE_READWRITE), STATUS_SUCCESS);
    CHECK_EQ(High, MmUserProbeAddress - KB(128));
    CHECK_STATUS(Free(Base, 0, MEM_RELEASE), STATUS_SUCCESS);
    CHECK_STATUS(Free(High, 0, MEM_RELEASE), STATUS_SUCCESS);
}

/* Every documented parameter error, and the queries' own. */
static void TestErrors(void)
{
    static const ULONG BadProtections[] = {
        0, PAGE_READWRITE | PAGE_READONLY, PAGE_WRITECOPY, PAGE_EXECUTE_WRITECOPY,
        PAGE_NOACCESS | PAGE_NOCACHE, PAGE_READWRITE | PAGE_NOCACHE | PAGE_WRITECOMBINE,
        0x800, PAGE_NOACCESS | PAGE_GUARD,
    };
    static const ULONG BadTypes[] = {
        0, MEM_DECOMMIT, MEM_RELEASE, MEM_RESET | MEM_COMMIT, MEM_TOP_DOWN, 0x10, MEM_FREE,
    };
    MEMORY_BASIC_INFORMATION Info;
    PVOID Base;
    SIZE_T Size, Returned;
    ULONG i, Old;

    for (i = 0; i < RTL_NUMBER_OF(BadProtections); i++) {
        Base = NULL;
        Size = KB(4);
        CHECK_STATUS(Alloc(&Base, &Size, MEM_RESERVE | MEM_COMMIT, BadProtections[i]),
                     STATUS_INVALID_PAGE_PROTECTION);
        CHECK_EQ(Base, NULL);
    }
    for (i = 0; i < RTL_NUMBER_OF(BadTypes); i++) {
        Base = NULL;
        Size = KB(4);
        CHECK_STATUS(Alloc(&Base, &Size, BadTypes[i], PAGE_READWRITE),
                     STATUS_INVALID_PARAMETER_5);
    }
    Base = NULL;
    Size = KB(4);
    /* A guard page in the kernel too: the first touch is STATUS_GUARD_PAGE_VIOLATION. */
    CHECK_STATUS(Alloc(&Base, &Size, MEM_COMMIT, PAGE_READWRITE | PAGE_GUARD), STATUS_SUCCESS);
    CHECK_STATUS(VmTouch(Base, FALSE, NULL), STATUS_GUARD_PAGE_VIOLATION);
    CHECK_STATUS(VmTouch(Base, TRUE, NULL), STATUS_SUCCESS);
    Size = 0;
    CHECK_STATUS(ZwFreeVirtualMemory(NtCurrentProcess(), &Base, &Size, MEM_RELEASE),
                 STATUS_SUCCESS);
    Base = NULL;
    Size = KB(4);
    CHECK_STATUS(ZwAllocateVirtualMemory(NtCurrentProcess(), &Base, 21, &Size, MEM_COMMIT,
                                         PAGE_READWRITE),
                 STATUS_INVALID_PARAMETER_3);
    Size = 0;
    CHECK_STATUS(Alloc(&Base, &Size, MEM_COMMIT, PAGE_READWRITE), STATUS_INVALID_PARAMETER_4);
    Size = MmUserProbeAddress;
    CHECK_STATUS(Alloc(&Base, &Size, MEM_RESERVE, PAGE_READWRITE), STATUS_INVALID_PARAMETER_4);
    Base = (PVOID)0x1000;
    Size = KB(4);
    CHECK_STATUS(Alloc(&Base, &Size, MEM_RESERVE, PAGE_READWRITE), STATUS_INVALID_PARAMETER_2);
    Base = MmSystemRangeStart;
    CHECK_STATUS(Alloc(&Base, &Size, MEM_RESERVE, PAGE_READWRITE), STATUS_INVALID_PARAMETER_2);
    Base = (PVOID)(MmUserProbeAddress - KB(64));
    Size = KB(128);
    CHECK_STATUS(Alloc(&Base, &Size, MEM_RESERVE, PAGE_READWRITE), STATUS_INVALID_PARAMETER_4);

    /* Queries: the user range only, a whole MEMORY_BASIC_INFORMATION, a known class. */
    CHECK_STATUS(Query(MmSystemRangeStart, &Info), STATUS_INVALID_PARAMETER);
    CHECK_STATUS(Query((PVOID)MmUserProbeAddress, &Info), STATUS_INVALID_PARAMETER);
    CHECK_STATUS(ZwQueryVirtualMemory(NtCurrentProcess(), (PVOID)FIXED_AREA,
                                      MemoryBasicInformation, &Info, sizeof(Info) - 1, &Returned),
                 STATUS_INFO_LENGTH_MISMATCH);
    CHECK_STATUS(ZwQueryVirtualMemory(NtCurrentProcess(), (PVOID)FIXED_AREA,
                                      (MEMORY_INFORMATION_CLASS)99, &Info, sizeof(Info),
                                      &Returned),
                 STATUS_INVALID_INFO_CLASS);
    /* The highest user page: free up to the end of user space. */
    CheckRegion((PVOID)((ULONG_PTR)MmHighestUserAddress - 5),
                (PVOID)((ULONG_PTR)MmHighestUserAddress & ~(ULONG_PTR)0xFFF), NULL, 0x1000,
                MEM_FREE, PAGE_NOACCESS);
    /* Protecting free memory, or with a bad protection. */
    Base = (PVOID)FIXED_AREA;
    Size = KB(4);
    CHECK_STATUS(ZwProtectVirtualMemory(NtCurrentProcess(), &Base, &Size, PAGE_READONLY, &Old),
                 STATUS_CONFLICTING_ADDRESSES);
    CHECK_STATUS(ZwProtectVirtualMemory(NtCurrentProcess(), &Base, &Size, PAGE_WRITECOPY, &Old),
                 STATUS_INVALID_PAGE_PROTECTION);
    CHECK_STATUS(Free(MmSystemRangeStart, 0, MEM_RELEASE), STATUS_INVALID_PARAMETER_2);
}

/* ---- system threads racing on the System process's address space ---- */

#define RACE_THREADS 4
#define RACE_ITERATIONS 1500
#define RACE_FIXED (FIXED_AREA + 0x40000000ULL)
static volatile LONG RaceFailures, RaceFixedWins, RaceFixedLosses;

static VOID RaceThread(PVOID Context)
{
    UCHAR Id = (UCHAR)(ULONG_PTR)Context;
    ULONG i, Old;
    for (i = 0; i < RACE_ITERATIONS; i++) {
        PUCHAR Base = NULL, Page;
        SIZE_T Size = KB(128), PageSize = PAGE_SIZE;
        NTSTATUS Status;
        BOOLEAN Ok = TRUE;
        /* A private reservation: commit a page, use it, protect, decommit, release. */
        if (!NT_SUCCESS(Alloc((PVOID *)&Base, &Size, MEM_RESERVE, PAGE_READWRITE))) {
            InterlockedIncrement(&RaceFailures);
            continue;
        }
        Page = Base + (i % 32) * PAGE_SIZE;
        Ok &= NT_SUCCESS(Alloc((PVOID *)&Page, &PageSize, MEM_COMMIT, PAGE_READWRITE));
        if (Ok) {
            Page[0] = Id;
            Page[PAGE_SIZE - 1] = (UCHAR)i;
            Ok &= NT_SUCCESS(ZwProtectVirtualMemory(NtCurrentProcess(), (PVOID *)&Page,
                                                    &PageSize, PAGE_READONLY, &Old));
            Ok &= Old == PAGE_READWRITE && Page[0] == Id && Page[PAGE_SIZE - 1] == (UCHAR)i;
            Ok &= NT_SUCCESS(Free(Page, PAGE_SIZE, MEM_DECOMMIT));
            Ok &= VmTouch(Page, FALSE, NULL) == STATUS_ACCESS_VIOLATION;
        }
        Ok &= NT_SUCCESS(Free(Base, 0, MEM_RELEASE));
        /* One fixed address for everybody: whoever holds it sees only its own bytes. */
        Base = (PUCHAR)RACE_FIXED;
        Size = KB(64);
        Status = Alloc((PVOID *)&Base, &Size, MEM_RESERVE | MEM_COMMIT, PAGE_READWRITE);
        if (NT_SUCCESS(Status)) {
            ULONG j;
            InterlockedIncrement(&RaceFixedWins);
            for (j = 0; j < 16; j++)
                Base[j * PAGE_SIZE] = Id;
            for (j = 0; j < 16; j++)
                Ok &= Base[j * PAGE_SIZE] == Id;
            Ok &= NT_SUCCESS(Free(Base, 0, MEM_RELEASE));
        } else {
            InterlockedIncrement(&RaceFixedLosses);
            Ok &= Status == STATUS_CONFLICTING_ADDRESSES;
        }
        if (!Ok)
            InterlockedIncrement(&RaceFailures);
    }
    PsTerminateSystemThread(STATUS_SUCCESS);
}

static void TestRace(void)
{
    PVOID Threads[RACE_THREADS];
    LARGE_INTEGER Timeout;
    ULONG i;
    for (i = 0; i < RACE_THREADS; i++) {
        HANDLE Handle;
        Threads[i] = NULL;
        if (!NT_SUCCESS(PsCreateSystemThread(&Handle, THREAD_ALL_ACCESS, NULL, NULL, NULL,
                                             RaceThread, (PVOID)(ULONG_PTR)(i + 1)))) {
            CHECK(0);
            continue;
        }
        CHECK_STATUS(ObReferenceObjectByHandle(Handle, SYNCHRONIZE, *PsThreadType, KernelMode,
                                               &Threads[i], NULL),
                     STATUS_SUCCESS);
        ZwClose(Handle);
    }
    Timeout.QuadPart = -10LL * 1000 * 1000 * 300; /* only against a hang */
    for (i = 0; i < RACE_THREADS; i++) {
        if (Threads[i] == NULL)
            continue;
        CHECK_STATUS(KeWaitForSingleObject(Threads[i], Executive, KernelMode, FALSE, &Timeout),
                     STATUS_SUCCESS);
        ObDereferenceObject(Threads[i]);
    }
    CHECK_EQ(RaceFailures, 0);
    CHECK_EQ(RaceFixedWins + RaceFixedLosses, RACE_THREADS * RACE_ITERATIONS);
    CHECK(RaceFixedWins > 0);
    DbgPrint("kmtest_vm: race: %d threads x %d iterations, fixed address won %ld times\n",
             RACE_THREADS, RACE_ITERATIONS, RaceFixedWins);
}

/* ---- IOCTLs: the client's process ---- */

/* From the client's thread, the System process's address space through a handle to it: what
 * is allocated there is that process's, invisible to (and not freeable by) the client's. */
static ULONG VmForeign(void)
{
    int Before = NtkTestFailed;
    MEMORY_BASIC_INFORMATION Info;
    HANDLE System;
    PVOID Base = NULL;
    SIZE_T Size = KB(8);
    ULONG Old = 0;

    CHECK(PsGetCurrentProcess() != PsInitialSystemProcess);
    CHECK_STATUS(ObOpenObjectByPointer(PsInitialSystemProcess, OBJ_KERNEL_HANDLE, NULL,
                                       PROCESS_VM_OPERATION | PROCESS_QUERY_INFORMATION,
                                       *PsProcessType, KernelMode, &System),
                 STATUS_SUCCESS);
    if (NtkTestFailed != Before)
        return (ULONG)(NtkTestFailed - Before);
    CHECK_STATUS(ZwAllocateVirtualMemory(System, &Base, 0, &Size, MEM_RESERVE | MEM_COMMIT,
                                         PAGE_READWRITE),
                 STATUS_SUCCESS);
    CHECK_STATUS(ZwQueryVirtualMemory(System, Base, MemoryBasicInformation, &Info, sizeof(Info),
                                      NULL),
                 STATUS_SUCCESS);
    CHECK_EQ(Info.State, MEM_COMMIT);
    CHECK_EQ(Info.AllocationBase, Base);
    CHECK_EQ(Info.RegionSize, KB(8));
    CHECK_STATUS(Query(Base, &Info), STATUS_SUCCESS);
    CHECK_EQ(Info.State, MEM_FREE);
    CHECK_STATUS(Free(Base, 0, MEM_RELEASE), STATUS_MEMORY_NOT_ALLOCATED);
    /* One address space: the client's own thread reaches the pages. */
    CHECK_STATUS(VmTouch(Base, TRUE, NULL), STATUS_SUCCESS);
    CHECK_STATUS(ZwProtectVirtualMemory(System, &Base, &Size, PAGE_READONLY, &Old),
                 STATUS_SUCCESS);
    CHECK_EQ(Old, PAGE_READWRITE);
    CHECK_STATUS(VmTouch(Base, TRUE, NULL), STATUS_ACCESS_VIOLATION);
    Size = 0;
    CHECK_STATUS(ZwFreeVirtualMemory(System, &Base, &Size, MEM_RELEASE), STATUS_SUCCESS);
    CHECK_EQ(Size, KB(8));
    ZwClose(System);
    return (ULONG)(NtkTestFailed - Before);
}

static NTSTATUS VmShare(VMTEST_SHARED *Shared)
{
    PUCHAR Base = NULL;
    SIZE_T Size = VMTEST_SHARED_SIZE, i;
    NTSTATUS Status = Alloc((PVOID *)&Base, &Size, MEM_RESERVE | MEM_COMMIT, PAGE_READWRITE);
    if (!NT_SUCCESS(Status))
        return Status;
    /* A user address: it passes the probes a driver makes before touching it. */
    Status = ProbeWrite(Base, VMTEST_SHARED_SIZE);
    if (!NT_SUCCESS(Status))
        return Status;
    for (i = 0; i < VMTEST_SHARED_SIZE; i++)
        Base[i] = VMTEST_PATTERN(i);
    Shared->Address = (ULONG_PTR)Base;
    Shared->Size = Size;
    Shared->SystemAddress = (ULONG_PTR)SystemRegion;
    Shared->CallerIsSystem = PsGetCurrentProcess() == PsInitialSystemProcess;
    Shared->ForeignFailures = VmForeign();
    return STATUS_SUCCESS;
}

static VOID VmQuery(VMTEST_QUERY *Request)
{
    MEMORY_BASIC_INFORMATION Info;
    RtlZeroMemory(&Info, sizeof(Info));
    Request->Status = Query((PVOID)(ULONG_PTR)Request->Address, &Info);
    Request->State = Info.State;
    Request->Protect = Info.Protect;
    Request->Type = Info.Type;
    Request->RegionSize = Info.RegionSize;
    Request->ProbeStatus = ProbeWrite((PVOID)(ULONG_PTR)Request->Address, 1);
}

static NTSTATUS VmDeviceControl(PDEVICE_OBJECT DeviceObject, PIRP Irp)
{
    PIO_STACK_LOCATION Stack = IoGetCurrentIrpStackLocation(Irp);
    ULONG In = Stack->Parameters.DeviceIoControl.InputBufferLength;
    ULONG OutLength = Stack->Parameters.DeviceIoControl.OutputBufferLength;
    PVOID Buffer = Irp->AssociatedIrp.SystemBuffer;
    NTSTATUS Status = STATUS_INVALID_DEVICE_REQUEST;
    ULONG_PTR Information = 0;
    UNREFERENCED_PARAMETER(DeviceObject);

    switch (Stack->Parameters.DeviceIoControl.IoControlCode) {
    case IOCTL_VMTEST_SHARE:
        Status = STATUS_BUFFER_TOO_SMALL;
        if (OutLength >= sizeof(VMTEST_SHARED)) {
            Status = VmShare(Buffer);
            Information = NT_SUCCESS(Status) ? sizeof(VMTEST_SHARED) : 0;
        }
        break;
    case IOCTL_VMTEST_QUERY:
        Status = STATUS_BUFFER_TOO_SMALL;
        if (In >= sizeof(VMTEST_QUERY) && OutLength >= sizeof(VMTEST_QUERY)) {
            VmQuery(Buffer);
            Status = STATUS_SUCCESS;
            Information = sizeof(VMTEST_QUERY);
        }
        break;
    case IOCTL_VMTEST_REMEMBER:
        Status = STATUS_BUFFER_TOO_SMALL;
        if (In >= sizeof(ULONGLONG)) {
            RememberedAddress = (ULONG_PTR)*(ULONGLONG *)Buffer;
            Status = STATUS_SUCCESS;
        }
        break;
    }
    Irp->IoStatus.Status = Status;
    Irp->IoStatus.Information = Information;
    IoCompleteRequest(Irp, IO_NO_INCREMENT);
    return Status;
}

static NTSTATUS VmCreateClose(PDEVICE_OBJECT DeviceObject, PIRP Irp)
{
    UNREFERENCED_PARAMETER(DeviceObject);
    Irp->IoStatus.Status = STATUS_SUCCESS;
    Irp->IoStatus.Information = 0;
    IoCompleteRequest(Irp, IO_NO_INCREMENT);
    return STATUS_SUCCESS;
}

/* Unload runs after the client process has ended: whatever it left allocated is gone, so the
 * System process can reserve exactly that address. */
static VOID VmUnload(PDRIVER_OBJECT DriverObject)
{
    UNICODE_STRING Link = RTL_CONSTANT_STRING(L"\\??\\NtkVm");
    if (RememberedAddress != 0) {
        PVOID Base = (PVOID)RememberedAddress;
        SIZE_T Size = KB(64);
        BOOLEAN Unmapped = !MmIsAddressValid(Base);
        NTSTATUS Status = Alloc(&Base, &Size, MEM_RESERVE, PAGE_READWRITE);
        if (Unmapped && NT_SUCCESS(Status) && Base == (PVOID)RememberedAddress) {
            DbgPrint("kmtest_vm: the exited process's region was released\n");
        } else {
            DbgPrint("kmtest_vm: the exited process's region is still there (0x%08X)\n",
                     Status);
        }
        if (NT_SUCCESS(Status))
            Free(Base, 0, MEM_RELEASE);
    }
    if (SystemRegion != NULL)
        Free(SystemRegion, 0, MEM_RELEASE);
    IoDeleteSymbolicLink(&Link);
    IoDeleteDevice(DriverObject->DeviceObject);
    DbgPrint("kmtest_vm: unload\n");
}

NTSTATUS DriverEntry(PDRIVER_OBJECT DriverObject, PUNICODE_STRING RegistryPath)
{
    UNICODE_STRING Name = RTL_CONSTANT_STRING(L"\\Device\\NtkVm");
    UNICODE_STRING Link = RTL_CONSTANT_STRING(L"\\??\\NtkVm");
    SIZE_T Size = KB(4);
    NTSTATUS Status;
    int Failed;
    UNREFERENCED_PARAMETER(RegistryPath);

    CHECK(PsGetCurrentProcess() == PsInitialSystemProcess);
    DbgPrint("kmtest_vm: TestLifecycle\n");
    TestLifecycle();
    DbgPrint("kmtest_vm: TestFixed\n");
    TestFixed();
    DbgPrint("kmtest_vm: TestPlacement\n");
    TestPlacement();
    DbgPrint("kmtest_vm: TestErrors\n");
    TestErrors();
    DbgPrint("kmtest_vm: TestRace\n");
    TestRace();
    CHECK_STATUS(Alloc(&SystemRegion, &Size, MEM_RESERVE | MEM_COMMIT, PAGE_READWRITE),
                 STATUS_SUCCESS);
    Failed = NTK_TEST_SUMMARY();
    DbgPrint("kmtest_vm: %s\n", Failed ? "FAILED" : "all checks passed");
    if (Failed)
        return STATUS_UNSUCCESSFUL;

    DriverObject->DriverUnload = VmUnload;
    DriverObject->MajorFunction[IRP_MJ_CREATE] = VmCreateClose;
    DriverObject->MajorFunction[IRP_MJ_CLOSE] = VmCreateClose;
    DriverObject->MajorFunction[IRP_MJ_DEVICE_CONTROL] = VmDeviceControl;
    Status = IoCreateDevice(DriverObject, 0, &Name, FILE_DEVICE_UNKNOWN, 0, FALSE, &VmDevice);
    if (!NT_SUCCESS(Status))
        return Status;
    Status = IoCreateSymbolicLink(&Link, &Name);
    if (!NT_SUCCESS(Status))
        IoDeleteDevice(VmDevice);
    return Status;
}
