#pragma once
// REST routes for a subaccount's chat agents (SPEC section 6).

namespace chathost::host {

class ApiRouter;
class AgentStore;
class SecretCipher;
struct AgentPolicy;

/// POST/GET .../chat-agents and GET/PATCH/DELETE .../chat-agents/:agentId. Configs are checked
/// against `policy`; their secrets are stored sealed with `cipher` and shown masked. The
/// references must outlive the router's use of the routes.
void registerAgentRoutes(ApiRouter& router, AgentStore& agents, const AgentPolicy& policy,
                         const SecretCipher& cipher);

}  // namespace chathost::host
