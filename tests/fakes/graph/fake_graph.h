#pragma once
// A fake of Meta's Graph API for tests, following INSTAGRAM_FACTS: account lookup (both login
// flavours), the Send API (texts, attachments, tags, sender actions), user profiles, webhook
// subscriptions (subscribed_apps), Instagram Login (consent page, code and token exchanges,
// refresh), debug_token and Graph error bodies; Facebook Pages for Messenger (a Page token's
// /me, the Page's subscribed_apps fields, its Send API with Messenger's limits) and user tokens
// (whose /me is a user, not a Page); plus a control API under /_fake/ to register accounts,
// configure the login, revoke tokens, read what was sent and subscribed, and inject faults (5xx,
// throttling, 190, hangs). Pure request -> response logic, thread-safe; the server glue is in
// main.cpp.

#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <mutex>
#include <set>
#include <string>
#include <utility>
#include <vector>

namespace chathost::fakes {

struct FakeRequest {
  std::string method;
  std::string path;  // without query
  std::map<std::string, std::string> query;
  std::string authorization;  // header value
  std::string contentType;    // header value
  std::string body;
};

struct FakeResponse {
  int status = 200;
  std::string body;
  int hangMs = 0;  // the server sleeps this long before answering (simulates a stalled Graph)
  std::string contentType = "application/json; charset=UTF-8";
  std::vector<std::pair<std::string, std::string>> headers;  // e.g. Location of a redirect
};

/// What a registered token acts for.
enum class FakeAccountKind {
  kInstagram,  // an Instagram professional account (igId), linked to a Page (pageId) or not
  kPage,       // a Facebook Page messaged through Messenger (pageId, no igId)
  kUser,       // a person's user token (igId holds the user id): no Page, no messaging
};

struct FakeAccount {
  std::string token;
  std::string igId;
  std::string pageId;
  std::string username;
  std::string name;
  std::string accountType = "BUSINESS";
  FakeAccountKind kind = FakeAccountKind::kInstagram;
  std::string category = "Shopping & retail";  // a Page's

  /// The node a subscribed_apps call on `id` (the path's id, already known to address this
  /// account) subscribes: its Page when it names the Page or the token is a Page's, else the
  /// Instagram account. Messenger and Instagram (Facebook Login) share a Page's node.
  const std::string& subscriptionNode(const std::string& id) const {
    return kind == FakeAccountKind::kPage || (!pageId.empty() && id == pageId) ? pageId : igId;
  }
};

/// One accepted Send API call: a message (kind "text" | "attachment") or a sender action (kind
/// "action").
struct SentMessage {
  std::string senderId;  // page or IG account id in the path
  std::string recipientId;
  std::string text;
  std::string messageId;  // empty for actions
  std::string body;       // the raw request body
  std::int64_t atMs = 0;  // when it was accepted (steady clock, ms)
  std::string kind;       // "text" | "attachment" | "action"
  std::string tag;
  std::string messagingType;
  std::string attachmentType;
  std::string attachmentUrl;
  std::string action;  // typing_on | typing_off | mark_seen
};

/// Milliseconds since the epoch (token expiries).
using FakeClock = std::function<std::int64_t()>;
std::int64_t fakeSystemNowMs();

class FakeGraph {
 public:
  explicit FakeGraph(FakeClock clock = fakeSystemNowMs) : nowMs_(std::move(clock)) {}
  FakeResponse handle(const FakeRequest& request);
  void addAccount(const FakeAccount& account);

 private:
  enum class TokenState { kUnknown, kValid, kRevoked, kExpired };
  struct Resolved {
    TokenState state = TokenState::kUnknown;
    const FakeAccount* account = nullptr;
    bool issued = false;           // made by the login flow (else a registered account token)
    bool longLived = false;        // issued: exchanged or refreshed
    std::int64_t expiresAtMs = 0;  // issued: when it stops working
  };
  struct IssuedToken {
    std::string accountToken;  // the registered token whose account it acts for
    bool longLived = false;
    std::int64_t expiresAtMs = 0;
    std::int64_t lifetimeSeconds = 0;  // what the long-lived exchange grants
  };
  struct AuthCode {
    std::string redirectUri;
    std::string accountToken;
    std::int64_t expiresIn = 0;
  };
  struct OAuthConfig {
    bool configured = false;
    std::string appId;
    std::string appSecret;
    std::string grantToken;
    std::int64_t expiresIn = 5184000;
    bool deny = false;
  };
  struct Fault {
    std::string match;
    std::string kind;
    int remaining = 1;
    int hangMs = 0;
  };

  // fake_graph.cpp: dispatch, faults, tokens, control routes.
  FakeResponse control(const FakeRequest& request);
  FakeResponse graph(const FakeRequest& request);
  bool takeFault(const std::string& path, FakeResponse& out);
  Resolved resolve(const std::string& token) const;  // mutex_ held
  static FakeResponse tokenError(const Resolved& r);
  FakeResponse sentList() const;          // mutex_ held
  FakeResponse subscriptionList() const;  // mutex_ held
  // fake_graph_send.cpp: POST /{v}/{id}/messages and the subscribed_apps edge (mutex_ held).
  FakeResponse sendApi(const FakeRequest& request, const FakeAccount& account,
                       const std::string& id);
  FakeResponse subscribedApps(const FakeRequest& request, const FakeAccount& account,
                              const std::string& id);
  // fake_graph_pages.cpp: a Page's or a user's node (`/me` or its id) and a customer's profile
  // as a Page token sees it (mutex_ held).
  FakeResponse pageNode(const FakeRequest& request, const FakeAccount& account,
                        const std::string& id) const;
  // fake_graph_oauth.cpp: Instagram Login and debug_token (mutex_ held).
  FakeResponse oauthRoute(const FakeRequest& request);  // root paths; 404 when none matches
  FakeResponse authorize(const FakeRequest& request);
  FakeResponse exchangeCode(const FakeRequest& request);
  FakeResponse exchangeToken(const FakeRequest& request);
  FakeResponse refreshToken(const FakeRequest& request);
  FakeResponse debugToken(const FakeRequest& request);
  FakeResponse configureOAuth(const std::string& body);
  std::string issue(const std::string& accountToken, bool longLived, std::int64_t lifetimeSeconds);

  FakeClock nowMs_;
  mutable std::mutex mutex_;
  std::vector<FakeAccount> accounts_;
  std::vector<SentMessage> sent_;
  std::vector<SentMessage> actions_;
  std::deque<Fault> faults_;
  std::map<std::string, int> requestCounts_;  // "METHOD path" -> count
  // The app's field list per subscribed node (subscriptionNode): a POST sets it, as on Meta.
  std::map<std::string, std::vector<std::string>> subscriptions_;
  OAuthConfig oauth_;
  std::map<std::string, AuthCode> codes_;      // unused authorization codes
  std::map<std::string, IssuedToken> issued_;  // tokens the login flow made
  std::set<std::string> revoked_;
  std::uint64_t nextMessageId_ = 1;
  std::uint64_t nextIssued_ = 1;
};

/// Graph error body `{"error":{"message","type","code","error_subcode","fbtrace_id"}}`.
std::string graphErrorBody(int code, int subcode, const std::string& message,
                           const std::string& type = "OAuthException");

/// An application/x-www-form-urlencoded body (or query string) as name -> value (decoded, `+` is
/// a space; the last of repeated names wins).
std::map<std::string, std::string> parseForm(const std::string& body);

}  // namespace chathost::fakes
