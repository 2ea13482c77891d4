#pragma once
// Which Graph flavour and host a connection's calls use. A connection made through Instagram Login
// stores `"apiFlavor":"instagram"` in its settingsJson; one without the member follows the plugin's
// configured flavour and graph_base_url.

#include "settings.h"

#include <optional>
#include <string>
#include <string_view>

namespace chathost::instagram {

/// Where a connection's Graph calls go. Value type.
struct GraphEndpoint {
  ApiFlavor flavor = ApiFlavor::kFacebook;
  std::string baseUrl;  // no trailing slash
};

/// The `apiFlavor` member ("instagram" | "facebook") of a connection's settingsJson; nullopt when
/// absent, unknown or the text is not a JSON object. Pure.
std::optional<ApiFlavor> storedFlavor(std::string_view settingsJson);

/// Instagram flavour stored: {kInstagram, instagram_graph_base_url}; Facebook flavour stored:
/// {kFacebook, graph_base_url}; nothing stored: {api_flavor, graph_base_url}. Pure.
GraphEndpoint endpointFor(const Settings& settings, std::optional<ApiFlavor> stored);

/// "instagram" | "facebook".
const char* flavorName(ApiFlavor flavor);

}  // namespace chathost::instagram
