/* bug_vm: a driver touching reserved (not committed) user memory where no __try can help.
 * Built once per case (BUG_MODE); should the kernel not stop, DriverEntry says so and fails
 * (exit status 2 instead of 3).
 *   1  a write without __try in DriverEntry (a system thread) -> 0x7E (0xC0000005, ...)
 *   2  a read at DISPATCH_LEVEL, inside __try                 -> 0xD1 (address, 2, 0, pc) */
#include <ntddk.h>

#ifndef BUG_MODE
#error BUG_MODE must be defined
#endif

static VOID Unload(PDRIVER_OBJECT DriverObject)
{
    UNREFERENCED_PARAMETER(DriverObject);
}

NTSTATUS DriverEntry(PDRIVER_OBJECT DriverObject, PUNICODE_STRING RegistryPath)
{
    PVOID Base = NULL;
    SIZE_T Size = 0x10000;
    volatile UCHAR *Page;
    UNREFERENCED_PARAMETER(RegistryPath);
    DriverObject->DriverUnload = Unload;
    if (!NT_SUCCESS(ZwAllocateVirtualMemory(NtCurrentProcess(), &Base, 0, &Size, MEM_RESERVE,
                                            PAGE_READWRITE)))
        return STATUS_UNSUCCESSFUL;
    Page = (volatile UCHAR *)Base + 0x2000;
    DbgPrint("bug_vm: touching reserved page %p\n", (PVOID)Page);
#if BUG_MODE == 1
    *Page = 1;
#elif BUG_MODE == 2
    {
        KIRQL Old;
        KeRaiseIrql(DISPATCH_LEVEL, &Old);
        __try {
            (void)*Page;
        } __except (EXCEPTION_EXECUTE_HANDLER) {
            DbgPrint("bug_vm: __try caught a page fault at DISPATCH_LEVEL\n");
        }
        KeLowerIrql(Old);
    }
#endif
    DbgPrint("bug_vm: no bug check happened\n");
    return STATUS_UNSUCCESSFUL;
}
