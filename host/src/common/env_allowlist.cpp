#include "common/env_allowlist.h"

#include "common/env_substitution.h"

namespace chathost::host {
bool isEnvAllowlistEntry(std::string_view entry) {
  std::string_view name = entry;
  if (!name.empty() && name.back() == '*') {
    name.remove_suffix(1);
    if (name.empty()) return true;
  }
  return isValidEnvName(name);
}

bool isEnvNameAllowed(const std::vector<std::string>& allowlist, std::string_view name) {
  for (const std::string& entry : allowlist) {
    if (!isEnvAllowlistEntry(entry)) continue;
    if (entry.back() == '*') {
      std::string_view prefix(entry.data(), entry.size() - 1);
      if (name.substr(0, prefix.size()) == prefix) return true;
    } else if (name == entry) {
      return true;
    }
  }
  return false;
}

}  // namespace chathost::host
