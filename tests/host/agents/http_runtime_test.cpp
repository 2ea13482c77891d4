#include "agents/http_runtime.h"
#include "scripted_http_client.h"

#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <gtest/gtest.h>

namespace chathost::host {
namespace {

using testing::ScriptedHttpClient;

EnvLookup env(std::string name, std::string value) {
  return [name, value](const std::string& n) -> std::optional<std::string> {
    if (n == name) return value;
    return std::nullopt;
  };
}

host::AgentTurn turn() {
  return {"agt",
          "sub",
          "chat1",
          "instagram",
          "igsid",
          "Hi \"there\"",
          {{"inbound", "earlier", 1000}, {"outbound", "answer", 2000}}};
}

const std::string kConfig =
    R"({"url":"http://fake/hook","timeout_ms":700,)"
    R"("headers":{"Authorization":"Bearer ${HOOK_TOKEN}","X-Source":"chathost"}})";

TEST(HttpAgentReply, PostsTheTurnWithHeadersAndTimeout) {
  ScriptedHttpClient http;
  http.respond(200, R"({"reply":"Hello!"})");
  auto r = httpAgentReply(kConfig, turn(), http, env("HOOK_TOKEN", "tok-123456789"));
  ASSERT_TRUE(r.isOk()) << r.status().message();
  EXPECT_EQ(r->text, "Hello!");
  const auto req = http.requests().at(0);
  EXPECT_EQ(req.method, sdk::Method::kPost);
  EXPECT_EQ(req.url, "http://fake/hook");
  EXPECT_EQ(req.timeoutMs, 700);
  EXPECT_EQ(ScriptedHttpClient::header(req, "Authorization"), "Bearer tok-123456789");
  EXPECT_EQ(ScriptedHttpClient::header(req, "X-Source"), "chathost");
  auto body = Poco::JSON::Parser().parse(req.body).extract<Poco::JSON::Object::Ptr>();
  EXPECT_EQ(body->getValue<std::string>("agentId"), "agt");
  EXPECT_EQ(body->getValue<std::string>("subaccountId"), "sub");
  EXPECT_EQ(body->getValue<std::string>("chatId"), "chat1");
  EXPECT_EQ(body->getValue<std::string>("channel"), "instagram");
  EXPECT_EQ(body->getValue<std::string>("userId"), "igsid");
  EXPECT_EQ(body->getValue<std::string>("text"), "Hi \"there\"");
  auto history = body->getArray("history");
  ASSERT_EQ(history->size(), 2u);
  EXPECT_EQ(history->getObject(1)->getValue<std::string>("direction"), "outbound");
  EXPECT_EQ(history->getObject(1)->getValue<std::string>("text"), "answer");
  EXPECT_EQ(history->getObject(1)->getValue<std::int64_t>("timestamp"), 2000);
}

TEST(HttpAgentReply, EmptyNullOrMissingReplyIsNoReply) {
  ScriptedHttpClient http;
  for (const char* body : {R"({"reply":""})", R"({"reply":null})", R"({})"})
    http.respond(200, body);
  for (int i = 0; i < 3; ++i) {
    auto r = httpAgentReply(R"({"url":"http://fake"})", turn(), http, env("", ""));
    ASSERT_TRUE(r.isOk()) << r.status().message();
    EXPECT_FALSE(r->text.has_value());
  }
  EXPECT_EQ(http.requests().at(0).timeoutMs, 20000);
}

TEST(HttpAgentReply, BadAnswersAreApiErrors) {
  ScriptedHttpClient http;
  http.respond(200, R"({"reply":42})");
  http.respond(200, "plain text");
  http.respond(503, R"({"error":"overloaded, token tok-123456789 rejected"})");
  auto config = kConfig;
  auto e = env("HOOK_TOKEN", "tok-123456789");
  auto wrongType = httpAgentReply(config, turn(), http, e);
  EXPECT_EQ(wrongType.status().code(), sdk::ErrorCode::kApiError);
  EXPECT_NE(wrongType.status().message().find("reply must be a string"), std::string::npos);
  EXPECT_EQ(httpAgentReply(config, turn(), http, e).status().code(), sdk::ErrorCode::kApiError);
  auto unavailable = httpAgentReply(config, turn(), http, e);
  EXPECT_EQ(unavailable.status().code(), sdk::ErrorCode::kApiError);
  EXPECT_NE(unavailable.status().message().find("HTTP 503: overloaded"), std::string::npos)
      << unavailable.status().message();
  EXPECT_EQ(unavailable.status().message().find("tok-123456789"), std::string::npos);
}

TEST(HttpAgentReply, RedirectsAreErrorsThatDoNotEchoTheAnswer) {
  ScriptedHttpClient http;
  http.respond(302, R"({"error":"secret page content"})");
  auto r = httpAgentReply(kConfig, turn(), http, env("HOOK_TOKEN", "tok-123456789"));
  ASSERT_FALSE(r.isOk());
  EXPECT_EQ(r.status().code(), sdk::ErrorCode::kApiError);
  EXPECT_NE(r.status().message().find("HTTP 302"), std::string::npos) << r.status().message();
  EXPECT_NE(r.status().message().find("never follow redirects"), std::string::npos);
  EXPECT_EQ(r.status().message().find("secret page content"), std::string::npos);
  EXPECT_EQ(http.requests().size(), 1u);
}

TEST(HttpAgentReply, TimeoutAndMissingVariable) {
  ScriptedHttpClient http;
  http.fail(sdk::ErrorCode::kTimeout, "deadline");
  auto timeout = httpAgentReply(kConfig, turn(), http, env("HOOK_TOKEN", "t"));
  EXPECT_EQ(timeout.status().code(), sdk::ErrorCode::kTimeout);
  EXPECT_NE(timeout.status().message().find("700 ms"), std::string::npos);
  auto missing = httpAgentReply(kConfig, turn(), http, env("OTHER", "t"));
  ASSERT_FALSE(missing.isOk());
  EXPECT_NE(missing.status().message().find("config.headers.Authorization"), std::string::npos);
  EXPECT_NE(missing.status().message().find("HOOK_TOKEN"), std::string::npos);
  EXPECT_EQ(http.requests().size(), 1u);
}

}  // namespace
}  // namespace chathost::host
