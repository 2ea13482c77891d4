#pragma once
// The host services the plugin's parts use, handed out by plugin.cpp (the only file that sees the
// PluginContext), so each part can be tested with the SDK fakes.

#include <chathost/sdk/sdk.h>

#include <chrono>
#include <cstdint>
#include <functional>

namespace chathost::instagram {

inline constexpr const char* kChannel = "instagram";

/// Milliseconds since the epoch; replaceable in tests.
using Clock = std::function<std::int64_t()>;

inline std::int64_t systemNowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

/// References into the host's context; valid until the plugin's stop() returns.
struct Services {
  sdk::Logger& logger;
  sdk::ChatStore& chats;
  sdk::ConnectionStore& connections;
  sdk::Inbox& inbox;
  sdk::KeyValue& kv;
  sdk::HttpClient& http;
  sdk::Metrics& metrics;
  sdk::Agents& agents;
  Clock clock = systemNowMs;
};

}  // namespace chathost::instagram
