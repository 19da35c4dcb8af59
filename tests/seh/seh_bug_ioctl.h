/* The device of seh_bugcheck (mode 3) and its one IOCTL. */
#ifndef SEH_BUG_IOCTL_H
#define SEH_BUG_IOCTL_H

#define SEH_BUG_DEVICE_NAME L"\\Device\\SehBug"
#define SEH_BUG_LINK_NAME L"\\??\\SehBug"
#define SEH_BUG_WIN32_NAME L"\\\\.\\SehBug"
#define IOCTL_SEH_BUG_RAISE CTL_CODE(FILE_DEVICE_UNKNOWN, 0x801, METHOD_BUFFERED, FILE_ANY_ACCESS)

#endif
