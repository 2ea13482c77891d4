#pragma once
// JSON views of stored state for the REST answers (pure functions).

#include <chathost/sdk/chat_store.h>
#include <chathost/sdk/connection_store.h>

#include <optional>
#include <string>

namespace chathost::instagram {

/// `{isConnected, isActive, accountInfo{id, username, accountType} | null}`.
std::string statusJson(const std::optional<sdk::Connection>& connection);

/// `{chats: [...], count}` in the contract's /messages shape.
std::string chatPageJson(const sdk::ChatPage& page);

/// Lower-case name of a message status ("received", "pending", "sent", "failed", "deleted").
const char* statusName(sdk::MessageStatus status);

}  // namespace chathost::instagram
