#pragma once
// Agents stored before secrets were encrypted at rest hold plaintext keys: sealed at start-up.

#include <chathost/sdk/status.h>

#include <cstdint>

namespace chathost::host {

class AgentStore;
class SecretCipher;

/// Seals every secret literal still stored in plaintext, in the agents of every subaccount.
/// Returns how many agents changed (0 once done: safe to run at every start, and by several
/// hosts sharing a database at once).
sdk::Result<std::int64_t> sealStoredAgentSecrets(AgentStore& store, const SecretCipher& cipher);

}  // namespace chathost::host
