#pragma once
// Instagram Direct Messages as an sdk::Channel: Meta's webhook checks, the webhook parser, the
// Send API, connecting an account (form or Instagram Login), keeping its token alive and
// profiles. Conversations themselves belong to the host.

#include "graph_client.h"
#include "instagram_login.h"
#include "settings.h"
#include "token_client.h"

#include <chathost/sdk/channel.h>
#include <chathost/sdk/logger.h>
#include <chathost/sdk/metrics.h>

#include <cstdint>
#include <functional>

namespace chathost::instagram {

inline constexpr const char* kChannelName = "instagram";

/// Milliseconds since the epoch.
using Clock = std::function<std::int64_t()>;
std::int64_t systemNowMs();

/// Thread-safe: holds only its settings, the Graph and token clients and metric handles. The
/// references must outlive it.
class InstagramChannel final : public sdk::Channel {
 public:
  InstagramChannel(Settings settings, sdk::HttpClient& http, sdk::Metrics& metrics,
                   sdk::Logger& logger, Clock clock = systemNowMs);

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
  sdk::Status disconnect(const sdk::Connection& connection) override;
  sdk::Result<std::optional<sdk::UserProfile>> fetchProfile(const sdk::Connection& connection,
                                                            const std::string& userId) override;
  sdk::Result<std::string> authorizeUrl(const std::string& redirectUri,
                                        const std::string& state) override;
  sdk::Result<sdk::ConnectResult> completeAuthorization(const sdk::AgentInfo& agent,
                                                        const std::string& code,
                                                        const std::string& redirectUri) override;
  sdk::CredentialCheck refreshCredentials(const sdk::Connection& connection,
                                          std::int64_t nowMs) override;

 private:
  const Settings settings_;
  sdk::HttpClient& http_;  // debug_token checks of Page tokens
  const GraphClient graph_;
  const TokenClient tokens_;
  sdk::Logger& logger_;
  const InstagramLogin login_;
  const Clock clock_;
  sdk::Counter& rejected_;
  sdk::Counter& sendsOk_;
  sdk::Counter& sendsFailed_;
  sdk::Counter& actionsOk_;
  sdk::Counter& actionsFailed_;
};

}  // namespace chathost::instagram
