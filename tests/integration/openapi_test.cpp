// /api/openapi.json describes every route of a real host: one started in-process, whose router
// table is read directly, and the chathost executable started with the same config, whose
// document must list exactly those routes. The channel plugins of the build are loaded with
// their sign-in configured, so every route they can have is there.

#include "support/host_process.h"
#include "support/http_call.h"
#include "support/jwt_craft.h"

#include "app/host.h"
#include "config/config_loader.h"
#include "logging/host_logger.h"

#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <set>

namespace chathost::testing {
namespace {

constexpr const char* kSecret = "openapi-test-jwt-secret-0123456789abcdef";

std::string buildDir() {
  const char* dir = std::getenv("CHATHOST_BUILD_DIR");
  return dir ? dir : "";
}

bool pluginBuilt(const std::string& name) {
  return std::filesystem::exists(buildDir() + "/lib/chathost/plugins/libchathost_" + name + ".so");
}

// Every channel plugin of the build, with app credentials (Instagram's app id too, so its sign-in
// routes exist).
std::string configYaml(const TempDir& dir) {
  std::string yaml =
      "server:\n  listen: 127.0.0.1:0\nauth:\n  jwt_secret: " + std::string(kSecret) +
      "\nstorage:\n  backend: sqlite\n  sqlite:\n    path: " + dir.file("chathost.db") +
      "\nsecrets:\n  key_file: " + dir.file("secret.key") + "\ndata_dir: " + dir.file("var") +
      "\nplugins:\n";
  yaml +=
      "  - name: instagram\n    config:\n      app_id: \"1234567890\"\n      app_secret: "
      "openapi-app-secret\n";
  yaml += "  - name: messenger\n    config:\n      app_secret: openapi-app-secret\n";
  return yaml;
}

std::string lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

// "GET /a/:id" -> "get /a/{id}"
std::string asOpenApi(const std::string& route) {
  const auto space = route.find(' ');
  std::string path;
  std::string rest = route.substr(space + 1);
  std::size_t i = 0;
  while (i < rest.size()) {
    if ((rest[i] == ':' || rest[i] == '*') && i > 0 && rest[i - 1] == '/') {
      const auto end = rest.find('/', i);
      path += "{" + rest.substr(i + 1, end == std::string::npos ? end : end - i - 1) + "}";
      i = end == std::string::npos ? rest.size() : end;
    } else {
      path += rest[i++];
    }
  }
  return lower(route.substr(0, space)) + " " + path;
}

std::set<std::string> operationsOf(const std::string& documentText) {
  auto doc = Poco::JSON::Parser().parse(documentText).extract<Poco::JSON::Object::Ptr>();
  std::set<std::string> out;
  auto paths = doc->getObject("paths");
  std::vector<std::string> names;
  paths->getNames(names);
  for (const auto& path : names) {
    std::vector<std::string> methods;
    paths->getObject(path)->getNames(methods);
    for (const auto& m : methods) out.insert(m + " " + path);
  }
  return out;
}

class OpenApiTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_FALSE(buildDir().empty()) << "CHATHOST_BUILD_DIR is not set";
    ASSERT_TRUE(pluginBuilt("instagram")) << "the Instagram plugin is not built";
    ASSERT_TRUE(pluginBuilt("messenger")) << "the Messenger plugin is not built";
    configFile_ = dir_.write("chathost.yaml", configYaml(dir_));
  }
  TempDir dir_;
  std::string configFile_;
};

TEST_F(OpenApiTest, EveryRouteOfARunningHostIsDescribed) {
  auto loaded = host::loadConfigFile(configFile_, host::processEnv());
  ASSERT_TRUE(loaded.config) << host::formatErrors(loaded.errors);
  host::HostLogger logger(host::LogFormat::kText, sdk::LogLevel::kWarning);
  auto started = host::Host::start(*loaded.config, logger, buildDir() + "/bin/chathost");
  ASSERT_TRUE(started) << started.status().message();
  auto& running = **started;

  const auto undescribed = running.undescribedRoutes();
  std::string list;
  for (const auto& r : undescribed) list += "\n  " + r;
  EXPECT_TRUE(undescribed.empty()) << "routes without a catalog entry:" << list;

  std::set<std::string> table;
  for (const auto& route : running.routes()) table.insert(asOpenApi(route));
  ASSERT_TRUE(
      table.count("post /api/database/{subaccountId}/chat-agents/{agentId}/instagram/"
                  "oauth/start"))
      << "the sign-in routes are part of what must be described";

  const std::string url =
      "http://127.0.0.1:" + std::to_string(running.port()) + "/api/openapi.json";
  auto answer = httpCall("GET", url);  // no token
  ASSERT_EQ(answer.status, 200) << answer.error << answer.body;
  EXPECT_EQ(answer.contentType.rfind("application/json", 0), 0u) << answer.contentType;
  auto doc = Poco::JSON::Parser().parse(answer.body).extract<Poco::JSON::Object::Ptr>();
  EXPECT_EQ(doc->getValue<std::string>("openapi"), "3.1.0");
  EXPECT_EQ(operationsOf(answer.body), table);
  running.stop();
}

TEST_F(OpenApiTest, TheExecutableServesTheDocumentWithoutAToken) {
  std::string failure;
  auto process = HostProcess::start(configFile_, dir_.path(), {}, &failure);
  ASSERT_TRUE(process) << failure;
  auto answer = httpCall("GET", process->baseUrl() + "/api/openapi.json");
  ASSERT_EQ(answer.status, 200) << answer.body;
  EXPECT_EQ(answer.contentType.rfind("application/json", 0), 0u);
  auto doc = Poco::JSON::Parser().parse(answer.body).extract<Poco::JSON::Object::Ptr>();
  EXPECT_EQ(doc->getValue<std::string>("openapi"), "3.1.0");
  const auto operations = operationsOf(answer.body);
  for (const char* expected :
       {"get /healthz", "get /readyz", "get /metrics", "get /api/openapi.json",
        "post /api/database/{subaccountId}/chat-agents",
        "delete /api/database/{subaccountId}/chat-agents/{agentId}",
        "post /api/database/{subaccountId}/chat-agents/{agentId}/instagram/send",
        "get /api/database/{subaccountId}/chat-agents/{agentId}/instagram/messages/{chatId}",
        "get /oauth/instagram/callback", "post /webhooks/instagram"})
    EXPECT_TRUE(operations.count(expected)) << expected;
  EXPECT_EQ(process->log().find("routes without an API description"), std::string::npos)
      << process->log();

  // Revalidation: the same document answers 304 to its ETag.
  std::string etag;
  for (const auto& [name, value] : answer.headers)
    if (lower(name) == "etag") etag = value;
  ASSERT_FALSE(etag.empty());
  auto again =
      httpCall("GET", process->baseUrl() + "/api/openapi.json", "", {{"If-None-Match", etag}});
  EXPECT_EQ(again.status, 304);

  // The same document for every caller, whatever the tenants store: it holds no tenant data.
  const auto token = craftJwt(
      R"({"alg":"HS256","typ":"JWT"})",
      R"({"sub":"t","subaccounts":["acme"],"exp":)" + std::to_string(nowSeconds() + 600) + "}",
      kSecret);
  auto created = httpCall("POST", process->baseUrl() + "/api/database/acme/chat-agents",
                          R"({"id":"vault","name":"Acme Confidential Concierge"})", bearer(token));
  ASSERT_EQ(created.status, 201) << created.body;
  auto withToken = httpCall("GET", process->baseUrl() + "/api/openapi.json", "", bearer(token));
  ASSERT_EQ(withToken.status, 200);
  EXPECT_EQ(withToken.body, answer.body);
  EXPECT_EQ(withToken.body.find("Confidential"), std::string::npos);
  EXPECT_EQ(withToken.body.find("vault"), std::string::npos);
}

}  // namespace
}  // namespace chathost::testing
