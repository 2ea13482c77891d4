#pragma once
// AgentStore on any SQL backend.

#include "storage/storage.h"

namespace chathost::host {

class Database;

class SqlAgentStore : public AgentStore {
 public:
  explicit SqlAgentStore(Database& db) : db_(db) {}
  sdk::Result<sdk::AgentInfo> create(const sdk::AgentInfo& agent) override;
  sdk::Result<std::optional<sdk::AgentInfo>> get(const std::string& subaccountId,
                                                 const std::string& agentId) override;
  sdk::Result<AgentPage> list(const std::string& subaccountId, int limit, int skip) override;
  sdk::Result<sdk::AgentInfo> update(const sdk::AgentInfo& agent) override;
  sdk::Status remove(const std::string& subaccountId, const std::string& agentId) override;
  /// Defined in sql_agent_config_rewrite.cpp.
  sdk::Result<std::int64_t> rewriteConfigs(const ConfigRewrite& rewrite) override;

 private:
  Database& db_;
};

}  // namespace chathost::host
