#pragma once
// The JSON the generic channel routes answer with (SPEC section 6): connection status and pages
// of chats with their messages.

#include "storage/chat_store.h"
#include "storage/connection_store.h"

#include <optional>
#include <string>

namespace chathost::host {

/// `{"isConnected","isActive","accountInfo"[,"inactiveReason"]}` of a connection (or none). Pure.
std::string connectionStatusJson(const std::optional<sdk::Connection>& connection);

/// `{"chats":[...],"count":N}`; each chat's metadata names the user as `<channel>_user_id`.
/// Stored JSON that does not parse is shown as `{}`/`[]` rather than breaking the page. Pure.
std::string chatPageJson(const host::ChatPage& page, const std::string& channel);

}  // namespace chathost::host
