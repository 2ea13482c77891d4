#pragma once
// `${NAME}` / `${NAME:-default}` references inside agent config strings, resolved from the
// environment when a turn runs (so a rotated key needs no agent update).

#include <chathost/sdk/status.h>

#include <functional>
#include <optional>
#include <string>

namespace chathost::host {

/// Looks up one environment variable; nullopt when unset.
using EnvLookup = std::function<std::optional<std::string>(const std::string& name)>;

/// The process environment (std::getenv).
EnvLookup processEnv();

/// True when `value` holds at least one `${...}` reference.
bool containsEnvRef(const std::string& value);

/// `value` with every reference replaced. An unset variable without a default is a kInternal
/// error naming `field` and the variable (never the value). `$${` is not special: a `$` that does
/// not start `${` is kept as written.
sdk::Result<std::string> resolveEnvRefs(const std::string& value, const std::string& field,
                                        const EnvLookup& env);

}  // namespace chathost::host
