#pragma once
// Helpers shared by the fake Graph API's route files. Internal to the fake.

#include "fake_graph.h"

#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <Poco/JSON/Stringifier.h>

#include <sstream>
#include <string>
#include <vector>

namespace chathost::fakes::detail {

inline std::string stringify(const Poco::JSON::Object& o) {
  std::ostringstream ss;
  Poco::JSON::Stringifier::stringify(o, ss);
  return ss.str();
}

inline FakeResponse json(int status, const std::string& body) {
  FakeResponse r;
  r.status = status;
  r.body = body;
  return r;
}

inline FakeResponse graphError(int code, int subcode, const std::string& message,
                               const std::string& type = "OAuthException") {
  return json(400, graphErrorBody(code, subcode, message, type));
}

/// The parsed JSON object, or null.
inline Poco::JSON::Object::Ptr parseObject(const std::string& text) {
  try {
    auto v = Poco::JSON::Parser().parse(text);
    if (v.type() == typeid(Poco::JSON::Object::Ptr)) return v.extract<Poco::JSON::Object::Ptr>();
  } catch (...) {
  }
  return nullptr;
}

/// A string member, or `fallback` when absent or not a string.
inline std::string stringOf(const Poco::JSON::Object& o, const std::string& key,
                            const std::string& fallback = "") {
  try {
    auto v = o.get(key);
    if (v.isString()) return v.extract<std::string>();
  } catch (...) {
  }
  return fallback;
}

std::vector<std::string> splitPath(const std::string& path);
std::string percentEncode(const std::string& s);
/// The bearer token, else the access_token query parameter.
std::string tokenOf(const FakeRequest& r);
/// A query parameter, or "".
std::string queryOf(const FakeRequest& r, const std::string& name);

}  // namespace chathost::fakes::detail
