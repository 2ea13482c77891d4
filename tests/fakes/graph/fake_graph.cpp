#include "fake_graph.h"

#include "fake_graph_util.h"

#include <Poco/JSON/Array.h>
#include <Poco/URI.h>

#include <chrono>

namespace chathost::fakes {

using detail::graphError;
using detail::json;
using detail::stringify;

namespace detail {

std::vector<std::string> splitPath(const std::string& path) {
  std::vector<std::string> parts;
  std::string cur;
  for (char c : path) {
    if (c == '/') {
      if (!cur.empty()) parts.push_back(cur);
      cur.clear();
    } else {
      cur += c;
    }
  }
  if (!cur.empty()) parts.push_back(cur);
  return parts;
}

std::string percentEncode(const std::string& s) {
  std::string out;
  Poco::URI::encode(s, "!#$&'()*+,/:;=?@[]%\"<>^`{|} ", out);
  return out;
}

std::string tokenOf(const FakeRequest& r) {
  if (r.authorization.rfind("Bearer ", 0) == 0) return r.authorization.substr(7);
  return queryOf(r, "access_token");
}

std::string queryOf(const FakeRequest& r, const std::string& name) {
  auto it = r.query.find(name);
  return it == r.query.end() ? std::string() : it->second;
}

}  // namespace detail

std::int64_t fakeSystemNowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

std::string graphErrorBody(int code, int subcode, const std::string& message,
                           const std::string& type) {
  Poco::JSON::Object err;
  err.set("message", message);
  err.set("type", type);
  err.set("code", code);
  if (subcode) err.set("error_subcode", subcode);
  err.set("fbtrace_id", "AfakeTrace" + std::to_string(code));
  Poco::JSON::Object root;
  root.set("error", err);
  return stringify(root);
}

std::map<std::string, std::string> parseForm(const std::string& body) {
  std::map<std::string, std::string> out;
  std::size_t start = 0;
  while (start < body.size()) {
    std::size_t amp = body.find('&', start);
    if (amp == std::string::npos) amp = body.size();
    std::string pair = body.substr(start, amp - start);
    start = amp + 1;
    if (pair.empty()) continue;
    auto eq = pair.find('=');
    for (char& c : pair)
      if (c == '+') c = ' ';  // a literal plus is a space in forms (a plus itself comes as %2B)
    std::string name, value;
    try {
      Poco::URI::decode(pair.substr(0, eq), name);
      if (eq != std::string::npos) Poco::URI::decode(pair.substr(eq + 1), value);
    } catch (...) {
      continue;  // a malformed escape: the pair is ignored
    }
    out[name] = value;
  }
  return out;
}

void FakeGraph::addAccount(const FakeAccount& account) {
  std::lock_guard lock(mutex_);
  accounts_.push_back(account);
}

FakeResponse FakeGraph::handle(const FakeRequest& request) {
  if (request.path.rfind("/_fake/", 0) == 0) {
    try {
      return control(request);
    } catch (...) {  // a member of the wrong type
      return json(400, "{\"error\":\"bad control request\"}");
    }
  }
  {
    std::lock_guard lock(mutex_);
    requestCounts_[request.method + " " + request.path]++;
  }
  FakeResponse fault;
  if (takeFault(request.path, fault)) return fault;
  return graph(request);
}

bool FakeGraph::takeFault(const std::string& path, FakeResponse& out) {
  std::lock_guard lock(mutex_);
  for (auto it = faults_.begin(); it != faults_.end(); ++it) {
    if (path.find(it->match) == std::string::npos) continue;
    const std::string kind = it->kind;
    const int hang = it->hangMs;
    if (--it->remaining <= 0) faults_.erase(it);
    if (kind == "http500")
      out = json(500, graphErrorBody(2, 0, "An unexpected error has occurred.", "OAuthException"));
    else if (kind == "http503")
      out = json(503, "Service Unavailable");
    else if (kind == "throttle")
      out = json(400, graphErrorBody(613, 0, "Calls to this api have exceeded the rate limit."));
    else if (kind == "auth")
      out = json(400, graphErrorBody(190, 460,
                                     "Error validating access token: The session has been "
                                     "invalidated because the user changed their password."));
    else if (kind == "permanent")
      out = json(400, graphErrorBody(100, 2018001, "No matching user found", "OAuthException"));
    else if (kind == "outside_window")
      out =
          json(400, graphErrorBody(10, 2018278, "This message is sent outside of allowed window."));
    else if (kind == "hang")
      out = json(200, "{}"), out.hangMs = hang > 0 ? hang : 30000;
    else
      out = json(500, graphErrorBody(1, 0, "Unknown fault kind " + kind));
    return true;
  }
  return false;
}

FakeGraph::Resolved FakeGraph::resolve(const std::string& token) const {
  Resolved r;
  if (token.empty()) return r;
  std::string accountToken = token;
  if (auto it = issued_.find(token); it != issued_.end()) {
    r.issued = true;
    r.longLived = it->second.longLived;
    r.expiresAtMs = it->second.expiresAtMs;
    accountToken = it->second.accountToken;
  }
  for (const auto& a : accounts_)
    if (a.token == accountToken) r.account = &a;
  if (!r.account) return r;
  if (revoked_.count(token))
    r.state = TokenState::kRevoked;
  else if (r.issued && nowMs_() >= r.expiresAtMs)
    r.state = TokenState::kExpired;
  else
    r.state = TokenState::kValid;
  return r;
}

FakeResponse FakeGraph::tokenError(const Resolved& r) {
  if (r.state == TokenState::kRevoked)
    return graphError(190, 460,
                      "Error validating access token: The session has been invalidated because "
                      "the user changed their password or Facebook has changed the session for "
                      "security reasons.");
  if (r.state == TokenState::kExpired)
    return graphError(190, 463, "Error validating access token: Session has expired.");
  return graphError(190, 0, "Invalid OAuth access token - Cannot parse access token");
}

FakeResponse FakeGraph::graph(const FakeRequest& request) {
  const auto parts = detail::splitPath(request.path);  // {version, id, [edge]}
  std::lock_guard lock(mutex_);
  if (parts.empty() || parts[0].empty() || parts[0][0] != 'v') return oauthRoute(request);
  if (parts.size() < 2)
    return json(404, graphErrorBody(803, 0, "Unknown path components: " + request.path));
  if (parts.size() == 2 && parts[1] == "debug_token" && request.method == "GET")
    return debugToken(request);
  const Resolved token = resolve(detail::tokenOf(request));
  if (token.state != TokenState::kValid) return tokenError(token);
  const FakeAccount& account = *token.account;
  const std::string& id = parts[1];

  if (parts.size() == 3 && parts[2] == "messages" && request.method == "POST")
    return sendApi(request, account, id);
  if (parts.size() == 3 && parts[2] == "subscribed_apps")
    return subscribedApps(request, account, id);
  if (parts.size() == 2 && request.method == "GET" && account.kind != FakeAccountKind::kInstagram)
    return pageNode(request, account, id);
  if (parts.size() == 2 && request.method == "GET") {
    Poco::JSON::Object out;
    if (id == account.igId || id == "me") {
      out.set("id", account.igId);
      if (id == "me")
        out.set("user_id", account.igId), out.set("account_type", account.accountType);
      out.set("username", account.username);
      out.set("name", account.name);
      out.set("profile_picture_url", "https://cdn.fake/" + account.username + ".jpg");
      return json(200, stringify(out));
    }
    if (id.rfind("unknown", 0) == 0)
      return graphError(9010, 0, "No matching Instagram user", "IGApiException");
    // Any other id is a user who messaged the account: a profile.
    out.set("name", "User " + id);
    out.set("username", "user_" + id);
    out.set("profile_pic", "https://cdn.fake/p/" + id + ".jpg");
    out.set("id", id);
    return json(200, stringify(out));
  }
  return graphError(100, 0, "Unsupported " + request.method + " request.", "GraphMethodException");
}

FakeResponse FakeGraph::sentList() const {
  auto entry = [](const SentMessage& s) {
    Poco::JSON::Object o;
    o.set("senderId", s.senderId);
    o.set("recipientId", s.recipientId);
    o.set("text", s.text);
    o.set("messageId", s.messageId);
    o.set("body", s.body);
    o.set("atMs", s.atMs);
    o.set("kind", s.kind);
    o.set("tag", s.tag);
    o.set("messagingType", s.messagingType);
    o.set("attachmentType", s.attachmentType);
    o.set("attachmentUrl", s.attachmentUrl);
    o.set("action", s.action);
    return o;
  };
  Poco::JSON::Array list, actions;
  for (const auto& s : sent_) list.add(entry(s));
  for (const auto& a : actions_) actions.add(entry(a));
  Poco::JSON::Object out;
  out.set("sent", list);
  out.set("count", static_cast<int>(sent_.size()));
  out.set("actions", actions);
  return json(200, stringify(out));
}

FakeResponse FakeGraph::subscriptionList() const {
  auto listOf = [](const std::vector<std::string>& fields) {
    Poco::JSON::Array list;
    for (const auto& f : fields) list.add(f);
    return list;
  };
  Poco::JSON::Object byNode;
  for (const auto& [node, fields] : subscriptions_) byNode.set(node, listOf(fields));
  // An Instagram account linked to a subscribed Page gets the Page's webhooks: it is listed under
  // its own id too, unless it has a subscription of its own (Instagram Login).
  for (const auto& a : accounts_) {
    if (a.kind != FakeAccountKind::kInstagram || a.pageId.empty() || subscriptions_.count(a.igId))
      continue;
    if (auto page = subscriptions_.find(a.pageId); page != subscriptions_.end())
      byNode.set(a.igId, listOf(page->second));
  }
  Poco::JSON::Object out;
  out.set("subscriptions", byNode);
  return json(200, stringify(out));
}

FakeResponse FakeGraph::control(const FakeRequest& request) {
  std::lock_guard lock(mutex_);
  if (request.path == "/_fake/sent" && request.method == "GET") return sentList();
  if (request.path == "/_fake/requests" && request.method == "GET") {
    Poco::JSON::Object counts;
    for (const auto& [k, v] : requestCounts_) counts.set(k, v);
    return json(200, stringify(counts));
  }
  if (request.path == "/_fake/subscriptions" && request.method == "GET") return subscriptionList();
  if (request.path == "/_fake/reset" && request.method == "POST") {
    // Interactions go; accounts, the login configuration and issued tokens stay.
    sent_.clear();
    actions_.clear();
    faults_.clear();
    requestCounts_.clear();
    subscriptions_.clear();
    codes_.clear();
    revoked_.clear();
    return json(200, "{\"ok\":true}");
  }
  auto body = detail::parseObject(request.body);
  if (!body) return json(400, "{\"error\":\"body must be a JSON object\"}");
  if (request.path == "/_fake/accounts" && request.method == "POST") {
    FakeAccount a;
    a.token = body->optValue<std::string>("token", "");
    a.igId = body->optValue<std::string>("igId", "");
    a.pageId = body->optValue<std::string>("pageId", "");
    a.username = body->optValue<std::string>("username", "");
    a.name = body->optValue<std::string>("name", a.username);
    a.accountType = body->optValue<std::string>("accountType", "BUSINESS");
    a.category = body->optValue<std::string>("category", a.category);
    const std::string kind = body->optValue<std::string>("kind", "instagram");
    if (kind == "page") {
      a.kind = FakeAccountKind::kPage;
      if (a.token.empty() || a.pageId.empty() || !a.igId.empty())
        return json(400, "{\"error\":\"a page needs token and pageId, and no igId\"}");
    } else if (kind == "user") {
      a.kind = FakeAccountKind::kUser;
      if (a.token.empty() || a.igId.empty())
        return json(400, "{\"error\":\"a user needs token and igId (the user id)\"}");
    } else if (kind != "instagram" || a.token.empty() || a.igId.empty()) {
      return json(400, "{\"error\":\"token and igId are required\"}");
    }
    accounts_.push_back(a);
    return json(200, "{\"ok\":true}");
  }
  if (request.path == "/_fake/faults" && request.method == "POST") {
    Fault f;
    f.match = body->optValue<std::string>("match", "");
    f.kind = body->optValue<std::string>("kind", "http500");
    f.remaining = body->optValue<int>("count", 1);
    f.hangMs = body->optValue<int>("hangMs", 0);
    faults_.push_back(f);
    return json(200, "{\"ok\":true}");
  }
  if (request.path == "/_fake/oauth" && request.method == "POST")
    return configureOAuth(request.body);
  if (request.path == "/_fake/revoke" && request.method == "POST") {
    std::string token = detail::stringOf(*body, "token");
    if (token.empty()) return json(400, "{\"error\":\"token is required\"}");
    revoked_.insert(token);
    return json(200, "{\"ok\":true}");
  }
  return json(404, "{\"error\":\"unknown control route\"}");
}

}  // namespace chathost::fakes
