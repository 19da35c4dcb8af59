/* ntstrsafe.h: results, truncation, parameter checks and the Ex flags. */
#include <ntk/rtl.h>
#include <ntstrsafe.h>
#include "rtlp.h"
#include "ntktest.h"
#include <string.h>

static size_t WLen(PCWSTR s)
{
    size_t n = 0;
    while (s[n])
        n++;
    return n;
}

static int WEq(PCWSTR a, PCWSTR b)
{
    size_t i = 0;
    for (; a[i] && a[i] == b[i]; i++)
        ;
    return a[i] == b[i];
}

static int UsIs(PCUNICODE_STRING s, PCWSTR Literal)
{
    size_t n = WLen(Literal);
    return s->Length == n * sizeof(WCHAR) && memcmp(s->Buffer, Literal, s->Length) == 0;
}

static void TestCopy(void)
{
    char a[8];
    WCHAR w[8];

    CHECK_EQ(NTSTRSAFE_MAX_CCH, 2147483647);
    CHECK_EQ(NTSTRSAFE_UNICODE_STRING_MAX_CCH, 32767);

    CHECK_STATUS(RtlStringCchCopyA(a, sizeof(a), "abc"), STATUS_SUCCESS);
    CHECK(strcmp(a, "abc") == 0);
    CHECK_STATUS(RtlStringCchCopyA(a, sizeof(a), "0123456789"), STATUS_BUFFER_OVERFLOW);
    CHECK(strcmp(a, "0123456") == 0);
    CHECK_STATUS(RtlStringCchCopyA(a, sizeof(a), "0123456"), STATUS_SUCCESS); /* exactly fits */
    memset(a, 'X', sizeof(a));
    CHECK_STATUS(RtlStringCchCopyA(a, 0, "abc"), STATUS_INVALID_PARAMETER);
    CHECK_EQ(a[0], 'X'); /* nothing written with a zero size */
    CHECK_STATUS(RtlStringCchCopyA(a, (size_t)NTSTRSAFE_MAX_CCH + 1, "abc"),
                 STATUS_INVALID_PARAMETER);
    CHECK_EQ(a[0], 0);
    CHECK_STATUS(RtlStringCbCopyA(a, 4, "abcdef"), STATUS_BUFFER_OVERFLOW);
    CHECK(strcmp(a, "abc") == 0);

    CHECK_STATUS(RtlStringCchCopyW(w, RTL_NUMBER_OF(w), L"wide"), STATUS_SUCCESS);
    CHECK(WEq(w, L"wide"));
    CHECK_STATUS(RtlStringCchCopyW(w, RTL_NUMBER_OF(w), L"widestring"), STATUS_BUFFER_OVERFLOW);
    CHECK(WEq(w, L"widestr"));
    CHECK_STATUS(RtlStringCbCopyW(w, sizeof(w), L"0123456"), STATUS_SUCCESS);
    CHECK_STATUS(RtlStringCbCopyW(w, 6, L"0123456"), STATUS_BUFFER_OVERFLOW);
    CHECK(WEq(w, L"01"));
    CHECK_STATUS(RtlStringCbCopyW(w, 1, L"x"), STATUS_INVALID_PARAMETER); /* less than a char */

    CHECK_STATUS(RtlStringCchCopyNA(a, sizeof(a), "abcdef", 3), STATUS_SUCCESS);
    CHECK(strcmp(a, "abc") == 0);
    CHECK_STATUS(RtlStringCchCopyNA(a, 3, "abcdef", 3), STATUS_BUFFER_OVERFLOW);
    CHECK(strcmp(a, "ab") == 0);
    CHECK_STATUS(RtlStringCchCopyNW(w, RTL_NUMBER_OF(w), L"abcdef", 10), STATUS_SUCCESS);
    CHECK(WEq(w, L"abcdef"));
    CHECK_STATUS(RtlStringCbCopyNW(w, sizeof(w), L"abcdef", 4), STATUS_SUCCESS);
    CHECK(WEq(w, L"ab"));
    CHECK_STATUS(RtlStringCchCopyNA(a, sizeof(a), "abc", (size_t)NTSTRSAFE_MAX_CCH),
                 STATUS_INVALID_PARAMETER);
}

static void TestCat(void)
{
    char a[8] = "ab";
    WCHAR w[6] = L"x";

    CHECK_STATUS(RtlStringCchCatA(a, sizeof(a), "cd"), STATUS_SUCCESS);
    CHECK(strcmp(a, "abcd") == 0);
    CHECK_STATUS(RtlStringCchCatA(a, sizeof(a), "efghij"), STATUS_BUFFER_OVERFLOW);
    CHECK(strcmp(a, "abcdefg") == 0);
    CHECK_STATUS(RtlStringCchCatA(a, sizeof(a), ""), STATUS_SUCCESS);
    CHECK_STATUS(RtlStringCchCatA(a, sizeof(a), "z"), STATUS_BUFFER_OVERFLOW);
    CHECK(strcmp(a, "abcdefg") == 0);
    memset(a, 'Q', sizeof(a)); /* no terminator within the size */
    CHECK_STATUS(RtlStringCchCatA(a, sizeof(a), "z"), STATUS_INVALID_PARAMETER);
    CHECK_STATUS(RtlStringCchCatA(a, 0, "z"), STATUS_INVALID_PARAMETER);

    CHECK_STATUS(RtlStringCchCatW(w, RTL_NUMBER_OF(w), L"yz"), STATUS_SUCCESS);
    CHECK(WEq(w, L"xyz"));
    CHECK_STATUS(RtlStringCbCatW(w, sizeof(w), L"123"), STATUS_BUFFER_OVERFLOW);
    CHECK(WEq(w, L"xyz12"));
    RtlStringCchCopyW(w, RTL_NUMBER_OF(w), L"a");
    CHECK_STATUS(RtlStringCchCatNW(w, RTL_NUMBER_OF(w), L"bcdef", 2), STATUS_SUCCESS);
    CHECK(WEq(w, L"abc"));
    CHECK_STATUS(RtlStringCbCatNW(w, sizeof(w), L"defgh", 2 * sizeof(WCHAR)), STATUS_SUCCESS);
    CHECK(WEq(w, L"abcde"));
    RtlStringCchCopyA(a, sizeof(a), "1");
    CHECK_STATUS(RtlStringCbCatNA(a, sizeof(a), "2345678", 3), STATUS_SUCCESS);
    CHECK(strcmp(a, "1234") == 0);
}

static void TestPrintf(void)
{
    char a[16];
    WCHAR w[16];
    UNICODE_STRING us;

    CHECK_STATUS(RtlStringCchPrintfA(a, sizeof(a), "%d-%s", 12, "ab"), STATUS_SUCCESS);
    CHECK(strcmp(a, "12-ab") == 0);
    CHECK_STATUS(RtlStringCbPrintfA(a, 6, "%s", "overflowing"), STATUS_BUFFER_OVERFLOW);
    CHECK(strcmp(a, "overf") == 0);
    CHECK_STATUS(RtlStringCbPrintfA(a, 6, "%s", "fiver"), STATUS_SUCCESS); /* exactly fits */
    CHECK_STATUS(RtlStringCchPrintfA(a, 0, "x"), STATUS_INVALID_PARAMETER);
    RtlInitUnicodeString(&us, L"Dev");
    CHECK_STATUS(RtlStringCchPrintfA(a, sizeof(a), "%wZ:%08X", &us, 0xAB), STATUS_SUCCESS);
    CHECK(strcmp(a, "Dev:000000AB") == 0);
    CHECK_STATUS(RtlStringCchPrintfW(w, RTL_NUMBER_OF(w), L"%s=%lu", L"n", (ULONG)7),
                 STATUS_SUCCESS);
    CHECK(WEq(w, L"n=7"));
    CHECK_STATUS(RtlStringCbPrintfW(w, 8, L"%I64x", 0x123456789ULL), STATUS_BUFFER_OVERFLOW);
    CHECK(WEq(w, L"123"));
    CHECK_STATUS(RtlStringCchPrintfW(w, RTL_NUMBER_OF(w), L"\\Device\\%ws%d", L"Zero", 0),
                 STATUS_SUCCESS);
    CHECK(WEq(w, L"\\Device\\Zero0"));
}

static void TestLength(void)
{
    size_t n = 99;
    WCHAR w[4] = {L'a', L'b', L'c', L'd'};

    CHECK_STATUS(RtlStringCchLengthA("hello", 10, &n), STATUS_SUCCESS);
    CHECK_EQ(n, 5);
    CHECK_STATUS(RtlStringCchLengthA("hello", 5, &n), STATUS_INVALID_PARAMETER);
    CHECK_EQ(n, 0);
    CHECK_STATUS(RtlStringCchLengthA("hello", 6, NULL), STATUS_SUCCESS);
    CHECK_STATUS(RtlStringCchLengthA(NULL, 6, &n), STATUS_INVALID_PARAMETER);
    CHECK_STATUS(RtlStringCchLengthA("x", (size_t)NTSTRSAFE_MAX_CCH + 1, &n),
                 STATUS_INVALID_PARAMETER);
    CHECK_STATUS(RtlStringCchLengthA("x", 0, &n), STATUS_INVALID_PARAMETER);
    CHECK_STATUS(RtlStringCchLengthW(L"abc", 4, &n), STATUS_SUCCESS);
    CHECK_EQ(n, 3);
    CHECK_STATUS(RtlStringCchLengthW(w, RTL_NUMBER_OF(w), &n), STATUS_INVALID_PARAMETER);
    CHECK_STATUS(RtlStringCbLengthW(L"abc", 8, &n), STATUS_SUCCESS);
    CHECK_EQ(n, 6);
    CHECK_STATUS(RtlStringCbLengthA("abc", 4, &n), STATUS_SUCCESS);
    CHECK_EQ(n, 3);
}

static void TestEx(void)
{
    WCHAR w[8];
    char a[8];
    PWSTR end = NULL;
    PSTR aend = NULL;
    size_t remaining = 0;

    CHECK_STATUS(RtlStringCchCopyExW(w, RTL_NUMBER_OF(w), L"abc", &end, &remaining, 0),
                 STATUS_SUCCESS);
    CHECK(end == w + 3 && *end == 0);
    CHECK_EQ(remaining, 5);
    CHECK_STATUS(RtlStringCchCatExW(w, RTL_NUMBER_OF(w), L"de", &end, &remaining, 0),
                 STATUS_SUCCESS);
    CHECK(WEq(w, L"abcde") && end == w + 5 && remaining == 3);
    CHECK_STATUS(RtlStringCchCatExW(w, RTL_NUMBER_OF(w), L"fghij", &end, &remaining, 0),
                 STATUS_BUFFER_OVERFLOW);
    CHECK(WEq(w, L"abcdefg") && end == w + 7 && remaining == 1);
    /* STRSAFE_NO_TRUNCATION restores what was there before. */
    RtlStringCchCopyW(w, RTL_NUMBER_OF(w), L"abc");
    CHECK_STATUS(RtlStringCchCatExW(w, RTL_NUMBER_OF(w), L"defghij", &end, &remaining,
                                    STRSAFE_NO_TRUNCATION),
                 STATUS_BUFFER_OVERFLOW);
    CHECK(WEq(w, L"abc") && end == w + 3 && remaining == 5);
    CHECK_STATUS(RtlStringCchCopyExW(w, RTL_NUMBER_OF(w), L"0123456789", &end, &remaining,
                                     STRSAFE_NO_TRUNCATION),
                 STATUS_BUFFER_OVERFLOW);
    CHECK(w[0] == 0 && end == w && remaining == 8);
    CHECK_STATUS(RtlStringCchCopyExW(w, RTL_NUMBER_OF(w), L"0123456789", NULL, NULL,
                                     STRSAFE_NULL_ON_FAILURE),
                 STATUS_BUFFER_OVERFLOW);
    CHECK_EQ(w[0], 0);
    /* Fill behind the terminator, or the whole buffer on failure. */
    memset(a, 'X', sizeof(a));
    CHECK_STATUS(RtlStringCchCopyExA(a, sizeof(a), "ab", &aend, &remaining,
                                     STRSAFE_FILL_BYTE('-')),
                 STATUS_SUCCESS);
    CHECK(memcmp(a, "ab\0-----", 8) == 0 && aend == a + 2 && remaining == 6);
    CHECK_STATUS(RtlStringCchCopyExA(a, sizeof(a), "0123456789", &aend, &remaining,
                                     STRSAFE_FAILURE_BYTE('*')),
                 STATUS_BUFFER_OVERFLOW);
    CHECK(memcmp(a, "*******\0", 8) == 0 && aend == a + 7 && remaining == 1);
    /* STRSAFE_IGNORE_NULLS: NULL source is "", NULL destination of size 0 is allowed. */
    CHECK_STATUS(RtlStringCchCopyExA(a, sizeof(a), NULL, &aend, &remaining,
                                     STRSAFE_IGNORE_NULLS),
                 STATUS_SUCCESS);
    CHECK(a[0] == 0 && remaining == 8);
    CHECK_STATUS(RtlStringCchCopyExA(NULL, 0, NULL, NULL, NULL, STRSAFE_IGNORE_NULLS),
                 STATUS_SUCCESS);
    CHECK_STATUS(RtlStringCchCopyExA(NULL, 0, "x", NULL, NULL, STRSAFE_IGNORE_NULLS),
                 STATUS_INVALID_PARAMETER);
    CHECK_STATUS(RtlStringCchCopyExA(a, sizeof(a), "x", NULL, NULL, 0x80000000),
                 STATUS_INVALID_PARAMETER);
    CHECK_STATUS(RtlStringCchPrintfExW(w, RTL_NUMBER_OF(w), &end, &remaining, 0, L"%d%d", 12,
                                       34),
                 STATUS_SUCCESS);
    CHECK(WEq(w, L"1234") && end == w + 4 && remaining == 4);
    CHECK_STATUS(RtlStringCbPrintfExW(w, sizeof(w), &end, &remaining, 0, L"%s", L"123456789"),
                 STATUS_BUFFER_OVERFLOW);
    CHECK(WEq(w, L"1234567") && end == w + 7 && remaining == 2); /* bytes */
    CHECK_STATUS(RtlStringCbCopyExW(w, 9, L"ab", &end, &remaining, 0), STATUS_SUCCESS);
    CHECK_EQ(remaining, 5); /* 2 chars left plus the odd byte */
}

static void TestUnicodeString(void)
{
    WCHAR buf[6];
    UNICODE_STRING dst, src, bad;

    CHECK_STATUS(RtlUnicodeStringInit(&src, L"source"), STATUS_SUCCESS);
    CHECK(src.Length == 12 && src.MaximumLength == 14);
    CHECK_STATUS(RtlUnicodeStringInit(&src, NULL), STATUS_SUCCESS);
    CHECK(src.Buffer == NULL && src.Length == 0);
    CHECK_STATUS(RtlUnicodeStringValidate(&src), STATUS_SUCCESS);
    bad.Buffer = buf;
    bad.Length = 3;
    bad.MaximumLength = 12;
    CHECK_STATUS(RtlUnicodeStringValidate(&bad), STATUS_INVALID_PARAMETER); /* odd Length */
    bad.Length = 14;
    CHECK_STATUS(RtlUnicodeStringValidate(&bad), STATUS_INVALID_PARAMETER); /* Length > Max */
    bad.Buffer = NULL;
    bad.Length = 0;
    bad.MaximumLength = 2;
    CHECK_STATUS(RtlUnicodeStringValidate(&bad), STATUS_INVALID_PARAMETER);
    CHECK_STATUS(RtlUnicodeStringValidate(NULL), STATUS_INVALID_PARAMETER);

    RtlInitEmptyUnicodeString(&dst, buf, sizeof(buf));
    RtlUnicodeStringInit(&src, L"abcd");
    CHECK_STATUS(RtlUnicodeStringCopy(&dst, &src), STATUS_SUCCESS);
    CHECK(UsIs(&dst, L"abcd"));
    CHECK_STATUS(RtlUnicodeStringCat(&dst, &src), STATUS_BUFFER_OVERFLOW);
    CHECK(UsIs(&dst, L"abcdab")); /* the whole buffer, no terminator */
    CHECK_STATUS(RtlUnicodeStringCopyString(&dst, L"xy"), STATUS_SUCCESS);
    CHECK(UsIs(&dst, L"xy"));
    CHECK_STATUS(RtlUnicodeStringCatString(&dst, L"zw"), STATUS_SUCCESS);
    CHECK(UsIs(&dst, L"xyzw"));
    CHECK_STATUS(RtlUnicodeStringCatString(&dst, L"123"), STATUS_BUFFER_OVERFLOW);
    CHECK(UsIs(&dst, L"xyzw12"));
    CHECK_STATUS(RtlUnicodeStringCopyString(&dst, L"toolong"), STATUS_BUFFER_OVERFLOW);
    CHECK(UsIs(&dst, L"toolon"));
    CHECK_STATUS(RtlUnicodeStringPrintf(&dst, L"%d:%s", 7, L"ok"), STATUS_SUCCESS);
    CHECK(UsIs(&dst, L"7:ok"));
    CHECK_STATUS(RtlUnicodeStringPrintf(&dst, L"%s", L"123456"), STATUS_SUCCESS); /* no NUL */
    CHECK(UsIs(&dst, L"123456"));
    CHECK_STATUS(RtlUnicodeStringPrintf(&dst, L"%s", L"1234567"), STATUS_BUFFER_OVERFLOW);
    CHECK(UsIs(&dst, L"123456"));
    CHECK_STATUS(RtlUnicodeStringCopy(&dst, &bad), STATUS_INVALID_PARAMETER);
}

int main(void)
{
    TestCopy();
    TestCat();
    TestPrintf();
    TestLength();
    TestEx();
    TestUnicodeString();
    return NTK_TEST_SUMMARY();
}
