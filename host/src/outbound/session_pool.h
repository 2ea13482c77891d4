#pragma once
// Idle keep-alive HTTP sessions, grouped by origin. Internal to the outbound module.

#include <Poco/Net/HTTPClientSession.h>

#include <cstddef>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace chathost::host {

/// Thread-safe. A session is owned by one caller between takeIdle() and putIdle().
class SessionPool {
 public:
  using Session = std::unique_ptr<Poco::Net::HTTPClientSession>;

  explicit SessionPool(std::size_t maxIdlePerOrigin) : maxIdlePerOrigin_(maxIdlePerOrigin) {}

  /// The most recently used idle session to `origin` that still looks open, or nullptr. Sessions
  /// the server has closed meanwhile (their socket reads as ready) are dropped on the way.
  Session takeIdle(const std::string& origin);
  /// Keeps `session` for reuse, or closes it when the origin already has enough idle ones.
  void putIdle(const std::string& origin, Session session);
  std::size_t idleCount(const std::string& origin) const;

 private:
  std::size_t maxIdlePerOrigin_;
  mutable std::mutex mutex_;
  std::map<std::string, std::vector<Session>> idle_;
};

}  // namespace chathost::host
