#include "connection_flavor.h"

#include <chathost/meta/json_util.h>

namespace chathost::instagram {

std::optional<ApiFlavor> storedFlavor(std::string_view settingsJson) {
  auto root = meta::parseObject(settingsJson);
  if (!root) return std::nullopt;
  auto name = meta::getString(*root, "apiFlavor");
  if (name == "instagram") return ApiFlavor::kInstagram;
  if (name == "facebook") return ApiFlavor::kFacebook;
  return std::nullopt;
}

GraphEndpoint endpointFor(const Settings& settings, std::optional<ApiFlavor> stored) {
  if (!stored) return {settings.apiFlavor, settings.graphBaseUrl};
  if (*stored == ApiFlavor::kInstagram)
    return {ApiFlavor::kInstagram, settings.instagramGraphBaseUrl};
  return {ApiFlavor::kFacebook, settings.graphBaseUrl};
}

const char* flavorName(ApiFlavor flavor) {
  return flavor == ApiFlavor::kInstagram ? "instagram" : "facebook";
}

}  // namespace chathost::instagram
