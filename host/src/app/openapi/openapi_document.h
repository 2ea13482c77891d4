#pragma once
// The OpenAPI 3.1 document of a host, built from its route table, its loaded channels and the
// operation catalog (catalog.json). Pure: no I/O.

#include "http/api_router.h"

#include <chathost/sdk/channel.h>
#include <chathost/sdk/status.h>

#include <string>
#include <string_view>
#include <vector>

namespace chathost::host {

struct OpenApiInputs {
  std::string_view catalogJson;  // embeddedOpenApiCatalog() in the host
  std::vector<ApiRouter::RouteInfo> routes;
  std::vector<sdk::ChannelDescription> channels;
  std::string version;  // info.version
};

struct OpenApiDocument {
  std::string json;  // compact JSON text
  /// Routes the catalog has no entry for. They are in the document all the same, with only the
  /// answers every route of their kind gives, marked `x-undescribed: true`.
  std::vector<ApiRouter::RouteInfo> undescribed;
};

/// kValidation when the catalog is broken (not JSON, a missing member, an error code it does not
/// describe or gives the wrong HTTP status, two operations with one operationId).
sdk::Result<OpenApiDocument> buildOpenApiDocument(const OpenApiInputs& inputs);

/// The routes of `inputs` that no catalog entry describes (all of them when the catalog is
/// broken).
std::vector<ApiRouter::RouteInfo> undescribedRoutes(const OpenApiInputs& inputs);

/// "/a/:id/*rest" -> "/a/{id}/{rest}".
std::string openApiPath(const std::string& routePattern);

/// "GET /healthz (healthz)", for logs and test failures.
std::string describeRoute(const ApiRouter::RouteInfo& route);

}  // namespace chathost::host
