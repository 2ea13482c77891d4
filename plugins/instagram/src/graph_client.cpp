#include "graph_client.h"

#include "graph_http.h"
#include "json_util.h"
#include "send_body.h"
#include "signature.h"

namespace chathost::instagram {

namespace {
constexpr int kNoConsent = 230;
constexpr int kNoSuchUser = 9010;

// A 2xx answer that lacks what the call needs: a platform fault, retryable.
GraphError malformedAnswer(const std::string& what) {
  GraphError e;
  e.httpStatus = 502;
  e.message = what;
  return e;
}

// `{"success":true}` or the error; a 2xx without it is a malformed answer.
GraphResult<bool> successOf(GraphResult<std::string> body, const std::string& what) {
  GraphResult<bool> out;
  if (!body.ok()) {
    out.error = body.error;
    return out;
  }
  auto obj = parseObject(*body.value);
  if (!getBool(*obj, "success").value_or(false)) {
    out.error = malformedAnswer("the Graph API did not confirm " + what);
    return out;
  }
  out.value = true;
  return out;
}
}  // namespace

bool isGraphId(std::string_view id) {
  constexpr std::size_t kMaxIdLength = 128;
  if (id.empty() || id.size() > kMaxIdLength || id == "." || id == "..") return false;
  for (char c : id)
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' ||
          c == '-' || c == '.'))
      return false;
  return true;
}

std::string normaliseAccountType(const std::string& raw) {
  if (raw == "BUSINESS") return "BUSINESS";
  if (raw == "MEDIA_CREATOR" || raw == "CREATOR") return "MEDIA_CREATOR";
  return "UNKNOWN";
}

GraphCredentials credentialsOf(const sdk::Connection& c, const Settings& settings) {
  auto it = c.secrets.find("accessToken");
  return {it == c.secrets.end() ? std::string() : it->second, c.accountId, c.pageId,
          endpointFor(settings, storedFlavor(c.settingsJson))};
}

GraphClient::GraphClient(sdk::HttpClient& http, Settings settings)
    : http_(http), settings_(std::move(settings)) {}

GraphEndpoint GraphClient::endpointOf(const GraphCredentials& creds) const {
  return creds.endpoint.value_or(GraphEndpoint{settings_.apiFlavor, settings_.graphBaseUrl});
}

std::string GraphClient::url(const std::string& path, const std::string& query,
                             const GraphCredentials& creds) const {
  std::string u = endpointOf(creds).baseUrl + "/" + settings_.graphApiVersion;
  std::size_t start = 0;
  while (start <= path.size()) {  // ids are encoded segment by segment
    std::size_t slash = path.find('/', start);
    if (slash == std::string::npos) slash = path.size();
    u += "/" + percentEncode(path.substr(start, slash - start));
    start = slash + 1;
  }
  std::string q = query;
  if (!settings_.appSecret.empty() && !creds.accessToken.empty()) {
    if (!q.empty()) q += "&";
    q += "appsecret_proof=" + proofFor(creds.accessToken);
  }
  return q.empty() ? u : u + "?" + q;
}

std::string GraphClient::proofFor(const std::string& accessToken) const {
  constexpr std::size_t kMaxProofs = 10000;  // bounded: tokens of disconnected accounts go too
  std::lock_guard lock(proofsMutex_);
  if (auto it = proofs_.find(accessToken); it != proofs_.end()) return it->second;
  if (proofs_.size() >= kMaxProofs) proofs_.clear();
  return proofs_[accessToken] = appSecretProof(accessToken, settings_.appSecret);
}

sdk::HttpRequest GraphClient::request(sdk::Method method, const std::string& url,
                                      const GraphCredentials& creds) const {
  sdk::HttpRequest req;
  req.method = method;
  req.url = url;
  req.headers = {{"Authorization", "Bearer " + creds.accessToken}, {"Accept", "application/json"}};
  req.timeoutMs = settings_.graphTimeoutMs;
  return req;
}

GraphResult<AccountInfo> GraphClient::identify(const GraphCredentials& creds) const {
  GraphResult<AccountInfo> out;
  bool ig = endpointOf(creds).flavor == ApiFlavor::kInstagram;
  std::string u =
      ig ? url("me", "fields=id,user_id,username,name,account_type,profile_picture_url", creds)
         : url(creds.accountId, "fields=id,username,name,profile_picture_url", creds);
  auto body = exchangeJson(http_, request(sdk::Method::kGet, u, creds));
  if (!body.ok()) {
    out.error = body.error;
    return out;
  }
  auto obj = parseObject(*body.value);
  AccountInfo info;
  info.id = getString(*obj, "id").value_or(creds.accountId);
  info.userId = getString(*obj, "user_id").value_or("");
  info.username = getString(*obj, "username").value_or("");
  info.name = getString(*obj, "name").value_or("");
  info.accountType = normaliseAccountType(getString(*obj, "account_type").value_or(""));
  info.profilePictureUrl = getString(*obj, "profile_picture_url").value_or("");
  if (info.username.empty()) {
    out.error = malformedAnswer("the Graph API did not return the account's username");
    return out;
  }
  out.value = std::move(info);
  return out;
}

GraphResult<SendAck> GraphClient::send(const GraphCredentials& creds,
                                       const sdk::OutboundMessage& message) const {
  GraphResult<SendAck> out;
  std::string target =
      endpointOf(creds).flavor == ApiFlavor::kFacebook ? creds.pageId : creds.accountId;
  if (target.empty()) target = "me";
  auto req = request(sdk::Method::kPost, url(target + "/messages", "", creds), creds);
  req.contentType = "application/json";
  req.body = sendApiBody(message);
  auto body = exchangeJson(http_, req);
  if (!body.ok()) {
    out.error = body.error;
    return out;
  }
  auto obj = parseObject(*body.value);
  SendAck ack;
  ack.recipientId = getString(*obj, "recipient_id").value_or(message.recipientId);
  ack.messageId = getString(*obj, "message_id").value_or("");
  if (ack.messageId.empty() && message.action == sdk::SenderAction::kNone) {
    out.error = malformedAnswer("the Send API answered without a message_id");
    return out;
  }
  out.value = std::move(ack);
  return out;
}

GraphResult<std::optional<UserProfile>> GraphClient::fetchProfile(const GraphCredentials& creds,
                                                                  const std::string& userId) const {
  GraphResult<std::optional<UserProfile>> out;
  auto body = exchangeJson(
      http_,
      request(sdk::Method::kGet, url(userId, "fields=name,username,profile_pic", creds), creds));
  if (!body.ok()) {
    if (body.error.code == kNoConsent || body.error.code == kNoSuchUser ||
        body.error.subcode == kNoSuchUser)
      out.value = std::optional<UserProfile>{};
    else
      out.error = body.error;
    return out;
  }
  auto obj = parseObject(*body.value);
  UserProfile p;
  p.name = getString(*obj, "name").value_or("");
  p.username = getString(*obj, "username").value_or("");
  p.profilePic = getString(*obj, "profile_pic").value_or("");
  out.value = std::optional<UserProfile>{std::move(p)};
  return out;
}

std::string GraphClient::subscribedAppsPath(const GraphCredentials& creds) const {
  bool page = endpointOf(creds).flavor == ApiFlavor::kFacebook && !creds.pageId.empty();
  return (page ? creds.pageId : std::string("me")) + "/subscribed_apps";
}

GraphResult<bool> GraphClient::subscribe(const GraphCredentials& creds) const {
  // Commas are allowed in a query as they are: the fields stay readable in logs of proxies.
  const bool page = endpointOf(creds).flavor == ApiFlavor::kFacebook && !creds.pageId.empty();
  std::string u = url(subscribedAppsPath(creds),
                      "subscribed_fields=" +
                          (page ? settings_.pageSubscribedFields : std::string(kSubscribedFields)),
                      creds);
  return successOf(exchangeJson(http_, request(sdk::Method::kPost, u, creds)),
                   "the webhook subscription");
}

GraphResult<bool> GraphClient::unsubscribe(const GraphCredentials& creds) const {
  std::string u = url(subscribedAppsPath(creds), "", creds);
  return successOf(exchangeJson(http_, request(sdk::Method::kDelete, u, creds)),
                   "the end of the webhook subscription");
}

}  // namespace chathost::instagram
