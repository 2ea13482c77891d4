#pragma once
// The contract's rule for subaccount and agent ids (SPEC section 4). Pure.

#include <string_view>

namespace chathost::host {

/// 1-64 characters of A-Z a-z 0-9 _ -.
inline bool isValidResourceId(std::string_view id) {
  if (id.empty() || id.size() > 64) return false;
  for (char c : id) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '_' || c == '-';
    if (!ok) return false;
  }
  return true;
}

}  // namespace chathost::host
