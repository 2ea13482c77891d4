#pragma once
// ABI version and build fingerprint of the chathost plugin SDK.
//
// Bump kAbiMajor for any incompatible change to a header in this directory (a test hashes the
// headers and fails when they change without a bump). Bump kAbiMinor for additions that older
// hosts cannot serve (a plugin built against a newer minor is refused by an older host).

#define CHATHOST_SDK_STR2(x) #x
#define CHATHOST_SDK_STR(x) CHATHOST_SDK_STR2(x)

namespace chathost::sdk {

/// Incompatible ABI generation. Compile-time constant; safe from any thread.
inline constexpr unsigned kAbiMajor = 4;
/// Compatible additions within kAbiMajor. Compile-time constant; safe from any thread.
inline constexpr unsigned kAbiMinor = 0;

}  // namespace chathost::sdk

/// Compiler family, major version and libstdc++ dual ABI: std::string and friends cross the
/// boundary, so host and plugin must agree on all three.
#if defined(__clang__)
#define CHATHOST_SDK_COMPILER "clang-" CHATHOST_SDK_STR(__clang_major__)
#elif defined(__GNUC__)
#define CHATHOST_SDK_COMPILER "gcc-" CHATHOST_SDK_STR(__GNUC__)
#else
#define CHATHOST_SDK_COMPILER "unknown"
#endif
#if defined(_GLIBCXX_USE_CXX11_ABI)
#define CHATHOST_SDK_STDLIB "libstdc++-cxx11abi" CHATHOST_SDK_STR(_GLIBCXX_USE_CXX11_ABI)
#else
#define CHATHOST_SDK_STDLIB "stdlib-unknown"
#endif
#define CHATHOST_SDK_FINGERPRINT \
  CHATHOST_SDK_COMPILER ";" CHATHOST_SDK_STDLIB ";cxx" CHATHOST_SDK_STR(__cplusplus)
