/* Touching memory under __try, for the virtual-memory tests in the kernel and in user mode:
 * VmTouch returns 0 when the access worked, else the exception code (and the faulting
 * address in *FaultAddress). The includer includes ntddk.h or windows.h first. */
#ifndef NTK_TESTS_MEM_VM_TOUCH_H
#define NTK_TESTS_MEM_VM_TOUCH_H

static ULONG_PTR VmLaunder(ULONG_PTR Value)
{
    __asm__("" : "+r"(Value));
    return Value;
}

static __attribute__((noinline)) int VmRead(ULONG_PTR Address)
{
    return *(volatile unsigned char *)VmLaunder(Address);
}

static __attribute__((noinline)) void VmWrite(ULONG_PTR Address, unsigned char Value)
{
    *(volatile unsigned char *)VmLaunder(Address) = Value;
}

static volatile ULONG_PTR VmFaultAddress;

static LONG VmFilter(PEXCEPTION_POINTERS Pointers)
{
    VmFaultAddress = Pointers->ExceptionRecord->NumberParameters >= 2
                         ? Pointers->ExceptionRecord->ExceptionInformation[1]
                         : 0;
    return EXCEPTION_EXECUTE_HANDLER;
}

/* Write: store Value; otherwise read the byte into *Value (if given). */
static __attribute__((noinline)) NTSTATUS VmTouch(PVOID Address, BOOLEAN Write,
                                                  unsigned char *Value)
{
    volatile NTSTATUS Code = 0;
    VmFaultAddress = 0;
    __try {
        if (Write) {
            VmWrite((ULONG_PTR)Address, Value ? *Value : 0x5A);
        } else {
            int Read = VmRead((ULONG_PTR)Address);
            if (Value)
                *Value = (unsigned char)Read;
        }
    } __except (VmFilter(GetExceptionInformation())) {
        Code = GetExceptionCode();
    }
    return Code;
}

#endif
