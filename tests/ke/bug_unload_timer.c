/* bug_unload_timer: unloading with a timer still set (in the driver image, with its DPC) is
 * bug check 0xC7 TIMER_OR_DPC_INVALID, parameter 1 = 0 (a timer object found in memory being
 * freed), parameter 2 = the timer's address. */
#include <ntddk.h>

static KTIMER Timer;
static KDPC Dpc;

static VOID TimerDpc(PKDPC Self, PVOID Context, PVOID Arg1, PVOID Arg2)
{
    UNREFERENCED_PARAMETER(Self);
    UNREFERENCED_PARAMETER(Context);
    UNREFERENCED_PARAMETER(Arg1);
    UNREFERENCED_PARAMETER(Arg2);
    DbgPrint("bug_unload_timer: the timer expired (it must not, an hour away)\n");
}

static VOID Unload(PDRIVER_OBJECT DriverObject)
{
    UNREFERENCED_PARAMETER(DriverObject);
    DbgPrint("bug_unload_timer: unloading with the timer still set\n");
}

NTSTATUS DriverEntry(PDRIVER_OBJECT DriverObject, PUNICODE_STRING RegistryPath)
{
    LARGE_INTEGER due;
    UNREFERENCED_PARAMETER(RegistryPath);
    KeInitializeTimer(&Timer);
    KeInitializeDpc(&Dpc, TimerDpc, NULL);
    due.QuadPart = -3600LL * 10000000; /* an hour */
    KeSetTimer(&Timer, due, &Dpc);
    DbgPrint("bug_unload_timer: timer %p set\n", &Timer);
    DriverObject->DriverUnload = Unload;
    return STATUS_SUCCESS;
}
