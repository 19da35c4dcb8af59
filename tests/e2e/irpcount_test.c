/* CREATE, CLEANUP and CLOSE: one CREATE per CreateFile, duplicated handles share the file
 * object, CLEANUP comes with the last handle's close, CLOSE when the file object goes.
 *     ntk run --driver irpcount.so -- irpcount_test.so */
#include <windows.h>
#include "e2e_user.h"
#include "irpcount_ioctl.h"

static HANDLE Open(void)
{
    return CreateFileW(IRPCOUNT_WIN32_NAME, GENERIC_READ | GENERIC_WRITE,
                       FILE_SHARE_READ | FILE_SHARE_WRITE, NULL, OPEN_EXISTING, 0, NULL);
}

static IRPCOUNT_COUNTERS Get(HANDLE h)
{
    IRPCOUNT_COUNTERS c;
    DWORD n = 0;
    memset(&c, 0xFF, sizeof(c));
    CHECK_SUCCEEDS(DeviceIoControl(h, IOCTL_IRPCOUNT_GET, NULL, 0, &c, sizeof(c), &n, NULL));
    CHECK_EQ(n, sizeof(c));
    return c;
}

int main(void)
{
    /* A handle of its own to read the counters with. */
    HANDLE q = Open();
    CHECK(q != INVALID_HANDLE_VALUE);
    if (q == INVALID_HANDLE_VALUE)
        return NTK_TEST_SUMMARY();
    IRPCOUNT_COUNTERS c0 = Get(q);
    CHECK(c0.Create >= 1);
    CHECK_EQ(c0.CloseBeforeCleanup, 0);

    /* CreateFile → exactly one CREATE. */
    HANDLE h = Open();
    CHECK(h != INVALID_HANDLE_VALUE);
    IRPCOUNT_COUNTERS c1 = Get(q);
    CHECK_EQ(c1.Create, c0.Create + 1);
    CHECK_EQ(c1.Cleanup, c0.Cleanup);
    CHECK_EQ(c1.Close, c0.Close);
    IRPCOUNT_COUNTERS viaH = Get(h);
    CHECK(viaH.FileObject != c1.FileObject); /* two CreateFiles, two file objects */

    /* DuplicateHandle: no CREATE, the same file object. */
    HANDLE h2 = NULL;
    CHECK_SUCCEEDS(DuplicateHandle(GetCurrentProcess(), h, GetCurrentProcess(), &h2, 0, FALSE,
                                   DUPLICATE_SAME_ACCESS));
    CHECK(h2 != NULL && h2 != h);
    IRPCOUNT_COUNTERS viaH2 = Get(h2);
    CHECK_EQ(viaH2.FileObject, viaH.FileObject);
    CHECK_EQ(viaH2.Create, c1.Create);

    /* Closing one of the two handles: no CLEANUP, no CLOSE yet. */
    CHECK_SUCCEEDS(CloseHandle(h));
    IRPCOUNT_COUNTERS c3 = Get(q);
    CHECK_EQ(c3.Create, c1.Create);
    CHECK_EQ(c3.Cleanup, c1.Cleanup);
    CHECK_EQ(c3.Close, c1.Close);
    /* The remaining handle still works. */
    IRPCOUNT_COUNTERS viaH2again = Get(h2);
    CHECK_EQ(viaH2again.FileObject, viaH.FileObject);

    /* Closing the last one: one CLEANUP and one CLOSE, in that order. */
    CHECK_SUCCEEDS(CloseHandle(h2));
    IRPCOUNT_COUNTERS c4 = Get(q);
    CHECK_EQ(c4.Create, c1.Create);
    CHECK_EQ(c4.Cleanup, c1.Cleanup + 1);
    CHECK_EQ(c4.Close, c1.Close + 1);
    CHECK_EQ(c4.CloseBeforeCleanup, 0);

    /* The closed handles are gone. */
    DWORD n;
    IRPCOUNT_COUNTERS dummy;
    CHECK_FAILS_WITH(DeviceIoControl(h2, IOCTL_IRPCOUNT_GET, NULL, 0, &dummy, sizeof(dummy), &n,
                                     NULL),
                     ERROR_INVALID_HANDLE);

    /* A plain open/close pair: +1 of each. */
    HANDLE h3 = Open();
    CHECK(h3 != INVALID_HANDLE_VALUE);
    CHECK_SUCCEEDS(CloseHandle(h3));
    IRPCOUNT_COUNTERS c5 = Get(q);
    CHECK_EQ(c5.Create, c4.Create + 1);
    CHECK_EQ(c5.Cleanup, c4.Cleanup + 1);
    CHECK_EQ(c5.Close, c4.Close + 1);
    CHECK_EQ(c5.CloseBeforeCleanup, 0);

    CHECK_SUCCEEDS(CloseHandle(q));
    return NTK_TEST_SUMMARY();
}
