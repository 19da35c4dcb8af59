/* Io private definitions. */
#ifndef NTK_IOP_H
#define NTK_IOP_H

#include "ntkp.h"

/* The DEVOBJ_EXTENSION: device stack links and deletion state. */
typedef struct _DEVOBJ_EXTENSION {
    CSHORT Type;
    USHORT Size;
    PDEVICE_OBJECT DeviceObject;
    PDEVICE_OBJECT AttachedTo;
    BOOLEAN DeletePending;
} DEVOBJ_EXTENSION;

/* Private IRP allocation flags. */
#define IOP_IRP_USER_EVENT_REFERENCED 0x40 /* UserEvent came from a handle: dereference it */
#define IOP_IRP_FILE_REFERENCED 0x80       /* the IRP holds a reference on its file object */
#define IOP_IRP_HAS_CONTEXT 0x20           /* an IOP_IRP_CONTEXT follows the stack locations */
#define IOP_IRP_REQUESTER_GONE 0x10        /* its buffers may be gone: write nothing to them */
#define IOP_IRP_THREAD_REFERENCED 0x08     /* outlived its thread, which it keeps referenced */
#define IOP_IRP_ALLOCATED 0x04             /* allocated by the I/O manager, behind its header */

/* Bookkeeping the I/O manager keeps with the IRPs it builds for system services. */
typedef struct _IOP_IRP_CONTEXT {
    ULONG UserBufferLength; /* the most a buffered request may copy back */
    ULONG Reserved;
    /* For I/O verification (irp.c): four bits per stack location 1..16, from bit 4 * (n - 1):
     * the completion passed it, found it marked pending; its dispatch routine returned,
     * returned STATUS_PENDING. */
    volatile ULONG64 PendingState;
    /* The file, for cancellation by file: Tail.Overlay.OriginalFileObject is overwritten by
     * Tail.Apc while the IRP is completing, and the IRP is still on its thread's list then. */
    PFILE_OBJECT FileObject;
    PIO_WORKITEM Detached; /* outlived its thread: the work item that finishes it (iocancel.c) */
    PVOID CompletionPacket; /* its file has a port and it has an APC context (iocomplete.c) */
} IOP_IRP_CONTEXT, *PIOP_IRP_CONTEXT;

extern POBJECT_TYPE IopDeviceObjectType, IopDriverObjectType, IopFileObjectType;
extern POBJECT_TYPE IoCompletionObjectType;

/* Completion ports (iocomplete.c). */
NTSTATUS IopInitializeCompletionType(VOID);
PVOID IopAllocateCompletionPacket(PVOID ApcContext);
VOID IopFreeCompletionPacket(PVOID Packet);
VOID IopQueueCompletionPacket(PFILE_OBJECT FileObject, PVOID Packet, PIO_STATUS_BLOCK IoStatus);
VOID IopFreeCompletionContext(PFILE_OBJECT FileObject);
extern pthread_mutex_t IopDatabaseLock;

NTSTATUS IopInvalidDeviceRequest(PDEVICE_OBJECT DeviceObject, PIRP Irp);
PIRP IopAllocateIrpWithContext(CCHAR StackSize, PIOP_IRP_CONTEXT *Context);
PIOP_IRP_CONTEXT IopIrpContext(PIRP Irp);
NTSTATUS IopParseDevice(PVOID ParseObject, POBJECT_TYPE ObjectType, KPROCESSOR_MODE AccessMode,
                        ULONG Attributes, PUNICODE_STRING RemainingName, PVOID ParseContext,
                        PVOID *Object);
VOID IopCloseFile(PEPROCESS Process, PVOID Object, ULONG_PTR ProcessHandleCount,
                  ULONG_PTR SystemHandleCount);
VOID IopDeleteFile(PVOID Object);
VOID IopDeleteDevice(PVOID Object);
VOID IopVerifyDriverDevices(PDRIVER_OBJECT DriverObject);
VOID IopDeleteDriver(PVOID Object);
NTSTATUS IopSynchronousCall(PDEVICE_OBJECT DeviceObject, PIRP Irp, PKEVENT Event,
                            PIO_STATUS_BLOCK IoStatus);
VOID IopAcquireFileObjectLock(PFILE_OBJECT FileObject);
BOOLEAN IopCancelSynchronousRequest(PETHREAD Thread, PIRP Irp);
BOOLEAN IopDeferDetachedCompletion(PIRP Irp);
VOID IopFinishDetachedRequest(PIRP Irp);
VOID IopReleaseFileObjectLock(PFILE_OBJECT FileObject);
NTSTATUS IopOpenDevice(PUNICODE_STRING Name, ACCESS_MASK DesiredAccess, ULONG Attributes,
                       ULONG ShareAccess, ULONG Disposition, ULONG CreateOptions,
                       KPROCESSOR_MODE Mode, PFILE_OBJECT *FileObject, PHANDLE Handle,
                       PIO_STATUS_BLOCK IoStatus);

#endif
