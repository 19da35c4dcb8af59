/* Rtl's interfaces inside ntk: the formatter, UTF conversion, status and bugcheck names, and the
 * pool calls the string routines make. Not part of the driver-facing API. */
#ifndef NTK_RTLP_H
#define NTK_RTLP_H

#include <ntk/rtl.h>
#include <stdarg.h>
#include <stddef.h>

NTK_EXTERN_C_START

/* The executive pool (src/ex). Declared here with the WDK's exact types so that Rtl does not
 * depend on the driver headers. */
NTKERNELAPI PVOID ExAllocatePool2(ULONG64 Flags, SIZE_T NumberOfBytes, ULONG Tag);
NTKERNELAPI VOID ExFreePoolWithTag(PVOID P, ULONG Tag);
NTKERNELAPI VOID ExFreePool(PVOID P);
#define RTLP_POOL_FLAG_PAGED 0x100ULL /* POOL_FLAG_PAGED */

/* Tag of every buffer the Rtl string routines allocate ('GrtS', "StrG" in poolmon). Another
 * component that hands a driver a string to release with RtlFreeUnicodeString/RtlFreeAnsiString
 * must allocate it with RtlpAllocateStringMemory. */
#define RTLP_STRING_TAG ((ULONG)(('G' << 24) | ('r' << 16) | ('t' << 8) | 'S'))
PVOID RtlpAllocateStringMemory(SIZE_T NumberOfBytes);
VOID RtlpFreeStringMemory(PVOID Buffer);

/* Windows printf semantics (DbgPrint, RtlStringCbPrintfA, RtlStringCchPrintfW): flags "-+0 #",
 * width and precision with '*', sizes h hh l ll L I I32 I64 w z j t (l is 32-bit: LLP64),
 * conversions d i u o x X c C s S Z p n e E f F g G a A %. Narrow output is UTF-8 (wide
 * arguments are converted); wide output is UTF-16 (narrow arguments are read as UTF-8).
 * %p prints 16 uppercase hex digits; NULL strings print "(null)"; %n writes nothing.
 * Returns the number of chars the whole output needs (excluding the terminator), like
 * vsnprintf, or -1 if that does not fit an int; writes at most Capacity-1 chars, never a partial
 * UTF-8 sequence or surrogate pair, and always NUL-terminates when Capacity > 0. */
NTK_EXPORT int RtlpVFormatA(char *Buffer, size_t Capacity, const char *Format, va_list Args);
NTK_EXPORT int RtlpVFormatW(WCHAR *Buffer, size_t Capacity, const WCHAR *Format, va_list Args);
NTK_EXPORT int RtlpFormatA(char *Buffer, size_t Capacity, const char *Format, ...);
NTK_EXPORT int RtlpFormatW(WCHAR *Buffer, size_t Capacity, const WCHAR *Format, ...);

/* The engine itself: Buffer and Format are WCHAR if Wide, else char. Writes at most Limit
 * units, then a NUL if Terminate (Buffer must have Limit + 1 units then). Returns the units the
 * whole output needs; *Written (optional) gets the units written before the NUL. */
size_t RtlpVFormatInternal(PVOID Buffer, size_t Limit, BOOLEAN Terminate, BOOLEAN Wide,
                           const void *Format, va_list Args, size_t *Written);

/* UTF-16 <-> UTF-8, as WideCharToMultiByte/MultiByteToWideChar do it: InChars/InBytes units are
 * converted (a NUL is an ordinary char; nothing is NUL-terminated); unpaired surrogates and
 * invalid UTF-8 become U+FFFD. With OutCap == 0 they return the number of units the whole
 * conversion needs; otherwise they write whole sequences while they fit and return the number
 * of units written. */
NTK_EXPORT size_t RtlpUtf16ToUtf8(char *Out, size_t OutCap, const WCHAR *In, size_t InChars);
NTK_EXPORT size_t RtlpUtf8ToUtf16(WCHAR *Out, size_t OutCap, const char *In, size_t InBytes);

/* The same with the whole story: units written, units the whole conversion needs, and whether
 * anything was replaced by U+FFFD. Out may be NULL when OutCap is 0. */
typedef struct _RTLP_CONVERSION {
    size_t Written;
    size_t Needed;
    BOOLEAN Replaced;
} RTLP_CONVERSION, *PRTLP_CONVERSION;
VOID RtlpUtf16ToUtf8Ex(char *Out, size_t OutCap, const WCHAR *In, size_t InChars,
                       PRTLP_CONVERSION Result);
VOID RtlpUtf8ToUtf16Ex(WCHAR *Out, size_t OutCap, const char *In, size_t InBytes,
                       PRTLP_CONVERSION Result);
/* One code point at In[*Index] (advancing *Index; invalid input gives U+FFFD and sets
 * *Replaced), and one code point encoded (returns the units written: 1-4 bytes, 1-2 WCHARs). */
ULONG RtlpDecodeUtf16(const WCHAR *In, size_t Count, size_t *Index, BOOLEAN *Replaced);
ULONG RtlpDecodeUtf8(const char *In, size_t Count, size_t *Index, BOOLEAN *Replaced);
size_t RtlpEncodeUtf8(ULONG CodePoint, char *Out);
size_t RtlpEncodeUtf16(ULONG CodePoint, WCHAR *Out);
/* Length in chars of a NUL-terminated wide string (glibc's wcslen assumes 32-bit wchar_t). */
size_t RtlpWideLength(PCWSTR String);
size_t RtlpWideLengthBounded(PCWSTR String, size_t Max);

/* "STATUS_ACCESS_VIOLATION" for every code in <ntk/ntstatus.h>, NULL if unknown. */
NTK_EXPORT PCSTR RtlpNtStatusName(NTSTATUS Status);
/* "DRIVER_VERIFIER_DETECTED_VIOLATION" for every code in <ntk/bugcodes.h>, NULL if unknown. */
NTK_EXPORT PCSTR RtlpBugCheckName(ULONG Code);
/* A pool tag as poolmon shows it, in Text[5]: its first character is the constant's low byte;
 * a character that cannot be printed is '.'. */
NTK_EXPORT VOID RtlpFormatPoolTag(ULONG Tag, PCHAR Text);

/* NTSTATUS codes Rtl maps and names that <ntk/ntstatus.h> does not define: name, value and the
 * Win32 error Windows maps it to. */
#define RTLP_EXTRA_STATUS_LIST(X)                                                                 \
    X(STATUS_PARTIAL_COPY, 0x8000000D, ERROR_PARTIAL_COPY)                                        \
    X(STATUS_DEVICE_PAPER_EMPTY, 0x8000000E, ERROR_OUT_OF_PAPER)                                  \
    X(STATUS_DEVICE_POWERED_OFF, 0x8000000F, ERROR_NOT_READY)                                     \
    X(STATUS_DEVICE_OFF_LINE, 0x80000010, ERROR_NOT_READY)                                        \
    X(STATUS_VERIFY_REQUIRED, 0x80000016, ERROR_MEDIA_CHANGED)                                    \
    X(STATUS_MEDIA_CHANGED, 0x8000001C, ERROR_MEDIA_CHANGED)                                      \
    X(STATUS_UNRECOGNIZED_MEDIA, 0xC0000014, ERROR_UNRECOGNIZED_MEDIA)                            \
    X(STATUS_FILE_LOCK_CONFLICT, 0xC0000054, ERROR_LOCK_VIOLATION)                                \
    X(STATUS_LOCK_NOT_GRANTED, 0xC0000055, ERROR_LOCK_VIOLATION)                                  \
    X(STATUS_DEVICE_POWER_FAILURE, 0xC000009E, ERROR_NOT_READY)                                   \
    X(STATUS_MAPPED_FILE_SIZE_ZERO, 0xC000011E, ERROR_FILE_INVALID)                               \
    X(STATUS_INVALID_LEVEL, 0xC0000148, ERROR_INVALID_LEVEL)                                      \
    X(STATUS_NO_MEDIA, 0xC0000178, ERROR_NO_MEDIA_IN_DRIVE)                                       \
    X(STATUS_DEVICE_PROTOCOL_ERROR, 0xC0000186, ERROR_IO_DEVICE)                                  \
    X(STATUS_CONNECTION_DISCONNECTED, 0xC000020C, ERROR_NETNAME_DELETED)                          \
    X(STATUS_CONNECTION_RESET, 0xC000020D, ERROR_NETNAME_DELETED)                                 \
    X(STATUS_NETWORK_UNREACHABLE, 0xC000023C, ERROR_NETWORK_UNREACHABLE)                          \
    X(STATUS_HOST_UNREACHABLE, 0xC000023D, ERROR_HOST_UNREACHABLE)                                \
    X(STATUS_CONNECTION_ABORTED, 0xC0000241, ERROR_CONNECTION_ABORTED)                            \
    X(STATUS_LPC_REPLY_LOST, 0xC0000253, ERROR_CONNECTION_ABORTED)                                \
    X(STATUS_RESOURCE_NOT_OWNED, 0xC0000264, ERROR_NOT_OWNER)                                     \
    X(STATUS_TOO_MANY_LINKS, 0xC0000265, ERROR_TOO_MANY_LINKS)                                    \
    X(STATUS_NO_MATCH, 0xC0000272, ERROR_NO_MATCH)                                                \
    X(STATUS_POWER_STATE_INVALID, 0xC00002D3, ERROR_NOT_READY)                                    \
    X(STATUS_FAILED_DRIVER_ENTRY, 0xC0000365, ERROR_FAILED_DRIVER_ENTRY)                          \
    X(STATUS_INVALID_DEVICE_OBJECT_PARAMETER, 0xC0000369, ERROR_INVALID_DEVICE_OBJECT_PARAMETER)  \
    X(STATUS_DEVICE_FEATURE_NOT_SUPPORTED, 0xC0000463, ERROR_DEVICE_FEATURE_NOT_SUPPORTED)        \
    X(STATUS_DEVICE_UNREACHABLE, 0xC0000464, ERROR_DEVICE_UNREACHABLE)                            \
    X(STATUS_DEVICE_HARDWARE_ERROR, 0xC0000483, ERROR_DEVICE_HARDWARE_ERROR)

NTK_EXTERN_C_END

#endif
