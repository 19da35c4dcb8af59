/* The structured-exception checks shared by the kernel-mode test drivers (C and C++) and the
 * user program. The includer defines, before including this header:
 *   SEH_RAISE_STATUS(Status)  raise Status, noncontinuable (ExRaiseStatus, RaiseException)
 *   SEH_KERNEL                1 in a driver (ProbeForRead checks)
 * and includes ntddk.h or windows.h and ../ntktest.h. Locals written in a __try block and read
 * after an exception are volatile, as docs/SEH.md asks. */
#ifndef SEH_CASES_H
#define SEH_CASES_H

#include <string.h>

/* ---- A log of what ran, in order ---- */
static char SehLog[256];

static void SehLogReset(void)
{
    SehLog[0] = 0;
}

static void SehLogAdd(const char *What)
{
    size_t Used = strlen(SehLog), Add = strlen(What);
    if (Used + Add + 2 < sizeof(SehLog)) {
        if (Used)
            SehLog[Used++] = ' ';
        memcpy(SehLog + Used, What, Add + 1);
    }
}

static int SehLogIs(const char *Expected)
{
    if (strcmp(SehLog, Expected) == 0)
        return 1;
    fprintf(stderr, "log is \"%s\", expected \"%s\"\n", SehLog, Expected);
    return 0;
}

/* Noinline so that the raise really is a call away from the __try. */
#define SEH_NOINLINE __attribute__((noinline))

static SEH_NOINLINE void SehRaise(NTSTATUS Status)
{
    SEH_RAISE_STATUS(Status);
}

/* A continuable software exception with two parameters. */
static SEH_NOINLINE void SehRaiseContinuable(NTSTATUS Status, ULONG_PTR P0, ULONG_PTR P1)
{
    EXCEPTION_RECORD Record;
    memset(&Record, 0, sizeof(Record));
    Record.ExceptionCode = Status;
    Record.NumberParameters = 2;
    Record.ExceptionInformation[0] = P0;
    Record.ExceptionInformation[1] = P1;
    RtlRaiseException(&Record);
    SehLogAdd("resumed");
}

static LONG SehFilterCalls;
static LONG SehFilter(NTSTATUS Code, NTSTATUS Wanted, LONG Verdict)
{
    SehFilterCalls++;
    SehLogAdd("filter");
    return Code == Wanted ? Verdict : EXCEPTION_CONTINUE_SEARCH;
}

/* 1. The basic handler: EXCEPTION_EXECUTE_HANDLER, GetExceptionCode(), nothing after the raise. */
static void SehTestBasic(void)
{
    volatile NTSTATUS Code = 0;
    volatile int After = 0;
    __try {
        SehRaise(STATUS_INVALID_PARAMETER);
        After = 1;
    } __except (EXCEPTION_EXECUTE_HANDLER) {
        Code = GetExceptionCode();
    }
    CHECK_STATUS(Code, STATUS_INVALID_PARAMETER);
    CHECK_EQ(After, 0);

    /* A body that raises nothing: the handler does not run, the frame is gone afterwards. */
    Code = 0;
    __try {
        After = 2;
    } __except (EXCEPTION_EXECUTE_HANDLER) {
        Code = 1;
    }
    CHECK_EQ(Code, 0);
    CHECK_EQ(After, 2);
}

/* 2. EXCEPTION_CONTINUE_SEARCH (constant and computed) passes it to the outer handler. */
static void SehTestContinueSearch(void)
{
    volatile int Inner = 0, Outer = 0;
    volatile NTSTATUS Code = 0;
    SehFilterCalls = 0;
    __try {
        __try {
            __try {
                SehRaise(STATUS_ACCESS_DENIED);
            } __except (EXCEPTION_CONTINUE_SEARCH) {
                Inner = 1;
            }
        } __except (SehFilter(GetExceptionCode(), STATUS_INVALID_HANDLE,
                              EXCEPTION_EXECUTE_HANDLER)) {
            Inner = 2;
        }
    } __except (SehFilter(GetExceptionCode(), STATUS_ACCESS_DENIED, EXCEPTION_EXECUTE_HANDLER)) {
        Outer = 1;
        Code = GetExceptionCode();
    }
    CHECK_EQ(Inner, 0);
    CHECK_EQ(Outer, 1);
    CHECK_STATUS(Code, STATUS_ACCESS_DENIED);
    CHECK_EQ(SehFilterCalls, 2);
}

/* 3. Phase order: every filter runs before any __finally; the inner __finally runs before the
 *    outer __except block (NT-SEMANTICS). */
static void SehTestOrder(void)
{
    SehLogReset();
    __try {
        __try {
            SehLogAdd("body");
            SehRaise(STATUS_UNSUCCESSFUL);
        } __finally {
            SehLogAdd(AbnormalTermination() ? "finally(abnormal)" : "finally(normal)");
        }
    } __except (SehFilter(GetExceptionCode(), STATUS_UNSUCCESSFUL, EXCEPTION_EXECUTE_HANDLER)) {
        SehLogAdd("handler");
    }
    CHECK(SehLogIs("body filter finally(abnormal) handler"));
}

/* 4-6. AbnormalTermination(): FALSE after __leave and at the end of the block, TRUE after an
 *      exception. */
static void SehTestTermination(void)
{
    volatile int After = 0;
    volatile int Abnormal = -1;
    __try {
        if (After == 0)
            __leave;
        After = 1;
    } __finally {
        Abnormal = AbnormalTermination();
    }
    CHECK_EQ(After, 0);
    CHECK_EQ(Abnormal, 0);

    Abnormal = -1;
    __try {
        After = 2;
    } __finally {
        Abnormal = _abnormal_termination();
    }
    CHECK_EQ(After, 2);
    CHECK_EQ(Abnormal, 0);

    Abnormal = -1;
    __try {
        __try {
            SehRaise(STATUS_UNSUCCESSFUL);
        } __finally {
            Abnormal = AbnormalTermination();
        }
    } __except (EXCEPTION_EXECUTE_HANDLER) {
    }
    CHECK_EQ(Abnormal, 1);

    /* __leave from inside a loop in the body leaves the __try, not just the loop. */
    After = 0;
    Abnormal = -1;
    __try {
        for (int i = 0; i < 10; i++) {
            if (i == 3)
                __leave;
            After = i;
        }
        After = 100;
    } __finally {
        Abnormal = AbnormalTermination();
    }
    CHECK_EQ(After, 2);
    CHECK_EQ(Abnormal, 0);

    /* __leave in an inner __except block leaves the outer __try body (the handler block is not
     * part of the inner __try block). */
    After = 0;
    Abnormal = -1;
    __try {
        __try {
            SehRaise(STATUS_UNSUCCESSFUL);
        } __except (EXCEPTION_EXECUTE_HANDLER) {
            After = 1;
            __leave;
        }
        After = 2;
    } __finally {
        Abnormal = AbnormalTermination();
    }
    CHECK_EQ(After, 1);
    CHECK_EQ(Abnormal, 0);
}

/* 7. The status is delivered unchanged, even a success or an informational code. */
static void SehTestStatusUnchanged(void)
{
    static const NTSTATUS Codes[] = { STATUS_SUCCESS, STATUS_PENDING, (NTSTATUS)0x40000000L,
                                      STATUS_BUFFER_OVERFLOW, STATUS_INSUFFICIENT_RESOURCES };
    for (unsigned i = 0; i < sizeof(Codes) / sizeof(Codes[0]); i++) {
        volatile NTSTATUS Code = (NTSTATUS)0xDEADBEEF;
        volatile ULONG Flags = 0;
        __try {
            SehRaise(Codes[i]);
        } __except (Flags = GetExceptionInformation()->ExceptionRecord->ExceptionFlags,
                    EXCEPTION_EXECUTE_HANDLER) {
            Code = GetExceptionCode();
        }
        CHECK_STATUS(Code, Codes[i]);
        CHECK_EQ(Flags & EXCEPTION_NONCONTINUABLE, EXCEPTION_NONCONTINUABLE);
    }
}

/* 8. Raised three calls deep, caught at the top; the __finally blocks in between run innermost
 *    first, after the filter. */
static SEH_NOINLINE void SehLevel3(void)
{
    __try {
        SehLogAdd("3");
        SehRaise(STATUS_INVALID_DEVICE_REQUEST);
        SehLogAdd("not-reached");
    } __finally {
        SehLogAdd("finally3");
    }
}

static SEH_NOINLINE void SehLevel2(void)
{
    volatile char Big[3000]; /* something to park */
    Big[0] = 'x';
    __try {
        SehLogAdd("2");
        SehLevel3();
    } __finally {
        SehLogAdd(Big[0] == 'x' ? "finally2" : "finally2-corrupt");
    }
}

static SEH_NOINLINE void SehLevel1(void)
{
    __try {
        SehLogAdd("1");
        SehLevel2();
    } __except (SehFilter(GetExceptionCode(), STATUS_NOT_FOUND, EXCEPTION_EXECUTE_HANDLER)) {
        SehLogAdd("wrong-handler");
    }
}

static void SehTestDeep(void)
{
    volatile NTSTATUS Code = 0;
    SehLogReset();
    __try {
        SehLevel1();
    } __except (SehFilter(GetExceptionCode(), STATUS_INVALID_DEVICE_REQUEST,
                          EXCEPTION_EXECUTE_HANDLER)) {
        Code = GetExceptionCode();
        SehLogAdd("handler");
    }
    CHECK_STATUS(Code, STATUS_INVALID_DEVICE_REQUEST);
    CHECK(SehLogIs("1 2 3 filter filter finally3 finally2 handler"));
}

/* 9. EXCEPTION_CONTINUE_EXECUTION: a continuable raise returns to its caller. The filter sees
 *    the record (code, parameters, the address of the raise) and the context. */
static void SehTestContinueExecution(void)
{
    volatile ULONG_PTR P0 = 0, P1 = 0, Address = 0, Rip = 0;
    volatile NTSTATUS Code = 0;
    SehLogReset();
    __try {
        SehRaiseContinuable((NTSTATUS)0xE0000001L, 11, 22);
        SehLogAdd("after");
    } __except (P0 = GetExceptionInformation()->ExceptionRecord->ExceptionInformation[0],
                P1 = GetExceptionInformation()->ExceptionRecord->ExceptionInformation[1],
                Address = (ULONG_PTR)GetExceptionInformation()->ExceptionRecord->ExceptionAddress,
                Rip = (ULONG_PTR)GetExceptionInformation()->ContextRecord->Rip,
                Code = GetExceptionCode(), SehLogAdd("filter"), EXCEPTION_CONTINUE_EXECUTION) {
        SehLogAdd("handler");
    }
    CHECK(SehLogIs("filter resumed after"));
    CHECK_STATUS(Code, 0xE0000001L);
    CHECK_EQ(P0, 11);
    CHECK_EQ(P1, 22);
    CHECK(Address != 0);
    CHECK_EQ(Rip, Address);

    /* Continuing a noncontinuable exception raises STATUS_NONCONTINUABLE_EXCEPTION, whose
     * record chains to the first. */
    volatile NTSTATUS Second = 0, Chained = 0;
    volatile int Filters = 0;
    __try {
        SehRaise(STATUS_DEVICE_NOT_READY);
    } __except (Filters++ == 0
                    ? EXCEPTION_CONTINUE_EXECUTION
                    : (Chained = GetExceptionInformation()->ExceptionRecord->ExceptionRecord
                                     ? GetExceptionInformation()
                                           ->ExceptionRecord->ExceptionRecord->ExceptionCode
                                     : 0,
                       EXCEPTION_EXECUTE_HANDLER)) {
        Second = GetExceptionCode();
    }
    CHECK_EQ(Filters, 2);
    CHECK_STATUS(Second, STATUS_NONCONTINUABLE_EXCEPTION);
    CHECK_STATUS(Chained, STATUS_DEVICE_NOT_READY);
}

/* 10. The filter runs with the raiser's frames parked: the raiser's locals are intact when the
 *     raise returns (CONTINUE_EXECUTION), even with a deep stack in between. */
static SEH_NOINLINE ULONG SehDeepContinue(int Depth)
{
    volatile ULONG Pattern[512];
    ULONG Sum = 0;
    for (int i = 0; i < 512; i++)
        Pattern[i] = (ULONG)(Depth * 1000 + i);
    if (Depth == 0)
        SehRaiseContinuable((NTSTATUS)0xE0000002L, 0, 0);
    else
        Sum = SehDeepContinue(Depth - 1);
    for (int i = 0; i < 512; i++)
        Sum += Pattern[i] == (ULONG)(Depth * 1000 + i) ? 0 : 1;
    return Sum;
}

static SEH_NOINLINE LONG SehFilterWithStack(NTSTATUS Code)
{
    volatile char Scratch[8192]; /* the filter's own frames overwrite the parked stack */
    memset((char *)Scratch, 0x5A, sizeof(Scratch));
    return Code == (NTSTATUS)0xE0000002L && Scratch[100] == 0x5A ? EXCEPTION_CONTINUE_EXECUTION
                                                                 : EXCEPTION_CONTINUE_SEARCH;
}

static void SehTestParkedStack(void)
{
    volatile ULONG Broken = 99;
    __try {
        Broken = SehDeepContinue(20);
    } __except (SehFilterWithStack(GetExceptionCode())) {
        Broken = 100;
    }
    CHECK_EQ(Broken, 0);
}

/* 11. A nested exception inside a filter, handled inside the filter's own call; then the
 *     first exception goes on. */
static SEH_NOINLINE LONG SehFilterThatRaises(void)
{
    volatile NTSTATUS Inner = 0;
    __try {
        SehRaise(STATUS_TIMEOUT);
    } __except (EXCEPTION_EXECUTE_HANDLER) {
        Inner = GetExceptionCode();
    }
    return Inner == STATUS_TIMEOUT ? EXCEPTION_EXECUTE_HANDLER : EXCEPTION_CONTINUE_SEARCH;
}

static void SehTestNestedInFilter(void)
{
    volatile NTSTATUS Code = 0;
    __try {
        SehRaise(STATUS_NO_MEMORY);
    } __except (SehFilterThatRaises()) {
        Code = GetExceptionCode();
    }
    CHECK_STATUS(Code, STATUS_NO_MEMORY);

    /* An exception raised by a filter and not handled there is searched for outside the
     * filter's __try statement. */
    volatile NTSTATUS Outer = 0;
    __try {
        __try {
            SehRaise(STATUS_NO_MEMORY);
        } __except (SehRaise(STATUS_ILLEGAL_FUNCTION), EXCEPTION_EXECUTE_HANDLER) {
            Outer = 1;
        }
    } __except (EXCEPTION_EXECUTE_HANDLER) {
        Outer = GetExceptionCode();
    }
    CHECK_STATUS(Outer, STATUS_ILLEGAL_FUNCTION);
}

/* 12. An exception inside a __finally block that runs during an unwind, handled outside: the
 *     first exception is abandoned. */
static void SehTestCollidedUnwind(void)
{
    volatile NTSTATUS Code = 0;
    SehLogReset();
    __try {
        __try {
            __try {
                SehRaise(STATUS_UNSUCCESSFUL);
            } __finally {
                SehLogAdd("finally1");
                SehRaise(STATUS_NOT_IMPLEMENTED);
            }
        } __finally {
            SehLogAdd("finally2");
        }
    } __except (EXCEPTION_EXECUTE_HANDLER) {
        Code = GetExceptionCode();
        SehLogAdd("handler");
    }
    CHECK_STATUS(Code, STATUS_NOT_IMPLEMENTED);
    CHECK(SehLogIs("finally1 finally2 handler"));
}

/* 13. Leaving a __try statement by return, goto and break. */
static SEH_NOINLINE int SehReturnFromFinallyTry(int Value, volatile int *Abnormal)
{
    int Local = Value * 3;
    __try {
        if (Value > 0)
            return Local + 1;
        Local = -1;
    } __finally {
        *Abnormal = AbnormalTermination();
        SehLogAdd("finally");
    }
    return Local;
}

static SEH_NOINLINE int SehReturnFromExceptTry(int Value)
{
    __try {
        if (Value > 0)
            return Value * 2;
    } __except (EXCEPTION_EXECUTE_HANDLER) {
        return -1;
    }
    return 0;
}

static SEH_NOINLINE int SehReturnThroughTwo(int Value);

static SEH_NOINLINE long SehOpaque(long Value)
{
    __asm__("" : "+r"(Value));
    return Value;
}

/* The return value is computed before the __finally runs; the __finally's own locals must not
 * disturb it, nor the locals the function still uses. */
static SEH_NOINLINE long SehReturnMany(long a, long b, long c)
{
    long x1 = a * b, x2 = b * c, x3 = a * c, x4 = a + b + c;
    __try {
        if (a > 0)
            return x1 + x2 * 3 + x3 * 5 + x4 * 7 + SehOpaque(x1);
    } __finally {
        volatile long Scratch[64];
        for (int i = 0; i < 64; i++)
            Scratch[i] = SehOpaque(i * a + 1000);
        SehLogAdd(Scratch[5] == 5 * a + 1000 ? "finally" : "finally-bad");
    }
    return x1 - x2 - x3 - x4;
}

static void SehTestLeaveByJump(void)
{
    volatile int Abnormal = -1;
    volatile NTSTATUS Code = 0;
    int Result;

    SehLogReset();
    Result = SehReturnFromFinallyTry(5, &Abnormal);
    CHECK_EQ(Result, 16);
    CHECK_EQ(Abnormal, 1);
    CHECK(SehLogIs("finally"));
    Abnormal = -1;
    Result = SehReturnFromFinallyTry(0, &Abnormal);
    CHECK_EQ(Result, -1);
    CHECK_EQ(Abnormal, 0);

    SehLogReset();
    CHECK_EQ(SehReturnMany(2, 3, 4), 6 + 12 * 3 + 8 * 5 + 9 * 7 + 6);
    CHECK_EQ(SehReturnMany(-2, 3, 4), -6 - 12 + 8 - 5);
    CHECK(SehLogIs("finally finally"));

    /* After a return from inside __try/__except, that frame no longer catches anything. */
    CHECK_EQ(SehReturnFromExceptTry(21), 42);
    __try {
        SehRaise(STATUS_CANCELLED);
    } __except (EXCEPTION_EXECUTE_HANDLER) {
        Code = GetExceptionCode();
    }
    CHECK_STATUS(Code, STATUS_CANCELLED);

    /* goto out of a __try/__finally. */
    Abnormal = -1;
    SehLogReset();
    __try {
        SehLogAdd("body");
        goto Out;
    } __finally {
        Abnormal = AbnormalTermination();
        SehLogAdd("finally");
    }
    SehLogAdd("not-reached");
Out:
    CHECK_EQ(Abnormal, 1);
    CHECK(SehLogIs("body finally"));

    /* A return from a nested pair runs both __finally blocks, innermost first. */
    SehLogReset();
    Result = SehReturnThroughTwo(7);
    CHECK_EQ(Result, 7);
    CHECK(SehLogIs("inner outer"));

    /* break directly in a __try block leaves the __try statement (ntk's documented limit);
     * inside a loop of the body's own, it is the loop's. */
    SehLogReset();
    for (int i = 0; i < 3; i++) {
        __try {
            if (i == 1)
                break;
            SehLogAdd("body");
        } __finally {
            SehLogAdd(AbnormalTermination() ? "abnormal" : "normal");
        }
    }
    CHECK(SehLogIs("body normal abnormal body normal"));
}

static SEH_NOINLINE int SehReturnThroughTwo(int Value)
{
    __try {
        __try {
            return Value;
        } __finally {
            SehLogAdd("inner");
        }
    } __finally {
        SehLogAdd("outer");
    }
    return -1;
}

/* 14. Handlers that hold __try statements of their own; GetExceptionCode() stays the outer
 *     one's in the outer handler. */
static void SehTestNestedHandlers(void)
{
    volatile NTSTATUS Before = 0, After = 0, Inner = 0;
    __try {
        SehRaise(STATUS_OBJECT_NAME_NOT_FOUND);
    } __except (EXCEPTION_EXECUTE_HANDLER) {
        Before = GetExceptionCode();
        __try {
            SehRaise(STATUS_OBJECT_PATH_NOT_FOUND);
        } __except (EXCEPTION_EXECUTE_HANDLER) {
            Inner = GetExceptionCode();
        }
        After = GetExceptionCode();
    }
    CHECK_STATUS(Before, STATUS_OBJECT_NAME_NOT_FOUND);
    CHECK_STATUS(Inner, STATUS_OBJECT_PATH_NOT_FOUND);
    CHECK_STATUS(After, STATUS_OBJECT_NAME_NOT_FOUND);

    /* An exception raised by a handler goes to the frames outside its statement. */
    volatile NTSTATUS Outer = 0;
    __try {
        __try {
            SehRaise(STATUS_UNSUCCESSFUL);
        } __except (EXCEPTION_EXECUTE_HANDLER) {
            SehRaise(STATUS_DISK_FULL);
        }
    } __except (EXCEPTION_EXECUTE_HANDLER) {
        Outer = GetExceptionCode();
    }
    CHECK_STATUS(Outer, STATUS_DISK_FULL);
}

/* 15. Many exceptions in a row: nothing leaks, nothing is left in the chain. */
static void SehTestMany(void)
{
    volatile int Caught = 0, Finallies = 0;
    for (int i = 0; i < 2000; i++) {
        __try {
            __try {
                SehRaise(STATUS_RETRY);
            } __finally {
                Finallies++;
            }
        } __except (GetExceptionCode() == STATUS_RETRY ? EXCEPTION_EXECUTE_HANDLER
                                                       : EXCEPTION_CONTINUE_SEARCH) {
            Caught++;
        }
    }
    CHECK_EQ(Caught, 2000);
    CHECK_EQ(Finallies, 2000);
    CHECK(RtlpSehFrameList == NULL);
}

#if SEH_KERNEL
/* 16. ProbeForRead in a __try, the book's pattern. */
static void SehTestProbe(void)
{
    volatile NTSTATUS Status = STATUS_SUCCESS;
    UCHAR Buffer[8];
    __try {
        ProbeForRead(MmSystemRangeStart, sizeof(Buffer), 1);
        memcpy(Buffer, MmSystemRangeStart, sizeof(Buffer));
    } __except (EXCEPTION_EXECUTE_HANDLER) {
        Status = GetExceptionCode();
    }
    CHECK_STATUS(Status, STATUS_ACCESS_VIOLATION);

    /* Length 0 never raises, whatever the pointer. */
    Status = STATUS_SUCCESS;
    __try {
        ProbeForRead((PVOID)0x10, 0, 4);
        ProbeForRead(MmSystemRangeStart, 0, 1);
        ProbeForWrite((PVOID)1, 0, 8);
    } __except (EXCEPTION_EXECUTE_HANDLER) {
        Status = GetExceptionCode();
    }
    CHECK_STATUS(Status, STATUS_SUCCESS);

    /* Misaligned. */
    Status = STATUS_SUCCESS;
    __try {
        ProbeForRead((PVOID)1, 4, 4);
    } __except (EXCEPTION_EXECUTE_HANDLER) {
        Status = GetExceptionCode();
    }
    CHECK_STATUS(Status, STATUS_DATATYPE_MISALIGNMENT);

    /* The other raising routines. */
    Status = STATUS_SUCCESS;
    __try {
        ExRaiseAccessViolation();
    } __except (EXCEPTION_EXECUTE_HANDLER) {
        Status = GetExceptionCode();
    }
    CHECK_STATUS(Status, STATUS_ACCESS_VIOLATION);
    __try {
        ExRaiseDatatypeMisalignment();
    } __except (EXCEPTION_EXECUTE_HANDLER) {
        Status = GetExceptionCode();
    }
    CHECK_STATUS(Status, STATUS_DATATYPE_MISALIGNMENT);
    __try {
        RtlRaiseStatus(STATUS_INVALID_PARAMETER_3);
    } __except (EXCEPTION_EXECUTE_HANDLER) {
        Status = GetExceptionCode();
    }
    CHECK_STATUS(Status, STATUS_INVALID_PARAMETER_3);
}
#endif

static void SehRunAll(void)
{
    SehTestBasic();
    SehTestContinueSearch();
    SehTestOrder();
    SehTestTermination();
    SehTestStatusUnchanged();
    SehTestDeep();
    SehTestContinueExecution();
    SehTestParkedStack();
    SehTestNestedInFilter();
    SehTestCollidedUnwind();
    SehTestLeaveByJump();
    SehTestNestedHandlers();
    SehTestMany();
#if SEH_KERNEL
    SehTestProbe();
#endif
    CHECK(RtlpSehFrameList == NULL);
}

#endif
