/* systhread_wait [MS]: sleeps MS milliseconds (default 300) so that the systhread driver's
 * thread has time to count timeouts before the driver is unloaded. */
#include <windows.h>
#include <stdio.h>
#include <stdlib.h>

int main(int argc, char **argv)
{
    DWORD ms = argc > 1 ? (DWORD)strtoul(argv[1], NULL, 10) : 300;
    printf("sleeping %lu ms\n", (unsigned long)ms);
    Sleep(ms);
    return 0;
}
