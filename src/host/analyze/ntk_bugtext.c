/* What each bug check that ntk raises means, what its parameters are, and where to look
 * next: ntk's own words, written from the WDK's bug check reference, with the parameters as
 * ntk fills them in. `ntk analyze --list` prints them all; a test checks that every code the
 * kernel's sources pass to KeBugCheckEx has an entry here. */
#include "ntk_analyze.h"

#define P_NONE "not used (0)"

static const NTK_SUBTYPE_TEXT NtkSubtypesC4[] = {
    { 0x00, "A pool allocation of zero bytes was requested.",
      { "0x00", "the IRQL", "the pool type", "the size (0)" },
      "Check the size computation before the ExAllocatePool2 call." },
    { 0x01, "Paged pool was allocated above APC_LEVEL, where a page fault cannot be taken.",
      { "0x01", "the IRQL at the call", "the pool type", "the size in bytes" },
      "Allocate nonpaged pool (POOL_FLAG_NON_PAGED) at DISPATCH_LEVEL, or allocate before "
      "raising IRQL / taking the spin lock." },
    { 0x02, "Nonpaged pool was allocated above DISPATCH_LEVEL.",
      { "0x02", "the IRQL at the call", "the pool type", "the size in bytes" },
      "No pool may be allocated above DISPATCH_LEVEL: preallocate the memory." },
    { 0x11, "Paged pool was freed above APC_LEVEL.",
      { "0x11", "the IRQL at the call", "the pool type", "the block's address" },
      "Free paged memory at PASSIVE_LEVEL or APC_LEVEL, e.g. from a work item." },
    { 0x12, "Nonpaged pool was freed above DISPATCH_LEVEL.",
      { "0x12", "the IRQL at the call", "the pool type", "the block's address" },
      "Defer the free to DISPATCH_LEVEL or below." },
    { 0x37, "An executive resource was acquired while normal kernel APCs were enabled.",
      { "0x37", "the IRQL", "the thread's APC-disable counts (special << 16 | kernel)",
        "the resource" },
      "Call KeEnterCriticalRegion (or use ExEnterCriticalRegionAndAcquireResource*) before "
      "acquiring an ERESOURCE." },
    { 0x38, "An executive resource was released while normal kernel APCs were enabled.",
      { "0x38", "the IRQL", "the thread's APC-disable counts (special << 16 | kernel)",
        "the resource" },
      "Release the resource before KeLeaveCriticalRegion, not after." },
    { 0x39, "A guarded or fast mutex was acquired with the Unsafe form at the wrong IRQL or with "
            "APCs enabled.",
      { "0x39", "the IRQL", "the thread's APC-disable counts", "the mutex" },
      "The Unsafe forms need APC_LEVEL or a critical/guarded region already entered." },
    { 0x3A, "A guarded or fast mutex was released with the Unsafe form at the wrong IRQL or with "
            "APCs enabled.",
      { "0x3A", "the IRQL", "the thread's APC-disable counts", "the mutex" },
      "Release with the form that matches the acquisition." },
    { 0x3D, "A fast mutex was acquired by the thread that already owns it (fast mutexes are not "
            "recursive), or an ERESOURCE that is not 8-byte aligned was initialized (then "
            "parameter 4 is the resource).",
      { "0x3D", "the fast mutex (0 for an ERESOURCE)", P_NONE, "the ERESOURCE, if that" },
      "Look for a path that acquires the same fast mutex twice, e.g. a helper called with it "
      "held; use a KMUTEX if recursion is really needed." },
    { 0x3E, "A fast mutex was released by a thread that does not own it.",
      { "0x3E", "the fast mutex", "its owner thread (0: nobody)", P_NONE },
      "Pair every release with an acquisition on the same thread." },
    { 0x62, "A driver is unloading while pool it allocated is still allocated (a leak). The "
            "kernel log lists each block with its tag, size and the code that allocated it.",
      { "0x62", "the driver's name (UNICODE_STRING)", "the driver object",
        "the number of blocks still allocated" },
      "Free everything DriverEntry and the dispatch routines allocated, in DriverUnload; the "
      "log shows the allocating function and offset of each leaked block." },
    { 0xCA, "A lookaside list was initialized again while it was in use.",
      { "0xCA", "the lookaside list", P_NONE, P_NONE },
      "Delete a lookaside list before initializing it again." },
    { 0xCB, "A lookaside list was used or deleted without being initialized (or after being "
            "deleted).",
      { "0xCB", "the lookaside list", P_NONE, P_NONE },
      "Initialize it first; do not use it after ExDeleteLookasideListEx." },
    { 0xCD, "A lookaside list was initialized with a block size below the minimum.",
      { "0xCD", "the lookaside list", "the requested size", "the minimum size" },
      "Use an entry size of at least the minimum (the size of a SLIST_ENTRY)." },
    { 0x1000, "Self-deadlock: a thread tried to acquire a lock it already holds.",
      { "0x1000", "the lock", "the thread", P_NONE },
      "Find the second acquisition on the stack below; restructure so the lock is taken once." },
    { 0x1001, "Deadlock detection: two locks were taken in both orders (one thread took A then "
              "B, another, or the same one later, B then A): run at the wrong moment, the two "
              "threads would wait for each other forever. Reported the first time the inverted "
              "order is taken, even though this run did not hang.",
      { "0x1001", "the lock whose acquisition closed the cycle", P_NONE, P_NONE },
      "The kernel log just before the STOP line names both locks and gives the stack of each "
      "order's first acquisition: pick one order for all code paths (a lock hierarchy) and "
      "change the path that takes the other." },
    { 0x1004, "A lock was released by a thread other than the one that acquired it.",
      { "0x1004", "the lock", "its owner", "the releasing thread" },
      "Release on the thread that acquired it." },
    { 0x1007, "A lock that was not held was released.",
      { "0x1007", "the lock", "its owner (0)", "the releasing thread" },
      "Look for a double release or a release on an error path that never acquired." },
    { 0x1008, "A lock was acquired with one DDI and released with a non-matching one.",
      { "0x1008", "the lock", "the lock's state", P_NONE },
      "Use the matching pair (e.g. KeAcquireInStackQueuedSpinLock / "
      "KeReleaseInStackQueuedSpinLock)." },
    { 0x100B, "An executive resource was deleted while a thread still owned it.",
      { "0x100B", "the resource", "its owner", P_NONE },
      "Release the resource before ExDeleteResourceLite." },
    { 0, NULL, { NULL, NULL, NULL, NULL }, NULL },
};

static const NTK_SUBTYPE_TEXT NtkSubtypesC9[] = {
    { 0x01, "IoFreeIrp was given something that is not an IRP (or an IRP freed twice).",
      { "0x01", "the address", P_NONE, P_NONE },
      "Free only IRPs from IoAllocateIrp/IoBuildxxx, once." },
    { 0x02, "IoFreeIrp was given an IRP the I/O manager has not finished: it is still on its "
            "thread's list of requests.",
      { "0x02", "the IRP", P_NONE, P_NONE },
      "Free only IRPs the driver allocated itself, from its completion routine; the I/O "
      "manager frees the IRPs it sent." },
    { 0x03, "IoCallDriver was given something that is not an IRP.",
      { "0x03", "the address", P_NONE, P_NONE },
      "Check the IRP pointer passed down the stack." },
    { 0x05, "A dispatch routine returned at another IRQL than it was called at.",
      { "0x05", "the device object", "the IRQL before the call", "the IRQL after it" },
      "A spin lock or KeRaiseIrql in the dispatch routine is not undone on some path." },
    { 0x06, "An IRP was completed with STATUS_PENDING.",
      { "0x06", "the status", "the IRP", P_NONE },
      "Set the final status in IoStatus.Status before IoCompleteRequest; STATUS_PENDING is "
      "what a dispatch routine returns, never a completion status." },
    { 0x07, "An IRP was completed while it still had a cancel routine.",
      { "0x07", "the cancel routine", "the IRP", P_NONE },
      "Clear it with IoSetCancelRoutine(Irp, NULL) (and handle the race with cancellation) "
      "before completing." },
    { 0x0E, "IoCompleteRequest was called above DISPATCH_LEVEL.",
      { "0x0E", "the IRQL", "the IRP", P_NONE }, "Complete from a DPC instead." },
    { 0x10, "IoCallDriver was called above DISPATCH_LEVEL.",
      { "0x10", "the IRQL", P_NONE, P_NONE }, "Send IRPs at DISPATCH_LEVEL or below." },
    { 0x201, "A device object was deleted while still attached to the device below it in its "
             "stack.",
      { "0x201", "the caller of IoDeleteDevice", P_NONE, "the device object" },
      "Call IoDetachDevice on the lower device (the one IoAttachDeviceToDeviceStack returned) "
      "before IoDeleteDevice, as a filter's unload routine does." },
    { 0x202, "IoDetachDevice was called for a device that has nothing attached to it: a "
             "second detach, or the wrong device.",
      { "0x202", "the caller of IoDetachDevice", P_NONE, "the device given" },
      "Pass the device the attach returned (the one below the filter), and detach once." },
    { 0x23D, "A dispatch routine returned STATUS_PENDING without marking the IRP pending: the "
             "request was completed while the routine ran and IoMarkIrpPending was never "
             "called.",
      { "0x23D", "the dispatch routine", "the IRP", "the device object" },
      "Call IoMarkIrpPending before queueing or completing an IRP for which the routine "
      "returns STATUS_PENDING, or return the status the request completed with." },
    { 0x23E, "A dispatch routine marked the IRP pending (IoMarkIrpPending) but returned a "
             "status other than STATUS_PENDING.",
      { "0x23E", "the dispatch routine", "the IRP", "the device object" },
      "After IoMarkIrpPending the routine must return STATUS_PENDING, even if the IRP has "
      "already been completed." },
    { 0x244, "A filter's device does not carry DO_BUFFERED_IO or DO_DIRECT_IO as the device it "
             "attached to does: requests built for the top of the stack would not match what "
             "the lower driver expects.",
      { "0x244", "the driver's DriverEntry", P_NONE, "the filter's device object" },
      "After attaching, copy the flags: Filter->Flags |= Lower->Flags & (DO_BUFFERED_IO | "
      "DO_DIRECT_IO), with Lower the device the attach returned." },
    { 0x245, "A device object has both DO_BUFFERED_IO and DO_DIRECT_IO set; they exclude each "
             "other.",
      { "0x245", "the driver's DriverEntry", P_NONE, "the device object" },
      "Set one buffering method per device." },
    { 0x240, "IoDeleteDevice was called for a device object that was already deleted.",
      { "0x240", "the caller of IoDeleteDevice", P_NONE, "the device object" },
      "Delete each device once: clear the pointer kept to it after IoDeleteDevice." },
    { 0, NULL, { NULL, NULL, NULL, NULL }, NULL },
};

static const NTK_SUBTYPE_TEXT NtkSubtypesC2[] = {
    { 0x07, "A pool block was freed that is already free (a double free).",
      { "0x07", P_NONE, "the pool header's contents", "the block" },
      "Find the other free of this block: set the pointer to NULL after freeing it." },
    { 0x0A, "ExFreePoolWithTag was called with a tag other than the block's.",
      { "0x0A", "the block", "the tag it was allocated with", "the tag given to the free" },
      "Free with the allocation's tag (parameters show both as little-endian text)." },
    { 0x46, "An address that is not a pool block was freed.",
      { "0x46", "the address", P_NONE, P_NONE },
      "Free only what ExAllocatePool2 returned: not an offset into a block, not a stack or "
      "static buffer." },
    { 0, NULL, { NULL, NULL, NULL, NULL }, NULL },
};

static const NTK_SUBTYPE_TEXT NtkSubtypes19[] = {
    { 0x05, "Freeing a block found the header (or tracking links) of the block after it "
            "overwritten: the block being freed, or one before it, was overrun.",
      { "0x05", "the freed block's header", P_NONE, "the damaged header that follows" },
      "Check the writes into the freed block against its size; rerun with --special-pool "
      "DRIVER to stop at the writing instruction." },
    { 0x20, "A block's own pool header is damaged (or the address freed lies inside a block, "
            "not at its start).",
      { "0x20", "the header found before the address freed", P_NONE, P_NONE },
      "Free exactly the pointer the allocation returned; look for an underrun of this block "
      "or an overrun of the one before it." },
    { 0x21, "The bytes right after a block, up to the pool's 16-byte unit, were written: an "
            "overrun by a few bytes.",
      { "0x21", "the block freed", "the bytes allocated", "the changed byte found after it" },
      "Look for an off-by-one write past the end of the block (a terminator not counted in "
      "the size); --special-pool DRIVER catches it at the instruction." },
    { 0, NULL, { NULL, NULL, NULL, NULL }, NULL },
};

static const NTK_SUBTYPE_TEXT NtkSubtypesC1[] = {
    { 0x20, "A special pool block was freed that is not allocated: freed twice, or never "
            "allocated.",
      { "the address freed", P_NONE, P_NONE, "0x20" },
      "Find the earlier free of this block (or where the pointer came from)." },
    { 0x21, "A special pool address was freed that is not the start of its block.",
      { "the address freed", "the bytes requested", "the bytes given (rounded up to 16)",
        "0x21" },
      "Free the pointer the allocation returned, not one inside the block." },
    { 0x23, "A special pool block was freed and the bytes before it, in its page, had been "
            "written: an underrun.",
      { "the address freed", "the first changed byte", P_NONE, "0x23" },
      "Look for a negative index or a write before the start of the block; rerun with "
      "--special-pool-verify start to stop at the instruction." },
    { 0x24, "A special pool block was freed and the bytes after its end, in its page, had been "
            "written: an overrun too small to reach the next page.",
      { "the address freed", "the first changed byte", P_NONE, "0x24" },
      "Look for an off-by-one write past the end of the block (a size computed without its "
      "terminator, say)." },
    { 0, NULL, { NULL, NULL, NULL, NULL }, NULL },
};

static const NTK_SUBTYPE_TEXT NtkSubtypesC7[] = {
    { 0x0, "A driver is unloading while one of its timers is still set.",
      { "0x0: a timer object", "the timer", "start of the unloading image", "its end" },
      "KeCancelTimer every timer (and KeFlushQueuedDpcs) in DriverUnload." },
    { 0x1, "A driver is unloading while one of its DPC objects is still queued.",
      { "0x1: a DPC object", "the DPC", "start of the unloading image", "its end" },
      "KeRemoveQueueDpc / KeFlushQueuedDpcs before the image goes away." },
    { 0x2, "A driver is unloading while a queued DPC still points at one of its routines.",
      { "0x2: a DPC routine", "the routine", "start of the unloading image", "its end" },
      "KeFlushQueuedDpcs in DriverUnload." },
    { 0x4, "A DPC routine returned with a different kernel APC-disable count than it was called "
           "with (it entered a critical region and did not leave it).",
      { "0x4", "the DPC routine", "the count before", "the count after" },
      "Balance KeEnterCriticalRegion/KeLeaveCriticalRegion inside the routine." },
    { 0, NULL, { NULL, NULL, NULL, NULL }, NULL },
};

static const NTK_SUBTYPE_TEXT NtkSubtypesE4[] = {
    { 1, "A work item was queued again before its routine ran (it is still in the queue).",
      { "1", "the work item", "the queue type", P_NONE },
      "Queue a work item again only after its routine has started; allocate one per request "
      "if requests overlap." },
    { 2, "An I/O work item was freed while it was queued or running.",
      { "2", "the work item", "its routine", P_NONE },
      "Free it in (or after) its routine, not before." },
    { 3, "An I/O work item was freed or reinitialized while in use.",
      { "3", "the work item", "its I/O object", P_NONE },
      "Wait until the routine ran before IoUninitializeWorkItem / IoFreeWorkItem." },
    { 6, "A work item was queued to a queue type that does not exist.",
      { "6", "the work item", "the queue type", P_NONE }, "Use DelayedWorkQueue or "
      "CriticalWorkQueue (or another documented WORK_QUEUE_TYPE)." },
    { 7, "A work item with no routine was queued.",
      { "7", "the work item", "the queue type", P_NONE },
      "Initialize it (ExInitializeWorkItem / IoAllocateWorkItem) before queueing." },
    { 0, NULL, { NULL, NULL, NULL, NULL }, NULL },
};

static const NTK_SUBTYPE_TEXT NtkSubtypes133[] = {
    { 0, "One DPC ran longer than the DPC watchdog allows (ntk: --dpc-watchdog, 20 s by "
         "default).",
      { "0: a single DPC", "how long it ran, in clock ticks (15.625 ms)",
        "the limit, in clock ticks", "ntk: the DPC routine" },
      "The DPC (see the frozen thread running it) loops, waits or stalls: do long work in a "
      "work item or a system thread instead." },
    { 1, "The processor stayed at DISPATCH_LEVEL or above for too long in total.",
      { "1: cumulative", "reserved", "reserved", "reserved" },
      "Look for long spin-lock holds or DPC storms." },
    { 0, NULL, { NULL, NULL, NULL, NULL }, NULL },
};

static const NTK_SUBTYPE_TEXT NtkSubtypesE2[] = {
    { 0, "The crash was asked for on purpose: SIGQUIT (Ctrl-\\) reached `ntk run`.",
      { "0: on request (SIGQUIT)", P_NONE, P_NONE, P_NONE },
      "Read the threads: each one's wait shows the objects and their owners." },
    { 1, "`ntk run --hang-timeout` saw no progress: no NT thread ran a system service, "
         "finished a wait, ran a DPC or changed IRQL for that long.",
      { "1: hang timeout", "the timeout in seconds", P_NONE, P_NONE },
      "Look at each waiting thread: what it waits on and who owns that; a cycle of owners "
      "is a deadlock. A thread spinning in its own code is running, not waiting." },
    { 0, NULL, { NULL, NULL, NULL, NULL }, NULL },
};

static const NTK_BUGCODE_TEXT NtkTexts[] = {
    { 0x01,
      "A thread went back to user mode, or a work routine returned, with kernel APCs still "
      "disabled: a critical or guarded region (KeEnterCriticalRegion, KeEnterGuardedRegion, "
      "FsRtlEnterFileSystem, ...) was entered and not left.",
      { "the routine (a work routine) or 0 (a system service)", "0",
        "the APC-disable counts: special << 16 | kernel",
        "0: returning from a system service, 1: a work routine returned" },
      "Match every KeEnterCriticalRegion/KeEnterGuardedRegion with its Leave on every path, "
      "including error paths.",
      0, NULL },
    { 0x03,
      "A processor number was given that the system does not have (ntk: --cpus sets how many).",
      { "the processor number asked for", "the number of processors", P_NONE, P_NONE },
      "Check KeSetTargetProcessorDpc/affinity arguments against KeQueryActiveProcessorCount.",
      0, NULL },
    { 0x04,
      "ntk uses this code for a DDI argument that no correct driver passes: a wait type other "
      "than WaitAll/WaitAny, a NULL delay interval, an invalid timer period.",
      { "the wait type, or the timer", "the timer's period, if a timer", P_NONE, P_NONE },
      "Check the arguments of the wait or timer call on the stack.", 0, NULL },
    { 0x09,
      "IRQL was lower than required: KeRaiseIrql to a level below the current one, or a DDI "
      "called below the IRQL its contract requires (KeAcquireSpinLockAtDpcLevel below "
      "DISPATCH_LEVEL, ...).",
      { "the current IRQL, or the object/routine involved", "the IRQL asked for or current",
        "the minimum IRQL of the DDI's contract (verifier)", "the caller's address (verifier)" },
      "Use KeLowerIrql to lower, and call *AtDpcLevel forms only at DISPATCH_LEVEL.", 0, NULL },
    { 0x0A,
      "A routine was called, or memory touched, at an IRQL too high for it: waiting, allocating "
      "paged memory or calling a PASSIVE_LEVEL DDI while holding a spin lock or inside a DPC; "
      "or KeLowerIrql to a level above the current one.",
      { "the object, routine or memory involved (0 if none)", "the IRQL at the time",
        "8 when a routine was called (execute), else 0", "the caller's address, if known" },
      "Find the call on the driver's stack below and the IRQL it was made at; move that work to "
      "PASSIVE_LEVEL (a work item) or release the spin lock first.",
      0, NULL },
    { 0x0B, "Structured exception handling could not proceed (ntk: no memory for a dispatch).",
      { "0", "the size needed", P_NONE, P_NONE },
      "Look for runaway recursion of exceptions, or memory exhaustion.", 0, NULL },
    { 0x0C, "A wait was asked for more objects than allowed (MAXIMUM_WAIT_OBJECTS, or more than "
            "THREAD_WAIT_OBJECTS without a wait block array).",
      { "the object count", P_NONE, P_NONE, P_NONE },
      "Pass a KWAIT_BLOCK array for more than 3 objects, and at most 64.", 0, NULL },
    { 0x0F, "A thread tried to acquire a spin lock it already holds: it would spin forever.",
      { "the spin lock", P_NONE, P_NONE, P_NONE },
      "Find the second acquisition on the stack below; spin locks are not recursive.", 0, NULL },
    { 0x10, "A spin lock was released by a thread that does not hold it.",
      { "the spin lock", "its lock word (owner thread | 1, or 0 if free)", P_NONE, P_NONE },
      "Release on the thread that acquired it, once.", 0, NULL },
    { 0x11, "A mutex (KMUTEX) was released by a thread that does not own it.",
      { "the releasing thread", "the mutex", "its owner", P_NONE },
      "Release a mutex on the thread that waited for it.", 0, NULL },
    { 0x18, "An object's reference count went wrong: dereferenced more often than referenced, "
            "or below its handle count.",
      { "the object type", "the object", "the new pointer count", "the handle count" },
      "Pair each ObReferenceObject*/Ob*ByHandle with one ObDereferenceObject.", 0, NULL },
    { 0x1A, "Memory management found an inconsistency (ntk: an MDL's pages).",
      { "the subtype", "details", "details", "details" },
      "Check MDL building, locking and unlocking around the stack below.", 0, NULL },
    { 0x19, "The pool found its own bookkeeping damaged while freeing a block: a driver wrote "
            "outside a block it allocated.",
      { "the subtype", "see the subtype", "see the subtype", "see the subtype" },
      "See the subtype below.", 1, NtkSubtypes19 },
    { 0x1E,
      "Kernel-mode code raised an exception that nothing handled: an access violation, a "
      "breakpoint (DbgBreakPoint, a failed ASSERT) with no debugger, an assertion failure "
      "(NT_ASSERT), a division by zero, or an ExRaiseStatus with no __try around it.",
      { "the exception code (0xC0000005 access violation, 0x80000003 breakpoint, ...)",
        "the address where it happened", "exception information 0 (for an access violation: "
        "0 read, 1 write, 8 execute)", "exception information 1 (the address accessed)" },
      "Go to the culprit line: a bad pointer, a failed ASSERT (its text is in the log) or a "
      "raise with no handler. Wrap probes of user buffers in __try/__except.",
      0, NULL },
    { 0x1F, "A thread that owns an executive resource exclusively asked for it shared, which "
            "cannot be converted that way.",
      { "the resource", "the thread", "the owner", P_NONE },
      "Acquire it exclusively again, or release before acquiring shared.", 0, NULL },
    { 0x20,
      "A thread ended with kernel APCs disabled: it still owned a kernel mutex (KMUTEX), or "
      "entered a critical or guarded region (KeEnterCriticalRegion, KeEnterGuardedRegion, a "
      "fast mutex) and did not leave it.",
      { "an APC still queued to the thread (0 if none)",
        "the thread's APC-disable counts (special << 16 | kernel); 0xFFFF in the low half is "
        "one mutex or region not left",
        "the IRQL", P_NONE },
      "On the thread's stack below, find the KeWaitForSingleObject on a mutex (or the "
      "KeEnterCriticalRegion) without its KeReleaseMutex (or KeLeaveCriticalRegion) on the "
      "path that ends the thread.",
      0, NULL },
    { 0x35, "An IRP was passed down to a driver with no stack location left for it.",
      { "the IRP", P_NONE, P_NONE, P_NONE },
      "Allocate IRPs with StackSize of the target device (plus one per layer), and call "
      "IoSkip/IoCopyCurrentIrpStackLocation before IoCallDriver.", 0, NULL },
    { 0x40, "IoBuildPartialMdl was asked for more than the target MDL can describe.",
      { "the source MDL", "the target MDL", "the virtual address", "the length" },
      "Allocate the target MDL for the full range you build.", 0, NULL },
    { 0x41, "An allocation that must not fail could not be satisfied (ntk: an ERESOURCE's "
            "owner table).",
      { "the size", P_NONE, P_NONE, P_NONE }, "Look for excessive shared owners.", 0, NULL },
    { 0x44, "An IRP was completed twice: IoCompleteRequest on an IRP already completed.",
      { "the IRP", P_NONE, P_NONE, P_NONE },
      "Once a dispatch routine or completion routine completes an IRP it no longer owns it: "
      "look for a path that completes and then returns after completing again (or lets the "
      "cancel routine complete it too).", 0, NULL },
    { 0x4A, "A thread returned to user mode at an IRQL above PASSIVE_LEVEL.",
      { "the system service (0)", "the IRQL", P_NONE, P_NONE },
      "A dispatch routine raised IRQL or took a spin lock and did not undo it.", 0, NULL },
    { 0x50, "Memory that must be present was not: a read, write or jump to a system-space "
            "address that was never allocated or was already freed (pool used after its free, "
            "a bad pointer in kernel space).",
      { "the address referenced", "0 read, 2 write, 0x10 execute",
        "the faulting instruction", "2: the page was not present" },
      "At the culprit line, see where the pointer came from; a pool block used after "
      "ExFreePool is the usual cause.",
      0, NULL },
    { 0x76, "A process ended while pages were still locked for I/O (an MDL not unlocked).",
      { "the subtype", "the MDL", P_NONE, P_NONE },
      "MmUnlockPages every MDL locked with MmProbeAndLockPages.", 0, NULL },
    { 0x7E,
      "A system thread (PsCreateSystemThread, a work item, a DPC thread) raised an exception "
      "that nothing handled.",
      { "the exception code", "the address where it happened", "the exception record",
        "the context record" },
      "Go to the culprit line; the dump's exception stack shows the frames at the fault.", 0,
      NULL },
    { 0x8E, "User-mode code's unhandled exception reached the kernel (not raised by ntk today).",
      { "the exception code", "the address", "the trap frame", P_NONE }, "See the culprit line.",
      0, NULL },
    { 0xBE, "Kernel-mode code wrote to memory that is read-only: a driver's constant data (a "
            "string literal it modifies through a char pointer), its own code, or read-only "
            "system memory such as a secure pool's allocation.",
      { "the address written", "the page table entry (0 in ntk)", P_NONE, P_NONE },
      "At the culprit line, see where the pointer points: declare data the driver changes as "
      "an array (char s[] = \"...\"), not a pointer to a literal; change a secure allocation "
      "with ExSecurePoolUpdate.",
      0, NULL },
    { 0xC1, "The special pool found a block damaged or freed wrongly when it was freed.",
      { "the address freed", "see the subtype", "see the subtype", "the subtype" },
      "See the subtype below.", 4, NtkSubtypesC1 },
    { 0xC2, "A driver asked the pool for something it must not.",
      { "the subtype", "see the subtype", "see the subtype", "see the subtype" },
      "See the subtype below.", 1, NtkSubtypesC2 },
    { 0xC4, "Driver Verifier's checks caught a driver breaking a rule.",
      { "the subtype (the rule broken)", "see the subtype", "see the subtype", "see the subtype" },
      "See the subtype below.", 1, NtkSubtypesC4 },
    { 0xC7, "A timer or DPC is invalid: it is still pending in memory that is going away (an "
            "unloading driver), or a DPC routine broke a rule.",
      { "the subtype", "the object or routine", "see the subtype", "see the subtype" },
      "See the subtype below.", 1, NtkSubtypesC7 },
    { 0xC8,
      "A routine returned at a different IRQL than it was called at (a dispatch routine, DPC, "
      "APC, DriverEntry, work routine or system thread left IRQL raised or lowered).",
      { "(IRQL at return << 16) | (IRQL at entry << 8)", "the routine", "details", "details" },
      "In that routine, find the path that raises IRQL (KeAcquireSpinLock, KeRaiseIrql) "
      "without the matching release.",
      0, NULL },
    { 0xC9, "Driver Verifier's I/O checks caught a driver misusing an IRP.",
      { "the subtype", "see the subtype", "see the subtype", "see the subtype" },
      "See the subtype below.", 1, NtkSubtypesC9 },
    { 0xCC, "The system touched special pool memory that had been freed, for some driver.",
      { "the address referenced", "0 read, 1 write", "the faulting instruction", P_NONE },
      "A kernel routine was handed a freed block: find where the driver passed it.", 0, NULL },
    { 0xCD, "The system touched memory past the end (or before the start) of a driver's special "
            "pool block: the driver gave a kernel routine a block too small for what it "
            "stores there.",
      { "the address referenced", "0 read, 1 write", "the faulting instruction", P_NONE },
      "At the culprit line, compare the size allocated with the size of what the call "
      "writes.",
      0, NULL },
    { 0xCE,
      "A driver unloaded while its code could still run: a system thread it created is still "
      "running (or a timer, DPC or work item would call into the unloaded image).",
      { "the code address still in use (the thread's start routine)", "0",
        "the same address", "0" },
      "In DriverUnload, signal the thread to stop and wait for it (KeWaitForSingleObject on "
      "the thread object) before returning.",
      0, NULL },
    { 0xD5, "A driver read or wrote special pool memory after freeing it (a use after free).",
      { "the address referenced", "0 read, 1 write", "the faulting instruction", P_NONE },
      "At the culprit line the block is already freed: find its ExFreePool and who still holds "
      "the pointer.",
      0, NULL },
    { 0xD6, "A driver read or wrote past the end of its special pool block (or, with "
            "--special-pool-verify start, before its start): a buffer overrun or underrun.",
      { "the address referenced", "0 read, 1 write", "the faulting instruction", P_NONE },
      "At the culprit line, check the index or length against the size allocated; the log "
      "says how far past the block the access was.",
      0, NULL },
    { 0xD1,
      "A driver touched memory that was not resident at DISPATCH_LEVEL or above (in a DPC, a "
      "spin lock's section, ...): there, no page fault can be taken, so even a valid paged "
      "address stops the system; a bad pointer does too.",
      { "the address referenced", "the IRQL at the time",
        "0 read, 1 write, 8 execute", "the faulting instruction" },
      "At the culprit line: a NULL or stale pointer, or paged memory (paged pool, a pageable "
      "section, a user buffer without an MDL) used at raised IRQL.",
      0, NULL },
    { 0xD9, "The pages locked through MDLs are no longer consistent (an MDL unlocked twice or "
            "changed while locked).",
      { "the subtype", "details", "the MDL", "the page count" },
      "Unlock each locked MDL exactly once, and do not change it while locked.", 0, NULL },
    { 0xE1, "A work routine returned to the system worker at an IRQL above PASSIVE_LEVEL.",
      { "the work routine", "the IRQL", "the work item's parameter", "the work item" },
      "Release the spin lock / lower IRQL before the routine returns.", 0, NULL },
    { 0xE2,
      "The crash was initiated on purpose, not by a bug: in ntk, by SIGQUIT or by "
      "--hang-timeout (parameter 1 says which). Windows defines no parameters for this code; "
      "ntk's are its own.",
      { "0: SIGQUIT, 1: --hang-timeout", "the timeout in seconds", P_NONE, P_NONE },
      "Read every thread's wait and the owners of what it waits on.", 1, NtkSubtypesE2 },
    { 0xE3, "A thread released an executive resource it does not own.",
      { "the resource", "the thread", "the owner table", P_NONE },
      "Release on the acquiring thread (or use ExReleaseResourceForThreadLite correctly).", 0,
      NULL },
    { 0xE4, "A work item was misused: queued twice, freed while in use, or queued with no "
            "routine or to a bad queue.",
      { "the subtype", "the work item", "see the subtype", P_NONE }, "See the subtype below.",
      1, NtkSubtypesE4 },
    { 0xE9, "A system worker thread was terminated: a work routine called "
            "PsTerminateSystemThread.",
      { "the worker thread", P_NONE, P_NONE, P_NONE },
      "Work routines return; only a thread you created may call PsTerminateSystemThread.", 0,
      NULL },
    { 0x12E, "An MDL was asked to describe a range outside its buffer (IoBuildPartialMdl).",
      { "the source MDL", "the target MDL", "the virtual address", "the length" },
      "Keep the partial range inside the source MDL's buffer.", 0, NULL },
    { 0x133, "A DPC, or the processor at DISPATCH_LEVEL, ran too long.",
      { "the subtype", "see the subtype", "see the subtype", "see the subtype" },
      "See the subtype below.", 1, NtkSubtypes133 },
    { 0x139, "A security check failed: the code detected corruption of its own data (a "
             "__fastfail / RtlFailFast, a corrupted LIST_ENTRY, a stack cookie).",
      { "the fail-fast code (3: a corrupted list entry, ...)", P_NONE, P_NONE, P_NONE },
      "The stack shows the check; usually a use after free or a buffer overrun corrupted the "
      "structure.", 0, NULL },
    { 0x14D, "A __try/__except/__finally scope was left in a way SEH cannot follow (e.g. a "
             "longjmp out of it, or a frame left linked).",
      { "the frame", "the current frame list", P_NONE, P_NONE },
      "Leave __try blocks only by falling through, return, break, goto or __leave.", 0, NULL },
};

const NTK_BUGCODE_TEXT *NtkBugCodeTexts(size_t *Count)
{
    *Count = sizeof(NtkTexts) / sizeof(NtkTexts[0]);
    return NtkTexts;
}

const NTK_BUGCODE_TEXT *NtkFindBugCodeText(unsigned Code)
{
    size_t i;
    for (i = 0; i < sizeof(NtkTexts) / sizeof(NtkTexts[0]); i++)
        if (NtkTexts[i].Code == Code)
            return &NtkTexts[i];
    return NULL;
}

const NTK_SUBTYPE_TEXT *NtkFindSubtypeText(const NTK_BUGCODE_TEXT *Text, unsigned long long Value)
{
    const NTK_SUBTYPE_TEXT *Subtype;
    if (Text == NULL || Text->Subtypes == NULL)
        return NULL;
    for (Subtype = Text->Subtypes; Subtype->Meaning; Subtype++)
        if (Subtype->Value == Value)
            return Subtype;
    return NULL;
}
