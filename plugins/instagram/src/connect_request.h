#pragma once
// The connect request's JSON body: its fields (for the dashboard's form) and their validation.

#include "settings.h"

#include <chathost/sdk/channel.h>
#include <chathost/sdk/status.h>

#include <string>
#include <string_view>
#include <vector>

namespace chathost::instagram {

/// A validated connect body. Holds secrets: never log it.
struct ConnectRequest {
  std::string accessToken;
  std::string accountId;  // instagramAccountId
  std::string pageId;     // empty in the Instagram-login flavour when not given
  std::string verifyToken;
  std::string webhookSecret;  // empty: the channel-wide app secret checks this agent's webhooks
};

/// The body's members in form order; pageId is required only in the Facebook-login flavour.
std::vector<sdk::ConnectField> connectFields(ApiFlavor flavor);

/// kValidation naming the first bad field ("accessToken is required", "... must be a string",
/// "... must not be empty", "pageId is not a valid id"), or the request.
sdk::Result<ConnectRequest> parseConnectRequest(std::string_view bodyJson, ApiFlavor flavor);

}  // namespace chathost::instagram
