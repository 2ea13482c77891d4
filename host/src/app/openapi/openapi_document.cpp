#include "app/openapi/openapi_document.h"

#include "app/openapi/channel_schemas.h"
#include "app/openapi/openapi_catalog.h"
#include "http/envelope.h"
#include "http/methods.h"
#include "http/route_pattern.h"

#include <algorithm>
#include <cctype>
#include <map>
#include <optional>
#include <set>

namespace chathost::host {
namespace {

using json::ArrayPtr;
using json::ObjectPtr;
using json::Var;
using sdk::Status;

constexpr const char* kExampleOperationId = "0b6c1d0e-2f41-4c36-9a53-5d0c6a7f3e21";

struct ErrorCodeInfo {
  std::string code;
  int status;
  std::string when;
};

// Every code the API answers, in the SDK's order (kInternal is the last ErrorCode), each once:
// kTimeout is answered as API_ERROR.
std::vector<ErrorCodeInfo> errorCodeTable(const Catalog& catalog, Status& problem) {
  std::vector<ErrorCodeInfo> out;
  for (int i = static_cast<int>(sdk::ErrorCode::kValidation);
       i <= static_cast<int>(sdk::ErrorCode::kInternal); ++i) {
    const auto code = static_cast<sdk::ErrorCode>(i);
    const std::string name = sdk::errorCodeName(code);
    if (std::any_of(out.begin(), out.end(), [&](const auto& e) { return e.code == name; }))
      continue;
    auto when = catalog.errorCodes.find(name);
    if (when == catalog.errorCodes.end()) {
      problem = Status::validation("the API catalog does not describe error code " + name);
      return {};
    }
    out.push_back({name, httpStatusFor(code), when->second});
  }
  for (const auto& [name, when] : catalog.errorCodes)
    if (std::none_of(out.begin(), out.end(), [&](const auto& e) { return e.code == name; })) {
      problem = Status::validation("the API catalog describes an unknown error code " + name);
      return {};
    }
  return out;
}

const ErrorCodeInfo* findCode(const std::vector<ErrorCodeInfo>& table, const std::string& code) {
  auto it = std::find_if(table.begin(), table.end(), [&](const auto& e) { return e.code == code; });
  return it == table.end() ? nullptr : &*it;
}

ArrayPtr arrayOf(std::initializer_list<Var> items) {
  ArrayPtr out = new Poco::JSON::Array();
  for (const auto& v : items) out->add(v);
  return out;
}

ObjectPtr refTo(const std::string& target) {
  ObjectPtr o = orderedObject();
  o->set("$ref", target);
  return o;
}

std::string lowercase(std::string s) {
  for (char& c : s)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return s;
}

bool isBodyMethod(sdk::Method m) {
  return m == sdk::Method::kPost || m == sdk::Method::kPut || m == sdk::Method::kPatch;
}

// The error answers of one HTTP status: which codes, and what the catalog says about them.
struct ErrorSlot {
  std::vector<std::string> codes;
  std::string description;

  void add(const std::string& code) {
    if (std::find(codes.begin(), codes.end(), code) == codes.end()) codes.push_back(code);
  }
};
using ErrorSlots = std::map<int, ErrorSlot>;

// What every route of this kind can answer, whatever its handler does.
ErrorSlots commonErrors(const ApiRouter::RouteInfo& route, const RoutePattern& pattern) {
  ErrorSlots slots;
  if (pattern.hasParam("subaccountId") || pattern.hasParam("agentId"))
    slots[400].add("VALIDATION_ERROR");
  if (route.scope != ApiRouter::Scope::kPublic) {
    slots[401].add("UNAUTHORIZED");
    slots[403].add("FORBIDDEN");
  }
  if (route.scope == ApiRouter::Scope::kAgent) slots[404].add("AGENT_NOT_FOUND");
  if (isBodyMethod(route.method)) slots[413].add("PAYLOAD_TOO_LARGE");
  slots[500].add("INTERNAL_ERROR");
  slots[503].add("SERVICE_UNAVAILABLE");
  return slots;
}

std::optional<int> statusOf(const std::string& text) {
  if (text.size() != 3 || !std::all_of(text.begin(), text.end(), ::isdigit)) return std::nullopt;
  const int status = std::stoi(text);
  return status >= 100 && status <= 599 ? std::optional<int>(status) : std::nullopt;
}

Status mergeCatalogErrors(const ObjectPtr& errors, const std::vector<ErrorCodeInfo>& table,
                          const std::string& where, ErrorSlots& slots) {
  if (!errors) return Status::ok();
  for (const auto& key : json::names(errors)) {
    auto status = statusOf(key);
    if (!status) return Status::validation(where + ": errors." + key + " is not an HTTP status");
    const Var value = errors->get(key);
    ArrayPtr codes = json::asArray(value);
    ErrorSlot& slot = slots[*status];
    if (auto detail = json::asObject(value)) {
      codes = json::asArray(detail->get("codes"));
      if (detail->has("description"))
        slot.description = detail->getValue<std::string>("description");
    }
    if (!codes || codes->size() == 0)
      return Status::validation(where + ": errors." + key + " names no error code");
    for (std::size_t i = 0; i < codes->size(); ++i) {
      const std::string code = codes->get(static_cast<unsigned>(i)).convert<std::string>();
      const ErrorCodeInfo* info = findCode(table, code);
      if (!info) return Status::validation(where + ": unknown error code " + code);
      if (info->status != *status)
        return Status::validation(where + ": " + code + " is answered with HTTP " +
                                  std::to_string(info->status) + ", not " + key);
      slot.add(code);
    }
  }
  return Status::ok();
}

ObjectPtr errorResponse(const ErrorSlot& slot, const std::vector<ErrorCodeInfo>& table,
                        const std::string& operation) {
  std::string description = slot.description;
  if (description.empty()) {
    if (slot.codes.size() == 1) {
      description = findCode(table, slot.codes.front())->when;
    } else {
      for (const auto& code : slot.codes)
        description +=
            (description.empty() ? "" : "\n") + ("`" + code + "`: ") + findCode(table, code)->when;
    }
  }
  ArrayPtr codes = new Poco::JSON::Array();
  for (const auto& code : slot.codes) codes->add(code);
  ObjectPtr code = orderedObject();
  code->set("enum", codes);
  ObjectPtr codeProperty = orderedObject();
  codeProperty->set("code", code);
  ObjectPtr narrowed = orderedObject();
  narrowed->set("properties", codeProperty);
  ObjectPtr schema = orderedObject();
  schema->set("allOf", arrayOf({refTo("#/components/schemas/ErrorEnvelope"), narrowed}));

  ObjectPtr meta = orderedObject();
  meta->set("operationId", kExampleOperationId);
  meta->set("operation", operation);
  meta->set("duration", "1ms");
  ObjectPtr example = orderedObject();
  example->set("success", false);
  example->set("message", findCode(table, slot.codes.front())->when);
  example->set("code", slot.codes.front());
  example->set("meta", meta);

  ObjectPtr media = orderedObject();
  media->set("schema", schema);
  media->set("example", example);
  ObjectPtr content = orderedObject();
  content->set("application/json", media);
  ObjectPtr response = orderedObject();
  response->set("description", description);
  response->set("content", content);
  return response;
}

// A catalog response: `data` (+ `example`, `message`) becomes the success envelope; anything
// else is an OpenAPI response object already.
sdk::Result<ObjectPtr> successResponse(const ObjectPtr& spec, const std::string& where) {
  if (!spec || !spec->has("description"))
    return Status::validation(where + " has a response without a description");
  if (!spec->has("data")) return spec;
  ObjectPtr data = orderedObject();
  data->set("data", spec->get("data"));
  ObjectPtr narrowed = orderedObject();
  narrowed->set("properties", data);
  ObjectPtr schema = orderedObject();
  schema->set("allOf", arrayOf({refTo("#/components/schemas/SuccessEnvelope"), narrowed}));
  ObjectPtr media = orderedObject();
  media->set("schema", schema);
  if (spec->has("example")) {
    ObjectPtr example = orderedObject();
    example->set("success", true);
    if (spec->has("message")) example->set("message", spec->get("message"));
    example->set("data", spec->get("example"));
    media->set("example", example);
  }
  ObjectPtr content = orderedObject();
  content->set("application/json", media);
  ObjectPtr response = orderedObject();
  response->set("description", spec->get("description"));
  if (spec->has("headers")) response->set("headers", spec->get("headers"));
  response->set("content", content);
  return response;
}

ArrayPtr pathParameters(const RoutePattern& pattern, const Catalog& catalog) {
  ArrayPtr out = new Poco::JSON::Array();
  for (const auto& segment : pattern.segments()) {
    if (segment.kind == RoutePattern::Kind::kLiteral) continue;
    if (catalog.pathParameters->has(segment.text)) {
      out->add(refTo("#/components/parameters/" + segment.text));
      continue;
    }
    ObjectPtr schema = orderedObject();
    schema->set("type", "string");
    ObjectPtr p = orderedObject();
    p->set("name", segment.text);
    p->set("in", "path");
    p->set("required", true);
    p->set("schema", schema);
    out->add(p);
  }
  return out;
}

// A catalog entry as it applies to one route: per-channel entries come instantiated.
struct Candidate {
  const CatalogOperation* entry;
  std::optional<ChannelWords> channel;
  std::string shape;
};

sdk::Result<std::vector<Candidate>> candidatesOf(const Catalog& catalog,
                                                 const std::vector<ChannelWords>& channels) {
  std::vector<Candidate> out;
  for (const auto& entry : catalog.operations) {
    std::vector<std::optional<ChannelWords>> variants;
    if (entry.perChannel)
      variants.assign(channels.begin(), channels.end());
    else
      variants.push_back(std::nullopt);
    for (auto& words : variants) {
      const std::string pattern =
          words ? instantiate(entry.pattern, *words).extract<std::string>() : entry.pattern;
      auto parsed = RoutePattern::parse(pattern);
      if (!parsed)
        return Status::validation("the API catalog's pattern " + entry.pattern + " of " +
                                  entry.operation + " is invalid: " + parsed.status().message());
      out.push_back({&entry, std::move(words), parsed->shape()});
    }
  }
  return out;
}

const Candidate* findCandidate(const std::vector<Candidate>& candidates,
                               const ApiRouter::RouteInfo& route, const std::string& shape) {
  for (const auto& c : candidates)
    if (c.entry->operation == route.operation && c.entry->method == route.method &&
        c.shape == shape)
      return &c;
  return nullptr;
}

std::string operationIdFor(const ApiRouter::RouteInfo& route) {
  std::string id = "undescribed_" + lowercase(methodName(route.method)) + "_";
  for (char c : route.operation) id += (std::isalnum(static_cast<unsigned char>(c)) ? c : '_');
  return id;
}

struct Builder {
  const Catalog& catalog;
  const std::vector<ErrorCodeInfo>& codes;
  std::set<std::string> operationIds;

  sdk::Result<ObjectPtr> operation(const ApiRouter::RouteInfo& route, const RoutePattern& pattern,
                                   const Candidate* candidate) {
    ObjectPtr spec;
    if (candidate)
      spec = json::asObject(candidate->channel
                                ? instantiate(candidate->entry->spec, *candidate->channel)
                                : Var(candidate->entry->spec));
    ObjectPtr op = orderedObject();
    const std::string where = describeRoute(route);
    std::string operationId =
        spec ? spec->getValue<std::string>("operationId") : operationIdFor(route);
    if (spec) {
      if (spec->has("tags"))
        op->set("tags", spec->get("tags"));
      else if (candidate->channel)
        op->set("tags", arrayOf({candidate->channel->displayName}));
      for (const char* key : {"summary", "description"})
        if (spec->has(key)) op->set(key, spec->get(key));
      if (operationIds.count(operationId))
        return Status::validation(where + ": operationId " + operationId + " is used twice");
    } else {
      op->set("summary", "Not described: " + route.operation);
      op->set("x-undescribed", true);
      while (operationIds.count(operationId)) operationId += "_";
    }
    operationIds.insert(operationId);
    op->set("operationId", operationId);

    ArrayPtr parameters = pathParameters(pattern, catalog);
    if (spec)
      if (auto extra = json::asArray(spec->get("parameters")))
        for (std::size_t i = 0; i < extra->size(); ++i)
          parameters->add(extra->get(static_cast<unsigned>(i)));
    if (parameters->size() > 0) op->set("parameters", parameters);
    if (spec && spec->has("requestBody")) op->set("requestBody", spec->get("requestBody"));

    std::map<int, ObjectPtr> responses;
    if (spec) {
      auto declared = json::asObject(spec->get("responses"));
      for (const auto& key : json::names(declared)) {
        auto status = statusOf(key);
        if (!status) return Status::validation(where + ": response " + key + " is not a status");
        auto response = successResponse(json::asObject(declared->get(key)), where);
        if (!response) return response.status();
        responses[*status] = *response;
      }
    }
    ErrorSlots errors = commonErrors(route, pattern);
    if (spec)
      if (auto s = mergeCatalogErrors(json::asObject(spec->get("errors")), codes, where, errors);
          !s)
        return s;
    for (const auto& [status, slot] : errors) {
      if (responses.count(status))
        return Status::validation(where + ": HTTP " + std::to_string(status) +
                                  " is both an answer and an error");
      responses[status] = errorResponse(slot, codes, route.operation);
    }
    ObjectPtr responseObject = orderedObject();
    for (const auto& [status, response] : responses)
      responseObject->set(std::to_string(status), response);
    if (!spec) {
      ObjectPtr unknown = orderedObject();
      unknown->set("description", "Not described in the API catalog.");
      responseObject->set("default", unknown);
    }
    op->set("responses", responseObject);
    // Public routes authenticate the caller themselves (signatures, states) or need nothing.
    if (route.scope == ApiRouter::Scope::kPublic)
      op->set("security", ArrayPtr(new Poco::JSON::Array()));
    return op;
  }
};

ObjectPtr errorCodeSchema(const std::vector<ErrorCodeInfo>& codes) {
  ArrayPtr names = new Poco::JSON::Array();
  ArrayPtr rows = new Poco::JSON::Array();
  std::string table =
      "Every error code, its HTTP status and when it is answered.\n\n"
      "| code | HTTP | when |\n|---|---|---|\n";
  for (const auto& c : codes) {
    names->add(c.code);
    ObjectPtr row = orderedObject();
    row->set("code", c.code);
    row->set("status", c.status);
    row->set("description", c.when);
    rows->add(row);
    table += "| " + c.code + " | " + std::to_string(c.status) + " | " + c.when + " |\n";
  }
  ObjectPtr schema = orderedObject();
  schema->set("type", "string");
  schema->set("enum", names);
  schema->set("description", table);
  schema->set("x-error-codes", rows);
  return schema;
}

ObjectPtr securitySchemes() {
  ObjectPtr bearer = orderedObject();
  bearer->set("type", "http");
  bearer->set("scheme", "bearer");
  bearer->set("bearerFormat", "JWT");
  bearer->set("description",
              "HS256 JWT signed with auth.jwt_secret; claims sub, subaccounts (the subaccount ids "
              "it grants, \"*\" for all) and exp. `chathost token --subaccount ID` makes one.");
  ObjectPtr schemes = orderedObject();
  schemes->set("bearerAuth", bearer);
  return schemes;
}

ChannelWords wordsOf(const sdk::ChannelDescription& d) {
  return {d.name, channelKey(d.name), d.displayName.empty() ? d.name : d.displayName};
}

ObjectPtr schemasFor(const Catalog& catalog, const std::vector<ErrorCodeInfo>& codes,
                     const std::vector<sdk::ChannelDescription>& channels) {
  ObjectPtr schemas = orderedObject();
  for (const auto& name : json::names(catalog.schemas))
    schemas->set(name, catalog.schemas->get(name));
  schemas->set("ErrorCode", errorCodeSchema(codes));
  for (const auto& channel : channels) {
    const ChannelWords w = wordsOf(channel);
    schemas->set(w.key + "ConnectBody", connectBodySchema(channel));
    schemas->set(w.key + "SendBody", sendBodySchema(channel));
    // A channel the catalog knows answers its own members; any other the generic ones.
    auto own = json::asObject(catalog.channelSchemas->get(channel.name));
    if (own && own->has("ConnectData"))
      schemas->set(w.key + "ConnectData", own->get("ConnectData"));
    else
      schemas->set(w.key + "ConnectData", refTo("#/components/schemas/ConnectData"));
  }
  return schemas;
}

ObjectPtr infoFor(const Catalog& catalog, const std::string& version) {
  ObjectPtr info = orderedObject();
  info->set("title", catalog.info->has("title") ? catalog.info->get("title") : Var("chathost API"));
  info->set("version", version);
  for (const auto& name : json::names(catalog.info))
    if (name != "title" && name != "version") info->set(name, catalog.info->get(name));
  return info;
}

ArrayPtr tagsFor(const Catalog& catalog, const std::vector<sdk::ChannelDescription>& channels) {
  ArrayPtr tags = new Poco::JSON::Array();
  for (std::size_t i = 0; i < catalog.tags->size(); ++i)
    tags->add(catalog.tags->get(static_cast<unsigned>(i)));
  for (const auto& channel : channels) {
    const ChannelWords w = wordsOf(channel);
    ObjectPtr tag = orderedObject();
    tag->set("name", w.displayName);
    tag->set("description", instantiate(catalog.channelTagDescription, w));
    tags->add(tag);
  }
  return tags;
}

}  // namespace

std::string openApiPath(const std::string& routePattern) {
  std::string out;
  std::size_t i = 0;
  while (i < routePattern.size()) {
    const char c = routePattern[i];
    const bool segmentStart = i > 0 && routePattern[i - 1] == '/';
    if (segmentStart && (c == ':' || c == '*')) {
      const auto end = routePattern.find('/', i);
      const std::string name =
          routePattern.substr(i + 1, end == std::string::npos ? end : end - i - 1);
      out += "{" + name + "}";
      i = end == std::string::npos ? routePattern.size() : end;
      continue;
    }
    out += c;
    ++i;
  }
  return out;
}

std::string describeRoute(const ApiRouter::RouteInfo& route) {
  return std::string(methodName(route.method)) + " " + route.pattern + " (" + route.operation + ")";
}

sdk::Result<OpenApiDocument> buildOpenApiDocument(const OpenApiInputs& inputs) {
  auto catalog = parseCatalog(inputs.catalogJson);
  if (!catalog) return catalog.status();
  Status problem;
  const std::vector<ErrorCodeInfo> codes = errorCodeTable(*catalog, problem);
  if (!problem) return problem;
  std::vector<ChannelWords> channels;
  for (const auto& d : inputs.channels) channels.push_back(wordsOf(d));
  auto candidates = candidatesOf(*catalog, channels);
  if (!candidates) return candidates.status();

  OpenApiDocument document;
  Builder builder{*catalog, codes, {}};
  ObjectPtr paths = orderedObject();
  for (const auto& route : inputs.routes) {
    auto pattern = RoutePattern::parse(route.pattern);
    if (!pattern)
      return Status::validation(describeRoute(route) + ": " + pattern.status().message());
    const Candidate* candidate = findCandidate(*candidates, route, pattern->shape());
    if (!candidate) document.undescribed.push_back(route);
    auto op = builder.operation(route, *pattern, candidate);
    if (!op) return op.status();
    const std::string path = openApiPath(route.pattern);
    ObjectPtr item = json::asObject(paths->get(path));
    if (!item) {
      item = orderedObject();
      paths->set(path, item);
    }
    item->set(lowercase(methodName(route.method)), *op);
  }

  ObjectPtr components = orderedObject();
  components->set("schemas", schemasFor(*catalog, codes, inputs.channels));
  components->set("parameters", catalog->pathParameters);
  components->set("securitySchemes", securitySchemes());

  ObjectPtr bearerOnly = orderedObject();
  bearerOnly->set("bearerAuth", ArrayPtr(new Poco::JSON::Array()));
  ObjectPtr root = orderedObject();
  root->set("openapi", "3.1.0");
  root->set("info", infoFor(*catalog, inputs.version));
  root->set("security", arrayOf({bearerOnly}));
  root->set("tags", tagsFor(*catalog, inputs.channels));
  root->set("paths", paths);
  root->set("components", components);
  document.json = json::toText(root);
  return document;
}

std::vector<ApiRouter::RouteInfo> undescribedRoutes(const OpenApiInputs& inputs) {
  auto document = buildOpenApiDocument(inputs);
  return document ? document->undescribed : inputs.routes;
}

}  // namespace chathost::host
