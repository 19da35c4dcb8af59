/* Mm: the host's own mappings in user space — the images ntk loads, thread stacks, the C heap,
 * a sanitizer's shadow — read from /proc/self/maps. No process's VAD describes them, yet they
 * are there: a query reports them as committed (or, with no access at all, reserved) memory,
 * and a free region ends where one begins. */
#include "mi.h"

#define MI_LOWEST_USER_ADDRESS ((ULONG_PTR)MM_LOWEST_USER_ADDRESS)
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static ULONG MiProtectionFromHost(const char *Perms)
{
    BOOLEAN Read = Perms[0] == 'r', Write = Perms[1] == 'w', Execute = Perms[2] == 'x';
    if (Execute)
        return Write ? PAGE_EXECUTE_READWRITE : Read ? PAGE_EXECUTE_READ : PAGE_EXECUTE;
    if (Write)
        return PAGE_READWRITE; /* x86 pages cannot be write-only */
    return Read ? PAGE_READONLY : 0;
}

static BOOLEAN MiIsExecutable(const char *Path, size_t Length)
{
    char Executable[4096];
    ssize_t Got = readlink("/proc/self/exe", Executable, sizeof(Executable));
    return Got > 0 && (size_t)Got == Length && memcmp(Executable, Path, Length) == 0;
}

static ULONG_PTR MiParseHex(const char **Cursor)
{
    ULONG_PTR Value = 0;
    const char *p = *Cursor;
    for (;; p++) {
        char c = *p;
        if (c >= '0' && c <= '9')
            Value = Value * 16 + (ULONG_PTR)(c - '0');
        else if (c >= 'a' && c <= 'f')
            Value = Value * 16 + (ULONG_PTR)(c - 'a' + 10);
        else
            break;
    }
    *Cursor = p;
    return Value;
}

/* One line: "start-end perms offset dev inode   [path]". FALSE if it does not parse. */
static BOOLEAN MiParseMapsLine(const char *Line, MI_HOST_MAPPING *Mapping)
{
    const char *p = Line, *Path;
    int Field;
    Mapping->Start = MiParseHex(&p);
    if (*p++ != '-')
        return FALSE;
    Mapping->End = MiParseHex(&p);
    if (*p++ != ' ' || strlen(p) < 4)
        return FALSE;
    Mapping->Protect = MiProtectionFromHost(p);
    /* Skip perms, offset, device and inode to the path, if any. */
    for (Field = 0; Field < 4; Field++) {
        while (*p && *p != ' ')
            p++;
        while (*p == ' ')
            p++;
    }
    Path = p;
    Mapping->Path = Path;
    Mapping->PathLength = 0;
    while (Path[Mapping->PathLength] && Path[Mapping->PathLength] != '\n')
        Mapping->PathLength++;
    /* Anonymous memory, [heap], [stack], [anon:...] are private; the executable and the
     * shared objects the loader mapped are images; any other file is a mapped view. */
    if (Path[0] != '/')
        Mapping->Type = MEM_PRIVATE;
    else if (strstr(Path, ".so") != NULL || MiIsExecutable(Path, Mapping->PathLength))
        Mapping->Type = MEM_IMAGE;
    else
        Mapping->Type = MEM_MAPPED;
    return Mapping->Start < Mapping->End;
}

/* Calls Visit for each host mapping in address order until it returns FALSE. Reads the file
 * in chunks: no allocation, so it may run under MiVadLock. */
static VOID MiScanHostMappings(BOOLEAN (*Visit)(const MI_HOST_MAPPING *Mapping, PVOID Context),
                        PVOID Context)
{
    char Buffer[8192];
    size_t Used = 0;
    int Fd = open("/proc/self/maps", O_RDONLY | O_CLOEXEC);
    if (Fd < 0)
        return;
    for (;;) {
        ssize_t Got = read(Fd, Buffer + Used, sizeof(Buffer) - 1 - Used);
        char *Line = Buffer, *NewLine;
        if (Got <= 0)
            break;
        Used += (size_t)Got;
        Buffer[Used] = 0;
        while ((NewLine = strchr(Line, '\n')) != NULL) {
            MI_HOST_MAPPING Mapping;
            *NewLine = 0;
            if (MiParseMapsLine(Line, &Mapping) && !Visit(&Mapping, Context)) {
                close(Fd);
                return;
            }
            Line = NewLine + 1;
        }
        /* Keep the partial last line for the next read. */
        Used = strlen(Line);
        memmove(Buffer, Line, Used);
        if (Used == sizeof(Buffer) - 1)
            Used = 0; /* a line longer than the buffer: drop it */
    }
    close(Fd);
}

/* A query of a page outside the process's VADs: the host's own mappings there (the parts no
 * process's VAD covers) are memory; the rest is free up to Limit or the next such mapping. */
typedef struct _MI_HOST_QUERY {
    ULONG_PTR Page, Limit;
    PMEMORY_BASIC_INFORMATION Information;
    BOOLEAN Decided;
    ULONG_PTR ImageStart; /* the first mapping of the image being scanned */
    const char *ImagePath;
    size_t ImagePathLength;
    char PathCopy[256];
} MI_HOST_QUERY;

/* [Start, End) of a host mapping, outside every VAD. TRUE once the query is answered. */
static BOOLEAN MiHostPiece(MI_HOST_QUERY *Query, ULONG_PTR Start, ULONG_PTR End,
                           const MI_HOST_MAPPING *Mapping)
{
    PMEMORY_BASIC_INFORMATION Information = Query->Information;
    if (End <= Query->Page)
        return FALSE;
    if (Start > Query->Page) { /* the free region ends here */
        if (Start < Query->Limit)
            Query->Limit = Start;
        return TRUE;
    }
    Information->AllocationBase = (PVOID)(Mapping->Type == MEM_IMAGE ? Query->ImageStart : Start);
    Information->RegionSize = End - Query->Page;
    Information->State = Mapping->Protect ? MEM_COMMIT : MEM_RESERVE;
    Information->Protect = Mapping->Protect;
    Information->AllocationProtect = Mapping->Protect ? Mapping->Protect : PAGE_NOACCESS;
    Information->Type = Mapping->Type;
    Query->Decided = TRUE;
    return TRUE;
}

static BOOLEAN MiVisitHostMapping(const MI_HOST_MAPPING *Mapping, PVOID Context)
{
    MI_HOST_QUERY *Query = Context;
    ULONG_PTR Low = Mapping->Start;
    PMMVAD Vad;
    /* An image's mappings follow each other: its first one is its allocation base. */
    if (Mapping->Type != MEM_IMAGE || Query->ImagePath == NULL ||
        Query->ImagePathLength != Mapping->PathLength ||
        memcmp(Query->ImagePath, Mapping->Path, Mapping->PathLength) != 0) {
        Query->ImageStart = Mapping->Start;
        Query->ImagePathLength = Mapping->PathLength < sizeof(Query->PathCopy)
                                     ? Mapping->PathLength
                                     : sizeof(Query->PathCopy) - 1;
        memcpy(Query->PathCopy, Mapping->Path, Query->ImagePathLength);
        Query->ImagePath = Query->PathCopy;
    }
    if (Mapping->End <= Query->Page)
        return TRUE;
    if (Mapping->Start >= Query->Limit)
        return FALSE;
    for (Vad = MiGlobalVads; Vad != NULL && Low < Mapping->End; Vad = Vad->GlobalNext) {
        if (Vad->End <= Low)
            continue;
        if (Vad->Start >= Mapping->End)
            break;
        if (Vad->Start > Low && MiHostPiece(Query, Low, Vad->Start, Mapping))
            return FALSE;
        Low = Vad->End;
    }
    if (Low < Mapping->End && MiHostPiece(Query, Low, Mapping->End, Mapping))
        return FALSE;
    return TRUE;
}

/* Page lies in no VAD of the querying process. TRUE if a host mapping holds it (Information
 * describes it); else the free region ends at *Limit, lowered to the next host mapping. */
BOOLEAN MiQueryHostRegion(ULONG_PTR Page, ULONG_PTR *Limit, PMEMORY_BASIC_INFORMATION Information)
{
    MI_HOST_QUERY Query;
    memset(&Query, 0, sizeof(Query));
    Query.Page = Page;
    Query.Limit = *Limit;
    Query.Information = Information;
    MiScanHostMappings(MiVisitHostMapping, &Query);
    *Limit = Query.Limit;
    return Query.Decided;
}

/* Finding room below a limit (ZeroBits) or as high as possible (MEM_TOP_DOWN): the gaps
 * between host mappings, every NT process's reservations included. */
typedef struct _MI_GAP_SEARCH {
    ULONG_PTR Length, Limit, Previous, Found;
    BOOLEAN TopDown, Have;
} MI_GAP_SEARCH;

static VOID MiConsiderGap(MI_GAP_SEARCH *Search, ULONG_PTR GapStart, ULONG_PTR GapEnd)
{
    ULONG_PTR Low = GapStart > MI_LOWEST_USER_ADDRESS ? GapStart : MI_LOWEST_USER_ADDRESS;
    ULONG_PTR High = GapEnd < Search->Limit ? GapEnd : Search->Limit, Aligned;
    if (High <= Low || (Search->Have && !Search->TopDown))
        return;
    Aligned = (Low + MI_ALLOCATION_GRANULARITY - 1) & ~(MI_ALLOCATION_GRANULARITY - 1);
    if (Aligned < Low || Aligned > High || High - Aligned < Search->Length)
        return;
    Search->Found = Search->TopDown ? (High - Search->Length) & ~(MI_ALLOCATION_GRANULARITY - 1)
                                    : Aligned;
    Search->Have = TRUE;
}

static BOOLEAN MiVisitGap(const MI_HOST_MAPPING *Mapping, PVOID Context)
{
    MI_GAP_SEARCH *Search = Context;
    if (Mapping->Start >= Search->Limit)
        return FALSE;
    MiConsiderGap(Search, Search->Previous, Mapping->Start);
    if (Mapping->End > Search->Previous)
        Search->Previous = Mapping->End;
    return Search->TopDown || !Search->Have;
}

BOOLEAN MiFindHostGap(SIZE_T Length, ULONG_PTR Limit, BOOLEAN TopDown, ULONG_PTR *Start)
{
    MI_GAP_SEARCH Search;
    memset(&Search, 0, sizeof(Search));
    Search.Length = Length;
    Search.Limit = Limit;
    Search.TopDown = TopDown;
    MiScanHostMappings(MiVisitGap, &Search);
    MiConsiderGap(&Search, Search.Previous, Limit);
    *Start = Search.Found;
    return Search.Have;
}
