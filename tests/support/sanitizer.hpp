#pragma once
// Whether this build runs under AddressSanitizer, and whether it is
// optimised. A sanitised binary reserves terabytes of address space for its
// shadow memory, so it cannot start under `prlimit --as`; its leak checker
// starts a tracer process at exit, which a `prlimit --nproc` refuses; and a
// CPU-time bound means nothing in a debug build. Tests of those limits skip
// there with a message.

namespace test_support {

#if defined(__SANITIZE_ADDRESS__)
inline constexpr bool sanitized = true;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
inline constexpr bool sanitized = true;
#else
inline constexpr bool sanitized = false;
#endif
#else
inline constexpr bool sanitized = false;
#endif

#if defined(__OPTIMIZE__)
inline constexpr bool optimized = true;
#else
inline constexpr bool optimized = false;
#endif

}  // namespace test_support
