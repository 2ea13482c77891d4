#include "messenger_channel.h"

#include "page_connect.h"

#include <chathost/meta/messaging_parser.h>
#include <chathost/meta/page_token_check.h>
#include <chathost/meta/send_body.h>
#include <chathost/meta/webhook_auth.h>

namespace chathost::messenger {

namespace {
// The Send API counts characters (at most 2000). The host splits by bytes: 2000 bytes are never
// more than 2000 characters, so no split part is refused, whatever the script.
constexpr std::size_t kMaxTextBytes = 2000;
constexpr std::int64_t kReplyWindowMs = 24LL * 3600 * 1000;
constexpr std::int64_t kTaggedWindowMs = 7LL * 24 * 3600 * 1000;  // HUMAN_AGENT
constexpr const char* kWebhookObject = "page";
constexpr const char* kProfileFields = "name,profile_pic";  // a PSID has no username
constexpr const char* kSendsMetric = "chathost_messenger_sends_total";
constexpr const char* kSendsHelp = "Messenger Send API calls";
constexpr const char* kActionsMetric = "chathost_messenger_sender_actions_total";
constexpr const char* kActionsHelp = "Messenger sender actions (typing, seen) sent";
}  // namespace

MessengerChannel::MessengerChannel(Settings settings, sdk::HttpClient& http, sdk::Metrics& metrics,
                                   sdk::Logger& logger)
    : settings_(std::move(settings)),
      http_(http),
      graph_(http, settings_.apiOptions()),
      logger_(logger),
      rejected_(metrics.counter("chathost_messenger_webhook_rejected_total",
                                "Messenger webhook POSTs refused (signature)")),
      sendsOk_(metrics.counter(kSendsMetric, kSendsHelp, {{"result", "ok"}})),
      sendsFailed_(metrics.counter(kSendsMetric, kSendsHelp, {{"result", "error"}})),
      actionsOk_(metrics.counter(kActionsMetric, kActionsHelp, {{"result", "ok"}})),
      actionsFailed_(metrics.counter(kActionsMetric, kActionsHelp, {{"result", "error"}})) {}

sdk::ChannelDescription MessengerChannel::describe() const {
  sdk::ChannelDescription d;
  d.name = kChannelName;
  d.displayName = kDisplayName;
  d.maxTextBytes = kMaxTextBytes;
  d.sendRatePerSecond = settings_.sendRatePerSecond;
  d.replyRetrySeconds = settings_.replyRetrySeconds;
  d.fetchesProfiles = settings_.profileFetch;
  d.connectFields = connectFields();
  d.configKeys = settingsKeys();
  d.replyWindowMs = kReplyWindowMs;
  d.messageTags = meta::supportedMessageTags();
  d.taggedWindowMs = kTaggedWindowMs;
  d.sendsAttachments = true;
  d.sendsSenderActions = true;
  return d;
}

sdk::Result<sdk::Response> MessengerChannel::answerChallenge(const sdk::Request& request,
                                                             const sdk::Connection* connection) {
  return meta::answerChallenge(request,
                               meta::expectedVerifyToken(connection, settings_.verifyToken));
}

sdk::Status MessengerChannel::verifyWebhook(const sdk::Request& request,
                                            const sdk::Connection* connection) {
  auto checked = meta::checkSignature(request, meta::signingKeyFor(connection, settings_.appSecret),
                                      settings_.requireSignature);
  if (!checked) rejected_.inc();
  return checked;
}

sdk::Result<sdk::ParsedWebhook> MessengerChannel::parseWebhook(std::string_view body) {
  return meta::parseMessagingWebhook(body, kWebhookObject);
}

meta::GraphTarget MessengerChannel::targetOf(const sdk::Connection& connection) const {
  return {settings_.graphBaseUrl, meta::secretOf(connection, "accessToken")};
}

sdk::SendResult MessengerChannel::send(const sdk::Connection& connection,
                                       const sdk::OutboundMessage& message) {
  using Kind = sdk::SendResult::Kind;
  const meta::GraphTarget target = targetOf(connection);
  if (target.accessToken.empty())
    return sdk::SendResult::failed(Kind::kReauth,
                                   "the connection holds no access token; reconnect Messenger");
  if (auto valid = meta::checkOutbound(message); !valid)
    return sdk::SendResult::failed(Kind::kPermanent, valid.message());
  const bool action = message.action != sdk::SenderAction::kNone;
  const std::string node = connection.pageId.empty() ? "me" : connection.pageId;
  auto ack = graph_.sendMessage(target, node, message);
  if (!ack.ok()) {
    (action ? actionsFailed_ : sendsFailed_).inc();
    return meta::toSendResult(ack.error, kDisplayName);
  }
  (action ? actionsOk_ : sendsOk_).inc();
  return sdk::SendResult::sent(ack.value->messageId, ack.value->recipientId);
}

sdk::Status MessengerChannel::refused(const meta::GraphError& error, const char* action,
                                      const sdk::AgentInfo& agent) const {
  logger_.warning(std::string("messenger connect: could not ") + action,
                  {{"subaccountId", agent.subaccountId},
                   {"agentId", agent.id},
                   {"error", meta::describe(error)}});
  return meta::toStatus(error, action, kDisplayName);
}

sdk::Result<sdk::ConnectResult> MessengerChannel::connect(const sdk::AgentInfo& agent,
                                                          std::string_view bodyJson) {
  auto req = parseConnectRequest(bodyJson);
  if (!req) return req.status();
  const meta::GraphTarget target{settings_.graphBaseUrl, req->accessToken};
  auto me = graph_.call(sdk::Method::kGet, target, "me", kWhoAmIQuery);
  if (!me.ok()) return refused(me.error, "verify the Page access token", agent);
  auto page = pageFromMe(*me.value, req->pageId);
  if (!page) return page.status();
  auto subscribed = graph_.subscribeApp(target, page->id, settings_.subscribedFields);
  if (!subscribed.ok())
    return refused(subscribed.error, "subscribe the app to the Page's messages", agent);
  return connectAnswer(*req, *page);
}

sdk::Status MessengerChannel::disconnect(const sdk::Connection& connection) {
  const meta::GraphTarget target = targetOf(connection);
  if (target.accessToken.empty() || connection.pageId.empty()) return sdk::Status::ok();
  auto done = graph_.unsubscribeApp(target, connection.pageId);
  if (!done.ok())
    return meta::toStatus(done.error, "unsubscribe the app from the Page's webhooks", kDisplayName);
  return sdk::Status::ok();
}

sdk::Result<std::optional<sdk::UserProfile>> MessengerChannel::fetchProfile(
    const sdk::Connection& connection, const std::string& userId) {
  if (!meta::isGraphId(userId)) return sdk::Status::validation("not a valid Messenger user id");
  auto profile = graph_.fetchProfile(targetOf(connection), userId, kProfileFields);
  if (!profile.ok()) return meta::toStatus(profile.error, "fetch the user's profile", kDisplayName);
  if (!*profile.value) return std::optional<sdk::UserProfile>{};
  return std::optional<sdk::UserProfile>{sdk::UserProfile{(*profile.value)->name, ""}};
}

sdk::CredentialCheck MessengerChannel::refreshCredentials(const sdk::Connection& connection,
                                                          std::int64_t nowMs) {
  return meta::checkPageToken(http_, settings_, connection, nowMs);
}

}  // namespace chathost::messenger
