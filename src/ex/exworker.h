/* Ex: private interface of the system worker queues, shared with Io's work items and threads. */
#ifndef NTK_EXWORKER_H
#define NTK_EXWORKER_H

#include "ntkp.h"

/* Queues WorkItem as ExQueueWorkItem does; with IfIdle, only when a worker of that queue is
 * idle (IoTryQueueWorkItem), returning FALSE otherwise. Caller is the driver's address, for
 * the bug check parameters. */
BOOLEAN ExpQueueWorkItem(PWORK_QUEUE_ITEM WorkItem, WORK_QUEUE_TYPE QueueType, BOOLEAN IfIdle,
                         PVOID Caller);

/* Bug checks unless a work routine returned at PASSIVE_LEVEL with APCs enabled. */
VOID ExpCheckWorkerReturn(ULONG_PTR Routine, PVOID Parameter, PVOID Item);

/* Io: counts a queued I/O work item or an IoCreateSystemThread thread against the driver of
 * IoObject (a device or driver object), so that unloading the driver waits for it. */
PVOID IopReferenceDriverWork(PVOID IoObject, BOOLEAN Thread);
VOID IopDereferenceDriverWork(PVOID Reference, BOOLEAN Thread);

#endif
