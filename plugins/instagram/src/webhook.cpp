#include "webhook.h"

#include "signature.h"

namespace chathost::instagram {

namespace {
constexpr const char* kAck = "EVENT_RECEIVED";
constexpr const char* kEventsMetric = "chathost_instagram_webhook_events_total";
constexpr const char* kEventsHelp = "Instagram webhook events by outcome";

sdk::Status forbidden(const std::string& why) {
  return {sdk::ErrorCode::kForbidden, why};
}
}  // namespace

Webhook::Webhook(Services& services, const Settings& settings, ConnectionCache& cache)
    : services_(services),
      settings_(settings),
      cache_(cache),
      accepted_(services.metrics.counter(kEventsMetric, kEventsHelp, {{"result", "accepted"}})),
      dropped_(services.metrics.counter(kEventsMetric, kEventsHelp, {{"result", "dropped"}})),
      ignored_(services.metrics.counter(kEventsMetric, kEventsHelp, {{"result", "ignored"}})),
      badSignature_(services.metrics.counter("chathost_instagram_webhook_rejected_total",
                                             "Instagram webhook POSTs refused (signature)")) {}

void Webhook::registerAll(sdk::Router& router) {
  using sdk::Method;
  auto bind = [this](auto fn) {
    return [this, fn](const sdk::Request& r, const sdk::RouteContext&) { return (this->*fn)(r); };
  };
  router.addPublicRoute(Method::kGet, kAgentWebhookPath, "webhookVerify",
                        bind(&Webhook::verifyAgent));
  router.addPublicRoute(Method::kPost, kAgentWebhookPath, "webhook", bind(&Webhook::receiveAgent));
  router.addPublicRoute(Method::kGet, kAppWebhookPath, "webhookVerify", bind(&Webhook::verifyApp));
  router.addPublicRoute(Method::kPost, kAppWebhookPath, "webhook", bind(&Webhook::receiveApp));
}

sdk::Result<std::optional<sdk::Connection>> Webhook::agentConnection(const sdk::Request& req) {
  auto found = cache_.byAgent(req.param("subaccountId"), req.param("agentId"));
  if (!found) return found;
  auto& c = *found;
  if (!c || !c->connected) return std::optional<sdk::Connection>{};
  return found;
}

sdk::Result<sdk::Response> Webhook::challenge(const sdk::Request& req,
                                              const std::string& expected) {
  auto mode = req.queryParam("hub.mode");
  auto token = req.queryParam("hub.verify_token");
  auto chal = req.queryParam("hub.challenge");
  if (expected.empty() || !mode || *mode != "subscribe" || !token || !chal ||
      !constantTimeEquals(*token, expected))
    return forbidden("webhook verification failed");
  return sdk::Response::text(200, std::string(*chal));
}

sdk::Result<sdk::Response> Webhook::verifyAgent(const sdk::Request& req) {
  auto conn = agentConnection(req);
  if (!conn) return conn.status();
  if (!*conn) return forbidden("webhook verification failed");
  auto it = (*conn)->secrets.find("verifyToken");
  return challenge(req, it == (*conn)->secrets.end() ? std::string() : it->second);
}

sdk::Result<sdk::Response> Webhook::verifyApp(const sdk::Request& req) {
  return challenge(req, settings_.verifyToken);
}

sdk::Status Webhook::checkSignature(const sdk::Request& req, const std::string& key) {
  if (key.empty()) {
    if (!settings_.requireSignature) return sdk::Status::ok();
    badSignature_.inc();
    return forbidden("no webhook secret is configured, so the request cannot be verified");
  }
  auto header = req.header("X-Hub-Signature-256");
  if (!header || !verifySignature(req.body, *header, key)) {
    badSignature_.inc();
    return forbidden("missing or invalid X-Hub-Signature-256");
  }
  return sdk::Status::ok();
}

sdk::NewInboxEvent Webhook::toInboxEvent(const InstagramEvent& e, const sdk::Connection& c) {
  sdk::NewInboxEvent out;
  out.channel = kChannel;
  out.subaccountId = c.subaccountId;
  out.agentId = c.agentId;
  // One conversation: agent ids repeat across subaccounts, so the key names both.
  out.orderingKey = c.subaccountId + ":" + c.agentId + ":" + e.userId();
  out.dedupKey = dedupKeyOf(e);
  out.kind = kindName(e.kind);
  out.eventTimestamp = e.timestamp;
  out.payload = toInboxPayload(e, c.subaccountId, c.agentId);
  return out;
}

sdk::Result<sdk::Response> Webhook::record(std::vector<sdk::NewInboxEvent> events, int dropped) {
  if (!events.empty()) {
    if (auto s = services_.inbox.append(events); !s) {
      services_.logger.error("instagram webhook: could not record events; Meta will redeliver",
                             {{"error", s.message()}});
      return sdk::Status::unavailable("could not record the webhook events");
    }
    accepted_.inc(static_cast<double>(events.size()));
  }
  if (dropped > 0) dropped_.inc(dropped);
  return sdk::Response::text(200, kAck);
}

sdk::Result<sdk::Response> Webhook::receiveAgent(const sdk::Request& req) {
  auto conn = agentConnection(req);
  if (!conn) return sdk::Status::unavailable("connection lookup failed");  // Meta retries
  std::string key;
  if (*conn) {
    auto it = (*conn)->secrets.find("webhookSecret");
    if (it != (*conn)->secrets.end()) key = it->second;
  }
  if (key.empty()) key = settings_.appSecret;
  if (auto s = checkSignature(req, key); !s) return s;

  auto parsed = parseWebhook(req.body);
  if (!parsed) return parsed.status();
  ignored_.inc(parsed->changesSkipped);
  if (!*conn) return record({}, static_cast<int>(parsed->events.size()));
  std::vector<sdk::NewInboxEvent> events;
  events.reserve(parsed->events.size());
  for (const auto& e : parsed->events) events.push_back(toInboxEvent(e, **conn));
  return record(std::move(events), 0);
}

sdk::Result<sdk::Response> Webhook::receiveApp(const sdk::Request& req) {
  if (auto s = checkSignature(req, settings_.appSecret); !s) return s;
  auto parsed = parseWebhook(req.body);
  if (!parsed) return parsed.status();
  ignored_.inc(parsed->changesSkipped);
  std::vector<sdk::NewInboxEvent> events;
  events.reserve(parsed->events.size());
  int dropped = 0;
  for (const auto& e : parsed->events) {
    auto conn = cache_.byAccount(e.entryId);
    if (!conn) return sdk::Status::unavailable("connection lookup failed");
    if (!*conn || !(*conn)->connected) {
      ++dropped;
      continue;
    }
    events.push_back(toInboxEvent(e, **conn));
  }
  return record(std::move(events), dropped);
}

}  // namespace chathost::instagram
