#pragma once
// What the host's config accepts, as a tree. It is recorded by running the config definitions
// (host_config_builder) with a SchemaReader in describe mode, so the JSON Schema shipped for
// editors and `chathost --check-config` come from the same calls.

#include <cstdint>
#include <string>
#include <vector>

namespace chathost::host {

enum class SchemaKind {
  kUnknown,  // a key a map accepts that no definition reads: a gap the tests refuse
  kMap,      // keys outside `properties` are refused
  kOpenMap,  // any keys: checked by someone else (a plugin's own `config:`)
  kList,
  kText,  // any single value
  kInteger,
  kBoolean,
  kChoice,
};

struct SchemaProperty;

/// One node of the config. Value type.
struct SchemaNode {
  SchemaKind kind = SchemaKind::kUnknown;
  bool nullable = true;      // null (`key:` with nothing after it) keeps the default
  bool required = false;     // the key must be present in its map
  bool allowEmpty = true;    // kText, and kList items of kind kText
  std::int64_t minimum = 0;  // kInteger
  std::int64_t maximum = 0;
  std::vector<std::string> choices;        // kChoice
  std::string defaultJson;                 // the default as JSON text; empty: none
  std::vector<SchemaProperty> properties;  // kMap: in the order the definitions list them
  std::vector<SchemaNode> items;           // kList: exactly one, the schema of every item

  /// The node at a dotted path ("storage.sqlite.path", "plugins[].name"); nullptr if none.
  const SchemaNode* find(const std::string& path) const;
};

struct SchemaProperty {
  std::string name;
  SchemaNode schema;
};

/// The recorded schema and anything wrong with the definitions that produced it.
struct ConfigSchema {
  SchemaNode root;
  /// A key read but not accepted by its map, a read from a map no definition checks, or a key
  /// accepted but never read. Empty for consistent definitions.
  std::vector<std::string> problems;
};

/// Builds a ConfigSchema from the calls a SchemaReader in describe mode reports. Paths are
/// dotted; a list's items are "<list>[]" (e.g. "plugins[].name"); "" is the root.
class SchemaRecorder {
 public:
  /// A map at `path` accepting exactly `keys`; `nullable`: null means "all defaults".
  void map(const std::string& path, const std::vector<std::string>& keys, bool nullable);
  /// A map at `path` that accepts any keys.
  void openMap(const std::string& path);
  /// A list at `path` whose items are described at "<path>[]".
  void list(const std::string& path);
  /// A value at `path` (a map's key): its kind, limits and default.
  void value(const std::string& path, SchemaNode node);

  /// The schema so far, plus accepted keys no definition read.
  ConfigSchema result() const;

 private:
  SchemaNode* resolve(const std::string& path);

  SchemaNode root_;
  std::vector<std::string> problems_;
};

}  // namespace chathost::host
