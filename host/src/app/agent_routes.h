#pragma once
// REST routes for a subaccount's chat agents (SPEC section 6).

namespace chathost::host {

class ApiRouter;
class AgentStore;

/// POST/GET .../chat-agents and GET/PATCH/DELETE .../chat-agents/:agentId.
void registerAgentRoutes(ApiRouter& router, AgentStore& agents);

}  // namespace chathost::host
