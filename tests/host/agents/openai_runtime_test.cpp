#include "agents/openai_runtime.h"
#include "agents/agent_busy.h"
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
  // Both are the user's: one turn, as strict chat templates want.
  std::vector<std::pair<std::string, std::string>> want = {{"system", "Be kind"},
                                                           {"user", "third\n\nWhat now?"}};
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
  EXPECT_EQ(r.status().code(), sdk::ErrorCode::kAuthFailed);
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

using Roles = std::vector<std::pair<std::string, std::string>>;

Roles messagesOf(const std::string& body) {
  Roles got;
  auto messages = parse(body)->getArray("messages");
  for (unsigned i = 0; i < messages->size(); ++i) {
    auto m = messages->getObject(i);
    got.emplace_back(m->getValue<std::string>("role"), m->getValue<std::string>("content"));
  }
  return got;
}

OpenAiConfig config(int history = 10, std::string systemPrompt = "") {
  OpenAiConfig c;
  c.baseUrl = "http://fake/v1";
  c.model = "m";
  c.history = history;
  c.systemPrompt = std::move(systemPrompt);
  return c;
}

TEST(BuildChatRequest, MergesTurnsOfOneRoleAndDropsALeadingAssistantTurn) {
  // The chat opened with two replies of the account (a welcome message, say), then the user
  // wrote twice before the agent answered.
  std::vector<host::HistoryItem> history = {{"outbound", "Welcome!", 1},
                                            {"outbound", "Ask me anything.", 2},
                                            {"inbound", "hi", 3},
                                            {"inbound", "", 4},
                                            {"inbound", "are you there?", 5},
                                            {"outbound", "Yes.", 6},
                                            {"outbound", "How can I help?", 7}};
  Roles want = {{"system", "Be kind"},
                {"user", "hi\n\nare you there?"},
                {"assistant", "Yes.\n\nHow can I help?"},
                {"user", "What now?"}};
  EXPECT_EQ(messagesOf(buildChatRequest(config(10, "Be kind"), turn(history))), want);

  // Without a system prompt the first message is the user's too.
  Roles bare = {{"user", "hi\n\nare you there?"},
                {"assistant", "Yes.\n\nHow can I help?"},
                {"user", "What now?"}};
  EXPECT_EQ(messagesOf(buildChatRequest(config(), turn(history))), bare);

  // The history window is cut before shaping: here it starts at an assistant turn.
  Roles cut = {{"user", "What now?"}};
  EXPECT_EQ(messagesOf(buildChatRequest(config(2), turn(history))), cut);
  EXPECT_EQ(messagesOf(buildChatRequest(config(0), turn(history))), cut);
}

TEST(BuildChatRequest, WritesMaxTokensAndExtraBodyMembers) {
  auto parsed = parseOpenAiConfig(
      R"({"base_url":"http://fake/v1","model":"qwen","max_tokens":256,"extra_body":{"top_k":20,)"
      R"("chat_template_kwargs":{"enable_thinking":false},"stop":["</s>"],"min_p":0.05}})");
  ASSERT_TRUE(parsed.isOk()) << parsed.status().message();
  EXPECT_EQ(parsed->maxTokens, 256);
  auto body = parse(buildChatRequest(*parsed, turn()));
  EXPECT_EQ(body->getValue<std::string>("model"), "qwen");
  EXPECT_EQ(body->getValue<int>("max_tokens"), 256);
  EXPECT_EQ(body->getValue<int>("top_k"), 20);
  EXPECT_DOUBLE_EQ(body->getValue<double>("min_p"), 0.05);
  EXPECT_FALSE(body->getObject("chat_template_kwargs")->getValue<bool>("enable_thinking"));
  EXPECT_EQ(body->getArray("stop")->getElement<std::string>(0), "</s>");
  EXPECT_FALSE(body->has("stream"));

  // Without them nothing is added.
  auto plain = parse(buildChatRequest(config(), turn()));
  EXPECT_FALSE(plain->has("max_tokens"));
  EXPECT_EQ(plain->size(), 2u);  // model, messages
}

TEST(BuildChatRequest, ExtraBodyNeverRepeatsAMemberTheHostWrites) {
  // Validation refuses such configs; one stored anyway still gives one value per member.
  OpenAiConfig c = config();
  c.temperature = 0.5;
  c.maxTokens = 10;
  c.extraBody = {{"model", "\"other\""}, {"messages", "[]"},   {"stream", "true"},
                 {"temperature", "1.5"}, {"max_tokens", "99"}, {"seed", "7"}};
  std::string text = buildChatRequest(c, turn());
  for (const char* member : {"\"model\"", "\"messages\"", "\"temperature\"", "\"max_tokens\""}) {
    auto first = text.find(member);
    ASSERT_NE(first, std::string::npos) << member;
    EXPECT_EQ(text.find(member, first + 1), std::string::npos) << member << " in " << text;
  }
  EXPECT_EQ(text.find("\"stream\""), std::string::npos) << text;
  auto body = parse(text);
  EXPECT_EQ(body->getValue<std::string>("model"), "m");
  EXPECT_DOUBLE_EQ(body->getValue<double>("temperature"), 0.5);
  EXPECT_EQ(body->getValue<int>("max_tokens"), 10);
  EXPECT_EQ(body->getValue<int>("seed"), 7);
}

TEST(StripThinking, RemovesReasoningBlocksAndTrims) {
  EXPECT_EQ(stripThinking("<think>\nThe user greets me.\n</think>\n\nHello!"), "Hello!");
  EXPECT_EQ(stripThinking("  Hi <think>a</think>there<THINK>b</Think>!  "), "Hi there!");
  EXPECT_EQ(stripThinking("<think>one</think><think>two</think>Answer"), "Answer");
  // Cut by max_tokens while reasoning: nothing to send.
  EXPECT_EQ(stripThinking("\n <think>Let me think about the price"), "");
  EXPECT_EQ(stripThinking("<think>a</think> <think>still going"), "");
  // The template opened the block in the prompt: only its end is in the answer.
  EXPECT_EQ(stripThinking("the user wants a price</think>\n\nIt costs 10."), "It costs 10.");
  // Text without blocks is only trimmed; an open tag after the answer is part of it.
  EXPECT_EQ(stripThinking("\t Plain answer \r\n"), "Plain answer");
  EXPECT_EQ(stripThinking("Type <think> to start"), "Type <think> to start");
  EXPECT_EQ(stripThinking("<think></think>"), "");
  EXPECT_EQ(stripThinking(""), "");
}

TEST(OpenAiReply, StripsReasoningAndStaysSilentWhenNothingIsLeft) {
  ScriptedHttpClient http;
  http.respond(200, ok(R"("<think>They want the hours.</think>\n\nWe open at 9.")"));
  http.respond(200, ok(R"("<think>Hmm, I should")"));
  http.respond(200, ok(R"("  \n ")"));
  std::string cfg = R"({"base_url":"http://fake","model":"m"})";
  EXPECT_EQ(openAiReply(cfg, turn(), http, env({}))->text, "We open at 9.");
  for (int i = 0; i < 2; ++i) {
    auto r = openAiReply(cfg, turn(), http, env({}));
    ASSERT_TRUE(r.isOk()) << r.status().message();
    EXPECT_FALSE(r->text.has_value());
  }
}

TEST(OpenAiReply, AcceptsContentParts) {
  ScriptedHttpClient http;
  http.respond(200, ok(R"([{"type":"text","text":"Hello, "},{"type":"image_url","image_url":)"
                       R"({"url":"https://x/y.png"}},{"type":"text","text":"world."}])"));
  http.respond(200, ok(R"([{"type":"thinking","thinking":"..."},)"
                       R"({"type":"text","text":"<think>x</think> Sure."}])"));
  http.respond(200, ok(R"([{"type":"refusal","refusal":"no"}])"));
  http.respond(200, ok("[]"));
  http.respond(200, ok("42"));
  std::string cfg = R"({"base_url":"http://fake","model":"m"})";
  EXPECT_EQ(openAiReply(cfg, turn(), http, env({}))->text, "Hello, world.");
  EXPECT_EQ(openAiReply(cfg, turn(), http, env({}))->text, "Sure.");
  for (int i = 0; i < 2; ++i) {
    auto r = openAiReply(cfg, turn(), http, env({}));
    ASSERT_TRUE(r.isOk()) << r.status().message();
    EXPECT_FALSE(r->text.has_value());
  }
  auto bad = openAiReply(cfg, turn(), http, env({}));
  ASSERT_FALSE(bad.isOk());
  EXPECT_EQ(bad.status().code(), sdk::ErrorCode::kApiError);
  EXPECT_NE(bad.status().message().find("content parts"), std::string::npos);
}

TEST(OpenAiReply, PermanentRefusalsAreToldFromTransientFailures) {
  const std::string cfg = R"({"base_url":"http://fake","model":"m","api_key":")" + kKey + R"("})";
  const std::string detail = R"({"error":{"message":"model 'm' not found for key )" + kKey +
                             R"(","type":"invalid_request_error"}})";
  for (int status : {400, 401, 403, 404, 422}) {
    ScriptedHttpClient http;
    http.respond(status, detail);
    auto r = openAiReply(cfg, turn(), http, env({}));
    ASSERT_FALSE(r.isOk()) << status;
    EXPECT_TRUE(isAgentPermanent(r.status())) << status;
    EXPECT_EQ(r.status().code(), status == 401 || status == 403 ? sdk::ErrorCode::kAuthFailed
                                                                : sdk::ErrorCode::kValidation);
    const std::string msg = r.status().message();
    EXPECT_NE(msg.find("HTTP " + std::to_string(status)), std::string::npos) << msg;
    EXPECT_NE(msg.find("model 'm' not found"), std::string::npos) << msg;
    EXPECT_EQ(msg.find("0123456789SECRET"), std::string::npos) << msg;
  }
  for (int status : {408, 409, 429, 500, 502, 503}) {
    ScriptedHttpClient http;
    http.respond(status, detail);
    auto r = openAiReply(cfg, turn(), http, env({}));
    ASSERT_FALSE(r.isOk()) << status;
    EXPECT_FALSE(isAgentPermanent(r.status())) << status;
    EXPECT_EQ(r.status().code(), sdk::ErrorCode::kApiError) << status;
  }
  // Nor are transport failures, time-outs, redirects or a busy agent permanent.
  ScriptedHttpClient http;
  http.fail(sdk::ErrorCode::kTimeout, "timed out");
  http.fail(sdk::ErrorCode::kUnavailable, "connection refused");
  http.respond(307, "");
  for (int i = 0; i < 3; ++i) {
    auto r = openAiReply(cfg, turn(), http, env({}));
    ASSERT_FALSE(r.isOk());
    EXPECT_FALSE(isAgentPermanent(r.status())) << r.status().message();
  }
  EXPECT_FALSE(isAgentPermanent(agentBusy("a", 4)));
}

TEST(OpenAiReply, ReportsTokenUsage) {
  ScriptedHttpClient http;
  http.respond(200, R"({"choices":[{"message":{"content":"Hi"}}],)"
                    R"("usage":{"prompt_tokens":120,"completion_tokens":7,"total_tokens":127}})");
  http.respond(200, R"({"choices":[{"message":{"content":"<think>all reasoning</think>"}}],)"
                    R"("usage":{"prompt_tokens":50,"completion_tokens":300}})");
  http.respond(200, ok("\"no usage\""));
  std::string cfg = R"({"base_url":"http://fake","model":"m"})";
  TokenUsage usage;
  ASSERT_TRUE(openAiReply(cfg, turn(), http, env({}), &usage));
  EXPECT_EQ(usage.prompt, 120);
  EXPECT_EQ(usage.completion, 7);
  // Spent on a reply that says nothing: still reported.
  usage = {};
  auto silent = openAiReply(cfg, turn(), http, env({}), &usage);
  ASSERT_TRUE(silent.isOk());
  EXPECT_FALSE(silent->text.has_value());
  EXPECT_EQ(usage.prompt, 50);
  EXPECT_EQ(usage.completion, 300);
  usage = {};
  ASSERT_TRUE(openAiReply(cfg, turn(), http, env({}), &usage));
  EXPECT_EQ(usage.prompt, 0);
  EXPECT_EQ(usage.completion, 0);
}

}  // namespace
}  // namespace chathost::host
