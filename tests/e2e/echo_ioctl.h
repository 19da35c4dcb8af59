/* The interface of the echo test driver (echo.c), shared with badinput.c. Include after
 * <ntddk.h> or <windows.h>+<winioctl.h>. */
#ifndef NTK_E2E_ECHO_IOCTL_H
#define NTK_E2E_ECHO_IOCTL_H

#define ECHO_DEVICE_NAME L"\\Device\\NtkEcho"
#define ECHO_LINK_NAME L"\\??\\NtkEcho"
#define ECHO_WIN32_NAME L"\\\\.\\NtkEcho"
#define ECHO_CAPACITY 256 /* bytes the device remembers from the last write */

/* METHOD_BUFFERED: output = input; Information = min(input length, output length). */
#define IOCTL_ECHO_COPY CTL_CODE(FILE_DEVICE_UNKNOWN, 0x800, METHOD_BUFFERED, FILE_ANY_ACCESS)
/* METHOD_BUFFERED: input is a ULONG N; the driver fills its whole output buffer with 0xAB
 * and sets Information = N (N > output length → STATUS_INVALID_PARAMETER). */
#define IOCTL_ECHO_PARTIAL CTL_CODE(FILE_DEVICE_UNKNOWN, 0x801, METHOD_BUFFERED, FILE_ANY_ACCESS)
/* METHOD_BUFFERED: fills the output with 0xAB, Information = output length, and fails with
 * STATUS_INVALID_PARAMETER: nothing may reach the caller. */
#define IOCTL_ECHO_FAIL CTL_CODE(FILE_DEVICE_UNKNOWN, 0x802, METHOD_BUFFERED, FILE_ANY_ACCESS)
/* METHOD_BUFFERED: fills the output with 0xAB, Information = output length / 2, and returns
 * the warning STATUS_BUFFER_OVERFLOW: Information bytes are copied, ERROR_MORE_DATA. */
#define IOCTL_ECHO_OVERFLOW CTL_CODE(FILE_DEVICE_UNKNOWN, 0x803, METHOD_BUFFERED, FILE_ANY_ACCESS)
/* METHOD_BUFFERED, needs a handle with write access; succeeds with Information 0. */
#define IOCTL_ECHO_NEEDS_WRITE                                                                    \
    CTL_CODE(FILE_DEVICE_UNKNOWN, 0x804, METHOD_BUFFERED, FILE_WRITE_ACCESS)
/* METHOD_NEITHER: copies min(in, out) bytes from Type3InputBuffer to Irp->UserBuffer without
 * probing (there is no SEH to catch a fault yet): only ever called with valid pointers. */
#define IOCTL_ECHO_NEITHER CTL_CODE(FILE_DEVICE_UNKNOWN, 0x805, METHOD_NEITHER, FILE_ANY_ACCESS)
/* METHOD_BUFFERED: output is the ULONG64 address of a pool block of ECHO_POOL_SIZE bytes
 * the driver owns, filled with ECHO_POOL_FILL. */
#define IOCTL_ECHO_POOL_ADDRESS                                                                   \
    CTL_CODE(FILE_DEVICE_UNKNOWN, 0x806, METHOD_BUFFERED, FILE_ANY_ACCESS)
/* METHOD_BUFFERED: output is a ULONG, 1 if that pool block still holds only ECHO_POOL_FILL. */
#define IOCTL_ECHO_POOL_INTACT CTL_CODE(FILE_DEVICE_UNKNOWN, 0x807, METHOD_BUFFERED, FILE_ANY_ACCESS)
/* METHOD_BUFFERED: output is the ULONG64 value of MmUserProbeAddress. */
#define IOCTL_ECHO_USER_LIMIT CTL_CODE(FILE_DEVICE_UNKNOWN, 0x808, METHOD_BUFFERED, FILE_ANY_ACCESS)
/* A code the driver does not know: STATUS_INVALID_DEVICE_REQUEST. */
#define IOCTL_ECHO_UNKNOWN CTL_CODE(FILE_DEVICE_UNKNOWN, 0x8FF, METHOD_BUFFERED, FILE_ANY_ACCESS)

#define ECHO_POOL_SIZE 4096
#define ECHO_POOL_FILL 0x5E

#endif
