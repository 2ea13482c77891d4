#pragma once
// The one rule for media a platform fetches by URL (attachments of /send and of agents' replies).

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace chathost::host {

inline constexpr std::size_t kMaxMediaUrlBytes = 2048;

/// Why `url` cannot be handed to a platform to fetch, as words to put after the field's name
/// ("must be an absolute http:// or https:// URL", "must be at most 2048 bytes", "must not
/// contain spaces or control characters", "must name a host"); nullopt when it can. The scheme
/// is matched without regard to case (RFC 3986); userinfo before '@' names no host. Pure.
std::optional<std::string> mediaUrlProblem(std::string_view url);

}  // namespace chathost::host
