#pragma once
// The operation catalog (catalog.json): what the host knows about each of its routes, read once
// at start-up. Include only from .cpp files: it pulls in Poco::JSON.

#include "common/json_io.h"

#include <chathost/sdk/http.h>
#include <chathost/sdk/status.h>

#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace chathost::host {

/// The words a per-channel entry is instantiated with.
struct ChannelWords {
  std::string name;         // {channel}: "instagram"
  std::string key;          // {ChannelKey}: "Instagram" (component names)
  std::string displayName;  // {displayName}: "Instagram"
};

/// `name` in PascalCase ("instagram" -> "Instagram", "fb-messenger" -> "FbMessenger"). Pure.
std::string channelKey(const std::string& name);

/// A copy of `value` with {channel}, {ChannelKey} and {displayName} replaced in every string and
/// member name. Pure.
json::Var instantiate(const json::Var& value, const ChannelWords& words);

/// One entry of `operations`: matches a route by operation name, method and path shape.
struct CatalogOperation {
  std::string operation;
  sdk::Method method;
  std::string pattern;  // router syntax; holds "{channel}" for per-channel entries
  bool perChannel = false;
  json::ObjectPtr spec;  // the whole entry
};

struct Catalog {
  json::ObjectPtr info;
  json::ArrayPtr tags;
  std::string channelTagDescription;
  std::map<std::string, std::string> errorCodes;  // code -> when
  json::ObjectPtr pathParameters;
  json::ObjectPtr schemas;
  json::ObjectPtr channelSchemas;  // channel name -> {schema name -> schema}
  std::vector<CatalogOperation> operations;
};

/// Parses and checks the catalog's structure; kValidation naming the first problem.
sdk::Result<Catalog> parseCatalog(std::string_view text);

/// catalog.json as compiled into the host.
std::string_view embeddedOpenApiCatalog();

/// A new empty object that keeps its members in insertion order.
json::ObjectPtr orderedObject();

}  // namespace chathost::host
