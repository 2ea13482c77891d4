#include "app/agent_routes.h"

#include "agents/agent_json.h"
#include "agents/agent_validation.h"
#include "app/pagination.h"
#include "http/api_router.h"
#include "storage/storage.h"

#include <chathost/sdk/json.h>

namespace chathost::host {
namespace {

constexpr const char* kCollection = "/api/database/:subaccountId/chat-agents";
constexpr const char* kItem = "/api/database/:subaccountId/chat-agents/:agentId";

using Handler = sdk::Result<sdk::Response>;

}  // namespace

void registerAgentRoutes(ApiRouter& router, AgentStore& agents) {
  using Scope = ApiRouter::Scope;
  router.addRoute(sdk::Method::kPost, kCollection, "createAgent", Scope::kSubaccount,
                  [&agents](const sdk::Request& req, const sdk::RouteContext&) -> Handler {
                    auto draft = parseAgentCreate(req.body, req.param("subaccountId"));
                    if (!draft) return draft.status();
                    auto created = agents.create(*draft);
                    if (!created) return created.status();
                    return sdk::Response::okJson(agentToJson(*created), 201, "Agent created");
                  });
  router.addRoute(sdk::Method::kGet, kCollection, "listAgents", Scope::kSubaccount,
                  [&agents](const sdk::Request& req, const sdk::RouteContext&) -> Handler {
                    auto page = parsePage(req);
                    if (!page) return page.status();
                    auto result = agents.list(req.param("subaccountId"), page->limit, page->skip);
                    if (!result) return result.status();
                    std::string list = "[";
                    for (const auto& a : result->agents) {
                      if (list.size() > 1) list += ',';
                      list += agentToJson(a);
                    }
                    list += ']';
                    return sdk::Response::okJson("{\"agents\":" + list + ",\"count\":" +
                                                 std::to_string(result->count) + "}");
                  });
  router.addRoute(sdk::Method::kGet, kItem, "getAgent", Scope::kAgent,
                  [](const sdk::Request&, const sdk::RouteContext& ctx) -> Handler {
                    return sdk::Response::okJson(agentToJson(*ctx.agent));
                  });
  router.addRoute(sdk::Method::kPatch, kItem, "updateAgent", Scope::kAgent,
                  [&agents](const sdk::Request& req, const sdk::RouteContext& ctx) -> Handler {
                    auto patched = applyAgentPatch(req.body, *ctx.agent);
                    if (!patched) return patched.status();
                    auto saved = agents.update(*patched);
                    if (!saved) return saved.status();
                    return sdk::Response::okJson(agentToJson(*saved), 200, "Agent updated");
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
