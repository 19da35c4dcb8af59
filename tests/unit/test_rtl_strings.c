/* Rtl counted strings, case mapping, numbers, conversions and memory routines. */
#include <ntk/rtl.h>
#include <ntstrsafe.h>
#include <ntk/host.h>
#include "rtlp.h"
#include "ntktest.h"
#include <string.h>

/* wchar_t is 16-bit here: compare by hand (never glibc's wcs* functions). */
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

/* The counted string holds exactly Literal (terminator not required). */
static int UsIs(PCUNICODE_STRING s, PCWSTR Literal)
{
    size_t n = WLen(Literal);
    return s->Length == n * sizeof(WCHAR) && memcmp(s->Buffer, Literal, s->Length) == 0;
}

static void TestInit(void)
{
    UNICODE_STRING us;
    ANSI_STRING as;
    static WCHAR big[40000];
    size_t i;

    RtlInitUnicodeString(&us, L"abc");
    CHECK_EQ(us.Length, 6);
    CHECK_EQ(us.MaximumLength, 8);
    CHECK(us.Buffer != NULL && WEq(us.Buffer, L"abc"));
    RtlInitUnicodeString(&us, NULL);
    CHECK_EQ(us.Length, 0);
    CHECK_EQ(us.MaximumLength, 0);
    CHECK(us.Buffer == NULL);
    RtlInitUnicodeString(&us, L"");
    CHECK_EQ(us.Length, 0);
    CHECK_EQ(us.MaximumLength, 2);

    CHECK_STATUS(RtlInitUnicodeStringEx(&us, L"hello"), STATUS_SUCCESS);
    CHECK_EQ(us.Length, 10);
    CHECK_EQ(us.MaximumLength, 12);
    CHECK_STATUS(RtlInitUnicodeStringEx(&us, NULL), STATUS_SUCCESS);
    CHECK(us.Buffer == NULL && us.Length == 0 && us.MaximumLength == 0);
    for (i = 0; i < 32766; i++)
        big[i] = L'x';
    big[32766] = 0;
    CHECK_STATUS(RtlInitUnicodeStringEx(&us, big), STATUS_SUCCESS);
    CHECK_EQ(us.Length, 65532);
    CHECK_EQ(us.MaximumLength, 65534);
    big[32766] = L'x';
    big[32767] = 0;
    CHECK_STATUS(RtlInitUnicodeStringEx(&us, big), STATUS_NAME_TOO_LONG);
    /* The plain form truncates instead of failing. */
    for (i = 0; i < 39999; i++)
        big[i] = L'y';
    big[39999] = 0;
    RtlInitUnicodeString(&us, big);
    CHECK_EQ(us.Length, 65532);
    CHECK_EQ(us.MaximumLength, 65534);

    RtlInitAnsiString(&as, "narrow");
    CHECK_EQ(as.Length, 6);
    CHECK_EQ(as.MaximumLength, 7);
    RtlInitString(&as, NULL);
    CHECK(as.Buffer == NULL && as.Length == 0 && as.MaximumLength == 0);
    CHECK_STATUS(RtlInitAnsiStringEx(&as, "x"), STATUS_SUCCESS);
    CHECK_EQ(as.Length, 1);

    {
        WCHAR buf[8];
        RtlInitEmptyUnicodeString(&us, buf, sizeof(buf));
        CHECK_EQ(us.Length, 0);
        CHECK_EQ(us.MaximumLength, 16);
        CHECK(us.Buffer == buf);
    }
    {
        UNICODE_STRING k = RTL_CONSTANT_STRING(L"const");
        CHECK_EQ(k.Length, 10);
        CHECK_EQ(k.MaximumLength, 12);
    }
}

static void TestCopyCompare(void)
{
    WCHAR buf[8];
    UNICODE_STRING dst, src, a, b;

    RtlInitUnicodeString(&src, L"abcdef");
    RtlInitEmptyUnicodeString(&dst, buf, sizeof(buf));
    RtlCopyUnicodeString(&dst, &src);
    CHECK(UsIs(&dst, L"abcdef"));
    CHECK_EQ(buf[6], 0); /* room left: terminated */

    /* Truncation to the destination's MaximumLength, no room for a terminator. */
    RtlInitEmptyUnicodeString(&dst, buf, 6);
    buf[3] = L'!';
    RtlCopyUnicodeString(&dst, &src);
    CHECK_EQ(dst.Length, 6);
    CHECK(UsIs(&dst, L"abc"));
    CHECK_EQ(buf[3], L'!');

    RtlCopyUnicodeString(&dst, NULL);
    CHECK_EQ(dst.Length, 0);

    RtlInitUnicodeString(&a, L"Hello");
    RtlInitUnicodeString(&b, L"hello");
    CHECK(RtlCompareUnicodeString(&a, &b, FALSE) < 0); /* 'H' < 'h' */
    CHECK_EQ(RtlCompareUnicodeString(&a, &b, TRUE), 0);
    CHECK(RtlEqualUnicodeString(&a, &b, TRUE));
    CHECK(!RtlEqualUnicodeString(&a, &b, FALSE));
    RtlInitUnicodeString(&b, L"Help");
    CHECK(RtlCompareUnicodeString(&a, &b, FALSE) < 0); /* 'l' < 'p' */
    RtlInitUnicodeString(&b, L"Hell");
    CHECK(RtlCompareUnicodeString(&b, &a, FALSE) < 0); /* shorter prefix first */
    CHECK(RtlCompareUnicodeString(&a, &b, FALSE) > 0);
    CHECK(RtlPrefixUnicodeString(&b, &a, FALSE));
    CHECK(!RtlPrefixUnicodeString(&a, &b, FALSE));
    RtlInitUnicodeString(&b, L"HELL");
    CHECK(RtlPrefixUnicodeString(&b, &a, TRUE));
    CHECK(!RtlPrefixUnicodeString(&b, &a, FALSE));
    CHECK(RtlCompareUnicodeStrings(L"abc", 3, L"ABD", 3, TRUE) < 0);
    CHECK_EQ(RtlCompareUnicodeStrings(L"\x00E9t\x00E9", 3, L"\x00C9T\x00C9", 3, TRUE), 0);

    /* Name lookups in the object manager compare Cyrillic and Greek case-insensitively too. */
    RtlInitUnicodeString(&a, L"\x0434\x0440\x0430\x0439\x0432\x0435\x0440");
    RtlInitUnicodeString(&b, L"\x0414\x0420\x0410\x0419\x0412\x0415\x0420");
    CHECK(RtlEqualUnicodeString(&a, &b, TRUE));
}

static void TestAppend(void)
{
    WCHAR buf[8];
    UNICODE_STRING dst, src;

    RtlInitEmptyUnicodeString(&dst, buf, sizeof(buf));
    CHECK_STATUS(RtlAppendUnicodeToString(&dst, L"abc"), STATUS_SUCCESS);
    CHECK(UsIs(&dst, L"abc"));
    CHECK_EQ(buf[3], 0);
    CHECK_STATUS(RtlAppendUnicodeToString(&dst, L"defghi"), STATUS_BUFFER_TOO_SMALL);
    CHECK(UsIs(&dst, L"abc")); /* unchanged on overflow */
    CHECK_STATUS(RtlAppendUnicodeToString(&dst, L"defg"), STATUS_SUCCESS);
    CHECK(UsIs(&dst, L"abcdefg"));
    CHECK_STATUS(RtlAppendUnicodeToString(&dst, L"h"), STATUS_SUCCESS);
    CHECK_EQ(dst.Length, 16); /* exactly full: no terminator */
    CHECK_STATUS(RtlAppendUnicodeToString(&dst, NULL), STATUS_SUCCESS);
    CHECK_STATUS(RtlAppendUnicodeToString(&dst, L""), STATUS_SUCCESS);

    RtlInitEmptyUnicodeString(&dst, buf, sizeof(buf));
    RtlInitUnicodeString(&src, L"1234");
    CHECK_STATUS(RtlAppendUnicodeStringToString(&dst, &src), STATUS_SUCCESS);
    CHECK_STATUS(RtlAppendUnicodeStringToString(&dst, &src), STATUS_SUCCESS);
    CHECK(UsIs(&dst, L"12341234"));
    CHECK_STATUS(RtlAppendUnicodeStringToString(&dst, &src), STATUS_BUFFER_TOO_SMALL);
    CHECK_EQ(dst.Length, 16);
}

static void TestCase(void)
{
    WCHAR buf[16];
    UNICODE_STRING dst, src;
    WCHAR c;

    CHECK_EQ(RtlUpcaseUnicodeChar(L'a'), L'A');
    CHECK_EQ(RtlUpcaseUnicodeChar(L'z'), L'Z');
    CHECK_EQ(RtlUpcaseUnicodeChar(L'A'), L'A');
    CHECK_EQ(RtlUpcaseUnicodeChar(L'1'), L'1');
    CHECK_EQ(RtlUpcaseUnicodeChar(0x00E9), 0x00C9); /* é */
    CHECK_EQ(RtlUpcaseUnicodeChar(0x00F7), 0x00F7); /* ÷ has no case */
    CHECK_EQ(RtlUpcaseUnicodeChar(0x00FF), 0x0178); /* ÿ */
    CHECK_EQ(RtlUpcaseUnicodeChar(0x0101), 0x0100); /* ā */
    CHECK_EQ(RtlUpcaseUnicodeChar(0x013E), 0x013D); /* ľ */
    CHECK_EQ(RtlUpcaseUnicodeChar(0x017E), 0x017D); /* ž */
    CHECK_EQ(RtlUpcaseUnicodeChar(0x03B1), 0x0391); /* α */
    CHECK_EQ(RtlUpcaseUnicodeChar(0x03C2), 0x03A3); /* final ς */
    CHECK_EQ(RtlUpcaseUnicodeChar(0x03CE), 0x038F); /* ώ */
    CHECK_EQ(RtlUpcaseUnicodeChar(0x0436), 0x0416); /* ж */
    CHECK_EQ(RtlUpcaseUnicodeChar(0x0451), 0x0401); /* ё */
    CHECK_EQ(RtlUpcaseUnicodeChar(0x0491), 0x0490); /* ґ */
    CHECK_EQ(RtlUpcaseUnicodeChar(0xFF41), 0xFF21); /* fullwidth a */
    CHECK_EQ(RtlUpcaseUnicodeChar(0x4E2D), 0x4E2D); /* caseless */
    CHECK_EQ(RtlDowncaseUnicodeChar(L'Q'), L'q');
    CHECK_EQ(RtlDowncaseUnicodeChar(0x00C9), 0x00E9);
    CHECK_EQ(RtlDowncaseUnicodeChar(0x00D7), 0x00D7); /* × */
    CHECK_EQ(RtlDowncaseUnicodeChar(0x0178), 0x00FF);
    CHECK_EQ(RtlDowncaseUnicodeChar(0x03A3), 0x03C3);
    CHECK_EQ(RtlDowncaseUnicodeChar(0x0401), 0x0451);
    CHECK_EQ(RtlUpperChar('q'), 'Q');
    CHECK_EQ(RtlUpperChar('#'), '#');
    /* Every mapped pair round-trips. */
    for (c = 1; c < 0xFFFF; c++) {
        WCHAR u = RtlUpcaseUnicodeChar(c);
        if (u != c && RtlDowncaseUnicodeChar(u) != c && c != 0xB5 && c != 0x131 && c != 0x17F &&
            c != 0x3C2) {
            CHECK_EQ(RtlDowncaseUnicodeChar(u), c);
            break;
        }
    }

    RtlInitUnicodeString(&src, L"MiXeD \x00E9");
    RtlInitEmptyUnicodeString(&dst, buf, sizeof(buf));
    CHECK_STATUS(RtlUpcaseUnicodeString(&dst, &src, FALSE), STATUS_SUCCESS);
    CHECK(UsIs(&dst, L"MIXED \x00C9"));
    CHECK_STATUS(RtlDowncaseUnicodeString(&dst, &src, FALSE), STATUS_SUCCESS);
    CHECK(UsIs(&dst, L"mixed \x00E9"));
    RtlInitEmptyUnicodeString(&dst, buf, 4);
    CHECK_STATUS(RtlUpcaseUnicodeString(&dst, &src, FALSE), STATUS_BUFFER_OVERFLOW);
    CHECK_STATUS(RtlUpcaseUnicodeString(&dst, &src, TRUE), STATUS_SUCCESS);
    CHECK(UsIs(&dst, L"MIXED \x00C9"));
    CHECK_EQ(dst.MaximumLength, src.Length);
    RtlFreeUnicodeString(&dst);
    CHECK(dst.Buffer == NULL && dst.Length == 0 && dst.MaximumLength == 0);
}

static void TestDuplicate(void)
{
    UNICODE_STRING src, out, empty = {0, 0, NULL};

    RtlInitUnicodeString(&src, L"dup");
    CHECK_STATUS(RtlDuplicateUnicodeString(RTL_DUPLICATE_UNICODE_STRING_NULL_TERMINATE, &src,
                                           &out),
                 STATUS_SUCCESS);
    CHECK(UsIs(&out, L"dup"));
    CHECK_EQ(out.MaximumLength, 8);
    CHECK_EQ(out.Buffer[3], 0);
    CHECK(out.Buffer != src.Buffer);
    RtlFreeUnicodeString(&out);

    CHECK_STATUS(RtlDuplicateUnicodeString(0, &src, &out), STATUS_SUCCESS);
    CHECK_EQ(out.MaximumLength, 6);
    RtlFreeUnicodeString(&out);

    CHECK_STATUS(RtlDuplicateUnicodeString(RTL_DUPLICATE_UNICODE_STRING_NULL_TERMINATE, &empty,
                                           &out),
                 STATUS_SUCCESS);
    CHECK(out.Buffer == NULL && out.Length == 0 && out.MaximumLength == 0);
    CHECK_STATUS(RtlDuplicateUnicodeString(3, &empty, &out), STATUS_SUCCESS);
    CHECK(out.Buffer != NULL && out.Length == 0 && out.MaximumLength == 2 && out.Buffer[0] == 0);
    RtlFreeUnicodeString(&out);
    CHECK_STATUS(RtlDuplicateUnicodeString(4, &src, &out), STATUS_INVALID_PARAMETER);
    CHECK_STATUS(RtlDuplicateUnicodeString(0, NULL, &out), STATUS_INVALID_PARAMETER);
    CHECK_STATUS(RtlDuplicateUnicodeString(0, &src, NULL), STATUS_INVALID_PARAMETER);

    CHECK(RtlCreateUnicodeString(&out, L"created"));
    CHECK(UsIs(&out, L"created"));
    CHECK_EQ(out.MaximumLength, 16);
    CHECK_EQ(out.Buffer[7], 0);
    RtlFreeUnicodeString(&out);
    RtlFreeUnicodeString(&out); /* freeing an empty string is harmless */
}

static void TestAnsi(void)
{
    ANSI_STRING as, adst;
    UNICODE_STRING us;
    WCHAR wbuf[8];
    char abuf[8];

    RtlInitAnsiString(&as, "ansi");
    CHECK_STATUS(RtlAnsiStringToUnicodeString(&us, &as, TRUE), STATUS_SUCCESS);
    CHECK(UsIs(&us, L"ansi"));
    CHECK_EQ(us.MaximumLength, 10);
    CHECK_EQ(us.Buffer[4], 0);
    CHECK_EQ(RtlAnsiStringToUnicodeSize(&as), 10);
    RtlFreeUnicodeString(&us);

    /* The ANSI code page is UTF-8. */
    RtlInitAnsiString(&as, "caf\xC3\xA9");
    RtlInitEmptyUnicodeString(&us, wbuf, sizeof(wbuf));
    CHECK_STATUS(RtlAnsiStringToUnicodeString(&us, &as, FALSE), STATUS_SUCCESS);
    CHECK(UsIs(&us, L"caf\x00E9"));
    RtlInitEmptyAnsiString(&adst, abuf, sizeof(abuf));
    CHECK_EQ(RtlUnicodeStringToAnsiSize(&us), 6);
    CHECK_STATUS(RtlUnicodeStringToAnsiString(&adst, &us, FALSE), STATUS_SUCCESS);
    CHECK_EQ(adst.Length, 5);
    CHECK(memcmp(abuf, "caf\xC3\xA9", 6) == 0);

    RtlInitAnsiString(&as, "toolongforit");
    RtlInitEmptyUnicodeString(&us, wbuf, sizeof(wbuf));
    CHECK_STATUS(RtlAnsiStringToUnicodeString(&us, &as, FALSE), STATUS_BUFFER_OVERFLOW);
    CHECK_EQ(us.Length, 0);

    /* Unicode -> ANSI converts what fits, terminated, and says so. */
    RtlInitUnicodeString(&us, L"0123456789");
    RtlInitEmptyAnsiString(&adst, abuf, sizeof(abuf));
    CHECK_STATUS(RtlUnicodeStringToAnsiString(&adst, &us, FALSE), STATUS_BUFFER_OVERFLOW);
    CHECK_EQ(adst.Length, 7);
    CHECK(strcmp(abuf, "0123456") == 0);
    CHECK_STATUS(RtlUnicodeStringToAnsiString(&adst, &us, TRUE), STATUS_SUCCESS);
    CHECK_EQ(adst.Length, 10);
    CHECK_EQ(adst.MaximumLength, 11);
    CHECK(strcmp(adst.Buffer, "0123456789") == 0);
    RtlFreeAnsiString(&adst);
    CHECK(adst.Buffer == NULL);

    {
        STRING s1, s2, d;
        char buf[6];
        RtlInitString(&s1, "Alpha");
        RtlInitString(&s2, "ALPHA");
        CHECK(RtlEqualString(&s1, &s2, TRUE));
        CHECK(!RtlEqualString(&s1, &s2, FALSE));
        CHECK(RtlCompareString(&s1, &s2, FALSE) > 0);
        RtlInitString(&s2, "Al");
        CHECK(RtlPrefixString(&s2, &s1, FALSE));
        RtlInitEmptyAnsiString(&d, buf, sizeof(buf));
        RtlCopyString(&d, &s1);
        CHECK_EQ(d.Length, 5);
        CHECK(strcmp(buf, "Alpha") == 0);
        CHECK_STATUS(RtlAppendStringToString(&d, &s2), STATUS_BUFFER_TOO_SMALL);
        RtlUpperString(&d, &s1);
        CHECK(memcmp(buf, "ALPHA", 5) == 0);
    }
}

static void TestIntegers(void)
{
    UNICODE_STRING us;
    WCHAR buf[40];
    ULONG v = 0;

#define PARSE(text, base, expected, status)                                                       \
    do {                                                                                          \
        RtlInitUnicodeString(&us, text);                                                          \
        v = 0xDEADBEEF;                                                                           \
        CHECK_STATUS(RtlUnicodeStringToInteger(&us, base, &v), status);                           \
        if ((status) == STATUS_SUCCESS)                                                           \
            CHECK_EQ(v, (ULONG)(expected));                                                       \
    } while (0)
    PARSE(L"123", 10, 123, STATUS_SUCCESS);
    PARSE(L"  \t42", 10, 42, STATUS_SUCCESS);
    PARSE(L"-12", 10, (ULONG)-12, STATUS_SUCCESS);
    PARSE(L"+7", 0, 7, STATUS_SUCCESS);
    PARSE(L"0x1F", 0, 0x1F, STATUS_SUCCESS);
    PARSE(L"0o17", 0, 017, STATUS_SUCCESS);
    PARSE(L"0b101", 0, 5, STATUS_SUCCESS);
    PARSE(L"1F", 16, 0x1F, STATUS_SUCCESS);
    PARSE(L"ff", 16, 0xFF, STATUS_SUCCESS);
    PARSE(L"777", 8, 0777, STATUS_SUCCESS);
    PARSE(L"1012", 2, 5, STATUS_SUCCESS); /* stops at the first non-digit */
    PARSE(L"12abc", 10, 12, STATUS_SUCCESS);
    PARSE(L"", 10, 0, STATUS_SUCCESS);
    PARSE(L"0x", 0, 0, STATUS_SUCCESS);
    PARSE(L"4294967295", 10, 0xFFFFFFFF, STATUS_SUCCESS);
    PARSE(L"10", 3, 0, STATUS_INVALID_PARAMETER);
    PARSE(L"10", 36, 0, STATUS_INVALID_PARAMETER);
#undef PARSE
    CHECK_STATUS(RtlCharToInteger("  -0x10", 0, &v), STATUS_SUCCESS);
    CHECK_EQ(v, (ULONG)-16);
    CHECK_STATUS(RtlCharToInteger("99", 7, &v), STATUS_INVALID_PARAMETER);

    RtlInitEmptyUnicodeString(&us, buf, sizeof(buf));
    CHECK_STATUS(RtlIntegerToUnicodeString(1234, 0, &us), STATUS_SUCCESS);
    CHECK(UsIs(&us, L"1234"));
    CHECK_EQ(buf[4], 0);
    CHECK_STATUS(RtlIntegerToUnicodeString(0xBEEF, 16, &us), STATUS_SUCCESS);
    CHECK(UsIs(&us, L"BEEF"));
    CHECK_STATUS(RtlIntegerToUnicodeString(5, 2, &us), STATUS_SUCCESS);
    CHECK(UsIs(&us, L"101"));
    CHECK_STATUS(RtlIntegerToUnicodeString(8, 8, &us), STATUS_SUCCESS);
    CHECK(UsIs(&us, L"10"));
    CHECK_STATUS(RtlIntegerToUnicodeString(0, 10, &us), STATUS_SUCCESS);
    CHECK(UsIs(&us, L"0"));
    CHECK_STATUS(RtlIntegerToUnicodeString(1, 7, &us), STATUS_INVALID_PARAMETER);
    CHECK_STATUS(RtlInt64ToUnicodeString(0xFFFFFFFFFFFFFFFFULL, 10, &us), STATUS_SUCCESS);
    CHECK(UsIs(&us, L"18446744073709551615"));
    /* "1234" plus its terminator needs 10 bytes. */
    RtlInitEmptyUnicodeString(&us, buf, 8);
    CHECK_STATUS(RtlIntegerToUnicodeString(1234, 10, &us), STATUS_BUFFER_OVERFLOW);
    RtlInitEmptyUnicodeString(&us, buf, 10);
    CHECK_STATUS(RtlIntegerToUnicodeString(1234, 10, &us), STATUS_SUCCESS);
}

static void TestMemory(void)
{
    UCHAR a[8] = {1, 2, 3, 4, 5, 6, 7, 8}, b[8] = {1, 2, 3, 9, 5, 6, 7, 8};
    UCHAR secret[16];

    CHECK_EQ(RtlCompareMemory(a, b, 8), 3);
    CHECK_EQ(RtlCompareMemory(a, a, 8), 8);
    CHECK_EQ(RtlCompareMemory(NULL, NULL, 0), 0);
    CHECK(RtlEqualMemory(a, b, 3));
    CHECK(!RtlEqualMemory(a, b, 4));
    CHECK(RtlEqualMemory(NULL, NULL, 0));
    RtlCopyMemory(NULL, NULL, 0);
    RtlMoveMemory(NULL, NULL, 0);
    RtlZeroMemory(NULL, 0);
    RtlFillMemory(NULL, 0, 0xAA);
    RtlFillMemory(a, 4, 0xAA);
    CHECK_EQ(a[3], 0xAA);
    CHECK_EQ(a[4], 5);
    RtlMoveMemory(a + 1, a, 4);
    CHECK_EQ(a[4], 0xAA);
    memset(secret, 0x5A, sizeof(secret));
    CHECK(RtlSecureZeroMemory(secret, sizeof(secret)) == secret);
    CHECK_EQ(secret[0], 0);
    CHECK_EQ(secret[15], 0);
}

static void TestUtf8AndMisc(void)
{
    char out[16];
    WCHAR wout[8];
    ULONG n = 0, hash1 = 0, hash2 = 0;
    UNICODE_STRING us, gs;
    GUID g = {0x12345678, 0x9ABC, 0xDEF0, {0x01, 0x23, 0x45, 0x67, 0x89, 0xAB, 0xCD, 0xEF}}, g2;
    const WCHAR euro[] = {0x20AC, 0xD83D, 0xDE00, 0}; /* € and an emoji (surrogate pair) */
    const WCHAR lone[] = {L'a', 0xD800, L'b'};

    CHECK_STATUS(RtlUnicodeToUTF8N(NULL, 0, &n, euro, 6), STATUS_SUCCESS);
    CHECK_EQ(n, 7);
    CHECK_STATUS(RtlUnicodeToUTF8N(out, sizeof(out), &n, euro, 6), STATUS_SUCCESS);
    CHECK_EQ(n, 7);
    CHECK(memcmp(out, "\xE2\x82\xAC\xF0\x9F\x98\x80", 7) == 0);
    CHECK_STATUS(RtlUnicodeToUTF8N(out, 5, &n, euro, 6), STATUS_BUFFER_TOO_SMALL);
    CHECK_EQ(n, 3); /* whole characters only */
    CHECK_STATUS(RtlUnicodeToUTF8N(out, sizeof(out), &n, lone, 6), STATUS_SOME_NOT_MAPPED);
    CHECK_EQ(n, 5);
    CHECK_STATUS(RtlUnicodeToUTF8N(out, sizeof(out), &n, euro, 3), STATUS_INVALID_PARAMETER_5);
    CHECK_STATUS(RtlUnicodeToUTF8N(NULL, 0, NULL, euro, 2), STATUS_INVALID_PARAMETER);
    CHECK_STATUS(RtlUnicodeToUTF8N(out, 4, &n, NULL, 2), STATUS_INVALID_PARAMETER_4);
    CHECK_STATUS(RtlUTF8ToUnicodeN(wout, sizeof(wout), &n, "\xE2\x82\xAC!", 4), STATUS_SUCCESS);
    CHECK_EQ(n, 4);
    CHECK(wout[0] == 0x20AC && wout[1] == L'!');
    CHECK_STATUS(RtlUTF8ToUnicodeN(wout, sizeof(wout), &n, "a\xFF" "b", 3),
                 STATUS_SOME_NOT_MAPPED);
    CHECK(n == 6 && wout[1] == 0xFFFD && wout[2] == L'b');
    CHECK_STATUS(RtlUTF8ToUnicodeN(NULL, 0, &n, "\xF0\x9F\x98\x80", 4), STATUS_SUCCESS);
    CHECK_EQ(n, 4);

    /* The shared converters: required size with no buffer, units written with one. */
    CHECK_EQ(RtlpUtf16ToUtf8(NULL, 0, euro, 3), 7);
    CHECK_EQ(RtlpUtf16ToUtf8(out, 4, euro, 3), 3);
    CHECK_EQ(RtlpUtf8ToUtf16(NULL, 0, "\xF0\x9F\x98\x80", 4), 2);
    CHECK_EQ(RtlpUtf8ToUtf16(wout, 1, "\xF0\x9F\x98\x80", 4), 0);
    CHECK_EQ(RtlpUtf8ToUtf16(wout, 8, "\xC0\xAF", 2), 2); /* overlong: two U+FFFD */
    CHECK_EQ(RtlpUtf8ToUtf16(wout, 8, "\xED\xA0\x80", 3), 3); /* encoded surrogate */

    RtlInitUnicodeString(&us, L"Device");
    CHECK_STATUS(RtlHashUnicodeString(&us, TRUE, HASH_STRING_ALGORITHM_X65599, &hash1),
                 STATUS_SUCCESS);
    RtlInitUnicodeString(&us, L"DEVICE");
    CHECK_STATUS(RtlHashUnicodeString(&us, FALSE, HASH_STRING_ALGORITHM_DEFAULT, &hash2),
                 STATUS_SUCCESS);
    CHECK_EQ(hash1, hash2);
    CHECK_STATUS(RtlHashUnicodeString(&us, FALSE, 7, &hash2), STATUS_INVALID_PARAMETER);

    CHECK_STATUS(RtlStringFromGUID(&g, &gs), STATUS_SUCCESS);
    CHECK(UsIs(&gs, L"{12345678-9ABC-DEF0-0123-456789ABCDEF}"));
    CHECK_STATUS(RtlGUIDFromString(&gs, &g2), STATUS_SUCCESS);
    CHECK(memcmp(&g, &g2, sizeof(GUID)) == 0);
    RtlFreeUnicodeString(&gs);
    RtlInitUnicodeString(&gs, L"{12345678-9abc-def0-0123-456789abcdeF}");
    CHECK_STATUS(RtlGUIDFromString(&gs, &g2), STATUS_SUCCESS);
    CHECK(memcmp(&g, &g2, sizeof(GUID)) == 0);
    RtlInitUnicodeString(&gs, L"{12345678-9ABC-DEF0-0123-456789ABCDEG}");
    CHECK_STATUS(RtlGUIDFromString(&gs, &g2), STATUS_INVALID_PARAMETER);
    RtlInitUnicodeString(&gs, L"12345678-9ABC-DEF0-0123-456789ABCDEF");
    CHECK_STATUS(RtlGUIDFromString(&gs, &g2), STATUS_INVALID_PARAMETER);
}

static void TestLists(void)
{
    LIST_ENTRY head, a, b;
    SINGLE_LIST_ENTRY shead, s1;

    InitializeListHead(&head);
    CHECK(IsListEmpty(&head));
    InsertTailList(&head, &a);
    InsertHeadList(&head, &b);
    CHECK(head.Flink == &b && head.Blink == &a);
    CHECK(RemoveHeadList(&head) == &b);
    CHECK(RemoveEntryList(&a)); /* the list became empty */
    CHECK(IsListEmpty(&head));
    CHECK(RemoveHeadList(&head) == &head); /* empty list: the head itself */
    shead.Next = NULL;
    PushEntryList(&shead, &s1);
    CHECK(PopEntryList(&shead) == &s1);
    CHECK(PopEntryList(&shead) == NULL);
}

int main(int argc, char **argv)
{
    /* The allocating routines need the kernel's pool. */
    NtkEnsureAddressLayout(argc, argv);
    CHECK_STATUS(NtkInitialize(NULL), STATUS_SUCCESS);
    TestInit();
    TestCopyCompare();
    TestAppend();
    TestCase();
    TestDuplicate();
    TestAnsi();
    TestIntegers();
    TestMemory();
    TestUtf8AndMisc();
    TestLists();
    return NTK_TEST_SUMMARY();
}
