/* ntk — ntddk.h: the kernel-mode driver interface (wdm.h plus the non-WDM DDIs). */
#ifndef _NTDDK_
#define _NTDDK_

#include <wdm.h>

#endif
