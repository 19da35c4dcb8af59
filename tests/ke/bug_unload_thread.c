/* bug_unload_thread: unloading while a system thread of the driver still runs is bug check
 * 0xCE DRIVER_UNLOADED_WITHOUT_CANCELLING_PENDING_OPERATIONS. */
#include <ntddk.h>

static KEVENT Never;

static VOID Waiter(PVOID Context)
{
    UNREFERENCED_PARAMETER(Context);
    KeWaitForSingleObject(&Never, Executive, KernelMode, FALSE, NULL);
    PsTerminateSystemThread(STATUS_SUCCESS);
}

static VOID Unload(PDRIVER_OBJECT DriverObject)
{
    UNREFERENCED_PARAMETER(DriverObject);
    DbgPrint("bug_unload_thread: unloading with the thread still waiting\n");
}

NTSTATUS DriverEntry(PDRIVER_OBJECT DriverObject, PUNICODE_STRING RegistryPath)
{
    HANDLE handle;
    UNREFERENCED_PARAMETER(RegistryPath);
    KeInitializeEvent(&Never, NotificationEvent, FALSE);
    NTSTATUS status = PsCreateSystemThread(&handle, THREAD_ALL_ACCESS, NULL, NULL, NULL, Waiter,
                                           NULL);
    if (!NT_SUCCESS(status))
        return status;
    ZwClose(handle);
    DbgPrint("bug_unload_thread: thread started, start routine %p\n", (PVOID)Waiter);
    DriverObject->DriverUnload = Unload;
    return STATUS_SUCCESS;
}
