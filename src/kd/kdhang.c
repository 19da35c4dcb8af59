/* Kd: hang detection and crash dumps on demand. A watcher thread (a host thread, not an NT
 * thread) looks at the progress flag every 100 ms: when no NT thread has made progress (see
 * KdpNoteProgress) for --hang-timeout seconds, it raises bug check 0xE2 MANUALLY_INITIATED_CRASH
 * so the dump shows who waits on what. SIGQUIT (Ctrl-\) asks for the same at any time. */
#include "ntkp.h"
#include "kdp.h"
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

volatile LONG KdpProgress;
static ULONG KdpHangSeconds;
static int KdpWakePipe[2] = { -1, -1 };
static BOOLEAN KdpWatching;

static void KdpQuitHandler(int Signal)
{
    int Saved = errno;
    (void)Signal;
    if (write(KdpWakePipe[1], "q", 1) < 0) {
        /* nothing else is safe to do here */
    }
    errno = Saved;
}

static ULONGLONG KdpSeconds(VOID)
{
    struct timespec Now;
    clock_gettime(CLOCK_MONOTONIC, &Now);
    return (ULONGLONG)Now.tv_sec * 1000ULL + (ULONGLONG)Now.tv_nsec / 1000000ULL;
}

static void *KdpWatch(void *Context)
{
    ULONGLONG Last = KdpSeconds();
    (void)Context;
    for (;;) {
        struct pollfd Wake = { KdpWakePipe[0], POLLIN, 0 };
        if (poll(&Wake, 1, 100) > 0) {
            CHAR Byte;
            if (read(KdpWakePipe[0], &Byte, 1) == 1) {
                KdpLog("ntk: SIGQUIT: stopping the kernel for a crash dump on request\n");
                KeBugCheckEx(MANUALLY_INITIATED_CRASH, 0, 0, 0, 0);
            }
        }
        if (KdpHangSeconds == 0)
            continue;
        if (__atomic_load_n(&KdpProgress, __ATOMIC_RELAXED)) {
            __atomic_store_n(&KdpProgress, 0, __ATOMIC_RELAXED);
            Last = KdpSeconds();
        } else if (KdpSeconds() - Last >= (ULONGLONG)KdpHangSeconds * 1000ULL) {
            KdpLog("ntk: no NT thread made progress for %u s (--hang-timeout): stopping the "
                   "kernel to show who waits on what\n",
                   KdpHangSeconds);
            KeBugCheckEx(MANUALLY_INITIATED_CRASH, 1, KdpHangSeconds, 0, 0);
        }
    }
    return NULL;
}

NTSTATUS KdpStartHangDetection(ULONG Seconds)
{
    struct sigaction Action;
    pthread_t Watcher;
    pthread_attr_t Attributes;
    int Rc;
    if (KdpWatching)
        return STATUS_SUCCESS;
    if (pipe2(KdpWakePipe, O_CLOEXEC | O_NONBLOCK) != 0)
        return STATUS_INSUFFICIENT_RESOURCES;
    KdpHangSeconds = Seconds;
    KdpProgress = 1;
    pthread_attr_init(&Attributes);
    pthread_attr_setdetachstate(&Attributes, PTHREAD_CREATE_DETACHED);
    Rc = pthread_create(&Watcher, &Attributes, KdpWatch, NULL);
    pthread_attr_destroy(&Attributes);
    if (Rc != 0)
        return STATUS_INSUFFICIENT_RESOURCES;
    pthread_setname_np(Watcher, "ntk-watchdog");
    memset(&Action, 0, sizeof(Action));
    Action.sa_handler = KdpQuitHandler;
    Action.sa_flags = SA_RESTART;
    sigemptyset(&Action.sa_mask);
    sigaction(SIGQUIT, &Action, NULL);
    KdpWatching = TRUE;
    return STATUS_SUCCESS;
}
