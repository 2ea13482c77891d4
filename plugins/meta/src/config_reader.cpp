#include <chathost/meta/config_reader.h>

#include <algorithm>

namespace chathost::meta {

ConfigReader::ConfigReader(const sdk::ConfigView& config, std::string pluginName)
    : config_(config), pluginName_(std::move(pluginName)) {}

bool ConfigReader::isMap() {
  auto kind = config_.kind("");
  if (kind == sdk::ConfigNodeKind::kMap || kind == sdk::ConfigNodeKind::kMissing ||
      kind == sdk::ConfigNodeKind::kNull)
    return true;
  issue("", "the " + pluginName_ + " plugin's config must be a map");
  return false;
}

void ConfigReader::rejectUnknown(const std::vector<sdk::ConfigKey>& known) {
  for (const auto& key : config_.keys(""))
    if (std::none_of(known.begin(), known.end(),
                     [&](const sdk::ConfigKey& k) { return k.name == key; }))
      issue(key, "unknown key '" + key + "'");
}

void ConfigReader::string(const std::string& key, std::string& target) {
  auto kind = config_.kind(key);
  if (kind == sdk::ConfigNodeKind::kMap || kind == sdk::ConfigNodeKind::kSequence) {
    issue(key, key + " must be a string");
    return;
  }
  if (auto v = config_.getString(key, target)) target = *v;
}

void ConfigReader::boolean(const std::string& key, bool& target) {
  if (auto v = config_.getBool(key, target))
    target = *v;
  else
    issue(key, key + " must be true or false");
}

void ConfigReader::url(const std::string& key, std::string& target) {
  string(key, target);
  while (!target.empty() && target.back() == '/') target.pop_back();
  if (target.rfind("http://", 0) != 0 && target.rfind("https://", 0) != 0)
    issue(key, key + " must start with http:// or https://");
}

void ConfigReader::fieldList(const std::string& key, std::string& target) {
  string(key, target);
  const bool ok = !target.empty() && target.front() != ',' && target.back() != ',' &&
                  target.find(",,") == std::string::npos &&
                  std::all_of(target.begin(), target.end(), [](char c) {
                    return (c >= 'a' && c <= 'z') || c == '_' || c == ',';
                  });
  if (!ok)
    issue(key, key + " must be comma-separated field names such as messages,messaging_postbacks");
}

void ConfigReader::integer(const std::string& key, std::int64_t& target, std::int64_t min,
                           std::int64_t max, const std::string& hint) {
  if (auto v = config_.getInt(key, target); v && *v >= min && *v <= max)
    target = *v;
  else
    issue(key,
          key + " must be an integer " + std::to_string(min) + ".." + std::to_string(max) + hint);
}

void ConfigReader::issue(const std::string& path, const std::string& message) {
  issues_.push_back({path, message});
}

}  // namespace chathost::meta
