// kmtest_seh_cpp: the structured-exception checks of seh_cases.h built as C++, plus what C++
// adds: objects with destructors in __try blocks that end normally, by __leave and by return,
// and a __try inside a member function and a lambda. Any failed check fails DriverEntry.
#include <ntddk.h>
#include "../ntktest.h"

#define SEH_RAISE_STATUS(Status) ExRaiseStatus(Status)
#define SEH_KERNEL 1
#include "seh_cases.h"

namespace {

int Destroyed;

struct Guard {
    int Value;
    explicit Guard(int v) : Value(v) {}
    ~Guard() { Destroyed += Value; }
};

class Device {
public:
    NTSTATUS Probe(const volatile void *Address, SIZE_T Length)
    {
        volatile NTSTATUS Status = STATUS_SUCCESS;
        __try {
            ProbeForRead(Address, Length, 1);
        } __except (EXCEPTION_EXECUTE_HANDLER) {
            Status = GetExceptionCode();
        }
        Calls++;
        return Status;
    }
    int Calls = 0;
};

int ReturnWithGuard()
{
    __try {
        Guard g(10);
        return g.Value;
    } __finally {
        Destroyed += 100; // the destructor ran first: the block was left before the __finally
    }
    return -1;
}

void TestCpp()
{
    Destroyed = 0;
    __try {
        Guard g(1);
    } __finally {
        CHECK_EQ(Destroyed, 1);
    }
    __try {
        Guard g(2);
        if (g.Value == 2)
            __leave;
    } __finally {
        CHECK(!AbnormalTermination());
    }
    CHECK_EQ(Destroyed, 3);
    CHECK_EQ(ReturnWithGuard(), 10);
    CHECK_EQ(Destroyed, 113);

    Device device;
    CHECK_STATUS(device.Probe(MmSystemRangeStart, 4), STATUS_ACCESS_VIOLATION);
    CHECK_STATUS(device.Probe(nullptr, 0), STATUS_SUCCESS);
    CHECK_EQ(device.Calls, 2);

    auto raiseAndCatch = [](NTSTATUS status) -> NTSTATUS {
        volatile NTSTATUS caught = 0;
        __try {
            ExRaiseStatus(status);
        } __except (GetExceptionCode() == status ? EXCEPTION_EXECUTE_HANDLER
                                                 : EXCEPTION_CONTINUE_SEARCH) {
            caught = GetExceptionCode();
        }
        return caught;
    };
    CHECK_STATUS(raiseAndCatch(STATUS_NOT_SUPPORTED), STATUS_NOT_SUPPORTED);
}

} // namespace

extern "C" NTSTATUS DriverEntry(PDRIVER_OBJECT DriverObject, PUNICODE_STRING RegistryPath)
{
    UNREFERENCED_PARAMETER(DriverObject);
    UNREFERENCED_PARAMETER(RegistryPath);
    SehRunAll();
    TestCpp();
    DbgPrint("kmtest_seh_cpp: %s\n", NtkTestFailed ? "some checks failed" : "all checks passed");
    return NTK_TEST_SUMMARY() ? STATUS_UNSUCCESSFUL : STATUS_SUCCESS;
}
