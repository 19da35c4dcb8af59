/* The ntk command: `ntk run [--driver D.so]... [--cpus N] [--verifier none] [-- PROG.so [ARGS]]`
 * boots a kernel, starts the built-in Beep driver, loads the drivers in order, runs PROG as a
 * user process, unloads the drivers in reverse order. Exit status: PROG's; 2 when a driver fails to load; 3 on a bugcheck (with
 * --expect-bugcheck: 0, 4 or 5). `ntk analyze DUMP` explains the crash dump a bugcheck wrote. */
#include <ntk/host.h>
#include "analyze/ntk_analyze.h"
#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "rtlp.h"

static void NtkUsage(FILE *Out)
{
    fprintf(Out,
            "usage: ntk run [--driver D.so]... [--cpus N] [--virtual-time] [--dpc-watchdog MS]\n"
            "               [--verifier standard|none] [--dump FILE|none] [--hang-timeout S]\n"
            "               [--expect-bugcheck CODE] [--beep-wav FILE] [-- PROG.so [ARGS...]]\n"
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
    BOOLEAN Expecting = FALSE;
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
