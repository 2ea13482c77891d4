#include "storage/time_and_ids.h"

#include <chrono>
#include <mutex>
#include <random>

namespace chathost::host {

std::int64_t nowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

std::string newRandomId() {
  static std::mutex mutex;
  static std::mt19937_64 engine{std::random_device{}()};
  static const char* kHex = "0123456789abcdef";
  std::uint64_t parts[2];
  {
    std::lock_guard lock(mutex);
    parts[0] = engine();
    parts[1] = engine();
  }
  std::string id;
  id.reserve(32);
  for (std::uint64_t p : parts) {
    for (int shift = 60; shift >= 0; shift -= 4) id += kHex[(p >> shift) & 0xF];
  }
  return id;
}

}  // namespace chathost::host
