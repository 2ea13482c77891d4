#include "conversation/channel_sign_in.h"

#include "auth/hmac_sha256.h"
#include "common/host_text.h"
#include "conversation/oauth_state.h"

#include <chathost/sdk/json.h>

#include <Poco/URI.h>
#include <Poco/UUIDGenerator.h>

namespace chathost::host {

namespace {
using sdk::Status;

// Long enough to sign in with a password and a second factor; short enough to be useless later.
constexpr std::int64_t kStateLifetimeMs = 10 * 60 * 1000;
constexpr std::size_t kMaxReasonBytes = 300;

std::string queryEncode(const std::string& s) {
  std::string out;
  Poco::URI::encode(s, "&=+#?/%", out);
  return out;
}

// A Host header fit to build a URL from: host[:port] characters only.
bool plausibleHost(std::string_view host) {
  return host.size() <= 255 && isHostAndPortText(host);
}

// The platform's own words for a refusal, cut to a sane length (they end up in a URL).
std::string clip(std::string s) {
  if (s.size() > kMaxReasonBytes) s = s.substr(0, kMaxReasonBytes) + "...";
  return s;
}
}  // namespace

ChannelSignIn::ChannelSignIn(ReplySender& sender, ChannelRoutes& routes,
                             ConversationServices& services)
    : sender_(sender), routes_(routes), services_(services), name_(sender.description().name) {}

void ChannelSignIn::registerRoutes(sdk::Router& router) {
  if (!sender_.description().oauthConnect) return;
  router.addAgentRoute(
      sdk::Method::kPost, name_ + "/oauth/start", "oauth start",
      [this](const sdk::Request& r, const sdk::RouteContext& c) { return start(r, c); });
  router.addPublicRoute(
      sdk::Method::kGet, callbackPath(), "oauth callback",
      [this](const sdk::Request& r, const sdk::RouteContext& c) { return callback(r, c); });
}

std::string ChannelSignIn::redirectUri(const sdk::Request& req) const {
  std::string origin = services_.publicUrl;
  if (origin.empty()) {
    const auto host = req.header("Host");
    if (!host || !plausibleHost(*host)) return {};
    origin = "http://" + std::string(*host);
  }
  while (!origin.empty() && origin.back() == '/') origin.pop_back();
  return origin + "/oauth/" + name_ + "/callback";
}

sdk::Result<sdk::Response> ChannelSignIn::start(const sdk::Request& req,
                                                const sdk::RouteContext& ctx) {
  if (!ctx.agent) return Status::internal("agent route called without an agent");
  if (!sender_.description().oauthConnect || services_.oauthStateKey.empty())
    return Status::validation("signing in with " + sender_.description().displayName +
                              " is not configured on this host; connect with an access token");
  const std::string redirect = redirectUri(req);
  if (redirect.empty())
    return Status::validation("the request has no usable Host header; set server.public_url");
  OAuthState state;
  state.subaccountId = ctx.agent->subaccountId;
  state.agentId = ctx.agent->id;
  state.channel = name_;
  state.redirectUri = redirect;
  state.expiresAt = services_.clock() + kStateLifetimeMs;
  auto& uuids = Poco::UUIDGenerator::defaultGenerator();
  state.nonce = uuids.createRandom().toString();
  const std::string browserSecret =
      uuids.createRandom().toString() + uuids.createRandom().toString();
  state.browserHash = browserBinding(browserSecret);
  auto url =
      sender_.channel().authorizeUrl(redirect, signOAuthState(state, services_.oauthStateKey));
  if (!url) return url.status();
  sdk::Response r = sdk::Response::okJson(
      "{\"authorizeUrl\":" + sdk::jsonQuote(*url) + ",\"redirectUri\":" + sdk::jsonQuote(redirect) +
      ",\"expiresAt\":" + std::to_string(state.expiresAt) + "}");
  // Sent back by this browser only, and only to the callback (a top-level navigation from the
  // platform: SameSite=Lax lets it through).
  r.headers.emplace_back(
      "Set-Cookie", cookieName() + "=" + browserSecret + "; Path=" + callbackPath() + "; Max-Age=" +
                        std::to_string(kStateLifetimeMs / 1000) + "; HttpOnly; SameSite=Lax" +
                        (redirect.rfind("https://", 0) == 0 ? "; Secure" : ""));
  return r;
}

std::string ChannelSignIn::cookieName() const {
  return "chathost_signin_" + name_;
}

std::string ChannelSignIn::callbackPath() const {
  return "/oauth/" + name_ + "/callback";
}

std::string ChannelSignIn::browserSecret(const sdk::Request& req) const {
  const auto header = req.header("Cookie");
  if (!header) return {};
  const std::string prefix = cookieName() + "=";
  std::string_view rest = *header;
  while (!rest.empty()) {
    const auto end = rest.find(';');
    std::string_view pair = rest.substr(0, end);
    while (!pair.empty() && pair.front() == ' ') pair.remove_prefix(1);
    if (pair.substr(0, prefix.size()) == prefix) return std::string(pair.substr(prefix.size()));
    if (end == std::string_view::npos) break;
    rest.remove_prefix(end + 1);
  }
  return {};
}

sdk::Result<sdk::Response> ChannelSignIn::callback(const sdk::Request& req,
                                                   const sdk::RouteContext&) {
  const auto param = [&](const char* name) {
    auto v = req.queryParam(name);
    return v ? std::string(*v) : std::string();
  };
  auto state = verifyOAuthState(param("state"), services_.oauthStateKey, services_.clock());
  if (!state) return backToDashboard("", state.status().message());
  if (state->channel != name_)
    return backToDashboard("", "the sign-in link is for another channel");
  const std::string& agentId = state->agentId;
  // The browser that started the sign-in must be the one finishing it: otherwise a tenant could
  // hand its consent link to someone else and get their account connected to its agent.
  const std::string secret = browserSecret(req);
  if (secret.empty() || !constantTimeEquals(browserBinding(secret), state->browserHash))
    return backToDashboard(agentId,
                           "this sign-in was started in another browser (or its cookie "
                           "was blocked); start again from the dashboard");

  // Each state works once: a replayed callback (a reload, a leaked link) changes nothing.
  auto fresh = services_.kv.setIfAbsent("oauth-state:" + state->nonce, "1",
                                        state->expiresAt - services_.clock() + 60'000);
  if (!fresh) return backToDashboard(agentId, "the sign-in could not be checked; try again");
  if (!*fresh) return backToDashboard(agentId, "this sign-in link was already used; start again");

  if (const std::string error = param("error"); !error.empty()) {
    const std::string description = param("error_description");
    return backToDashboard(agentId, clip("sign-in was cancelled or refused (" +
                                         (description.empty() ? error : description) + ")"));
  }
  const std::string code = param("code");
  if (code.empty()) return backToDashboard(agentId, "the sign-in answer has no code; start again");

  auto agent = services_.agents.find(state->subaccountId, agentId);
  if (!agent) return backToDashboard(agentId, "the agent could not be read; try again");
  if (!*agent) return backToDashboard("", "the agent no longer exists");

  auto verified = sender_.channel().completeAuthorization(**agent, code, state->redirectUri);
  if (!verified) {
    services_.logger.warning(name_ + " sign-in failed",
                             {{"agentId", agentId}, {"error", verified.status().message()}});
    return backToDashboard(agentId, clip(verified.status().message()));
  }
  auto stored = routes_.store(**agent, *verified);
  if (!stored) return backToDashboard(agentId, clip(stored.status().message()));
  return backToDashboard(agentId, "");
}

sdk::Response ChannelSignIn::backToDashboard(const std::string& agentId,
                                             const std::string& error) const {
  std::string location = "/";
  if (!agentId.empty()) {
    std::string segment;
    Poco::URI::encode(agentId, "/?#&=+%", segment);
    location = "/agents/" + segment;
  }
  location += "?connect=" + name_ + "&result=" + (error.empty() ? "connected" : "error");
  if (!error.empty()) location += "&reason=" + queryEncode(error);
  sdk::Response r = sdk::Response::text(302, error.empty() ? "Connected." : error);
  r.headers.emplace_back("Location", location);
  r.headers.emplace_back("Cache-Control", "no-store");
  r.headers.emplace_back("Set-Cookie",
                         cookieName() + "=; Path=" + callbackPath() + "; Max-Age=0; HttpOnly");
  return r;
}

}  // namespace chathost::host
