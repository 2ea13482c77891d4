#include "secrets/key_material.h"

#include <optional>
#include <string_view>

#include "secrets/encoding.h"

namespace chathost::host {

sdk::Result<std::string> parseKeyFileContent(const std::string& content) {
  // Raw first: 32 random bytes may well end in a byte that looks like a line break.
  if (content.size() == kSecretKeyBytes) return content;
  std::string_view text(content);
  if (text.ends_with("\r\n")) {
    text.remove_suffix(2);
  } else if (text.ends_with('\n')) {
    text.remove_suffix(1);
  }
  if (text.size() == 2 * kSecretKeyBytes) {
    if (std::optional<std::string> key = decodeHex(text)) return *key;
    return sdk::Status::validation("key is 64 characters long but not hexadecimal");
  }
  return sdk::Status::validation("key must be 32 raw bytes or 64 hex characters, found " +
                                 std::to_string(content.size()) +
                                 " bytes; create one with: openssl rand -hex 32");
}

}  // namespace chathost::host
