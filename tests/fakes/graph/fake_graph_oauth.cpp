// Instagram Login (consent page, code exchange, long-lived exchange, refresh), debug_token (of
// Instagram, Page and user tokens) and the /_fake/oauth control route.
#include "fake_graph.h"
#include "fake_graph_util.h"

#include <Poco/JSON/Array.h>

#include <utility>
#include <vector>

namespace chathost::fakes {

using detail::graphError;
using detail::json;
using detail::percentEncode;
using detail::queryOf;
using detail::stringify;
using detail::stringOf;

namespace {
constexpr const char* kPermissions = "instagram_business_basic,instagram_business_manage_messages";
constexpr std::int64_t kShortLivedSeconds = 3600;

FakeResponse page(int status, const std::string& text) {
  FakeResponse r;
  r.status = status;
  r.contentType = "text/html; charset=UTF-8";
  r.body = "<!DOCTYPE html><html><body><h1>" + text + "</h1></body></html>";
  return r;
}

FakeResponse redirect(const std::string& location) {
  FakeResponse r;
  r.status = 302;
  r.contentType = "text/html; charset=UTF-8";
  r.headers = {{"Location", location}};
  return r;
}

FakeResponse invalidCode() {
  return json(
      400,
      R"({"error_type":"OAuthException","code":400,"error_message":"Invalid authorization code"})");
}

bool isHttpUrl(const std::string& url) {
  return url.rfind("http://", 0) == 0 || url.rfind("https://", 0) == 0;
}

// debug_token's `type` and `scopes` of a token acting for `account` (null: unknown token).
std::pair<const char*, std::vector<const char*>> tokenKind(const FakeAccount* account,
                                                           bool issued) {
  if (issued) return {"USER", {"instagram_business_basic", "instagram_business_manage_messages"}};
  if (account && account->kind == FakeAccountKind::kUser)
    return {"USER", {"pages_show_list", "public_profile"}};
  if (account && account->kind == FakeAccountKind::kPage)
    return {"PAGE", {"pages_messaging", "pages_manage_metadata"}};
  return {
      "PAGE",
      {"instagram_basic", "instagram_manage_messages", "pages_messaging", "pages_manage_metadata"}};
}

FakeResponse tokenAnswer(const std::string& token, std::int64_t expiresIn) {
  Poco::JSON::Object out;
  out.set("access_token", token);
  out.set("token_type", "bearer");
  out.set("expires_in", expiresIn);
  return json(200, stringify(out));
}
}  // namespace

FakeResponse FakeGraph::oauthRoute(const FakeRequest& request) {
  if (request.path == "/oauth/authorize" && request.method == "GET") return authorize(request);
  if (request.path == "/oauth/access_token" && request.method == "POST")
    return exchangeCode(request);
  if (request.path == "/access_token" && request.method == "GET") return exchangeToken(request);
  if (request.path == "/refresh_access_token" && request.method == "GET")
    return refreshToken(request);
  return json(404, graphErrorBody(803, 0, "Unknown path components: " + request.path));
}

std::string FakeGraph::issue(const std::string& accountToken, bool longLived,
                             std::int64_t lifetimeSeconds) {
  std::string token =
      std::string(longLived ? "IGQfakeLong" : "IGQfakeShort") + std::to_string(nextIssued_++);
  IssuedToken t;
  t.accountToken = accountToken;
  t.longLived = longLived;
  t.lifetimeSeconds = lifetimeSeconds;
  t.expiresAtMs = nowMs_() + (longLived ? lifetimeSeconds : kShortLivedSeconds) * 1000;
  issued_[token] = t;
  return token;
}

FakeResponse FakeGraph::authorize(const FakeRequest& request) {
  const std::string redirectUri = queryOf(request, "redirect_uri");
  if (!oauth_.configured || queryOf(request, "client_id") != oauth_.appId)
    return page(400, "Invalid Request: Request parameters are invalid: Invalid platform app");
  if (!isHttpUrl(redirectUri)) return page(400, "Invalid redirect_uri");
  if (queryOf(request, "response_type") != "code")
    return page(400, "Invalid Request: response_type must be code");
  if (queryOf(request, "scope").find("instagram_business_basic") == std::string::npos)
    return page(400, "Invalid Scopes");
  std::string location = redirectUri + (redirectUri.find('?') == std::string::npos ? "?" : "&");
  std::string state;
  if (request.query.count("state")) state = "&state=" + percentEncode(queryOf(request, "state"));
  if (oauth_.deny)
    return redirect(location +
                    "error=access_denied&error_reason=user_denied&error_description=The+user+"
                    "denied+your+request." +
                    state);
  if (oauth_.grantToken.empty())
    return page(400, "No account to grant: POST /_fake/oauth with grantToken first");
  std::string code = "AQfakeCode" + std::to_string(nextIssued_++);
  codes_[code] = {redirectUri, oauth_.grantToken, oauth_.expiresIn};
  if (state.empty()) return redirect(location + "code=" + code + "#_");
  return redirect(location + "code=" + code + state + "#_");
}

FakeResponse FakeGraph::exchangeCode(const FakeRequest& request) {
  auto form = parseForm(request.body);
  if (!oauth_.configured || form["client_id"] != oauth_.appId ||
      form["client_secret"] != oauth_.appSecret || form["grant_type"] != "authorization_code")
    return invalidCode();
  auto it = codes_.find(form["code"]);
  if (it == codes_.end()) return invalidCode();
  AuthCode code = it->second;
  codes_.erase(it);  // single use, whatever follows
  if (form["redirect_uri"] != code.redirectUri) return invalidCode();
  Resolved account = resolve(code.accountToken);
  if (account.state != TokenState::kValid) return invalidCode();
  std::string token = issue(code.accountToken, false, code.expiresIn);
  Poco::JSON::Object out;
  out.set("access_token", token);
  out.set("user_id", account.account->igId);
  out.set("permissions", kPermissions);
  return json(200, stringify(out));
}

FakeResponse FakeGraph::exchangeToken(const FakeRequest& request) {
  if (queryOf(request, "grant_type") != "ig_exchange_token")
    return graphError(100, 0, "Unsupported grant_type");
  if (!oauth_.configured || queryOf(request, "client_secret") != oauth_.appSecret)
    return graphError(101, 0, "Error validating client secret.");
  const std::string shortToken = queryOf(request, "access_token");
  Resolved r = resolve(shortToken);
  if (r.state != TokenState::kValid) return tokenError(r);
  if (!r.issued || r.longLived)
    return graphError(100, 0, "(#100) Only a short-lived token can be exchanged");
  const IssuedToken source = issued_.at(shortToken);
  return tokenAnswer(issue(source.accountToken, true, source.lifetimeSeconds),
                     source.lifetimeSeconds);
}

FakeResponse FakeGraph::refreshToken(const FakeRequest& request) {
  if (queryOf(request, "grant_type") != "ig_refresh_token")
    return graphError(100, 0, "Unsupported grant_type");
  const std::string token = queryOf(request, "access_token");
  Resolved r = resolve(token);
  if (r.state != TokenState::kValid) return tokenError(r);
  if (r.issued && !r.longLived)
    return graphError(100, 0, "(#100) A short-lived token cannot be refreshed");
  // The old token keeps working until its own expiry, as Meta's does.
  const std::string accountToken = r.issued ? issued_.at(token).accountToken : token;
  return tokenAnswer(issue(accountToken, true, oauth_.expiresIn), oauth_.expiresIn);
}

FakeResponse FakeGraph::debugToken(const FakeRequest& request) {
  std::string appToken = queryOf(request, "access_token");
  if (appToken.empty()) appToken = detail::tokenOf(request);
  if (!oauth_.configured || appToken != oauth_.appId + "|" + oauth_.appSecret)
    return graphError(190, 0, "Invalid OAuth access token signature.");
  Resolved r = resolve(queryOf(request, "input_token"));
  const auto [type, scopeList] = tokenKind(r.account, r.issued);
  Poco::JSON::Object data;
  data.set("app_id", oauth_.appId);
  data.set("type", type);
  data.set("is_valid", r.state == TokenState::kValid);
  data.set("expires_at", r.issued ? r.expiresAtMs / 1000 : 0);
  Poco::JSON::Array scopes;
  for (const char* s : scopeList) scopes.add(s);
  data.set("scopes", scopes);
  if (r.state != TokenState::kValid) {
    auto why = detail::parseObject(tokenError(r).body)->getObject("error");
    Poco::JSON::Object error;
    error.set("code", 190);
    error.set("message", stringOf(*why, "message"));
    if (why->has("error_subcode")) error.set("subcode", why->get("error_subcode"));
    data.set("error", error);
  }
  Poco::JSON::Object out;
  out.set("data", data);
  return json(200, stringify(out));
}

FakeResponse FakeGraph::configureOAuth(const std::string& text) {
  auto body = detail::parseObject(text);
  OAuthConfig c;
  c.appId = stringOf(*body, "appId");
  c.appSecret = stringOf(*body, "appSecret");
  c.grantToken = stringOf(*body, "grantToken");
  if (body->has("deny") && !body->get("deny").isBoolean())
    return json(400, "{\"error\":\"deny must be true or false\"}");
  c.deny = body->optValue<bool>("deny", false);
  c.expiresIn = body->optValue<Poco::Int64>("expiresIn", 5184000);
  if (c.appId.empty() || c.appSecret.empty())
    return json(400, "{\"error\":\"appId and appSecret are required\"}");
  if (c.expiresIn < 0) return json(400, "{\"error\":\"expiresIn must be >= 0\"}");
  if (!c.grantToken.empty()) {
    bool known = false;
    for (const auto& a : accounts_) known = known || a.token == c.grantToken;
    if (!known) return json(400, "{\"error\":\"grantToken is not a registered account token\"}");
  }
  c.configured = true;
  oauth_ = c;
  return json(200, "{\"ok\":true}");
}

}  // namespace chathost::fakes
