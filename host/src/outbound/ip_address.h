#pragma once
// Binary IPv4/IPv6 addresses and CIDR networks, independent of any socket library, so the egress
// rules can be plain functions with unit tests.

#include <chathost/sdk/status.h>

#include <array>
#include <cstdint>
#include <optional>
#include <string>

namespace chathost::host {

/// An IPv4 or IPv6 address in network byte order. Value type.
struct IpAddress {
  enum class Family { kV4, kV6 };

  Family family = Family::kV4;
  std::array<std::uint8_t, 16> bytes{};  // IPv4 uses the first 4

  static IpAddress v4(std::uint8_t a, std::uint8_t b, std::uint8_t c, std::uint8_t d);
  static IpAddress v6(const std::array<std::uint8_t, 16>& bytes);

  bool isV4() const { return family == Family::kV4; }
  int bitCount() const { return isV4() ? 32 : 128; }
  /// The IPv4 address held in bytes [offset, offset + 4) of an IPv6 address.
  IpAddress embeddedV4(int offset) const;
  /// Canonical text: dotted quad, or RFC 5952 IPv6 (inet_ntop) without brackets.
  std::string toString() const;

  friend bool operator==(const IpAddress&, const IpAddress&) = default;
};

/// Parses an address literal in its canonical textual form only: a dotted quad of four decimal
/// numbers without leading zeros, or an IPv6 address (inet_pton; no brackets, no zone). Pure.
std::optional<IpAddress> parseCanonicalIp(const std::string& text);

/// Reads a URL host the way the operating system's resolver reads a numeric host, without any
/// name lookup: besides canonical forms this accepts the classic inet_aton spellings
/// (`2130706433`, `0x7f000001`, `0177.0.0.1`, `127.1`) and bracketed or zoned IPv6. nullopt when
/// the host is a name (which only a DNS lookup could turn into an address).
std::optional<IpAddress> parseNumericHost(const std::string& host);

/// An address block. Value type.
struct IpNetwork {
  IpAddress base;  // host bits are zero
  int prefixLength = 0;

  bool contains(const IpAddress& address) const;
  /// "base/prefix".
  std::string toString() const;
};

/// Parses "ADDRESS/PREFIX" (IPv4 or IPv6; the prefix at most 32 or 128) as the config loader
/// reads `agents.allow_networks` (common/cidr.h): host bits past the prefix are ignored
/// (`192.168.1.7/24` is 192.168.1.0/24). kValidation quoting the text and saying what is wrong.
sdk::Result<IpNetwork> parseNetwork(const std::string& text);

}  // namespace chathost::host
