#pragma once
// Operational routes: /healthz, /readyz, /metrics. No JWT, no tenant data.

#include <chathost/sdk/logger.h>
#include <chathost/sdk/status.h>

#include <functional>
#include <string>
#include <utility>
#include <vector>

namespace chathost::host {

class ApiRouter;
class MetricsRegistry;

/// A named dependency check for /readyz ("storage", "redis").
struct ReadinessCheck {
  std::string name;
  std::function<sdk::Status()> check;
};

/// /readyz answers 503 naming the checks that failed ("not ready: storage"); their error text
/// (driver messages, addresses) goes to `logger` only. `logger` must outlive the router.
void registerOpsRoutes(ApiRouter& router, const MetricsRegistry& metrics,
                       std::vector<ReadinessCheck> checks, std::string version,
                       sdk::Logger& logger);

}  // namespace chathost::host
