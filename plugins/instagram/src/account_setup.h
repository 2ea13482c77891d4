#pragma once
// Connecting an account, whichever way its token came (the connect form or Instagram Login): verify
// it with the Graph API, subscribe the app to its webhooks, and build the connect answer.

#include "graph_client.h"

#include <chathost/sdk/agent_info.h>
#include <chathost/sdk/channel.h>
#include <chathost/sdk/logger.h>
#include <chathost/sdk/status.h>

#include <optional>
#include <string>
#include <string_view>

namespace chathost::instagram {

/// Identifies the account behind `creds`, then subscribes the app to its messaging webhooks. A
/// Graph failure of either is logged (without secrets) and mapped by meta::toStatus(): nothing is
/// to be stored then.
sdk::Result<AccountInfo> identifyAndSubscribe(const GraphClient& graph,
                                              const GraphCredentials& creds,
                                              const sdk::AgentInfo& agent, sdk::Logger& logger);

/// The connection's non-secret settings: `{"apiFlavor"?, "name", "userId", "profilePictureUrl"}`
/// (apiFlavor only when given).
std::string connectionSettingsJson(const AccountInfo& info, std::optional<ApiFlavor> flavor);

/// `https://ig.me/m/<username>` with anything outside [A-Za-z0-9._-] percent-encoded: the link
/// that opens a conversation with the account (what its QR code encodes).
std::string dmLinkFor(std::string_view username);

/// The connect answer for `connection` (already filled by the caller): data `{qrCode,
/// qrCodeDataUrl, instagramUrl, username}` and the message. kInternal when the QR code cannot be
/// made.
sdk::Result<sdk::ConnectResult> connectAnswer(sdk::Connection connection);

}  // namespace chathost::instagram
