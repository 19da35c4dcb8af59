/* ntk kernel private: MDLs as the I/O manager and the memory manager share them
 * (src/io/iomdl.c, src/mm/mmmdl.c). */
#ifndef NTK_IOMDL_H
#define NTK_IOMDL_H

#include "ntkp.h"

/* MmProbeAndLockPages without the raise: the status it would raise, STATUS_SUCCESS if the
 * pages are now locked. Bug checks as MmProbeAndLockPages does for a misused MDL. */
NTSTATUS MmpProbeAndLockPages(PMDL Mdl, KPROCESSOR_MODE AccessMode, LOCK_OPERATION Operation);

/* Direct I/O: describes Length bytes at Buffer with an MDL, probed and locked for Operation in
 * Mode, as Irp->MdlAddress. Nothing is attached on failure (STATUS_INSUFFICIENT_RESOURCES, or the
 * probe's STATUS_ACCESS_VIOLATION / STATUS_DATATYPE_MISALIGNMENT). */
NTSTATUS IopLockIrpBuffer(PIRP Irp, PVOID Buffer, ULONG Length, KPROCESSOR_MODE Mode,
                          LOCK_OPERATION Operation);

/* The end of a request: unlocks and frees every MDL chained at Irp->MdlAddress. */
VOID IopFreeIrpMdls(PIRP Irp);

/* At thread exit: frees the MDLs the thread keeps for reuse. */
VOID IopFlushMdlCache(VOID);

#endif
