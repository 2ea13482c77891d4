#pragma once
// Chat agents as the conversation engine sees them: looked up by id, asked for a reply to one
// turn of a conversation (implemented by agents/agent_service).

#include <chathost/sdk/agent_info.h>
#include <chathost/sdk/status.h>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace chathost::host {

/// One earlier message given to an agent as context. Value type.
struct HistoryItem {
  std::string direction;  // "inbound" | "outbound"
  std::string text;
  std::int64_t timestamp = 0;  // ms
};

/// What an agent is asked to answer. Value type.
struct AgentTurn {
  std::string agentId;
  std::string subaccountId;
  std::string chatId;
  std::string channel;  // "instagram"
  std::string userId;   // the channel's user id
  std::string text;
  std::vector<HistoryItem> history;  // oldest first, the incoming message excluded
};

/// An agent's answer; no text means the agent chose not to reply. Value type.
struct AgentReply {
  std::optional<std::string> text;
};

/// The host's agents. Owned by the host; valid until stop() returns. Thread-safe. reply() runs the
/// agent's runtime (maybe a remote model) and blocks the caller: call it from inbox consumers,
/// never from a request handler.
class Agents {
 public:
  virtual ~Agents() = default;
  /// The agent `agentId` when it belongs to `subaccountId` (agent ids are unique only within a
  /// subaccount).
  virtual sdk::Result<std::optional<sdk::AgentInfo>> find(const std::string& subaccountId,
                                                          const std::string& agentId) = 0;
  virtual sdk::Result<AgentReply> reply(const AgentTurn& turn) = 0;
};

}  // namespace chathost::host
