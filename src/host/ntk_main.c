/* The ntk command: `ntk run [--driver D.so]... [--cpus N] [--verifier none] [-- PROG.so [ARGS]]`
 * boots a kernel, loads the drivers in order, runs PROG as a user process, unloads the drivers
 * in reverse order. Exit status: PROG's; 2 when a driver fails to load; 3 on a bugcheck. */
#include <ntk/host.h>
#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void NtkUsage(FILE *Out)
{
    fprintf(Out,
            "usage: ntk run [--driver D.so]... [--cpus N] [--virtual-time] [--dpc-watchdog MS]\n"
            "               [--verifier standard|none] [-- PROG.so [ARGS...]]\n"
            "\n"
            "Boots an ntk kernel, loads each driver (DriverEntry) in order, runs PROG's main()\n"
            "as a user process, then unloads the drivers (DriverUnload) in reverse order.\n"
            "  --cpus N           N virtual processors (default: the host's cores)\n"
            "  --virtual-time     time advances only when every thread waits\n"
            "  --dpc-watchdog MS  a DPC running longer than MS is bug check 0x133\n"
            "  --verifier none    no Driver Verifier checks (pool leaks at unload)\n"
            "Exit status: PROG's; 2 if a driver fails to load; 3 on a bug check.\n");
}

static int NtkRun(int argc, char **argv)
{
    const char *Drivers[64];
    int DriverCount = 0, i, ExitCode = 0;
    NTK_OPTIONS Options = { 0, TRUE, FALSE, 0 };
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
    Status = NtkInitialize(&Options);
    if (!NT_SUCCESS(Status)) {
        fprintf(stderr, "ntk: the kernel failed to start: 0x%08X %s\n", (unsigned)Status,
                NtkStatusName(Status));
        return 2;
    }
    for (int d = 0; d < DriverCount; d++) {
        Status = NtkLoadDriver(Drivers[d]);
        if (!NT_SUCCESS(Status)) {
            fprintf(stderr, "ntk: driver %s failed to load: 0x%08X %s\n", Drivers[d],
                    (unsigned)Status, NtkStatusName(Status));
            NtkUnloadDrivers();
            return 2;
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
    return ExitCode;
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
    if (argc >= 2 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "help") == 0)) {
        NtkUsage(stdout);
        return 0;
    }
    NtkUsage(stderr);
    return 2;
}
