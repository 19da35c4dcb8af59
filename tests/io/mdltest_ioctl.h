/* The MDL test driver's interface (tests/io/mdltest.c), shared with its user programs. Included
 * after ntddk.h or windows.h + winioctl.h. */
#ifndef NTK_TESTS_IO_MDLTEST_IOCTL_H
#define NTK_TESTS_IO_MDLTEST_IOCTL_H

#define MDLTEST_DEVICE 0x8123

/* What the driver saw of the last request's MDL (or of the partial MDL it built). */
#define IOCTL_MDLTEST_QUERY CTL_CODE(MDLTEST_DEVICE, 0x800, METHOD_BUFFERED, FILE_ANY_ACCESS)
/* Input MDLTEST_CONFIG: how the next reads fill their buffer. */
#define IOCTL_MDLTEST_CONFIG CTL_CODE(MDLTEST_DEVICE, 0x801, METHOD_BUFFERED, FILE_ANY_ACCESS)
/* Input MDLTEST_FILL (system buffer); the output buffer (MDL) gets Count bytes of Fill. */
#define IOCTL_MDLTEST_OUT_DIRECT CTL_CODE(MDLTEST_DEVICE, 0x802, METHOD_OUT_DIRECT, FILE_ANY_ACCESS)
/* The second buffer (MDL) is read: its byte sum is recorded; Information = its length. */
#define IOCTL_MDLTEST_IN_DIRECT CTL_CODE(MDLTEST_DEVICE, 0x803, METHOD_IN_DIRECT, FILE_ANY_ACCESS)
/* The output buffer's request pends until IOCTL_MDLTEST_FINISH. */
#define IOCTL_MDLTEST_PEND CTL_CODE(MDLTEST_DEVICE, 0x804, METHOD_OUT_DIRECT, FILE_ANY_ACCESS)
/* Input MDLTEST_FILL (Offset, Count): returns Count bytes read at Offset through the pended
 * request's system address. */
#define IOCTL_MDLTEST_PEEK CTL_CODE(MDLTEST_DEVICE, 0x805, METHOD_BUFFERED, FILE_ANY_ACCESS)
/* Input MDLTEST_FILL: a timer DPC (another thread, DISPATCH_LEVEL) writes Count bytes of Fill
 * through the pended request's system address and completes it with Information = Count. */
#define IOCTL_MDLTEST_FINISH CTL_CODE(MDLTEST_DEVICE, 0x806, METHOD_BUFFERED, FILE_ANY_ACCESS)

typedef struct _MDLTEST_CONFIG {
    unsigned char Fill;           /* reads write this byte ... */
    unsigned int PartialOffset;   /* ... through a partial MDL of [Offset, Offset + Length) */
    unsigned int PartialLength;   /* if PartialUse; Length 0 = the rest of the buffer */
    unsigned int PartialUse;
} MDLTEST_CONFIG;

typedef struct _MDLTEST_FILL {
    unsigned char Fill;
    unsigned int Offset;
    unsigned int Count;
} MDLTEST_FILL;

typedef struct _MDLTEST_INFO {
    unsigned int Major;            /* IRP_MJ_* of the request (14 = device control) */
    unsigned int HadMdl;           /* Irp->MdlAddress != NULL */
    unsigned int ByteCount;        /* MmGetMdlByteCount */
    unsigned int ByteOffset;       /* MmGetMdlByteOffset */
    unsigned long long VirtualAddress; /* MmGetMdlVirtualAddress */
    unsigned long long StartVa;
    unsigned long long SystemAddress;  /* MmGetSystemAddressForMdlSafe */
    unsigned long long Pfn0;           /* MmGetMdlPfnArray(Mdl)[0] */
    unsigned int PageCount;            /* ADDRESS_AND_SIZE_TO_SPAN_PAGES */
    unsigned int PfnsConsecutive;      /* every PFN = StartVa >> PAGE_SHIFT + index */
    unsigned int FlagsBefore;          /* MdlFlags before mapping */
    unsigned int FlagsAfter;           /* MdlFlags after mapping */
    unsigned int HadProcess;           /* Mdl->Process != NULL */
    unsigned int HadSystemBuffer;      /* Irp->AssociatedIrp.SystemBuffer != NULL */
    unsigned int InputLength;          /* Parameters.DeviceIoControl.InputBufferLength */
    unsigned int OutputLength;         /* ... OutputBufferLength, or Parameters.Read.Length */
    unsigned long long Sum;            /* byte sum of the MDL's buffer (writes, IN_DIRECT) */
    /* The partial MDL, when the read built one. */
    unsigned int PartialFlags;
    unsigned int PartialByteCount;
    unsigned int PartialByteOffset;
    unsigned long long PartialVirtualAddress;
    unsigned int PartialPfnsMatch;     /* its PFNs are the source's for the same pages */
    unsigned int PartialSharedMapping; /* its system address = the source's + offset */
    /* IOCTL_MDLTEST_FINISH's DPC. */
    unsigned int DpcRan;
    unsigned int DpcIrql;
    unsigned int DpcOtherThread;       /* not the thread that pended the request */
    long long RequestOffset;           /* a read's or write's Parameters.Read.ByteOffset */
} MDLTEST_INFO;

#endif
