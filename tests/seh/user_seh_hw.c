/* user_seh_hw: hardware exceptions in a user program, caught by its own __try blocks
 * (seh_hw_cases.h). Exits 0 when all checks passed. */
#include <windows.h>
#include "../ntktest.h"
#include "seh_hw_cases.h"

int main(void)
{
    SehHwRunAll();
    printf("user_seh_hw: %s\n", NtkTestFailed ? "some checks failed" : "all checks passed");
    return NTK_TEST_SUMMARY();
}
