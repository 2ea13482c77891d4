#pragma once
// Instagram Direct Messages as an sdk::Channel: Meta's webhook checks, the webhook parser, the
// Send API, connecting an account and profiles. Conversations themselves belong to the host.

#include "graph_client.h"
#include "settings.h"

#include <chathost/sdk/channel.h>
#include <chathost/sdk/logger.h>
#include <chathost/sdk/metrics.h>

namespace chathost::instagram {

inline constexpr const char* kChannelName = "instagram";

/// Thread-safe: holds only its settings, the Graph client and metric handles. The references must
/// outlive it.
class InstagramChannel final : public sdk::Channel {
 public:
  InstagramChannel(Settings settings, sdk::HttpClient& http, sdk::Metrics& metrics,
                   sdk::Logger& logger);

  sdk::ChannelDescription describe() const override;
  sdk::Result<sdk::Response> answerChallenge(const sdk::Request& request,
                                             const sdk::Connection* connection) override;
  sdk::Status verifyWebhook(const sdk::Request& request,
                            const sdk::Connection* connection) override;
  sdk::Result<sdk::ParsedWebhook> parseWebhook(std::string_view body) override;
  sdk::SendResult send(const sdk::Connection& connection,
                       const sdk::OutboundMessage& message) override;
  sdk::Result<sdk::ConnectResult> connect(const sdk::AgentInfo& agent,
                                          std::string_view bodyJson) override;
  sdk::Result<std::optional<sdk::UserProfile>> fetchProfile(const sdk::Connection& connection,
                                                            const std::string& userId) override;

 private:
  sdk::Status rejectSignature(const std::string& why);

  const Settings settings_;
  const GraphClient graph_;
  sdk::Logger& logger_;
  sdk::Counter& rejected_;
  sdk::Counter& sendsOk_;
  sdk::Counter& sendsFailed_;
};

}  // namespace chathost::instagram
