#include "outbound/poco_http_client.h"

#include "outbound/deadline_watchdog.h"
#include "outbound/egress_guard.h"
#include "outbound/http_target.h"
#include "outbound/session_pool.h"

#include <Poco/Exception.h>
#include <Poco/Net/Context.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/HTTPSClientSession.h>
#include <Poco/Net/NetException.h>
#include <Poco/Net/SecureStreamSocket.h>
#include <Poco/Timespan.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <istream>
#include <ostream>

namespace chathost::host {

namespace {

using SteadyClock = std::chrono::steady_clock;

const char* const kAbandoned = "abandoned: the host is shutting down";

Poco::Timespan millis(std::int64_t ms) {
  return Poco::Timespan(ms * 1000);
}

// How one attempt ended, with what the retry rule needs to know.
struct Attempt {
  sdk::Result<sdk::HttpResponse> result = sdk::Status::internal("http client: not attempted");
  bool reusedConnection = false;
  bool serverClosedEarly = false;  // the connection died before any byte of the response
};

bool sendsBody(const sdk::HttpRequest& request) {
  return !request.body.empty() || request.method == sdk::Method::kPost ||
         request.method == sdk::Method::kPut || request.method == sdk::Method::kPatch;
}

}  // namespace

struct PocoHttpClient::Impl {
  explicit Impl(HttpClientOptions opts)
      : options(std::move(opts)),
        pool(static_cast<std::size_t>(std::max(0, options.maxIdlePerOrigin))) {
    try {
      // Created once: loading the CA store is costly. Peer and host name are verified.
      tls = new Poco::Net::Context(Poco::Net::Context::TLS_CLIENT_USE, "", "", "",
                                   Poco::Net::Context::VERIFY_RELAXED, 9, true);
    } catch (const Poco::Exception& e) {
      tlsError = "TLS unavailable: " + e.displayText();
    }
  }

  // A new, unconnected session to `target`, or to the address the egress guard vetted for it.
  sdk::Result<SessionPool::Session> newSession(const HttpTarget& target) {
    std::string connectTo = target.host;
    if (options.egress) {
      auto address = options.egress->addressFor(target.host);
      if (!address) return address.status();
      connectTo = address->toString();  // numeric: Poco connects without resolving again
    }
    SessionPool::Session session;
    const auto port = static_cast<Poco::UInt16>(target.port);
    if (target.scheme == "https") {
      session = std::make_unique<Poco::Net::HTTPSClientSession>(connectTo, port, tls);
      Poco::Net::SecureStreamSocket secure(session->socket());
      // SNI and the certificate check use the URL's host name, not the address connected to.
      secure.setPeerHostName(target.host);
      // Handshake on first write rather than inside connect: only then does the socket expose the
      // descriptor the deadline watchdog needs while the handshake runs.
      secure.setLazyHandshake(true);
    } else {
      session = std::make_unique<Poco::Net::HTTPClientSession>(connectTo, port);
    }
    session->setKeepAlive(true);
    return session;
  }

  Attempt attempt(const HttpTarget& target, const sdk::HttpRequest& request,
                  SteadyClock::time_point deadline, bool freshConnection) {
    Attempt out;
    auto remainingMs = [&] {
      return std::chrono::duration_cast<std::chrono::milliseconds>(deadline - SteadyClock::now())
          .count();
    };
    auto failure = [&](sdk::ErrorCode code, const std::string& why) {
      return sdk::Status(
          code, std::string(methodName(request.method)) + " " + target.describe() + ": " + why);
    };
    auto timedOut = [&] {
      return failure(sdk::ErrorCode::kTimeout,
                     "no complete response within " + std::to_string(request.timeoutMs) + " ms");
    };
    // The watchdog fires for a deadline or for abortAll(); the caller learns which.
    auto cutShort = [&] {
      return aborted ? failure(sdk::ErrorCode::kUnavailable, kAbandoned) : timedOut();
    };

    if (target.scheme == "https" && tls.isNull()) {
      out.result = failure(sdk::ErrorCode::kUnavailable, tlsError);
      return out;
    }
    SessionPool::Session session;
    if (!freshConnection) session = pool.takeIdle(target.origin());
    out.reusedConnection = session != nullptr;
    if (!session) {
      auto created = newSession(target);
      if (!created) {
        out.result = failure(created.status().code(), created.status().message());
        return out;
      }
      session = std::move(*created);
    }
    auto guard = watchdog.arm(session->socket(), deadline);

    enum class Phase { kSending, kAwaitingResponse, kReadingBody } phase = Phase::kSending;
    try {
      std::int64_t left = remainingMs();
      if (left <= 0) {
        out.result = timedOut();
        return out;
      }
      session->setTimeout(millis(std::min<std::int64_t>(options.connectTimeoutMs, left)),
                          millis(left), millis(left));
      if (session->connected()) {
        session->socket().setSendTimeout(millis(left));
        session->socket().setReceiveTimeout(millis(left));
      }

      Poco::Net::HTTPRequest httpRequest(methodName(request.method), target.pathAndQuery,
                                         Poco::Net::HTTPMessage::HTTP_1_1);
      // The URL's host, whatever address the session connects to.
      httpRequest.setHost(target.host, static_cast<Poco::UInt16>(target.port));
      for (const auto& [name, value] : request.headers) {
        if (!isManagedHeader(name)) httpRequest.add(name, value);
      }
      if (!httpRequest.has("User-Agent")) httpRequest.set("User-Agent", options.userAgent);
      if (!request.contentType.empty()) httpRequest.setContentType(request.contentType);
      if (sendsBody(request)) {
        httpRequest.setContentLength(static_cast<std::streamsize>(request.body.size()));
      }

      std::ostream& requestStream = session->sendRequest(httpRequest);
      // Poco sends the headers, then the body: without TCP_NODELAY the small body waits for the
      // server's delayed ACK of the headers. The connection exists only from here on.
      if (!out.reusedConnection) session->socket().setNoDelay(true);
      requestStream.exceptions(std::ios::badbit);
      requestStream.write(request.body.data(), static_cast<std::streamsize>(request.body.size()));
      phase = Phase::kAwaitingResponse;

      left = remainingMs();
      if (left <= 0) {
        out.result = timedOut();
        return out;
      }
      session->socket().setReceiveTimeout(millis(left));
      Poco::Net::HTTPResponse httpResponse;
      std::istream& responseStream = session->receiveResponse(httpResponse);
      responseStream.exceptions(std::ios::badbit);
      phase = Phase::kReadingBody;

      sdk::HttpResponse response;
      response.status = static_cast<int>(httpResponse.getStatus());
      for (const auto& [name, value] : httpResponse) response.headers.emplace_back(name, value);
      char buffer[16384];
      while (true) {
        left = remainingMs();
        if (left <= 0) {
          out.result = timedOut();
          return out;
        }
        session->socket().setReceiveTimeout(millis(left));
        responseStream.read(buffer, sizeof buffer);
        response.body.append(buffer, static_cast<std::size_t>(responseStream.gcount()));
        if (response.body.size() > options.maxResponseBytes) {
          out.result = failure(
              sdk::ErrorCode::kUnavailable,
              "response larger than " + std::to_string(options.maxResponseBytes) + " bytes");
          return out;
        }
        if (responseStream.eof()) break;
      }
      bool fired = guard.disarm();
      if (httpResponse.getKeepAlive() && !fired) {
        pool.putIdle(target.origin(), std::move(session));
      }
      out.result = std::move(response);
      return out;
    } catch (const Poco::TimeoutException&) {
      out.result = timedOut();
    } catch (const Poco::Net::NoMessageException& e) {
      out.serverClosedEarly = true;  // the connection ended before a status line
      out.result = failure(sdk::ErrorCode::kUnavailable, e.displayText());
    } catch (const Poco::Net::ConnectionResetException& e) {
      out.serverClosedEarly = phase != Phase::kReadingBody;
      out.result = failure(sdk::ErrorCode::kUnavailable, e.displayText());
    } catch (const Poco::Exception& e) {
      // A write that fails on a reused connection means the server had already closed it.
      out.serverClosedEarly = phase == Phase::kSending && out.reusedConnection;
      out.result = failure(sdk::ErrorCode::kUnavailable, e.displayText());
    } catch (const std::exception& e) {
      out.result = failure(sdk::ErrorCode::kUnavailable, e.what());
    }
    if (guard.disarm()) {  // the watchdog cut the exchange short: whatever failed, it was time
      out.result = cutShort();
      out.serverClosedEarly = false;
    }
    return out;
  }

  HttpClientOptions options;
  std::atomic<bool> aborted{false};
  SessionPool pool;
  DeadlineWatchdog watchdog;
  Poco::Net::Context::Ptr tls;
  std::string tlsError;
};

PocoHttpClient::PocoHttpClient(HttpClientOptions options)
    : impl_(std::make_unique<Impl>(std::move(options))) {}

PocoHttpClient::~PocoHttpClient() = default;

sdk::Result<sdk::HttpResponse> PocoHttpClient::send(const sdk::HttpRequest& request) {
  try {
    auto target = parseHttpTarget(request.url);
    if (!target.isOk()) return target.status();
    if (auto headers = checkRequestHeaders(request.headers); !headers.isOk()) return headers;
    if (request.timeoutMs <= 0)
      return sdk::Status::validation("http client: timeoutMs must be > 0");
    auto deadline = SteadyClock::now() + std::chrono::milliseconds(request.timeoutMs);
    if (impl_->aborted) {
      return sdk::Status::unavailable(std::string(methodName(request.method)) + " " +
                                      target->describe() + ": " + kAbandoned);
    }

    Attempt first = impl_->attempt(*target, request, deadline, false);
    if (first.result.isOk() || impl_->aborted ||
        !mayRetryOnFreshConnection(request.method, first.reusedConnection,
                                   first.serverClosedEarly)) {
      return std::move(first.result);
    }
    return std::move(impl_->attempt(*target, request, deadline, true).result);
  } catch (const std::exception& e) {
    return sdk::Status::internal(std::string("http client: ") + e.what());
  }
}

void PocoHttpClient::abortAll() {
  impl_->aborted = true;  // before firing: a call that wakes up must see why
  impl_->watchdog.fireAll();
}

std::size_t PocoHttpClient::idleConnections(const std::string& origin) const {
  return impl_->pool.idleCount(origin);
}

}  // namespace chathost::host
