#include "agents/openai_runtime.h"
#include "scripted_http_client.h"

#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <gtest/gtest.h>

#include <map>

namespace chathost::host {
namespace {

using testing::ScriptedHttpClient;

const std::string kKey = "sk-test-0123456789SECRET";

EnvLookup env(std::map<std::string, std::string> vars) {
  return [vars](const std::string& name) -> std::optional<std::string> {
    auto it = vars.find(name);
    if (it == vars.end()) return std::nullopt;
    return it->second;
  };
}

host::AgentTurn turn(std::vector<host::HistoryItem> history = {}) {
  return {"agt", "sub", "chat", "instagram", "user", "What now?", std::move(history)};
}

Poco::JSON::Object::Ptr parse(const std::string& text) {
  return Poco::JSON::Parser().parse(text).extract<Poco::JSON::Object::Ptr>();
}

std::string ok(const std::string& content) {
  return R"({"choices":[{"message":{"role":"assistant","content":)" + content + "}}]}";
}

TEST(ChatCompletionsUrl, AppendsThePathWithoutDoubleSlash) {
  EXPECT_EQ(chatCompletionsUrl("https://api.openai.com/v1"),
            "https://api.openai.com/v1/chat/completions");
  EXPECT_EQ(chatCompletionsUrl("http://127.0.0.1:8000/v1/"),
            "http://127.0.0.1:8000/v1/chat/completions");
}

TEST(OpenAiReply, SendsModelMessagesKeyAndTimeout) {
  ScriptedHttpClient http;
  http.respond(200, ok("\"Hi there\""));
  std::string config =
      R"({"base_url":"http://fake/v1/","model":"m1","api_key":"${OPENAI_KEY}",)"
      R"("system_prompt":"Be kind","history":2,"timeout_ms":1500,"temperature":0.5})";
  auto history = std::vector<host::HistoryItem>{{"inbound", "first", 1},
                                                {"outbound", "second", 2},
                                                {"inbound", "", 3},
                                                {"inbound", "third", 4}};
  auto r = openAiReply(config, turn(history), http, env({{"OPENAI_KEY", kKey}}));
  ASSERT_TRUE(r.isOk()) << r.status().message();
  EXPECT_EQ(r->text, "Hi there");

  auto requests = http.requests();
  ASSERT_EQ(requests.size(), 1u);
  const auto& req = requests[0];
  EXPECT_EQ(req.method, sdk::Method::kPost);
  EXPECT_EQ(req.url, "http://fake/v1/chat/completions");
  EXPECT_EQ(req.timeoutMs, 1500);
  EXPECT_EQ(req.contentType, "application/json");
  EXPECT_EQ(ScriptedHttpClient::header(req, "Authorization"), "Bearer " + kKey);
  auto body = parse(req.body);
  EXPECT_EQ(body->getValue<std::string>("model"), "m1");
  EXPECT_DOUBLE_EQ(body->getValue<double>("temperature"), 0.5);
  auto messages = body->getArray("messages");
  // system, the last 2 history items (the empty one is skipped), then the incoming text.
  std::vector<std::pair<std::string, std::string>> got;
  for (unsigned i = 0; i < messages->size(); ++i) {
    auto m = messages->getObject(i);
    got.emplace_back(m->getValue<std::string>("role"), m->getValue<std::string>("content"));
  }
  std::vector<std::pair<std::string, std::string>> want = {
      {"system", "Be kind"}, {"user", "third"}, {"user", "What now?"}};
  EXPECT_EQ(got, want);
}

TEST(OpenAiReply, DefaultsAndRoles) {
  ScriptedHttpClient http;
  http.respond(200, ok("\"x\""));
  std::vector<host::HistoryItem> history;
  for (int i = 0; i < 12; ++i)
    history.push_back({i % 2 ? "outbound" : "inbound", "m" + std::to_string(i), i});
  ASSERT_TRUE(
      openAiReply(R"({"base_url":"http://fake","model":"m"})", turn(history), http, env({})));
  const auto req = http.requests().at(0);
  EXPECT_EQ(req.timeoutMs, 20000);
  EXPECT_EQ(ScriptedHttpClient::header(req, "Authorization"), "");
  auto body = parse(req.body);
  EXPECT_FALSE(body->has("temperature"));
  auto messages = body->getArray("messages");
  ASSERT_EQ(messages->size(), 11u);  // 10 history items + the turn, no system prompt
  EXPECT_EQ(messages->getObject(0)->getValue<std::string>("content"), "m2");
  EXPECT_EQ(messages->getObject(0)->getValue<std::string>("role"), "user");
  EXPECT_EQ(messages->getObject(1)->getValue<std::string>("role"), "assistant");
}

TEST(OpenAiReply, EmptyOrNullContentIsNoReply) {
  ScriptedHttpClient http;
  http.respond(200, ok("\"\""));
  http.respond(200, ok("null"));
  http.respond(200, R"({"choices":[]})");
  std::string config = R"({"base_url":"http://fake","model":"m"})";
  for (int i = 0; i < 3; ++i) {
    auto r = openAiReply(config, turn(), http, env({}));
    ASSERT_TRUE(r.isOk()) << r.status().message();
    EXPECT_FALSE(r->text.has_value());
  }
}

TEST(OpenAiReply, PassesTheEndpointErrorOnWithoutTheKey) {
  ScriptedHttpClient http;
  http.respond(401, R"({"error":{"message":"Incorrect API key provided: )" + kKey +
                        R"(.","type":"invalid_request_error"}})");
  auto r = openAiReply(R"({"base_url":"http://fake","model":"m","api_key":")" + kKey + "\"}",
                       turn(), http, env({}));
  ASSERT_FALSE(r.isOk());
  EXPECT_EQ(r.status().code(), sdk::ErrorCode::kApiError);
  EXPECT_NE(r.status().message().find("HTTP 401"), std::string::npos) << r.status().message();
  EXPECT_NE(r.status().message().find("Incorrect API key provided"), std::string::npos);
  EXPECT_EQ(r.status().message().find("0123456789SECRET"), std::string::npos);
}

TEST(OpenAiReply, MapsTransportFailures) {
  ScriptedHttpClient http;
  http.fail(sdk::ErrorCode::kTimeout, "timed out");
  http.fail(sdk::ErrorCode::kUnavailable, "connection refused");
  http.respond(200, "<html>");
  http.respond(500, "oops");
  std::string config = R"({"base_url":"http://fake","model":"m","timeout_ms":250})";
  auto timeout = openAiReply(config, turn(), http, env({}));
  EXPECT_EQ(timeout.status().code(), sdk::ErrorCode::kTimeout);
  EXPECT_NE(timeout.status().message().find("250 ms"), std::string::npos);
  auto refused = openAiReply(config, turn(), http, env({}));
  EXPECT_EQ(refused.status().code(), sdk::ErrorCode::kApiError);
  EXPECT_NE(refused.status().message().find("connection refused"), std::string::npos);
  EXPECT_EQ(openAiReply(config, turn(), http, env({})).status().code(), sdk::ErrorCode::kApiError);
  auto server = openAiReply(config, turn(), http, env({}));
  EXPECT_EQ(server.status().code(), sdk::ErrorCode::kApiError);
  EXPECT_NE(server.status().message().find("HTTP 500"), std::string::npos);
}

TEST(OpenAiReply, UnsetKeyVariableIsAClearErrorAndNoCall) {
  ScriptedHttpClient http;
  auto r = openAiReply(R"({"base_url":"http://fake","model":"m","api_key":"${MISSING_KEY}"})",
                       turn(), http, env({}));
  ASSERT_FALSE(r.isOk());
  EXPECT_NE(r.status().message().find("MISSING_KEY"), std::string::npos);
  EXPECT_NE(r.status().message().find("not set"), std::string::npos);
  EXPECT_TRUE(http.requests().empty());
  ASSERT_TRUE(resolveEnvRefs("${MISSING_KEY:-fallback}", "f", env({})).isOk());
  EXPECT_EQ(*resolveEnvRefs("a-${A}-${B:-d}-$x", "f", env({{"A", "1"}})), "a-1-d-$x");
}

}  // namespace
}  // namespace chathost::host
