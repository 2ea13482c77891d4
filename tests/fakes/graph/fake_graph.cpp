#include "fake_graph.h"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <Poco/JSON/Stringifier.h>

#include <chrono>
#include <sstream>

namespace chathost::fakes {
namespace {

std::string stringify(const Poco::JSON::Object& o) {
  std::ostringstream ss;
  Poco::JSON::Stringifier::stringify(o, ss);
  return ss.str();
}

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

std::string tokenOf(const FakeRequest& r) {
  if (r.authorization.rfind("Bearer ", 0) == 0) return r.authorization.substr(7);
  auto it = r.query.find("access_token");
  return it == r.query.end() ? std::string() : it->second;
}

FakeResponse json(int status, const std::string& body) {
  return {status, body, 0};
}

}  // namespace

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

void FakeGraph::addAccount(const FakeAccount& account) {
  std::lock_guard lock(mutex_);
  accounts_.push_back(account);
}

FakeResponse FakeGraph::handle(const FakeRequest& request) {
  if (request.path.rfind("/_fake/", 0) == 0) return control(request);
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

FakeResponse FakeGraph::graph(const FakeRequest& request) {
  const auto parts = splitPath(request.path);  // {version, id, [edge]}
  if (parts.size() < 2 || parts[0].empty() || parts[0][0] != 'v')
    return json(404, graphErrorBody(803, 0, "Unknown path components: " + request.path));
  const std::string token = tokenOf(request);
  std::lock_guard lock(mutex_);
  const FakeAccount* account = nullptr;
  for (const auto& a : accounts_)
    if (a.token == token) account = &a;
  if (!account)
    return json(400,
                graphErrorBody(190, 0, "Invalid OAuth access token - Cannot parse access token"));
  const std::string& id = parts[1];

  if (parts.size() == 3 && parts[2] == "messages" && request.method == "POST") {
    if (id != "me" && id != account->pageId && id != account->igId)
      return json(
          400, graphErrorBody(
                   100, 33, "Unsupported post request. Object with ID '" + id + "' does not exist",
                   "GraphMethodException"));
    Poco::JSON::Object::Ptr body;
    try {
      body = Poco::JSON::Parser().parse(request.body).extract<Poco::JSON::Object::Ptr>();
    } catch (...) {
      return json(400, graphErrorBody(100, 0, "(#100) Invalid JSON for postbody"));
    }
    auto recipient = body->getObject("recipient");
    auto message = body->getObject("message");
    if (!recipient || !recipient->has("id"))
      return json(400, graphErrorBody(100, 0, "(#100) The parameter recipient is required"));
    SentMessage sent;
    sent.senderId = id;
    sent.recipientId = recipient->getValue<std::string>("id");
    if (message && message->has("text")) sent.text = message->getValue<std::string>("text");
    if (sent.text.size() > 1000)
      return json(
          400,
          graphErrorBody(
              100, 0, "(#100) Length of param message[text] must be less than or equal to 1000"));
    sent.messageId = "m_fake_" + std::to_string(nextMessageId_++);
    sent.body = request.body;
    sent.atMs = std::chrono::duration_cast<std::chrono::milliseconds>(
                    std::chrono::steady_clock::now().time_since_epoch())
                    .count();
    sent_.push_back(sent);
    Poco::JSON::Object out;
    out.set("recipient_id", sent.recipientId);
    out.set("message_id", sent.messageId);
    return json(200, stringify(out));
  }
  if (parts.size() == 2 && request.method == "GET") {
    Poco::JSON::Object out;
    if (id == account->igId || id == "me") {
      out.set("id", account->igId);
      if (id == "me")
        out.set("user_id", account->igId), out.set("account_type", account->accountType);
      out.set("username", account->username);
      out.set("name", account->name);
      out.set("profile_picture_url", "https://cdn.fake/" + account->username + ".jpg");
      return json(200, stringify(out));
    }
    if (id.rfind("unknown", 0) == 0)
      return json(400, graphErrorBody(9010, 0, "No matching Instagram user", "IGApiException"));
    // Any other id is a user who messaged the account: a profile.
    out.set("name", "User " + id);
    out.set("username", "user_" + id);
    out.set("profile_pic", "https://cdn.fake/p/" + id + ".jpg");
    out.set("id", id);
    return json(200, stringify(out));
  }
  return json(400, graphErrorBody(100, 0, "Unsupported " + request.method + " request.",
                                  "GraphMethodException"));
}

FakeResponse FakeGraph::control(const FakeRequest& request) {
  std::lock_guard lock(mutex_);
  if (request.path == "/_fake/sent" && request.method == "GET") {
    Poco::JSON::Array list;
    for (const auto& s : sent_) {
      Poco::JSON::Object o;
      o.set("senderId", s.senderId);
      o.set("recipientId", s.recipientId);
      o.set("text", s.text);
      o.set("messageId", s.messageId);
      o.set("body", s.body);
      o.set("atMs", s.atMs);
      list.add(o);
    }
    Poco::JSON::Object out;
    out.set("sent", list);
    out.set("count", static_cast<int>(sent_.size()));
    return json(200, stringify(out));
  }
  if (request.path == "/_fake/requests" && request.method == "GET") {
    Poco::JSON::Object counts;
    for (const auto& [k, v] : requestCounts_) counts.set(k, v);
    return json(200, stringify(counts));
  }
  if (request.path == "/_fake/reset" && request.method == "POST") {
    sent_.clear();
    faults_.clear();
    requestCounts_.clear();
    return json(200, "{\"ok\":true}");
  }
  Poco::JSON::Object::Ptr body;
  try {
    body = Poco::JSON::Parser().parse(request.body).extract<Poco::JSON::Object::Ptr>();
  } catch (...) {
    return json(400, "{\"error\":\"body must be a JSON object\"}");
  }
  if (request.path == "/_fake/accounts" && request.method == "POST") {
    FakeAccount a;
    a.token = body->optValue<std::string>("token", "");
    a.igId = body->optValue<std::string>("igId", "");
    a.pageId = body->optValue<std::string>("pageId", "");
    a.username = body->optValue<std::string>("username", "");
    a.name = body->optValue<std::string>("name", a.username);
    a.accountType = body->optValue<std::string>("accountType", "BUSINESS");
    if (a.token.empty() || a.igId.empty())
      return json(400, "{\"error\":\"token and igId are required\"}");
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
  return json(404, "{\"error\":\"unknown control route\"}");
}

}  // namespace chathost::fakes
