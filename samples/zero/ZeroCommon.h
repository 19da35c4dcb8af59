/* Shared between the Zero driver and its clients (chapter 7, "ZeroCommon.h"): the control codes
 * and the statistics structure. Included by the driver (ntddk.h) and by user programs
 * (windows.h + winioctl.h), which both define CTL_CODE. */
#ifndef ZERO_COMMON_H
#define ZERO_COMMON_H

#define DEVICE_ZERO 0x8022

/* Returns a ZeroStats; the output buffer must hold one. */
#define IOCTL_ZERO_GET_STATS CTL_CODE(DEVICE_ZERO, 0x800, METHOD_BUFFERED, FILE_ANY_ACCESS)
/* Resets both totals; no buffers. */
#define IOCTL_ZERO_CLEAR_STATS CTL_CODE(DEVICE_ZERO, 0x801, METHOD_NEITHER, FILE_ANY_ACCESS)

typedef struct {
    long long TotalRead;
    long long TotalWritten;
} ZeroStats;

#endif
