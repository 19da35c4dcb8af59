/* NTSTATUS -> Win32 error mapping, as ntdll's RtlNtStatusToDosError does it on Windows 10:
 * customer codes and 0 map to themselves, 0xDxxxxxxx is read as 0xCxxxxxxx, the Win32-facility
 * forms (0x8007xxxx, 0xC007xxxx) and 0xC001xxxx carry the error in their low word, a few
 * exception codes map to themselves, and everything unknown is ERROR_MR_MID_NOT_FOUND. The
 * pairs were checked against Windows' table as public conformance tests record it. */
#include "rtlp.h"
#include <user/winerror.h>

/* Every status of <ntk/ntstatus.h> that Windows maps, with its error. */
#define RTLP_STATUS_MAP(X)                                                                        \
    X(STATUS_WAIT_1, ERROR_WAIT_1)                                                                \
    X(STATUS_WAIT_2, ERROR_WAIT_2)                                                                \
    X(STATUS_WAIT_3, ERROR_WAIT_3)                                                                \
    X(STATUS_WAIT_63, ERROR_WAIT_63)                                                              \
    X(STATUS_ABANDONED_WAIT_0, ERROR_WAIT_NO_CHILDREN)                                            \
    X(STATUS_ABANDONED_WAIT_63, ERROR_ABANDONED_WAIT_63)                                          \
    X(STATUS_USER_APC, ERROR_USER_APC)                                                            \
    X(STATUS_KERNEL_APC, ERROR_KERNEL_APC)                                                        \
    X(STATUS_ALERTED, ERROR_ALERTED)                                                              \
    X(STATUS_TIMEOUT, ERROR_TIMEOUT)                                                              \
    X(STATUS_PENDING, ERROR_IO_PENDING)                                                           \
    X(STATUS_REPARSE, ERROR_REPARSE)                                                              \
    X(STATUS_MORE_ENTRIES, ERROR_MORE_DATA)                                                       \
    X(STATUS_NOT_ALL_ASSIGNED, ERROR_NOT_ALL_ASSIGNED)                                            \
    X(STATUS_SOME_NOT_MAPPED, ERROR_SOME_NOT_MAPPED)                                              \
    X(STATUS_OPLOCK_BREAK_IN_PROGRESS, ERROR_OPLOCK_BREAK_IN_PROGRESS)                            \
    X(STATUS_VOLUME_MOUNTED, ERROR_VOLUME_MOUNTED)                                                \
    X(STATUS_NOTIFY_CLEANUP, ERROR_NOTIFY_CLEANUP)                                                \
    X(STATUS_NOTIFY_ENUM_DIR, ERROR_NOTIFY_ENUM_DIR)                                              \
    X(STATUS_BUFFER_ALL_ZEROS, ERROR_BUFFER_ALL_ZEROS)                                            \
    X(STATUS_PROCESS_IN_JOB, ERROR_PROCESS_IN_JOB)                                                \
    X(DBG_EXCEPTION_HANDLED, ERROR_DBG_EXCEPTION_HANDLED)                                         \
    X(DBG_CONTINUE, ERROR_DBG_CONTINUE)                                                           \
    X(STATUS_OBJECT_NAME_EXISTS, ERROR_OBJECT_NAME_EXISTS)                                        \
    X(STATUS_THREAD_WAS_SUSPENDED, ERROR_THREAD_WAS_SUSPENDED)                                    \
    X(STATUS_WORKING_SET_LIMIT_RANGE, ERROR_INVALID_PARAMETER)                                    \
    X(STATUS_IMAGE_NOT_AT_BASE, ERROR_IMAGE_NOT_AT_BASE)                                          \
    X(DBG_CONTROL_C, ERROR_DBG_CONTROL_C)                                                         \
    X(DBG_PRINTEXCEPTION_C, ERROR_DBG_PRINTEXCEPTION_C)                                           \
    X(STATUS_GUARD_PAGE_VIOLATION, STATUS_GUARD_PAGE_VIOLATION)                                   \
    X(STATUS_DATATYPE_MISALIGNMENT, ERROR_NOACCESS)                                               \
    X(STATUS_BREAKPOINT, STATUS_BREAKPOINT)                                                       \
    X(STATUS_SINGLE_STEP, STATUS_SINGLE_STEP)                                                     \
    X(STATUS_BUFFER_OVERFLOW, ERROR_MORE_DATA)                                                    \
    X(STATUS_NO_MORE_FILES, ERROR_NO_MORE_FILES)                                                  \
    X(STATUS_DEVICE_BUSY, ERROR_BUSY)                                                             \
    X(STATUS_NO_MORE_EAS, ERROR_NO_MORE_ITEMS)                                                    \
    X(STATUS_NO_MORE_ENTRIES, ERROR_NO_MORE_ITEMS)                                                \
    X(DBG_EXCEPTION_NOT_HANDLED, ERROR_DBG_EXCEPTION_NOT_HANDLED)                                 \
    X(STATUS_UNSUCCESSFUL, ERROR_GEN_FAILURE)                                                     \
    X(STATUS_NOT_IMPLEMENTED, ERROR_INVALID_FUNCTION)                                             \
    X(STATUS_INVALID_INFO_CLASS, ERROR_INVALID_PARAMETER)                                         \
    X(STATUS_INFO_LENGTH_MISMATCH, ERROR_BAD_LENGTH)                                              \
    X(STATUS_ACCESS_VIOLATION, ERROR_NOACCESS)                                                    \
    X(STATUS_IN_PAGE_ERROR, ERROR_SWAPERROR)                                                      \
    X(STATUS_PAGEFILE_QUOTA, ERROR_PAGEFILE_QUOTA)                                                \
    X(STATUS_INVALID_HANDLE, ERROR_INVALID_HANDLE)                                                \
    X(STATUS_BAD_INITIAL_STACK, ERROR_STACK_OVERFLOW)                                             \
    X(STATUS_BAD_INITIAL_PC, ERROR_BAD_EXE_FORMAT)                                                \
    X(STATUS_INVALID_CID, ERROR_INVALID_PARAMETER)                                                \
    X(STATUS_TIMER_NOT_CANCELED, ERROR_TIMER_NOT_CANCELED)                                        \
    X(STATUS_INVALID_PARAMETER, ERROR_INVALID_PARAMETER)                                          \
    X(STATUS_NO_SUCH_DEVICE, ERROR_NO_SUCH_DEVICE)                                                \
    X(STATUS_NO_SUCH_FILE, ERROR_FILE_NOT_FOUND)                                                  \
    X(STATUS_INVALID_DEVICE_REQUEST, ERROR_INVALID_FUNCTION)                                      \
    X(STATUS_END_OF_FILE, ERROR_HANDLE_EOF)                                                       \
    X(STATUS_WRONG_VOLUME, ERROR_WRONG_DISK)                                                      \
    X(STATUS_NO_MEDIA_IN_DEVICE, ERROR_NOT_READY)                                                 \
    X(STATUS_NONEXISTENT_SECTOR, ERROR_SECTOR_NOT_FOUND)                                          \
    X(STATUS_MORE_PROCESSING_REQUIRED, ERROR_MORE_DATA)                                           \
    X(STATUS_NO_MEMORY, ERROR_NOT_ENOUGH_MEMORY)                                                  \
    X(STATUS_CONFLICTING_ADDRESSES, ERROR_INVALID_ADDRESS)                                        \
    X(STATUS_NOT_MAPPED_VIEW, ERROR_INVALID_ADDRESS)                                              \
    X(STATUS_UNABLE_TO_FREE_VM, ERROR_INVALID_PARAMETER)                                          \
    X(STATUS_UNABLE_TO_DELETE_SECTION, ERROR_INVALID_PARAMETER)                                   \
    X(STATUS_INVALID_SYSTEM_SERVICE, ERROR_INVALID_FUNCTION)                                      \
    X(STATUS_ILLEGAL_INSTRUCTION, STATUS_ILLEGAL_INSTRUCTION)                                     \
    X(STATUS_INVALID_LOCK_SEQUENCE, ERROR_ACCESS_DENIED)                                          \
    X(STATUS_INVALID_VIEW_SIZE, ERROR_ACCESS_DENIED)                                              \
    X(STATUS_INVALID_FILE_FOR_SECTION, ERROR_BAD_EXE_FORMAT)                                      \
    X(STATUS_ALREADY_COMMITTED, ERROR_ACCESS_DENIED)                                              \
    X(STATUS_ACCESS_DENIED, ERROR_ACCESS_DENIED)                                                  \
    X(STATUS_BUFFER_TOO_SMALL, ERROR_INSUFFICIENT_BUFFER)                                         \
    X(STATUS_OBJECT_TYPE_MISMATCH, ERROR_INVALID_HANDLE)                                          \
    X(STATUS_NONCONTINUABLE_EXCEPTION, STATUS_NONCONTINUABLE_EXCEPTION)                           \
    X(STATUS_INVALID_DISPOSITION, STATUS_INVALID_DISPOSITION)                                     \
    X(STATUS_UNWIND, ERROR_UNWIND)                                                                \
    X(STATUS_BAD_STACK, ERROR_BAD_STACK)                                                          \
    X(STATUS_INVALID_UNWIND_TARGET, ERROR_INVALID_UNWIND_TARGET)                                  \
    X(STATUS_NOT_LOCKED, ERROR_NOT_LOCKED)                                                        \
    X(STATUS_PARITY_ERROR, STATUS_PARITY_ERROR)                                                   \
    X(STATUS_UNABLE_TO_DECOMMIT_VM, ERROR_INVALID_ADDRESS)                                        \
    X(STATUS_NOT_COMMITTED, ERROR_INVALID_ADDRESS)                                                \
    X(STATUS_INVALID_PORT_ATTRIBUTES, ERROR_INVALID_PORT_ATTRIBUTES)                              \
    X(STATUS_PORT_MESSAGE_TOO_LONG, ERROR_PORT_MESSAGE_TOO_LONG)                                  \
    X(STATUS_INVALID_PARAMETER_MIX, ERROR_INVALID_PARAMETER)                                      \
    X(STATUS_INVALID_QUOTA_LOWER, ERROR_INVALID_QUOTA_LOWER)                                      \
    X(STATUS_DISK_CORRUPT_ERROR, ERROR_DISK_CORRUPT)                                              \
    X(STATUS_OBJECT_NAME_INVALID, ERROR_INVALID_NAME)                                             \
    X(STATUS_OBJECT_NAME_NOT_FOUND, ERROR_FILE_NOT_FOUND)                                         \
    X(STATUS_OBJECT_NAME_COLLISION, ERROR_ALREADY_EXISTS)                                         \
    X(STATUS_PORT_DISCONNECTED, ERROR_INVALID_HANDLE)                                             \
    X(STATUS_DEVICE_ALREADY_ATTACHED, ERROR_DEVICE_ALREADY_ATTACHED)                              \
    X(STATUS_OBJECT_PATH_INVALID, ERROR_BAD_PATHNAME)                                             \
    X(STATUS_OBJECT_PATH_NOT_FOUND, ERROR_PATH_NOT_FOUND)                                         \
    X(STATUS_OBJECT_PATH_SYNTAX_BAD, ERROR_BAD_PATHNAME)                                          \
    X(STATUS_DATA_OVERRUN, ERROR_IO_DEVICE)                                                       \
    X(STATUS_DATA_LATE_ERROR, ERROR_IO_DEVICE)                                                    \
    X(STATUS_DATA_ERROR, ERROR_CRC)                                                               \
    X(STATUS_CRC_ERROR, ERROR_CRC)                                                                \
    X(STATUS_SECTION_TOO_BIG, ERROR_NOT_ENOUGH_MEMORY)                                            \
    X(STATUS_PORT_CONNECTION_REFUSED, ERROR_ACCESS_DENIED)                                        \
    X(STATUS_INVALID_PORT_HANDLE, ERROR_INVALID_HANDLE)                                           \
    X(STATUS_SHARING_VIOLATION, ERROR_SHARING_VIOLATION)                                          \
    X(STATUS_QUOTA_EXCEEDED, ERROR_NOT_ENOUGH_QUOTA)                                              \
    X(STATUS_INVALID_PAGE_PROTECTION, ERROR_INVALID_PARAMETER)                                    \
    X(STATUS_MUTANT_NOT_OWNED, ERROR_NOT_OWNER)                                                   \
    X(STATUS_SEMAPHORE_LIMIT_EXCEEDED, ERROR_TOO_MANY_POSTS)                                      \
    X(STATUS_PORT_ALREADY_SET, ERROR_INVALID_PARAMETER)                                           \
    X(STATUS_SECTION_NOT_IMAGE, ERROR_INVALID_PARAMETER)                                          \
    X(STATUS_SUSPEND_COUNT_EXCEEDED, ERROR_SIGNAL_REFUSED)                                        \
    X(STATUS_THREAD_IS_TERMINATING, ERROR_ACCESS_DENIED)                                          \
    X(STATUS_BAD_WORKING_SET_LIMIT, ERROR_INVALID_PARAMETER)                                      \
    X(STATUS_INCOMPATIBLE_FILE_MAP, ERROR_INVALID_PARAMETER)                                      \
    X(STATUS_SECTION_PROTECTION, ERROR_INVALID_PARAMETER)                                         \
    X(STATUS_EAS_NOT_SUPPORTED, ERROR_EAS_NOT_SUPPORTED)                                          \
    X(STATUS_DELETE_PENDING, ERROR_ACCESS_DENIED)                                                 \
    X(STATUS_CTL_FILE_NOT_SUPPORTED, ERROR_NOT_SUPPORTED)                                         \
    X(STATUS_UNKNOWN_REVISION, ERROR_UNKNOWN_REVISION)                                            \
    X(STATUS_REVISION_MISMATCH, ERROR_REVISION_MISMATCH)                                          \
    X(STATUS_INVALID_OWNER, ERROR_INVALID_OWNER)                                                  \
    X(STATUS_INVALID_PRIMARY_GROUP, ERROR_INVALID_PRIMARY_GROUP)                                  \
    X(STATUS_NO_IMPERSONATION_TOKEN, ERROR_NO_IMPERSONATION_TOKEN)                                \
    X(STATUS_CANT_DISABLE_MANDATORY, ERROR_CANT_DISABLE_MANDATORY)                                \
    X(STATUS_NO_LOGON_SERVERS, ERROR_NO_LOGON_SERVERS)                                            \
    X(STATUS_NO_SUCH_LOGON_SESSION, ERROR_NO_SUCH_LOGON_SESSION)                                  \
    X(STATUS_NO_SUCH_PRIVILEGE, ERROR_NO_SUCH_PRIVILEGE)                                          \
    X(STATUS_PRIVILEGE_NOT_HELD, ERROR_PRIVILEGE_NOT_HELD)                                        \
    X(STATUS_INVALID_ACCOUNT_NAME, ERROR_INVALID_ACCOUNT_NAME)                                    \
    X(STATUS_NONE_MAPPED, ERROR_NONE_MAPPED)                                                      \
    X(STATUS_INVALID_ACL, ERROR_INVALID_ACL)                                                      \
    X(STATUS_INVALID_SID, ERROR_INVALID_SID)                                                      \
    X(STATUS_INVALID_SECURITY_DESCR, ERROR_INVALID_SECURITY_DESCR)                                \
    X(STATUS_PROCEDURE_NOT_FOUND, ERROR_PROC_NOT_FOUND)                                           \
    X(STATUS_INVALID_IMAGE_FORMAT, ERROR_BAD_EXE_FORMAT)                                          \
    X(STATUS_NO_TOKEN, ERROR_NO_TOKEN)                                                            \
    X(STATUS_BAD_INHERITANCE_ACL, ERROR_BAD_INHERITANCE_ACL)                                      \
    X(STATUS_RANGE_NOT_LOCKED, ERROR_NOT_LOCKED)                                                  \
    X(STATUS_DISK_FULL, ERROR_DISK_FULL)                                                          \
    X(STATUS_SERVER_DISABLED, ERROR_SERVER_DISABLED)                                              \
    X(STATUS_TOO_MANY_GUIDS_REQUESTED, ERROR_TOO_MANY_NAMES)                                      \
    X(STATUS_GUIDS_EXHAUSTED, ERROR_NO_MORE_ITEMS)                                                \
    X(STATUS_INVALID_ID_AUTHORITY, ERROR_INVALID_ID_AUTHORITY)                                    \
    X(STATUS_AGENTS_EXHAUSTED, ERROR_NO_MORE_ITEMS)                                               \
    X(STATUS_INVALID_VOLUME_LABEL, ERROR_LABEL_TOO_LONG)                                          \
    X(STATUS_SECTION_NOT_EXTENDED, ERROR_OUTOFMEMORY)                                             \
    X(STATUS_NOT_MAPPED_DATA, ERROR_INVALID_ADDRESS)                                              \
    X(STATUS_RESOURCE_DATA_NOT_FOUND, ERROR_RESOURCE_DATA_NOT_FOUND)                              \
    X(STATUS_RESOURCE_TYPE_NOT_FOUND, ERROR_RESOURCE_TYPE_NOT_FOUND)                              \
    X(STATUS_RESOURCE_NAME_NOT_FOUND, ERROR_RESOURCE_NAME_NOT_FOUND)                              \
    X(STATUS_ARRAY_BOUNDS_EXCEEDED, STATUS_ARRAY_BOUNDS_EXCEEDED)                                 \
    X(STATUS_FLOAT_DENORMAL_OPERAND, STATUS_FLOAT_DENORMAL_OPERAND)                               \
    X(STATUS_FLOAT_DIVIDE_BY_ZERO, STATUS_FLOAT_DIVIDE_BY_ZERO)                                   \
    X(STATUS_FLOAT_INEXACT_RESULT, STATUS_FLOAT_INEXACT_RESULT)                                   \
    X(STATUS_FLOAT_INVALID_OPERATION, STATUS_FLOAT_INVALID_OPERATION)                             \
    X(STATUS_FLOAT_OVERFLOW, STATUS_FLOAT_OVERFLOW)                                               \
    X(STATUS_FLOAT_STACK_CHECK, STATUS_FLOAT_STACK_CHECK)                                         \
    X(STATUS_FLOAT_UNDERFLOW, STATUS_FLOAT_UNDERFLOW)                                             \
    X(STATUS_INTEGER_DIVIDE_BY_ZERO, STATUS_INTEGER_DIVIDE_BY_ZERO)                               \
    X(STATUS_INTEGER_OVERFLOW, ERROR_ARITHMETIC_OVERFLOW)                                         \
    X(STATUS_PRIVILEGED_INSTRUCTION, STATUS_PRIVILEGED_INSTRUCTION)                               \
    X(STATUS_TOO_MANY_PAGING_FILES, ERROR_NOT_ENOUGH_MEMORY)                                      \
    X(STATUS_FILE_INVALID, ERROR_FILE_INVALID)                                                    \
    X(STATUS_ALLOTTED_SPACE_EXCEEDED, ERROR_ALLOTTED_SPACE_EXCEEDED)                              \
    X(STATUS_INSUFFICIENT_RESOURCES, ERROR_NO_SYSTEM_RESOURCES)                                   \
    X(STATUS_DFS_EXIT_PATH_FOUND, ERROR_PATH_NOT_FOUND)                                           \
    X(STATUS_DEVICE_DATA_ERROR, ERROR_CRC)                                                        \
    X(STATUS_DEVICE_NOT_CONNECTED, ERROR_DEVICE_NOT_CONNECTED)                                    \
    X(STATUS_FREE_VM_NOT_AT_BASE, ERROR_INVALID_ADDRESS)                                          \
    X(STATUS_MEMORY_NOT_ALLOCATED, ERROR_INVALID_ADDRESS)                                         \
    X(STATUS_WORKING_SET_QUOTA, ERROR_WORKING_SET_QUOTA)                                          \
    X(STATUS_MEDIA_WRITE_PROTECTED, ERROR_WRITE_PROTECT)                                          \
    X(STATUS_DEVICE_NOT_READY, ERROR_NOT_READY)                                                   \
    X(STATUS_INVALID_GROUP_ATTRIBUTES, ERROR_INVALID_GROUP_ATTRIBUTES)                            \
    X(STATUS_BAD_IMPERSONATION_LEVEL, ERROR_BAD_IMPERSONATION_LEVEL)                              \
    X(STATUS_CANT_OPEN_ANONYMOUS, ERROR_CANT_OPEN_ANONYMOUS)                                      \
    X(STATUS_BAD_VALIDATION_CLASS, ERROR_BAD_VALIDATION_CLASS)                                    \
    X(STATUS_BAD_TOKEN_TYPE, ERROR_BAD_TOKEN_TYPE)                                                \
    X(STATUS_BAD_MASTER_BOOT_RECORD, ERROR_INVALID_PARAMETER)                                     \
    X(STATUS_INSTRUCTION_MISALIGNMENT, ERROR_INSTRUCTION_MISALIGNMENT)                            \
    X(STATUS_INSTANCE_NOT_AVAILABLE, ERROR_PIPE_BUSY)                                             \
    X(STATUS_PIPE_NOT_AVAILABLE, ERROR_PIPE_BUSY)                                                 \
    X(STATUS_INVALID_PIPE_STATE, ERROR_BAD_PIPE)                                                  \
    X(STATUS_PIPE_BUSY, ERROR_PIPE_BUSY)                                                          \
    X(STATUS_ILLEGAL_FUNCTION, ERROR_INVALID_FUNCTION)                                            \
    X(STATUS_PIPE_DISCONNECTED, ERROR_PIPE_NOT_CONNECTED)                                         \
    X(STATUS_PIPE_CLOSING, ERROR_NO_DATA)                                                         \
    X(STATUS_PIPE_CONNECTED, ERROR_PIPE_CONNECTED)                                                \
    X(STATUS_PIPE_LISTENING, ERROR_PIPE_LISTENING)                                                \
    X(STATUS_INVALID_READ_MODE, ERROR_BAD_PIPE)                                                   \
    X(STATUS_IO_TIMEOUT, ERROR_SEM_TIMEOUT)                                                       \
    X(STATUS_FILE_FORCED_CLOSED, ERROR_HANDLE_EOF)                                                \
    X(STATUS_PROFILING_NOT_STARTED, ERROR_PROFILING_NOT_STARTED)                                  \
    X(STATUS_PROFILING_NOT_STOPPED, ERROR_PROFILING_NOT_STOPPED)                                  \
    X(STATUS_COULD_NOT_INTERPRET, ERROR_COULD_NOT_INTERPRET)                                      \
    X(STATUS_FILE_IS_A_DIRECTORY, ERROR_ACCESS_DENIED)                                            \
    X(STATUS_NOT_SUPPORTED, ERROR_NOT_SUPPORTED)                                                  \
    X(STATUS_REMOTE_NOT_LISTENING, ERROR_REM_NOT_LIST)                                            \
    X(STATUS_DUPLICATE_NAME, ERROR_DUP_NAME)                                                      \
    X(STATUS_BAD_NETWORK_PATH, ERROR_BAD_NETPATH)                                                 \
    X(STATUS_NETWORK_BUSY, ERROR_NETWORK_BUSY)                                                    \
    X(STATUS_DEVICE_DOES_NOT_EXIST, ERROR_DEV_NOT_EXIST)                                          \
    X(STATUS_TOO_MANY_COMMANDS, ERROR_TOO_MANY_CMDS)                                              \
    X(STATUS_ADAPTER_HARDWARE_ERROR, ERROR_ADAP_HDW_ERR)                                          \
    X(STATUS_INVALID_NETWORK_RESPONSE, ERROR_BAD_NET_RESP)                                        \
    X(STATUS_UNEXPECTED_NETWORK_ERROR, ERROR_UNEXP_NET_ERR)                                       \
    X(STATUS_BAD_REMOTE_ADAPTER, ERROR_BAD_REM_ADAP)                                              \
    X(STATUS_PRINT_QUEUE_FULL, ERROR_PRINTQ_FULL)                                                 \
    X(STATUS_NO_SPOOL_SPACE, ERROR_NO_SPOOL_SPACE)                                                \
    X(STATUS_PRINT_CANCELLED, ERROR_PRINT_CANCELLED)                                              \
    X(STATUS_NETWORK_NAME_DELETED, ERROR_NETNAME_DELETED)                                         \
    X(STATUS_NETWORK_ACCESS_DENIED, ERROR_NETWORK_ACCESS_DENIED)                                  \
    X(STATUS_BAD_DEVICE_TYPE, ERROR_BAD_DEV_TYPE)                                                 \
    X(STATUS_BAD_NETWORK_NAME, ERROR_BAD_NET_NAME)                                                \
    X(STATUS_TOO_MANY_NAMES, ERROR_TOO_MANY_NAMES)                                                \
    X(STATUS_TOO_MANY_SESSIONS, ERROR_TOO_MANY_SESS)                                              \
    X(STATUS_SHARING_PAUSED, ERROR_SHARING_PAUSED)                                                \
    X(STATUS_REQUEST_NOT_ACCEPTED, ERROR_REQ_NOT_ACCEP)                                           \
    X(STATUS_REDIRECTOR_PAUSED, ERROR_REDIR_PAUSED)                                               \
    X(STATUS_NET_WRITE_FAULT, ERROR_NET_WRITE_FAULT)                                              \
    X(STATUS_PROFILING_AT_LIMIT, ERROR_PROFILING_AT_LIMIT)                                        \
    X(STATUS_NOT_SAME_DEVICE, ERROR_NOT_SAME_DEVICE)                                              \
    X(STATUS_FILE_RENAMED, ERROR_ACCESS_DENIED)                                                   \
    X(STATUS_VIRTUAL_CIRCUIT_CLOSED, ERROR_VC_DISCONNECTED)                                       \
    X(STATUS_NO_SECURITY_ON_OBJECT, ERROR_NO_SECURITY_ON_OBJECT)                                  \
    X(STATUS_CANT_WAIT, ERROR_CANT_WAIT)                                                          \
    X(STATUS_PIPE_EMPTY, ERROR_NO_DATA)                                                           \
    X(STATUS_CANT_ACCESS_DOMAIN_INFO, ERROR_CANT_ACCESS_DOMAIN_INFO)                              \
    X(STATUS_CANT_TERMINATE_SELF, ERROR_CANT_TERMINATE_SELF)                                      \
    X(STATUS_INVALID_SERVER_STATE, ERROR_INVALID_SERVER_STATE)                                    \
    X(STATUS_INVALID_DOMAIN_STATE, ERROR_INVALID_DOMAIN_STATE)                                    \
    X(STATUS_INVALID_DOMAIN_ROLE, ERROR_INVALID_DOMAIN_ROLE)                                      \
    X(STATUS_NO_SUCH_DOMAIN, ERROR_NO_SUCH_DOMAIN)                                                \
    X(STATUS_DOMAIN_EXISTS, ERROR_DOMAIN_EXISTS)                                                  \
    X(STATUS_DOMAIN_LIMIT_EXCEEDED, ERROR_DOMAIN_LIMIT_EXCEEDED)                                  \
    X(STATUS_OPLOCK_NOT_GRANTED, ERROR_OPLOCK_NOT_GRANTED)                                        \
    X(STATUS_INVALID_OPLOCK_PROTOCOL, ERROR_INVALID_OPLOCK_PROTOCOL)                              \
    X(STATUS_INTERNAL_DB_CORRUPTION, ERROR_INTERNAL_DB_CORRUPTION)                                \
    X(STATUS_INTERNAL_ERROR, ERROR_INTERNAL_ERROR)                                                \
    X(STATUS_GENERIC_NOT_MAPPED, ERROR_GENERIC_NOT_MAPPED)                                        \
    X(STATUS_BAD_DESCRIPTOR_FORMAT, ERROR_BAD_DESCRIPTOR_FORMAT)                                  \
    X(STATUS_INVALID_USER_BUFFER, ERROR_INVALID_USER_BUFFER)                                      \
    X(STATUS_UNEXPECTED_IO_ERROR, ERROR_IO_DEVICE)                                                \
    X(STATUS_UNEXPECTED_MM_CREATE_ERR, ERROR_UNEXPECTED_MM_CREATE_ERR)                            \
    X(STATUS_UNEXPECTED_MM_MAP_ERROR, ERROR_UNEXPECTED_MM_MAP_ERROR)                              \
    X(STATUS_UNEXPECTED_MM_EXTEND_ERR, ERROR_UNEXPECTED_MM_EXTEND_ERR)                            \
    X(STATUS_NOT_LOGON_PROCESS, ERROR_NOT_LOGON_PROCESS)                                          \
    X(STATUS_LOGON_SESSION_EXISTS, ERROR_LOGON_SESSION_EXISTS)                                    \
    X(STATUS_INVALID_PARAMETER_1, ERROR_INVALID_PARAMETER)                                        \
    X(STATUS_INVALID_PARAMETER_2, ERROR_INVALID_PARAMETER)                                        \
    X(STATUS_INVALID_PARAMETER_3, ERROR_INVALID_PARAMETER)                                        \
    X(STATUS_INVALID_PARAMETER_4, ERROR_INVALID_PARAMETER)                                        \
    X(STATUS_INVALID_PARAMETER_5, ERROR_INVALID_PARAMETER)                                        \
    X(STATUS_INVALID_PARAMETER_6, ERROR_INVALID_PARAMETER)                                        \
    X(STATUS_INVALID_PARAMETER_7, ERROR_INVALID_PARAMETER)                                        \
    X(STATUS_INVALID_PARAMETER_8, ERROR_INVALID_PARAMETER)                                        \
    X(STATUS_INVALID_PARAMETER_9, ERROR_INVALID_PARAMETER)                                        \
    X(STATUS_INVALID_PARAMETER_10, ERROR_INVALID_PARAMETER)                                       \
    X(STATUS_INVALID_PARAMETER_11, ERROR_INVALID_PARAMETER)                                       \
    X(STATUS_INVALID_PARAMETER_12, ERROR_INVALID_PARAMETER)                                       \
    X(STATUS_REDIRECTOR_NOT_STARTED, ERROR_PATH_NOT_FOUND)                                        \
    X(STATUS_REDIRECTOR_STARTED, ERROR_SERVICE_ALREADY_RUNNING)                                   \
    X(STATUS_STACK_OVERFLOW, ERROR_STACK_OVERFLOW)                                                \
    X(STATUS_NO_SUCH_PACKAGE, ERROR_NO_SUCH_PACKAGE)                                              \
    X(STATUS_BAD_FUNCTION_TABLE, ERROR_BAD_FUNCTION_TABLE)                                        \
    X(STATUS_VARIABLE_NOT_FOUND, ERROR_ENVVAR_NOT_FOUND)                                          \
    X(STATUS_DIRECTORY_NOT_EMPTY, ERROR_DIR_NOT_EMPTY)                                            \
    X(STATUS_FILE_CORRUPT_ERROR, ERROR_FILE_CORRUPT)                                              \
    X(STATUS_NOT_A_DIRECTORY, ERROR_DIRECTORY)                                                    \
    X(STATUS_BAD_LOGON_SESSION_STATE, ERROR_BAD_LOGON_SESSION_STATE)                              \
    X(STATUS_LOGON_SESSION_COLLISION, ERROR_LOGON_SESSION_COLLISION)                              \
    X(STATUS_NAME_TOO_LONG, ERROR_FILENAME_EXCED_RANGE)                                           \
    X(STATUS_FILES_OPEN, ERROR_OPEN_FILES)                                                        \
    X(STATUS_CONNECTION_IN_USE, ERROR_DEVICE_IN_USE)                                              \
    X(STATUS_MESSAGE_NOT_FOUND, ERROR_MR_MID_NOT_FOUND)                                           \
    X(STATUS_PROCESS_IS_TERMINATING, ERROR_ACCESS_DENIED)                                         \
    X(STATUS_INVALID_LOGON_TYPE, ERROR_INVALID_LOGON_TYPE)                                        \
    X(STATUS_NO_GUID_TRANSLATION, ERROR_NO_GUID_TRANSLATION)                                      \
    X(STATUS_CANNOT_IMPERSONATE, ERROR_CANNOT_IMPERSONATE)                                        \
    X(STATUS_IMAGE_ALREADY_LOADED, ERROR_SERVICE_ALREADY_RUNNING)                                 \
    X(STATUS_TOO_MANY_OPENED_FILES, ERROR_TOO_MANY_OPEN_FILES)                                    \
    X(STATUS_CANCELLED, ERROR_OPERATION_ABORTED)                                                  \
    X(STATUS_CANNOT_DELETE, ERROR_ACCESS_DENIED)                                                  \
    X(STATUS_INVALID_COMPUTER_NAME, ERROR_INVALID_COMPUTERNAME)                                   \
    X(STATUS_FILE_DELETED, ERROR_ACCESS_DENIED)                                                   \
    X(STATUS_FILE_CLOSED, ERROR_INVALID_HANDLE)                                                   \
    X(STATUS_TOO_MANY_THREADS, ERROR_TOO_MANY_THREADS)                                            \
    X(STATUS_THREAD_NOT_IN_PROCESS, ERROR_THREAD_NOT_IN_PROCESS)                                  \
    X(STATUS_TOKEN_ALREADY_IN_USE, ERROR_TOKEN_ALREADY_IN_USE)                                    \
    X(STATUS_PAGEFILE_QUOTA_EXCEEDED, ERROR_PAGEFILE_QUOTA_EXCEEDED)                              \
    X(STATUS_COMMITMENT_LIMIT, ERROR_COMMITMENT_LIMIT)                                            \
    X(STATUS_INVALID_IMAGE_LE_FORMAT, ERROR_BAD_EXE_FORMAT)                                       \
    X(STATUS_INVALID_IMAGE_NOT_MZ, ERROR_BAD_EXE_FORMAT)                                          \
    X(STATUS_INVALID_IMAGE_PROTECT, ERROR_BAD_EXE_FORMAT)                                         \
    X(STATUS_INVALID_IMAGE_WIN_16, ERROR_BAD_EXE_FORMAT)                                          \
    X(STATUS_DLL_NOT_FOUND, ERROR_MOD_NOT_FOUND)                                                  \
    X(STATUS_ORDINAL_NOT_FOUND, ERROR_INVALID_ORDINAL)                                            \
    X(STATUS_ENTRYPOINT_NOT_FOUND, ERROR_PROC_NOT_FOUND)                                          \
    X(STATUS_CONTROL_C_EXIT, ERROR_CONTROL_C_EXIT)                                                \
    X(STATUS_INVALID_ADDRESS, ERROR_UNEXP_NET_ERR)                                                \
    X(STATUS_DLL_INIT_FAILED, ERROR_DLL_INIT_FAILED)                                              \
    X(STATUS_UNHANDLED_EXCEPTION, ERROR_UNHANDLED_EXCEPTION)                                      \
    X(STATUS_PIPE_BROKEN, ERROR_BROKEN_PIPE)                                                      \
    X(STATUS_REGISTRY_CORRUPT, ERROR_BADDB)                                                       \
    X(STATUS_NO_EVENT_PAIR, ERROR_NO_EVENT_PAIR)                                                  \
    X(STATUS_SERIAL_NO_DEVICE_INITED, ERROR_SERIAL_NO_DEVICE)                                     \
    X(STATUS_DEVICE_CONFIGURATION_ERROR, ERROR_INVALID_PARAMETER)                                 \
    X(STATUS_DRIVER_INTERNAL_ERROR, ERROR_IO_DEVICE)                                              \
    X(STATUS_INVALID_DEVICE_STATE, ERROR_BAD_COMMAND)                                             \
    X(STATUS_IO_DEVICE_ERROR, ERROR_IO_DEVICE)                                                    \
    X(STATUS_INVALID_LOCK_RANGE, ERROR_INVALID_LOCK_RANGE)                                        \
    X(STATUS_INVALID_BUFFER_SIZE, ERROR_INVALID_USER_BUFFER)                                      \
    X(STATUS_NOT_FOUND, ERROR_NOT_FOUND)                                                          \
    X(STATUS_FAIL_CHECK, ERROR_INVALID_PARAMETER)                                                 \
    X(STATUS_DUPLICATE_OBJECTID, ERROR_OBJECT_ALREADY_EXISTS)                                     \
    X(STATUS_OBJECTID_EXISTS, ERROR_OBJECT_ALREADY_EXISTS)                                        \
    X(STATUS_RETRY, ERROR_RETRY)                                                                  \
    X(STATUS_HANDLE_NOT_CLOSABLE, ERROR_INVALID_HANDLE)                                           \
    X(STATUS_CONNECTION_REFUSED, ERROR_CONNECTION_REFUSED)                                        \
    X(STATUS_REQUEST_ABORTED, ERROR_REQUEST_ABORTED)                                              \
    X(STATUS_DRIVER_ORDINAL_NOT_FOUND, ERROR_INVALID_ORDINAL)                                     \
    X(STATUS_DRIVER_ENTRYPOINT_NOT_FOUND, ERROR_PROC_NOT_FOUND)                                   \
    X(STATUS_DRIVER_UNABLE_TO_LOAD, ERROR_BAD_DRIVER)                                             \
    X(STATUS_VOLUME_DISMOUNTED, ERROR_NOT_READY)                                                  \
    X(STATUS_NOT_A_REPARSE_POINT, ERROR_NOT_A_REPARSE_POINT)                                      \
    X(STATUS_IO_REPARSE_TAG_INVALID, ERROR_REPARSE_TAG_INVALID)                                   \
    X(STATUS_REPARSE_POINT_NOT_RESOLVED, ERROR_CANT_RESOLVE_FILENAME)                             \
    X(STATUS_DEVICE_REMOVED, ERROR_DEVICE_REMOVED)                                                \
    X(STATUS_NOINTERFACE, ERROR_NOINTERFACE)                                                      \
    X(STATUS_HEAP_CORRUPTION, ERROR_INTERNAL_ERROR)                                               \
    X(STATUS_DRIVER_FAILED_PRIOR_UNLOAD, ERROR_DRIVER_FAILED_PRIOR_UNLOAD)                        \
    X(STATUS_STACK_BUFFER_OVERRUN, ERROR_STACK_BUFFER_OVERRUN)                                    \
    X(STATUS_INVALID_CRUNTIME_PARAMETER, ERROR_INVALID_CRUNTIME_PARAMETER)                        \
    X(STATUS_ASSERTION_FAILURE, ERROR_ASSERTION_FAILURE)                                          \
    X(STATUS_ALREADY_REGISTERED, ERROR_INTERNAL_ERROR)

/* Binary search, or a jump table, as the compiler sees fit; a duplicate value fails to build. */
static ULONG RtlpLookupStatus(ULONG Status)
{
    switch (Status) {
#define RTLP_CASE(s, e)                                                                           \
    case (ULONG)(s):                                                                              \
        return (ULONG)(e);
#define RTLP_EXTRA_CASE(n, v, e)                                                                  \
    case (ULONG)(v):                                                                              \
        return (ULONG)(e);
        RTLP_STATUS_MAP(RTLP_CASE)
        RTLP_EXTRA_STATUS_LIST(RTLP_EXTRA_CASE)
#undef RTLP_CASE
#undef RTLP_EXTRA_CASE
    default:
        return ERROR_MR_MID_NOT_FOUND;
    }
}

NTSYSAPI ULONG NTAPI RtlNtStatusToDosErrorNoTeb(NTSTATUS Status)
{
    ULONG s = (ULONG)Status;

    if (s == 0 || (s & 0x20000000) != 0)
        return s; /* success, and customer-defined codes, pass through */
    if ((s & 0xF0000000) == 0xD0000000)
        s &= ~0x10000000u;
    switch (s >> 16) {
    case 0x8007: /* FACILITY_NTWIN32 warnings and errors carry a Win32 error */
    case 0xC007:
    case 0xC001:
        return s & 0xFFFF;
    }
    return RtlpLookupStatus(s);
}

/* ntk has no TEB LastStatusValue to record, so both forms are the same. */
NTSYSAPI ULONG NTAPI RtlNtStatusToDosError(NTSTATUS Status)
{
    return RtlNtStatusToDosErrorNoTeb(Status);
}
