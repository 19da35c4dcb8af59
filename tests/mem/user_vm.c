/* user_vm: the VirtualAlloc family from a user program: GetSystemInfo, the page states and their
 * queries, touching reserved memory (an access violation its own __try catches), protections,
 * every documented failure with its Win32 error, and threads racing on the address space.
 * With the kmtest_vm driver loaded (argument "driver"), also memory a driver allocates in this
 * process. Exits 0 when all checks passed. */
#include <windows.h>
#include <winioctl.h>
#include <ntk/ntapi.h>
#include <string.h>
#include "../ntktest.h"
#include "vm_ioctl.h"
#include "vm_touch.h"

#define KB(n) ((SIZE_T)(n) * 1024)
#define FIXED_AREA 0x5A0000000000ULL

#define CHECK_FAILS_WITH(call, error)                                                             \
    do {                                                                                          \
        SetLastError(0);                                                                          \
        CHECK(!(call));                                                                           \
        CHECK_EQ(GetLastError(), (error));                                                        \
    } while (0)

static SYSTEM_INFO Info;

static void CheckRegion(LPCVOID Address, LPCVOID Base, LPCVOID AllocationBase, SIZE_T Size,
                        DWORD State, DWORD Protect)
{
    MEMORY_BASIC_INFORMATION Mbi;
    CHECK_EQ(VirtualQuery(Address, &Mbi, sizeof(Mbi)), sizeof(Mbi));
    CHECK_EQ(Mbi.BaseAddress, Base);
    CHECK_EQ(Mbi.AllocationBase, AllocationBase);
    CHECK_EQ(Mbi.RegionSize, Size);
    CHECK_EQ(Mbi.State, State);
    CHECK_EQ(Mbi.Protect, Protect);
    CHECK_EQ(Mbi.Type, State == MEM_FREE ? 0 : MEM_PRIVATE);
}

static void TestSystemInfo(void)
{
    SYSTEM_INFO Native;
    GetSystemInfo(&Info);
    CHECK_EQ(Info.wProcessorArchitecture, PROCESSOR_ARCHITECTURE_AMD64);
    CHECK_EQ(Info.dwPageSize, 4096);
    CHECK_EQ(Info.dwAllocationGranularity, 65536);
    CHECK_EQ(Info.lpMinimumApplicationAddress, 0x10000);
    CHECK_EQ(Info.lpMaximumApplicationAddress, 0x6FFFFFFEFFFFULL);
    CHECK(Info.dwNumberOfProcessors >= 1);
    CHECK_EQ(Info.dwActiveProcessorMask, Info.dwNumberOfProcessors >= 64
                                             ? ~0ULL
                                             : (1ULL << Info.dwNumberOfProcessors) - 1);
    CHECK_EQ(Info.dwProcessorType, PROCESSOR_AMD_X8664);
    CHECK(Info.wProcessorLevel >= 6);
    GetNativeSystemInfo(&Native);
    CHECK(memcmp(&Native, &Info, sizeof(Info)) == 0);
    printf("user_vm: %lu processors, page %lu, granularity %lu\n",
           (unsigned long)Info.dwNumberOfProcessors, (unsigned long)Info.dwPageSize,
           (unsigned long)Info.dwAllocationGranularity);
}

static void TestStates(void)
{
    PUCHAR Base = VirtualAlloc(NULL, KB(1024), MEM_RESERVE, PAGE_READWRITE), Page;
    MEMORY_BASIC_INFORMATION Mbi;
    DWORD Old = 0;
    UCHAR Byte = 1;

    CHECK(Base != NULL);
    if (Base == NULL)
        return;
    CHECK(((ULONG_PTR)Base & 0xFFFF) == 0);
    CHECK_EQ(VirtualQuery(Base + 7, &Mbi, sizeof(Mbi)), sizeof(Mbi));
    CHECK_EQ(Mbi.AllocationProtect, PAGE_READWRITE);
    CheckRegion(Base + 7, Base, Base, KB(1024), MEM_RESERVE, 0);

    /* Reserved memory faults, and this program's __try sees the access violation. */
    CHECK_EQ(VmTouch(Base + 0x1234, FALSE, NULL), STATUS_ACCESS_VIOLATION);
    CHECK_EQ(VmFaultAddress, (ULONG_PTR)(Base + 0x1234));
    CHECK_EQ(VmTouch(Base + KB(900), TRUE, NULL), STATUS_ACCESS_VIOLATION);

    /* Commit part of it: whole pages, zero-filled, usable. */
    Page = VirtualAlloc(Base + KB(64) + 100, 5000, MEM_COMMIT, PAGE_READWRITE);
    CHECK_EQ(Page, Base + KB(64));
    CheckRegion(Base, Base, Base, KB(64), MEM_RESERVE, 0);
    CheckRegion(Base + KB(64), Base + KB(64), Base, 0x2000, MEM_COMMIT, PAGE_READWRITE);
    CheckRegion(Base + KB(72), Base + KB(72), Base, KB(1024 - 72), MEM_RESERVE, 0);
    CHECK_EQ(VmTouch(Page + 0x1FFF, FALSE, &Byte), 0);
    CHECK_EQ(Byte, 0);
    memset(Page, 0xAB, 0x2000);
    /* Again: committed pages commit again without complaint and keep their data. */
    CHECK_EQ(VirtualAlloc(Page, 0x2000, MEM_COMMIT, PAGE_READWRITE), Page);
    CHECK_EQ(Page[0x1FFF], 0xAB);

    /* Protections. */
    CHECK(VirtualProtect(Page + 0x1000, 1, PAGE_READONLY, &Old));
    CHECK_EQ(Old, PAGE_READWRITE);
    CheckRegion(Page, Page, Base, 0x1000, MEM_COMMIT, PAGE_READWRITE);
    CheckRegion(Page + 0x1000, Page + 0x1000, Base, 0x1000, MEM_COMMIT, PAGE_READONLY);
    CHECK_EQ(VmTouch(Page + 0x1000, FALSE, &Byte), 0);
    CHECK_EQ(Byte, 0xAB);
    CHECK_EQ(VmTouch(Page + 0x1000, TRUE, NULL), STATUS_ACCESS_VIOLATION);
    CHECK(VirtualProtect(Page, 0x2000, PAGE_NOACCESS, &Old));
    CHECK_EQ(Old, PAGE_READWRITE); /* the first page's */
    CHECK_EQ(VmTouch(Page, FALSE, NULL), STATUS_ACCESS_VIOLATION);
    CHECK(VirtualProtect(Page, 0x2000, PAGE_EXECUTE_READWRITE, &Old));
    CHECK_EQ(Old, PAGE_NOACCESS);
    CheckRegion(Page, Page, Base, 0x2000, MEM_COMMIT, PAGE_EXECUTE_READWRITE);
    CHECK_EQ(VmTouch(Page, TRUE, NULL), 0);
    /* Reserved pages take no protection; the old protection must have somewhere to go. */
    CHECK_FAILS_WITH(VirtualProtect(Base, 0x1000, PAGE_READONLY, &Old), ERROR_INVALID_ADDRESS);
    CHECK_FAILS_WITH(VirtualProtect(Page + 0x1000, 0x2000, PAGE_READONLY, &Old),
                     ERROR_INVALID_ADDRESS);
    CHECK_FAILS_WITH(VirtualProtect(Page, 0x1000, PAGE_READONLY, NULL), ERROR_NOACCESS);
    CheckRegion(Page, Page, Base, 0x2000, MEM_COMMIT, PAGE_EXECUTE_READWRITE);
    CHECK_FAILS_WITH(VirtualProtect(Page, 0x1000, PAGE_WRITECOPY, &Old), ERROR_INVALID_PARAMETER);

    /* Decommit a page: reserved again, faults, zero when committed again. */
    CHECK(VirtualFree(Page, 0x1000, MEM_DECOMMIT));
    CheckRegion(Page, Page, Base, 0x1000, MEM_RESERVE, 0);
    CHECK_EQ(VmTouch(Page, FALSE, NULL), STATUS_ACCESS_VIOLATION);
    CHECK_EQ(VirtualAlloc(Page, 1, MEM_COMMIT, PAGE_READWRITE), Page);
    CHECK_EQ(Page[0], 0);
    CHECK_EQ(Page[0x1000], 0xAB);
    CHECK_FAILS_WITH(VirtualFree(Base + KB(1020), 0x2000, MEM_DECOMMIT),
                     ERROR_INVALID_PARAMETER);

    /* Releasing: size 0, at the base. */
    CHECK_FAILS_WITH(VirtualFree(Base, KB(1024), MEM_RELEASE), ERROR_INVALID_PARAMETER);
    CHECK_FAILS_WITH(VirtualFree(Base + KB(64), 0, MEM_RELEASE), ERROR_INVALID_ADDRESS);
    CHECK_FAILS_WITH(VirtualFree(Base, 0, MEM_RELEASE | MEM_DECOMMIT), ERROR_INVALID_PARAMETER);
    CHECK_FAILS_WITH(VirtualFree(Base, 0, 0), ERROR_INVALID_PARAMETER);
    CHECK(VirtualFree(Base, 0, MEM_RELEASE));
    CHECK_EQ(VirtualQuery(Base + KB(64), &Mbi, sizeof(Mbi)), sizeof(Mbi));
    CHECK_EQ(Mbi.State, MEM_FREE);
    CHECK_EQ(Mbi.AllocationBase, NULL);
    CHECK_EQ(VmTouch(Base + KB(64), FALSE, NULL), STATUS_ACCESS_VIOLATION);
    CHECK_FAILS_WITH(VirtualFree(Base, 0, MEM_RELEASE), ERROR_INVALID_ADDRESS);
    CHECK_FAILS_WITH(VirtualFree(Base, 0x1000, MEM_DECOMMIT), ERROR_INVALID_ADDRESS);
    /* Committing memory nobody reserved. */
    CHECK_FAILS_WITH(VirtualAlloc(Base, 0x1000, MEM_COMMIT, PAGE_READWRITE) != NULL,
                     ERROR_INVALID_ADDRESS);
}

static void TestFixedAndFree(void)
{
    PUCHAR Base = VirtualAlloc((PVOID)(FIXED_AREA + 0x4321), KB(64), MEM_RESERVE | MEM_COMMIT,
                               PAGE_READONLY);
    PUCHAR Second;
    CHECK_EQ(Base, FIXED_AREA); /* rounded down to the allocation granularity */
    CheckRegion(Base, Base, Base, 0x15000, MEM_COMMIT, PAGE_READONLY);
    CHECK_EQ(VmTouch(Base + 0x14FFF, FALSE, NULL), 0);
    CHECK_EQ(VmTouch(Base + 0x15000, FALSE, NULL), STATUS_ACCESS_VIOLATION);
    CHECK_FAILS_WITH(VirtualAlloc(Base + KB(64), KB(64), MEM_RESERVE, PAGE_READWRITE) != NULL,
                     ERROR_INVALID_ADDRESS);
    Second = VirtualAlloc(Base + KB(1024), 1, MEM_RESERVE, PAGE_NOACCESS);
    CHECK_EQ(Second, Base + KB(1024));
    /* A free region reaches to the next reservation. */
    CheckRegion(Base + 0x15000, Base + 0x15000, NULL, KB(1024) - 0x15000, MEM_FREE,
                PAGE_NOACCESS);
    CHECK(VirtualFree(Base, 0, MEM_RELEASE));
    CheckRegion(Base, Base, NULL, KB(1024), MEM_FREE, PAGE_NOACCESS);
    CheckRegion(Second, Second, Second, 0x1000, MEM_RESERVE, 0);
    CHECK(VirtualFree(Second, 0, MEM_RELEASE));
    /* MEM_TOP_DOWN: as high as user space goes. */
    Base = VirtualAlloc(NULL, KB(64), MEM_RESERVE | MEM_TOP_DOWN, PAGE_READWRITE);
    CHECK_EQ(Base, 0x6FFFFFFF0000ULL - KB(64));
    CHECK(VirtualFree(Base, 0, MEM_RELEASE));
    /* MEM_COMMIT without an address reserves too; MEM_RESET keeps the pages committed. */
    Base = VirtualAlloc(NULL, 10000, MEM_COMMIT, PAGE_READWRITE | PAGE_WRITECOMBINE);
    CHECK(Base != NULL);
    CheckRegion(Base, Base, Base, 0x3000, MEM_COMMIT, PAGE_READWRITE | PAGE_WRITECOMBINE);
    CHECK_EQ(VirtualAlloc(Base, 0x3000, MEM_RESET, PAGE_NOACCESS), Base);
    CheckRegion(Base, Base, Base, 0x3000, MEM_COMMIT, PAGE_READWRITE | PAGE_WRITECOMBINE);
    CHECK(VirtualFree(Base, 0, MEM_RELEASE));
}

static void TestErrors(void)
{
    static const DWORD BadProtections[] = {
        0, PAGE_READONLY | PAGE_READWRITE, PAGE_WRITECOPY, PAGE_EXECUTE_WRITECOPY,
        PAGE_NOACCESS | PAGE_NOCACHE, PAGE_READWRITE | PAGE_NOCACHE | PAGE_WRITECOMBINE, 0x1000,
    };
    static const DWORD BadTypes[] = { 0, MEM_DECOMMIT, MEM_RELEASE, MEM_RESET | MEM_COMMIT,
                                      MEM_TOP_DOWN };
    MEMORY_BASIC_INFORMATION Mbi;
    DWORD Old;
    size_t i;
    for (i = 0; i < sizeof(BadProtections) / sizeof(BadProtections[0]); i++)
        CHECK_FAILS_WITH(VirtualAlloc(NULL, KB(4), MEM_COMMIT, BadProtections[i]) != NULL,
                         ERROR_INVALID_PARAMETER);
    for (i = 0; i < sizeof(BadTypes) / sizeof(BadTypes[0]); i++)
        CHECK_FAILS_WITH(VirtualAlloc(NULL, KB(4), BadTypes[i], PAGE_READWRITE) != NULL,
                         ERROR_INVALID_PARAMETER);
    CHECK_FAILS_WITH(VirtualAlloc(NULL, 0, MEM_COMMIT, PAGE_READWRITE) != NULL,
                     ERROR_INVALID_PARAMETER);
    CHECK_FAILS_WITH(VirtualAlloc((PVOID)0x1000, KB(4), MEM_RESERVE, PAGE_READWRITE) != NULL,
                     ERROR_INVALID_PARAMETER);
    CHECK_FAILS_WITH(VirtualAlloc((PVOID)0x700000000000ULL, KB(4), MEM_RESERVE,
                                  PAGE_READWRITE) != NULL,
                     ERROR_INVALID_PARAMETER);
    CHECK_FAILS_WITH(VirtualAlloc(NULL, (SIZE_T)1 << 60, MEM_RESERVE, PAGE_READWRITE) != NULL,
                     ERROR_INVALID_PARAMETER);
    /* Guard pages: the first touch raises STATUS_GUARD_PAGE_VIOLATION and takes the guard
     * away (the access itself did not happen); the next touch works. */
    {
        PUCHAR Guard = VirtualAlloc(NULL, KB(8), MEM_COMMIT, PAGE_READWRITE | PAGE_GUARD);
        DWORD Old = 0;
        unsigned char Value = 0xEE;
        CHECK(Guard != NULL);
        if (Guard) {
            CheckRegion(Guard, Guard, Guard, KB(8), MEM_COMMIT, PAGE_READWRITE | PAGE_GUARD);
            CHECK_EQ(VmTouch(Guard + 10, TRUE, &Value), STATUS_GUARD_PAGE_VIOLATION);
            CHECK_EQ(VmFaultAddress, (ULONG_PTR)(Guard + 10));
            CheckRegion(Guard, Guard, Guard, KB(4), MEM_COMMIT, PAGE_READWRITE);
            CheckRegion(Guard + KB(4), Guard + KB(4), Guard, KB(4), MEM_COMMIT,
                        PAGE_READWRITE | PAGE_GUARD);
            CHECK_EQ(Guard[10], 0); /* the write that faulted did not happen */
            CHECK_EQ(VmTouch(Guard + 10, TRUE, &Value), 0);
            CHECK_EQ(Guard[10], 0xEE);
            /* A read of the second page: the same, once. */
            CHECK_EQ(VmTouch(Guard + KB(4), FALSE, NULL), STATUS_GUARD_PAGE_VIOLATION);
            CHECK_EQ(VmTouch(Guard + KB(4), FALSE, NULL), 0);
            /* VirtualProtect puts the guard back and reports the protection it replaces. */
            CHECK(VirtualProtect(Guard, KB(4), PAGE_READONLY | PAGE_GUARD, &Old));
            CHECK_EQ(Old, PAGE_READWRITE);
            CHECK_EQ(VmTouch(Guard + 10, FALSE, NULL), STATUS_GUARD_PAGE_VIOLATION);
            CHECK_EQ(VmTouch(Guard + 10, FALSE, &Value), 0);
            CHECK_EQ(Value, 0xEE);
            CHECK_EQ(VmTouch(Guard + 10, TRUE, NULL), STATUS_ACCESS_VIOLATION); /* read-only */
            /* No guard on PAGE_NOACCESS, nor two modifiers. */
            CHECK_FAILS_WITH(VirtualProtect(Guard, KB(4), PAGE_NOACCESS | PAGE_GUARD, &Old),
                             ERROR_INVALID_PARAMETER);
            CHECK_FAILS_WITH(VirtualProtect(Guard, KB(4), PAGE_READWRITE | PAGE_GUARD |
                                                              PAGE_NOCACHE,
                                            &Old),
                             ERROR_INVALID_PARAMETER);
            CHECK(VirtualFree(Guard, 0, MEM_RELEASE));
        }
    }
    /* Queries. */
    CHECK_FAILS_WITH(VirtualQuery((PVOID)0x700000000000ULL, &Mbi, sizeof(Mbi)),
                     ERROR_INVALID_PARAMETER);
    CHECK_FAILS_WITH(VirtualQuery((PVOID)0x6FFFFFFF0000ULL, &Mbi, sizeof(Mbi)),
                     ERROR_INVALID_PARAMETER);
    CHECK_FAILS_WITH(VirtualQuery((PVOID)FIXED_AREA, &Mbi, sizeof(Mbi) - 1), ERROR_BAD_LENGTH);
    CHECK_FAILS_WITH(VirtualQuery((PVOID)FIXED_AREA, NULL, sizeof(Mbi)), ERROR_NOACCESS);
    CHECK_FAILS_WITH(VirtualQuery((PVOID)FIXED_AREA, (PVOID)0x700000001000ULL, sizeof(Mbi)),
                     ERROR_NOACCESS);
    CheckRegion((PVOID)0x6FFFFFFEFFFFULL, (PVOID)0x6FFFFFFEF000ULL, NULL, 0x1000, MEM_FREE,
                PAGE_NOACCESS);
    CHECK_FAILS_WITH(VirtualProtect((PVOID)FIXED_AREA, KB(4), PAGE_READONLY, &Old),
                     ERROR_INVALID_ADDRESS);
    CHECK_FAILS_WITH(VirtualFree((PVOID)FIXED_AREA, 0, MEM_RELEASE), ERROR_INVALID_ADDRESS);
    CHECK_FAILS_WITH(VirtualFree((PVOID)0x700000000000ULL, 0, MEM_RELEASE),
                     ERROR_INVALID_PARAMETER);
    /* A bad pointer for the kernel's results is the caller's problem, never the kernel's. */
    {
        PVOID Base = NULL;
        SIZE_T Size = KB(4);
        CHECK_EQ(NtAllocateVirtualMemory(NtCurrentProcess(), (PVOID *)0x700000000000ULL, 0,
                                         &Size, MEM_COMMIT, PAGE_READWRITE),
                 STATUS_ACCESS_VIOLATION);
        CHECK_EQ(NtAllocateVirtualMemory(NtCurrentProcess(), &Base, 0, NULL, MEM_COMMIT,
                                         PAGE_READWRITE),
                 STATUS_ACCESS_VIOLATION);
        CHECK_EQ(NtAllocateVirtualMemory((HANDLE)(ULONG_PTR)0x1234, &Base, 0, &Size, MEM_COMMIT,
                                         PAGE_READWRITE),
                 STATUS_INVALID_HANDLE);
        CHECK_EQ(Base, NULL);
    }
}

/* What the host maps for the program (its image, its stack) is memory too; walking the whole
 * user range region by region covers it exactly once. */
static const char ReadOnlyData[64] = "in the image's read-only data";

static void TestHostMappings(void)
{
    MEMORY_BASIC_INFORMATION Mbi;
    volatile int Local = 1;
    ULONG_PTR Address = 0x10000, Code = (ULONG_PTR)&TestHostMappings;
    unsigned Regions = 0, Committed = 0;
    BOOL Contiguous = TRUE;

    CHECK_EQ(VirtualQuery((PVOID)&Local, &Mbi, sizeof(Mbi)), sizeof(Mbi));
    CHECK_EQ(Mbi.State, MEM_COMMIT);
    CHECK_EQ(Mbi.Protect, PAGE_READWRITE);
    CHECK_EQ(Mbi.Type, MEM_PRIVATE);
    CHECK_FAILS_WITH(VirtualAlloc((PVOID)&Local, 4096, MEM_RESERVE, PAGE_READWRITE) != NULL,
                     ERROR_INVALID_ADDRESS);
    CHECK_EQ(VirtualQuery((PVOID)Code, &Mbi, sizeof(Mbi)), sizeof(Mbi));
    CHECK_EQ(Mbi.State, MEM_COMMIT);
    CHECK_EQ(Mbi.Protect, PAGE_EXECUTE_READ);
    CHECK_EQ(Mbi.Type, MEM_IMAGE);
    CHECK((ULONG_PTR)Mbi.AllocationBase <= Code && ((ULONG_PTR)Mbi.AllocationBase & 0xFFF) == 0);
    CHECK_EQ(VirtualQuery(ReadOnlyData, &Mbi, sizeof(Mbi)), sizeof(Mbi));
    CHECK_EQ(Mbi.State, MEM_COMMIT);
    CHECK_EQ(Mbi.Protect, PAGE_READONLY);
    CHECK_EQ(Mbi.Type, MEM_IMAGE);
    CHECK((ULONG_PTR)Mbi.AllocationBase <= Code);

    while (Address < 0x6FFFFFFF0000ULL && Regions < 100000) {
        if (VirtualQuery((PVOID)Address, &Mbi, sizeof(Mbi)) != sizeof(Mbi)) {
            CHECK(0);
            break;
        }
        Contiguous &= (ULONG_PTR)Mbi.BaseAddress == Address && Mbi.RegionSize > 0 &&
                      (Mbi.RegionSize & 0xFFF) == 0;
        if (Mbi.State == MEM_COMMIT)
            Committed++;
        Regions++;
        Address += Mbi.RegionSize;
    }
    CHECK(Contiguous);
    CHECK_EQ(Address, 0x6FFFFFFF0000ULL);
    CHECK(Committed >= 3);
}

/* ---- threads racing ---- */

#define RACE_THREADS 4
#define RACE_ITERATIONS 1500
static volatile LONG RaceFailures, RaceWins, RaceLosses;

static DWORD WINAPI RaceThread(LPVOID Parameter)
{
    UCHAR Id = (UCHAR)(ULONG_PTR)Parameter;
    PUCHAR Fixed = (PUCHAR)(FIXED_AREA + 0x80000000ULL);
    DWORD Old, i, j;
    for (i = 0; i < RACE_ITERATIONS; i++) {
        BOOL Ok = TRUE;
        PUCHAR Base = VirtualAlloc(NULL, KB(256), MEM_RESERVE, PAGE_NOACCESS), Page;
        if (Base == NULL) {
            __atomic_add_fetch(&RaceFailures, 1, __ATOMIC_SEQ_CST);
            continue;
        }
        Page = VirtualAlloc(Base + (i % 60) * 4096, 4096, MEM_COMMIT, PAGE_READWRITE);
        Ok &= Page == Base + (i % 60) * 4096;
        if (Ok) {
            Page[0] = Id;
            Ok &= VirtualProtect(Page, 1, PAGE_READONLY, &Old) && Old == PAGE_READWRITE;
            Ok &= Page[0] == Id;
            Ok &= VirtualFree(Page, 4096, MEM_DECOMMIT);
        }
        Ok &= VirtualFree(Base, 0, MEM_RELEASE);
        /* Everybody wants the same address; the holder sees only its own bytes. */
        Base = VirtualAlloc(Fixed, KB(64), MEM_RESERVE | MEM_COMMIT, PAGE_READWRITE);
        if (Base != NULL) {
            __atomic_add_fetch(&RaceWins, 1, __ATOMIC_SEQ_CST);
            for (j = 0; j < 16; j++)
                Base[j * 4096] = Id;
            for (j = 0; j < 16; j++)
                Ok &= Base[j * 4096] == Id;
            Ok &= VirtualFree(Base, 0, MEM_RELEASE);
        } else {
            MEMORY_BASIC_INFORMATION Mbi;
            __atomic_add_fetch(&RaceLosses, 1, __ATOMIC_SEQ_CST);
            Ok &= GetLastError() == ERROR_INVALID_ADDRESS;
            /* Another thread's reservation is this process's too: whole, or already gone. */
            Ok &= VirtualQuery(Fixed + 0x1000, &Mbi, sizeof(Mbi)) == sizeof(Mbi);
            Ok &= Mbi.State == MEM_FREE ||
                  (Mbi.State == MEM_COMMIT && Mbi.AllocationBase == Fixed &&
                   Mbi.RegionSize == KB(60) && Mbi.Protect == PAGE_READWRITE);
        }
        if (!Ok)
            __atomic_add_fetch(&RaceFailures, 1, __ATOMIC_SEQ_CST);
    }
    return 0;
}

static void TestRace(void)
{
    HANDLE Threads[RACE_THREADS];
    DWORD i;
    for (i = 0; i < RACE_THREADS; i++) {
        Threads[i] = CreateThread(NULL, 0, RaceThread, (LPVOID)(ULONG_PTR)(i + 1), 0, NULL);
        CHECK(Threads[i] != NULL);
    }
    /* The timeout only guards against a hang. */
    CHECK_EQ(WaitForMultipleObjects(RACE_THREADS, Threads, TRUE, 300000), WAIT_OBJECT_0);
    for (i = 0; i < RACE_THREADS; i++)
        CloseHandle(Threads[i]);
    CHECK_EQ(RaceFailures, 0);
    CHECK_EQ(RaceWins + RaceLosses, RACE_THREADS * RACE_ITERATIONS);
    CHECK(RaceWins > 0);
    printf("user_vm: race: %d threads x %d iterations, fixed address won %ld times\n",
           RACE_THREADS, RACE_ITERATIONS, (long)RaceWins);
}

/* ---- with kmtest_vm: memory a driver allocates in this process ---- */

static void TestDriver(void)
{
    HANDLE Device = CreateFileW(L"\\\\.\\NtkVm", GENERIC_READ | GENERIC_WRITE, 0, NULL,
                                OPEN_EXISTING, 0, NULL);
    VMTEST_SHARED Shared;
    VMTEST_QUERY Query;
    DWORD Returned = 0;
    PUCHAR Region;
    size_t i;
    BOOL Same = TRUE;

    CHECK(Device != INVALID_HANDLE_VALUE);
    if (Device == INVALID_HANDLE_VALUE)
        return;
    memset(&Shared, 0, sizeof(Shared));
    CHECK(DeviceIoControl(Device, IOCTL_VMTEST_SHARE, NULL, 0, &Shared, sizeof(Shared),
                          &Returned, NULL));
    CHECK_EQ(Returned, sizeof(Shared));
    CHECK_EQ(Shared.CallerIsSystem, 0);
    CHECK_EQ(Shared.ForeignFailures, 0);
    Region = (PUCHAR)(ULONG_PTR)Shared.Address;
    CHECK_EQ(Shared.Size, 0x5000);
    /* It is this process's memory: queryable, readable, and this process frees it. */
    CheckRegion(Region, Region, Region, 0x5000, MEM_COMMIT, PAGE_READWRITE);
    for (i = 0; i < VMTEST_SHARED_SIZE; i++)
        Same &= Region[i] == VMTEST_PATTERN(i);
    CHECK(Same);
    /* The System process's region is not in this process's address space. */
    CHECK(Shared.SystemAddress != 0);
    {
        MEMORY_BASIC_INFORMATION Mbi;
        PVOID System = (PVOID)(ULONG_PTR)Shared.SystemAddress;
        CHECK_EQ(VirtualQuery(System, &Mbi, sizeof(Mbi)), sizeof(Mbi));
        CHECK_EQ(Mbi.State, MEM_FREE);
        CHECK_EQ(Mbi.AllocationBase, NULL);
        /* ... but the address space is one: its pages are not this process's to take. */
        CHECK_FAILS_WITH(VirtualAlloc(System, 4096, MEM_RESERVE, PAGE_READWRITE) != NULL,
                         ERROR_INVALID_ADDRESS);
    }
    /* The driver's view of this process. */
    memset(&Query, 0, sizeof(Query));
    Query.Address = Shared.Address + 0x4000;
    CHECK(DeviceIoControl(Device, IOCTL_VMTEST_QUERY, &Query, sizeof(Query), &Query,
                          sizeof(Query), &Returned, NULL));
    CHECK_EQ(Query.Status, 0);
    CHECK_EQ(Query.State, MEM_COMMIT);
    CHECK_EQ(Query.Protect, PAGE_READWRITE);
    CHECK_EQ(Query.Type, MEM_PRIVATE);
    CHECK_EQ(Query.RegionSize, 0x1000);
    CHECK_EQ(Query.ProbeStatus, 0);
    CHECK(VirtualFree(Region, 0, MEM_RELEASE));
    Query.Address = Shared.Address;
    CHECK(DeviceIoControl(Device, IOCTL_VMTEST_QUERY, &Query, sizeof(Query), &Query,
                          sizeof(Query), &Returned, NULL));
    CHECK_EQ(Query.State, MEM_FREE);
    CHECK_EQ(Query.ProbeStatus, STATUS_ACCESS_VIOLATION);
    CloseHandle(Device);
}

int main(int argc, char **argv)
{
    TestSystemInfo();
    TestStates();
    TestFixedAndFree();
    TestErrors();
    TestHostMappings();
    TestRace();
    if (argc > 1 && strcmp(argv[1], "driver") == 0)
        TestDriver();
    printf("user_vm: %s\n", NtkTestFailed ? "some checks failed" : "all checks passed");
    return NTK_TEST_SUMMARY();
}
