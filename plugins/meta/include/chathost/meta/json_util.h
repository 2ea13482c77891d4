#pragma once
// Small, non-throwing helpers over Poco::JSON for reading untrusted payloads.

#include <chathost/sdk/status.h>

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace chathost::meta {

using JsonObject = Poco::JSON::Object;
using JsonArray = Poco::JSON::Array;

/// The parsed object, or null when `text` is not a JSON object.
JsonObject::Ptr parseObject(std::string_view text);
/// The member `key` when it is an object / array, else null.
JsonObject::Ptr getObject(const JsonObject& obj, const std::string& key);
JsonArray::Ptr getArray(const JsonObject& obj, const std::string& key);
/// A string member; numbers are given as their decimal text (ids sometimes arrive as numbers).
std::optional<std::string> getString(const JsonObject& obj, const std::string& key);
/// An integer member (or a string holding one).
std::optional<std::int64_t> getInt(const JsonObject& obj, const std::string& key);
std::optional<bool> getBool(const JsonObject& obj, const std::string& key);
/// A string member of a request body into `out`. kValidation naming the member when a required
/// one is absent or null ("<name> is required") or empty ("... must not be empty"), or when it
/// is not a string ("... must be a string"); an absent optional one leaves `out` alone.
sdk::Status readStringMember(const JsonObject& body, const std::string& name, bool required,
                             std::string& out);
/// Compact JSON text of an object / array.
std::string toJson(const JsonObject& obj);
std::string toJson(const JsonArray& arr);

}  // namespace chathost::meta
