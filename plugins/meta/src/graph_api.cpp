#include <chathost/meta/graph_api.h>

#include <chathost/meta/graph_http.h>
#include <chathost/meta/json_util.h>
#include <chathost/meta/send_body.h>
#include <chathost/meta/signature.h>
#include <chathost/meta/subscribed_fields.h>

namespace chathost::meta {

namespace {
constexpr int kNoConsent = 230;
constexpr int kNoSuchUser = 9010;

GraphResult<bool> failure(const GraphError& error) {
  GraphResult<bool> out;
  out.error = error;
  return out;
}

// `{"success":true}` or the error; a 2xx without it is a malformed answer.
GraphResult<bool> successOf(GraphResult<std::string> body, const std::string& what) {
  if (!body.ok()) return failure(body.error);
  auto obj = parseObject(*body.value);
  if (!getBool(*obj, "success").value_or(false))
    return failure(malformedAnswer("the Graph API did not confirm " + what));
  GraphResult<bool> out;
  out.value = true;
  return out;
}
}  // namespace

GraphError malformedAnswer(const std::string& what) {
  GraphError e;
  e.httpStatus = 502;
  e.message = what;
  return e;
}

bool isGraphId(std::string_view id) {
  constexpr std::size_t kMaxIdLength = 128;
  if (id.empty() || id.size() > kMaxIdLength || id == "." || id == "..") return false;
  for (char c : id)
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' ||
          c == '-' || c == '.'))
      return false;
  return true;
}

GraphApi::GraphApi(sdk::HttpClient& http, GraphApiOptions options)
    : http_(http), options_(std::move(options)) {}

std::string GraphApi::url(const GraphTarget& target, const std::string& path,
                          const std::string& query) const {
  std::string u = target.baseUrl + "/" + options_.apiVersion;
  std::size_t start = 0;
  while (start <= path.size()) {  // ids are encoded segment by segment
    std::size_t slash = path.find('/', start);
    if (slash == std::string::npos) slash = path.size();
    u += "/" + percentEncode(path.substr(start, slash - start));
    start = slash + 1;
  }
  std::string q = query;
  if (!options_.appSecret.empty() && !target.accessToken.empty()) {
    if (!q.empty()) q += "&";
    q += "appsecret_proof=" + proofFor(target.accessToken);
  }
  return q.empty() ? u : u + "?" + q;
}

std::string GraphApi::proofFor(const std::string& accessToken) const {
  constexpr std::size_t kMaxProofs = 10000;  // bounded: tokens of disconnected accounts go too
  std::lock_guard lock(proofsMutex_);
  if (auto it = proofs_.find(accessToken); it != proofs_.end()) return it->second;
  if (proofs_.size() >= kMaxProofs) proofs_.clear();
  return proofs_[accessToken] = appSecretProof(accessToken, options_.appSecret);
}

sdk::HttpRequest GraphApi::request(sdk::Method method, const std::string& url,
                                   const GraphTarget& target) const {
  sdk::HttpRequest req;
  req.method = method;
  req.url = url;
  req.headers = {{"Authorization", "Bearer " + target.accessToken}, {"Accept", "application/json"}};
  req.timeoutMs = options_.timeoutMs;
  return req;
}

GraphResult<std::string> GraphApi::call(sdk::Method method, const GraphTarget& target,
                                        const std::string& path, const std::string& query) const {
  return exchangeJson(http_, request(method, url(target, path, query), target));
}

GraphResult<SendAck> GraphApi::sendMessage(const GraphTarget& target, const std::string& node,
                                           const sdk::OutboundMessage& message) const {
  GraphResult<SendAck> out;
  auto req = request(sdk::Method::kPost, url(target, node + "/messages"), target);
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

GraphResult<bool> GraphApi::subscribeApp(const GraphTarget& target, const std::string& node,
                                         const std::string& fields, ExistingFields existing) const {
  const std::string edge = node + "/subscribed_apps";
  std::string all = fields;
  if (existing == ExistingFields::kKeep) {
    auto listed = call(sdk::Method::kGet, target, edge);
    if (!listed.ok()) return failure(listed.error);
    auto current = appSubscribedFields(*listed.value, options_.appId);
    if (!current.ok()) return failure(current.error);
    all = fieldUnion(*current.value, fields);
  }
  // Commas are allowed in a query as they are: the fields stay readable in logs of proxies.
  return successOf(call(sdk::Method::kPost, target, edge, "subscribed_fields=" + all),
                   "the webhook subscription");
}

GraphResult<bool> GraphApi::unsubscribeApp(const GraphTarget& target,
                                           const std::string& node) const {
  return successOf(call(sdk::Method::kDelete, target, node + "/subscribed_apps"),
                   "the end of the webhook subscription");
}

GraphResult<std::optional<UserProfile>> GraphApi::fetchProfile(const GraphTarget& target,
                                                               const std::string& userId,
                                                               const std::string& fields) const {
  GraphResult<std::optional<UserProfile>> out;
  auto body = call(sdk::Method::kGet, target, userId, "fields=" + fields);
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

}  // namespace chathost::meta
