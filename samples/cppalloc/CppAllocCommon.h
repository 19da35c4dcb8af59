// The CppAlloc driver's interface, shared by the driver (C++) and its client (C).
#pragma once

#define CPPALLOC_DEVICE 0x8125

// Input: the item's text (1..CPPALLOC_MAX_TEXT bytes). Output: its ULONG id.
#define IOCTL_CPPALLOC_ADD CTL_CODE(CPPALLOC_DEVICE, 0x800, METHOD_BUFFERED, FILE_WRITE_ACCESS)
// Input: a ULONG id. Output: the item's text.
#define IOCTL_CPPALLOC_GET CTL_CODE(CPPALLOC_DEVICE, 0x801, METHOD_BUFFERED, FILE_READ_ACCESS)
// Input: a ULONG id.
#define IOCTL_CPPALLOC_REMOVE CTL_CODE(CPPALLOC_DEVICE, 0x802, METHOD_BUFFERED, FILE_WRITE_ACCESS)
// Output: a CppAllocStats.
#define IOCTL_CPPALLOC_STATS CTL_CODE(CPPALLOC_DEVICE, 0x803, METHOD_BUFFERED, FILE_READ_ACCESS)

#define CPPALLOC_MAX_TEXT 256

typedef struct CppAllocStats {
    unsigned int Items;           // in the list
    int LiveAllocations;          // operator new calls not yet matched by a delete
    unsigned int TotalAllocations;
} CppAllocStats;
