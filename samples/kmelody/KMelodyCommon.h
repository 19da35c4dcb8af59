/* Shared between the KMelody driver and its clients (chapter 8, "KMelodyCommon.h"): the note
 * and the control code that queues notes. Included by the driver (ntddk.h) and by user programs
 * (windows.h + winioctl.h), which both define CTL_CODE. */
#ifndef KMELODY_COMMON_H
#define KMELODY_COMMON_H

#define MELODY_DEVICE 0x8003

/* Input: an array of Note. Each note plays Frequency Hz for Duration ms, then is silent for
 * Delay ms; Repeat is how many times it plays in all (0 counts as once). Frequency 0 is a
 * rest of Duration ms. */
#define IOCTL_MELODY_PLAY CTL_CODE(MELODY_DEVICE, 0x800, METHOD_BUFFERED, FILE_ANY_ACCESS)

/* The most notes one IOCTL_MELODY_PLAY may queue; more is STATUS_INVALID_PARAMETER. An empty
 * or partial array is STATUS_INVALID_BUFFER_SIZE. */
#define MELODY_MAX_NOTES 1024

typedef struct {
    ULONG Frequency;
    ULONG Duration;
    ULONG Delay;
    ULONG Repeat;
} Note;

#endif
