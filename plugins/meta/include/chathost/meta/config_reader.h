#pragma once
// Reads a plugin's `config:` section key by key, collecting every problem with its path instead
// of stopping at the first one.

#include <chathost/sdk/channel.h>
#include <chathost/sdk/config_view.h>

#include <cstdint>
#include <string>
#include <vector>

namespace chathost::meta {

/// Not thread-safe: one reader per validation. `config` must outlive it.
class ConfigReader {
 public:
  /// `pluginName` names the section in the message about a section that is not a map.
  ConfigReader(const sdk::ConfigView& config, std::string pluginName);

  /// True when the section is a map, absent or null; otherwise an issue is recorded.
  bool isMap();
  /// Records "unknown key 'k'" for every key of the section not named in `known`.
  void rejectUnknown(const std::vector<sdk::ConfigKey>& known);

  /// Each reader keeps `target` when the key is absent and records an issue naming the key when
  /// its value does not convert ("must be a string", "must be true or false", ...).
  void string(const std::string& key, std::string& target);
  void boolean(const std::string& key, bool& target);
  /// An http(s) URL; trailing slashes are dropped.
  void url(const std::string& key, std::string& target);
  /// Comma-separated Graph field names of [a-z_] (they go into a URL query as they are).
  void fieldList(const std::string& key, std::string& target);
  /// An integer within [min, max]; `hint` is appended to the message (e.g. " (0 = no limit)").
  void integer(const std::string& key, std::int64_t& target, std::int64_t min, std::int64_t max,
               const std::string& hint = "");
  void issue(const std::string& path, const std::string& message);

  const std::vector<sdk::ConfigIssue>& issues() const { return issues_; }

 private:
  const sdk::ConfigView& config_;
  std::string pluginName_;
  std::vector<sdk::ConfigIssue> issues_;
};

}  // namespace chathost::meta
