#pragma once
// Waiting for what the dispatcher's threads do: poll with a deadline, never sleep a fixed time.

#include <chrono>
#include <functional>
#include <thread>

namespace chathost::testing {

/// Polls `condition` until it holds or 10 s pass; returns its last value.
inline bool eventually(const std::function<bool()>& condition) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (std::chrono::steady_clock::now() < deadline) {
    if (condition()) return true;
    std::this_thread::yield();
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  return condition();
}

}  // namespace chathost::testing
