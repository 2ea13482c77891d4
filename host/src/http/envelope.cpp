#include "http/envelope.h"

#include <chathost/sdk/json.h>

#include <random>

#include "http/json_members.h"

namespace chathost::host {
namespace {

using sdk::ErrorCode;

std::string defaultMessage(ErrorCode code) {
  switch (code) {
    case ErrorCode::kValidation:
      return "Invalid request";
    case ErrorCode::kUnauthorized:
      return "Missing, invalid or expired token";
    case ErrorCode::kForbidden:
      return "The token does not grant this subaccount";
    case ErrorCode::kAgentNotFound:
      return "Agent not found";
    case ErrorCode::kNotFound:
      return "Not found";
    case ErrorCode::kPayloadTooLarge:
      return "Request body too large";
    case ErrorCode::kRateLimited:
      return "Too many requests";
    case ErrorCode::kUnavailable:
      return "Service unavailable";
    default:
      return "Request failed";
  }
}

bool isReservedMetaKey(std::string_view key) {
  return key == "operationId" || key == "operation" || key == "duration";
}

}  // namespace

int httpStatusFor(ErrorCode code) {
  switch (code) {
    case ErrorCode::kOk:
      return 200;
    case ErrorCode::kValidation:
      return 400;
    case ErrorCode::kUnauthorized:
    case ErrorCode::kAuthFailed:
      return 401;
    case ErrorCode::kForbidden:
      return 403;
    case ErrorCode::kAgentNotFound:
    case ErrorCode::kNotFound:
      return 404;
    case ErrorCode::kNotConnected:
    case ErrorCode::kAccountInUse:
    case ErrorCode::kOutsideWindow:
    case ErrorCode::kConflict:
      return 409;
    case ErrorCode::kPayloadTooLarge:
      return 413;
    case ErrorCode::kRateLimited:
      return 429;
    case ErrorCode::kApiError:
    case ErrorCode::kTimeout:
      return 502;
    case ErrorCode::kUnavailable:
      return 503;
    case ErrorCode::kInternal:
      return 500;
  }
  return 500;
}

sdk::Response renderError(const sdk::Status& status, const std::string& operation,
                          const std::string& operationId, std::int64_t durationMs) {
  if (status.code() != ErrorCode::kUnavailable)
    return renderErrorAsIs(status, operation, operationId, durationMs);
  return renderErrorAsIs(
      sdk::Status(ErrorCode::kUnavailable,
                  "Service temporarily unavailable; retry shortly (operation " + operationId + ")",
                  status.metaJson()),
      operation, operationId, durationMs);
}

sdk::Response renderErrorAsIs(const sdk::Status& status, const std::string& operation,
                              const std::string& operationId, std::int64_t durationMs) {
  // An ok Status is a caller bug; answer it as an internal error rather than a failed success.
  const ErrorCode code = status.isOk() ? ErrorCode::kInternal : status.code();
  std::string message;
  if (code == ErrorCode::kInternal)
    message = "Internal error; see the server log for operation " + operationId;
  else
    message = status.message().empty() ? defaultMessage(code) : status.message();

  sdk::Response r;
  r.status = httpStatusFor(code);
  r.body.reserve(160 + message.size() + status.metaJson().size());
  r.body += "{\"success\":false,\"message\":";
  r.body += sdk::jsonQuote(message);
  r.body += ",\"code\":\"";
  r.body += sdk::errorCodeName(code);
  r.body += "\",\"meta\":{\"operationId\":";
  r.body += sdk::jsonQuote(operationId);
  r.body += ",\"operation\":";
  r.body += sdk::jsonQuote(operation);
  r.body += ",\"duration\":\"";
  r.body += std::to_string(durationMs < 0 ? 0 : durationMs);
  r.body += "ms\"";
  if (!status.metaJson().empty()) {
    if (auto members = splitJsonObject(status.metaJson())) {
      for (const JsonMember& m : *members) {
        if (isReservedMetaKey(m.key)) continue;
        r.body += ",\"";
        r.body += m.key;
        r.body += "\":";
        r.body += m.value;
      }
    }
  }
  r.body += "}}";
  return r;
}

std::string newOperationId() {
  thread_local std::mt19937_64 rng = [] {
    std::random_device device;
    std::seed_seq seed{device(), device(), device(), device(), device(), device()};
    return std::mt19937_64(seed);
  }();
  std::uint64_t hi = rng();
  std::uint64_t lo = rng();
  hi = (hi & 0xFFFFFFFFFFFF0FFFull) | 0x0000000000004000ull;  // version 4
  lo = (lo & 0x3FFFFFFFFFFFFFFFull) | 0x8000000000000000ull;  // RFC 4122 variant
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out(36, '-');
  std::size_t pos = 0;
  auto put = [&](std::uint64_t v, int nibbles) {
    for (int i = nibbles - 1; i >= 0; --i) {
      if (pos == 8 || pos == 13 || pos == 18 || pos == 23) ++pos;
      out[pos++] = kHex[(v >> (i * 4)) & 0xF];
    }
  };
  put(hi, 16);
  put(lo, 16);
  return out;
}

}  // namespace chathost::host
