#include "routes.h"

#include "json_util.h"
#include "qr.h"
#include "text_split.h"
#include "views.h"

#include <chathost/sdk/json.h>

#include <atomic>

namespace chathost::instagram {

namespace {
using sdk::jsonQuote;
using sdk::Status;

constexpr int kDefaultLimit = 50;
constexpr int kMaxLimit = 200;
constexpr std::size_t kMaxIdLength = 128;
constexpr const char* kConnectMessage =
    "Instagram QR code generated. Scan with your mobile app or connect via API.";

// A required (or optional) string member; the error names the field.
Status readField(const JsonObject& body, const std::string& name, bool required, std::string& out) {
  if (!body.has(name) || body.isNull(name)) {
    if (required) return Status::validation(name + " is required");
    return Status::ok();
  }
  if (!body.get(name).isString()) return Status::validation(name + " must be a string");
  out = body.getValue<std::string>(name);
  if (required && out.empty()) return Status::validation(name + " must not be empty");
  return Status::ok();
}

// Ids go into Graph URL paths: keep them to the characters Meta uses.
Status checkId(const std::string& name, const std::string& value) {
  if (value.empty()) return Status::ok();
  bool ok = value.size() <= kMaxIdLength;
  for (char c : value)
    ok = ok && ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                c == '_' || c == '-' || c == '.');
  return ok ? Status::ok() : Status::validation(name + " is not a valid id");
}

// A strict non-negative integer query parameter.
std::optional<long long> parseCount(std::string_view s) {
  if (s.empty() || s.size() > 9) return std::nullopt;
  long long v = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return std::nullopt;
    v = v * 10 + (c - '0');
  }
  return v;
}

std::string nextLocalId(const std::string& operationId, std::int64_t now) {
  static std::atomic<std::uint64_t> counter{0};
  return "send:" + (operationId.empty() ? std::to_string(now) : operationId) + ":" +
         std::to_string(++counter);
}
}  // namespace

Routes::Routes(Services& services, const GraphClient& graph, RateLimiter& limiter,
               ConnectionCache& cache)
    : services_(services),
      graph_(graph),
      limiter_(limiter),
      cache_(cache),
      sendsOk_(services.metrics.counter("chathost_instagram_sends_total",
                                        "Instagram Send API calls", {{"result", "ok"}})),
      sendsFailed_(services.metrics.counter("chathost_instagram_sends_total",
                                            "Instagram Send API calls", {{"result", "error"}})) {}

void Routes::registerAll(sdk::Router& router) {
  using sdk::Method;
  auto bind = [this](auto fn) {
    return
        [this, fn](const sdk::Request& r, const sdk::RouteContext& c) { return (this->*fn)(r, c); };
  };
  router.addAgentRoute(Method::kPost, "instagram/connect", "connect", bind(&Routes::connect));
  router.addAgentRoute(Method::kGet, "instagram/status", "status", bind(&Routes::status));
  router.addAgentRoute(Method::kPost, "instagram/send", "send", bind(&Routes::send));
  router.addAgentRoute(Method::kGet, "instagram/messages", "messages", bind(&Routes::messages));
  router.addAgentRoute(Method::kPost, "instagram/disconnect", "disconnect",
                       bind(&Routes::disconnect));
}

sdk::Result<sdk::Response> Routes::connect(const sdk::Request& req, const sdk::RouteContext& ctx) {
  if (!ctx.agent) return Status::internal("agent route called without an agent");
  auto body = parseObject(req.body);
  if (!body) return Status::validation("request body must be a JSON object");
  bool needPage = graph_.settings().apiFlavor == ApiFlavor::kFacebook;
  std::string token, accountId, pageId, verifyToken, webhookSecret;
  for (auto s : {readField(*body, "accessToken", true, token),
                 readField(*body, "instagramAccountId", true, accountId),
                 readField(*body, "pageId", needPage, pageId),
                 readField(*body, "webhookVerificationToken", true, verifyToken),
                 readField(*body, "webhookSecret", false, webhookSecret),
                 checkId("instagramAccountId", accountId), checkId("pageId", pageId)})
    if (!s) return s;

  GraphCredentials creds{token, accountId, pageId};
  auto identified = graph_.identify(creds);
  if (!identified.ok()) {
    services_.logger.warning("instagram connect: the Graph API refused the account",
                             {{"agentId", ctx.agent->id},
                              {"operationId", ctx.operationId},
                              {"error", describe(identified.error)}});
    return toStatus(identified.error, "verify the Instagram account");
  }
  const AccountInfo& info = *identified.value;

  sdk::Connection conn;
  conn.subaccountId = ctx.agent->subaccountId;
  conn.agentId = ctx.agent->id;
  conn.channel = kChannel;
  // With Instagram Login, webhooks name the account by the `user_id` of /me, which need not be
  // the id the client knows: keep that one, so app-level webhooks and echoes find the agent.
  conn.accountId = info.userId.empty() ? accountId : info.userId;
  conn.pageId = pageId;
  conn.username = info.username;
  conn.accountType = info.accountType;
  conn.secrets = {{"accessToken", token}, {"verifyToken", verifyToken}};
  if (!webhookSecret.empty()) conn.secrets["webhookSecret"] = webhookSecret;
  conn.settingsJson = "{\"name\":" + jsonQuote(info.name) +
                      ",\"userId\":" + jsonQuote(info.userId) +
                      ",\"profilePictureUrl\":" + jsonQuote(info.profilePictureUrl) + "}";
  conn.connectedAt = conn.updatedAt = services_.clock();
  auto stored = services_.connections.connect(conn);
  if (!stored) return stored.status();
  cache_.invalidateAll();

  std::string link = dmLinkFor(info.username);
  auto dataUrl = qrDataUrl(link);
  if (!dataUrl) return dataUrl.status();
  std::string data =
      "{\"qrCode\":" + jsonQuote(link) + ",\"qrCodeDataUrl\":" + jsonQuote(*dataUrl) +
      ",\"instagramUrl\":" + jsonQuote("https://www.instagram.com/" + info.username + "/") +
      ",\"username\":" + jsonQuote(info.username) +
      ",\"alreadyConnected\":" + (stored->alreadyConnected ? "true" : "false") + "}";
  services_.logger.info("instagram connected",
                        {{"agentId", conn.agentId}, {"username", info.username}});
  return sdk::Response::okJson(data, 200, kConnectMessage);
}

sdk::Result<sdk::Response> Routes::status(const sdk::Request&, const sdk::RouteContext& ctx) {
  if (!ctx.agent) return Status::internal("agent route called without an agent");
  auto conn = services_.connections.get(ctx.agent->subaccountId, ctx.agent->id, kChannel);
  if (!conn) return conn.status();
  return sdk::Response::okJson(statusJson(*conn));
}

sdk::Result<sdk::Response> Routes::send(const sdk::Request& req, const sdk::RouteContext& ctx) {
  if (!ctx.agent) return Status::internal("agent route called without an agent");
  auto body = parseObject(req.body);
  if (!body) return Status::validation("request body must be a JSON object");
  std::string to, text;
  for (auto s : {readField(*body, "to", true, to), readField(*body, "message", true, text),
                 checkId("to", to)})
    if (!s) return s;
  if (text.size() > kMaxTextBytes)
    return Status::validation("message is longer than 1000 bytes (UTF-8)");
  if (!isValidUtf8(text)) return Status::validation("message is not valid UTF-8");

  auto found = services_.connections.get(ctx.agent->subaccountId, ctx.agent->id, kChannel);
  if (!found) return found.status();
  if (!*found || !(*found)->connected)
    return Status(sdk::ErrorCode::kNotConnected, "Instagram is not connected for this agent");
  const sdk::Connection& conn = **found;
  std::int64_t now = services_.clock();
  if (limiter_.acquire(conn.accountId, now) > 0)
    return Status(sdk::ErrorCode::kRateLimited, "too many messages for this account; retry soon");

  auto chat = services_.chats.ensureChat({conn.subaccountId, conn.agentId, kChannel, to}, now);
  if (!chat) return chat.status();
  sdk::Message msg;
  msg.localId = nextLocalId(ctx.operationId, now);
  msg.chatId = chat->chatId;
  msg.direction = "outbound";
  msg.text = text;
  msg.timestamp = now;
  msg.senderId = conn.accountId;
  msg.status = sdk::MessageStatus::kPending;
  if (auto added = services_.chats.addMessage(msg); !added) return added.status();

  auto ack = graph_.sendText(credentialsOf(conn), to, text);
  if (!ack.ok()) {
    sendsFailed_.inc();
    services_.chats.markFailed(msg.localId, describe(ack.error));
    if (classify(ack.error) == GraphErrorClass::kReauth) {
      services_.connections.setActive(conn.subaccountId, conn.agentId, kChannel, false,
                                      describe(ack.error));
      cache_.invalidateAll();
    }
    services_.logger.warning("instagram send failed", {{"agentId", conn.agentId},
                                                       {"operationId", ctx.operationId},
                                                       {"error", describe(ack.error)}});
    return toStatus(ack.error, "send the message");
  }
  sendsOk_.inc();
  services_.chats.markSent(msg.localId, ack.value->messageId, services_.clock());
  return sdk::Response::okJson("{\"messageId\":" + jsonQuote(ack.value->messageId) +
                               ",\"recipientId\":" + jsonQuote(ack.value->recipientId) + "}");
}

sdk::Result<sdk::Response> Routes::messages(const sdk::Request& req, const sdk::RouteContext& ctx) {
  if (!ctx.agent) return Status::internal("agent route called without an agent");
  long long limit = kDefaultLimit, skip = 0;
  if (auto l = req.queryParam("limit")) {
    auto v = parseCount(*l);
    if (!v || *v < 1 || *v > kMaxLimit)
      return Status::validation("limit must be an integer between 1 and 200");
    limit = *v;
  }
  if (auto s = req.queryParam("skip")) {
    auto v = parseCount(*s);
    if (!v) return Status::validation("skip must be an integer >= 0");
    skip = *v;
  }
  auto page = services_.chats.listChats(ctx.agent->subaccountId, ctx.agent->id, kChannel,
                                        static_cast<int>(limit), static_cast<int>(skip));
  if (!page) return page.status();
  return sdk::Response::okJson(chatPageJson(*page));
}

sdk::Result<sdk::Response> Routes::disconnect(const sdk::Request&, const sdk::RouteContext& ctx) {
  if (!ctx.agent) return Status::internal("agent route called without an agent");
  if (auto s = services_.connections.disconnect(ctx.agent->subaccountId, ctx.agent->id, kChannel);
      !s)
    return s;
  cache_.invalidateAll();
  services_.logger.info("instagram disconnected", {{"agentId", ctx.agent->id}});
  return sdk::Response::okJson(R"({"isConnected":false})", 200, "Instagram disconnected.");
}

}  // namespace chathost::instagram
