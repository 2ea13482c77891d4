#pragma once
// Routes a plugin registers into the host's HTTP server.

#include <chathost/sdk/agent_info.h>
#include <chathost/sdk/http.h>
#include <chathost/sdk/status.h>

#include <exception>
#include <functional>
#include <string>
#include <utility>

namespace chathost::sdk {

/// What the host resolved before calling a handler. `agent` is set for agent-scoped routes (JWT,
/// tenancy and agent lookup already done) and null for public routes. Valid during the call only.
struct RouteContext {
  const AgentInfo* agent = nullptr;
  std::string operationId;  // uuid of this request, for logs
};

/// Handles one request. A Status error becomes the contract's error envelope (the host adds
/// operationId, operation and duration). Called on HTTP worker threads, concurrently.
using RouteHandler = std::function<Result<Response>(const Request&, const RouteContext&)>;

/// The host's router. Owned by the host; valid until stop() returns; call it from start() only.
/// Handlers are dropped by the host before the plugin's stop() is called.
class Router {
 public:
  virtual ~Router() = default;

  /// Registers `subpath` (e.g. "instagram/connect", may hold ":params") below the host-owned
  /// prefix `/api/database/:subaccountId/chat-agents/:agentId/`. The host checks the JWT, the
  /// tenant and the agent before calling `handler`. `operation` names the route in errors,
  /// metrics and logs. Exceptions thrown by `handler` become INTERNAL_ERROR on the plugin side.
  void addAgentRoute(Method method, const std::string& subpath, const std::string& operation,
                     RouteHandler handler) {
    doAddAgentRoute(method, subpath, operation, guard(std::move(handler)));
  }
  /// Registers an absolute `path` (e.g. "/webhooks/instagram") with no JWT: the handler must
  /// authenticate the caller itself. Public agent-scoped paths (webhooks) may use ":params".
  void addPublicRoute(Method method, const std::string& path, const std::string& operation,
                      RouteHandler handler) {
    doAddPublicRoute(method, path, operation, guard(std::move(handler)));
  }

 protected:
  virtual void doAddAgentRoute(Method method, const std::string& subpath,
                               const std::string& operation, RouteHandler handler) = 0;
  virtual void doAddPublicRoute(Method method, const std::string& path,
                                const std::string& operation, RouteHandler handler) = 0;

 private:
  // Compiled into the plugin, so a plugin's exception never unwinds into the host.
  static RouteHandler guard(RouteHandler h) {
    return [h = std::move(h)](const Request& req, const RouteContext& ctx) -> Result<Response> {
      try {
        return h(req, ctx);
      } catch (const std::exception& e) {
        return Status::internal(std::string("unhandled plugin error: ") + e.what());
      } catch (...) {
        return Status::internal("unhandled plugin error");
      }
    };
  }
};

}  // namespace chathost::sdk
