/* bugdrv's cases in more than one file: what they share with bugdrv.c. */
#ifndef NTK_CRASH_BUGDRV_CASES_H
#define NTK_CRASH_BUGDRV_CASES_H

#include <ntddk.h>

#define BUGDRV_TAG 'dguB' /* "Bugd" */

extern PVOID BugLeaked; /* a block kept past unload: a leak */
NTSTATUS BugComplete(PIRP Irp, NTSTATUS Status);

/* bugdrv_pool.c: the pool's checks and the special pool. */
NTSTATUS BugSpecialOverrun(PDEVICE_OBJECT DeviceObject, PIRP Irp);
NTSTATUS BugSpecialUnderrun(PDEVICE_OBJECT DeviceObject, PIRP Irp);
NTSTATUS BugSpecialAfterFree(PDEVICE_OBJECT DeviceObject, PIRP Irp);
NTSTATUS BugSpecialSlack(PDEVICE_OBJECT DeviceObject, PIRP Irp);
NTSTATUS BugSpecialPrefix(PDEVICE_OBJECT DeviceObject, PIRP Irp);
NTSTATUS BugSpecialFreeTwice(PDEVICE_OBJECT DeviceObject, PIRP Irp);
NTSTATUS BugSpecialSystem(PDEVICE_OBJECT DeviceObject, PIRP Irp);
NTSTATUS BugSpecialLeak(PDEVICE_OBJECT DeviceObject, PIRP Irp);
NTSTATUS BugZeroSize(PDEVICE_OBJECT DeviceObject, PIRP Irp);
NTSTATUS BugPoolSlack(PDEVICE_OBJECT DeviceObject, PIRP Irp);
NTSTATUS BugPoolOverrun(PDEVICE_OBJECT DeviceObject, PIRP Irp);
NTSTATUS BugPoolBadHeader(PDEVICE_OBJECT DeviceObject, PIRP Irp);

#endif
