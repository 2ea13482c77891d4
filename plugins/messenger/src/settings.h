#pragma once
// The messenger plugin's `config:` section: the keys every Meta channel has (the Page token check
// interval among them), and the webhook fields a Page is subscribed to.

#include <chathost/meta/graph_settings.h>

#include <chathost/sdk/channel.h>
#include <chathost/sdk/config_view.h>

#include <string>
#include <vector>

namespace chathost::messenger {

inline constexpr const char* kChannelName = "messenger";
inline constexpr const char* kDisplayName = "Messenger";
/// The Page webhook fields a connected Page is subscribed to (Messenger's own names).
inline constexpr const char* kSubscribedFields =
    "messages,messaging_postbacks,message_reads,message_reactions,messaging_referrals";

/// Validated settings. Value type.
struct Settings : meta::GraphSettings {
  std::string subscribedFields = kSubscribedFields;
};

/// Reads `config` into `out` (defaults for absent keys); every problem found, with its path.
std::vector<sdk::ConfigIssue> readSettings(const sdk::ConfigView& config, Settings& out);

/// Every key readSettings() accepts, with its type, default and meaning.
const std::vector<sdk::ConfigKey>& settingsKeys();

}  // namespace chathost::messenger
