#include "conversation/webhook_ingress.h"

#include "conversation/event_record.h"

namespace chathost::host {

namespace {
// What Meta's samples answer; platforms only look at the status.
constexpr const char* kAck = "EVENT_RECEIVED";

sdk::Counter& eventsCounter(sdk::Metrics& metrics, const std::string& channel, const char* result) {
  return metrics.counter("chathost_" + channel + "_webhook_events_total",
                         "Webhook events of the channel by outcome", {{"result", result}});
}

sdk::Status verificationFailed() {
  return {sdk::ErrorCode::kForbidden, "webhook verification failed"};
}
}  // namespace

WebhookIngress::WebhookIngress(std::shared_ptr<const RegisteredChannel> channel,
                               ConversationServices& services)
    : channel_(std::move(channel)),
      services_(services),
      name_(channel_->description.name),
      accepted_(eventsCounter(services.metrics, name_, "accepted")),
      dropped_(eventsCounter(services.metrics, name_, "dropped")),
      ignored_(eventsCounter(services.metrics, name_, "ignored")) {}

void WebhookIngress::registerRoutes(sdk::Router& router) {
  using sdk::Method;
  auto bind = [this](auto fn) {
    return [this, fn](const sdk::Request& r, const sdk::RouteContext&) { return (this->*fn)(r); };
  };
  const std::string agentPath =
      "/api/database/:subaccountId/chat-agents/:agentId/" + name_ + "/webhook";
  const std::string channelPath = "/webhooks/" + name_;
  router.addPublicRoute(Method::kGet, agentPath, "webhookVerify",
                        bind(&WebhookIngress::challengeForAgent));
  router.addPublicRoute(Method::kPost, agentPath, "webhook",
                        bind(&WebhookIngress::receiveForAgent));
  router.addPublicRoute(Method::kGet, channelPath, "webhookVerify",
                        bind(&WebhookIngress::challengeForChannel));
  router.addPublicRoute(Method::kPost, channelPath, "webhook",
                        bind(&WebhookIngress::receiveForChannel));
}

sdk::Result<std::optional<sdk::Connection>> WebhookIngress::agentConnection(
    const sdk::Request& req) {
  auto found = services_.cache.byAgent(req.param("subaccountId"), req.param("agentId"), name_);
  if (!found) return found;
  if (!*found || !(*found)->connected) return std::optional<sdk::Connection>{};
  return found;
}

sdk::Result<sdk::Response> WebhookIngress::challengeForAgent(const sdk::Request& req) {
  auto conn = agentConnection(req);
  if (!conn) return conn.status();
  if (!*conn) return verificationFailed();
  return channel_->channel->answerChallenge(req, &**conn);
}

sdk::Result<sdk::Response> WebhookIngress::challengeForChannel(const sdk::Request& req) {
  return channel_->channel->answerChallenge(req, nullptr);
}

host::NewInboxEvent WebhookIngress::toInboxEvent(const sdk::InboundEvent& e,
                                                 const sdk::Connection& c) const {
  host::NewInboxEvent out;
  out.channel = name_;
  out.subaccountId = c.subaccountId;
  out.agentId = c.agentId;
  out.orderingKey = conversationKey(c.subaccountId, c.agentId, e.userId);
  out.dedupKey = e.dedupKey;
  out.kind = sdk::eventKindName(e.kind);
  out.eventTimestamp = e.timestamp;
  if (e.dedupKey.empty()) {
    // Without a key from the channel, one made of what identifies the event keeps distinct
    // events apart and redeliveries together.
    sdk::InboundEvent keyed = e;
    keyed.dedupKey = std::string("auto:") + sdk::eventKindName(e.kind) + ":" + e.userId + ":" +
                     std::to_string(e.timestamp) + ":" + e.mid;
    out.dedupKey = keyed.dedupKey;
    out.payload = eventToPayload(keyed);
  } else {
    out.payload = eventToPayload(e);
  }
  return out;
}

sdk::Result<sdk::Response> WebhookIngress::record(std::vector<host::NewInboxEvent> events,
                                                  int dropped) {
  if (!events.empty()) {
    if (auto s = services_.inbox.append(events); !s) {
      services_.logger.error(name_ +
                                 " webhook: could not record events; the platform will "
                                 "deliver them again",
                             {{"error", s.message()}});
      return sdk::Status::unavailable("could not record the webhook events");
    }
    accepted_.inc(static_cast<double>(events.size()));
  }
  if (dropped > 0) dropped_.inc(dropped);
  return sdk::Response::text(200, kAck);
}

sdk::Result<sdk::Response> WebhookIngress::receiveForAgent(const sdk::Request& req) {
  auto conn = agentConnection(req);
  if (!conn) return sdk::Status::unavailable("connection lookup failed");  // the platform retries
  const sdk::Connection* connection = *conn ? &**conn : nullptr;
  if (auto s = channel_->channel->verifyWebhook(req, connection); !s) return s;
  auto parsed = channel_->channel->parseWebhook(req.body);
  if (!parsed) return parsed.status();
  ignored_.inc(parsed->ignored);
  if (!connection) return record({}, static_cast<int>(parsed->events.size()));
  std::vector<host::NewInboxEvent> events;
  events.reserve(parsed->events.size());
  int dropped = 0;
  for (const auto& e : parsed->events) {
    // A body signed for another account (e.g. with an app secret several tenants share) is not
    // this agent's to record.
    if (!e.accountId.empty() && !connection->accountId.empty() &&
        e.accountId != connection->accountId) {
      ++dropped;
      continue;
    }
    events.push_back(toInboxEvent(e, *connection));
  }
  return record(std::move(events), dropped);
}

sdk::Result<sdk::Response> WebhookIngress::receiveForChannel(const sdk::Request& req) {
  if (auto s = channel_->channel->verifyWebhook(req, nullptr); !s) return s;
  auto parsed = channel_->channel->parseWebhook(req.body);
  if (!parsed) return parsed.status();
  ignored_.inc(parsed->ignored);
  std::vector<host::NewInboxEvent> events;
  events.reserve(parsed->events.size());
  int dropped = 0;
  for (const auto& e : parsed->events) {
    auto conn = services_.cache.byAccount(name_, e.accountId);
    if (!conn) return sdk::Status::unavailable("connection lookup failed");
    if (!*conn || !(*conn)->connected) {
      ++dropped;
      continue;
    }
    events.push_back(toInboxEvent(e, **conn));
  }
  return record(std::move(events), dropped);
}

}  // namespace chathost::host
