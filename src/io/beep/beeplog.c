/* The Beep driver's tone log. There is no speaker: each tone is kept as its start and end in
 * interrupt time, so the WAV file rendered from it at unload is the same however the host
 * scheduled the threads that beeped (under virtual time, exactly the requested durations). */
#include "beepp.h"
#include <string.h>

#define BEEP_TAG 'peeB'

static KSPIN_LOCK BeepLogLock;
static PBEEP_TONE BeepTones;
static ULONG BeepToneCount, BeepToneCapacity, BeepTonesDropped;
static BOOLEAN BeepLogOpen;
static PSTR BeepWaveFile;

NTSTATUS BeepOpenToneLog(PCSTR WaveFile)
{
    KeInitializeSpinLock(&BeepLogLock);
    BeepTones = NULL;
    BeepToneCount = BeepToneCapacity = BeepTonesDropped = 0;
    BeepWaveFile = NULL;
    if (WaveFile) {
        SIZE_T Length = strlen(WaveFile) + 1;
        BeepWaveFile = ExAllocatePool2(POOL_FLAG_NON_PAGED, Length, BEEP_TAG);
        if (BeepWaveFile == NULL)
            return STATUS_INSUFFICIENT_RESOURCES;
        memcpy(BeepWaveFile, WaveFile, Length);
    }
    BeepLogOpen = TRUE;
    return STATUS_SUCCESS;
}

/* Lock held. The array doubles; nonpaged, so it may grow at DISPATCH_LEVEL. */
static BOOLEAN BeepGrowLog(VOID)
{
    ULONG Capacity = BeepToneCapacity ? BeepToneCapacity * 2 : 64;
    PBEEP_TONE Tones;
    if (Capacity > BEEP_MAX_TONES)
        Capacity = BEEP_MAX_TONES;
    if (Capacity <= BeepToneCapacity)
        return FALSE;
    Tones = ExAllocatePool2(POOL_FLAG_NON_PAGED, Capacity * sizeof(BEEP_TONE), BEEP_TAG);
    if (Tones == NULL)
        return FALSE;
    if (BeepTones) {
        memcpy(Tones, BeepTones, BeepToneCount * sizeof(BEEP_TONE));
        ExFreePoolWithTag(BeepTones, BEEP_TAG);
    }
    BeepTones = Tones;
    BeepToneCapacity = Capacity;
    return TRUE;
}

VOID BeepSetTone(ULONGLONG Now, ULONG Frequency, ULONG Duration)
{
    KIRQL Irql;
    KeAcquireSpinLock(&BeepLogLock, &Irql);
    if (!BeepLogOpen) {
        KeReleaseSpinLock(&BeepLogLock, Irql);
        return;
    }
    /* Whatever plays now stops: a new setting replaces the old one at once. */
    if (BeepToneCount > 0 && BeepTones[BeepToneCount - 1].End > Now)
        BeepTones[BeepToneCount - 1].End = Now;
    if (Frequency != 0 && Duration != 0) {
        if (BeepToneCount == BeepToneCapacity && !BeepGrowLog()) {
            BeepTonesDropped++;
        } else {
            PBEEP_TONE Tone = &BeepTones[BeepToneCount++];
            Tone->Start = Now;
            Tone->End = Now + (ULONGLONG)Duration * 10000;
            Tone->Frequency = Frequency;
        }
    }
    KeReleaseSpinLock(&BeepLogLock, Irql);
}

VOID BeepCloseToneLog(ULONGLONG Now)
{
    PBEEP_TONE Tones;
    ULONG Count, Dropped;
    PSTR WaveFile;
    KIRQL Irql;

    /* The speaker stops with the system: a tone still playing ends now. */
    BeepSetTone(Now, 0, 0);
    KeAcquireSpinLock(&BeepLogLock, &Irql);
    BeepLogOpen = FALSE;
    Tones = BeepTones;
    Count = BeepToneCount;
    Dropped = BeepTonesDropped;
    WaveFile = BeepWaveFile;
    BeepTones = NULL;
    BeepToneCount = BeepToneCapacity = 0;
    BeepWaveFile = NULL;
    KeReleaseSpinLock(&BeepLogLock, Irql);

    if (Dropped)
        KdpLog("ntk: beep: %u tones were not recorded (more than %u, or no memory)\n", Dropped,
               BEEP_MAX_TONES);
    if (WaveFile) {
        if (BeepWriteWave(WaveFile, Tones, Count))
            KdpLog("ntk: beep: %u tone%s written to %s\n", Count, Count == 1 ? "" : "s",
                   WaveFile);
        ExFreePoolWithTag(WaveFile, BEEP_TAG);
    }
    if (Tones)
        ExFreePoolWithTag(Tones, BEEP_TAG);
}
