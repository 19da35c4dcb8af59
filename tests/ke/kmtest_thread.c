/* kmtest_thread: system threads, from the WDK pages of PsCreateSystemThread,
 * PsTerminateSystemThread, PsIsSystemThread, PsGetThreadExitStatus and
 * ObReferenceObjectByHandle: a thread object is waitable and signaled when the thread exits.
 *     ntk run [--cpus N] --driver kmtest_thread.so    exits 0 when every check passed */
#include "kmtest_ke.h"

#define EXIT_CODE ((NTSTATUS)0x12345678)

typedef struct {
    PETHREAD Self;
    HANDLE SelfId;
    PVOID Context;
    KIRQL Irql;
    BOOLEAN IsSystem;
    BOOLEAN ApcsDisabled;
    PEPROCESS Process;
    volatile LONG AfterTerminate;
    KEVENT Started;
    KEVENT Finish;
} THREAD_SEEN;

static VOID Worker(PVOID Context)
{
    THREAD_SEEN *seen = (THREAD_SEEN *)Context;
    seen->Self = PsGetCurrentThread();
    seen->SelfId = PsGetCurrentThreadId();
    seen->Context = Context;
    seen->Irql = KeGetCurrentIrql();
    seen->IsSystem = PsIsSystemThread(PsGetCurrentThread());
    seen->ApcsDisabled = KeAreApcsDisabled();
    seen->Process = PsGetCurrentProcess();
    KeSetEvent(&seen->Started, IO_NO_INCREMENT, FALSE);
    KmtWait(&seen->Finish);
    PsTerminateSystemThread(EXIT_CODE);
    seen->AfterTerminate = 1; /* never reached */
}

/* A start routine may also just return. */
static VOID Returner(PVOID Context)
{
    THREAD_SEEN *seen = (THREAD_SEEN *)Context;
    seen->Self = PsGetCurrentThread();
    KeSetEvent(&seen->Started, IO_NO_INCREMENT, FALSE);
}

static void SeenInit(THREAD_SEEN *Seen)
{
    RtlZeroMemory(Seen, sizeof(*Seen));
    Seen->Irql = 0xFF;
    KeInitializeEvent(&Seen->Started, NotificationEvent, FALSE);
    KeInitializeEvent(&Seen->Finish, NotificationEvent, FALSE);
}

static void TestLifecycle(void)
{
    THREAD_SEEN seen;
    HANDLE handle = NULL;
    CLIENT_ID cid;
    PVOID object = NULL, wrong = (PVOID)0x1;

    SeenInit(&seen);
    RtlZeroMemory(&cid, sizeof(cid));
    NTSTATUS status = PsCreateSystemThread(&handle, THREAD_ALL_ACCESS, NULL, NULL, &cid, Worker,
                                           &seen);
    CHECK_STATUS(status, STATUS_SUCCESS);
    if (!NT_SUCCESS(status))
        return;
    CHECK(handle != NULL);
    CHECK_STATUS(KmtWait(&seen.Started), STATUS_SUCCESS);

    /* What the thread saw of itself. */
    CHECK(seen.Context == &seen);
    CHECK_EQ(seen.Irql, PASSIVE_LEVEL);
    CHECK(seen.IsSystem);
    CHECK(!seen.ApcsDisabled);
    CHECK(seen.Process == PsInitialSystemProcess);
    CHECK(seen.SelfId == cid.UniqueThread);
    CHECK(cid.UniqueProcess == PsGetProcessId(PsInitialSystemProcess));
    CHECK(seen.SelfId != PsGetCurrentThreadId());

    /* The handle refers to that thread object; the wrong type is refused. */
    CHECK_STATUS(ObReferenceObjectByHandle(handle, SYNCHRONIZE, *ExEventObjectType, KernelMode,
                                           &wrong, NULL),
                 STATUS_OBJECT_TYPE_MISMATCH);
    status = ObReferenceObjectByHandle(handle, SYNCHRONIZE, *PsThreadType, KernelMode, &object,
                                       NULL);
    CHECK_STATUS(status, STATUS_SUCCESS);
    if (!NT_SUCCESS(status)) {
        ZwClose(handle);
        return;
    }
    CHECK(object == seen.Self);
    CHECK(PsGetThreadId((PETHREAD)object) == cid.UniqueThread);
    CHECK(PsIsSystemThread((PETHREAD)object));
    CHECK(PsGetThreadProcess((PETHREAD)object) == PsInitialSystemProcess);

    /* Running: not signaled. */
    CHECK_STATUS(KmtPoll(object), STATUS_TIMEOUT);
    CHECK(!PsIsThreadTerminating((PETHREAD)object));

    /* PsTerminateSystemThread ends it with that status; the object becomes signaled and stays
     * so; nothing after PsTerminateSystemThread runs. */
    KeSetEvent(&seen.Finish, IO_NO_INCREMENT, FALSE);
    CHECK_STATUS(KmtWait(object), STATUS_SUCCESS);
    CHECK_STATUS(KmtPoll(object), STATUS_SUCCESS);
    CHECK_STATUS(KeWaitForSingleObject(object, Executive, KernelMode, FALSE, NULL),
                 STATUS_SUCCESS);
    CHECK_STATUS(PsGetThreadExitStatus((PETHREAD)object), EXIT_CODE);
    CHECK(PsIsThreadTerminating((PETHREAD)object));
    CHECK_EQ(seen.AfterTerminate, 0);
    ZwClose(handle);
    ObDereferenceObject(object);
}

static void TestReturnFromStartRoutine(void)
{
    THREAD_SEEN seen;
    SeenInit(&seen);
    PKTHREAD t = KmtStartThread(Returner, &seen);
    CHECK_STATUS(KmtWait(&seen.Started), STATUS_SUCCESS);
    CHECK(t == (PKTHREAD)seen.Self);
    KmtJoinThread(t);
}

/* Several threads at once; a wait for all of them ends when the last one exits. */
static volatile LONG Exited;
static KEVENT ManyGo;
static VOID ManyWorker(PVOID Context)
{
    UNREFERENCED_PARAMETER(Context);
    KmtWait(&ManyGo);
    InterlockedIncrement(&Exited);
    PsTerminateSystemThread(STATUS_SUCCESS);
}

static void TestWaitAll(void)
{
    PVOID threads[3];
    KWAIT_BLOCK blocks[3];

    Exited = 0;
    KeInitializeEvent(&ManyGo, NotificationEvent, FALSE);
    for (int i = 0; i < 3; i++)
        threads[i] = KmtStartThread(ManyWorker, NULL);
    if (threads[0] == NULL || threads[1] == NULL || threads[2] == NULL)
        return;
    LARGE_INTEGER zero;
    zero.QuadPart = 0;
    CHECK_STATUS(KeWaitForMultipleObjects(3, threads, WaitAny, Executive, KernelMode, FALSE, &zero,
                                          blocks),
                 STATUS_TIMEOUT);
    KeSetEvent(&ManyGo, IO_NO_INCREMENT, FALSE);
    CHECK_STATUS(KeWaitForMultipleObjects(3, threads, WaitAll, Executive, KernelMode, FALSE, NULL,
                                          blocks),
                 STATUS_SUCCESS);
    CHECK_EQ(Exited, 3);
    for (int i = 0; i < 3; i++) {
        CHECK_STATUS(KmtPoll(threads[i]), STATUS_SUCCESS);
        ObDereferenceObject(threads[i]);
    }
}

NTSTATUS DriverEntry(PDRIVER_OBJECT DriverObject, PUNICODE_STRING RegistryPath)
{
    UNREFERENCED_PARAMETER(DriverObject);
    UNREFERENCED_PARAMETER(RegistryPath);
    DbgPrint("kmtest_thread: start\n");
    /* DriverEntry itself runs in a system thread of the System process. */
    CHECK(PsIsSystemThread(PsGetCurrentThread()));
    CHECK(PsGetCurrentProcess() == PsInitialSystemProcess);
    KMT_RUN("kmtest_thread", TestLifecycle());
    KMT_RUN("kmtest_thread", TestReturnFromStartRoutine());
    KMT_RUN("kmtest_thread", TestWaitAll());
    return KmtFinish("kmtest_thread");
}
