// A tenant's agent create (POST) and update (PATCH) bodies. Input: create body NUL patch body.
// Invariants: refusals are kValidation; an accepted agent has a valid id, a trimmed non-empty
// name, and a config that passes validateAgentConfig and the policy on its own; re-sending the
// accepted agent as a body gives the same agent back (its config survives its own JSON text);
// an empty PATCH changes nothing; a PATCH result satisfies the same checks.

#include "agents/agent_policy.h"
#include "agents/agent_validation.h"
#include "fuzz_support.h"

#include <chathost/sdk/json.h>

using namespace chathost::host;
using chathost::sdk::AgentInfo;
using chathost::sdk::ErrorCode;

namespace {

bool sameAgent(const AgentInfo& a, const AgentInfo& b) {
  return a.id == b.id && a.subaccountId == b.subaccountId && a.name == b.name && a.type == b.type &&
         a.configJson == b.configJson;
}

void checkAccepted(const AgentInfo& agent, const AgentPolicy& policy) {
  FUZZ_CHECK(isValidAgentId(agent.id));
  FUZZ_CHECK(!agent.name.empty());
  FUZZ_CHECK(agent.name.front() != ' ' && agent.name.back() != ' ');
  FUZZ_CHECK(agent.type == "rules" || agent.type == "openai" || agent.type == "http");
  FUZZ_CHECK(validateAgentConfig(agent.type, agent.configJson).isOk());
  FUZZ_CHECK(checkAgentPolicy(agent.configJson, policy).isOk());
}

std::string bodyOf(const AgentInfo& agent) {
  using chathost::sdk::jsonQuote;
  return "{\"id\":" + jsonQuote(agent.id) + ",\"name\":" + jsonQuote(agent.name) +
         ",\"type\":" + jsonQuote(agent.type) + ",\"config\":" + agent.configJson + "}";
}

void checkFailure(const chathost::sdk::Status& s) {
  if (!s.isOk()) FUZZ_CHECK(s.code() == ErrorCode::kValidation);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto f = chathost::fuzz::splitFields(data, size, 2);
  const AgentPolicy policy;

  for (const char* type : {"rules", "openai", "http", "unknown"})
    checkFailure(validateAgentConfig(type, f[1]));
  checkFailure(checkAgentPolicy(f[1], policy));

  const auto created = parseAgentCreate(f[0], "sub-1", policy);
  checkFailure(created.status());
  if (!created) return 0;
  checkAccepted(*created, policy);
  FUZZ_CHECK(created->subaccountId == "sub-1");

  const auto again = parseAgentCreate(bodyOf(*created), "sub-1", policy);
  FUZZ_CHECK(again.isOk());
  FUZZ_CHECK(sameAgent(*created, *again));

  const auto unchanged = applyAgentPatch("{}", *created, policy);
  FUZZ_CHECK(unchanged.isOk());
  FUZZ_CHECK(sameAgent(*created, *unchanged));

  const auto patched = applyAgentPatch(f[1], *created, policy);
  checkFailure(patched.status());
  if (patched) {
    checkAccepted(*patched, policy);
    FUZZ_CHECK(patched->id == created->id);
    FUZZ_CHECK(patched->subaccountId == created->subaccountId);
  }
  return 0;
}
