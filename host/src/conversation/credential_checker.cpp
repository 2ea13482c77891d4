#include "conversation/credential_checker.h"

#include "conversation/send_request.h"

namespace chathost::host {

namespace {
using Outcome = sdk::CredentialCheck::Outcome;
constexpr const char* kMetric = "chathost_credential_checks_total";
constexpr const char* kHelp = "Connection credential checks by channel and outcome";
}  // namespace

CredentialChecker::CredentialChecker(ReplySender& sender, ConversationServices& services)
    : sender_(sender),
      services_(services),
      name_(sender.description().name),
      checks_(
          services.metrics.counter(kMetric, kHelp, {{"channel", name_}, {"result", "offered"}})) {}

CredentialRound CredentialChecker::runOnce(std::int64_t roundMs, const std::atomic<bool>* stop) {
  CredentialRound round;
  auto active = services_.connections.listActive(name_);
  if (!active) {
    services_.logger.warning(name_ + ": could not list connections for the credential check",
                             {{"error", active.status().message()}});
    return round;
  }
  const auto count = [&](const char* result) {
    services_.metrics.counter(kMetric, kHelp, {{"channel", name_}, {"result", result}}).inc();
  };
  for (const sdk::Connection& conn : *active) {
    if (stop && stop->load()) break;  // shutting down: the next round picks up the rest
    // One host per round offers each connection; without the shared store each host does.
    auto mine = services_.kv.setIfAbsent(
        "credential-check:" + name_ + ":" + conn.subaccountId + ":" + conn.agentId, "1",
        std::max<std::int64_t>(roundMs / 2, 1000));
    if (mine && !*mine) continue;
    ++round.offered;
    checks_.inc();
    const std::int64_t now = services_.clock();
    const sdk::CredentialCheck check = sender_.channel().refreshCredentials(conn, now);
    switch (check.outcome) {
      case Outcome::kUnchanged:
        break;
      case Outcome::kChecked:
      case Outcome::kRefreshed: {
        const bool refreshed = check.outcome == Outcome::kRefreshed;
        std::optional<std::map<std::string, std::string>> secrets;
        if (refreshed) secrets = check.secrets;
        const std::int64_t expires =
            check.tokenExpiresAt > 0 || refreshed ? check.tokenExpiresAt : conn.tokenExpiresAt;
        // A checked token's expiry is stored with its secrets unchanged.
        if (!refreshed && expires != conn.tokenExpiresAt) secrets = conn.secrets;
        auto stored = services_.connections.recordCredentialCheck(conn, secrets, expires, now);
        if (!stored) {
          services_.logger.warning(
              name_ + ": could not store a credential check",
              {{"agentId", conn.agentId}, {"error", stored.status().message()}});
          break;
        }
        if (!*stored) break;  // reconnected or disconnected meanwhile: nothing was stored
        services_.cache.invalidateAll();
        if (refreshed) {
          ++round.refreshed;
          count("refreshed");
          services_.logger.info(name_ + ": access token refreshed",
                                {{"agentId", conn.agentId}, {"expiresAt", utcTime(expires)}});
        } else {
          ++round.checked;
          count("checked");
        }
        break;
      }
      case Outcome::kInvalid:
        ++round.invalid;
        count("invalid");
        sender_.deactivate(
            conn, check.reason.empty() ? "the platform refused the credentials" : check.reason);
        break;
      case Outcome::kFailed:
        ++round.failed;
        count("failed");
        services_.logger.warning(name_ + ": credential check failed; it runs again next round",
                                 {{"agentId", conn.agentId}, {"error", check.reason}});
        break;
    }
  }
  return round;
}

}  // namespace chathost::host
