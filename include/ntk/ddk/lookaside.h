/* Lookaside lists. */
#ifndef NTK_DDK_LOOKASIDE_H
#define NTK_DDK_LOOKASIDE_H

#include <ntk/ddk/ketypes.h>

NTK_EXTERN_C_START

NTK_EXTERN_C_END

#endif
