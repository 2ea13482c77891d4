#pragma once
// The agent a channel account is connected to, as the host stores it.

#include <cstdint>
#include <string>

namespace chathost::sdk {

/// An agent as stored by the host. `configJson` is the agent's `config` object as JSON text.
/// Value type.
struct AgentInfo {
  std::string id;
  std::string subaccountId;
  std::string name;
  std::string type;  // "rules" | "openai" | "http"
  std::string configJson = "{}";
  std::int64_t createdAt = 0;  // ms since epoch
  std::int64_t updatedAt = 0;
};

}  // namespace chathost::sdk
