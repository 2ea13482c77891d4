#pragma once
// Errors cross the SDK boundary as values, never as exceptions.

#include <optional>
#include <string>
#include <utility>
#include <variant>

namespace chathost::sdk {

/// The error vocabulary of the product contract (SPEC section 5); the host maps each code to its
/// HTTP status and envelope. Plain enum: safe to copy across threads.
enum class ErrorCode {
  kOk = 0,
  kValidation,       // 400 VALIDATION_ERROR
  kUnauthorized,     // 401 UNAUTHORIZED
  kForbidden,        // 403 FORBIDDEN
  kAgentNotFound,    // 404 AGENT_NOT_FOUND
  kNotFound,         // 404 NOT_FOUND
  kNotConnected,     // 409 NOT_CONNECTED
  kAccountInUse,     // 409 ACCOUNT_IN_USE
  kOutsideWindow,    // 409 OUTSIDE_WINDOW (the platform's messaging window with the user closed)
  kConflict,         // 409 CONFLICT (e.g. an id already taken)
  kAuthFailed,       // 401 AUTH_FAILED (a channel rejected the stored credentials)
  kApiError,         // 502 API_ERROR (an upstream platform failed)
  kPayloadTooLarge,  // 413 PAYLOAD_TOO_LARGE
  kRateLimited,      // 429 RATE_LIMITED
  kUnavailable,      // 503 SERVICE_UNAVAILABLE (a dependency such as storage is down)
  kTimeout,          // 504-like: an outbound call timed out (rendered as API_ERROR to clients)
  kInternal,         // 500 INTERNAL_ERROR
};

/// Stable upper-case name of a code ("VALIDATION_ERROR", ...). Pure; any thread.
inline const char* errorCodeName(ErrorCode code) {
  switch (code) {
    case ErrorCode::kOk:
      return "OK";
    case ErrorCode::kValidation:
      return "VALIDATION_ERROR";
    case ErrorCode::kUnauthorized:
      return "UNAUTHORIZED";
    case ErrorCode::kForbidden:
      return "FORBIDDEN";
    case ErrorCode::kAgentNotFound:
      return "AGENT_NOT_FOUND";
    case ErrorCode::kNotFound:
      return "NOT_FOUND";
    case ErrorCode::kNotConnected:
      return "NOT_CONNECTED";
    case ErrorCode::kAccountInUse:
      return "ACCOUNT_IN_USE";
    case ErrorCode::kOutsideWindow:
      return "OUTSIDE_WINDOW";
    case ErrorCode::kConflict:
      return "CONFLICT";
    case ErrorCode::kAuthFailed:
      return "AUTH_FAILED";
    case ErrorCode::kApiError:
      return "API_ERROR";
    case ErrorCode::kPayloadTooLarge:
      return "PAYLOAD_TOO_LARGE";
    case ErrorCode::kRateLimited:
      return "RATE_LIMITED";
    case ErrorCode::kUnavailable:
      return "SERVICE_UNAVAILABLE";
    case ErrorCode::kTimeout:
      return "API_ERROR";
    case ErrorCode::kInternal:
      return "INTERNAL_ERROR";
  }
  return "INTERNAL_ERROR";
}

/// Outcome of an operation: ok, or a code with a human message. `metaJson`, when set, is a JSON
/// object whose members the host merges into the error envelope's `meta` (e.g. `graphError`).
/// Value type: owns its strings; copy freely between threads.
class Status {
 public:
  Status() = default;
  Status(ErrorCode code, std::string message, std::string metaJson = {})
      : code_(code), message_(std::move(message)), metaJson_(std::move(metaJson)) {}

  static Status ok() { return {}; }
  static Status validation(std::string m) { return {ErrorCode::kValidation, std::move(m)}; }
  static Status notFound(std::string m) { return {ErrorCode::kNotFound, std::move(m)}; }
  static Status internal(std::string m) { return {ErrorCode::kInternal, std::move(m)}; }
  static Status unavailable(std::string m) { return {ErrorCode::kUnavailable, std::move(m)}; }

  bool isOk() const { return code_ == ErrorCode::kOk; }
  explicit operator bool() const { return isOk(); }
  ErrorCode code() const { return code_; }
  const std::string& message() const { return message_; }
  const std::string& metaJson() const { return metaJson_; }

 private:
  ErrorCode code_ = ErrorCode::kOk;
  std::string message_;
  std::string metaJson_;
};

/// A value or the Status explaining why there is none. Value type; copy/move across threads.
template <typename T>
class Result {
 public:
  Result(T value) : v_(std::move(value)) {}       // NOLINT: implicit by design
  Result(Status error) : v_(std::move(error)) {}  // NOLINT: implicit by design
  Result(ErrorCode code, std::string message) : v_(Status(code, std::move(message))) {}

  bool isOk() const { return std::holds_alternative<T>(v_); }
  explicit operator bool() const { return isOk(); }
  /// Precondition: isOk().
  T& value() & { return std::get<T>(v_); }
  const T& value() const& { return std::get<T>(v_); }
  T&& value() && { return std::get<T>(std::move(v_)); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  /// The error; Status::ok() when a value is held.
  Status status() const { return isOk() ? Status::ok() : std::get<Status>(v_); }

 private:
  std::variant<T, Status> v_;
};

}  // namespace chathost::sdk
