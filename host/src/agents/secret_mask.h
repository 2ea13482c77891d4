#pragma once
// Secrets inside agent configs (API keys, auth headers) are shown masked in every API answer.

#include <string>

namespace chathost::host {

/// True for config keys whose string values are secrets (api_key, Authorization, *token*, ...).
bool isSecretKey(const std::string& key);

/// "sk-...abcd" style: the conventional "sk-" prefix, and the last 4 characters only when the
/// secret is long enough (>= 12) that they reveal nothing useful. `${ENV}` references are shown
/// as written: they name a variable, not a secret.
std::string maskSecret(const std::string& value);

/// `configJson` with every secret string masked, recursively. Unparseable input gives "{}" so a
/// corrupt row never leaks.
std::string maskConfigSecrets(const std::string& configJson);

/// `newConfigJson` where a secret equal to the masked form of the same secret in
/// `currentConfigJson` is put back to the current value: a client that sends back what GET showed
/// does not overwrite the real key with its mask.
std::string restoreMaskedSecrets(const std::string& newConfigJson,
                                 const std::string& currentConfigJson);

}  // namespace chathost::host
