#pragma once
// Whether this test binary is built with AddressSanitizer (the HS_SANITIZE build, tools/asan_suite.sh), so
// timing bounds can allow for its slowdown; one place for the compiler-specific test.
namespace hs::test {

#if defined(__SANITIZE_ADDRESS__)
inline constexpr bool kAddressSanitizer = true;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
inline constexpr bool kAddressSanitizer = true;
#else
inline constexpr bool kAddressSanitizer = false;
#endif
#else
inline constexpr bool kAddressSanitizer = false;
#endif

} // namespace hs::test
