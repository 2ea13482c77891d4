#pragma once
// Splits a JSON object's text into its top-level members without a JSON library, keeping each
// value's text byte for byte (used to merge a Status's metaJson into the error envelope). Pure.

#include <optional>
#include <string_view>
#include <utility>
#include <vector>

namespace chathost::host {

struct JsonMember {
  std::string_view key;    // the key as written, without its quotes (escapes not decoded)
  std::string_view value;  // the value's exact text
};

/// The members of `text` when it is one well-formed JSON object (nesting up to 64 levels);
/// nullopt otherwise.
std::optional<std::vector<JsonMember>> splitJsonObject(std::string_view text);

}  // namespace chathost::host
