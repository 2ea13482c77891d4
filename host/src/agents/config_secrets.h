#pragma once
// Literal secrets inside agent configs (the values secret_mask's isSecretKey names: api_key,
// Authorization headers, tokens...) are kept sealed: AES-256-GCM with the host's key, bound by
// AAD to their subaccount, agent and field, so a sealed value copied elsewhere does not open.
// `${NAME}` references are not secrets and stay as written.

#include <chathost/sdk/status.h>
#include "agents/agents.h"

#include <string>

namespace chathost::host {

class SecretCipher;

/// Prefix of a sealed value inside a stored config.
inline constexpr const char* kSealedSecretPrefix = "enc:";

/// True for a value written by sealAgentSecrets.
bool isSealedSecret(const std::string& value);

/// True when `configJson` holds a secret literal that is not sealed yet (a row written before
/// secrets were encrypted at rest).
bool hasUnsealedSecrets(const std::string& configJson);

/// What sealAgentSecrets seals. A config from an API client holds only plaintext (the API never
/// shows sealed values), so a literal that merely looks sealed is sealed too; a stored row being
/// migrated keeps the values it already sealed.
enum class SealScope { kEveryLiteral, kOnlyUnsealed };

/// `agent` with the secret literals of its config sealed. Unparseable configs are returned
/// unchanged: they hold nothing a turn could use.
sdk::Result<sdk::AgentInfo> sealAgentSecrets(sdk::AgentInfo agent, const SecretCipher& cipher,
                                             SealScope scope = SealScope::kEveryLiteral);

/// `agent` with every sealed value of its config opened. kInternal naming the field when one
/// does not open (another key, or a value moved from another agent or field).
sdk::Result<sdk::AgentInfo> openAgentSecrets(sdk::AgentInfo agent, const SecretCipher& cipher);

}  // namespace chathost::host
