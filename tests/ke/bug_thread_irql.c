/* bug_thread_irql: a system thread whose start routine returns at DISPATCH_LEVEL is caught (a
 * bug check; the test matches any STOP line). */
#include <ntddk.h>

static VOID BadThread(PVOID Context)
{
    KIRQL old;
    UNREFERENCED_PARAMETER(Context);
    DbgPrint("bug_thread_irql: returning from a system thread at DISPATCH_LEVEL\n");
    KeRaiseIrql(DISPATCH_LEVEL, &old); /* and never lowered */
}

NTSTATUS DriverEntry(PDRIVER_OBJECT DriverObject, PUNICODE_STRING RegistryPath)
{
    HANDLE handle;
    PVOID thread = NULL;
    UNREFERENCED_PARAMETER(DriverObject);
    UNREFERENCED_PARAMETER(RegistryPath);
    NTSTATUS status = PsCreateSystemThread(&handle, THREAD_ALL_ACCESS, NULL, NULL, NULL,
                                           BadThread, NULL);
    if (!NT_SUCCESS(status))
        return status;
    status = ObReferenceObjectByHandle(handle, SYNCHRONIZE, *PsThreadType, KernelMode, &thread,
                                       NULL);
    ZwClose(handle);
    if (!NT_SUCCESS(status))
        return status;
    KeWaitForSingleObject(thread, Executive, KernelMode, FALSE, NULL);
    ObDereferenceObject(thread);
    DbgPrint("bug_thread_irql: survived\n");
    return STATUS_UNSUCCESSFUL;
}
