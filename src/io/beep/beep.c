/* The Beep driver, built into ntk: \Device\Beep and IOCTL_BEEP_SET, as Windows' beep.sys
 * provides them. `ntk run` starts it before any other driver, so it unloads last.
 *
 * IOCTL_BEEP_SET (METHOD_BUFFERED, input BEEP_SET_PARAMETERS) completes at once, as on
 * Windows, where the driver starts the speaker and a timer stops it: the tone starts at the
 * current interrupt time and lasts Duration ms unless a later IOCTL_BEEP_SET cuts it.
 * Frequency 0 or Duration 0 stops the tone. An input buffer shorter than BEEP_SET_PARAMETERS,
 * or a frequency outside BEEP_FREQUENCY_MINIMUM..BEEP_FREQUENCY_MAXIMUM with a non-zero
 * duration, is STATUS_INVALID_PARAMETER. The tones go to a WAV file when the driver unloads
 * (`ntk run --beep-wav FILE`), see beepwave.c. */
#include "beepp.h"
#include <ntk/host.h>

static PCSTR BeepPendingWaveFile;

static NTSTATUS BeepComplete(PIRP Irp, NTSTATUS Status)
{
    Irp->IoStatus.Status = Status;
    Irp->IoStatus.Information = 0;
    IoCompleteRequest(Irp, IO_NO_INCREMENT);
    return Status;
}

/* Anyone may open the device; nothing is kept per handle. */
static NTSTATUS BeepOpenClose(PDEVICE_OBJECT DeviceObject, PIRP Irp)
{
    UNREFERENCED_PARAMETER(DeviceObject);
    return BeepComplete(Irp, STATUS_SUCCESS);
}

static NTSTATUS BeepDeviceControl(PDEVICE_OBJECT DeviceObject, PIRP Irp)
{
    PIO_STACK_LOCATION Stack = IoGetCurrentIrpStackLocation(Irp);
    PBEEP_SET_PARAMETERS Parameters;
    UNREFERENCED_PARAMETER(DeviceObject);

    if (Stack->Parameters.DeviceIoControl.IoControlCode != IOCTL_BEEP_SET)
        return BeepComplete(Irp, STATUS_INVALID_DEVICE_REQUEST);
    if (Stack->Parameters.DeviceIoControl.InputBufferLength < sizeof(BEEP_SET_PARAMETERS) ||
        Irp->AssociatedIrp.SystemBuffer == NULL)
        return BeepComplete(Irp, STATUS_INVALID_PARAMETER);
    Parameters = Irp->AssociatedIrp.SystemBuffer;
    if (Parameters->Frequency == 0 || Parameters->Duration == 0) {
        BeepSetTone(KeQueryInterruptTime(), 0, 0);
        return BeepComplete(Irp, STATUS_SUCCESS);
    }
    if (Parameters->Frequency < BEEP_FREQUENCY_MINIMUM ||
        Parameters->Frequency > BEEP_FREQUENCY_MAXIMUM)
        return BeepComplete(Irp, STATUS_INVALID_PARAMETER);
    BeepSetTone(KeQueryInterruptTime(), Parameters->Frequency, Parameters->Duration);
    return BeepComplete(Irp, STATUS_SUCCESS);
}

static VOID BeepUnload(PDRIVER_OBJECT DriverObject)
{
    BeepCloseToneLog(KeQueryInterruptTime());
    IoDeleteDevice(DriverObject->DeviceObject);
}

static NTSTATUS BeepDriverEntry(PDRIVER_OBJECT DriverObject, PUNICODE_STRING RegistryPath)
{
    UNICODE_STRING Name = RTL_CONSTANT_STRING(DD_BEEP_DEVICE_NAME_U);
    PDEVICE_OBJECT Device;
    NTSTATUS Status;
    UNREFERENCED_PARAMETER(RegistryPath);

    Status = IoCreateDevice(DriverObject, 0, &Name, FILE_DEVICE_BEEP, 0, FALSE, &Device);
    if (!NT_SUCCESS(Status))
        return Status;
    Status = BeepOpenToneLog(BeepPendingWaveFile);
    if (!NT_SUCCESS(Status)) {
        IoDeleteDevice(Device);
        return Status;
    }
    Device->Flags |= DO_BUFFERED_IO;
    DriverObject->MajorFunction[IRP_MJ_CREATE] = BeepOpenClose;
    DriverObject->MajorFunction[IRP_MJ_CLEANUP] = BeepOpenClose;
    DriverObject->MajorFunction[IRP_MJ_CLOSE] = BeepOpenClose;
    DriverObject->MajorFunction[IRP_MJ_DEVICE_CONTROL] = BeepDeviceControl;
    DriverObject->DriverUnload = BeepUnload;
    return STATUS_SUCCESS;
}

NTSTATUS NtkLoadBeepDriver(const char *WaveFile)
{
    BeepPendingWaveFile = WaveFile;
    return NtkpLoadBuiltinDriver(L"Beep", BeepDriverEntry);
}
