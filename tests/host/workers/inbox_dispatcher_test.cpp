#include "workers/inbox_dispatcher.h"
#include "../agents/fake_observability.h"
#include "fake_inbox_store.h"
#include "poll_until.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <map>
#include <set>
#include <thread>

namespace chathost::host {
namespace {

using namespace chathost::testing;
using State = FakeInboxStore::State;

host::NewInboxEvent event(const std::string& key, std::int64_t ts,
                          const std::string& channel = "ig") {
  return {channel, "sub", "agt", key, "mid:" + key + std::to_string(ts), "message", ts, "{}"};
}

/// A gate consumers wait on until the test opens it.
class Gate {
 public:
  void wait() {
    std::unique_lock lock(mutex_);
    ++waiting_;
    cv_.notify_all();
    cv_.wait(lock, [this] { return open_; });
  }
  void open() {
    std::lock_guard lock(mutex_);
    open_ = true;
    cv_.notify_all();
  }
  int waiting() {
    std::lock_guard lock(mutex_);
    return waiting_;
  }

 private:
  std::mutex mutex_;
  std::condition_variable cv_;
  bool open_ = false;
  int waiting_ = 0;
};

class InboxDispatcherTest : public ::testing::Test {
 protected:
  std::unique_ptr<InboxDispatcher> make(DispatcherOptions options = {}) {
    if (options.owner.empty()) options.owner = "test-host";
    return std::make_unique<InboxDispatcher>(store_, options, metrics_, logger_);
  }
  double events(const std::string& outcome, const std::string& channel = "ig") {
    return metrics_.value("chathost_inbox_events_total",
                          {{"channel", channel}, {"outcome", outcome}});
  }

  FakeInboxStore store_;
  FakeMetrics metrics_;
  FakeLogger logger_;
};

TEST_F(InboxDispatcherTest, ProcessesEveryEventExactlyOnce) {
  auto dispatcher = make();
  std::mutex mutex;
  std::map<std::int64_t, int> calls;
  dispatcher->setConsumer("ig", [&](const host::InboxEvent& e) {
    std::lock_guard lock(mutex);
    ++calls[e.id];
    return host::ProcessOutcome::done();
  });
  ASSERT_TRUE(dispatcher->start().isOk());
  std::vector<host::NewInboxEvent> batch;
  for (int i = 0; i < 300; ++i) batch.push_back(event("chat" + std::to_string(i % 25), i));
  ASSERT_TRUE(dispatcher->append(batch).isOk());
  ASSERT_TRUE(eventually([&] { return store_.count(State::kDone) == 300; }));
  dispatcher->stop();
  std::lock_guard lock(mutex);
  EXPECT_EQ(calls.size(), 300u);
  for (const auto& [id, n] : calls) {
    EXPECT_EQ(n, 1) << "event " << id;
    EXPECT_EQ(store_.finishCalls(id), 1);
  }
  EXPECT_EQ(events("done"), 300);
  EXPECT_EQ(metrics_.observations("chathost_webhook_to_done_seconds", {{"channel", "ig"}}).size(),
            300u);
  EXPECT_EQ(
      metrics_.observations("chathost_inbox_event_duration_seconds", {{"channel", "ig"}}).size(),
      300u);
  EXPECT_EQ(metrics_.value("chathost_inbox_queue_depth"), 0);
}

TEST_F(InboxDispatcherTest, SameKeyNeverRunsConcurrentlyAndKeepsClaimOrder) {
  store_.ignoreOrdering = true;  // the store hands out whole keys: the dispatcher must serialise
  std::vector<host::NewInboxEvent> batch;
  for (int i = 0; i < 400; ++i) batch.push_back(event("k" + std::to_string(i % 5), i));
  ASSERT_TRUE(store_.append(batch).isOk());

  DispatcherOptions options;
  options.threads = 4;
  auto dispatcher = make(options);
  std::mutex mutex;
  std::map<std::string, std::vector<std::int64_t>> seen;
  std::map<std::string, int> running;
  std::atomic<int> overlaps{0};
  std::atomic<int> maxParallel{0};
  std::atomic<int> parallel{0};
  dispatcher->setConsumer("ig", [&](const host::InboxEvent& e) {
    const auto& key = e.event.orderingKey;
    {
      std::lock_guard lock(mutex);
      if (running[key]++ > 0) ++overlaps;
      seen[key].push_back(e.event.eventTimestamp);
    }
    int now = ++parallel;
    int prev = maxParallel.load();
    while (now > prev && !maxParallel.compare_exchange_weak(prev, now)) {
    }
    std::this_thread::yield();
    --parallel;
    std::lock_guard lock(mutex);
    --running[key];
    return host::ProcessOutcome::done();
  });
  ASSERT_TRUE(dispatcher->start().isOk());
  ASSERT_TRUE(eventually([&] { return store_.count(State::kDone) == 400; }));
  dispatcher->stop();
  EXPECT_EQ(overlaps.load(), 0);
  std::lock_guard lock(mutex);
  ASSERT_EQ(seen.size(), 5u);
  for (const auto& [key, timestamps] : seen) {
    EXPECT_EQ(timestamps.size(), 80u) << key;
    EXPECT_TRUE(std::is_sorted(timestamps.begin(), timestamps.end())) << key;
  }
}

TEST_F(InboxDispatcherTest, RetriesThenCompletes) {
  store_.ignoreDelays = true;
  auto dispatcher = make();
  dispatcher->setConsumer("ig", [](const host::InboxEvent& e) {
    if (e.attempts < 3) return host::ProcessOutcome::retry(60000, "graph 5xx");
    return host::ProcessOutcome::done();
  });
  ASSERT_TRUE(dispatcher->start().isOk());
  ASSERT_TRUE(dispatcher->append({event("c", 1)}).isOk());
  ASSERT_TRUE(eventually([&] { return store_.count(State::kDone) == 1; }));
  auto row = store_.rows().at(0);
  EXPECT_EQ(row.event.attempts, 3);
  EXPECT_EQ(row.retryReasons, (std::vector<std::string>{"graph 5xx", "graph 5xx"}));
  EXPECT_EQ(events("retry"), 2);
  EXPECT_EQ(events("done"), 1);
}

// Writes a consumer made may have been lost before their commit: the event is not marked done but
// runs again.
TEST_F(InboxDispatcherTest, AnEventWhoseWritesWereLostRunsAgain) {
  store_.ignoreDelays = true;
  auto dispatcher = make();
  dispatcher->setConsumer("ig", [this](const host::InboxEvent& e) {
    if (e.attempts == 1) store_.lostWrites.fetch_add(1);
    return host::ProcessOutcome::done();
  });
  ASSERT_TRUE(dispatcher->start().isOk());
  ASSERT_TRUE(dispatcher->append({event("c", 1)}).isOk());
  ASSERT_TRUE(eventually([&] { return store_.count(State::kDone) == 1; }));
  EXPECT_EQ(store_.rows().at(0).event.attempts, 2);
  // Only the run whose writes were committed with its done mark counts as done.
  EXPECT_EQ(events("done"), 1);
}

// appendAsync answers once the events are recorded, from the dispatcher's append thread, and
// the events then run like appended ones.
TEST_F(InboxDispatcherTest, AsyncAppendsAnswerOnceRecordedAndTheEventsRun) {
  auto dispatcher = make();
  std::atomic<int> processed{0};
  dispatcher->setConsumer("ig", [&](const host::InboxEvent&) {
    ++processed;
    return host::ProcessOutcome::done();
  });
  ASSERT_TRUE(dispatcher->start().isOk());
  std::mutex mutex;
  std::vector<std::size_t> rowsWhenAnswered;
  std::vector<std::thread::id> answeredOn;
  for (int i = 0; i < 5; ++i) {
    dispatcher->appendAsync({event("k" + std::to_string(i), i)}, [&](sdk::Status s) {
      EXPECT_TRUE(s.isOk());
      std::lock_guard lock(mutex);
      rowsWhenAnswered.push_back(store_.rows().size());
      answeredOn.push_back(std::this_thread::get_id());
    });
  }
  ASSERT_TRUE(eventually([&] { return processed.load() == 5; }));
  ASSERT_TRUE(eventually([&] {
    std::lock_guard lock(mutex);
    return rowsWhenAnswered.size() == 5;
  }));
  for (std::size_t i = 0; i < rowsWhenAnswered.size(); ++i)
    EXPECT_GE(rowsWhenAnswered[i], i + 1) << "answered before its event was recorded";
  for (const auto& id : answeredOn) EXPECT_NE(id, std::this_thread::get_id());
  EXPECT_EQ(metrics_.value("chathost_inbox_appended_total", {{"channel", "ig"}}), 5);
}

// An event that runs longer than its lease keeps it: it is not handed out (and run) again.
TEST_F(InboxDispatcherTest, LongRunningEventsKeepTheirLease) {
  DispatcherOptions options;
  options.leaseMs = 900;  // renewed every 300 ms
  auto dispatcher = make(options);
  Gate gate;
  std::atomic<int> runs{0};
  dispatcher->setConsumer("ig", [&](const host::InboxEvent&) {
    ++runs;
    gate.wait();
    return host::ProcessOutcome::done();
  });
  ASSERT_TRUE(dispatcher->start().isOk());
  ASSERT_TRUE(dispatcher->append({event("slow", 1)}).isOk());
  ASSERT_TRUE(eventually([&] { return gate.waiting() == 1; }));
  // Several lease periods pass while it runs; the claimer keeps looking for expired leases.
  ASSERT_TRUE(eventually([&] { return store_.renewals() >= 4; }));
  gate.open();
  ASSERT_TRUE(eventually([&] { return store_.count(State::kDone) == 1; }));
  EXPECT_EQ(runs.load(), 1);
  EXPECT_EQ(store_.rows().at(0).event.attempts, 1);
}

// A claim can wait a long time for a pooled connection; the leases of running events must still
// be renewed meanwhile, or another host takes them over mid-send.
TEST_F(InboxDispatcherTest, LeasesAreRenewedWhileTheClaimerWaitsOnStorage) {
  Gate running;
  Gate storage;  // claims hang on it once blockClaims is set
  std::atomic<bool> blockClaims{false};
  std::atomic<bool> blocked{false};
  store_.beforeClaim = [&] {
    if (!blockClaims) return;
    blocked = true;
    storage.wait();
  };
  DispatcherOptions options;
  options.leaseMs = 900;  // renewed every 300 ms
  options.pollIntervalMs = 5;
  auto dispatcher = make(options);
  dispatcher->setConsumer("ig", [&](const host::InboxEvent&) {
    running.wait();
    return host::ProcessOutcome::done();
  });
  ASSERT_TRUE(dispatcher->start().isOk());
  ASSERT_TRUE(dispatcher->append({event("slow", 1)}).isOk());
  ASSERT_TRUE(eventually([&] { return running.waiting() == 1; }));

  blockClaims = true;
  ASSERT_TRUE(eventually([&] { return blocked.load(); }));
  const int before = store_.renewals();
  EXPECT_TRUE(eventually([&] { return store_.renewals() >= before + 3; }))
      << "no renewal while the claimer was stuck";
  storage.open();
  running.open();
  ASSERT_TRUE(eventually([&] { return store_.count(State::kDone) == 1; }));
  dispatcher->stop();  // before the gates go
}

TEST_F(InboxDispatcherTest, GivesUpAfterMaxAttempts) {
  store_.ignoreDelays = true;
  DispatcherOptions options;
  options.maxAttempts = 3;
  auto dispatcher = make(options);
  std::atomic<int> calls{0};
  dispatcher->setConsumer("ig", [&](const host::InboxEvent&) {
    ++calls;
    return host::ProcessOutcome::retry(0, "still failing");
  });
  ASSERT_TRUE(dispatcher->start().isOk());
  ASSERT_TRUE(dispatcher->append({event("c", 1)}).isOk());
  ASSERT_TRUE(eventually([&] { return store_.count(State::kFailed) == 1; }));
  dispatcher->stop();
  EXPECT_EQ(calls.load(), 3);
  auto row = store_.rows().at(0);
  EXPECT_NE(row.failReason.find("3 attempts"), std::string::npos) << row.failReason;
  EXPECT_NE(row.failReason.find("still failing"), std::string::npos);
  EXPECT_EQ(events("failed"), 1);
}

TEST_F(InboxDispatcherTest, ConsumerFailureAndExceptionOutcomes) {
  store_.ignoreDelays = true;
  auto dispatcher = make();
  std::atomic<int> calls{0};
  dispatcher->setConsumer("ig", [&](const host::InboxEvent& e) -> host::ProcessOutcome {
    ++calls;
    if (e.event.orderingKey == "bad") return host::ProcessOutcome::failed("unsupported event");
    if (e.attempts == 1) throw std::runtime_error("boom");
    return host::ProcessOutcome::done();
  });
  ASSERT_TRUE(dispatcher->start().isOk());
  ASSERT_TRUE(dispatcher->append({event("throws", 1), event("bad", 2)}).isOk());
  ASSERT_TRUE(eventually(
      [&] { return store_.count(State::kDone) == 1 && store_.count(State::kFailed) == 1; }));
  for (const auto& row : store_.rows()) {
    if (row.event.event.orderingKey == "throws") {
      ASSERT_EQ(row.retryReasons.size(), 1u);
      EXPECT_NE(row.retryReasons[0].find("boom"), std::string::npos);
      EXPECT_EQ(row.state, State::kDone);
    } else {
      EXPECT_EQ(row.failReason, "unsupported event");
    }
  }
  EXPECT_EQ(calls.load(), 3);
}

TEST_F(InboxDispatcherTest, WaitsForAConsumerWithAWarning) {
  DispatcherOptions options;
  options.noConsumerRetryMs = 100;  // each delivery costs an attempt: leave room for 50
  auto dispatcher = make(options);
  ASSERT_TRUE(dispatcher->start().isOk());
  ASSERT_TRUE(dispatcher->append({event("c", 1, "telegram")}).isOk());
  ASSERT_TRUE(eventually([&] { return !store_.rows().at(0).retryReasons.empty(); }));
  EXPECT_EQ(store_.rows().at(0).retryReasons[0], "no consumer for channel telegram");
  EXPECT_GE(logger_.count(sdk::LogLevel::kWarning), 1);
  dispatcher->setConsumer("telegram",
                          [](const host::InboxEvent&) { return host::ProcessOutcome::done(); });
  ASSERT_TRUE(eventually([&] { return store_.count(State::kDone) == 1; }));
}

TEST_F(InboxDispatcherTest, StopFinishesRunningEventsAndReleasesTheRest) {
  DispatcherOptions options;
  options.threads = 2;
  auto dispatcher = make(options);
  Gate gate;
  std::atomic<int> processed{0};
  dispatcher->setConsumer("ig", [&](const host::InboxEvent&) {
    gate.wait();
    ++processed;
    return host::ProcessOutcome::done();
  });
  std::vector<host::NewInboxEvent> batch;
  for (int i = 0; i < 20; ++i) batch.push_back(event("k" + std::to_string(i), i));
  ASSERT_TRUE(dispatcher->start().isOk());
  ASSERT_TRUE(dispatcher->append(batch).isOk());
  ASSERT_TRUE(eventually([&] { return gate.waiting() == 2; }));
  ASSERT_TRUE(eventually([&] { return store_.count(State::kClaimed) > 2; }))
      << "events queued behind the two running ones";

  std::thread stopper([&] { dispatcher->stop(); });
  // Let stop() begin before the running events may finish.
  ASSERT_TRUE(eventually(
      [&] { return logger_.allText().find("inbox workers stopping") != std::string::npos; }));
  gate.open();
  stopper.join();

  EXPECT_EQ(processed.load(), 2);
  EXPECT_EQ(store_.count(State::kDone), 2);
  EXPECT_EQ(store_.count(State::kClaimed), 0) << "unstarted events were given back";
  EXPECT_EQ(store_.count(State::kPending), 18);

  auto next = make(options);  // the next start takes them at once
  next->setConsumer("ig", [&](const host::InboxEvent&) {
    ++processed;
    return host::ProcessOutcome::done();
  });
  ASSERT_TRUE(next->start().isOk());
  ASSERT_TRUE(eventually([&] { return store_.count(State::kDone) == 20; }));
  EXPECT_EQ(processed.load(), 20);
}

TEST_F(InboxDispatcherTest, AppendWakesTheClaimerWithoutWaitingForThePoll) {
  DispatcherOptions options;
  options.pollIntervalMs = 600000;  // only a wake-up can deliver the event within the deadline
  auto dispatcher = make(options);
  std::atomic<int> processed{0};
  dispatcher->setConsumer("ig", [&](const host::InboxEvent&) {
    ++processed;
    return host::ProcessOutcome::done();
  });
  ASSERT_TRUE(dispatcher->start().isOk());
  ASSERT_TRUE(eventually([&] { return store_.claimCalls() >= 1; }));
  ASSERT_TRUE(dispatcher->append({event("c", 1)}).isOk());
  ASSERT_TRUE(eventually([&] { return processed.load() == 1; }));
  ASSERT_TRUE(dispatcher->append({event("c", 2), event("d", 3)}).isOk());
  ASSERT_TRUE(eventually([&] { return processed.load() == 3; }));
}

TEST_F(InboxDispatcherTest, ClearConsumersWaitsForARunningConsumer) {
  auto dispatcher = make();
  Gate gate;
  std::atomic<bool> finished{false};
  dispatcher->setConsumer("ig", [&](const host::InboxEvent&) {
    gate.wait();
    finished = true;
    return host::ProcessOutcome::done();
  });
  ASSERT_TRUE(dispatcher->start().isOk());
  ASSERT_TRUE(dispatcher->append({event("c", 1)}).isOk());
  ASSERT_TRUE(eventually([&] { return gate.waiting() == 1; }));
  std::atomic<bool> cleared{false};
  std::thread clearer([&] {
    dispatcher->clearConsumers();
    cleared = true;
  });
  EXPECT_FALSE(cleared.load());
  gate.open();
  clearer.join();
  EXPECT_TRUE(finished.load());
}

TEST_F(InboxDispatcherTest, PurgesFinishedEventsOlderThanTheRetentionInBatches) {
  store_.setPurgeable(2500);
  DispatcherOptions o;
  o.retentionMs = 3600000;
  auto d = make(o);
  ASSERT_TRUE(d->start().isOk());
  ASSERT_TRUE(eventually([&] { return metrics_.value("chathost_inbox_purged_total") == 2500; }));
  const auto calls = store_.purgeCalls();
  ASSERT_EQ(calls.size(), 3u) << "1000, 1000, then 500: a short batch ends the round";
  for (const auto& [olderThan, limit] : calls) {
    EXPECT_EQ(olderThan, 3600000);
    EXPECT_EQ(limit, 1000);
  }
}

TEST_F(InboxDispatcherTest, ARetentionOfZeroKeepsEverything) {
  store_.setPurgeable(10);
  DispatcherOptions o;
  o.retentionMs = 0;
  o.pollIntervalMs = 1;
  auto d = make(o);
  ASSERT_TRUE(d->start().isOk());
  // The claimer purges, when it does, before its first wait: two claims mean it had its chance.
  ASSERT_TRUE(eventually([&] { return store_.claimCalls() >= 2; }));
  EXPECT_TRUE(store_.purgeCalls().empty());
}

TEST_F(InboxDispatcherTest, RejectsNonsensicalOptions) {
  DispatcherOptions options;
  options.threads = 0;
  EXPECT_EQ(make(options)->start().code(), sdk::ErrorCode::kValidation);
}

}  // namespace
}  // namespace chathost::host
