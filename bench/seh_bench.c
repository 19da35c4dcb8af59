/* seh_bench: what a __try costs. Prints, for one iteration each, an empty noinline call (the
 * baseline), an empty __try/__except and __try/__finally that raise nothing, and the cost of an
 * exception caught one call away (constant filter, computed filter, through a __finally), with
 * each one's ratio to the call. Figures only: nothing is asserted. Run from DriverEntry:
 *     ntk run --driver seh_bench.so */
#include <ntddk.h>
#include <stdio.h>
#include <time.h>

#define SEH_BENCH_ITERATIONS 2000000
#define SEH_BENCH_RAISES 200000

static __attribute__((noinline)) void SehBenchEmpty(void)
{
    __asm__ volatile("" ::: "memory");
}

static __attribute__((noinline)) void SehBenchRaise(void)
{
    ExRaiseStatus(STATUS_UNSUCCESSFUL);
}

static __attribute__((noinline)) LONG SehBenchFilter(NTSTATUS Code)
{
    return Code == STATUS_UNSUCCESSFUL ? EXCEPTION_EXECUTE_HANDLER : EXCEPTION_CONTINUE_SEARCH;
}

static double SehBenchNow(void)
{
    struct timespec Now;
    clock_gettime(CLOCK_MONOTONIC, &Now);
    return (double)Now.tv_sec * 1e9 + (double)Now.tv_nsec;
}

#define SEH_BENCH(Name, Count, Statement)                                                         \
    do {                                                                                          \
        double Start = SehBenchNow();                                                             \
        for (int i = 0; i < (Count); i++) {                                                       \
            Statement;                                                                            \
        }                                                                                         \
        Name = (SehBenchNow() - Start) / (Count);                                                 \
    } while (0)

NTSTATUS DriverEntry(PDRIVER_OBJECT DriverObject, PUNICODE_STRING RegistryPath)
{
    double Call, Except, Finally, Raise, Computed, Through;
    UNREFERENCED_PARAMETER(DriverObject);
    UNREFERENCED_PARAMETER(RegistryPath);

    SEH_BENCH(Call, SEH_BENCH_ITERATIONS, SehBenchEmpty());
    SEH_BENCH(Except, SEH_BENCH_ITERATIONS,
              __try { SehBenchEmpty(); } __except (EXCEPTION_EXECUTE_HANDLER) {});
    SEH_BENCH(Finally, SEH_BENCH_ITERATIONS, __try { SehBenchEmpty(); } __finally {});
    SEH_BENCH(Raise, SEH_BENCH_RAISES,
              __try { SehBenchRaise(); } __except (EXCEPTION_EXECUTE_HANDLER) {});
    SEH_BENCH(Computed, SEH_BENCH_RAISES,
              __try { SehBenchRaise(); } __except (SehBenchFilter(GetExceptionCode())) {});
    SEH_BENCH(Through, SEH_BENCH_RAISES, __try {
        __try { SehBenchRaise(); } __finally {}
    } __except (EXCEPTION_EXECUTE_HANDLER) {});
    /* The baseline includes the call in every __try body; subtract it for the __try alone. */
    printf("seh_bench: empty noinline call:                   %7.1f ns\n", Call);
    printf("seh_bench: __try { call } __except, no exception: %7.1f ns  (ratio %.1f; the __try "
           "alone %.1f ns)\n",
           Except, Except / Call, Except - Call);
    printf("seh_bench: __try { call } __finally, no exception:%7.1f ns  (ratio %.1f)\n", Finally,
           Finally / Call);
    printf("seh_bench: ExRaiseStatus caught, constant filter: %7.1f ns  (ratio %.0f)\n", Raise,
           Raise / Call);
    printf("seh_bench: ExRaiseStatus caught, computed filter: %7.1f ns  (ratio %.0f)\n", Computed,
           Computed / Call);
    printf("seh_bench: ExRaiseStatus through a __finally:     %7.1f ns  (ratio %.0f)\n", Through,
           Through / Call);
    return STATUS_SUCCESS;
}
