#pragma once
// GET /api/openapi.json: the OpenAPI document of every route, built once after the plugins have
// registered their routes and channels, then served from memory to anyone: it is the same for
// every caller and holds no tenant data.

#include "http/api_router.h"

#include <chathost/sdk/logger.h>
#include <chathost/sdk/status.h>

#include <memory>
#include <string>
#include <vector>

namespace chathost::host {

class ChannelRegistry;

class OpenApiRoute {
 public:
  /// Adds the public route to `router` (which must outlive this); it answers 503 until publish().
  explicit OpenApiRoute(ApiRouter& router);

  /// Builds the document from the router's routes and the registered channels. Call once all
  /// routes are in, before the server starts: the route reads what this writes without a lock.
  /// Routes the catalog does not describe are logged as a warning (and still listed); a catalog
  /// that does not build is the returned error, and the route answers 500.
  sdk::Status publish(const ChannelRegistry& channels, const std::string& version,
                      sdk::Logger& logger);

  /// The routes the published document has no description for.
  const std::vector<ApiRouter::RouteInfo>& undescribed() const { return undescribed_; }

  static constexpr const char* kPath = "/api/openapi.json";

 private:
  struct Served;
  ApiRouter& router_;
  std::shared_ptr<Served> served_;
  std::vector<ApiRouter::RouteInfo> undescribed_;
};

}  // namespace chathost::host
