#include "conversation/views.h"

#include "common/json_io.h"
#include "common/message_status.h"

#include <chathost/sdk/json.h>

namespace chathost::host {
namespace {
using sdk::jsonQuote;

// Members of a message's meta shown at the message's top level too (SPEC section 6).
constexpr const char* kHoisted[] = {"reactions", "reply_to", "quick_reply",
                                    "referral",  "postback", "tag"};

std::string messageJson(const host::Message& m) {
  auto meta = json::parseObject(m.metaJson);
  auto attachments = json::parse(m.attachmentsJson);
  const bool attachmentsOk = attachments && json::asArray(*attachments) != nullptr;
  std::string out =
      "{\"mid\":" + jsonQuote(m.mid) + ",\"direction\":" + jsonQuote(m.direction) +
      ",\"text\":" + jsonQuote(m.text) +
      ",\"attachments\":" + (attachmentsOk ? m.attachmentsJson : "[]") +
      ",\"timestamp\":" + std::to_string(m.timestamp) + ",\"sender_id\":" + jsonQuote(m.senderId) +
      ",\"seq\":" + std::to_string(m.seq) + ",\"status\":" + jsonQuote(messageStatusName(m.status));
  if (!m.error.empty()) out += ",\"error\":" + jsonQuote(m.error);
  if (meta)
    for (const char* key : kHoisted)
      if (meta->has(key)) out += ",\"" + std::string(key) + "\":" + json::toText(meta->get(key));
  out += ",\"meta\":" + (meta ? m.metaJson : std::string("{}")) + "}";
  return out;
}

std::string messagesJson(const std::vector<host::Message>& messages) {
  std::string out = "[";
  for (std::size_t i = 0; i < messages.size(); ++i) {
    if (i) out += ",";
    out += messageJson(messages[i]);
  }
  return out + "]";
}

std::string msOrNull(std::int64_t ms) {
  return ms > 0 ? std::to_string(ms) : "null";
}

// A chat's members; `messages` null leaves them out (a thread page carries them beside it).
std::string chatJson(const host::Chat& c, const std::vector<host::Message>* messages,
                     const std::string& channel, const ChatWindows& windows) {
  const std::int64_t last = c.lastInboundAt;
  std::string out = "{\"chat_id\":" + jsonQuote(c.chatId) +
                    ",\"agent_id\":" + jsonQuote(c.key.agentId) +
                    ",\"chat_status\":" + jsonQuote(c.status) +
                    ",\"start_timestamp\":" + std::to_string(c.startTimestamp) +
                    ",\"message_count\":" + std::to_string(c.messageCount) +
                    ",\"last_message_at\":" + msOrNull(c.lastActivity) +
                    ",\"last_inbound_at\":" + msOrNull(last) + ",\"reply_window_ends_at\":" +
                    msOrNull(last > 0 && windows.replyMs > 0 ? last + windows.replyMs : 0) +
                    ",\"human_agent_window_ends_at\":" +
                    msOrNull(last > 0 && windows.taggedMs > 0 ? last + windows.taggedMs : 0);
  if (messages) out += ",\"messages\":" + messagesJson(*messages);
  out += ",\"metadata\":{\"" + channel + "_user_id\":" + jsonQuote(c.key.channelUserId) +
         ",\"channel\":" + jsonQuote(channel);
  if (!c.userUsername.empty()) out += ",\"username\":" + jsonQuote(c.userUsername);
  if (!c.userName.empty()) out += ",\"name\":" + jsonQuote(c.userName);
  return out + "}}";
}

}  // namespace

std::string connectionStatusJson(const std::optional<sdk::Connection>& c) {
  if (!c || !c->connected) return R"({"isConnected":false,"isActive":false,"accountInfo":null})";
  std::string out = "{\"isConnected\":true,\"isActive\":";
  out += c->active ? "true" : "false";
  out += ",\"accountInfo\":{\"id\":" + jsonQuote(c->accountId) +
         ",\"username\":" + jsonQuote(c->username) +
         ",\"accountType\":" + jsonQuote(c->accountType.empty() ? "UNKNOWN" : c->accountType) +
         ",\"tokenExpiresAt\":" + msOrNull(c->tokenExpiresAt) + "}";
  if (!c->active && !c->inactiveReason.empty())
    out += ",\"inactiveReason\":" + jsonQuote(c->inactiveReason);
  return out + "}";
}

std::string chatPageJson(const host::ChatPage& page, const std::string& channel,
                         const ChatWindows& windows) {
  std::string out = "{\"chats\":[";
  bool firstChat = true;
  for (const auto& cw : page.chats) {
    if (!firstChat) out += ",";
    firstChat = false;
    out += chatJson(cw.chat, &cw.messages, channel, windows);
  }
  out += "],\"count\":" + std::to_string(page.count) + "}";
  return out;
}

std::string chatThreadJson(const host::ChatThread& thread, const std::string& channel,
                           const ChatWindows& windows) {
  return "{\"chat\":" + chatJson(thread.chat, nullptr, channel, windows) +
         ",\"messages\":" + messagesJson(thread.messages) +
         ",\"hasMore\":" + (thread.hasMore ? "true" : "false") + "}";
}

}  // namespace chathost::host
