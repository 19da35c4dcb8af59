/* ntk — ntddbeep.h: the Beep device's interface (\Device\Beep), shared by drivers and user
 * programs. Names and values are Windows' own. IOCTL_BEEP_SET takes a BEEP_SET_PARAMETERS as
 * its input buffer: a Frequency in [BEEP_FREQUENCY_MINIMUM, BEEP_FREQUENCY_MAXIMUM] hertz
 * plays for Duration milliseconds; Frequency or Duration 0 stops the tone. */
#ifndef _NTDDBEEP_
#define _NTDDBEEP_

#include <ntk/ntkbase.h>

NTK_EXTERN_C_START

#define DD_BEEP_DEVICE_NAME "\\Device\\Beep"
#define DD_BEEP_DEVICE_NAME_U L"\\Device\\Beep"

#define BEEP_FREQUENCY_MINIMUM 0x25
#define BEEP_FREQUENCY_MAXIMUM 0x7FFF

#define IOCTL_BEEP_SET CTL_CODE(FILE_DEVICE_BEEP, 0, METHOD_BUFFERED, FILE_ANY_ACCESS)

typedef struct _BEEP_SET_PARAMETERS {
    ULONG Frequency; /* hertz */
    ULONG Duration;  /* milliseconds */
} BEEP_SET_PARAMETERS, *PBEEP_SET_PARAMETERS;

NTK_EXTERN_C_END

#endif
