/* Executive synchronization: ERESOURCE, guarded mutexes, queued and reader-writer spin locks. */
#ifndef NTK_DDK_EXSYNC_H
#define NTK_DDK_EXSYNC_H

#include <ntk/ddk/ketypes.h>

NTK_EXTERN_C_START

NTK_EXTERN_C_END

#endif
