/* Four threads taking packets from one port while two others post packets and issue
 * overlapped requests on three files associated with it: every packet received exactly once,
 * with its key, its OVERLAPPED and its byte count.
 *     ntk run --driver statdrv.so -- user_portmany.so */
#include <ntk/ntapi.h>
#include <windows.h>
#include <winioctl.h>
#include "../e2e/e2e_user.h"
#include "statdrv_ioctl.h"

#define WAIT_BOUND_MS 30000 /* bounds waits that only a bug would make endless */
#define Increment(p) __atomic_add_fetch((p), 1, __ATOMIC_SEQ_CST)

static HANDLE OpenStat(VOID)
{
    return CreateFileW(L"\\\\.\\NtkStatBuf", GENERIC_READ | GENERIC_WRITE,
                       FILE_SHARE_READ | FILE_SHARE_WRITE, NULL, OPEN_EXISTING,
                       FILE_FLAG_OVERLAPPED, NULL);
}

/* Every request pends and completes from a work item with 4 bytes. */
static BOOL Configure(VOID)
{
    STAT_BEHAVIOUR Behaviour = { STAT_PEND_WORKITEM, 0, STATUS_SUCCESS, 4, 4 };
    HANDLE File = OpenStat();
    OVERLAPPED Ov;
    DWORD Bytes;
    BOOL Ok;
    memset(&Ov, 0, sizeof(Ov));
    Ov.hEvent = CreateEventW(NULL, TRUE, FALSE, NULL);
    Ok = DeviceIoControl(File, IOCTL_STAT_CONFIGURE, &Behaviour, sizeof(Behaviour), NULL, 0,
                         &Bytes, &Ov);
    CloseHandle(Ov.hEvent);
    CloseHandle(File);
    return Ok;
}

#define CONSUMERS 4
#define FILES 3
#define POSTS 2000
#define REQUESTS_PER_FILE 300
#define QUIT_KEY ((ULONG_PTR)0xDEAD)
#define POST_KEY ((ULONG_PTR)0x9000)
#define FILE_KEY(f) ((ULONG_PTR)0x7000 + (f))

static HANDLE StressPort, StressDone;
static HANDLE StressFiles[FILES];
static OVERLAPPED StressOv[FILES][REQUESTS_PER_FILE];
static OVERLAPPED PostTokens[POSTS];
static volatile LONG PostSeen[POSTS], IoSeen[FILES][REQUESTS_PER_FILE];
static volatile LONG Received, BadPackets, IssueFailures;
static volatile LONG PerConsumer[CONSUMERS];

static DWORD WINAPI Consumer(LPVOID Parameter)
{
    ULONG Index = (ULONG)(ULONG_PTR)Parameter;
    for (;;) {
        DWORD Bytes;
        ULONG_PTR Key;
        LPOVERLAPPED Ov;
        if (!GetQueuedCompletionStatus(StressPort, &Bytes, &Key, &Ov, WAIT_BOUND_MS)) {
            Increment(&BadPackets);
            return 1;
        }
        if (Key == QUIT_KEY)
            return 0;
        if (Key == POST_KEY && Ov >= &PostTokens[0] && Ov < &PostTokens[POSTS] &&
            Bytes == (DWORD)(Ov - PostTokens)) {
            Increment(&PostSeen[Ov - PostTokens]);
        } else if (Key >= FILE_KEY(0) && Key < FILE_KEY(FILES) &&
                   Ov >= &StressOv[Key - FILE_KEY(0)][0] &&
                   Ov < &StressOv[Key - FILE_KEY(0)][REQUESTS_PER_FILE] && Bytes == 4 &&
                   Ov->Internal == STATUS_SUCCESS && Ov->InternalHigh == 4) {
            Increment(&IoSeen[Key - FILE_KEY(0)][Ov - StressOv[Key - FILE_KEY(0)]]);
        } else {
            Increment(&BadPackets);
        }
        Increment(&PerConsumer[Index]);
        if (Increment(&Received) == POSTS + FILES * REQUESTS_PER_FILE)
            SetEvent(StressDone);
    }
}

static DWORD WINAPI Poster(LPVOID Parameter)
{
    ULONG i;
    UNREFERENCED_PARAMETER(Parameter);
    for (i = 0; i < POSTS; i++)
        if (!PostQueuedCompletionStatus(StressPort, i, POST_KEY, &PostTokens[i]))
            Increment(&IssueFailures);
    return 0;
}

static UCHAR IoBuffers[FILES][REQUESTS_PER_FILE][8];

static DWORD WINAPI Issuer(LPVOID Parameter)
{
    ULONG i, f;
    UNREFERENCED_PARAMETER(Parameter);
    for (i = 0; i < REQUESTS_PER_FILE; i++) {
        for (f = 0; f < FILES; f++) {
            DWORD Bytes;
            /* No event: the packet is the notification. */
            if (DeviceIoControl(StressFiles[f], IOCTL_STAT_BUFFERED, NULL, 0, IoBuffers[f][i],
                                sizeof(IoBuffers[f][i]), &Bytes, &StressOv[f][i]) ||
                GetLastError() != ERROR_IO_PENDING)
                Increment(&IssueFailures);
        }
    }
    return 0;
}

static VOID TestManyThreads(VOID)
{
    HANDLE Threads[CONSUMERS + 2];
    ULONG i, f, Missing = 0, Twice = 0, Busy = 0;

    StressPort = CreateIoCompletionPort(INVALID_HANDLE_VALUE, NULL, 0, CONSUMERS);
    StressDone = CreateEventW(NULL, TRUE, FALSE, NULL);
    for (f = 0; f < FILES; f++) {
        StressFiles[f] = OpenStat();
        CHECK(CreateIoCompletionPort(StressFiles[f], StressPort, FILE_KEY(f), 0) == StressPort);
    }
    /* Through a handle of its own: the port's files would queue the request's packet. */
    CHECK(Configure());
    for (i = 0; i < CONSUMERS; i++)
        Threads[i] = CreateThread(NULL, 0, Consumer, (LPVOID)(ULONG_PTR)i, 0, NULL);
    Threads[CONSUMERS] = CreateThread(NULL, 0, Poster, NULL, 0, NULL);
    Threads[CONSUMERS + 1] = CreateThread(NULL, 0, Issuer, NULL, 0, NULL);
    CHECK_EQ(WaitForMultipleObjects(2, &Threads[CONSUMERS], TRUE, WAIT_BOUND_MS), WAIT_OBJECT_0);
    CHECK_EQ(WaitForSingleObject(StressDone, WAIT_BOUND_MS), WAIT_OBJECT_0);
    /* Everything expected has arrived: one quit packet per consumer. */
    for (i = 0; i < CONSUMERS; i++)
        CHECK(PostQueuedCompletionStatus(StressPort, 0, QUIT_KEY, NULL));
    CHECK_EQ(WaitForMultipleObjects(CONSUMERS, Threads, TRUE, WAIT_BOUND_MS), WAIT_OBJECT_0);
    for (i = 0; i < CONSUMERS; i++) {
        DWORD Code = 99;
        CHECK(GetExitCodeThread(Threads[i], &Code));
        CHECK_EQ(Code, 0);
        Busy += PerConsumer[i] != 0;
    }
    for (i = 0; i < CONSUMERS + 2; i++)
        CloseHandle(Threads[i]);
    for (i = 0; i < POSTS; i++) {
        Missing += PostSeen[i] == 0;
        Twice += PostSeen[i] > 1;
    }
    for (f = 0; f < FILES; f++) {
        for (i = 0; i < REQUESTS_PER_FILE; i++) {
            Missing += IoSeen[f][i] == 0;
            Twice += IoSeen[f][i] > 1;
            CHECK_EQ(IoBuffers[f][i][0], STAT_PATTERN(0));
            CHECK_EQ(IoBuffers[f][i][3], STAT_PATTERN(3));
        }
        CloseHandle(StressFiles[f]);
    }
    CHECK_EQ(Received, POSTS + FILES * REQUESTS_PER_FILE);
    CHECK_EQ(Missing, 0);
    CHECK_EQ(Twice, 0);
    CHECK_EQ(BadPackets, 0);
    CHECK_EQ(IssueFailures, 0);
    /* Nothing left behind. */
    {
        DWORD Bytes;
        ULONG_PTR Key;
        LPOVERLAPPED Ov = (LPOVERLAPPED)&Key;
        CHECK(!GetQueuedCompletionStatus(StressPort, &Bytes, &Key, &Ov, 0));
        CHECK(Ov == NULL);
        CHECK_EQ(GetLastError(), WAIT_TIMEOUT);
    }
    printf("port: %d threads received %ld packets (%lu posted, %lu requests), %lu took some\n",
           CONSUMERS, (long)Received, (unsigned long)POSTS,
           (unsigned long)(FILES * REQUESTS_PER_FILE), (unsigned long)Busy);
    CloseHandle(StressDone);
    CloseHandle(StressPort);
}

int main(void)
{
    TestManyThreads();
    return NTK_TEST_SUMMARY();
}
