#include "views.h"

#include "json_util.h"

#include <chathost/sdk/json.h>

namespace chathost::instagram {

namespace {
using sdk::jsonQuote;

// Stored JSON is ours, but a damaged row must not break the whole answer.
std::string safeJson(const std::string& text, const char* fallback, bool array) {
  if (array) {
    std::string wrapped = "{\"a\":" + text + "}";
    auto obj = parseObject(wrapped);
    return obj && getArray(*obj, "a") ? text : fallback;
  }
  return parseObject(text) ? text : fallback;
}

std::string messageJson(const sdk::Message& m) {
  std::string meta = safeJson(m.metaJson, "{}", false);
  std::string out = "{\"mid\":" + jsonQuote(m.mid) + ",\"direction\":" + jsonQuote(m.direction) +
                    ",\"text\":" + jsonQuote(m.text) +
                    ",\"attachments\":" + safeJson(m.attachmentsJson, "[]", true) +
                    ",\"timestamp\":" + std::to_string(m.timestamp) +
                    ",\"sender_id\":" + jsonQuote(m.senderId) +
                    ",\"status\":" + jsonQuote(statusName(m.status));
  if (!m.error.empty()) out += ",\"error\":" + jsonQuote(m.error);
  if (auto obj = parseObject(meta)) {
    for (const char* hoisted : {"reactions", "reply_to", "quick_reply", "referral", "postback"}) {
      if (obj->has(hoisted)) {
        Poco::JSON::Object one;
        one.set("v", obj->get(hoisted));
        std::string s = toJson(one);  // {"v":...}
        out += ",\"" + std::string(hoisted) + "\":" + s.substr(5, s.size() - 6);
      }
    }
  }
  out += ",\"meta\":" + meta + "}";
  return out;
}
}  // namespace

const char* statusName(sdk::MessageStatus status) {
  switch (status) {
    case sdk::MessageStatus::kReceived:
      return "received";
    case sdk::MessageStatus::kPending:
      return "pending";
    case sdk::MessageStatus::kSent:
      return "sent";
    case sdk::MessageStatus::kFailed:
      return "failed";
    case sdk::MessageStatus::kDeleted:
      return "deleted";
  }
  return "received";
}

std::string statusJson(const std::optional<sdk::Connection>& c) {
  if (!c || !c->connected) return R"({"isConnected":false,"isActive":false,"accountInfo":null})";
  std::string out = "{\"isConnected\":true,\"isActive\":";
  out += c->active ? "true" : "false";
  out += ",\"accountInfo\":{\"id\":" + jsonQuote(c->accountId) +
         ",\"username\":" + jsonQuote(c->username) +
         ",\"accountType\":" + jsonQuote(c->accountType.empty() ? "UNKNOWN" : c->accountType) + "}";
  if (!c->active && !c->inactiveReason.empty())
    out += ",\"inactiveReason\":" + jsonQuote(c->inactiveReason);
  return out + "}";
}

std::string chatPageJson(const sdk::ChatPage& page) {
  std::string out = "{\"chats\":[";
  bool firstChat = true;
  for (const auto& cw : page.chats) {
    const auto& c = cw.chat;
    if (!firstChat) out += ",";
    firstChat = false;
    out += "{\"chat_id\":" + jsonQuote(c.chatId) + ",\"agent_id\":" + jsonQuote(c.key.agentId) +
           ",\"chat_status\":" + jsonQuote(c.status) +
           ",\"start_timestamp\":" + std::to_string(c.startTimestamp) +
           ",\"message_count\":" + std::to_string(c.messageCount) + ",\"messages\":[";
    for (std::size_t i = 0; i < cw.messages.size(); ++i) {
      if (i) out += ",";
      out += messageJson(cw.messages[i]);
    }
    out += "],\"metadata\":{\"instagram_user_id\":" + jsonQuote(c.key.channelUserId) +
           ",\"channel\":\"instagram\"";
    if (!c.userUsername.empty()) out += ",\"username\":" + jsonQuote(c.userUsername);
    if (!c.userName.empty()) out += ",\"name\":" + jsonQuote(c.userName);
    out += "}}";
  }
  out += "],\"count\":" + std::to_string(page.count) + "}";
  return out;
}

}  // namespace chathost::instagram
