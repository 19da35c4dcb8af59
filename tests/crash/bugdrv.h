/* The crash test driver's interface, shared with crashuser.c: one IOCTL whose input is the
 * number of the crash to commit. BUGDRV_CASES lists them; tests/crash/CMakeLists.txt has one
 * test per case, with the bug check it must end in. */
#ifndef NTK_CRASH_BUGDRV_H
#define NTK_CRASH_BUGDRV_H

#define BUGDRV_DEVICE_NAME L"\\Device\\NtkBugDrv"
#define BUGDRV_LINK_NAME L"\\??\\NtkBugDrv"
#define BUGDRV_WIN32_NAME L"\\\\.\\NtkBugDrv"
#define IOCTL_BUGDRV_CRASH CTL_CODE(FILE_DEVICE_UNKNOWN, 0x900, METHOD_BUFFERED, FILE_ANY_ACCESS)

#define BUGDRV_CASES(X)                                                                           \
    X(none)                                                                                       \
    X(access_violation)                                                                           \
    X(breakpoint)                                                                                 \
    X(assert)                                                                                     \
    X(raise)                                                                                      \
    X(thread_fault)                                                                               \
    X(irql_wait)                                                                                  \
    X(raise_lower)                                                                                \
    X(spin_twice)                                                                                 \
    X(spin_not_owned)                                                                             \
    X(mutex_not_owner)                                                                            \
    X(over_dereference)                                                                           \
    X(wait_too_many)                                                                              \
    X(bad_wait_type)                                                                              \
    X(bad_processor)                                                                              \
    X(pool_dispatch)                                                                              \
    X(free_twice)                                                                                 \
    X(free_wrong_tag)                                                                             \
    X(free_bad_address)                                                                           \
    X(fast_mutex_twice)                                                                           \
    X(fast_mutex_not_owner)                                                                       \
    X(leak)                                                                                       \
    X(complete_pending)                                                                           \
    X(complete_with_cancel)                                                                       \
    X(complete_twice)                                                                             \
    X(dispatch_irql)                                                                              \
    X(no_stack_location)                                                                          \
    X(free_not_irp)                                                                               \
    X(dpc_irql)                                                                                   \
    X(dpc_critical)                                                                               \
    X(work_irql)                                                                                  \
    X(work_twice)                                                                                 \
    X(work_terminate)                                                                             \
    X(work_critical)                                                                              \
    X(exit_holding_mutex)                                                                         \
    X(exit_in_critical)                                                                           \
    X(critical_region)                                                                            \
    X(thread_unload)                                                                              \
    X(timer_unload)                                                                               \
    X(dpc_watchdog)                                                                               \
    X(corrupt_list)                                                                               \
    X(dispatch_fault)                                                                             \
    X(system_address)                                                                             \
    X(deadlock)                                                                                   \
    X(callbacks)                                                                                  \
    X(callback_faults)                                                                            \
    X(special_overrun)                                                                            \
    X(special_underrun)                                                                           \
    X(special_after_free)                                                                         \
    X(special_slack)                                                                              \
    X(special_prefix)                                                                             \
    X(special_free_twice)                                                                         \
    X(special_system)                                                                             \
    X(special_leak)                                                                               \
    X(zero_size)                                                                                  \
    X(pool_slack)                                                                                 \
    X(pool_overrun)                                                                               \
    X(pool_bad_header)                                                                            \
    X(pending_unmarked)                                                                           \
    X(pending_queued)                                                                             \
    X(marked_not_pending)                                                                         \
    X(free_irp_pool)                                                                              \
    X(free_irp_in_use)                                                                            \
    X(delete_attached)                                                                            \
    X(detach_twice)                                                                               \
    X(delete_twice)                                                                               \
    X(write_readonly)

#define BUGDRV_ENUM(name) BUGDRV_##name,
enum { BUGDRV_CASES(BUGDRV_ENUM) BUGDRV_CASE_COUNT };
#undef BUGDRV_ENUM

#endif
