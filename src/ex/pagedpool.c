/* Ex: where paged pool lives, and Driver Verifier's "force IRQL checking". Paged pool has a
 * region of system space of its own, so that with `ntk run --force-irql-checking` every raise
 * to DISPATCH_LEVEL can "page it out" (make the whole region inaccessible), as the verifier
 * trims pageable memory on Windows: a driver that then touches paged pool at DISPATCH_LEVEL or
 * above faults, and the fault is the bug check Windows raises (0xD1 in a driver, 0xA in the
 * kernel). Below DISPATCH_LEVEL the fault "pages in" the page and the access goes on. A bitmap
 * says which pages of the region hold pool, so that a freed large block stays inaccessible. */
#include "pool.h"
#include <sys/mman.h>

#define EXP_PAGED_REGION ((SIZE_T)64 << 30) /* address space, not memory */
#define EXP_PAGED_PAGES (EXP_PAGED_REGION / PAGE_SIZE)

volatile BOOLEAN ExpForceIrqlChecking;
static PUCHAR ExpPagedBase;
static PUCHAR volatile ExpPagedNext;
static volatile ULONG64 *ExpPagedValid; /* a bit a page: part of paged pool now */
static pthread_mutex_t ExpPagedLock = PTHREAD_MUTEX_INITIALIZER;

VOID NtkForceIrqlChecking(BOOLEAN Enable)
{
    ExpForceIrqlChecking = Enable;
}

NTSTATUS ExpInitializePagedPool(VOID)
{
    PVOID Bitmap;
    if (ExpPagedBase)
        return STATUS_SUCCESS;
    Bitmap = mmap(NULL, EXP_PAGED_PAGES / 8, PROT_READ | PROT_WRITE,
                  MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (Bitmap == MAP_FAILED)
        return STATUS_INSUFFICIENT_RESOURCES;
    ExpPagedBase = MmpReserveSystemRange(EXP_PAGED_REGION);
    if (ExpPagedBase == NULL) {
        munmap(Bitmap, EXP_PAGED_PAGES / 8);
        return STATUS_INSUFFICIENT_RESOURCES;
    }
    ExpPagedValid = Bitmap;
    ExpPagedNext = ExpPagedBase;
    return STATUS_SUCCESS;
}

BOOLEAN ExpIsPagedPoolAddress(const VOID *Address)
{
    return ExpPagedBase && (PUCHAR)Address >= ExpPagedBase &&
           (PUCHAR)Address < ExpPagedBase + EXP_PAGED_REGION;
}

static VOID ExpMarkPages(PUCHAR Base, SIZE_T Size, BOOLEAN Valid)
{
    SIZE_T Page = (SIZE_T)(Base - ExpPagedBase) / PAGE_SIZE, Last = Page + Size / PAGE_SIZE;
    for (; Page < Last; Page++) {
        ULONG64 Bit = 1ULL << (Page % 64);
        if (Valid)
            __atomic_fetch_or(&ExpPagedValid[Page / 64], Bit, __ATOMIC_RELEASE);
        else
            __atomic_fetch_and(&ExpPagedValid[Page / 64], ~Bit, __ATOMIC_RELEASE);
    }
}

/* Size bytes (whole pages) of paged pool at an address aligned to Alignment (a power of two,
 * a page or more), accessible; NULL when the region is full. */
PVOID ExpCarvePagedPool(SIZE_T Size, SIZE_T Alignment)
{
    PUCHAR Base;
    Size = ROUND_TO_PAGES(Size);
    pthread_mutex_lock(&ExpPagedLock);
    Base = (PUCHAR)(((ULONG_PTR)ExpPagedNext + Alignment - 1) & ~(ULONG_PTR)(Alignment - 1));
    if (ExpPagedBase == NULL || Base + Size > ExpPagedBase + EXP_PAGED_REGION ||
        mprotect(Base, Size, PROT_READ | PROT_WRITE) != 0) {
        pthread_mutex_unlock(&ExpPagedLock);
        return NULL;
    }
    ExpMarkPages(Base, Size, TRUE);
    ExpPagedNext = Base + Size;
    pthread_mutex_unlock(&ExpPagedLock);
    return Base;
}

VOID ExpReleasePagedPool(PVOID Base, SIZE_T Size)
{
    Size = ROUND_TO_PAGES(Size);
    ExpMarkPages(Base, Size, FALSE);
    MmpReleaseSystemPages(Base, Size);
}

/* A raise to DISPATCH_LEVEL with the check on: all of paged pool is "paged out". */
VOID ExpTrimPagedPool(VOID)
{
    PUCHAR Next = ExpPagedNext;
    if (ExpPagedBase && Next > ExpPagedBase)
        mprotect(ExpPagedBase, (SIZE_T)(Next - ExpPagedBase), PROT_NONE);
}

/* From the fault handler (async-signal-safe): a fault on a trimmed page of paged pool below
 * DISPATCH_LEVEL pages it back in; TRUE means the access can be retried. */
BOOLEAN ExpPageInPagedPool(ULONG_PTR Address, KIRQL Irql)
{
    SIZE_T Page;
    if (!ExpForceIrqlChecking || !ExpIsPagedPoolAddress((PVOID)Address) || Irql >= DISPATCH_LEVEL)
        return FALSE;
    Page = (Address - (ULONG_PTR)ExpPagedBase) / PAGE_SIZE;
    if (!(__atomic_load_n(&ExpPagedValid[Page / 64], __ATOMIC_ACQUIRE) & (1ULL << (Page % 64))))
        return FALSE;
    return mprotect(PAGE_ALIGN(Address), PAGE_SIZE, PROT_READ | PROT_WRITE) == 0;
}

/* A bug check: every page of paged pool accessible again, for the crash dump to read. */
VOID ExpUntrimPagedPool(VOID)
{
    SIZE_T Page, Pages;
    if (!ExpForceIrqlChecking || ExpPagedBase == NULL)
        return;
    Pages = (SIZE_T)(ExpPagedNext - ExpPagedBase) / PAGE_SIZE;
    for (Page = 0; Page < Pages; Page++)
        if (ExpPagedValid[Page / 64] & (1ULL << (Page % 64)))
            mprotect(ExpPagedBase + Page * PAGE_SIZE, PAGE_SIZE, PROT_READ | PROT_WRITE);
}
