/* ntk — ntifs.h: file-system and filter DDIs (a superset of ntddk.h). */
#ifndef _NTIFS_
#define _NTIFS_

#include <ntddk.h>

#endif
