/* securepool_user: a user program that learns a secure allocation's address from
 * securepool_dev and writes it directly. The write is an access violation its own __try
 * catches (a user-mode fault on a system address), the contents stay as they were and still
 * validate; an update through the driver changes them.
 *     ntk run --driver securepool_dev.so -- securepool_user.so */
#include <windows.h>
#include <string.h>
#include "../e2e/e2e_user.h"
#include "securepool_ioctl.h"

static SECPOOL_STATE State(HANDLE h)
{
    SECPOOL_STATE s;
    DWORD n = 0;
    memset(&s, 0, sizeof(s));
    CHECK_SUCCEEDS(DeviceIoControl(h, IOCTL_SECPOOL_STATE, NULL, 0, &s, sizeof(s), &n, NULL));
    CHECK_EQ(n, sizeof(s));
    return s;
}

int main(void)
{
    HANDLE h = CreateFileW(SECPOOL_WIN32_NAME, GENERIC_READ | GENERIC_WRITE, 0, NULL,
                           OPEN_EXISTING, 0, NULL);
    SECPOOL_STATE before, after;
    UCHAR expect[SECPOOL_SIZE], update[8] = { '0', '1', '2', '3', '4', '5', '6', '7' };
    DWORD code = 0, n = 0, i;
    CHECK(h != INVALID_HANDLE_VALUE);
    if (h == INVALID_HANDLE_VALUE)
        return NTK_TEST_SUMMARY();
    for (i = 0; i < SECPOOL_SIZE; i++)
        expect[i] = (UCHAR)('A' + i % 26);
    before = State(h);
    CHECK(before.Address >= (ULONG64)0x700000000000ULL);
    CHECK(before.Valid);
    CHECK(memcmp(before.Contents, expect, SECPOOL_SIZE) == 0);

    __try {
        *(volatile UCHAR *)(ULONG_PTR)before.Address = 'Z';
    } __except (EXCEPTION_EXECUTE_HANDLER) {
        code = GetExceptionCode();
    }
    CHECK_EQ(code, (DWORD)EXCEPTION_ACCESS_VIOLATION);
    after = State(h);
    CHECK(after.Valid);
    CHECK(memcmp(after.Contents, expect, SECPOOL_SIZE) == 0);

    /* Through the driver, the one way in. */
    CHECK_SUCCEEDS(DeviceIoControl(h, IOCTL_SECPOOL_UPDATE, update, sizeof(update), NULL, 0, &n,
                                   NULL));
    memcpy(expect + 8, update, sizeof(update));
    after = State(h);
    CHECK(after.Valid);
    CHECK(memcmp(after.Contents, expect, SECPOOL_SIZE) == 0);
    CHECK_SUCCEEDS(CloseHandle(h));
    {
        int failed = NTK_TEST_SUMMARY();
        printf("securepool_user: %s\n", failed ? "FAILED" : "all checks passed");
        return failed;
    }
}
