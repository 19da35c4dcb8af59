/* noentry: a driver module with no DriverEntry. Loading it must fail (ntk exits 2, naming
 * the driver and an NTSTATUS), as Windows fails to load an image without its entry point. */
#include <ntddk.h>

NTSTATUS NotDriverEntry(PDRIVER_OBJECT DriverObject, PUNICODE_STRING RegistryPath);

NTSTATUS NotDriverEntry(PDRIVER_OBJECT DriverObject, PUNICODE_STRING RegistryPath)
{
    UNREFERENCED_PARAMETER(DriverObject);
    UNREFERENCED_PARAMETER(RegistryPath);
    DbgPrint("noentry: NotDriverEntry must never be called\n");
    return STATUS_SUCCESS;
}
