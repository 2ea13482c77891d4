#include "workers/append_batcher.h"

#include "poll_until.h"

#include <gtest/gtest.h>

#include <atomic>
#include <condition_variable>
#include <mutex>
#include <thread>

using namespace chathost;
using chathost::host::AppendBatcher;
using chathost::host::NewInboxEvent;
using chathost::testing::eventually;

namespace {

std::vector<NewInboxEvent> eventsNamed(std::initializer_list<const char*> keys) {
  std::vector<NewInboxEvent> out;
  for (const char* k : keys) {
    NewInboxEvent e;
    e.dedupKey = k;
    out.push_back(e);
  }
  return out;
}

// An AppendAll that records each call's events and can hold the first call until released.
struct RecordingAppend {
  std::mutex mutex;
  std::condition_variable cv;
  bool holdFirst = false;
  bool released = false;
  bool inFirst = false;
  sdk::Status answer = sdk::Status::ok();
  std::vector<std::vector<std::string>> calls;

  AppendBatcher::AppendAll fn() {
    return [this](const std::vector<NewInboxEvent>& events) {
      std::unique_lock lock(mutex);
      std::vector<std::string> keys;
      for (const auto& e : events) keys.push_back(e.dedupKey);
      calls.push_back(keys);
      if (holdFirst && calls.size() == 1) {
        inFirst = true;
        cv.notify_all();
        cv.wait(lock, [this] { return released; });
      }
      return answer;
    };
  }
  void waitInFirst() {
    std::unique_lock lock(mutex);
    cv.wait(lock, [this] { return inFirst; });
  }
  void release() {
    std::lock_guard lock(mutex);
    released = true;
    cv.notify_all();
  }
  std::vector<std::vector<std::string>> snapshot() {
    std::lock_guard lock(mutex);
    return calls;
  }
};

struct Outcomes {
  std::mutex mutex;
  std::vector<std::pair<int, sdk::ErrorCode>> seen;  // (request number, outcome)
  AppendBatcher::Done forRequest(int n) {
    return [this, n](sdk::Status s) {
      std::lock_guard lock(mutex);
      seen.emplace_back(n, s.code());
    };
  }
  std::size_t count() {
    std::lock_guard lock(mutex);
    return seen.size();
  }
};

// A started batcher whose first append is held until the test releases it: the requests
// submitted meanwhile wait together in its queue.
struct HeldBatcher {
  RecordingAppend append;
  Outcomes outcomes;
  AppendBatcher batcher;

  explicit HeldBatcher(std::size_t maxEvents = 1024, std::size_t maxQueuedEvents = 20000,
                       sdk::Status answer = sdk::Status::ok())
      : batcher(append.fn(), "test-append", maxEvents, maxQueuedEvents) {
    append.holdFirst = true;
    append.answer = std::move(answer);
    batcher.start();
  }
  // Submits request 1 and returns once its append is running (and held).
  void holdFirst(std::vector<NewInboxEvent> events) {
    batcher.submit(std::move(events), outcomes.forRequest(1));
    append.waitInFirst();
  }
  void submit(std::vector<NewInboxEvent> events, int n) {
    batcher.submit(std::move(events), outcomes.forRequest(n));
  }
};

}  // namespace

TEST(AppendBatcherTest, RequestsWaitingTogetherShareOneAppend) {
  HeldBatcher t;
  auto& [append, outcomes, batcher] = t;
  t.holdFirst(eventsNamed({"a"}));
  t.submit(eventsNamed({"b"}), 2);
  t.submit(eventsNamed({"c", "d"}), 3);
  t.submit(eventsNamed({"e"}), 4);
  append.release();
  ASSERT_TRUE(eventually([&] { return outcomes.count() == 4; }));
  const auto calls = append.snapshot();
  ASSERT_EQ(calls.size(), 2u);
  EXPECT_EQ(calls[0], (std::vector<std::string>{"a"}));
  EXPECT_EQ(calls[1], (std::vector<std::string>{"b", "c", "d", "e"}));  // in submission order
  EXPECT_EQ(batcher.calls(), 2u);
  for (const auto& [n, code] : outcomes.seen) EXPECT_EQ(code, sdk::ErrorCode::kOk) << n;
}

TEST(AppendBatcherTest, EveryRequestOfAFailedAppendIsToldSo) {
  HeldBatcher t(1024, 20000, sdk::Status::unavailable("database down"));
  auto& [append, outcomes, batcher] = t;
  t.holdFirst(eventsNamed({"a"}));
  t.submit(eventsNamed({"b"}), 2);
  t.submit(eventsNamed({"c"}), 3);
  append.release();
  ASSERT_TRUE(eventually([&] { return outcomes.count() == 3; }));
  for (const auto& [n, code] : outcomes.seen) EXPECT_EQ(code, sdk::ErrorCode::kUnavailable) << n;
}

TEST(AppendBatcherTest, AnAppendNeverTakesMoreThanItsLimitButNeverSplitsARequest) {
  HeldBatcher t(2);
  auto& [append, outcomes, batcher] = t;
  t.holdFirst(eventsNamed({"a"}));
  t.submit(eventsNamed({"b"}), 2);
  t.submit(eventsNamed({"c"}), 3);
  t.submit(eventsNamed({"d", "e", "f"}), 4);
  append.release();
  ASSERT_TRUE(eventually([&] { return outcomes.count() == 4; }));
  const auto calls = append.snapshot();
  ASSERT_EQ(calls.size(), 3u);
  EXPECT_EQ(calls[1], (std::vector<std::string>{"b", "c"}));
  EXPECT_EQ(calls[2], (std::vector<std::string>{"d", "e", "f"}));
}

TEST(AppendBatcherTest, NotStartedItAppendsOnTheCallersThreadBeforeReturning) {
  RecordingAppend append;
  AppendBatcher batcher(append.fn(), "test-append");
  std::thread::id calledOn;
  bool called = false;
  batcher.submit(eventsNamed({"a"}), [&](sdk::Status s) {
    EXPECT_TRUE(s.isOk());
    calledOn = std::this_thread::get_id();
    called = true;
  });
  EXPECT_TRUE(called);
  EXPECT_EQ(calledOn, std::this_thread::get_id());
  EXPECT_EQ(append.snapshot().size(), 1u);
}

TEST(AppendBatcherTest, StopRecordsEveryQueuedRequestBeforeItReturns) {
  HeldBatcher t;
  auto& [append, outcomes, batcher] = t;
  t.holdFirst(eventsNamed({"a"}));
  t.submit(eventsNamed({"b"}), 2);
  std::atomic<bool> stopped{false};
  std::thread stopper([&] {
    batcher.stop();
    stopped = true;
  });
  append.release();
  stopper.join();
  EXPECT_TRUE(stopped);
  EXPECT_EQ(outcomes.count(), 2u);
  // Stopped: appends happen at once again, on the caller's thread.
  batcher.submit(eventsNamed({"c"}), outcomes.forRequest(3));
  EXPECT_EQ(outcomes.count(), 3u);
}

TEST(AppendBatcherTest, ACallbackThatThrowsDoesNotStopTheBatcher) {
  RecordingAppend append;
  AppendBatcher batcher(append.fn(), "test-append");
  batcher.start();
  batcher.submit(eventsNamed({"a"}), [](sdk::Status) { throw std::runtime_error("boom"); });
  Outcomes outcomes;
  batcher.submit(eventsNamed({"b"}), outcomes.forRequest(2));
  EXPECT_TRUE(eventually([&] { return outcomes.count() == 1; }));
}

TEST(AppendBatcherTest, PastItsQueueLimitARequestIsRefusedAtOnce) {
  HeldBatcher t(1024, 2);
  auto& [append, outcomes, batcher] = t;
  t.holdFirst(eventsNamed({"a", "b", "c"}));  // alone: taken
  t.submit(eventsNamed({"d", "e"}), 2);       // 2 waiting: at the limit
  t.submit(eventsNamed({"f"}), 3);            // over it: refused now
  {
    std::lock_guard lock(outcomes.mutex);
    ASSERT_EQ(outcomes.seen.size(), 1u);
    EXPECT_EQ(outcomes.seen[0], std::make_pair(3, sdk::ErrorCode::kUnavailable));
  }
  append.release();
  ASSERT_TRUE(eventually([&] { return outcomes.count() == 3; }));
  const auto calls = append.snapshot();
  ASSERT_EQ(calls.size(), 2u);
  EXPECT_EQ(calls[1], (std::vector<std::string>{"d", "e"}));  // "f" was never appended
  // Drained: room again.
  batcher.submit(eventsNamed({"g"}), outcomes.forRequest(4));
  ASSERT_TRUE(eventually([&] { return outcomes.count() == 4; }));
  std::lock_guard lock(outcomes.mutex);
  EXPECT_EQ(outcomes.seen.back(), std::make_pair(4, sdk::ErrorCode::kOk));
}
