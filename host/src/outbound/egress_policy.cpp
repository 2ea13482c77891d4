#include "outbound/egress_policy.h"

#include <array>

namespace chathost::host {
namespace {

struct Range {
  const char* cidr;
  const char* reason;
};

// Order matters: the first match names the reason (metadata before link-local).
constexpr std::array kRefusedV4 = {
    Range{"0.0.0.0/8", "unspecified address (\"this network\")"},
    Range{"10.0.0.0/8", "private network (RFC 1918)"},
    Range{"100.64.0.0/10", "carrier-grade NAT (RFC 6598)"},
    Range{"127.0.0.0/8", "loopback"},
    Range{"169.254.169.254/32", "cloud metadata service"},
    Range{"169.254.0.0/16", "link-local"},
    Range{"172.16.0.0/12", "private network (RFC 1918)"},
    Range{"192.0.0.0/24", "IETF protocol assignments (RFC 6890)"},
    Range{"192.0.2.0/24", "documentation (TEST-NET-1)"},
    Range{"192.88.99.0/24", "6to4 relay anycast (deprecated)"},
    Range{"192.168.0.0/16", "private network (RFC 1918)"},
    Range{"198.18.0.0/15", "benchmarking (RFC 2544)"},
    Range{"198.51.100.0/24", "documentation (TEST-NET-2)"},
    Range{"203.0.113.0/24", "documentation (TEST-NET-3)"},
    Range{"224.0.0.0/4", "multicast"},
    Range{"240.0.0.0/4", "reserved or broadcast"},
};

constexpr std::array kRefusedV6 = {
    Range{"::/128", "unspecified address"},
    Range{"::1/128", "loopback"},
    Range{"::/96", "IPv4-compatible IPv6 (deprecated)"},
    Range{"100::/64", "discard-only (RFC 6666)"},
    Range{"64:ff9b:1::/48", "local-use NAT64 (RFC 8215)"},
    Range{"2001::/32", "Teredo tunnel"},
    Range{"2001:10::/28", "ORCHID (not routable)"},
    Range{"2001:20::/28", "ORCHIDv2 (not routable)"},
    Range{"2001:db8::/32", "documentation"},
    Range{"3fff::/20", "documentation"},
    Range{"fd00:ec2::254/128", "cloud metadata service"},
    Range{"fc00::/7", "unique local address (private)"},
    Range{"fe80::/10", "link-local"},
    Range{"fec0::/10", "site-local (deprecated)"},
    Range{"ff00::/8", "multicast"},
};

// IPv6 ranges whose addresses carry an IPv4 address (at the given byte offset): they are as
// dangerous as the address they carry.
struct Embedding {
  const char* cidr;
  int offset;
  const char* form;
};

constexpr std::array kEmbeddingV6 = {
    Embedding{"::ffff:0:0/96", 12, "IPv4-mapped"},
    Embedding{"::ffff:0:0:0/96", 12, "IPv4-translated"},
    Embedding{"64:ff9b::/96", 12, "NAT64"},
    Embedding{"2002::/16", 2, "6to4"},
};

IpNetwork network(const char* cidr) {
  return *parseNetwork(cidr);  // the tables above are well-formed (unit-tested)
}

template <std::size_t N>
std::optional<std::string> firstMatch(const std::array<Range, N>& ranges,
                                      const IpAddress& address) {
  for (const auto& range : ranges) {
    if (network(range.cidr).contains(address)) return range.reason;
  }
  return std::nullopt;
}

// The IPv4 address an IPv6 address carries, and the name of the form, if it carries one.
std::optional<std::pair<IpAddress, std::string>> carriedV4(const IpAddress& address) {
  for (const auto& embedding : kEmbeddingV6) {
    if (network(embedding.cidr).contains(address)) {
      return std::pair{address.embeddedV4(embedding.offset), std::string(embedding.form)};
    }
  }
  return std::nullopt;
}

}  // namespace

std::optional<std::string> refusedRangeOf(const IpAddress& address) {
  if (address.isV4()) return firstMatch(kRefusedV4, address);
  if (auto carried = carriedV4(address)) {
    if (auto reason = firstMatch(kRefusedV4, carried->first)) {
      return carried->second + " form of " + carried->first.toString() + ": " + *reason;
    }
    return std::nullopt;
  }
  return firstMatch(kRefusedV6, address);
}

sdk::Result<EgressPolicy> EgressPolicy::fromCidrs(const std::vector<std::string>& cidrs) {
  std::vector<IpNetwork> networks;
  for (std::size_t i = 0; i < cidrs.size(); ++i) {
    auto parsed = parseNetwork(cidrs[i]);
    if (!parsed) {
      return sdk::Status::validation("agents.allow_networks[" + std::to_string(i) +
                                     "]: " + parsed.status().message());
    }
    networks.push_back(*parsed);
  }
  return EgressPolicy(std::move(networks));
}

bool EgressPolicy::isAllowed(const IpAddress& address) const {
  std::optional<IpAddress> mapped;
  if (network("::ffff:0:0/96").contains(address)) mapped = address.embeddedV4(12);
  for (const auto& allowed : allowNetworks_) {
    if (allowed.contains(address) || (mapped && allowed.contains(*mapped))) return true;
  }
  return false;
}

EgressDecision EgressPolicy::check(const IpAddress& address) const {
  auto reason = refusedRangeOf(address);
  if (!reason || isAllowed(address)) return {};
  return {false, *reason};
}

}  // namespace chathost::host
