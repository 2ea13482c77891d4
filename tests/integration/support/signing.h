#pragma once

#include <string>

namespace chathost::testing {

/// "sha256=<hex HMAC-SHA256 of body keyed by secret>", as Meta signs webhook deliveries.
std::string hubSignature(const std::string& secret, const std::string& body);

}  // namespace chathost::testing
