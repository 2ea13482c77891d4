#pragma once
// A recorded ConfigSchema as a JSON Schema (draft 2020-12) for editors. Pure.

#include "config/config_schema.h"

#include <map>
#include <string>
#include <utility>

namespace chathost::host {

/// What the definitions do not say about a key: a one-line description, and for a string with
/// a custom rule (checked in code by --check-config) the regular expression of that rule.
struct KeyNote {
  KeyNote(std::string description, std::string pattern = {})
      : description(std::move(description)), pattern(std::move(pattern)) {}

  std::string description;
  std::string pattern;  // empty: none
};

/// Keyed by dotted path: "server.listen", "plugins[].name", "agents.env_allowlist[]".
using KeyNotes = std::map<std::string, KeyNote>;

/// The JSON Schema text (pretty-printed, ending in a newline). Every value may also be a
/// `${NAME}` / `${NAME:-default}` reference, every integer a quoted decimal and every boolean a
/// YAML 1.1 word, as --check-config accepts them; null keeps a key's default.
std::string configSchemaJson(const SchemaNode& root, const KeyNotes& notes);

}  // namespace chathost::host
