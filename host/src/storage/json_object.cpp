#include "storage/json_object.h"

#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <Poco/JSON/Stringifier.h>

#include <sstream>

namespace chathost::host {

namespace {

Poco::JSON::Object::Ptr parseObject(const std::string& json) {
  if (json.empty()) return new Poco::JSON::Object;
  Poco::JSON::Parser parser;
  Poco::Dynamic::Var v = parser.parse(json);
  if (v.type() != typeid(Poco::JSON::Object::Ptr)) return nullptr;
  return v.extract<Poco::JSON::Object::Ptr>();
}

std::string stringify(const Poco::JSON::Object& o) {
  std::ostringstream out;
  o.stringify(out);
  return out.str();
}

}  // namespace

sdk::Result<std::string> mergeJsonObjects(const std::string& base, const std::string& patch) {
  try {
    auto b = parseObject(base);
    auto p = parseObject(patch);
    if (!p) return sdk::Status::validation("the meta patch must be a JSON object");
    if (!b) b = new Poco::JSON::Object;  // a non-object meta is replaced, never kept broken
    for (const auto& [key, value] : *p) b->set(key, value);
    return stringify(*b);
  } catch (const std::exception& e) {
    return sdk::Status::validation(std::string("invalid JSON: ") + e.what());
  }
}

std::string encodeStringMap(const std::map<std::string, std::string>& values) {
  Poco::JSON::Object o;
  for (const auto& [k, v] : values) o.set(k, v);
  return stringify(o);
}

sdk::Result<std::map<std::string, std::string>> decodeStringMap(const std::string& json) {
  try {
    auto o = parseObject(json);
    if (!o) return sdk::Status::internal("stored value is not a JSON object");
    std::map<std::string, std::string> out;
    for (const auto& [key, value] : *o) {
      if (!value.isString()) return sdk::Status::internal("stored member is not a string");
      out[key] = value.convert<std::string>();
    }
    return out;
  } catch (const std::exception&) {
    return sdk::Status::internal("stored value is not valid JSON");
  }
}

}  // namespace chathost::host
