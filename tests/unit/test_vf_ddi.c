/* The DDIs' IRQL contracts (src/vf/vfddi.h): a sample against the WDK's reference pages, the
 * table's consistency, and its coverage of the functions the DDK headers declare. */
#include "../../src/vf/vfddi.h"
#include "ntktest.h"
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Declared by the headers, exported by libntk, and deliberately not in the table: the check
 * itself calls them, so a check inside them would recurse. */
static const char *const Exempt[] = {
    "KeGetCurrentIrql",
    "KeBugCheckEx",
    "KeBugCheck",
};

static int IsExempt(const char *Name)
{
    size_t i;
    for (i = 0; i < sizeof(Exempt) / sizeof(Exempt[0]); i++)
        if (strcmp(Exempt[i], Name) == 0)
            return 1;
    return 0;
}

static void CheckContract(const char *Name, KIRQL ExpectedMin, KIRQL ExpectedMax)
{
    KIRQL Min = 0xFF, Max = 0xFF;
    BOOLEAN Found = VfDdiContract(Name, &Min, &Max);
    if (!Found)
        fprintf(stderr, "no contract for %s\n", Name);
    CHECK(Found);
    if (Found && (Min != ExpectedMin || Max != ExpectedMax))
        fprintf(stderr, "%s: contract %u..%u, expected %u..%u\n", Name, Min, Max, ExpectedMin,
                ExpectedMax);
    CHECK_EQ(Min, ExpectedMin);
    CHECK_EQ(Max, ExpectedMax);
}

/* Values from the IRQL row (or the remarks it points to) of each routine's WDK page. */
static void TestDocumentedSample(void)
{
    /* Ke */
    CheckContract("KeSetEvent", PASSIVE_LEVEL, DISPATCH_LEVEL);
    CheckContract("KeInsertQueueDpc", PASSIVE_LEVEL, HIGH_LEVEL);
    CheckContract("KeAcquireSpinLockAtDpcLevel", DISPATCH_LEVEL, HIGH_LEVEL);
    CheckContract("KeAcquireSpinLockRaiseToDpc", PASSIVE_LEVEL, DISPATCH_LEVEL);
    CheckContract("KeReleaseSpinLock", DISPATCH_LEVEL, DISPATCH_LEVEL);
    CheckContract("KeRaiseIrqlToDpcLevel", PASSIVE_LEVEL, DISPATCH_LEVEL);
    CheckContract("KfRaiseIrql", PASSIVE_LEVEL, HIGH_LEVEL);
    CheckContract("KeLowerIrql", PASSIVE_LEVEL, HIGH_LEVEL);
    CheckContract("KeSetPriorityThread", PASSIVE_LEVEL, PASSIVE_LEVEL);
    CheckContract("KeQueryPriorityThread", PASSIVE_LEVEL, PASSIVE_LEVEL);
    CheckContract("KeInitializeTimerEx", PASSIVE_LEVEL, DISPATCH_LEVEL);
    CheckContract("KeInitializeSemaphore", PASSIVE_LEVEL, PASSIVE_LEVEL);
    CheckContract("KeReadStateSemaphore", PASSIVE_LEVEL, HIGH_LEVEL);
    CheckContract("KeInitializeMutex", PASSIVE_LEVEL, HIGH_LEVEL);
    CheckContract("KeFlushQueuedDpcs", PASSIVE_LEVEL, PASSIVE_LEVEL);
    CheckContract("KeDelayExecutionThread", PASSIVE_LEVEL, APC_LEVEL);
    CheckContract("KeEnterCriticalRegion", PASSIVE_LEVEL, APC_LEVEL);
    CheckContract("KeQueryInterruptTime", PASSIVE_LEVEL, HIGH_LEVEL);
    CheckContract("KeSetSystemAffinityThread", PASSIVE_LEVEL, DISPATCH_LEVEL);
    /* Ex */
    CheckContract("ExAllocatePool2", PASSIVE_LEVEL, DISPATCH_LEVEL);
    CheckContract("ExAllocatePoolWithQuotaTag", PASSIVE_LEVEL, DISPATCH_LEVEL);
    CheckContract("ExAcquireFastMutex", PASSIVE_LEVEL, APC_LEVEL);
    CheckContract("ExReleaseFastMutex", APC_LEVEL, APC_LEVEL);
    CheckContract("ExRaiseStatus", PASSIVE_LEVEL, APC_LEVEL);
    CheckContract("ExRaiseAccessViolation", PASSIVE_LEVEL, PASSIVE_LEVEL);
    CheckContract("ExGetPreviousMode", PASSIVE_LEVEL, DISPATCH_LEVEL);
    /* Ob */
    CheckContract("ObReferenceObjectByHandle", PASSIVE_LEVEL, PASSIVE_LEVEL);
    CheckContract("ObReferenceObjectByPointer", PASSIVE_LEVEL, DISPATCH_LEVEL);
    CheckContract("ObfReferenceObject", PASSIVE_LEVEL, DISPATCH_LEVEL);
    CheckContract("ObfDereferenceObject", PASSIVE_LEVEL, DISPATCH_LEVEL);
    CheckContract("ObOpenObjectByPointer", PASSIVE_LEVEL, APC_LEVEL);
    /* Io */
    CheckContract("IoCreateDevice", PASSIVE_LEVEL, PASSIVE_LEVEL);
    CheckContract("IoDeleteDevice", PASSIVE_LEVEL, APC_LEVEL);
    CheckContract("IoDetachDevice", PASSIVE_LEVEL, PASSIVE_LEVEL);
    CheckContract("IoAttachDeviceToDeviceStack", PASSIVE_LEVEL, DISPATCH_LEVEL);
    CheckContract("IoGetDeviceObjectPointer", PASSIVE_LEVEL, PASSIVE_LEVEL);
    CheckContract("IoReleaseCancelSpinLock", DISPATCH_LEVEL, DISPATCH_LEVEL);
    CheckContract("IoGetCurrentProcess", PASSIVE_LEVEL, HIGH_LEVEL);
    CheckContract("IoInitializeWorkItem", PASSIVE_LEVEL, HIGH_LEVEL);
    /* Ps */
    CheckContract("PsGetCurrentThread", PASSIVE_LEVEL, HIGH_LEVEL);
    CheckContract("PsLookupProcessByProcessId", PASSIVE_LEVEL, APC_LEVEL);
    CheckContract("PsIsSystemThread", PASSIVE_LEVEL, DISPATCH_LEVEL);
    CheckContract("PsGetVersion", PASSIVE_LEVEL, PASSIVE_LEVEL);
    /* Zw, Mm */
    CheckContract("ZwClose", PASSIVE_LEVEL, PASSIVE_LEVEL);
    CheckContract("ZwAllocateVirtualMemory", PASSIVE_LEVEL, PASSIVE_LEVEL);
    CheckContract("ZwQueryVirtualMemory", PASSIVE_LEVEL, PASSIVE_LEVEL);
    CheckContract("MmIsAddressValid", PASSIVE_LEVEL, DISPATCH_LEVEL);
    CheckContract("MmGetSystemRoutineAddress", PASSIVE_LEVEL, PASSIVE_LEVEL);
    /* Rtl, Dbg */
    CheckContract("RtlCompareUnicodeString", PASSIVE_LEVEL, PASSIVE_LEVEL);
    CheckContract("RtlUpcaseUnicodeChar", PASSIVE_LEVEL, APC_LEVEL);
    CheckContract("RtlStringCchPrintfW", PASSIVE_LEVEL, PASSIVE_LEVEL);
    CheckContract("DbgPrint", PASSIVE_LEVEL, HIGH_LEVEL);
}

static void TestTable(void)
{
    ULONG i, j;
    KIRQL Min, Max;

    CHECK(VF_DDI_COUNT > 250);
    CHECK(VfDdiName(VF_DDI_COUNT) == NULL);
    CHECK(strcmp(VfDdiName(VF_DDI_KeSetEvent), "KeSetEvent") == 0);
    CHECK(strcmp(VfDdiName(VF_DDI_IofCallDriver), "IofCallDriver") == 0);
    CHECK(!VfDdiContract("KeRaiseIrql", &Min, &Max)); /* a macro: the table has KfRaiseIrql */
    CHECK(!VfDdiContract("NoSuchRoutine", &Min, &Max));
    CHECK(!VfDdiContract(NULL, &Min, &Max));
    for (i = 0; i < VF_DDI_COUNT; i++) {
        PCSTR Name = VfDdiName(i);
        CHECK(Name != NULL && Name[0] != 0);
        if (Name == NULL)
            continue;
        for (j = i + 1; j < VF_DDI_COUNT; j++) {
            PCSTR Other = VfDdiName(j);
            if (Other != NULL && strcmp(Name, Other) == 0) {
                fprintf(stderr, "duplicate contract: %s\n", Name);
                CHECK(0);
            }
        }
        CHECK(VfDdiContract(Name, &Min, &Max));
        if (Min > Max)
            fprintf(stderr, "%s: minimum %u above maximum %u\n", Name, Min, Max);
        CHECK(Min <= Max);
        CHECK(Max <= HIGH_LEVEL);
        CHECK(!IsExempt(Name));
    }
}

/* The names of the functions a header declares with one of the export macros (variables,
 * declared "extern", are not functions). Returns the number found. */
#define MAX_DECLARED 1024
static char Declared[MAX_DECLARED][64];
static int DeclaredCount;

static int CollectHeader(const char *Root, const char *Header)
{
    static const char *const Prefixes[] = { "NTKERNELAPI ", "NTSYSAPI ", "NTHALAPI ",
                                            "NTSTRSAFEDDI " };
    char path[1024], line[512];
    int found = 0;
    FILE *f;

    snprintf(path, sizeof(path), "%s%s", Root, Header);
    f = fopen(path, "r");
    CHECK(f != NULL);
    if (f == NULL) {
        fprintf(stderr, "cannot open %s\n", path);
        return 0;
    }
    while (fgets(line, sizeof(line), f) != NULL) {
        const char *paren, *end, *start;
        size_t i, len;
        int exported = 0;
        for (i = 0; i < sizeof(Prefixes) / sizeof(Prefixes[0]); i++)
            if (strncmp(line, Prefixes[i], strlen(Prefixes[i])) == 0)
                exported = 1;
        if (!exported || (paren = strchr(line, '(')) == NULL)
            continue;
        end = paren;
        while (end > line && isspace((unsigned char)end[-1]))
            end--;
        start = end;
        while (start > line && (isalnum((unsigned char)start[-1]) || start[-1] == '_'))
            start--;
        len = (size_t)(end - start);
        if (len == 0 || len >= sizeof(Declared[0]) || DeclaredCount >= MAX_DECLARED)
            continue;
        memcpy(Declared[DeclaredCount], start, len);
        Declared[DeclaredCount][len] = 0;
        DeclaredCount++;
        found++;
    }
    fclose(f);
    return found;
}

static int IsDeclared(const char *Name)
{
    int i;
    for (i = 0; i < DeclaredCount; i++)
        if (strcmp(Declared[i], Name) == 0)
            return 1;
    return 0;
}

static void TestHeaderCoverage(void)
{
    /* The sources sit two levels above this file. */
    char root[1024];
    const char *file = __FILE__, *cut = strstr(file, "tests/unit/");
    int i, missing = 0, coreCount;
    ULONG d;
    size_t e;

    snprintf(root, sizeof(root), "%.*s", cut ? (int)(cut - file) : 0, file);
    /* The Ke/Ex/Io/Ob/Ps/Mm/Zw headers: every function must have a contract or an exemption. */
    coreCount = CollectHeader(root, "include/ntk/ddk/kefuncs.h");
    coreCount += CollectHeader(root, "include/ntk/ddk/iofuncs.h");
    CHECK(coreCount > 150);
    /* The other headers whose functions libntk exports. */
    CHECK(CollectHeader(root, "include/ntk/ddk/workitem.h") >= 10);
    CHECK(CollectHeader(root, "include/ntk/ddk/mdl.h") >= 10);
    CHECK(CollectHeader(root, "include/ntk/ddk/exsync.h") >= 40);
    CHECK(CollectHeader(root, "include/ntk/ddk/interlocked.h") >= 10);
    CHECK(CollectHeader(root, "include/ntk/ddk/lookaside.h") >= 13);
    CHECK(CollectHeader(root, "include/ntk/ddk/csq.h") == 6);
    CHECK(CollectHeader(root, "include/ntk/ddk/securepool.h") >= 6);
    CHECK(CollectHeader(root, "include/ddk/wdm.h") >= 10);
    CHECK(CollectHeader(root, "include/ntk/rtl.h") >= 40);
    CHECK(CollectHeader(root, "include/ddk/ntstrsafe.h") >= 50);
    for (i = 0; i < DeclaredCount; i++) {
        if (IsExempt(Declared[i]) || VfDdiContract(Declared[i], NULL, NULL))
            continue;
        fprintf(stderr, "no IRQL contract for %s\n", Declared[i]);
        missing++;
    }
    CHECK_EQ(missing, 0);
    /* And every contract and exemption names a function the headers declare (no stale rows). */
    missing = 0;
    for (d = 0; d < VF_DDI_COUNT; d++) {
        if (IsDeclared(VfDdiName(d)))
            continue;
        fprintf(stderr, "contract for an undeclared function: %s\n", VfDdiName(d));
        missing++;
    }
    for (e = 0; e < sizeof(Exempt) / sizeof(Exempt[0]); e++)
        if (!IsDeclared(Exempt[e])) {
            fprintf(stderr, "exemption for an undeclared function: %s\n", Exempt[e]);
            missing++;
        }
    CHECK_EQ(missing, 0);
}

int main(void)
{
    TestDocumentedSample();
    TestTable();
    TestHeaderCoverage();
    return NTK_TEST_SUMMARY();
}
