#include "graph_client.h"

#include "json_util.h"
#include "signature.h"

#include <chathost/sdk/json.h>

namespace chathost::instagram {

namespace {
constexpr int kNoConsent = 230;
constexpr int kNoSuchUser = 9010;

std::string percentEncode(const std::string& s) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : s) {
    bool plain = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                 c == '.' || c == '_' || c == '-' || c == '~';
    if (plain) {
      out.push_back(static_cast<char>(c));
    } else {
      out.push_back('%');
      out.push_back(kHex[c >> 4]);
      out.push_back(kHex[c & 0xF]);
    }
  }
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

GraphClient::GraphClient(sdk::HttpClient& http, Settings settings)
    : http_(http), settings_(std::move(settings)) {}

std::string GraphClient::url(const std::string& path, const std::string& query,
                             const GraphCredentials& creds) const {
  std::string u = settings_.graphBaseUrl + "/" + settings_.graphApiVersion;
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
                                      const GraphCredentials& creds, int timeoutMs) const {
  sdk::HttpRequest req;
  req.method = method;
  req.url = url;
  req.headers = {{"Authorization", "Bearer " + creds.accessToken}, {"Accept", "application/json"}};
  req.timeoutMs = timeoutMs;
  return req;
}

GraphResult<std::string> GraphClient::exchange(const sdk::HttpRequest& req) const {
  GraphResult<std::string> out;
  auto res = http_.send(req);
  if (!res) {
    out.error =
        transportError(res.status().code() == sdk::ErrorCode::kTimeout, res.status().message());
    return out;
  }
  if (res->status < 200 || res->status >= 300) {
    out.error = parseGraphError(res->status, res->body);
    return out;
  }
  if (!parseObject(res->body)) {
    out.error = parseGraphError(res->status, "");
    out.error.httpStatus = 502;  // an unreadable 2xx is a platform fault: retryable
    out.error.message = "the Graph API answered something that is not a JSON object";
    return out;
  }
  out.value = std::move(res->body);
  return out;
}

GraphResult<AccountInfo> GraphClient::identify(const GraphCredentials& creds) const {
  GraphResult<AccountInfo> out;
  bool ig = settings_.apiFlavor == ApiFlavor::kInstagram;
  std::string u =
      ig ? url("me", "fields=id,user_id,username,name,account_type,profile_picture_url", creds)
         : url(creds.accountId, "fields=id,username,name,profile_picture_url", creds);
  auto body = exchange(request(sdk::Method::kGet, u, creds, settings_.graphTimeoutMs));
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
    out.error.httpStatus = 502;
    out.error.message = "the Graph API did not return the account's username";
    return out;
  }
  out.value = std::move(info);
  return out;
}

GraphResult<SendAck> GraphClient::sendText(const GraphCredentials& creds,
                                           const std::string& recipientId,
                                           const std::string& text) const {
  GraphResult<SendAck> out;
  std::string target = settings_.apiFlavor == ApiFlavor::kFacebook ? creds.pageId : creds.accountId;
  if (target.empty()) target = "me";
  auto req = request(sdk::Method::kPost, url(target + "/messages", "", creds), creds,
                     settings_.graphTimeoutMs);
  req.contentType = "application/json";
  req.body = "{\"recipient\":{\"id\":" + sdk::jsonQuote(recipientId) +
             "},\"message\":{\"text\":" + sdk::jsonQuote(text) +
             "},\"messaging_type\":\"RESPONSE\"}";
  auto body = exchange(req);
  if (!body.ok()) {
    out.error = body.error;
    return out;
  }
  auto obj = parseObject(*body.value);
  SendAck ack;
  ack.recipientId = getString(*obj, "recipient_id").value_or(recipientId);
  ack.messageId = getString(*obj, "message_id").value_or("");
  if (ack.messageId.empty()) {
    out.error.httpStatus = 502;
    out.error.message = "the Send API answered without a message_id";
    return out;
  }
  out.value = std::move(ack);
  return out;
}

GraphResult<std::optional<UserProfile>> GraphClient::fetchProfile(const GraphCredentials& creds,
                                                                  const std::string& userId) const {
  GraphResult<std::optional<UserProfile>> out;
  auto body =
      exchange(request(sdk::Method::kGet, url(userId, "fields=name,username,profile_pic", creds),
                       creds, settings_.graphTimeoutMs));
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

}  // namespace chathost::instagram
