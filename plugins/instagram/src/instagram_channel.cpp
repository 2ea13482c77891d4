#include "instagram_channel.h"

#include "connect_request.h"
#include "event_parser.h"
#include "qr.h"
#include "signature.h"

#include <chathost/sdk/json.h>

namespace chathost::instagram {

namespace {
using sdk::jsonQuote;

constexpr std::size_t kMaxTextBytes = 1000;  // the Send API's limit, in UTF-8 bytes
constexpr const char* kSendsMetric = "chathost_instagram_sends_total";
constexpr const char* kSendsHelp = "Instagram Send API calls";
constexpr const char* kConnectMessage =
    "Instagram QR code generated. Scan with your mobile app or connect via API.";

sdk::Status forbidden(const std::string& why) {
  return {sdk::ErrorCode::kForbidden, why};
}

std::string secretOf(const sdk::Connection& c, const std::string& name) {
  auto it = c.secrets.find(name);
  return it == c.secrets.end() ? std::string() : it->second;
}

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
  c.settingsJson = "{\"name\":" + jsonQuote(info.name) + ",\"userId\":" + jsonQuote(info.userId) +
                   ",\"profilePictureUrl\":" + jsonQuote(info.profilePictureUrl) + "}";
  return c;
}
}  // namespace

InstagramChannel::InstagramChannel(Settings settings, sdk::HttpClient& http, sdk::Metrics& metrics,
                                   sdk::Logger& logger)
    : settings_(std::move(settings)),
      graph_(http, settings_),
      logger_(logger),
      rejected_(metrics.counter("chathost_instagram_webhook_rejected_total",
                                "Instagram webhook POSTs refused (signature)")),
      sendsOk_(metrics.counter(kSendsMetric, kSendsHelp, {{"result", "ok"}})),
      sendsFailed_(metrics.counter(kSendsMetric, kSendsHelp, {{"result", "error"}})) {}

sdk::ChannelDescription InstagramChannel::describe() const {
  sdk::ChannelDescription d;
  d.name = kChannelName;
  d.displayName = "Instagram";
  d.maxTextBytes = kMaxTextBytes;
  d.sendRatePerSecond = settings_.sendRatePerSecond;
  d.replyRetrySeconds = settings_.replyRetrySeconds;
  d.fetchesProfiles = settings_.profileFetch;
  d.connectFields = connectFields(settings_.apiFlavor);
  d.configKeys = settingsKeys();
  return d;
}

sdk::Result<sdk::Response> InstagramChannel::answerChallenge(const sdk::Request& request,
                                                             const sdk::Connection* connection) {
  // A per-agent URL answers with its connection's token only; a disconnected one has none.
  std::string expected = connection == nullptr   ? settings_.verifyToken
                         : connection->connected ? secretOf(*connection, "verifyToken")
                                                 : std::string();
  auto mode = request.queryParam("hub.mode");
  auto token = request.queryParam("hub.verify_token");
  auto challenge = request.queryParam("hub.challenge");
  if (expected.empty() || !mode || *mode != "subscribe" || !token || !challenge ||
      !constantTimeEquals(*token, expected))
    return forbidden("webhook verification failed");
  return sdk::Response::text(200, std::string(*challenge));
}

sdk::Status InstagramChannel::rejectSignature(const std::string& why) {
  rejected_.inc();
  return forbidden(why);
}

sdk::Status InstagramChannel::verifyWebhook(const sdk::Request& request,
                                            const sdk::Connection* connection) {
  std::string key;
  if (connection != nullptr && connection->connected) key = secretOf(*connection, "webhookSecret");
  if (key.empty()) key = settings_.appSecret;
  if (key.empty()) {
    if (!settings_.requireSignature) return sdk::Status::ok();
    return rejectSignature("no webhook secret is configured, so the request cannot be verified");
  }
  auto header = request.header("X-Hub-Signature-256");
  if (!header || !verifySignature(request.body, *header, key))
    return rejectSignature("missing or invalid X-Hub-Signature-256");
  return sdk::Status::ok();
}

sdk::Result<sdk::ParsedWebhook> InstagramChannel::parseWebhook(std::string_view body) {
  return instagram::parseWebhook(body);
}

sdk::SendResult InstagramChannel::send(const sdk::Connection& connection,
                                       const sdk::OutboundMessage& message) {
  GraphCredentials creds = credentialsOf(connection);
  if (creds.accessToken.empty())
    return sdk::SendResult::failed(sdk::SendResult::Kind::kReauth,
                                   "the connection holds no access token; reconnect Instagram");
  auto ack = graph_.sendText(creds, message.recipientId, message.text);
  if (!ack.ok()) {
    sendsFailed_.inc();
    return toSendResult(ack.error);
  }
  sendsOk_.inc();
  return sdk::SendResult::sent(ack.value->messageId, ack.value->recipientId);
}

sdk::Result<sdk::ConnectResult> InstagramChannel::connect(const sdk::AgentInfo& agent,
                                                          std::string_view bodyJson) {
  auto req = parseConnectRequest(bodyJson, settings_.apiFlavor);
  if (!req) return req.status();
  auto identified = graph_.identify({req->accessToken, req->accountId, req->pageId});
  if (!identified.ok()) {
    logger_.warning("instagram connect: the Graph API refused the account",
                    {{"subaccountId", agent.subaccountId},
                     {"agentId", agent.id},
                     {"error", instagram::describe(identified.error)}});
    return toStatus(identified.error, "verify the Instagram account");
  }
  const AccountInfo& info = *identified.value;
  std::string link = dmLinkFor(info.username);
  auto dataUrl = qrDataUrl(link);
  if (!dataUrl) return dataUrl.status();

  sdk::ConnectResult out;
  out.connection = connectionFor(*req, info);
  out.dataJson =
      "{\"qrCode\":" + jsonQuote(link) + ",\"qrCodeDataUrl\":" + jsonQuote(*dataUrl) +
      ",\"instagramUrl\":" + jsonQuote("https://www.instagram.com/" + info.username + "/") +
      ",\"username\":" + jsonQuote(info.username) + "}";
  out.message = kConnectMessage;
  return out;
}

sdk::Result<std::optional<sdk::UserProfile>> InstagramChannel::fetchProfile(
    const sdk::Connection& connection, const std::string& userId) {
  if (!isGraphId(userId)) return sdk::Status::validation("not a valid Instagram user id");
  auto profile = graph_.fetchProfile(credentialsOf(connection), userId);
  if (!profile.ok()) return toStatus(profile.error, "fetch the user's profile");
  if (!*profile.value) return std::optional<sdk::UserProfile>{};
  const UserProfile& p = **profile.value;
  return std::optional<sdk::UserProfile>{sdk::UserProfile{p.name, p.username}};
}

}  // namespace chathost::instagram
