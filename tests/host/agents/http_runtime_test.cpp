#include "agents/http_runtime.h"
#include "agents/agent_busy.h"
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

sdk::HttpResponse answer(std::string body) {
  return sdk::HttpResponse{200, {}, std::move(body)};
}

TEST(HttpAgentResponse, ReadsAttachmentsBesidesOrInsteadOfText) {
  std::vector<std::string> warnings;
  auto both =
      parseHttpAgentResponse(answer(R"({"reply":"Here is the menu","attachment":{"type":"image",)"
                                    R"("url":"https://cdn.example.com/menu.png"}})"),
                             {}, &warnings);
  ASSERT_TRUE(both.isOk()) << both.status().message();
  EXPECT_EQ(both->text, "Here is the menu");
  ASSERT_EQ(both->attachments.size(), 1u);
  EXPECT_EQ(both->attachments[0].type, "image");
  EXPECT_EQ(both->attachments[0].url, "https://cdn.example.com/menu.png");

  auto only = parseHttpAgentResponse(
      answer(R"({"reply":null,"attachments":[{"type":"video","url":"http://v.example/a.mp4"},)"
             R"({"type":"file","url":"https://f.example/price.pdf","name":"ignored"}]})"),
      {}, &warnings);
  ASSERT_TRUE(only.isOk()) << only.status().message();
  EXPECT_FALSE(only->text.has_value());
  ASSERT_EQ(only->attachments.size(), 2u);
  EXPECT_EQ(only->attachments[0].type, "video");
  EXPECT_EQ(only->attachments[1].url, "https://f.example/price.pdf");
  EXPECT_TRUE(warnings.empty());
}

TEST(HttpAgentResponse, LeavesOutInvalidAttachmentsWithAWarning) {
  std::vector<std::string> warnings;
  auto r = parseHttpAgentResponse(
      answer(R"({"reply":"See these","attachment":{"type":"sticker","url":"https://a/1"},)"
             R"("attachments":[{"type":"image","url":"https://a/2.png"},)"
             R"({"type":"image","url":"ftp://a/3.png"},{"type":"audio","url":"https://a/x y.mp3"},)"
             R"({"type":"image","url":"/relative.png"},"https://a/5.png",)"
             R"({"type":"audio","url":"https://a/6.mp3"},{"type":"file","url":"https://a/7"},)"
             R"({"type":"file","url":"https://a/8"},{"type":"file","url":"https://a/9"}]})"),
      {}, &warnings);
  ASSERT_TRUE(r.isOk()) << r.status().message();
  EXPECT_EQ(r->text, "See these");
  std::vector<std::string> urls;
  for (const auto& a : r->attachments) urls.push_back(a.url);
  EXPECT_EQ(urls, (std::vector<std::string>{"https://a/2.png", "https://a/6.mp3", "https://a/7",
                                            "https://a/8"}));
  ASSERT_EQ(warnings.size(), 6u);
  EXPECT_EQ(warnings[0], "attachment.type must be one of image, video, audio, file; left out");
  EXPECT_NE(warnings[1].find("attachments[1].url must be an absolute http:// or https:// URL"),
            std::string::npos)
      << warnings[1];
  EXPECT_NE(warnings[2].find("attachments[2].url must not contain spaces"), std::string::npos)
      << warnings[2];
  EXPECT_NE(warnings[3].find("attachments[3].url"), std::string::npos) << warnings[3];
  EXPECT_NE(warnings[4].find("attachments[4] must be an object {type, url}"), std::string::npos)
      << warnings[4];
  EXPECT_NE(warnings[5].find("attachments[8] left out: a reply carries at most 4 attachments"),
            std::string::npos)
      << warnings[5];

  warnings.clear();
  auto longUrl = "https://a/" + std::string(2048, 'x');
  auto tooLong = parseHttpAgentResponse(
      answer(R"({"attachments":{"type":"image"},"attachment":{"type":"image","url":")" + longUrl +
             R"("}})"),
      {}, &warnings);
  ASSERT_TRUE(tooLong.isOk()) << tooLong.status().message();
  EXPECT_FALSE(tooLong->text.has_value());
  EXPECT_TRUE(tooLong->attachments.empty());
  ASSERT_EQ(warnings.size(), 2u);
  EXPECT_NE(warnings[0].find("attachments must be an array"), std::string::npos) << warnings[0];
  EXPECT_NE(warnings[1].find("at most 2048 bytes"), std::string::npos) << warnings[1];
}

TEST(HttpAgentReply, PermanentRefusalsAreNotTransient) {
  ScriptedHttpClient http;
  http.respond(404, R"({"error":"no such bot"})");
  http.respond(403, R"({"message":"token tok-123456789 revoked"})");
  http.respond(429, R"({"error":"slow down"})");
  auto e = env("HOOK_TOKEN", "tok-123456789");
  auto missing = httpAgentReply(kConfig, turn(), http, e);
  EXPECT_TRUE(isAgentPermanent(missing.status()));
  EXPECT_EQ(missing.status().code(), sdk::ErrorCode::kValidation);
  EXPECT_NE(missing.status().message().find("HTTP 404: no such bot"), std::string::npos)
      << missing.status().message();
  auto revoked = httpAgentReply(kConfig, turn(), http, e);
  EXPECT_TRUE(isAgentPermanent(revoked.status()));
  EXPECT_EQ(revoked.status().code(), sdk::ErrorCode::kAuthFailed);
  EXPECT_EQ(revoked.status().message().find("tok-123456789"), std::string::npos);
  auto limited = httpAgentReply(kConfig, turn(), http, e);
  EXPECT_FALSE(isAgentPermanent(limited.status()));
  EXPECT_EQ(limited.status().code(), sdk::ErrorCode::kApiError);
}

}  // namespace
}  // namespace chathost::host
