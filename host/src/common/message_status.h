#pragma once
// The names message states have in storage and in API answers.

#include "storage/chat_store.h"

#include <string>

namespace chathost::host {

/// "received" | "pending" | "sent" | "failed" | "deleted". Pure.
const char* messageStatusName(host::MessageStatus status);
/// The state named `name`; kReceived for anything unknown. Pure.
host::MessageStatus parseMessageStatus(const std::string& name);

}  // namespace chathost::host
