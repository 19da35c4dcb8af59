/* Ex: the secure pool's entry points for the pool DDIs (src/ex/poolapi.c). */
#ifndef NTK_EX_SECUREPOOL_H
#define NTK_EX_SECUREPOOL_H

#include "ntkp.h"

/* Checks ExAllocatePool3's extended parameters; on success *Secure is the secure-pool
 * parameter block, or NULL when there is none. */
BOOLEAN ExpCheckPoolExtendedParameters(POOL_FLAGS Flags, PCPOOL_EXTENDED_PARAMETER Parameters,
                                       ULONG Count,
                                       const POOL_EXTENDED_PARAMS_SECURE_POOL **Secure);
PVOID ExpAllocateSecurePool(SIZE_T Size, ULONG Tag, const POOL_EXTENDED_PARAMS_SECURE_POOL *Params);
/* ExFreePool2 with extended parameters: frees the secure allocation or bug checks. */
VOID ExpFreeSecurePool(PVOID P, ULONG Tag, PCPOOL_EXTENDED_PARAMETER Parameters, ULONG Count);
/* Bug checks (0xC2, 0x46) if P lies in a secure pool: only ExFreePool2 with the pool's
 * parameters frees those. The count of secure pools spares the look when there are none. */
VOID ExpRejectSecurePoolFreeSlow(PVOID P);
extern volatile LONG ExpSecurePoolCount;
static inline VOID ExpRejectSecurePoolFree(PVOID P)
{
    if (ExpSecurePoolCount != 0)
        ExpRejectSecurePoolFreeSlow(P);
}

#endif
