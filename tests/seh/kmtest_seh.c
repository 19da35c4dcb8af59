/* kmtest_seh: kernel-mode checks of structured exception handling (seh_cases.h), run from
 * DriverEntry: __try/__except/__finally, __leave, the two phases, ExRaiseStatus and the
 * ProbeFor* raises. Any failed check fails DriverEntry. */
#include <ntddk.h>
#include "../ntktest.h"

#define SEH_RAISE_STATUS(Status) ExRaiseStatus(Status)
#define SEH_KERNEL 1
#include "seh_cases.h"

NTSTATUS DriverEntry(PDRIVER_OBJECT DriverObject, PUNICODE_STRING RegistryPath)
{
    UNREFERENCED_PARAMETER(DriverObject);
    UNREFERENCED_PARAMETER(RegistryPath);
    SehRunAll();
    DbgPrint("kmtest_seh: %s\n", NtkTestFailed ? "some checks failed" : "all checks passed");
    return NTK_TEST_SUMMARY() ? STATUS_UNSUCCESSFUL : STATUS_SUCCESS;
}
