/* kmtest_securepool: secure pools, from the WDK pages of ExCreatePool, ExAllocatePool3,
 * POOL_EXTENDED_PARAMETER, POOL_EXTENDED_PARAMS_SECURE_POOL, ExSecurePoolUpdate,
 * ExSecurePoolValidate, ExFreePool2 and ExDestroyPool: layouts, creation and its documented
 * failures, allocation with initial contents, updates and each failure status, validation,
 * freeing, tampering (simulated by remapping the page writable with the host's mprotect, as an
 * attacker controlling page tables would), and updates racing on one pool from system threads.
 *     ntk run [--cpus N] --driver kmtest_securepool.so   exits 0 when all pass */
#include "../ke/kmtest_ke.h"
#include <string.h>
#include <sys/mman.h>

#define TAG 'pSmK'
#define COOKIE ((ULONG_PTR)0x5EC0000000C00C1EULL)

static POOL_EXTENDED_PARAMS_SECURE_POOL SecureParams(HANDLE Pool, PVOID Buffer, ULONG_PTR Cookie,
                                                     ULONG Flags)
{
    POOL_EXTENDED_PARAMS_SECURE_POOL p;
    p.SecurePoolHandle = Pool;
    p.Buffer = Buffer;
    p.Cookie = Cookie;
    p.SecurePoolFlags = Flags;
    return p;
}

static POOL_EXTENDED_PARAMETER SecureParameter(POOL_EXTENDED_PARAMS_SECURE_POOL *Params)
{
    POOL_EXTENDED_PARAMETER e;
    memset(&e, 0, sizeof(e));
    e.Type = PoolExtendedParameterSecurePool;
    e.SecurePoolParams = Params;
    return e;
}

static PVOID SecureAllocate(HANDLE Pool, SIZE_T Size, PVOID Initial, ULONG_PTR Cookie,
                            ULONG Flags)
{
    POOL_EXTENDED_PARAMS_SECURE_POOL p = SecureParams(Pool, Initial, Cookie, Flags);
    POOL_EXTENDED_PARAMETER e = SecureParameter(&p);
    return ExAllocatePool3(POOL_FLAG_NON_PAGED, Size, TAG, &e, 1);
}

static VOID SecureFree(HANDLE Pool, PVOID Allocation, ULONG_PTR Cookie)
{
    POOL_EXTENDED_PARAMS_SECURE_POOL p = SecureParams(Pool, NULL, Cookie, 0);
    POOL_EXTENDED_PARAMETER e = SecureParameter(&p);
    ExFreePool2(Allocation, TAG, &e, 1);
}

static HANDLE NewPool(void)
{
    HANDLE pool = NULL;
    CHECK_STATUS(ExCreatePool(POOL_CREATE_FLG_SECURE_POOL | POOL_CREATE_FLG_USE_GLOBAL_POOL, TAG,
                              NULL, &pool),
                 STATUS_SUCCESS);
    CHECK(pool != NULL);
    return pool;
}

/* ---- layouts and constants (wdm.h) ---- */

static void TestLayout(void)
{
    CHECK_EQ(sizeof(POOL_EXTENDED_PARAMETER), 16);
    CHECK_EQ(sizeof(POOL_EXTENDED_PARAMS_SECURE_POOL), 32);
    CHECK_EQ(FIELD_OFFSET(POOL_EXTENDED_PARAMS_SECURE_POOL, Buffer), 0x08);
    CHECK_EQ(FIELD_OFFSET(POOL_EXTENDED_PARAMS_SECURE_POOL, Cookie), 0x10);
    CHECK_EQ(FIELD_OFFSET(POOL_EXTENDED_PARAMS_SECURE_POOL, SecurePoolFlags), 0x18);
    CHECK_EQ(FIELD_OFFSET(POOL_EXTENDED_PARAMETER, SecurePoolParams), 8);
    CHECK_EQ(sizeof(POOL_CREATE_EXTENDED_PARAMS), 16);
    CHECK_EQ(sizeof(POOL_CREATE_EXTENDED_PARAMETER), 24);
    CHECK_EQ(PoolExtendedParameterPriority, 1);
    CHECK_EQ(PoolExtendedParameterSecurePool, 2);
    CHECK_EQ(PoolExtendedParameterNumaNode, 3);
    CHECK_EQ(POOL_CREATE_FLG_SECURE_POOL, 1);
    CHECK_EQ(POOL_CREATE_FLG_USE_GLOBAL_POOL, 2);
    CHECK_EQ(SECURE_POOL_FLAGS_FREEABLE, 1);
    CHECK_EQ(SECURE_POOL_FLAGS_MODIFIABLE, 2);
    {
        /* Type is bits 0-7, Optional bit 8 of the first 64-bit word. */
        POOL_EXTENDED_PARAMETER e;
        ULONG64 word;
        memset(&e, 0, sizeof(e));
        e.Type = 0x5A;
        e.Optional = 1;
        memcpy(&word, &e, sizeof(word));
        CHECK_EQ(word, 0x15A);
    }
}

/* ---- ExCreatePool ---- */

static void TestCreate(void)
{
    HANDLE a = NULL, b = NULL, c = (HANDLE)1;
    POOL_CREATE_EXTENDED_PARAMETER name;
    POOL_CREATE_EXTENDED_PARAMS params;

    CHECK_STATUS(ExCreatePool(POOL_CREATE_FLG_SECURE_POOL, TAG, NULL, &a), STATUS_SUCCESS);
    CHECK_STATUS(ExCreatePool(POOL_CREATE_FLG_SECURE_POOL | POOL_CREATE_FLG_USE_GLOBAL_POOL, TAG,
                              NULL, &b),
                 STATUS_SUCCESS);
    CHECK(a != NULL && b != NULL && a != b);
    /* Pool type: exactly one, and only the secure one is known. */
    CHECK_STATUS(ExCreatePool(0, TAG, NULL, &c), STATUS_INVALID_PARAMETER_1);
    CHECK_STATUS(ExCreatePool(POOL_CREATE_FLG_USE_GLOBAL_POOL, TAG, NULL, &c),
                 STATUS_INVALID_PARAMETER_1);
    CHECK_STATUS(ExCreatePool(POOL_CREATE_FLG_SECURE_POOL | 0x100, TAG, NULL, &c),
                 STATUS_INVALID_PARAMETER_1);
    /* The parameters' version, and no name for a secure pool. */
    memset(&params, 0, sizeof(params));
    params.Version = 2;
    CHECK_STATUS(ExCreatePool(POOL_CREATE_FLG_SECURE_POOL, TAG, &params, &c),
                 STATUS_INVALID_PARAMETER);
    params.Version = POOL_CREATE_PARAMS_VERSION;
    memset(&name, 0, sizeof(name));
    name.Type = PoolCreateExtendedParameterName;
    RtlInitUnicodeString(&name.PoolName, L"KmtSecure");
    params.ParameterCount = 1;
    params.Parameters = &name;
    CHECK_STATUS(ExCreatePool(POOL_CREATE_FLG_SECURE_POOL, TAG, &params, &c),
                 STATUS_INVALID_PARAMETER_3);
    name.Type = PoolCreateExtendedParameterInvalidType;
    CHECK_STATUS(ExCreatePool(POOL_CREATE_FLG_SECURE_POOL, TAG, &params, &c),
                 STATUS_INVALID_PARAMETER_3);
    params.Parameters = NULL;
    CHECK_STATUS(ExCreatePool(POOL_CREATE_FLG_SECURE_POOL, TAG, &params, &c),
                 STATUS_INVALID_PARAMETER_3);
    params.ParameterCount = 0;
    params.Parameters = &name;
    CHECK_STATUS(ExCreatePool(POOL_CREATE_FLG_SECURE_POOL, TAG, &params, &c),
                 STATUS_INVALID_PARAMETER_3);
    CHECK(c == (HANDLE)1); /* untouched by every failure */
    params.Parameters = NULL;
    CHECK_STATUS(ExCreatePool(POOL_CREATE_FLG_SECURE_POOL, TAG, &params, &c), STATUS_SUCCESS);
    CHECK(c != (HANDLE)1 && c != NULL);
    CHECK_STATUS(ExCreatePool(POOL_CREATE_FLG_SECURE_POOL, TAG, NULL, NULL),
                 STATUS_INVALID_PARAMETER_4);
    ExDestroyPool(a);
    ExDestroyPool(b);
    ExDestroyPool(c);
}

/* ---- ExAllocatePool3 ---- */

static void TestAllocate(void)
{
    HANDLE pool = NewPool(), other = NewPool();
    UCHAR initial[100];
    PUCHAR p, q, z, big;
    POOL_EXTENDED_PARAMS_SECURE_POOL sp;
    POOL_EXTENDED_PARAMETER e[2];
    ULONG i;
    NTSTATUS raised = STATUS_SUCCESS;

    for (i = 0; i < sizeof(initial); i++)
        initial[i] = (UCHAR)(i * 7 + 1);
    p = SecureAllocate(pool, sizeof(initial), initial, COOKIE, SECURE_POOL_FLAGS_FREEABLE);
    CHECK(p != NULL);
    if (p == NULL)
        return;
    CHECK((ULONG_PTR)p >= (ULONG_PTR)MmSystemRangeStart);
    CHECK(((ULONG_PTR)p & 15) == 0);
    CHECK(memcmp(p, initial, sizeof(initial)) == 0);
    CHECK(ExSecurePoolValidate(pool, TAG, p, COOKIE));
    /* Each identifying value matters. */
    CHECK(!ExSecurePoolValidate(pool, TAG + 1, p, COOKIE));
    CHECK(!ExSecurePoolValidate(pool, TAG, p, COOKIE + 1));
    CHECK(!ExSecurePoolValidate(pool, TAG, p + 16, COOKIE));
    CHECK(!ExSecurePoolValidate(other, TAG, p, COOKIE));
    CHECK(!ExSecurePoolValidate(NULL, TAG, p, COOKIE));
    CHECK(!ExSecurePoolValidate((HANDLE)initial, TAG, p, COOKIE));
    CHECK(!ExSecurePoolValidate(pool, TAG, initial, COOKIE));
    /* A second allocation does not overlap; without a Buffer it starts zeroed. */
    q = SecureAllocate(pool, 16, initial, COOKIE + 1, SECURE_POOL_FLAGS_FREEABLE);
    z = SecureAllocate(pool, 64, NULL, COOKIE + 2, SECURE_POOL_FLAGS_FREEABLE);
    CHECK(q != NULL && z != NULL);
    if (q && z) {
        CHECK(q >= p + sizeof(initial) || q + 16 <= p);
        CHECK(ExSecurePoolValidate(pool, TAG, q, COOKIE + 1));
        for (i = 0; i < 64; i++)
            CHECK_EQ(z[i], 0);
        CHECK(ExSecurePoolValidate(pool, TAG, z, COOKIE + 2));
        SecureFree(pool, q, COOKIE + 1);
        SecureFree(pool, z, COOKIE + 2);
    }
    /* Several pages, and more than a pool holds. */
    big = SecureAllocate(pool, 3 * PAGE_SIZE + 5, NULL, COOKIE, SECURE_POOL_FLAGS_FREEABLE);
    CHECK(big != NULL);
    if (big) {
        CHECK(ExSecurePoolValidate(pool, TAG, big, COOKIE));
        SecureFree(pool, big, COOKIE);
    }
    CHECK(SecureAllocate(pool, (SIZE_T)65 * 1024 * 1024, NULL, COOKIE,
                         SECURE_POOL_FLAGS_FREEABLE) == NULL);
    /* Refusals: NULL, or the raise POOL_FLAG_RAISE_ON_FAILURE asks for. */
    CHECK(SecureAllocate(pool, 0, NULL, COOKIE, SECURE_POOL_FLAGS_FREEABLE) == NULL);
    CHECK(SecureAllocate(pool, 8, NULL, COOKIE, 0x4) == NULL);
    CHECK(SecureAllocate((HANDLE)initial, 8, NULL, COOKIE, 0) == NULL);
    sp = SecureParams(pool, NULL, COOKIE, SECURE_POOL_FLAGS_FREEABLE);
    e[0] = SecureParameter(&sp);
    CHECK(ExAllocatePool3(POOL_FLAG_NON_PAGED, 8, 0, e, 1) == NULL); /* tag 0 */
    /* The pool kind is still checked as ExAllocatePool2 checks it. */
    CHECK(ExAllocatePool3(0, 8, TAG, e, 1) == NULL);
    CHECK(ExAllocatePool3(POOL_FLAG_NON_PAGED | POOL_FLAG_PAGED, 8, TAG, e, 1) == NULL);
    z = ExAllocatePool3(POOL_FLAG_PAGED, 8, TAG, e, 1);
    CHECK(z != NULL); /* secure allocations are nonpaged whatever the kind */
    if (z)
        SecureFree(pool, z, COOKIE);
    CHECK(ExAllocatePool3(POOL_FLAG_NON_PAGED, 8, TAG, NULL, 1) == NULL);
    e[1] = e[0];
    CHECK(ExAllocatePool3(POOL_FLAG_NON_PAGED, 8, TAG, e, 2) == NULL); /* the type twice */
    e[0].Reserved = 1;
    CHECK(ExAllocatePool3(POOL_FLAG_NON_PAGED, 8, TAG, e, 1) == NULL);
    e[0].Reserved = 0;
    e[0].SecurePoolParams = NULL;
    CHECK(ExAllocatePool3(POOL_FLAG_NON_PAGED, 8, TAG, e, 1) == NULL);
    sp.SecurePoolHandle = (HANDLE)initial;
    e[0].SecurePoolParams = &sp;
    __try {
        ExAllocatePool3(POOL_FLAG_NON_PAGED | POOL_FLAG_RAISE_ON_FAILURE, 8, TAG, e, 1);
    } __except (EXCEPTION_EXECUTE_HANDLER) {
        raised = GetExceptionCode();
    }
    CHECK_STATUS(raised, STATUS_INSUFFICIENT_RESOURCES);
    SecureFree(pool, p, COOKIE);
    CHECK(!ExSecurePoolValidate(pool, TAG, p, COOKIE));
    ExDestroyPool(pool);
    ExDestroyPool(other);
}

/* ExAllocatePool3 without a secure parameter: ordinary pool, freed by ExFreePool2 (0, NULL). */
static void TestOrdinaryExtended(void)
{
    POOL_EXTENDED_PARAMETER e[2];
    PVOID p;
    memset(e, 0, sizeof(e));
    p = ExAllocatePool3(POOL_FLAG_NON_PAGED, 40, TAG, NULL, 0);
    CHECK(p != NULL);
    if (p)
        ExFreePool2(p, TAG, NULL, 0);
    e[0].Type = PoolExtendedParameterPriority;
    e[0].Priority = HighPoolPriority;
    e[1].Type = PoolExtendedParameterNumaNode;
    e[1].PreferredNode = 0;
    p = ExAllocatePool3(POOL_FLAG_NON_PAGED, 40, TAG, e, 2);
    CHECK(p != NULL);
    if (p)
        ExFreePool2(p, TAG, NULL, 0);
    /* ntk has one node: node 1 only with MM_ANY_NODE_OK. */
    e[1].PreferredNode = 1;
    CHECK(ExAllocatePool3(POOL_FLAG_NON_PAGED, 40, TAG, e, 2) == NULL);
    e[1].PreferredNode = 1 | MM_ANY_NODE_OK;
    p = ExAllocatePool3(POOL_FLAG_NON_PAGED, 40, TAG, e, 2);
    CHECK(p != NULL);
    if (p)
        ExFreePool2(p, TAG, NULL, 0);
    e[0].Priority = (EX_POOL_PRIORITY)7;
    CHECK(ExAllocatePool3(POOL_FLAG_NON_PAGED, 40, TAG, e, 1) == NULL);
    /* An unknown type: ignored when Optional, a failure when required. */
    e[0].Type = 0x77;
    e[0].Optional = 1;
    p = ExAllocatePool3(POOL_FLAG_PAGED, 40, TAG, e, 1);
    CHECK(p != NULL);
    if (p)
        ExFreePool2(p, TAG, NULL, 0);
    e[0].Optional = 0;
    CHECK(ExAllocatePool3(POOL_FLAG_PAGED, 40, TAG, e, 1) == NULL);
    e[0].Type = PoolExtendedParameterInvalidType;
    CHECK(ExAllocatePool3(POOL_FLAG_PAGED, 40, TAG, e, 1) == NULL);
}

/* ---- ExSecurePoolUpdate ---- */

static void TestUpdate(void)
{
    HANDLE pool = NewPool();
    UCHAR initial[32], expect[32], fresh[4] = { 0xA1, 0xB2, 0xC3, 0xD4 };
    PUCHAR p, fixed;
    ULONG i;

    for (i = 0; i < sizeof(initial); i++)
        initial[i] = expect[i] = (UCHAR)i;
    p = SecureAllocate(pool, sizeof(initial), initial, COOKIE,
                       SECURE_POOL_FLAGS_FREEABLE | SECURE_POOL_FLAGS_MODIFIABLE);
    fixed = SecureAllocate(pool, sizeof(initial), initial, COOKIE, SECURE_POOL_FLAGS_FREEABLE);
    CHECK(p != NULL && fixed != NULL);
    if (p == NULL || fixed == NULL)
        return;
    CHECK_STATUS(ExSecurePoolUpdate(pool, TAG, p, COOKIE, 4, sizeof(fresh), fresh),
                 STATUS_SUCCESS);
    memcpy(expect + 4, fresh, sizeof(fresh));
    CHECK(memcmp(p, expect, sizeof(expect)) == 0);
    CHECK(ExSecurePoolValidate(pool, TAG, p, COOKIE));
    /* The last bytes, nothing, and the contents from the allocation itself (overlapping). */
    CHECK_STATUS(ExSecurePoolUpdate(pool, TAG, p, COOKIE, 28, 4, fresh), STATUS_SUCCESS);
    memcpy(expect + 28, fresh, 4);
    CHECK_STATUS(ExSecurePoolUpdate(pool, TAG, p, COOKIE, 32, 0, NULL), STATUS_SUCCESS);
    CHECK_STATUS(ExSecurePoolUpdate(pool, TAG, p, COOKIE, 1, 8, p), STATUS_SUCCESS);
    memmove(expect + 1, expect, 8);
    CHECK(memcmp(p, expect, sizeof(expect)) == 0);
    CHECK(ExSecurePoolValidate(pool, TAG, p, COOKIE));
    /* Secure allocations are nonpaged: both work at DISPATCH_LEVEL. */
    {
        KIRQL old;
        NTSTATUS status;
        LOGICAL valid;
        KeRaiseIrql(DISPATCH_LEVEL, &old);
        status = ExSecurePoolUpdate(pool, TAG, p, COOKIE, 4, sizeof(fresh), fresh);
        valid = ExSecurePoolValidate(pool, TAG, p, COOKIE);
        KeLowerIrql(old);
        CHECK_STATUS(status, STATUS_SUCCESS);
        CHECK(valid);
        memcpy(expect + 4, fresh, sizeof(fresh));
    }
    /* Each failure leaves the contents as they were. */
    CHECK_STATUS(ExSecurePoolUpdate((HANDLE)initial, TAG, p, COOKIE, 0, 4, fresh),
                 STATUS_INVALID_HANDLE);
    CHECK_STATUS(ExSecurePoolUpdate(NULL, TAG, p, COOKIE, 0, 4, fresh), STATUS_INVALID_HANDLE);
    CHECK_STATUS(ExSecurePoolUpdate(pool, TAG + 1, p, COOKIE, 0, 4, fresh),
                 STATUS_INVALID_PARAMETER_2);
    CHECK_STATUS(ExSecurePoolUpdate(pool, TAG, p + 16, COOKIE, 0, 4, fresh),
                 STATUS_INVALID_PARAMETER_3);
    CHECK_STATUS(ExSecurePoolUpdate(pool, TAG, initial, COOKIE, 0, 4, fresh),
                 STATUS_INVALID_PARAMETER_3);
    CHECK_STATUS(ExSecurePoolUpdate(pool, TAG, p, COOKIE ^ 1, 0, 4, fresh),
                 STATUS_INVALID_PARAMETER_4);
    CHECK_STATUS(ExSecurePoolUpdate(pool, TAG, p, COOKIE, 33, 0, fresh),
                 STATUS_INVALID_PARAMETER_5);
    CHECK_STATUS(ExSecurePoolUpdate(pool, TAG, p, COOKIE, 29, 4, fresh),
                 STATUS_INVALID_PARAMETER_6);
    CHECK_STATUS(ExSecurePoolUpdate(pool, TAG, p, COOKIE, 0, 33, initial),
                 STATUS_INVALID_PARAMETER_6);
    CHECK_STATUS(ExSecurePoolUpdate(pool, TAG, p, COOKIE, 1, ~(SIZE_T)0, fresh),
                 STATUS_INVALID_PARAMETER_6);
    CHECK_STATUS(ExSecurePoolUpdate(pool, TAG, p, COOKIE, 0, 4, NULL),
                 STATUS_INVALID_PARAMETER_7);
    CHECK_STATUS(ExSecurePoolUpdate(pool, TAG, fixed, COOKIE, 0, 4, fresh), STATUS_ACCESS_DENIED);
    CHECK(memcmp(p, expect, sizeof(expect)) == 0);
    CHECK(memcmp(fixed, initial, sizeof(initial)) == 0);
    CHECK(ExSecurePoolValidate(pool, TAG, p, COOKIE));
    CHECK(ExSecurePoolValidate(pool, TAG, fixed, COOKIE));
    /* Freed: it no longer exists for update or validation. */
    SecureFree(pool, p, COOKIE);
    CHECK_STATUS(ExSecurePoolUpdate(pool, TAG, p, COOKIE, 0, 4, fresh),
                 STATUS_INVALID_PARAMETER_3);
    CHECK(!ExSecurePoolValidate(pool, TAG, p, COOKIE));
    SecureFree(pool, fixed, COOKIE);
    ExDestroyPool(pool);
}

/* ---- tampering: what page-table control would allow, done with the host's mprotect ---- */

static BOOLEAN Unprotect(PVOID Address, int Protection)
{
    PVOID page = (PVOID)((ULONG_PTR)Address & ~(ULONG_PTR)(PAGE_SIZE - 1));
    return mprotect(page, PAGE_SIZE, Protection) == 0;
}

static void TestTamper(void)
{
    HANDLE pool = NewPool();
    UCHAR initial[48], fresh[4] = { 1, 2, 3, 4 };
    PUCHAR p, q;
    ULONG i;
    for (i = 0; i < sizeof(initial); i++)
        initial[i] = (UCHAR)(0x40 + i);
    p = SecureAllocate(pool, sizeof(initial), initial, COOKIE,
                       SECURE_POOL_FLAGS_FREEABLE | SECURE_POOL_FLAGS_MODIFIABLE);
    q = SecureAllocate(pool, sizeof(initial), initial, COOKIE + 1, SECURE_POOL_FLAGS_MODIFIABLE);
    CHECK(p != NULL && q != NULL);
    if (p == NULL || q == NULL)
        return;
    /* The contents: Validate notices, and Update refuses to make the change look legitimate. */
    CHECK(Unprotect(p, PROT_READ | PROT_WRITE));
    p[10] ^= 0x80;
    CHECK(Unprotect(p, PROT_READ));
    CHECK(!ExSecurePoolValidate(pool, TAG, p, COOKIE));
    CHECK_STATUS(ExSecurePoolUpdate(pool, TAG, p, COOKIE, 0, 4, fresh), STATUS_DATA_ERROR);
    CHECK_EQ(p[0], 0x40);
    /* Put back, it validates again. */
    CHECK(Unprotect(p, PROT_READ | PROT_WRITE));
    p[10] ^= 0x80;
    CHECK(Unprotect(p, PROT_READ));
    CHECK(ExSecurePoolValidate(pool, TAG, p, COOKIE));
    CHECK_STATUS(ExSecurePoolUpdate(pool, TAG, p, COOKIE, 0, 4, fresh), STATUS_SUCCESS);
    /* The inline header before the allocation: it is no longer recognised at all. */
    CHECK(Unprotect(q - 16, PROT_READ | PROT_WRITE));
    ((PULONG)(q - 16))[0] ^= 1;
    CHECK(Unprotect(q - 16, PROT_READ));
    CHECK(!ExSecurePoolValidate(pool, TAG, q, COOKIE + 1));
    CHECK_STATUS(ExSecurePoolUpdate(pool, TAG, q, COOKIE + 1, 0, 4, fresh),
                 STATUS_INVALID_PARAMETER_3);
    SecureFree(pool, p, COOKIE);
    /* q is not freeable: it ends with the pool. */
    ExDestroyPool(pool);
}

/* ---- racing updates ---- */

#define RACE_THREADS 4
#define RACE_ROUNDS 3000
#define RACE_SIZE 256

static HANDLE RacePool;
static PUCHAR RaceOwn[RACE_THREADS], RaceShared;
static volatile LONG RaceUpdateFailures, RaceValidateFailures, RaceContentFailures;

static VOID RaceThread(PVOID Context)
{
    ULONG index = (ULONG)(ULONG_PTR)Context, round, i;
    UCHAR pattern[RACE_SIZE];
    for (round = 0; round < RACE_ROUNDS; round++) {
        UCHAR fill = (UCHAR)(index * 61 + round);
        memset(pattern, fill, sizeof(pattern));
        /* Its own allocation: afterwards exactly what it wrote. */
        if (ExSecurePoolUpdate(RacePool, TAG, RaceOwn[index], COOKIE + index, 0, RACE_SIZE,
                               pattern) != STATUS_SUCCESS)
            InterlockedIncrement(&RaceUpdateFailures);
        for (i = 0; i < RACE_SIZE; i++)
            if (RaceOwn[index][i] != fill) {
                InterlockedIncrement(&RaceContentFailures);
                break;
            }
        if (!ExSecurePoolValidate(RacePool, TAG, RaceOwn[index], COOKIE + index))
            InterlockedIncrement(&RaceValidateFailures);
        /* The shared one: every update is whole, so its checksum always matches. */
        if (ExSecurePoolUpdate(RacePool, TAG, RaceShared, COOKIE, 0, RACE_SIZE, pattern) !=
            STATUS_SUCCESS)
            InterlockedIncrement(&RaceUpdateFailures);
        if (!ExSecurePoolValidate(RacePool, TAG, RaceShared, COOKIE))
            InterlockedIncrement(&RaceValidateFailures);
    }
    PsTerminateSystemThread(STATUS_SUCCESS);
}

static void TestRace(void)
{
    PKTHREAD threads[RACE_THREADS];
    ULONG i;
    RacePool = NewPool();
    RaceShared = SecureAllocate(RacePool, RACE_SIZE, NULL, COOKIE,
                                SECURE_POOL_FLAGS_FREEABLE | SECURE_POOL_FLAGS_MODIFIABLE);
    CHECK(RaceShared != NULL);
    for (i = 0; i < RACE_THREADS; i++) {
        RaceOwn[i] = SecureAllocate(RacePool, RACE_SIZE, NULL, COOKIE + i,
                                    SECURE_POOL_FLAGS_FREEABLE | SECURE_POOL_FLAGS_MODIFIABLE);
        CHECK(RaceOwn[i] != NULL);
        if (RaceOwn[i] == NULL || RaceShared == NULL)
            return;
    }
    for (i = 0; i < RACE_THREADS; i++)
        threads[i] = KmtStartThread(RaceThread, (PVOID)(ULONG_PTR)i);
    for (i = 0; i < RACE_THREADS; i++)
        KmtJoinThread(threads[i]);
    CHECK_EQ(RaceUpdateFailures, 0);
    CHECK_EQ(RaceContentFailures, 0);
    CHECK_EQ(RaceValidateFailures, 0);
    /* The shared allocation holds one thread's last pattern, whole. */
    for (i = 1; i < RACE_SIZE; i++)
        if (RaceShared[i] != RaceShared[0])
            break;
    CHECK_EQ(i, RACE_SIZE);
    for (i = 0; i < RACE_THREADS; i++)
        SecureFree(RacePool, RaceOwn[i], COOKIE + i);
    SecureFree(RacePool, RaceShared, COOKIE);
    ExDestroyPool(RacePool);
}

/* ---- reuse: a freed extent comes back zeroed, with the new contents only ---- */

static void TestReuse(void)
{
    HANDLE pool = NewPool();
    UCHAR secret[64];
    PUCHAR p, q;
    ULONG i;
    memset(secret, 0xEE, sizeof(secret));
    p = SecureAllocate(pool, sizeof(secret), secret, COOKIE, SECURE_POOL_FLAGS_FREEABLE);
    CHECK(p != NULL);
    if (p == NULL)
        return;
    SecureFree(pool, p, COOKIE);
    for (i = 0; i < sizeof(secret); i++)
        CHECK_EQ(p[i], 0); /* still mapped (the pool lives), but scrubbed */
    q = SecureAllocate(pool, 32, NULL, COOKIE + 9, SECURE_POOL_FLAGS_FREEABLE);
    CHECK(q == p); /* first fit */
    if (q) {
        CHECK(ExSecurePoolValidate(pool, TAG, q, COOKIE + 9));
        CHECK(!ExSecurePoolValidate(pool, TAG, q, COOKIE));
        SecureFree(pool, q, COOKIE + 9);
    }
    ExDestroyPool(pool);
}

static VOID Unload(PDRIVER_OBJECT DriverObject)
{
    UNREFERENCED_PARAMETER(DriverObject);
    DbgPrint("kmtest_securepool: unload\n");
}

NTSTATUS DriverEntry(PDRIVER_OBJECT DriverObject, PUNICODE_STRING RegistryPath)
{
    UNREFERENCED_PARAMETER(RegistryPath);
    DriverObject->DriverUnload = Unload;
    KMT_RUN("kmtest_securepool", TestLayout());
    KMT_RUN("kmtest_securepool", TestCreate());
    KMT_RUN("kmtest_securepool", TestAllocate());
    KMT_RUN("kmtest_securepool", TestOrdinaryExtended());
    KMT_RUN("kmtest_securepool", TestUpdate());
    KMT_RUN("kmtest_securepool", TestTamper());
    KMT_RUN("kmtest_securepool", TestReuse());
    KMT_RUN("kmtest_securepool", TestRace());
    return KmtFinish("kmtest_securepool");
}
