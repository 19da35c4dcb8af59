/* The ntk command: `ntk run [--driver D.so]... [--cpus N] [--verifier none] [-- PROG.so [ARGS]]`
 * boots a kernel, starts the built-in Beep driver, loads the drivers in order, runs PROG as a
 * user process, unloads the drivers in reverse order. Exit status: PROG's; 2 when a driver
 * fails to load; 3 on a bugcheck (with
 * --expect-bugcheck: 0, 4 or 5). `ntk analyze DUMP` explains the crash dump a bugcheck wrote. */
#include <ntk/host.h>
#include <ntk/ntkpool.h>
#include "analyze/ntk_analyze.h"
#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "rtlp.h"

static void NtkUsage(FILE *Out)
{
    fprintf(Out,
            "usage: ntk run [--driver D.so]... [--cpus N] [--virtual-time] [--dpc-watchdog MS]\n"
            "               [--verifier standard|none] [--dump FILE|none] [--hang-timeout S]\n"
            "               [--expect-bugcheck CODE] [--special-pool DRIVER|TAG]...\n"
            "               [--special-pool-verify end|start] [--poolmon] [--beep-wav FILE]\n"
            "               [--force-irql-checking]\n"
            "               [-- PROG.so [ARGS...]]\n"
            "       ntk analyze [--json] DUMP | --explain CODE | --list\n"
            "\n"
            "Boots an ntk kernel, starts its Beep driver (\\Device\\Beep), loads each driver\n"
            "(DriverEntry) in order, runs PROG's main() as a user process, then unloads the\n"
            "drivers (DriverUnload) in reverse order.\n"
            "  --cpus N           N virtual processors (default: the host's cores)\n"
            "  --virtual-time     time advances only when every thread waits\n"
            "  --dpc-watchdog MS  a DPC running longer than MS is bug check 0x133\n"
            "  --verifier none    no Driver Verifier checks (pool leaks at unload)\n"
            "  --dump FILE        where a bug check writes its crash dump (default:\n"
            "                     ./ntk-crash.dump, replaced each time; none: no dump)\n"
            "  --hang-timeout S   no progress for S seconds is bug check 0xE2 with a dump;\n"
            "                     SIGQUIT (Ctrl-\\) asks for one at any time\n"
            "  --expect-bugcheck CODE  a test expecting bug check CODE (hex, or its name)\n"
            "  --special-pool DRIVER|TAG  the special pool for a driver's allocations below a\n"
            "                     page (DRIVER: its file name, with or without extension) or\n"
            "                     for one pool tag (TAG: up to 4 characters, as poolmon shows\n"
            "                     it); driver:NAME and tag:NAME say which one it is\n"
            "  --special-pool-verify end|start  blocks end at their page's end (overruns\n"
            "                     fault, the default) or start at its start (underruns fault)\n"
            "  --poolmon          print pool usage by tag (as poolmon does) at exit\n"
            "  --force-irql-checking  paged pool is paged out at each raise to\n"
            "                     DISPATCH_LEVEL: touching it there is bug check 0xD1\n"
            "  --beep-wav FILE    the tones played on \\Device\\Beep, written as a WAV file at\n"
            "                     the end of the run\n"
            "Exit status: PROG's; 2 if a driver fails to load; 3 on a bug check. With\n"
            "--expect-bugcheck: 0 if CODE happened, 4 if another bug check did, 5 if none.\n");
}

/* A bug check code: hex (0xD1 or D1) or its name (DRIVER_IRQL_NOT_LESS_OR_EQUAL). */
static BOOLEAN NtkParseBugCheckCode(const char *Text, ULONG *Code)
{
    char *End;
    unsigned long Value = strtoul(Text, &End, 16);
    ULONG Candidate;
    if (*Text && *End == 0) {
        *Code = (ULONG)Value;
        return TRUE;
    }
    for (Candidate = 0; Candidate < 0x400; Candidate++) {
        PCSTR Name = RtlpBugCheckName(Candidate);
        if (Name && strcmp(Name, Text) == 0) {
            *Code = Candidate;
            return TRUE;
        }
    }
    return FALSE;
}

/* The service name a driver path loads as: the file name without its extension. */
static BOOLEAN NtkIsServiceName(const char *Path, const char *Name)
{
    const char *Base = strrchr(Path, '/');
    size_t n;
    Base = Base ? Base + 1 : Path;
    n = strcspn(Base, ".");
    return strncasecmp(Base, Name, n) == 0 && (Name[n] == 0 || Name[n] == '.');
}

/* --special-pool NAME: driver:NAME and tag:NAME say which; otherwise NAME is a driver when it
 * names one of the --driver images or is longer than a tag, else a tag. */
static BOOLEAN NtkSelectSpecialPool(const char *Name, const char **Drivers, int DriverCount)
{
    BOOLEAN Driver = strlen(Name) > 4;
    ULONG Tag = 0;
    int d;
    size_t i;
    for (d = 0; d < DriverCount; d++)
        Driver |= NtkIsServiceName(Drivers[d], Name);
    if (strncmp(Name, "driver:", 7) == 0) {
        Driver = TRUE;
        Name += 7;
    } else if (strncmp(Name, "tag:", 4) == 0) {
        Driver = FALSE;
        Name += 4;
    }
    if (Name[0] == 0 || (!Driver && strlen(Name) > 4))
        return FALSE;
    if (Driver) {
        NtkSpecialPoolForDriver(Name);
        return TRUE;
    }
    /* A tag reads as poolmon shows it: its first character is the low byte (pad: spaces). */
    for (i = 0; i < 4; i++)
        Tag |= (ULONG)(unsigned char)(i < strlen(Name) ? Name[i] : ' ') << (8 * i);
    NtkSpecialPoolForTag(Tag);
    return TRUE;
}

static int NtkCompareTags(const void *A, const void *B)
{
    const NTK_POOL_TAG_INFO *x = A, *y = B;
    ULONG i;
    for (i = 0; i < 4; i++) {
        int cx = (int)((x->Tag >> (8 * i)) & 0xFF), cy = (int)((y->Tag >> (8 * i)) & 0xFF);
        if (cx != cy)
            return cx - cy;
    }
    return 0;
}

static VOID NtkPrintPoolLine(const NTK_POOL_TAG_INFO *Info, const char *Type, ULONG Allocs,
                             ULONG Frees, SIZE_T Bytes, SIZE_T Peak)
{
    char Tag[5];
    RtlpFormatPoolTag(Info->Tag, Tag);
    fprintf(stderr, "  %-4s %-5s %10u %10u %10ld %12llu %12llu\n", Tag, Type, (unsigned)Allocs,
            (unsigned)Frees, (long)Allocs - (long)Frees, (unsigned long long)Bytes,
            (unsigned long long)Peak);
}

/* --poolmon: what poolmon shows, once, when the run ends. */
static VOID NtkPrintPoolUsage(VOID)
{
    NTK_POOL_TAG_INFO *Info = NULL;
    ULONG Count = 0, i;
    if (NtkQueryPoolTags(NULL, 0, &Count) == STATUS_BUFFER_TOO_SMALL) {
        Info = calloc(Count + 16, sizeof(*Info));
        if (Info == NULL || !NT_SUCCESS(NtkQueryPoolTags(Info, Count + 16, &Count)))
            Count = 0;
    }
    if (Info)
        qsort(Info, Count, sizeof(*Info), NtkCompareTags);
    fprintf(stderr, "ntk: pool usage by tag at exit (%u tags)\n", (unsigned)Count);
    fprintf(stderr, "  %-4s %-5s %10s %10s %10s %12s %12s\n", "Tag", "Type", "Allocs", "Frees",
            "Diff", "Bytes", "Peak");
    for (i = 0; i < Count; i++) {
        if (Info[i].NonPagedAllocs)
            NtkPrintPoolLine(&Info[i], "Nonp", Info[i].NonPagedAllocs, Info[i].NonPagedFrees,
                             Info[i].NonPagedBytes, Info[i].NonPagedPeak);
        if (Info[i].PagedAllocs)
            NtkPrintPoolLine(&Info[i], "Paged", Info[i].PagedAllocs, Info[i].PagedFrees,
                             Info[i].PagedBytes, Info[i].PagedPeak);
    }
    free(Info);
}

/* The run ended without a bug check: with --expect-bugcheck that is a failure (5). */
static int NtkNoBugCheck(BOOLEAN Expecting, ULONG Expected, int ExitCode)
{
    if (!Expecting)
        return ExitCode;
    fprintf(stderr, "ntk: the expected bug check 0x%08X %s did not happen (exit status %d)\n",
            (unsigned)Expected, RtlpBugCheckName(Expected) ? RtlpBugCheckName(Expected) : "",
            ExitCode);
    return KD_EXIT_NO_BUGCHECK;
}

static int NtkRun(int argc, char **argv)
{
    const char *Drivers[64];
    int DriverCount = 0, i, ExitCode = 0;
    NTK_OPTIONS Options = { 0, TRUE, FALSE, 0 };
    BOOLEAN Expecting = FALSE, PoolMon = FALSE;
    const char *SpecialPool[16];
    int SpecialCount = 0;
    ULONG Expected = 0, HangSeconds = 0;
    const char *BeepWave = NULL;
    NTSTATUS Status;

    for (i = 0; i < argc; i++) {
        if (strcmp(argv[i], "--driver") == 0 && i + 1 < argc) {
            if (DriverCount == 64) {
                fprintf(stderr, "ntk: too many drivers\n");
                return 2;
            }
            Drivers[DriverCount++] = argv[++i];
        } else if (strcmp(argv[i], "--cpus") == 0 && i + 1 < argc) {
            Options.Processors = (ULONG)strtoul(argv[++i], NULL, 0);
        } else if (strcmp(argv[i], "--virtual-time") == 0) {
            Options.VirtualTime = TRUE;
        } else if (strcmp(argv[i], "--dpc-watchdog") == 0 && i + 1 < argc) {
            Options.DpcWatchdogMs = (ULONG)strtoul(argv[++i], NULL, 0);
        } else if (strcmp(argv[i], "--verifier") == 0 && i + 1 < argc) {
            const char *Mode = argv[++i];
            if (strcmp(Mode, "none") == 0)
                Options.Verifier = FALSE;
            else if (strcmp(Mode, "standard") == 0)
                Options.Verifier = TRUE;
            else {
                fprintf(stderr, "ntk: unknown verifier mode '%s'\n", Mode);
                return 2;
            }
        } else if (strcmp(argv[i], "--dump") == 0 && i + 1 < argc) {
            KdpSetDumpFile(argv[++i]);
        } else if (strcmp(argv[i], "--hang-timeout") == 0 && i + 1 < argc) {
            HangSeconds = (ULONG)strtoul(argv[++i], NULL, 0);
            if (HangSeconds == 0) {
                fprintf(stderr, "ntk: --hang-timeout needs a number of seconds\n");
                return 2;
            }
        } else if (strcmp(argv[i], "--expect-bugcheck") == 0 && i + 1 < argc) {
            if (!NtkParseBugCheckCode(argv[++i], &Expected)) {
                fprintf(stderr, "ntk: unknown bug check code '%s'\n", argv[i]);
                return 2;
            }
            Expecting = TRUE;
            KdpSetExpectedBugCheck(Expected);
        } else if (strcmp(argv[i], "--special-pool") == 0 && i + 1 < argc) {
            if (SpecialCount == 16) {
                fprintf(stderr, "ntk: too many --special-pool selections (16 at most)\n");
                return 2;
            }
            SpecialPool[SpecialCount++] = argv[++i];
        } else if (strcmp(argv[i], "--special-pool-verify") == 0 && i + 1 < argc) {
            const char *Where = argv[++i];
            if (strcmp(Where, "start") != 0 && strcmp(Where, "end") != 0) {
                fprintf(stderr, "ntk: --special-pool-verify takes end or start, not '%s'\n",
                        Where);
                return 2;
            }
            NtkSpecialPoolVerifyStart(strcmp(Where, "start") == 0);
        } else if (strcmp(argv[i], "--poolmon") == 0) {
            PoolMon = TRUE;
        } else if (strcmp(argv[i], "--force-irql-checking") == 0) {
            NtkForceIrqlChecking(TRUE);
        } else if (strcmp(argv[i], "--beep-wav") == 0 && i + 1 < argc) {
            BeepWave = argv[++i];
        } else if (strcmp(argv[i], "--") == 0) {
            i++;
            break;
        } else if (argv[i][0] == '-') {
            fprintf(stderr, "ntk: unknown option '%s'\n", argv[i]);
            NtkUsage(stderr);
            return 2;
        } else {
            break;
        }
    }
    /* After the whole command line: a bare name may be one of the --driver images. */
    for (int p = 0; p < SpecialCount; p++) {
        if (!NtkSelectSpecialPool(SpecialPool[p], Drivers, DriverCount)) {
            fprintf(stderr, "ntk: --special-pool '%s' is neither a driver nor a tag (up to 4 "
                            "characters)\n",
                    SpecialPool[p]);
            return 2;
        }
    }
    NtkInstallSymbolizer();
    for (int d = 0; d < DriverCount; d++)
        KdpNoteImage(Drivers[d], KD_IMAGE_DRIVER);
    if (i < argc)
        KdpNoteImage(argv[i], KD_IMAGE_PROGRAM);
    Status = NtkInitialize(&Options);
    if (!NT_SUCCESS(Status)) {
        fprintf(stderr, "ntk: the kernel failed to start: 0x%08X %s\n", (unsigned)Status,
                NtkStatusName(Status));
        return 2;
    }
    /* SIGQUIT always asks for a crash dump; --hang-timeout also watches for progress. */
    KdpStartHangDetection(HangSeconds);
    /* Beep is there before any driver, as on Windows, and so unloads after them all. */
    Status = NtkLoadBeepDriver(BeepWave);
    if (!NT_SUCCESS(Status)) {
        fprintf(stderr, "ntk: the Beep driver failed to start: 0x%08X %s\n", (unsigned)Status,
                NtkStatusName(Status));
        return NtkNoBugCheck(Expecting, Expected, 2);
    }
    for (int d = 0; d < DriverCount; d++) {
        Status = NtkLoadDriver(Drivers[d]);
        if (!NT_SUCCESS(Status)) {
            fprintf(stderr, "ntk: driver %s failed to load: 0x%08X %s\n", Drivers[d],
                    (unsigned)Status, NtkStatusName(Status));
            NtkUnloadDrivers();
            return NtkNoBugCheck(Expecting, Expected, 2);
        }
    }
    if (i < argc) {
        Status = NtkRunUserProgram(argv[i], argc - i, argv + i, &ExitCode);
        if (!NT_SUCCESS(Status)) {
            fprintf(stderr, "ntk: %s could not run: 0x%08X %s\n", argv[i], (unsigned)Status,
                    NtkStatusName(Status));
            ExitCode = 2;
        }
    }
    NtkUnloadDrivers();
    fflush(stdout);
    if (PoolMon)
        NtkPrintPoolUsage();
    return NtkNoBugCheck(Expecting, Expected, ExitCode);
}

/* A user program that calls exit() ends its own process, as ExitProcess would, not the whole
 * kernel: the ntk executable exports this exit(), which user programs bind to first. */
void exit(int Status)
{
    void (*HostExit)(int);
    if (NtkIsUserModeThread())
        NtkExitUserProcess(Status);
    HostExit = (void (*)(int))dlsym(RTLD_NEXT, "exit");
    HostExit(Status);
    __builtin_unreachable();
}

int main(int argc, char **argv)
{
    NtkEnsureAddressLayout(argc, argv);
    /* Lines from user programs and the kernel log interleave in the order they happen. */
    setvbuf(stdout, NULL, _IOLBF, 0);
    if (argc >= 2 && strcmp(argv[1], "run") == 0)
        return NtkRun(argc - 2, argv + 2);
    if (argc >= 2 && strcmp(argv[1], "analyze") == 0)
        return NtkAnalyzeMain(argc - 2, argv + 2);
    if (argc >= 2 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "help") == 0)) {
        NtkUsage(stdout);
        return 0;
    }
    NtkUsage(stderr);
    return 2;
}
