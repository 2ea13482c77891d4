#pragma once
// Operational routes: /healthz, /readyz, /metrics. No JWT, no tenant data.

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

void registerOpsRoutes(ApiRouter& router, const MetricsRegistry& metrics,
                       std::vector<ReadinessCheck> checks, std::string version);

}  // namespace chathost::host
