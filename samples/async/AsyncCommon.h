/* Shared between the Async driver and its clients: the control code and its buffers. Included
 * by the driver (ntddk.h) and by user programs (windows.h + winioctl.h). */
#ifndef ASYNC_COMMON_H
#define ASYNC_COMMON_H

#define DEVICE_ASYNC 0x8023

/* Input: an AsyncRequest. The request pends for DelayMs milliseconds, then completes with
 * STATUS_SUCCESS and the Tag as its output (Information = sizeof(unsigned)); a cancelled one
 * completes with STATUS_CANCELLED. */
#define IOCTL_ASYNC_DELAY CTL_CODE(DEVICE_ASYNC, 0x800, METHOD_BUFFERED, FILE_ANY_ACCESS)

/* Output: the number of requests queued now (an unsigned). Completes at once. */
#define IOCTL_ASYNC_GET_QUEUED CTL_CODE(DEVICE_ASYNC, 0x801, METHOD_BUFFERED, FILE_ANY_ACCESS)

typedef struct {
    unsigned DelayMs;
    unsigned Tag;
} AsyncRequest;

#endif
