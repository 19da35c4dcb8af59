/* The I/O benchmark driver's interface (io_benchdrv.c, io_bench.c): the same four control codes
 * on two devices, \\.\NtkIoBenchBuffered (DO_BUFFERED_IO) and \\.\NtkIoBenchDirect
 * (DO_DIRECT_IO). Reads zero-fill the caller's buffer; writes are discarded. */
#ifndef NTK_IO_BENCH_H
#define NTK_IO_BENCH_H

#define IO_BENCH_DEVICE 0x8001
/* Input 64 bytes, output 64 bytes: the driver copies the input to the output. */
#define IOCTL_IO_BENCH_BUFFERED CTL_CODE(IO_BENCH_DEVICE, 0x800, METHOD_BUFFERED, FILE_ANY_ACCESS)
#define IOCTL_IO_BENCH_OUT_DIRECT                                                                 \
    CTL_CODE(IO_BENCH_DEVICE, 0x801, METHOD_OUT_DIRECT, FILE_ANY_ACCESS)
#define IOCTL_IO_BENCH_NEITHER CTL_CODE(IO_BENCH_DEVICE, 0x802, METHOD_NEITHER, FILE_ANY_ACCESS)
/* Input 64 bytes, second buffer 64 bytes the driver reads: it compares the two. */
#define IOCTL_IO_BENCH_IN_DIRECT CTL_CODE(IO_BENCH_DEVICE, 0x803, METHOD_IN_DIRECT, FILE_ANY_ACCESS)

#define IO_BENCH_PAYLOAD 64

#endif
