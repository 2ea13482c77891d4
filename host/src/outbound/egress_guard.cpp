#include "outbound/egress_guard.h"

#include <netdb.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <cstring>
#include <memory>

namespace chathost::host {

sdk::Result<std::vector<IpAddress>> resolveWithSystem(const std::string& host) {
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* found = nullptr;
  int rc = getaddrinfo(host.c_str(), nullptr, &hints, &found);
  std::unique_ptr<addrinfo, decltype(&freeaddrinfo)> owner(found, &freeaddrinfo);
  if (rc != 0) {
    return sdk::Status(sdk::ErrorCode::kUnavailable,
                       "cannot resolve " + host + ": " + gai_strerror(rc));
  }
  std::vector<IpAddress> addresses;
  for (const addrinfo* at = found; at != nullptr; at = at->ai_next) {
    IpAddress address;
    if (at->ai_family == AF_INET) {
      std::memcpy(address.bytes.data(),
                  &reinterpret_cast<const sockaddr_in*>(at->ai_addr)->sin_addr, 4);
    } else if (at->ai_family == AF_INET6) {
      address.family = IpAddress::Family::kV6;
      std::memcpy(address.bytes.data(),
                  &reinterpret_cast<const sockaddr_in6*>(at->ai_addr)->sin6_addr, 16);
    } else {
      continue;
    }
    addresses.push_back(address);
  }
  if (addresses.empty()) {
    return sdk::Status(sdk::ErrorCode::kUnavailable, "cannot resolve " + host + ": no address");
  }
  return addresses;
}

sdk::Result<IpAddress> EgressGuard::addressFor(const std::string& host) const {
  auto addresses = resolve_(host);
  if (!addresses) return addresses.status();
  if (addresses->empty()) {
    return sdk::Status(sdk::ErrorCode::kUnavailable, "cannot resolve " + host + ": no address");
  }
  for (const auto& address : *addresses) {
    if (auto decision = policy_.check(address); !decision.allowed) {
      std::string where =
          address.toString() == host ? "" : ": it resolves to " + address.toString();
      return sdk::Status(sdk::ErrorCode::kForbidden,
                         "egress policy refuses host " + host + where + " (" + decision.reason +
                             "); the operator may allow its network in agents.allow_networks");
    }
  }
  // Like Poco's own resolution before this guard existed: IPv4 first, as many hosts have no
  // IPv6 route even when a name has AAAA records.
  for (const auto& address : *addresses) {
    if (address.isV4()) return address;
  }
  return addresses->front();
}

}  // namespace chathost::host
