/* The status-matrix test driver's interface: \\.\NtkStatBuf (DO_BUFFERED_IO) and
 * \\.\NtkStatDir (DO_DIRECT_IO) serve reads, writes and control codes of every method as the
 * last IOCTL_STAT_CONFIGURE said. */
#ifndef STATDRV_IOCTL_H
#define STATDRV_IOCTL_H

#define STAT_DEVICE_TYPE 0x8025
#define IOCTL_STAT_CONFIGURE CTL_CODE(STAT_DEVICE_TYPE, 0x900, METHOD_BUFFERED, FILE_ANY_ACCESS)
#define IOCTL_STAT_BUFFERED CTL_CODE(STAT_DEVICE_TYPE, 0x901, METHOD_BUFFERED, FILE_ANY_ACCESS)
#define IOCTL_STAT_IN_DIRECT CTL_CODE(STAT_DEVICE_TYPE, 0x902, METHOD_IN_DIRECT, FILE_ANY_ACCESS)
#define IOCTL_STAT_OUT_DIRECT CTL_CODE(STAT_DEVICE_TYPE, 0x903, METHOD_OUT_DIRECT, FILE_ANY_ACCESS)
#define IOCTL_STAT_NEITHER CTL_CODE(STAT_DEVICE_TYPE, 0x904, METHOD_NEITHER, FILE_ANY_ACCESS)

/* How the dispatch routine completes a request. */
#define STAT_COMPLETE_NOW 0     /* IoCompleteRequest with Returned, return Returned */
#define STAT_PEND_WORKITEM 1    /* mark pending, return STATUS_PENDING; a work item completes */
#define STAT_PEND_INLINE 2      /* mark pending, complete with Final at once, return STATUS_PENDING */

typedef struct _STAT_BEHAVIOUR {
    ULONG How;
    LONG Returned;    /* STAT_COMPLETE_NOW: the status returned and completed with */
    LONG Final;       /* pending: IoStatus.Status at completion */
    ULONG Information;
    ULONG Fill;       /* bytes of STAT_PATTERN the driver writes into the output it can write */
} STAT_BEHAVIOUR;

#define STAT_PATTERN(i) ((UCHAR)(0xA0 + (i)))

#endif
