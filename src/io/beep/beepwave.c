/* The WAV file of a run's tones: 16-bit PCM mono at BEEP_WAVE_RATE, starting with the first
 * tone; gaps between tones are silence (zero samples). A tone is a square wave whose phase
 * starts at zero: sample k of a tone of F Hz is +A while (k * F) mod RATE < RATE / 2, -A
 * otherwise. Integer arithmetic only, so every build writes the same bytes. */
#include "beepp.h"
#include <errno.h>
#include <stdio.h>
#include <string.h>

#define BEEP_WAVE_MAX_SAMPLES ((ULONGLONG)BEEP_WAVE_RATE * BEEP_WAVE_MAX_SECONDS)
#define BEEP_CHUNK 4096

typedef struct _BEEP_WRITER {
    FILE *File;
    unsigned char Buffer[BEEP_CHUNK * 2];
    ULONG Used;       /* bytes in Buffer */
    ULONGLONG Written; /* samples so far */
    BOOLEAN Failed;
} BEEP_WRITER;

static VOID BeepPut32(unsigned char *Out, ULONG Value)
{
    Out[0] = (unsigned char)Value;
    Out[1] = (unsigned char)(Value >> 8);
    Out[2] = (unsigned char)(Value >> 16);
    Out[3] = (unsigned char)(Value >> 24);
}

static VOID BeepPut16(unsigned char *Out, USHORT Value)
{
    Out[0] = (unsigned char)Value;
    Out[1] = (unsigned char)(Value >> 8);
}

/* The 44-byte header of a canonical PCM file with Samples samples. */
static BOOLEAN BeepWriteHeader(FILE *File, ULONGLONG Samples)
{
    unsigned char Header[44];
    ULONG DataBytes = (ULONG)(Samples * 2);
    memcpy(Header, "RIFF", 4);
    BeepPut32(Header + 4, 36 + DataBytes);
    memcpy(Header + 8, "WAVEfmt ", 8);
    BeepPut32(Header + 16, 16);                  /* fmt chunk size */
    BeepPut16(Header + 20, 1);                   /* WAVE_FORMAT_PCM */
    BeepPut16(Header + 22, 1);                   /* mono */
    BeepPut32(Header + 24, BEEP_WAVE_RATE);
    BeepPut32(Header + 28, BEEP_WAVE_RATE * 2);  /* bytes per second */
    BeepPut16(Header + 32, 2);                   /* block align */
    BeepPut16(Header + 34, 16);                  /* bits per sample */
    memcpy(Header + 36, "data", 4);
    BeepPut32(Header + 40, DataBytes);
    return fwrite(Header, sizeof(Header), 1, File) == 1;
}

static VOID BeepFlush(BEEP_WRITER *Writer)
{
    if (Writer->Used && fwrite(Writer->Buffer, Writer->Used, 1, Writer->File) != 1)
        Writer->Failed = TRUE;
    Writer->Used = 0;
}

static VOID BeepPutSample(BEEP_WRITER *Writer, SHORT Sample)
{
    BeepPut16(Writer->Buffer + Writer->Used, (USHORT)Sample);
    Writer->Used += 2;
    Writer->Written++;
    if (Writer->Used == sizeof(Writer->Buffer))
        BeepFlush(Writer);
}

/* The sample at which interrupt time Time falls, counted from Origin, rounded. */
static ULONGLONG BeepSampleAt(ULONGLONG Time, ULONGLONG Origin)
{
    ULONGLONG Elapsed = Time - Origin;
    /* Past the cap, any value past it will do (and cannot overflow). */
    if (Elapsed > (ULONGLONG)BEEP_WAVE_MAX_SECONDS * 2 * 10000000)
        return BEEP_WAVE_MAX_SAMPLES + 1;
    return (Elapsed * BEEP_WAVE_RATE + 5000000) / 10000000;
}

/* The file's length: up to the last tone's end, at most the cap. */
static ULONGLONG BeepTotalSamples(const BEEP_TONE *Tones, ULONG Count)
{
    ULONGLONG Total = 0;
    ULONG i;
    for (i = 0; i < Count; i++) {
        ULONGLONG End = BeepSampleAt(Tones[i].End, Tones[0].Start);
        if (End > Total)
            Total = End;
    }
    return Total;
}

BOOLEAN BeepWriteWave(PCSTR Path, const BEEP_TONE *Tones, ULONG Count)
{
    static BEEP_WRITER Writer; /* one unload at a time; keeps 8 KiB off the stack */
    ULONGLONG Total = Count ? BeepTotalSamples(Tones, Count) : 0;
    ULONG i;

    if (Total > BEEP_WAVE_MAX_SAMPLES) {
        KdpLog("ntk: beep: the tones last longer than %u s; %s keeps the first %u s\n",
               BEEP_WAVE_MAX_SECONDS, Path, BEEP_WAVE_MAX_SECONDS);
        Total = BEEP_WAVE_MAX_SAMPLES;
    }
    memset(&Writer, 0, sizeof(Writer));
    Writer.File = fopen(Path, "wb");
    if (Writer.File == NULL) {
        KdpLog("ntk: beep: cannot write %s: %s\n", Path, strerror(errno));
        return FALSE;
    }
    Writer.Failed = !BeepWriteHeader(Writer.File, Total);
    for (i = 0; i < Count && Writer.Written < Total; i++) {
        ULONGLONG Start = BeepSampleAt(Tones[i].Start, Tones[0].Start);
        ULONGLONG End = BeepSampleAt(Tones[i].End, Tones[0].Start);
        ULONGLONG Phase = 0, k;
        if (End > Total)
            End = Total;
        while (Writer.Written < Start && Writer.Written < Total)
            BeepPutSample(&Writer, 0);
        /* A tone cut by the next one may round to less than a sample. */
        for (k = Writer.Written; k < End; k++) {
            BeepPutSample(&Writer, Phase * 2 < BEEP_WAVE_RATE ? BEEP_WAVE_AMPLITUDE
                                                              : -BEEP_WAVE_AMPLITUDE);
            Phase += Tones[i].Frequency;
            if (Phase >= BEEP_WAVE_RATE)
                Phase %= BEEP_WAVE_RATE;
        }
    }
    while (Writer.Written < Total)
        BeepPutSample(&Writer, 0);
    BeepFlush(&Writer);
    if (fclose(Writer.File) != 0)
        Writer.Failed = TRUE;
    if (Writer.Failed)
        KdpLog("ntk: beep: writing %s failed: %s\n", Path, strerror(errno));
    return !Writer.Failed;
}
