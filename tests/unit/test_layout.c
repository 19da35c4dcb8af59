/* Windows x64 layout of every driver-visible ntk structure, and the values of the constants
 * drivers and user programs compile in. Each expected value is the literal Windows x64 value
 * (WDK wdm.h/ntddk.h, checked against MinGW-w64's DDK headers where those are current), never a
 * value computed from ntk's own headers. A failure here means a binary-layout bug in
 * include/ntk. */
#include <ntddk.h>
#include <ntk/ntapi.h>

#include <stddef.h>

#include "ntktest.h"

int main(void)
{
    /* LARGE_INTEGER */
    CHECK_EQ(sizeof(LARGE_INTEGER), 0x8);
    CHECK_EQ(offsetof(LARGE_INTEGER, LowPart), 0x0);
    CHECK_EQ(offsetof(LARGE_INTEGER, HighPart), 0x4);
    CHECK_EQ(offsetof(LARGE_INTEGER, u.LowPart), 0x0);
    CHECK_EQ(offsetof(LARGE_INTEGER, u.HighPart), 0x4);
    CHECK_EQ(offsetof(LARGE_INTEGER, QuadPart), 0x0);

    /* ULARGE_INTEGER */
    CHECK_EQ(sizeof(ULARGE_INTEGER), 0x8);
    CHECK_EQ(offsetof(ULARGE_INTEGER, LowPart), 0x0);
    CHECK_EQ(offsetof(ULARGE_INTEGER, HighPart), 0x4);
    CHECK_EQ(offsetof(ULARGE_INTEGER, QuadPart), 0x0);

    /* LUID */
    CHECK_EQ(sizeof(LUID), 0x8);
    CHECK_EQ(offsetof(LUID, LowPart), 0x0);
    CHECK_EQ(offsetof(LUID, HighPart), 0x4);

    /* GUID */
    CHECK_EQ(sizeof(GUID), 0x10);
    CHECK_EQ(offsetof(GUID, Data1), 0x0);
    CHECK_EQ(offsetof(GUID, Data2), 0x4);
    CHECK_EQ(offsetof(GUID, Data3), 0x6);
    CHECK_EQ(offsetof(GUID, Data4), 0x8);

    /* UNICODE_STRING */
    CHECK_EQ(sizeof(UNICODE_STRING), 0x10);
    CHECK_EQ(offsetof(UNICODE_STRING, Length), 0x0);
    CHECK_EQ(offsetof(UNICODE_STRING, MaximumLength), 0x2);
    CHECK_EQ(offsetof(UNICODE_STRING, Buffer), 0x8);

    /* STRING */
    CHECK_EQ(sizeof(STRING), 0x10);
    CHECK_EQ(offsetof(STRING, Length), 0x0);
    CHECK_EQ(offsetof(STRING, MaximumLength), 0x2);
    CHECK_EQ(offsetof(STRING, Buffer), 0x8);

    /* ANSI_STRING */
    CHECK_EQ(sizeof(ANSI_STRING), 0x10);

    /* LIST_ENTRY */
    CHECK_EQ(sizeof(LIST_ENTRY), 0x10);
    CHECK_EQ(offsetof(LIST_ENTRY, Flink), 0x0);
    CHECK_EQ(offsetof(LIST_ENTRY, Blink), 0x8);

    /* SINGLE_LIST_ENTRY */
    CHECK_EQ(sizeof(SINGLE_LIST_ENTRY), 0x8);
    CHECK_EQ(offsetof(SINGLE_LIST_ENTRY, Next), 0x0);

    /* OBJECT_ATTRIBUTES */
    CHECK_EQ(sizeof(OBJECT_ATTRIBUTES), 0x30);
    CHECK_EQ(offsetof(OBJECT_ATTRIBUTES, Length), 0x0);
    CHECK_EQ(offsetof(OBJECT_ATTRIBUTES, RootDirectory), 0x8);
    CHECK_EQ(offsetof(OBJECT_ATTRIBUTES, ObjectName), 0x10);
    CHECK_EQ(offsetof(OBJECT_ATTRIBUTES, Attributes), 0x18);
    CHECK_EQ(offsetof(OBJECT_ATTRIBUTES, SecurityDescriptor), 0x20);
    CHECK_EQ(offsetof(OBJECT_ATTRIBUTES, SecurityQualityOfService), 0x28);

    /* IO_STATUS_BLOCK */
    CHECK_EQ(sizeof(IO_STATUS_BLOCK), 0x10);
    CHECK_EQ(offsetof(IO_STATUS_BLOCK, Status), 0x0);
    CHECK_EQ(offsetof(IO_STATUS_BLOCK, Pointer), 0x0);
    CHECK_EQ(offsetof(IO_STATUS_BLOCK, Information), 0x8);

    /* CLIENT_ID */
    CHECK_EQ(sizeof(CLIENT_ID), 0x10);
    CHECK_EQ(offsetof(CLIENT_ID, UniqueProcess), 0x0);
    CHECK_EQ(offsetof(CLIENT_ID, UniqueThread), 0x8);

    /* GENERIC_MAPPING */
    CHECK_EQ(sizeof(GENERIC_MAPPING), 0x10);
    CHECK_EQ(offsetof(GENERIC_MAPPING, GenericRead), 0x0);
    CHECK_EQ(offsetof(GENERIC_MAPPING, GenericWrite), 0x4);
    CHECK_EQ(offsetof(GENERIC_MAPPING, GenericExecute), 0x8);
    CHECK_EQ(offsetof(GENERIC_MAPPING, GenericAll), 0xC);

    /* KSPIN_LOCK */
    CHECK_EQ(sizeof(KSPIN_LOCK), 0x8);

    /* DISPATCHER_HEADER */
    CHECK_EQ(sizeof(DISPATCHER_HEADER), 0x18);
    CHECK_EQ(offsetof(DISPATCHER_HEADER, Type), 0x0);
    CHECK_EQ(offsetof(DISPATCHER_HEADER, Signalling), 0x1);
    CHECK_EQ(offsetof(DISPATCHER_HEADER, Size), 0x2);
    CHECK_EQ(offsetof(DISPATCHER_HEADER, Lock), 0x0);
    CHECK_EQ(offsetof(DISPATCHER_HEADER, SignalState), 0x4);
    CHECK_EQ(offsetof(DISPATCHER_HEADER, WaitListHead), 0x8);
    CHECK_EQ(offsetof(DISPATCHER_HEADER, Reserved1), 0x3);

    /* KEVENT */
    CHECK_EQ(sizeof(KEVENT), 0x18);
    CHECK_EQ(offsetof(KEVENT, Header), 0x0);

    /* KSEMAPHORE */
    CHECK_EQ(sizeof(KSEMAPHORE), 0x20);
    CHECK_EQ(offsetof(KSEMAPHORE, Header), 0x0);
    CHECK_EQ(offsetof(KSEMAPHORE, Limit), 0x18);

    /* KQUEUE */
    CHECK_EQ(sizeof(KQUEUE), 0x40);
    CHECK_EQ(offsetof(KQUEUE, Header), 0x0);
    CHECK_EQ(offsetof(KQUEUE, EntryListHead), 0x18);
    CHECK_EQ(offsetof(KQUEUE, CurrentCount), 0x28);
    CHECK_EQ(offsetof(KQUEUE, MaximumCount), 0x2C);
    CHECK_EQ(offsetof(KQUEUE, ThreadListHead), 0x30);
    CHECK_EQ(QueueObject, 4);

    /* KMUTANT */
    CHECK_EQ(sizeof(KMUTANT), 0x38);
    CHECK_EQ(offsetof(KMUTANT, Header), 0x0);
    CHECK_EQ(offsetof(KMUTANT, MutantListEntry), 0x18);
    CHECK_EQ(offsetof(KMUTANT, OwnerThread), 0x28);
    CHECK_EQ(offsetof(KMUTANT, Abandoned), 0x30);
    CHECK_EQ(offsetof(KMUTANT, ApcDisable), 0x31);

    /* KMUTEX */
    CHECK_EQ(sizeof(KMUTEX), 0x38);
    CHECK_EQ(offsetof(KMUTEX, Header), 0x0);
    CHECK_EQ(offsetof(KMUTEX, MutantListEntry), 0x18);
    CHECK_EQ(offsetof(KMUTEX, OwnerThread), 0x28);

    /* KDPC */
    CHECK_EQ(sizeof(KDPC), 0x40);
    CHECK_EQ(offsetof(KDPC, Type), 0x0);
    CHECK_EQ(offsetof(KDPC, Importance), 0x1);
    CHECK_EQ(offsetof(KDPC, Number), 0x2);
    CHECK_EQ(offsetof(KDPC, DpcListEntry), 0x8);
    CHECK_EQ(offsetof(KDPC, DeferredRoutine), 0x18);
    CHECK_EQ(offsetof(KDPC, DeferredContext), 0x20);
    CHECK_EQ(offsetof(KDPC, SystemArgument1), 0x28);
    CHECK_EQ(offsetof(KDPC, SystemArgument2), 0x30);
    CHECK_EQ(offsetof(KDPC, DpcData), 0x38);
    CHECK_EQ(offsetof(KDPC, TargetInfoAsUlong), 0x0);
    CHECK_EQ(offsetof(KDPC, ProcessorHistory), 0x10);

    /* KTIMER */
    CHECK_EQ(sizeof(KTIMER), 0x40);
    CHECK_EQ(offsetof(KTIMER, Header), 0x0);
    CHECK_EQ(offsetof(KTIMER, DueTime), 0x18);
    CHECK_EQ(offsetof(KTIMER, TimerListEntry), 0x20);
    CHECK_EQ(offsetof(KTIMER, Dpc), 0x30);
    CHECK_EQ(offsetof(KTIMER, Processor), 0x38);
    CHECK_EQ(offsetof(KTIMER, Period), 0x3C);

    /* KAPC */
    CHECK_EQ(sizeof(KAPC), 0x58);
    CHECK_EQ(offsetof(KAPC, Type), 0x0);
    CHECK_EQ(offsetof(KAPC, SpareByte0), 0x1);
    CHECK_EQ(offsetof(KAPC, Size), 0x2);
    CHECK_EQ(offsetof(KAPC, SpareByte1), 0x3);
    CHECK_EQ(offsetof(KAPC, SpareLong0), 0x4);
    CHECK_EQ(offsetof(KAPC, Thread), 0x8);
    CHECK_EQ(offsetof(KAPC, ApcListEntry), 0x10);
    CHECK_EQ(offsetof(KAPC, NormalContext), 0x38);
    CHECK_EQ(offsetof(KAPC, SystemArgument1), 0x40);
    CHECK_EQ(offsetof(KAPC, SystemArgument2), 0x48);
    CHECK_EQ(offsetof(KAPC, ApcStateIndex), 0x50);
    CHECK_EQ(offsetof(KAPC, ApcMode), 0x51);
    CHECK_EQ(offsetof(KAPC, Inserted), 0x52);
    CHECK_EQ(offsetof(KAPC, Reserved), 0x20);

    /* KWAIT_BLOCK */
    CHECK_EQ(sizeof(KWAIT_BLOCK), 0x30);
    CHECK_EQ(offsetof(KWAIT_BLOCK, WaitListEntry), 0x0);
    CHECK_EQ(offsetof(KWAIT_BLOCK, WaitType), 0x10);
    CHECK_EQ(offsetof(KWAIT_BLOCK, BlockState), 0x11);
    CHECK_EQ(offsetof(KWAIT_BLOCK, WaitKey), 0x12);
    CHECK_EQ(offsetof(KWAIT_BLOCK, SpareLong), 0x14);
    CHECK_EQ(offsetof(KWAIT_BLOCK, Thread), 0x18);
    CHECK_EQ(offsetof(KWAIT_BLOCK, Object), 0x20);
    CHECK_EQ(offsetof(KWAIT_BLOCK, NotificationQueue), 0x18);
    CHECK_EQ(offsetof(KWAIT_BLOCK, Dpc), 0x18);
    CHECK_EQ(offsetof(KWAIT_BLOCK, SparePtr), 0x28);

    /* KSPIN_LOCK_QUEUE */
    CHECK_EQ(sizeof(KSPIN_LOCK_QUEUE), 0x10);
    CHECK_EQ(offsetof(KSPIN_LOCK_QUEUE, Next), 0x0);
    CHECK_EQ(offsetof(KSPIN_LOCK_QUEUE, Lock), 0x8);

    /* KLOCK_QUEUE_HANDLE */
    CHECK_EQ(sizeof(KLOCK_QUEUE_HANDLE), 0x18);
    CHECK_EQ(offsetof(KLOCK_QUEUE_HANDLE, LockQueue), 0x0);
    CHECK_EQ(offsetof(KLOCK_QUEUE_HANDLE, OldIrql), 0x10);

    /* KDEVICE_QUEUE */
    CHECK_EQ(sizeof(KDEVICE_QUEUE), 0x28);
    CHECK_EQ(offsetof(KDEVICE_QUEUE, Type), 0x0);
    CHECK_EQ(offsetof(KDEVICE_QUEUE, Size), 0x2);
    CHECK_EQ(offsetof(KDEVICE_QUEUE, DeviceListHead), 0x8);
    CHECK_EQ(offsetof(KDEVICE_QUEUE, Lock), 0x18);
    CHECK_EQ(offsetof(KDEVICE_QUEUE, Busy), 0x20);

    /* KDEVICE_QUEUE_ENTRY */
    CHECK_EQ(sizeof(KDEVICE_QUEUE_ENTRY), 0x18);
    CHECK_EQ(offsetof(KDEVICE_QUEUE_ENTRY, DeviceListEntry), 0x0);
    CHECK_EQ(offsetof(KDEVICE_QUEUE_ENTRY, SortKey), 0x10);
    CHECK_EQ(offsetof(KDEVICE_QUEUE_ENTRY, Inserted), 0x14);

    /* WAIT_CONTEXT_BLOCK */
    CHECK_EQ(sizeof(WAIT_CONTEXT_BLOCK), 0x48);
    CHECK_EQ(offsetof(WAIT_CONTEXT_BLOCK, WaitQueueEntry), 0x0);
    CHECK_EQ(offsetof(WAIT_CONTEXT_BLOCK, DeviceRoutine), 0x18);
    CHECK_EQ(offsetof(WAIT_CONTEXT_BLOCK, DeviceContext), 0x20);
    CHECK_EQ(offsetof(WAIT_CONTEXT_BLOCK, NumberOfMapRegisters), 0x28);
    CHECK_EQ(offsetof(WAIT_CONTEXT_BLOCK, DeviceObject), 0x30);
    CHECK_EQ(offsetof(WAIT_CONTEXT_BLOCK, CurrentIrp), 0x38);
    CHECK_EQ(offsetof(WAIT_CONTEXT_BLOCK, BufferChainingDpc), 0x40);
    CHECK_EQ(offsetof(WAIT_CONTEXT_BLOCK, DmaWaitEntry), 0x0);
    CHECK_EQ(offsetof(WAIT_CONTEXT_BLOCK, NumberOfChannels), 0x10);

    /* FAST_MUTEX */
    CHECK_EQ(sizeof(FAST_MUTEX), 0x38);
    CHECK_EQ(offsetof(FAST_MUTEX, Count), 0x0);
    CHECK_EQ(offsetof(FAST_MUTEX, Owner), 0x8);
    CHECK_EQ(offsetof(FAST_MUTEX, Contention), 0x10);
    CHECK_EQ(offsetof(FAST_MUTEX, Event), 0x18);
    CHECK_EQ(offsetof(FAST_MUTEX, OldIrql), 0x30);

    /* OWNER_ENTRY */
    CHECK_EQ(sizeof(OWNER_ENTRY), 0x10);
    CHECK_EQ(offsetof(OWNER_ENTRY, OwnerThread), 0x0);
    CHECK_EQ(offsetof(OWNER_ENTRY, TableSize), 0x8);

    /* ERESOURCE */
    CHECK_EQ(sizeof(ERESOURCE), 0x68);
    CHECK_EQ(offsetof(ERESOURCE, SystemResourcesList), 0x0);
    CHECK_EQ(offsetof(ERESOURCE, OwnerTable), 0x10);
    CHECK_EQ(offsetof(ERESOURCE, ActiveCount), 0x18);
    CHECK_EQ(offsetof(ERESOURCE, Flag), 0x1A);
    CHECK_EQ(offsetof(ERESOURCE, SharedWaiters), 0x20);
    CHECK_EQ(offsetof(ERESOURCE, ExclusiveWaiters), 0x28);
    CHECK_EQ(offsetof(ERESOURCE, OwnerEntry), 0x30);
    CHECK_EQ(offsetof(ERESOURCE, ActiveEntries), 0x40);
    CHECK_EQ(offsetof(ERESOURCE, ContentionCount), 0x44);
    CHECK_EQ(offsetof(ERESOURCE, NumberOfSharedWaiters), 0x48);
    CHECK_EQ(offsetof(ERESOURCE, NumberOfExclusiveWaiters), 0x4C);
    CHECK_EQ(offsetof(ERESOURCE, Reserved2), 0x50);
    CHECK_EQ(offsetof(ERESOURCE, Address), 0x58);
    CHECK_EQ(offsetof(ERESOURCE, CreatorBackTraceIndex), 0x58);
    CHECK_EQ(offsetof(ERESOURCE, SpinLock), 0x60);
    CHECK_EQ(offsetof(ERESOURCE, ReservedLowFlags), 0x1A);
    CHECK_EQ(offsetof(ERESOURCE, WaiterPriority), 0x1B);

    /* SLIST_HEADER */
    CHECK_EQ(sizeof(SLIST_HEADER), 0x10);
    CHECK_EQ(_Alignof(SLIST_HEADER), 0x10);
    CHECK_EQ(offsetof(SLIST_HEADER, Alignment), 0x0);
    CHECK_EQ(offsetof(SLIST_HEADER, Region), 0x8);

    /* SLIST_ENTRY */
    CHECK_EQ(sizeof(SLIST_ENTRY), 0x10);
    CHECK_EQ(_Alignof(SLIST_ENTRY), 0x10);
    CHECK_EQ(offsetof(SLIST_ENTRY, Next), 0x0);

    /* PROCESSOR_NUMBER */
    CHECK_EQ(sizeof(PROCESSOR_NUMBER), 0x4);
    CHECK_EQ(offsetof(PROCESSOR_NUMBER, Group), 0x0);
    CHECK_EQ(offsetof(PROCESSOR_NUMBER, Number), 0x2);
    CHECK_EQ(offsetof(PROCESSOR_NUMBER, Reserved), 0x3);

    /* GROUP_AFFINITY */
    CHECK_EQ(sizeof(GROUP_AFFINITY), 0x10);
    CHECK_EQ(offsetof(GROUP_AFFINITY, Mask), 0x0);
    CHECK_EQ(offsetof(GROUP_AFFINITY, Group), 0x8);
    CHECK_EQ(offsetof(GROUP_AFFINITY, Reserved), 0xA);

    /* RTL_OSVERSIONINFOW */
    CHECK_EQ(sizeof(RTL_OSVERSIONINFOW), 0x114);
    CHECK_EQ(offsetof(RTL_OSVERSIONINFOW, dwOSVersionInfoSize), 0x0);
    CHECK_EQ(offsetof(RTL_OSVERSIONINFOW, dwMajorVersion), 0x4);
    CHECK_EQ(offsetof(RTL_OSVERSIONINFOW, dwMinorVersion), 0x8);
    CHECK_EQ(offsetof(RTL_OSVERSIONINFOW, dwBuildNumber), 0xC);
    CHECK_EQ(offsetof(RTL_OSVERSIONINFOW, dwPlatformId), 0x10);
    CHECK_EQ(offsetof(RTL_OSVERSIONINFOW, szCSDVersion), 0x14);

    /* RTL_OSVERSIONINFOEXW */
    CHECK_EQ(sizeof(RTL_OSVERSIONINFOEXW), 0x11C);
    CHECK_EQ(offsetof(RTL_OSVERSIONINFOEXW, wServicePackMajor), 0x114);
    CHECK_EQ(offsetof(RTL_OSVERSIONINFOEXW, wServicePackMinor), 0x116);
    CHECK_EQ(offsetof(RTL_OSVERSIONINFOEXW, wSuiteMask), 0x118);
    CHECK_EQ(offsetof(RTL_OSVERSIONINFOEXW, wProductType), 0x11A);
    CHECK_EQ(offsetof(RTL_OSVERSIONINFOEXW, wReserved), 0x11B);

    /* DEVICE_OBJECT */
    CHECK_EQ(sizeof(DEVICE_OBJECT), 0x150);
    CHECK_EQ(_Alignof(DEVICE_OBJECT), 0x10);
    CHECK_EQ(offsetof(DEVICE_OBJECT, Type), 0x0);
    CHECK_EQ(offsetof(DEVICE_OBJECT, Size), 0x2);
    CHECK_EQ(offsetof(DEVICE_OBJECT, ReferenceCount), 0x4);
    CHECK_EQ(offsetof(DEVICE_OBJECT, DriverObject), 0x8);
    CHECK_EQ(offsetof(DEVICE_OBJECT, NextDevice), 0x10);
    CHECK_EQ(offsetof(DEVICE_OBJECT, AttachedDevice), 0x18);
    CHECK_EQ(offsetof(DEVICE_OBJECT, CurrentIrp), 0x20);
    CHECK_EQ(offsetof(DEVICE_OBJECT, Timer), 0x28);
    CHECK_EQ(offsetof(DEVICE_OBJECT, Flags), 0x30);
    CHECK_EQ(offsetof(DEVICE_OBJECT, Characteristics), 0x34);
    CHECK_EQ(offsetof(DEVICE_OBJECT, Vpb), 0x38);
    CHECK_EQ(offsetof(DEVICE_OBJECT, DeviceExtension), 0x40);
    CHECK_EQ(offsetof(DEVICE_OBJECT, DeviceType), 0x48);
    CHECK_EQ(offsetof(DEVICE_OBJECT, StackSize), 0x4C);
    CHECK_EQ(offsetof(DEVICE_OBJECT, Queue), 0x50);
    CHECK_EQ(offsetof(DEVICE_OBJECT, Queue.ListEntry), 0x50);
    CHECK_EQ(offsetof(DEVICE_OBJECT, Queue.Wcb), 0x50);
    CHECK_EQ(offsetof(DEVICE_OBJECT, AlignmentRequirement), 0x98);
    CHECK_EQ(offsetof(DEVICE_OBJECT, DeviceQueue), 0xA0);
    CHECK_EQ(offsetof(DEVICE_OBJECT, Dpc), 0xC8);
    CHECK_EQ(offsetof(DEVICE_OBJECT, ActiveThreadCount), 0x108);
    CHECK_EQ(offsetof(DEVICE_OBJECT, SecurityDescriptor), 0x110);
    CHECK_EQ(offsetof(DEVICE_OBJECT, DeviceLock), 0x118);
    CHECK_EQ(offsetof(DEVICE_OBJECT, SectorSize), 0x130);
    CHECK_EQ(offsetof(DEVICE_OBJECT, Spare1), 0x132);
    CHECK_EQ(offsetof(DEVICE_OBJECT, DeviceObjectExtension), 0x138);
    CHECK_EQ(offsetof(DEVICE_OBJECT, Reserved), 0x140);

    /* DRIVER_EXTENSION */
    CHECK_EQ(sizeof(DRIVER_EXTENSION), 0x28);
    CHECK_EQ(offsetof(DRIVER_EXTENSION, DriverObject), 0x0);
    CHECK_EQ(offsetof(DRIVER_EXTENSION, AddDevice), 0x8);
    CHECK_EQ(offsetof(DRIVER_EXTENSION, Count), 0x10);
    CHECK_EQ(offsetof(DRIVER_EXTENSION, ServiceKeyName), 0x18);

    /* DRIVER_OBJECT */
    CHECK_EQ(sizeof(DRIVER_OBJECT), 0x150);
    CHECK_EQ(offsetof(DRIVER_OBJECT, Type), 0x0);
    CHECK_EQ(offsetof(DRIVER_OBJECT, Size), 0x2);
    CHECK_EQ(offsetof(DRIVER_OBJECT, DeviceObject), 0x8);
    CHECK_EQ(offsetof(DRIVER_OBJECT, Flags), 0x10);
    CHECK_EQ(offsetof(DRIVER_OBJECT, DriverStart), 0x18);
    CHECK_EQ(offsetof(DRIVER_OBJECT, DriverSize), 0x20);
    CHECK_EQ(offsetof(DRIVER_OBJECT, DriverSection), 0x28);
    CHECK_EQ(offsetof(DRIVER_OBJECT, DriverExtension), 0x30);
    CHECK_EQ(offsetof(DRIVER_OBJECT, DriverName), 0x38);
    CHECK_EQ(offsetof(DRIVER_OBJECT, HardwareDatabase), 0x48);
    CHECK_EQ(offsetof(DRIVER_OBJECT, FastIoDispatch), 0x50);
    CHECK_EQ(offsetof(DRIVER_OBJECT, DriverInit), 0x58);
    CHECK_EQ(offsetof(DRIVER_OBJECT, DriverStartIo), 0x60);
    CHECK_EQ(offsetof(DRIVER_OBJECT, DriverUnload), 0x68);
    CHECK_EQ(offsetof(DRIVER_OBJECT, MajorFunction), 0x70);

    /* IO_COMPLETION_CONTEXT (FILE_OBJECT.CompletionContext) */
    CHECK_EQ(sizeof(IO_COMPLETION_CONTEXT), 0x10);
    CHECK_EQ(offsetof(IO_COMPLETION_CONTEXT, Port), 0x0);
    CHECK_EQ(offsetof(IO_COMPLETION_CONTEXT, Key), 0x8);

    /* FILE_COMPLETION_INFORMATION, FILE_IO_COMPLETION_INFORMATION (whose layout
     * OVERLAPPED_ENTRY shares), FILE_IO_COMPLETION_NOTIFICATION_INFORMATION, their classes */
    CHECK_EQ(sizeof(FILE_COMPLETION_INFORMATION), 0x10);
    CHECK_EQ(offsetof(FILE_COMPLETION_INFORMATION, Port), 0x0);
    CHECK_EQ(offsetof(FILE_COMPLETION_INFORMATION, Key), 0x8);
    CHECK_EQ(sizeof(FILE_IO_COMPLETION_INFORMATION), 0x20);
    CHECK_EQ(offsetof(FILE_IO_COMPLETION_INFORMATION, KeyContext), 0x0);
    CHECK_EQ(offsetof(FILE_IO_COMPLETION_INFORMATION, ApcContext), 0x8);
    CHECK_EQ(offsetof(FILE_IO_COMPLETION_INFORMATION, IoStatusBlock), 0x10);
    CHECK_EQ(sizeof(FILE_IO_COMPLETION_NOTIFICATION_INFORMATION), 0x4);
    CHECK_EQ(FileCompletionInformation, 30);
    CHECK_EQ(FileIoCompletionNotificationInformation, 41);
    CHECK_EQ(FILE_SKIP_COMPLETION_PORT_ON_SUCCESS, 0x1);
    CHECK_EQ(FILE_SKIP_SET_EVENT_ON_HANDLE, 0x2);
    CHECK_EQ(FILE_SKIP_SET_USER_EVENT_ON_FAST_IO, 0x4);
    CHECK_EQ(IO_COMPLETION_QUERY_STATE, 0x1);
    CHECK_EQ(IO_COMPLETION_MODIFY_STATE, 0x2);
    CHECK_EQ(IO_COMPLETION_ALL_ACCESS, 0x1F0003);
    CHECK_EQ(sizeof(IO_COMPLETION_BASIC_INFORMATION), 0x4);

    /* FILE_OBJECT */
    CHECK_EQ(sizeof(FILE_OBJECT), 0xD8);
    CHECK_EQ(offsetof(FILE_OBJECT, Type), 0x0);
    CHECK_EQ(offsetof(FILE_OBJECT, Size), 0x2);
    CHECK_EQ(offsetof(FILE_OBJECT, DeviceObject), 0x8);
    CHECK_EQ(offsetof(FILE_OBJECT, Vpb), 0x10);
    CHECK_EQ(offsetof(FILE_OBJECT, FsContext), 0x18);
    CHECK_EQ(offsetof(FILE_OBJECT, FsContext2), 0x20);
    CHECK_EQ(offsetof(FILE_OBJECT, SectionObjectPointer), 0x28);
    CHECK_EQ(offsetof(FILE_OBJECT, PrivateCacheMap), 0x30);
    CHECK_EQ(offsetof(FILE_OBJECT, FinalStatus), 0x38);
    CHECK_EQ(offsetof(FILE_OBJECT, RelatedFileObject), 0x40);
    CHECK_EQ(offsetof(FILE_OBJECT, LockOperation), 0x48);
    CHECK_EQ(offsetof(FILE_OBJECT, DeletePending), 0x49);
    CHECK_EQ(offsetof(FILE_OBJECT, ReadAccess), 0x4A);
    CHECK_EQ(offsetof(FILE_OBJECT, WriteAccess), 0x4B);
    CHECK_EQ(offsetof(FILE_OBJECT, DeleteAccess), 0x4C);
    CHECK_EQ(offsetof(FILE_OBJECT, SharedRead), 0x4D);
    CHECK_EQ(offsetof(FILE_OBJECT, SharedWrite), 0x4E);
    CHECK_EQ(offsetof(FILE_OBJECT, SharedDelete), 0x4F);
    CHECK_EQ(offsetof(FILE_OBJECT, Flags), 0x50);
    CHECK_EQ(offsetof(FILE_OBJECT, FileName), 0x58);
    CHECK_EQ(offsetof(FILE_OBJECT, CurrentByteOffset), 0x68);
    CHECK_EQ(offsetof(FILE_OBJECT, Waiters), 0x70);
    CHECK_EQ(offsetof(FILE_OBJECT, Busy), 0x74);
    CHECK_EQ(offsetof(FILE_OBJECT, LastLock), 0x78);
    CHECK_EQ(offsetof(FILE_OBJECT, Lock), 0x80);
    CHECK_EQ(offsetof(FILE_OBJECT, Event), 0x98);
    CHECK_EQ(offsetof(FILE_OBJECT, CompletionContext), 0xB0);
    CHECK_EQ(offsetof(FILE_OBJECT, IrpListLock), 0xB8);
    CHECK_EQ(offsetof(FILE_OBJECT, IrpList), 0xC0);
    CHECK_EQ(offsetof(FILE_OBJECT, FileObjectExtension), 0xD0);

    /* MDL */
    CHECK_EQ(sizeof(MDL), 0x30);
    CHECK_EQ(offsetof(MDL, Next), 0x0);
    CHECK_EQ(offsetof(MDL, Size), 0x8);
    CHECK_EQ(offsetof(MDL, MdlFlags), 0xA);
    CHECK_EQ(offsetof(MDL, Process), 0x10);
    CHECK_EQ(offsetof(MDL, MappedSystemVa), 0x18);
    CHECK_EQ(offsetof(MDL, StartVa), 0x20);
    CHECK_EQ(offsetof(MDL, ByteCount), 0x28);
    CHECK_EQ(offsetof(MDL, ByteOffset), 0x2C);

    /* IO_SECURITY_CONTEXT */
    CHECK_EQ(sizeof(IO_SECURITY_CONTEXT), 0x18);
    CHECK_EQ(offsetof(IO_SECURITY_CONTEXT, SecurityQos), 0x0);
    CHECK_EQ(offsetof(IO_SECURITY_CONTEXT, AccessState), 0x8);
    CHECK_EQ(offsetof(IO_SECURITY_CONTEXT, DesiredAccess), 0x10);
    CHECK_EQ(offsetof(IO_SECURITY_CONTEXT, FullCreateOptions), 0x14);

    /* IRP */
    CHECK_EQ(sizeof(IRP), 0xD0);
    CHECK_EQ(_Alignof(IRP), 0x10);
    CHECK_EQ(offsetof(IRP, Type), 0x0);
    CHECK_EQ(offsetof(IRP, Size), 0x2);
    CHECK_EQ(offsetof(IRP, MdlAddress), 0x8);
    CHECK_EQ(offsetof(IRP, Flags), 0x10);
    CHECK_EQ(offsetof(IRP, AssociatedIrp), 0x18);
    CHECK_EQ(offsetof(IRP, AssociatedIrp.MasterIrp), 0x18);
    CHECK_EQ(offsetof(IRP, AssociatedIrp.IrpCount), 0x18);
    CHECK_EQ(offsetof(IRP, AssociatedIrp.SystemBuffer), 0x18);
    CHECK_EQ(offsetof(IRP, ThreadListEntry), 0x20);
    CHECK_EQ(offsetof(IRP, IoStatus), 0x30);
    CHECK_EQ(offsetof(IRP, IoStatus.Status), 0x30);
    CHECK_EQ(offsetof(IRP, IoStatus.Information), 0x38);
    CHECK_EQ(offsetof(IRP, RequestorMode), 0x40);
    CHECK_EQ(offsetof(IRP, PendingReturned), 0x41);
    CHECK_EQ(offsetof(IRP, StackCount), 0x42);
    CHECK_EQ(offsetof(IRP, CurrentLocation), 0x43);
    CHECK_EQ(offsetof(IRP, Cancel), 0x44);
    CHECK_EQ(offsetof(IRP, CancelIrql), 0x45);
    CHECK_EQ(offsetof(IRP, ApcEnvironment), 0x46);
    CHECK_EQ(offsetof(IRP, AllocationFlags), 0x47);
    CHECK_EQ(offsetof(IRP, UserIosb), 0x48);
    CHECK_EQ(offsetof(IRP, UserEvent), 0x50);
    CHECK_EQ(offsetof(IRP, Overlay), 0x58);
    CHECK_EQ(offsetof(IRP, Overlay.AsynchronousParameters.UserApcRoutine), 0x58);
    CHECK_EQ(offsetof(IRP, Overlay.AsynchronousParameters.IssuingProcess), 0x58);
    CHECK_EQ(offsetof(IRP, Overlay.AsynchronousParameters.UserApcContext), 0x60);
    CHECK_EQ(offsetof(IRP, Overlay.AllocationSize), 0x58);
    CHECK_EQ(offsetof(IRP, CancelRoutine), 0x68);
    CHECK_EQ(offsetof(IRP, UserBuffer), 0x70);
    CHECK_EQ(offsetof(IRP, Tail), 0x78);
    CHECK_EQ(offsetof(IRP, Tail.Overlay.DeviceQueueEntry), 0x78);
    CHECK_EQ(offsetof(IRP, Tail.Overlay.DriverContext), 0x78);
    CHECK_EQ(offsetof(IRP, Tail.Overlay.Thread), 0x98);
    CHECK_EQ(offsetof(IRP, Tail.Overlay.AuxiliaryBuffer), 0xA0);
    CHECK_EQ(offsetof(IRP, Tail.Overlay.ListEntry), 0xA8);
    CHECK_EQ(offsetof(IRP, Tail.Overlay.CurrentStackLocation), 0xB8);
    CHECK_EQ(offsetof(IRP, Tail.Overlay.PacketType), 0xB8);
    CHECK_EQ(offsetof(IRP, Tail.Overlay.OriginalFileObject), 0xC0);
    CHECK_EQ(offsetof(IRP, Tail.Apc), 0x78);
    CHECK_EQ(offsetof(IRP, Tail.CompletionKey), 0x78);
    CHECK_EQ(offsetof(IRP, AllocationProcessorNumber), 0x4);
    CHECK_EQ(offsetof(IRP, Reserved), 0x6);
    CHECK_EQ(offsetof(IRP, IoRingContext), 0x48);
    CHECK_EQ(offsetof(IRP, Overlay.AsynchronousParameters.IoRing), 0x60);

    /* Cancel-safe queues: IO_CSQ_IRP_CONTEXT, IO_CSQ (wdm.h). */
    CHECK_EQ(sizeof(IO_CSQ_IRP_CONTEXT), 0x18);
    CHECK_EQ(offsetof(IO_CSQ_IRP_CONTEXT, Type), 0x0);
    CHECK_EQ(offsetof(IO_CSQ_IRP_CONTEXT, Irp), 0x8);
    CHECK_EQ(offsetof(IO_CSQ_IRP_CONTEXT, Csq), 0x10);
    CHECK_EQ(sizeof(IO_CSQ), 0x40);
    CHECK_EQ(offsetof(IO_CSQ, Type), 0x0);
    CHECK_EQ(offsetof(IO_CSQ, CsqInsertIrp), 0x8);
    CHECK_EQ(offsetof(IO_CSQ, CsqRemoveIrp), 0x10);
    CHECK_EQ(offsetof(IO_CSQ, CsqPeekNextIrp), 0x18);
    CHECK_EQ(offsetof(IO_CSQ, CsqAcquireLock), 0x20);
    CHECK_EQ(offsetof(IO_CSQ, CsqReleaseLock), 0x28);
    CHECK_EQ(offsetof(IO_CSQ, CsqCompleteCanceledIrp), 0x30);
    CHECK_EQ(offsetof(IO_CSQ, ReservePointer), 0x38);
    CHECK_EQ(IO_TYPE_CSQ_IRP_CONTEXT, 1);
    CHECK_EQ(IO_TYPE_CSQ, 2);
    CHECK_EQ(IO_TYPE_CSQ_EX, 3);
    /* IO_STACK_LOCATION */
    CHECK_EQ(sizeof(IO_STACK_LOCATION), 0x48);
    CHECK_EQ(offsetof(IO_STACK_LOCATION, MajorFunction), 0x0);
    CHECK_EQ(offsetof(IO_STACK_LOCATION, MinorFunction), 0x1);
    CHECK_EQ(offsetof(IO_STACK_LOCATION, Flags), 0x2);
    CHECK_EQ(offsetof(IO_STACK_LOCATION, Control), 0x3);
    CHECK_EQ(offsetof(IO_STACK_LOCATION, Parameters), 0x8);
    CHECK_EQ(offsetof(IO_STACK_LOCATION, DeviceObject), 0x28);
    CHECK_EQ(offsetof(IO_STACK_LOCATION, FileObject), 0x30);
    CHECK_EQ(offsetof(IO_STACK_LOCATION, CompletionRoutine), 0x38);
    CHECK_EQ(offsetof(IO_STACK_LOCATION, Context), 0x40);
    CHECK_EQ(offsetof(IO_STACK_LOCATION, Parameters.Create.SecurityContext), 0x8);
    CHECK_EQ(offsetof(IO_STACK_LOCATION, Parameters.Create.Options), 0x10);
    CHECK_EQ(offsetof(IO_STACK_LOCATION, Parameters.Create.FileAttributes), 0x18);
    CHECK_EQ(offsetof(IO_STACK_LOCATION, Parameters.Create.ShareAccess), 0x1A);
    CHECK_EQ(offsetof(IO_STACK_LOCATION, Parameters.Create.EaLength), 0x20);
    CHECK_EQ(offsetof(IO_STACK_LOCATION, Parameters.Read.Length), 0x8);
    CHECK_EQ(offsetof(IO_STACK_LOCATION, Parameters.Read.Key), 0x10);
    CHECK_EQ(offsetof(IO_STACK_LOCATION, Parameters.Read.Flags), 0x14);
    CHECK_EQ(offsetof(IO_STACK_LOCATION, Parameters.Read.ByteOffset), 0x18);
    CHECK_EQ(offsetof(IO_STACK_LOCATION, Parameters.Write.Length), 0x8);
    CHECK_EQ(offsetof(IO_STACK_LOCATION, Parameters.Write.Key), 0x10);
    CHECK_EQ(offsetof(IO_STACK_LOCATION, Parameters.Write.Flags), 0x14);
    CHECK_EQ(offsetof(IO_STACK_LOCATION, Parameters.Write.ByteOffset), 0x18);
    CHECK_EQ(offsetof(IO_STACK_LOCATION, Parameters.QueryDirectory.Length), 0x8);
    CHECK_EQ(offsetof(IO_STACK_LOCATION, Parameters.QueryDirectory.FileName), 0x10);
    CHECK_EQ(offsetof(IO_STACK_LOCATION, Parameters.QueryDirectory.FileInformationClass), 0x18);
    CHECK_EQ(offsetof(IO_STACK_LOCATION, Parameters.QueryDirectory.FileIndex), 0x20);
    CHECK_EQ(offsetof(IO_STACK_LOCATION, Parameters.QueryFile.Length), 0x8);
    CHECK_EQ(offsetof(IO_STACK_LOCATION, Parameters.QueryFile.FileInformationClass), 0x10);
    CHECK_EQ(offsetof(IO_STACK_LOCATION, Parameters.SetFile.Length), 0x8);
    CHECK_EQ(offsetof(IO_STACK_LOCATION, Parameters.SetFile.FileInformationClass), 0x10);
    CHECK_EQ(offsetof(IO_STACK_LOCATION, Parameters.SetFile.FileObject), 0x18);
    CHECK_EQ(offsetof(IO_STACK_LOCATION, Parameters.SetFile.ReplaceIfExists), 0x20);
    CHECK_EQ(offsetof(IO_STACK_LOCATION, Parameters.SetFile.AdvanceOnly), 0x21);
    CHECK_EQ(offsetof(IO_STACK_LOCATION, Parameters.SetFile.ClusterCount), 0x20);
    CHECK_EQ(offsetof(IO_STACK_LOCATION, Parameters.SetFile.DeleteHandle), 0x20);
    CHECK_EQ(offsetof(IO_STACK_LOCATION, Parameters.QueryVolume.Length), 0x8);
    CHECK_EQ(offsetof(IO_STACK_LOCATION, Parameters.QueryVolume.FsInformationClass), 0x10);
    CHECK_EQ(offsetof(IO_STACK_LOCATION, Parameters.FileSystemControl.OutputBufferLength), 0x8);
    CHECK_EQ(offsetof(IO_STACK_LOCATION, Parameters.FileSystemControl.InputBufferLength), 0x10);
    CHECK_EQ(offsetof(IO_STACK_LOCATION, Parameters.FileSystemControl.FsControlCode), 0x18);
    CHECK_EQ(offsetof(IO_STACK_LOCATION, Parameters.FileSystemControl.Type3InputBuffer), 0x20);
    CHECK_EQ(offsetof(IO_STACK_LOCATION, Parameters.LockControl.Length), 0x8);
    CHECK_EQ(offsetof(IO_STACK_LOCATION, Parameters.LockControl.Key), 0x10);
    CHECK_EQ(offsetof(IO_STACK_LOCATION, Parameters.LockControl.ByteOffset), 0x18);
    CHECK_EQ(offsetof(IO_STACK_LOCATION, Parameters.DeviceIoControl.OutputBufferLength), 0x8);
    CHECK_EQ(offsetof(IO_STACK_LOCATION, Parameters.DeviceIoControl.InputBufferLength), 0x10);
    CHECK_EQ(offsetof(IO_STACK_LOCATION, Parameters.DeviceIoControl.IoControlCode), 0x18);
    CHECK_EQ(offsetof(IO_STACK_LOCATION, Parameters.DeviceIoControl.Type3InputBuffer), 0x20);
    CHECK_EQ(offsetof(IO_STACK_LOCATION, Parameters.QuerySecurity.SecurityInformation), 0x8);
    CHECK_EQ(offsetof(IO_STACK_LOCATION, Parameters.QuerySecurity.Length), 0x10);
    CHECK_EQ(offsetof(IO_STACK_LOCATION, Parameters.SetSecurity.SecurityInformation), 0x8);
    CHECK_EQ(offsetof(IO_STACK_LOCATION, Parameters.SetSecurity.SecurityDescriptor), 0x10);
    CHECK_EQ(offsetof(IO_STACK_LOCATION, Parameters.QueryDeviceRelations.Type), 0x8);
    CHECK_EQ(offsetof(IO_STACK_LOCATION, Parameters.QueryInterface.InterfaceType), 0x8);
    CHECK_EQ(offsetof(IO_STACK_LOCATION, Parameters.QueryInterface.Size), 0x10);
    CHECK_EQ(offsetof(IO_STACK_LOCATION, Parameters.QueryInterface.Version), 0x12);
    CHECK_EQ(offsetof(IO_STACK_LOCATION, Parameters.QueryInterface.Interface), 0x18);
    CHECK_EQ(offsetof(IO_STACK_LOCATION, Parameters.QueryInterface.InterfaceSpecificData), 0x20);
    CHECK_EQ(offsetof(IO_STACK_LOCATION, Parameters.DeviceCapabilities.Capabilities), 0x8);
    CHECK_EQ(offsetof(IO_STACK_LOCATION, Parameters.StartDevice.AllocatedResources), 0x8);
    CHECK_EQ(offsetof(IO_STACK_LOCATION, Parameters.StartDevice.AllocatedResourcesTranslated), 0x10);
    CHECK_EQ(offsetof(IO_STACK_LOCATION, Parameters.WMI.ProviderId), 0x8);
    CHECK_EQ(offsetof(IO_STACK_LOCATION, Parameters.WMI.DataPath), 0x10);
    CHECK_EQ(offsetof(IO_STACK_LOCATION, Parameters.WMI.BufferSize), 0x18);
    CHECK_EQ(offsetof(IO_STACK_LOCATION, Parameters.WMI.Buffer), 0x20);
    CHECK_EQ(offsetof(IO_STACK_LOCATION, Parameters.Power.SystemContext), 0x8);
    CHECK_EQ(offsetof(IO_STACK_LOCATION, Parameters.Power.Type), 0x10);
    CHECK_EQ(offsetof(IO_STACK_LOCATION, Parameters.Power.State), 0x18);
    CHECK_EQ(offsetof(IO_STACK_LOCATION, Parameters.Power.ShutdownType), 0x20);
    CHECK_EQ(offsetof(IO_STACK_LOCATION, Parameters.Others.Argument1), 0x8);
    CHECK_EQ(offsetof(IO_STACK_LOCATION, Parameters.Others.Argument2), 0x10);
    CHECK_EQ(offsetof(IO_STACK_LOCATION, Parameters.Others.Argument3), 0x18);
    CHECK_EQ(offsetof(IO_STACK_LOCATION, Parameters.Others.Argument4), 0x20);

    /* TEB */
    CHECK_EQ(offsetof(TEB, NtTib), 0x0);
    CHECK_EQ(offsetof(TEB, EnvironmentPointer), 0x38);
    CHECK_EQ(offsetof(TEB, ClientId), 0x40);
    CHECK_EQ(offsetof(TEB, ActiveRpcHandle), 0x50);
    CHECK_EQ(offsetof(TEB, ThreadLocalStoragePointer), 0x58);
    CHECK_EQ(offsetof(TEB, ProcessEnvironmentBlock), 0x60);
    CHECK_EQ(offsetof(TEB, LastErrorValue), 0x68);
    CHECK_EQ(offsetof(TEB, CountOfOwnedCriticalSections), 0x6C);
    CHECK_EQ(offsetof(TEB, CsrClientThread), 0x70);
    CHECK_EQ(offsetof(TEB, Win32ThreadInfo), 0x78);
    CHECK_EQ(offsetof(TEB, User32Reserved), 0x80);
    CHECK_EQ(offsetof(TEB, UserReserved), 0xE8);
    CHECK_EQ(offsetof(TEB, WOW32Reserved), 0x100);
    CHECK_EQ(offsetof(TEB, CurrentLocale), 0x108);
    CHECK_EQ(offsetof(TEB, FpSoftwareStatusRegister), 0x10C);
    CHECK_EQ(offsetof(TEB, ReservedForDebuggerInstrumentation), 0x110);
    CHECK_EQ(offsetof(TEB, SystemReserved1), 0x190);
    CHECK_EQ(offsetof(TEB, PlaceholderCompatibilityMode), 0x280);
    CHECK_EQ(offsetof(TEB, PlaceholderReserved), 0x281);
    CHECK_EQ(offsetof(TEB, ProxiedProcessId), 0x28C);
    CHECK_EQ(offsetof(TEB, ActivationStack), 0x290);
    CHECK_EQ(offsetof(TEB, WorkingOnBehalfOfTicket), 0x2B8);
    CHECK_EQ(offsetof(TEB, ExceptionCode), 0x2C0);

    /* NT_TIB */
    CHECK_EQ(sizeof(NT_TIB), 0x38);
    CHECK_EQ(offsetof(NT_TIB, ExceptionList), 0x0);
    CHECK_EQ(offsetof(NT_TIB, StackBase), 0x8);
    CHECK_EQ(offsetof(NT_TIB, StackLimit), 0x10);
    CHECK_EQ(offsetof(NT_TIB, SubSystemTib), 0x18);
    CHECK_EQ(offsetof(NT_TIB, FiberData), 0x20);
    CHECK_EQ(offsetof(NT_TIB, ArbitraryUserPointer), 0x28);
    CHECK_EQ(offsetof(NT_TIB, Self), 0x30);

    /* THREAD_BASIC_INFORMATION */
    CHECK_EQ(sizeof(THREAD_BASIC_INFORMATION), 0x30);
    CHECK_EQ(offsetof(THREAD_BASIC_INFORMATION, ExitStatus), 0x0);
    CHECK_EQ(offsetof(THREAD_BASIC_INFORMATION, TebBaseAddress), 0x8);
    CHECK_EQ(offsetof(THREAD_BASIC_INFORMATION, ClientId), 0x10);
    CHECK_EQ(offsetof(THREAD_BASIC_INFORMATION, AffinityMask), 0x20);
    CHECK_EQ(offsetof(THREAD_BASIC_INFORMATION, Priority), 0x28);
    CHECK_EQ(offsetof(THREAD_BASIC_INFORMATION, BasePriority), 0x2C);

    /* PROCESS_BASIC_INFORMATION */
    CHECK_EQ(sizeof(PROCESS_BASIC_INFORMATION), 0x30);
    CHECK_EQ(offsetof(PROCESS_BASIC_INFORMATION, ExitStatus), 0x0);
    CHECK_EQ(offsetof(PROCESS_BASIC_INFORMATION, PebBaseAddress), 0x8);
    CHECK_EQ(offsetof(PROCESS_BASIC_INFORMATION, AffinityMask), 0x10);
    CHECK_EQ(offsetof(PROCESS_BASIC_INFORMATION, BasePriority), 0x18);
    CHECK_EQ(offsetof(PROCESS_BASIC_INFORMATION, UniqueProcessId), 0x20);
    CHECK_EQ(offsetof(PROCESS_BASIC_INFORMATION, InheritedFromUniqueProcessId), 0x28);

    /* object attributes */
    CHECK_EQ(OBJ_INHERIT, 0x2);
    CHECK_EQ(OBJ_PERMANENT, 0x10);
    CHECK_EQ(OBJ_EXCLUSIVE, 0x20);
    CHECK_EQ(OBJ_CASE_INSENSITIVE, 0x40);
    CHECK_EQ(OBJ_OPENIF, 0x80);
    CHECK_EQ(OBJ_OPENLINK, 0x100);
    CHECK_EQ(OBJ_KERNEL_HANDLE, 0x200);
    CHECK_EQ(OBJ_FORCE_ACCESS_CHECK, 0x400);
    CHECK_EQ(OBJ_IGNORE_IMPERSONATED_DEVICEMAP, 0x800);
    CHECK_EQ(OBJ_DONT_REPARSE, 0x1000);
    CHECK_EQ(OBJ_VALID_ATTRIBUTES, 0x1FF2);

    /* access rights and limits */
    CHECK_EQ(DELETE, 0x10000);
    CHECK_EQ(READ_CONTROL, 0x20000);
    CHECK_EQ(WRITE_DAC, 0x40000);
    CHECK_EQ(WRITE_OWNER, 0x80000);
    CHECK_EQ(SYNCHRONIZE, 0x100000);
    CHECK_EQ(STANDARD_RIGHTS_REQUIRED, 0xF0000);
    CHECK_EQ(STANDARD_RIGHTS_READ, 0x20000);
    CHECK_EQ(STANDARD_RIGHTS_WRITE, 0x20000);
    CHECK_EQ(STANDARD_RIGHTS_EXECUTE, 0x20000);
    CHECK_EQ(STANDARD_RIGHTS_ALL, 0x1F0000);
    CHECK_EQ(SPECIFIC_RIGHTS_ALL, 0xFFFF);
    CHECK_EQ(ACCESS_SYSTEM_SECURITY, 0x1000000);
    CHECK_EQ(MAXIMUM_ALLOWED, 0x2000000);
    CHECK_EQ(GENERIC_READ, 0x80000000);
    CHECK_EQ(GENERIC_WRITE, 0x40000000);
    CHECK_EQ(GENERIC_EXECUTE, 0x20000000);
    CHECK_EQ(GENERIC_ALL, 0x10000000);
    CHECK_EQ(THREAD_CREATE_FLAGS_CREATE_SUSPENDED, 0x1);
    CHECK_EQ(MAXIMUM_WAIT_OBJECTS, 0x40);
    CHECK_EQ(THREAD_WAIT_OBJECTS, 0x3);
    CHECK_EQ(THREAD_TERMINATE, 0x1);
    CHECK_EQ(THREAD_SUSPEND_RESUME, 0x2);
    CHECK_EQ(THREAD_ALERT, 0x4);
    CHECK_EQ(THREAD_GET_CONTEXT, 0x8);
    CHECK_EQ(THREAD_SET_CONTEXT, 0x10);
    CHECK_EQ(THREAD_SET_INFORMATION, 0x20);
    CHECK_EQ(THREAD_QUERY_INFORMATION, 0x40);
    CHECK_EQ(THREAD_SET_THREAD_TOKEN, 0x80);
    CHECK_EQ(THREAD_IMPERSONATE, 0x100);
    CHECK_EQ(THREAD_DIRECT_IMPERSONATION, 0x200);
    CHECK_EQ(THREAD_SET_LIMITED_INFORMATION, 0x400);
    CHECK_EQ(THREAD_QUERY_LIMITED_INFORMATION, 0x800);
    CHECK_EQ(THREAD_RESUME, 0x1000);
    CHECK_EQ(THREAD_ALL_ACCESS, 0x1FFFFF);
    CHECK_EQ(PROCESS_TERMINATE, 0x1);
    CHECK_EQ(PROCESS_CREATE_THREAD, 0x2);
    CHECK_EQ(PROCESS_SET_SESSIONID, 0x4);
    CHECK_EQ(PROCESS_VM_OPERATION, 0x8);
    CHECK_EQ(PROCESS_VM_READ, 0x10);
    CHECK_EQ(PROCESS_VM_WRITE, 0x20);
    CHECK_EQ(PROCESS_DUP_HANDLE, 0x40);
    CHECK_EQ(PROCESS_CREATE_PROCESS, 0x80);
    CHECK_EQ(PROCESS_SET_QUOTA, 0x100);
    CHECK_EQ(PROCESS_SET_INFORMATION, 0x200);
    CHECK_EQ(PROCESS_QUERY_INFORMATION, 0x400);
    CHECK_EQ(PROCESS_SUSPEND_RESUME, 0x800);
    CHECK_EQ(PROCESS_QUERY_LIMITED_INFORMATION, 0x1000);
    CHECK_EQ(PROCESS_SET_LIMITED_INFORMATION, 0x2000);
    CHECK_EQ(PROCESS_ALL_ACCESS, 0x1FFFFF);
    CHECK_EQ(EVENT_QUERY_STATE, 0x1);
    CHECK_EQ(EVENT_MODIFY_STATE, 0x2);
    CHECK_EQ(EVENT_ALL_ACCESS, 0x1F0003);
    CHECK_EQ(SEMAPHORE_QUERY_STATE, 0x1);
    CHECK_EQ(SEMAPHORE_MODIFY_STATE, 0x2);
    CHECK_EQ(SEMAPHORE_ALL_ACCESS, 0x1F0003);
    CHECK_EQ(DIRECTORY_QUERY, 0x1);
    CHECK_EQ(DIRECTORY_TRAVERSE, 0x2);
    CHECK_EQ(DIRECTORY_CREATE_OBJECT, 0x4);
    CHECK_EQ(DIRECTORY_CREATE_SUBDIRECTORY, 0x8);
    CHECK_EQ(DIRECTORY_ALL_ACCESS, 0xF000F);
    CHECK_EQ(SYMBOLIC_LINK_QUERY, 0x1);
    CHECK_EQ(SYMBOLIC_LINK_ALL_ACCESS, 0xF0001);

    /* file access, dispositions, options and results */
    CHECK_EQ(FILE_READ_DATA, 0x1);
    CHECK_EQ(FILE_LIST_DIRECTORY, 0x1);
    CHECK_EQ(FILE_WRITE_DATA, 0x2);
    CHECK_EQ(FILE_ADD_FILE, 0x2);
    CHECK_EQ(FILE_APPEND_DATA, 0x4);
    CHECK_EQ(FILE_ADD_SUBDIRECTORY, 0x4);
    CHECK_EQ(FILE_CREATE_PIPE_INSTANCE, 0x4);
    CHECK_EQ(FILE_READ_EA, 0x8);
    CHECK_EQ(FILE_WRITE_EA, 0x10);
    CHECK_EQ(FILE_EXECUTE, 0x20);
    CHECK_EQ(FILE_TRAVERSE, 0x20);
    CHECK_EQ(FILE_DELETE_CHILD, 0x40);
    CHECK_EQ(FILE_READ_ATTRIBUTES, 0x80);
    CHECK_EQ(FILE_WRITE_ATTRIBUTES, 0x100);
    CHECK_EQ(FILE_ALL_ACCESS, 0x1F01FF);
    CHECK_EQ(FILE_GENERIC_READ, 0x120089);
    CHECK_EQ(FILE_GENERIC_WRITE, 0x120116);
    CHECK_EQ(FILE_GENERIC_EXECUTE, 0x1200A0);
    CHECK_EQ(FILE_SUPERSEDE, 0x0);
    CHECK_EQ(FILE_OPEN, 0x1);
    CHECK_EQ(FILE_CREATE, 0x2);
    CHECK_EQ(FILE_OPEN_IF, 0x3);
    CHECK_EQ(FILE_OVERWRITE, 0x4);
    CHECK_EQ(FILE_OVERWRITE_IF, 0x5);
    CHECK_EQ(FILE_MAXIMUM_DISPOSITION, 0x5);
    CHECK_EQ(FILE_DIRECTORY_FILE, 0x1);
    CHECK_EQ(FILE_WRITE_THROUGH, 0x2);
    CHECK_EQ(FILE_SEQUENTIAL_ONLY, 0x4);
    CHECK_EQ(FILE_NO_INTERMEDIATE_BUFFERING, 0x8);
    CHECK_EQ(FILE_SYNCHRONOUS_IO_ALERT, 0x10);
    CHECK_EQ(FILE_SYNCHRONOUS_IO_NONALERT, 0x20);
    CHECK_EQ(FILE_NON_DIRECTORY_FILE, 0x40);
    CHECK_EQ(FILE_CREATE_TREE_CONNECTION, 0x80);
    CHECK_EQ(FILE_COMPLETE_IF_OPLOCKED, 0x100);
    CHECK_EQ(FILE_NO_EA_KNOWLEDGE, 0x200);
    CHECK_EQ(FILE_OPEN_REMOTE_INSTANCE, 0x400);
    CHECK_EQ(FILE_RANDOM_ACCESS, 0x800);
    CHECK_EQ(FILE_DELETE_ON_CLOSE, 0x1000);
    CHECK_EQ(FILE_OPEN_BY_FILE_ID, 0x2000);
    CHECK_EQ(FILE_OPEN_FOR_BACKUP_INTENT, 0x4000);
    CHECK_EQ(FILE_NO_COMPRESSION, 0x8000);
    CHECK_EQ(FILE_RESERVE_OPFILTER, 0x100000);
    CHECK_EQ(FILE_OPEN_REPARSE_POINT, 0x200000);
    CHECK_EQ(FILE_OPEN_NO_RECALL, 0x400000);
    CHECK_EQ(FILE_OPEN_FOR_FREE_SPACE_QUERY, 0x800000);
    CHECK_EQ(FILE_VALID_OPTION_FLAGS, 0xFFFFFF);
    CHECK_EQ(FILE_SUPERSEDED, 0x0);
    CHECK_EQ(FILE_OPENED, 0x1);
    CHECK_EQ(FILE_CREATED, 0x2);
    CHECK_EQ(FILE_OVERWRITTEN, 0x3);
    CHECK_EQ(FILE_EXISTS, 0x4);
    CHECK_EQ(FILE_DOES_NOT_EXIST, 0x5);
    CHECK_EQ(FILE_ANY_ACCESS, 0x0);
    CHECK_EQ(FILE_SPECIAL_ACCESS, 0x0);
    CHECK_EQ(FILE_READ_ACCESS, 0x1);
    CHECK_EQ(FILE_WRITE_ACCESS, 0x2);

    /* file share access */
    CHECK_EQ(FILE_SHARE_READ, 0x1);
    CHECK_EQ(FILE_SHARE_WRITE, 0x2);
    CHECK_EQ(FILE_SHARE_DELETE, 0x4);
    CHECK_EQ(FILE_SHARE_VALID_FLAGS, 0x7);

    /* file attributes */
    CHECK_EQ(FILE_ATTRIBUTE_READONLY, 0x1);
    CHECK_EQ(FILE_ATTRIBUTE_HIDDEN, 0x2);
    CHECK_EQ(FILE_ATTRIBUTE_SYSTEM, 0x4);
    CHECK_EQ(FILE_ATTRIBUTE_DIRECTORY, 0x10);
    CHECK_EQ(FILE_ATTRIBUTE_ARCHIVE, 0x20);
    CHECK_EQ(FILE_ATTRIBUTE_DEVICE, 0x40);
    CHECK_EQ(FILE_ATTRIBUTE_NORMAL, 0x80);
    CHECK_EQ(FILE_ATTRIBUTE_TEMPORARY, 0x100);
    CHECK_EQ(FILE_ATTRIBUTE_VALID_FLAGS, 0x7FB7);

    /* I/O control methods */
    CHECK_EQ(METHOD_BUFFERED, 0x0);
    CHECK_EQ(METHOD_IN_DIRECT, 0x1);
    CHECK_EQ(METHOD_OUT_DIRECT, 0x2);
    CHECK_EQ(METHOD_NEITHER, 0x3);
    CHECK_EQ(METHOD_DIRECT_TO_HARDWARE, 0x1);
    CHECK_EQ(METHOD_DIRECT_FROM_HARDWARE, 0x2);

    /* device types and characteristics */
    CHECK_EQ(FILE_DEVICE_BEEP, 0x1);
    CHECK_EQ(FILE_DEVICE_CD_ROM, 0x2);
    CHECK_EQ(FILE_DEVICE_CONTROLLER, 0x4);
    CHECK_EQ(FILE_DEVICE_DISK, 0x7);
    CHECK_EQ(FILE_DEVICE_FILE_SYSTEM, 0x9);
    CHECK_EQ(FILE_DEVICE_KEYBOARD, 0xB);
    CHECK_EQ(FILE_DEVICE_MOUSE, 0xF);
    CHECK_EQ(FILE_DEVICE_NETWORK, 0x12);
    CHECK_EQ(FILE_DEVICE_NULL, 0x15);
    CHECK_EQ(FILE_DEVICE_PARALLEL_PORT, 0x16);
    CHECK_EQ(FILE_DEVICE_PRINTER, 0x18);
    CHECK_EQ(FILE_DEVICE_SERIAL_PORT, 0x1B);
    CHECK_EQ(FILE_DEVICE_SCREEN, 0x1C);
    CHECK_EQ(FILE_DEVICE_SOUND, 0x1D);
    CHECK_EQ(FILE_DEVICE_TRANSPORT, 0x21);
    CHECK_EQ(FILE_DEVICE_UNKNOWN, 0x22);
    CHECK_EQ(FILE_DEVICE_VIDEO, 0x23);
    CHECK_EQ(FILE_DEVICE_KS, 0x2F);
    CHECK_EQ(FILE_DEVICE_ACPI, 0x32);
    CHECK_EQ(FILE_DEVICE_BUS_EXTENDER, 0x2A);
    CHECK_EQ(FILE_REMOVABLE_MEDIA, 0x1);
    CHECK_EQ(FILE_READ_ONLY_DEVICE, 0x2);
    CHECK_EQ(FILE_FLOPPY_DISKETTE, 0x4);
    CHECK_EQ(FILE_WRITE_ONCE_MEDIA, 0x8);
    CHECK_EQ(FILE_REMOTE_DEVICE, 0x10);
    CHECK_EQ(FILE_DEVICE_IS_MOUNTED, 0x20);
    CHECK_EQ(FILE_VIRTUAL_VOLUME, 0x40);
    CHECK_EQ(FILE_AUTOGENERATED_DEVICE_NAME, 0x80);
    CHECK_EQ(FILE_DEVICE_SECURE_OPEN, 0x100);
    CHECK_EQ(FILE_CHARACTERISTIC_PNP_DEVICE, 0x800);
    CHECK_EQ(FILE_CHARACTERISTIC_TS_DEVICE, 0x1000);
    CHECK_EQ(FILE_CHARACTERISTIC_WEBDAV_DEVICE, 0x2000);
    CHECK_EQ(FILE_DEVICE_ALLOW_APPCONTAINER_TRAVERSAL, 0x20000);

    /* handle duplication */
    CHECK_EQ(DUPLICATE_CLOSE_SOURCE, 0x1);
    CHECK_EQ(DUPLICATE_SAME_ACCESS, 0x2);
    CHECK_EQ(DUPLICATE_SAME_ATTRIBUTES, 0x4);

    /* IRQLs */
    CHECK_EQ(PASSIVE_LEVEL, 0x0);
    CHECK_EQ(APC_LEVEL, 0x1);
    CHECK_EQ(DISPATCH_LEVEL, 0x2);
    CHECK_EQ(CLOCK_LEVEL, 0xD);
    CHECK_EQ(IPI_LEVEL, 0xE);
    CHECK_EQ(POWER_LEVEL, 0xE);
    CHECK_EQ(PROFILE_LEVEL, 0xF);
    CHECK_EQ(HIGH_LEVEL, 0xF);
    CHECK_EQ(SYNCH_LEVEL, 0xC);

    /* IRP major functions */
    CHECK_EQ(IRP_MJ_CREATE, 0x0);
    CHECK_EQ(IRP_MJ_CREATE_NAMED_PIPE, 0x1);
    CHECK_EQ(IRP_MJ_CLOSE, 0x2);
    CHECK_EQ(IRP_MJ_READ, 0x3);
    CHECK_EQ(IRP_MJ_WRITE, 0x4);
    CHECK_EQ(IRP_MJ_QUERY_INFORMATION, 0x5);
    CHECK_EQ(IRP_MJ_SET_INFORMATION, 0x6);
    CHECK_EQ(IRP_MJ_QUERY_EA, 0x7);
    CHECK_EQ(IRP_MJ_SET_EA, 0x8);
    CHECK_EQ(IRP_MJ_FLUSH_BUFFERS, 0x9);
    CHECK_EQ(IRP_MJ_QUERY_VOLUME_INFORMATION, 0xA);
    CHECK_EQ(IRP_MJ_SET_VOLUME_INFORMATION, 0xB);
    CHECK_EQ(IRP_MJ_DIRECTORY_CONTROL, 0xC);
    CHECK_EQ(IRP_MJ_FILE_SYSTEM_CONTROL, 0xD);
    CHECK_EQ(IRP_MJ_DEVICE_CONTROL, 0xE);
    CHECK_EQ(IRP_MJ_INTERNAL_DEVICE_CONTROL, 0xF);
    CHECK_EQ(IRP_MJ_SHUTDOWN, 0x10);
    CHECK_EQ(IRP_MJ_LOCK_CONTROL, 0x11);
    CHECK_EQ(IRP_MJ_CLEANUP, 0x12);
    CHECK_EQ(IRP_MJ_CREATE_MAILSLOT, 0x13);
    CHECK_EQ(IRP_MJ_QUERY_SECURITY, 0x14);
    CHECK_EQ(IRP_MJ_SET_SECURITY, 0x15);
    CHECK_EQ(IRP_MJ_POWER, 0x16);
    CHECK_EQ(IRP_MJ_SYSTEM_CONTROL, 0x17);
    CHECK_EQ(IRP_MJ_DEVICE_CHANGE, 0x18);
    CHECK_EQ(IRP_MJ_QUERY_QUOTA, 0x19);
    CHECK_EQ(IRP_MJ_SET_QUOTA, 0x1A);
    CHECK_EQ(IRP_MJ_PNP, 0x1B);
    CHECK_EQ(IRP_MJ_PNP_POWER, 0x1B);
    CHECK_EQ(IRP_MJ_MAXIMUM_FUNCTION, 0x1B);
    CHECK_EQ(IRP_MJ_SCSI, 0xF);

    /* MDL flags */
    CHECK_EQ(MDL_MAPPED_TO_SYSTEM_VA, 0x1);
    CHECK_EQ(MDL_PAGES_LOCKED, 0x2);
    CHECK_EQ(MDL_SOURCE_IS_NONPAGED_POOL, 0x4);
    CHECK_EQ(MDL_ALLOCATED_FIXED_SIZE, 0x8);
    CHECK_EQ(MDL_PARTIAL, 0x10);
    CHECK_EQ(MDL_PARTIAL_HAS_BEEN_MAPPED, 0x20);
    CHECK_EQ(MDL_IO_PAGE_READ, 0x40);
    CHECK_EQ(MDL_WRITE_OPERATION, 0x80);
    CHECK_EQ(MDL_LOCKED_PAGE_TABLES, 0x100);
    CHECK_EQ(MDL_PARENT_MAPPED_SYSTEM_VA, 0x100);
    CHECK_EQ(MDL_FREE_EXTRA_PTES, 0x200);
    CHECK_EQ(MDL_DESCRIBES_AWE, 0x400);
    CHECK_EQ(MDL_IO_SPACE, 0x800);
    CHECK_EQ(MDL_NETWORK_HEADER, 0x1000);
    CHECK_EQ(MDL_MAPPING_CAN_FAIL, 0x2000);
    CHECK_EQ(MDL_PAGE_CONTENTS_INVARIANT, 0x4000);
    CHECK_EQ(MDL_ALLOCATED_MUST_SUCCEED, 0x4000);
    CHECK_EQ(MDL_INTERNAL, 0x8000);

    /* IRP flags */
    CHECK_EQ(IRP_NOCACHE, 0x1);
    CHECK_EQ(IRP_PAGING_IO, 0x2);
    CHECK_EQ(IRP_MOUNT_COMPLETION, 0x2);
    CHECK_EQ(IRP_SYNCHRONOUS_API, 0x4);
    CHECK_EQ(IRP_ASSOCIATED_IRP, 0x8);
    CHECK_EQ(IRP_BUFFERED_IO, 0x10);
    CHECK_EQ(IRP_DEALLOCATE_BUFFER, 0x20);
    CHECK_EQ(IRP_INPUT_OPERATION, 0x40);
    CHECK_EQ(IRP_SYNCHRONOUS_PAGING_IO, 0x40);
    CHECK_EQ(IRP_CREATE_OPERATION, 0x80);
    CHECK_EQ(IRP_READ_OPERATION, 0x100);
    CHECK_EQ(IRP_WRITE_OPERATION, 0x200);
    CHECK_EQ(IRP_CLOSE_OPERATION, 0x400);
    CHECK_EQ(IRP_DEFER_IO_COMPLETION, 0x800);
    CHECK_EQ(IRP_OB_QUERY_NAME, 0x1000);
    CHECK_EQ(IRP_HOLD_DEVICE_QUEUE, 0x2000);

    /* stack location flags */
    CHECK_EQ(SL_PENDING_RETURNED, 0x1);
    CHECK_EQ(SL_ERROR_RETURNED, 0x2);
    CHECK_EQ(SL_INVOKE_ON_CANCEL, 0x20);
    CHECK_EQ(SL_INVOKE_ON_SUCCESS, 0x40);
    CHECK_EQ(SL_INVOKE_ON_ERROR, 0x80);
    CHECK_EQ(SL_FORCE_ACCESS_CHECK, 0x1);
    CHECK_EQ(SL_OPEN_PAGING_FILE, 0x2);
    CHECK_EQ(SL_OPEN_TARGET_DIRECTORY, 0x4);
    CHECK_EQ(SL_STOP_ON_SYMLINK, 0x8);
    CHECK_EQ(SL_CASE_SENSITIVE, 0x80);
    CHECK_EQ(SL_KEY_SPECIFIED, 0x1);
    CHECK_EQ(SL_OVERRIDE_VERIFY_VOLUME, 0x2);
    CHECK_EQ(SL_WRITE_THROUGH, 0x4);
    CHECK_EQ(SL_FT_SEQUENTIAL_WRITE, 0x8);

    /* device object flags */
    CHECK_EQ(DO_VERIFY_VOLUME, 0x2);
    CHECK_EQ(DO_BUFFERED_IO, 0x4);
    CHECK_EQ(DO_EXCLUSIVE, 0x8);
    CHECK_EQ(DO_DIRECT_IO, 0x10);
    CHECK_EQ(DO_MAP_IO_BUFFER, 0x20);
    CHECK_EQ(DO_DEVICE_HAS_NAME, 0x40);
    CHECK_EQ(DO_DEVICE_INITIALIZING, 0x80);
    CHECK_EQ(DO_SYSTEM_BOOT_PARTITION, 0x100);
    CHECK_EQ(DO_LONG_TERM_REQUESTS, 0x200);
    CHECK_EQ(DO_NEVER_LAST_DEVICE, 0x400);
    CHECK_EQ(DO_SHUTDOWN_REGISTERED, 0x800);
    CHECK_EQ(DO_BUS_ENUMERATED_DEVICE, 0x1000);
    CHECK_EQ(DO_POWER_PAGABLE, 0x2000);
    CHECK_EQ(DO_POWER_INRUSH, 0x4000);
    CHECK_EQ(DO_DEVICE_TO_BE_RESET, 0x4000000);
    CHECK_EQ(DO_DAX_VOLUME, 0x10000000);

    /* file object flags */
    CHECK_EQ(FO_FILE_OPEN, 0x1);
    CHECK_EQ(FO_SYNCHRONOUS_IO, 0x2);
    CHECK_EQ(FO_ALERTABLE_IO, 0x4);
    CHECK_EQ(FO_NO_INTERMEDIATE_BUFFERING, 0x8);
    CHECK_EQ(FO_WRITE_THROUGH, 0x10);
    CHECK_EQ(FO_SEQUENTIAL_ONLY, 0x20);
    CHECK_EQ(FO_CACHE_SUPPORTED, 0x40);
    CHECK_EQ(FO_NAMED_PIPE, 0x80);
    CHECK_EQ(FO_STREAM_FILE, 0x100);
    CHECK_EQ(FO_MAILSLOT, 0x200);
    CHECK_EQ(FO_GENERATE_AUDIT_ON_CLOSE, 0x400);
    CHECK_EQ(FO_QUEUE_IRP_TO_THREAD, 0x400);
    CHECK_EQ(FO_DIRECT_DEVICE_OPEN, 0x800);
    CHECK_EQ(FO_FILE_MODIFIED, 0x1000);
    CHECK_EQ(FO_FILE_SIZE_CHANGED, 0x2000);
    CHECK_EQ(FO_CLEANUP_COMPLETE, 0x4000);
    CHECK_EQ(FO_TEMPORARY_FILE, 0x8000);
    CHECK_EQ(FO_DELETE_ON_CLOSE, 0x10000);
    CHECK_EQ(FO_OPENED_CASE_SENSITIVE, 0x20000);
    CHECK_EQ(FO_HANDLE_CREATED, 0x40000);
    CHECK_EQ(FO_FILE_FAST_IO_READ, 0x80000);
    CHECK_EQ(FO_RANDOM_ACCESS, 0x100000);
    CHECK_EQ(FO_FILE_OPEN_CANCELLED, 0x200000);
    CHECK_EQ(FO_VOLUME_OPEN, 0x400000);
    CHECK_EQ(FO_REMOTE_ORIGIN, 0x1000000);
    CHECK_EQ(FO_DISALLOW_EXCLUSIVE, 0x2000000);
    CHECK_EQ(FO_SKIP_COMPLETION_PORT, 0x2000000);
    CHECK_EQ(FO_SKIP_SET_EVENT, 0x4000000);
    CHECK_EQ(FO_SKIP_SET_FAST_IO, 0x8000000);

    /* I/O object types */
    CHECK_EQ(IO_TYPE_ADAPTER, 0x1);
    CHECK_EQ(IO_TYPE_CONTROLLER, 0x2);
    CHECK_EQ(IO_TYPE_DEVICE, 0x3);
    CHECK_EQ(IO_TYPE_DRIVER, 0x4);
    CHECK_EQ(IO_TYPE_FILE, 0x5);
    CHECK_EQ(IO_TYPE_IRP, 0x6);
    CHECK_EQ(IO_TYPE_MASTER_ADAPTER, 0x7);
    CHECK_EQ(IO_TYPE_OPEN_PACKET, 0x8);
    CHECK_EQ(IO_TYPE_TIMER, 0x9);
    CHECK_EQ(IO_TYPE_VPB, 0xA);
    CHECK_EQ(IO_TYPE_ERROR_LOG, 0xB);
    CHECK_EQ(IO_TYPE_ERROR_MESSAGE, 0xC);
    CHECK_EQ(IO_TYPE_DEVICE_OBJECT_EXTENSION, 0xD);

    /* priority increments */
    CHECK_EQ(IO_NO_INCREMENT, 0x0);
    CHECK_EQ(IO_CD_ROM_INCREMENT, 0x1);
    CHECK_EQ(IO_DISK_INCREMENT, 0x1);
    CHECK_EQ(IO_KEYBOARD_INCREMENT, 0x6);
    CHECK_EQ(IO_MAILSLOT_INCREMENT, 0x2);
    CHECK_EQ(IO_MOUSE_INCREMENT, 0x6);
    CHECK_EQ(IO_NAMED_PIPE_INCREMENT, 0x2);
    CHECK_EQ(IO_NETWORK_INCREMENT, 0x2);
    CHECK_EQ(IO_PARALLEL_INCREMENT, 0x1);
    CHECK_EQ(IO_SERIAL_INCREMENT, 0x2);
    CHECK_EQ(IO_SOUND_INCREMENT, 0x8);
    CHECK_EQ(IO_VIDEO_INCREMENT, 0x1);
    CHECK_EQ(EVENT_INCREMENT, 0x1);
    CHECK_EQ(SEMAPHORE_INCREMENT, 0x1);

    /* pool flags */
    CHECK_EQ(POOL_FLAG_REQUIRED_START, 0x1);
    CHECK_EQ(POOL_FLAG_USE_QUOTA, 0x1);
    CHECK_EQ(POOL_FLAG_UNINITIALIZED, 0x2);
    CHECK_EQ(POOL_FLAG_SESSION, 0x4);
    CHECK_EQ(POOL_FLAG_CACHE_ALIGNED, 0x8);
    CHECK_EQ(POOL_FLAG_RESERVED1, 0x10);
    CHECK_EQ(POOL_FLAG_RAISE_ON_FAILURE, 0x20);
    CHECK_EQ(POOL_FLAG_NON_PAGED, 0x40);
    CHECK_EQ(POOL_FLAG_NON_PAGED_EXECUTE, 0x80);
    CHECK_EQ(POOL_FLAG_PAGED, 0x100);
    CHECK_EQ(POOL_FLAG_RESERVED2, 0x200);
    CHECK_EQ(POOL_FLAG_RESERVED3, 0x400);
    CHECK_EQ(POOL_FLAG_REQUIRED_END, 0x80000000);
    CHECK_EQ(POOL_FLAG_OPTIONAL_START, 0x100000000);
    CHECK_EQ(POOL_FLAG_SPECIAL_POOL, 0x100000000);
    CHECK_EQ(POOL_FLAG_OPTIONAL_END, 0x8000000000000000);

    /* MODE values */
    CHECK_EQ(KernelMode, 0x0);
    CHECK_EQ(UserMode, 0x1);
    CHECK_EQ(MaximumMode, 0x2);

    /* EVENT_TYPE values */
    CHECK_EQ(NotificationEvent, 0x0);
    CHECK_EQ(SynchronizationEvent, 0x1);

    /* WAIT_TYPE values */
    CHECK_EQ(WaitAll, 0x0);
    CHECK_EQ(WaitAny, 0x1);
    CHECK_EQ(WaitNotification, 0x2);
    CHECK_EQ(WaitDequeue, 0x3);
    CHECK_EQ(WaitDpc, 0x4);

    /* THREADINFOCLASS values */
    CHECK_EQ(ThreadBasicInformation, 0x0);
    CHECK_EQ(ThreadTimes, 0x1);
    CHECK_EQ(ThreadPriority, 0x2);
    CHECK_EQ(ThreadBasePriority, 0x3);
    CHECK_EQ(ThreadAffinityMask, 0x4);
    CHECK_EQ(ThreadImpersonationToken, 0x5);
    CHECK_EQ(ThreadDescriptorTableEntry, 0x6);
    CHECK_EQ(ThreadEnableAlignmentFaultFixup, 0x7);
    CHECK_EQ(ThreadEventPair, 0x8);
    CHECK_EQ(ThreadQuerySetWin32StartAddress, 0x9);
    CHECK_EQ(ThreadZeroTlsCell, 0xA);
    CHECK_EQ(ThreadPerformanceCount, 0xB);
    CHECK_EQ(ThreadAmILastThread, 0xC);
    CHECK_EQ(ThreadIdealProcessor, 0xD);
    CHECK_EQ(ThreadPriorityBoost, 0xE);
    CHECK_EQ(ThreadSetTlsArrayAddress, 0xF);
    CHECK_EQ(ThreadIsIoPending, 0x10);
    CHECK_EQ(ThreadHideFromDebugger, 0x11);

    /* PROCESSINFOCLASS values */
    CHECK_EQ(ProcessBasicInformation, 0x0);
    CHECK_EQ(ProcessQuotaLimits, 0x1);
    CHECK_EQ(ProcessIoCounters, 0x2);
    CHECK_EQ(ProcessVmCounters, 0x3);
    CHECK_EQ(ProcessTimes, 0x4);
    CHECK_EQ(ProcessBasePriority, 0x5);
    CHECK_EQ(ProcessRaisePriority, 0x6);
    CHECK_EQ(ProcessDebugPort, 0x7);
    CHECK_EQ(ProcessExceptionPort, 0x8);
    CHECK_EQ(ProcessAccessToken, 0x9);
    CHECK_EQ(ProcessHandleCount, 0x14);

    /* KOBJECTS values */
    CHECK_EQ(EventNotificationObject, 0x0);
    CHECK_EQ(EventSynchronizationObject, 0x1);
    CHECK_EQ(MutantObject, 0x2);
    CHECK_EQ(ProcessObject, 0x3);
    CHECK_EQ(QueueObject, 0x4);
    CHECK_EQ(SemaphoreObject, 0x5);
    CHECK_EQ(ThreadObject, 0x6);
    CHECK_EQ(GateObject, 0x7);
    CHECK_EQ(TimerNotificationObject, 0x8);
    CHECK_EQ(TimerSynchronizationObject, 0x9);
    CHECK_EQ(Spare2Object, 0xA);
    CHECK_EQ(Spare3Object, 0xB);
    CHECK_EQ(Spare4Object, 0xC);
    CHECK_EQ(Spare5Object, 0xD);
    CHECK_EQ(Spare6Object, 0xE);
    CHECK_EQ(Spare7Object, 0xF);
    CHECK_EQ(Spare8Object, 0x10);
    CHECK_EQ(ProfileCallbackObject, 0x11);
    CHECK_EQ(ApcObject, 0x12);
    CHECK_EQ(DpcObject, 0x13);
    CHECK_EQ(DeviceQueueObject, 0x14);
    CHECK_EQ(PriQueueObject, 0x15);
    CHECK_EQ(InterruptObject, 0x16);
    CHECK_EQ(ProfileObject, 0x17);
    CHECK_EQ(Timer2NotificationObject, 0x18);
    CHECK_EQ(Timer2SynchronizationObject, 0x19);
    CHECK_EQ(ThreadedDpcObject, 0x1A);
    CHECK_EQ(MaximumKernelObject, 0x1B);

    /* KDPC_IMPORTANCE values */
    CHECK_EQ(LowImportance, 0x0);
    CHECK_EQ(MediumImportance, 0x1);
    CHECK_EQ(HighImportance, 0x2);
    CHECK_EQ(MediumHighImportance, 0x3);

    /* TIMER_TYPE values */
    CHECK_EQ(NotificationTimer, 0x0);
    CHECK_EQ(SynchronizationTimer, 0x1);

    /* KAPC_ENVIRONMENT values */
    CHECK_EQ(OriginalApcEnvironment, 0x0);
    CHECK_EQ(AttachedApcEnvironment, 0x1);
    CHECK_EQ(CurrentApcEnvironment, 0x2);
    CHECK_EQ(InsertApcEnvironment, 0x3);

    /* KWAIT_REASON values */
    CHECK_EQ(Executive, 0x0);
    CHECK_EQ(FreePage, 0x1);
    CHECK_EQ(PageIn, 0x2);
    CHECK_EQ(PoolAllocation, 0x3);
    CHECK_EQ(DelayExecution, 0x4);
    CHECK_EQ(Suspended, 0x5);
    CHECK_EQ(UserRequest, 0x6);
    CHECK_EQ(WrExecutive, 0x7);
    CHECK_EQ(WrFreePage, 0x8);
    CHECK_EQ(WrPageIn, 0x9);
    CHECK_EQ(WrPoolAllocation, 0xA);
    CHECK_EQ(WrDelayExecution, 0xB);
    CHECK_EQ(WrSuspended, 0xC);
    CHECK_EQ(WrUserRequest, 0xD);
    CHECK_EQ(WrSpare0, 0xE);
    CHECK_EQ(WrQueue, 0xF);
    CHECK_EQ(WrLpcReceive, 0x10);
    CHECK_EQ(WrLpcReply, 0x11);
    CHECK_EQ(WrVirtualMemory, 0x12);
    CHECK_EQ(WrPageOut, 0x13);
    CHECK_EQ(WrRendezvous, 0x14);
    CHECK_EQ(WrKeyedEvent, 0x15);
    CHECK_EQ(WrTerminated, 0x16);
    CHECK_EQ(WrProcessInSwap, 0x17);
    CHECK_EQ(WrCpuRateControl, 0x18);
    CHECK_EQ(WrCalloutStack, 0x19);
    CHECK_EQ(WrKernel, 0x1A);
    CHECK_EQ(WrResource, 0x1B);
    CHECK_EQ(WrPushLock, 0x1C);
    CHECK_EQ(WrMutex, 0x1D);
    CHECK_EQ(WrQuantumEnd, 0x1E);
    CHECK_EQ(WrDispatchInt, 0x1F);
    CHECK_EQ(WrPreempted, 0x20);
    CHECK_EQ(WrYieldExecution, 0x21);
    CHECK_EQ(WrFastMutex, 0x22);
    CHECK_EQ(WrGuardedMutex, 0x23);
    CHECK_EQ(WrRundown, 0x24);
    CHECK_EQ(WrAlertByThreadId, 0x25);
    CHECK_EQ(WrDeferredPreempt, 0x26);
    CHECK_EQ(WrPhysicalFault, 0x27);
    CHECK_EQ(MaximumWaitReason, 0x28);

    /* IO_ALLOCATION_ACTION values */
    CHECK_EQ(KeepObject, 0x1);
    CHECK_EQ(DeallocateObject, 0x2);
    CHECK_EQ(DeallocateObjectKeepRegisters, 0x3);

    /* FILE_INFORMATION_CLASS values */
    CHECK_EQ(FileDirectoryInformation, 0x1);
    CHECK_EQ(FileFullDirectoryInformation, 0x2);
    CHECK_EQ(FileBothDirectoryInformation, 0x3);
    CHECK_EQ(FileBasicInformation, 0x4);
    CHECK_EQ(FileStandardInformation, 0x5);
    CHECK_EQ(FileInternalInformation, 0x6);
    CHECK_EQ(FileEaInformation, 0x7);
    CHECK_EQ(FileAccessInformation, 0x8);
    CHECK_EQ(FileNameInformation, 0x9);
    CHECK_EQ(FileRenameInformation, 0xA);
    CHECK_EQ(FileLinkInformation, 0xB);
    CHECK_EQ(FileNamesInformation, 0xC);
    CHECK_EQ(FileDispositionInformation, 0xD);
    CHECK_EQ(FilePositionInformation, 0xE);
    CHECK_EQ(FileFullEaInformation, 0xF);
    CHECK_EQ(FileModeInformation, 0x10);
    CHECK_EQ(FileAlignmentInformation, 0x11);
    CHECK_EQ(FileAllInformation, 0x12);
    CHECK_EQ(FileAllocationInformation, 0x13);
    CHECK_EQ(FileEndOfFileInformation, 0x14);

    /* FS_INFORMATION_CLASS values */
    CHECK_EQ(FileFsVolumeInformation, 0x1);
    CHECK_EQ(FileFsLabelInformation, 0x2);
    CHECK_EQ(FileFsSizeInformation, 0x3);
    CHECK_EQ(FileFsDeviceInformation, 0x4);
    CHECK_EQ(FileFsAttributeInformation, 0x5);
    CHECK_EQ(FileFsControlInformation, 0x6);
    CHECK_EQ(FileFsFullSizeInformation, 0x7);
    CHECK_EQ(FileFsObjectIdInformation, 0x8);

    /* DEVICE_RELATION_TYPE values */
    CHECK_EQ(BusRelations, 0x0);
    CHECK_EQ(EjectionRelations, 0x1);
    CHECK_EQ(PowerRelations, 0x2);
    CHECK_EQ(RemovalRelations, 0x3);
    CHECK_EQ(TargetDeviceRelation, 0x4);
    CHECK_EQ(SingleBusRelations, 0x5);
    CHECK_EQ(TransportRelations, 0x6);

    /* SYSTEM_POWER_STATE values */
    CHECK_EQ(PowerSystemUnspecified, 0x0);
    CHECK_EQ(PowerSystemWorking, 0x1);
    CHECK_EQ(PowerSystemSleeping1, 0x2);
    CHECK_EQ(PowerSystemSleeping2, 0x3);
    CHECK_EQ(PowerSystemSleeping3, 0x4);
    CHECK_EQ(PowerSystemHibernate, 0x5);
    CHECK_EQ(PowerSystemShutdown, 0x6);
    CHECK_EQ(PowerSystemMaximum, 0x7);

    /* DEVICE_POWER_STATE values */
    CHECK_EQ(PowerDeviceUnspecified, 0x0);
    CHECK_EQ(PowerDeviceD0, 0x1);
    CHECK_EQ(PowerDeviceD1, 0x2);
    CHECK_EQ(PowerDeviceD2, 0x3);
    CHECK_EQ(PowerDeviceD3, 0x4);
    CHECK_EQ(PowerDeviceMaximum, 0x5);

    /* POWER_STATE_TYPE values */
    CHECK_EQ(SystemPowerState, 0x0);
    CHECK_EQ(DevicePowerState, 0x1);

    /* POWER_ACTION values */
    CHECK_EQ(PowerActionNone, 0x0);
    CHECK_EQ(PowerActionReserved, 0x1);
    CHECK_EQ(PowerActionSleep, 0x2);
    CHECK_EQ(PowerActionHibernate, 0x3);
    CHECK_EQ(PowerActionShutdown, 0x4);
    CHECK_EQ(PowerActionShutdownReset, 0x5);
    CHECK_EQ(PowerActionShutdownOff, 0x6);
    CHECK_EQ(PowerActionWarmEject, 0x7);
    CHECK_EQ(PowerActionDisplayOff, 0x8);

    /* POOL_TYPE values */
    CHECK_EQ(NonPagedPool, 0x0);
    CHECK_EQ(NonPagedPoolExecute, 0x0);
    CHECK_EQ(PagedPool, 0x1);
    CHECK_EQ(NonPagedPoolMustSucceed, 0x2);
    CHECK_EQ(DontUseThisType, 0x3);
    CHECK_EQ(NonPagedPoolCacheAligned, 0x4);
    CHECK_EQ(PagedPoolCacheAligned, 0x5);
    CHECK_EQ(NonPagedPoolCacheAlignedMustS, 0x6);
    CHECK_EQ(MaxPoolType, 0x7);
    CHECK_EQ(NonPagedPoolBase, 0x0);
    CHECK_EQ(NonPagedPoolBaseMustSucceed, 0x2);
    CHECK_EQ(NonPagedPoolBaseCacheAligned, 0x4);
    CHECK_EQ(NonPagedPoolBaseCacheAlignedMustS, 0x6);
    CHECK_EQ(NonPagedPoolSession, 0x20);
    CHECK_EQ(PagedPoolSession, 0x21);
    CHECK_EQ(NonPagedPoolMustSucceedSession, 0x22);
    CHECK_EQ(DontUseThisTypeSession, 0x23);
    CHECK_EQ(NonPagedPoolCacheAlignedSession, 0x24);
    CHECK_EQ(PagedPoolCacheAlignedSession, 0x25);
    CHECK_EQ(NonPagedPoolCacheAlignedMustSSession, 0x26);
    CHECK_EQ(NonPagedPoolNx, 0x200);
    CHECK_EQ(NonPagedPoolNxCacheAligned, 0x204);
    CHECK_EQ(NonPagedPoolSessionNx, 0x220);

    /* EX_POOL_PRIORITY values */
    CHECK_EQ(LowPoolPriority, 0x0);
    CHECK_EQ(LowPoolPrioritySpecialPoolOverrun, 0x8);
    CHECK_EQ(LowPoolPrioritySpecialPoolUnderrun, 0x9);
    CHECK_EQ(NormalPoolPriority, 0x10);
    CHECK_EQ(NormalPoolPrioritySpecialPoolOverrun, 0x18);
    CHECK_EQ(NormalPoolPrioritySpecialPoolUnderrun, 0x19);
    CHECK_EQ(HighPoolPriority, 0x20);
    CHECK_EQ(HighPoolPrioritySpecialPoolOverrun, 0x28);
    CHECK_EQ(HighPoolPrioritySpecialPoolUnderrun, 0x29);

    /* MEMORY_BASIC_INFORMATION, and the memory constants */
    CHECK_EQ(sizeof(MEMORY_BASIC_INFORMATION), 0x30);
    CHECK_EQ(offsetof(MEMORY_BASIC_INFORMATION, BaseAddress), 0x0);
    CHECK_EQ(offsetof(MEMORY_BASIC_INFORMATION, AllocationBase), 0x8);
    CHECK_EQ(offsetof(MEMORY_BASIC_INFORMATION, AllocationProtect), 0x10);
    CHECK_EQ(offsetof(MEMORY_BASIC_INFORMATION, RegionSize), 0x18);
    CHECK_EQ(offsetof(MEMORY_BASIC_INFORMATION, State), 0x20);
    CHECK_EQ(offsetof(MEMORY_BASIC_INFORMATION, Protect), 0x24);
    CHECK_EQ(offsetof(MEMORY_BASIC_INFORMATION, Type), 0x28);
    CHECK_EQ(MemoryBasicInformation, 0);
    CHECK_EQ(MEM_COMMIT, 0x1000);
    CHECK_EQ(MEM_RESERVE, 0x2000);
    CHECK_EQ(MEM_DECOMMIT, 0x4000);
    CHECK_EQ(MEM_RELEASE, 0x8000);
    CHECK_EQ(MEM_FREE, 0x10000);
    CHECK_EQ(MEM_PRIVATE, 0x20000);
    CHECK_EQ(MEM_MAPPED, 0x40000);
    CHECK_EQ(MEM_RESET, 0x80000);
    CHECK_EQ(MEM_TOP_DOWN, 0x100000);
    CHECK_EQ(MEM_IMAGE, 0x1000000);
    CHECK_EQ(MEM_RESET_UNDO, 0x1000000);
    CHECK_EQ(MEM_LARGE_PAGES, 0x20000000);
    CHECK_EQ(PAGE_NOACCESS, 0x01);
    CHECK_EQ(PAGE_READONLY, 0x02);
    CHECK_EQ(PAGE_READWRITE, 0x04);
    CHECK_EQ(PAGE_WRITECOPY, 0x08);
    CHECK_EQ(PAGE_EXECUTE, 0x10);
    CHECK_EQ(PAGE_EXECUTE_READ, 0x20);
    CHECK_EQ(PAGE_EXECUTE_READWRITE, 0x40);
    CHECK_EQ(PAGE_EXECUTE_WRITECOPY, 0x80);
    CHECK_EQ(PAGE_GUARD, 0x100);
    CHECK_EQ(PAGE_NOCACHE, 0x200);
    CHECK_EQ(PAGE_WRITECOMBINE, 0x400);

    /* SYSTEM_BASIC_INFORMATION (NtQuerySystemInformation) */
    CHECK_EQ(sizeof(SYSTEM_BASIC_INFORMATION), 0x40);
    CHECK_EQ(offsetof(SYSTEM_BASIC_INFORMATION, PageSize), 0x8);
    CHECK_EQ(offsetof(SYSTEM_BASIC_INFORMATION, AllocationGranularity), 0x18);
    CHECK_EQ(offsetof(SYSTEM_BASIC_INFORMATION, MinimumUserModeAddress), 0x20);
    CHECK_EQ(offsetof(SYSTEM_BASIC_INFORMATION, MaximumUserModeAddress), 0x28);
    CHECK_EQ(offsetof(SYSTEM_BASIC_INFORMATION, ActiveProcessorsAffinityMask), 0x30);
    CHECK_EQ(offsetof(SYSTEM_BASIC_INFORMATION, NumberOfProcessors), 0x38);

    /* CTL_CODE */
    CHECK_EQ((ULONG)CTL_CODE(FILE_DEVICE_UNKNOWN, 0x800, METHOD_BUFFERED, FILE_ANY_ACCESS), 0x222000);
    CHECK_EQ((ULONG)CTL_CODE(FILE_DEVICE_UNKNOWN, 0x801, METHOD_OUT_DIRECT, FILE_READ_ACCESS | FILE_WRITE_ACCESS), 0x22E006);
    CHECK_EQ((ULONG)CTL_CODE(0x8000, 0xFFF, METHOD_NEITHER, FILE_WRITE_ACCESS), 0x8000BFFF);
    CHECK_EQ((ULONG)DEVICE_TYPE_FROM_CTL_CODE(0x0022E00B), 0x22);
    CHECK_EQ((ULONG)METHOD_FROM_CTL_CODE(0x0022E00B), 0x3);

    return NTK_TEST_SUMMARY();
}
