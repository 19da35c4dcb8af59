/* Chapter 6 of "Windows Kernel Programming, 2nd ed." ("Kernel Mechanisms"), in C: a driver
 * with its own system thread. DriverEntry creates the thread (PsCreateSystemThread, a kernel
 * handle) and keeps a reference to its thread object; the thread waits on a stop event with a
 * 50 ms timeout, counting the timeouts; DriverUnload signals the event and waits for the
 * thread object before it returns, so no code of the driver runs once it is unloaded. */
#include <ntddk.h>

typedef struct _SYSTHREAD_GLOBALS {
    KEVENT StopEvent;
    PETHREAD Thread;    /* referenced: waitable after its handle is closed */
    volatile LONG Timeouts;
} SYSTHREAD_GLOBALS;

static SYSTHREAD_GLOBALS g_Globals;

static VOID SysThreadMain(_In_ PVOID StartContext)
{
    LARGE_INTEGER interval;
    UNREFERENCED_PARAMETER(StartContext);
    interval.QuadPart = -10000LL * 50; /* 50 ms, relative */

    KdPrint(("systhread: thread %u started in process %u at IRQL %u\n",
             HandleToULong(PsGetCurrentThreadId()), HandleToULong(PsGetCurrentProcessId()),
             KeGetCurrentIrql()));
    for (;;) {
        NTSTATUS status = KeWaitForSingleObject(&g_Globals.StopEvent, Executive, KernelMode,
                                                FALSE, &interval);
        if (status != STATUS_TIMEOUT)
            break;
        InterlockedIncrement(&g_Globals.Timeouts);
    }
    KdPrint(("systhread: stop requested after %ld timeouts\n", g_Globals.Timeouts));
    PsTerminateSystemThread(STATUS_SUCCESS);
}

static VOID SysThreadUnload(_In_ PDRIVER_OBJECT DriverObject)
{
    UNREFERENCED_PARAMETER(DriverObject);
    KeSetEvent(&g_Globals.StopEvent, IO_NO_INCREMENT, FALSE);
    /* The thread runs the driver's code: wait until it has exited. */
    KeWaitForSingleObject(g_Globals.Thread, Executive, KernelMode, FALSE, NULL);
    KdPrint(("systhread: the thread has exited (status 0x%08X)\n",
             PsGetThreadExitStatus(g_Globals.Thread)));
    ObDereferenceObject(g_Globals.Thread);
}

NTSTATUS DriverEntry(_In_ PDRIVER_OBJECT DriverObject, _In_ PUNICODE_STRING RegistryPath)
{
    OBJECT_ATTRIBUTES attributes;
    HANDLE handle;
    NTSTATUS status;
    UNREFERENCED_PARAMETER(RegistryPath);

    KeInitializeEvent(&g_Globals.StopEvent, NotificationEvent, FALSE);
    InitializeObjectAttributes(&attributes, NULL, OBJ_KERNEL_HANDLE, NULL, NULL);
    status = PsCreateSystemThread(&handle, THREAD_ALL_ACCESS, &attributes, NULL, NULL,
                                  SysThreadMain, NULL);
    if (!NT_SUCCESS(status)) {
        KdPrint(("systhread: PsCreateSystemThread failed (0x%08X)\n", status));
        return status;
    }
    status = ObReferenceObjectByHandle(handle, SYNCHRONIZE, *PsThreadType, KernelMode,
                                       (PVOID *)&g_Globals.Thread, NULL);
    ZwClose(handle);
    if (!NT_SUCCESS(status)) {
        /* Cannot happen for a handle just created; the thread must still be stopped. */
        KdPrint(("systhread: ObReferenceObjectByHandle failed (0x%08X)\n", status));
        KeSetEvent(&g_Globals.StopEvent, IO_NO_INCREMENT, FALSE);
        return status;
    }
    DriverObject->DriverUnload = SysThreadUnload;
    KdPrint(("systhread: driver loaded\n"));
    return STATUS_SUCCESS;
}
