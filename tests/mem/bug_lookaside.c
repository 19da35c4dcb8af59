/* bug_lookaside: lookaside-list mistakes Driver Verifier stops on (bug check 0xC4's table), and
 * a DDI called above its IRQL. Built once per mistake (BUG_MODE); should the kernel not stop,
 * DriverEntry says so and fails (exit status 2 instead of 3).
 *   1  initializing a list that is initialized and not deleted -> 0xC4 (0xCA, list, 0, 0)
 *   2  deleting a list that was never initialized             -> 0xC4 (0xCB, list, 0, 0)
 *   3  entries smaller than LOOKASIDE_MINIMUM_BLOCK_SIZE      -> 0xC4 (0xCD, list, 4, 8)
 *   4  ExAllocateFromPagedLookasideList at DISPATCH_LEVEL     -> 0xA (routine, 2, 8, caller) */
#include <ntddk.h>

#ifndef BUG_MODE
#error BUG_MODE must be defined
#endif

#if BUG_MODE == 4
static PAGED_LOOKASIDE_LIST PagedList;
#else
static NPAGED_LOOKASIDE_LIST List;
#endif

static VOID Unload(PDRIVER_OBJECT DriverObject)
{
    UNREFERENCED_PARAMETER(DriverObject);
}

NTSTATUS DriverEntry(PDRIVER_OBJECT DriverObject, PUNICODE_STRING RegistryPath)
{
    UNREFERENCED_PARAMETER(RegistryPath);
    DriverObject->DriverUnload = Unload;
#if BUG_MODE == 1
    ExInitializeNPagedLookasideList(&List, NULL, NULL, 0, 64, 'bLmK', 0);
    DbgPrint("bug_lookaside: initializing lookaside list %p again\n", (PVOID)&List);
    ExInitializeNPagedLookasideList(&List, NULL, NULL, 0, 64, 'bLmK', 0);
#elif BUG_MODE == 2
    DbgPrint("bug_lookaside: deleting lookaside list %p, never initialized\n", (PVOID)&List);
    ExDeleteNPagedLookasideList(&List);
#elif BUG_MODE == 3
    DbgPrint("bug_lookaside: a lookaside list %p of 4-byte entries\n", (PVOID)&List);
    ExInitializeNPagedLookasideList(&List, NULL, NULL, 0, 4, 'bLmK', 0);
#elif BUG_MODE == 4
    {
        KIRQL old;
        ExInitializePagedLookasideList(&PagedList, NULL, NULL, 0, 64, 'bLmK', 0);
        KeRaiseIrql(DISPATCH_LEVEL, &old);
        DbgPrint("bug_lookaside: ExAllocateFromPagedLookasideList at DISPATCH_LEVEL\n");
        ExAllocateFromPagedLookasideList(&PagedList);
        KeLowerIrql(old);
    }
#endif
    DbgPrint("bug_lookaside: no bug check happened\n");
    return STATUS_UNSUCCESSFUL;
}
