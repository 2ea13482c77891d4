#include "agents/agent_validation.h"

#include <gtest/gtest.h>

#include <regex>

namespace chathost::host {
namespace {

std::string createError(const std::string& body) {
  auto r = parseAgentCreate(body, "sub1");
  EXPECT_FALSE(r.isOk()) << body;
  if (r.isOk()) return {};
  EXPECT_EQ(r.status().code(), sdk::ErrorCode::kValidation);
  return r.status().message();
}

std::string configError(const std::string& type, const std::string& config) {
  auto s = validateAgentConfig(type, config);
  EXPECT_FALSE(s.isOk()) << config;
  EXPECT_EQ(s.code(), sdk::ErrorCode::kValidation);
  return s.message();
}

const char* const kOpenAi = R"("base_url":"https://api.example.com/v1","model":"gpt")";

TEST(ParseAgentCreate, AppliesDefaults) {
  auto r = parseAgentCreate(R"({"name":" Support "})", "sub1");
  ASSERT_TRUE(r.isOk()) << r.status().message();
  EXPECT_EQ(r->name, "Support");
  EXPECT_EQ(r->type, "rules");
  EXPECT_EQ(r->configJson, "{}");
  EXPECT_EQ(r->subaccountId, "sub1");
  EXPECT_TRUE(std::regex_match(r->id, std::regex("agt_[0-9a-f]{16}"))) << r->id;
  EXPECT_NE(parseAgentCreate(R"({"name":"x"})", "s")->id, r->id);
}

TEST(ParseAgentCreate, KeepsGivenFieldsAndConfigOrder) {
  auto r =
      parseAgentCreate(R"({"id":"my-agent_1","name":"A","type":"rules",)"
                       R"("config":{"rules":[{"match":"price","reply":"10 €"}],"fallback":"?"}})",
                       "s");
  ASSERT_TRUE(r.isOk()) << r.status().message();
  EXPECT_EQ(r->id, "my-agent_1");
  EXPECT_EQ(r->configJson, R"({"rules":[{"match":"price","reply":"10 €"}],"fallback":"?"})");
}

TEST(ParseAgentCreate, RejectsMalformedOrNonObjectBodies) {
  EXPECT_EQ(createError("{\"name\":").rfind("request body is not valid JSON: ", 0), 0u);
  EXPECT_EQ(createError(""), createError("")) << "stable";
  EXPECT_EQ(createError("[1,2]"), "request body must be a JSON object");
  EXPECT_EQ(createError("\"text\""), "request body must be a JSON object");
}

TEST(ParseAgentCreate, ValidatesName) {
  EXPECT_EQ(createError("{}"), "name is required");
  EXPECT_EQ(createError(R"({"name":""})"), "name must not be empty");
  EXPECT_EQ(createError(R"({"name":"   "})"), "name must not be empty");
  EXPECT_EQ(createError(R"({"name":5})"), "name must be a string");
  EXPECT_EQ(createError(R"({"name":null})"), "name must be a string");
  EXPECT_EQ(createError("{\"name\":\"" + std::string(201, 'a') + "\"}"),
            "name must be at most 200 characters");
  std::string accents;
  for (int i = 0; i < 200; ++i) accents += "é";  // 400 bytes, 200 characters
  EXPECT_TRUE(parseAgentCreate("{\"name\":\"" + accents + "\"}", "s").isOk());
}

TEST(ParseAgentCreate, ValidatesTypeIdAndConfig) {
  EXPECT_EQ(createError(R"({"name":"a","type":"gpt"})"), "type must be one of rules, openai, http");
  EXPECT_EQ(createError(R"({"name":"a","type":null})"), "type must be one of rules, openai, http");
  EXPECT_EQ(createError(R"({"name":"a","config":[]})"), "config must be an object");
  EXPECT_EQ(createError(R"({"name":"a","config":null})"), "config must be an object");
  const std::string idRule = "id must be 1-64 characters of A-Z a-z 0-9 _ -";
  EXPECT_EQ(createError(R"({"name":"a","id":""})"), idRule);
  EXPECT_EQ(createError(R"({"name":"a","id":"a b"})"), idRule);
  EXPECT_EQ(createError(R"({"name":"a","id":"a/b"})"), idRule);
  EXPECT_EQ(createError(R"({"name":"a","id":7})"), idRule);
  EXPECT_EQ(createError("{\"name\":\"a\",\"id\":\"" + std::string(65, 'x') + "\"}"), idRule);
  EXPECT_TRUE(parseAgentCreate("{\"name\":\"a\",\"id\":\"" + std::string(64, 'x') + "\"}", "s"));
  // The type's config schema applies on create.
  EXPECT_EQ(createError(R"({"name":"a","type":"openai"})"), "config.base_url is required");
}

TEST(ParseAgentCreate, NamesUnknownTopLevelFields) {
  std::string msg = createError(R"({"name":"a","colour":"red","size":1})");
  EXPECT_NE(msg.find("unknown fields colour, size"), std::string::npos) << msg;
}

TEST(ValidateRulesConfig, NamesTheOffendingField) {
  EXPECT_TRUE(validateAgentConfig("rules", "{}").isOk());
  EXPECT_EQ(configError("rules", R"({"rules":{}})"),
            "config.rules must be an array of {match, reply}");
  EXPECT_EQ(configError("rules", R"({"rules":[{"match":"a","reply":"b"},{"match":"c","reply":"d"},)"
                                 R"({"match":"","reply":"x"}]})"),
            "config.rules[2].match must be a non-empty string");
  EXPECT_EQ(configError("rules", R"({"rules":[{"reply":"x"}]})"),
            "config.rules[0].match must be a non-empty string");
  EXPECT_EQ(configError("rules", R"({"rules":[{"match":"a","reply":3}]})"),
            "config.rules[0].reply must be a string");
  EXPECT_EQ(configError("rules", R"({"rules":["hi"]})"),
            "config.rules[0] must be an object {match, reply}");
  EXPECT_EQ(configError("rules", R"({"fallback":false})"), "config.fallback must be a string");
  EXPECT_NE(configError("rules", R"({"rules":[{"match":"a","reply":"b","weight":2}]})")
                .find("unknown field config.rules[0].weight"),
            std::string::npos);
  EXPECT_NE(configError("rules", R"({"fallback":"x","model":"m"})").find("config.model"),
            std::string::npos);
}

TEST(ValidateRulesConfig, ChecksAttachments) {
  EXPECT_TRUE(
      validateAgentConfig(
          "rules",
          R"({"rules":[{"match":"menu","attachment":{"type":"image","url":"https://x/m.png"}},)"
          R"({"match":"hi","reply":"Hi","attachment":{"type":"file","url":"HTTP://x/a.pdf"}}],)"
          R"("fallback":"?","fallback_attachment":{"type":"video","url":"https://x/v.mp4"}})")
          .isOk());
  auto rule = [](const std::string& attachment) {
    return R"({"rules":[{"match":"a","reply":"b","attachment":)" + attachment + "}]}";
  };
  EXPECT_EQ(configError("rules", R"({"rules":[{"match":"a"}]})"),
            "config.rules[0] needs a reply, an attachment or both");
  EXPECT_EQ(configError("rules", rule(R"("https://x/a.png")")),
            "config.rules[0].attachment must be an object {type, url}");
  EXPECT_EQ(configError("rules", rule(R"({"url":"https://x/a.png"})")),
            "config.rules[0].attachment.type must be one of image, video, audio, file");
  EXPECT_EQ(configError("rules", rule(R"({"type":"sticker","url":"https://x/a.png"})")),
            "config.rules[0].attachment.type must be one of image, video, audio, file");
  const std::string absolute =
      "config.rules[0].attachment.url must be an absolute http:// or "
      "https:// URL";
  for (const char* url : {"null", "\"\"", "\"/a.png\"", "\"ftp://x/a\"", "\"x.example/a.png\""}) {
    EXPECT_EQ(configError("rules", rule(std::string(R"({"type":"image","url":)") + url + "}")),
              absolute)
        << url;
  }
  for (const char* url : {"\"https://\"", "\"https://:80/a\""})
    EXPECT_EQ(configError("rules", rule(std::string(R"({"type":"image","url":)") + url + "}")),
              "config.rules[0].attachment.url must name a host")
        << url;
  for (const char* url : {"https://x/a b.png", "https://x/a\\tb", "https://x/a\\u007f"}) {
    EXPECT_EQ(configError("rules", rule(std::string(R"({"type":"image","url":")") + url + "\"}")),
              "config.rules[0].attachment.url must not contain spaces or control characters")
        << url;
  }
  std::string longest = "https://x/" + std::string(2048 - 10, 'a');
  EXPECT_TRUE(
      validateAgentConfig("rules", rule(R"({"type":"image","url":")" + longest + "\"}")).isOk());
  EXPECT_EQ(configError("rules", rule(R"({"type":"image","url":")" + longest + "a\"}")),
            "config.rules[0].attachment.url must be at most 2048 bytes");
  EXPECT_NE(configError("rules", rule(R"({"type":"image","url":"https://x","alt":"menu"})"))
                .find("unknown field config.rules[0].attachment.alt"),
            std::string::npos);
  EXPECT_EQ(configError("rules", R"({"fallback_attachment":{"type":"image","url":"x"}})"),
            "config.fallback_attachment.url must be an absolute http:// or https:// URL");
  EXPECT_EQ(configError("rules", R"({"fallback_attachment":[]})"),
            "config.fallback_attachment must be an object {type, url}");
}

TEST(ValidateRulesConfig, LimitsTheNumberOfRules) {
  auto rules = [](int n) {
    std::string s = R"({"rules":[)";
    for (int i = 0; i < n; ++i) s += std::string(i ? "," : "") + R"({"match":"m","reply":"r"})";
    return s + "]}";
  };
  EXPECT_TRUE(validateAgentConfig("rules", rules(500)).isOk());
  EXPECT_EQ(configError("rules", rules(501)), "config.rules must have at most 500 rules");
}

TEST(ValidateOpenAiConfig, AcceptsACompleteConfig) {
  auto s = validateAgentConfig("openai",
                               std::string("{") + kOpenAi +
                                   R"(,"api_key":"${KEY}","system_prompt":"Be brief","history":0,)"
                                   R"("timeout_ms":100,"temperature":0.7})");
  EXPECT_TRUE(s.isOk()) << s.message();
  EXPECT_TRUE(validateAgentConfig("openai", std::string("{") + kOpenAi +
                                                R"(,"history":100,"timeout_ms":120000,)"
                                                R"("temperature":2})")
                  .isOk());
}

TEST(ValidateOpenAiConfig, NamesTheOffendingField) {
  EXPECT_EQ(configError("openai", R"({"model":"m"})"), "config.base_url is required");
  EXPECT_EQ(configError("openai", R"({"base_url":"ftp://x","model":"m"})"),
            "config.base_url must be an http(s) URL");
  EXPECT_EQ(configError("openai", R"({"base_url":"https://","model":"m"})"),
            "config.base_url must be an http(s) URL");
  EXPECT_EQ(configError("openai", R"({"base_url":"https://x"})"), "config.model is required");
  EXPECT_EQ(configError("openai", R"({"base_url":"https://x","model":""})"),
            "config.model must be a non-empty string");
  auto with = [](const std::string& extra) {
    return std::string("{") + kOpenAi + "," + extra + "}";
  };
  EXPECT_EQ(configError("openai", with(R"("api_key":12)")), "config.api_key must be a string");
  EXPECT_EQ(configError("openai", with(R"("system_prompt":[])")),
            "config.system_prompt must be a string");
  for (const char* bad : {"101", "-1", "\"10\"", "10.5", "true"}) {
    EXPECT_EQ(configError("openai", with(std::string("\"history\":") + bad)),
              "config.history must be an integer between 0 and 100");
  }
  for (const char* bad : {"99", "120001", "\"1000\""}) {
    EXPECT_EQ(configError("openai", with(std::string("\"timeout_ms\":") + bad)),
              "config.timeout_ms must be an integer between 100 and 120000 (milliseconds)");
  }
  for (const char* bad : {"2.5", "-0.1", "\"1\""}) {
    EXPECT_EQ(configError("openai", with(std::string("\"temperature\":") + bad)),
              "config.temperature must be a number between 0 and 2");
  }
  EXPECT_NE(configError("openai", with(R"("top_p":1)")).find("unknown field config.top_p"),
            std::string::npos);
}

TEST(ValidateOpenAiConfig, ChecksMaxTokensAndExtraBody) {
  auto with = [](const std::string& extra) {
    return std::string("{") + kOpenAi + "," + extra + "}";
  };
  auto ok = validateAgentConfig(
      "openai",
      with(R"("max_tokens":1,"temperature":0.2,"extra_body":{"top_k":20,)"
           R"("chat_template_kwargs":{"enable_thinking":false},"repetition_penalty":1.1})"));
  EXPECT_TRUE(ok.isOk()) << ok.message();
  EXPECT_TRUE(validateAgentConfig("openai", with(R"("max_tokens":100000,"extra_body":{})")).isOk());
  // Without the config's own key, extra_body may set it.
  EXPECT_TRUE(
      validateAgentConfig("openai", with(R"("extra_body":{"max_tokens":5,"temperature":0})"))
          .isOk());
  for (const char* bad : {"0", "100001", "-5", "1.5", "\"256\"", "null"}) {
    EXPECT_EQ(configError("openai", with(std::string("\"max_tokens\":") + bad)),
              "config.max_tokens must be an integer between 1 and 100000")
        << bad;
  }
  for (const char* bad : {"[]", "\"top_k=20\"", "5", "null"}) {
    EXPECT_EQ(configError("openai", with(std::string("\"extra_body\":") + bad)),
              "config.extra_body must be a JSON object")
        << bad;
  }
  for (const char* key : {"model", "messages", "stream"}) {
    EXPECT_EQ(
        configError("openai", with(std::string(R"("extra_body":{"top_p":1,")") + key + "\":true}")),
        std::string("config.extra_body.") + key +
            " is not allowed: the host sets model, messages and stream");
  }
  EXPECT_EQ(configError("openai", with(R"("max_tokens":10,"extra_body":{"max_tokens":20})")),
            "config.extra_body.max_tokens repeats config.max_tokens; set only one of them");
  EXPECT_EQ(configError("openai", with(R"("temperature":1,"extra_body":{"temperature":0})")),
            "config.extra_body.temperature repeats config.temperature; set only one of them");
  // 16 KiB of compact JSON at most.
  auto sized = [&with](std::size_t bytes) {
    // {"stop":"<n x>"} is 11 bytes around the string.
    return with(R"("extra_body":{"stop":")" + std::string(bytes - 11, 'x') + "\"}");
  };
  EXPECT_TRUE(validateAgentConfig("openai", sized(16384)).isOk());
  EXPECT_EQ(configError("openai", sized(16385)),
            "config.extra_body must be at most 16384 bytes of JSON");
}

TEST(ValidateHttpConfig, NamesTheOffendingField) {
  EXPECT_TRUE(validateAgentConfig("http", R"({"url":"http://127.0.0.1:9/hook","timeout_ms":500,)"
                                          R"("headers":{"Authorization":"Bearer ${T}"}})")
                  .isOk());
  EXPECT_EQ(configError("http", "{}"), "config.url is required");
  EXPECT_EQ(configError("http", R"({"url":"localhost:80"})"), "config.url must be an http(s) URL");
  EXPECT_EQ(configError("http", R"({"url":"http://x","timeout_ms":50})"),
            "config.timeout_ms must be an integer between 100 and 120000 (milliseconds)");
  EXPECT_EQ(configError("http", R"({"url":"http://x","headers":["a"]})"),
            "config.headers must be an object of strings");
  EXPECT_EQ(configError("http", R"({"url":"http://x","headers":{"X-N":1}})"),
            "config.headers.X-N must be a string");
  EXPECT_EQ(configError("http", R"({"url":"http://x","headers":{"Bad Name":"v"}})"),
            "config.headers.Bad Name is not a valid header name");
  EXPECT_EQ(configError("http", R"({"url":"http://x","headers":{"X":"a\r\nInjected: 1"}})"),
            "config.headers.X must not contain line breaks");
  EXPECT_NE(configError("http", R"({"url":"http://x","method":"GET"})").find("config.method"),
            std::string::npos);
}

TEST(ValidateAgentConfig, RejectsNonObjectsAndUnknownTypes) {
  EXPECT_EQ(configError("rules", "[]"), "config must be an object");
  EXPECT_EQ(configError("rules", "{"), configError("rules", "{"));
  EXPECT_EQ(configError("other", "{}"), "type must be one of rules, openai, http");
}

sdk::AgentInfo existing() {
  return {"agt_1",
          "sub1",
          "Old",
          "openai",
          std::string("{") + kOpenAi + R"(,"api_key":"sk-real-key-0000abcd"})",
          100,
          200};
}

TEST(ApplyAgentPatch, UpdatesOnlyGivenFields) {
  auto r = applyAgentPatch(R"({"name":"New"})", existing());
  ASSERT_TRUE(r.isOk()) << r.status().message();
  EXPECT_EQ(r->name, "New");
  EXPECT_EQ(r->type, "openai");
  EXPECT_EQ(r->configJson, existing().configJson);
  EXPECT_EQ(r->createdAt, 100);
  EXPECT_EQ(r->subaccountId, "sub1");
}

TEST(ApplyAgentPatch, ReplacesConfigAsAWholeAndValidatesTheResult) {
  auto r = applyAgentPatch(R"({"type":"rules","config":{"fallback":"hi"}})", existing());
  ASSERT_TRUE(r.isOk()) << r.status().message();
  EXPECT_EQ(r->type, "rules");
  EXPECT_EQ(r->configJson, R"({"fallback":"hi"})");

  auto bad = applyAgentPatch(R"({"type":"rules"})", existing());  // openai config kept
  ASSERT_FALSE(bad.isOk());
  EXPECT_NE(bad.status().message().find("unknown field"), std::string::npos);
}

TEST(ApplyAgentPatch, IdCannotChange) {
  EXPECT_TRUE(applyAgentPatch(R"({"id":"agt_1","name":"x"})", existing()).isOk());
  auto r = applyAgentPatch(R"({"id":"agt_2"})", existing());
  ASSERT_FALSE(r.isOk());
  EXPECT_EQ(r.status().message(), "id cannot be changed");
}

TEST(ApplyAgentPatch, RejectsBadBodies) {
  EXPECT_EQ(applyAgentPatch("nope", existing())
                .status()
                .message()
                .rfind("request body is not valid JSON: ", 0),
            0u);
  EXPECT_EQ(applyAgentPatch(R"({"name":""})", existing()).status().message(),
            "name must not be empty");
  EXPECT_NE(applyAgentPatch(R"({"createdAt":1})", existing())
                .status()
                .message()
                .find("unknown field createdAt"),
            std::string::npos);
}

TEST(ApplyAgentPatch, MaskedKeySentBackKeepsTheRealKey) {
  auto r = applyAgentPatch(
      std::string(R"({"config":{)") + kOpenAi + R"(,"api_key":"sk-...abcd","history":3}})",
      existing());
  ASSERT_TRUE(r.isOk()) << r.status().message();
  EXPECT_NE(r->configJson.find("sk-real-key-0000abcd"), std::string::npos) << r->configJson;
  EXPECT_NE(r->configJson.find("\"history\":3"), std::string::npos);
}

}  // namespace
}  // namespace chathost::host
