#pragma once
// Enforces a request's whole-exchange deadline. Socket timeouts bound each read or write, not
// their sum (a TLS handshake or a server that drips bytes can outlast them many times), so a
// watchdog thread shuts the socket down when the deadline passes, waking any blocked call.
// Internal to the outbound module.

#include <Poco/Net/Socket.h>

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <thread>
#include <utility>

namespace chathost::host {

/// Thread-safe. One thread per watchdog, started in the constructor, joined in the destructor.
class DeadlineWatchdog {
 public:
  using TimePoint = std::chrono::steady_clock::time_point;

  /// Keeps one socket under watch until destroyed or disarm()ed.
  class Guard {
   public:
    Guard(DeadlineWatchdog* owner, std::uint64_t id) : owner_(owner), id_(id) {}
    Guard(Guard&& other) noexcept : owner_(std::exchange(other.owner_, nullptr)), id_(other.id_) {}
    Guard& operator=(Guard&&) = delete;
    ~Guard() { disarm(); }
    /// Stops watching; true when the deadline had already fired (the socket is shut down).
    bool disarm();

   private:
    DeadlineWatchdog* owner_;
    std::uint64_t id_;
    bool fired_ = false;
  };

  DeadlineWatchdog();
  ~DeadlineWatchdog();
  DeadlineWatchdog(const DeadlineWatchdog&) = delete;
  DeadlineWatchdog& operator=(const DeadlineWatchdog&) = delete;

  /// Shuts `socket` down (both directions) at `deadline` unless the guard is disarmed first.
  /// The socket may still be unconnected: what counts is its descriptor at the deadline. Disarm
  /// before the socket is closed or handed to another thread.
  Guard arm(const Poco::Net::Socket& socket, TimePoint deadline);

  /// Moves every deadline to now, for sockets watched now and armed later alike: each blocked
  /// call returns at once and its guard reports fired. For abandoning all calls at shutdown;
  /// irreversible.
  void fireAll();

 private:
  struct Entry {
    TimePoint deadline;
    Poco::Net::Socket socket;
    bool fired = false;
  };

  bool release(std::uint64_t id);
  void run();

  std::mutex mutex_;
  std::condition_variable changed_;
  std::map<std::uint64_t, Entry> entries_;
  std::uint64_t nextId_ = 1;
  TimePoint wakeAt_ = TimePoint::min();  // when the thread wakes next; min until it first waits
  bool firingAll_ = false;               // fireAll() was called
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace chathost::host
