/* The host side of the kernel: boot, load and unload .so drivers, run user programs. */
#include "ntkp.h"
#include "rtlp.h"
#include <dlfcn.h>
#include <errno.h>
#include <libgen.h>
#include <link.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

VOID VfCheckPoolLeaks(PDRIVER_OBJECT Driver, ULONG_PTR ImageBase, ULONG_PTR ImageEnd);
extern BOOLEAN VfDeadlockChecks;
VOID VfDeadlockForgetRange(ULONG_PTR Start, ULONG_PTR End);

#define NTK_MAX_DRIVERS 64

typedef struct _NTK_LOADED_DRIVER {
    void *Handle;
    PDRIVER_OBJECT DriverObject;
    ULONG_PTR Base, End;
} NTK_LOADED_DRIVER;

static NTK_LOADED_DRIVER NtkDrivers[NTK_MAX_DRIVERS];
static ULONG NtkDriverCount;
static NTK_OPTIONS NtkOptions;
static BOOLEAN NtkBooted;

PCSTR NtkStatusName(NTSTATUS Status)
{
    PCSTR Name = RtlpNtStatusName(Status);
    return Name ? Name : "unknown status";
}

NTSTATUS NtkInitialize(const NTK_OPTIONS *Options)
{
    NTSTATUS Status;
    if (NtkBooted)
        return STATUS_SUCCESS;
    if (Options)
        NtkOptions = *Options;
    else
        NtkOptions.Verifier = TRUE;
    KiVirtualTime = NtkOptions.VirtualTime;
    VfPoolChecks = NtkOptions.Verifier;
    VfDeadlockChecks = NtkOptions.Verifier;
    if (NtkOptions.DpcWatchdogMs)
        KiDpcWatchdogMs = NtkOptions.DpcWatchdogMs;
    Status = KiInitializeProcessors(NtkOptions.Processors);
    if (!NT_SUCCESS(Status))
        return Status;
    KiInitializeClock();
    Status = MmInitSystem();
    if (NT_SUCCESS(Status))
        Status = ExpInitializePool();
    if (NT_SUCCESS(Status))
        Status = ObpInitialize();
    if (NT_SUCCESS(Status))
        Status = ExpInitializeEventType();
    if (NT_SUCCESS(Status))
        Status = PspInitialize();
    if (NT_SUCCESS(Status))
        Status = IopInitialize();
    if (NT_SUCCESS(Status))
        Status = KiStartSystemThreads();
    if (NT_SUCCESS(Status))
        NtkBooted = TRUE;
    return Status;
}

typedef struct _NTK_IMAGE_QUERY {
    ElfW(Addr) Base;
    ULONG_PTR End;
} NTK_IMAGE_QUERY;

static int NtkFindImage(struct dl_phdr_info *Info, size_t Size, void *Data)
{
    NTK_IMAGE_QUERY *Query = Data;
    int i;
    (void)Size;
    if (Info->dlpi_addr != Query->Base)
        return 0;
    for (i = 0; i < Info->dlpi_phnum; i++) {
        const ElfW(Phdr) *Ph = &Info->dlpi_phdr[i];
        if (Ph->p_type == PT_LOAD && Info->dlpi_addr + Ph->p_vaddr + Ph->p_memsz > Query->End)
            Query->End = Info->dlpi_addr + Ph->p_vaddr + Ph->p_memsz;
    }
    return 1;
}

/* The service name is the file name without its extension. */
static VOID NtkServiceName(const char *Path, WCHAR *Name, size_t Capacity)
{
    const char *Base = strrchr(Path, '/');
    size_t i, n;
    Base = Base ? Base + 1 : Path;
    n = strcspn(Base, ".");
    if (n >= Capacity)
        n = Capacity - 1;
    for (i = 0; i < n; i++)
        Name[i] = (WCHAR)(unsigned char)Base[i];
    Name[n] = 0;
}

static VOID NtkDeleteDriverObject(PDRIVER_OBJECT Driver)
{
    ObMakeTemporaryObject(Driver);
    ObfDereferenceObject(Driver);
}

NTSTATUS NtkLoadDriver(const char *Path)
{
    NTK_IMAGE_QUERY Query = { 0, 0 };
    PDRIVER_INITIALIZE Entry;
    PDRIVER_OBJECT Driver;
    struct link_map *Map;
    struct stat Info;
    WCHAR Name[64];
    void *Handle;
    NTSTATUS Status;

    if (NtkDriverCount == NTK_MAX_DRIVERS)
        return STATUS_INSUFFICIENT_RESOURCES;
    if (stat(Path, &Info) != 0) {
        KdpLog("ntk: driver %s: %s\n", Path, strerror(errno));
        return STATUS_OBJECT_NAME_NOT_FOUND;
    }
    Handle = dlopen(Path, RTLD_NOW | RTLD_LOCAL);
    if (Handle == NULL) {
        KdpLog("ntk: driver %s: %s\n", Path, dlerror());
        return STATUS_INVALID_IMAGE_FORMAT;
    }
    Entry = (PDRIVER_INITIALIZE)dlsym(Handle, "DriverEntry");
    if (Entry == NULL) {
        KdpLog("ntk: driver %s has no DriverEntry\n", Path);
        dlclose(Handle);
        return STATUS_PROCEDURE_NOT_FOUND;
    }
    if (dlinfo(Handle, RTLD_DI_LINKMAP, &Map) == 0) {
        Query.Base = Map->l_addr;
        dl_iterate_phdr(NtkFindImage, &Query);
    }
    NtkServiceName(Path, Name, sizeof(Name) / sizeof(Name[0]));
    {
        UNICODE_STRING Service;
        RtlInitUnicodeString(&Service, Name);
        ExpNoteDriverImage(&Service, Query.Base, Query.End); /* before DriverEntry allocates */
    }
    Status = IopCreateDriverObject(Name, Entry, (PVOID)Query.Base,
                                   (ULONG)(Query.End - Query.Base), &Driver);
    if (Status == STATUS_OBJECT_NAME_COLLISION)
        Status = STATUS_IMAGE_ALREADY_LOADED;
    if (!NT_SUCCESS(Status)) {
        dlclose(Handle);
        return Status;
    }
    Status = IopCallDriverEntry(Driver);
    if (!NT_SUCCESS(Status)) {
        BOOLEAN HasDevices = Driver->DeviceObject != NULL;
        KdpLog("ntk: DriverEntry of %wZ failed: 0x%08X %s\n", &Driver->DriverName,
               (unsigned)Status, NtkStatusName(Status));
        if (NtkOptions.Verifier)
            VfCheckPoolLeaks(Driver, Query.Base, Query.End);
        VfDeadlockForgetRange(Query.Base, Query.End);
        NtkDeleteDriverObject(Driver);
        /* Devices left behind still point into the image: keep it mapped. */
        if (!HasDevices)
            dlclose(Handle);
        return Status;
    }
    NtkDrivers[NtkDriverCount].Handle = Handle;
    NtkDrivers[NtkDriverCount].DriverObject = Driver;
    NtkDrivers[NtkDriverCount].Base = Query.Base;
    NtkDrivers[NtkDriverCount].End = Query.End;
    NtkDriverCount++;
    return STATUS_SUCCESS;
}

/* A driver built into libntk (the Beep driver) has no image of its own: the unload checks
 * for timers, threads and pool left in an image have no range to look in. */
NTSTATUS NtkpLoadBuiltinDriver(PCWSTR ServiceName, PDRIVER_INITIALIZE Entry)
{
    PDRIVER_OBJECT Driver;
    NTSTATUS Status;

    if (NtkDriverCount == NTK_MAX_DRIVERS)
        return STATUS_INSUFFICIENT_RESOURCES;
    Status = IopCreateDriverObject(ServiceName, Entry, NULL, 0, &Driver);
    if (Status == STATUS_OBJECT_NAME_COLLISION)
        Status = STATUS_IMAGE_ALREADY_LOADED;
    if (!NT_SUCCESS(Status))
        return Status;
    Status = IopCallDriverEntry(Driver);
    if (!NT_SUCCESS(Status)) {
        KdpLog("ntk: DriverEntry of %wZ failed: 0x%08X %s\n", &Driver->DriverName,
               (unsigned)Status, NtkStatusName(Status));
        NtkDeleteDriverObject(Driver);
        return Status;
    }
    NtkDrivers[NtkDriverCount].Handle = NULL;
    NtkDrivers[NtkDriverCount].DriverObject = Driver;
    NtkDrivers[NtkDriverCount].Base = 0;
    NtkDrivers[NtkDriverCount].End = 0;
    NtkDriverCount++;
    return STATUS_SUCCESS;
}

VOID NtkUnloadDrivers(VOID)
{
    while (NtkDriverCount > 0) {
        NTK_LOADED_DRIVER *Loaded = &NtkDrivers[--NtkDriverCount];
        PDRIVER_OBJECT Driver = Loaded->DriverObject;
        if (Driver->DriverUnload == NULL) {
            KdpLog("ntk: %wZ has no DriverUnload routine, so it cannot be unloaded\n",
                   &Driver->DriverName);
            continue;
        }
        IopUnloadDriver(Driver);
        /* Work it queued still runs to the end; timers, DPCs and threads it left behind are
         * bug checks. */
        IopRundownDriverWorkItems(Driver);
        KiCheckImageUnload(Loaded->Base, Loaded->End);
        PspCheckImageUnload(Loaded->Base, Loaded->End);
        /* Before the leak check: a live list's cached entries are not the driver's leaks. */
        ExpCheckImageLookasideLists(Loaded->Base, Loaded->End);
        if (NtkOptions.Verifier)
            VfCheckPoolLeaks(Driver, Loaded->Base, Loaded->End);
        /* The image's global locks go with it; a later image may reuse the addresses. */
        VfDeadlockForgetRange(Loaded->Base, Loaded->End);
        ExpNoteDriverImage(&Driver->DriverName, 0, 0);
        if (Driver->DeviceObject == NULL) {
            NtkDeleteDriverObject(Driver);
            if (Loaded->Handle)
                dlclose(Loaded->Handle);
        }
    }
}

BOOLEAN NtkIsUserModeThread(VOID)
{
    PKTHREAD Thread = KiCurrentThread;
    return Thread != NULL && !((PETHREAD)Thread)->SystemThread &&
           Thread->ExecutingMode == UserMode;
}

VOID NtkExitUserProcess(int ExitCode)
{
    fflush(NULL);
    NtTerminateProcess(NtCurrentProcess(), (NTSTATUS)ExitCode);
    /* Only a process being torn down already gets here. */
    PspExitThread((NTSTATUS)ExitCode);
}

typedef int (*NTK_USER_MAIN)(int, char **);

typedef struct _NTK_USER_START {
    NTK_USER_MAIN Main;
    int Argc;
    char **Argv;
} NTK_USER_START;

/* The user process's first thread: main() returning ends the process, as ExitProcess does. */
static NTSTATUS NtkUserMainThread(PVOID Context)
{
    NTK_USER_START *Start = Context;
    int Code = Start->Main(Start->Argc, Start->Argv);
    PsGetCurrentEThread()->Tcb.ExecutingMode = KernelMode;
    PspTerminateProcess(PspCurrentProcess(), (NTSTATUS)Code);
    return (NTSTATUS)Code;
}

NTSTATUS NtkRunUserProgram(const char *Path, int argc, char **argv, int *ExitCode)
{
    NTK_USER_START Start;
    LARGE_INTEGER Grace;
    PEPROCESS Process;
    PETHREAD Thread;
    char Image[16];
    const char *Base;
    void *Handle;
    NTSTATUS Status;

    Handle = dlopen(Path, RTLD_NOW | RTLD_LOCAL);
    if (Handle == NULL) {
        fprintf(stderr, "ntk: cannot load %s: %s\n", Path, dlerror());
        return STATUS_INVALID_IMAGE_FORMAT;
    }
    Start.Main = (NTK_USER_MAIN)dlsym(Handle, "main");
    if (Start.Main == NULL) {
        fprintf(stderr, "ntk: %s has no main()\n", Path);
        dlclose(Handle);
        return STATUS_PROCEDURE_NOT_FOUND;
    }
    Start.Argc = argc;
    Start.Argv = argv;
    Base = strrchr(Path, '/');
    snprintf(Image, sizeof(Image), "%s", Base ? Base + 1 : Path);
    Status = PspCreateProcess(Image, &Process);
    if (NT_SUCCESS(Status)) {
        Status = PspCreateThread(Process, FALSE, NULL, NtkUserMainThread, &Start, FALSE, &Thread);
        if (NT_SUCCESS(Status)) {
            KeWaitForSingleObject(Thread, Executive, KernelMode, FALSE, NULL);
            ObfDereferenceObject(Thread);
            /* Other threads end at their next kernel entry or user-mode wait. */
            Grace.QuadPart = -10LL * 1000 * 1000 * 10;
            if (KeWaitForSingleObject(Process, Executive, KernelMode, FALSE, &Grace) ==
                STATUS_TIMEOUT)
                fprintf(stderr, "ntk: %s still has running threads that do not enter the kernel; "
                                "shutting down without them\n",
                        Image);
            *ExitCode = (int)Process->ExitStatus;
        }
        ObfDereferenceObject(Process);
    }
    fflush(stdout);
    return Status;
}
