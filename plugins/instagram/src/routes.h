#pragma once
// The agent-scoped REST routes of the channel: connect, status, send, messages, disconnect.

#include "connection_cache.h"
#include "graph_client.h"
#include "rate_limiter.h"
#include "services.h"

#include <chathost/sdk/router.h>

namespace chathost::instagram {

/// Owns no state beyond references; handlers run concurrently on HTTP threads.
class Routes {
 public:
  Routes(Services& services, const GraphClient& graph, RateLimiter& limiter,
         ConnectionCache& cache);
  /// Registers every route with router.addAgentRoute (call from start()).
  void registerAll(sdk::Router& router);

  sdk::Result<sdk::Response> connect(const sdk::Request& req, const sdk::RouteContext& ctx);
  sdk::Result<sdk::Response> status(const sdk::Request& req, const sdk::RouteContext& ctx);
  sdk::Result<sdk::Response> send(const sdk::Request& req, const sdk::RouteContext& ctx);
  sdk::Result<sdk::Response> messages(const sdk::Request& req, const sdk::RouteContext& ctx);
  sdk::Result<sdk::Response> disconnect(const sdk::Request& req, const sdk::RouteContext& ctx);

 private:
  Services& services_;
  const GraphClient& graph_;
  RateLimiter& limiter_;
  ConnectionCache& cache_;
  sdk::Counter& sendsOk_;
  sdk::Counter& sendsFailed_;
};

}  // namespace chathost::instagram
