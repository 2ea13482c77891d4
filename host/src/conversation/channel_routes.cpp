#include "conversation/channel_routes.h"

#include "common/json_io.h"
#include "conversation/text_split.h"
#include "conversation/views.h"

#include <chathost/sdk/json.h>

#include <atomic>

namespace chathost::host {

namespace {
using sdk::jsonQuote;
using sdk::Status;

constexpr int kDefaultLimit = 50;
constexpr int kMaxLimit = 200;
constexpr std::size_t kMaxIdLength = 128;

// A required string member of `body`; the error names the field.
Status readRequired(const json::ObjectPtr& body, const std::string& name, std::string& out) {
  if (!body->has(name) || json::isNull(body->get(name)))
    return Status::validation(name + " is required");
  if (!json::isString(body->get(name))) return Status::validation(name + " must be a string");
  out = body->get(name).extract<std::string>();
  if (out.empty()) return Status::validation(name + " must not be empty");
  return Status::ok();
}

// Ids go into platform URL paths: keep them to the characters platforms use.
Status checkId(const std::string& name, const std::string& value) {
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

// `{...members}` + `"alreadyConnected":b` as its last member.
std::string withAlreadyConnected(const std::string& dataJson, bool already) {
  const std::string member = std::string("\"alreadyConnected\":") + (already ? "true" : "false");
  auto obj = json::parseObject(dataJson);
  if (obj) obj->remove("alreadyConnected");
  if (!obj || obj->size() == 0) return "{" + member + "}";
  std::string text = json::toText(obj);
  text.pop_back();
  return text + "," + member + "}";
}
}  // namespace

ChannelRoutes::ChannelRoutes(ReplySender& sender, ConversationServices& services)
    : sender_(sender),
      services_(services),
      name_(sender.description().name),
      displayName_(sender.description().displayName.empty() ? name_
                                                            : sender.description().displayName) {}

void ChannelRoutes::registerRoutes(sdk::Router& router) {
  using sdk::Method;
  auto bind = [this](auto fn) {
    return
        [this, fn](const sdk::Request& r, const sdk::RouteContext& c) { return (this->*fn)(r, c); };
  };
  router.addAgentRoute(Method::kPost, name_ + "/connect", "connect", bind(&ChannelRoutes::connect));
  router.addAgentRoute(Method::kGet, name_ + "/status", "status", bind(&ChannelRoutes::status));
  router.addAgentRoute(Method::kPost, name_ + "/send", "send", bind(&ChannelRoutes::send));
  router.addAgentRoute(Method::kGet, name_ + "/messages", "messages",
                       bind(&ChannelRoutes::messages));
  router.addAgentRoute(Method::kPost, name_ + "/disconnect", "disconnect",
                       bind(&ChannelRoutes::disconnect));
}

sdk::Result<sdk::Response> ChannelRoutes::connect(const sdk::Request& req,
                                                  const sdk::RouteContext& ctx) {
  if (!ctx.agent) return Status::internal("agent route called without an agent");
  if (!json::parseObject(req.body)) return Status::validation("request body must be a JSON object");
  auto verified = sender_.channel().connect(*ctx.agent, req.body);
  if (!verified) return verified.status();
  sdk::Connection conn = std::move(verified->connection);
  if (conn.accountId.empty()) return Status::internal(name_ + " connect returned no account id");
  conn.subaccountId = ctx.agent->subaccountId;
  conn.agentId = ctx.agent->id;
  conn.channel = name_;
  conn.connectedAt = conn.updatedAt = services_.clock();
  auto stored = services_.connections.connect(conn);
  if (!stored) return stored.status();
  services_.cache.invalidateAll();
  services_.logger.info(name_ + " connected",
                        {{"agentId", conn.agentId}, {"username", conn.username}});
  return sdk::Response::okJson(withAlreadyConnected(verified->dataJson, stored->alreadyConnected),
                               200, verified->message);
}

sdk::Result<sdk::Response> ChannelRoutes::status(const sdk::Request&,
                                                 const sdk::RouteContext& ctx) {
  if (!ctx.agent) return Status::internal("agent route called without an agent");
  auto conn = services_.connections.get(ctx.agent->subaccountId, ctx.agent->id, name_);
  if (!conn) return conn.status();
  return sdk::Response::okJson(connectionStatusJson(*conn));
}

sdk::Result<sdk::Response> ChannelRoutes::send(const sdk::Request& req,
                                               const sdk::RouteContext& ctx) {
  if (!ctx.agent) return Status::internal("agent route called without an agent");
  auto body = json::parseObject(req.body);
  if (!body) return Status::validation("request body must be a JSON object");
  std::string to, text;
  for (auto s : {readRequired(body, "to", to), readRequired(body, "message", text)})
    if (!s) return s;
  if (auto s = checkId("to", to); !s) return s;
  const std::size_t maxBytes = sender_.description().maxTextBytes;
  if (text.size() > maxBytes)
    return Status::validation("message is longer than " + std::to_string(maxBytes) +
                              " bytes (UTF-8)");
  if (!isValidUtf8(text)) return Status::validation("message is not valid UTF-8");

  auto found = services_.connections.get(ctx.agent->subaccountId, ctx.agent->id, name_);
  if (!found) return found.status();
  if (!*found || !(*found)->connected)
    return Status(sdk::ErrorCode::kNotConnected, displayName_ + " is not connected for this agent");
  const sdk::Connection& conn = **found;
  if (sender_.tryAcquire(conn.accountId) > 0)
    return Status(sdk::ErrorCode::kRateLimited, "too many messages for this account; retry soon");

  const std::int64_t now = services_.clock();
  auto chat = services_.chats.ensureChat({conn.subaccountId, conn.agentId, name_, to}, now);
  if (!chat) return chat.status();
  host::Message msg;
  msg.localId = nextLocalId(ctx.operationId, now);
  msg.chatId = chat->chatId;
  msg.direction = "outbound";
  msg.text = text;
  msg.timestamp = now;
  msg.senderId = conn.accountId;
  msg.status = host::MessageStatus::kPending;
  if (auto added = services_.chats.addMessage(msg); !added) return added.status();

  const sdk::SendResult sent = sender_.sendStored(conn, msg.localId, {to, text});
  if (sent.kind != sdk::SendResult::Kind::kSent) {
    // A send the caller sees fail is not retried by the host: it is failed here too.
    if (sent.kind == sdk::SendResult::Kind::kRetry ||
        sent.kind == sdk::SendResult::Kind::kThrottled)
      services_.chats.markFailed(msg.localId, sent.error);
    services_.logger.warning(
        name_ + " send failed",
        {{"agentId", conn.agentId}, {"operationId", ctx.operationId}, {"error", sent.error}});
    return sender_.toStatus(sent, "send the message");
  }
  return sdk::Response::okJson("{\"messageId\":" + jsonQuote(sent.messageId) +
                               ",\"recipientId\":" + jsonQuote(sent.recipientId) + "}");
}

sdk::Result<sdk::Response> ChannelRoutes::messages(const sdk::Request& req,
                                                   const sdk::RouteContext& ctx) {
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
  auto page = services_.chats.listChats(ctx.agent->subaccountId, ctx.agent->id, name_,
                                        static_cast<int>(limit), static_cast<int>(skip));
  if (!page) return page.status();
  return sdk::Response::okJson(chatPageJson(*page, name_));
}

sdk::Result<sdk::Response> ChannelRoutes::disconnect(const sdk::Request&,
                                                     const sdk::RouteContext& ctx) {
  if (!ctx.agent) return Status::internal("agent route called without an agent");
  auto current = services_.connections.get(ctx.agent->subaccountId, ctx.agent->id, name_);
  if (!current) return current.status();
  if (*current && (*current)->connected)
    if (auto s = sender_.channel().disconnect(**current); !s)
      services_.logger.warning(name_ + ": the channel could not undo the connection",
                               {{"agentId", ctx.agent->id}, {"error", s.message()}});
  if (auto s = services_.connections.disconnect(ctx.agent->subaccountId, ctx.agent->id, name_); !s)
    return s;
  services_.cache.invalidateAll();
  services_.logger.info(name_ + " disconnected", {{"agentId", ctx.agent->id}});
  return sdk::Response::okJson(R"({"isConnected":false})", 200, displayName_ + " disconnected.");
}

}  // namespace chathost::host
