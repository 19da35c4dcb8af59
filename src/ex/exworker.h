/* Ex: private interface of the system worker queues, shared with Io's work items. */
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

#endif
