/* seh_user_unhandled: an exception nobody handles in a user program ends that program with the
 * exception code, from the search: as on Windows (the unhandled-exception filter ends the
 * process), no __finally block runs. */
#include <windows.h>
#include <stdio.h>

int main(void)
{
    __try {
        printf("seh_user_unhandled: raising\n");
        RaiseException(0xE0000123, 0, 0, NULL);
    } __finally {
        printf("seh_user_unhandled: __finally ran, abnormal %d\n", AbnormalTermination());
    }
    printf("seh_user_unhandled: still running\n");
    return 0;
}
