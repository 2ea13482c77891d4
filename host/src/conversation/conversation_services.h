#pragma once
// The host services the conversation module uses, gathered so each part can be built in tests
// with fakes or a real storage.

#include "conversation/connection_cache.h"

#include <chathost/sdk/kv.h>
#include <chathost/sdk/logger.h>
#include <chathost/sdk/metrics.h>
#include "agents/agents.h"
#include "storage/chat_store.h"
#include "storage/connection_store.h"
#include "storage/inbox.h"

#include <cstdint>
#include <functional>
#include <string>

namespace chathost::host {

/// The fencing check before a send: ok while the worker still holds the outbox row's claim
/// (renewing it), kConflict once another worker or host took it over.
using ClaimCheck = std::function<sdk::Status(const host::InboxEvent&)>;

/// A send window all hosts sharing the database count in (Redis): records a send of `key` and
/// answers 0, or how many ms until one is allowed when `limit` sends were made in the last second.
using SharedSendWindow =
    std::function<sdk::Result<std::int64_t>(const std::string& key, int limit)>;

/// References only; every one must outlive the channels' routes and consumers.
struct ConversationServices {
  sdk::Logger& logger;
  host::ChatStore& chats;
  host::ConnectionStore& connections;
  host::Inbox& inbox;
  host::Inbox& outbox;  // reply parts waiting to be sent
  ClaimCheck confirmSendClaim;
  sdk::KeyValue& kv;
  host::Agents& agents;
  sdk::Metrics& metrics;
  ConnectionCache& cache;
  std::function<std::int64_t()> clock;  // ms since the epoch
  /// Empty when this host is alone (or its hosts share no Redis): each keeps its own window.
  SharedSendWindow sharedSendWindow = {};
  /// Signs the `state` of sign-in flows (the same on every host sharing the database); empty
  /// turns sign-in flows off.
  std::string oauthStateKey = {};
  /// The host's public origin (`server.public_url`, e.g. "https://chat.example.com"); empty:
  /// the origin the browser used (its Host header).
  std::string publicUrl = {};
};

}  // namespace chathost::host
