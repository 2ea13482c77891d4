#include "support/edge_instance.h"

#include "support/backend_services.h"

#include "support/edge_payloads.h"
#include "support/edge_wait.h"
#include "support/jwt_craft.h"
#include "support/signing.h"

#include <Poco/JSON/Parser.h>

#include <sstream>

namespace chathost::testing::edge {
namespace {

Json parseObject(const std::string& text) {
  try {
    return Poco::JSON::Parser().parse(text).extract<Json>();
  } catch (...) {
    return nullptr;
  }
}

std::string withGraphUrl(std::string text, const std::string& graphUrl) {
  const std::string placeholder = "{graph}";
  for (auto at = text.find(placeholder); at != std::string::npos;
       at = text.find(placeholder, at + graphUrl.size()))
    text.replace(at, placeholder.size(), graphUrl);
  return text;
}

std::string configYaml(const TempDir& dir, const std::string& graphUrl, const EdgeOptions& options,
                       const HostConfigSpec& backend) {
  return "server:\n  listen: 127.0.0.1:0\n" + options.serverYaml +
         "auth:\n  jwt_secret: " + kJwtSecret + "\n" + storageAndDedupYaml(backend) +
         "secrets:\n  key_file: " + dir.file("secret.key") + "\ndata_dir: " + dir.file("var") +
         "\nworkers:\n  lease_ms: 2000\n" + options.workersYaml + options.agentsYaml +
         "plugins:\n  - name: instagram\n    config:\n"
         "      graph_base_url: " +
         graphUrl + "\n      graph_api_version: v21.0\n      app_secret: " + kAppSecret +
         "\n      verify_token: " + kAppVerifyToken + "\n" +
         withGraphUrl(options.pluginYaml, graphUrl);
}

// The sample lines of a Prometheus text: "name{labels} value".
bool labelsMatch(const std::string& labelText, const Labels& labels) {
  for (const auto& [k, v] : labels)
    if (labelText.find(k + "=\"" + v + "\"") == std::string::npos) return false;
  return true;
}

}  // namespace

double metricSum(const std::string& metricsText, const std::string& name, const Labels& labels) {
  double sum = 0;
  std::istringstream in(metricsText);
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#' || line.rfind(name, 0) != 0) continue;
    const std::size_t after = name.size();
    if (after >= line.size() || (line[after] != '{' && line[after] != ' ')) continue;
    std::string labelText;
    std::size_t valueAt = after + 1;
    if (line[after] == '{') {
      const std::size_t close = line.find("} ", after);
      if (close == std::string::npos) continue;
      labelText = line.substr(after, close - after + 1);
      valueAt = close + 2;
    }
    if (!labelsMatch(labelText, labels)) continue;
    try {
      sum += std::stod(line.substr(valueAt));
    } catch (...) {
    }
  }
  return sum;
}

std::unique_ptr<EdgeInstance> EdgeInstance::start(const EdgeOptions& options,
                                                  std::string& failure) {
  std::unique_ptr<EdgeInstance> self(new EdgeInstance);
  std::vector<std::string> accounts;
  for (const auto& a : options.accounts)
    accounts.push_back(a.token + ":" + a.igId + ":" + a.pageId + ":" + a.username);
  auto graph = FakeGraphProcess::start(accounts, self->dir_.path());
  if (!graph) {
    failure = "the fake Graph API did not start";
    return nullptr;
  }
  self->graph_.emplace(std::move(*graph));
  HostConfigSpec backend;
  backend.backend = options.backend;
  backend.sqlitePath = self->dir_.file("chathost.db");
  if (!useFixtureServices(backend, "edge", &failure)) return nullptr;
  self->postgresDsn_ = backend.postgresDsn;
  self->postgresSchema_ = backend.postgresSchema;
  const std::string config = self->dir_.write(
      "chathost.yaml", configYaml(self->dir_, self->graph_->baseUrl(), options, backend));
  auto host = HostProcess::start(config, self->dir_.path(), options.env, &failure);
  if (!host) return nullptr;
  self->host_.emplace(std::move(*host));
  self->token_ = craftJwt("{\"alg\":\"HS256\",\"typ\":\"JWT\"}",
                          "{\"sub\":\"edge\",\"subaccounts\":[\"" + std::string(kSubaccount) +
                              "\"],\"exp\":" + std::to_string(nowSeconds() + 3600) + "}",
                          kJwtSecret);
  return self;
}

EdgeInstance::~EdgeInstance() {
  host_.reset();
  if (!postgresSchema_.empty()) dropSchema(postgresDsn_, postgresSchema_);
}

HttpResult EdgeInstance::api(const std::string& method, const std::string& path,
                             const std::string& body, int timeoutMs) const {
  return httpCall(method, baseUrl() + "/api/database/" + kSubaccount + "/chat-agents" + path, body,
                  bearer(token_), timeoutMs);
}

HttpResult EdgeInstance::apiAs(const std::string& subaccount, const std::string& method,
                               const std::string& path, const std::string& body) const {
  const std::string token =
      craftJwt("{\"alg\":\"HS256\",\"typ\":\"JWT\"}",
               "{\"sub\":\"edge-other\",\"subaccounts\":[" + quote(subaccount) +
                   "],\"exp\":" + std::to_string(nowSeconds() + 3600) + "}",
               kJwtSecret);
  return httpCall(method, baseUrl() + "/api/database/" + subaccount + "/chat-agents" + path, body,
                  bearer(token));
}

HttpResult EdgeInstance::createAgent(const std::string& id, const std::string& type,
                                     const std::string& configJson) const {
  return api("POST", "",
             "{\"id\":" + quote(id) + ",\"name\":" + quote("Agent " + id) +
                 ",\"type\":" + quote(type) + ",\"config\":" + configJson + "}");
}

HttpResult EdgeInstance::connect(const std::string& agent, const EdgeAccount& account,
                                 const std::string& webhookSecret) const {
  std::string body = "{\"accessToken\":" + quote(account.token) +
                     ",\"instagramAccountId\":" + quote(account.igId) +
                     ",\"pageId\":" + quote(account.pageId) +
                     ",\"webhookVerificationToken\":\"verify-" + agent + "\"";
  if (!webhookSecret.empty()) body += ",\"webhookSecret\":" + quote(webhookSecret);
  return api("POST", "/" + agent + "/instagram/connect", body + "}");
}

namespace {
HttpResult postSigned(const std::string& url, const std::string& body, const std::string& secret) {
  std::vector<std::pair<std::string, std::string>> headers = {{"Content-Type", "application/json"}};
  if (!secret.empty()) headers.emplace_back("X-Hub-Signature-256", hubSignature(secret, body));
  return httpCall("POST", url, body, headers);
}
}  // namespace

HttpResult EdgeInstance::postWebhook(const std::string& agent, const std::string& body,
                                     const std::string& secret) const {
  return postSigned(
      baseUrl() + "/api/database/" + kSubaccount + "/chat-agents/" + agent + "/instagram/webhook",
      body, secret);
}

HttpResult EdgeInstance::postAppWebhook(const std::string& body, const std::string& secret) const {
  return postSigned(baseUrl() + "/webhooks/instagram", body, secret);
}

std::vector<Json> EdgeInstance::chats(const std::string& agent) const {
  std::vector<Json> out;
  auto r = api("GET", "/" + agent + "/instagram/messages?limit=200&skip=0");
  if (r.status != 200) return out;
  auto root = parseObject(r.body);
  if (!root || !root->getObject("data")) return out;
  auto list = root->getObject("data")->getArray("chats");
  for (std::size_t i = 0; list && i < list->size(); ++i)
    out.push_back(list->getObject(static_cast<unsigned>(i)));
  return out;
}

Json EdgeInstance::chatWith(const std::string& agent, const std::string& userId) const {
  for (const auto& chat : chats(agent))
    if (chat->getObject("metadata")->optValue<std::string>("instagram_user_id", "") == userId)
      return chat;
  return nullptr;
}

std::vector<Json> EdgeInstance::messages(const std::string& agent) const {
  std::vector<Json> out;
  for (const auto& chat : chats(agent)) {
    auto list = chat->getArray("messages");
    for (std::size_t i = 0; list && i < list->size(); ++i)
      out.push_back(list->getObject(static_cast<unsigned>(i)));
  }
  return out;
}

Json EdgeInstance::messageByMid(const std::string& agent, const std::string& mid) const {
  for (const auto& m : messages(agent))
    if (m->optValue<std::string>("mid", "") == mid) return m;
  return nullptr;
}

std::vector<SentRecord> sentRecords(const std::string& graphUrl, const std::string& list) {
  std::vector<SentRecord> out;
  auto r = httpCall("GET", graphUrl + "/_fake/sent");
  auto root = r.status == 200 ? parseObject(r.body) : nullptr;
  if (!root) return out;
  auto items = root->getArray(list);
  for (std::size_t i = 0; items && i < items->size(); ++i) {
    auto o = items->getObject(static_cast<unsigned>(i));
    auto text = [&](const char* key) { return o->optValue<std::string>(key, ""); };
    SentRecord s;
    s.senderId = text("senderId");
    s.recipientId = text("recipientId");
    s.text = text("text");
    s.messageId = text("messageId");
    s.kind = text("kind");
    s.tag = text("tag");
    s.messagingType = text("messagingType");
    s.attachmentType = text("attachmentType");
    s.attachmentUrl = text("attachmentUrl");
    s.action = text("action");
    s.atMs = o->optValue<Poco::Int64>("atMs", 0);
    out.push_back(std::move(s));
  }
  return out;
}

std::vector<SentRecord> EdgeInstance::sent() const {
  return sentRecords(graph_->baseUrl(), "sent");
}

std::vector<SentRecord> EdgeInstance::actions() const {
  return sentRecords(graph_->baseUrl(), "actions");
}

HttpResult EdgeInstance::graphControl(const std::string& method, const std::string& path,
                                      const std::string& body) const {
  return httpCall(method, graph_->baseUrl() + path, body);
}

int EdgeInstance::graphRequests(const std::string& methodAndPath) const {
  auto r = httpCall("GET", graph_->baseUrl() + "/_fake/requests");
  auto root = r.status == 200 ? parseObject(r.body) : nullptr;
  return root ? root->optValue<int>(methodAndPath, 0) : 0;
}

std::string EdgeInstance::metricsText() const {
  return httpCall("GET", baseUrl() + "/metrics").body;
}

double EdgeInstance::metric(const std::string& name, const Labels& labels) const {
  return metricSum(metricsText(), name, labels);
}

bool outboxSettledIn(const std::string& metricsText) {
  const double queued = metricSum(metricsText, "chathost_outbox_appended_total", {});
  const double finished =
      metricSum(metricsText, "chathost_outbox_events_total", {{"outcome", "done"}}) +
      metricSum(metricsText, "chathost_outbox_events_total", {{"outcome", "failed"}});
  return finished >= queued;
}

bool EdgeInstance::waitInboxDone(double count, std::chrono::milliseconds timeout) const {
  return eventually(
      [&] {
        const std::string text = metricsText();
        return metricSum(text, "chathost_inbox_events_total",
                         {{"channel", "instagram"}, {"outcome", "done"}}) >= count &&
               outboxSettledIn(text);
      },
      timeout);
}

}  // namespace chathost::testing::edge
