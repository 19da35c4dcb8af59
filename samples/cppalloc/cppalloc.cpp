// CppAlloc: a C++ driver that keeps a list of text items, each an object made with the
// driver's own operator new over ExAllocatePool2 (kcpp.h), holding its text in a second pool
// block it frees in its destructor. The list is guarded by a fast mutex taken through RAII.
// Unloading deletes the list and with it every item: the verifier's leak check stays silent.
// Built with CPPALLOC_LEAK, unload forgets to, and the leak check bug checks 0xC4 (0x62).
#include "kcpp.h"
#include "CppAllocCommon.h"

#define DRIVER_PREFIX "CppAlloc: "
const ULONG DriverTag = 'AppC'; // shows as "CppA"

class Item {
public:
    Item(ULONG id, const char* text, ULONG length) : m_Id(id), m_Length(0)
    {
        m_Text = new (POOL_FLAG_PAGED, DriverTag) char[length];
        if (m_Text) {
            RtlCopyMemory(m_Text, text, length);
            m_Length = length;
        }
    }
    ~Item() { delete[] m_Text; }
    Item(const Item&) = delete;
    Item& operator=(const Item&) = delete;

    bool IsValid() const { return m_Text != nullptr; }
    ULONG Id() const { return m_Id; }
    ULONG Length() const { return m_Length; }
    const char* Text() const { return m_Text; }

private:
    // The list links items through Entry. Every data member has the same access, so Item is
    // a standard-layout class and CONTAINING_RECORD (offsetof) is well defined on it.
    friend class ItemList;
    LIST_ENTRY Entry;
    ULONG m_Id;
    ULONG m_Length;
    char* m_Text;
};

class ItemList {
public:
    ItemList() : m_Count(0), m_NextId(1)
    {
        InitializeListHead(&m_Head);
        m_Lock.Init();
    }
    ~ItemList()
    {
        while (!IsListEmpty(&m_Head))
            delete CONTAINING_RECORD(RemoveHeadList(&m_Head), Item, Entry);
    }
    ItemList(const ItemList&) = delete;
    ItemList& operator=(const ItemList&) = delete;

    NTSTATUS Add(const char* text, ULONG length, ULONG* id)
    {
        AutoLock<FastMutex> lock(m_Lock);
        auto item = new (POOL_FLAG_PAGED, DriverTag) Item(m_NextId, text, length);
        if (item == nullptr)
            return STATUS_INSUFFICIENT_RESOURCES;
        if (!item->IsValid()) {
            delete item;
            return STATUS_INSUFFICIENT_RESOURCES;
        }
        InsertTailList(&m_Head, &item->Entry);
        m_Count++;
        *id = m_NextId++;
        return STATUS_SUCCESS;
    }

    NTSTATUS Get(ULONG id, char* buffer, ULONG size, ULONG* written)
    {
        AutoLock<FastMutex> lock(m_Lock);
        Item* item = Find(id);
        if (item == nullptr)
            return STATUS_NOT_FOUND;
        if (size < item->Length())
            return STATUS_BUFFER_TOO_SMALL;
        RtlCopyMemory(buffer, item->Text(), item->Length());
        *written = item->Length();
        return STATUS_SUCCESS;
    }

    NTSTATUS Remove(ULONG id)
    {
        AutoLock<FastMutex> lock(m_Lock);
        Item* item = Find(id);
        if (item == nullptr)
            return STATUS_NOT_FOUND;
        RemoveEntryList(&item->Entry);
        m_Count--;
        delete item;
        return STATUS_SUCCESS;
    }

    ULONG Count()
    {
        AutoLock<FastMutex> lock(m_Lock);
        return m_Count;
    }

private:
    Item* Find(ULONG id)
    {
        for (auto entry = m_Head.Flink; entry != &m_Head; entry = entry->Flink) {
            auto item = CONTAINING_RECORD(entry, Item, Entry);
            if (item->Id() == id)
                return item;
        }
        return nullptr;
    }

    FastMutex m_Lock;
    LIST_ENTRY m_Head;
    ULONG m_Count;
    ULONG m_NextId;
};

static ItemList* g_Items;

static NTSTATUS CompleteRequest(PIRP Irp, NTSTATUS status, ULONG_PTR information = 0)
{
    Irp->IoStatus.Status = status;
    Irp->IoStatus.Information = information;
    IoCompleteRequest(Irp, IO_NO_INCREMENT);
    return status;
}

static NTSTATUS CppAllocCreateClose(PDEVICE_OBJECT, PIRP Irp)
{
    return CompleteRequest(Irp, STATUS_SUCCESS);
}

static NTSTATUS CppAllocDeviceControl(PDEVICE_OBJECT, PIRP Irp)
{
    auto stack = IoGetCurrentIrpStackLocation(Irp);
    auto& params = stack->Parameters.DeviceIoControl;
    auto buffer = static_cast<char*>(Irp->AssociatedIrp.SystemBuffer);
    NTSTATUS status = STATUS_INVALID_DEVICE_REQUEST;
    ULONG_PTR information = 0;

    switch (params.IoControlCode) {
    case IOCTL_CPPALLOC_ADD: {
        ULONG id = 0;
        if (params.InputBufferLength == 0 || params.InputBufferLength > CPPALLOC_MAX_TEXT) {
            status = STATUS_INVALID_PARAMETER;
            break;
        }
        if (params.OutputBufferLength < sizeof(ULONG)) {
            status = STATUS_BUFFER_TOO_SMALL;
            break;
        }
        status = g_Items->Add(buffer, params.InputBufferLength, &id);
        if (NT_SUCCESS(status)) {
            *reinterpret_cast<ULONG*>(buffer) = id;
            information = sizeof(ULONG);
        }
        break;
    }
    case IOCTL_CPPALLOC_GET: {
        ULONG written = 0;
        if (params.InputBufferLength < sizeof(ULONG)) {
            status = STATUS_BUFFER_TOO_SMALL;
            break;
        }
        status = g_Items->Get(*reinterpret_cast<ULONG*>(buffer), buffer,
                              params.OutputBufferLength, &written);
        if (NT_SUCCESS(status))
            information = written;
        break;
    }
    case IOCTL_CPPALLOC_REMOVE:
        if (params.InputBufferLength < sizeof(ULONG)) {
            status = STATUS_BUFFER_TOO_SMALL;
            break;
        }
        status = g_Items->Remove(*reinterpret_cast<ULONG*>(buffer));
        break;
    case IOCTL_CPPALLOC_STATS: {
        if (params.OutputBufferLength < sizeof(CppAllocStats)) {
            status = STATUS_BUFFER_TOO_SMALL;
            break;
        }
        auto stats = reinterpret_cast<CppAllocStats*>(buffer);
        stats->Items = g_Items->Count();
        stats->LiveAllocations = KcppLiveAllocations();
        stats->TotalAllocations = KcppTotalAllocations();
        status = STATUS_SUCCESS;
        information = sizeof(CppAllocStats);
        break;
    }
    }
    return CompleteRequest(Irp, status, information);
}

static void CppAllocUnload(PDRIVER_OBJECT DriverObject)
{
    UNICODE_STRING symLink = RTL_CONSTANT_STRING(L"\\??\\CppAlloc");
#ifndef CPPALLOC_LEAK
    delete g_Items;
#endif
    g_Items = nullptr;
    IoDeleteSymbolicLink(&symLink);
    IoDeleteDevice(DriverObject->DeviceObject);
    KdPrint((DRIVER_PREFIX "unload, %d allocations live of %u\n", (int)KcppLiveAllocations(),
             KcppTotalAllocations()));
}

extern "C" NTSTATUS DriverEntry(PDRIVER_OBJECT DriverObject, PUNICODE_STRING)
{
    UNICODE_STRING devName = RTL_CONSTANT_STRING(L"\\Device\\CppAlloc");
    UNICODE_STRING symLink = RTL_CONSTANT_STRING(L"\\??\\CppAlloc");
    PDEVICE_OBJECT deviceObject = nullptr;

    // The list holds the fast mutex: non-paged memory.
    g_Items = new (POOL_FLAG_NON_PAGED, DriverTag) ItemList;
    if (g_Items == nullptr)
        return STATUS_INSUFFICIENT_RESOURCES;
    auto status = IoCreateDevice(DriverObject, 0, &devName, FILE_DEVICE_UNKNOWN, 0, FALSE,
                                 &deviceObject);
    if (NT_SUCCESS(status)) {
        status = IoCreateSymbolicLink(&symLink, &devName);
        if (!NT_SUCCESS(status))
            IoDeleteDevice(deviceObject);
    }
    if (!NT_SUCCESS(status)) {
        delete g_Items;
        return status;
    }
    DriverObject->DriverUnload = CppAllocUnload;
    DriverObject->MajorFunction[IRP_MJ_CREATE] = CppAllocCreateClose;
    DriverObject->MajorFunction[IRP_MJ_CLOSE] = CppAllocCreateClose;
    DriverObject->MajorFunction[IRP_MJ_DEVICE_CONTROL] = CppAllocDeviceControl;
    KdPrint((DRIVER_PREFIX "DriverEntry completed successfully\n"));
    return STATUS_SUCCESS;
}
