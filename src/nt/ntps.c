/* Nt: process and thread services. */
#include "ntkp.h"
#include <string.h>

PTEB NtCurrentTeb(VOID)
{
    return PsGetCurrentEThread() ? PsGetCurrentEThread()->Teb : NULL;
}

static NTSTATUS NtpCreateThread(PHANDLE ThreadHandle, ACCESS_MASK DesiredAccess,
                                HANDLE ProcessHandle, PUSER_THREAD_START_ROUTINE StartRoutine,
                                PVOID Argument, ULONG CreateFlags, KPROCESSOR_MODE Mode)
{
    PEPROCESS Process;
    PETHREAD Thread;
    HANDLE Handle;
    NTSTATUS Status;

    if (StartRoutine == NULL)
        return STATUS_INVALID_PARAMETER;
    Status = ObReferenceObjectByHandle(ProcessHandle, PROCESS_CREATE_THREAD, *PsProcessType, Mode,
                                       (PVOID *)&Process, NULL);
    if (!NT_SUCCESS(Status))
        return Status;
    if (Process == PsInitialSystemProcess && Mode == UserMode) {
        ObfDereferenceObject(Process);
        return STATUS_ACCESS_DENIED;
    }
    Status = PspCreateThread(Process, FALSE, NULL, StartRoutine, Argument,
                             (CreateFlags & THREAD_CREATE_FLAGS_CREATE_SUSPENDED) != 0, &Thread);
    ObfDereferenceObject(Process);
    if (!NT_SUCCESS(Status))
        return Status;
    Status = ObpCreateHandle(PspCurrentProcess(), Thread,
                             ObpMapGenericMask(*PsThreadType, DesiredAccess), 0, &Handle);
    ObfDereferenceObject(Thread);
    if (!NT_SUCCESS(Status))
        return Status;
    Status = NtpWriteHandle(Mode, ThreadHandle, Handle);
    if (!NT_SUCCESS(Status))
        ObpCloseHandle(Handle, KernelMode);
    return Status;
}

NTSTATUS NtCreateThreadEx(PHANDLE ThreadHandle, ACCESS_MASK DesiredAccess,
                          POBJECT_ATTRIBUTES ObjectAttributes, HANDLE ProcessHandle,
                          PUSER_THREAD_START_ROUTINE StartRoutine, PVOID Argument,
                          ULONG CreateFlags, SIZE_T ZeroBits, SIZE_T StackSize,
                          SIZE_T MaximumStackSize, PVOID AttributeList)
{
    NTSTATUS Status;
    UNREFERENCED_PARAMETER(ObjectAttributes);
    UNREFERENCED_PARAMETER(ZeroBits);
    UNREFERENCED_PARAMETER(StackSize);
    UNREFERENCED_PARAMETER(MaximumStackSize);
    UNREFERENCED_PARAMETER(AttributeList);
    KiEnterService();
    Status = NtpCreateThread(ThreadHandle, DesiredAccess, ProcessHandle, StartRoutine, Argument,
                             CreateFlags, KeGetPreviousMode());
    KiLeaveService();
    return Status;
}

static NTSTATUS NtpTerminateThread(HANDLE ThreadHandle, NTSTATUS ExitStatus, KPROCESSOR_MODE Mode)
{
    PETHREAD Thread;
    NTSTATUS Status = ObReferenceObjectByHandle(ThreadHandle ? ThreadHandle : NtCurrentThread(),
                                                THREAD_TERMINATE, *PsThreadType, Mode,
                                                (PVOID *)&Thread, NULL);
    if (!NT_SUCCESS(Status))
        return Status;
    if (Thread == PsGetCurrentEThread()) {
        ObfDereferenceObject(Thread);
        PspExitThread(ExitStatus);
    }
    if (Thread->SystemThread && Mode == UserMode) {
        ObfDereferenceObject(Thread);
        return STATUS_ACCESS_DENIED;
    }
    if (!Thread->Terminated) {
        Thread->ExitStatus = ExitStatus;
        Thread->Terminated = TRUE;
        KiWakeForTermination(&Thread->Tcb);
    }
    ObfDereferenceObject(Thread);
    return STATUS_SUCCESS;
}

NTSTATUS NtTerminateThread(HANDLE ThreadHandle, NTSTATUS ExitStatus)
{
    NTSTATUS Status;
    KiEnterService();
    Status = NtpTerminateThread(ThreadHandle, ExitStatus, KeGetPreviousMode());
    KiLeaveService();
    return Status;
}

NTSTATUS NtTerminateProcess(HANDLE ProcessHandle, NTSTATUS ExitStatus)
{
    PEPROCESS Process;
    NTSTATUS Status;
    KiEnterService();
    Status = ObReferenceObjectByHandle(ProcessHandle ? ProcessHandle : NtCurrentProcess(),
                                       PROCESS_TERMINATE, *PsProcessType, KeGetPreviousMode(),
                                       (PVOID *)&Process, NULL);
    if (NT_SUCCESS(Status)) {
        if (Process == PsInitialSystemProcess) {
            Status = STATUS_ACCESS_DENIED;
        } else {
            BOOLEAN Self = Process == PspCurrentProcess();
            PspTerminateProcess(Process, ExitStatus);
            ObfDereferenceObject(Process);
            if (Self)
                PspExitThread(ExitStatus);
            KiLeaveService();
            return STATUS_SUCCESS;
        }
        ObfDereferenceObject(Process);
    }
    KiLeaveService();
    return Status;
}

static NTSTATUS NtpQueryThread(HANDLE ThreadHandle, THREADINFOCLASS Class, PVOID Information,
                               ULONG Length, PULONG ReturnLength, KPROCESSOR_MODE Mode)
{
    THREAD_BASIC_INFORMATION Basic;
    PETHREAD Thread;
    NTSTATUS Status;
    ULONG Needed = sizeof(Basic);

    if (Class != ThreadBasicInformation) {
        KdpLog("ntk: NtQueryInformationThread class %d is not implemented\n", (int)Class);
        return STATUS_NOT_IMPLEMENTED;
    }
    if (Length != sizeof(Basic))
        return STATUS_INFO_LENGTH_MISMATCH;
    Status = ObReferenceObjectByHandle(ThreadHandle, THREAD_QUERY_LIMITED_INFORMATION,
                                       *PsThreadType, Mode, (PVOID *)&Thread, NULL);
    if (!NT_SUCCESS(Status))
        return Status;
    memset(&Basic, 0, sizeof(Basic));
    Basic.ExitStatus = PsGetThreadExitStatus(Thread);
    Basic.TebBaseAddress = Thread->Teb;
    Basic.ClientId = Thread->Cid;
    Basic.AffinityMask = 1;
    Basic.Priority = Thread->Tcb.Priority;
    Basic.BasePriority = Thread->Tcb.BasePriority - Thread->Tcb.Process->BasePriority;
    ObfDereferenceObject(Thread);
    Status = NtpWrite(Mode, Information, &Basic, sizeof(Basic));
    if (NT_SUCCESS(Status) && ReturnLength)
        Status = NtpWrite(Mode, ReturnLength, &Needed, sizeof(Needed));
    return Status;
}

NTSTATUS NtQueryInformationThread(HANDLE ThreadHandle, THREADINFOCLASS ThreadInformationClass,
                                  PVOID ThreadInformation, ULONG ThreadInformationLength,
                                  PULONG ReturnLength)
{
    NTSTATUS Status;
    KiEnterService();
    Status = NtpQueryThread(ThreadHandle, ThreadInformationClass, ThreadInformation,
                            ThreadInformationLength, ReturnLength, KeGetPreviousMode());
    KiLeaveService();
    return Status;
}

static NTSTATUS NtpSetThread(HANDLE ThreadHandle, THREADINFOCLASS Class, PVOID Information,
                             ULONG Length, KPROCESSOR_MODE Mode)
{
    PETHREAD Thread;
    LONG Value;
    NTSTATUS Status;
    if (Class != ThreadPriority && Class != ThreadBasePriority) {
        KdpLog("ntk: NtSetInformationThread class %d is not implemented\n", (int)Class);
        return STATUS_NOT_IMPLEMENTED;
    }
    if (Length != sizeof(LONG))
        return STATUS_INFO_LENGTH_MISMATCH;
    Status = Mode == UserMode ? MmpCopyFromUser(&Value, Information, sizeof(Value))
                              : (memcpy(&Value, Information, sizeof(Value)), STATUS_SUCCESS);
    if (!NT_SUCCESS(Status))
        return Status;
    Status = ObReferenceObjectByHandle(ThreadHandle, THREAD_SET_INFORMATION, *PsThreadType, Mode,
                                       (PVOID *)&Thread, NULL);
    if (!NT_SUCCESS(Status))
        return Status;
    if (Class == ThreadPriority) {
        /* Absolute priority: 1..31; real-time levels need a privilege ntk's users hold. */
        if (Value < 1 || Value > HIGH_PRIORITY)
            Status = STATUS_INVALID_PARAMETER;
        else
            KeSetPriorityThread(&Thread->Tcb, Value);
    } else {
        /* Relative to the process base: -2..2; 16 and -16 saturate to the top and bottom of
         * the class (kernel32's THREAD_PRIORITY_TIME_CRITICAL and THREAD_PRIORITY_IDLE). */
        if (Value != 16 && Value != -16 && (Value < -2 || Value > 2))
            Status = STATUS_INVALID_PARAMETER;
        else
            KeSetBasePriorityThread(&Thread->Tcb, Value);
    }
    ObfDereferenceObject(Thread);
    return Status;
}

NTSTATUS NtSetInformationThread(HANDLE ThreadHandle, THREADINFOCLASS ThreadInformationClass,
                                PVOID ThreadInformation, ULONG ThreadInformationLength)
{
    NTSTATUS Status;
    KiEnterService();
    Status = NtpSetThread(ThreadHandle, ThreadInformationClass, ThreadInformation,
                          ThreadInformationLength, KeGetPreviousMode());
    KiLeaveService();
    return Status;
}

static NTSTATUS NtpQueryProcess(HANDLE ProcessHandle, PROCESSINFOCLASS Class, PVOID Information,
                                ULONG Length, PULONG ReturnLength, KPROCESSOR_MODE Mode)
{
    PROCESS_BASIC_INFORMATION Basic;
    PEPROCESS Process;
    NTSTATUS Status;
    ULONG Needed = sizeof(Basic);
    if (Class != ProcessBasicInformation) {
        KdpLog("ntk: NtQueryInformationProcess class %d is not implemented\n", (int)Class);
        return STATUS_NOT_IMPLEMENTED;
    }
    if (Length != sizeof(Basic))
        return STATUS_INFO_LENGTH_MISMATCH;
    Status = ObReferenceObjectByHandle(ProcessHandle, PROCESS_QUERY_LIMITED_INFORMATION,
                                       *PsProcessType, Mode, (PVOID *)&Process, NULL);
    if (!NT_SUCCESS(Status))
        return Status;
    memset(&Basic, 0, sizeof(Basic));
    Basic.ExitStatus = Process->ExitStatus;
    Basic.AffinityMask = 1;
    Basic.BasePriority = Process->Pcb.BasePriority;
    Basic.UniqueProcessId = (ULONG_PTR)Process->UniqueProcessId;
    Basic.InheritedFromUniqueProcessId = (ULONG_PTR)Process->InheritedFromUniqueProcessId;
    ObfDereferenceObject(Process);
    Status = NtpWrite(Mode, Information, &Basic, sizeof(Basic));
    if (NT_SUCCESS(Status) && ReturnLength)
        Status = NtpWrite(Mode, ReturnLength, &Needed, sizeof(Needed));
    return Status;
}

NTSTATUS NtQueryInformationProcess(HANDLE ProcessHandle, PROCESSINFOCLASS ProcessInformationClass,
                                   PVOID ProcessInformation, ULONG ProcessInformationLength,
                                   PULONG ReturnLength)
{
    NTSTATUS Status;
    KiEnterService();
    Status = NtpQueryProcess(ProcessHandle, ProcessInformationClass, ProcessInformation,
                             ProcessInformationLength, ReturnLength, KeGetPreviousMode());
    KiLeaveService();
    return Status;
}
