#pragma once
// Which environment variables agent configs may reference (`agents.env_allowlist`): a list of
// exact names and name prefixes written with a trailing '*'. Pure logic.

#include <string>
#include <string_view>
#include <vector>

namespace chathost::host {

/// True for a valid allowlist entry: an environment variable name ([A-Za-z_][A-Za-z0-9_]*),
/// optionally followed by one '*' that matches any rest (so "*" alone matches every name).
bool isEnvAllowlistEntry(std::string_view entry);

/// True when `name` matches an entry of `allowlist` (case-sensitive, like the environment).
/// An empty list allows nothing; invalid entries match nothing.
bool isEnvNameAllowed(const std::vector<std::string>& allowlist, std::string_view name);

}  // namespace chathost::host
