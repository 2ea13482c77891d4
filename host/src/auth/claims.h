#pragma once
// What a verified bearer token says about its holder.

#include <cstdint>
#include <string>
#include <vector>

namespace chathost::host {

/// The claims of a verified JWT. Value type; copy freely between threads.
struct Claims {
  std::string sub;                       // who holds the token ("" when the token names no one)
  std::vector<std::string> subaccounts;  // ids the holder may use; "*" grants every subaccount
  std::int64_t exp = 0;                  // expiry, seconds since the epoch
  std::int64_t nbf = 0;                  // not valid before, seconds since the epoch; 0 = no limit

  /// True when `id` is listed or "*" is. An empty id is never allowed. Pure; any thread.
  bool allowsSubaccount(const std::string& id) const;
};

}  // namespace chathost::host
