/* The interface of the named-objects test driver (named.c), shared with user_named.c. */
#ifndef NTK_TESTS_SYNC_NAMED_IOCTL_H
#define NTK_TESTS_SYNC_NAMED_IOCTL_H

#define NAMED_DEVICE_NAME L"\\Device\\NtkNamed"
#define NAMED_LINK_NAME L"\\??\\NtkNamed"
#define NAMED_WIN32_NAME L"\\\\.\\NtkNamed"

/* Created by the driver in DriverEntry (IoCreate*Event, ZwCreateSemaphore, ZwCreateMutant);
 * user mode opens them by the part after \BaseNamedObjects\ (or with a Global\ prefix). */
#define NAMED_K2U L"NtkNamedK2U"        /* notification: the driver sets, user mode resets */
#define NAMED_U2K L"NtkNamedU2K"        /* synchronization: user mode sets, the driver waits */
#define NAMED_SEM L"NtkNamedSem"        /* semaphore, 0 of NAMED_SEM_MAX */
#define NAMED_MUTEX L"NtkNamedMutex"    /* mutant, created unowned */
#define NAMED_SEM_MAX 0x40000000

/* Created by user mode; the driver opens them by name (ZwOpenEvent, ZwOpenSemaphore). */
#define NAMED_USER_GO L"NtkUserGo"      /* synchronization event */
#define NAMED_USER_SEM L"NtkUserSem"    /* semaphore */
#define NAMED_USER_ACK L"NtkUserAck"    /* synchronization event */

#define NAMED_KERNEL_PREFIX L"\\BaseNamedObjects\\"

/* Every request but RESULT starts one system thread and returns; RESULT waits for them all. */
typedef struct {
    ULONG Iterations;
} NAMED_START;

typedef struct {
    ULONG PingPongCount;      /* rounds done by the Ke ping-pong thread */
    LONG PingPongStatus;      /* its last wait's status */
    ULONG ZwPingPongCount;    /* rounds done by the Zw ping-pong thread */
    LONG ZwPingPongStatus;    /* ZwOpen* or its last wait's status */
    ULONG Consumed;           /* semaphore units taken by the consumer thread */
    LONG ConsumeStatus;       /* its last wait's status */
    LONG AbandonWaitStatus;   /* the abandoning thread's wait for NAMED_MUTEX */
    LONG MutexWaitStatus;     /* WAIT_MUTEX: its wait for NAMED_MUTEX */
    LONG MutexReleaseStatus;  /* WAIT_MUTEX: its ZwReleaseMutant afterwards */
    LONG JoinStatus;          /* STATUS_SUCCESS if every thread ended in time */
} NAMED_RESULT;

#define IOCTL_NAMED_PINGPONG CTL_CODE(FILE_DEVICE_UNKNOWN, 0x820, METHOD_BUFFERED, FILE_ANY_ACCESS)
#define IOCTL_NAMED_ZW_PINGPONG CTL_CODE(FILE_DEVICE_UNKNOWN, 0x821, METHOD_BUFFERED, FILE_ANY_ACCESS)
#define IOCTL_NAMED_CONSUME CTL_CODE(FILE_DEVICE_UNKNOWN, 0x822, METHOD_BUFFERED, FILE_ANY_ACCESS)
#define IOCTL_NAMED_ABANDON CTL_CODE(FILE_DEVICE_UNKNOWN, 0x823, METHOD_BUFFERED, FILE_ANY_ACCESS)
#define IOCTL_NAMED_RESULT CTL_CODE(FILE_DEVICE_UNKNOWN, 0x824, METHOD_BUFFERED, FILE_ANY_ACCESS)
#define IOCTL_NAMED_WAIT_MUTEX CTL_CODE(FILE_DEVICE_UNKNOWN, 0x825, METHOD_BUFFERED, FILE_ANY_ACCESS)

/* A wait in the driver gives up after this long: only so that a lost wake-up ends the test. */
#define NAMED_WAIT_SECONDS 60

#endif
