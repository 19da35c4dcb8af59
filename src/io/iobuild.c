/* Io: IRPs that drivers build for requests to other drivers. They complete through the same
 * path as the I/O manager's own: status block, event, buffered copy-back, MDLs unlocked and
 * freed, then the IRP freed. For direct transfers the caller's (kernel) buffer is probed and
 * locked in KernelMode, as Windows does, so that a completion routine that frees the IRP itself
 * can MmUnlockPages and IoFreeMdl it as the WDK shows; a bad buffer makes the builder return
 * NULL. */
#include "ntklock.h"
#include "iop.h"
#include "iomdl.h"
#include "../vf/vfddi.h"

#define IOP_TAG_SYSTEM_BUFFER 0x42537249 /* 'IrSB' */

static PIRP IopBuildIrp(PDEVICE_OBJECT DeviceObject, UCHAR Major, PKEVENT Event,
                        PIO_STATUS_BLOCK IoStatusBlock, PIOP_IRP_CONTEXT *Context)
{
    PIRP Irp = IopAllocateIrpWithContext(DeviceObject->StackSize, Context);
    if (Irp == NULL)
        return NULL;
    Irp->RequestorMode = KernelMode;
    Irp->UserIosb = IoStatusBlock;
    Irp->UserEvent = Event;
    Irp->Tail.Overlay.Thread = PsGetCurrentThread();
    IoGetNextIrpStackLocation(Irp)->MajorFunction = Major;
    return Irp;
}

/* A threaded IRP (IoBuildSynchronousFsdRequest, IoBuildDeviceIoControlRequest) joins the
 * building thread's IRP list, so that the thread's exit cancels it and waits for it, as for
 * the I/O manager's own requests; the completion takes it off again. */
static PIRP IopThreadIrp(PIRP Irp)
{
    PETHREAD Thread = Irp ? Irp->Tail.Overlay.Thread : NULL;
    if (Thread) {
        NtkLock(&Thread->IrpListLock);
        InsertHeadList(&Thread->IrpList, &Irp->ThreadListEntry);
        NtkUnlock(&Thread->IrpListLock);
    }
    return Irp;
}

PIRP IoBuildDeviceIoControlRequest(ULONG IoControlCode, PDEVICE_OBJECT DeviceObject,
                                   PVOID InputBuffer, ULONG InputBufferLength, PVOID OutputBuffer,
                                   ULONG OutputBufferLength, BOOLEAN InternalDeviceIoControl,
                                   PKEVENT Event, PIO_STATUS_BLOCK IoStatusBlock)
{
    VF_CHECK_IRQL(IoBuildDeviceIoControlRequest);
    PIOP_IRP_CONTEXT Context;
    PIO_STACK_LOCATION Stack;
    PIRP Irp = IopBuildIrp(DeviceObject,
                           InternalDeviceIoControl ? IRP_MJ_INTERNAL_DEVICE_CONTROL
                                                   : IRP_MJ_DEVICE_CONTROL,
                           Event, IoStatusBlock, &Context);
    if (Irp == NULL)
        return NULL;
    Stack = IoGetNextIrpStackLocation(Irp);
    Stack->Parameters.DeviceIoControl.IoControlCode = IoControlCode;
    Stack->Parameters.DeviceIoControl.InputBufferLength = InputBufferLength;
    Stack->Parameters.DeviceIoControl.OutputBufferLength = OutputBufferLength;
    Context->UserBufferLength = OutputBufferLength;
    switch (METHOD_FROM_CTL_CODE(IoControlCode)) {
    case METHOD_BUFFERED: {
        ULONG Size = InputBufferLength > OutputBufferLength ? InputBufferLength : OutputBufferLength;
        if (Size) {
            Irp->AssociatedIrp.SystemBuffer =
                ExAllocatePool2(POOL_FLAG_NON_PAGED | POOL_FLAG_UNINITIALIZED, Size,
                                IOP_TAG_SYSTEM_BUFFER);
            if (Irp->AssociatedIrp.SystemBuffer == NULL) {
                IoFreeIrp(Irp);
                return NULL;
            }
            if (InputBuffer && InputBufferLength)
                RtlCopyMemory(Irp->AssociatedIrp.SystemBuffer, InputBuffer, InputBufferLength);
            Irp->Flags = IRP_BUFFERED_IO | IRP_DEALLOCATE_BUFFER;
            if (OutputBuffer && OutputBufferLength) {
                Irp->Flags |= IRP_INPUT_OPERATION;
                Irp->UserBuffer = OutputBuffer;
            }
        }
        break;
    }
    case METHOD_NEITHER:
        Stack->Parameters.DeviceIoControl.Type3InputBuffer = InputBuffer;
        Irp->UserBuffer = OutputBuffer;
        break;
    default: /* METHOD_IN_DIRECT, METHOD_OUT_DIRECT */
        if (InputBuffer && InputBufferLength) {
            Irp->AssociatedIrp.SystemBuffer =
                ExAllocatePool2(POOL_FLAG_NON_PAGED | POOL_FLAG_UNINITIALIZED, InputBufferLength,
                                IOP_TAG_SYSTEM_BUFFER);
            if (Irp->AssociatedIrp.SystemBuffer == NULL) {
                IoFreeIrp(Irp);
                return NULL;
            }
            RtlCopyMemory(Irp->AssociatedIrp.SystemBuffer, InputBuffer, InputBufferLength);
            Irp->Flags = IRP_BUFFERED_IO | IRP_DEALLOCATE_BUFFER;
        }
        if (OutputBuffer && OutputBufferLength &&
            !NT_SUCCESS(IopLockIrpBuffer(Irp, OutputBuffer, OutputBufferLength, KernelMode,
                                         METHOD_FROM_CTL_CODE(IoControlCode) == METHOD_IN_DIRECT
                                             ? IoReadAccess
                                             : IoWriteAccess))) {
            if (Irp->AssociatedIrp.SystemBuffer)
                ExFreePool(Irp->AssociatedIrp.SystemBuffer);
            IoFreeIrp(Irp);
            return NULL;
        }
        Irp->UserBuffer = OutputBuffer;
        break;
    }
    return IopThreadIrp(Irp);
}

static PIRP IopBuildFsdRequest(ULONG MajorFunction, PDEVICE_OBJECT DeviceObject, PVOID Buffer,
                               ULONG Length, PLARGE_INTEGER StartingOffset, PKEVENT Event,
                               PIO_STATUS_BLOCK IoStatusBlock)
{
    PIOP_IRP_CONTEXT Context;
    PIO_STACK_LOCATION Stack;
    PIRP Irp = IopBuildIrp(DeviceObject, (UCHAR)MajorFunction, Event, IoStatusBlock, &Context);
    if (Irp == NULL)
        return NULL;
    Stack = IoGetNextIrpStackLocation(Irp);
    if (MajorFunction == IRP_MJ_READ || MajorFunction == IRP_MJ_WRITE) {
        Stack->Parameters.Read.Length = Length;
        if (StartingOffset)
            Stack->Parameters.Read.ByteOffset = *StartingOffset;
        Irp->UserBuffer = Buffer;
        Context->UserBufferLength = Length;
        if (DeviceObject->Flags & DO_BUFFERED_IO) {
            Irp->AssociatedIrp.SystemBuffer =
                ExAllocatePool2(POOL_FLAG_NON_PAGED | POOL_FLAG_UNINITIALIZED,
                                Length ? Length : 1, IOP_TAG_SYSTEM_BUFFER);
            if (Irp->AssociatedIrp.SystemBuffer == NULL) {
                IoFreeIrp(Irp);
                return NULL;
            }
            Irp->Flags = IRP_BUFFERED_IO | IRP_DEALLOCATE_BUFFER;
            if (MajorFunction == IRP_MJ_WRITE)
                RtlCopyMemory(Irp->AssociatedIrp.SystemBuffer, Buffer, Length);
            else
                Irp->Flags |= IRP_INPUT_OPERATION;
        } else if ((DeviceObject->Flags & DO_DIRECT_IO) && Length != 0) {
            if (!NT_SUCCESS(IopLockIrpBuffer(Irp, Buffer, Length, KernelMode,
                                             MajorFunction == IRP_MJ_READ ? IoWriteAccess
                                                                          : IoReadAccess))) {
                IoFreeIrp(Irp);
                return NULL;
            }
        }
    }
    return Irp;
}

PIRP IoBuildSynchronousFsdRequest(ULONG MajorFunction, PDEVICE_OBJECT DeviceObject, PVOID Buffer,
                                  ULONG Length, PLARGE_INTEGER StartingOffset, PKEVENT Event,
                                  PIO_STATUS_BLOCK IoStatusBlock)
{
    VF_CHECK_IRQL(IoBuildSynchronousFsdRequest);
    return IopThreadIrp(IopBuildFsdRequest(MajorFunction, DeviceObject, Buffer, Length,
                                           StartingOffset, Event, IoStatusBlock));
}

PIRP IoBuildAsynchronousFsdRequest(ULONG MajorFunction, PDEVICE_OBJECT DeviceObject,
                                   PVOID Buffer, ULONG Length, PLARGE_INTEGER StartingOffset,
                                   PIO_STATUS_BLOCK IoStatusBlock)
{
    VF_CHECK_IRQL(IoBuildAsynchronousFsdRequest);
    return IopBuildFsdRequest(MajorFunction, DeviceObject, Buffer, Length, StartingOffset, NULL,
                              IoStatusBlock);
}
