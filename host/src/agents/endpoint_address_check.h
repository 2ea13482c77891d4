#pragma once
// Create/update-time half of the egress policy: an agent whose endpoint URL holds a literal
// address the policy refuses (`http://127.0.0.1`, `http://2130706433`, `http://[::1]`, ...) is
// refused at once. Host names are not resolved here; the call-time guard checks what they
// resolve to (outbound/egress_guard.h).

#include "outbound/egress_policy.h"

#include <chathost/sdk/status.h>

#include <string>

namespace chathost::host {

/// kValidation naming `config.base_url` (openai) or `config.url` (http) when that URL's host, read
/// as the outbound client reads it (userinfo dropped, brackets removed) and as the system reads a
/// numeric host (`0x7f000001`, `0177.0.0.1`, `127.1`, ...), is an address `policy` refuses; also
/// when the client could not parse the URL. Ok for other types and for host names. Pure.
sdk::Status checkEndpointAddress(const std::string& type, const std::string& configJson,
                                 const EgressPolicy& policy);

}  // namespace chathost::host
