#pragma once
// Typed reads of ConfigNode maps that collect one ConfigError per problem (unknown keys with a
// suggestion, wrong kinds, out-of-range numbers, values outside a fixed set). Given a
// SchemaRecorder it describes instead of reading: each call reports what it accepts.

#include "config/config_error.h"
#include "config/config_tree.h"

#include <cstdint>
#include <functional>
#include <limits>
#include <string>
#include <utility>
#include <vector>

namespace chathost::host {

class SchemaRecorder;

class SchemaReader {
 public:
  /// With a `recorder`, the reader describes: checkMap() and readList() report their node and
  /// visit it as if present (so nested sections are described too), the reads report their key
  /// and return false without touching their output (which holds the default they report).
  SchemaReader(std::string fileName, std::vector<ConfigError>& errors,
               SchemaRecorder* recorder = nullptr)
      : fileName_(std::move(fileName)), errors_(errors), recorder_(recorder) {}

  enum class Presence { kOptional, kRequired };

  /// True when `node` is a map whose keys are all in `allowed` (each unknown key is reported);
  /// false (and reported) when it is not a map; false when it is null, silently unless the map
  /// is kRequired.
  bool checkMap(const ConfigNode& node, const std::string& path,
                const std::vector<std::string>& allowed, Presence presence = Presence::kOptional);

  /// Calls `readItem(item, "path[i]")` for each item of the list `node` (null: none); anything
  /// else is reported. Describing, it is called once, with an absent item and "path[]".
  void readList(const ConfigNode& node, const std::string& path,
                const std::function<void(const ConfigNode&, const std::string&)>& readItem);

  /// The map at map[key], whatever keys it has (someone else checks them): nullptr when absent,
  /// null or not a map (reported).
  const ConfigNode* readOpenMap(const ConfigNode& map, const std::string& path,
                                const std::string& key);

  /// The usable value of `key`: nullptr when absent, null, or already reported as invalid.
  const ConfigNode* value(const ConfigNode& map, const std::string& key) const;

  /// The scalar at map[key] into `out`; a non-scalar or (when !allowEmpty) empty one is reported.
  bool readString(const ConfigNode& map, const std::string& path, const std::string& key,
                  std::string& out, bool allowEmpty = true);
  /// A non-empty scalar that must be there: absent or null is reported as "KEY is required".
  bool readRequiredString(const ConfigNode& map, const std::string& path, const std::string& key,
                          std::string& out);
  bool readInteger(const ConfigNode& map, const std::string& path, const std::string& key,
                   std::int64_t min, std::int64_t max, std::int64_t& out);
  bool readInt(const ConfigNode& map, const std::string& path, const std::string& key, int min,
               int max, int& out);
  bool readBool(const ConfigNode& map, const std::string& path, const std::string& key, bool& out);
  bool readChoice(const ConfigNode& map, const std::string& path, const std::string& key,
                  const std::vector<std::string>& choices, std::string& out);
  /// A list of non-empty scalars at map[key] (`[]` gives an empty list); each bad item is
  /// reported. `out` is left alone unless the whole list is usable.
  bool readStringList(const ConfigNode& map, const std::string& path, const std::string& key,
                      std::vector<std::string>& out);

  /// Reports `message` at the node's position, prefixed by `path`.
  void report(const SourcePos& pos, const std::string& path, const std::string& message);

  /// How a bad scalar is shown in a message: quoted and shortened; a value that came from the
  /// environment is shown as written in the file, never expanded.
  static std::string describeValue(const ConfigNode& node);

  const std::string& fileName() const { return fileName_; }

 private:
  const ConfigNode* scalarValue(const ConfigNode& map, const std::string& path,
                                const std::string& key);

  std::string fileName_;
  std::vector<ConfigError>& errors_;
  SchemaRecorder* recorder_;  // non-null: describing
};

/// "server.listen" from ("server", "listen"); "listen" from ("", "listen").
std::string joinPath(const std::string& parent, const std::string& key);

}  // namespace chathost::host
