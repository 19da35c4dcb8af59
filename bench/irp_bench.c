/* IRP allocation benchmark, run in DriverEntry: IoAllocateIrp + IoFreeIrp for 1 and 4 stack
 * locations, against the pool's ExAllocatePool2 + ExFreePool of the same size (the baseline),
 * and, for scale, IoAllocateIrp + IoCallDriver + IoCompleteRequest + IoFreeIrp of an IRP sent
 * to a device of this driver that completes it at once. Best of 5 rounds of 1,000,000 pairs. */
#include <ntddk.h>
#include <stdio.h>
#include <time.h>

#define PAIRS 1000000
#define ROUNDS 5
#define TAG 'hcBI'

static volatile PVOID Sink;
static PDEVICE_OBJECT BenchDevice;

static ULONGLONG NowNs(VOID)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (ULONGLONG)t.tv_sec * 1000000000ULL + (ULONGLONG)t.tv_nsec;
}

static double RunIrp(CCHAR Stacks)
{
    ULONGLONG t0 = NowNs();
    for (ULONG i = 0; i < PAIRS; i++) {
        PIRP Irp = IoAllocateIrp(Stacks, FALSE);
        Sink = Irp;
        IoFreeIrp(Irp);
    }
    return (double)(NowNs() - t0) / PAIRS;
}

static double RunPool(CCHAR Stacks)
{
    SIZE_T Size = IoSizeOfIrp(Stacks);
    ULONGLONG t0 = NowNs();
    for (ULONG i = 0; i < PAIRS; i++) {
        PVOID p = ExAllocatePool2(POOL_FLAG_NON_PAGED, Size, TAG);
        Sink = p;
        ExFreePool(p);
    }
    return (double)(NowNs() - t0) / PAIRS;
}

static NTSTATUS CompleteAtOnce(PDEVICE_OBJECT DeviceObject, PIRP Irp)
{
    UNREFERENCED_PARAMETER(DeviceObject);
    Irp->IoStatus.Status = STATUS_SUCCESS;
    Irp->IoStatus.Information = 0;
    IoCompleteRequest(Irp, IO_NO_INCREMENT);
    return STATUS_SUCCESS;
}

static NTSTATUS FreeOnCompletion(PDEVICE_OBJECT DeviceObject, PIRP Irp, PVOID Context)
{
    UNREFERENCED_PARAMETER(DeviceObject);
    UNREFERENCED_PARAMETER(Context);
    IoFreeIrp(Irp);
    return STATUS_MORE_PROCESSING_REQUIRED;
}

static double RunSend(VOID)
{
    ULONGLONG t0 = NowNs();
    for (ULONG i = 0; i < PAIRS; i++) {
        PIRP Irp = IoAllocateIrp(BenchDevice->StackSize, FALSE);
        PIO_STACK_LOCATION Stack = IoGetNextIrpStackLocation(Irp);
        Stack->MajorFunction = IRP_MJ_INTERNAL_DEVICE_CONTROL;
        IoSetCompletionRoutine(Irp, FreeOnCompletion, NULL, TRUE, TRUE, TRUE);
        IoCallDriver(BenchDevice, Irp);
    }
    return (double)(NowNs() - t0) / PAIRS;
}

static VOID BenchUnload(PDRIVER_OBJECT DriverObject)
{
    UNREFERENCED_PARAMETER(DriverObject);
}

static VOID Report(const char *What, double Ns, double Pool)
{
    char line[256];
    snprintf(line, sizeof(line), "%-52s %6.1f ns   /pool %.2fx\n", What, Ns, Ns / Pool);
    DbgPrint("%s", line);
}

NTSTATUS DriverEntry(PDRIVER_OBJECT DriverObject, PUNICODE_STRING RegistryPath)
{
    double irp1 = 1e300, irp4 = 1e300, pool1 = 1e300, pool4 = 1e300, send = 1e300, t;
    NTSTATUS status;
    UNREFERENCED_PARAMETER(RegistryPath);

    DriverObject->DriverUnload = BenchUnload;
    DriverObject->MajorFunction[IRP_MJ_INTERNAL_DEVICE_CONTROL] = CompleteAtOnce;
    status = IoCreateDevice(DriverObject, 0, NULL, FILE_DEVICE_UNKNOWN, 0, FALSE, &BenchDevice);
    if (!NT_SUCCESS(status))
        return status;
    for (int round = 0; round < ROUNDS; round++) {
        if ((t = RunIrp(1)) < irp1)
            irp1 = t;
        if ((t = RunPool(1)) < pool1)
            pool1 = t;
        if ((t = RunIrp(4)) < irp4)
            irp4 = t;
        if ((t = RunPool(4)) < pool4)
            pool4 = t;
        if ((t = RunSend()) < send)
            send = t;
    }
    DbgPrint("best of %d rounds of %d pairs:\n", ROUNDS, PAIRS);
    Report("IoAllocateIrp(1) + IoFreeIrp", irp1, pool1);
    Report("ExAllocatePool2 + ExFreePool, IoSizeOfIrp(1) bytes", pool1, pool1);
    Report("IoAllocateIrp(4) + IoFreeIrp", irp4, pool4);
    Report("ExAllocatePool2 + ExFreePool, IoSizeOfIrp(4) bytes", pool4, pool4);
    Report("IoAllocateIrp(1) + IoCallDriver + complete + free", send, pool1);
    IoDeleteDevice(BenchDevice);
    return STATUS_SUCCESS;
}
