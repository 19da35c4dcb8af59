/* bugdrv's pool cases: the checks the normal pool makes at free, and the special pool's (run
 * with --special-pool bugdrv, or POOL_FLAG_SPECIAL_POOL). Each line that commits a bug carries
 * its SITE(name) comment, as in bugdrv.c. */
#include "bugdrv_cases.h"

static volatile UCHAR BugSink;

/* 13 bytes: at the end of its page (Verify End) the block has 3 bytes of slack after it. */
static DECLSPEC_NOINLINE PUCHAR BugSpecialBlock(VOID)
{
    return ExAllocatePoolWithTag(NonPagedPoolNx, 13, BUGDRV_TAG);
}

DECLSPEC_NOINLINE NTSTATUS BugSpecialOverrun(PDEVICE_OBJECT DeviceObject, PIRP Irp)
{
    PUCHAR Block = BugSpecialBlock();
    UNREFERENCED_PARAMETER(DeviceObject);
    Block[16] = 1; /* SITE(special_overrun) */
    return BugComplete(Irp, STATUS_SUCCESS);
}

DECLSPEC_NOINLINE NTSTATUS BugSpecialUnderrun(PDEVICE_OBJECT DeviceObject, PIRP Irp)
{
    PUCHAR Block = BugSpecialBlock(); /* --special-pool-verify start: at the page's start */
    UNREFERENCED_PARAMETER(DeviceObject);
    BugSink = Block[-1]; /* SITE(special_underrun) */
    return BugComplete(Irp, STATUS_SUCCESS);
}

DECLSPEC_NOINLINE NTSTATUS BugSpecialAfterFree(PDEVICE_OBJECT DeviceObject, PIRP Irp)
{
    PUCHAR Block = BugSpecialBlock();
    UNREFERENCED_PARAMETER(DeviceObject);
    ExFreePoolWithTag(Block, BUGDRV_TAG);
    BugSink = Block[2]; /* SITE(special_after_free) */
    return BugComplete(Irp, STATUS_SUCCESS);
}

DECLSPEC_NOINLINE NTSTATUS BugSpecialSlack(PDEVICE_OBJECT DeviceObject, PIRP Irp)
{
    PUCHAR Block = BugSpecialBlock();
    UNREFERENCED_PARAMETER(DeviceObject);
    Block[13] = 0; /* one past the end, in the slack: seen when freed */
    ExFreePoolWithTag(Block, BUGDRV_TAG); /* SITE(special_slack) */
    return BugComplete(Irp, STATUS_SUCCESS);
}

DECLSPEC_NOINLINE NTSTATUS BugSpecialPrefix(PDEVICE_OBJECT DeviceObject, PIRP Irp)
{
    PUCHAR Block = BugSpecialBlock();
    UNREFERENCED_PARAMETER(DeviceObject);
    Block[-8] = 0; /* before the start, in the same page: seen when freed */
    ExFreePoolWithTag(Block, BUGDRV_TAG); /* SITE(special_prefix) */
    return BugComplete(Irp, STATUS_SUCCESS);
}

DECLSPEC_NOINLINE NTSTATUS BugSpecialFreeTwice(PDEVICE_OBJECT DeviceObject, PIRP Irp)
{
    PUCHAR Block = ExAllocatePool2(POOL_FLAG_NON_PAGED | POOL_FLAG_SPECIAL_POOL, 40, BUGDRV_TAG);
    UNREFERENCED_PARAMETER(DeviceObject);
    ExFreePoolWithTag(Block, BUGDRV_TAG);
    ExFreePoolWithTag(Block, BUGDRV_TAG); /* SITE(special_free_twice) */
    return BugComplete(Irp, STATUS_SUCCESS);
}

/* The system writes past the block: a KEVENT needs 24 bytes, the block has 16 (so it ends
 * exactly at the end of its page). */
DECLSPEC_NOINLINE NTSTATUS BugSpecialSystem(PDEVICE_OBJECT DeviceObject, PIRP Irp)
{
    PKEVENT Event = ExAllocatePool2(POOL_FLAG_NON_PAGED | POOL_FLAG_SPECIAL_POOL, 16, BUGDRV_TAG);
    UNREFERENCED_PARAMETER(DeviceObject);
    KeInitializeEvent(Event, NotificationEvent, FALSE); /* SITE(special_system) */
    return BugComplete(Irp, STATUS_SUCCESS);
}

DECLSPEC_NOINLINE NTSTATUS BugSpecialLeak(PDEVICE_OBJECT DeviceObject, PIRP Irp)
{
    UNREFERENCED_PARAMETER(DeviceObject);
    BugLeaked = ExAllocatePoolWithTag(NonPagedPoolNx, 13, BUGDRV_TAG); /* SITE(special_leak) */
    return BugComplete(Irp, STATUS_SUCCESS);
}

DECLSPEC_NOINLINE NTSTATUS BugZeroSize(PDEVICE_OBJECT DeviceObject, PIRP Irp)
{
    UNREFERENCED_PARAMETER(DeviceObject);
    BugLeaked = ExAllocatePool2(POOL_FLAG_NON_PAGED, 0, BUGDRV_TAG); /* SITE(zero_size) */
    return BugComplete(Irp, STATUS_SUCCESS);
}

/* The normal pool: 13 bytes get a 16-byte unit; writing byte 13 changes the slack, seen when
 * the block is freed. */
DECLSPEC_NOINLINE NTSTATUS BugPoolSlack(PDEVICE_OBJECT DeviceObject, PIRP Irp)
{
    PUCHAR Block = ExAllocatePool2(POOL_FLAG_NON_PAGED, 13, BUGDRV_TAG);
    UNREFERENCED_PARAMETER(DeviceObject);
    Block[13] = 0;
    ExFreePoolWithTag(Block, BUGDRV_TAG); /* SITE(pool_slack) */
    return BugComplete(Irp, STATUS_SUCCESS);
}

/* Two neighbours; the first is overrun by 64 bytes, over the second's header. */
DECLSPEC_NOINLINE NTSTATUS BugPoolOverrun(PDEVICE_OBJECT DeviceObject, PIRP Irp)
{
    PUCHAR First = ExAllocatePool2(POOL_FLAG_NON_PAGED, 32, BUGDRV_TAG);
    PUCHAR Second = ExAllocatePool2(POOL_FLAG_NON_PAGED, 32, BUGDRV_TAG);
    UNREFERENCED_PARAMETER(DeviceObject);
    DbgPrint("bugdrv: blocks at %p and %p\n", First, Second);
    RtlFillMemory(First, 32 + 64, 0x55);
    ExFreePoolWithTag(First, BUGDRV_TAG); /* SITE(pool_overrun) */
    return BugComplete(Irp, STATUS_SUCCESS);
}

/* An underrun into the block's own header. */
DECLSPEC_NOINLINE NTSTATUS BugPoolBadHeader(PDEVICE_OBJECT DeviceObject, PIRP Irp)
{
    PUCHAR Block = ExAllocatePool2(POOL_FLAG_NON_PAGED, 48, BUGDRV_TAG);
    UNREFERENCED_PARAMETER(DeviceObject);
    RtlZeroMemory(Block - 8, 8);
    ExFreePoolWithTag(Block, BUGDRV_TAG); /* SITE(pool_bad_header) */
    return BugComplete(Irp, STATUS_SUCCESS);
}

