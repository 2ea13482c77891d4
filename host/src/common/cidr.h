#pragma once
// CIDR network notation ("10.0.0.0/8", "fc00::/7"), as `agents.allow_networks` lists it.
// Pure logic.

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace chathost::host {

struct CidrNetwork {
  bool ipv6 = false;
  std::array<std::uint8_t, 16> address{};  // network byte order; the first 4 bytes for IPv4
  int prefixLength = 0;                    // 0-32 (IPv4) or 0-128 (IPv6)
};

/// ADDRESS/PREFIX with a numeric IPv4 or IPv6 address; a missing prefix is an error (a single
/// host is written /32 or /128). Host bits may be set ("192.168.1.7/24" is the /24 network).
/// On failure `error` says why.
std::optional<CidrNetwork> parseCidr(std::string_view text, std::string& error);

}  // namespace chathost::host
