/* ntk's host interface: boot a kernel in this Linux process, load drivers, run user programs.
 * Used by the `ntk` command and by tests that host a kernel themselves. */
#ifndef NTK_HOST_H
#define NTK_HOST_H

#include <ntk/ntkbase.h>

NTK_EXTERN_C_START

typedef struct _NTK_OPTIONS {
    ULONG Processors;     /* 0 = host cores */
    BOOLEAN Verifier;     /* Driver Verifier checks (pool leaks at unload, ...) */
    BOOLEAN VirtualTime;  /* the clock moves only when every thread waits */
    ULONG DpcWatchdogMs;  /* a DPC running longer is bug check 0x133; 0 = off */
} NTK_OPTIONS;

/* Re-executes the process with the address layout ntk needs (user space below system space);
 * call first thing in main(). Returns only when the layout is right. */
NTK_EXPORT void NtkEnsureAddressLayout(int argc, char **argv);
/* Boots the kernel; the calling thread becomes the System process's initial thread. */
NTK_EXPORT NTSTATUS NtkInitialize(const NTK_OPTIONS *Options);
/* Loads a .so driver and runs its DriverEntry; the name is the file name without .so. */
NTK_EXPORT NTSTATUS NtkLoadDriver(const char *Path);
/* Starts ntk's Beep driver (\Device\Beep, IOCTL_BEEP_SET), which `ntk run` loads before any
 * other driver. With a WaveFile, the tones played are written there as a WAV file when the
 * driver unloads; NULL writes nothing. */
NTK_EXPORT NTSTATUS NtkLoadBeepDriver(const char *WaveFile);
/* Unloads every loaded driver, last loaded first; returns after the verifier's checks. */
NTK_EXPORT VOID NtkUnloadDrivers(VOID);
/* Runs PROG's main(argc, argv) as a new user process and waits for the process to end.
 * Returns STATUS_SUCCESS and *ExitCode, or why the program could not run. */
NTK_EXPORT NTSTATUS NtkRunUserProgram(const char *Path, int argc, char **argv, int *ExitCode);
NTK_EXPORT PCSTR NtkStatusName(NTSTATUS Status);
/* TRUE on a thread of a user process running its own (user-mode) code. */
NTK_EXPORT BOOLEAN NtkIsUserModeThread(VOID);
/* Ends the calling thread's user process with ExitCode, as ExitProcess does; never returns. */
NTK_EXPORT DECLSPEC_NORETURN VOID NtkExitUserProcess(int ExitCode);

/* The special pool (Driver Verifier's): every allocation below a page made by the driver with
 * that service name (its file name without the extension), or with that tag, gets a page of
 * its own between inaccessible ones. Call before loading the drivers. */
NTK_EXPORT VOID NtkSpecialPoolForDriver(const char *ServiceName);
NTK_EXPORT VOID NtkSpecialPoolForTag(ULONG Tag);
/* FALSE (the default): blocks end at the end of their page, overruns fault (Verify End);
 * TRUE: blocks start at their page, underruns fault (Verify Start). */
NTK_EXPORT VOID NtkSpecialPoolVerifyStart(BOOLEAN VerifyStart);

/* Driver Verifier's force IRQL checking: at each raise to DISPATCH_LEVEL all paged pool is
 * made inaccessible, so a touch of it at DISPATCH_LEVEL or above is the bug check Windows
 * raises (0xD1, or 0xA in the kernel); below, the page comes back. Costs a system call per
 * raise. Call before NtkInitialize. */
NTK_EXPORT VOID NtkForceIrqlChecking(BOOLEAN Enable);

NTK_EXTERN_C_END

#endif
