/* badfilter: a filter that attaches over Zero (samples/zero, DO_DIRECT_IO) and forgets to copy
 * the buffering flag to its own device. The I/O manager's check after DriverEntry stops the
 * kernel with 0xC9, 0x244. */
#include <ntddk.h>

static PFILE_OBJECT ZeroFile;

NTSTATUS DriverEntry(PDRIVER_OBJECT DriverObject, PUNICODE_STRING RegistryPath)
{
    UNICODE_STRING ZeroName = RTL_CONSTANT_STRING(L"\\Device\\Zero");
    PDEVICE_OBJECT Zero, Filter;
    NTSTATUS Status;
    UNREFERENCED_PARAMETER(RegistryPath);
    Status = IoGetDeviceObjectPointer(&ZeroName, FILE_READ_DATA, &ZeroFile, &Zero);
    if (!NT_SUCCESS(Status))
        return Status;
    Status = IoCreateDevice(DriverObject, 0, NULL, Zero->DeviceType, 0, FALSE, &Filter);
    if (!NT_SUCCESS(Status))
        return Status;
    if (IoAttachDeviceToDeviceStack(Filter, Zero) == NULL)
        return STATUS_NO_SUCH_DEVICE;
    /* Missing: Filter->Flags |= Zero->Flags & (DO_BUFFERED_IO | DO_DIRECT_IO); */
    return STATUS_SUCCESS;
}
