#pragma once
// The dispatcher's in-memory queue: events grouped by ordering key so that one key never has two
// events running, and each key's events start in the order they were pushed. Not thread-safe: the
// dispatcher guards it with its mutex.

#include "storage/inbox.h"

#include <cstddef>
#include <cstdint>
#include <deque>
#include <optional>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

namespace chathost::host {

class KeyedQueue {
 public:
  /// The ordering key of `event`; an event without one is its own key.
  static std::string keyOf(const host::InboxEvent& event);

  /// Appends `event` behind the waiting events of its key. False (nothing queued) when an event
  /// with the same id is already waiting. The same id while it runs is accepted: the store may
  /// hand it out again as soon as it is marked for retry, and it then waits for its key.
  bool push(host::InboxEvent event);
  bool hasReady() const { return !ready_.empty(); }
  /// The first waiting event of the key that became ready first; its key is busy until finish().
  std::optional<host::InboxEvent> take();
  /// The event `event` (returned by take()) ended: its key may start its next event.
  void finish(const host::InboxEvent& event);
  /// Events pushed and not taken.
  std::size_t waiting() const { return waiting_; }
  /// Ids of the events waiting or running (their leases must be kept alive).
  std::vector<std::int64_t> heldIds() const;
  /// Removes and returns every waiting event (oldest key first).
  std::vector<host::InboxEvent> drain();

 private:
  std::unordered_map<std::string, std::deque<host::InboxEvent>> byKey_;
  std::deque<std::string> ready_;  // keys with waiting events and nothing running
  std::unordered_set<std::int64_t> waitingIds_;
  std::unordered_map<std::string, std::int64_t> runningIds_;  // by key: the keys that are busy
  std::size_t waiting_ = 0;
};

}  // namespace chathost::host
