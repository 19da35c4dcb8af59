/* The version ntk reports, and system routine lookup. ntk presents itself as Windows 10 x64
 * (build 19045, the last Windows 10 release), the kernel the book's samples target. */
#include "ntkp.h"
#include "../vf/vfddi.h"
#include <dlfcn.h>
#include <string.h>

#define NTK_MAJOR_VERSION 10
#define NTK_MINOR_VERSION 0
#define NTK_BUILD_NUMBER 19045

NTSTATUS RtlGetVersion(PRTL_OSVERSIONINFOW lpVersionInformation)
{
    ULONG Size = lpVersionInformation->dwOSVersionInfoSize;
    if (Size != sizeof(RTL_OSVERSIONINFOW) && Size != sizeof(RTL_OSVERSIONINFOEXW))
        return STATUS_INVALID_PARAMETER;
    lpVersionInformation->dwMajorVersion = NTK_MAJOR_VERSION;
    lpVersionInformation->dwMinorVersion = NTK_MINOR_VERSION;
    lpVersionInformation->dwBuildNumber = NTK_BUILD_NUMBER;
    lpVersionInformation->dwPlatformId = VER_PLATFORM_WIN32_NT;
    memset(lpVersionInformation->szCSDVersion, 0, sizeof(lpVersionInformation->szCSDVersion));
    if (Size == sizeof(RTL_OSVERSIONINFOEXW)) {
        PRTL_OSVERSIONINFOEXW Ex = (PRTL_OSVERSIONINFOEXW)lpVersionInformation;
        Ex->wServicePackMajor = 0;
        Ex->wServicePackMinor = 0;
        Ex->wSuiteMask = 0x100; /* VER_SUITE_SINGLEUSERTS */
        Ex->wProductType = VER_NT_WORKSTATION;
        Ex->wReserved = 0;
    }
    return STATUS_SUCCESS;
}

BOOLEAN PsGetVersion(PULONG MajorVersion, PULONG MinorVersion, PULONG BuildNumber,
                     PUNICODE_STRING CSDVersion)
{
    VF_CHECK_IRQL(PsGetVersion);
    if (MajorVersion)
        *MajorVersion = NTK_MAJOR_VERSION;
    if (MinorVersion)
        *MinorVersion = NTK_MINOR_VERSION;
    if (BuildNumber)
        *BuildNumber = NTK_BUILD_NUMBER;
    if (CSDVersion)
        CSDVersion->Length = 0;
    return FALSE; /* a free build */
}

/* Finds an exported kernel routine by name, as drivers do for optional DDIs. */
PVOID MmGetSystemRoutineAddress(PUNICODE_STRING SystemRoutineName)
{
    VF_CHECK_IRQL(MmGetSystemRoutineAddress);
    char Name[128];
    USHORT i, n = SystemRoutineName->Length / sizeof(WCHAR);
    Dl_info Self;
    void *Library;
    PVOID Address = NULL;
    if (n >= sizeof(Name))
        return NULL;
    for (i = 0; i < n; i++) {
        WCHAR c = SystemRoutineName->Buffer[i];
        if (c >= 0x80)
            return NULL;
        Name[i] = (char)c;
    }
    Name[n] = 0;
    if (!dladdr((PVOID)MmGetSystemRoutineAddress, &Self))
        return NULL;
    Library = dlopen(Self.dli_fname, RTLD_NOW | RTLD_NOLOAD);
    if (Library) {
        Address = dlsym(Library, Name);
        dlclose(Library);
    }
    return Address;
}
