#pragma once
// The parsed, substituted YAML document as plain immutable values, with source positions.
// Internal to the config module: the only YAML the rest of the module sees.

#include <chathost/sdk/config_view.h>

#include <string>
#include <vector>

namespace chathost::host {

struct SourcePos {
  int line = 1;  // 1-based
  int column = 1;
};

struct ConfigEntry;

struct ConfigNode {
  sdk::ConfigNodeKind kind = sdk::ConfigNodeKind::kNull;
  SourcePos pos;
  std::string scalar;                // after substitution (kScalar only)
  std::string raw;                   // as written in the file (kScalar only)
  bool fromEnv = false;              // the value came from the environment: never echo it
  bool invalid = false;              // substitution failed (already reported)
  std::vector<ConfigEntry> entries;  // kMap: in file order, duplicates removed
  std::vector<ConfigNode> items;     // kSequence

  /// The entry for `key`, or nullptr.
  const ConfigEntry* find(const std::string& key) const;
};

struct ConfigEntry {
  std::string key;
  SourcePos keyPos;
  ConfigNode value;
};

/// Human name of a node kind ("a map", "a scalar", ...), for messages.
const char* describeKind(sdk::ConfigNodeKind kind);

}  // namespace chathost::host
