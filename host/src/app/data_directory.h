#pragma once

#include <chathost/sdk/status.h>

#include <string>

namespace chathost::host {

/// Creates `path` (and parents) with mode 0700 when missing; an error names the path and cause.
sdk::Status ensureDataDirectory(const std::string& path);

}  // namespace chathost::host
