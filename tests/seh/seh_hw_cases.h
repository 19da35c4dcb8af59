/* Hardware exceptions under __try, shared by kmtest_seh_hw (kernel) and user_seh_hw (user):
 * a host fault (SIGSEGV, SIGFPE) becomes the NT exception at the faulting instruction, and
 * EXCEPTION_CONTINUE_EXECUTION resumes the faulting context as the filter changed it. The
 * includer includes ntddk.h or windows.h and ../ntktest.h first. */
#ifndef SEH_HW_CASES_H
#define SEH_HW_CASES_H

#define SEH_HW_NOINLINE __attribute__((noinline))

typedef struct _SEH_HW_SEEN {
    NTSTATUS Code;
    ULONG Parameters;
    ULONG_PTR Info0, Info1;
    ULONG_PTR Address, Rip;
} SEH_HW_SEEN;

static LONG SehHwRecord(PEXCEPTION_POINTERS Pointers, volatile SEH_HW_SEEN *Seen)
{
    Seen->Code = Pointers->ExceptionRecord->ExceptionCode;
    Seen->Parameters = Pointers->ExceptionRecord->NumberParameters;
    Seen->Info0 = Pointers->ExceptionRecord->ExceptionInformation[0];
    Seen->Info1 = Pointers->ExceptionRecord->ExceptionInformation[1];
    Seen->Address = (ULONG_PTR)Pointers->ExceptionRecord->ExceptionAddress;
    Seen->Rip = Pointers->ContextRecord->Rip;
    return EXCEPTION_EXECUTE_HANDLER;
}

/* The compilers must not see the bad addresses and the zero divisor as constants: they would
 * warn, or fold the operation away. */
static ULONG_PTR SehHwLaunder(ULONG_PTR Value)
{
    __asm__("" : "+r"(Value));
    return Value;
}

static SEH_HW_NOINLINE int SehHwRead(ULONG_PTR Address)
{
    return *(volatile int *)SehHwLaunder(Address);
}

static SEH_HW_NOINLINE void SehHwWrite(ULONG_PTR Address)
{
    *(volatile int *)SehHwLaunder(Address) = 1;
}

static SEH_HW_NOINLINE int SehHwDivide(int Numerator, int Denominator)
{
    int Quotient;
    __asm__ volatile("cltd; idivl %2" : "=a"(Quotient) : "a"(Numerator), "r"(Denominator) : "edx");
    return Quotient;
}

static volatile int SehHwFinallyRan;
static SEH_HW_NOINLINE int SehHwReadInFinally(ULONG_PTR Address)
{
    volatile int Value = 0;
    __try {
        Value = SehHwRead(Address);
    } __finally {
        SehHwFinallyRan = AbnormalTermination() ? 1 : 2;
    }
    return Value;
}

/* Fixes the faulting `movq (%rax), %rax` (3 bytes): skips it, with 42 as its result. */
static LONG SehHwFixUp(PEXCEPTION_POINTERS Pointers)
{
    if (Pointers->ExceptionRecord->ExceptionCode != STATUS_ACCESS_VIOLATION)
        return EXCEPTION_CONTINUE_SEARCH;
    Pointers->ContextRecord->Rip += 3;
    Pointers->ContextRecord->Rax = 42;
    return EXCEPTION_CONTINUE_EXECUTION;
}

static void SehHwRunAll(void)
{
    volatile SEH_HW_SEEN Seen;
    volatile int Handled;

    /* Reading an invalid pointer. */
    memset((void *)&Seen, 0, sizeof(Seen));
    Handled = 0;
    __try {
        SehHwRead(0x10);
    } __except (SehHwRecord(GetExceptionInformation(), &Seen)) {
        Handled = GetExceptionCode() == STATUS_ACCESS_VIOLATION;
    }
    CHECK_EQ(Handled, 1);
    CHECK_STATUS(Seen.Code, STATUS_ACCESS_VIOLATION);
    CHECK_EQ(Seen.Parameters, 2);
    CHECK_EQ(Seen.Info0, 0);
    CHECK_EQ(Seen.Info1, 0x10);
    CHECK(Seen.Address != 0);
    CHECK_EQ(Seen.Rip, Seen.Address);

    /* Writing one. */
    memset((void *)&Seen, 0, sizeof(Seen));
    __try {
        SehHwWrite(0x20);
    } __except (SehHwRecord(GetExceptionInformation(), &Seen)) {
    }
    CHECK_STATUS(Seen.Code, STATUS_ACCESS_VIOLATION);
    CHECK_EQ(Seen.Info0, 1);
    CHECK_EQ(Seen.Info1, 0x20);

    /* Executing one: the faulting address is where the call went. */
    memset((void *)&Seen, 0, sizeof(Seen));
    __try {
        void (*volatile Nowhere)(void) = (void (*)(void))(ULONG_PTR)0x30;
        Nowhere();
    } __except (SehHwRecord(GetExceptionInformation(), &Seen)) {
    }
    CHECK_STATUS(Seen.Code, STATUS_ACCESS_VIOLATION);
    CHECK_EQ(Seen.Info0, 8);
    CHECK_EQ(Seen.Info1, 0x30);
    CHECK_EQ(Seen.Rip, 0x30);

    /* Integer division by zero. */
    memset((void *)&Seen, 0, sizeof(Seen));
    __try {
        SehHwDivide(1, 0);
    } __except (SehHwRecord(GetExceptionInformation(), &Seen)) {
    }
    CHECK_STATUS(Seen.Code, STATUS_INTEGER_DIVIDE_BY_ZERO);

    /* A fault unwinds through a __finally in the faulting function. */
    SehHwFinallyRan = 0;
    Handled = 0;
    __try {
        SehHwReadInFinally(0x40);
    } __except (GetExceptionCode() == STATUS_ACCESS_VIOLATION ? EXCEPTION_EXECUTE_HANDLER
                                                              : EXCEPTION_CONTINUE_SEARCH) {
        Handled = 1;
    }
    CHECK_EQ(Handled, 1);
    CHECK_EQ(SehHwFinallyRan, 1);

    /* EXCEPTION_CONTINUE_EXECUTION after the filter repaired the context. */
    {
        volatile ULONG_PTR Result = 0;
        __try {
            ULONG_PTR Value = 0x10;
            __asm__ volatile("movq (%0), %0" : "+a"(Value) : : "memory");
            Result = Value;
        } __except (SehHwFixUp(GetExceptionInformation())) {
            Result = 1;
        }
        CHECK_EQ(Result, 42);
    }

    /* Many faults in a row. */
    Handled = 0;
    for (int i = 0; i < 500; i++) {
        __try {
            SehHwRead(0x100 + (ULONG_PTR)i * 8);
        } __except (EXCEPTION_EXECUTE_HANDLER) {
            Handled++;
        }
    }
    CHECK_EQ(Handled, 500);
    CHECK(RtlpSehFrameList == NULL);
}

#endif
