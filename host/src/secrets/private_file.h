#pragma once
// Small files that hold secrets: owner-only permissions, created atomically.

#include <chathost/sdk/status.h>

#include <optional>
#include <string>

namespace chathost::host {

/// Reads a secret file. Returns nullopt when it does not exist; an error (kValidation, naming the
/// path and the fix) when it is not a regular file, is accessible by group or others, or is larger
/// than 64 KiB. `what` names the file in messages (e.g. "secrets key file"). Any thread.
sdk::Result<std::optional<std::string>> readPrivateFile(const std::string& path,
                                                        const std::string& what);

/// Creates `path` with mode 0600 holding `content`, creating missing parent directories with mode
/// 0700. The file appears atomically, complete or not at all. Fails with kConflict when `path`
/// already exists (another process won the race: read it instead). Any thread.
sdk::Status createPrivateFile(const std::string& path, const std::string& content,
                              const std::string& what);

}  // namespace chathost::host
