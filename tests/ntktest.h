/* Minimal assertion helpers shared by ntk's unit tests, test drivers and test programs.
 * Each check prints on failure; NTK_TEST_SUMMARY() prints "N passed, M failed" and
 * evaluates to 0 when nothing failed. Header-only so that it serves kernel and user code. */
#ifndef NTK_TEST_H
#define NTK_TEST_H

#include <stdio.h>

static int NtkTestPassed, NtkTestFailed;

#define CHECK(cond)                                                                               \
    do {                                                                                          \
        if (cond) {                                                                               \
            NtkTestPassed++;                                                                      \
        } else {                                                                                  \
            NtkTestFailed++;                                                                      \
            fprintf(stderr, "%s:%d: CHECK failed: %s\n", __FILE__, __LINE__, #cond);              \
        }                                                                                         \
    } while (0)

#define CHECK_EQ(actual, expected)                                                                \
    do {                                                                                          \
        long long _a = (long long)(actual), _e = (long long)(expected);                           \
        if (_a == _e) {                                                                           \
            NtkTestPassed++;                                                                      \
        } else {                                                                                  \
            NtkTestFailed++;                                                                      \
            fprintf(stderr, "%s:%d: CHECK_EQ failed: %s == 0x%llX, expected %s == 0x%llX\n",      \
                    __FILE__, __LINE__, #actual, (unsigned long long)_a, #expected,               \
                    (unsigned long long)_e);                                                      \
        }                                                                                         \
    } while (0)

#define CHECK_STATUS(actual, expected) CHECK_EQ((unsigned)(actual), (unsigned)(expected))

#define NTK_TEST_SUMMARY()                                                                        \
    (printf("%d passed, %d failed\n", NtkTestPassed, NtkTestFailed), NtkTestFailed != 0)

#endif
