#pragma once
// Runs tests/fakes/graph (the fake Graph API) as a process on a free loopback port.

#include <sys/types.h>
#include <optional>
#include <string>
#include <vector>

namespace chathost::testing {

class FakeGraphProcess {
 public:
  /// `accounts`: "TOKEN:IG_ID:PAGE_ID:USERNAME[:TYPE]" each.
  static std::optional<FakeGraphProcess> start(const std::vector<std::string>& accounts,
                                               const std::string& workDir);
  FakeGraphProcess(FakeGraphProcess&& other) noexcept;
  FakeGraphProcess& operator=(FakeGraphProcess&&) = delete;
  ~FakeGraphProcess();

  std::string baseUrl() const { return "http://127.0.0.1:" + std::to_string(port_); }
  /// Texts sent through the Send API so far, in order.
  std::vector<std::string> sentTexts() const;
  /// Number of Send API calls so far.
  int sentCount() const;
  /// Queues a fault for the next `count` requests whose path contains `match`
  /// (kind: http500, http503, throttle, auth, permanent, outside_window, hang).
  void injectFault(const std::string& match, const std::string& kind, int count = 1,
                   int hangMs = 0) const;

 private:
  FakeGraphProcess(pid_t pid, int port) : pid_(pid), port_(port) {}
  pid_t pid_ = -1;
  int port_ = 0;
};

}  // namespace chathost::testing
