#include "instagram_channel.h"

#include "account_setup.h"
#include "connect_request.h"
#include "credential_refresh.h"

#include <chathost/meta/messaging_parser.h>
#include <chathost/meta/send_body.h>
#include <chathost/meta/webhook_auth.h>

#include <chrono>

namespace chathost::instagram {

namespace {
constexpr std::size_t kMaxTextBytes = 1000;  // the Send API's limit, in UTF-8 bytes
constexpr std::int64_t kReplyWindowMs = 24LL * 3600 * 1000;
constexpr std::int64_t kTaggedWindowMs = 7LL * 24 * 3600 * 1000;
constexpr const char* kSendsMetric = "chathost_instagram_sends_total";
constexpr const char* kSendsHelp = "Instagram Send API calls";
constexpr const char* kActionsMetric = "chathost_instagram_sender_actions_total";
constexpr const char* kActionsHelp = "Instagram sender actions (typing, seen) sent";

sdk::Connection connectionFor(const ConnectRequest& req, const AccountInfo& info) {
  sdk::Connection c;
  // With Instagram Login, webhooks name the account by the `user_id` of /me, which need not be
  // the id the client knows: keep that one, so app-level webhooks and echoes find the agent.
  c.accountId = info.userId.empty() ? req.accountId : info.userId;
  c.pageId = req.pageId;
  c.username = info.username;
  c.accountType = info.accountType;
  c.secrets = {{"accessToken", req.accessToken}, {"verifyToken", req.verifyToken}};
  if (!req.webhookSecret.empty()) c.secrets["webhookSecret"] = req.webhookSecret;
  c.settingsJson = connectionSettingsJson(info, std::nullopt);
  return c;
}
}  // namespace

std::int64_t systemNowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

InstagramChannel::InstagramChannel(Settings settings, sdk::HttpClient& http, sdk::Metrics& metrics,
                                   sdk::Logger& logger, Clock clock)
    : settings_(std::move(settings)),
      http_(http),
      graph_(http, settings_),
      tokens_(http, settings_),
      logger_(logger),
      login_(settings_, graph_, tokens_, logger_),
      clock_(std::move(clock)),
      rejected_(metrics.counter("chathost_instagram_webhook_rejected_total",
                                "Instagram webhook POSTs refused (signature)")),
      sendsOk_(metrics.counter(kSendsMetric, kSendsHelp, {{"result", "ok"}})),
      sendsFailed_(metrics.counter(kSendsMetric, kSendsHelp, {{"result", "error"}})),
      actionsOk_(metrics.counter(kActionsMetric, kActionsHelp, {{"result", "ok"}})),
      actionsFailed_(metrics.counter(kActionsMetric, kActionsHelp, {{"result", "error"}})) {}

sdk::ChannelDescription InstagramChannel::describe() const {
  sdk::ChannelDescription d;
  d.name = kChannelName;
  d.displayName = kDisplayName;
  d.maxTextBytes = kMaxTextBytes;
  d.sendRatePerSecond = settings_.sendRatePerSecond;
  d.replyRetrySeconds = settings_.replyRetrySeconds;
  d.fetchesProfiles = settings_.profileFetch;
  d.connectFields = connectFields(settings_.apiFlavor);
  d.configKeys = settingsKeys();
  d.replyWindowMs = kReplyWindowMs;
  d.messageTags = meta::supportedMessageTags();
  d.taggedWindowMs = kTaggedWindowMs;
  d.sendsAttachments = true;
  d.sendsSenderActions = true;
  d.oauthConnect = settings_.hasAppCredentials();
  return d;
}

sdk::Result<sdk::Response> InstagramChannel::answerChallenge(const sdk::Request& request,
                                                             const sdk::Connection* connection) {
  // A per-agent URL answers with its connection's token (the channel-wide one when the connection
  // has none, as after Instagram Login); a disconnected one answers nothing.
  return meta::answerChallenge(request,
                               meta::expectedVerifyToken(connection, settings_.verifyToken));
}

sdk::Status InstagramChannel::verifyWebhook(const sdk::Request& request,
                                            const sdk::Connection* connection) {
  auto checked = meta::checkSignature(request, meta::signingKeyFor(connection, settings_.appSecret),
                                      settings_.requireSignature);
  if (!checked) rejected_.inc();
  return checked;
}

sdk::Result<sdk::ParsedWebhook> InstagramChannel::parseWebhook(std::string_view body) {
  return meta::parseMessagingWebhook(body, "instagram");
}

sdk::SendResult InstagramChannel::send(const sdk::Connection& connection,
                                       const sdk::OutboundMessage& message) {
  using Kind = sdk::SendResult::Kind;
  GraphCredentials creds = credentialsOf(connection, settings_);
  if (creds.accessToken.empty())
    return sdk::SendResult::failed(Kind::kReauth,
                                   "the connection holds no access token; reconnect Instagram");
  if (auto valid = meta::checkOutbound(message); !valid)
    return sdk::SendResult::failed(Kind::kPermanent, valid.message());
  const bool action = message.action != sdk::SenderAction::kNone;
  auto ack = graph_.send(creds, message);
  if (!ack.ok()) {
    (action ? actionsFailed_ : sendsFailed_).inc();
    return meta::toSendResult(ack.error, kDisplayName);
  }
  (action ? actionsOk_ : sendsOk_).inc();
  return sdk::SendResult::sent(ack.value->messageId, ack.value->recipientId);
}

sdk::Result<sdk::ConnectResult> InstagramChannel::connect(const sdk::AgentInfo& agent,
                                                          std::string_view bodyJson) {
  auto req = parseConnectRequest(bodyJson, settings_.apiFlavor);
  if (!req) return req.status();
  auto info =
      identifyAndSubscribe(graph_, {req->accessToken, req->accountId, req->pageId}, agent, logger_);
  if (!info) return info.status();
  return connectAnswer(connectionFor(*req, *info));
}

sdk::Status InstagramChannel::disconnect(const sdk::Connection& connection) {
  GraphCredentials creds = credentialsOf(connection, settings_);
  if (creds.accessToken.empty()) return sdk::Status::ok();  // nothing can be unsubscribed
  auto done = graph_.unsubscribe(creds);
  if (!done.ok())
    return meta::toStatus(done.error, "unsubscribe the app from the account's webhooks",
                          kDisplayName);
  return sdk::Status::ok();
}

sdk::Result<std::optional<sdk::UserProfile>> InstagramChannel::fetchProfile(
    const sdk::Connection& connection, const std::string& userId) {
  if (!meta::isGraphId(userId)) return sdk::Status::validation("not a valid Instagram user id");
  auto profile = graph_.fetchProfile(credentialsOf(connection, settings_), userId);
  if (!profile.ok()) return meta::toStatus(profile.error, "fetch the user's profile", kDisplayName);
  if (!*profile.value) return std::optional<sdk::UserProfile>{};
  const meta::UserProfile& p = **profile.value;
  return std::optional<sdk::UserProfile>{sdk::UserProfile{p.name, p.username}};
}

sdk::Result<std::string> InstagramChannel::authorizeUrl(const std::string& redirectUri,
                                                        const std::string& state) {
  return login_.authorizeUrl(redirectUri, state);
}

sdk::Result<sdk::ConnectResult> InstagramChannel::completeAuthorization(
    const sdk::AgentInfo& agent, const std::string& code, const std::string& redirectUri) {
  return login_.complete(agent, code, redirectUri, clock_());
}

sdk::CredentialCheck InstagramChannel::refreshCredentials(const sdk::Connection& connection,
                                                          std::int64_t nowMs) {
  return instagram::refreshCredentials(settings_, tokens_, http_, connection, nowMs);
}

}  // namespace chathost::instagram
