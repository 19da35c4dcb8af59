/* Ex: the pool DDIs, over the allocator in pool.c. The caller's return address attributes
 * each block to the driver that asked for it (the verifier's leak check uses it). */
#include "pool.h"
#include "../vf/vfddi.h"
#include "securepool.h"

#define EXP_TAG_NONE 0x656E6F4E /* 'None', the tag of untagged allocations */
/* Required flags (the low 32 bits) that ExAllocatePool2 does not define. */
#define EXP_POOL2_UNKNOWN_REQUIRED 0x00000000FFFFF800ULL

static UCHAR ExpPoolTypeFromType(POOL_TYPE PoolType)
{
    return (UCHAR)((PoolType & 1) ? 1 : 0);
}

static PVOID ExpRaiseOrNull(BOOLEAN Raise)
{
    if (Raise)
        ExRaiseStatus(STATUS_INSUFFICIENT_RESOURCES);
    return NULL;
}

/* Exactly one pool kind; unknown required flags are an invalid request. */
static BOOLEAN ExpValidPool2Flags(POOL_FLAGS Flags)
{
    POOL_FLAGS Kind = Flags & (POOL_FLAG_NON_PAGED | POOL_FLAG_NON_PAGED_EXECUTE | POOL_FLAG_PAGED);
    return (Kind == POOL_FLAG_NON_PAGED || Kind == POOL_FLAG_NON_PAGED_EXECUTE ||
            Kind == POOL_FLAG_PAGED) &&
           !(Flags & EXP_POOL2_UNKNOWN_REQUIRED);
}

static PVOID ExpAllocate2(POOL_FLAGS Flags, SIZE_T NumberOfBytes, ULONG Tag, PVOID Caller)
{
    POOL_FLAGS Kind = Flags & (POOL_FLAG_NON_PAGED | POOL_FLAG_NON_PAGED_EXECUTE | POOL_FLAG_PAGED);
    BOOLEAN Raise = (Flags & POOL_FLAG_RAISE_ON_FAILURE) != 0;
    PVOID Block;
    if (!ExpValidPool2Flags(Flags))
        return ExpRaiseOrNull(Raise);
    Block = ExpAllocatePoolEx(Kind == POOL_FLAG_PAGED, NumberOfBytes, Tag,
                              (Flags & POOL_FLAG_UNINITIALIZED) == 0, Caller,
                              (Flags & POOL_FLAG_SPECIAL_POOL) ? EXP_SPECIAL_FORCE : 0);
    return Block ? Block : ExpRaiseOrNull(Raise);
}

PVOID ExAllocatePool2(POOL_FLAGS Flags, SIZE_T NumberOfBytes, ULONG Tag)
{
    VF_CHECK_IRQL(ExAllocatePool2);
    return ExpAllocate2(Flags, NumberOfBytes, Tag, __builtin_return_address(0));
}

/* As ExAllocatePool2, with extended parameters; a secure-pool parameter allocates from that
 * pool instead (securepool.c). */
PVOID ExAllocatePool3(POOL_FLAGS Flags, SIZE_T NumberOfBytes, ULONG Tag,
                      PCPOOL_EXTENDED_PARAMETER ExtendedParameters, ULONG ExtendedParametersCount)
{
    VF_CHECK_IRQL(ExAllocatePool3);
    const POOL_EXTENDED_PARAMS_SECURE_POOL *Secure;
    BOOLEAN Raise = (Flags & POOL_FLAG_RAISE_ON_FAILURE) != 0;
    PVOID Block;
    if (Tag == 0 || !ExpValidPool2Flags(Flags) ||
        !ExpCheckPoolExtendedParameters(Flags, ExtendedParameters, ExtendedParametersCount,
                                        &Secure))
        return ExpRaiseOrNull(Raise);
    if (Secure == NULL)
        return ExpAllocate2(Flags, NumberOfBytes, Tag, __builtin_return_address(0));
    Block = ExpAllocateSecurePool(NumberOfBytes, Tag, Secure);
    return Block ? Block : ExpRaiseOrNull(Raise);
}

PVOID ExAllocatePoolZero(POOL_TYPE PoolType, SIZE_T NumberOfBytes, ULONG Tag)
{
    VF_CHECK_IRQL(ExAllocatePoolZero);
    return ExpAllocatePool(ExpPoolTypeFromType(PoolType), NumberOfBytes, Tag, TRUE,
                           __builtin_return_address(0));
}

PVOID ExAllocatePoolUninitialized(POOL_TYPE PoolType, SIZE_T NumberOfBytes, ULONG Tag)
{
    VF_CHECK_IRQL(ExAllocatePoolUninitialized);
    return ExpAllocatePool(ExpPoolTypeFromType(PoolType), NumberOfBytes, Tag, FALSE,
                           __builtin_return_address(0));
}

PVOID ExAllocatePoolWithTag(POOL_TYPE PoolType, SIZE_T NumberOfBytes, ULONG Tag)
{
    VF_CHECK_IRQL(ExAllocatePoolWithTag);
    PVOID Block = ExpAllocatePool(ExpPoolTypeFromType(PoolType), NumberOfBytes, Tag, FALSE,
                                  __builtin_return_address(0));
    if (Block == NULL && (PoolType & POOL_RAISE_IF_ALLOCATION_FAILURE))
        ExRaiseStatus(STATUS_INSUFFICIENT_RESOURCES);
    return Block;
}

PVOID ExAllocatePoolWithQuotaTag(POOL_TYPE PoolType, SIZE_T NumberOfBytes, ULONG Tag)
{
    VF_CHECK_IRQL(ExAllocatePoolWithQuotaTag);
    /* Quota is not charged yet; without POOL_QUOTA_FAIL_INSTEAD_OF_RAISE a failure raises. */
    PVOID Block = ExpAllocatePool(ExpPoolTypeFromType(PoolType), NumberOfBytes, Tag, FALSE,
                                  __builtin_return_address(0));
    if (Block == NULL && !(PoolType & POOL_QUOTA_FAIL_INSTEAD_OF_RAISE))
        ExRaiseStatus(STATUS_INSUFFICIENT_RESOURCES);
    return Block;
}

PVOID ExAllocatePoolWithTagPriority(POOL_TYPE PoolType, SIZE_T NumberOfBytes, ULONG Tag,
                                    EX_POOL_PRIORITY Priority)
{
    VF_CHECK_IRQL(ExAllocatePoolWithTagPriority);
    /* The XxxSpecialPoolOverrun/Underrun priorities choose where a special pool block sits in
     * its page; they do not ask for the special pool. */
    ULONG Special = (Priority & 8) ? ((Priority & 1) ? EXP_SPECIAL_UNDERRUN : EXP_SPECIAL_OVERRUN)
                                   : 0;
    return ExpAllocatePoolEx(ExpPoolTypeFromType(PoolType), NumberOfBytes, Tag, FALSE,
                             __builtin_return_address(0), Special);
}

PVOID ExAllocatePool(POOL_TYPE PoolType, SIZE_T NumberOfBytes)
{
    VF_CHECK_IRQL(ExAllocatePool);
    return ExpAllocatePool(ExpPoolTypeFromType(PoolType), NumberOfBytes, EXP_TAG_NONE, FALSE,
                           __builtin_return_address(0));
}

VOID ExFreePool(PVOID P)
{
    VF_CHECK_IRQL(ExFreePool);
    ExpRejectSecurePoolFree(P);
    ExpFreePool(P, 0, FALSE);
}

VOID ExFreePoolWithTag(PVOID P, ULONG Tag)
{
    VF_CHECK_IRQL(ExFreePoolWithTag);
    ExpRejectSecurePoolFree(P);
    ExpFreePool(P, Tag, Tag != 0);
}

VOID ExFreePool2(PVOID P, ULONG Tag, PCPOOL_EXTENDED_PARAMETER ExtendedParameters,
                 ULONG ExtendedParametersCount)
{
    VF_CHECK_IRQL(ExFreePool2);
    /* Extended parameters are for secure allocations only (securepool.c). */
    if (ExtendedParametersCount != 0 || ExtendedParameters != NULL) {
        ExpFreeSecurePool(P, Tag, ExtendedParameters, ExtendedParametersCount);
        return;
    }
    ExpRejectSecurePoolFree(P);
    ExpFreePool(P, Tag, Tag != 0);
}
