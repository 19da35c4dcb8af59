/* Ob: the namespace. Directories hold named objects; lookups are case-insensitive and follow
 * symbolic links; a lookup that reaches an object with a parse procedure (a device) stops
 * there and hands it the rest of the path. */
#include "obp.h"
#include <string.h>

#define OBP_MAX_REPARSE 32

POBJECT_DIRECTORY ObpRootDirectory;
POBJECT_TYPE ObpDirectoryObjectType, ObpSymbolicLinkObjectType;

static PVOID ObpFindEntry(POBJECT_DIRECTORY Directory, PCUNICODE_STRING Name)
{
    PLIST_ENTRY Entry;
    for (Entry = Directory->Entries.Flink; Entry != &Directory->Entries; Entry = Entry->Flink) {
        POBJECT_HEADER Header = CONTAINING_RECORD(Entry, OBJECT_HEADER, DirectoryEntry);
        if (RtlEqualUnicodeString(&Header->Name, Name, TRUE))
            return OBJECT_HEADER_TO_BODY(Header);
    }
    return NULL;
}

/* Replaces Work with Target followed by Work's text from Offset (in chars) on. */
static NTSTATUS ObpReparse(PUNICODE_STRING Work, PCUNICODE_STRING Target, USHORT Offset)
{
    USHORT Tail = (USHORT)(Work->Length - Offset * sizeof(WCHAR));
    ULONG Length = (ULONG)Target->Length + Tail;
    UNICODE_STRING Joined;
    if (Length > UNICODE_STRING_MAX_BYTES)
        return STATUS_NAME_TOO_LONG;
    Joined.Buffer = ExAllocatePool2(POOL_FLAG_NON_PAGED, Length + sizeof(WCHAR), OBP_TAG_NAME);
    if (Joined.Buffer == NULL)
        return STATUS_INSUFFICIENT_RESOURCES;
    memcpy(Joined.Buffer, Target->Buffer, Target->Length);
    memcpy((PUCHAR)Joined.Buffer + Target->Length, Work->Buffer + Offset, Tail);
    Joined.Buffer[Length / sizeof(WCHAR)] = 0;
    Joined.Length = (USHORT)Length;
    Joined.MaximumLength = (USHORT)(Length + sizeof(WCHAR));
    ObpFreeString(Work);
    *Work = Joined;
    return STATUS_SUCCESS;
}

/* Walks Name. For a lookup, returns the object found (referenced) and, when it has a parse
 * procedure, the rest of the path. For an insertion, returns the parent directory and the last
 * component, plus the existing object of that name (referenced) if there is one.
 * The caller holds the namespace lock. Work receives a pool copy the caller frees. */
static NTSTATUS ObpWalk(PCUNICODE_STRING Name, ULONG Attributes, BOOLEAN ForInsert,
                        PUNICODE_STRING Work, PVOID *Found, POBJECT_DIRECTORY *Parent,
                        PUNICODE_STRING Last, PUNICODE_STRING Remaining)
{
    ULONG Reparses = 0;
    NTSTATUS Status;

    *Found = NULL;
    if (Name == NULL || Name->Length == 0 || Name->Buffer == NULL)
        return STATUS_OBJECT_NAME_INVALID;
    if (Name->Buffer[0] != L'\\')
        return STATUS_OBJECT_PATH_SYNTAX_BAD;
    Status = ObpCopyString(Work, Name);
    if (!NT_SUCCESS(Status))
        return Status;

restart:
    {
        POBJECT_DIRECTORY Directory = ObpRootDirectory;
        USHORT Chars = Work->Length / sizeof(WCHAR);
        USHORT Pos = 0;
        if (Chars == 1 && !ForInsert) {
            ObfReferenceObject(ObpRootDirectory);
            *Found = ObpRootDirectory;
            return STATUS_SUCCESS;
        }
        for (;;) {
            USHORT Start = Pos + 1, End = Start;
            UNICODE_STRING Component;
            BOOLEAN IsLast;
            PVOID Entry;
            POBJECT_TYPE Type;
            while (End < Chars && Work->Buffer[End] != L'\\')
                End++;
            Component.Buffer = Work->Buffer + Start;
            Component.Length = Component.MaximumLength = (USHORT)((End - Start) * sizeof(WCHAR));
            if (Component.Length == 0)
                return STATUS_OBJECT_NAME_INVALID;
            IsLast = End == Chars;
            Entry = ObpFindEntry(Directory, &Component);
            if (ForInsert && IsLast) {
                *Parent = Directory;
                *Last = Component;
                if (Entry) {
                    ObfReferenceObject(Entry);
                    *Found = Entry;
                }
                return STATUS_SUCCESS;
            }
            if (Entry == NULL)
                return IsLast ? STATUS_OBJECT_NAME_NOT_FOUND : STATUS_OBJECT_PATH_NOT_FOUND;
            Type = OBJECT_TO_OBJECT_HEADER(Entry)->Type;
            if (Type == ObpSymbolicLinkObjectType && (!IsLast || !(Attributes & OBJ_OPENLINK))) {
                if (++Reparses > OBP_MAX_REPARSE)
                    return STATUS_REPARSE_POINT_NOT_RESOLVED;
                Status = ObpReparse(Work, &((POBJECT_SYMBOLIC_LINK)Entry)->Target, End);
                if (!NT_SUCCESS(Status))
                    return Status;
                goto restart;
            }
            if (IsLast) {
                ObfReferenceObject(Entry);
                *Found = Entry;
                Remaining->Buffer = NULL;
                Remaining->Length = Remaining->MaximumLength = 0;
                return STATUS_SUCCESS;
            }
            if (Type == ObpDirectoryObjectType) {
                Directory = Entry;
                Pos = End;
                continue;
            }
            if (Type->ParseProcedure && !ForInsert) {
                ObfReferenceObject(Entry);
                *Found = Entry;
                Remaining->Buffer = Work->Buffer + End;
                Remaining->Length = Remaining->MaximumLength =
                    (USHORT)((Chars - End) * sizeof(WCHAR));
                return STATUS_SUCCESS;
            }
            return STATUS_OBJECT_PATH_NOT_FOUND;
        }
    }
}

NTSTATUS ObpLookupObjectName(HANDLE RootDirectory, PCUNICODE_STRING Name, ULONG Attributes,
                             KPROCESSOR_MODE AccessMode, PVOID *Object,
                             PUNICODE_STRING RemainingName, PUNICODE_STRING RemainingStorage)
{
    NTSTATUS Status;
    POBJECT_DIRECTORY Parent;
    UNICODE_STRING Last;
    UNREFERENCED_PARAMETER(AccessMode);
    RemainingStorage->Buffer = NULL;
    RemainingName->Buffer = NULL;
    RemainingName->Length = RemainingName->MaximumLength = 0;
    if (RootDirectory != NULL) {
        KdpLog("ntk: opening by a name relative to a root directory handle is not implemented\n");
        return STATUS_NOT_IMPLEMENTED;
    }
    pthread_mutex_lock(&ObpNamespaceLock);
    Status = ObpWalk(Name, Attributes, FALSE, RemainingStorage, Object, &Parent, &Last,
                     RemainingName);
    pthread_mutex_unlock(&ObpNamespaceLock);
    if (!NT_SUCCESS(Status)) {
        if (*Object) {
            ObfDereferenceObject(*Object);
            *Object = NULL;
        }
        ObpFreeString(RemainingStorage);
        RemainingName->Buffer = NULL;
        RemainingName->Length = RemainingName->MaximumLength = 0;
    }
    return Status;
}

NTSTATUS ObpInsertName(PVOID Object, HANDLE RootDirectory, PCUNICODE_STRING FullName,
                       ULONG Attributes, PVOID *Existing)
{
    POBJECT_HEADER Header = OBJECT_TO_OBJECT_HEADER(Object);
    POBJECT_DIRECTORY Parent = NULL;
    UNICODE_STRING Work = { 0, 0, NULL }, Last, Remaining;
    PVOID Found = NULL;
    NTSTATUS Status;

    *Existing = NULL;
    if (RootDirectory != NULL) {
        KdpLog("ntk: creating a name relative to a root directory handle is not implemented\n");
        return STATUS_NOT_IMPLEMENTED;
    }
    pthread_mutex_lock(&ObpNamespaceLock);
    Status = ObpWalk(FullName, Attributes, TRUE, &Work, &Found, &Parent, &Last, &Remaining);
    if (NT_SUCCESS(Status) && Found) {
        if (!(Attributes & OBJ_OPENIF))
            Status = STATUS_OBJECT_NAME_COLLISION;
        else if (OBJECT_TO_OBJECT_HEADER(Found)->Type != Header->Type)
            Status = STATUS_OBJECT_TYPE_MISMATCH;
        else {
            *Existing = Found;
            Found = NULL;
            Status = STATUS_OBJECT_NAME_EXISTS;
        }
    } else if (NT_SUCCESS(Status)) {
        Status = ObpCopyString(&Header->Name, &Last);
        if (NT_SUCCESS(Status)) {
            Header->Directory = Parent;
            InsertTailList(&Parent->Entries, &Header->DirectoryEntry);
            Header->Flags |= OB_FLAG_NAMED;
            ObfReferenceObject(Object); /* the name's reference */
        }
    }
    pthread_mutex_unlock(&ObpNamespaceLock);
    if (Found)
        ObfDereferenceObject(Found);
    ObpFreeString(&Work);
    return Status;
}

/* A temporary object leaves the namespace when its last handle closes. */
VOID ObpDeleteNameCheck(PVOID Object)
{
    POBJECT_HEADER Header = OBJECT_TO_OBJECT_HEADER(Object);
    BOOLEAN Drop = FALSE;
    pthread_mutex_lock(&ObpNamespaceLock);
    if ((Header->Flags & OB_FLAG_NAMED) && !(Header->Flags & OB_FLAG_PERMANENT) &&
        Header->HandleCount == 0) {
        RemoveEntryList(&Header->DirectoryEntry);
        InitializeListHead(&Header->DirectoryEntry);
        Header->Flags &= ~OB_FLAG_NAMED;
        Header->Directory = NULL;
        Drop = TRUE;
    }
    pthread_mutex_unlock(&ObpNamespaceLock);
    if (Drop)
        ObfDereferenceObject(Object);
}

static NTSTATUS ObpCreateNamedByName(POBJECT_TYPE Type, PCUNICODE_STRING Path, ULONG BodySize,
                                     PVOID *Body)
{
    OBJECT_ATTRIBUTES Attributes;
    NTSTATUS Status;
    InitializeObjectAttributes(&Attributes, (PUNICODE_STRING)Path,
                               OBJ_PERMANENT | OBJ_CASE_INSENSITIVE, NULL, NULL);
    Status = ObCreateObject(KernelMode, Type, &Attributes, KernelMode, NULL, BodySize, 0, 0, Body);
    if (!NT_SUCCESS(Status))
        return Status;
    memset(*Body, 0, BodySize);
    return STATUS_SUCCESS;
}

static NTSTATUS ObpCreateNamed(POBJECT_TYPE Type, PCWSTR Path, ULONG BodySize, PVOID *Body)
{
    UNICODE_STRING Name;
    RtlInitUnicodeString(&Name, Path);
    return ObpCreateNamedByName(Type, &Name, BodySize, Body);
}

NTSTATUS ObpCreateDirectory(PCWSTR Path, POBJECT_DIRECTORY *Directory)
{
    POBJECT_DIRECTORY Body;
    NTSTATUS Status = ObpCreateNamed(ObpDirectoryObjectType, Path, sizeof(*Body), (PVOID *)&Body);
    if (!NT_SUCCESS(Status))
        return Status;
    InitializeListHead(&Body->Entries);
    Status = ObInsertObject(Body, NULL, 0, 0, NULL, NULL);
    if (!NT_SUCCESS(Status))
        return Status;
    if (Directory)
        *Directory = Body;
    ObfDereferenceObject(Body); /* the permanent name keeps it */
    return STATUS_SUCCESS;
}

NTSTATUS ObpCreateSymbolicLink(PCWSTR Path, PCUNICODE_STRING Target, BOOLEAN Permanent)
{
    UNICODE_STRING Name;
    RtlInitUnicodeString(&Name, Path);
    return ObpCreateSymbolicLinkByName(&Name, Target, Permanent);
}

NTSTATUS ObpCreateSymbolicLinkByName(PCUNICODE_STRING Path, PCUNICODE_STRING Target,
                                     BOOLEAN Permanent)
{
    POBJECT_SYMBOLIC_LINK Link;
    NTSTATUS Status = ObpCreateNamedByName(ObpSymbolicLinkObjectType, Path, sizeof(*Link),
                                           (PVOID *)&Link);
    if (!NT_SUCCESS(Status))
        return Status;
    if (!Permanent)
        OBJECT_TO_OBJECT_HEADER(Link)->Flags &= ~OB_FLAG_PERMANENT;
    Status = ObpCopyString(&Link->Target, Target);
    if (!NT_SUCCESS(Status)) {
        ObfDereferenceObject(Link);
        return Status;
    }
    Status = ObInsertObject(Link, NULL, 0, 0, NULL, NULL);
    if (!NT_SUCCESS(Status))
        return Status;
    ObfDereferenceObject(Link);
    return STATUS_SUCCESS;
}

static VOID ObpDeleteSymbolicLink(PVOID Object)
{
    ObpFreeString(&((POBJECT_SYMBOLIC_LINK)Object)->Target);
}

NTSTATUS ObpInitialize(VOID)
{
    static const OBJECT_TYPE_INITIALIZER TypeType = {
        L"Type", 0x65707954, /* 'Type' */
        { STANDARD_RIGHTS_READ, STANDARD_RIGHTS_WRITE, STANDARD_RIGHTS_EXECUTE,
          STANDARD_RIGHTS_REQUIRED | 0x1 },
        STANDARD_RIGHTS_REQUIRED | 0x1, NULL, NULL, NULL
    };
    static const OBJECT_TYPE_INITIALIZER DirectoryType = {
        L"Directory", 0x65726944, /* 'Dire' */
        { STANDARD_RIGHTS_READ | DIRECTORY_QUERY | DIRECTORY_TRAVERSE,
          STANDARD_RIGHTS_WRITE | DIRECTORY_CREATE_OBJECT | DIRECTORY_CREATE_SUBDIRECTORY,
          STANDARD_RIGHTS_EXECUTE | DIRECTORY_QUERY | DIRECTORY_TRAVERSE, DIRECTORY_ALL_ACCESS },
        DIRECTORY_ALL_ACCESS, NULL, NULL, NULL
    };
    static const OBJECT_TYPE_INITIALIZER LinkType = {
        L"SymbolicLink", 0x626D7953, /* 'Symb' */
        { STANDARD_RIGHTS_READ | SYMBOLIC_LINK_QUERY, STANDARD_RIGHTS_WRITE,
          STANDARD_RIGHTS_EXECUTE | SYMBOLIC_LINK_QUERY, SYMBOLIC_LINK_ALL_ACCESS },
        SYMBOLIC_LINK_ALL_ACCESS, NULL, ObpDeleteSymbolicLink, NULL
    };
    static const PCWSTR Directories[] = { L"\\Device",   L"\\Driver",          L"\\GLOBAL??",
                                          L"\\ObjectTypes", L"\\BaseNamedObjects", L"\\KernelObjects",
                                          L"\\FileSystem", L"\\Callback" };
    UNICODE_STRING Target;
    NTSTATUS Status;
    size_t i;
    PVOID Root;

    Status = ObCreateObjectType(&TypeType, &ObpTypeObjectType);
    if (NT_SUCCESS(Status))
        Status = ObCreateObjectType(&DirectoryType, &ObpDirectoryObjectType);
    if (NT_SUCCESS(Status))
        Status = ObCreateObjectType(&LinkType, &ObpSymbolicLinkObjectType);
    if (!NT_SUCCESS(Status))
        return Status;
    /* The root has no name: it is created directly, never inserted. */
    Status = ObCreateObject(KernelMode, ObpDirectoryObjectType, NULL, KernelMode, NULL,
                            sizeof(OBJECT_DIRECTORY), 0, 0, &Root);
    if (!NT_SUCCESS(Status))
        return Status;
    ObpRootDirectory = Root;
    InitializeListHead(&ObpRootDirectory->Entries);
    for (i = 0; i < sizeof(Directories) / sizeof(Directories[0]); i++) {
        Status = ObpCreateDirectory(Directories[i], NULL);
        if (!NT_SUCCESS(Status))
            return Status;
    }
    {
        POBJECT_TYPE Early[] = { ObpTypeObjectType, ObpDirectoryObjectType,
                                 ObpSymbolicLinkObjectType };
        Status = ObpNameTypes(Early, RTL_NUMBER_OF(Early));
        if (!NT_SUCCESS(Status))
            return Status;
    }
    RtlInitUnicodeString(&Target, L"\\GLOBAL??");
    Status = ObpCreateSymbolicLink(L"\\??", &Target, TRUE);
    if (NT_SUCCESS(Status)) {
        RtlInitUnicodeString(&Target, L"\\??");
        Status = ObpCreateSymbolicLink(L"\\DosDevices", &Target, TRUE);
    }
    if (NT_SUCCESS(Status)) {
        RtlInitUnicodeString(&Target, L"\\GLOBAL??");
        Status = ObpCreateSymbolicLink(L"\\GLOBAL??\\Global", &Target, TRUE);
    }
    if (NT_SUCCESS(Status)) {
        RtlInitUnicodeString(&Target, L"\\BaseNamedObjects");
        Status = ObpCreateSymbolicLink(L"\\BaseNamedObjects\\Global", &Target, TRUE);
    }
    return Status;
}
