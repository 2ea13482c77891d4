#pragma once
// The Graph API calls an Instagram connection makes (identify, send, profiles, webhook
// subscriptions) on the connection's flavour and host: which node each goes to. The calls
// themselves are the Meta channels' shared meta::GraphApi.

#include "connection_flavor.h"
#include "settings.h"

#include <chathost/meta/graph_api.h>
#include <chathost/meta/graph_errors.h>

#include <chathost/sdk/channel.h>
#include <chathost/sdk/connection.h>
#include <chathost/sdk/http_client.h>

#include <optional>
#include <string>

namespace chathost::instagram {

/// What a call needs to authenticate and address the account. Holds a secret: never log it.
struct GraphCredentials {
  std::string accessToken;
  std::string accountId;  // Instagram account id
  std::string pageId;     // Facebook Page id (Facebook-login flavour)
  /// The connection's flavour and host; nullopt: the configured flavour on graph_base_url.
  std::optional<GraphEndpoint> endpoint = std::nullopt;
};

/// The connected account as the Graph API describes it. Value type.
struct AccountInfo {
  std::string id;
  std::string userId;  // Instagram-login flavour: the id webhooks carry
  std::string username;
  std::string name;
  std::string accountType;  // BUSINESS | MEDIA_CREATOR | UNKNOWN
  std::string profilePictureUrl;
};

/// Thread-safe (its settings and the shared client's proof cache); every call blocks on the
/// HTTP client. Each call goes to its credentials' endpoint.
class GraphClient {
 public:
  GraphClient(sdk::HttpClient& http, Settings settings);

  /// Facebook flavour: GET /{v}/{accountId}?fields=id,username,name,profile_picture_url;
  /// Instagram flavour: GET /{v}/me?fields=id,user_id,username,name,account_type,...
  meta::GraphResult<AccountInfo> identify(const GraphCredentials& creds) const;
  /// POST /{v}/{pageId | accountId | me}/messages (see meta::GraphApi::sendMessage).
  meta::GraphResult<meta::SendAck> send(const GraphCredentials& creds,
                                        const sdk::OutboundMessage& message) const;
  /// GET /{v}/{igsid}?fields=name,username,profile_pic; an empty optional when the platform
  /// refuses for an ignorable reason (230 no consent, 9010 no such user).
  meta::GraphResult<std::optional<meta::UserProfile>> fetchProfile(const GraphCredentials& creds,
                                                                   const std::string& userId) const;
  /// POST /{v}/{pageId}/subscribed_apps with page_subscribed_fields added to the app's current
  /// fields on the Page (Instagram flavour: /{v}/me/subscribed_apps with kSubscribedFields):
  /// Meta delivers the account's webhooks only after it.
  meta::GraphResult<bool> subscribe(const GraphCredentials& creds) const;
  /// DELETE on the same edge: this app's subscription for the account ends.
  meta::GraphResult<bool> unsubscribe(const GraphCredentials& creds) const;

 private:
  GraphEndpoint endpointOf(const GraphCredentials& creds) const;
  meta::GraphTarget targetOf(const GraphCredentials& creds) const;
  // The subscribed_apps node: the Page (Facebook flavour with a page id), else "me".
  bool subscribesPage(const GraphCredentials& creds) const;

  Settings settings_;
  meta::GraphApi api_;
};

/// Normalises the platform's account_type to BUSINESS | MEDIA_CREATOR | UNKNOWN.
std::string normaliseAccountType(const std::string& raw);

/// The credentials stored with a connection, on its flavour's endpoint.
GraphCredentials credentialsOf(const sdk::Connection& c, const Settings& settings);

}  // namespace chathost::instagram
