#pragma once
// `${NAME}` / `${NAME:-default}` / `$${` substitution, shared by the config loader and the agent
// runtimes (which resolve references in agent configs when a turn runs). Pure logic.

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace chathost::host {

/// Looks up an environment variable; nullopt when unset. Must be callable from the loading
/// thread only (the loader calls it synchronously).
using EnvLookup = std::function<std::optional<std::string>(const std::string&)>;

/// The real process environment (getenv).
EnvLookup processEnv();

/// A variable name as references spell it: [A-Za-z_][A-Za-z0-9_]*.
bool isValidEnvName(std::string_view name);

struct SubstitutionResult {
  std::string value;
  bool substituted = false;         // at least one ${...} was replaced
  std::vector<std::string> errors;  // one per problem; never contains a variable's value
};

/// Replaces every `${NAME}` by the variable's value, `${NAME:-default}` by the value or, when
/// the variable is unset or empty, by `default` (which may be empty and contains no '}').
/// `$${` yields a literal `${`. NAME is [A-Za-z_][A-Za-z0-9_]*.
SubstitutionResult substituteEnv(std::string_view text, const EnvLookup& env);

}  // namespace chathost::host
