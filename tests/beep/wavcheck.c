/* wavcheck FILE SPEC...: checks that a 16-bit PCM mono WAV file holds the tones and silences
 * SPEC lists, in order, and nothing else.
 *   tone:FREQ:MS   a tone of FREQ Hz lasting MS milliseconds
 *   gap:MS         silence lasting MS milliseconds
 * MS may be '*' (any length). Silence is a run of at least 1 ms of zero samples; a tone is
 * what lies between. A tone's frequency is measured from its rising zero crossings
 * (interpolated between samples), so any waveform that crosses zero once a period will do.
 * Tolerances: frequency 2%, duration 1 ms plus one sample.
 * Exit status: 0 if everything matches, 1 on a mismatch, 2 if the file cannot be read. */
#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    int Tone;          /* 1: tone, 0: silence */
    size_t Start, Length;
    double Frequency;  /* tones only */
} Segment;

typedef struct {
    int Tone;
    double Frequency;
    double Milliseconds; /* < 0: any */
} Expected;

static uint32_t Get32(const unsigned char *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static uint16_t Get16(const unsigned char *p)
{
    return (uint16_t)(p[0] | p[1] << 8);
}

/* Reads the samples of a PCM 16-bit mono file; returns NULL with a message on any other. */
static int16_t *ReadWave(const char *Path, size_t *Count, unsigned *Rate)
{
    FILE *f = fopen(Path, "rb");
    unsigned char header[12], chunk[8], fmt[16];
    int16_t *samples = NULL;
    int haveFormat = 0;

    if (f == NULL) {
        fprintf(stderr, "wavcheck: %s: %s\n", Path, strerror(errno));
        return NULL;
    }
    if (fread(header, 12, 1, f) != 1 || memcmp(header, "RIFF", 4) != 0 ||
        memcmp(header + 8, "WAVE", 4) != 0) {
        fprintf(stderr, "wavcheck: %s is not a RIFF WAVE file\n", Path);
        goto fail;
    }
    while (fread(chunk, 8, 1, f) == 1) {
        uint32_t size = Get32(chunk + 4);
        if (memcmp(chunk, "fmt ", 4) == 0) {
            if (size < 16 || fread(fmt, 16, 1, f) != 1)
                goto bad;
            if (Get16(fmt) != 1 || Get16(fmt + 2) != 1 || Get16(fmt + 14) != 16) {
                fprintf(stderr, "wavcheck: %s is not 16-bit PCM mono\n", Path);
                goto fail;
            }
            *Rate = Get32(fmt + 4);
            haveFormat = 1;
            if (fseek(f, (long)(size - 16 + (size & 1)), SEEK_CUR) != 0)
                goto bad;
        } else if (memcmp(chunk, "data", 4) == 0) {
            size_t i, n = size / 2;
            unsigned char *raw;
            if (!haveFormat || *Rate == 0)
                goto bad;
            raw = malloc(size ? size : 1);
            samples = malloc((n ? n : 1) * sizeof(int16_t));
            if (raw == NULL || samples == NULL || (size && fread(raw, size, 1, f) != 1)) {
                free(raw);
                goto bad;
            }
            for (i = 0; i < n; i++)
                samples[i] = (int16_t)Get16(raw + 2 * i);
            free(raw);
            *Count = n;
            fclose(f);
            return samples;
        } else if (fseek(f, (long)(size + (size & 1)), SEEK_CUR) != 0) {
            goto bad;
        }
    }
bad:
    fprintf(stderr, "wavcheck: %s: malformed or truncated WAV file\n", Path);
fail:
    free(samples);
    fclose(f);
    return NULL;
}

/* Rising zero crossings, interpolated; the frequency spans the first to the last. */
static double MeasureFrequency(const int16_t *s, size_t Start, size_t Length, unsigned Rate)
{
    double first = -1, last = -1;
    size_t i, crossings = 0;
    for (i = Start + 1; i < Start + Length; i++) {
        if (s[i - 1] < 0 && s[i] >= 0) {
            double at = (double)(i - 1) + (double)-s[i - 1] / (double)(s[i] - s[i - 1]);
            if (first < 0)
                first = at;
            last = at;
            crossings++;
        }
    }
    if (crossings < 2)
        return 0;
    return (double)(crossings - 1) * Rate / (last - first);
}

static size_t FindSegments(const int16_t *s, size_t n, unsigned Rate, Segment **Out)
{
    size_t minSilence = Rate / 1000 ? Rate / 1000 : 1, count = 0, capacity = 16, i = 0;
    Segment *segs = malloc(capacity * sizeof(Segment));
    while (segs && i < n) {
        size_t start = i, zeros;
        int tone;
        /* A run of zeros shorter than minSilence belongs to the tone around it. */
        for (zeros = 0; i + zeros < n && s[i + zeros] == 0; zeros++)
            ;
        tone = zeros < minSilence && i + zeros < n;
        if (!tone) {
            i += zeros;
        } else {
            for (;;) {
                while (i < n && s[i] != 0)
                    i++;
                for (zeros = 0; i + zeros < n && s[i + zeros] == 0; zeros++)
                    ;
                if (zeros >= minSilence || i + zeros == n)
                    break;
                i += zeros;
            }
        }
        if (count == capacity) {
            Segment *more = realloc(segs, 2 * capacity * sizeof(Segment));
            if (more == NULL) {
                free(segs);
                return 0;
            }
            segs = more;
            capacity *= 2;
        }
        segs[count].Tone = tone;
        segs[count].Start = start;
        segs[count].Length = i - start;
        segs[count].Frequency = tone ? MeasureFrequency(s, start, i - start, Rate) : 0;
        count++;
    }
    *Out = segs;
    return count;
}

static int ParseSpec(const char *Text, Expected *e)
{
    char *end;
    const char *ms;
    if (strncmp(Text, "tone:", 5) == 0) {
        e->Tone = 1;
        e->Frequency = strtod(Text + 5, &end);
        if (*end != ':' || e->Frequency <= 0)
            return 0;
        ms = end + 1;
    } else if (strncmp(Text, "gap:", 4) == 0) {
        e->Tone = 0;
        e->Frequency = 0;
        ms = Text + 4;
    } else {
        return 0;
    }
    if (strcmp(ms, "*") == 0) {
        e->Milliseconds = -1;
        return 1;
    }
    e->Milliseconds = strtod(ms, &end);
    return *ms && *end == 0 && e->Milliseconds >= 0;
}

int main(int argc, char **argv)
{
    size_t n = 0, count, i, expectedCount = (size_t)(argc > 2 ? argc - 2 : 0);
    unsigned rate = 0;
    int16_t *samples;
    Segment *segs = NULL;
    Expected *expected;
    int failures = 0, tones = 0, gaps = 0;

    if (argc < 2) {
        fprintf(stderr, "usage: wavcheck FILE [tone:FREQ:MS | gap:MS]...\n");
        return 2;
    }
    expected = calloc(expectedCount ? expectedCount : 1, sizeof(Expected));
    for (i = 0; i < expectedCount; i++) {
        if (!ParseSpec(argv[i + 2], &expected[i])) {
            fprintf(stderr, "wavcheck: bad specification '%s'\n", argv[i + 2]);
            return 2;
        }
    }
    samples = ReadWave(argv[1], &n, &rate);
    if (samples == NULL)
        return 2;
    count = FindSegments(samples, n, rate, &segs);
    printf("wavcheck: %s: %u Hz, %zu samples (%.1f ms), %zu segments\n", argv[1], rate, n,
           1000.0 * n / rate, count);

    for (i = 0; i < count || i < expectedCount; i++) {
        const Segment *s = i < count ? &segs[i] : NULL;
        const Expected *e = i < expectedCount ? &expected[i] : NULL;
        double ms = s ? 1000.0 * s->Length / rate : 0;
        double msTolerance = 1.0 + 1000.0 / rate;
        int ok = 1;
        if (s == NULL) {
            printf("wavcheck: segment %zu: missing, expected a %s\n", i + 1,
                   e->Tone ? "tone" : "gap");
            failures++;
            continue;
        }
        if (e == NULL || e->Tone != s->Tone)
            ok = 0;
        else if (e->Milliseconds >= 0 && fabs(ms - e->Milliseconds) > msTolerance)
            ok = 0;
        else if (e->Tone && fabs(s->Frequency - e->Frequency) > 0.02 * e->Frequency)
            ok = 0;
        if (s->Tone)
            printf("wavcheck: segment %zu: tone %.1f Hz, %.2f ms at %.2f ms", i + 1, s->Frequency,
                   ms, 1000.0 * s->Start / rate);
        else
            printf("wavcheck: segment %zu: silence %.2f ms at %.2f ms", i + 1, ms,
                   1000.0 * s->Start / rate);
        if (e == NULL)
            printf(", not expected\n");
        else if (e->Tone)
            printf(" (expected tone %.0f Hz, %s%.0f ms)", e->Frequency,
                   e->Milliseconds < 0 ? "any" : "", e->Milliseconds < 0 ? 0.0 : e->Milliseconds);
        else
            printf(" (expected silence, %s%.0f ms)", e->Milliseconds < 0 ? "any" : "",
                   e->Milliseconds < 0 ? 0.0 : e->Milliseconds);
        if (e)
            printf(": %s\n", ok ? "ok" : "MISMATCH");
        if (!ok)
            failures++;
        else if (s->Tone)
            tones++;
        else
            gaps++;
    }
    free(samples);
    free(segs);
    free(expected);
    if (failures) {
        printf("wavcheck: FAIL: %d segment%s do not match\n", failures, failures == 1 ? "" : "s");
        return 1;
    }
    printf("wavcheck: %d tones and %d gaps as expected\n", tones, gaps);
    return 0;
}
