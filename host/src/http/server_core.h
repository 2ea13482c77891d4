#pragma once
// What the HTTP server's connections share, free of networking types: the options, the handler
// and how it is called, the server's own error answers, the count of requests in flight (for a
// graceful stop) and the registry of open connections (to close them at stop).

#include <chathost/sdk/http.h>
#include <chathost/sdk/logger.h>
#include <chathost/sdk/status.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "http/handler_pool.h"
#include "http/http_server.h"
#include "http/request_framing.h"

namespace chathost::host {

class Connection;

struct ServerCore {
  using Clock = std::chrono::steady_clock;

  ServerCore(HttpServerOptions o, HttpServer::Handler h, sdk::Logger& l);

  /// A request the server itself refuses (before or around the handler), logged like the
  /// router's failures. The message is shown as it is (the server's own, never the request's).
  sdk::Response refuse(const sdk::Status& status, std::string_view method, std::string_view path,
                       Clock::time_point start);
  /// The handler's answer; an exception it throws becomes a logged 500 envelope.
  sdk::Response serve(sdk::Request& request, const char* method, Clock::time_point start);

  void beginFlight();
  void endFlight();
  /// Waits until no request is in flight, at most `grace`.
  void waitForFlights(std::chrono::milliseconds grace);

  /// Returns how many connections are open with this one.
  std::size_t registerConnection(Connection* raw, std::weak_ptr<Connection> weak);
  void unregisterConnection(Connection* raw);
  std::vector<std::shared_ptr<Connection>> openConnections();
  /// Waits until every connection is gone, at most `timeout`.
  void waitForNoConnections(std::chrono::milliseconds timeout);

  const HttpServerOptions options;
  const HttpServer::Handler handler;
  HttpServer::InlineHandler inlineHandler;  // set before the server starts; may be empty
  sdk::Logger& logger;
  FramingLimits limits;
  std::atomic<bool> stopping{false};
  std::unique_ptr<HandlerPool> pool;  // created by start()

 private:
  std::mutex flightMutex_;
  std::condition_variable flightDone_;
  int inFlight_ = 0;  // requests handed to a handler whose answer has not left yet

  std::mutex connectionsMutex_;
  std::condition_variable connectionsGone_;
  std::unordered_map<Connection*, std::weak_ptr<Connection>> connections_;
};

}  // namespace chathost::host
