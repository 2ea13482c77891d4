#pragma once
// Resolves the host of an agent call once and checks every address it resolves to against the
// egress policy, so the connection goes to an address that was checked: a name cannot resolve
// to a public address for the check and to a private one for the connect (DNS rebinding).

#include "outbound/egress_policy.h"
#include "outbound/ip_address.h"

#include <chathost/sdk/status.h>

#include <functional>
#include <string>
#include <vector>

namespace chathost::host {

/// Every address `host` resolves to (IPv4 and IPv6), in the order to try them; kUnavailable
/// when it resolves to nothing.
using HostResolver = std::function<sdk::Result<std::vector<IpAddress>>(const std::string& host)>;

/// getaddrinfo: the system's resolver (hosts file, DNS), numeric forms read as the OS reads them.
sdk::Result<std::vector<IpAddress>> resolveWithSystem(const std::string& host);

/// Thread-safe (immutable after construction).
class EgressGuard {
 public:
  explicit EgressGuard(EgressPolicy policy, HostResolver resolve = resolveWithSystem)
      : policy_(std::move(policy)), resolve_(std::move(resolve)) {}

  /// The address to connect to for `host` (its first IPv4 address, else its first address).
  /// kForbidden naming the host, the address and the
  /// refused range when ANY address it resolves to is refused (a name with one private address
  /// among public ones is refused as a whole); the resolver's error when it does not resolve.
  sdk::Result<IpAddress> addressFor(const std::string& host) const;

  const EgressPolicy& policy() const { return policy_; }

 private:
  EgressPolicy policy_;
  HostResolver resolve_;
};

}  // namespace chathost::host
