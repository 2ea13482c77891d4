#include "http/envelope.h"

#include <gtest/gtest.h>

#include <regex>
#include <set>
#include <thread>
#include <vector>

namespace chathost::host {
namespace {

using sdk::ErrorCode;

TEST(HttpStatusFor, FollowsTheContractTable) {
  EXPECT_EQ(httpStatusFor(ErrorCode::kValidation), 400);
  EXPECT_EQ(httpStatusFor(ErrorCode::kUnauthorized), 401);
  EXPECT_EQ(httpStatusFor(ErrorCode::kForbidden), 403);
  EXPECT_EQ(httpStatusFor(ErrorCode::kAgentNotFound), 404);
  EXPECT_EQ(httpStatusFor(ErrorCode::kNotFound), 404);
  EXPECT_EQ(httpStatusFor(ErrorCode::kNotConnected), 409);
  EXPECT_EQ(httpStatusFor(ErrorCode::kAccountInUse), 409);
  EXPECT_EQ(httpStatusFor(ErrorCode::kOutsideWindow), 409);
  EXPECT_EQ(httpStatusFor(ErrorCode::kConflict), 409);
  EXPECT_EQ(httpStatusFor(ErrorCode::kAuthFailed), 401);
  EXPECT_EQ(httpStatusFor(ErrorCode::kApiError), 502);
  EXPECT_EQ(httpStatusFor(ErrorCode::kPayloadTooLarge), 413);
  EXPECT_EQ(httpStatusFor(ErrorCode::kRateLimited), 429);
  EXPECT_EQ(httpStatusFor(ErrorCode::kUnavailable), 503);
  EXPECT_EQ(httpStatusFor(ErrorCode::kTimeout), 502);
  EXPECT_EQ(httpStatusFor(ErrorCode::kInternal), 500);
}

TEST(RenderError, HasTheContractShape) {
  const auto r = renderError(sdk::Status::validation("name is required"), "agents.create",
                             "11111111-2222-4333-8444-555555555555", 12);
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(r.contentType, "application/json");
  EXPECT_EQ(r.body,
            "{\"success\":false,\"message\":\"name is required\",\"code\":\"VALIDATION_ERROR\","
            "\"meta\":{\"operationId\":\"11111111-2222-4333-8444-555555555555\",\"operation\":"
            "\"agents.create\",\"duration\":\"12ms\"}}");
}

TEST(RenderError, TimeoutIsAnApiError) {
  const auto r = renderError({ErrorCode::kTimeout, "Graph API timed out"}, "op", "id", 0);
  EXPECT_EQ(r.status, 502);
  EXPECT_NE(r.body.find("\"code\":\"API_ERROR\""), std::string::npos);
  EXPECT_NE(r.body.find("Graph API timed out"), std::string::npos);
}

TEST(RenderError, AClosedMessagingWindowIsAConflictOfItsOwnCode) {
  const auto r = renderError({ErrorCode::kOutsideWindow, "Not sent: the window closed."},
                             "fakechat.send", "id", 0);
  EXPECT_EQ(r.status, 409);
  EXPECT_NE(r.body.find("\"code\":\"OUTSIDE_WINDOW\""), std::string::npos) << r.body;
  EXPECT_NE(r.body.find("Not sent: the window closed."), std::string::npos) << r.body;
}

TEST(RenderError, MergesMetaMembersButNeverOverridesOurs) {
  const sdk::Status status(ErrorCode::kApiError, "Graph says \"no\"",
                           "{\"graphError\":{\"code\":100,\"fbtraceId\":\"A\\u00e9\"},"
                           "\"operationId\":\"spoofed\",\"duration\":\"1ms\"}");
  const auto r = renderError(status, "instagram.send", "op-1", 7);
  EXPECT_EQ(r.status, 502);
  EXPECT_EQ(r.body,
            "{\"success\":false,\"message\":\"Graph says \\\"no\\\"\",\"code\":\"API_ERROR\","
            "\"meta\":{\"operationId\":\"op-1\",\"operation\":\"instagram.send\",\"duration\":"
            "\"7ms\",\"graphError\":{\"code\":100,\"fbtraceId\":\"A\\u00e9\"}}}");
}

TEST(RenderError, DropsMetaThatIsNotAnObject) {
  for (const char* meta : {"[1]", "{\"a\":", "not json"}) {
    const auto r = renderError({ErrorCode::kApiError, "x", meta}, "op", "id", 1);
    EXPECT_TRUE(r.body.ends_with("\"duration\":\"1ms\"}}")) << meta << " -> " << r.body;
  }
}

TEST(RenderError, InternalErrorsHideTheirDetail) {
  const auto r =
      renderError(sdk::Status::internal("pq: password=hunter2 at db.cpp:42"), "op", "abc", 3);
  EXPECT_EQ(r.status, 500);
  EXPECT_EQ(r.body.find("hunter2"), std::string::npos);
  EXPECT_NE(r.body.find("\"code\":\"INTERNAL_ERROR\""), std::string::npos);
  EXPECT_NE(r.body.find("Internal error; see the server log for operation abc"), std::string::npos);
}

TEST(RenderError, EmptyMessagesGetADefault) {
  const auto r = renderError({ErrorCode::kUnauthorized, ""}, "op", "id", 0);
  EXPECT_EQ(r.status, 401);
  EXPECT_EQ(r.body.find("\"message\":\"\""), std::string::npos);
}

TEST(NewOperationId, IsAVersion4UuidAndUnique) {
  const std::regex uuid("^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$");
  std::set<std::string> seen;
  for (int i = 0; i < 10000; ++i) {
    const std::string id = newOperationId();
    ASSERT_TRUE(std::regex_match(id, uuid)) << id;
    seen.insert(id);
  }
  EXPECT_EQ(seen.size(), 10000u);
}

TEST(NewOperationId, ThreadsDoNotRepeatEachOther) {
  constexpr int kThreads = 4;
  std::vector<std::vector<std::string>> ids(kThreads);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t)
    threads.emplace_back([&ids, t] {
      for (int i = 0; i < 1000; ++i) ids[t].push_back(newOperationId());
    });
  for (auto& th : threads) th.join();
  std::set<std::string> all;
  for (const auto& v : ids) all.insert(v.begin(), v.end());
  EXPECT_EQ(all.size(), static_cast<std::size_t>(kThreads * 1000));
}

}  // namespace
}  // namespace chathost::host
