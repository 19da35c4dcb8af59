/* Shared between the ZeroFilter driver and its clients: the control device's name, its control
 * codes and the counts it returns. Included by the driver (ntddk.h) and by user programs
 * (windows.h + winioctl.h), which both define CTL_CODE. */
#ifndef ZERO_FILTER_COMMON_H
#define ZERO_FILTER_COMMON_H

#define DEVICE_ZERO_FILTER 0x8023

/* Returns a ZeroFilterCounts; the output buffer must hold one. */
#define IOCTL_ZERO_FILTER_GET_COUNTS                                                             \
    CTL_CODE(DEVICE_ZERO_FILTER, 0x800, METHOD_BUFFERED, FILE_ANY_ACCESS)
/* Sets every count back to zero; no buffers. */
#define IOCTL_ZERO_FILTER_CLEAR_COUNTS                                                           \
    CTL_CODE(DEVICE_ZERO_FILTER, 0x801, METHOD_NEITHER, FILE_ANY_ACCESS)

/* One count per IRP major function, indexed by its code (IRP_MJ_MAXIMUM_FUNCTION is 0x1B). */
#define ZERO_FILTER_MAJORS 0x1C
#define ZERO_FILTER_MJ_CREATE 0x00
#define ZERO_FILTER_MJ_CLOSE 0x02
#define ZERO_FILTER_MJ_READ 0x03
#define ZERO_FILTER_MJ_WRITE 0x04
#define ZERO_FILTER_MJ_DEVICE_CONTROL 0x0E
#define ZERO_FILTER_MJ_CLEANUP 0x12

typedef struct {
    long long Irps[ZERO_FILTER_MAJORS];     /* requests that passed through the filter */
    long long BytesRead;                    /* as the lower driver completed them */
    long long BytesWritten;
    long long CreatesOfNamedDevice;         /* opens whose file object names Zero's device */
    long long PendingReturned;              /* reads and writes the lower driver pended */
} ZeroFilterCounts;

#endif
