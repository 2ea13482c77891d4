#include "conversation/views.h"

#include "common/json_io.h"
#include "common/message_status.h"

#include <chathost/sdk/json.h>

namespace chathost::host {
namespace {
using sdk::jsonQuote;

// Members of a message's meta shown at the message's top level too (SPEC section 6).
constexpr const char* kHoisted[] = {"reactions", "reply_to", "quick_reply", "referral", "postback"};

std::string messageJson(const host::Message& m) {
  auto meta = json::parseObject(m.metaJson);
  auto attachments = json::parse(m.attachmentsJson);
  const bool attachmentsOk = attachments && json::asArray(*attachments) != nullptr;
  std::string out = "{\"mid\":" + jsonQuote(m.mid) + ",\"direction\":" + jsonQuote(m.direction) +
                    ",\"text\":" + jsonQuote(m.text) +
                    ",\"attachments\":" + (attachmentsOk ? m.attachmentsJson : "[]") +
                    ",\"timestamp\":" + std::to_string(m.timestamp) +
                    ",\"sender_id\":" + jsonQuote(m.senderId) +
                    ",\"status\":" + jsonQuote(messageStatusName(m.status));
  if (!m.error.empty()) out += ",\"error\":" + jsonQuote(m.error);
  if (meta)
    for (const char* key : kHoisted)
      if (meta->has(key)) out += ",\"" + std::string(key) + "\":" + json::toText(meta->get(key));
  out += ",\"meta\":" + (meta ? m.metaJson : std::string("{}")) + "}";
  return out;
}

}  // namespace

std::string connectionStatusJson(const std::optional<sdk::Connection>& c) {
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

std::string chatPageJson(const host::ChatPage& page, const std::string& channel) {
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
    out += "],\"metadata\":{\"" + channel + "_user_id\":" + jsonQuote(c.key.channelUserId) +
           ",\"channel\":" + jsonQuote(channel);
    if (!c.userUsername.empty()) out += ",\"username\":" + jsonQuote(c.userUsername);
    if (!c.userName.empty()) out += ",\"name\":" + jsonQuote(c.userName);
    out += "}}";
  }
  out += "],\"count\":" + std::to_string(page.count) + "}";
  return out;
}

}  // namespace chathost::host
