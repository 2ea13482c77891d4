// SqlAgentStore::rewriteConfigs: start-up migrations of the configs stored in agent rows.
#include "storage/database.h"
#include "storage/sql_agent_store.h"

#include <utility>
#include <vector>

namespace chathost::host {

sdk::Result<std::int64_t> SqlAgentStore::rewriteConfigs(const ConfigRewrite& rewrite) {
  std::vector<sdk::AgentInfo> stored;
  sdk::Status s = db_.read("read agent configs", [&](SqlConnection& c) {
    for (const auto& r : c.query("SELECT id, subaccount_id, type, config FROM agents")) {
      sdk::AgentInfo a;
      a.id = r.text(0);
      a.subaccountId = r.text(1);
      a.type = r.text(2);
      a.configJson = r.text(3);
      stored.push_back(std::move(a));
    }
    return sdk::Status::ok();
  });
  if (!s.isOk()) return s;

  std::vector<std::pair<const sdk::AgentInfo*, std::string>> changes;
  for (const auto& agent : stored) {
    auto next = rewrite(agent);
    if (!next) return next.status();
    if (*next && **next != agent.configJson) changes.emplace_back(&agent, std::move(**next));
  }
  if (changes.empty()) return std::int64_t{0};

  std::int64_t rewritten = 0;
  s = db_.write("rewrite agent configs", [&](SqlConnection& c) {
    rewritten = 0;
    for (const auto& [agent, config] : changes) {
      // Compare-and-set on the old config: an API update (or another host migrating the same
      // database) in between wins.
      rewritten += c.execute(
          "UPDATE agents SET config = ? WHERE id = ? AND subaccount_id = ? AND config = ?",
          {config, agent->id, agent->subaccountId, agent->configJson});
    }
    return sdk::Status::ok();
  });
  if (!s.isOk()) return s;
  return rewritten;
}

}  // namespace chathost::host
