/* bug_named: driver misuse of the named-object DDIs ends in the bug check Windows reports.
 * Built once per case (BUG_CASE); reaching "survived" is a failure.
 *   1: IoCreateNotificationEvent at DISPATCH_LEVEL (its contract is PASSIVE_LEVEL): 0xA.
 *   2: KeReleaseSemaphore past the maximum of a named semaphore: the raised
 *      STATUS_SEMAPHORE_LIMIT_EXCEEDED is not handled in DriverEntry, which runs in a
 *      system thread: 0x7E. */
#include "kmtest_sync.h"

NTSTATUS DriverEntry(PDRIVER_OBJECT DriverObject, PUNICODE_STRING RegistryPath)
{
    UNREFERENCED_PARAMETER(DriverObject);
    UNREFERENCED_PARAMETER(RegistryPath);
#if BUG_CASE == 1
    UNICODE_STRING name = RTL_CONSTANT_STRING(L"\\BaseNamedObjects\\NtkBugEvent");
    HANDLE handle;
    KIRQL old;
    KeRaiseIrql(DISPATCH_LEVEL, &old);
    DbgPrint("bug_named: IoCreateNotificationEvent at DISPATCH_LEVEL\n");
    IoCreateNotificationEvent(&name, &handle);
    KeLowerIrql(old);
#elif BUG_CASE == 2
    UNICODE_STRING name = RTL_CONSTANT_STRING(L"\\BaseNamedObjects\\NtkBugSemaphore");
    OBJECT_ATTRIBUTES oa;
    HANDLE handle;
    PVOID semaphore;
    InitializeObjectAttributes(&oa, &name, OBJ_KERNEL_HANDLE, NULL, NULL);
    if (!NT_SUCCESS(ZwCreateSemaphore(&handle, SEMAPHORE_ALL_ACCESS, &oa, 1, 1)) ||
        !NT_SUCCESS(ObReferenceObjectByHandle(handle, SEMAPHORE_MODIFY_STATE,
                                              *ExSemaphoreObjectType, KernelMode, &semaphore,
                                              NULL))) {
        DbgPrint("bug_named: setup failed\n");
        return STATUS_UNSUCCESSFUL;
    }
    DbgPrint("bug_named: KeReleaseSemaphore past the maximum\n");
    KeReleaseSemaphore(semaphore, IO_NO_INCREMENT, 1, FALSE);
#endif
    DbgPrint("bug_named: survived\n");
    return STATUS_UNSUCCESSFUL;
}
