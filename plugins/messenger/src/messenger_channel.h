#pragma once
// Facebook Page messaging (Messenger) as an sdk::Channel: Meta's webhook checks, the webhook
// parser for `object: "page"`, the Send API on /{page-id}/messages, connecting a Page with its
// access token and checking that token with debug_token. Conversations, windows and retries
// belong to the host; the Graph plumbing is the Meta library's.

#include "settings.h"

#include <chathost/meta/graph_api.h>

#include <chathost/sdk/channel.h>
#include <chathost/sdk/logger.h>
#include <chathost/sdk/metrics.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace chathost::messenger {

/// Thread-safe: holds its settings, the Graph client and metric handles. The references must
/// outlive it.
class MessengerChannel final : public sdk::Channel {
 public:
  MessengerChannel(Settings settings, sdk::HttpClient& http, sdk::Metrics& metrics,
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
  sdk::Status disconnect(const sdk::Connection& connection) override;
  sdk::Result<std::optional<sdk::UserProfile>> fetchProfile(const sdk::Connection& connection,
                                                            const std::string& userId) override;
  /// The Page token's debug_token check when it is due (meta::checkPageToken()).
  sdk::CredentialCheck refreshCredentials(const sdk::Connection& connection,
                                          std::int64_t nowMs) override;

 private:
  // The Graph host with the connection's Page token.
  meta::GraphTarget targetOf(const sdk::Connection& connection) const;
  // A Graph refusal while connecting: logged without secrets, mapped for the client.
  sdk::Status refused(const meta::GraphError& error, const char* action,
                      const sdk::AgentInfo& agent) const;

  const Settings settings_;
  sdk::HttpClient& http_;  // debug_token checks
  const meta::GraphApi graph_;
  sdk::Logger& logger_;
  sdk::Counter& rejected_;
  sdk::Counter& sendsOk_;
  sdk::Counter& sendsFailed_;
  sdk::Counter& actionsOk_;
  sdk::Counter& actionsFailed_;
};

}  // namespace chathost::messenger
