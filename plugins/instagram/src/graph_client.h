#pragma once
// The Graph API calls the channel needs, over the host's HttpClient.

#include "graph_errors.h"
#include "settings.h"

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
  std::string messageId;
};

struct UserProfile {
  std::string name;
  std::string username;
  std::string profilePic;
};

/// A value or the Graph error explaining why there is none. Value type.
template <typename T>
struct GraphResult {
  std::optional<T> value;
  GraphError error;
  bool ok() const { return value.has_value(); }
};

/// Thread-safe (stateless apart from its settings); every call blocks on the HTTP client.
class GraphClient {
 public:
  GraphClient(sdk::HttpClient& http, Settings settings);

  /// Facebook flavour: GET /{v}/{accountId}?fields=id,username,name,profile_picture_url;
  /// Instagram flavour: GET /{v}/me?fields=id,user_id,username,name,account_type,...
  GraphResult<AccountInfo> identify(const GraphCredentials& creds) const;
  /// POST /{v}/{pageId | accountId | me}/messages with a RESPONSE text message.
  GraphResult<SendAck> sendText(const GraphCredentials& creds, const std::string& recipientId,
                                const std::string& text) const;
  /// GET /{v}/{igsid}?fields=name,username,profile_pic; an empty optional when the platform
  /// refuses for an ignorable reason (230 no consent, 9010 no such user).
  GraphResult<std::optional<UserProfile>> fetchProfile(const GraphCredentials& creds,
                                                       const std::string& userId) const;

  const Settings& settings() const { return settings_; }

 private:
  std::string url(const std::string& path, const std::string& query,
                  const GraphCredentials& creds) const;
  sdk::HttpRequest request(sdk::Method method, const std::string& url,
                           const GraphCredentials& creds, int timeoutMs) const;
  // The parsed JSON object body of a 2xx answer, or the error.
  GraphResult<std::string> exchange(const sdk::HttpRequest& req) const;
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

}  // namespace chathost::instagram

#include <chathost/sdk/connection.h>

namespace chathost::instagram {
/// The credentials stored with a connection.
inline GraphCredentials credentialsOf(const sdk::Connection& c) {
  auto it = c.secrets.find("accessToken");
  return {it == c.secrets.end() ? std::string() : it->second, c.accountId, c.pageId};
}
}  // namespace chathost::instagram
