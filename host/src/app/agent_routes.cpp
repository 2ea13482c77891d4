#include "app/agent_routes.h"

#include "agents/agent_json.h"
#include "agents/agent_validation.h"
#include "agents/config_secrets.h"
#include "app/pagination.h"
#include "http/api_router.h"
#include "storage/storage.h"

#include <chathost/sdk/json.h>

namespace chathost::host {
namespace {

constexpr const char* kCollection = "/api/database/:subaccountId/chat-agents";
constexpr const char* kItem = "/api/database/:subaccountId/chat-agents/:agentId";

using Handler = sdk::Result<sdk::Response>;

/// The stored agent with its secrets opened, for masking and for PATCH to compare masks with.
/// When they do not open (another key file), the sealed values stand in: they mask to nothing
/// useful and are written back as they are.
sdk::AgentInfo opened(const sdk::AgentInfo& stored, const SecretCipher& cipher, bool& ok) {
  auto open = openAgentSecrets(stored, cipher);
  ok = open.isOk();
  return ok ? *open : stored;
}

std::string shown(const sdk::AgentInfo& stored, const SecretCipher& cipher) {
  bool ok = false;
  return agentToJson(opened(stored, cipher, ok));
}

}  // namespace

void registerAgentRoutes(ApiRouter& router, AgentStore& agents, const AgentPolicy& policy,
                         const SecretCipher& cipher) {
  using Scope = ApiRouter::Scope;
  router.addRoute(
      sdk::Method::kPost, kCollection, "createAgent", Scope::kSubaccount,
      [&agents, &policy, &cipher](const sdk::Request& req, const sdk::RouteContext&) -> Handler {
        auto draft = parseAgentCreate(req.body, req.param("subaccountId"), policy);
        if (!draft) return draft.status();
        auto sealed = sealAgentSecrets(*draft, cipher);
        if (!sealed) return sealed.status();
        auto created = agents.create(*sealed);
        if (!created) return created.status();
        return sdk::Response::okJson(shown(*created, cipher), 201, "Agent created");
      });
  router.addRoute(sdk::Method::kGet, kCollection, "listAgents", Scope::kSubaccount,
                  [&agents, &cipher](const sdk::Request& req, const sdk::RouteContext&) -> Handler {
                    auto page = parsePage(req);
                    if (!page) return page.status();
                    auto result = agents.list(req.param("subaccountId"), page->limit, page->skip);
                    if (!result) return result.status();
                    std::string list = "[";
                    for (const auto& a : result->agents) {
                      if (list.size() > 1) list += ',';
                      list += shown(a, cipher);
                    }
                    list += ']';
                    return sdk::Response::okJson("{\"agents\":" + list + ",\"count\":" +
                                                 std::to_string(result->count) + "}");
                  });
  router.addRoute(sdk::Method::kGet, kItem, "getAgent", Scope::kAgent,
                  [&cipher](const sdk::Request&, const sdk::RouteContext& ctx) -> Handler {
                    return sdk::Response::okJson(shown(*ctx.agent, cipher));
                  });
  router.addRoute(sdk::Method::kPatch, kItem, "updateAgent", Scope::kAgent,
                  [&agents, &policy, &cipher](const sdk::Request& req,
                                              const sdk::RouteContext& ctx) -> Handler {
                    bool open = false;
                    sdk::AgentInfo current = opened(*ctx.agent, cipher, open);
                    auto patched = applyAgentPatch(req.body, current, policy);
                    if (!patched) return patched.status();
                    auto sealed = sealAgentSecrets(
                        *patched, cipher,
                        open ? SealScope::kEveryLiteral : SealScope::kOnlyUnsealed);
                    if (!sealed) return sealed.status();
                    auto saved = agents.update(*sealed);
                    if (!saved) return saved.status();
                    return sdk::Response::okJson(shown(*saved, cipher), 200, "Agent updated");
                  });
  router.addRoute(sdk::Method::kDelete, kItem, "deleteAgent", Scope::kAgent,
                  [&agents](const sdk::Request& req, const sdk::RouteContext& ctx) -> Handler {
                    if (auto s = agents.remove(ctx.agent->subaccountId, ctx.agent->id); !s)
                      return s;
                    return sdk::Response::okJson(
                        "{\"id\":" + sdk::jsonQuote(ctx.agent->id) + ",\"deleted\":true}", 200,
                        "Agent deleted");
                  });
}

}  // namespace chathost::host
