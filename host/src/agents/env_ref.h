#pragma once
// `${NAME}` / `${NAME:-default}` references inside agent config strings, resolved from the
// environment when a turn runs (so a rotated key needs no agent update).

#include "common/env_substitution.h"

#include <chathost/sdk/status.h>

#include <string>

namespace chathost::host {

/// True when `value` holds at least one `${...}` reference.
bool containsEnvRef(const std::string& value);

/// `value` with every reference replaced (the rules of substituteEnv). An unset variable without a
/// default is a kInternal error naming `field` and the variable (never the value).
sdk::Result<std::string> resolveEnvRefs(const std::string& value, const std::string& field,
                                        const EnvLookup& env);

}  // namespace chathost::host
