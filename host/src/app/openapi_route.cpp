#include "app/openapi_route.h"

#include "app/openapi/openapi_catalog.h"
#include "app/openapi/openapi_document.h"
#include "conversation/channel_registry.h"

#include <algorithm>
#include <cstdint>
#include <cstdio>

namespace chathost::host {
namespace {

// FNV-1a: a cheap, stable fingerprint of the document for its ETag.
std::string etagOf(const std::string& body) {
  std::uint64_t hash = 1469598103934665603ull;
  for (const unsigned char c : body) {
    hash ^= c;
    hash *= 1099511628211ull;
  }
  char buf[24];
  std::snprintf(buf, sizeof buf, "\"%016llx\"", static_cast<unsigned long long>(hash));
  return buf;
}

// If-None-Match holds one ETag, a list of them, or "*".
bool matchesEtag(std::string_view header, std::string_view etag) {
  if (header == "*") return true;
  for (std::size_t pos = 0; pos <= header.size();) {
    const auto comma = header.find(',', pos);
    std::string_view item =
        header.substr(pos, comma == std::string_view::npos ? comma : comma - pos);
    while (!item.empty() && item.front() == ' ') item.remove_prefix(1);
    while (!item.empty() && item.back() == ' ') item.remove_suffix(1);
    if (item.substr(0, 2) == "W/") item.remove_prefix(2);
    if (item == etag) return true;
    if (comma == std::string_view::npos) break;
    pos = comma + 1;
  }
  return false;
}

}  // namespace

struct OpenApiRoute::Served {
  std::string body;  // empty until published
  std::string etag;
  std::string error;
};

OpenApiRoute::OpenApiRoute(ApiRouter& router)
    : router_(router), served_(std::make_shared<Served>()) {
  router.addRoute(
      sdk::Method::kGet, kPath, "openapi", ApiRouter::Scope::kPublic,
      [served = served_](const sdk::Request& req,
                         const sdk::RouteContext&) -> sdk::Result<sdk::Response> {
        if (!served->error.empty())
          return sdk::Status::internal("the API description could not be built: " + served->error);
        if (served->body.empty())
          return sdk::Status::unavailable("the API description is not built yet");
        sdk::Response r;
        r.headers.emplace_back("ETag", served->etag);
        r.headers.emplace_back("Cache-Control", "no-cache");
        if (auto tag = req.header("If-None-Match"); tag && matchesEtag(*tag, served->etag)) {
          r.status = 304;
          r.contentType.clear();
          return r;
        }
        r.body = served->body;
        return r;
      });
}

sdk::Status OpenApiRoute::publish(const ChannelRegistry& channels, const std::string& version,
                                  sdk::Logger& logger) {
  OpenApiInputs inputs;
  inputs.catalogJson = embeddedOpenApiCatalog();
  inputs.routes = router_.routes();
  for (const auto& channel : channels.all()) inputs.channels.push_back(channel->description);
  std::sort(inputs.channels.begin(), inputs.channels.end(),
            [](const auto& a, const auto& b) { return a.name < b.name; });
  inputs.version = version;

  auto document = buildOpenApiDocument(inputs);
  if (!document) {
    served_->error = document.status().message();
    logger.error("the API description could not be built",
                 {{"error", document.status().message()}});
    return document.status();
  }
  undescribed_ = document->undescribed;
  if (!undescribed_.empty()) {
    std::string list;
    for (const auto& route : undescribed_)
      list += (list.empty() ? "" : ", ") + describeRoute(route);
    logger.warning("routes without an API description (listed in " + std::string(kPath) +
                       " with their common answers only)",
                   {{"routes", list}});
  }
  served_->body = std::move(document->json);
  served_->etag = etagOf(served_->body);
  return sdk::Status::ok();
}

}  // namespace chathost::host
