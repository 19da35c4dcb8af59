/* Vf: the DDIs' IRQL contracts (vfddi.h) as data, and the entry check the DDIs make.
 *
 * A DDI entered above its maximum IRQL bug checks IRQL_NOT_LESS_OR_EQUAL (0xA), with the
 * parameters of Windows' bug check 0xA: 1 = the address that was referenced, 2 = the IRQL at the
 * time, 3 = the operation (bit 0: write; bit 3: execute; 8 = "attempting to execute code from the
 * address in parameter 1"), 4 = the address of the code that made the reference. Calling a DDI
 * above its IRQL is, in Windows, executing (or touching) pageable kernel code at too high an
 * IRQL, so parameter 1 is the DDI, parameter 3 is 8 and parameter 4 is the driver's return
 * address.
 *
 * Why 0xA and not DRIVER_IRQL_NOT_LESS_OR_EQUAL (0xD1): Windows reports 0xD1 when the faulting
 * access is made by a driver's own code, and 0xA when it is made by the kernel's. Here the access
 * that would fault is the DDI's, and the DDI is the kernel's code; the driver only called it at
 * the wrong IRQL (parameter 4 still names the driver's call site).
 *
 * A DDI entered below its minimum (KeReleaseSpinLock at PASSIVE_LEVEL, ...) bug checks
 * IRQL_NOT_GREATER_OR_EQUAL (0x9): 1 = the DDI, 2 = the current IRQL, 3 = the minimum IRQL,
 * 4 = the caller. */
#include "ntkp.h"
#include "vfddi.h"

typedef struct _VF_DDI_CONTRACT {
    PCSTR Name;
    KIRQL MinIrql;
    KIRQL MaxIrql;
} VF_DDI_CONTRACT;

static const VF_DDI_CONTRACT VfDdiContracts[VF_DDI_COUNT] = {
#define VF_DDI_ROW(Name, MinIrql, MaxIrql) [VF_DDI_##Name] = { #Name, (MinIrql), (MaxIrql) },
    NTK_DDI_IRQL_CONTRACTS(VF_DDI_ROW)
#undef VF_DDI_ROW
};

/* The bit of bug check 0xA's third parameter that says the access was an execution. */
#define VF_IRQL_ACCESS_EXECUTE 8

static PCSTR VfIrqlName(KIRQL Irql)
{
    switch (Irql) {
    case PASSIVE_LEVEL:
        return "PASSIVE_LEVEL";
    case APC_LEVEL:
        return "APC_LEVEL";
    case DISPATCH_LEVEL:
        return "DISPATCH_LEVEL";
    case SYNCH_LEVEL:
        return "SYNCH_LEVEL";
    case HIGH_LEVEL:
        return "HIGH_LEVEL";
    default:
        return "DIRQL";
    }
}

VOID VfCheckDdiIrql(ULONG Ddi, PVOID Routine, PVOID Caller)
{
    const VF_DDI_CONTRACT *Contract;
    KIRQL Irql;

    if (Ddi >= VF_DDI_COUNT)
        return;
    Contract = &VfDdiContracts[Ddi];
    Irql = KiGetIrql() /* boot runs before any thread has an NT identity */;
    if (Irql > Contract->MaxIrql) {
        KdpLog("ntk: verifier: %s called at IRQL %u (%s) by %p; its contract is IRQL %u (%s) to "
               "%u (%s)\n",
               Contract->Name, (ULONG)Irql, VfIrqlName(Irql), Caller, (ULONG)Contract->MinIrql,
               VfIrqlName(Contract->MinIrql), (ULONG)Contract->MaxIrql,
               VfIrqlName(Contract->MaxIrql));
        KeBugCheckEx(IRQL_NOT_LESS_OR_EQUAL, (ULONG_PTR)Routine, Irql, VF_IRQL_ACCESS_EXECUTE,
                     (ULONG_PTR)Caller);
    }
    if (Irql < Contract->MinIrql) {
        KdpLog("ntk: verifier: %s called at IRQL %u (%s) by %p; its contract is IRQL %u (%s) to "
               "%u (%s)\n",
               Contract->Name, (ULONG)Irql, VfIrqlName(Irql), Caller, (ULONG)Contract->MinIrql,
               VfIrqlName(Contract->MinIrql), (ULONG)Contract->MaxIrql,
               VfIrqlName(Contract->MaxIrql));
        KeBugCheckEx(IRQL_NOT_GREATER_OR_EQUAL, (ULONG_PTR)Routine, Irql, Contract->MinIrql,
                     (ULONG_PTR)Caller);
    }
}

NTK_EXPORT PCSTR VfDdiName(ULONG Ddi)
{
    return Ddi < VF_DDI_COUNT ? VfDdiContracts[Ddi].Name : NULL;
}

NTK_EXPORT BOOLEAN VfDdiContract(PCSTR Name, KIRQL *Min, KIRQL *Max)
{
    ULONG i;
    if (Name == NULL)
        return FALSE;
    for (i = 0; i < VF_DDI_COUNT; i++) {
        if (strcmp(VfDdiContracts[i].Name, Name) == 0) {
            if (Min != NULL)
                *Min = VfDdiContracts[i].MinIrql;
            if (Max != NULL)
                *Max = VfDdiContracts[i].MaxIrql;
            return TRUE;
        }
    }
    return FALSE;
}
