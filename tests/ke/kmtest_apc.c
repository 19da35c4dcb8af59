/* kmtest_apc: critical and guarded regions (KeEnterCriticalRegion, KeEnterGuardedRegion,
 * KeAreApcsDisabled, KeAreAllApcsDisabled, from the WDK) and kernel APCs through
 * KeInitializeApc/KeInsertQueueApc (exported by ntoskrnl, not in the WDK headers): a special
 * kernel APC (no NormalRoutine) runs its KernelRoutine at APC_LEVEL in the target thread; a
 * normal kernel APC runs its KernelRoutine at APC_LEVEL, then its NormalRoutine at
 * PASSIVE_LEVEL; a critical region holds back normal kernel APCs, a guarded region all of
 * them, until it is left; a thread blocked in a non-alertable wait gets its kernel APCs and
 * goes on waiting.
 *     ntk run [--cpus N] --driver kmtest_apc.so       exits 0 when every check passed */
#include "kmtest_ke.h"

static void TestRegions(void)
{
    CHECK(!KeAreApcsDisabled());
    CHECK(!KeAreAllApcsDisabled());

    /* A critical region disables normal kernel APCs only; it nests. */
    KeEnterCriticalRegion();
    CHECK(KeAreApcsDisabled());
    CHECK(!KeAreAllApcsDisabled());
    KeEnterCriticalRegion();
    CHECK(KeAreApcsDisabled());
    KeLeaveCriticalRegion();
    CHECK(KeAreApcsDisabled());
    CHECK(!KeAreAllApcsDisabled());
    KeLeaveCriticalRegion();
    CHECK(!KeAreApcsDisabled());
    CHECK(!KeAreAllApcsDisabled());

    /* A guarded region disables all kernel APCs; it nests. */
    KeEnterGuardedRegion();
    CHECK(KeAreApcsDisabled());
    CHECK(KeAreAllApcsDisabled());
    KeEnterGuardedRegion();
    KeLeaveGuardedRegion();
    CHECK(KeAreApcsDisabled());
    CHECK(KeAreAllApcsDisabled());
    KeLeaveGuardedRegion();
    CHECK(!KeAreApcsDisabled());
    CHECK(!KeAreAllApcsDisabled());

    /* Mixed. */
    KeEnterCriticalRegion();
    KeEnterGuardedRegion();
    CHECK(KeAreApcsDisabled());
    CHECK(KeAreAllApcsDisabled());
    KeLeaveGuardedRegion();
    CHECK(KeAreApcsDisabled());
    CHECK(!KeAreAllApcsDisabled());
    KeLeaveCriticalRegion();
    CHECK(!KeAreApcsDisabled());

    /* KeAreApcsDisabled ignores IRQL; KeAreAllApcsDisabled counts IRQL >= APC_LEVEL. */
    KIRQL old;
    KeEnterCriticalRegion();
    KeRaiseIrql(APC_LEVEL, &old);
    CHECK(KeAreApcsDisabled());
    CHECK(KeAreAllApcsDisabled());
    KeLowerIrql(old);
    KeLeaveCriticalRegion();
    KeRaiseIrql(APC_LEVEL, &old);
    CHECK(!KeAreApcsDisabled());
    CHECK(KeAreAllApcsDisabled());
    KeLowerIrql(old);
    CHECK(!KeAreApcsDisabled());
    CHECK(!KeAreAllApcsDisabled());

    /* Acquiring a KMUTEX disables normal kernel APCs until it is released. */
    KMUTEX mutex;
    KeInitializeMutex(&mutex, 0);
    CHECK_STATUS(KmtWait(&mutex), STATUS_SUCCESS);
    CHECK(KeAreApcsDisabled());
    KeReleaseMutex(&mutex, FALSE);
    CHECK(!KeAreApcsDisabled());
}

/* What the APC routines saw. */
typedef struct {
    volatile LONG KernelRuns;
    volatile LONG NormalRuns;
    volatile LONG Sequence;
    LONG KernelAt, NormalAt;             /* Sequence numbers: kernel routine first */
    PKTHREAD KernelThread, NormalThread;
    KIRQL KernelIrql, NormalIrql;
    PKAPC Apc;
    PVOID KernelNormalRoutine;           /* *NormalRoutine as the kernel routine saw it */
    PVOID KernelNormalContext, KernelArg1, KernelArg2;
    PVOID NormalContext, NormalArg1, NormalArg2;
    BOOLEAN KernelApcsDisabled;
    KEVENT KernelDone, NormalDone;
} APC_SEEN;

static APC_SEEN SpecialSeen, NormalSeen;

static void ApcSeenInit(APC_SEEN *Seen)
{
    RtlZeroMemory(Seen, sizeof(*Seen));
    Seen->KernelIrql = Seen->NormalIrql = 0xFF;
    KeInitializeEvent(&Seen->KernelDone, NotificationEvent, FALSE);
    KeInitializeEvent(&Seen->NormalDone, NotificationEvent, FALSE);
}

static VOID NormalRoutine(PVOID NormalContext, PVOID Arg1, PVOID Arg2);

static VOID KernelRoutine(PKAPC Apc, PKNORMAL_ROUTINE *Normal, PVOID *NormalContext,
                          PVOID *Arg1, PVOID *Arg2)
{
    APC_SEEN *seen = *Normal == NULL ? &SpecialSeen : &NormalSeen;
    seen->KernelAt = InterlockedIncrement(&seen->Sequence);
    seen->KernelThread = KeGetCurrentThread();
    seen->KernelIrql = KeGetCurrentIrql();
    seen->Apc = Apc;
    seen->KernelNormalRoutine = (PVOID)*Normal;
    seen->KernelNormalContext = *NormalContext;
    seen->KernelArg1 = *Arg1;
    seen->KernelArg2 = *Arg2;
    seen->KernelApcsDisabled = KeAreApcsDisabled();
    /* The kernel routine may change what the normal routine gets. */
    if (*Normal != NULL)
        *Arg2 = (PVOID)0xB2B2;
    InterlockedIncrement(&seen->KernelRuns);
    KeSetEvent(&seen->KernelDone, IO_NO_INCREMENT, FALSE);
}

static VOID NormalRoutine(PVOID NormalContext, PVOID Arg1, PVOID Arg2)
{
    APC_SEEN *seen = &NormalSeen;
    seen->NormalAt = InterlockedIncrement(&seen->Sequence);
    seen->NormalThread = KeGetCurrentThread();
    seen->NormalIrql = KeGetCurrentIrql();
    seen->NormalContext = NormalContext;
    seen->NormalArg1 = Arg1;
    seen->NormalArg2 = Arg2;
    InterlockedIncrement(&seen->NormalRuns);
    KeSetEvent(&seen->NormalDone, IO_NO_INCREMENT, FALSE);
}

static KAPC SpecialApc, NormalApc;

static BOOLEAN QueueSpecial(PKTHREAD Thread, PVOID Arg1, PVOID Arg2)
{
    KeInitializeApc(&SpecialApc, Thread, OriginalApcEnvironment, KernelRoutine, NULL, NULL,
                    KernelMode, NULL);
    return KeInsertQueueApc(&SpecialApc, Arg1, Arg2, IO_NO_INCREMENT);
}

static BOOLEAN QueueNormal(PKTHREAD Thread, PVOID Context, PVOID Arg1, PVOID Arg2)
{
    KeInitializeApc(&NormalApc, Thread, OriginalApcEnvironment, KernelRoutine, NULL,
                    NormalRoutine, KernelMode, Context);
    return KeInsertQueueApc(&NormalApc, Arg1, Arg2, IO_NO_INCREMENT);
}

/* APCs to the current thread. */
static void TestSelf(void)
{
    PKTHREAD me = KeGetCurrentThread();
    KIRQL old;

    /* Queued at APC_LEVEL: delivered when IRQL drops below APC_LEVEL. */
    ApcSeenInit(&SpecialSeen);
    KeRaiseIrql(APC_LEVEL, &old);
    CHECK(QueueSpecial(me, (PVOID)0x11, (PVOID)0x12));
    LONG runsAtApc = SpecialSeen.KernelRuns;
    KeLowerIrql(old);
    CHECK_EQ(runsAtApc, 0);
    CHECK_EQ(SpecialSeen.KernelRuns, 1);
    CHECK(SpecialSeen.KernelThread == me);
    CHECK_EQ(SpecialSeen.KernelIrql, APC_LEVEL);
    CHECK(SpecialSeen.Apc == &SpecialApc);
    CHECK(SpecialSeen.KernelNormalRoutine == NULL);
    CHECK(SpecialSeen.KernelArg1 == (PVOID)0x11);
    CHECK(SpecialSeen.KernelArg2 == (PVOID)0x12);
    CHECK_EQ(KeGetCurrentIrql(), PASSIVE_LEVEL);

    /* Queued at PASSIVE_LEVEL: it has run when KeInsertQueueApc returns. */
    ApcSeenInit(&SpecialSeen);
    CHECK(QueueSpecial(me, NULL, NULL));
    CHECK_EQ(SpecialSeen.KernelRuns, 1);

    /* In a guarded region: held back until the region is left. */
    ApcSeenInit(&SpecialSeen);
    KeEnterGuardedRegion();
    CHECK(QueueSpecial(me, NULL, NULL));
    LONG runsGuarded = SpecialSeen.KernelRuns;
    /* Still queued: inserting it again is FALSE. */
    BOOLEAN again = KeInsertQueueApc(&SpecialApc, NULL, NULL, IO_NO_INCREMENT);
    KeLeaveGuardedRegion();
    CHECK_EQ(runsGuarded, 0);
    CHECK(!again);
    CHECK_EQ(SpecialSeen.KernelRuns, 1);

    /* A normal kernel APC: kernel routine at APC_LEVEL, then the normal routine at
     * PASSIVE_LEVEL with the (possibly changed) arguments. */
    ApcSeenInit(&NormalSeen);
    KeRaiseIrql(APC_LEVEL, &old);
    CHECK(QueueNormal(me, (PVOID)0xC0C0, (PVOID)0xA1, (PVOID)0xA2));
    LONG normalAtApc = NormalSeen.KernelRuns + NormalSeen.NormalRuns;
    KeLowerIrql(old);
    CHECK_EQ(normalAtApc, 0);
    CHECK_EQ(NormalSeen.KernelRuns, 1);
    CHECK_EQ(NormalSeen.NormalRuns, 1);
    CHECK(NormalSeen.KernelAt < NormalSeen.NormalAt);
    CHECK_EQ(NormalSeen.KernelIrql, APC_LEVEL);
    CHECK_EQ(NormalSeen.NormalIrql, PASSIVE_LEVEL);
    CHECK(NormalSeen.KernelThread == me && NormalSeen.NormalThread == me);
    CHECK(NormalSeen.KernelNormalRoutine == (PVOID)NormalRoutine);
    CHECK(NormalSeen.KernelNormalContext == (PVOID)0xC0C0);
    CHECK(NormalSeen.KernelArg1 == (PVOID)0xA1);
    CHECK(NormalSeen.KernelArg2 == (PVOID)0xA2);
    CHECK(NormalSeen.NormalContext == (PVOID)0xC0C0);
    CHECK(NormalSeen.NormalArg1 == (PVOID)0xA1);
    CHECK(NormalSeen.NormalArg2 == (PVOID)0xB2B2);

    /* In a critical region a normal kernel APC waits (both routines), a special one does not. */
    ApcSeenInit(&NormalSeen);
    ApcSeenInit(&SpecialSeen);
    KeEnterCriticalRegion();
    CHECK(QueueNormal(me, NULL, NULL, NULL));
    CHECK(QueueSpecial(me, NULL, NULL));
    LONG specialInRegion = SpecialSeen.KernelRuns;
    BOOLEAN specialSawDisabled = SpecialSeen.KernelApcsDisabled;
    LONG normalInRegion = NormalSeen.KernelRuns + NormalSeen.NormalRuns;
    KeLeaveCriticalRegion();
    CHECK_EQ(specialInRegion, 1);
    CHECK(specialSawDisabled);
    CHECK_EQ(normalInRegion, 0);
    CHECK_EQ(NormalSeen.KernelRuns, 1);
    CHECK_EQ(NormalSeen.NormalRuns, 1);
    CHECK_EQ(NormalSeen.NormalIrql, PASSIVE_LEVEL);
    CHECK(!KeAreApcsDisabled());
}

/* APCs to another thread, blocked in a non-alertable wait. */
typedef enum { PLAIN_WAIT, CRITICAL_WAIT, GUARDED_WAIT } WAIT_KIND;

static PKTHREAD Target;
static KEVENT TargetReady, TargetGo;
static volatile NTSTATUS TargetWaitStatus;
static volatile LONG TargetWaitReturned;
static volatile LONG SpecialRunsWhenWaitReturned, NormalRunsWhenWaitReturned;
static volatile LONG SpecialRunsAfterLeave, NormalRunsAfterLeave;

static VOID TargetThread(PVOID Context)
{
    WAIT_KIND kind = (WAIT_KIND)(ULONG_PTR)Context;
    Target = KeGetCurrentThread();
    if (kind == CRITICAL_WAIT)
        KeEnterCriticalRegion();
    else if (kind == GUARDED_WAIT)
        KeEnterGuardedRegion();
    KeSetEvent(&TargetReady, IO_NO_INCREMENT, FALSE);
    TargetWaitStatus = KeWaitForSingleObject(&TargetGo, Executive, KernelMode, FALSE, NULL);
    SpecialRunsWhenWaitReturned = SpecialSeen.KernelRuns;
    NormalRunsWhenWaitReturned = NormalSeen.NormalRuns;
    TargetWaitReturned = 1;
    if (kind == CRITICAL_WAIT)
        KeLeaveCriticalRegion();
    else if (kind == GUARDED_WAIT)
        KeLeaveGuardedRegion();
    SpecialRunsAfterLeave = SpecialSeen.KernelRuns;
    NormalRunsAfterLeave = NormalSeen.NormalRuns;
    PsTerminateSystemThread(STATUS_SUCCESS);
}

static PKTHREAD StartTarget(WAIT_KIND Kind)
{
    Target = NULL;
    TargetWaitReturned = 0;
    TargetWaitStatus = -1;
    KeInitializeEvent(&TargetReady, NotificationEvent, FALSE);
    KeInitializeEvent(&TargetGo, NotificationEvent, FALSE);
    ApcSeenInit(&SpecialSeen);
    ApcSeenInit(&NormalSeen);
    PKTHREAD t = KmtStartThread(TargetThread, (PVOID)(ULONG_PTR)Kind);
    CHECK_STATUS(KmtWait(&TargetReady), STATUS_SUCCESS);
    CHECK(Target != NULL && Target == t);
    return t;
}

static void TestBlockedThread(void)
{
    /* Plain non-alertable wait: both kinds of kernel APC are delivered; the wait goes on. */
    PKTHREAD t = StartTarget(PLAIN_WAIT);
    CHECK(QueueSpecial(Target, (PVOID)0x21, (PVOID)0x22));
    CHECK_STATUS(KmtWait(&SpecialSeen.KernelDone), STATUS_SUCCESS);
    CHECK(QueueNormal(Target, (PVOID)0x30, (PVOID)0x31, (PVOID)0x32));
    CHECK_STATUS(KmtWait(&NormalSeen.NormalDone), STATUS_SUCCESS);
    LONG returnedEarly = TargetWaitReturned;
    KeSetEvent(&TargetGo, IO_NO_INCREMENT, FALSE);
    KmtJoinThread(t);
    CHECK_EQ(returnedEarly, 0);
    CHECK_STATUS(TargetWaitStatus, STATUS_SUCCESS);
    CHECK_EQ(SpecialSeen.KernelRuns, 1);
    CHECK(SpecialSeen.KernelThread == Target);
    CHECK_EQ(SpecialSeen.KernelIrql, APC_LEVEL);
    CHECK(SpecialSeen.KernelArg1 == (PVOID)0x21 && SpecialSeen.KernelArg2 == (PVOID)0x22);
    CHECK_EQ(NormalSeen.KernelRuns, 1);
    CHECK_EQ(NormalSeen.NormalRuns, 1);
    CHECK(NormalSeen.KernelThread == Target && NormalSeen.NormalThread == Target);
    CHECK_EQ(NormalSeen.KernelIrql, APC_LEVEL);
    CHECK_EQ(NormalSeen.NormalIrql, PASSIVE_LEVEL);
    CHECK(NormalSeen.KernelAt < NormalSeen.NormalAt);
    CHECK(NormalSeen.NormalContext == (PVOID)0x30);
    CHECK(NormalSeen.NormalArg1 == (PVOID)0x31);
    CHECK(NormalSeen.NormalArg2 == (PVOID)0xB2B2);
    CHECK_EQ(SpecialRunsWhenWaitReturned, 1);
    CHECK_EQ(NormalRunsWhenWaitReturned, 1);

    /* In a critical region: the special APC is delivered during the wait, the normal one
     * only when the thread leaves the region. */
    t = StartTarget(CRITICAL_WAIT);
    CHECK(QueueNormal(Target, NULL, NULL, NULL));
    CHECK(QueueSpecial(Target, NULL, NULL));
    CHECK_STATUS(KmtWait(&SpecialSeen.KernelDone), STATUS_SUCCESS);
    BOOLEAN sawDisabled = SpecialSeen.KernelApcsDisabled;
    KeSetEvent(&TargetGo, IO_NO_INCREMENT, FALSE);
    KmtJoinThread(t);
    CHECK(sawDisabled);
    CHECK_STATUS(TargetWaitStatus, STATUS_SUCCESS);
    CHECK_EQ(SpecialRunsWhenWaitReturned, 1);
    CHECK_EQ(NormalRunsWhenWaitReturned, 0);
    CHECK_EQ(NormalRunsAfterLeave, 1);
    CHECK_EQ(NormalSeen.KernelRuns, 1);
    CHECK(NormalSeen.NormalThread == Target);
    CHECK_EQ(NormalSeen.NormalIrql, PASSIVE_LEVEL);

    /* In a guarded region: nothing is delivered until the thread leaves it. */
    t = StartTarget(GUARDED_WAIT);
    CHECK(QueueSpecial(Target, NULL, NULL));
    /* Queued and not deliverable: a second insert of the same APC is FALSE. */
    CHECK(!KeInsertQueueApc(&SpecialApc, NULL, NULL, IO_NO_INCREMENT));
    KmtDelay(KMT_MS(20));
    LONG deliveredEarly = SpecialSeen.KernelRuns;
    KeSetEvent(&TargetGo, IO_NO_INCREMENT, FALSE);
    KmtJoinThread(t);
    CHECK_EQ(deliveredEarly, 0);
    CHECK_STATUS(TargetWaitStatus, STATUS_SUCCESS);
    CHECK_EQ(SpecialRunsWhenWaitReturned, 0);
    CHECK_EQ(SpecialRunsAfterLeave, 1);
    CHECK(SpecialSeen.KernelThread == Target);
    CHECK_EQ(SpecialSeen.KernelIrql, APC_LEVEL);
}

NTSTATUS DriverEntry(PDRIVER_OBJECT DriverObject, PUNICODE_STRING RegistryPath)
{
    UNREFERENCED_PARAMETER(DriverObject);
    UNREFERENCED_PARAMETER(RegistryPath);
    DbgPrint("kmtest_apc: start\n");
    KMT_RUN("kmtest_apc", TestRegions());
    KMT_RUN("kmtest_apc", TestSelf());
    KMT_RUN("kmtest_apc", TestBlockedThread());
    CHECK(!KeAreApcsDisabled());
    CHECK_EQ(KeGetCurrentIrql(), PASSIVE_LEVEL);
    return KmtFinish("kmtest_apc");
}
