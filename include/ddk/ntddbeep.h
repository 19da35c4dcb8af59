/* ntk — ntddbeep.h: the Beep device interface (see ntk/ntddbeep.h). */
#include <ntk/ntddbeep.h>
