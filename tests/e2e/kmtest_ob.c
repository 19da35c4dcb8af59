/* kmtest_ob: kernel-mode checks of the object manager, handles, the I/O manager's driver and
 * device objects, and process/thread identity, run from DriverEntry as ReactOS's kmtests do.
 * Each failed check is printed; DriverEntry fails (STATUS_UNSUCCESSFUL) if any did, so
 *     ntk run --driver kmtest_ob.so
 * exits 0 only when everything passed. Only documented DDIs are used. */
#include <ntddk.h>
#include "../ntktest.h"

#define KMT_DEVICE L"\\Device\\KmtestOb"
#define KMT_LINK L"\\??\\KmtestObLink"

static NTSTATUS KmtCompleteSuccess(PDEVICE_OBJECT DeviceObject, PIRP Irp)
{
    UNREFERENCED_PARAMETER(DeviceObject);
    Irp->IoStatus.Status = STATUS_SUCCESS;
    Irp->IoStatus.Information = 0;
    IoCompleteRequest(Irp, IO_NO_INCREMENT);
    return STATUS_SUCCESS;
}

static VOID KmtUnload(PDRIVER_OBJECT DriverObject)
{
    UNREFERENCED_PARAMETER(DriverObject);
    DbgPrint("kmtest_ob: unload\n");
}

/* TRUE if s ends with suffix (case-sensitive). */
static BOOLEAN KmtEndsWith(PCUNICODE_STRING s, PCWSTR suffix)
{
    UNICODE_STRING suf, tail;
    RtlInitUnicodeString(&suf, suffix);
    if (s->Length < suf.Length)
        return FALSE;
    tail.Buffer = s->Buffer + (s->Length - suf.Length) / sizeof(WCHAR);
    tail.Length = tail.MaximumLength = suf.Length;
    return RtlEqualUnicodeString(&tail, &suf, FALSE);
}

/* Before the driver sets any slot: every MajorFunction[] entry is the same default routine,
 * and that routine fails a request with STATUS_INVALID_DEVICE_REQUEST. */
static void TestDriverObject(PDRIVER_OBJECT DriverObject, PUNICODE_STRING RegistryPath)
{
    PDRIVER_DISPATCH def = DriverObject->MajorFunction[0];
    CHECK(def != NULL);
    int differing = 0;
    for (int i = 0; i <= IRP_MJ_MAXIMUM_FUNCTION; i++) {
        if (DriverObject->MajorFunction[i] != def)
            differing++;
    }
    CHECK_EQ(differing, 0);
    CHECK(DriverObject->DriverUnload == NULL);
    CHECK(DriverObject->DeviceObject == NULL);

    UNICODE_STRING name = RTL_CONSTANT_STRING(L"\\Driver\\kmtest_ob");
    CHECK(RtlEqualUnicodeString(&DriverObject->DriverName, &name, FALSE));
    if (!RtlEqualUnicodeString(&DriverObject->DriverName, &name, FALSE))
        DbgPrint("kmtest_ob: DriverName is %wZ\n", &DriverObject->DriverName);

    CHECK(RegistryPath != NULL);
    if (RegistryPath != NULL) {
        UNICODE_STRING path =
            RTL_CONSTANT_STRING(L"\\REGISTRY\\MACHINE\\SYSTEM\\CurrentControlSet\\Services\\kmtest_ob");
        CHECK(KmtEndsWith(RegistryPath, L"\\Services\\kmtest_ob"));
        CHECK(RtlEqualUnicodeString(RegistryPath, &path, TRUE));
        if (!RtlEqualUnicodeString(RegistryPath, &path, TRUE))
            DbgPrint("kmtest_ob: RegistryPath is %wZ\n", RegistryPath);
    }
}

/* Send an IRP the driver has no handler for: the default routine must fail it. */
static void TestDefaultDispatch(PDEVICE_OBJECT Device)
{
    KEVENT event;
    IO_STATUS_BLOCK iosb;
    ULONG in = 0, out = 0;
    KeInitializeEvent(&event, NotificationEvent, FALSE);
    iosb.Status = STATUS_PENDING;
    iosb.Information = 0x1234;
    PIRP irp = IoBuildDeviceIoControlRequest(
        CTL_CODE(FILE_DEVICE_UNKNOWN, 0x900, METHOD_BUFFERED, FILE_ANY_ACCESS), Device, &in,
        sizeof(in), &out, sizeof(out), FALSE, &event, &iosb);
    CHECK(irp != NULL);
    if (irp == NULL)
        return;
    NTSTATUS status = IoCallDriver(Device, irp);
    if (status == STATUS_PENDING) {
        KeWaitForSingleObject(&event, Executive, KernelMode, FALSE, NULL);
        status = iosb.Status;
    }
    CHECK_STATUS(status, STATUS_INVALID_DEVICE_REQUEST);
}

static void TestHandles(void)
{
    PVOID obj = (PVOID)0x1, obj2 = NULL;
    NTSTATUS status;
    HANDLE h = NULL, h2 = NULL;
    OBJECT_ATTRIBUTES oa;

    /* NULL and bogus handles. */
    CHECK_STATUS(ObReferenceObjectByHandle(NULL, 0, *ExEventObjectType, KernelMode, &obj, NULL),
                 STATUS_INVALID_HANDLE);
    CHECK_STATUS(ObReferenceObjectByHandle((HANDLE)(ULONG_PTR)0x7FFFFFF8, 0, *ExEventObjectType,
                                           KernelMode, &obj, NULL),
                 STATUS_INVALID_HANDLE);
    CHECK_STATUS(ObReferenceObjectByHandle((HANDLE)(ULONG_PTR)0x1234, 0, NULL, KernelMode, &obj,
                                           NULL),
                 STATUS_INVALID_HANDLE);

    /* A kernel handle to an unnamed event. */
    InitializeObjectAttributes(&oa, NULL, OBJ_KERNEL_HANDLE, NULL, NULL);
    status = ZwCreateEvent(&h, EVENT_ALL_ACCESS, &oa, NotificationEvent, FALSE);
    CHECK_STATUS(status, STATUS_SUCCESS);
    if (!NT_SUCCESS(status))
        return;
    CHECK(h != NULL);

    obj = NULL;
    CHECK_STATUS(ObReferenceObjectByHandle(h, EVENT_ALL_ACCESS, *ExEventObjectType, KernelMode,
                                           &obj, NULL),
                 STATUS_SUCCESS);
    CHECK_STATUS(ObReferenceObjectByHandle(h, SYNCHRONIZE, NULL, KernelMode, &obj2, NULL),
                 STATUS_SUCCESS);
    CHECK(obj != NULL);
    CHECK(obj == obj2); /* the same handle always yields the same object */
    if (obj != NULL) {
        /* The object is a real KEVENT. */
        CHECK_EQ(KeReadStateEvent((PRKEVENT)obj), 0);
        CHECK_EQ(KeSetEvent((PRKEVENT)obj, IO_NO_INCREMENT, FALSE), 0);
        CHECK_EQ(KeReadStateEvent((PRKEVENT)obj), 1);
        ObDereferenceObject(obj);
    }
    if (obj2 != NULL)
        ObDereferenceObject(obj2);

    /* Wrong types. */
    obj = (PVOID)0x1;
    CHECK_STATUS(ObReferenceObjectByHandle(h, 0, *IoFileObjectType, KernelMode, &obj, NULL),
                 STATUS_OBJECT_TYPE_MISMATCH);
    CHECK_STATUS(ObReferenceObjectByHandle(h, 0, *PsThreadType, KernelMode, &obj, NULL),
                 STATUS_OBJECT_TYPE_MISMATCH);
    CHECK_STATUS(ObReferenceObjectByHandle(h, 0, *PsProcessType, KernelMode, &obj, NULL),
                 STATUS_OBJECT_TYPE_MISMATCH);

    /* A kernel handle is not valid for a UserMode reference. */
    CHECK_STATUS(ObReferenceObjectByHandle(h, 0, *ExEventObjectType, UserMode, &obj, NULL),
                 STATUS_INVALID_HANDLE);

    /* After ZwClose the handle is gone. */
    CHECK_STATUS(ZwClose(h), STATUS_SUCCESS);
    CHECK_STATUS(ObReferenceObjectByHandle(h, 0, *ExEventObjectType, KernelMode, &obj, NULL),
                 STATUS_INVALID_HANDLE);

    /* A (non-kernel, System process) handle closed twice. */
    InitializeObjectAttributes(&oa, NULL, 0, NULL, NULL);
    status = ZwCreateEvent(&h2, EVENT_ALL_ACCESS, &oa, SynchronizationEvent, FALSE);
    CHECK_STATUS(status, STATUS_SUCCESS);
    if (NT_SUCCESS(status)) {
        CHECK_STATUS(ZwClose(h2), STATUS_SUCCESS);
        CHECK_STATUS(ZwClose(h2), STATUS_INVALID_HANDLE);
    }

    /* Missing access: a handle opened with SYNCHRONIZE only, referenced from UserMode (where
     * access is checked) for EVENT_MODIFY_STATE. The handle is in the System process's table,
     * which is the current process in DriverEntry. */
    UNICODE_STRING evName = RTL_CONSTANT_STRING(L"\\BaseNamedObjects\\KmtestObAccessEvent");
    InitializeObjectAttributes(&oa, &evName, OBJ_CASE_INSENSITIVE | OBJ_KERNEL_HANDLE, NULL, NULL);
    status = ZwCreateEvent(&h, EVENT_ALL_ACCESS, &oa, NotificationEvent, FALSE);
    CHECK_STATUS(status, STATUS_SUCCESS);
    if (NT_SUCCESS(status)) {
        InitializeObjectAttributes(&oa, &evName, OBJ_CASE_INSENSITIVE, NULL, NULL);
        status = ZwOpenEvent(&h2, SYNCHRONIZE, &oa);
        CHECK_STATUS(status, STATUS_SUCCESS);
        if (NT_SUCCESS(status)) {
            CHECK_STATUS(ObReferenceObjectByHandle(h2, EVENT_MODIFY_STATE, *ExEventObjectType,
                                                   UserMode, &obj, NULL),
                         STATUS_ACCESS_DENIED);
            /* KernelMode references skip the access check. */
            obj = NULL;
            CHECK_STATUS(ObReferenceObjectByHandle(h2, EVENT_MODIFY_STATE, *ExEventObjectType,
                                                   KernelMode, &obj, NULL),
                         STATUS_SUCCESS);
            if (obj != NULL)
                ObDereferenceObject(obj);
            CHECK_STATUS(ZwClose(h2), STATUS_SUCCESS);
        }
        CHECK_STATUS(ZwClose(h), STATUS_SUCCESS);
    }
}

static void TestNamedEvents(void)
{
    UNICODE_STRING name = RTL_CONSTANT_STRING(L"\\BaseNamedObjects\\KmtestObNamedEvent");
    UNICODE_STRING other = RTL_CONSTANT_STRING(L"\\basenamedobjects\\KMTESTOBNAMEDEVENT");
    OBJECT_ATTRIBUTES oa;
    HANDLE h1 = NULL, h2 = NULL, h3 = NULL;
    PVOID o1 = NULL, o2 = NULL, o3 = NULL;
    NTSTATUS status;

    InitializeObjectAttributes(&oa, &name, OBJ_CASE_INSENSITIVE | OBJ_KERNEL_HANDLE, NULL, NULL);
    status = ZwCreateEvent(&h1, EVENT_ALL_ACCESS, &oa, NotificationEvent, FALSE);
    CHECK_STATUS(status, STATUS_SUCCESS);
    if (!NT_SUCCESS(status))
        return;

    /* Open it again with a name in another case. */
    InitializeObjectAttributes(&oa, &other, OBJ_CASE_INSENSITIVE | OBJ_KERNEL_HANDLE, NULL, NULL);
    status = ZwOpenEvent(&h2, EVENT_ALL_ACCESS, &oa);
    CHECK_STATUS(status, STATUS_SUCCESS);
    if (NT_SUCCESS(status)) {
        CHECK(h2 != h1);
        CHECK_STATUS(ObReferenceObjectByHandle(h1, 0, *ExEventObjectType, KernelMode, &o1, NULL),
                     STATUS_SUCCESS);
        CHECK_STATUS(ObReferenceObjectByHandle(h2, 0, *ExEventObjectType, KernelMode, &o2, NULL),
                     STATUS_SUCCESS);
        CHECK(o1 != NULL && o1 == o2);
        if (o1)
            ObDereferenceObject(o1);
        if (o2)
            ObDereferenceObject(o2);
    }

    /* Creating it again: a collision, or the existing object with OBJ_OPENIF. */
    InitializeObjectAttributes(&oa, &name, OBJ_CASE_INSENSITIVE | OBJ_KERNEL_HANDLE, NULL, NULL);
    CHECK_STATUS(ZwCreateEvent(&h3, EVENT_ALL_ACCESS, &oa, NotificationEvent, FALSE),
                 STATUS_OBJECT_NAME_COLLISION);
    InitializeObjectAttributes(&oa, &other,
                               OBJ_CASE_INSENSITIVE | OBJ_KERNEL_HANDLE | OBJ_OPENIF, NULL, NULL);
    status = ZwCreateEvent(&h3, EVENT_ALL_ACCESS, &oa, SynchronizationEvent, FALSE);
    CHECK_STATUS(status, STATUS_OBJECT_NAME_EXISTS);
    if (NT_SUCCESS(status)) {
        CHECK_STATUS(ObReferenceObjectByHandle(h3, 0, *ExEventObjectType, KernelMode, &o3, NULL),
                     STATUS_SUCCESS);
        CHECK(o3 != NULL && o3 == o1);
        if (o3)
            ObDereferenceObject(o3);
        CHECK_STATUS(ZwClose(h3), STATUS_SUCCESS);
    }

    if (h2)
        CHECK_STATUS(ZwClose(h2), STATUS_SUCCESS);
    CHECK_STATUS(ZwClose(h1), STATUS_SUCCESS);

    /* A temporary named object loses its name with its last handle. */
    InitializeObjectAttributes(&oa, &name, OBJ_CASE_INSENSITIVE | OBJ_KERNEL_HANDLE, NULL, NULL);
    h2 = NULL;
    CHECK_STATUS(ZwOpenEvent(&h2, EVENT_ALL_ACCESS, &oa), STATUS_OBJECT_NAME_NOT_FOUND);

    /* Bad paths. */
    UNICODE_STRING noDir = RTL_CONSTANT_STRING(L"\\NoSuchDir\\KmtestObEvent");
    InitializeObjectAttributes(&oa, &noDir, OBJ_CASE_INSENSITIVE | OBJ_KERNEL_HANDLE, NULL, NULL);
    CHECK_STATUS(ZwOpenEvent(&h2, EVENT_ALL_ACCESS, &oa), STATUS_OBJECT_PATH_NOT_FOUND);
    CHECK_STATUS(ZwCreateEvent(&h2, EVENT_ALL_ACCESS, &oa, NotificationEvent, FALSE),
                 STATUS_OBJECT_PATH_NOT_FOUND);
    UNICODE_STRING relative = RTL_CONSTANT_STRING(L"KmtestObNoBackslash");
    InitializeObjectAttributes(&oa, &relative, OBJ_CASE_INSENSITIVE | OBJ_KERNEL_HANDLE, NULL,
                               NULL);
    CHECK_STATUS(ZwCreateEvent(&h2, EVENT_ALL_ACCESS, &oa, NotificationEvent, FALSE),
                 STATUS_OBJECT_PATH_SYNTAX_BAD);
}

static void TestDevices(PDRIVER_OBJECT DriverObject, PDEVICE_OBJECT Device)
{
    PDEVICE_OBJECT dev = (PDEVICE_OBJECT)0x1;
    NTSTATUS status;

    UNICODE_STRING noDir = RTL_CONSTANT_STRING(L"\\NoSuchDir\\X");
    CHECK_STATUS(IoCreateDevice(DriverObject, 0, &noDir, FILE_DEVICE_UNKNOWN, 0, FALSE, &dev),
                 STATUS_OBJECT_PATH_NOT_FOUND);
    UNICODE_STRING same = RTL_CONSTANT_STRING(KMT_DEVICE);
    CHECK_STATUS(IoCreateDevice(DriverObject, 0, &same, FILE_DEVICE_UNKNOWN, 0, FALSE, &dev),
                 STATUS_OBJECT_NAME_COLLISION);
    UNICODE_STRING sameOtherCase = RTL_CONSTANT_STRING(L"\\device\\KMTESTOB");
    CHECK_STATUS(
        IoCreateDevice(DriverObject, 0, &sameOtherCase, FILE_DEVICE_UNKNOWN, 0, FALSE, &dev),
        STATUS_OBJECT_NAME_COLLISION);
    /* The failed creations left no device behind. */
    CHECK(DriverObject->DeviceObject == Device);
    CHECK(Device->NextDevice == NULL);
    CHECK(Device->DriverObject == DriverObject);

    /* A symbolic link, and a lookup through it. */
    UNICODE_STRING link = RTL_CONSTANT_STRING(KMT_LINK);
    status = IoCreateSymbolicLink(&link, &same);
    CHECK_STATUS(status, STATUS_SUCCESS);
    if (!NT_SUCCESS(status))
        return;
    CHECK_STATUS(IoCreateSymbolicLink(&link, &same), STATUS_OBJECT_NAME_COLLISION);

    PFILE_OBJECT fo = NULL;
    dev = NULL;
    status = IoGetDeviceObjectPointer(&link, FILE_READ_DATA, &fo, &dev);
    CHECK_STATUS(status, STATUS_SUCCESS);
    if (NT_SUCCESS(status)) {
        CHECK(dev == Device);
        CHECK(fo != NULL && fo->DeviceObject == Device);
        ObDereferenceObject(fo);
    }
    /* Names are case-insensitive, through the link too. */
    UNICODE_STRING linkOtherCase = RTL_CONSTANT_STRING(L"\\??\\KMTESTOBLINK");
    fo = NULL;
    dev = NULL;
    status = IoGetDeviceObjectPointer(&linkOtherCase, FILE_READ_DATA, &fo, &dev);
    CHECK_STATUS(status, STATUS_SUCCESS);
    if (NT_SUCCESS(status)) {
        CHECK(dev == Device);
        ObDereferenceObject(fo);
    }

    /* A file handle to the device: its object is the FILE_OBJECT, of no other type. */
    OBJECT_ATTRIBUTES oa;
    IO_STATUS_BLOCK iosb;
    HANDLE fh = NULL;
    InitializeObjectAttributes(&oa, &sameOtherCase, OBJ_CASE_INSENSITIVE | OBJ_KERNEL_HANDLE, NULL,
                               NULL);
    status = ZwOpenFile(&fh, GENERIC_READ | SYNCHRONIZE, &oa, &iosb, FILE_SHARE_READ, 0);
    CHECK_STATUS(status, STATUS_SUCCESS);
    if (NT_SUCCESS(status)) {
        PVOID obj = NULL;
        CHECK_STATUS(ObReferenceObjectByHandle(fh, 0, *IoFileObjectType, KernelMode, &obj, NULL),
                     STATUS_SUCCESS);
        if (obj != NULL) {
            CHECK(((PFILE_OBJECT)obj)->DeviceObject == Device);
            ObDereferenceObject(obj);
        }
        CHECK_STATUS(ObReferenceObjectByHandle(fh, 0, *PsThreadType, KernelMode, &obj, NULL),
                     STATUS_OBJECT_TYPE_MISMATCH);
        CHECK_STATUS(ObReferenceObjectByHandle(fh, 0, *ExEventObjectType, KernelMode, &obj, NULL),
                     STATUS_OBJECT_TYPE_MISMATCH);
        CHECK_STATUS(ZwClose(fh), STATUS_SUCCESS);
    }

    /* A device is not an event: opening it as one is a type mismatch, and its name is taken. */
    HANDLE eh = NULL;
    InitializeObjectAttributes(&oa, &same, OBJ_CASE_INSENSITIVE | OBJ_KERNEL_HANDLE, NULL, NULL);
    CHECK_STATUS(ZwOpenEvent(&eh, EVENT_ALL_ACCESS, &oa), STATUS_OBJECT_TYPE_MISMATCH);
    CHECK_STATUS(ZwCreateEvent(&eh, EVENT_ALL_ACCESS, &oa, NotificationEvent, FALSE),
                 STATUS_OBJECT_NAME_COLLISION);

    /* Once the link is deleted, the name is gone. */
    CHECK_STATUS(IoDeleteSymbolicLink(&link), STATUS_SUCCESS);
    fo = NULL;
    CHECK_STATUS(IoGetDeviceObjectPointer(&link, FILE_READ_DATA, &fo, &dev),
                 STATUS_OBJECT_NAME_NOT_FOUND);
}

static void TestProcessThread(void)
{
    CHECK(PsGetCurrentProcessId() == (HANDLE)4); /* the System process */
    CHECK(PsGetCurrentProcess() == PsInitialSystemProcess);
    CHECK(IoGetCurrentProcess() == PsGetCurrentProcess());
    CHECK(ExGetPreviousMode() == KernelMode);
    CHECK(PsIsSystemThread(PsGetCurrentThread()));

    ULONG_PTR tid = (ULONG_PTR)PsGetCurrentThreadId();
    CHECK(tid != 0);
    CHECK_EQ(tid % 4, 0);

    PETHREAD thread = NULL;
    CHECK_STATUS(PsLookupThreadByThreadId(PsGetCurrentThreadId(), &thread), STATUS_SUCCESS);
    CHECK(thread == PsGetCurrentThread());
    if (thread != NULL)
        ObDereferenceObject(thread);
    CHECK_STATUS(PsLookupThreadByThreadId(ULongToHandle(0x7FFFFFF0), &thread),
                 STATUS_INVALID_PARAMETER);

    PEPROCESS process = NULL;
    CHECK_STATUS(PsLookupProcessByProcessId((HANDLE)4, &process), STATUS_SUCCESS);
    CHECK(process == PsGetCurrentProcess());
    if (process != NULL)
        ObDereferenceObject(process);

    /* Priorities: KeSetPriorityThread returns the old priority. */
    PKTHREAD kt = KeGetCurrentThread();
    KPRIORITY old = KeQueryPriorityThread(kt);
    CHECK(old >= 1 && old <= 31);
    KPRIORITY target = old == 12 ? 13 : 12;
    CHECK_EQ(KeSetPriorityThread(kt, target), old);
    CHECK_EQ(KeQueryPriorityThread(kt), target);
    CHECK_EQ(KeSetPriorityThread(kt, old), target);
    CHECK_EQ(KeQueryPriorityThread(kt), old);
}

/* ---- Deletion: at once at PASSIVE_LEVEL, deferred to a worker otherwise ----
 * A file object's deletion sends IRP_MJ_CLOSE, which this close routine records. The WDK's
 * ObDereferenceObjectDeferDelete page: the deletion "later occurs at IRQL = PASSIVE_LEVEL" in a
 * worker thread; a last ObDereferenceObject at DISPATCH_LEVEL is deferred the same way. */

static volatile LONG KmtCloses;
static volatile KIRQL KmtCloseIrql;
static PKTHREAD volatile KmtCloseThread;
static KEVENT KmtClosed;

static NTSTATUS KmtRecordClose(PDEVICE_OBJECT DeviceObject, PIRP Irp)
{
    KmtCloseIrql = KeGetCurrentIrql();
    KmtCloseThread = KeGetCurrentThread();
    InterlockedIncrement(&KmtCloses);
    KeSetEvent(&KmtClosed, IO_NO_INCREMENT, FALSE);
    return KmtCompleteSuccess(DeviceObject, Irp);
}

/* A file object on our device, held by our reference alone. */
static PFILE_OBJECT KmtOpenDevice(void)
{
    UNICODE_STRING name = RTL_CONSTANT_STRING(KMT_DEVICE);
    PFILE_OBJECT fo = NULL;
    PDEVICE_OBJECT dev = NULL;
    CHECK_STATUS(IoGetDeviceObjectPointer(&name, FILE_READ_DATA, &fo, &dev), STATUS_SUCCESS);
    return fo;
}

/* Waits for the close and checks it ran at PASSIVE_LEVEL in another thread. */
static void KmtExpectDeferredClose(LONG Before)
{
    LARGE_INTEGER timeout = { .QuadPart = -10LL * 1000 * 1000 * 10 }; /* 10 s */
    CHECK_STATUS(KeWaitForSingleObject(&KmtClosed, Executive, KernelMode, FALSE, &timeout),
                 STATUS_SUCCESS);
    CHECK_EQ(KmtCloses, Before + 1);
    CHECK_EQ(KmtCloseIrql, PASSIVE_LEVEL);
    CHECK(KmtCloseThread != KeGetCurrentThread());
}

static void TestDeferredDelete(PDRIVER_OBJECT DriverObject)
{
    PFILE_OBJECT fo;
    KIRQL old;
    LONG before;

    DriverObject->MajorFunction[IRP_MJ_CLOSE] = KmtRecordClose;
    KeInitializeEvent(&KmtClosed, NotificationEvent, FALSE);

    /* At PASSIVE_LEVEL the last reference deletes the object before returning, here. */
    fo = KmtOpenDevice();
    before = KmtCloses;
    if (fo != NULL) {
        ObDereferenceObject(fo);
        CHECK_EQ(KmtCloses, before + 1);
        CHECK(KmtCloseThread == KeGetCurrentThread());
        CHECK_EQ(KmtCloseIrql, PASSIVE_LEVEL);
    }

    /* At DISPATCH_LEVEL: deferred. */
    fo = KmtOpenDevice();
    KeClearEvent(&KmtClosed);
    before = KmtCloses;
    if (fo != NULL) {
        KeRaiseIrql(DISPATCH_LEVEL, &old);
        ObDereferenceObject(fo);
        KeLowerIrql(old);
        KmtExpectDeferredClose(before);
    }

    /* ObDereferenceObjectDeferDelete(WithTag): deferred at PASSIVE_LEVEL too. */
    fo = KmtOpenDevice();
    KeClearEvent(&KmtClosed);
    before = KmtCloses;
    if (fo != NULL) {
        ObDereferenceObjectDeferDelete(fo);
        KmtExpectDeferredClose(before);
    }
    fo = KmtOpenDevice();
    KeClearEvent(&KmtClosed);
    before = KmtCloses;
    if (fo != NULL) {
        KeRaiseIrql(DISPATCH_LEVEL, &old);
        ObDereferenceObjectDeferDeleteWithTag(fo, 'tbOK');
        KeLowerIrql(old);
        KmtExpectDeferredClose(before);
    }

    /* A reference that is not the last deletes nothing, deferred or not. */
    fo = KmtOpenDevice();
    before = KmtCloses;
    if (fo != NULL) {
        ObReferenceObject(fo);
        ObDereferenceObjectDeferDelete(fo);
        CHECK_EQ(KmtCloses, before);
        ObDereferenceObject(fo);
        CHECK_EQ(KmtCloses, before + 1);
    }
    DriverObject->MajorFunction[IRP_MJ_CLOSE] = KmtCompleteSuccess;
}

NTSTATUS DriverEntry(PDRIVER_OBJECT DriverObject, PUNICODE_STRING RegistryPath)
{
    DbgPrint("kmtest_ob: start\n");
    CHECK_EQ(KeGetCurrentIrql(), PASSIVE_LEVEL);

    TestDriverObject(DriverObject, RegistryPath);
    TestHandles();
    TestNamedEvents();
    TestProcessThread();

    /* A device of our own for the I/O manager checks. */
    DriverObject->DriverUnload = KmtUnload;
    PDEVICE_OBJECT device = NULL;
    UNICODE_STRING devName = RTL_CONSTANT_STRING(KMT_DEVICE);
    NTSTATUS status =
        IoCreateDevice(DriverObject, 0, &devName, FILE_DEVICE_UNKNOWN, 0, FALSE, &device);
    CHECK_STATUS(status, STATUS_SUCCESS);
    if (NT_SUCCESS(status)) {
        CHECK(device != NULL && DriverObject->DeviceObject == device);
        CHECK((device->Flags & DO_DEVICE_INITIALIZING) != 0);
        TestDefaultDispatch(device);

        DriverObject->MajorFunction[IRP_MJ_CREATE] = KmtCompleteSuccess;
        DriverObject->MajorFunction[IRP_MJ_CLEANUP] = KmtCompleteSuccess;
        DriverObject->MajorFunction[IRP_MJ_CLOSE] = KmtCompleteSuccess;
        /* Opening a device that is still initializing fails; clear the flag as AddDevice
         * routines do, so that the open tests below can reach it. */
        device->Flags &= ~DO_DEVICE_INITIALIZING;
        TestDevices(DriverObject, device);
        TestDeferredDelete(DriverObject);
        IoDeleteDevice(device);
    }

    int failed = NTK_TEST_SUMMARY();
    DbgPrint("kmtest_ob: %s\n", failed ? "FAILED" : "all checks passed");
    return failed ? STATUS_UNSUCCESSFUL : STATUS_SUCCESS;
}
