#include "workers/keyed_queue.h"

namespace chathost::host {

std::string KeyedQueue::keyOf(const host::InboxEvent& event) {
  if (!event.event.orderingKey.empty()) return "k:" + event.event.orderingKey;
  return "id:" + std::to_string(event.id);
}

bool KeyedQueue::push(host::InboxEvent event) {
  if (!waitingIds_.insert(event.id).second) return false;
  std::string key = keyOf(event);
  auto& events = byKey_[key];
  if (events.empty() && !runningIds_.count(key)) ready_.push_back(key);
  events.push_back(std::move(event));
  ++waiting_;
  return true;
}

std::optional<host::InboxEvent> KeyedQueue::take() {
  if (ready_.empty()) return std::nullopt;
  std::string key = std::move(ready_.front());
  ready_.pop_front();
  auto& events = byKey_[key];
  host::InboxEvent event = std::move(events.front());
  events.pop_front();
  waitingIds_.erase(event.id);
  runningIds_[key] = event.id;
  --waiting_;
  return event;
}

void KeyedQueue::finish(const host::InboxEvent& event) {
  std::string key = keyOf(event);
  runningIds_.erase(key);
  auto it = byKey_.find(key);
  if (it == byKey_.end()) return;
  if (it->second.empty()) {
    byKey_.erase(it);
  } else {
    ready_.push_back(key);
  }
}

std::vector<std::int64_t> KeyedQueue::heldIds() const {
  std::vector<std::int64_t> ids(waitingIds_.begin(), waitingIds_.end());
  for (const auto& [key, id] : runningIds_) ids.push_back(id);
  return ids;
}

std::vector<host::InboxEvent> KeyedQueue::drain() {
  std::vector<host::InboxEvent> out;
  for (const auto& key : ready_) {
    for (auto& event : byKey_[key]) out.push_back(std::move(event));
    byKey_.erase(key);
  }
  ready_.clear();
  // Keys still busy (only when called while events run) keep their waiting events' order too.
  for (auto& [key, events] : byKey_) {
    for (auto& event : events) out.push_back(std::move(event));
    events.clear();
  }
  waitingIds_.clear();
  waiting_ = 0;
  return out;
}

}  // namespace chathost::host
