/* Vf: Driver Verifier's deadlock detection: held locks per thread, the lock-order graph.
 *
 * Each thread notes the locks it holds in a small thread-local array; taking a lock while
 * holding none (the common case) costs that note and nothing shared. Taking L while holding
 * H looks up the edge H -> L: first in a small per-thread cache of orders already recorded,
 * then in the graph (under the verifier's own lock); a new edge is recorded with the stack
 * of the acquisition, and only then is the graph searched, for a path
 * L -> ... -> H. Such a path means some thread took these locks in the other order: the lock
 * hierarchy is violated, and the verifier stops the system with 0xC4/0x1001 (parameter 2: the
 * lock whose acquisition closed the cycle), having logged both acquisition stacks.
 *
 * A node is created for a lock the first time it takes part in an order, and dropped when the
 * lock is initialized again or deleted (KeInitializeMutex, KeInitializeGuardedMutex, the
 * ERESOURCE routines), when the pool block holding it is freed, and when the driver image
 * holding it unloads. Spin locks and fast mutexes are initialized by inline functions the
 * kernel never sees, so the free is what tells that the address no longer holds that lock: the
 * pool sends the frees in an arena that holds such a lock to its slow path, where a page filter
 * (VfLockPages) picks the blocks that may hold one. */
#include "vfdeadlock.h"
#include "vfdlp.h"
#include "ntklock.h"
#include <execinfo.h>
#include <stdlib.h>

BOOLEAN VfDeadlockChecks = TRUE;

/* ---- the thread's held locks ---- */

#define VF_HELD_MAX 32

typedef struct _VF_HELD {
    PVOID Lock;
    PVOID Caller; /* where the thread acquired it */
    ULONG Count;  /* recursion */
    UCHAR Type;
} VF_HELD;

static __thread VF_HELD VfHeld[VF_HELD_MAX];
static __thread ULONG VfHeldCount;
static __thread BOOLEAN VfHeldOverflow; /* past VF_HELD_MAX: no orders until all are released */
static __thread PKTHREAD VfHeldThread;  /* whose notes these are */

/* Orders the thread has seen recorded, so that a nested acquisition repeating a known order
 * takes no shared lock: direct-mapped, valid while no node has been dropped since. */
#define VF_SEEN_SLOTS 64
typedef struct _VF_SEEN {
    PVOID From;
    PVOID To;
    ULONG Generation;
} VF_SEEN;
static __thread VF_SEEN VfSeen[VF_SEEN_SLOTS];
static ULONG VfGraphGeneration = 1; /* bumped whenever a node goes */

/* ---- the graph ---- */

#define VF_BUCKETS 4096

static NTK_LOCK VfGraphLock = NTK_LOCK_INIT;
static PVF_NODE VfBuckets[VF_BUCKETS];
static LIST_ENTRY VfNodes = { &VfNodes, &VfNodes };
static ULONG VfVisitGeneration;
static ULONG VfNodeCount;
static PVF_NODE *VfSearchStack; /* VfPathExists' stack: each node is pushed at most once */
static ULONG VfSearchCapacity;

/* Releases made for another thread (ExReleaseResourceForThreadLite): the owner applies them
 * to its own notes at its next acquisition. */
#define VF_REMOTE_MAX 64
typedef struct _VF_REMOTE {
    PKTHREAD Thread;
    PVOID Lock;
} VF_REMOTE;
static VF_REMOTE VfRemote[VF_REMOTE_MAX];
static ULONG VfRemoteCount; /* read without the lock as a hint */

/* backtrace() loads the unwinder on first use: do it before any lock is held. */
__attribute__((constructor)) static void VfDeadlockPrime(void)
{
    PVOID Frames[2];
    (void)backtrace(Frames, 2);
}

/* A bit for each hash of a page that holds, or held, a lock with a node; never cleared, so a
 * stale bit costs a look at the graph, never a missed lock. */
volatile ULONG64 VfLockPages[VF_LOCK_PAGE_BITS / 64];
volatile BOOLEAN VfLockPagesUsed;

static ULONG VfHash(PVOID Lock)
{
    ULONG_PTR Value = (ULONG_PTR)Lock >> 3;
    return (ULONG)((Value ^ (Value >> 12)) & (VF_BUCKETS - 1));
}

static PVF_NODE VfFindNode(PVOID Lock)
{
    PVF_NODE Node;
    for (Node = VfBuckets[VfHash(Lock)]; Node != NULL; Node = Node->HashNext)
        if (Node->Lock == Lock)
            return Node;
    return NULL;
}

static PVF_NODE VfGetNode(PVOID Lock, UCHAR Type)
{
    PVF_NODE Node = VfFindNode(Lock);
    ULONG Bucket;
    if (Node != NULL)
        return Node;
    Node = calloc(1, sizeof(*Node));
    if (Node == NULL)
        return NULL; /* the order goes unrecorded; detection is best effort without memory */
    Node->Lock = Lock;
    Node->Type = Type;
    {
        ULONG Bit = VfLockPageBit((ULONG_PTR)Lock >> PAGE_SHIFT);
        __atomic_fetch_or(&VfLockPages[Bit / 64], 1ULL << (Bit % 64), __ATOMIC_RELEASE);
        __atomic_store_n(&VfLockPagesUsed, TRUE, __ATOMIC_RELEASE);
        ExpNoteTrackedLock(Lock);
    }
    Bucket = VfHash(Lock);
    Node->HashNext = VfBuckets[Bucket];
    VfBuckets[Bucket] = Node;
    InsertTailList(&VfNodes, &Node->Link);
    VfNodeCount++;
    return Node;
}

static PVF_EDGE VfFindEdge(PVF_NODE From, PVF_NODE To)
{
    ULONG i;
    for (i = 0; i < From->EdgeCount; i++)
        if (From->Edges[i]->To == To)
            return From->Edges[i];
    return NULL;
}

static BOOLEAN VfAddEdge(PVF_NODE From, PVF_NODE To, PVOID FromCaller, PVOID Caller)
{
    PVF_EDGE Edge;
    if (From->EdgeCount == From->EdgeCapacity) {
        ULONG Capacity = From->EdgeCapacity ? From->EdgeCapacity * 2 : 4;
        PVF_EDGE *Edges = realloc(From->Edges, Capacity * sizeof(*Edges));
        if (Edges == NULL)
            return FALSE;
        From->Edges = Edges;
        From->EdgeCapacity = Capacity;
    }
    Edge = calloc(1, sizeof(*Edge));
    if (Edge == NULL)
        return FALSE;
    Edge->From = From;
    Edge->To = To;
    Edge->Thread = KeGetCurrentThread();
    Edge->FromCaller = FromCaller;
    Edge->Caller = Caller;
    Edge->Frames = (ULONG)backtrace(Edge->Stack, VF_STACK_FRAMES);
    From->Edges[From->EdgeCount++] = Edge;
    return TRUE;
}

/* Depth-first search from From for To along recorded orders; on success each node on the
 * path names, in Via, the edge that reached it. */
static BOOLEAN VfPathExists(PVF_NODE From, PVF_NODE To)
{
    PVF_NODE *Stack;
    ULONG Depth = 0, i;
    ULONG Generation = ++VfVisitGeneration;

    if (VfSearchCapacity < VfNodeCount) {
        Stack = realloc(VfSearchStack, VfNodeCount * 2 * sizeof(*Stack));
        if (Stack == NULL)
            return FALSE;
        VfSearchStack = Stack;
        VfSearchCapacity = VfNodeCount * 2;
    }
    Stack = VfSearchStack;
    From->Visit = Generation;
    From->Via = NULL;
    Stack[Depth++] = From;
    while (Depth != 0) {
        PVF_NODE Node = Stack[--Depth];
        if (Node == To)
            return TRUE;
        for (i = 0; i < Node->EdgeCount; i++) {
            PVF_NODE Next = Node->Edges[i]->To;
            if (Next->Visit == Generation)
                continue;
            Next->Visit = Generation;
            Next->Via = Node->Edges[i];
            Stack[Depth++] = Next;
        }
    }
    return FALSE;
}

static VOID VfUnlinkNode(PVF_NODE Node)
{
    PVF_NODE *Slot = &VfBuckets[VfHash(Node->Lock)];
    PLIST_ENTRY Entry;
    ULONG i, j;

    while (*Slot != Node)
        Slot = &(*Slot)->HashNext;
    *Slot = Node->HashNext;
    RemoveEntryList(&Node->Link);
    for (Entry = VfNodes.Flink; Entry != &VfNodes; Entry = Entry->Flink) {
        PVF_NODE Other = CONTAINING_RECORD(Entry, VF_NODE, Link);
        for (i = j = 0; i < Other->EdgeCount; i++) {
            if (Other->Edges[i]->To == Node)
                free(Other->Edges[i]);
            else
                Other->Edges[j++] = Other->Edges[i];
        }
        Other->EdgeCount = j;
    }
    for (i = 0; i < Node->EdgeCount; i++)
        free(Node->Edges[i]);
    free(Node->Edges);
    free(Node);
    VfNodeCount--;
    __atomic_store_n(&VfGraphGeneration, VfGraphGeneration + 1, __ATOMIC_RELEASE);
}

/* ---- the thread's notes ---- */

static VOID VfRemoveHeld(PVOID Lock)
{
    ULONG i;
    for (i = VfHeldCount; i-- > 0;) {
        if (VfHeld[i].Lock != Lock)
            continue;
        if (--VfHeld[i].Count == 0) {
            /* Locks may be released in any order: close the gap. */
            for (; i + 1 < VfHeldCount; i++)
                VfHeld[i] = VfHeld[i + 1];
            VfHeldCount--;
            if (VfHeldCount == 0)
                VfHeldOverflow = FALSE;
        }
        return;
    }
}

static VOID VfApplyRemoteReleases(PKTHREAD Me)
{
    ULONG i, j;
    NtkLock(&VfGraphLock);
    for (i = j = 0; i < VfRemoteCount; i++) {
        if (VfRemote[i].Thread == Me)
            VfRemoveHeld(VfRemote[i].Lock);
        else
            VfRemote[j++] = VfRemote[i];
    }
    __atomic_store_n(&VfRemoteCount, j, __ATOMIC_RELAXED);
    NtkUnlock(&VfGraphLock);
}

/* The notes of the current thread, emptied if the host thread now runs another KTHREAD. */
static PKTHREAD VfSyncHeld(VOID)
{
    PKTHREAD Me = KiCurrentThread;
    if (__builtin_expect(VfHeldThread != Me, 0)) {
        VfHeldThread = Me;
        VfHeldCount = 0;
        VfHeldOverflow = FALSE;
    }
    if (__builtin_expect(__atomic_load_n(&VfRemoteCount, __ATOMIC_RELAXED) != 0, 0))
        VfApplyRemoteReleases(Me);
    return Me;
}

/* Records the orders from every held lock to Lock; bug checks on the first that inverts a
 * recorded order. */
static VF_SEEN *VfSeenSlot(PVOID From, PVOID To)
{
    ULONG_PTR Hash = ((ULONG_PTR)From >> 3) * 31 + ((ULONG_PTR)To >> 3);
    return &VfSeen[(Hash ^ (Hash >> 7)) & (VF_SEEN_SLOTS - 1)];
}

static VOID VfRecordOrders(PVOID Lock, UCHAR Type, PVOID Caller)
{
    ULONG Generation = __atomic_load_n(&VfGraphGeneration, __ATOMIC_ACQUIRE);
    PVF_NODE To = NULL, From;
    BOOLEAN Locked = FALSE;
    VF_SEEN *Seen;
    ULONG i;

    for (i = 0; i < VfHeldCount; i++) {
        Seen = VfSeenSlot(VfHeld[i].Lock, Lock);
        if (Seen->From == VfHeld[i].Lock && Seen->To == Lock && Seen->Generation == Generation)
            continue;
        if (!Locked) {
            NtkLock(&VfGraphLock);
            Locked = TRUE;
            Generation = VfGraphGeneration;
            To = VfGetNode(Lock, Type);
        }
        From = VfGetNode(VfHeld[i].Lock, VfHeld[i].Type);
        if (To == NULL || From == NULL)
            continue;
        if (VfFindEdge(From, To) == NULL) {
            if (VfPathExists(To, From)) {
                VfReportInversion(From, To, VfHeld[i].Caller, Caller);
                NtkUnlock(&VfGraphLock);
                KeBugCheckEx(DRIVER_VERIFIER_DETECTED_VIOLATION, VF_DEADLOCK_DETECTED,
                             (ULONG_PTR)Lock, 0, 0);
            }
            if (!VfAddEdge(From, To, VfHeld[i].Caller, Caller))
                continue;
        }
        Seen->From = VfHeld[i].Lock;
        Seen->To = Lock;
        Seen->Generation = Generation;
    }
    if (Locked)
        NtkUnlock(&VfGraphLock);
}

static VOID VfNoteHeld(PVOID Lock, VF_LOCK_TYPE Type, PVOID Caller, BOOLEAN Order)
{
    ULONG i;
    VfSyncHeld();
    for (i = VfHeldCount; i-- > 0;) {
        if (VfHeld[i].Lock == Lock) {
            VfHeld[i].Count++;
            return;
        }
    }
    if (Order && VfHeldCount != 0 && !VfHeldOverflow)
        VfRecordOrders(Lock, (UCHAR)Type, Caller);
    if (VfHeldCount == VF_HELD_MAX) {
        VfHeldOverflow = TRUE;
        return;
    }
    VfHeld[VfHeldCount].Lock = Lock;
    VfHeld[VfHeldCount].Caller = Caller;
    VfHeld[VfHeldCount].Count = 1;
    VfHeld[VfHeldCount].Type = (UCHAR)Type;
    VfHeldCount++;
}

VOID VfDeadlockAcquire(PVOID Lock, VF_LOCK_TYPE Type, PVOID Caller)
{
    VfNoteHeld(Lock, Type, Caller, TRUE);
}

VOID VfDeadlockTryAcquired(PVOID Lock, VF_LOCK_TYPE Type, PVOID Caller)
{
    VfNoteHeld(Lock, Type, Caller, FALSE);
}

VOID VfDeadlockRelease(PVOID Lock)
{
    /* Notes of another KTHREAD (or none yet) cannot hold it; remote releases wait for the
     * next acquisition. */
    if (__builtin_expect(VfHeldThread == KiCurrentThread, 1))
        VfRemoveHeld(Lock);
}

VOID VfDeadlockReleaseForThread(PVOID Lock, PKTHREAD Thread)
{
    if (Thread == KiCurrentThread) {
        VfDeadlockRelease(Lock);
        return;
    }
    NtkLock(&VfGraphLock);
    /* Past the table's end the owner keeps the note: at worst an order too many. */
    if (VfRemoteCount < VF_REMOTE_MAX) {
        VfRemote[VfRemoteCount].Thread = Thread;
        VfRemote[VfRemoteCount].Lock = Lock;
        __atomic_store_n(&VfRemoteCount, VfRemoteCount + 1, __ATOMIC_RELAXED);
    }
    NtkUnlock(&VfGraphLock);
}

VOID VfDeadlockForget(PVOID Lock)
{
    PVF_NODE Node;
    NtkLock(&VfGraphLock);
    Node = VfFindNode(Lock);
    if (Node != NULL)
        VfUnlinkNode(Node);
    NtkUnlock(&VfGraphLock);
}

/* A pool block [Start, End) is freed: the locks it held are gone. A small block is looked up
 * address by address (locks are pointer-aligned); a large one by a walk of every node. */
VOID VfDeadlockForgetPool(ULONG_PTR Start, ULONG_PTR End)
{
    ULONG_PTR Address;
    if (End - Start > 64 * sizeof(PVOID)) {
        VfDeadlockForgetRange(Start, End);
        return;
    }
    NtkLock(&VfGraphLock);
    for (Address = (Start + sizeof(PVOID) - 1) & ~(ULONG_PTR)(sizeof(PVOID) - 1); Address < End;
         Address += sizeof(PVOID)) {
        PVF_NODE Node = VfFindNode((PVOID)Address);
        if (Node != NULL)
            VfUnlinkNode(Node);
    }
    NtkUnlock(&VfGraphLock);
}

VOID VfDeadlockForgetRange(ULONG_PTR Start, ULONG_PTR End)
{
    PLIST_ENTRY Entry, Next;
    NtkLock(&VfGraphLock);
    for (Entry = VfNodes.Flink; Entry != &VfNodes; Entry = Next) {
        PVF_NODE Node = CONTAINING_RECORD(Entry, VF_NODE, Link);
        Next = Entry->Flink;
        if ((ULONG_PTR)Node->Lock >= Start && (ULONG_PTR)Node->Lock < End) {
            VfUnlinkNode(Node); /* frees this node and edges, no other node: Next stays */
        }
    }
    NtkUnlock(&VfGraphLock);
}
