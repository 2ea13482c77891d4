#include <chathost/meta/graph_errors.h>

#include <gtest/gtest.h>

#include <vector>

using namespace chathost::meta;
using chathost::sdk::ErrorCode;

namespace {
GraphError withCode(int code, int subcode = 0, int http = 400) {
  GraphError e;
  e.httpStatus = http;
  e.code = code;
  e.subcode = subcode;
  e.message = "msg";
  return e;
}
}  // namespace

TEST(GraphErrors, ParsesTheErrorBody) {
  auto e = parseGraphError(400, R"({"error":{"message":"Invalid OAuth access token.",
    "type":"OAuthException","code":190,"error_subcode":463,"fbtrace_id":"AbC"}})");
  EXPECT_EQ(e.code, 190);
  EXPECT_EQ(e.subcode, 463);
  EXPECT_EQ(e.message, "Invalid OAuth access token.");
  EXPECT_EQ(e.type, "OAuthException");
  EXPECT_EQ(e.fbtraceId, "AbC");
  auto junk = parseGraphError(503, "<html>");
  EXPECT_EQ(junk.code, 0);
  EXPECT_NE(junk.message.find("503"), std::string::npos);
}

TEST(GraphErrors, ClassifiesPerTheFactsTable) {
  for (int code : {1, 2, 4, 17, 32, 341, 613, 80002, 80006})
    EXPECT_EQ(classify(withCode(code)), GraphErrorClass::kRetryable) << code;
  EXPECT_EQ(classify(withCode(0, 0, 500)), GraphErrorClass::kRetryable);
  EXPECT_EQ(classify(transportError(true, "")), GraphErrorClass::kRetryable);
  EXPECT_EQ(classify(transportError(false, "refused")), GraphErrorClass::kRetryable);
  for (int sub : {0, 458, 460, 463})
    EXPECT_EQ(classify(withCode(190, sub)), GraphErrorClass::kReauth);
  for (int code : {10, 100, 200, 230, 551})
    EXPECT_EQ(classify(withCode(code)), GraphErrorClass::kPermanent) << code;
  EXPECT_EQ(classify(withCode(10, 2018278)), GraphErrorClass::kPermanent);
}

TEST(GraphErrors, MapsToContractCodesWithMeta) {
  auto auth = toStatus(withCode(190, 460), "send", "Instagram");
  EXPECT_EQ(auth.code(), ErrorCode::kAuthFailed);
  EXPECT_EQ(auth.message().rfind("Instagram authentication failed. Please reconnect.", 0), 0u);
  EXPECT_EQ(toStatus(withCode(190), "send", "Messenger").message().rfind("Messenger ", 0), 0u);
  for (int code : {4, 17, 32, 613, 80002, 80006})
    EXPECT_EQ(toStatus(withCode(code), "send", "Instagram").code(), ErrorCode::kRateLimited)
        << code;
  EXPECT_EQ(toStatus(withCode(0, 0, 429), "send", "Instagram").code(), ErrorCode::kRateLimited);
  auto other = toStatus(withCode(100, 2018001), "send the message", "Instagram");
  EXPECT_EQ(other.code(), ErrorCode::kApiError);
  EXPECT_NE(other.message().find("msg"), std::string::npos);
  EXPECT_EQ(toStatus(transportError(true, ""), "x", "Instagram").code(), ErrorCode::kApiError);

  GraphError e = withCode(10, 2018278);
  e.fbtraceId = "trace\"1";
  EXPECT_EQ(
      graphErrorMetaJson(e),
      R"({"graphError":{"code":10,"subcode":2018278,"message":"msg","fbtraceId":"trace\"1"}})");
  EXPECT_EQ(toStatus(e, "x", "Instagram").metaJson(), graphErrorMetaJson(e));
}

TEST(GraphErrors, SendOutcomesFollowTheClassification) {
  using Kind = chathost::sdk::SendResult::Kind;
  struct Case {
    GraphError error;
    Kind kind;
  };
  for (const auto& [error, kind] : std::vector<Case>{
           {withCode(4), Kind::kThrottled},
           {withCode(17), Kind::kThrottled},
           {withCode(32), Kind::kThrottled},
           {withCode(613), Kind::kThrottled},
           {withCode(80002), Kind::kThrottled},
           {withCode(0, 0, 429), Kind::kThrottled},
           {withCode(1), Kind::kRetry},
           {withCode(2), Kind::kRetry},
           {withCode(0, 0, 500), Kind::kRetry},
           {transportError(true, ""), Kind::kRetry},
           {transportError(false, "reset"), Kind::kRetry},
           {withCode(190, 463, 401), Kind::kReauth},
           {withCode(190, 0, 500), Kind::kReauth},
           {withCode(10), Kind::kPermanent},
           {withCode(10, 2018108), Kind::kPermanent},
           {withCode(1200), Kind::kRetry},
           {withCode(100, 2018001), Kind::kPermanent},
           {withCode(200), Kind::kPermanent},
           {withCode(551, 1545041), Kind::kPermanent},
       }) {
    auto r = toSendResult(error, "Instagram");
    EXPECT_EQ(r.kind, kind) << describe(error);
    EXPECT_EQ(r.error, describe(error));
    EXPECT_EQ(r.errorMetaJson, graphErrorMetaJson(error));
    EXPECT_TRUE(r.messageId.empty());
  }
}

TEST(GraphErrors, AClosedMessagingWindowIsItsOwnOutcomeExplainedInWords) {
  auto r = toSendResult(withCode(10, 2018278), "Messenger");
  EXPECT_EQ(r.kind, chathost::sdk::SendResult::Kind::kOutsideWindow);
  EXPECT_EQ(r.error.rfind("outside the messaging window: ", 0), 0u) << r.error;
  EXPECT_NE(r.error.find("Messenger accepts messages only within 24 hours"), std::string::npos);
  EXPECT_NE(r.error.find("HUMAN_AGENT"), std::string::npos);
  EXPECT_NE(r.error.find("(Graph error 10/2018278: msg)"), std::string::npos);
  EXPECT_EQ(r.errorMetaJson, graphErrorMetaJson(withCode(10, 2018278)));
  EXPECT_TRUE(isOutsideWindow(withCode(10, 2018278)));
  EXPECT_TRUE(isOutsideWindow(withCode(10, 2018065)));  // Messenger
  EXPECT_TRUE(isOutsideWindow(withCode(10, 2534022)));  // Instagram Login
  EXPECT_EQ(toSendResult(withCode(10, 2534022), "Instagram").kind,
            chathost::sdk::SendResult::Kind::kOutsideWindow);
  EXPECT_FALSE(isOutsideWindow(withCode(100, 2018278)));
  EXPECT_FALSE(isOutsideWindow(withCode(10, 0)));
}

TEST(GraphErrors, ParsesTheOauthEndpointsFlatErrorBody) {
  auto e = parseGraphError(
      400,
      R"({"error_type":"OAuthException","code":400,"error_message":"Invalid authorization code"})");
  EXPECT_EQ(e.httpStatus, 400);
  EXPECT_EQ(e.code, 400);
  EXPECT_EQ(e.type, "OAuthException");
  EXPECT_EQ(e.message, "Invalid authorization code");
  EXPECT_EQ(classify(e), GraphErrorClass::kPermanent);
}
