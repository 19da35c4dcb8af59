/* The virtual-memory test driver's interface (tests/mem/kmtest_vm.c), shared with its user
 * programs. Included after ntddk.h or windows.h + winioctl.h. */
#ifndef NTK_TESTS_MEM_VM_IOCTL_H
#define NTK_TESTS_MEM_VM_IOCTL_H

#define VMTEST_DEVICE 0x8124

/* The driver allocates VMTEST_SHARED_SIZE bytes in the caller's process with
 * ZwAllocateVirtualMemory(NtCurrentProcess()), fills them with VMTEST_PATTERN(i) and returns
 * a VMTEST_SHARED. */
#define IOCTL_VMTEST_SHARE CTL_CODE(VMTEST_DEVICE, 0x800, METHOD_BUFFERED, FILE_ANY_ACCESS)
/* Input a VMTEST_QUERY.Address; the driver queries it in the caller's process and probes it. */
#define IOCTL_VMTEST_QUERY CTL_CODE(VMTEST_DEVICE, 0x801, METHOD_BUFFERED, FILE_ANY_ACCESS)
/* Input an address the caller leaves allocated when it exits: at unload the driver checks the
 * exit released it. */
#define IOCTL_VMTEST_REMEMBER CTL_CODE(VMTEST_DEVICE, 0x802, METHOD_BUFFERED, FILE_ANY_ACCESS)

#define VMTEST_SHARED_SIZE 20000
#define VMTEST_PATTERN(i) ((unsigned char)((i) * 7 + 3))
/* Where the exit test leaves its region: far from anything the host maps by itself. */
#define VMTEST_EXIT_ADDRESS 0x5B0000000000ULL

typedef struct _VMTEST_SHARED {
    unsigned long long Address;       /* the region in the caller's process */
    unsigned long long Size;
    unsigned long long SystemAddress; /* a region the System process holds */
    unsigned int CallerIsSystem;      /* the IOCTL ran in the System process (it must not) */
    unsigned int ForeignFailures;     /* failed checks on the System process through a handle */
} VMTEST_SHARED;

typedef struct _VMTEST_QUERY {
    unsigned long long Address;
    int Status;                       /* of ZwQueryVirtualMemory */
    int ProbeStatus;                  /* of ProbeForWrite(Address, 1) under __try */
    unsigned int State, Protect, Type;
    unsigned long long RegionSize;
} VMTEST_QUERY;

#endif
