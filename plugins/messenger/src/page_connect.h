#pragma once
// Connecting a Facebook Page: the connect request's body, what the Graph API says about the
// token's owner (only a Page may be connected), and the connection and answer to store.

#include <chathost/sdk/channel.h>
#include <chathost/sdk/status.h>

#include <string>
#include <string_view>
#include <vector>

namespace chathost::messenger {

/// A validated connect body. Holds secrets: never log it.
struct ConnectRequest {
  std::string accessToken;    // the Page access token
  std::string pageId;         // optional: must be the token's Page when given
  std::string verifyToken;    // optional: the channel-wide verify_token answers otherwise
  std::string webhookSecret;  // optional: the app secret checks this agent's webhooks otherwise
};

/// The query of the `GET /me` that tells whose token it is: `metadata=1` adds the node's type
/// (a user's token answers with a user, and asking a user for a Page's field is an error).
inline constexpr const char* kWhoAmIQuery = "fields=id,name&metadata=1";

/// The Page a token belongs to. Value type.
struct PageInfo {
  std::string id;
  std::string name;
};

/// The body's members in form order.
std::vector<sdk::ConnectField> connectFields();

/// kValidation naming the first bad member, or the request.
sdk::Result<ConnectRequest> parseConnectRequest(std::string_view bodyJson);

/// The Page in the answer of `GET /me?<kWhoAmIQuery>`. kValidation when the token is not a
/// Page's (metadata.type is not "page") or belongs to another Page than `requestedPageId` (when
/// given); kApiError when the answer has no id.
sdk::Result<PageInfo> pageFromMe(std::string_view meJson, const std::string& requestedPageId);

/// `https://m.me/<page id>`: opens a Messenger conversation with the Page (its QR code's text).
std::string messengerLink(const std::string& pageId);

/// The connection to store (account = the Page, whose id webhooks carry) and the connect answer:
/// data `{qrCode, qrCodeDataUrl, messengerUrl, pageUrl, pageId, username}` and the message.
/// kInternal when the QR code cannot be made.
sdk::Result<sdk::ConnectResult> connectAnswer(const ConnectRequest& request, const PageInfo& page);

}  // namespace chathost::messenger
