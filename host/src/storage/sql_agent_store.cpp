#include "storage/sql_agent_store.h"

#include "storage/database.h"
#include "storage/time_and_ids.h"

namespace chathost::host {

namespace {

constexpr const char* kColumns =
    "id, subaccount_id, name, type, config, created_at, updated_at FROM agents";

sdk::AgentInfo toAgent(const SqlRow& r) {
  sdk::AgentInfo a;
  a.id = r.text(0);
  a.subaccountId = r.text(1);
  a.name = r.text(2);
  a.type = r.text(3);
  a.configJson = r.text(4);
  a.createdAt = r.integer(5);
  a.updatedAt = r.integer(6);
  return a;
}

sdk::Status agentNotFound(const std::string& agentId) {
  return {sdk::ErrorCode::kAgentNotFound, "agent '" + agentId + "' not found"};
}

}  // namespace

sdk::Result<sdk::AgentInfo> SqlAgentStore::create(const sdk::AgentInfo& agent) {
  if (agent.id.empty() || agent.subaccountId.empty()) {
    return sdk::Status::validation("an agent needs an id and a subaccount id");
  }
  sdk::AgentInfo stored = agent;
  stored.createdAt = stored.updatedAt = nowMs();
  if (stored.configJson.empty()) stored.configJson = "{}";
  sdk::Status s = db_.write("create agent", [&](SqlConnection& c) {
    auto n = c.execute(
        "INSERT INTO agents (id, subaccount_id, name, type, config, created_at, updated_at)"
        " VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
        {stored.id, stored.subaccountId, stored.name, stored.type, stored.configJson,
         stored.createdAt, stored.updatedAt});
    if (n == 0) {
      return sdk::Status(sdk::ErrorCode::kConflict,
                         "an agent with id '" + stored.id + "' already exists");
    }
    return sdk::Status::ok();
  });
  if (!s.isOk()) return s;
  return stored;
}

sdk::Result<std::optional<sdk::AgentInfo>> SqlAgentStore::get(const std::string& subaccountId,
                                                              const std::string& agentId) {
  std::optional<sdk::AgentInfo> out;
  sdk::Status s = db_.read("get agent", [&](SqlConnection& c) {
    auto rows = c.query(std::string("SELECT ") + kColumns + " WHERE id = ? AND subaccount_id = ?",
                        {agentId, subaccountId});
    if (!rows.empty()) out = toAgent(rows.front());
    return sdk::Status::ok();
  });
  if (!s.isOk()) return s;
  return out;
}

sdk::Result<AgentPage> SqlAgentStore::list(const std::string& subaccountId, int limit, int skip) {
  if (limit < 0 || skip < 0) return sdk::Status::validation("limit and skip must be >= 0");
  AgentPage page;
  sdk::Status s = db_.read("list agents", [&](SqlConnection& c) {
    auto rows = c.query(std::string("SELECT ") + kColumns +
                            " WHERE subaccount_id = ? ORDER BY created_at, id LIMIT ? OFFSET ?",
                        {subaccountId, std::int64_t{limit}, std::int64_t{skip}});
    for (const auto& r : rows) page.agents.push_back(toAgent(r));
    page.count =
        c.query("SELECT COUNT(*) FROM agents WHERE subaccount_id = ?", {subaccountId})[0].integer(
            0);
    return sdk::Status::ok();
  });
  if (!s.isOk()) return s;
  return page;
}

sdk::Result<sdk::AgentInfo> SqlAgentStore::update(const sdk::AgentInfo& agent) {
  std::optional<sdk::AgentInfo> out;
  sdk::Status s = db_.write("update agent", [&](SqlConnection& c) {
    auto n = c.execute(
        "UPDATE agents SET name = ?, type = ?, config = ?, updated_at = ?"
        " WHERE id = ? AND subaccount_id = ?",
        {agent.name, agent.type, agent.configJson.empty() ? "{}" : agent.configJson, nowMs(),
         agent.id, agent.subaccountId});
    if (n == 0) return agentNotFound(agent.id);
    auto rows = c.query(std::string("SELECT ") + kColumns + " WHERE id = ? AND subaccount_id = ?",
                        {agent.id, agent.subaccountId});
    out = toAgent(rows.at(0));
    return sdk::Status::ok();
  });
  if (!s.isOk()) return s;
  return *out;
}

sdk::Status SqlAgentStore::remove(const std::string& subaccountId, const std::string& agentId) {
  return db_.write("remove agent", [&](SqlConnection& c) {
    if (c.query("SELECT id FROM agents WHERE id = ? AND subaccount_id = ?", {agentId, subaccountId})
            .empty()) {
      return agentNotFound(agentId);
    }
    // Another subaccount may hold an agent with the same id: every delete names both.
    const SqlParams key{agentId, subaccountId};
    c.execute(
        "DELETE FROM messages WHERE chat_id IN"
        " (SELECT chat_id FROM chats WHERE agent_id = ? AND subaccount_id = ?)",
        key);
    c.execute("DELETE FROM chats WHERE agent_id = ? AND subaccount_id = ?", key);
    c.execute("DELETE FROM connections WHERE agent_id = ? AND subaccount_id = ?", key);
    c.execute("DELETE FROM inbox WHERE agent_id = ? AND subaccount_id = ?", key);
    c.execute("DELETE FROM outbox WHERE agent_id = ? AND subaccount_id = ?", key);
    c.execute("DELETE FROM agents WHERE id = ? AND subaccount_id = ?", key);
    return sdk::Status::ok();
  });
}

}  // namespace chathost::host
