#include "workers/inbox_dispatcher.h"

#include "common/thread_name.h"

#include "storage/storage.h"
#include "workers/append_batcher.h"
#include "workers/attempt_refund.h"
#include "workers/keyed_queue.h"

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <map>
#include <mutex>
#include <optional>
#include <random>
#include <set>
#include <thread>
#include <unordered_map>

namespace chathost::host {
namespace {

using Clock = std::chrono::steady_clock;

std::int64_t nowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

std::string randomOwner() {
  std::random_device rd;
  char buf[32];
  std::snprintf(buf, sizeof buf, "host-%08x%08x", rd(), rd());
  return buf;
}

constexpr auto kDepthRefresh = std::chrono::seconds(1);
// Counting a large backlog takes time: the count runs at most this share of the claimer's time.
constexpr int kDepthCostFactor = 100;
constexpr auto kDepthRefreshAtMost = std::chrono::minutes(1);  // the gauge is never older
constexpr auto kClaimErrorLogEvery = std::chrono::seconds(10);
constexpr auto kPurgeEvery = std::chrono::minutes(1);
// Rows deleted per statement and statements per round: a purge never holds the writer long, and
// a large first purge spreads over several rounds.
constexpr int kPurgeBatch = 1000;
constexpr int kPurgeBatchesPerRound = 20;
// Finished events waiting for their done mark that make the claimer run even while the queue is
// still well filled.
constexpr std::size_t kFinishedBatch = 64;

}  // namespace

struct InboxDispatcher::Impl {
  InboxStore& store;
  DispatcherOptions options;
  sdk::Metrics& metrics;
  sdk::Logger& logger;

  std::mutex lifecycle;  // serialises start()/stop()

  std::mutex mutex;  // guards everything below up to the threads
  std::condition_variable claimerCv;
  std::condition_variable workerCv;
  KeyedQueue queue;
  int reservedRoom = 0;  // queue places promised to appends under way
  struct ChannelMetrics;
  // Events finished by the workers, marked done in one commit by the claimer just before its
  // next claim (which needs them done to release later events of the same ordering key). On
  // SQLite that commit is also the one that makes the events' own writes durable, and they count
  // as done only then. A crash before it only means the events run again, which consumers allow.
  struct Finished {
    std::int64_t id;
    std::uint64_t lostBefore;  // the store's deferredWritesLost() when the event started
    std::int64_t receivedAt;
    ChannelMetrics* metrics;
  };
  std::vector<Finished> finished;
  bool running = false;
  bool stopping = false;
  bool wake = false;
  std::thread claimer;
  // Renews the leases of held events on a thread of its own: the claimer's storage calls may wait
  // for a pooled connection, and a renewal that waits with them lets leases run out.
  std::thread renewer;
  std::condition_variable renewerCv;
  bool renewerStopping = false;  // set once the workers are joined: leases live until then
  std::vector<std::thread> workers;
  int idleWorkers = 0;  // workers waiting on workerCv

  std::mutex consumersMutex;
  std::condition_variable consumersIdle;
  std::unordered_map<std::string, std::shared_ptr<const host::InboxConsumer>> consumers;
  std::set<std::string> warnedChannels;
  int consumerCalls = 0;

  struct ChannelMetrics {
    sdk::Counter* done;
    sdk::Counter* retry;
    sdk::Counter* failed;
    sdk::Counter* appended;
    sdk::Histogram* duration;
    sdk::Histogram* toDone;
  };
  std::mutex metricsMutex;
  std::map<std::string, ChannelMetrics> channelMetrics;
  sdk::Gauge& depth;
  sdk::Counter& purged;

  Impl(InboxStore& s, DispatcherOptions o, sdk::Metrics& m, sdk::Logger& l)
      : store(s),
        options(std::move(o)),
        metrics(m),
        logger(l),
        depth(
            m.gauge(options.metricPrefix + "_queue_depth", "Queued events not yet done or failed")),
        purged(m.counter(options.metricPrefix + "_purged_total",
                         "Finished events deleted after the retention period")) {
    if (options.owner.empty()) options.owner = randomOwner();
    queueName = options.metricPrefix;
    if (queueName.rfind("chathost_", 0) == 0) queueName.erase(0, 9);
  }

  std::string queueName;  // "inbox", "outbox": names the queue in logs and thread names
  // appendAsync()'s requests, recorded by InboxDispatcher::append() on the batcher's thread.
  std::unique_ptr<AppendBatcher> batcher;

  ChannelMetrics& metricsFor(const std::string& channel) {
    std::lock_guard lock(metricsMutex);
    auto it = channelMetrics.find(channel);
    if (it != channelMetrics.end()) return it->second;
    auto counter = [&](const char* outcome) {
      return &metrics.counter(options.metricPrefix + "_events_total",
                              "Queued events processed, by channel and outcome",
                              {{"channel", channel}, {"outcome", outcome}});
    };
    ChannelMetrics cm{
        counter("done"),
        counter("retry"),
        counter("failed"),
        &metrics.counter(options.metricPrefix + "_appended_total", "Events recorded, by channel",
                         {{"channel", channel}}),
        &metrics.histogram(options.metricPrefix + "_event_duration_seconds",
                           "Time a consumer took for one event", {{"channel", channel}}),
        &metrics.histogram(options.metricPrefix == "chathost_inbox"
                               ? std::string("chathost_webhook_to_done_seconds")
                               : options.metricPrefix + "_queued_to_done_seconds",
                           "Time from recording an event to finishing it", {{"channel", channel}},
                           {0.001, 0.0025, 0.005, 0.0075, 0.01, 0.02, 0.03, 0.05, 0.1, 0.25, 0.5, 1,
                            2.5, 5, 10, 30, 60, 300, 900})};
    return channelMetrics.emplace(channel, cm).first->second;
  }

  // Reserves room in the workers' queue for freshly appended events (0 when stopped); the
  // reservation ends with enqueueClaimed(), so concurrent appends cannot overfill the queue.
  int reserveRoom() {
    std::lock_guard lock(mutex);
    if (!running || stopping) return 0;
    const int room = std::max(0, claimLimit() - static_cast<int>(queue.waiting()) - reservedRoom);
    reservedRoom += room;
    return room;
  }

  // Events appendAndClaim() claimed for us: to the workers, or back to the store when stopping.
  void enqueueClaimed(std::vector<host::InboxEvent> events, int reserved) {
    {
      std::lock_guard lock(mutex);
      reservedRoom -= reserved;
      if (events.empty()) return;
      if (running && !stopping) {
        for (auto& event : events) queue.push(std::move(event));
        wakeWorkers(events.size());
        return;
      }
    }
    for (const auto& event : events)
      checkStore(store.markRetry(options.owner, event.id, 0, "released at shutdown"), event,
                 "release");
  }

  // Called with `mutex` held. One idle worker per event that may be ready: waking all of them
  // for a few events costs a context switch each and finds nothing to do.
  void wakeWorkers(std::size_t events) {
    const std::size_t n = std::min(events, static_cast<std::size_t>(idleWorkers));
    if (n == static_cast<std::size_t>(idleWorkers)) {
      if (n > 0) workerCv.notify_all();
      return;
    }
    for (std::size_t i = 0; i < n; ++i) workerCv.notify_one();
  }

  // Called with `mutex` held, after a worker finished an event. The claimer has work when the
  // queue runs low (room to claim, a conversation's next event may be due) or done marks pile up;
  // otherwise waking it per event would cost a claim and a commit each.
  void wakeClaimerAfterFinish() {
    const bool low = static_cast<int>(queue.waiting()) <= claimLimit() / 2;
    if (wake || !(low || finished.size() >= kFinishedBatch)) return;
    wake = true;
    claimerCv.notify_one();
  }

  void wakeClaimer() {
    {
      std::lock_guard lock(mutex);
      wake = true;
    }
    claimerCv.notify_one();
  }

  void refreshDepth() {
    try {
      auto pending = store.pendingCount();
      if (pending) depth.set(static_cast<double>(*pending));
    } catch (const std::exception&) {
      // The gauge keeps its last value; claim errors are logged by the claimer.
    }
  }

  // Called with `mutex` held; releases it while storage works.
  void renewLeases(std::unique_lock<std::mutex>& lock) {
    std::vector<std::int64_t> ids = queue.heldIds();
    for (const auto& f : finished) ids.push_back(f.id);
    if (ids.empty()) return;
    lock.unlock();
    sdk::Status s;
    try {
      s = store.extendLeases(options.owner, ids, options.leaseMs);
    } catch (const std::exception& e) {
      s = sdk::Status::internal(std::string("extendLeases threw: ") + e.what());
    }
    if (!s) logger.error(queueName + " lease renewal failed", {{"error", s.message()}});
    lock.lock();
  }

  // Called with `mutex` held; releases it while storage works.
  void flushFinished(std::unique_lock<std::mutex>& lock) {
    if (finished.empty()) return;
    std::vector<Finished> batch;
    batch.swap(finished);
    lock.unlock();
    std::vector<std::int64_t> ids;
    std::uint64_t lostBefore = batch.front().lostBefore;
    for (const auto& f : batch) {
      ids.push_back(f.id);
      lostBefore = std::min(lostBefore, f.lostBefore);
    }
    sdk::Status s;
    try {
      s = store.markAllDone(options.owner, ids, lostBefore);
    } catch (const std::exception& e) {
      s = sdk::Status::internal(std::string("markAllDone threw: ") + e.what());
    }
    if (s) {
      const std::int64_t now = nowMs();
      for (const auto& f : batch) {
        f.metrics->done->inc();
        f.metrics->toDone->observe(
            static_cast<double>(std::max<std::int64_t>(0, now - f.receivedAt)) / 1000.0);
      }
    } else {
      // Their writes may not have been committed: run them again (processing is idempotent).
      // Should this fail too, their leases run out and they are claimed again.
      logger.error(queueName + " markDone failed; the events run again",
                   {{"events", std::to_string(ids.size())}, {"error", s.message()}});
      for (std::int64_t id : ids) {
        try {
          store.markRetry(options.owner, id, 0, "not marked done: " + s.message());
        } catch (const std::exception&) {
        }
      }
    }
    lock.lock();
  }

  // Deletes finished events older than the retention, a few batches at a time.
  void purgeFinished() {
    if (options.retentionMs <= 0) return;
    for (int i = 0; i < kPurgeBatchesPerRound; ++i) {
      sdk::Result<std::int64_t> n = std::int64_t{0};
      try {
        n = store.purgeFinished(options.retentionMs, kPurgeBatch);
      } catch (const std::exception& e) {
        n = sdk::Status::internal(std::string("purgeFinished threw: ") + e.what());
      }
      if (!n) {
        logger.warning("could not purge finished events", {{"error", n.status().message()}});
        return;
      }
      purged.inc(static_cast<double>(*n));
      if (*n < kPurgeBatch) return;
    }
  }

  int claimLimit() const {
    return std::max(1, std::min(options.queueCapacity, 4 * options.threads));
  }

  void claimLoop() {
    const int limit = claimLimit();
    Clock::time_point lastDepth{};
    Clock::duration depthEvery = kDepthRefresh;
    Clock::time_point lastErrorLog{};
    Clock::time_point lastPurge{};
    std::unique_lock lock(mutex);
    while (!stopping) {
      // Reset before looking: a wake-up that arrives from here on is seen by the wait below.
      wake = false;
      flushFinished(lock);
      int free = limit - static_cast<int>(queue.waiting()) - reservedRoom;
      bool failed = false;
      bool full = false;
      if (free > 0) {
        lock.unlock();
        sdk::Result<std::vector<host::InboxEvent>> claimed = std::vector<host::InboxEvent>{};
        try {
          claimed = store.claim(options.owner, free, options.leaseMs);
        } catch (const std::exception& e) {
          claimed = sdk::Status::internal(std::string("claim threw: ") + e.what());
        }
        if (!claimed && Clock::now() - lastErrorLog >= kClaimErrorLogEvery) {
          lastErrorLog = Clock::now();
          logger.error(queueName + " claim failed", {{"error", claimed.status().message()}});
        }
        lock.lock();
        failed = !claimed;
        if (claimed) {
          for (auto& event : *claimed) queue.push(std::move(event));
          wakeWorkers(claimed->size());
          full = static_cast<int>(claimed->size()) >= free;
        }
      }
      if (Clock::now() - lastDepth >= depthEvery) {
        lastDepth = Clock::now();
        lock.unlock();
        refreshDepth();
        lock.lock();
        depthEvery = std::clamp<Clock::duration>((Clock::now() - lastDepth) * kDepthCostFactor,
                                                 kDepthRefresh, kDepthRefreshAtMost);
      }
      if (Clock::now() - lastPurge >= kPurgeEvery) {
        lastPurge = Clock::now();
        lock.unlock();
        purgeFinished();
        lock.lock();
      }
      if (stopping) break;
      if (full) continue;  // a full batch: more may be due right now
      const auto poll = std::chrono::milliseconds(options.pollIntervalMs);
      if (failed) {
        claimerCv.wait_for(lock, poll, [this] { return stopping; });
      } else {
        claimerCv.wait_for(lock, poll, [this] { return stopping || wake; });
      }
    }
  }

  // Leases stay short (a dead host's events move on soon) while live events keep theirs.
  void renewLoop() {
    const auto every = std::chrono::milliseconds(std::max<std::int64_t>(1, options.leaseMs / 3));
    std::unique_lock lock(mutex);
    while (!renewerStopping) {
      renewerCv.wait_for(lock, every, [this] { return renewerStopping; });
      if (renewerStopping) break;
      renewLeases(lock);
    }
  }

  void workLoop() {
    std::unique_lock lock(mutex);
    while (true) {
      ++idleWorkers;
      workerCv.wait(lock, [this] { return stopping || queue.hasReady(); });
      --idleWorkers;
      if (stopping) return;  // unstarted events are given back by stop()
      auto event = queue.take();
      if (!event) continue;
      lock.unlock();
      process(*event);
      lock.lock();
      queue.finish(*event);
      if (queue.hasReady()) wakeWorkers(1);
      wakeClaimerAfterFinish();
    }
  }

  std::shared_ptr<const host::InboxConsumer> acquireConsumer(const std::string& channel) {
    std::lock_guard lock(consumersMutex);
    auto it = consumers.find(channel);
    if (it == consumers.end()) return nullptr;
    ++consumerCalls;
    return it->second;
  }

  void releaseConsumer() {
    std::lock_guard lock(consumersMutex);
    if (--consumerCalls == 0) consumersIdle.notify_all();
  }

  host::ProcessOutcome runConsumer(const host::InboxConsumer& consumer, const host::InboxEvent& e) {
    try {
      // The consumer's writes share commits (see DeferredCommitScope): the worker does not wait
      // for one. The claimer's done mark commits them (or finds them lost and runs the event
      // again), so whoever sees the event finished also sees what it wrote.
      std::optional<DeferredCommitScope> deferred;
      if (options.deferCommits) deferred.emplace();
      host::ProcessOutcome outcome = consumer(e);
      // A failure is recorded for good by a mark of its own: the writes that say why (the
      // message marked failed) must be committed first, or the event runs again.
      if (outcome.kind != host::ProcessOutcome::Kind::kDone)
        if (auto s = DeferredCommitScope::commitPending(); !s.isOk())
          return host::ProcessOutcome::retry(1000, "storage: " + s.message());
      return outcome;
    } catch (const std::exception& ex) {
      return host::ProcessOutcome::retry(1000, std::string("consumer threw: ") + ex.what());
    } catch (...) {
      return host::ProcessOutcome::retry(1000, "consumer threw a non-standard exception");
    }
  }

  void checkStore(const sdk::Status& status, const host::InboxEvent& event, const char* what) {
    if (status) return;
    if (status.code() == sdk::ErrorCode::kConflict) {
      // Our lease ran out and another worker holds the event now: its outcome counts, not ours.
      logger.warning(queueName + " event taken over before its outcome was recorded",
                     {{"eventId", std::to_string(event.id)}, {"step", what}});
      return;
    }
    // The lease runs out and the event is claimed again: processing is idempotent.
    logger.error(queueName + " " + what + " failed",
                 {{"eventId", std::to_string(event.id)}, {"error", status.message()}});
  }

  void markFailed(const host::InboxEvent& event, const std::string& reason, ChannelMetrics& cm) {
    cm.failed->inc();
    logger.warning(queueName + " event failed", {{"eventId", std::to_string(event.id)},
                                                 {"channel", event.event.channel},
                                                 {"attempts", std::to_string(event.attempts)},
                                                 {"reason", reason}});
    checkStore(store.markFailed(options.owner, event.id, reason), event, "markFailed");
  }

  void process(const host::InboxEvent& event) {
    try {
      processUnguarded(event);
    } catch (const std::exception& e) {
      logger.error(queueName + " event processing threw",
                   {{"eventId", std::to_string(event.id)}, {"error", e.what()}});
    }
  }

  void processUnguarded(const host::InboxEvent& event) {
    const std::string& channel = event.event.channel;
    ChannelMetrics& cm = metricsFor(channel);
    if (event.attempts > options.maxAttempts) {
      markFailed(event, "gave up after " + std::to_string(options.maxAttempts) + " attempts", cm);
      return;
    }
    auto consumer = acquireConsumer(channel);
    if (!consumer) {
      bool firstWarning = false;
      {
        std::lock_guard lock(consumersMutex);
        firstWarning = warnedChannels.insert(channel).second;
      }
      if (firstWarning) {
        logger.warning("no " + queueName + " consumer for channel; events wait for it",
                       {{"channel", channel}});
      }
      cm.retry->inc();
      checkStore(store.markRetry(options.owner, event.id, options.noConsumerRetryMs,
                                 "no consumer for channel " + channel),
                 event, "markRetry");
      return;
    }
    auto started = Clock::now();
    const std::uint64_t lostBefore = store.deferredWritesLost();
    host::ProcessOutcome outcome = runConsumer(*consumer, event);
    const bool refunded = takeAttemptRefund();
    releaseConsumer();
    cm.duration->observe(std::chrono::duration<double>(Clock::now() - started).count());
    switch (outcome.kind) {
      case host::ProcessOutcome::Kind::kDone: {
        // Counted done by the claimer, once marked so (and committed with the event's writes).
        std::lock_guard lock(mutex);
        finished.push_back({event.id, lostBefore, event.receivedAt, &cm});
        break;
      }
      case host::ProcessOutcome::Kind::kRetry:
        if (refunded) {  // the attempt did no work: it does not count towards maxAttempts
          cm.retry->inc();
          checkStore(store.markRetryUncounted(options.owner, event.id,
                                              std::max<std::int64_t>(0, outcome.retryDelayMs),
                                              outcome.reason),
                     event, "markRetry");
        } else if (event.attempts >= options.maxAttempts) {
          markFailed(
              event,
              "gave up after " + std::to_string(event.attempts) + " attempts: " + outcome.reason,
              cm);
        } else {
          cm.retry->inc();
          checkStore(
              store.markRetry(options.owner, event.id,
                              std::max<std::int64_t>(0, outcome.retryDelayMs), outcome.reason),
              event, "markRetry");
        }
        break;
      case host::ProcessOutcome::Kind::kFailed:
        markFailed(event, outcome.reason, cm);
        break;
      case host::ProcessOutcome::Kind::kAbandon:
        // Another worker holds the event now: any mark of ours would overwrite its claim.
        logger.warning(queueName + " event abandoned: its claim was lost",
                       {{"eventId", std::to_string(event.id)}, {"reason", outcome.reason}});
        break;
    }
  }
};

InboxDispatcher::InboxDispatcher(InboxStore& store, DispatcherOptions options,
                                 sdk::Metrics& metrics, sdk::Logger& logger)
    : impl_(std::make_unique<Impl>(store, std::move(options), metrics, logger)) {
  impl_->batcher = std::make_unique<AppendBatcher>(
      [this](const std::vector<host::NewInboxEvent>& events) { return append(events); },
      impl_->queueName + "-append");
}

InboxDispatcher::~InboxDispatcher() {
  stop();
}

const std::string& InboxDispatcher::owner() const {
  return impl_->options.owner;
}

sdk::Status InboxDispatcher::append(const std::vector<host::NewInboxEvent>& events) {
  if (events.empty()) return sdk::Status::ok();
  // Events joining the caller's uncommitted writes must wait for the claimer, whose claim
  // commits them; otherwise (PostgreSQL) they are claimed as they are appended, like webhooks.
  if (impl_->options.appendWithCallersWrites && impl_->store.joinsCallersWrites()) {
    sdk::Status s;
    try {
      s = impl_->store.appendWithCallersWrites(events);
    } catch (const std::exception& e) {
      s = sdk::Status::internal(std::string("append failed: ") + e.what());
    }
    if (!s) return s;
    for (const auto& e : events) impl_->metricsFor(e.channel).appended->inc();
    impl_->wakeClaimer();
    return s;
  }
  sdk::Result<std::vector<host::InboxEvent>> claimed = std::vector<host::InboxEvent>{};
  const int room = impl_->reserveRoom();
  try {
    claimed =
        impl_->store.appendAndClaim(events, impl_->options.owner, impl_->options.leaseMs, room);
  } catch (const std::exception& e) {
    claimed = sdk::Status::internal(std::string("inbox append failed: ") + e.what());
  }
  if (!claimed) {
    impl_->enqueueClaimed({}, room);
    return claimed.status();
  }
  const bool allClaimed = claimed->size() == events.size();
  for (const auto& e : events) impl_->metricsFor(e.channel).appended->inc();
  impl_->enqueueClaimed(std::move(*claimed), room);
  if (!allClaimed) impl_->wakeClaimer();
  return sdk::Status::ok();
}

void InboxDispatcher::appendAsync(std::vector<host::NewInboxEvent> events,
                                  std::function<void(sdk::Status)> done) {
  impl_->batcher->submit(std::move(events), std::move(done));
}

sdk::Result<bool> InboxDispatcher::wasTakenUp(const std::string& dedupKey) {
  try {
    return impl_->store.wasTakenUp(dedupKey);
  } catch (const std::exception& e) {
    return sdk::Status::internal(std::string("lookup failed: ") + e.what());
  }
}

void InboxDispatcher::doSetConsumer(const std::string& channel, host::InboxConsumer consumer) {
  {
    std::lock_guard lock(impl_->consumersMutex);
    impl_->consumers[channel] = std::make_shared<const host::InboxConsumer>(std::move(consumer));
    impl_->warnedChannels.erase(channel);
  }
  impl_->wakeClaimer();
}

void InboxDispatcher::clearConsumers() {
  std::unique_lock lock(impl_->consumersMutex);
  impl_->consumers.clear();
  impl_->consumersIdle.wait(lock, [this] { return impl_->consumerCalls == 0; });
}

sdk::Status InboxDispatcher::start() {
  const auto& o = impl_->options;
  if (o.threads < 1) return sdk::Status::validation("inbox threads must be at least 1");
  if (o.queueCapacity < 1) return sdk::Status::validation("inbox queue capacity must be >= 1");
  if (o.leaseMs < 1) return sdk::Status::validation("inbox lease must be positive");
  if (o.pollIntervalMs < 1) return sdk::Status::validation("inbox poll interval must be positive");
  if (o.maxAttempts < 1) return sdk::Status::validation("inbox max attempts must be at least 1");
  std::lock_guard lifecycle(impl_->lifecycle);
  {
    std::lock_guard lock(impl_->mutex);
    if (impl_->running) return sdk::Status::ok();
    impl_->running = true;
    impl_->stopping = false;
    impl_->wake = true;
  }
  try {
    // "inbox-claim", "outbox-work"...: which queue and role, in top -H and perf.
    const std::string queue = impl_->queueName;
    impl_->renewerStopping = false;
    impl_->renewer = std::thread([this, queue] {
      nameThisThread(queue + "-lease");
      impl_->renewLoop();
    });
    impl_->claimer = std::thread([this, queue] {
      nameThisThread(queue + "-claim");
      impl_->claimLoop();
    });
    for (int i = 0; i < o.threads; ++i) {
      impl_->workers.emplace_back([this, queue] {
        nameThisThread(queue + "-work");
        impl_->workLoop();
      });
    }
    impl_->batcher->start();
  } catch (const std::exception& e) {
    stopLocked();
    return sdk::Status::internal("could not start " + impl_->queueName + " workers: " + e.what());
  }
  impl_->logger.info(impl_->queueName + " workers started",
                     {{"threads", std::to_string(o.threads)}, {"owner", o.owner}});
  return sdk::Status::ok();
}

void InboxDispatcher::stop() {
  std::lock_guard lifecycle(impl_->lifecycle);
  stopLocked();
}

void InboxDispatcher::stopLocked() {
  // Appends already accepted are recorded (and their callers answered) before anything stops.
  impl_->batcher->stop();
  {
    std::lock_guard lock(impl_->mutex);
    if (!impl_->running) return;
    impl_->stopping = true;
  }
  impl_->logger.info(impl_->queueName +
                     " workers stopping: running events finish, queued ones are released");
  impl_->claimerCv.notify_all();
  impl_->workerCv.notify_all();
  if (impl_->claimer.joinable()) impl_->claimer.join();
  for (auto& worker : impl_->workers) {
    if (worker.joinable()) worker.join();
  }
  impl_->workers.clear();
  {
    std::lock_guard lock(impl_->mutex);
    impl_->renewerStopping = true;
  }
  impl_->renewerCv.notify_all();
  if (impl_->renewer.joinable()) impl_->renewer.join();
  std::vector<host::InboxEvent> unstarted;
  {
    std::unique_lock lock(impl_->mutex);
    impl_->flushFinished(lock);
    unstarted = impl_->queue.drain();
    impl_->running = false;
    impl_->stopping = false;
  }
  for (const auto& event : unstarted) {
    try {
      impl_->checkStore(
          impl_->store.markRetry(impl_->options.owner, event.id, 0, "released at shutdown"), event,
          "release");
    } catch (const std::exception& e) {
      impl_->logger.error(impl_->queueName + " release threw",
                          {{"eventId", std::to_string(event.id)}, {"error", e.what()}});
    }
  }
  impl_->refreshDepth();
  impl_->logger.info(impl_->queueName + " workers stopped",
                     {{"released", std::to_string(unstarted.size())}});
}

}  // namespace chathost::host
