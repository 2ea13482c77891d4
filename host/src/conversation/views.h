#pragma once
// The JSON the generic channel routes answer with (SPEC section 6): connection status and pages
// of chats with their messages.

#include "storage/chat_store.h"
#include "storage/connection_store.h"

#include <cstdint>
#include <optional>
#include <string>

namespace chathost::host {

/// `{"isConnected","isActive","accountInfo"[,"inactiveReason"]}` of a connection (or none). Pure.
std::string connectionStatusJson(const std::optional<sdk::Connection>& connection);

/// The channel's messaging windows, counted from the user's last message (0: none).
struct ChatWindows {
  std::int64_t replyMs = 0;
  std::int64_t taggedMs = 0;
};

/// `{"chats":[...],"count":N}`; each chat's metadata names the user as `<channel>_user_id`, and
/// the chat tells when its windows end (`reply_window_ends_at`, `human_agent_window_ends_at`;
/// null when unknown). Stored JSON that does not parse is shown as `{}`/`[]` rather than
/// breaking the page. Pure.
std::string chatPageJson(const host::ChatPage& page, const std::string& channel,
                         const ChatWindows& windows = {});

/// `{"chat":{...without messages},"messages":[...],"hasMore":b}`: one page of a thread. Pure.
std::string chatThreadJson(const host::ChatThread& thread, const std::string& channel,
                           const ChatWindows& windows = {});

}  // namespace chathost::host
