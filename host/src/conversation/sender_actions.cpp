#include "conversation/sender_actions.h"

#include "common/thread_name.h"

namespace chathost::host {

namespace {
// A signal this late is of no use: the reply is likely there already.
constexpr auto kStaleAfter = std::chrono::seconds(5);
// More signals waiting than this means the platform is too slow for them: drop new ones.
constexpr std::size_t kMaxQueued = 10000;

std::string metricName(const std::string& channel) {
  return "chathost_" + channel + "_sender_actions_total";
}
}  // namespace

SenderActions::SenderActions(ReplySender& sender, ConversationServices& services,
                             std::chrono::milliseconds typingDelay)
    : sender_(sender),
      services_(services),
      typingDelay_(typingDelay),
      enabled_(sender.description().sendsSenderActions),
      sent_(services.metrics.counter(metricName(sender.description().name),
                                     "Typing and seen signals by outcome", {{"result", "sent"}})),
      dropped_(services.metrics.counter(metricName(sender.description().name),
                                        "Typing and seen signals by outcome",
                                        {{"result", "dropped"}})),
      thread_([this] { loop(); }) {}

SenderActions::~SenderActions() {
  stop();
}

void SenderActions::stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
    queue_.clear();
  }
  changed_.notify_all();
  if (thread_.joinable()) thread_.join();
}

std::uint64_t SenderActions::turnStarted(const sdk::Connection& connection,
                                         const std::string& userId) {
  if (!enabled_) return 0;
  const auto now = std::chrono::steady_clock::now();
  std::lock_guard lock(mutex_);
  const std::uint64_t id = ++nextTurn_;
  if (stopping_) return id;
  if (queue_.size() >= kMaxQueued) {
    dropped_.inc(2);
    return id;
  }
  live_.insert(id);
  queue_.push_back({now, id, sdk::SenderAction::kMarkSeen, connection, userId});
  queue_.push_back({now + typingDelay_, id, sdk::SenderAction::kTypingOn, connection, userId});
  changed_.notify_one();
  return id;
}

void SenderActions::turnEnded(std::uint64_t turnId) {
  if (!enabled_ || turnId == 0) return;
  std::lock_guard lock(mutex_);
  live_.erase(turnId);
}

void SenderActions::loop() {
  nameThisThread("sender-actions");
  std::unique_lock lock(mutex_);
  while (!stopping_) {
    if (queue_.empty()) {
      changed_.wait(lock);
      continue;
    }
    // Entries are appended in due order per turn; the earliest due is searched, not assumed.
    auto next = queue_.begin();
    for (auto it = queue_.begin(); it != queue_.end(); ++it)
      if (it->due < next->due) next = it;
    if (std::chrono::steady_clock::now() < next->due) {
      changed_.wait_until(lock, next->due);
      continue;
    }
    Pending p = std::move(*next);
    queue_.erase(next);
    const bool wanted = p.action != sdk::SenderAction::kTypingOn || live_.count(p.turnId) > 0;
    if (p.action == sdk::SenderAction::kTypingOn) live_.erase(p.turnId);
    if (!wanted) continue;  // the turn ended before typing was due
    lock.unlock();
    deliver(p);
    lock.lock();
  }
}

void SenderActions::deliver(const Pending& p) {
  if (std::chrono::steady_clock::now() - p.due > kStaleAfter ||
      sender_.tryAcquire(p.connection.accountId) > 0) {
    dropped_.inc();
    return;
  }
  sdk::OutboundMessage m;
  m.recipientId = p.userId;
  m.action = p.action;
  const sdk::SendResult r = sender_.channel().send(p.connection, m);
  if (r.kind == sdk::SendResult::Kind::kSent) {
    sent_.inc();
    return;
  }
  dropped_.inc();
  services_.logger.debug(sender_.description().name + ": a typing or seen signal was not sent",
                         {{"agentId", p.connection.agentId}, {"error", r.error}});
}

}  // namespace chathost::host
