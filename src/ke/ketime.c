/* Ke: system time, interrupt time, performance counter, stalls. */
#include "ki.h"
#include <time.h>

/* The clock interval NT reports: 15.625 ms in 100 ns units. */
#define KI_TIME_INCREMENT 156250

VOID KeQuerySystemTime(PLARGE_INTEGER CurrentTime)
{
    CurrentTime->QuadPart = (LONGLONG)KiQuerySystemTime();
}

VOID KeQuerySystemTimePrecise(PLARGE_INTEGER CurrentTime)
{
    CurrentTime->QuadPart = (LONGLONG)KiQuerySystemTime();
}

ULONGLONG KeQueryInterruptTime(VOID)
{
    return KiQueryInterruptTime();
}

VOID KeQueryTickCount(PLARGE_INTEGER TickCount)
{
    TickCount->QuadPart = (LONGLONG)(KiQueryInterruptTime() / KI_TIME_INCREMENT);
}

ULONG KeQueryTimeIncrement(VOID)
{
    return KI_TIME_INCREMENT;
}

LARGE_INTEGER KeQueryPerformanceCounter(PLARGE_INTEGER PerformanceFrequency)
{
    LARGE_INTEGER Counter;
    /* 10 MHz, as current Windows reports on most machines. */
    if (PerformanceFrequency)
        PerformanceFrequency->QuadPart = 10000000;
    Counter.QuadPart = (LONGLONG)KiQueryInterruptTime();
    return Counter;
}

/* A stall busy-waits. Under virtual time it is the one way a busy thread moves the clock: the
 * stall's length passes at once, so counters, timeouts and the DPC watchdog all see it. */
VOID KeStallExecutionProcessor(ULONG MicroSeconds)
{
    ULONGLONG End;
    if (KiVirtualTime) {
        KiAdvanceVirtualTime((ULONGLONG)MicroSeconds * 10);
        KiDpcWatchdogCheck();
        return;
    }
    End = KiHostNanoseconds() + (ULONGLONG)MicroSeconds * 1000;
    while (KiHostNanoseconds() < End)
        __builtin_ia32_pause();
}
