/* Vf: the verifier's pool tracking. A driver that unloads with pool still allocated is
 * reported allocation by allocation, then bugchecks 0xC4 with parameter 1 = 0x62, as Driver
 * Verifier does. */
#include "ntkp.h"
#include "rtlp.h"
#include <dlfcn.h>

/* Driver Verifier's pool checks (on unless `ntk run --verifier none`). */
BOOLEAN VfPoolChecks = TRUE;

typedef struct _VF_LEAK_CONTEXT {
    PDRIVER_OBJECT Driver;
    ULONG_PTR ImageBase;
} VF_LEAK_CONTEXT;

static VOID VfReportLeak(PVOID Block, ULONG Tag, SIZE_T Size, PVOID Caller, PVOID Context)
{
    VF_LEAK_CONTEXT *Leak = Context;
    char TagText[5];
    Dl_info Info;
    RtlpFormatPoolTag(Tag, TagText);
    if (dladdr(Caller, &Info) && Info.dli_sname)
        KdpLog("ntk: verifier: %wZ leaked pool tag '%s' (0x%08X), %Iu bytes at %p, allocated in "
               "%s+0x%Ix (image offset 0x%Ix)\n",
               &Leak->Driver->DriverName, TagText, Tag, Size, Block, Info.dli_sname,
               (ULONG_PTR)Caller - (ULONG_PTR)Info.dli_saddr, (ULONG_PTR)Caller - Leak->ImageBase);
    else
        KdpLog("ntk: verifier: %wZ leaked pool tag '%s' (0x%08X), %Iu bytes at %p, allocated at "
               "image offset 0x%Ix\n",
               &Leak->Driver->DriverName, TagText, Tag, Size, Block,
               (ULONG_PTR)Caller - Leak->ImageBase);
}

VOID VfCheckPoolLeaks(PDRIVER_OBJECT Driver, ULONG_PTR ImageBase, ULONG_PTR ImageEnd)
{
    VF_LEAK_CONTEXT Context = { Driver, ImageBase };
    SIZE_T Bytes;
    ULONG Count = ExpCountImageAllocations(ImageBase, ImageEnd, &Bytes, VfReportLeak, &Context);
    if (Count == 0)
        return;
    KdpLog("ntk: verifier: %wZ is unloading with %u pool allocation%s (%Iu bytes) not freed\n",
           &Driver->DriverName, Count, Count == 1 ? "" : "s", Bytes);
    KeBugCheckEx(DRIVER_VERIFIER_DETECTED_VIOLATION, 0x62, (ULONG_PTR)&Driver->DriverName,
                 (ULONG_PTR)Driver, Count);
}
