#include <chathost/meta/json_util.h>

#include <Poco/JSON/Parser.h>
#include <Poco/JSON/Stringifier.h>

#include <sstream>

namespace chathost::meta {

JsonObject::Ptr parseObject(std::string_view text) {
  try {
    Poco::JSON::Parser parser;
    Poco::Dynamic::Var v = parser.parse(std::string(text));
    if (v.type() == typeid(JsonObject::Ptr)) return v.extract<JsonObject::Ptr>();
  } catch (...) {  // malformed input is a normal outcome here
  }
  return nullptr;
}

JsonObject::Ptr getObject(const JsonObject& obj, const std::string& key) {
  try {
    if (obj.isObject(key)) return obj.getObject(key);
  } catch (...) {
  }
  return nullptr;
}

JsonArray::Ptr getArray(const JsonObject& obj, const std::string& key) {
  try {
    if (obj.isArray(key)) return obj.getArray(key);
  } catch (...) {
  }
  return nullptr;
}

std::optional<std::string> getString(const JsonObject& obj, const std::string& key) {
  try {
    Poco::Dynamic::Var v = obj.get(key);
    if (v.isEmpty()) return std::nullopt;
    if (v.isString() || v.isNumeric()) return v.convert<std::string>();
  } catch (...) {
  }
  return std::nullopt;
}

std::optional<std::int64_t> getInt(const JsonObject& obj, const std::string& key) {
  try {
    Poco::Dynamic::Var v = obj.get(key);
    if (v.isEmpty() || v.isBoolean()) return std::nullopt;
    if (v.isNumeric() || v.isString()) return v.convert<Poco::Int64>();
  } catch (...) {
  }
  return std::nullopt;
}

std::optional<bool> getBool(const JsonObject& obj, const std::string& key) {
  try {
    Poco::Dynamic::Var v = obj.get(key);
    if (v.isBoolean()) return v.convert<bool>();
  } catch (...) {
  }
  return std::nullopt;
}

sdk::Status readStringMember(const JsonObject& body, const std::string& name, bool required,
                             std::string& out) {
  if (!body.has(name) || body.isNull(name)) {
    if (required) return sdk::Status::validation(name + " is required");
    return sdk::Status::ok();
  }
  if (!body.get(name).isString()) return sdk::Status::validation(name + " must be a string");
  out = body.getValue<std::string>(name);
  if (required && out.empty()) return sdk::Status::validation(name + " must not be empty");
  return sdk::Status::ok();
}

std::string toJson(const JsonObject& obj) {
  std::ostringstream out;
  obj.stringify(out);
  return out.str();
}

std::string toJson(const JsonArray& arr) {
  std::ostringstream out;
  arr.stringify(out);
  return out.str();
}

}  // namespace chathost::meta
