#pragma once
// Whether text can stand as the host[:port] part of a URL the host builds (public origins,
// sign-in redirect URIs): letters, digits, '.', '-', ':' and the brackets of IPv6 literals.

#include <string_view>

namespace chathost::host {

/// Non-empty and only host[:port] characters. Pure; any thread.
bool isHostAndPortText(std::string_view text);

}  // namespace chathost::host
