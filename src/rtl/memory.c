/* Rtl memory routines that are functions rather than header macros, and fail-fast. */
#include "rtlp.h"
#include <ntk/bugcodes.h>

NTSYSAPI SIZE_T NTAPI RtlCompareMemory(const VOID *Source1, const VOID *Source2, SIZE_T Length)
{
    const UCHAR *p1 = Source1, *p2 = Source2;
    SIZE_T i;

    /* Zero length never dereferences, so NULL pointers are fine then. */
    for (i = 0; i < Length && p1[i] == p2[i]; i++)
        ;
    return i;
}

NTSYSAPI PVOID RtlpSecureZeroMemory(PVOID Ptr, SIZE_T Cnt)
{
    volatile UCHAR *p = Ptr;

    /* Volatile stores cannot be elided, and the barrier keeps the compiler from proving the
     * buffer dead afterwards. */
    while (Cnt-- != 0)
        *p++ = 0;
    __asm__ __volatile__("" : : "r"(Ptr) : "memory");
    return Ptr;
}

NTKERNELAPI DECLSPEC_NORETURN VOID RtlFailFast(ULONG Code)
{
    /* What __fastfail does in kernel mode. */
    KeBugCheckEx(KERNEL_SECURITY_CHECK_FAILURE, Code, 0, 0, 0);
}
