#pragma once
// The Graph API calls both Meta channels make, over the host's HttpClient: versioned URLs with
// the token as a bearer header and its appsecret_proof, the Send API, webhook subscriptions of
// a node (subscribed_apps) and user profiles. Which node and which host is the channel's choice.

#include <chathost/meta/graph_errors.h>

#include <chathost/sdk/channel.h>
#include <chathost/sdk/http_client.h>

#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

namespace chathost::meta {

/// How every call is made. Value type.
struct GraphApiOptions {
  std::string apiVersion = "v21.0";
  std::string appSecret;  // empty: no appsecret_proof
  int timeoutMs = 10000;  // each call
  std::string appId;      // empty: unknown (see subscribeApp)
};

/// Where one call goes and with which token. Holds a secret: never log it.
struct GraphTarget {
  std::string baseUrl;  // e.g. https://graph.facebook.com, no trailing slash
  std::string accessToken;
};

/// What the Send API acknowledged. Value type.
struct SendAck {
  std::string recipientId;
  std::string messageId;  // empty for sender actions
};

/// A customer as the Graph API describes them. Value type.
struct UserProfile {
  std::string name;
  std::string username;
  std::string profilePic;
};

/// What subscribeApp does with the fields the app already has on the node.
enum class ExistingFields {
  kKeep,     // a Facebook Page: both Meta channels may subscribe it (a union is posted)
  kReplace,  // a node only one connection subscribes (an Instagram Login account's `me`)
};

/// Thread-safe (its options and a proof cache); every call blocks on the HTTP client.
class GraphApi {
 public:
  GraphApi(sdk::HttpClient& http, GraphApiOptions options);

  /// `<baseUrl>/<version>/<path>` (each segment percent-encoded) with `query` and, when an app
  /// secret is set, `appsecret_proof` of the target's token.
  std::string url(const GraphTarget& target, const std::string& path,
                  const std::string& query = "") const;
  /// A request to `url` with `Authorization: Bearer <token>`, JSON accepted, the call timeout.
  sdk::HttpRequest request(sdk::Method method, const std::string& url,
                           const GraphTarget& target) const;
  /// One call without a body: the 2xx answer's JSON object text, or the GraphError.
  GraphResult<std::string> call(sdk::Method method, const GraphTarget& target,
                                const std::string& path, const std::string& query = "") const;

  /// POST /{node}/messages with sendApiBody(message). A sender action is acknowledged without a
  /// message id; any other message needs one.
  GraphResult<SendAck> sendMessage(const GraphTarget& target, const std::string& node,
                                   const sdk::OutboundMessage& message) const;
  /// POST /{node}/subscribed_apps?subscribed_fields=<fields>: Meta delivers the node's webhooks
  /// to this app only after it. The POST sets the app's whole field list for the node, so with
  /// kKeep it first GETs the edge and posts the app's current fields followed by `fields`
  /// (appSubscribedFields(), with the options' appId); a failed GET fails the subscription.
  /// Needs `{"success":true}`.
  GraphResult<bool> subscribeApp(const GraphTarget& target, const std::string& node,
                                 const std::string& fields,
                                 ExistingFields existing = ExistingFields::kKeep) const;
  /// DELETE on the same edge: this app's whole subscription for the node ends, whichever
  /// channel's fields it holds.
  GraphResult<bool> unsubscribeApp(const GraphTarget& target, const std::string& node) const;
  /// GET /{userId}?fields=<fields> read as name, username and profile_pic; an empty optional
  /// when the platform refuses for an ignorable reason (230 no consent, 9010 no such user).
  GraphResult<std::optional<UserProfile>> fetchProfile(const GraphTarget& target,
                                                       const std::string& userId,
                                                       const std::string& fields) const;

  const GraphApiOptions& options() const { return options_; }

 private:
  // appsecret_proof for `accessToken`: an HMAC per Graph call cost more than building the rest
  // of the request, and an account's token rarely changes.
  std::string proofFor(const std::string& accessToken) const;

  sdk::HttpClient& http_;
  GraphApiOptions options_;
  mutable std::mutex proofsMutex_;
  mutable std::unordered_map<std::string, std::string> proofs_;  // token -> proof
};

/// A 2xx answer that lacks what the call needs: a platform fault, retryable (HTTP 502).
GraphError malformedAnswer(const std::string& what);

/// True when `id` may name a Graph node in a URL path: 1..128 of [A-Za-z0-9_.-], not "." or "..".
bool isGraphId(std::string_view id);

}  // namespace chathost::meta
