#include "conversation/webhook_ingress.h"

#include "conversation/event_record.h"

namespace chathost::host {

namespace {
// What Meta's samples answer; platforms only look at the status.
constexpr const char* kAck = "EVENT_RECEIVED";
// Bodies checked on the network thread: a delivery is a few KB; a larger body (anyone may post
// one to the public URL) is checked on a handler thread, where its HMAC and parse delay nobody.
constexpr std::size_t kInlineBodyLimit = 64 * 1024;

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
  const std::string agentPath = agentWebhookPath();
  const std::string channelPath = channelWebhookPath();
  router.addPublicRoute(Method::kGet, agentPath, "webhookVerify",
                        bind(&WebhookIngress::challengeForAgent));
  router.addPublicRoute(Method::kPost, agentPath, "webhook",
                        bind(&WebhookIngress::receiveForAgent));
  router.addPublicRoute(Method::kGet, channelPath, "webhookVerify",
                        bind(&WebhookIngress::challengeForChannel));
  router.addPublicRoute(Method::kPost, channelPath, "webhook",
                        bind(&WebhookIngress::receiveForChannel));
}

std::string WebhookIngress::agentWebhookPath() const {
  return "/api/database/:subaccountId/chat-agents/:agentId/" + name_ + "/webhook";
}

std::string WebhookIngress::channelWebhookPath() const {
  return "/webhooks/" + name_;
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

sdk::Result<sdk::Response> WebhookIngress::recorded(const sdk::Status& appended, std::size_t events,
                                                    int dropped) {
  if (!appended) {
    services_.logger.error(
        name_ + " webhook: could not record events; the platform will deliver them again",
        {{"error", appended.message()}});
    return sdk::Status::unavailable("could not record the webhook events");
  }
  if (events > 0) accepted_.inc(static_cast<double>(events));
  if (dropped > 0) dropped_.inc(dropped);
  return sdk::Response::text(200, kAck);
}

sdk::Result<sdk::Response> WebhookIngress::record(Delivery delivery) {
  const sdk::Status appended =
      delivery.events.empty() ? sdk::Status::ok() : services_.inbox.append(delivery.events);
  return recorded(appended, delivery.events.size(), delivery.dropped);
}

void WebhookIngress::recordAsync(Delivery delivery, InlineReply reply) {
  if (delivery.events.empty()) return reply(recorded(sdk::Status::ok(), 0, delivery.dropped));
  const std::size_t events = delivery.events.size();
  const int dropped = delivery.dropped;
  services_.inbox.appendAsync(
      std::move(delivery.events),
      [this, events, dropped, reply = std::move(reply)](const sdk::Status& appended) {
        reply(recorded(appended, events, dropped));
      });
}

sdk::Result<WebhookIngress::Delivery> WebhookIngress::deliveryForAgent(
    const sdk::Request& req, const sdk::Connection* connection) {
  if (auto s = channel_->channel->verifyWebhook(req, connection); !s) return s;
  auto parsed = channel_->channel->parseWebhook(req.body);
  if (!parsed) return parsed.status();
  ignored_.inc(parsed->ignored);
  Delivery d;
  if (!connection) {
    d.dropped = static_cast<int>(parsed->events.size());
    return d;
  }
  d.events.reserve(parsed->events.size());
  for (const auto& e : parsed->events) {
    // A body signed for another account (e.g. with an app secret several tenants share) is not
    // this agent's to record.
    if (!e.accountId.empty() && !connection->accountId.empty() &&
        e.accountId != connection->accountId) {
      ++d.dropped;
      continue;
    }
    d.events.push_back(toInboxEvent(e, *connection));
  }
  return d;
}

sdk::Result<std::optional<WebhookIngress::Delivery>> WebhookIngress::deliveryForChannel(
    const sdk::Request& req, const AccountLookup& lookup) {
  if (auto s = channel_->channel->verifyWebhook(req, nullptr); !s) return s;
  auto parsed = channel_->channel->parseWebhook(req.body);
  if (!parsed) return parsed.status();
  Delivery d;
  d.events.reserve(parsed->events.size());
  for (const auto& e : parsed->events) {
    auto conn = lookup(e.accountId);
    if (!conn) return sdk::Status::unavailable("connection lookup failed");
    if (!*conn) return std::optional<Delivery>{};  // declined: not known without storage
    if (!**conn || !(**conn)->connected) {
      ++d.dropped;
      continue;
    }
    d.events.push_back(toInboxEvent(e, ***conn));
  }
  // Counted once the body is taken, not again when a declined one is read a second time.
  ignored_.inc(parsed->ignored);
  return std::optional<Delivery>(std::move(d));
}

sdk::Result<sdk::Response> WebhookIngress::receiveForAgent(const sdk::Request& req) {
  auto conn = agentConnection(req);
  if (!conn) return sdk::Status::unavailable("connection lookup failed");  // the platform retries
  auto delivery = deliveryForAgent(req, *conn ? &**conn : nullptr);
  if (!delivery) return delivery.status();
  return record(std::move(delivery).value());
}

sdk::Result<sdk::Response> WebhookIngress::receiveForChannel(const sdk::Request& req) {
  auto delivery = deliveryForChannel(
      req, [this](const std::string& accountId) -> sdk::Result<ConnectionCache::Cached> {
        auto found = services_.cache.byAccount(name_, accountId);
        if (!found) return found.status();
        return ConnectionCache::Cached(std::move(found).value());
      });
  if (!delivery) return delivery.status();
  return record(std::move(**delivery));
}

bool WebhookIngress::receiveInlineForAgent(const sdk::Request& req, InlineReply reply) {
  if (req.body.size() > kInlineBodyLimit) return false;
  auto cached =
      services_.cache.cachedByAgent(req.param("subaccountId"), req.param("agentId"), name_);
  if (!cached) return false;
  const sdk::Connection* connection = *cached && (*cached)->connected ? &**cached : nullptr;
  auto delivery = deliveryForAgent(req, connection);
  if (!delivery) {
    reply(delivery.status());
    return true;
  }
  recordAsync(std::move(delivery).value(), std::move(reply));
  return true;
}

bool WebhookIngress::receiveInlineForChannel(const sdk::Request& req, InlineReply reply) {
  if (req.body.size() > kInlineBodyLimit) return false;
  auto delivery = deliveryForChannel(
      req, [this](const std::string& accountId) -> sdk::Result<ConnectionCache::Cached> {
        return services_.cache.cachedByAccount(name_, accountId);
      });
  if (!delivery) {
    reply(delivery.status());
    return true;
  }
  if (!*delivery) return false;
  recordAsync(std::move(**delivery), std::move(reply));
  return true;
}

sdk::Status WebhookIngress::registerInline(const AddInlineHandler& add) {
  if (auto s = add(sdk::Method::kPost, agentWebhookPath(),
                   [this](const sdk::Request& r, InlineReply reply) {
                     return receiveInlineForAgent(r, std::move(reply));
                   });
      !s)
    return s;
  return add(sdk::Method::kPost, channelWebhookPath(),
             [this](const sdk::Request& r, InlineReply reply) {
               return receiveInlineForChannel(r, std::move(reply));
             });
}

}  // namespace chathost::host
