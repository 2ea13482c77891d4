#pragma once
// Typing and seen signals while an agent thinks: the conversation is marked seen when a remote
// agent is asked, and shown typing when the turn takes longer than a short delay (once per
// turn). Signals take a slot of the account's send rate like any send, are never stored or
// counted as replies, and are dropped rather than retried: late, they would only mislead.

#include "conversation/reply_sender.h"

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <mutex>
#include <set>
#include <thread>

namespace chathost::host {

/// Thread-safe; signals are sent from a thread of its own, so a slow platform delays no turn.
class SenderActions {
 public:
  /// `typingDelay`: how long a turn runs before typing shows.
  SenderActions(ReplySender& sender, ConversationServices& services,
                std::chrono::milliseconds typingDelay);
  ~SenderActions();
  SenderActions(const SenderActions&) = delete;
  SenderActions& operator=(const SenderActions&) = delete;

  /// A remote agent was asked to answer `userId` on `connection`: seen now, typing later unless
  /// turnEnded(id) comes first. Returns the turn's id.
  std::uint64_t turnStarted(const sdk::Connection& connection, const std::string& userId);
  void turnEnded(std::uint64_t turnId);
  /// Drops what waits and joins the thread (a send in progress finishes). Idempotent; later
  /// turns get no signals.
  void stop();

 private:
  struct Pending {
    std::chrono::steady_clock::time_point due;
    std::uint64_t turnId = 0;
    sdk::SenderAction action = sdk::SenderAction::kNone;
    sdk::Connection connection;
    std::string userId;
  };
  void loop();
  void deliver(const Pending& p);

  ReplySender& sender_;
  ConversationServices& services_;
  const std::chrono::milliseconds typingDelay_;
  const bool enabled_;
  sdk::Counter& sent_;
  sdk::Counter& dropped_;
  std::mutex mutex_;
  std::condition_variable changed_;
  std::deque<Pending> queue_;     // in due order: seen now, typing one delay later
  std::set<std::uint64_t> live_;  // turns still running
  std::uint64_t nextTurn_ = 0;
  bool stopping_ = false;
  std::thread thread_;  // last: started once the members it uses exist
};

}  // namespace chathost::host
