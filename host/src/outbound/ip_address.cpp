#include "outbound/ip_address.h"

#include "common/cidr.h"

#include <arpa/inet.h>
#include <netdb.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <algorithm>
#include <cctype>
#include <cstring>

namespace chathost::host {

IpAddress IpAddress::v4(std::uint8_t a, std::uint8_t b, std::uint8_t c, std::uint8_t d) {
  IpAddress out;
  out.family = Family::kV4;
  out.bytes[0] = a;
  out.bytes[1] = b;
  out.bytes[2] = c;
  out.bytes[3] = d;
  return out;
}

IpAddress IpAddress::v6(const std::array<std::uint8_t, 16>& bytes) {
  IpAddress out;
  out.family = Family::kV6;
  out.bytes = bytes;
  return out;
}

IpAddress IpAddress::embeddedV4(int offset) const {
  return v4(bytes[offset], bytes[offset + 1], bytes[offset + 2], bytes[offset + 3]);
}

std::string IpAddress::toString() const {
  char text[INET6_ADDRSTRLEN] = {};
  inet_ntop(isV4() ? AF_INET : AF_INET6, bytes.data(), text, sizeof text);
  return text;
}

namespace {

bool isDecimal(const std::string& s) {
  return !s.empty() && s.size() <= 3 &&
         std::all_of(s.begin(), s.end(), [](unsigned char c) { return std::isdigit(c); }) &&
         (s.size() == 1 || s[0] != '0');
}

std::optional<IpAddress> parseCanonicalV4(const std::string& text) {
  IpAddress out;
  std::size_t start = 0;
  for (int i = 0; i < 4; ++i) {
    std::size_t end = text.find('.', start);
    if ((i < 3) != (end != std::string::npos)) return std::nullopt;
    std::string part = text.substr(start, end == std::string::npos ? end : end - start);
    if (!isDecimal(part) || std::stoi(part) > 255) return std::nullopt;
    out.bytes[i] = static_cast<std::uint8_t>(std::stoi(part));
    start = end + 1;
  }
  return out;
}

std::optional<IpAddress> parseV6(const std::string& text) {
  std::array<std::uint8_t, 16> bytes{};
  if (inet_pton(AF_INET6, text.c_str(), bytes.data()) != 1) return std::nullopt;
  return IpAddress::v6(bytes);
}

}  // namespace

std::optional<IpAddress> parseCanonicalIp(const std::string& text) {
  if (text.find(':') != std::string::npos) return parseV6(text);
  return parseCanonicalV4(text);
}

std::optional<IpAddress> parseNumericHost(const std::string& host) {
  std::string text = host;
  if (text.size() >= 2 && text.front() == '[' && text.back() == ']') {
    text = text.substr(1, text.size() - 2);
  }
  if (text.find(':') != std::string::npos) {
    // A zone ("fe80::1%eth0") names an interface, not another address.
    return parseV6(text.substr(0, text.find('%')));
  }
  // getaddrinfo with AI_NUMERICHOST never looks a name up, and reads numeric IPv4 exactly as any
  // connect through the system resolver would (inet_aton's short, octal and hex forms included).
  addrinfo hints{};
  hints.ai_family = AF_INET;
  hints.ai_flags = AI_NUMERICHOST;
  addrinfo* found = nullptr;
  if (getaddrinfo(text.c_str(), nullptr, &hints, &found) != 0 || found == nullptr) {
    return std::nullopt;
  }
  IpAddress out;
  const auto* in = reinterpret_cast<const sockaddr_in*>(found->ai_addr);
  std::memcpy(out.bytes.data(), &in->sin_addr, 4);
  freeaddrinfo(found);
  return out;
}

bool IpNetwork::contains(const IpAddress& address) const {
  if (address.family != base.family) return false;
  int bits = prefixLength;
  for (std::size_t i = 0; bits > 0; ++i, bits -= 8) {
    std::uint8_t mask = bits >= 8 ? 0xff : static_cast<std::uint8_t>(0xff << (8 - bits));
    if ((address.bytes[i] & mask) != base.bytes[i]) return false;
  }
  return true;
}

std::string IpNetwork::toString() const {
  return base.toString() + "/" + std::to_string(prefixLength);
}

sdk::Result<IpNetwork> parseNetwork(const std::string& text) {
  std::string why;
  auto parsed = parseCidr(text, why);
  if (!parsed) {
    return sdk::Status::validation("\"" + text + "\" is not a network in CIDR notation: " + why);
  }
  IpNetwork network;
  network.base = parsed->ipv6 ? IpAddress::v6(parsed->address) : IpAddress{};
  network.prefixLength = parsed->prefixLength;
  int bits = network.prefixLength;
  for (std::size_t i = 0; i < 16; ++i, bits -= 8) {
    std::uint8_t mask =
        bits >= 8 ? 0xff : (bits <= 0 ? 0 : static_cast<std::uint8_t>(0xff << (8 - bits)));
    network.base.bytes[i] = parsed->address[i] & mask;
  }
  return network;
}

}  // namespace chathost::host
