/* failentry: DriverEntry fails with STATUS_INSUFFICIENT_RESOURCES. The load fails (ntk exits
 * 2 and reports 0xC000009A), and, as on Windows, DriverUnload is never called for a driver
 * whose DriverEntry failed. */
#include <ntddk.h>

static VOID FailEntryUnload(PDRIVER_OBJECT DriverObject)
{
    UNREFERENCED_PARAMETER(DriverObject);
    DbgPrint("failentry: DriverUnload called\n");
}

NTSTATUS DriverEntry(PDRIVER_OBJECT DriverObject, PUNICODE_STRING RegistryPath)
{
    UNREFERENCED_PARAMETER(RegistryPath);
    DriverObject->DriverUnload = FailEntryUnload;
    DbgPrint("failentry: DriverEntry returns STATUS_INSUFFICIENT_RESOURCES\n");
    return STATUS_INSUFFICIENT_RESOURCES;
}
