/* bug_securepool: each BUG_MODE misuses a secure pool in one way that must end in one bug
 * check (tests/mem/CMakeLists.txt names it):
 *   1 a direct write to a secure allocation, inside __try: kernel write to read-only system
 *     memory, which no __try catches
 *   2 ExFreePool2 of an allocation made without SECURE_POOL_FLAGS_FREEABLE
 *   3 ExFreePool2 with the wrong cookie
 *   4 ExFreePool2 with the wrong tag
 *   5 ExFreePool (no secure parameters) of a secure allocation
 *   6 ExFreePool2 with two extended parameters
 *   7 ExFreePool2 twice
 *   8 ExDestroyPool with a freeable allocation not freed
 *   9 ExDestroyPool of a handle ExCreatePool never returned */
#include <ntddk.h>

#define TAG 'gBpS'
#define COOKIE ((ULONG_PTR)0xC00C1E)

static PVOID Allocate(HANDLE Pool, ULONG Flags)
{
    static UCHAR Initial[64] = { 1, 2, 3, 4 };
    POOL_EXTENDED_PARAMS_SECURE_POOL p = { Pool, Initial, COOKIE, Flags };
    POOL_EXTENDED_PARAMETER e;
    memset(&e, 0, sizeof(e));
    e.Type = PoolExtendedParameterSecurePool;
    e.SecurePoolParams = &p;
    return ExAllocatePool3(POOL_FLAG_NON_PAGED, sizeof(Initial), TAG, &e, 1);
}

static VOID Free(HANDLE Pool, PVOID P, ULONG Tag, ULONG_PTR Cookie, ULONG Count)
{
    POOL_EXTENDED_PARAMS_SECURE_POOL p = { Pool, NULL, Cookie, 0 };
    POOL_EXTENDED_PARAMETER e[2];
    memset(e, 0, sizeof(e));
    e[0].Type = e[1].Type = PoolExtendedParameterSecurePool;
    e[0].SecurePoolParams = e[1].SecurePoolParams = &p;
    ExFreePool2(P, Tag, e, Count);
}

NTSTATUS DriverEntry(PDRIVER_OBJECT DriverObject, PUNICODE_STRING RegistryPath)
{
    HANDLE pool = NULL;
    volatile UCHAR *p;
    UNREFERENCED_PARAMETER(DriverObject);
    UNREFERENCED_PARAMETER(RegistryPath);
    if (ExCreatePool(POOL_CREATE_FLG_SECURE_POOL | POOL_CREATE_FLG_USE_GLOBAL_POOL, TAG, NULL,
                     &pool) != STATUS_SUCCESS) {
        DbgPrint("bug_securepool: ExCreatePool failed\n");
        return STATUS_UNSUCCESSFUL;
    }
    p = Allocate(pool, BUG_MODE == 2 ? SECURE_POOL_FLAGS_MODIFIABLE
                                     : SECURE_POOL_FLAGS_FREEABLE | SECURE_POOL_FLAGS_MODIFIABLE);
    if (p == NULL) {
        DbgPrint("bug_securepool: ExAllocatePool3 failed\n");
        return STATUS_UNSUCCESSFUL;
    }
    DbgPrint("bug_securepool: mode %d, allocation %p\n", BUG_MODE, (PVOID)p);
    switch (BUG_MODE) {
    case 1:
        __try {
            p[0] = 0x55;
        } __except (EXCEPTION_EXECUTE_HANDLER) {
            DbgPrint("bug_securepool: caught the write (must not happen)\n");
        }
        break;
    case 2:
        Free(pool, (PVOID)p, TAG, COOKIE, 1);
        break;
    case 3:
        Free(pool, (PVOID)p, TAG, COOKIE + 1, 1);
        break;
    case 4:
        Free(pool, (PVOID)p, 'gaTX', COOKIE, 1);
        break;
    case 5:
        ExFreePool((PVOID)p);
        break;
    case 6:
        Free(pool, (PVOID)p, TAG, COOKIE, 2);
        break;
    case 7:
        Free(pool, (PVOID)p, TAG, COOKIE, 1);
        DbgPrint("bug_securepool: freed once\n");
        Free(pool, (PVOID)p, TAG, COOKIE, 1);
        break;
    case 8:
        ExDestroyPool(pool);
        break;
    case 9:
        ExDestroyPool((HANDLE)&pool);
        break;
    }
    DbgPrint("bug_securepool: no bug check happened\n");
    return STATUS_SUCCESS;
}
