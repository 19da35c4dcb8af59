/* Kd: the rest of the system in the crash dump: processors (who owns each, the DPC running
 * there), open handles per process, pool usage by tag. The handle tables and the pool belong to
 * Ob and Ex: Ob's non-blocking walk lists the handles, Ex's non-blocking query gives the
 * per-tag counters (when the pool lock stays held, the live blocks are walked under a time
 * limit instead). */
#include "kddump.h"
#include "../ke/ki.h"
#include "../ob/obp.h"
#include "rtlp.h"
#include <string.h>


VOID KdpWriteProcessors(KDJ_WRITER *Writer)
{
    ULONG i, t;
    KdjBeginArray(Writer, "processors");
    for (i = 0; i < KiProcessorCount && i < KI_MAX_PROCESSORS; i++) {
        KPRCB *Prcb = &KiProcessorBlock[i];
        PKDPC Dpc = Prcb->CurrentDpc;
        KdjBeginObject(Writer, NULL);
        KdjUnsigned(Writer, "number", i);
        KdjBool(Writer, "owned", Prcb->OwnerLock != 0);
        /* The owner is the thread at DISPATCH_LEVEL or above on it. */
        for (t = 0; t < KdpThreadTableCount; t++) {
            PETHREAD Thread = KdpThreadTable[t].Thread;
            if (Thread && Thread->Tcb.Processor == i && Thread->Tcb.Irql >= DISPATCH_LEVEL) {
                KdjUnsigned(Writer, "owner", (ULONG_PTR)Thread->Cid.UniqueThread);
                KdjUnsigned(Writer, "irql", Thread->Tcb.Irql);
                break;
            }
        }
        KdjBool(Writer, "dpcs_queued", Prcb->DpcHead != NULL || Prcb->ThreadedHead != NULL);
        if (Dpc) {
            KDPC Copy;
            KdjBeginObject(Writer, "current_dpc");
            KdjHex(Writer, "dpc", (ULONG_PTR)Dpc);
            if (KdpSafeRead((ULONG_PTR)Dpc, &Copy, sizeof(Copy))) {
                KdjBeginObject(Writer, "routine");
                KdpWriteLocation(Writer, (ULONG_PTR)Copy.DeferredRoutine, FALSE);
                KdjEnd(Writer);
            }
            KdjEnd(Writer);
        }
        KdjEnd(Writer);
    }
    KdjEnd(Writer);
}

/* A name read from another object, bounded: a stale pointer gives nothing. */
static VOID KdpWriteName(KDJ_WRITER *Writer, PCSTR Key, const UNICODE_STRING *Name)
{
    WCHAR Buffer[256];
    if (Name->Length > 0 && Name->Length <= sizeof(Buffer) &&
        KdpSafeRead((ULONG_PTR)Name->Buffer, Buffer, Name->Length))
        KdjWide(Writer, Key, Buffer, Name->Length / sizeof(WCHAR));
}

/* A file handle is known by what it opened: the device and the path below it. */
static VOID KdpWriteFileTarget(KDJ_WRITER *Writer, ULONG_PTR FileObject)
{
    FILE_OBJECT File;
    OBJECT_HEADER DeviceHeader;
    if (!KdpSafeRead(FileObject, &File, sizeof(File)))
        return;
    if (File.DeviceObject &&
        KdpSafeRead((ULONG_PTR)OBJECT_TO_OBJECT_HEADER(File.DeviceObject), &DeviceHeader,
                    sizeof(DeviceHeader))) {
        KdjHex(Writer, "device", (ULONG_PTR)File.DeviceObject);
        KdpWriteName(Writer, "device_name", &DeviceHeader.Name);
    }
    KdpWriteName(Writer, "file_name", &File.FileName);
}

static BOOLEAN KdpWriteHandle(HANDLE Handle, PVOID Object, ACCESS_MASK GrantedAccess,
                              PVOID Context)
{
    KDJ_WRITER *Writer = Context;
    OBJECT_HEADER Header;
    struct _OBJECT_TYPE Type;
    KdjBeginObject(Writer, NULL);
    KdjHex(Writer, "handle", (ULONG_PTR)Handle);
    KdjHex(Writer, "object", (ULONG_PTR)Object);
    KdjHex(Writer, "granted_access", GrantedAccess);
    if (KdpSafeRead((ULONG_PTR)OBJECT_TO_OBJECT_HEADER(Object), &Header, sizeof(Header))) {
        if (KdpSafeRead((ULONG_PTR)Header.Type, &Type, sizeof(Type)))
            KdjWide(Writer, "type", Type.NameBuffer, RtlpWideLengthBounded(Type.NameBuffer, 32));
        KdpWriteName(Writer, "name", &Header.Name);
        if (IoFileObjectType && Header.Type == *IoFileObjectType)
            KdpWriteFileTarget(Writer, (ULONG_PTR)Object);
        KdjSigned(Writer, "pointer_count", Header.PointerCount);
        KdjSigned(Writer, "handle_count", Header.HandleCount);
    }
    KdjEnd(Writer);
    return TRUE;
}

VOID KdpWriteHandles(KDJ_WRITER *Writer)
{
    ULONG p;
    KdjBeginArray(Writer, "handles");
    for (p = 0; p < KdpProcessTableCount; p++) {
        PEPROCESS Process = KdpProcessTable[p];
        KdjBeginObject(Writer, NULL);
        KdjUnsigned(Writer, "process_id", (ULONG_PTR)Process->UniqueProcessId);
        KdjStringN(Writer, "process", Process->ImageFileName,
                   strnlen(Process->ImageFileName, sizeof(Process->ImageFileName)));
        {
            NTSTATUS Status;
            KdjBeginArray(Writer, "entries");
            Status = ObpTryEnumerateHandles(Process, KdpWriteHandle, Writer);
            KdjEnd(Writer);
            KdjString(Writer, "status", NT_SUCCESS(Status) ? "complete" : "unavailable: lock held");
        }
        KdjEnd(Writer);
    }
    KdjEnd(Writer);
}

/* ---- Pool ---- */

#define KD_POOL_TAGS 512
static NTK_POOL_TAG_STATS KdpTagStats[KD_POOL_TAGS];
static struct {
    ULONG Tag;
    ULONG Blocks;
    SIZE_T Bytes;
} KdpLiveTags[KD_POOL_TAGS];
static ULONG KdpLiveTagCount;

static VOID KdpCountBlock(PVOID Block, ULONG Tag, SIZE_T Size, PVOID Caller, PVOID Context)
{
    ULONG i;
    (void)Block;
    (void)Caller;
    (void)Context;
    for (i = 0; i < KdpLiveTagCount; i++) {
        if (KdpLiveTags[i].Tag == Tag) {
            KdpLiveTags[i].Blocks++;
            KdpLiveTags[i].Bytes += Size;
            return;
        }
    }
    if (KdpLiveTagCount < KD_POOL_TAGS) {
        KdpLiveTags[KdpLiveTagCount].Tag = Tag;
        KdpLiveTags[KdpLiveTagCount].Blocks = 1;
        KdpLiveTags[KdpLiveTagCount].Bytes = Size;
        KdpLiveTagCount++;
    }
}

static VOID KdpWalkPool(PVOID Context)
{
    SIZE_T Bytes;
    (void)Context;
    KdpLiveTagCount = 0;
    ExpCountImageAllocations(0, ~(ULONG_PTR)0, &Bytes, KdpCountBlock, NULL);
}

VOID KdpWritePool(KDJ_WRITER *Writer)
{
    CHAR Text[5];
    ULONG i, Count = 0;
    KdjBeginObject(Writer, "pool");
    if (ExpTryQueryPoolTags(KdpTagStats, KD_POOL_TAGS, &Count) || Count > KD_POOL_TAGS) {
        KdjString(Writer, "status",
                  Count > KD_POOL_TAGS ? "complete (first tags only)" : "complete");
        KdjBeginArray(Writer, "tags");
        for (i = 0; i < Count && i < KD_POOL_TAGS; i++) {
            NTK_POOL_TAG_STATS *s = &KdpTagStats[i];
            RtlpFormatPoolTag(s->Tag, Text);
            KdjBeginObject(Writer, NULL);
            KdjString(Writer, "tag", Text);
            KdjHex(Writer, "tag_value", s->Tag);
            KdjUnsigned(Writer, "nonpaged_allocs", s->NonPagedAllocs);
            KdjUnsigned(Writer, "nonpaged_frees", s->NonPagedFrees);
            KdjUnsigned(Writer, "nonpaged_bytes", s->NonPagedBytes);
            KdjUnsigned(Writer, "nonpaged_peak", s->NonPagedPeak);
            KdjUnsigned(Writer, "paged_allocs", s->PagedAllocs);
            KdjUnsigned(Writer, "paged_frees", s->PagedFrees);
            KdjUnsigned(Writer, "paged_bytes", s->PagedBytes);
            KdjUnsigned(Writer, "paged_peak", s->PagedPeak);
            KdjEnd(Writer);
        }
        KdjEnd(Writer);
        KdjEnd(Writer);
        return;
    }
    /* The pool lock stayed held: count the live blocks, giving up if it still is. */
    if (KdpProtect("walking the pool", 1000, KdpWalkPool, NULL) != 0) {
        KdjString(Writer, "status", "unavailable: lock held");
    } else {
        KdjString(Writer, "status", "complete (live blocks only)");
        KdjBeginArray(Writer, "tags");
        for (i = 0; i < KdpLiveTagCount; i++) {
            RtlpFormatPoolTag(KdpLiveTags[i].Tag, Text);
            KdjBeginObject(Writer, NULL);
            KdjString(Writer, "tag", Text);
            KdjHex(Writer, "tag_value", KdpLiveTags[i].Tag);
            KdjUnsigned(Writer, "live_blocks", KdpLiveTags[i].Blocks);
            KdjUnsigned(Writer, "live_bytes", KdpLiveTags[i].Bytes);
            KdjEnd(Writer);
        }
        KdjEnd(Writer);
    }
    KdjEnd(Writer);
}
