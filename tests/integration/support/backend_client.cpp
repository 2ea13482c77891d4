#include "support/backend_client.h"

#include "support/jwt_craft.h"
#include "support/signing.h"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Parser.h>

#include <sstream>

namespace chathost::testing {

JsonObject parseObject(const std::string& body) {
  try {
    auto value = Poco::JSON::Parser().parse(body);
    if (value.type() == typeid(JsonObject)) return value.extract<JsonObject>();
  } catch (const std::exception&) {
  }
  return new Poco::JSON::Object;
}

std::string errorCode(const HttpResult& r) {
  return parseObject(r.body)->optValue<std::string>("code", "");
}

std::string errorMessage(const HttpResult& r) {
  return parseObject(r.body)->optValue<std::string>("message", "");
}

std::string tokenFor(const std::string& jwtSecret, const std::vector<std::string>& subaccounts) {
  std::string list;
  for (const auto& s : subaccounts) list += (list.empty() ? "\"" : ",\"") + s + "\"";
  return craftJwt("{\"alg\":\"HS256\",\"typ\":\"JWT\"}",
                  "{\"sub\":\"backend-test\",\"subaccounts\":[" + list +
                      "],\"exp\":" + std::to_string(nowSeconds() + 3600) + "}",
                  jwtSecret);
}

std::int64_t nowMillis() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

std::string AgentsApi::url(const std::string& path) const {
  return base_ + "/api/database/" + subaccount_ + "/chat-agents" + path;
}

HttpResult AgentsApi::call(const std::string& method, const std::string& path,
                           const std::string& body) const {
  return httpCall(method, url(path), body, bearer(token_));
}

int AgentsApi::createRulesAgent(const std::string& id, const std::string& name) const {
  return call("POST", "",
              "{\"id\":\"" + id + "\",\"name\":\"" + name +
                  "\",\"type\":\"rules\",\"config\":{\"rules\":[{\"match\":\"price\",\"reply\":"
                  "\"The blue one is 49 EUR.\"}],\"fallback\":\"Thanks!\"}}")
      .status;
}

std::string IgAccount::fakeSpec() const {
  return accessToken + ":" + accountId + ":" + pageId + ":" + username;
}

std::string IgAccount::connectBody() const {
  return "{\"accessToken\":\"" + accessToken + "\",\"instagramAccountId\":\"" + accountId +
         "\",\"pageId\":\"" + pageId +
         "\",\"webhookVerificationToken\":\"verify-me\",\"webhookSecret\":\"" + webhookSecret +
         "\"}";
}

std::string messageWebhook(const std::string& accountId, const std::string& userId,
                           const std::string& mid, const std::string& text, std::int64_t ts) {
  const std::string t = std::to_string(ts);
  return "{\"object\":\"instagram\",\"entry\":[{\"id\":\"" + accountId + "\",\"time\":" + t +
         ",\"messaging\":[{\"sender\":{\"id\":\"" + userId + "\"},\"recipient\":{\"id\":\"" +
         accountId + "\"},\"timestamp\":" + t + ",\"message\":{\"mid\":\"" + mid +
         "\",\"text\":\"" + text + "\"}}]}]}";
}

HttpResult postAgentWebhook(const AgentsApi& api, const std::string& agentId,
                            const std::string& body, const std::string& secret) {
  return httpCall(
      "POST", api.url("/" + agentId + "/instagram/webhook"), body,
      {{"Content-Type", "application/json"}, {"X-Hub-Signature-256", hubSignature(secret, body)}});
}

bool outboxSettled(const std::vector<std::string>& hostBaseUrls) {
  double queued = 0;
  double finished = 0;
  for (const auto& url : hostBaseUrls) {
    const double q = metricSum(url, "chathost_outbox_appended_total");
    const double done = metricSum(url, "chathost_outbox_events_total", {{"outcome", "done"}});
    const double failed = metricSum(url, "chathost_outbox_events_total", {{"outcome", "failed"}});
    if (q < 0 || done < 0 || failed < 0) return false;  // a host did not answer
    queued += q;
    finished += done + failed;
  }
  return finished >= queued;
}

double metricSum(const std::string& hostBaseUrl, const std::string& name,
                 const std::vector<std::pair<std::string, std::string>>& labels) {
  auto r = httpCall("GET", hostBaseUrl + "/metrics");
  if (r.status != 200) return -1;
  double sum = 0;
  std::istringstream lines(r.body);
  std::string line;
  while (std::getline(lines, line)) {
    if (line.empty() || line[0] == '#') continue;
    // "name{labels} value" or "name value"
    const auto nameEnd = line.find_first_of("{ ");
    if (nameEnd == std::string::npos || line.compare(0, nameEnd, name) != 0) continue;
    const auto valueAt = line.rfind(' ');
    const std::string labelText = line.substr(nameEnd, valueAt - nameEnd);
    bool matches = true;
    for (const auto& [k, v] : labels)
      if (labelText.find(k + "=\"" + v + "\"") == std::string::npos) matches = false;
    if (!matches) continue;
    try {
      sum += std::stod(line.substr(valueAt + 1));
    } catch (const std::exception&) {
    }
  }
  return sum;
}

std::vector<SentMessage> sentMessages(const std::string& graphBaseUrl) {
  std::vector<SentMessage> out;
  auto r = httpCall("GET", graphBaseUrl + "/_fake/sent");
  if (r.status != 200) return out;
  auto list = parseObject(r.body)->getArray("sent");
  if (!list) return out;
  for (std::size_t i = 0; i < list->size(); ++i) {
    auto item = list->getObject(static_cast<unsigned>(i));
    if (!item) continue;
    out.push_back({item->optValue<std::string>("recipientId", ""),
                   item->optValue<std::string>("text", ""),
                   item->optValue<Poco::Int64>("atMs", 0)});
  }
  return out;
}

}  // namespace chathost::testing
