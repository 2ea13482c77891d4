#pragma once
// Graph API errors: parsing, classification (retry / re-auth / permanent) and the mapping to the
// product's error codes and to the SDK's send outcomes.

#include <chathost/sdk/channel.h>
#include <chathost/sdk/status.h>

#include <optional>
#include <string>
#include <string_view>

namespace chathost::meta {

/// A failed Graph call. `transport` is set when no HTTP answer arrived (`timeout` when it timed
/// out); otherwise `httpStatus` and the parsed `{"error":{...}}` members. Value type.
struct GraphError {
  int httpStatus = 0;
  int code = 0;
  int subcode = 0;
  std::string message;
  std::string type;
  std::string fbtraceId;
  bool transport = false;
  bool timeout = false;
};

/// A value or the Graph error explaining why there is none. Value type.
template <typename T>
struct GraphResult {
  std::optional<T> value;
  GraphError error;
  bool ok() const { return value.has_value(); }
};

enum class GraphErrorClass { kRetryable, kReauth, kPermanent };

/// Parses a Graph error body `{"error":{...}}`, or the OAuth endpoints' flat
/// `{"error_type","code","error_message"}`; missing members stay empty/0 and the message falls back
/// to the HTTP status. Never throws.
GraphError parseGraphError(int httpStatus, std::string_view body);

/// Code 10 / subcode 2018278, 2018065 or 2534022: the standard messaging window (24 h, or 7 days with HUMAN_AGENT)
/// with this user is closed. Retrying cannot help until the user writes again.
bool isOutsideWindow(const GraphError& error);

/// A transport failure (no answer) as a GraphError.
GraphError transportError(bool timedOut, std::string_view what);

/// Per the platform's table: 190 re-auth; throttling, transient codes, 5xx and transport failures
/// retryable; the rest permanent.
GraphErrorClass classify(const GraphError& error);

/// True for the throttling codes (4, 17, 32, 613, 80002, 80006) and HTTP 429.
bool isThrottling(const GraphError& error);

/// `{"graphError":{"code":..,"subcode":..,"message":..,"fbtraceId":..}}`.
std::string graphErrorMetaJson(const GraphError& error);

/// The contract's mapping: 190 -> AUTH_FAILED, throttling -> RATE_LIMITED, else API_ERROR; the
/// Graph error travels in the status meta. `action` names what failed ("send the message");
/// `platform` names the channel for people ("Instagram", "Messenger").
sdk::Status toStatus(const GraphError& error, std::string_view action, std::string_view platform);

/// A failed send as the host's outcome: 190 kReauth, throttling kThrottled (the host's backoff),
/// other retryable errors kRetry, a closed messaging window kOutsideWindow (its error explains the
/// window before the Graph error), the rest kPermanent; `error` = describe(), `errorMetaJson` =
/// graphErrorMetaJson(). `platform` names the channel in the window's explanation.
sdk::SendResult toSendResult(const GraphError& error, std::string_view platform);

/// One line for a message's stored error and for logs: "Graph error 10/2018278: <message>".
std::string describe(const GraphError& error);

}  // namespace chathost::meta
