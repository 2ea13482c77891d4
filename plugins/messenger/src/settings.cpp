#include "settings.h"

namespace chathost::messenger {

namespace {
std::vector<sdk::ConfigKey> buildKeys() {
  auto keys = meta::graphSettingsKeys(kChannelName);
  keys.push_back({"subscribed_fields", "string", kSubscribedFields,
                  "the Page webhook fields a Page is subscribed to at connect (comma-separated)"});
  return keys;
}
}  // namespace

const std::vector<sdk::ConfigKey>& settingsKeys() {
  static const std::vector<sdk::ConfigKey> keys = buildKeys();
  return keys;
}

std::vector<sdk::ConfigIssue> readSettings(const sdk::ConfigView& config, Settings& out) {
  meta::ConfigReader reader(config, kChannelName);
  if (!reader.isMap()) return reader.issues();
  reader.rejectUnknown(settingsKeys());
  meta::readGraphSettings(reader, out);
  reader.fieldList("subscribed_fields", out.subscribedFields);
  return reader.issues();
}

}  // namespace chathost::messenger
