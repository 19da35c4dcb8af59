/* Pool extended parameters (ExAllocatePool3, ExFreePool2) and secure pools (ExCreatePool,
 * ExSecurePoolUpdate, ExSecurePoolValidate, ExDestroyPool), as wdm.h declares them.
 *
 * POOL_EXTENDED_PARAMETER is 16 bytes: a 64-bit word holding Type (bits 0-7), Optional (bit 8)
 * and Reserved (bits 9-63), then an 8-byte union. POOL_EXTENDED_PARAMS_SECURE_POOL is 32 bytes:
 * SecurePoolHandle 0x00, Buffer 0x08, Cookie 0x10, SecurePoolFlags 0x18. docs/SECUREPOOL.md
 * says how ntk keeps secure allocations read-only. */
#ifndef NTK_DDK_SECUREPOOL_H
#define NTK_DDK_SECUREPOOL_H

#include <ntk/ddk/ketypes.h>
#include <ntk/ddk/kefuncs.h>

NTK_EXTERN_C_START

/* ---- ExAllocatePool3's extended parameters ---- */
typedef enum POOL_EXTENDED_PARAMETER_TYPE {
    PoolExtendedParameterInvalidType = 0,
    PoolExtendedParameterPriority,
    PoolExtendedParameterSecurePool,
    PoolExtendedParameterNumaNode,
    PoolExtendedParameterMax
} POOL_EXTENDED_PARAMETER_TYPE, *PPOOL_EXTENDED_PARAMETER_TYPE;

#define POOL_EXTENDED_PARAMETER_TYPE_BITS 8
#define POOL_EXTENDED_PARAMETER_REQUIRED_FIELD_BITS 1
#define POOL_EXTENDED_PARAMETER_RESERVED_BITS                                                     \
    (64 - POOL_EXTENDED_PARAMETER_TYPE_BITS - POOL_EXTENDED_PARAMETER_REQUIRED_FIELD_BITS)

/* SecurePoolFlags of an allocation. */
#define SECURE_POOL_FLAGS_NONE 0x0
#define SECURE_POOL_FLAGS_FREEABLE 0x1
#define SECURE_POOL_FLAGS_MODIFIABLE 0x2

typedef struct _POOL_EXTENDED_PARAMS_SECURE_POOL {
    HANDLE SecurePoolHandle;
    PVOID Buffer;        /* the allocation's initial contents (allocate); NULL (free) */
    ULONG_PTR Cookie;    /* identifies the allocation to update, validate and free */
    ULONG SecurePoolFlags;
} POOL_EXTENDED_PARAMS_SECURE_POOL;

typedef ULONG POOL_NODE_REQUIREMENT;
#ifndef MM_ANY_NODE_OK
#define MM_ANY_NODE_OK 0x80000000
#endif

typedef struct _POOL_EXTENDED_PARAMETER {
    struct {
        ULONG64 Type : POOL_EXTENDED_PARAMETER_TYPE_BITS;
        ULONG64 Optional : POOL_EXTENDED_PARAMETER_REQUIRED_FIELD_BITS;
        ULONG64 Reserved : POOL_EXTENDED_PARAMETER_RESERVED_BITS;
    };
    union {
        ULONG64 Reserved2;
        PVOID Reserved3;
        EX_POOL_PRIORITY Priority;
        POOL_EXTENDED_PARAMS_SECURE_POOL *SecurePoolParams;
        POOL_NODE_REQUIREMENT PreferredNode;
    };
} POOL_EXTENDED_PARAMETER, *PPOOL_EXTENDED_PARAMETER;
typedef const POOL_EXTENDED_PARAMETER *PCPOOL_EXTENDED_PARAMETER;

NTKERNELAPI PVOID ExAllocatePool3(POOL_FLAGS Flags, SIZE_T NumberOfBytes, ULONG Tag,
                                  PCPOOL_EXTENDED_PARAMETER ExtendedParameters,
                                  ULONG ExtendedParametersCount);
NTKERNELAPI VOID ExFreePool2(PVOID P, ULONG Tag, PCPOOL_EXTENDED_PARAMETER ExtendedParameters,
                             ULONG ExtendedParametersCount);

/* ---- ExCreatePool ---- */
#define POOL_CREATE_FLG_SECURE_POOL 0x1
#define POOL_CREATE_FLG_USE_GLOBAL_POOL 0x2
#define POOL_CREATE_PARAMS_VERSION 0x1

typedef enum _POOL_CREATE_EXTENDED_PARAMETER_TYPE {
    PoolCreateExtendedParameterInvalidType,
    PoolCreateExtendedParameterName
} POOL_CREATE_EXTENDED_PARAMETER_TYPE, *PPOOL_CREATE_EXTENDED_PARAMETER_TYPE;

typedef struct _POOL_CREATE_EXTENDED_PARAMETER {
    POOL_CREATE_EXTENDED_PARAMETER_TYPE Type;
    union {
        UNICODE_STRING PoolName;
    };
} POOL_CREATE_EXTENDED_PARAMETER, *PPOOL_CREATE_EXTENDED_PARAMETER;

typedef struct _POOL_CREATE_EXTENDED_PARAMS {
    ULONG Version;
    ULONG ParameterCount;
    PPOOL_CREATE_EXTENDED_PARAMETER Parameters;
} POOL_CREATE_EXTENDED_PARAMS, *PPOOL_CREATE_EXTENDED_PARAMS;

NTKERNELAPI NTSTATUS ExCreatePool(ULONG Flags, ULONG_PTR Tag, POOL_CREATE_EXTENDED_PARAMS *Params,
                                  HANDLE *PoolHandle);
NTKERNELAPI VOID ExDestroyPool(HANDLE PoolHandle);
NTKERNELAPI NTSTATUS ExSecurePoolUpdate(HANDLE SecurePoolHandle, ULONG Tag, PVOID Allocation,
                                        ULONG_PTR Cookie, SIZE_T Offset, SIZE_T Size,
                                        PVOID Buffer);
NTKERNELAPI LOGICAL ExSecurePoolValidate(HANDLE SecurePoolHandle, ULONG Tag, PVOID Allocation,
                                         ULONG_PTR Cookie);

NTK_EXTERN_C_END

#endif
