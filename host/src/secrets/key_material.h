#pragma once
// Parsing of the secrets key file's content.

#include <chathost/sdk/status.h>

#include <cstddef>
#include <string>

namespace chathost::host {

inline constexpr std::size_t kSecretKeyBytes = 32;

/// The 32-byte key held by a key file: exactly 32 raw bytes, or 64 hex characters optionally
/// followed by a line break. Anything else is kValidation (the message never contains key
/// material). Pure; any thread.
sdk::Result<std::string> parseKeyFileContent(const std::string& content);

}  // namespace chathost::host
