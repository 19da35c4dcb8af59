/* bug_paged_touch: a driver that reads its paged pool at DISPATCH_LEVEL. Windows lets that go
 * unnoticed while the page happens to be resident; Driver Verifier's force IRQL checking pages
 * pageable memory out at every raise, so the read is DRIVER_IRQL_NOT_LESS_OR_EQUAL (0xD1) at
 * the instruction. ntk run --force-irql-checking does the same; without it the driver runs on.
 * Before the bad read, paged pool touched below DISPATCH_LEVEL after raises must just work. */
#include <ntddk.h>

#define TAG 'tPgB'

static volatile ULONG Sink;

static DECLSPEC_NOINLINE VOID TouchAtDispatch(volatile ULONG *Paged)
{
    KIRQL Old;
    KeRaiseIrql(DISPATCH_LEVEL, &Old);
    Sink = Paged[3]; /* the bad read */
    KeLowerIrql(Old);
}

NTSTATUS DriverEntry(PDRIVER_OBJECT DriverObject, PUNICODE_STRING RegistryPath)
{
    volatile ULONG *Paged = ExAllocatePool2(POOL_FLAG_PAGED, 64, TAG);
    ULONG i;
    KIRQL Old;
    UNREFERENCED_PARAMETER(DriverObject);
    UNREFERENCED_PARAMETER(RegistryPath);
    if (Paged == NULL)
        return STATUS_INSUFFICIENT_RESOURCES;
    /* Raises and lowers with paged pool used in between, at PASSIVE_LEVEL: no bug check. */
    for (i = 0; i < 100; i++) {
        KeRaiseIrql(DISPATCH_LEVEL, &Old);
        KeLowerIrql(Old);
        Paged[i % 16] = i;
    }
    DbgPrint("bug_paged_touch: paged pool used between raises: %lu\n", (ULONG)Paged[99 % 16]);
    TouchAtDispatch(Paged);
    DbgPrint("bug_paged_touch: survived\n");
    ExFreePoolWithTag((PVOID)Paged, TAG);
    return STATUS_UNSUCCESSFUL;
}
