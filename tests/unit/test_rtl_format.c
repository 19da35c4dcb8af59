/* The Windows-semantics printf engine (RtlpVFormatA/W) and the UTF converters. */
#include <ntk/rtl.h>
#include <ntstrsafe.h>
#include "rtlp.h"
#include "ntktest.h"
#include <string.h>

static char Out[512];
static WCHAR WOut[512];

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

static int CheckA(int line, const char *expected, int n)
{
    int ok = strcmp(Out, expected) == 0 && n == (int)strlen(expected);
    if (!ok)
        fprintf(stderr, "line %d: got \"%s\" (%d), expected \"%s\"\n", line, Out, n, expected);
    return ok;
}

static int CheckW(int line, PCWSTR expected, int n)
{
    int ok = WEq(WOut, expected) && n == (int)WLen(expected);
    if (!ok) {
        char utf8[512];
        size_t k = RtlpUtf16ToUtf8(utf8, sizeof(utf8) - 1, WOut, WLen(WOut));
        utf8[k] = 0;
        fprintf(stderr, "line %d: got L\"%s\" (%d)\n", line, utf8, n);
    }
    return ok;
}

#define FA(expected, ...)                                                                         \
    CHECK(CheckA(__LINE__, expected, RtlpFormatA(Out, sizeof(Out), __VA_ARGS__)))
#define FW(expected, ...)                                                                         \
    CHECK(CheckW(__LINE__, expected, RtlpFormatW(WOut, RTL_NUMBER_OF(WOut), __VA_ARGS__)))

static void TestIntegers(void)
{
    FA("42", "%d", 42);
    FA("-42", "%i", -42);
    FA("4294967295", "%u", 0xFFFFFFFFu);
    FA("ff FF", "%x %X", 255, 255);
    FA("17", "%o", 15);
    FA("0x1f 0X1F 017 0", "%#x %#X %#o %#x", 31, 31, 15, 0);
    FA("+5 -5  5", "%+d %+d % d", 5, -5, 5);
    FA("   42|42   |00042", "%5d|%-5d|%05d", 42, 42, 42);
    FA("-0042", "%05d", -42);
    FA("  042", "%5.3d", 42);
    FA("", "%.0d", 0);
    FA("0000BEEF", "%08X", 0xBEEF);
    FA("0x00ff", "%#06x", 255);
    /* LLP64: l is 32-bit, so a ULONG with %lu reads exactly 32 bits. */
    FA("4000000000 1", "%lu %d", (ULONG)4000000000u, 1);
    FA("-1 1", "%ld %d", (LONG)-1, 1);
    FA("18446744073709551615", "%llu", 0xFFFFFFFFFFFFFFFFULL);
    FA("1234567890ABCDEF", "%I64X", 0x1234567890ABCDEFULL);
    FA("1234567890abcdef", "%I64x", 0x1234567890ABCDEFULL);
    FA("-9000000000", "%I64d", -9000000000LL);
    FA("7 9", "%I32u %u", 7u, 9u);
    FA("123456789012", "%Iu", (SIZE_T)123456789012ULL);
    FA("123456789012 99", "%zu %d", (size_t)123456789012ULL, 99);
    FA("-3", "%jd", (LONGLONG)-3);
    FA("-1", "%td", (ptrdiff_t)-1);
    FA("65535 -1", "%hu %hd", 0xFFFF, 0xFFFF);
    FA("255 -1", "%hhu %hhd", 0x1FF, 0xFF);
    FA("-2147483648", "%d", (int)0x80000000u);
    FA("-9223372036854775808", "%lld", (long long)0x8000000000000000ULL);
    /* '*' width and precision; a negative '*' width left-justifies. */
    FA("   ab|", "%*s|", 5, "ab");
    FA("ab   |", "%*s|", -5, "ab");
    FA("00007", "%.*d", 5, 7);
    FA("7", "%.*d", -1, 7);
    FA("  1.50", "%*.*f", 6, 2, 1.5);
}

static void TestPointers(void)
{
    FA("00000000DEADBEEF", "%p", (PVOID)0xDEADBEEFULL);
    FA("FFFFF80012345678", "%p", (PVOID)0xFFFFF80012345678ULL);
    FA("0000000000000000", "%p", NULL);
    FA("[    0000000000000001]", "[%20p]", (PVOID)1);
}

static void TestStrings(void)
{
    UNICODE_STRING us;
    ANSI_STRING as;
    WCHAR counted[] = {L'a', L'b', L'c', L'X'};

    FA("hello", "%s", "hello");
    FA("[hi      ]", "[%-8s]", "hi");
    FA("[      hi]", "[%8s]", "hi");
    FA("hel", "%.3s", "hello");
    FA("(null)", "%s", (char *)NULL);
    FA("(nu", "%.3s", (char *)NULL);
    /* Wide arguments in narrow output are converted to UTF-8. */
    FA("wide", "%S", L"wide");
    FA("wide", "%ws", L"wide");
    FA("wide", "%ls", L"wide");
    FA("narrow", "%hs", "narrow");
    FA("caf\xC3\xA9 \xE2\x82\xAC", "%ws", L"caf\x00E9 \x20AC");
    FA("\xF0\x9F\x98\x80", "%ws", L"\xD83D\xDE00");
    FA("(null)", "%ws", (WCHAR *)NULL);
    FA("ab", "%.2ws", L"abcdef");
    FA("", "%.1ws", L"\xD83D\xDE00"); /* never half a surrogate pair */
    FA("[  \xC3\xA9]", "[%4ws]", L"\x00E9"); /* width counts output bytes */
    /* Counted strings print Length bytes and need no terminator. */
    us.Buffer = counted;
    us.Length = 3 * sizeof(WCHAR);
    us.MaximumLength = sizeof(counted);
    FA("<abc>", "<%wZ>", &us);
    FA("<ab>", "<%.2wZ>", &us);
    FA("<  abc>", "<%5wZ>", &us);
    FA("(null)", "%wZ", (PUNICODE_STRING)NULL);
    us.Buffer = NULL;
    FA("(null)", "%wZ", &us);
    as.Buffer = "xyzzy";
    as.Length = 3;
    as.MaximumLength = 6;
    FA("xyz", "%Z", &as);
    FA("(null)", "%Z", (PANSI_STRING)NULL);
    /* Characters. */
    FA("A", "%c", 'A');
    FA("[  A]", "[%3c]", 'A');
    FA("\xC3\xA9", "%C", (WCHAR)0x00E9);
    FA("\xE2\x82\xAC", "%wc", (WCHAR)0x20AC);
    FA("%", "%%");
    FA("100%", "%d%%", 100);
}

static void TestMisc(void)
{
    int n = 0;
    char small[8];

    /* %n is consumed and ignored. */
    FA("ab3", "ab%n%d", &n, 3);
    CHECK_EQ(n, 0);
    FA("1.500000 2.5e+00 0.125 1E+10", "%f %.1e %g %G", 1.5, 2.5, 0.125, 1e10);
    FA("3.14", "%.2f", 3.14159);
    FA("0x1p+0", "%a", 1.0);
    FA("[-1.5  ]", "[%-6.1f]", -1.5);
    FA("1.25", "%.2Lf", (long double)1.25);
    /* Unknown conversions print as written. */
    FA("%y", "%y");
    FA("end %", "end %");
    /* The return value is the full length; the buffer holds what fits, terminated. */
    memset(small, 'X', sizeof(small));
    CHECK_EQ(RtlpFormatA(small, sizeof(small), "%s", "0123456789"), 10);
    CHECK(strcmp(small, "0123456") == 0);
    CHECK_EQ(RtlpFormatA(NULL, 0, "%d-%d", 10, 20), 5);
    memset(small, 'X', sizeof(small));
    CHECK_EQ(RtlpFormatA(small, 1, "abc"), 3);
    CHECK_EQ(small[0], 0);
    CHECK_EQ(small[1], 'X');
    /* Truncation never leaves half a UTF-8 sequence. */
    CHECK_EQ(RtlpFormatA(small, 6, "abc%ws", L"\x20AC"), 6);
    CHECK(strcmp(small, "abc") == 0);
    CHECK_EQ(RtlpFormatA(small, 7, "abc%ws", L"\x20AC"), 6);
    CHECK(strcmp(small, "abc\xE2\x82\xAC") == 0);
    CHECK_EQ(RtlpFormatA(small, 5, "ab\xE2\x82\xAC"), 5);
    CHECK(strcmp(small, "ab") == 0);
}

static void TestWide(void)
{
    UNICODE_STRING us;
    ANSI_STRING as;
    WCHAR small[6];

    FW(L"42 -7 ff", L"%d %i %x", 42, -7, 255);
    /* In wide functions %s is wide and %S/%hs narrow (read as UTF-8). */
    FW(L"wide", L"%s", L"wide");
    FW(L"narrow", L"%S", "narrow");
    FW(L"narrow", L"%hs", "narrow");
    FW(L"wide", L"%ls", L"wide");
    FW(L"wide", L"%ws", L"wide");
    FW(L"caf\x00E9", L"%S", "caf\xC3\xA9");
    FW(L"a\xFFFD" L"b", L"%hs", "a\xFF" "b");
    FW(L"(null)", L"%s", (WCHAR *)NULL);
    FW(L"(null)", L"%S", (char *)NULL);
    FW(L"[x   ]", L"[%-4s]", L"x");
    FW(L"W", L"%c", (WCHAR)L'W');
    FW(L"n", L"%C", 'n');
    FW(L"n", L"%hc", 'n');
    FW(L"\x20AC", L"%c", (WCHAR)0x20AC);
    FW(L"0000000000001000", L"%p", (PVOID)0x1000);
    FW(L"1234567890123", L"%I64u", 1234567890123ULL);
    FW(L"4294967295", L"%lu", (ULONG)0xFFFFFFFF);
    RtlInitUnicodeString(&us, L"counted");
    FW(L"<counted>", L"<%wZ>", &us);
    FW(L"<counted>", L"<%Z>", &us); /* native counted string in wide output */
    RtlInitAnsiString(&as, "ansi");
    FW(L"<ansi>", L"<%hZ>", &as);
    FW(L"2.50", L"%.2f", 2.5);
    FW(L"\xD83D\xDE00", L"%S", "\xF0\x9F\x98\x80");
    /* Truncation never leaves a lone high surrogate. */
    CHECK_EQ(RtlpFormatW(small, 6, L"abcd%s", L"\xD83D\xDE00"), 6);
    CHECK(WEq(small, L"abcd"));
    CHECK_EQ(RtlpFormatW(small, 3, L"%d", 12345), 5);
    CHECK(WEq(small, L"12"));
}

static void TestUtf(void)
{
    char u8[16];
    WCHAR u16[8];
    const WCHAR text[] = {L'A', 0x00E9, 0x20AC, 0xD83D, 0xDE00};

    CHECK_EQ(RtlpUtf16ToUtf8(NULL, 0, text, 5), 1 + 2 + 3 + 4);
    CHECK_EQ(RtlpUtf16ToUtf8(u8, sizeof(u8), text, 5), 10);
    CHECK(memcmp(u8, "A\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80", 10) == 0);
    CHECK_EQ(RtlpUtf16ToUtf8(u8, 5, text, 5), 3); /* A and é; € would not fit */
    CHECK_EQ(RtlpUtf8ToUtf16(NULL, 0, "A\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80", 10), 5);
    CHECK_EQ(RtlpUtf8ToUtf16(u16, 8, "A\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80", 10), 5);
    CHECK(memcmp(u16, text, sizeof(text)) == 0);
    CHECK_EQ(RtlpUtf8ToUtf16(u16, 8, "\xE2\x82", 2), 1); /* truncated sequence: one U+FFFD */
    CHECK_EQ(u16[0], 0xFFFD);
    CHECK_EQ(RtlpUtf8ToUtf16(u16, 8, "a\0b", 3), 3); /* NUL is an ordinary char */
    CHECK_EQ(u16[1], 0);
    CHECK_EQ(RtlpUtf8ToUtf16(u16, 8, "\xF4\x90\x80\x80", 4), 4); /* above U+10FFFF */
}

int main(void)
{
    TestIntegers();
    TestPointers();
    TestStrings();
    TestMisc();
    TestWide();
    TestUtf();
    return NTK_TEST_SUMMARY();
}
