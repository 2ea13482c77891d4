#pragma once
// The durable inbox: received webhook events, recorded before they are acknowledged and
// processed later, at least once, by the host's worker pool.

#include <chathost/sdk/status.h>

#include <cstdint>
#include <functional>
#include <string>
#include <utility>
#include <vector>

namespace chathost::host {

/// An event to record. `orderingKey` groups events that must be processed one at a time and in
/// `eventTimestamp` order (e.g. one chat). Value type.
struct NewInboxEvent {
  std::string channel;
  std::string subaccountId;
  std::string agentId;
  std::string orderingKey;
  std::string dedupKey;             // channel-unique id of the event (e.g. "mid:..."), may be empty
  std::string kind;                 // channel-defined ("message", "reaction", ...)
  std::int64_t eventTimestamp = 0;  // ms
  std::string payload;              // channel-defined bytes, usually JSON
  std::int64_t notBefore = 0;       // ms since the epoch; not processed before (0: at once)
};

/// A recorded event handed to a consumer. Value type.
struct InboxEvent {
  std::int64_t id = 0;
  NewInboxEvent event;
  int attempts = 0;             // 1 on the first delivery to a consumer
  std::int64_t receivedAt = 0;  // ms
};

/// What a consumer did with an event. kAbandon: the consumer found its claim on the event no
/// longer valid (another worker holds it now) and leaves the event as it is. Value type.
struct ProcessOutcome {
  enum class Kind { kDone, kRetry, kFailed, kAbandon } kind = Kind::kDone;
  std::int64_t retryDelayMs = 0;  // for kRetry
  std::string reason;             // for kRetry and kFailed, in words

  static ProcessOutcome done() { return {}; }
  static ProcessOutcome retry(std::int64_t delayMs, std::string why) {
    return {Kind::kRetry, delayMs, std::move(why)};
  }
  static ProcessOutcome failed(std::string why) { return {Kind::kFailed, 0, std::move(why)}; }
  static ProcessOutcome abandon(std::string why) { return {Kind::kAbandon, 0, std::move(why)}; }
};

/// Processes one event; called on a host worker thread. Must be idempotent: after a crash an event
/// may be delivered again.
using InboxConsumer = std::function<ProcessOutcome(const InboxEvent&)>;

/// The host's inbox. Owned by the host; valid until stop() returns. append() is thread-safe and
/// blocks until the events are durably committed.
class Inbox {
 public:
  virtual ~Inbox() = default;
  /// Records all `events` durably (one commit for the batch) before returning ok.
  virtual sdk::Status append(const std::vector<NewInboxEvent>& events) = 0;
  /// append() without waiting: `done` gets its outcome once the events are durable (or not), on
  /// a thread of the inbox's or on the caller's, and must not block. Appends made together may
  /// share a commit.
  virtual void appendAsync(std::vector<NewInboxEvent> events,
                           std::function<void(sdk::Status)> done) {
    done(append(events));
  }
  /// Whether a worker ever took up an event with this dedup key (an outbox row whose send may
  /// have been made), as opposed to one still waiting for its first turn.
  virtual sdk::Result<bool> wasTakenUp(const std::string& dedupKey) = 0;

  /// Installs the consumer for `channel`'s events. Call from start(); the host stops calling it
  /// before the plugin's stop() returns. An exception thrown by the consumer becomes kRetry.
  void setConsumer(const std::string& channel, InboxConsumer consumer) {
    doSetConsumer(channel, [c = std::move(consumer)](const InboxEvent& e) -> ProcessOutcome {
      try {
        return c(e);
      } catch (const std::exception& ex) {
        return ProcessOutcome::retry(1000, std::string("consumer threw: ") + ex.what());
      } catch (...) {
        return ProcessOutcome::retry(1000, "consumer threw a non-standard exception");
      }
    });
  }

 protected:
  virtual void doSetConsumer(const std::string& channel, InboxConsumer consumer) = 0;
};

}  // namespace chathost::host
