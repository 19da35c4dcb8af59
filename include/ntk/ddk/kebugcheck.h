/* ntk — bug check callbacks (wdm.h): KeRegisterBugCheckCallback and
 * KeRegisterBugCheckReasonCallback with their records, Windows x64 layout. ntk runs the
 * callbacks of a bug check on the stopping thread, with every other thread frozen, at
 * HIGH_LEVEL; see docs/CRASHDUMP.md for the order and what reaches the dump. */
#ifndef _NTK_DDK_KEBUGCHECK_H
#define _NTK_DDK_KEBUGCHECK_H

#include <ntk/ntkbase.h>

NTK_EXTERN_C_START

typedef enum _KBUGCHECK_CALLBACK_REASON {
    KbCallbackInvalid,
    KbCallbackReserved1,
    KbCallbackSecondaryDumpData,
    KbCallbackDumpIo,
    KbCallbackAddPages,
    KbCallbackSecondaryMultiPartDumpData,
    KbCallbackRemovePages,
    KbCallbackTriageDumpData,
    KbCallbackReserved2,
    KbCallbackReserved3
} KBUGCHECK_CALLBACK_REASON;

typedef enum _KBUGCHECK_BUFFER_DUMP_STATE {
    BufferEmpty,
    BufferInserted,
    BufferStarted,
    BufferFinished,
    BufferIncomplete
} KBUGCHECK_BUFFER_DUMP_STATE;

typedef VOID KBUGCHECK_CALLBACK_ROUTINE(PVOID Buffer, ULONG Length);
typedef KBUGCHECK_CALLBACK_ROUTINE *PKBUGCHECK_CALLBACK_ROUTINE;

typedef struct _KBUGCHECK_CALLBACK_RECORD {
    LIST_ENTRY Entry;
    PKBUGCHECK_CALLBACK_ROUTINE CallbackRoutine;
    PVOID Buffer;
    ULONG Length;
    PUCHAR Component;
    ULONG_PTR Checksum;
    UCHAR State;
} KBUGCHECK_CALLBACK_RECORD, *PKBUGCHECK_CALLBACK_RECORD;

struct _KBUGCHECK_REASON_CALLBACK_RECORD;
typedef VOID KBUGCHECK_REASON_CALLBACK_ROUTINE(KBUGCHECK_CALLBACK_REASON Reason,
                                               struct _KBUGCHECK_REASON_CALLBACK_RECORD *Record,
                                               PVOID ReasonSpecificData,
                                               ULONG ReasonSpecificDataLength);
typedef KBUGCHECK_REASON_CALLBACK_ROUTINE *PKBUGCHECK_REASON_CALLBACK_ROUTINE;

typedef struct _KBUGCHECK_REASON_CALLBACK_RECORD {
    LIST_ENTRY Entry;
    PKBUGCHECK_REASON_CALLBACK_ROUTINE CallbackRoutine;
    PUCHAR Component;
    ULONG_PTR Checksum;
    KBUGCHECK_CALLBACK_REASON Reason;
    UCHAR State;
} KBUGCHECK_REASON_CALLBACK_RECORD, *PKBUGCHECK_REASON_CALLBACK_RECORD;

/* KbCallbackSecondaryDumpData: called first with OutBuffer NULL (the callback names its
 * buffer and size and sets Guid), then with OutBuffer set to fill it. At most MaximumAllowed
 * bytes reach the dump. */
typedef struct _KBUGCHECK_SECONDARY_DUMP_DATA {
    PVOID InBuffer;
    ULONG InBufferLength;
    ULONG MaximumAllowed;
    GUID Guid;
    PVOID OutBuffer;
    ULONG OutBufferLength;
} KBUGCHECK_SECONDARY_DUMP_DATA, *PKBUGCHECK_SECONDARY_DUMP_DATA;

#define KeInitializeCallbackRecord(CallbackRecord) (CallbackRecord)->State = BufferEmpty

NTKERNELAPI BOOLEAN KeRegisterBugCheckCallback(PKBUGCHECK_CALLBACK_RECORD CallbackRecord,
                                               PKBUGCHECK_CALLBACK_ROUTINE CallbackRoutine,
                                               PVOID Buffer, ULONG Length, PUCHAR Component);
NTKERNELAPI BOOLEAN KeDeregisterBugCheckCallback(PKBUGCHECK_CALLBACK_RECORD CallbackRecord);
NTKERNELAPI BOOLEAN
KeRegisterBugCheckReasonCallback(PKBUGCHECK_REASON_CALLBACK_RECORD CallbackRecord,
                                 PKBUGCHECK_REASON_CALLBACK_ROUTINE CallbackRoutine,
                                 KBUGCHECK_CALLBACK_REASON Reason, PUCHAR Component);
NTKERNELAPI BOOLEAN
KeDeregisterBugCheckReasonCallback(PKBUGCHECK_REASON_CALLBACK_RECORD CallbackRecord);

#ifdef __cplusplus
static_assert(sizeof(KBUGCHECK_CALLBACK_RECORD) == 0x40, "KBUGCHECK_CALLBACK_RECORD is 0x40");
static_assert(sizeof(KBUGCHECK_REASON_CALLBACK_RECORD) == 0x30,
              "KBUGCHECK_REASON_CALLBACK_RECORD is 0x30");
static_assert(sizeof(KBUGCHECK_SECONDARY_DUMP_DATA) == 0x30,
              "KBUGCHECK_SECONDARY_DUMP_DATA is 0x30");
#else
_Static_assert(sizeof(KBUGCHECK_CALLBACK_RECORD) == 0x40, "KBUGCHECK_CALLBACK_RECORD is 0x40");
_Static_assert(sizeof(KBUGCHECK_REASON_CALLBACK_RECORD) == 0x30,
               "KBUGCHECK_REASON_CALLBACK_RECORD is 0x30");
_Static_assert(sizeof(KBUGCHECK_SECONDARY_DUMP_DATA) == 0x30,
               "KBUGCHECK_SECONDARY_DUMP_DATA is 0x30");
#endif

NTK_EXTERN_C_END

#endif
