#include "http/http_server.h"

#include "common/thread_name.h"

#include <boost/asio/bind_executor.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>

#include <future>
#include <mutex>
#include <optional>
#include <thread>

#include "http/connection.h"
#include "http/server_core.h"

namespace chathost::host {
namespace {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;
using error_code = boost::system::error_code;

constexpr auto kAcceptRetry = std::chrono::milliseconds(20);
// How often deadlines are checked: the precision of the request, idle and linger time-outs.
constexpr auto kSweepInterval = std::chrono::milliseconds(50);

}  // namespace

// The listening side: one io_context run by the network threads, the acceptor on its own
// strand, and the state every connection shares (ServerCore).
struct HttpServer::Impl {
  ServerCore core;
  std::mutex stopMutex;
  bool stopped = false;
  int port = 0;

  // Declared after the core: destroyed first (connections touch the core as they end).
  asio::io_context io;
  std::optional<asio::strand<asio::io_context::executor_type>> acceptStrand;
  std::unique_ptr<tcp::acceptor> acceptor;
  std::unique_ptr<asio::steady_timer> acceptRetry;
  std::unique_ptr<asio::steady_timer> sweepTimer;
  std::vector<std::thread> ioThreads;

  Impl(HttpServerOptions o, Handler h, sdk::Logger& l, InlineHandler i)
      : core(std::move(o), std::move(h), l) {
    core.inlineHandler = std::move(i);
  }

  void accept();
  void sweep();
  void forEachConnection(void (*action)(Connection&)) {
    for (auto& c : core.openConnections()) action(*c);
  }
};

void HttpServer::Impl::sweep() {
  sweepTimer->expires_after(kSweepInterval);
  sweepTimer->async_wait(asio::bind_executor(*acceptStrand, [this](const error_code& ec) {
    if (ec || core.stopping.load()) return;
    const auto now = std::chrono::steady_clock::now();
    for (auto& c : core.openConnections()) expireConnectionIfDue(*c, now);
    sweep();
  }));
}

void HttpServer::Impl::accept() {
  acceptor->async_accept(
      asio::make_strand(io),
      asio::bind_executor(*acceptStrand, [this](const error_code& ec, tcp::socket socket) {
        if (core.stopping.load() || !acceptor->is_open()) return;
        if (ec) {
          // Out of descriptors or a connection reset before accept: retry shortly instead of
          // spinning.
          acceptRetry->expires_after(kAcceptRetry);
          acceptRetry->async_wait(asio::bind_executor(*acceptStrand, [this](const error_code& wec) {
            if (!wec && !core.stopping.load()) accept();
          }));
          return;
        }
        serveConnection(core, std::move(socket));
        accept();
      }));
}

HttpServer::HttpServer(HttpServerOptions options, Handler handler, sdk::Logger& logger,
                       InlineHandler inlineHandler)
    : impl_(std::make_unique<Impl>(std::move(options), std::move(handler), logger,
                                   std::move(inlineHandler))) {}

HttpServer::~HttpServer() {
  stop(std::chrono::milliseconds(0));
  // Handlers still running past the grace period finish here; their answers go nowhere.
  if (impl_->core.pool) impl_->core.pool->shutdown();
}

sdk::Status HttpServer::start() {
  Impl& d = *impl_;
  const HttpServerOptions& o = d.core.options;
  const std::string address = o.host + ":" + std::to_string(o.port);
  if (d.acceptor) return sdk::Status::internal("HTTP server already started");
  if (!d.core.handler) return sdk::Status::validation("HTTP server has no request handler");
  if (o.port < 0 || o.port > 65535)
    return sdk::Status::validation("server port out of range: " + std::to_string(o.port));
  if (o.threads < 1 || o.maxQueued < 1 || o.maxBodyBytes < 0 || o.ioThreads < 1 ||
      o.requestTimeoutMs < 1 || o.keepAliveTimeoutMs < 1 || o.maxConnections < 1)
    return sdk::Status::validation(
        "server threads, queue, timeouts and connection limit must be >= 1, body limit >= 0");
  try {
    error_code ec;
    const auto ip = asio::ip::make_address(o.host == "localhost" ? "127.0.0.1" : o.host, ec);
    if (ec) return sdk::Status::unavailable("cannot listen on " + address + ": not an IP address");
    d.acceptStrand.emplace(asio::make_strand(d.io));
    auto acceptor = std::make_unique<tcp::acceptor>(*d.acceptStrand);
    const tcp::endpoint endpoint(ip, static_cast<unsigned short>(o.port));
    acceptor->open(endpoint.protocol());
    // SO_REUSEADDR (restart without waiting for TIME_WAIT), never SO_REUSEPORT (two servers
    // sharing one port would silently split the traffic).
    acceptor->set_option(asio::socket_base::reuse_address(true));
    acceptor->bind(endpoint);
    acceptor->listen(1024);
    d.port = acceptor->local_endpoint().port();
    d.acceptor = std::move(acceptor);
  } catch (const std::exception& e) {
    d.acceptor.reset();
    return sdk::Status::unavailable("cannot listen on " + address + ": " + e.what());
  }
  d.acceptRetry = std::make_unique<asio::steady_timer>(*d.acceptStrand);
  d.core.pool = std::make_unique<HandlerPool>(o.threads, static_cast<std::size_t>(o.maxQueued));
  d.sweepTimer = std::make_unique<asio::steady_timer>(*d.acceptStrand);
  asio::post(*d.acceptStrand, [&d] {
    d.accept();
    d.sweep();
  });
  for (int i = 0; i < o.ioThreads; ++i)
    d.ioThreads.emplace_back([&d] {
      nameThisThread("http-io");
      auto guard = asio::make_work_guard(d.io);
      d.io.run();
    });
  return sdk::Status::ok();
}

int HttpServer::port() const {
  return impl_->port;
}

void HttpServer::stop(std::chrono::milliseconds grace) {
  Impl& d = *impl_;
  std::lock_guard stopLock(d.stopMutex);
  if (!d.acceptor || d.stopped) return;
  d.stopped = true;
  d.core.stopping.store(true);
  // No new connections: the listening socket closes at once.
  std::promise<void> closed;
  asio::post(*d.acceptStrand, [&d, &closed] {
    error_code ignored;
    d.acceptor->close(ignored);
    d.acceptRetry->cancel();
    d.sweepTimer->cancel();
    closed.set_value();
  });
  closed.get_future().wait();
  d.forEachConnection(closeConnectionIfIdle);
  d.core.waitForFlights(grace);
  // Aborts requests that outlived the grace period and whatever connection is left.
  d.forEachConnection(closeConnectionNow);
  d.core.waitForNoConnections(std::chrono::seconds(2));
  d.io.stop();
  for (auto& t : d.ioThreads)
    if (t.joinable()) t.join();
  d.ioThreads.clear();
}

}  // namespace chathost::host
