// operator new/delete for the driver: pool allocations counted so that the driver can report
// what is still live. Pool blocks remember their own size, so the sized deletes need not.
#include "kcpp.h"

static volatile LONG g_Live;
static volatile LONG g_Total;

static void* KcppAllocate(size_t size, POOL_FLAGS flags, ULONG tag)
{
    // ExAllocatePool2 zero-initializes unless POOL_FLAG_UNINITIALIZED is given.
    void* p = ExAllocatePool2(flags, size, tag);
    if (p) {
        InterlockedIncrement(&g_Live);
        InterlockedIncrement(&g_Total);
    }
    return p;
}

static void KcppFree(void* p)
{
    if (p) {
        InterlockedDecrement(&g_Live);
        ExFreePool(p);
    }
}

void* __cdecl operator new(size_t size, POOL_FLAGS flags, ULONG tag) noexcept
{
    return KcppAllocate(size, flags, tag);
}

void* __cdecl operator new[](size_t size, POOL_FLAGS flags, ULONG tag) noexcept
{
    return KcppAllocate(size, flags, tag);
}

void __cdecl operator delete(void* p) noexcept { KcppFree(p); }
void __cdecl operator delete(void* p, size_t) noexcept { KcppFree(p); }
void __cdecl operator delete[](void* p) noexcept { KcppFree(p); }
void __cdecl operator delete[](void* p, size_t) noexcept { KcppFree(p); }
void __cdecl operator delete(void* p, POOL_FLAGS, ULONG) noexcept { KcppFree(p); }
void __cdecl operator delete[](void* p, POOL_FLAGS, ULONG) noexcept { KcppFree(p); }

LONG KcppLiveAllocations() { return g_Live; }
ULONG KcppTotalAllocations() { return (ULONG)g_Total; }
