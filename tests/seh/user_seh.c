/* user_seh: the structured-exception checks of seh_cases.h in a user program (RaiseException,
 * RtlRaiseException), with user-mode frames. Exits 0 when all passed. */
#include <windows.h>
#include "../ntktest.h"

#define SEH_RAISE_STATUS(Status) RaiseException((DWORD)(Status), EXCEPTION_NONCONTINUABLE, 0, NULL)
#define SEH_KERNEL 0
#include "seh_cases.h"

int main(void)
{
    volatile DWORD Code = 0;
    volatile ULONG_PTR Argument = 0;
    ULONG_PTR Arguments[20];
    SehRunAll();

    /* RaiseException passes at most EXCEPTION_MAXIMUM_PARAMETERS arguments. */
    for (int i = 0; i < 20; i++)
        Arguments[i] = (ULONG_PTR)i * 7;
    __try {
        RaiseException(0xE0000042, 0, 20, Arguments);
    } __except (Argument = GetExceptionInformation()->ExceptionRecord->NumberParameters * 1000 +
                           GetExceptionInformation()->ExceptionRecord->ExceptionInformation[14],
                EXCEPTION_EXECUTE_HANDLER) {
        Code = (DWORD)GetExceptionCode();
    }
    CHECK_EQ(Code, 0xE0000042);
    CHECK_EQ(Argument, 15 * 1000 + 14 * 7);
    printf("user_seh: %s\n", NtkTestFailed ? "some checks failed" : "all checks passed");
    return NTK_TEST_SUMMARY();
}
