#include "common/env_allowlist.h"

namespace chathost::host {
namespace {

bool isNameStart(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_';
}

bool isNameChar(char c) {
  return isNameStart(c) || (c >= '0' && c <= '9');
}

}  // namespace

bool isEnvAllowlistEntry(std::string_view entry) {
  std::string_view name = entry;
  if (!name.empty() && name.back() == '*') {
    name.remove_suffix(1);
    if (name.empty()) return true;
  }
  if (name.empty() || !isNameStart(name.front())) return false;
  for (char c : name)
    if (!isNameChar(c)) return false;
  return true;
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
