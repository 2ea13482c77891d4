#pragma once
// Poco JSON parsing, type checks and compact serialisation. Include it only from .cpp files:
// it pulls in Poco::JSON.

#include <chathost/sdk/status.h>

#include <Poco/Dynamic/Var.h>
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>

#include <cstdint>
#include <optional>
#include <string>

namespace chathost::host::json {

using Var = Poco::Dynamic::Var;
using ObjectPtr = Poco::JSON::Object::Ptr;
using ArrayPtr = Poco::JSON::Array::Ptr;

/// Parses `text`, keeping object keys in document order. The error (kValidation) carries the
/// parser's explanation, without `what` prefixed: callers add their own context.
sdk::Result<Var> parse(const std::string& text);

/// `text` parsed as an object; null when it is not JSON or not an object. Never throws.
ObjectPtr parseObject(const std::string& text);

/// The object or array held by `v`; null when it holds something else.
ObjectPtr asObject(const Var& v);
ArrayPtr asArray(const Var& v);

bool isNull(const Var& v);
bool isString(const Var& v);
bool isBool(const Var& v);
/// An integral number (a float with an integral value such as 10.0 counts).
std::optional<std::int64_t> asInteger(const Var& v);
/// Any number (not a bool).
std::optional<double> asNumber(const Var& v);

/// Compact JSON text for `v` (objects keep their key order; UTF-8 kept as is).
std::string toText(const Var& v);

/// Member names of `obj` in document order.
std::vector<std::string> names(const ObjectPtr& obj);

}  // namespace chathost::host::json
