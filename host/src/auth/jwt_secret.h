#pragma once
// The secret that signs bearer tokens when the config gives none.

#include <chathost/sdk/status.h>

#include <string>

namespace chathost::host {

inline constexpr std::size_t kMinJwtSecretBytes = 32;

/// Reads `<dataDir>/jwt.secret`, or creates it (48 random bytes, hex-encoded, mode 0600, missing
/// directories 0700). Refuses a file accessible by group/others or too weak
/// (checkJwtSecretStrength), naming the file. Trailing blanks and line breaks are not part of the
/// secret. Any thread; safe against concurrent creators.
sdk::Result<std::string> loadOrCreateJwtSecret(const std::string& dataDir);

/// Ok when `secret` has at least 32 bytes; otherwise kValidation telling the operator how to make
/// a good one. The message never contains the secret. Pure; any thread.
sdk::Status checkJwtSecretStrength(const std::string& secret);

}  // namespace chathost::host
