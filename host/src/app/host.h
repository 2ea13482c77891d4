#pragma once
// The running host: builds every service from the config in dependency order, starts plugins and
// the HTTP server, and tears everything down in reverse.

#include <chathost/sdk/logger.h>
#include <chathost/sdk/status.h>

#include <memory>
#include <string>
#include <vector>

namespace chathost::host {

struct HostConfig;

class Host {
 public:
  /// Builds and starts everything; on failure, whatever was started is stopped again and the
  /// Status says what failed, in one line per problem.
  /// `logger` must outlive the Host.
  static sdk::Result<std::unique_ptr<Host>> start(const HostConfig& config, sdk::Logger& logger,
                                                  const std::string& executablePath);
  ~Host();

  /// The port the HTTP server is bound to.
  int port() const;
  /// "METHOD /pattern" of every route, host's and plugins', in the order they were added.
  std::vector<std::string> routes() const;
  /// The routes /api/openapi.json has no description for, as "METHOD /pattern (operation)".
  std::vector<std::string> undescribedRoutes() const;
  /// Graceful shutdown: stop accepting, finish in-flight requests, drain workers (unfinished
  /// events stay in the inbox), stop and unload plugins, close storage. Idempotent.
  void stop();

  Host(const Host&) = delete;
  Host& operator=(const Host&) = delete;

 private:
  struct Impl;
  explicit Host(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace chathost::host
