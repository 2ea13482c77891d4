#pragma once
// Connecting an account through Instagram Login: the consent URL, then the authorization code
// exchanged for a long-lived token, the account verified and subscribed as connect() does.

#include "graph_client.h"
#include "settings.h"
#include "token_client.h"

#include <chathost/sdk/agent_info.h>
#include <chathost/sdk/channel.h>
#include <chathost/sdk/logger.h>
#include <chathost/sdk/status.h>

#include <cstdint>
#include <string>

namespace chathost::instagram {

/// Thread-safe; the references must outlive it.
class InstagramLogin {
 public:
  InstagramLogin(const Settings& settings, const GraphClient& graph, const TokenClient& tokens,
                 sdk::Logger& logger);

  /// The consent page's URL; kNotFound when app_id or app_secret is not configured, kValidation
  /// when `redirectUri` is not an absolute http(s) URL.
  sdk::Result<std::string> authorizeUrl(const std::string& redirectUri,
                                        const std::string& state) const;

  /// Code -> short-lived token -> long-lived token -> /me -> subscribed_apps. The connection holds
  /// the long-lived token only, expires at `nowMs` + expires_in, and is of the Instagram flavour
  /// (`"apiFlavor":"instagram"`). A refused code is kAuthFailed in words; Graph and network
  /// failures are mapped by meta::toStatus().
  sdk::Result<sdk::ConnectResult> complete(const sdk::AgentInfo& agent, const std::string& code,
                                           const std::string& redirectUri,
                                           std::int64_t nowMs) const;

 private:
  sdk::Status refused(const sdk::AgentInfo& agent, const meta::GraphError& error, const char* what,
                      sdk::Status status) const;

  const Settings& settings_;
  const GraphClient& graph_;
  const TokenClient& tokens_;
  sdk::Logger& logger_;
};

}  // namespace chathost::instagram
