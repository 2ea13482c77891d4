#include "http/connection.h"

#include <boost/asio/post.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/field.hpp>
#include <boost/beast/http/read.hpp>

#include <atomic>
#include <memory>
#include <mutex>
#include <optional>

#include "http/request_framing.h"
#include "http/response_wire.h"
#include "http/server_core.h"

namespace chathost::host {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = beast::http;
using tcp = asio::ip::tcp;
using Clock = std::chrono::steady_clock;

constexpr auto kLingerTime = std::chrono::milliseconds(500);
constexpr std::size_t kLingerBytes = 4 * 1024 * 1024;

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

// One connection. Every completion of its socket and timer runs on the socket's strand; while a
// request is handled nothing of the connection is pending, and the handler thread writes the
// answer and starts the next read itself (respondFromHandler).
class Connection : public std::enable_shared_from_this<Connection> {
 public:
  Connection(ServerCore& d, tcp::socket socket) : d_(d), socket_(std::move(socket)) {}

  ~Connection() {
    if (counted_) d_.endFlight();
    d_.unregisterConnection(this);
  }

  void start() {
    beast::error_code ec;
    socket_.set_option(tcp::no_delay(true), ec);  // small answers must not wait for Nagle
    socket_.non_blocking(true, ec);               // respondFromHandler's write never blocks
    const auto remote = socket_.remote_endpoint(ec);
    remote_ = ec ? std::string("-") : endpointText(remote);
    const std::size_t open = d_.registerConnection(this, weak_from_this());
    if (open > static_cast<std::size_t>(d_.options.maxConnections)) {
      answerAndClose(sdk::Status::unavailable("The server has too many open connections"), "-",
                     "-");
      return;
    }
    startReading();
  }

  tcp::socket::executor_type executor() { return socket_.get_executor(); }

  // From the server's sweep: a connection past its deadline (request, idle or linger) closes.
  void expireIfDue(Clock::time_point now) {
    const Clock::rep due = deadline_.load(std::memory_order_relaxed);
    if (due == 0 || now.time_since_epoch().count() < due) return;
    asio::post(socket_.get_executor(), [self = shared_from_this()] {
      const Clock::rep due = self->deadline_.load(std::memory_order_relaxed);
      if (due == 0 || Clock::now().time_since_epoch().count() < due) return;  // re-armed since
      self->timedOut_ = true;
      self->close();
    });
  }

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

  // Deadlines are a number the server's sweep compares with the clock (expireIfDue), not a
  // timer per connection: arming one costs no system call on the request path.
  void arm(std::chrono::milliseconds after) {
    deadline_.store((Clock::now() + after).time_since_epoch().count(), std::memory_order_relaxed);
  }
  void disarm() { deadline_.store(0, std::memory_order_relaxed); }

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
    d_.beginFlight();
    counted_ = true;
    const auto start = started_;
    if (d_.inlineHandler) {
      // Answered where it was read, or later by whoever completes it: no handler thread.
      auto answer = [self = shared_from_this(), keepAlive](sdk::Response response) {
        const bool keep = keepAlive && !self->d_.stopping.load(std::memory_order_relaxed);
        self->respondFromHandler(serializeResponse(response, {keep}), keep);
      };
      if (d_.inlineHandler(*request, std::move(answer))) return;
    }
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

  // On the handler thread (or whichever completes an inline answer, the network thread
  // included). Nothing of this connection is pending while its handler runs, so the
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
    // The views may point into the parser's buffers: copied before it goes.
    const std::string verbText(verb);
    const std::string pathText(path);
    parser_.reset();
    state_ = State::kWriting;
    out_ = serializeResponse(d_.refuse(status, verbText, pathText, started_), {false});
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

  ServerCore& d_;
  tcp::socket socket_;
  beast::flat_buffer buffer_;
  std::optional<RequestParser> parser_;
  std::string out_;
  std::string sink_;
  std::string remote_;
  State state_ = State::kReading;
  std::atomic<Clock::rep> deadline_{0};  // steady-clock ticks; 0 = none (set off the strand too)
  // Orders the handler thread's write and next read against close() from the network thread.
  std::recursive_mutex socketMutex_;
  bool timedOut_ = false;
  bool counted_ = false;  // holds one of the core's flights until its answer has left
  Clock::time_point started_ = Clock::now();
};

void serveConnection(ServerCore& core, tcp::socket socket) {
  auto connection = std::make_shared<Connection>(core, std::move(socket));
  asio::post(connection->executor(), [connection] { connection->start(); });
}

void closeConnectionIfIdle(Connection& connection) {
  connection.closeIfIdle();
}

void closeConnectionNow(Connection& connection) {
  connection.closeNow();
}

void expireConnectionIfDue(Connection& connection, std::chrono::steady_clock::time_point now) {
  connection.expireIfDue(now);
}

}  // namespace chathost::host
