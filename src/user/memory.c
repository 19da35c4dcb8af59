/* Virtual memory (VirtualAlloc and friends) over the Nt*VirtualMemory services, and
 * GetSystemInfo over NtQuerySystemInformation, as kernel32 builds them. */
#include "basep.h"

#include <cpuid.h>

WINBASEAPI LPVOID WINAPI VirtualAllocEx(HANDLE hProcess, LPVOID lpAddress, SIZE_T dwSize,
                                        DWORD flAllocationType, DWORD flProtect)
{
    PVOID Base = lpAddress;
    SIZE_T Size = dwSize;
    NTSTATUS Status = NtAllocateVirtualMemory(hProcess, &Base, 0, &Size, flAllocationType,
                                              flProtect);
    if (!NT_SUCCESS(Status)) {
        BasepSetLastNtError(Status);
        return NULL;
    }
    return Base;
}

WINBASEAPI LPVOID WINAPI VirtualAlloc(LPVOID lpAddress, SIZE_T dwSize, DWORD flAllocationType,
                                      DWORD flProtect)
{
    return VirtualAllocEx(NtCurrentProcess(), lpAddress, dwSize, flAllocationType, flProtect);
}

WINBASEAPI BOOL WINAPI VirtualFreeEx(HANDLE hProcess, LPVOID lpAddress, SIZE_T dwSize,
                                     DWORD dwFreeType)
{
    PVOID Base = lpAddress;
    SIZE_T Size = dwSize;
    NTSTATUS Status;
    /* Releasing takes the whole reservation: Win32 insists on a size of 0. */
    if ((dwFreeType & MEM_RELEASE) && dwSize != 0) {
        SetLastError(ERROR_INVALID_PARAMETER);
        return FALSE;
    }
    Status = NtFreeVirtualMemory(hProcess, &Base, &Size, dwFreeType);
    if (!NT_SUCCESS(Status)) {
        BasepSetLastNtError(Status);
        return FALSE;
    }
    return TRUE;
}

WINBASEAPI BOOL WINAPI VirtualFree(LPVOID lpAddress, SIZE_T dwSize, DWORD dwFreeType)
{
    return VirtualFreeEx(NtCurrentProcess(), lpAddress, dwSize, dwFreeType);
}

WINBASEAPI SIZE_T WINAPI VirtualQueryEx(HANDLE hProcess, LPCVOID lpAddress,
                                        PMEMORY_BASIC_INFORMATION lpBuffer, SIZE_T dwLength)
{
    SIZE_T Returned = 0;
    NTSTATUS Status = NtQueryVirtualMemory(hProcess, (PVOID)lpAddress, MemoryBasicInformation,
                                           lpBuffer, dwLength, &Returned);
    if (!NT_SUCCESS(Status)) {
        BasepSetLastNtError(Status);
        return 0;
    }
    return Returned;
}

WINBASEAPI SIZE_T WINAPI VirtualQuery(LPCVOID lpAddress, PMEMORY_BASIC_INFORMATION lpBuffer,
                                      SIZE_T dwLength)
{
    return VirtualQueryEx(NtCurrentProcess(), lpAddress, lpBuffer, dwLength);
}

WINBASEAPI BOOL WINAPI VirtualProtectEx(HANDLE hProcess, LPVOID lpAddress, SIZE_T dwSize,
                                        DWORD flNewProtect, PDWORD lpflOldProtect)
{
    PVOID Base = lpAddress;
    SIZE_T Size = dwSize;
    NTSTATUS Status = NtProtectVirtualMemory(hProcess, &Base, &Size, flNewProtect,
                                             (PULONG)lpflOldProtect);
    if (!NT_SUCCESS(Status)) {
        BasepSetLastNtError(Status);
        return FALSE;
    }
    return TRUE;
}

WINBASEAPI BOOL WINAPI VirtualProtect(LPVOID lpAddress, SIZE_T dwSize, DWORD flNewProtect,
                                      PDWORD lpflOldProtect)
{
    return VirtualProtectEx(NtCurrentProcess(), lpAddress, dwSize, flNewProtect, lpflOldProtect);
}

WINBASEAPI VOID WINAPI GetSystemInfo(LPSYSTEM_INFO lpSystemInfo)
{
    SYSTEM_BASIC_INFORMATION Basic;
    unsigned int Eax = 0, Ebx, Ecx, Edx, Family, Model;
    NTSTATUS Status = NtQuerySystemInformation(SystemBasicInformation, &Basic, sizeof(Basic),
                                               NULL);
    memset(lpSystemInfo, 0, sizeof(*lpSystemInfo));
    if (!NT_SUCCESS(Status)) {
        BasepSetLastNtError(Status);
        return;
    }
    lpSystemInfo->wProcessorArchitecture = PROCESSOR_ARCHITECTURE_AMD64;
    lpSystemInfo->dwPageSize = Basic.PageSize;
    lpSystemInfo->lpMinimumApplicationAddress = (LPVOID)Basic.MinimumUserModeAddress;
    lpSystemInfo->lpMaximumApplicationAddress = (LPVOID)Basic.MaximumUserModeAddress;
    lpSystemInfo->dwActiveProcessorMask = Basic.ActiveProcessorsAffinityMask;
    lpSystemInfo->dwNumberOfProcessors = (DWORD)(UCHAR)Basic.NumberOfProcessors;
    lpSystemInfo->dwProcessorType = PROCESSOR_AMD_X8664;
    lpSystemInfo->dwAllocationGranularity = Basic.AllocationGranularity;
    /* Level is the processor family, revision the model and stepping, from CPUID leaf 1. */
    if (__get_cpuid(1, &Eax, &Ebx, &Ecx, &Edx)) {
        Family = (Eax >> 8) & 0xF;
        Model = (Eax >> 4) & 0xF;
        if (Family == 0xF)
            Family += (Eax >> 20) & 0xFF;
        if (Family >= 0x6)
            Model |= ((Eax >> 16) & 0xF) << 4;
        lpSystemInfo->wProcessorLevel = (WORD)Family;
        lpSystemInfo->wProcessorRevision = (WORD)((Model << 8) | (Eax & 0xF));
    }
}

WINBASEAPI VOID WINAPI GetNativeSystemInfo(LPSYSTEM_INFO lpSystemInfo)
{
    GetSystemInfo(lpSystemInfo); /* a 64-bit program sees the native system */
}
