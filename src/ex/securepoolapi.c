/* Ex: the secure pool DDIs over securepool.c: ExSecurePoolUpdate, ExSecurePoolValidate, the
 * secure branch of ExFreePool2, and the check of ExAllocatePool3's extended parameters.
 * Where the WDK pages name no status for a failure, docs/SECUREPOOL.md gives ntk's choice. */
#include "securepool.h"
#include "securepoolp.h"
#include <stdlib.h>
#include <string.h>

/* Tags compare as ExFreePoolWithTag compares them: without the PROTECTED_POOL bit. */
#define SP_TAGS_EQUAL(A, B) ((((A) ^ (B)) & ~0x80000000u) == 0)

typedef enum _SP_CHECK {
    SpCheckOk,
    SpCheckNotAllocation,
    SpCheckTampered,
    SpCheckTag,
    SpCheckCookie
} SP_CHECK;

/* Identifies the allocation (pool locked): its record, intact, with this tag and cookie. */
static SP_CHECK ExpCheckSecureAllocation(SECURE_POOL *Pool, PVOID Allocation, ULONG Tag,
                                         ULONG_PTR Cookie, LONG *Slot)
{
    const SP_RECORD *Record;
    *Slot = ExpFindSecureAllocation(Pool, Allocation);
    if (*Slot < 0)
        return SpCheckNotAllocation;
    Record = &SpRecordsView(Pool)[*Slot];
    if (Record->RecordSum != ExpSecurePoolRecordSum(Pool, Record))
        return SpCheckTampered;
    if (!SP_TAGS_EQUAL(Record->Tag, Tag))
        return SpCheckTag;
    if (Record->Cookie != Cookie)
        return SpCheckCookie;
    return SpCheckOk;
}

static BOOLEAN ExpContentsIntact(const SECURE_POOL *Pool, const SP_RECORD *Record)
{
    return ExpSecurePoolSum(Pool->Key, (const VOID *)Record->Allocation, Record->Size) ==
           Record->ContentSum;
}

NTSTATUS ExSecurePoolUpdate(HANDLE SecurePoolHandle, ULONG Tag, PVOID Allocation,
                            ULONG_PTR Cookie, SIZE_T Offset, SIZE_T Size, PVOID Buffer)
{
    VF_CHECK_IRQL(ExSecurePoolUpdate);
    static const NTSTATUS CheckStatus[] = {
        [SpCheckNotAllocation] = STATUS_INVALID_PARAMETER_3,
        [SpCheckTampered] = STATUS_DATA_ERROR,
        [SpCheckTag] = STATUS_INVALID_PARAMETER_2,
        [SpCheckCookie] = STATUS_INVALID_PARAMETER_4,
    };
    SECURE_POOL *Pool;
    SP_RECORD *Record;
    SP_CHECK Check;
    NTSTATUS Status = STATUS_SUCCESS;
    LONG Slot;

    if (Size != 0 && Buffer == NULL)
        return STATUS_INVALID_PARAMETER_7;
    Pool = ExpLockSecurePool(SecurePoolHandle);
    if (Pool == NULL)
        return STATUS_INVALID_HANDLE;
    Check = ExpCheckSecureAllocation(Pool, Allocation, Tag, Cookie, &Slot);
    if (Check != SpCheckOk) {
        ExpUnlockSecurePool(Pool);
        return CheckStatus[Check];
    }
    Record = &SpRecordsAlias(Pool)[Slot];
    if (!(Record->Flags & SECURE_POOL_FLAGS_MODIFIABLE))
        Status = STATUS_ACCESS_DENIED;
    else if (Offset > Record->Size)
        Status = STATUS_INVALID_PARAMETER_5;
    else if (Size > Record->Size - Offset)
        Status = STATUS_INVALID_PARAMETER_6;
    else if (!ExpContentsIntact(Pool, Record))
        /* Changed behind ntk's back: an update must not make that look legitimate. */
        Status = STATUS_DATA_ERROR;
    if (NT_SUCCESS(Status) && MmpTouchUserRange(Buffer, Size, FALSE) != STATUS_SUCCESS) {
        /* A bad source faults in the caller's context, as any copy by a DDI would, but not
         * with the pool's lock held. */
        ExpUnlockSecurePool(Pool);
        ExpTouchSecurePoolBuffer(Buffer, Size);
        return STATUS_ACCESS_VIOLATION;
    }
    if (NT_SUCCESS(Status) && Size != 0) {
        PUCHAR Target = SpDataAlias(Pool) + (Record->Allocation - (ULONG_PTR)SpDataView(Pool));
        /* memmove: the new contents may be read from the allocation itself. */
        memmove(Target + Offset, Buffer, Size);
        Record->ContentSum = ExpSecurePoolSum(Pool->Key, Target, Record->Size);
        Record->RecordSum = ExpSecurePoolRecordSum(Pool, Record);
    }
    ExpUnlockSecurePool(Pool);
    return Status;
}

LOGICAL ExSecurePoolValidate(HANDLE SecurePoolHandle, ULONG Tag, PVOID Allocation,
                             ULONG_PTR Cookie)
{
    VF_CHECK_IRQL(ExSecurePoolValidate);
    SECURE_POOL *Pool = ExpLockSecurePool(SecurePoolHandle);
    LOGICAL Valid;
    LONG Slot;
    if (Pool == NULL)
        return FALSE;
    Valid = ExpCheckSecureAllocation(Pool, Allocation, Tag, Cookie, &Slot) == SpCheckOk &&
            ExpContentsIntact(Pool, &SpRecordsView(Pool)[Slot]);
    ExpUnlockSecurePool(Pool);
    return Valid;
}

/* Every refusal of ExFreePool2 is a bug check (its WDK page): 0xC2 with 0x0A for a tag that
 * is not the allocation's, 0x46 for the rest; the kernel log says which check failed. */
static DECLSPEC_NORETURN VOID ExpBadSecureFree(PVOID P, PCSTR Why)
{
    KdpLog("ntk: ExFreePool2(%p) of a secure allocation: %s\n", P, Why);
    KeBugCheckEx(BAD_POOL_CALLER, 0x46, (ULONG_PTR)P, 0, 0);
}

VOID ExpFreeSecurePool(PVOID P, ULONG Tag, PCPOOL_EXTENDED_PARAMETER Parameters, ULONG Count)
{
    const POOL_EXTENDED_PARAMS_SECURE_POOL *Params;
    SECURE_POOL *Pool;
    SP_CHECK Check;
    LONG Slot;
    ULONG Actual;

    if (Count != 1 || Parameters == NULL)
        ExpBadSecureFree(P, "a secure free takes exactly one extended parameter");
    if (Parameters->Type != PoolExtendedParameterSecurePool || Parameters->Reserved != 0 ||
        Parameters->SecurePoolParams == NULL)
        ExpBadSecureFree(P, "the parameter is not a PoolExtendedParameterSecurePool one");
    Params = Parameters->SecurePoolParams;
    if (Params->Buffer != NULL || Params->SecurePoolFlags != 0)
        ExpBadSecureFree(P, "Buffer and SecurePoolFlags must be NULL and 0");
    Pool = ExpLockSecurePool(Params->SecurePoolHandle);
    if (Pool == NULL)
        ExpBadSecureFree(P, "SecurePoolHandle is not a secure pool handle");
    Check = ExpCheckSecureAllocation(Pool, P, Tag, Params->Cookie, &Slot);
    switch (Check) {
    case SpCheckOk:
        break;
    case SpCheckTag:
        Actual = SpRecordsView(Pool)[Slot].Tag;
        ExpUnlockSecurePool(Pool);
        KeBugCheckEx(BAD_POOL_CALLER, 0x0A, (ULONG_PTR)P, Actual, Tag);
    default:
        ExpUnlockSecurePool(Pool);
        ExpBadSecureFree(P, Check == SpCheckNotAllocation ? "not an allocation of this pool"
                            : Check == SpCheckCookie     ? "wrong cookie"
                                                         : "its record was tampered with");
    }
    if (!(SpRecordsView(Pool)[Slot].Flags & SECURE_POOL_FLAGS_FREEABLE)) {
        ExpUnlockSecurePool(Pool);
        ExpBadSecureFree(P, "allocated without SECURE_POOL_FLAGS_FREEABLE");
    }
    ExpReleaseSecureAllocation(Pool, (ULONG)Slot);
    ExpUnlockSecurePool(Pool);
}

/* ---- ExAllocatePool3's extended parameters ---- */

static BOOLEAN ExpIsPoolPriority(EX_POOL_PRIORITY Priority)
{
    switch (Priority) {
    case LowPoolPriority:
    case LowPoolPrioritySpecialPoolOverrun:
    case LowPoolPrioritySpecialPoolUnderrun:
    case NormalPoolPriority:
    case NormalPoolPrioritySpecialPoolOverrun:
    case NormalPoolPrioritySpecialPoolUnderrun:
    case HighPoolPriority:
    case HighPoolPrioritySpecialPoolOverrun:
    case HighPoolPrioritySpecialPoolUnderrun:
        return TRUE;
    default:
        return FALSE;
    }
}

/* ntk has one NUMA node (0). Priorities are accepted and not acted on: ntk's pool does not
 * fail under memory pressure by priority. A type ntk does not know is ignored if Optional,
 * else the request fails, as the POOL_EXTENDED_PARAMETER page says; so does a type given
 * twice or a Reserved field that is not zero. */
BOOLEAN ExpCheckPoolExtendedParameters(POOL_FLAGS Flags, PCPOOL_EXTENDED_PARAMETER Parameters,
                                       ULONG Count,
                                       const POOL_EXTENDED_PARAMS_SECURE_POOL **Secure)
{
    ULONG i, Seen = 0;
    *Secure = NULL;
    if (Count != 0 && Parameters == NULL)
        return FALSE;
    for (i = 0; i < Count; i++) {
        PCPOOL_EXTENDED_PARAMETER P = &Parameters[i];
        ULONG Type = (ULONG)P->Type;
        if (P->Reserved != 0)
            return FALSE;
        if (Type == PoolExtendedParameterInvalidType || Type >= PoolExtendedParameterMax) {
            if (P->Optional)
                continue;
            KdpLog("ntk: ExAllocatePool3: unknown required extended parameter type %u\n", Type);
            return FALSE;
        }
        if (Seen & (1u << Type))
            return FALSE;
        Seen |= 1u << Type;
        switch (Type) {
        case PoolExtendedParameterPriority:
            if (!ExpIsPoolPriority(P->Priority))
                return FALSE;
            break;
        case PoolExtendedParameterSecurePool:
            if (P->SecurePoolParams == NULL)
                return FALSE;
            *Secure = P->SecurePoolParams;
            break;
        case PoolExtendedParameterNumaNode:
            /* Only for nonpaged requests; elsewhere it does not apply. */
            if ((Flags & POOL_FLAG_NON_PAGED) && (P->PreferredNode & ~MM_ANY_NODE_OK) != 0 &&
                !(P->PreferredNode & MM_ANY_NODE_OK))
                return FALSE;
            break;
        }
    }
    return TRUE;
}
