/* kmtest_rtl_pool: kernel-mode checks of pool allocation, IRQL, RtlGetVersion and DbgPrint's
 * formats, run from DriverEntry. Failures are printed and make DriverEntry fail; the DbgPrint
 * output is checked by the ctest (--match) since only the log shows it. Everything allocated
 * is freed, so the unload leak check must stay silent. */
#include <ntddk.h>
#include "../ntktest.h"

#define TAG_TEST 'tseT' /* "Test" in memory, as poolmon shows it */

static VOID KmtUnload(PDRIVER_OBJECT DriverObject)
{
    UNREFERENCED_PARAMETER(DriverObject);
    DbgPrint("kmtest_rtl_pool: unload\n");
}

static BOOLEAN AllZero(const void *p, SIZE_T n)
{
    const UCHAR *b = (const UCHAR *)p;
    for (SIZE_T i = 0; i < n; i++) {
        if (b[i] != 0)
            return FALSE;
    }
    return TRUE;
}

static void TestPool2(ULONG64 flags, const char *what)
{
    static const SIZE_T sizes[] = { 1, 8, 15, 16, 17, 100, 4000, 4096, 5000, 65536, 1 << 20 };
    for (unsigned i = 0; i < RTL_NUMBER_OF(sizes); i++) {
        UCHAR *p = (UCHAR *)ExAllocatePool2(flags, sizes[i], TAG_TEST);
        CHECK(p != NULL);
        if (p == NULL) {
            DbgPrint("kmtest_rtl_pool: ExAllocatePool2(%s, %Iu) failed\n", what, sizes[i]);
            continue;
        }
        CHECK_EQ((ULONG_PTR)p & 15, 0);
        CHECK(AllZero(p, sizes[i]));
        /* The whole block is ours to write. */
        RtlFillMemory(p, sizes[i], 0xA5);
        CHECK_EQ(p[0], 0xA5);
        CHECK_EQ(p[sizes[i] - 1], 0xA5);
        ExFreePoolWithTag(p, TAG_TEST);
    }
}

static void TestPool(void)
{
    TestPool2(POOL_FLAG_NON_PAGED, "POOL_FLAG_NON_PAGED");
    TestPool2(POOL_FLAG_PAGED, "POOL_FLAG_PAGED");

    /* Freed memory is reused and zeroed again for the next ExAllocatePool2. */
    for (int round = 0; round < 4; round++) {
        UCHAR *p = (UCHAR *)ExAllocatePool2(POOL_FLAG_NON_PAGED, 48, TAG_TEST);
        CHECK(p != NULL);
        if (p == NULL)
            break;
        CHECK(AllZero(p, 48));
        RtlFillMemory(p, 48, 0xFF);
        ExFreePoolWithTag(p, TAG_TEST);
    }

    /* Without POOL_FLAG_RAISE_ON_FAILURE, an impossible request returns NULL. */
    PVOID huge = ExAllocatePool2(POOL_FLAG_NON_PAGED, (SIZE_T)1 << 46, TAG_TEST);
    CHECK(huge == NULL);
    if (huge != NULL)
        ExFreePoolWithTag(huge, TAG_TEST);

    /* The classic forms. */
    UCHAR *q = (UCHAR *)ExAllocatePoolWithTag(NonPagedPool, 64, TAG_TEST);
    CHECK(q != NULL);
    if (q != NULL) {
        CHECK_EQ((ULONG_PTR)q & 15, 0);
        RtlFillMemory(q, 64, 0x5A);
        CHECK_EQ(q[63], 0x5A);
        ExFreePoolWithTag(q, TAG_TEST);
    }
    q = (UCHAR *)ExAllocatePoolWithTag(PagedPool, 200, TAG_TEST);
    CHECK(q != NULL);
    if (q != NULL)
        ExFreePoolWithTag(q, TAG_TEST);

    UCHAR *z = (UCHAR *)ExAllocatePoolZero(NonPagedPool, 300, TAG_TEST);
    CHECK(z != NULL);
    if (z != NULL) {
        CHECK_EQ((ULONG_PTR)z & 15, 0);
        CHECK(AllZero(z, 300));
        ExFreePoolWithTag(z, TAG_TEST);
    }
    z = (UCHAR *)ExAllocatePoolZero(PagedPool, 5000, TAG_TEST);
    CHECK(z != NULL);
    if (z != NULL) {
        CHECK(AllZero(z, 5000));
        ExFreePool(z);
    }
}

static void TestVersion(void)
{
    RTL_OSVERSIONINFOW vi;
    RtlZeroMemory(&vi, sizeof(vi));
    vi.dwOSVersionInfoSize = sizeof(vi);
    CHECK_STATUS(RtlGetVersion(&vi), STATUS_SUCCESS);
    CHECK_EQ(vi.dwOSVersionInfoSize, sizeof(vi));
    CHECK(vi.dwMajorVersion >= 10);
    CHECK(vi.dwBuildNumber != 0);
    CHECK_EQ(vi.dwPlatformId, 2); /* VER_PLATFORM_WIN32_NT */
    DbgPrint("kmtest_rtl_pool: version %u.%u.%u\n", vi.dwMajorVersion, vi.dwMinorVersion,
             vi.dwBuildNumber);

    RTL_OSVERSIONINFOEXW vx;
    RtlZeroMemory(&vx, sizeof(vx));
    vx.dwOSVersionInfoSize = sizeof(vx);
    CHECK_STATUS(RtlGetVersion((PRTL_OSVERSIONINFOW)&vx), STATUS_SUCCESS);
    CHECK_EQ(vx.dwMajorVersion, vi.dwMajorVersion);
    CHECK_EQ(vx.dwBuildNumber, vi.dwBuildNumber);
}

static void TestStrings(void)
{
    UNICODE_STRING a, b;
    RtlInitUnicodeString(&a, L"\\Device\\Booster");
    CHECK_EQ(a.Length, 15 * sizeof(WCHAR));
    CHECK_EQ(a.MaximumLength, 16 * sizeof(WCHAR));
    RtlInitUnicodeString(&b, L"\\DEVICE\\booster");
    CHECK(RtlEqualUnicodeString(&a, &b, TRUE));
    CHECK(!RtlEqualUnicodeString(&a, &b, FALSE));
    RtlInitUnicodeString(&b, NULL);
    CHECK_EQ(b.Length, 0);
    CHECK(b.Buffer == NULL);
}

/* Lines for the ctest to match; each format is one Windows' DbgPrint understands. */
static void PrintFormats(void)
{
    UNICODE_STRING us = RTL_CONSTANT_STRING(L"NtkUnicode");
    /* %wZ prints Length bytes, not up to a NUL. */
    UNICODE_STRING part = { 3 * sizeof(WCHAR), 6 * sizeof(WCHAR), (PWSTR)L"AbcDEF" };
    ANSI_STRING as;
    RtlInitAnsiString(&as, "NtkAnsi");
    DbgPrint("kmtest_rtl_pool: wZ=[%wZ] part=[%wZ] Z=[%Z]\n", &us, &part, &as);
    DbgPrint("kmtest_rtl_pool: ws=[%ws] S=[%S] s=[%s] c=[%c]\n", L"WideWs", L"WideS", "narrow",
             'q');
    DbgPrint("kmtest_rtl_pool: p=[%p]\n", (PVOID)(ULONG_PTR)0x12345678ABCDULL);
    DbgPrint("kmtest_rtl_pool: I64x=[%I64x] I64X=[%I64X] I64d=[%I64d] I64u=[%I64u]\n",
             0x123456789abcdef0ULL, 0xFEDCBA9876543210ULL, -1234567890123LL,
             18446744073709551615ULL);
    /* %l is 32-bit, as LONG and ULONG are (LLP64). */
    DbgPrint("kmtest_rtl_pool: d=[%d] u=[%u] x=[%x] 08X=[%08X] lu=[%lu] ld=[%ld]\n", -42, 42u,
             0xbeefu, 0xABCu, (ULONG)4000000000u, (LONG)-7);
    DbgPrint("kmtest_rtl_pool: status=[0x%08X] pct=[%%]\n", (unsigned)STATUS_BUFFER_TOO_SMALL);
    DbgPrintEx(DPFLTR_IHVDRIVER_ID, DPFLTR_ERROR_LEVEL, "kmtest_rtl_pool: DbgPrintEx %s level\n",
               "error");
}

NTSTATUS DriverEntry(PDRIVER_OBJECT DriverObject, PUNICODE_STRING RegistryPath)
{
    UNREFERENCED_PARAMETER(RegistryPath);
    DbgPrint("kmtest_rtl_pool: start\n");
    DriverObject->DriverUnload = KmtUnload;

    CHECK_EQ(KeGetCurrentIrql(), PASSIVE_LEVEL);
    TestPool();
    TestVersion();
    TestStrings();
    PrintFormats();

    int failed = NTK_TEST_SUMMARY();
    DbgPrint("kmtest_rtl_pool: %s\n", failed ? "FAILED" : "all checks passed");
    return failed ? STATUS_UNSUCCESSFUL : STATUS_SUCCESS;
}
