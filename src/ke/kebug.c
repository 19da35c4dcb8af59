/* Ke: bug checks. The kernel stops: every other thread freezes where it is, the STOP line is
 * printed, the drivers' bug check callbacks run, the crash dump is written and the process
 * ends (exit status 3, or what --expect-bugcheck asks for). A bug check while stopping (a
 * callback that faults, say) is recorded and the next step runs; the STOP line stays the
 * first one. docs/CRASHDUMP.md describes the dump. */
#include "ntkp.h"
#include "kdp.h"
#include "rtlp.h"
#include <signal.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <ucontext.h>
#include <unistd.h>

#if defined(__SANITIZE_ADDRESS__)
#define KI_SANITIZED 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define KI_SANITIZED 1
#endif
#endif

#define KI_BUGCHECK_STACK_SIZE (4 * 1024 * 1024)
#define KI_CALLBACK_TIMEOUT_MS 2000

static KI_BUGCHECK_HANDLER KiBugCheckHandler;
static volatile pid_t KiBugCheckOwner;
static KD_BUGCHECK KiBugCheck;
PKD_BUGCHECK KiActiveBugCheck = &KiBugCheck;

VOID KiSetBugCheckHandler(KI_BUGCHECK_HANDLER Handler)
{
    KiBugCheckHandler = Handler;
}

/* ---- Bug check callbacks ---- */

static LIST_ENTRY KiCallbackList = { &KiCallbackList, &KiCallbackList };
static LIST_ENTRY KiReasonCallbackList = { &KiReasonCallbackList, &KiReasonCallbackList };
static NTK_LOCK KiCallbackLock = NTK_LOCK_INIT;

static ULONG_PTR KiCallbackChecksum(PKBUGCHECK_CALLBACK_RECORD Record)
{
    return (ULONG_PTR)Record->CallbackRoutine + (ULONG_PTR)Record->Buffer + Record->Length +
           (ULONG_PTR)Record->Component;
}

static ULONG_PTR KiReasonChecksum(PKBUGCHECK_REASON_CALLBACK_RECORD Record)
{
    return (ULONG_PTR)Record->CallbackRoutine + (ULONG_PTR)Record->Reason +
           (ULONG_PTR)Record->Component;
}

BOOLEAN KeRegisterBugCheckCallback(PKBUGCHECK_CALLBACK_RECORD CallbackRecord,
                                   PKBUGCHECK_CALLBACK_ROUTINE CallbackRoutine, PVOID Buffer,
                                   ULONG Length, PUCHAR Component)
{
    BOOLEAN Done = FALSE;
    if (CallbackRecord == NULL || CallbackRoutine == NULL)
        return FALSE;
    NtkLock(&KiCallbackLock);
    if (CallbackRecord->State == BufferEmpty) {
        CallbackRecord->CallbackRoutine = CallbackRoutine;
        CallbackRecord->Buffer = Buffer;
        CallbackRecord->Length = Length;
        CallbackRecord->Component = Component;
        CallbackRecord->Checksum = KiCallbackChecksum(CallbackRecord);
        CallbackRecord->State = BufferInserted;
        InsertHeadList(&KiCallbackList, &CallbackRecord->Entry);
        Done = TRUE;
    }
    NtkUnlock(&KiCallbackLock);
    return Done;
}

/* Both record kinds deregister alike: only an inserted record leaves its list. */
static BOOLEAN KiRemoveCallbackRecord(PLIST_ENTRY Entry, PUCHAR State)
{
    BOOLEAN Done = FALSE;
    NtkLock(&KiCallbackLock);
    if (*State == BufferInserted) {
        RemoveEntryList(Entry);
        *State = BufferEmpty;
        Done = TRUE;
    }
    NtkUnlock(&KiCallbackLock);
    return Done;
}

BOOLEAN KeDeregisterBugCheckCallback(PKBUGCHECK_CALLBACK_RECORD CallbackRecord)
{
    return KiRemoveCallbackRecord(&CallbackRecord->Entry, &CallbackRecord->State);
}

BOOLEAN KeRegisterBugCheckReasonCallback(PKBUGCHECK_REASON_CALLBACK_RECORD CallbackRecord,
                                         PKBUGCHECK_REASON_CALLBACK_ROUTINE CallbackRoutine,
                                         KBUGCHECK_CALLBACK_REASON Reason, PUCHAR Component)
{
    BOOLEAN Done = FALSE;
    if (CallbackRecord == NULL || CallbackRoutine == NULL || Reason == KbCallbackInvalid ||
        Reason > KbCallbackReserved3)
        return FALSE;
    NtkLock(&KiCallbackLock);
    if (CallbackRecord->State == BufferEmpty) {
        CallbackRecord->CallbackRoutine = CallbackRoutine;
        CallbackRecord->Reason = Reason;
        CallbackRecord->Component = Component;
        CallbackRecord->Checksum = KiReasonChecksum(CallbackRecord);
        CallbackRecord->State = BufferInserted;
        InsertHeadList(&KiReasonCallbackList, &CallbackRecord->Entry);
        Done = TRUE;
    }
    NtkUnlock(&KiCallbackLock);
    if (Done && Reason != KbCallbackSecondaryDumpData)
        KdpLog("ntk: %s registered a bug check callback for reason %u; ntk calls only "
               "KbCallbackSecondaryDumpData ones\n",
               Component ? (PCSTR)Component : "a driver", (unsigned)Reason);
    return Done;
}

BOOLEAN KeDeregisterBugCheckReasonCallback(PKBUGCHECK_REASON_CALLBACK_RECORD CallbackRecord)
{
    return KiRemoveCallbackRecord(&CallbackRecord->Entry, &CallbackRecord->State);
}

/* The lists are walked without waiting for their lock (a frozen thread may hold it), with
 * every pointer checked and a bound on the length. */
#define KI_MAX_CALLBACKS 256

static PLIST_ENTRY KiNextEntry(PLIST_ENTRY Entry)
{
    PLIST_ENTRY Next = NULL;
    if (!KdpSafeRead((ULONG_PTR)&Entry->Flink, &Next, sizeof(Next)))
        return NULL;
    return Next;
}

static PCSTR KiComponentText(PUCHAR Component)
{
    static CHAR Text[64];
    ULONG i;
    if (Component == NULL || !KdpSafeRead((ULONG_PTR)Component, Text, 1))
        return "(no name)";
    for (i = 0; i < sizeof(Text) - 1 && KdpSafeRead((ULONG_PTR)Component + i, &Text[i], 1) &&
                Text[i] != 0;
         i++)
        ;
    Text[i] = 0;
    return Text;
}

static VOID KiCallBasic(PVOID Context)
{
    PKBUGCHECK_CALLBACK_RECORD Record = Context;
    Record->CallbackRoutine(Record->Buffer, Record->Length);
}

static VOID KiInvokeBugCheckCallbacks(VOID)
{
    PLIST_ENTRY Entry = KiNextEntry(&KiCallbackList);
    ULONG Count = 0;
    while (Entry != NULL && Entry != &KiCallbackList && Count++ < KI_MAX_CALLBACKS) {
        PKBUGCHECK_CALLBACK_RECORD Record = CONTAINING_RECORD(Entry, KBUGCHECK_CALLBACK_RECORD,
                                                              Entry);
        KBUGCHECK_CALLBACK_RECORD Copy;
        CHAR What[96];
        if (!KdpSafeRead((ULONG_PTR)Record, &Copy, sizeof(Copy)))
            break;
        if (Copy.State == BufferInserted && Copy.Checksum == KiCallbackChecksum(&Copy)) {
            RtlpFormatA(What, sizeof(What), "the bug check callback of %s",
                        KiComponentText(Copy.Component));
            Record->State = BufferStarted;
            Record->State = KdpProtect(What, KI_CALLBACK_TIMEOUT_MS, KiCallBasic, Record) == 0
                                ? BufferFinished
                                : BufferIncomplete;
        } else {
            KdpLog("ntk: a bug check callback record at %p is damaged; skipped\n", Record);
        }
        Entry = Copy.Entry.Flink;
    }
}

VOID KiReportBugCheckCallbacks(KD_CALLBACK_DATA_ROUTINE Routine, PVOID Context)
{
    PLIST_ENTRY Entry = KiNextEntry(&KiCallbackList);
    ULONG Count = 0;
    while (Entry != NULL && Entry != &KiCallbackList && Count++ < KI_MAX_CALLBACKS) {
        PKBUGCHECK_CALLBACK_RECORD Record = CONTAINING_RECORD(Entry, KBUGCHECK_CALLBACK_RECORD,
                                                              Entry);
        KBUGCHECK_CALLBACK_RECORD Copy;
        if (!KdpSafeRead((ULONG_PTR)Record, &Copy, sizeof(Copy)))
            break;
        Routine("bugcheck", KiComponentText(Copy.Component), Copy.State, NULL, Copy.Buffer,
                Copy.Length, NULL, Context);
        Entry = Copy.Entry.Flink;
    }
}

typedef struct _KI_SECONDARY_CALL {
    PKBUGCHECK_REASON_CALLBACK_RECORD Record;
    KBUGCHECK_SECONDARY_DUMP_DATA *Data;
} KI_SECONDARY_CALL;

static VOID KiCallSecondary(PVOID Context)
{
    KI_SECONDARY_CALL *Call = Context;
    Call->Record->CallbackRoutine(KbCallbackSecondaryDumpData, Call->Record, Call->Data,
                                  sizeof(*Call->Data));
}

/* KbCallbackSecondaryDumpData, as Windows polls it: first OutBuffer NULL (the callback says
 * how much it has and may name its own buffer), then OutBuffer = InBuffer unless it named one,
 * and the callback fills it. Up to MaximumAllowed bytes go into the dump. */
#define KI_SECONDARY_IN_SIZE 4096
#define KI_SECONDARY_MAXIMUM (64 * 1024)

VOID KiCollectSecondaryDumpData(KD_CALLBACK_DATA_ROUTINE Routine, PVOID Context)
{
    static UCHAR InBuffer[KI_SECONDARY_IN_SIZE];
    static UCHAR Copy[KI_SECONDARY_MAXIMUM];
    PLIST_ENTRY Entry = KiNextEntry(&KiReasonCallbackList);
    ULONG Count = 0;
    while (Entry != NULL && Entry != &KiReasonCallbackList && Count++ < KI_MAX_CALLBACKS) {
        PKBUGCHECK_REASON_CALLBACK_RECORD Record =
            CONTAINING_RECORD(Entry, KBUGCHECK_REASON_CALLBACK_RECORD, Entry);
        KBUGCHECK_REASON_CALLBACK_RECORD Saved;
        KBUGCHECK_SECONDARY_DUMP_DATA Data;
        KI_SECONDARY_CALL Call = { Record, &Data };
        PCSTR Component, Problem = NULL;
        CHAR What[96];
        ULONG Length = 0;
        if (!KdpSafeRead((ULONG_PTR)Record, &Saved, sizeof(Saved)))
            break;
        Entry = Saved.Entry.Flink;
        if (Saved.Reason != KbCallbackSecondaryDumpData)
            continue;
        Component = KiComponentText(Saved.Component);
        if (Saved.State != BufferInserted || Saved.Checksum != KiReasonChecksum(&Saved)) {
            Routine("secondary", Component, Saved.State, NULL, NULL, 0, "damaged record",
                    Context);
            continue;
        }
        RtlpFormatA(What, sizeof(What), "the secondary dump callback of %s", Component);
        memset(&Data, 0, sizeof(Data));
        memset(InBuffer, 0, sizeof(InBuffer));
        Data.InBuffer = InBuffer;
        Data.InBufferLength = sizeof(InBuffer);
        Data.MaximumAllowed = KI_SECONDARY_MAXIMUM;
        Record->State = BufferStarted;
        if (KdpProtect(What, KI_CALLBACK_TIMEOUT_MS, KiCallSecondary, &Call) == 0 &&
            Data.OutBufferLength != 0) {
            if (Data.OutBuffer == NULL)
                Data.OutBuffer = InBuffer;
            if (KdpProtect(What, KI_CALLBACK_TIMEOUT_MS, KiCallSecondary, &Call) != 0)
                Problem = "the callback failed while writing its data";
        } else if (Data.OutBufferLength != 0) {
            Problem = "the callback failed";
        }
        if (Problem == NULL && Data.OutBuffer != NULL && Data.OutBufferLength != 0) {
            Length = Data.OutBufferLength;
            if (Length > Data.MaximumAllowed) {
                Length = Data.MaximumAllowed;
                Problem = "more than MaximumAllowed: cut";
            }
            if (!KdpSafeRead((ULONG_PTR)Data.OutBuffer, Copy, Length)) {
                Length = 0;
                Problem = "OutBuffer cannot be read";
            }
        }
        Record->State = Problem && Length == 0 ? BufferIncomplete : BufferFinished;
        Routine("secondary", Component, Record->State, &Data.Guid, Length ? Copy : NULL, Length,
                Problem, Context);
    }
}

/* ---- The bug check ---- */

static VOID KiPrintStopLine(PVOID Context)
{
    PKD_BUGCHECK BugCheck = Context;
    KdpLog("%s", BugCheck->StopLine);
}

static VOID KiRunCallbacks(PVOID Context)
{
    PKTHREAD Thread = KiCurrentThread;
    (void)Context;
    /* Callbacks run at HIGH_LEVEL, as on Windows. */
    if (Thread)
        Thread->Irql = HIGH_LEVEL;
    KiInvokeBugCheckCallbacks();
    if (Thread)
        Thread->Irql = KiBugCheck.Irql;
}

static VOID KiWriteDump(PVOID Context)
{
    KdpWriteCrashDump(Context);
}

static VOID KiCallHostHandler(PVOID Context)
{
    PKD_BUGCHECK BugCheck = Context;
    if (KiBugCheckHandler)
        KiBugCheckHandler(BugCheck->Code, BugCheck->Parameter[0], BugCheck->Parameter[1],
                          BugCheck->Parameter[2], BugCheck->Parameter[3]);
}

static DECLSPEC_NORETURN VOID KiBugCheckBody(VOID)
{
    PKD_BUGCHECK BugCheck = &KiBugCheck;
    KdpFreezeExecution(BugCheck);
    ExpUntrimPagedPool(); /* the dump reads paged pool */
    KdpProtect("printing the STOP line", 2000, KiPrintStopLine, BugCheck);
    KdpProtect("the bug check callbacks", 20000, KiRunCallbacks, NULL);
    KdpProtect("writing the crash dump", 40000, KiWriteDump, BugCheck);
    KdpProtect("the host's bug check handler", 2000, KiCallHostHandler, BugCheck);
    KdpFinishBugCheck();
}

#ifndef KI_SANITIZED
static ucontext_t KiBodyContext, KiEntryContext;

static void KiBugCheckTrampoline(void)
{
    KiBugCheckBody();
}
#endif

/* The rest of the bug check runs on a stack of its own, so a driver that ran out of stack
 * still gets its dump (not under AddressSanitizer, which cannot follow stack switches). */
static DECLSPEC_NORETURN VOID KiRunBody(VOID)
{
#ifndef KI_SANITIZED
    PVOID Stack = mmap(NULL, KI_BUGCHECK_STACK_SIZE, PROT_READ | PROT_WRITE,
                       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (Stack != MAP_FAILED && getcontext(&KiBodyContext) == 0) {
        KiBodyContext.uc_stack.ss_sp = Stack;
        KiBodyContext.uc_stack.ss_size = KI_BUGCHECK_STACK_SIZE;
        KiBodyContext.uc_link = NULL;
        makecontext(&KiBodyContext, KiBugCheckTrampoline, 0);
        swapcontext(&KiEntryContext, &KiBodyContext);
    }
#endif
    KiBugCheckBody();
}

VOID KeBugCheckEx(ULONG BugCheckCode, ULONG_PTR P1, ULONG_PTR P2, ULONG_PTR P3, ULONG_PTR P4)
{
    PKD_BUGCHECK BugCheck = &KiBugCheck;
    pid_t Self = (pid_t)syscall(SYS_gettid), Owner = 0;
    PKTHREAD Thread = KiCurrentThread;
    ucontext_t Entry;
    BOOLEAN ExpectSet;
    ULONG Expected;
    PCSTR Name;

    /* One thread stops the kernel; the same one bugchecking again is a nested bug check; any
     * other waits to be frozen. */
    if (!__atomic_compare_exchange_n(&KiBugCheckOwner, &Owner, Self, FALSE, __ATOMIC_SEQ_CST,
                                     __ATOMIC_SEQ_CST)) {
        if (Owner == Self)
            KdpNestedBugCheck(BugCheckCode, P1, P2, P3, P4);
        KdpConcurrentBugCheck(BugCheckCode, P1, P2, P3, P4);
    }
    getcontext(&Entry);
    Name = RtlpBugCheckName(BugCheckCode);
    BugCheck->Code = BugCheckCode;
    BugCheck->Parameter[0] = P1;
    BugCheck->Parameter[1] = P2;
    BugCheck->Parameter[2] = P3;
    BugCheck->Parameter[3] = P4;
    BugCheck->Name = Name ? Name : "UNKNOWN_BUGCHECK";
    RtlpFormatA(BugCheck->StopLine, sizeof(BugCheck->StopLine),
                "\n*** STOP: 0x%08X %s (0x%016I64X, 0x%016I64X, 0x%016I64X, 0x%016I64X)\n",
                BugCheckCode, BugCheck->Name, (ULONG64)P1, (ULONG64)P2, (ULONG64)P3,
                (ULONG64)P4);
    BugCheck->Self.Tid = Self;
    BugCheck->Self.Thread = Thread;
    KdpCaptureRegisters(&BugCheck->Self.Registers, &Entry);
    BugCheck->Self.Ready = 1;
    BugCheck->Irql = Thread ? Thread->Irql : PASSIVE_LEVEL;
    BugCheck->Processor = Thread ? Thread->Processor : 0;
    Expected = KdpExpectedBugCheck(&ExpectSet);
    BugCheck->ExitCode = !ExpectSet                  ? KD_EXIT_BUGCHECK
                         : Expected == BugCheckCode ? KD_EXIT_EXPECTED_BUGCHECK
                                                    : KD_EXIT_OTHER_BUGCHECK;
    KdpBeginBugCheck(BugCheck);
    KiRunBody();
}

/* 0xC8: a routine returned at another IRQL than it was called at. Parameter 1 packs the
 * current and the expected IRQL as Windows does ((Current << 16) | (Expected << 8)). */
VOID KiIrqlUnexpected(KIRQL Current, KIRQL Expected, PVOID Routine, ULONG_PTR P3, ULONG_PTR P4)
{
    KdpLog("ntk: %p returned at IRQL %u, entered at IRQL %u\n", Routine, Current, Expected);
    KeBugCheckEx(IRQL_UNEXPECTED_VALUE, ((ULONG_PTR)Current << 16) | ((ULONG_PTR)Expected << 8),
                 (ULONG_PTR)Routine, P3, P4);
}

VOID KeBugCheck(ULONG BugCheckCode)
{
    KeBugCheckEx(BugCheckCode, 0, 0, 0, 0);
}
