#pragma once
// Polling with a deadline: the way edge tests wait for asynchronous effects (never fixed sleeps).

#include <chrono>
#include <thread>

namespace chathost::testing {

/// True as soon as `pred()` holds; false when it still does not after `timeout`.
template <typename Pred>
bool eventually(Pred pred, std::chrono::milliseconds timeout = std::chrono::seconds(15)) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    if (pred()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return pred();
}

}  // namespace chathost::testing
