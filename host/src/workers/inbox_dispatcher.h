#pragma once
// The host's host::Inbox: records events through the InboxStore and runs them on a worker pool.

#include <chathost/sdk/logger.h>
#include <chathost/sdk/metrics.h>
#include "storage/inbox.h"

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace chathost::host {

class InboxStore;

struct DispatcherOptions {
  int threads = 4;
  /// Hard bound of events claimed and not yet started. The claimer keeps at most
  /// min(queueCapacity, 4 x threads) waiting, so leases do not run out in our own queue.
  int queueCapacity = 10000;
  std::int64_t leaseMs = 10000;  // renewed every third of it while the event is held
  /// How often the claimer looks for events appended by other host instances and due retries.
  std::int64_t pollIntervalMs = 200;
  /// An event delivered more often than this is marked failed.
  int maxAttempts = 50;
  /// Delay before an event whose channel has no consumer is offered again.
  std::int64_t noConsumerRetryMs = 5000;
  std::string owner;  // host instance id; empty = a random one
  /// Consumers' SQLite writes wait for a shared commit (DeferredCommitScope). Off where a write
  /// must be durable before the consumer goes on (the outbox: a send is marked sent at once).
  bool deferCommits = true;
  /// append() records events as a write of the caller's (InboxStore::appendWithCallersWrites):
  /// for the outbox, whose rows the conversation stage writes in the transaction that holds the
  /// reply's messages. The claimer is woken to claim them; on SQLite its claim commits them.
  /// Where the store joins nothing (InboxStore::joinsCallersWrites(), PostgreSQL), append()
  /// claims fresh events as it records them, as without this option.
  bool appendWithCallersWrites = false;
  /// Done and failed events are deleted once finished this long ago (checked every minute, in
  /// small batches); 0 keeps them.
  std::int64_t retentionMs = 72LL * 3600 * 1000;
  /// Names the metrics: <prefix>_queue_depth, <prefix>_events_total{channel,outcome},
  /// <prefix>_appended_total{channel}, <prefix>_purged_total,
  /// <prefix>_event_duration_seconds{channel}; the inbox's time to done is
  /// chathost_webhook_to_done_seconds, others' <prefix>_queued_to_done_seconds.
  std::string metricPrefix = "chathost_inbox";
};

/// append() is thread-safe and may be called before start() and after stop(). A claimer thread
/// claims batches from the store into a queue; `threads` workers run the consumer of each event's
/// channel and record the outcome. Events with the same orderingKey never run concurrently in this
/// process and run in the order claimed. Metrics: chathost_inbox_queue_depth (events not yet done
/// or failed, from the store), chathost_inbox_events_total{channel,outcome},
/// chathost_inbox_event_duration_seconds{channel}, chathost_webhook_to_done_seconds{channel}.
class InboxDispatcher : public host::Inbox {
 public:
  InboxDispatcher(InboxStore& store, DispatcherOptions options, sdk::Metrics& metrics,
                  sdk::Logger& logger);
  /// Stops if still running.
  ~InboxDispatcher() override;

  /// Records the events and wakes the claimer at once.
  sdk::Status append(const std::vector<host::NewInboxEvent>& events) override;
  /// Appends arriving together are recorded in one commit on the dispatcher's "<queue>-append"
  /// thread (while started), which then calls `done`.
  void appendAsync(std::vector<host::NewInboxEvent> events,
                   std::function<void(sdk::Status)> done) override;
  sdk::Result<bool> wasTakenUp(const std::string& dedupKey) override;

  /// Starts the claimer and the workers; kValidation on nonsensical options. Idempotent.
  sdk::Status start();
  /// Stops claiming, lets running events finish, gives claimed but unstarted events back to the
  /// store (due at once) and joins the threads. Idempotent; start() may be called again.
  void stop();

  /// Removes every consumer and waits until no consumer call is running (so a plugin may unload).
  /// Must not be called from inside a consumer.
  void clearConsumers();

  /// The owner id the dispatcher claims under.
  const std::string& owner() const;

 protected:
  void doSetConsumer(const std::string& channel, host::InboxConsumer consumer) override;

 private:
  void stopLocked();

  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace chathost::host
