#pragma once
// The "rules" agent: canned replies (text, an attachment or both) chosen by case-insensitive
// substring match.

#include <chathost/sdk/status.h>
#include "agents/agents.h"

#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

namespace chathost::host {

/// A rules config, parsed once. `match` strings are kept case-folded.
struct RulesConfig {
  struct Rule {
    std::string foldedMatch;
    std::string reply;
    std::optional<host::ReplyAttachment> attachment;
  };
  std::vector<Rule> rules;
  std::optional<std::string> fallback;
  std::optional<host::ReplyAttachment> fallbackAttachment;
};

/// Parses a validated rules config; kValidation when it is not one.
sdk::Result<RulesConfig> parseRulesConfig(const std::string& configJson);

/// The first rule whose match is a substring of `text` (case-insensitive) answers with its reply
/// and attachment; else the fallback and fallback attachment; else nothing. An empty reply is no
/// text, so a matching rule with neither text nor attachment means no reply. Pure.
host::AgentReply matchRules(const RulesConfig& config, const std::string& text);

/// parseRulesConfig + matchRules; an unreadable config gives no reply.
host::AgentReply rulesReply(const std::string& configJson, const std::string& text);

/// Parsed configs cached by agent id and updatedAt, so a turn does not re-parse JSON.
/// Thread-safe.
class RulesRuntime {
 public:
  sdk::Result<host::AgentReply> reply(const sdk::AgentInfo& agent, const std::string& text);

 private:
  struct Entry {
    std::int64_t updatedAt = 0;
    std::string configJson;  // guards against two edits within one millisecond
    std::shared_ptr<const RulesConfig> config;
  };
  static constexpr std::size_t kMaxEntries = 10000;

  std::mutex mutex_;
  std::unordered_map<std::string, Entry> cache_;
};

}  // namespace chathost::host
