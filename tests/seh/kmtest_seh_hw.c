/* kmtest_seh_hw: hardware exceptions in kernel mode (seh_hw_cases.h) — access violations with
 * their ExceptionInformation, division by zero, __finally during a fault's unwind and
 * EXCEPTION_CONTINUE_EXECUTION with a repaired context. Needs the fault path to dispatch
 * through RtlpDispatchException (src/mm/mmprobe.c). */
#include <ntddk.h>
#include <string.h>
#include "../ntktest.h"
#include "seh_hw_cases.h"

NTSTATUS DriverEntry(PDRIVER_OBJECT DriverObject, PUNICODE_STRING RegistryPath)
{
    UNREFERENCED_PARAMETER(DriverObject);
    UNREFERENCED_PARAMETER(RegistryPath);
    SehHwRunAll();
    DbgPrint("kmtest_seh_hw: %s\n", NtkTestFailed ? "some checks failed" : "all checks passed");
    return NTK_TEST_SUMMARY() ? STATUS_UNSUCCESSFUL : STATUS_SUCCESS;
}
