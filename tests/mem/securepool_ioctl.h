/* The interface of the securepool_dev test driver, shared with securepool_user.c. */
#ifndef NTK_MEM_SECUREPOOL_IOCTL_H
#define NTK_MEM_SECUREPOOL_IOCTL_H

#define SECPOOL_DEVICE_NAME L"\\Device\\NtkSecurePool"
#define SECPOOL_LINK_NAME L"\\??\\NtkSecurePool"
#define SECPOOL_WIN32_NAME L"\\\\.\\NtkSecurePool"
#define SECPOOL_SIZE 64

typedef struct {
    ULONG64 Address;         /* the secure allocation, in system space */
    ULONG Valid;             /* ExSecurePoolValidate's answer */
    ULONG Reserved;
    UCHAR Contents[SECPOOL_SIZE]; /* what the driver reads there */
} SECPOOL_STATE;

/* Out: SECPOOL_STATE. */
#define IOCTL_SECPOOL_STATE CTL_CODE(FILE_DEVICE_UNKNOWN, 0x830, METHOD_BUFFERED, FILE_ANY_ACCESS)
/* In: 8 bytes, written at offset 8 by ExSecurePoolUpdate; the status is the request's. */
#define IOCTL_SECPOOL_UPDATE CTL_CODE(FILE_DEVICE_UNKNOWN, 0x831, METHOD_BUFFERED, FILE_ANY_ACCESS)

#endif
