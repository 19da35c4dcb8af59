/* Ke: semaphores and mutexes. */
#include "ntkp.h"
#include "../vf/vfddi.h"
#include "../vf/vfdeadlock.h"

VOID KeInitializeSemaphore(PRKSEMAPHORE Semaphore, LONG Count, LONG Limit)
{
    VF_CHECK_IRQL(KeInitializeSemaphore);
    Semaphore->Header.Type = SemaphoreObject;
    Semaphore->Header.Signalling = 0;
    Semaphore->Header.Size = sizeof(KSEMAPHORE) / sizeof(LONG);
    Semaphore->Header.Reserved1 = 0;
    Semaphore->Header.SignalState = Count;
    InitializeListHead(&Semaphore->Header.WaitListHead);
    Semaphore->Limit = Limit;
}

LONG KeReleaseSemaphore(PRKSEMAPHORE Semaphore, KPRIORITY Increment, LONG Adjustment,
                        BOOLEAN Wait)
{
    VF_CHECK_IRQL(KeReleaseSemaphore);
    LONG Previous;
    UNREFERENCED_PARAMETER(Increment);
    UNREFERENCED_PARAMETER(Wait);
    KiAcquireDispatcherLock();
    Previous = Semaphore->Header.SignalState;
    if (Adjustment <= 0 || Previous > Semaphore->Limit - Adjustment) {
        KiReleaseDispatcherLock();
        ExRaiseStatus(STATUS_SEMAPHORE_LIMIT_EXCEEDED);
    }
    Semaphore->Header.SignalState = Previous + Adjustment;
    KiWaitTest(&Semaphore->Header);
    KiReleaseDispatcherLock();
    return Previous;
}

LONG KeReadStateSemaphore(PRKSEMAPHORE Semaphore)
{
    return Semaphore->Header.SignalState;
}

VOID KeInitializeMutex(PRKMUTEX Mutex, ULONG Level)
{
    UNREFERENCED_PARAMETER(Level);
    Mutex->Header.Type = MutantObject;
    Mutex->Header.Signalling = 0;
    Mutex->Header.Size = sizeof(KMUTEX) / sizeof(LONG);
    Mutex->Header.Reserved1 = 0;
    Mutex->Header.SignalState = 1;
    InitializeListHead(&Mutex->Header.WaitListHead);
    Mutex->OwnerThread = NULL;
    Mutex->Abandoned = FALSE;
    Mutex->ApcDisable = 1;
    VF_DEADLOCK_FORGET(Mutex);
}

LONG KeReleaseMutex(PRKMUTEX Mutex, BOOLEAN Wait)
{
    VF_CHECK_IRQL(KeReleaseMutex);
    PKTHREAD Thread = KeGetCurrentThread();
    LONG Previous;
    UNREFERENCED_PARAMETER(Wait);
    KiAcquireDispatcherLock();
    Previous = Mutex->Header.SignalState;
    if (Mutex->OwnerThread != Thread) {
        KiReleaseDispatcherLock();
        KeBugCheckEx(THREAD_NOT_MUTEX_OWNER, (ULONG_PTR)Thread, (ULONG_PTR)Mutex,
                     (ULONG_PTR)Mutex->OwnerThread, 0);
    }
    Mutex->Header.SignalState = Previous + 1;
    if (Mutex->Header.SignalState == 1) {
        RemoveEntryList(&Mutex->MutantListEntry);
        Mutex->OwnerThread = NULL;
        Thread->KernelApcDisable += Mutex->ApcDisable;
        KiWaitTest(&Mutex->Header);
        KiReleaseDispatcherLock();
        VF_DEADLOCK_RELEASE(Mutex);
        return Previous;
    }
    KiReleaseDispatcherLock();
    return Previous;
}

LONG KeReadStateMutex(PRKMUTEX Mutex)
{
    VF_CHECK_IRQL(KeReadStateMutex);
    return Mutex->Header.SignalState;
}

/* A thread that exits while owning mutants abandons them: the next owner learns it. */
VOID KiAbandonMutants(PKTHREAD Thread)
{
    KiAcquireDispatcherLock();
    while (!IsListEmpty(&Thread->MutantListHead)) {
        PKMUTANT Mutant =
            CONTAINING_RECORD(RemoveHeadList(&Thread->MutantListHead), KMUTANT, MutantListEntry);
        Mutant->OwnerThread = NULL;
        Mutant->Abandoned = TRUE;
        Mutant->Header.SignalState = 1;
        KiWaitTest(&Mutant->Header);
    }
    KiReleaseDispatcherLock();
}
