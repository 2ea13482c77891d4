#pragma once
// Clock and id generation shared by the stores.

#include <cstdint>
#include <string>

namespace chathost::host {

/// Wall-clock time in ms since the epoch.
std::int64_t nowMs();
/// A random 128-bit id as 32 lowercase hex characters.
std::string newRandomId();

}  // namespace chathost::host
