#include "agents/stored_secret_migration.h"

#include "agents/config_secrets.h"
#include "storage/storage.h"

namespace chathost::host {

sdk::Result<std::int64_t> sealStoredAgentSecrets(AgentStore& store, const SecretCipher& cipher) {
  return store.rewriteConfigs(
      [&cipher](const sdk::AgentInfo& agent) -> sdk::Result<std::optional<std::string>> {
        if (!hasUnsealedSecrets(agent.configJson)) return std::optional<std::string>{};
        auto sealed = sealAgentSecrets(agent, cipher, SealScope::kOnlyUnsealed);
        if (!sealed) return sealed.status();
        return std::optional<std::string>{sealed->configJson};
      });
}

}  // namespace chathost::host
