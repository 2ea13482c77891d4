#pragma once
// The API router: matches a request to a route, enforces id rules, JWT, tenancy and agent lookup
// in the contract's order, renders errors, logs failures and records request metrics.

#include <chathost/sdk/logger.h>
#include <chathost/sdk/metrics.h>
#include <chathost/sdk/router.h>
#include "agents/agents.h"
#include "http/access_log.h"
#include "http/inline_route.h"

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace chathost::host {

/// Routes are added (addRoute, or by plugins through sdk::Router) before the server starts;
/// afterwards the table is read-only and handle() may run on many threads at once without locks.
/// addRoute and clearPluginRoutes must not run while handle() does.
class ApiRouter : public sdk::Router {
 public:
  enum class Scope {
    kPublic,      // no JWT; the handler authenticates the caller itself
    kSubaccount,  // JWT granting :subaccountId
    kAgent,       // as kSubaccount, and :agentId must be an agent of that subaccount
  };
  /// Verifies the caller for `subaccountId` (empty: any valid token will do). kUnauthorized
  /// without a valid token, kForbidden when the token does not grant the subaccount.
  using AuthCheck =
      std::function<sdk::Status(const sdk::Request&, const std::string& subaccountId)>;
  using AgentLookup = std::function<sdk::Result<std::optional<sdk::AgentInfo>>(
      const std::string& subaccountId, const std::string& agentId)>;

  /// Prefix under which plugin agent routes live; they get Scope::kAgent.
  static constexpr const char* kAgentRoutePrefix =
      "/api/database/:subaccountId/chat-agents/:agentId/";

  /// `metrics` and `logger` must outlive the router.
  ApiRouter(AuthCheck authCheck, AgentLookup agentLookup, sdk::Metrics& metrics,
            sdk::Logger& logger);
  ~ApiRouter() override;
  ApiRouter(const ApiRouter&) = delete;
  ApiRouter& operator=(const ApiRouter&) = delete;

  /// Adds a host route. Errors (also logged): a bad pattern, kSubaccount/kAgent patterns without
  /// :subaccountId (and :agentId), or a route with the same shape and method already present.
  sdk::Status addRoute(sdk::Method method, const std::string& pattern, const std::string& operation,
                       Scope scope, sdk::RouteHandler handler);

  /// Attaches a non-blocking variant to the public route `method pattern` (see InlineHandler).
  /// kNotFound when there is no such route.
  sdk::Status setInlineHandler(sdk::Method method, const std::string& pattern,
                               InlineHandler handler);

  /// Answers `request` through its route's inline handler when it has one that takes it: the
  /// answer, finished as handle() finishes it, goes to `answer` (now or later, from any thread)
  /// and true is returned. False: nothing was answered; use handle() on a handler thread. Fills
  /// request.pathParams. Never throws.
  bool tryInline(sdk::Request& request, std::function<void(sdk::Response)> answer);

  /// Writes a line for every answered request through `log` (which must outlive the router); set
  /// before the server starts. Without it only failures are logged.
  void setAccessLog(const AccessLog* log) { accessLog_ = log; }

  /// Drops every route a plugin registered (their handlers point into the plugin's library, so
  /// this must happen before the library unloads).
  void clearPluginRoutes();

  /// One route of the table, as registered (the OpenAPI description is built from these).
  struct RouteInfo {
    sdk::Method method;
    std::string pattern;  // e.g. "/api/database/:subaccountId/chat-agents/:agentId"
    std::string operation;
    Scope scope;
    bool fromPlugin;
  };
  /// Every route, in the order they were added. Like handle(), only once routes stop changing.
  std::vector<RouteInfo> routes() const;

  /// Answers one request: match path then method, check ids, auth and agent, call the handler.
  /// Fills request.pathParams. Never throws. Every response carries X-Operation-Id.
  sdk::Response handle(sdk::Request& request);

 protected:
  void doAddAgentRoute(sdk::Method method, const std::string& subpath, const std::string& operation,
                       sdk::RouteHandler handler) override;
  void doAddPublicRoute(sdk::Method method, const std::string& path, const std::string& operation,
                        sdk::RouteHandler handler) override;

 private:
  struct Route;
  struct Table;
  struct StatusCounters;
  struct Outcome;

  sdk::Status add(sdk::Method method, const std::string& pattern, const std::string& operation,
                  Scope scope, sdk::RouteHandler handler, bool fromPlugin);
  sdk::Response dispatch(sdk::Request& request, Outcome& outcome);
  sdk::Response finish(sdk::Method method, const std::string& path, std::string_view remote,
                       Outcome& outcome, sdk::Response response);

  AuthCheck authCheck_;
  AgentLookup agentLookup_;
  sdk::Metrics& metrics_;
  sdk::Logger& logger_;
  std::unique_ptr<Table> table_;
  const AccessLog* accessLog_ = nullptr;
};

}  // namespace chathost::host
