/* Ob: object types, object creation and insertion, reference counts, deletion. */
#include "obp.h"
#include "ntklock.h"
#include "../vf/vfddi.h"
#include <stdio.h>
#include <string.h>

pthread_mutex_t ObpNamespaceLock = PTHREAD_MUTEX_INITIALIZER;
POBJECT_TYPE ObpTypeObjectType;

NTSTATUS ObpCopyString(PUNICODE_STRING Destination, PCUNICODE_STRING Source)
{
    Destination->Length = Source->Length;
    Destination->MaximumLength = (USHORT)(Source->Length + sizeof(WCHAR));
    Destination->Buffer = ExAllocatePool2(POOL_FLAG_NON_PAGED, Destination->MaximumLength,
                                          OBP_TAG_NAME);
    if (Destination->Buffer == NULL)
        return STATUS_INSUFFICIENT_RESOURCES;
    memcpy(Destination->Buffer, Source->Buffer, Source->Length);
    Destination->Buffer[Source->Length / sizeof(WCHAR)] = 0;
    return STATUS_SUCCESS;
}

VOID ObpFreeString(PUNICODE_STRING String)
{
    if (String->Buffer)
        ExFreePoolWithTag(String->Buffer, OBP_TAG_NAME);
    String->Buffer = NULL;
    String->Length = String->MaximumLength = 0;
}

/* A type is itself an object, of the type "Type", named \ObjectTypes\<Name>. The types made
 * before that directory exists (Type, Directory, SymbolicLink) are named by ObpNameTypes. */
static BOOLEAN ObpTypeDirectoryReady;

static NTSTATUS ObpNameType(POBJECT_TYPE Type)
{
    static const WCHAR Prefix[] = L"\\ObjectTypes\\";
    WCHAR Buffer[RTL_NUMBER_OF(Prefix) + RTL_NUMBER_OF(Type->NameBuffer)];
    UNICODE_STRING Name;
    PVOID Existing;
    NTSTATUS Status;

    memcpy(Buffer, Prefix, sizeof(Prefix) - sizeof(WCHAR));
    memcpy(Buffer + RTL_NUMBER_OF(Prefix) - 1, Type->Name.Buffer, Type->Name.Length);
    Name.Buffer = Buffer;
    Name.Length = (USHORT)(sizeof(Prefix) - sizeof(WCHAR) + Type->Name.Length);
    Name.MaximumLength = Name.Length;
    Status = ObpInsertName(Type, NULL, &Name, 0, &Existing);
    if (Existing)
        ObfDereferenceObject(Existing);
    return Status == STATUS_OBJECT_NAME_EXISTS ? STATUS_OBJECT_NAME_COLLISION : Status;
}

NTSTATUS ObpNameTypes(POBJECT_TYPE Types[], ULONG Count)
{
    NTSTATUS Status = STATUS_SUCCESS;
    ULONG i;
    for (i = 0; i < Count && NT_SUCCESS(Status); i++)
        Status = ObpNameType(Types[i]);
    if (NT_SUCCESS(Status))
        ObpTypeDirectoryReady = TRUE;
    return Status;
}

NTSTATUS ObCreateObjectType(const OBJECT_TYPE_INITIALIZER *Init, POBJECT_TYPE *ObjectType)
{
    POBJECT_HEADER Header = ExAllocatePool2(POOL_FLAG_NON_PAGED,
                                            sizeof(OBJECT_HEADER) + sizeof(struct _OBJECT_TYPE),
                                            0x546A624F);
    POBJECT_TYPE Type;
    size_t Length = 0;
    if (Header == NULL)
        return STATUS_INSUFFICIENT_RESOURCES;
    Type = OBJECT_HEADER_TO_BODY(Header);
    /* The creation reference is never dropped: types live as long as the kernel. The first
     * type created is "Type" itself, its own type. */
    Header->PointerCount = 1;
    Header->Type = ObpTypeObjectType ? ObpTypeObjectType : Type;
    Header->BodySize = sizeof(struct _OBJECT_TYPE);
    Header->Flags = OB_FLAG_PERMANENT;
    InitializeListHead(&Header->DirectoryEntry);
    while (Init->Name[Length] && Length < 31) {
        Type->NameBuffer[Length] = Init->Name[Length];
        Length++;
    }
    Type->Name.Buffer = Type->NameBuffer;
    Type->Name.Length = (USHORT)(Length * sizeof(WCHAR));
    Type->Name.MaximumLength = sizeof(Type->NameBuffer);
    Type->Tag = Init->PoolTag;
    Type->GenericMapping = Init->GenericMapping;
    Type->ValidAccessMask = Init->ValidAccessMask;
    Type->ParseProcedure = Init->ParseProcedure;
    Type->DeleteProcedure = Init->DeleteProcedure;
    Type->CloseProcedure = Init->CloseProcedure;
    InterlockedIncrement(&Header->Type->TotalObjects);
    if (ObpTypeDirectoryReady) {
        NTSTATUS Status = ObpNameType(Type);
        if (!NT_SUCCESS(Status))
            return Status;
    }
    *ObjectType = Type;
    return STATUS_SUCCESS;
}

PCWSTR ObpTypeName(POBJECT_TYPE Type)
{
    return Type ? Type->NameBuffer : L"?";
}

POBJECT_TYPE ObGetObjectType(PVOID Object)
{
    VF_CHECK_IRQL(ObGetObjectType);
    return OBJECT_TO_OBJECT_HEADER(Object)->Type;
}

ACCESS_MASK ObpMapGenericMask(POBJECT_TYPE Type, ACCESS_MASK Access)
{
    if (Access & GENERIC_READ)
        Access |= Type->GenericMapping.GenericRead;
    if (Access & GENERIC_WRITE)
        Access |= Type->GenericMapping.GenericWrite;
    if (Access & GENERIC_EXECUTE)
        Access |= Type->GenericMapping.GenericExecute;
    if (Access & (GENERIC_ALL | MAXIMUM_ALLOWED))
        Access |= Type->GenericMapping.GenericAll;
    return Access & ~(GENERIC_READ | GENERIC_WRITE | GENERIC_EXECUTE | GENERIC_ALL |
                      MAXIMUM_ALLOWED);
}

NTSTATUS ObCreateObject(KPROCESSOR_MODE ProbeMode, POBJECT_TYPE ObjectType,
                        POBJECT_ATTRIBUTES ObjectAttributes, KPROCESSOR_MODE OwnershipMode,
                        PVOID ParseContext, ULONG ObjectBodySize, ULONG PagedPoolCharge,
                        ULONG NonPagedPoolCharge, PVOID *Object)
{
    POBJECT_HEADER Header;
    UNREFERENCED_PARAMETER(ProbeMode);
    UNREFERENCED_PARAMETER(OwnershipMode);
    UNREFERENCED_PARAMETER(ParseContext);
    UNREFERENCED_PARAMETER(PagedPoolCharge);
    UNREFERENCED_PARAMETER(NonPagedPoolCharge);

    Header = ExAllocatePool2(POOL_FLAG_NON_PAGED, sizeof(OBJECT_HEADER) + ObjectBodySize,
                             ObjectType->Tag);
    if (Header == NULL)
        return STATUS_INSUFFICIENT_RESOURCES;
    Header->PointerCount = 1;
    Header->Type = ObjectType;
    Header->BodySize = ObjectBodySize;
    InitializeListHead(&Header->DirectoryEntry);
    if (ObjectAttributes && ObjectAttributes->ObjectName &&
        ObjectAttributes->ObjectName->Length != 0) {
        Header->CreateName = ExAllocatePool2(POOL_FLAG_NON_PAGED, sizeof(UNICODE_STRING),
                                             OBP_TAG_NAME);
        if (Header->CreateName == NULL ||
            !NT_SUCCESS(ObpCopyString(Header->CreateName, ObjectAttributes->ObjectName))) {
            if (Header->CreateName)
                ExFreePoolWithTag(Header->CreateName, OBP_TAG_NAME);
            ExFreePoolWithTag(Header, ObjectType->Tag);
            return STATUS_INSUFFICIENT_RESOURCES;
        }
    }
    if (ObjectAttributes)
        Header->CreateAttributes = ObjectAttributes->Attributes;
    if (ObjectAttributes && (ObjectAttributes->Attributes & OBJ_PERMANENT))
        Header->Flags |= OB_FLAG_PERMANENT;
    if (ObjectAttributes && (ObjectAttributes->Attributes & OBJ_EXCLUSIVE))
        Header->Flags |= OB_FLAG_EXCLUSIVE;
    InterlockedIncrement(&ObjectType->TotalObjects);
    *Object = OBJECT_HEADER_TO_BODY(Header);
    return STATUS_SUCCESS;
}

static VOID ObpFreeCreateName(POBJECT_HEADER Header)
{
    if (Header->CreateName) {
        ObpFreeString(Header->CreateName);
        ExFreePoolWithTag(Header->CreateName, OBP_TAG_NAME);
        Header->CreateName = NULL;
    }
}

static VOID ObpDeleteObject(PVOID Object)
{
    POBJECT_HEADER Header = OBJECT_TO_OBJECT_HEADER(Object);
    POBJECT_TYPE Type = Header->Type;
    if (Type->DeleteProcedure)
        Type->DeleteProcedure(Object);
    ObpFreeCreateName(Header);
    ObpFreeString(&Header->Name);
    InterlockedDecrement(&Type->TotalObjects);
    ExFreePoolWithTag(Header, Type->Tag);
}

LONG_PTR ObfReferenceObject(PVOID Object)
{
    VF_CHECK_IRQL(ObfReferenceObject);
    POBJECT_HEADER Header = OBJECT_TO_OBJECT_HEADER(Object);
    LONG_PTR New = __atomic_add_fetch(&Header->PointerCount, 1, __ATOMIC_SEQ_CST);
    if (New <= 1)
        KeBugCheckEx(REFERENCE_BY_POINTER, (ULONG_PTR)Header->Type, (ULONG_PTR)Object, New, 0);
    return New;
}

/* ---- deferred deletion ----
 * An object whose last reference goes above PASSIVE_LEVEL, or through
 * ObDereferenceObjectDeferDelete, is deleted by a worker thread at PASSIVE_LEVEL: its delete
 * procedure (a file object's sends IRP_MJ_CLOSE) must not run at DISPATCH_LEVEL, nor under the
 * locks of a caller that asked for the deferral. Objects wait on a list, linked through their
 * headers, for one work item; ObpRunDeferredDeletes also runs them before a driver unloads. */

static NTK_LOCK ObpDeferredLock = NTK_LOCK_INIT;
static POBJECT_HEADER ObpDeferredHead;
static BOOLEAN ObpDeferredQueued;
static WORK_QUEUE_ITEM ObpDeferredWork;
static pthread_mutex_t ObpDeletingLock = PTHREAD_MUTEX_INITIALIZER; /* one runner at a time */

/* Deletes what waits, until nothing does. */
static VOID ObpDeleteWaiting(VOID)
{
    for (;;) {
        POBJECT_HEADER Header;
        NtkLock(&ObpDeferredLock);
        Header = ObpDeferredHead;
        ObpDeferredHead = NULL;
        NtkUnlock(&ObpDeferredLock);
        if (Header == NULL)
            return;
        while (Header != NULL) {
            POBJECT_HEADER Next = Header->NextToFree;
            ObpDeleteObject(OBJECT_HEADER_TO_BODY(Header));
            Header = Next;
        }
    }
}

static VOID ObpDeferredDeleteWorker(PVOID Context)
{
    UNREFERENCED_PARAMETER(Context);
    pthread_mutex_lock(&ObpDeletingLock);
    for (;;) {
        ObpDeleteWaiting();
        /* Done once nothing came while the item was being cleared. */
        NtkLock(&ObpDeferredLock);
        if (ObpDeferredHead == NULL) {
            ObpDeferredQueued = FALSE;
            NtkUnlock(&ObpDeferredLock);
            break;
        }
        NtkUnlock(&ObpDeferredLock);
    }
    pthread_mutex_unlock(&ObpDeletingLock);
}

static VOID ObpDeferDeletion(POBJECT_HEADER Header)
{
    BOOLEAN Queue;
    NtkLock(&ObpDeferredLock);
    Header->NextToFree = ObpDeferredHead;
    ObpDeferredHead = Header;
    Queue = !ObpDeferredQueued;
    ObpDeferredQueued = TRUE;
    NtkUnlock(&ObpDeferredLock);
    if (Queue) {
        ExInitializeWorkItem(&ObpDeferredWork, ObpDeferredDeleteWorker, NULL);
        ExQueueWorkItem(&ObpDeferredWork, CriticalWorkQueue);
    }
}

VOID ObpRunDeferredDeletes(VOID)
{
    /* Waits for a worker that is deleting, then deletes what is left here. */
    pthread_mutex_lock(&ObpDeletingLock);
    ObpDeleteWaiting();
    pthread_mutex_unlock(&ObpDeletingLock);
}

static LONG_PTR ObpDereference(PVOID Object, BOOLEAN Defer)
{
    POBJECT_HEADER Header = OBJECT_TO_OBJECT_HEADER(Object);
    LONG_PTR New = __atomic_sub_fetch(&Header->PointerCount, 1, __ATOMIC_SEQ_CST);
    if (New < 0)
        KeBugCheckEx(REFERENCE_BY_POINTER, (ULONG_PTR)Header->Type, (ULONG_PTR)Object, 0,
                     (ULONG_PTR)Header->HandleCount);
    if (New == 0) {
        if (Header->HandleCount != 0)
            KeBugCheckEx(REFERENCE_BY_POINTER, (ULONG_PTR)Header->Type, (ULONG_PTR)Object, 0,
                         (ULONG_PTR)Header->HandleCount);
        /* KiGetIrql: a thread past its rundown drops its last reference with no KTHREAD. */
        if (Defer || KiGetIrql() != PASSIVE_LEVEL)
            ObpDeferDeletion(Header);
        else
            ObpDeleteObject(Object);
    }
    return New;
}

LONG_PTR ObfDereferenceObject(PVOID Object)
{
    VF_CHECK_IRQL(ObfDereferenceObject);
    return ObpDereference(Object, FALSE);
}

VOID ObDereferenceObjectDeferDelete(PVOID Object)
{
    VF_CHECK_IRQL(ObDereferenceObjectDeferDelete);
    ObpDereference(Object, TRUE);
}

VOID ObDereferenceObjectDeferDeleteWithTag(PVOID Object, ULONG Tag)
{
    VF_CHECK_IRQL(ObDereferenceObjectDeferDeleteWithTag);
    UNREFERENCED_PARAMETER(Tag);
    ObpDereference(Object, TRUE);
}

LONG_PTR ObfReferenceObjectWithTag(PVOID Object, ULONG Tag)
{
    VF_CHECK_IRQL(ObfReferenceObjectWithTag);
    UNREFERENCED_PARAMETER(Tag);
    return ObfReferenceObject(Object);
}

LONG_PTR ObfDereferenceObjectWithTag(PVOID Object, ULONG Tag)
{
    VF_CHECK_IRQL(ObfDereferenceObjectWithTag);
    UNREFERENCED_PARAMETER(Tag);
    return ObfDereferenceObject(Object);
}

LONG_PTR ObpPointerCount(PVOID Object)
{
    return OBJECT_TO_OBJECT_HEADER(Object)->PointerCount;
}

LONG_PTR ObpHandleCount(PVOID Object)
{
    return OBJECT_TO_OBJECT_HEADER(Object)->HandleCount;
}

BOOLEAN ObpObjectHasName(PVOID Object)
{
    return (OBJECT_TO_OBJECT_HEADER(Object)->Flags & OB_FLAG_NAMED) != 0;
}

NTSTATUS ObReferenceObjectByPointer(PVOID Object, ACCESS_MASK DesiredAccess,
                                    POBJECT_TYPE ObjectType, KPROCESSOR_MODE AccessMode)
{
    VF_CHECK_IRQL(ObReferenceObjectByPointer);
    UNREFERENCED_PARAMETER(DesiredAccess);
    UNREFERENCED_PARAMETER(AccessMode);
    if (ObjectType && OBJECT_TO_OBJECT_HEADER(Object)->Type != ObjectType)
        return STATUS_OBJECT_TYPE_MISMATCH;
    ObfReferenceObject(Object);
    return STATUS_SUCCESS;
}

/* Inserts a new object into the namespace (if named) and optionally into the handle table.
 * On failure the creation reference is released, as ObInsertObject does. */
NTSTATUS ObInsertObject(PVOID Object, PACCESS_STATE PassedAccessState, ACCESS_MASK DesiredAccess,
                        ULONG ObjectPointerBias, PVOID *NewObject, PHANDLE Handle)
{
    POBJECT_HEADER Header = OBJECT_TO_OBJECT_HEADER(Object);
    PVOID Existing = NULL;
    NTSTATUS Status = STATUS_SUCCESS;
    ULONG HandleAttributes = Header->CreateAttributes;
    PVOID Result = Object;

    UNREFERENCED_PARAMETER(PassedAccessState);
    if (Header->CreateName) {
        Status = ObpInsertName(Object, NULL, Header->CreateName, HandleAttributes, &Existing);
        ObpFreeCreateName(Header);
        if (Status == STATUS_OBJECT_NAME_EXISTS) {
            /* OBJ_OPENIF on an existing object of the same type: open that one instead. */
            ObfDereferenceObject(Object);
            Result = Existing;
        } else if (!NT_SUCCESS(Status)) {
            ObfDereferenceObject(Object);
            return Status;
        }
    }
    while (ObjectPointerBias--)
        ObfReferenceObject(Result);
    if (Handle) {
        NTSTATUS HandleStatus = ObpCreateHandle(
            (HandleAttributes & OBJ_KERNEL_HANDLE) ? PsInitialSystemProcess : PspCurrentProcess(),
            Result, ObpMapGenericMask(OBJECT_TO_OBJECT_HEADER(Result)->Type, DesiredAccess),
            HandleAttributes, Handle);
        if (!NT_SUCCESS(HandleStatus)) {
            ObfDereferenceObject(Result);
            return HandleStatus;
        }
        /* The handle now holds the reference the creator had. */
        ObfDereferenceObject(Result);
    }
    if (NewObject)
        *NewObject = Result;
    return Status;
}

VOID ObMakeTemporaryObject(PVOID Object)
{
    VF_CHECK_IRQL(ObMakeTemporaryObject);
    POBJECT_HEADER Header = OBJECT_TO_OBJECT_HEADER(Object);
    pthread_mutex_lock(&ObpNamespaceLock);
    Header->Flags &= ~OB_FLAG_PERMANENT;
    pthread_mutex_unlock(&ObpNamespaceLock);
    ObpDeleteNameCheck(Object);
}
