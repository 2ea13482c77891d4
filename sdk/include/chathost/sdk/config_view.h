#pragma once
// Read-only view of one plugin's `config:` section of the host's YAML file.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace chathost::sdk {

/// One problem found while validating a plugin's config. `path` is dotted from the plugin's
/// `config` node ("graph_api_version", "limits.per_second"); the host turns it into
/// FILE:LINE:COLUMN. Value type.
struct ConfigIssue {
  std::string path;
  std::string message;
};

/// Kinds of YAML node a path can name.
enum class ConfigNodeKind { kMissing, kNull, kScalar, kSequence, kMap };

/// The plugin's config subtree, with `${VAR}` already substituted. Paths are dotted; sequence
/// items are addressed by index ("items.0.name"). Owned by the host; valid until stop() returns;
/// immutable, so safe from any thread.
class ConfigView {
 public:
  virtual ~ConfigView() = default;
  virtual ConfigNodeKind kind(const std::string& path) const = 0;
  /// The scalar at `path`, as written (after substitution); nullopt when not a scalar.
  virtual std::optional<std::string> scalar(const std::string& path) const = 0;
  /// Keys of the map at `path` ("" = the root), in file order; empty when not a map.
  virtual std::vector<std::string> keys(const std::string& path) const = 0;
  /// Number of items of the sequence at `path`; 0 when not a sequence.
  virtual std::size_t size(const std::string& path) const = 0;

  /// Convenience readers: the scalar converted, or `fallback` when absent. A present value that
  /// does not convert yields nullopt, so validateConfig() can report it.
  std::optional<std::string> getString(const std::string& path, const std::string& fallback) const {
    if (kind(path) == ConfigNodeKind::kMissing || kind(path) == ConfigNodeKind::kNull)
      return fallback;
    return scalar(path);
  }
  std::optional<bool> getBool(const std::string& path, bool fallback) const {
    auto k = kind(path);
    if (k == ConfigNodeKind::kMissing || k == ConfigNodeKind::kNull) return fallback;
    auto s = scalar(path);
    if (!s) return std::nullopt;
    if (*s == "true" || *s == "yes" || *s == "on") return true;
    if (*s == "false" || *s == "no" || *s == "off") return false;
    return std::nullopt;
  }
  std::optional<std::int64_t> getInt(const std::string& path, std::int64_t fallback) const {
    auto k = kind(path);
    if (k == ConfigNodeKind::kMissing || k == ConfigNodeKind::kNull) return fallback;
    auto s = scalar(path);
    if (!s || s->empty()) return std::nullopt;
    std::size_t pos = 0;
    try {
      long long v = std::stoll(*s, &pos, 10);
      if (pos != s->size()) return std::nullopt;
      return v;
    } catch (...) {
      return std::nullopt;
    }
  }
};

}  // namespace chathost::sdk
