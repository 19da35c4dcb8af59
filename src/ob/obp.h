/* Ob private structures. */
#ifndef NTK_OBP_H
#define NTK_OBP_H

#include "ntkp.h"

#define OB_FLAG_PERMANENT 0x01
#define OB_FLAG_NAMED 0x02     /* the object is in a directory; the name holds a reference */
#define OB_FLAG_EXCLUSIVE 0x04
#define OBP_TAG_NAME 0x6D614E4F /* 'ONam' */

/* Precedes every object body; 0x60 bytes so that bodies stay 16-byte aligned. */
typedef struct _OBJECT_HEADER {
    volatile LONG_PTR PointerCount;
    volatile LONG_PTR HandleCount;
    POBJECT_TYPE Type;
    struct _OBJECT_DIRECTORY *Directory;
    UNICODE_STRING Name;           /* the last path component, in pool */
    LIST_ENTRY DirectoryEntry;
    ULONG Flags;
    ULONG BodySize;
    UNICODE_STRING *CreateName;    /* the full name given at creation, until insertion */
    ULONG CreateAttributes;        /* OBJ_* given at creation, used by the insertion */
    ULONG Spare;
    struct _OBJECT_HEADER *NextToFree; /* waiting for the deferred deletion (obobject.c) */
} OBJECT_HEADER, *POBJECT_HEADER;

_Static_assert(sizeof(OBJECT_HEADER) % 16 == 0, "object bodies are 16-byte aligned");

#define OBJECT_TO_OBJECT_HEADER(o) ((POBJECT_HEADER)(o)-1)
#define OBJECT_HEADER_TO_BODY(h) ((PVOID)((POBJECT_HEADER)(h) + 1))

struct _OBJECT_TYPE {
    UNICODE_STRING Name;
    WCHAR NameBuffer[32];
    ULONG Tag;
    GENERIC_MAPPING GenericMapping;
    ACCESS_MASK ValidAccessMask;
    OB_PARSE_METHOD ParseProcedure;
    OB_DELETE_METHOD DeleteProcedure;
    OB_CLOSE_METHOD CloseProcedure;
    volatile LONG TotalObjects;
    volatile LONG TotalHandles;
};

typedef struct _OBJECT_DIRECTORY {
    LIST_ENTRY Entries;
} OBJECT_DIRECTORY, *POBJECT_DIRECTORY;

typedef struct _OBJECT_SYMBOLIC_LINK {
    UNICODE_STRING Target;
} OBJECT_SYMBOLIC_LINK, *POBJECT_SYMBOLIC_LINK;

extern pthread_mutex_t ObpNamespaceLock;
extern POBJECT_DIRECTORY ObpRootDirectory;

/* Namespace. */
NTSTATUS ObpLookupObjectName(HANDLE RootDirectory, PCUNICODE_STRING Name, ULONG Attributes,
                             KPROCESSOR_MODE AccessMode, PVOID *Object,
                             PUNICODE_STRING RemainingName, PUNICODE_STRING RemainingStorage);
NTSTATUS ObpInsertName(PVOID Object, HANDLE RootDirectory, PCUNICODE_STRING FullName,
                       ULONG Attributes, PVOID *Existing);
VOID ObpDeleteNameCheck(PVOID Object);
/* Names types created before \ObjectTypes existed; the later ones are named at creation. */
NTSTATUS ObpNameTypes(POBJECT_TYPE Types[], ULONG Count);
NTSTATUS ObpCreateDirectory(PCWSTR Path, POBJECT_DIRECTORY *Directory);
NTSTATUS ObpCreateSymbolicLink(PCWSTR Path, PCUNICODE_STRING Target, BOOLEAN Permanent);
VOID ObpFreeString(PUNICODE_STRING String);
NTSTATUS ObpCopyString(PUNICODE_STRING Destination, PCUNICODE_STRING Source);

/* Handles. */
VOID ObpDecrementHandleCount(PEPROCESS Process, PVOID Object);

/* For the crash dump: walks a process's handles without waiting (a frozen thread may hold the
 * table's lock: STATUS_LOCK_NOT_GRANTED). The routine runs under the lock and must neither
 * allocate nor lock; FALSE from it ends the walk. */
typedef BOOLEAN (*OBP_HANDLE_ROUTINE)(HANDLE Handle, PVOID Object, ACCESS_MASK GrantedAccess,
                                      PVOID Context);
NTSTATUS ObpTryEnumerateHandles(PEPROCESS Process, OBP_HANDLE_ROUTINE Routine, PVOID Context);

#endif
