// The fakes are part of the SDK's promise to plugin authors: check the behaviour tests rely on.
#include <chathost/sdk/testing/fakes.h>
#include <chathost/sdk/testing/mocks.h>
#include <gtest/gtest.h>

using namespace chathost::sdk;
using namespace chathost::sdk::testing;

TEST(Fakes, ConfigViewImpliesMapsAndSequences) {
  FakeConfigView c{{"a", "1"}, {"m.x", "2"}, {"s.0.n", "3"}, {"s.1.n", "4"}};
  c.setNull("z");
  EXPECT_EQ(c.kind("a"), ConfigNodeKind::kScalar);
  EXPECT_EQ(c.kind("m"), ConfigNodeKind::kMap);
  EXPECT_EQ(c.kind("s"), ConfigNodeKind::kSequence);
  EXPECT_EQ(c.kind("z"), ConfigNodeKind::kNull);
  EXPECT_EQ(c.kind("nope"), ConfigNodeKind::kMissing);
  EXPECT_EQ(c.size("s"), 2u);
  EXPECT_EQ(c.keys(""), (std::vector<std::string>{"a", "m", "s", "z"}));
  EXPECT_EQ(c.getInt("a", 0), 1);
}

TEST(Fakes, RouterMatchesParams) {
  FakeRouter r;
  r.addPublicRoute(Method::kGet, "/x/:id/y", "op", [](const Request& q, const RouteContext&) {
    return Result<Response>(Response::text(200, q.param("id")));
  });
  EXPECT_EQ(r.invokePublic(Method::kGet, "/x/42/y", {})->body, "42");
  EXPECT_FALSE(r.invokePublic(Method::kGet, "/x/42", {}).isOk());
}

TEST(Fakes, HttpClientAnswersQueuedResultsInOrder) {
  FakeHttpClient http;
  http.on(Method::kGet, "http://h/a", FakeHttpClient::json(500, "{}"));
  http.on(Method::kGet, "http://h/a", FakeHttpClient::json(200, "{}"));
  http.on(Method::kGet, "http://h/p*", FakeHttpClient::json(201, "{}"));
  HttpRequest q;
  q.url = "http://h/a?x=1";
  EXPECT_EQ(http.send(q)->status, 500);
  EXPECT_EQ(http.send(q)->status, 200);
  EXPECT_EQ(http.send(q)->status, 200);
  q.url = "http://h/prefix/more";
  EXPECT_EQ(http.send(q)->status, 201);
  q.url = "http://h/other";
  EXPECT_EQ(http.send(q)->status, 404);
  EXPECT_EQ(http.requests().size(), 5u);
}

TEST(Mocks, AreUsableWithGmock) {
  MockKeyValue kv;
  EXPECT_CALL(kv, setIfAbsent("k", "v", 10)).WillOnce(::testing::Return(Result<bool>(true)));
  EXPECT_TRUE(*kv.setIfAbsent("k", "v", 10));
  MockRouter router;
  EXPECT_CALL(router, doAddAgentRoute(Method::kGet, "p", "op", ::testing::_));
  router.addAgentRoute(Method::kGet, "p", "op", [](const Request&, const RouteContext&) {
    return Result<Response>(Response{});
  });
}
