#pragma once
// Chat agents as the conversation engine sees them: looked up by id, asked for a reply to one
// turn of a conversation (implemented by agents/agent_service).

#include <chathost/sdk/agent_info.h>
#include <chathost/sdk/status.h>

#include <cstdint>
#include <functional>
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
  /// Called (on the caller's thread) right before the agent's runtime calls a remote endpoint;
  /// the conversation shows the user it was seen and, after a moment, typing.
  std::function<void()> onRemoteCall = {};
};

/// A media file an agent sends with its reply, by public URL (the channel fetches it). Value
/// type. `type` is one of image, video, audio, file; `url` an absolute http(s) URL of at most
/// 2048 bytes (agents/reply_attachment.h checks both).
struct ReplyAttachment {
  std::string type;
  std::string url;
};

/// An agent's answer; neither text nor attachments means the agent chose not to reply. Value
/// type.
struct AgentReply {
  std::optional<std::string> text;
  std::vector<ReplyAttachment> attachments = {};
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
  /// How many recent messages the agent wants as AgentTurn::history (0..100): 0 for rules
  /// agents, the config's `history` for openai agents (default 10), 10 for http agents. 10 when
  /// the agent cannot be read (storage failing), 0 when it does not exist.
  virtual int historyWanted(const std::string& subaccountId, const std::string& agentId) = 0;
  /// Failures that retrying cannot fix (the endpoint refused the request or its credentials)
  /// satisfy isAgentPermanent() (agents/agent_busy.h).
  virtual sdk::Result<AgentReply> reply(const AgentTurn& turn) = 0;
};

}  // namespace chathost::host
