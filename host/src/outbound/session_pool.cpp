#include "outbound/session_pool.h"

#include <Poco/Exception.h>
#include <Poco/Net/Socket.h>
#include <Poco/Timespan.h>

namespace chathost::host {

namespace {

// An idle keep-alive connection has nothing to read: readable means the server closed it (or
// sent something unasked), so it must not carry a request.
bool looksOpen(Poco::Net::HTTPClientSession& session) {
  try {
    if (!session.connected()) return false;
    return !session.socket().poll(Poco::Timespan(0), Poco::Net::Socket::SELECT_READ);
  } catch (const Poco::Exception&) {
    return false;
  }
}

}  // namespace

SessionPool::Session SessionPool::takeIdle(const std::string& origin) {
  while (true) {
    Session session;
    {
      std::lock_guard lock(mutex_);
      auto it = idle_.find(origin);
      if (it == idle_.end() || it->second.empty()) return nullptr;
      session = std::move(it->second.back());
      it->second.pop_back();
    }
    if (looksOpen(*session)) return session;
  }
}

void SessionPool::putIdle(const std::string& origin, Session session) {
  std::lock_guard lock(mutex_);
  auto& sessions = idle_[origin];
  if (sessions.size() < maxIdlePerOrigin_) sessions.push_back(std::move(session));
}

std::size_t SessionPool::idleCount(const std::string& origin) const {
  std::lock_guard lock(mutex_);
  auto it = idle_.find(origin);
  return it == idle_.end() ? 0 : it->second.size();
}

}  // namespace chathost::host
