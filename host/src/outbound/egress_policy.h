#pragma once
// Which addresses agent calls may connect to: every address that is not globally routable (the
// host's own loopback, its private networks, link-local and cloud metadata services, ...) is
// refused unless the operator allows its network (`agents.allow_networks`). Pure.

#include "outbound/ip_address.h"

#include <chathost/sdk/status.h>

#include <optional>
#include <string>
#include <vector>

namespace chathost::host {

/// Why `address` must not be reached from an agent call ("loopback", "private network
/// (RFC 1918)", ...), or nullopt when it is globally routable. IPv6 forms that carry an IPv4
/// address (mapped, translated, NAT64, 6to4) are judged by the IPv4 address they carry.
std::optional<std::string> refusedRangeOf(const IpAddress& address);

/// Allowed or not, and why not. Value type.
struct EgressDecision {
  bool allowed = true;
  std::string reason;  // empty when allowed
};

/// Thread-safe (immutable after construction).
class EgressPolicy {
 public:
  /// Refuses every range refusedRangeOf() names.
  EgressPolicy() = default;
  explicit EgressPolicy(std::vector<IpNetwork> allowNetworks)
      : allowNetworks_(std::move(allowNetworks)) {}

  /// Parses `agents.allow_networks` entries; the first malformed one is a kValidation error
  /// naming it and its position.
  static sdk::Result<EgressPolicy> fromCidrs(const std::vector<std::string>& cidrs);

  /// Allowed when the address is globally routable or inside an allowed network (an IPv4-mapped
  /// IPv6 address also matches the IPv4 networks).
  EgressDecision check(const IpAddress& address) const;

  const std::vector<IpNetwork>& allowNetworks() const { return allowNetworks_; }

 private:
  bool isAllowed(const IpAddress& address) const;

  std::vector<IpNetwork> allowNetworks_;
};

}  // namespace chathost::host
