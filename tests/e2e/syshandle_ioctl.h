/* The interface of the syshandle test driver, shared with syshandle_test.c. */
#ifndef NTK_E2E_SYSHANDLE_IOCTL_H
#define NTK_E2E_SYSHANDLE_IOCTL_H

#define SYSHANDLE_DEVICE_NAME L"\\Device\\NtkSysHandle"
#define SYSHANDLE_LINK_NAME L"\\??\\NtkSysHandle"
#define SYSHANDLE_WIN32_NAME L"\\\\.\\NtkSysHandle"

/* The driver creates this many events in the System process's handle table in DriverEntry,
 * so that the value it hands out is well above the few handles a test process holds. */
#define SYSHANDLE_COUNT 256

typedef struct {
    ULONG64 SystemHandle;       /* an event handle in the System process's table */
    ULONG64 KernelHandle;       /* an OBJ_KERNEL_HANDLE to an event */
    LONG SystemHandleStatus;    /* ObReferenceObjectByHandle(SystemHandle, KernelMode) in the caller's process */
    LONG KernelHandleStatus;    /* the same for KernelHandle */
    LONG PreviousMode;          /* ExGetPreviousMode() in the dispatch routine */
    ULONG Reserved;
    ULONG64 ProcessId;          /* PsGetCurrentProcessId() in the dispatch routine */
} SYSHANDLE_INFO;

#define IOCTL_SYSHANDLE_GET CTL_CODE(FILE_DEVICE_UNKNOWN, 0x810, METHOD_BUFFERED, FILE_ANY_ACCESS)

#endif
