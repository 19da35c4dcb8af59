/* leaky: allocates pool with tag 'kaeL' ("Leak") in DriverEntry and never frees it. Driver
 * Verifier's pool tracking catches this at unload: bugcheck 0xC4
 * (DRIVER_VERIFIER_DETECTED_VIOLATION) with parameter 1 = 0x62, naming the tag. */
#include <ntddk.h>

static PVOID Leaked;

static VOID LeakyUnload(PDRIVER_OBJECT DriverObject)
{
    UNREFERENCED_PARAMETER(DriverObject);
    DbgPrint("leaky: unloading without freeing %p\n", Leaked);
}

NTSTATUS DriverEntry(PDRIVER_OBJECT DriverObject, PUNICODE_STRING RegistryPath)
{
    UNREFERENCED_PARAMETER(RegistryPath);
    DriverObject->DriverUnload = LeakyUnload;
    Leaked = ExAllocatePool2(POOL_FLAG_NON_PAGED, 100, 'kaeL');
    if (Leaked == NULL)
        return STATUS_INSUFFICIENT_RESOURCES;
    DbgPrint("leaky: allocated 100 bytes of non-paged pool\n"); /* the tag is for ntk to name */
    return STATUS_SUCCESS;
}
