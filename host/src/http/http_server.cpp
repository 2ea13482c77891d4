#include "http/http_server.h"

#include <boost/asio/bind_executor.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/field.hpp>
#include <boost/beast/http/read.hpp>

#include <atomic>
#include <condition_variable>
#include <future>
#include <mutex>
#include <optional>
#include <thread>
#include <unordered_map>

#include "http/envelope.h"
#include "http/handler_pool.h"
#include "http/request_framing.h"
#include "http/response_wire.h"

namespace chathost::host {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = beast::http;
using tcp = asio::ip::tcp;
using Clock = std::chrono::steady_clock;

constexpr const char* kServerOperation = "http";
constexpr auto kLingerTime = std::chrono::milliseconds(500);
constexpr std::size_t kLingerBytes = 4 * 1024 * 1024;
constexpr auto kAcceptRetry = std::chrono::milliseconds(20);

std::string endpointText(const tcp::endpoint& e) {
  const std::string address = e.address().to_string();
  return (e.address().is_v6() ? "[" + address + "]" : address) + ":" + std::to_string(e.port());
}

// The client went away or we closed the socket: nothing to answer.
bool isDisconnect(const beast::error_code& ec) {
  return ec == bhttp::error::end_of_stream || ec == bhttp::error::partial_message ||
         ec == asio::error::eof || ec == asio::error::connection_reset ||
         ec == asio::error::operation_aborted || ec == asio::error::bad_descriptor ||
         ec == asio::error::broken_pipe || ec == asio::error::not_connected;
}

}  // namespace

namespace http_server_detail {
class Session;
}
using http_server_detail::Session;

struct HttpServer::Impl {
  HttpServerOptions options;
  Handler handler;
  sdk::Logger& logger;
  FramingLimits limits;

  std::atomic<bool> stopping{false};
  std::mutex flightMutex;
  std::condition_variable flightDone;
  int inFlight = 0;  // requests handed to a handler whose answer has not left yet

  std::mutex sessionsMutex;
  std::condition_variable sessionsGone;
  std::unordered_map<Session*, std::weak_ptr<Session>> sessions;

  std::mutex stopMutex;
  bool stopped = false;
  int port = 0;

  // Declared after what sessions touch in their destructors: destroyed first.
  std::unique_ptr<HandlerPool> pool;
  asio::io_context io;
  std::optional<asio::strand<asio::io_context::executor_type>> acceptStrand;
  std::unique_ptr<tcp::acceptor> acceptor;
  std::unique_ptr<asio::steady_timer> acceptRetry;
  std::vector<std::thread> ioThreads;

  Impl(HttpServerOptions o, Handler h, sdk::Logger& l)
      : options(std::move(o)), handler(std::move(h)), logger(l) {
    limits.maxBodyBytes = options.maxBodyBytes;
  }

  // A request the server itself refuses (before or around the handler), logged like the router's.
  sdk::Response refuse(const sdk::Status& status, std::string_view method, std::string_view path,
                       Clock::time_point start) {
    const auto ms =
        std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - start).count();
    const std::string operationId = newOperationId();
    // The server's own messages name the problem and never echo the request: shown as they are.
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

  sdk::Response serve(sdk::Request& request, const char* method, Clock::time_point start) {
    try {
      return handler(request);
    } catch (const std::exception& e) {
      return refuse(sdk::Status::internal(std::string("request handler threw: ") + e.what()),
                    method, request.path, start);
    } catch (...) {
      return refuse(sdk::Status::internal("request handler threw"), method, request.path, start);
    }
  }

  void endFlight() {
    std::lock_guard lock(flightMutex);
    if (--inFlight == 0) flightDone.notify_all();
  }

  std::size_t registerSession(Session* raw, std::weak_ptr<Session> weak) {
    std::lock_guard lock(sessionsMutex);
    sessions.emplace(raw, std::move(weak));
    return sessions.size();
  }
  void unregisterSession(Session* raw) {
    std::lock_guard lock(sessionsMutex);
    sessions.erase(raw);
    if (sessions.empty()) sessionsGone.notify_all();
  }
  std::vector<std::shared_ptr<Session>> liveSessions() {
    std::vector<std::shared_ptr<Session>> out;
    std::lock_guard lock(sessionsMutex);
    out.reserve(sessions.size());
    for (auto& [raw, weak] : sessions)
      if (auto s = weak.lock()) out.push_back(std::move(s));
    return out;
  }

  void accept();
  void forEachSession(void (Session::*action)());
};

namespace http_server_detail {

// One connection. Every handler of its socket and timer runs on the socket's strand; a handler
// thread hands its answer back through the same strand.
class Session : public std::enable_shared_from_this<Session> {
 public:
  Session(HttpServer::Impl& d, tcp::socket socket)
      : d_(d), socket_(std::move(socket)), timer_(socket_.get_executor()) {}

  ~Session() {
    if (counted_) d_.endFlight();
    d_.unregisterSession(this);
  }

  void start() {
    beast::error_code ec;
    socket_.set_option(tcp::no_delay(true), ec);  // small answers must not wait for Nagle
    socket_.non_blocking(true, ec);               // respondFromHandler's write never blocks
    const auto remote = socket_.remote_endpoint(ec);
    remote_ = ec ? std::string("-") : endpointText(remote);
    const std::size_t open = d_.registerSession(this, weak_from_this());
    if (open > static_cast<std::size_t>(d_.options.maxConnections)) {
      answerAndClose(sdk::Status::unavailable("The server has too many open connections"), "-",
                     "-");
      return;
    }
    startReading();
  }

  tcp::socket::executor_type executor() { return socket_.get_executor(); }

  // Stop: a connection with no request of its own in progress closes now.
  void closeIfIdle() {
    asio::post(socket_.get_executor(), [self = shared_from_this()] {
      std::lock_guard lock(self->socketMutex_);
      if (self->state_ == State::kWaiting || self->state_ == State::kReading) self->close();
    });
  }
  void closeNow() {
    asio::post(socket_.get_executor(), [self = shared_from_this()] { self->close(); });
  }

 private:
  enum class State { kWaiting, kReading, kHandling, kWriting, kClosing };

  // Fires `close` unless re-armed or cancelled first: the generation tells a stale expiry apart.
  void arm(std::chrono::milliseconds after) {
    const unsigned generation = ++timerGeneration_;
    timer_.expires_after(after);
    timer_.async_wait([self = shared_from_this(), generation](const beast::error_code& ec) {
      if (ec || generation != self->timerGeneration_) return;
      self->timedOut_ = true;
      self->close();
    });
  }
  void disarm() {
    ++timerGeneration_;
    timer_.cancel();
  }

  // After an answer: wait (idle timeout) until the next request's first byte, unless pipelined
  // bytes are already here.
  void awaitNextRequest() {
    if (buffer_.size() > 0) return startReading();
    state_ = State::kWaiting;
    arm(std::chrono::milliseconds(d_.options.keepAliveTimeoutMs));
    socket_.async_wait(tcp::socket::wait_read,
                       [self = shared_from_this()](const beast::error_code& ec) {
                         if (ec || self->state_ == State::kClosing) return self->close();
                         self->startReading();
                       });
  }

  // The whole request (headers and body) must arrive within the request timeout.
  void startReading() {
    state_ = State::kReading;
    arm(std::chrono::milliseconds(d_.options.requestTimeoutMs));
    started_ = Clock::now();
    parser_.emplace();
    applyLimits(*parser_, d_.limits);
    bhttp::async_read_header(socket_, buffer_, *parser_,
                             [self = shared_from_this()](const beast::error_code& ec, std::size_t) {
                               self->onHeader(ec);
                             });
  }

  void onHeader(const beast::error_code& ec) {
    if (ec) return onReadError(ec);
    const sdk::Status check = checkHeader(*parser_);
    if (!check) return answerAndClose(check, method(), target());
    const auto& message = parser_->get();
    const auto expect = message.find(bhttp::field::expect);
    const bool wantsContinue =
        expect != message.end() &&
        sdk::equalsIgnoreCase(std::string_view(expect->value().data(), expect->value().size()),
                              "100-continue");
    if (wantsContinue && !parser_->is_done() && message.version() >= 11) {
      asio::async_write(socket_, asio::buffer(continueLine()),
                        [self = shared_from_this()](const beast::error_code& wec, std::size_t) {
                          if (wec) return self->close();
                          self->readBody();
                        });
      return;
    }
    readBody();
  }

  void readBody() {
    if (parser_->is_done()) return dispatch();
    bhttp::async_read(socket_, buffer_, *parser_,
                      [self = shared_from_this()](const beast::error_code& ec, std::size_t) {
                        if (ec) return self->onReadError(ec);
                        self->dispatch();
                      });
  }

  void onReadError(const beast::error_code& ec) {
    if (state_ == State::kClosing || timedOut_ || isDisconnect(ec)) {
      if (timedOut_ && d_.logger.enabled(sdk::LogLevel::kDebug))
        d_.logger.log(sdk::LogLevel::kDebug, "request dropped: not complete in time",
                      {{"remote", remote_}});
      return close();
    }
    if (ec.category() != bhttp::make_error_code(bhttp::error::bad_method).category())
      return close();  // a socket error: nobody to answer
    answerAndClose(framingError(ec, d_.limits), parser_ ? method() : "-",
                   parser_ && parser_->is_header_done() ? target() : "-");
  }

  void dispatch() {
    disarm();
    state_ = State::kHandling;
    const bool keepAlive = parser_->get().keep_alive();
    const char* verb = methodLiteral();
    auto request = toSdkRequest(*parser_, remote_);
    parser_.reset();
    if (!request) return answerAndClose(request.status(), verb, "-");
    {
      std::lock_guard lock(d_.flightMutex);
      ++d_.inFlight;
    }
    counted_ = true;
    const auto start = started_;
    const bool posted = d_.pool->post([self = shared_from_this(), start, keepAlive, verb,
                                       request = std::move(request).value()]() mutable {
      sdk::Response response = self->d_.serve(request, verb, start);
      const bool keep = keepAlive && !self->d_.stopping.load(std::memory_order_relaxed);
      self->respondFromHandler(serializeResponse(response, {keep}), keep);
    });
    if (!posted) {
      counted_ = false;
      d_.endFlight();
      answerAndClose(sdk::Status::unavailable("The server is busy; retry shortly"), verb, "-");
    }
  }

  // On the handler thread. Nothing of this connection is pending while its handler runs, so the
  // handler thread writes the answer itself (non-blocking) and starts the next read: the network
  // thread is not woken just to pass the answer on. A client that does not take the whole answer
  // at once gets the rest from the network thread (a slow reader never holds a handler thread).
  void respondFromHandler(std::string wire, bool keepAlive) {
    std::lock_guard lock(socketMutex_);
    if (state_ == State::kClosing || !socket_.is_open()) return finishFlight();
    beast::error_code ec;
    std::size_t n = socket_.write_some(asio::buffer(wire), ec);
    if (ec == asio::error::would_block || ec == asio::error::try_again) {
      ec = {};
      n = 0;
    }
    if (ec) {
      finishFlight();
      return close();
    }
    if (n < wire.size()) {
      wire.erase(0, n);
      return write(std::move(wire), keepAlive);
    }
    finishFlight();
    if (keepAlive && !d_.stopping.load(std::memory_order_relaxed)) return awaitNextRequest();
    lingerClose();
  }

  void write(std::string wire, bool keepAlive) {
    if (state_ == State::kClosing) return finishFlight();
    state_ = State::kWriting;
    out_ = std::move(wire);
    asio::async_write(
        socket_, asio::buffer(out_),
        [self = shared_from_this(), keepAlive](const beast::error_code& ec, std::size_t) {
          self->finishFlight();
          if (ec) return self->close();
          if (keepAlive && !self->d_.stopping.load(std::memory_order_relaxed))
            return self->awaitNextRequest();
          self->lingerClose();
        });
  }

  void finishFlight() {
    if (!counted_) return;
    counted_ = false;
    d_.endFlight();
  }

  // An answer the server makes itself (malformed request, limits, overload): JSON envelope,
  // then the connection is closed, since what follows on it cannot be trusted.
  void answerAndClose(const sdk::Status& status, std::string_view verb, std::string_view path) {
    disarm();
    parser_.reset();
    state_ = State::kWriting;
    out_ = serializeResponse(d_.refuse(status, verb, path, started_), {false});
    asio::async_write(socket_, asio::buffer(out_),
                      [self = shared_from_this()](const beast::error_code& ec, std::size_t) {
                        if (ec) return self->close();
                        self->lingerClose();
                      });
  }

  // After the last answer the client may still be sending: stop writing, then read and drop what
  // arrives for a short while, so closing does not reset the connection under the answer.
  void lingerClose() {
    state_ = State::kClosing;
    beast::error_code ignored;
    socket_.shutdown(tcp::socket::shutdown_send, ignored);
    arm(kLingerTime);
    drain(0);
  }
  void drain(std::size_t total) {
    if (total > kLingerBytes) return close();
    sink_.resize(16 * 1024);
    socket_.async_read_some(asio::buffer(sink_), [self = shared_from_this(), total](
                                                     const beast::error_code& ec, std::size_t n) {
      if (ec) return self->close();
      self->drain(total + n);
    });
  }

  void close() {
    std::lock_guard lock(socketMutex_);
    state_ = State::kClosing;
    disarm();
    beast::error_code ignored;
    if (socket_.is_open()) {
      socket_.shutdown(tcp::socket::shutdown_both, ignored);
      socket_.close(ignored);
    }
  }

  std::string_view method() const {
    if (!parser_ || !parser_->is_header_done()) return "-";
    const auto m = parser_->get().method_string();
    return {m.data(), m.size()};
  }
  std::string_view target() const {
    if (!parser_ || !parser_->is_header_done()) return "-";
    const auto t = parser_->get().target();
    const std::string_view path(t.data(), t.size());
    return path.substr(0, path.find('?'));
  }
  // The method as a literal that outlives the parser (only supported methods reach handlers).
  const char* methodLiteral() const {
    const std::string_view m = method();
    for (const char* known : {"GET", "POST", "PUT", "PATCH", "DELETE"})
      if (m == known) return known;
    return "-";
  }

  HttpServer::Impl& d_;
  tcp::socket socket_;
  asio::steady_timer timer_;
  beast::flat_buffer buffer_;
  std::optional<RequestParser> parser_;
  std::string out_;
  std::string sink_;
  std::string remote_;
  State state_ = State::kReading;
  std::atomic<unsigned> timerGeneration_{0};  // bumped off the strand by respondFromHandler
  // Orders the handler thread's write and next read against close() from the network thread.
  std::recursive_mutex socketMutex_;
  bool timedOut_ = false;
  bool counted_ = false;  // holds one of d_.inFlight until its answer has left
  Clock::time_point started_ = Clock::now();
};

}  // namespace http_server_detail

void HttpServer::Impl::accept() {
  acceptor->async_accept(
      asio::make_strand(io),
      asio::bind_executor(*acceptStrand, [this](const beast::error_code& ec, tcp::socket socket) {
        if (stopping.load() || !acceptor->is_open()) return;
        if (ec) {
          // Out of descriptors or a connection reset before accept: retry shortly instead of
          // spinning.
          acceptRetry->expires_after(kAcceptRetry);
          acceptRetry->async_wait(
              asio::bind_executor(*acceptStrand, [this](const beast::error_code& wec) {
                if (!wec && !stopping.load()) accept();
              }));
          return;
        }
        auto session = std::make_shared<Session>(*this, std::move(socket));
        asio::post(session->executor(), [session] { session->start(); });
        accept();
      }));
}

void HttpServer::Impl::forEachSession(void (Session::*action)()) {
  for (auto& s : liveSessions()) ((*s).*action)();
}

HttpServer::HttpServer(HttpServerOptions options, Handler handler, sdk::Logger& logger)
    : impl_(std::make_unique<Impl>(std::move(options), std::move(handler), logger)) {}

HttpServer::~HttpServer() {
  stop(std::chrono::milliseconds(0));
  // Handlers still running past the grace period finish here; their answers go nowhere.
  if (impl_->pool) impl_->pool->shutdown();
}

sdk::Status HttpServer::start() {
  Impl& d = *impl_;
  const HttpServerOptions& o = d.options;
  const std::string address = o.host + ":" + std::to_string(o.port);
  if (d.acceptor) return sdk::Status::internal("HTTP server already started");
  if (!d.handler) return sdk::Status::validation("HTTP server has no request handler");
  if (o.port < 0 || o.port > 65535)
    return sdk::Status::validation("server port out of range: " + std::to_string(o.port));
  if (o.threads < 1 || o.maxQueued < 1 || o.maxBodyBytes < 0 || o.ioThreads < 1 ||
      o.requestTimeoutMs < 1 || o.keepAliveTimeoutMs < 1 || o.maxConnections < 1)
    return sdk::Status::validation(
        "server threads, queue, timeouts and connection limit must be >= 1, body limit >= 0");
  try {
    beast::error_code ec;
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
  d.pool = std::make_unique<HandlerPool>(o.threads, static_cast<std::size_t>(o.maxQueued));
  asio::post(*d.acceptStrand, [&d] { d.accept(); });
  for (int i = 0; i < o.ioThreads; ++i)
    d.ioThreads.emplace_back([&d] {
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
  d.stopping.store(true);
  // No new connections: the listening socket closes at once.
  std::promise<void> closed;
  asio::post(*d.acceptStrand, [&d, &closed] {
    beast::error_code ignored;
    d.acceptor->close(ignored);
    d.acceptRetry->cancel();
    closed.set_value();
  });
  closed.get_future().wait();
  d.forEachSession(&Session::closeIfIdle);
  {
    std::unique_lock lock(d.flightMutex);
    d.flightDone.wait_for(lock, grace, [&] { return d.inFlight == 0; });
  }
  // Aborts requests that outlived the grace period and whatever connection is left.
  d.forEachSession(&Session::closeNow);
  {
    std::unique_lock lock(d.sessionsMutex);
    d.sessionsGone.wait_for(lock, std::chrono::seconds(2), [&] { return d.sessions.empty(); });
  }
  d.io.stop();
  for (auto& t : d.ioThreads)
    if (t.joinable()) t.join();
  d.ioThreads.clear();
}

}  // namespace chathost::host
