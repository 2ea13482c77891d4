#pragma once
// Small JSON object helpers for the text columns (meta, secrets). Pure functions.

#include <chathost/sdk/status.h>

#include <map>
#include <string>

namespace chathost::host {

/// `base` with every member of `patch` set (replacing same-named ones). Both must be JSON
/// objects; an empty `base` counts as {}.
sdk::Result<std::string> mergeJsonObjects(const std::string& base, const std::string& patch);

/// A JSON object of string members.
std::string encodeStringMap(const std::map<std::string, std::string>& values);
/// The inverse of encodeStringMap; an error when `json` is not an object of strings.
sdk::Result<std::map<std::string, std::string>> decodeStringMap(const std::string& json);

}  // namespace chathost::host
