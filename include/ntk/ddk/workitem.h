/* Work items and system worker threads. */
#ifndef NTK_DDK_WORKITEM_H
#define NTK_DDK_WORKITEM_H

#include <ntk/ddk/iotypes.h>

NTK_EXTERN_C_START

NTK_EXTERN_C_END

#endif
