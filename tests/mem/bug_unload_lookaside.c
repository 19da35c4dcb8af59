/* bug_unload_lookaside: unloading with a lookaside list not deleted. The WDK: "Before a driver
 * unloads, it must explicitly free any lookaside lists it created. Failure to do so is a serious
 * programming error." ntk stops with 0xCE DRIVER_UNLOADED_WITHOUT_CANCELLING_PENDING_OPERATIONS
 * (1 = the list, 2 = 0, 3 = where the driver initialized it). Built once per case (BUG_MODE):
 *   1  an NPAGED_LOOKASIDE_LIST that is a global of the driver, holding entries
 *   2  a LOOKASIDE_LIST_EX in pool, initialized by the driver
 *   3  the same, deleted before unloading: no bug check */
#include <ntddk.h>

#ifndef BUG_MODE
#error BUG_MODE must be defined
#endif

#define TAG 'uLmK'

#if BUG_MODE == 1
static NPAGED_LOOKASIDE_LIST GlobalList;
#else
static PLOOKASIDE_LIST_EX PoolList;
#endif

static VOID Unload(PDRIVER_OBJECT DriverObject)
{
    UNREFERENCED_PARAMETER(DriverObject);
#if BUG_MODE == 3
    ExDeleteLookasideListEx(PoolList);
    ExFreePoolWithTag(PoolList, TAG);
    DbgPrint("bug_unload_lookaside: unloading with the list deleted\n");
#else
#if BUG_MODE == 1
    DbgPrint("bug_unload_lookaside: unloading with lookaside list %p not deleted\n",
             (PVOID)&GlobalList);
#else
    DbgPrint("bug_unload_lookaside: unloading with lookaside list %p not deleted\n",
             (PVOID)PoolList);
#endif
#endif
}

NTSTATUS DriverEntry(PDRIVER_OBJECT DriverObject, PUNICODE_STRING RegistryPath)
{
    PVOID entries[3];
    int i;
    UNREFERENCED_PARAMETER(RegistryPath);
#if BUG_MODE == 1
    ExInitializeNPagedLookasideList(&GlobalList, NULL, NULL, 0, 48, TAG, 0);
    for (i = 0; i < 3; i++)
        entries[i] = ExAllocateFromNPagedLookasideList(&GlobalList);
    for (i = 0; i < 3; i++)
        if (entries[i] != NULL)
            ExFreeToNPagedLookasideList(&GlobalList, entries[i]);
#else
    PoolList = ExAllocatePoolWithTag(NonPagedPool, sizeof(*PoolList), TAG);
    if (PoolList == NULL)
        return STATUS_INSUFFICIENT_RESOURCES;
    if (!NT_SUCCESS(ExInitializeLookasideListEx(PoolList, NULL, NULL, NonPagedPool, 0, 48, TAG,
                                                0)))
        return STATUS_UNSUCCESSFUL;
    for (i = 0; i < 3; i++)
        entries[i] = ExAllocateFromLookasideListEx(PoolList);
    for (i = 0; i < 3; i++)
        if (entries[i] != NULL)
            ExFreeToLookasideListEx(PoolList, entries[i]);
#endif
    DriverObject->DriverUnload = Unload;
    return STATUS_SUCCESS;
}
