/* Page faults Windows never turns into exceptions, even inside __try: a bad system address at
 * PASSIVE_LEVEL (0x50 PAGE_FAULT_IN_NONPAGED_AREA) and any fault at DISPATCH_LEVEL (0xD1
 * DRIVER_IRQL_NOT_LESS_OR_EQUAL, the faulting code being the driver's). */
#include <ntddk.h>

static volatile LONG Sink;

NTSTATUS DriverEntry(PDRIVER_OBJECT DriverObject, PUNICODE_STRING RegistryPath)
{
    /* Past the end of the kernel's reserved system region: never mapped. */
    volatile LONG *Bad = (volatile LONG *)((ULONG_PTR)MmSystemRangeStart + 0xFFF0000000ULL);
    UNREFERENCED_PARAMETER(DriverObject);
    UNREFERENCED_PARAMETER(RegistryPath);
#ifdef AT_DISPATCH
    {
        KIRQL Old;
        KeRaiseIrql(DISPATCH_LEVEL, &Old);
        Bad = (volatile LONG *)0x20;
        __try {
            Sink = *Bad;
        } __except (EXCEPTION_EXECUTE_HANDLER) {
            DbgPrint("bug_pagefault: caught at DISPATCH_LEVEL (must not happen)\n");
        }
        KeLowerIrql(Old);
    }
#else
    __try {
        *Bad = 1;
        Sink = *Bad;
    } __except (EXCEPTION_EXECUTE_HANDLER) {
        DbgPrint("bug_pagefault: caught a bad system address (must not happen)\n");
    }
#endif
    return STATUS_SUCCESS;
}
