/* Shared between the PriorityBooster driver and its clients (1st edition, chapter 4,
 * "PriorityBoosterCommon.h"): the control code and its input. */
#ifndef PRIORITY_BOOSTER_COMMON_H
#define PRIORITY_BOOSTER_COMMON_H

#define PRIORITY_BOOSTER_DEVICE 0x8000

/* METHOD_NEITHER: the driver receives the caller's own pointer, not a copy. */
#define IOCTL_PRIORITY_BOOSTER_SET_PRIORITY \
    CTL_CODE(PRIORITY_BOOSTER_DEVICE, 0x800, METHOD_NEITHER, FILE_ANY_ACCESS)

typedef struct {
    ULONG ThreadId;
    int Priority;
} ThreadData;

#endif
