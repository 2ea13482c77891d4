#pragma once
// The Graph API calls a connection makes (identify, send, profiles, webhook subscriptions), over
// the host's HttpClient, on the connection's flavour and host.

#include "connection_flavor.h"
#include "graph_errors.h"
#include "settings.h"

#include <chathost/sdk/channel.h>
#include <chathost/sdk/connection.h>
#include <chathost/sdk/http_client.h>

#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

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

struct SendAck {
  std::string recipientId;
  std::string messageId;  // empty for sender actions
};

struct UserProfile {
  std::string name;
  std::string username;
  std::string profilePic;
};

/// Thread-safe (stateless apart from its settings and a proof cache); every call blocks on the
/// HTTP client. Each call goes to its credentials' endpoint.
class GraphClient {
 public:
  GraphClient(sdk::HttpClient& http, Settings settings);

  /// Facebook flavour: GET /{v}/{accountId}?fields=id,username,name,profile_picture_url;
  /// Instagram flavour: GET /{v}/me?fields=id,user_id,username,name,account_type,...
  GraphResult<AccountInfo> identify(const GraphCredentials& creds) const;
  /// POST /{v}/{pageId | accountId | me}/messages with the body of sendApiBody(). A sender action
  /// is acknowledged without a message id; any other message needs one.
  GraphResult<SendAck> send(const GraphCredentials& creds,
                            const sdk::OutboundMessage& message) const;
  /// GET /{v}/{igsid}?fields=name,username,profile_pic; an empty optional when the platform
  /// refuses for an ignorable reason (230 no consent, 9010 no such user).
  GraphResult<std::optional<UserProfile>> fetchProfile(const GraphCredentials& creds,
                                                       const std::string& userId) const;
  /// POST /{v}/{pageId}/subscribed_apps (Instagram flavour: /{v}/me/subscribed_apps) with
  /// subscribed_fields=kSubscribedFields: Meta delivers the account's webhooks only after it.
  GraphResult<bool> subscribe(const GraphCredentials& creds) const;
  /// DELETE on the same edge: this app's subscription for the account ends.
  GraphResult<bool> unsubscribe(const GraphCredentials& creds) const;

  const Settings& settings() const { return settings_; }

 private:
  GraphEndpoint endpointOf(const GraphCredentials& creds) const;
  std::string url(const std::string& path, const std::string& query,
                  const GraphCredentials& creds) const;
  sdk::HttpRequest request(sdk::Method method, const std::string& url,
                           const GraphCredentials& creds) const;
  std::string subscribedAppsPath(const GraphCredentials& creds) const;
  // appsecret_proof for `accessToken`: an HMAC per Graph call cost more than building the rest
  // of the request, and an account's token rarely changes.
  std::string proofFor(const std::string& accessToken) const;

  sdk::HttpClient& http_;
  Settings settings_;
  mutable std::mutex proofsMutex_;
  mutable std::unordered_map<std::string, std::string> proofs_;  // token -> proof
};

/// True when `id` may name a Graph node in a URL path: 1..128 of [A-Za-z0-9_.-], not "." or "..".
bool isGraphId(std::string_view id);

/// Normalises the platform's account_type to BUSINESS | MEDIA_CREATOR | UNKNOWN.
std::string normaliseAccountType(const std::string& raw);

/// The credentials stored with a connection, on its flavour's endpoint.
GraphCredentials credentialsOf(const sdk::Connection& c, const Settings& settings);

}  // namespace chathost::instagram
