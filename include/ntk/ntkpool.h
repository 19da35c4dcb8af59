/* ntk's pool usage interface, for tests and tools (what poolmon shows on Windows): kernel-mode
 * test drivers and programs that host a kernel include it. Not a Windows DDI. */
#ifndef NTK_NTKPOOL_H
#define NTK_NTKPOOL_H

#include <ntk/ntkbase.h>

NTK_EXTERN_C_START

typedef struct _NTK_POOL_TAG_INFO {
    ULONG Tag;                 /* as written in C: 'dguB' shows as "Bugd" */
    ULONG NonPagedAllocs, NonPagedFrees;
    SIZE_T NonPagedBytes;      /* in use now (bytes asked for) */
    SIZE_T NonPagedPeak;       /* the most in use at once */
    ULONG PagedAllocs, PagedFrees;
    SIZE_T PagedBytes, PagedPeak;
} NTK_POOL_TAG_INFO, *PNTK_POOL_TAG_INFO;

/* The counters of one tag since boot; STATUS_NOT_FOUND if nothing was ever allocated with it.
 * The protected-tag bit (0x80000000) is ignored. Any IRQL up to DISPATCH_LEVEL. */
NTK_EXPORT NTSTATUS NtkQueryPoolTag(ULONG Tag, PNTK_POOL_TAG_INFO Info);
/* Every tag's counters: fills up to Capacity entries and sets *Count to the number of tags;
 * STATUS_BUFFER_TOO_SMALL when Capacity is less. */
NTK_EXPORT NTSTATUS NtkQueryPoolTags(PNTK_POOL_TAG_INFO Info, ULONG Capacity, PULONG Count);

NTK_EXTERN_C_END

#endif
