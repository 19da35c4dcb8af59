/* The Beep driver's private interface: the tone log the device control routine writes and
 * the WAV file rendered from it when the driver unloads. */
#ifndef NTK_BEEPP_H
#define NTK_BEEPP_H

#include "ntkp.h"
#include <ntddbeep.h>

/* 16-bit PCM, mono. 22050 Hz renders tones up to 11025 Hz faithfully; higher ones alias. */
#define BEEP_WAVE_RATE 22050
/* A square wave, as the PC speaker's timer produces, at a quarter of full scale. */
#define BEEP_WAVE_AMPLITUDE 8192
/* The longest file written: ten minutes. A run that beeps longer is cut, and says so. */
#define BEEP_WAVE_MAX_SECONDS 600
/* The most tones the log keeps; later ones are counted, not kept. */
#define BEEP_MAX_TONES (1u << 20)

/* One tone: interrupt times (100 ns) of its start and of its end. */
typedef struct _BEEP_TONE {
    ULONGLONG Start;
    ULONGLONG End;
    ULONG Frequency;
} BEEP_TONE, *PBEEP_TONE;

/* Starts the log; WaveFile (copied) is where BeepCloseToneLog writes, NULL for nowhere. */
NTSTATUS BeepOpenToneLog(PCSTR WaveFile);
/* Any IRQL <= DISPATCH_LEVEL. Ends the tone playing, if any, at interrupt time Now; with a
 * Frequency and Duration, a new tone starts at Now. */
VOID BeepSetTone(ULONGLONG Now, ULONG Frequency, ULONG Duration);
/* Stops the speaker at interrupt time Now, writes the WAV file, frees the log. */
VOID BeepCloseToneLog(ULONGLONG Now);
/* Writes Tones (sorted, not overlapping) as a WAV file; FALSE if the file could not be
 * written. */
BOOLEAN BeepWriteWave(PCSTR Path, const BEEP_TONE *Tones, ULONG Count);

#endif
