#include "http/server_core.h"

#include "http/envelope.h"

namespace chathost::host {
namespace {
constexpr const char* kServerOperation = "http";
}  // namespace

ServerCore::ServerCore(HttpServerOptions o, HttpServer::Handler h, sdk::Logger& l)
    : options(std::move(o)), handler(std::move(h)), logger(l) {
  limits.maxBodyBytes = options.maxBodyBytes;
}

sdk::Response ServerCore::refuse(const sdk::Status& status, std::string_view method,
                                 std::string_view path, Clock::time_point start) {
  const auto ms =
      std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - start).count();
  const std::string operationId = newOperationId();
  sdk::Response r = renderErrorAsIs(status, kServerOperation, operationId, ms);
  r.headers.emplace_back("X-Operation-Id", operationId);
  const auto level = r.status >= 500 ? sdk::LogLevel::kError : sdk::LogLevel::kWarning;
  if (logger.enabled(level))
    logger.log(level, "request failed",
               {{"operationId", operationId},
                {"operation", kServerOperation},
                {"method", std::string(method)},
                {"path", std::string(path)},
                {"status", std::to_string(r.status)},
                {"code", sdk::errorCodeName(status.code())},
                {"durationMs", std::to_string(ms)},
                {"error", status.message()}});
  return r;
}

sdk::Response ServerCore::serve(sdk::Request& request, const char* method,
                                Clock::time_point start) {
  try {
    return handler(request);
  } catch (const std::exception& e) {
    return refuse(sdk::Status::internal(std::string("request handler threw: ") + e.what()), method,
                  request.path, start);
  } catch (...) {
    return refuse(sdk::Status::internal("request handler threw"), method, request.path, start);
  }
}

void ServerCore::beginFlight() {
  std::lock_guard lock(flightMutex_);
  ++inFlight_;
}

void ServerCore::endFlight() {
  std::lock_guard lock(flightMutex_);
  if (--inFlight_ == 0) flightDone_.notify_all();
}

void ServerCore::waitForFlights(std::chrono::milliseconds grace) {
  std::unique_lock lock(flightMutex_);
  flightDone_.wait_for(lock, grace, [&] { return inFlight_ == 0; });
}

std::size_t ServerCore::registerConnection(Connection* raw, std::weak_ptr<Connection> weak) {
  std::lock_guard lock(connectionsMutex_);
  connections_.emplace(raw, std::move(weak));
  return connections_.size();
}

void ServerCore::unregisterConnection(Connection* raw) {
  std::lock_guard lock(connectionsMutex_);
  connections_.erase(raw);
  if (connections_.empty()) connectionsGone_.notify_all();
}

std::vector<std::shared_ptr<Connection>> ServerCore::openConnections() {
  std::vector<std::shared_ptr<Connection>> out;
  std::lock_guard lock(connectionsMutex_);
  out.reserve(connections_.size());
  for (auto& [raw, weak] : connections_)
    if (auto c = weak.lock()) out.push_back(std::move(c));
  return out;
}

void ServerCore::waitForNoConnections(std::chrono::milliseconds timeout) {
  std::unique_lock lock(connectionsMutex_);
  connectionsGone_.wait_for(lock, timeout, [&] { return connections_.empty(); });
}

}  // namespace chathost::host
