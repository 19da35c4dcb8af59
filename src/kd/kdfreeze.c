/* Kd: the machinery under a bug check. Every other thread of the process is stopped where it
 * is (a real-time signal whose handler records its registers and then waits forever), each
 * phase of the bug check runs protected (a fault, a nested bug check or a time limit brings it
 * back to the next phase), and a hard deadline ends the process whatever happens. Everything
 * here is async-signal-safe: other threads may be frozen holding any lock. */
#include "ntkp.h"
#include "kdp.h"
#include "sehp.h"
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>

/* Under AddressSanitizer, a call to a function that does not return (siglongjmp, _exit, the
 * parking loop) first asks ASan to unpoison the stack; on a signal stack that takes ASan's
 * allocator lock, which a frozen thread may hold forever. The signal handlers and the ways out
 * of a phase are therefore not instrumented, jump with glibc's own siglongjmp (ASan's wrapper
 * does the same unpoisoning) and unpoison exactly the frames they drop themselves. */
#if defined(__SANITIZE_ADDRESS__)
#define KD_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define KD_ASAN 1
#endif
#endif
#ifdef KD_ASAN
#define KD_NOT_INSTRUMENTED __attribute__((no_sanitize("address")))
void __asan_unpoison_memory_region(void const volatile *Address, size_t Size);
static void (*KdpGlibcSiglongjmp)(sigjmp_buf, int);

__attribute__((constructor)) static void KdpFindGlibcSiglongjmp(void)
{
    void *Libc = dlopen("libc.so.6", RTLD_NOW | RTLD_NOLOAD);
    if (Libc)
        KdpGlibcSiglongjmp = (void (*)(sigjmp_buf, int))dlsym(Libc, "siglongjmp");
}
#else
#define KD_NOT_INSTRUMENTED
#endif

#define KD_FREEZE_SIGNAL (SIGRTMIN + 6)
#define KD_TIMER_SIGNAL (SIGRTMIN + 7)
#define KD_DEADLINE_SECONDS 60 /* the whole bug check, dump included */
#define KD_FREEZE_WAIT_MS 500  /* for the other threads to report */
#define KD_RECOVERY_LEVELS 8

static PKD_BUGCHECK KdpBugCheck;
static volatile pid_t KdpOwnerTid;
static KD_THREAD_STATE KdpFrozen[KD_MAX_THREADS];
static volatile LONG KdpFrozenNext;
static volatile BOOLEAN KdpFreezing;
static volatile LONG KdpConcurrentNext;

typedef struct _KD_RECOVERY {
    sigjmp_buf Frame;
    ULONG_PTR StackTop; /* the protecting frame: what a jump back drops lies below it */
    ULONGLONG Deadline; /* CLOCK_MONOTONIC ns */
    PCSTR What;
} KD_RECOVERY;

static KD_RECOVERY KdpRecovery[KD_RECOVERY_LEVELS];
static volatile LONG KdpRecoveryDepth;
static volatile int KdpLastSignal;
static timer_t KdpTimer;
static BOOLEAN KdpTimerValid;
volatile LONG KdpNoRecovery;

static pid_t KdpGetTid(VOID)
{
    return (pid_t)syscall(SYS_gettid);
}

static ULONGLONG KdpNow(VOID)
{
    struct timespec Now;
    clock_gettime(CLOCK_MONOTONIC, &Now);
    return (ULONGLONG)Now.tv_sec * 1000000000ULL + (ULONGLONG)Now.tv_nsec;
}

static SIZE_T KdpLength(PCSTR Text)
{
    SIZE_T n = 0;
    while (Text[n])
        n++;
    return n;
}

static VOID KdpSay(PCSTR Text)
{
    KdpWriteRaw(Text, KdpLength(Text));
}

/* ---- Reading memory that may not be there ---- */

static int KdpPipe[2] = { -1, -1 };

BOOLEAN KdpSafeRead(ULONG_PTR Address, PVOID Buffer, SIZE_T Length)
{
    struct iovec Local = { Buffer, Length }, Remote = { (PVOID)Address, Length };
    ssize_t Done;
    if (Length == 0)
        return TRUE;
    if (Address < 0x10000 || Address + Length < Address)
        return FALSE;
    Done = process_vm_readv(getpid(), &Local, 1, &Remote, 1, 0);
    if (Done == (ssize_t)Length)
        return TRUE;
    if (Done >= 0 || (errno != ENOSYS && errno != EPERM))
        return FALSE;
    /* No process_vm_readv here (seccomp): a pipe write fails with EFAULT instead. */
    if (KdpPipe[0] < 0 && pipe2(KdpPipe, O_CLOEXEC | O_NONBLOCK) != 0)
        return FALSE;
    while (Length > 0) {
        SIZE_T Chunk = Length > 4096 ? 4096 : Length;
        if (write(KdpPipe[1], (PVOID)Address, Chunk) != (ssize_t)Chunk)
            return FALSE;
        if (read(KdpPipe[0], Buffer, Chunk) != (ssize_t)Chunk)
            return FALSE;
        Address += Chunk;
        Buffer = (PUCHAR)Buffer + Chunk;
        Length -= Chunk;
    }
    return TRUE;
}

/* ---- Registers ---- */

VOID KdpCaptureRegisters(PKD_REGISTERS Registers, const VOID *UContext)
{
    static const int Map[KD_REGISTER_COUNT] = { REG_RAX, REG_RDX, REG_RCX, REG_RBX, REG_RSI,
                                                REG_RDI, REG_RBP, REG_RSP, REG_R8,  REG_R9,
                                                REG_R10, REG_R11, REG_R12, REG_R13, REG_R14,
                                                REG_R15, REG_RIP };
    const ucontext_t *Context = UContext;
    int i;
    for (i = 0; i < KD_REGISTER_COUNT; i++)
        Registers->Value[i] = (ULONG64)Context->uc_mcontext.gregs[Map[i]];
}

/* ---- Ending ---- */

static KD_NOT_INSTRUMENTED DECLSPEC_NORETURN VOID KdpExit(int Code)
{
    /* The system call itself: no exit handlers, no sanitizer hooks, whatever is locked. */
    for (;;)
        syscall(SYS_exit_group, Code);
}

static KD_NOT_INSTRUMENTED DECLSPEC_NORETURN VOID KdpEmergencyExit(PCSTR Why)
{
    int Code = KdpBugCheck ? KdpBugCheck->ExitCode : KD_EXIT_BUGCHECK;
    KdpDumpAbandon();
    KdpSay("ntk: ");
    KdpSay(Why);
    KdpSay("; the kernel stops with:\n");
    if (KdpBugCheck && KdpBugCheck->StopLine[0])
        KdpSay(KdpBugCheck->StopLine);
    KdpExit(Code);
}

KD_NOT_INSTRUMENTED VOID KdpFinishBugCheck(VOID)
{
    KdpExit(KdpBugCheck ? KdpBugCheck->ExitCode : KD_EXIT_BUGCHECK);
}

/* ---- Signal handlers ---- */

static KD_NOT_INSTRUMENTED DECLSPEC_NORETURN VOID KdpParkHere(const VOID *UContext)
{
    sigset_t All;
    LONG Slot = __atomic_fetch_add(&KdpFrozenNext, 1, __ATOMIC_SEQ_CST);
    if (Slot < KD_MAX_THREADS) {
        PKD_THREAD_STATE State = &KdpFrozen[Slot];
        State->Tid = KdpGetTid();
        State->Thread = KiCurrentThread;
        KdpCaptureRegisters(&State->Registers, UContext);
        __atomic_store_n(&State->Ready, 1, __ATOMIC_RELEASE);
    }
    sigfillset(&All);
    for (;;)
        sigsuspend(&All);
}

static KD_NOT_INSTRUMENTED void KdpFreezeHandler(int Signal, siginfo_t *Info, void *UContext)
{
    (void)Signal;
    /* Only our own tgkill counts; and the bugchecking thread never parks. */
    if (Info->si_code != SI_TKILL || Info->si_pid != getpid() || !KdpFreezing ||
        KdpGetTid() == KdpOwnerTid)
        return;
    KdpParkHere(UContext);
}

/* Back to the innermost protected phase. Sp: the stack pointer of the code being left (the
 * interrupted context's in a signal handler; 0: this function's own frame). */
static KD_NOT_INSTRUMENTED VOID KdpRecover(int Reason, ULONG_PTR Sp)
{
    LONG Depth = KdpRecoveryDepth;
    if (Depth <= 0)
        return;
#ifdef KD_ASAN
    if (KdpGlibcSiglongjmp) {
        ULONG_PTR Top = KdpRecovery[Depth - 1].StackTop;
        stack_t Alternate;
        if (Sp == 0)
            Sp = (ULONG_PTR)__builtin_frame_address(0);
        if (Sp < Top && Top - Sp < ((ULONG_PTR)256 << 20))
            __asan_unpoison_memory_region((PVOID)Sp, Top - Sp);
        if (sigaltstack(NULL, &Alternate) == 0 && (Alternate.ss_flags & SS_ONSTACK))
            __asan_unpoison_memory_region(Alternate.ss_sp, Alternate.ss_size);
        KdpGlibcSiglongjmp(KdpRecovery[Depth - 1].Frame, Reason);
    }
#else
    (void)Sp;
#endif
    siglongjmp(KdpRecovery[Depth - 1].Frame, Reason);
}

static ULONG_PTR KdpInterruptedSp(const VOID *UContext)
{
    return (ULONG_PTR)((const ucontext_t *)UContext)->uc_mcontext.gregs[REG_RSP];
}

static KD_NOT_INSTRUMENTED void KdpFaultHandler(int Signal, siginfo_t *Info, void *UContext)
{
    (void)Info;
    if (KdpGetTid() != KdpOwnerTid) {
        /* Another thread that faults now stops like the others. */
        KdpParkHere(UContext);
    }
    KdpLastSignal = Signal;
    KdpRecover(KD_PROTECT_FAULT, KdpInterruptedSp(UContext));
    KdpEmergencyExit("a fault outside any phase of the bug check");
}

static VOID KdpArmTimer(ULONGLONG Deadline);

static KD_NOT_INSTRUMENTED void KdpTimerHandler(int Signal, siginfo_t *Info, void *UContext)
{
    (void)Signal;
    (void)Info;
    if (KdpGetTid() != KdpOwnerTid || KdpRecoveryDepth <= 0 ||
        KdpNow() < KdpRecovery[KdpRecoveryDepth - 1].Deadline)
        return;
    if (KdpNoRecovery > 0) {
        KdpArmTimer(KdpNow() + 2000000ULL);
        return;
    }
    KdpRecover(KD_PROTECT_TIMEOUT, KdpInterruptedSp(UContext));
}

static KD_NOT_INSTRUMENTED void KdpDeadlineHandler(int Signal)
{
    (void)Signal;
    KdpEmergencyExit("the bug check did not finish within its deadline");
}

static VOID KdpInstall(int Signal, void (*Handler)(int, siginfo_t *, void *))
{
    struct sigaction Action;
    memset(&Action, 0, sizeof(Action));
    Action.sa_sigaction = Handler;
    Action.sa_flags = SA_SIGINFO | SA_ONSTACK | SA_RESTART;
    sigemptyset(&Action.sa_mask);
    sigaction(Signal, &Action, NULL);
}

static VOID KdpArmTimer(ULONGLONG Deadline)
{
    struct itimerspec When;
    if (!KdpTimerValid)
        return;
    memset(&When, 0, sizeof(When));
    if (Deadline != 0) {
        When.it_value.tv_sec = (time_t)(Deadline / 1000000000ULL);
        When.it_value.tv_nsec = (long)(Deadline % 1000000000ULL);
    }
    timer_settime(KdpTimer, TIMER_ABSTIME, &When, NULL);
}

VOID KdpBeginBugCheck(PKD_BUGCHECK BugCheck)
{
    static const int Faults[] = { SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGTRAP, SIGABRT, SIGSYS };
    struct sigaction Deadline;
    struct sigevent Event;
    sigset_t Wanted;
    ULONG i;

    KdpBugCheck = BugCheck;
    KdpOwnerTid = BugCheck->Self.Tid;
    KdpEnterBugCheckMode();
    sigemptyset(&Wanted);
    for (i = 0; i < sizeof(Faults) / sizeof(Faults[0]); i++) {
        KdpInstall(Faults[i], KdpFaultHandler);
        sigaddset(&Wanted, Faults[i]);
    }
    KdpInstall(KD_FREEZE_SIGNAL, KdpFreezeHandler);
    KdpInstall(KD_TIMER_SIGNAL, KdpTimerHandler);
    memset(&Deadline, 0, sizeof(Deadline));
    Deadline.sa_handler = KdpDeadlineHandler;
    sigaction(SIGALRM, &Deadline, NULL);
    signal(SIGQUIT, SIG_IGN); /* a second request changes nothing now */
    sigaddset(&Wanted, KD_TIMER_SIGNAL);
    sigaddset(&Wanted, SIGALRM);
    pthread_sigmask(SIG_UNBLOCK, &Wanted, NULL);

    memset(&Event, 0, sizeof(Event));
    Event.sigev_notify = SIGEV_THREAD_ID;
    Event.sigev_signo = KD_TIMER_SIGNAL;
    Event._sigev_un._tid = KdpOwnerTid;
    KdpTimerValid = timer_create(CLOCK_MONOTONIC, &Event, &KdpTimer) == 0;
    alarm(KD_DEADLINE_SECONDS);
    /* A fault from here on must never resume the driver's code through one of its __except
     * blocks: this thread's frames are dropped. */
    (void)RtlpSehSuspendFrames();
}

ULONG KdpProtect(PCSTR What, ULONG TimeoutMs, KD_PROTECTED_ROUTINE Routine, PVOID Context)
{
    LONG Depth = KdpRecoveryDepth;
    KD_RECOVERY *Level;
    volatile ULONGLONG Deadline;
    int Reason;
    if (Depth >= KD_RECOVERY_LEVELS) {
        Routine(Context);
        return 0;
    }
    Level = &KdpRecovery[Depth];
    Deadline = KdpNow() + (ULONGLONG)TimeoutMs * 1000000ULL;
    if (Depth > 0 && KdpRecovery[Depth - 1].Deadline < Deadline)
        Deadline = KdpRecovery[Depth - 1].Deadline;
    Level->Deadline = Deadline;
    Level->What = What;
    Level->StackTop = (ULONG_PTR)__builtin_frame_address(0);
    Reason = sigsetjmp(Level->Frame, 1);
    if (Reason == 0) {
        KdpRecoveryDepth = Depth + 1;
        KdpArmTimer(Deadline);
        Routine(Context);
    }
    KdpRecoveryDepth = Depth;
    KdpArmTimer(Depth > 0 ? KdpRecovery[Depth - 1].Deadline : 0);
    if (Reason != 0) {
        if (Reason == KD_PROTECT_FAULT)
            KdpLog("ntk: bug check: %s: signal %d; going on with the next step\n", What,
                   KdpLastSignal);
        else
            KdpLog("ntk: bug check: %s: %s; going on with the next step\n", What,
                   KdpProtectReason((ULONG)Reason));
    }
    return (ULONG)Reason;
}

PCSTR KdpProtectReason(ULONG Reason)
{
    switch (Reason) {
    case 0:
        return "completed";
    case KD_PROTECT_NESTED:
        return "a nested bug check";
    case KD_PROTECT_FAULT:
        return "a fault";
    case KD_PROTECT_TIMEOUT:
        return "it took too long (a lock held by a stopped thread?)";
    default:
        return "failed";
    }
}

/* ---- Bug checks during the bug check ---- */

KD_NOT_INSTRUMENTED VOID KdpNestedBugCheck(ULONG Code, ULONG_PTR P1, ULONG_PTR P2, ULONG_PTR P3,
                                           ULONG_PTR P4)
{
    PKD_BUGCHECK BugCheck = KdpBugCheck;
    LONG Depth = KdpRecoveryDepth;
    PCSTR During = Depth > 0 ? KdpRecovery[Depth - 1].What : "the bug check itself";
    if (BugCheck && BugCheck->NestedCount < KD_MAX_NESTED) {
        ULONG n = BugCheck->NestedCount++, i;
        BugCheck->Nested[n].Code = Code;
        BugCheck->Nested[n].Parameter[0] = P1;
        BugCheck->Nested[n].Parameter[1] = P2;
        BugCheck->Nested[n].Parameter[2] = P3;
        BugCheck->Nested[n].Parameter[3] = P4;
        for (i = 0; During[i] && i < sizeof(BugCheck->Nested[n].During) - 1; i++)
            BugCheck->Nested[n].During[i] = During[i];
        BugCheck->Nested[n].During[i] = 0;
    }
    KdpLog("ntk: bug check 0x%08X (0x%p, 0x%p, 0x%p, 0x%p) while stopping, in %s\n", Code,
           (PVOID)P1, (PVOID)P2, (PVOID)P3, (PVOID)P4, During);
    KdpRecover(KD_PROTECT_NESTED, 0);
    KdpEmergencyExit("a bug check while the kernel was stopping");
}

KD_NOT_INSTRUMENTED VOID KdpConcurrentBugCheck(ULONG Code, ULONG_PTR P1, ULONG_PTR P2,
                                               ULONG_PTR P3, ULONG_PTR P4)
{
    PKD_BUGCHECK BugCheck = KiActiveBugCheck;
    LONG Slot = __atomic_fetch_add(&KdpConcurrentNext, 1, __ATOMIC_SEQ_CST);
    sigset_t None;
    if (BugCheck && Slot < 8) {
        BugCheck->Concurrent[Slot].Tid = KdpGetTid();
        BugCheck->Concurrent[Slot].Code = Code;
        BugCheck->Concurrent[Slot].Parameter[0] = P1;
        BugCheck->Concurrent[Slot].Parameter[1] = P2;
        BugCheck->Concurrent[Slot].Parameter[2] = P3;
        BugCheck->Concurrent[Slot].Parameter[3] = P4;
        __atomic_store_n(&BugCheck->ConcurrentCount, (ULONG)Slot + 1, __ATOMIC_RELEASE);
    }
    /* Wait to be frozen like every other thread. */
    sigemptyset(&None);
    for (;;)
        sigsuspend(&None);
}

/* ---- Freezing ---- */

typedef struct _KD_DIRENT64 {
    ULONG64 Inode;
    LONG64 Offset;
    USHORT RecordLength;
    UCHAR Type;
    CHAR Name[];
} KD_DIRENT64;

/* Signals every thread of the process not signalled yet; returns how many were signalled. */
static ULONG KdpSignalThreads(pid_t *Signalled, ULONG *Count, ULONG Capacity)
{
    union {
        KD_DIRENT64 Align;
        CHAR Bytes[4096];
    } Buffer;
    ULONG Sent = 0;
    pid_t Self = KdpGetTid(), Pid = getpid();
    int Fd = open("/proc/self/task", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (Fd < 0)
        return 0;
    for (;;) {
        long Got = syscall(SYS_getdents64, Fd, Buffer.Bytes, sizeof(Buffer.Bytes));
        long At = 0;
        if (Got <= 0)
            break;
        while (At < Got) {
            KD_DIRENT64 *Entry = (KD_DIRENT64 *)(Buffer.Bytes + At);
            pid_t Tid = 0;
            PCSTR p;
            ULONG i;
            BOOLEAN Known = FALSE;
            At += Entry->RecordLength;
            for (p = Entry->Name; *p >= '0' && *p <= '9'; p++)
                Tid = Tid * 10 + (*p - '0');
            if (*p != 0 || Tid == 0 || Tid == Self)
                continue;
            for (i = 0; i < *Count; i++)
                Known |= Signalled[i] == Tid;
            if (Known || *Count == Capacity)
                continue;
            if (syscall(SYS_tgkill, Pid, Tid, KD_FREEZE_SIGNAL) == 0) {
                Signalled[(*Count)++] = Tid;
                Sent++;
            }
        }
    }
    close(Fd);
    return Sent;
}

static BOOLEAN KdpHasReported(pid_t Tid)
{
    LONG i, n = __atomic_load_n(&KdpFrozenNext, __ATOMIC_ACQUIRE);
    if (n > KD_MAX_THREADS)
        n = KD_MAX_THREADS;
    for (i = 0; i < n; i++)
        if (__atomic_load_n(&KdpFrozen[i].Ready, __ATOMIC_ACQUIRE) && KdpFrozen[i].Tid == Tid)
            return TRUE;
    return FALSE;
}

static VOID KdpAwaitReports(const pid_t *Signalled, ULONG Count, ULONG Milliseconds)
{
    ULONGLONG Until = KdpNow() + (ULONGLONG)Milliseconds * 1000000ULL;
    struct timespec Nap = { 0, 1000000 };
    for (;;) {
        ULONG i, Missing = 0;
        for (i = 0; i < Count; i++)
            Missing += !KdpHasReported(Signalled[i]);
        if (Missing == 0 || KdpNow() >= Until)
            return;
        nanosleep(&Nap, NULL);
    }
}

VOID KdpFreezeExecution(PKD_BUGCHECK BugCheck)
{
    static pid_t Signalled[KD_MAX_THREADS];
    ULONG Count = 0, i;
    LONG Filled;
    KdpFreezing = TRUE;
    /* A second pass catches threads that were being created during the first. */
    KdpSignalThreads(Signalled, &Count, KD_MAX_THREADS);
    KdpAwaitReports(Signalled, Count, KD_FREEZE_WAIT_MS);
    if (KdpSignalThreads(Signalled, &Count, KD_MAX_THREADS) != 0)
        KdpAwaitReports(Signalled, Count, KD_FREEZE_WAIT_MS / 2);
    Filled = __atomic_load_n(&KdpFrozenNext, __ATOMIC_ACQUIRE);
    BugCheck->Frozen = KdpFrozen;
    BugCheck->FrozenCount = (ULONG)(Filled > KD_MAX_THREADS ? KD_MAX_THREADS : Filled);
    for (i = 0; i < Count; i++) {
        if (KdpHasReported(Signalled[i]))
            continue;
        if (BugCheck->MissingCount < sizeof(BugCheck->Missing) / sizeof(BugCheck->Missing[0]))
            BugCheck->Missing[BugCheck->MissingCount++] = Signalled[i];
        KdpLog("ntk: thread %d did not stop within %u ms (it may be blocking signals); the dump "
               "shows it as running\n",
               (int)Signalled[i], KD_FREEZE_WAIT_MS);
    }
}
