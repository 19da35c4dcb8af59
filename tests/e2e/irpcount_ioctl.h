/* The interface of the irpcount test driver, shared with irpcount_test.c. */
#ifndef NTK_E2E_IRPCOUNT_IOCTL_H
#define NTK_E2E_IRPCOUNT_IOCTL_H

#define IRPCOUNT_DEVICE_NAME L"\\Device\\NtkIrpCount"
#define IRPCOUNT_LINK_NAME L"\\??\\NtkIrpCount"
#define IRPCOUNT_WIN32_NAME L"\\\\.\\NtkIrpCount"

typedef struct {
    LONG Create;           /* IRP_MJ_CREATE requests so far */
    LONG Cleanup;          /* IRP_MJ_CLEANUP */
    LONG Close;            /* IRP_MJ_CLOSE */
    LONG CloseBeforeCleanup; /* CLOSEs of a file object that had no CLEANUP first */
    ULONG64 FileObject;    /* the FILE_OBJECT this IOCTL came on */
} IRPCOUNT_COUNTERS;

#define IOCTL_IRPCOUNT_GET CTL_CODE(FILE_DEVICE_UNKNOWN, 0x820, METHOD_BUFFERED, FILE_ANY_ACCESS)

#endif
