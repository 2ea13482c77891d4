#include "agents/agent_service.h"

#include "agents/agent_busy.h"
#include "agents/agent_turn_limiter.h"
#include "agents/config_secrets.h"
#include "agents/http_runtime.h"
#include "agents/openai_runtime.h"
#include "agents/rules_runtime.h"
#include "storage/storage.h"

#include <algorithm>
#include <array>
#include <chrono>
#include <map>
#include <mutex>

namespace chathost::host {
namespace {

constexpr std::array<const char*, 3> kTypes = {"rules", "openai", "http"};
constexpr std::array<const char*, 5> kOutcomes = {"replied", "silent", "error", "timeout", "busy"};

constexpr int kDefaultHistory = 10;
constexpr int kMaxHistory = 100;
// An agent read by historyWanted() serves the reply() of the same turn for this long.
constexpr std::chrono::seconds kHandOverFor{5};
constexpr std::size_t kMaxHandOvers = 10000;

// rules turns run in-process in microseconds: bounding them would only add refusals.
bool isBounded(const std::string& type) {
  return type != "rules";
}

int historyOf(const sdk::AgentInfo& agent) {
  if (agent.type == "openai") {
    auto config = parseOpenAiConfig(agent.configJson);
    return config ? std::clamp(config->history, 0, kMaxHistory) : kDefaultHistory;
  }
  if (agent.type == "http") return kDefaultHistory;  // http configs have no history key
  return 0;                                          // rules answer from the incoming text alone
}

}  // namespace

struct AgentService::Impl {
  AgentStore& store;
  sdk::HttpClient& http;
  sdk::Logger& logger;
  EnvLookup env;  // already restricted to policy.envAllowlist
  AgentPolicy policy;
  const SecretCipher* cipher;
  RulesRuntime rules;
  AgentTurnLimiter limiter;
  // Looked up once: the registry hands out the same metric for the same labels.
  std::map<std::pair<std::string, std::string>, sdk::Counter*> turns;
  std::map<std::string, sdk::Histogram*> durations;
  sdk::Counter& promptTokens;
  sdk::Counter& completionTokens;

  struct HandOver {
    sdk::AgentInfo agent;
    std::chrono::steady_clock::time_point readAt;
  };
  std::mutex handOverMutex;
  std::map<std::pair<std::string, std::string>, HandOver> handOvers;  // (subaccount, id)

  Impl(AgentStore& s, sdk::HttpClient& h, sdk::Metrics& metrics, sdk::Logger& l, EnvLookup e,
       AgentPolicy p, const SecretCipher* c)
      : store(s),
        http(h),
        logger(l),
        env(allowlistedEnv(std::move(e), p.envAllowlist)),
        policy(std::move(p)),
        cipher(c),
        limiter(policy.maxConcurrentPerAgent),
        promptTokens(metrics.counter("chathost_agent_tokens_total",
                                     "Tokens openai agents' endpoints report using, by kind",
                                     {{"kind", "prompt"}})),
        completionTokens(metrics.counter("chathost_agent_tokens_total",
                                         "Tokens openai agents' endpoints report using, by kind",
                                         {{"kind", "completion"}})) {
    for (const char* type : kTypes) {
      for (const char* outcome : kOutcomes) {
        turns[{type, outcome}] =
            &metrics.counter("chathost_agent_turns_total", "Agent turns by agent type and outcome",
                             {{"type", type}, {"outcome", outcome}});
      }
      durations[type] =
          &metrics.histogram("chathost_agent_turn_duration_seconds",
                             "Time an agent took to answer one turn", {{"type", type}},
                             // Model calls take seconds, up to the timeout cap.
                             {0.001, 0.005, 0.025, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 20, 30, 60, 120});
    }
  }

  /// The agent as its runtime needs it: references checked against the allowlist (agents stored
  /// before it existed), secrets opened, timeout cut to the cap.
  sdk::Result<sdk::AgentInfo> prepare(const sdk::AgentInfo& stored) {
    if (auto s = checkEnvRefsForTurn(stored.configJson, policy); !s) return s;
    sdk::AgentInfo agent = stored;
    if (cipher) {
      auto opened = openAgentSecrets(stored, *cipher);
      if (!opened) return opened.status();
      agent = std::move(*opened);
    }
    if (agent.type != "rules")
      agent.configJson = capAgentTimeout(agent.configJson, policy.maxTimeoutMs);
    return agent;
  }

  sdk::Result<host::AgentReply> dispatch(const sdk::AgentInfo& stored,
                                         const host::AgentTurn& turn) {
    auto prepared = prepare(stored);
    if (!prepared) return prepared.status();
    const sdk::AgentInfo& agent = *prepared;
    if (agent.type == "rules") return rules.reply(agent, turn.text);
    if (agent.type == "openai") {
      TokenUsage usage;
      auto result = openAiReply(agent.configJson, turn, http, env, &usage);
      // Counted whatever the answer said: the tokens were spent.
      if (usage.prompt > 0) promptTokens.inc(static_cast<double>(usage.prompt));
      if (usage.completion > 0) completionTokens.inc(static_cast<double>(usage.completion));
      return result;
    }
    if (agent.type == "http") {
      std::vector<std::string> warnings;
      auto result = httpAgentReply(agent.configJson, turn, http, env, &warnings);
      for (const auto& warning : warnings) {
        logger.warning("agent reply attachment left out",
                       {{"agentId", agent.id}, {"type", agent.type}, {"reason", warning}});
      }
      return result;
    }
    return sdk::Status(sdk::ErrorCode::kInternal, "unknown agent type " + agent.type);
  }

  /// Keeps `agent` for the reply() of the turn whose historyWanted() read it.
  void handOver(const sdk::AgentInfo& agent) {
    std::lock_guard lock(handOverMutex);
    if (handOvers.size() >= kMaxHandOvers) handOvers.clear();  // turns that never replied
    handOvers[{agent.subaccountId, agent.id}] = {agent, std::chrono::steady_clock::now()};
  }

  /// The agent handed over for this turn, once; nullopt when none or too old.
  std::optional<sdk::AgentInfo> takeHandOver(const std::string& subaccountId,
                                             const std::string& agentId) {
    std::lock_guard lock(handOverMutex);
    auto it = handOvers.find({subaccountId, agentId});
    if (it == handOvers.end()) return std::nullopt;
    HandOver taken = std::move(it->second);
    handOvers.erase(it);
    if (std::chrono::steady_clock::now() - taken.readAt > kHandOverFor) return std::nullopt;
    return std::move(taken.agent);
  }

  void count(const std::string& type, const char* outcome) {
    auto counter = turns.find({type, outcome});
    if (counter != turns.end()) counter->second->inc();
  }

  void record(const std::string& type, const char* outcome, double seconds) {
    count(type, outcome);
    auto histogram = durations.find(type);
    if (histogram != durations.end()) histogram->second->observe(seconds);
  }
};

AgentService::AgentService(AgentStore& store, sdk::HttpClient& http, sdk::Metrics& metrics,
                           sdk::Logger& logger, EnvLookup env, AgentPolicy policy,
                           const SecretCipher* cipher)
    : impl_(std::make_unique<Impl>(store, http, metrics, logger, std::move(env), std::move(policy),
                                   cipher)) {}

AgentService::~AgentService() = default;

sdk::Result<std::optional<sdk::AgentInfo>> AgentService::find(const std::string& subaccountId,
                                                              const std::string& agentId) {
  try {
    return impl_->store.get(subaccountId, agentId);
  } catch (const std::exception& e) {
    return sdk::Status::internal(std::string("agent lookup failed: ") + e.what());
  }
}

int AgentService::historyWanted(const std::string& subaccountId, const std::string& agentId) {
  auto agent = find(subaccountId, agentId);
  if (!agent) return kDefaultHistory;  // storage failing: reply() will say so
  if (!agent->has_value()) return 0;   // reply() answers kAgentNotFound without any history
  impl_->handOver(**agent);
  return historyOf(**agent);
}

sdk::Result<host::AgentReply> AgentService::reply(const host::AgentTurn& turn) {
  if (auto handed = impl_->takeHandOver(turn.subaccountId, turn.agentId))
    return replyWith(*handed, turn);
  auto agent = find(turn.subaccountId, turn.agentId);
  if (!agent) return agent.status();
  if (!agent->has_value()) {
    return sdk::Status(sdk::ErrorCode::kAgentNotFound, "agent " + turn.agentId + " not found");
  }
  return replyWith(**agent, turn);
}

sdk::Result<host::AgentReply> AgentService::replyWith(const sdk::AgentInfo& agent,
                                                      const host::AgentTurn& turn) {
  // Held until the turn returns, whichever way it does.
  AgentTurnLimiter::Slot slot;
  if (isBounded(agent.type)) {
    slot = impl_->limiter.tryAcquire(agent.subaccountId, agent.id);
    if (!slot) {
      // Not logged: a hung endpoint refuses many turns a second; the counter shows them.
      impl_->count(agent.type, "busy");
      return agentBusy(agent.id, impl_->limiter.maxPerAgent());
    }
  }
  // Remote runtimes take a while: the conversation shows the message seen, then typing.
  if (isBounded(agent.type) && turn.onRemoteCall) turn.onRemoteCall();
  auto started = std::chrono::steady_clock::now();
  sdk::Result<host::AgentReply> result = sdk::Status::internal("agent turn did not run");
  try {
    result = impl_->dispatch(agent, turn);
  } catch (const std::exception& e) {
    result = sdk::Status::internal(std::string("agent turn failed: ") + e.what());
  }
  double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  const char* outcome = "error";
  if (result) {
    outcome = result->text || !result->attachments.empty() ? "replied" : "silent";
  } else if (result.status().code() == sdk::ErrorCode::kTimeout) {
    outcome = "timeout";
  }
  impl_->record(agent.type, outcome, seconds);
  if (!result) {
    // Runtime messages are built without secrets (keys are masked out of remote errors).
    impl_->logger.warning("agent turn failed",
                          {{"agentId", agent.id},
                           {"type", agent.type},
                           {"code", sdk::errorCodeName(result.status().code())},
                           {"error", result.status().message()}});
  }
  return result;
}

}  // namespace chathost::host
