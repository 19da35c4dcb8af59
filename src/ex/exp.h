/* Ex: private interface of the executive's named dispatcher objects (events, semaphores,
 * mutants), shared with the Nt wait services. */
#ifndef NTK_EXP_H
#define NTK_EXP_H

#include "ntkp.h"

/* The mutant type has no exported pointer variable on Windows; the wait services need it. */
extern POBJECT_TYPE ExpMutantObjectType;

NTSTATUS ExpInitializeSemaphoreType(VOID);
NTSTATUS ExpInitializeMutantType(VOID);

/* Initializes a new object's body before it is inserted; Context is the creator's. */
typedef VOID (*EXP_INITIALIZE_BODY)(PVOID Body, PVOID Context);

/* The body of every Nt/ZwCreateXxx service: captures the attributes (from user memory when
 * Mode is UserMode), creates and initializes the object, inserts it (opening an existing one
 * of that name and type under OBJ_OPENIF, returning STATUS_OBJECT_NAME_EXISTS) and writes the
 * handle. */
NTSTATUS ExpCreateObject(PHANDLE Handle, ACCESS_MASK DesiredAccess,
                         POBJECT_ATTRIBUTES ObjectAttributes, POBJECT_TYPE Type, ULONG BodySize,
                         EXP_INITIALIZE_BODY Initialize, PVOID Context, KPROCESSOR_MODE Mode);

/* The body of every Nt/ZwOpenXxx service: the object of that name must be of Type. */
NTSTATUS ExpOpenObject(PHANDLE Handle, ACCESS_MASK DesiredAccess,
                       POBJECT_ATTRIBUTES ObjectAttributes, POBJECT_TYPE Type,
                       KPROCESSOR_MODE Mode);

#endif
