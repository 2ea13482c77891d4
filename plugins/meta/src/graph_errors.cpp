#include <chathost/meta/graph_errors.h>

#include <chathost/meta/json_util.h>

#include <chathost/sdk/json.h>

#include <algorithm>
#include <array>

namespace chathost::meta {

namespace {
constexpr std::array kThrottlingCodes{4, 17, 32, 613, 80002, 80006};
// 1200: Messenger's "Temporary send message failure. Please try again later."
constexpr std::array kTransientCodes{1, 2, 341, 368, 1200};
constexpr int kTokenError = 190;
constexpr int kPermissionError = 10;
// "This message is sent outside of allowed window": 2018278 (Pages, Instagram via a Page),
// 2018065 (Messenger, naming the permission that would allow it) and 2534022 (Instagram Login,
// graph.instagram.com).
constexpr std::array kOutsideWindowSubcodes{2018278, 2018065, 2534022};

bool contains(const auto& list, int code) {
  return std::find(list.begin(), list.end(), code) != list.end();
}
}  // namespace

GraphError parseGraphError(int httpStatus, std::string_view body) {
  GraphError e;
  e.httpStatus = httpStatus;
  auto root = parseObject(body);
  if (root) {
    auto err = getObject(*root, "error");
    if (err) {
      e.code = static_cast<int>(getInt(*err, "code").value_or(0));
      e.subcode = static_cast<int>(getInt(*err, "error_subcode").value_or(0));
      e.message = getString(*err, "message").value_or("");
      e.type = getString(*err, "type").value_or("");
      e.fbtraceId = getString(*err, "fbtrace_id").value_or("");
    } else if (auto flat = getString(*root, "error_message")) {
      e.code = static_cast<int>(getInt(*root, "code").value_or(0));
      e.message = *flat;
      e.type = getString(*root, "error_type").value_or("");
    }
  }
  if (e.message.empty()) e.message = "HTTP " + std::to_string(httpStatus) + " from the Graph API";
  return e;
}

GraphError transportError(bool timedOut, std::string_view what) {
  GraphError e;
  e.transport = true;
  e.timeout = timedOut;
  e.message = timedOut ? "the Graph API did not answer in time"
                       : "the Graph API could not be reached: " + std::string(what);
  return e;
}

bool isOutsideWindow(const GraphError& error) {
  return error.code == kPermissionError && contains(kOutsideWindowSubcodes, error.subcode);
}

bool isThrottling(const GraphError& error) {
  return contains(kThrottlingCodes, error.code) || (error.code == 0 && error.httpStatus == 429);
}

GraphErrorClass classify(const GraphError& error) {
  if (error.code == kTokenError) return GraphErrorClass::kReauth;
  if (error.transport || isThrottling(error) || contains(kTransientCodes, error.code))
    return GraphErrorClass::kRetryable;
  if (error.httpStatus >= 500) return GraphErrorClass::kRetryable;
  return GraphErrorClass::kPermanent;
}

std::string graphErrorMetaJson(const GraphError& error) {
  return "{\"graphError\":{\"code\":" + std::to_string(error.code) +
         ",\"subcode\":" + std::to_string(error.subcode) +
         ",\"message\":" + sdk::jsonQuote(error.message) +
         ",\"fbtraceId\":" + sdk::jsonQuote(error.fbtraceId) + "}}";
}

sdk::Status toStatus(const GraphError& error, std::string_view action, std::string_view platform) {
  std::string meta = graphErrorMetaJson(error);
  const std::string name(platform);
  if (error.code == kTokenError)
    return {sdk::ErrorCode::kAuthFailed,
            name + " authentication failed. Please reconnect. (" + error.message + ")", meta};
  if (isThrottling(error))
    return {sdk::ErrorCode::kRateLimited,
            "The " + name + " Graph API is throttling requests; could not " + std::string(action) +
                ": " + error.message,
            meta};
  return {sdk::ErrorCode::kApiError,
          name + " Graph API error, could not " + std::string(action) + ": " + describe(error),
          meta};
}

sdk::SendResult toSendResult(const GraphError& error, std::string_view platform) {
  using Kind = sdk::SendResult::Kind;
  if (isOutsideWindow(error))
    return sdk::SendResult::failed(
        Kind::kOutsideWindow,
        "outside the messaging window: " + std::string(platform) +
            " accepts messages only within 24 hours of the user's last message (7 days for a "
            "person's reply tagged HUMAN_AGENT); the user must write again (" +
            describe(error) + ")",
        graphErrorMetaJson(error));
  Kind kind = Kind::kPermanent;
  switch (classify(error)) {
    case GraphErrorClass::kReauth:
      kind = Kind::kReauth;
      break;
    case GraphErrorClass::kRetryable:
      kind = isThrottling(error) ? Kind::kThrottled : Kind::kRetry;
      break;
    case GraphErrorClass::kPermanent:
      break;
  }
  return sdk::SendResult::failed(kind, describe(error), graphErrorMetaJson(error));
}

std::string describe(const GraphError& error) {
  if (error.transport) return error.message;
  std::string codes = std::to_string(error.code);
  if (error.subcode) codes += "/" + std::to_string(error.subcode);
  return "Graph error " + codes + ": " + error.message;
}

}  // namespace chathost::meta
