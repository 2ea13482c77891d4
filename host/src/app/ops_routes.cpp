#include "app/ops_routes.h"

#include "http/api_router.h"
#include "http/envelope.h"
#include "metrics/process_metrics.h"
#include "metrics/registry.h"

#include <chathost/sdk/json.h>

#include <chrono>

namespace chathost::host {

void registerOpsRoutes(ApiRouter& router, const MetricsRegistry& metrics,
                       std::vector<ReadinessCheck> checks, std::string version,
                       sdk::Logger& logger) {
  const auto started = std::chrono::steady_clock::now();
  router.addRoute(
      sdk::Method::kGet, "/healthz", "healthz", ApiRouter::Scope::kPublic,
      [started, version](const sdk::Request&,
                         const sdk::RouteContext&) -> sdk::Result<sdk::Response> {
        const auto up = std::chrono::duration_cast<std::chrono::seconds>(
                            std::chrono::steady_clock::now() - started)
                            .count();
        return sdk::Response::okJson("{\"status\":\"ok\",\"version\":" + sdk::jsonQuote(version) +
                                     ",\"uptimeSeconds\":" + std::to_string(up) + "}");
      });
  router.addRoute(
      sdk::Method::kGet, "/readyz", "readyz", ApiRouter::Scope::kPublic,
      [checks = std::move(checks), &logger](
          const sdk::Request&, const sdk::RouteContext&) -> sdk::Result<sdk::Response> {
        std::string results;
        std::string down;
        for (const auto& c : checks) {
          const sdk::Status s = c.check();
          if (!results.empty()) results += ',';
          results += sdk::jsonQuote(c.name) + ':' + sdk::jsonQuote(s ? "ok" : "down");
          if (s) continue;
          down += (down.empty() ? "" : ", ") + c.name;
          logger.warning("readiness check failed", {{"check", c.name}, {"error", s.message()}});
        }
        if (down.empty())
          return sdk::Response::okJson("{\"status\":\"ready\",\"checks\":{" + results + "}}");
        // The names of what is down, never the drivers' error text (it goes to the log above).
        return renderErrorAsIs(sdk::Status(sdk::ErrorCode::kUnavailable, "not ready: " + down,
                                           "{\"checks\":{" + results + "}}"),
                               "readyz", newOperationId(), 0);
      });
  router.addRoute(sdk::Method::kGet, "/metrics", "metrics", ApiRouter::Scope::kPublic,
                  [&metrics, version](const sdk::Request&,
                                      const sdk::RouteContext&) -> sdk::Result<sdk::Response> {
                    sdk::Response r;
                    r.contentType = "text/plain; version=0.0.4; charset=utf-8";
                    r.body = metrics.renderPrometheus() +
                             processMetricsText(readProcessStats(), version);
                    return r;
                  });
}

}  // namespace chathost::host
