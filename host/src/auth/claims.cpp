#include "auth/claims.h"

#include <algorithm>

namespace chathost::host {

bool Claims::allowsSubaccount(const std::string& id) const {
  if (id.empty()) return false;
  return std::any_of(subaccounts.begin(), subaccounts.end(),
                     [&](const std::string& granted) { return granted == "*" || granted == id; });
}

}  // namespace chathost::host
