#pragma once
// The names message states have in storage and in API answers.

#include <chathost/sdk/chat_store.h>

#include <string>

namespace chathost::host {

/// "received" | "pending" | "sent" | "failed" | "deleted". Pure.
const char* messageStatusName(sdk::MessageStatus status);
/// The state named `name`; kReceived for anything unknown. Pure.
sdk::MessageStatus parseMessageStatus(const std::string& name);

}  // namespace chathost::host
