#include "conversation/channel_routes.h"

#include "common/json_io.h"
#include "conversation/views.h"

#include <chathost/sdk/json.h>

namespace chathost::host {

namespace {
using sdk::jsonQuote;
using sdk::Status;

constexpr int kDefaultLimit = 50;
constexpr int kMaxLimit = 200;

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
  router.addAgentRoute(Method::kGet, name_ + "/messages/:chatId", "thread",
                       bind(&ChannelRoutes::thread));
  router.addAgentRoute(Method::kPost, name_ + "/disconnect", "disconnect",
                       bind(&ChannelRoutes::disconnect));
}

sdk::Result<sdk::Response> ChannelRoutes::connect(const sdk::Request& req,
                                                  const sdk::RouteContext& ctx) {
  if (!ctx.agent) return Status::internal("agent route called without an agent");
  if (!json::parseObject(req.body)) return Status::validation("request body must be a JSON object");
  auto verified = sender_.channel().connect(*ctx.agent, req.body);
  if (!verified) return verified.status();
  auto stored = store(*ctx.agent, *verified);
  if (!stored) return stored.status();
  return sdk::Response::okJson(withAlreadyConnected(verified->dataJson, stored->alreadyConnected),
                               200, verified->message);
}

sdk::Result<host::ConnectOutcome> ChannelRoutes::store(const sdk::AgentInfo& agent,
                                                       const sdk::ConnectResult& verified) {
  sdk::Connection conn = verified.connection;
  if (conn.accountId.empty()) return Status::internal(name_ + " connect returned no account id");
  conn.subaccountId = agent.subaccountId;
  conn.agentId = agent.id;
  conn.channel = name_;
  conn.connectedAt = conn.updatedAt = conn.credentialsCheckedAt = services_.clock();
  auto previous = services_.connections.get(conn.subaccountId, conn.agentId, name_);
  auto stored = services_.connections.connect(conn);
  // The store names no channel; the contract's message names this one.
  if (!stored && stored.status().code() == sdk::ErrorCode::kAccountInUse)
    return Status(sdk::ErrorCode::kAccountInUse,
                  "This " + displayName_ +
                      " account is connected to another agent; disconnect it there first.");
  if (!stored) return stored.status();
  services_.cache.invalidateAll();
  services_.logger.info(name_ + " connected",
                        {{"agentId", conn.agentId}, {"username", conn.username}});
  // The agent moved to another account: the platform would keep delivering the old one's
  // events to nobody.
  if (previous && *previous && (*previous)->connected && (*previous)->accountId != conn.accountId) {
    const bool samePage = !conn.pageId.empty() && conn.pageId == (*previous)->pageId;
    if (auto s = undoOnPlatform(**previous, samePage, "the previous connection"); !s)
      services_.logger.warning(name_ + ": kept the previous connection's webhook subscription",
                               {{"agentId", conn.agentId}, {"error", s.message()}});
  }
  return stored;
}

sdk::Status ChannelRoutes::undoOnPlatform(const sdk::Connection& connection, bool pageKept,
                                          const std::string& what) {
  if (!pageKept) {
    auto shared = services_.connections.pageUsedByAnother(
        connection.pageId, connection.subaccountId, connection.agentId, name_);
    if (!shared) return shared.status();
    pageKept = *shared;
  }
  if (pageKept) {
    services_.logger.info("kept the Page's webhook subscription: another connection uses the Page",
                          {{"channel", name_}, {"agentId", connection.agentId}});
    return Status::ok();
  }
  if (auto s = sender_.channel().disconnect(connection); !s)
    services_.logger.warning(name_ + ": the channel could not undo " + what,
                             {{"agentId", connection.agentId}, {"error", s.message()}});
  return Status::ok();
}

sdk::Result<sdk::Response> ChannelRoutes::status(const sdk::Request&,
                                                 const sdk::RouteContext& ctx) {
  if (!ctx.agent) return Status::internal("agent route called without an agent");
  auto conn = services_.connections.get(ctx.agent->subaccountId, ctx.agent->id, name_);
  if (!conn) return conn.status();
  std::string data = connectionStatusJson(*conn);
  data.pop_back();
  const bool oauth = sender_.description().oauthConnect && !services_.oauthStateKey.empty();
  return sdk::Response::okJson(data + ",\"oauthAvailable\":" + (oauth ? "true" : "false") + "}");
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
  long long perChat = -1;
  if (auto m = req.queryParam("messageLimit")) {
    auto v = parseCount(*m);
    if (!v || *v > kMaxLimit)
      return Status::validation("messageLimit must be an integer between 0 and 200");
    perChat = *v;
  }
  auto page = services_.chats.listChats(ctx.agent->subaccountId, ctx.agent->id, name_,
                                        static_cast<int>(limit), static_cast<int>(skip),
                                        static_cast<int>(perChat));
  if (!page) return page.status();
  return sdk::Response::okJson(chatPageJson(*page, name_, windows()));
}

sdk::Result<sdk::Response> ChannelRoutes::thread(const sdk::Request& req,
                                                 const sdk::RouteContext& ctx) {
  if (!ctx.agent) return Status::internal("agent route called without an agent");
  long long limit = kDefaultLimit, before = 0;
  if (auto l = req.queryParam("limit")) {
    auto v = parseCount(*l);
    if (!v || *v < 1 || *v > kMaxLimit)
      return Status::validation("limit must be an integer between 1 and 200");
    limit = *v;
  }
  if (auto b = req.queryParam("before")) {
    auto v = parseCount(*b);
    if (!v || *v < 1) return Status::validation("before must be a message seq (an integer >= 1)");
    before = *v;
  }
  auto found = services_.chats.chatThread(ctx.agent->subaccountId, ctx.agent->id, name_,
                                          req.param("chatId"), static_cast<int>(limit), before);
  if (!found) return found.status();
  if (!*found) return Status::notFound("no such chat for this agent");
  return sdk::Response::okJson(chatThreadJson(**found, name_, windows()));
}

ChatWindows ChannelRoutes::windows() const {
  const auto& d = sender_.description();
  return {d.replyWindowMs, d.messageTags.empty() ? 0 : d.taggedWindowMs};
}

sdk::Result<sdk::Response> ChannelRoutes::disconnect(const sdk::Request&,
                                                     const sdk::RouteContext& ctx) {
  if (!ctx.agent) return Status::internal("agent route called without an agent");
  auto current = services_.connections.get(ctx.agent->subaccountId, ctx.agent->id, name_);
  if (!current) return current.status();
  if (*current && (*current)->connected)
    if (auto s = undoOnPlatform(**current, false, "the connection"); !s) return s;
  if (auto s = services_.connections.disconnect(ctx.agent->subaccountId, ctx.agent->id, name_); !s)
    return s;
  services_.cache.invalidateAll();
  services_.logger.info(name_ + " disconnected", {{"agentId", ctx.agent->id}});
  return sdk::Response::okJson(R"({"isConnected":false})", 200, displayName_ + " disconnected.");
}

}  // namespace chathost::host
