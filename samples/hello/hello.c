/* The chapter 2 sample driver of "Windows Kernel Programming, 2nd ed.", in C.
 * DriverEntry prints its registry path and the OS version; DriverUnload says goodbye. */
#include <ntddk.h>

static VOID SampleUnload(_In_ PDRIVER_OBJECT DriverObject)
{
    UNREFERENCED_PARAMETER(DriverObject);
    KdPrint(("Sample driver Unload called\n"));
}

NTSTATUS DriverEntry(_In_ PDRIVER_OBJECT DriverObject, _In_ PUNICODE_STRING RegistryPath)
{
    DriverObject->DriverUnload = SampleUnload;

    KdPrint(("Sample driver: registry path %wZ\n", RegistryPath));

    RTL_OSVERSIONINFOW vi;
    RtlZeroMemory(&vi, sizeof(vi));
    vi.dwOSVersionInfoSize = sizeof(vi);
    NTSTATUS status = RtlGetVersion(&vi);
    if (!NT_SUCCESS(status)) {
        KdPrint(("Sample driver: RtlGetVersion failed (0x%08X)\n", status));
        return status;
    }
    KdPrint(("Windows version: %u.%u.%u\n", vi.dwMajorVersion, vi.dwMinorVersion,
             vi.dwBuildNumber));

    KdPrint(("Sample driver initialized successfully\n"));
    return STATUS_SUCCESS;
}
