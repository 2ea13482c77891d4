#pragma once
// `${NAME}` / `${NAME:-default}` references inside agent config strings, resolved from the
// environment when a turn runs (so a rotated key needs no agent update). Only the names the
// operator allows (agents.env_allowlist) may be referenced: the host's own secrets live in the
// same environment.

#include "common/env_substitution.h"

#include <chathost/sdk/status.h>

#include <optional>
#include <string>
#include <vector>

namespace chathost::host {

/// True when `value` holds at least one `${...}` reference.
bool containsEnvRef(const std::string& value);

/// The variable names `value` references, in order (`$${` escapes are not references).
std::vector<std::string> envRefNames(const std::string& value);

/// The first name `value` references that `allowlist` does not allow; nullopt when none.
std::optional<std::string> firstDisallowedEnvRef(const std::string& value,
                                                 const std::vector<std::string>& allowlist);

/// `env` restricted to `allowlist`: other names look unset, and `env` is never asked for them.
EnvLookup allowlistedEnv(EnvLookup env, std::vector<std::string> allowlist);

/// `value` with every reference replaced (the rules of substituteEnv). An unset variable without a
/// default is a kInternal error naming `field` and the variable (never the value).
sdk::Result<std::string> resolveEnvRefs(const std::string& value, const std::string& field,
                                        const EnvLookup& env);

}  // namespace chathost::host
