#include "app/openapi/openapi_catalog.h"

#include "http/methods.h"

namespace chathost::host {
namespace {

using sdk::Status;

constexpr std::string_view kChannelPlaceholder = "{channel}";

std::string replaceAll(std::string text, std::string_view from, const std::string& to) {
  for (auto pos = text.find(from); pos != std::string::npos; pos = text.find(from, pos + to.size()))
    text.replace(pos, from.size(), to);
  return text;
}

std::string substituted(std::string text, const ChannelWords& w) {
  if (text.find('{') == std::string::npos) return text;
  text = replaceAll(std::move(text), kChannelPlaceholder, w.name);
  text = replaceAll(std::move(text), "{ChannelKey}", w.key);
  return replaceAll(std::move(text), "{displayName}", w.displayName);
}

std::string stringMember(const json::ObjectPtr& o, const std::string& name) {
  if (!o || !o->has(name) || !json::isString(o->get(name))) return {};
  return o->get(name).extract<std::string>();
}

sdk::Result<CatalogOperation> parseOperation(const json::Var& item, std::size_t index) {
  const std::string at = "operations[" + std::to_string(index) + "]";
  auto spec = json::asObject(item);
  if (!spec) return Status::validation(at + " is not an object");
  CatalogOperation op;
  op.spec = spec;
  op.operation = stringMember(spec, "operation");
  op.pattern = stringMember(spec, "pattern");
  const std::string method = stringMember(spec, "method");
  if (op.operation.empty()) return Status::validation(at + " has no operation");
  if (op.pattern.empty() || op.pattern.front() != '/')
    return Status::validation(at + " (" + op.operation + ") has no pattern starting with /");
  auto parsedMethod = parseMethod(method);
  if (!parsedMethod)
    return Status::validation(at + " (" + op.operation + ") has no valid method: '" + method + "'");
  op.method = *parsedMethod;
  op.perChannel = op.pattern.find(kChannelPlaceholder) != std::string::npos;
  if (stringMember(spec, "operationId").empty())
    return Status::validation(at + " (" + op.operation + ") has no operationId");
  if (!json::asObject(spec->get("responses")))
    return Status::validation(at + " (" + op.operation + ") has no responses");
  return op;
}

}  // namespace

std::string channelKey(const std::string& name) {
  std::string out;
  bool upper = true;
  for (char c : name) {
    if (c == '-' || c == '_') {
      upper = true;
      continue;
    }
    out += upper && c >= 'a' && c <= 'z' ? static_cast<char>(c - 'a' + 'A') : c;
    upper = false;
  }
  return out;
}

json::ObjectPtr orderedObject() {
  return new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
}

json::Var instantiate(const json::Var& value, const ChannelWords& words) {
  if (auto obj = json::asObject(value)) {
    json::ObjectPtr out = orderedObject();
    for (const auto& name : json::names(obj))
      out->set(substituted(name, words), instantiate(obj->get(name), words));
    return out;
  }
  if (auto arr = json::asArray(value)) {
    json::ArrayPtr out = new Poco::JSON::Array();
    for (std::size_t i = 0; i < arr->size(); ++i)
      out->add(instantiate(arr->get(static_cast<unsigned>(i)), words));
    return out;
  }
  if (json::isString(value)) return substituted(value.extract<std::string>(), words);
  return value;
}

sdk::Result<Catalog> parseCatalog(std::string_view text) {
  auto parsed = json::parse(std::string(text));
  if (!parsed)
    return Status::validation("the API catalog is not JSON: " + parsed.status().message());
  auto root = json::asObject(*parsed);
  if (!root) return Status::validation("the API catalog is not a JSON object");
  Catalog c;
  c.info = json::asObject(root->get("info"));
  c.tags = json::asArray(root->get("tags"));
  c.pathParameters = json::asObject(root->get("pathParameters"));
  c.schemas = json::asObject(root->get("schemas"));
  c.channelSchemas = json::asObject(root->get("channelSchemas"));
  if (!c.channelSchemas) c.channelSchemas = orderedObject();
  c.channelTagDescription = stringMember(json::asObject(root->get("channelTag")), "description");
  for (const auto& [what, ok] : {std::pair{"info", c.info.get() != nullptr},
                                 {"tags", c.tags.get() != nullptr},
                                 {"pathParameters", c.pathParameters.get() != nullptr},
                                 {"schemas", c.schemas.get() != nullptr}})
    if (!ok) return Status::validation(std::string("the API catalog has no ") + what);

  auto codes = json::asObject(root->get("errorCodes"));
  if (!codes) return Status::validation("the API catalog has no errorCodes");
  for (const auto& code : json::names(codes)) {
    const std::string when = stringMember(codes, code);
    if (when.empty()) return Status::validation("errorCodes." + code + " is not a text");
    c.errorCodes[code] = when;
  }

  auto operations = json::asArray(root->get("operations"));
  if (!operations) return Status::validation("the API catalog has no operations");
  for (std::size_t i = 0; i < operations->size(); ++i) {
    auto op = parseOperation(operations->get(static_cast<unsigned>(i)), i);
    if (!op) return op.status();
    c.operations.push_back(std::move(op).value());
  }
  return c;
}

}  // namespace chathost::host
