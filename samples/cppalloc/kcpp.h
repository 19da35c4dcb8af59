// C++ in a kernel driver: operator new/delete on top of ExAllocatePool2/ExFreePool, and RAII
// locking. There is no C++ runtime in the kernel: no exceptions, no RTTI, no global operator
// new from a library. A failed allocation returns nullptr (the operators are noexcept, so
// "new (flags, tag) T(...)" checks for it before running the constructor).
#pragma once

#include <ntddk.h>

void* __cdecl operator new(size_t size, POOL_FLAGS flags, ULONG tag) noexcept;
void* __cdecl operator new[](size_t size, POOL_FLAGS flags, ULONG tag) noexcept;
void __cdecl operator delete(void* p) noexcept;
void __cdecl operator delete(void* p, size_t size) noexcept;
void __cdecl operator delete[](void* p) noexcept;
void __cdecl operator delete[](void* p, size_t size) noexcept;
// Called only if a constructor run by the placement form above throws, which cannot happen
// without exceptions; defined so that every new has its delete.
void __cdecl operator delete(void* p, POOL_FLAGS flags, ULONG tag) noexcept;
void __cdecl operator delete[](void* p, POOL_FLAGS flags, ULONG tag) noexcept;

// The driver's allocation counters (operator new calls not matched by a delete, and all).
LONG KcppLiveAllocations();
ULONG KcppTotalAllocations();

class FastMutex {
public:
    void Init() { ExInitializeFastMutex(&m_Mutex); }
    void Lock() { ExAcquireFastMutex(&m_Mutex); }
    void Unlock() { ExReleaseFastMutex(&m_Mutex); }

private:
    FAST_MUTEX m_Mutex;
};

template <typename TLock>
class AutoLock {
public:
    explicit AutoLock(TLock& lock) : m_Lock(lock) { m_Lock.Lock(); }
    ~AutoLock() { m_Lock.Unlock(); }
    AutoLock(const AutoLock&) = delete;
    AutoLock& operator=(const AutoLock&) = delete;

private:
    TLock& m_Lock;
};
