#include "common/json_io.h"

#include <chathost/sdk/json.h>

#include <Poco/Exception.h>
#include <Poco/JSON/ParseHandler.h>
#include <Poco/JSON/Parser.h>

#include <charconv>
#include <cmath>
#include <typeinfo>

namespace chathost::host::json {

namespace {

sdk::Result<Var> parseDocument(const std::string& text) {
  try {
    Poco::JSON::Parser parser(new Poco::JSON::ParseHandler(true));
    return parser.parse(text);
  } catch (const Poco::Exception& e) {
    std::string why = e.message().empty() ? e.displayText() : e.message();
    return sdk::Status::validation(why);
  } catch (const std::exception& e) {
    return sdk::Status::validation(e.what());
  }
}

}  // namespace

sdk::Result<Var> parse(const std::string& text) {
  auto parsed = parseDocument(text);
  if (parsed) return parsed;
  // Poco's parser refuses a scalar document ("text", 42) with a confusing message: read it as
  // the only element of an array so callers can say "must be an object" instead.
  auto first = text.find_first_not_of(" \t\r\n");
  if (first == std::string::npos || text[first] == '{' || text[first] == '[') return parsed;
  auto wrapped = parseDocument("[" + text + "]");
  if (auto arr = wrapped ? asArray(*wrapped) : ArrayPtr(); arr && arr->size() == 1) {
    return arr->get(0);
  }
  return parsed;
}

ObjectPtr asObject(const Var& v) {
  if (v.isEmpty() || v.type() != typeid(ObjectPtr)) return {};
  return v.extract<ObjectPtr>();
}

ArrayPtr asArray(const Var& v) {
  if (v.isEmpty() || v.type() != typeid(ArrayPtr)) return {};
  return v.extract<ArrayPtr>();
}

bool isNull(const Var& v) {
  return v.isEmpty();
}

bool isString(const Var& v) {
  return !v.isEmpty() && v.type() == typeid(std::string);
}

bool isBool(const Var& v) {
  return !v.isEmpty() && v.type() == typeid(bool);
}

std::optional<double> asNumber(const Var& v) {
  if (v.isEmpty() || isBool(v) || isString(v) || !v.isNumeric()) return std::nullopt;
  try {
    return v.convert<double>();
  } catch (const Poco::Exception&) {
    return std::nullopt;
  }
}

std::optional<std::int64_t> asInteger(const Var& v) {
  if (v.isEmpty() || isBool(v) || isString(v) || !v.isNumeric()) return std::nullopt;
  try {
    if (v.isInteger()) return v.convert<std::int64_t>();
    double d = v.convert<double>();
    if (std::isfinite(d) && std::trunc(d) == d && std::fabs(d) < 9.0e15) {
      return static_cast<std::int64_t>(d);
    }
  } catch (const Poco::Exception&) {
  }
  return std::nullopt;
}

std::vector<std::string> names(const ObjectPtr& obj) {
  std::vector<std::string> out;
  if (obj) obj->getNames(out);
  return out;
}

namespace {

void write(const Var& v, std::string& out) {
  if (v.isEmpty()) {
    out += "null";
  } else if (auto obj = asObject(v)) {
    out.push_back('{');
    bool first = true;
    for (const auto& name : names(obj)) {
      if (!first) out.push_back(',');
      first = false;
      out += sdk::jsonQuote(name);
      out.push_back(':');
      write(obj->get(name), out);
    }
    out.push_back('}');
  } else if (auto arr = asArray(v)) {
    out.push_back('[');
    for (std::size_t i = 0; i < arr->size(); ++i) {
      if (i) out.push_back(',');
      write(arr->get(static_cast<unsigned>(i)), out);
    }
    out.push_back(']');
  } else if (isBool(v)) {
    out += v.extract<bool>() ? "true" : "false";
  } else if (isString(v)) {
    out += sdk::jsonQuote(v.extract<std::string>());
  } else if (v.isInteger()) {
    out += v.convert<std::string>();
  } else if (auto d = asNumber(v); d && std::isfinite(*d)) {
    char buf[32];
    auto res = std::to_chars(buf, buf + sizeof buf, *d);
    out.append(buf, res.ptr);
  } else {
    out += sdk::jsonQuote(v.convert<std::string>());
  }
}

}  // namespace

std::string toText(const Var& v) {
  std::string out;
  write(v, out);
  return out;
}

ObjectPtr parseObject(const std::string& text) {
  try {
    auto parsed = parse(text);
    return parsed ? asObject(*parsed) : nullptr;
  } catch (const std::exception&) {
    return nullptr;
  }
}

}  // namespace chathost::host::json
