#include "common/cidr.h"

#include <arpa/inet.h>

namespace chathost::host {

std::optional<CidrNetwork> parseCidr(std::string_view text, std::string& error) {
  std::size_t slash = text.find('/');
  if (slash == std::string_view::npos) {
    error = "expected ADDRESS/PREFIX (e.g. 192.168.1.0/24 or fc00::/7; /32 for one IPv4 host)";
    return std::nullopt;
  }
  std::string address(text.substr(0, slash));
  std::string_view prefix = text.substr(slash + 1);
  CidrNetwork network;
  if (inet_pton(AF_INET, address.c_str(), network.address.data()) == 1) {
    network.ipv6 = false;
  } else if (inet_pton(AF_INET6, address.c_str(), network.address.data()) == 1) {
    network.ipv6 = true;
  } else {
    error = "'" + address + "' is not a numeric IPv4 or IPv6 address";
    return std::nullopt;
  }
  const int maxPrefix = network.ipv6 ? 128 : 32;
  bool digits = !prefix.empty() && prefix.size() <= 3;
  int length = 0;
  for (char c : prefix) {
    digits = digits && c >= '0' && c <= '9';
    if (digits) length = length * 10 + (c - '0');
  }
  if (!digits || length > maxPrefix) {
    error = "the prefix length after '/' must be a number from 0 to " + std::to_string(maxPrefix);
    return std::nullopt;
  }
  network.prefixLength = length;
  return network;
}

}  // namespace chathost::host
