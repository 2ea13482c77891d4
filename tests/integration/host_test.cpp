// Black-box tests of the chathost executable: command line, start-up, auth, agents, shutdown.

#include "support/host_process.h"
#include "support/http_call.h"
#include "support/jwt_craft.h"

#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <gtest/gtest.h>

#include <csignal>

namespace chathost::testing {
namespace {

constexpr const char* kSecret = "integration-test-secret-0123456789abcdef";

std::string configYaml(const TempDir& dir, const std::string& extra = "") {
  return "server:\n  listen: 127.0.0.1:0\nauth:\n  jwt_secret: " + std::string(kSecret) +
         "\nstorage:\n  backend: sqlite\n  sqlite:\n    path: " + dir.file("chathost.db") +
         "\nsecrets:\n  key_file: " + dir.file("secret.key") + "\ndata_dir: " + dir.file("var") +
         "\nplugins: []\n" + extra;
}

Poco::JSON::Object::Ptr json(const std::string& body) {
  return Poco::JSON::Parser().parse(body).extract<Poco::JSON::Object::Ptr>();
}

std::string token(const std::string& subaccounts, std::int64_t exp, const std::string& secret,
                  const std::string& alg = "HS256") {
  return craftJwt(
      "{\"alg\":\"" + alg + "\",\"typ\":\"JWT\"}",
      "{\"sub\":\"t\",\"subaccounts\":" + subaccounts + ",\"exp\":" + std::to_string(exp) + "}",
      secret);
}

class HostTest : public ::testing::Test {
 protected:
  void SetUp() override {
    config_ = dir_.write("chathost.yaml", configYaml(dir_));
    std::string failure;
    auto p = HostProcess::start(config_, dir_.path(), {}, &failure);
    ASSERT_TRUE(p) << failure;
    host_.emplace(std::move(*p));
  }
  std::string url(const std::string& path) const { return host_->baseUrl() + path; }
  std::string goodToken(const std::string& subaccounts = "[\"acme\"]") const {
    return token(subaccounts, nowSeconds() + 600, kSecret);
  }

  TempDir dir_;
  std::string config_;
  std::optional<HostProcess> host_;
};

TEST_F(HostTest, HealthzAndMetricsNeedNoToken) {
  auto health = httpCall("GET", url("/healthz"));
  ASSERT_EQ(health.status, 200) << health.error;
  EXPECT_EQ(health.contentType.rfind("application/json", 0), 0u);
  EXPECT_TRUE(json(health.body)->getValue<bool>("success"));
  auto ready = httpCall("GET", url("/readyz"));
  EXPECT_EQ(ready.status, 200) << ready.body;
  auto metrics = httpCall("GET", url("/metrics"));
  ASSERT_EQ(metrics.status, 200);
  EXPECT_NE(metrics.body.find("chathost_http_requests_total"), std::string::npos);
  EXPECT_NE(metrics.body.find("# TYPE"), std::string::npos);
}

TEST_F(HostTest, EveryAuthFailureModeIsRejected) {
  const std::string path = "/api/database/acme/chat-agents";
  struct Case {
    const char* what;
    std::vector<std::pair<std::string, std::string>> headers;
    int status;
    const char* code;
  };
  const std::vector<Case> cases = {
      {"no token", {}, 401, "UNAUTHORIZED"},
      {"not bearer", {{"Authorization", "Basic abc"}}, 401, "UNAUTHORIZED"},
      {"garbage", bearer("not.a.jwt"), 401, "UNAUTHORIZED"},
      {"expired", bearer(token("[\"acme\"]", nowSeconds() - 3600, kSecret)), 401, "UNAUTHORIZED"},
      {"wrong secret",
       bearer(token("[\"acme\"]", nowSeconds() + 600, "another-secret-xxxxxxxxxxx")), 401,
       "UNAUTHORIZED"},
      {"alg none", bearer(token("[\"acme\"]", nowSeconds() + 600, "", "none")), 401,
       "UNAUTHORIZED"},
      {"alg HS512 label", bearer(token("[\"acme\"]", nowSeconds() + 600, kSecret, "HS512")), 401,
       "UNAUTHORIZED"},
      {"other subaccount", bearer(token("[\"other\"]", nowSeconds() + 600, kSecret)), 403,
       "FORBIDDEN"},
  };
  for (const auto& c : cases) {
    auto r = httpCall("GET", url(path), "", c.headers);
    EXPECT_EQ(r.status, c.status) << c.what << ": " << r.body;
    auto body = json(r.body);
    EXPECT_FALSE(body->getValue<bool>("success")) << c.what;
    EXPECT_EQ(body->getValue<std::string>("code"), c.code) << c.what;
    auto meta = body->getObject("meta");
    ASSERT_TRUE(meta) << c.what;
    EXPECT_EQ(meta->getValue<std::string>("operationId").size(), 36u) << c.what;
    EXPECT_FALSE(meta->getValue<std::string>("operation").empty()) << c.what;
    EXPECT_EQ(meta->getValue<std::string>("duration").back(), 's') << c.what;
  }
  // A corrupted middle character of a valid token must fail too.
  std::string t = goodToken();
  const std::size_t mid = t.find('.') + 5;
  t[mid] = t[mid] == 'A' ? 'B' : 'A';
  EXPECT_EQ(httpCall("GET", url(path), "", bearer(t)).status, 401);
  EXPECT_EQ(httpCall("GET", url(path), "", bearer(goodToken())).status, 200);
  EXPECT_EQ(httpCall("GET", url(path), "", bearer(goodToken("[\"*\"]"))).status, 200);
}

TEST_F(HostTest, AgentsCrudAndTenancy) {
  const auto acme = bearer(goodToken("[\"acme\"]"));
  const auto both = bearer(goodToken("[\"acme\",\"globex\"]"));
  auto created = httpCall(
      "POST", url("/api/database/acme/chat-agents"),
      R"({"name":"Support","type":"rules","config":{"rules":[{"match":"hi","reply":"hello"}]}})",
      acme);
  ASSERT_EQ(created.status, 201) << created.body;
  const std::string id = json(created.body)->getObject("data")->getValue<std::string>("id");
  ASSERT_FALSE(id.empty());

  auto got = httpCall("GET", url("/api/database/acme/chat-agents/" + id), "", acme);
  EXPECT_EQ(got.status, 200) << got.body;
  // The same agent through another subaccount's path: not found, nothing leaks.
  auto leak = httpCall("GET", url("/api/database/globex/chat-agents/" + id), "", both);
  EXPECT_EQ(leak.status, 404);
  EXPECT_EQ(json(leak.body)->getValue<std::string>("code"), "AGENT_NOT_FOUND");
  auto list = httpCall("GET", url("/api/database/globex/chat-agents"), "", both);
  EXPECT_EQ(json(list.body)->getObject("data")->getValue<int>("count"), 0);

  auto patched = httpCall("PATCH", url("/api/database/acme/chat-agents/" + id),
                          R"({"name":"Support 2"})", acme);
  EXPECT_EQ(patched.status, 200) << patched.body;
  EXPECT_EQ(json(patched.body)->getObject("data")->getValue<std::string>("name"), "Support 2");

  auto bad = httpCall("POST", url("/api/database/acme/chat-agents"), R"({"type":"rules"})", acme);
  EXPECT_EQ(bad.status, 400);
  EXPECT_EQ(json(bad.body)->getValue<std::string>("code"), "VALIDATION_ERROR");
  EXPECT_NE(json(bad.body)->getValue<std::string>("message").find("name"), std::string::npos);
  auto malformed = httpCall("POST", url("/api/database/acme/chat-agents"), "{nope", acme);
  EXPECT_EQ(malformed.status, 400);
  auto badId = httpCall("GET", url("/api/database/ac%20me/chat-agents"), "", acme);
  EXPECT_EQ(badId.status, 400);

  auto removed = httpCall("DELETE", url("/api/database/acme/chat-agents/" + id), "", acme);
  EXPECT_EQ(removed.status, 200);
  EXPECT_EQ(httpCall("GET", url("/api/database/acme/chat-agents/" + id), "", acme).status, 404);
}

// Agent ids are unique within a subaccount only: a tenant may pick an id another tenant uses,
// and nothing in the answer reveals that the other agent exists.
TEST_F(HostTest, AnIdAnotherTenantUsesIsAcceptedAndLeavesThatAgentAlone) {
  const auto acme = bearer(goodToken("[\"acme\"]"));
  const auto globex = bearer(goodToken("[\"globex\"]"));
  auto mine =
      httpCall("POST", url("/api/database/acme/chat-agents"),
               R"({"id":"support","name":"Acme support","config":{"fallback":"acme"}})", acme);
  ASSERT_EQ(mine.status, 201) << mine.body;
  auto before = httpCall("GET", url("/api/database/acme/chat-agents/support"), "", acme);
  ASSERT_EQ(before.status, 200) << before.body;

  auto theirs = httpCall("POST", url("/api/database/globex/chat-agents"),
                         R"({"id":"support","name":"Globex support"})", globex);
  ASSERT_EQ(theirs.status, 201) << theirs.body;
  EXPECT_EQ(theirs.body.find("Acme"), std::string::npos) << theirs.body;
  EXPECT_EQ(json(theirs.body)->getObject("data")->getValue<std::string>("name"), "Globex support");

  auto after = httpCall("GET", url("/api/database/acme/chat-agents/support"), "", acme);
  ASSERT_EQ(after.status, 200);
  auto was = json(before.body)->getObject("data");
  auto is = json(after.body)->getObject("data");
  EXPECT_EQ(is->getValue<std::string>("name"), "Acme support");
  EXPECT_EQ(is->getObject("config")->getValue<std::string>("fallback"), "acme");
  EXPECT_EQ(is->getValue<std::string>("updatedAt"), was->getValue<std::string>("updatedAt"));

  // Still unique inside one subaccount.
  auto again = httpCall("POST", url("/api/database/globex/chat-agents"),
                        R"({"id":"support","name":"Twice"})", globex);
  EXPECT_EQ(again.status, 409) << again.body;
  // Deleting one tenant's agent leaves the other's.
  EXPECT_EQ(httpCall("DELETE", url("/api/database/globex/chat-agents/support"), "", globex).status,
            200);
  EXPECT_EQ(httpCall("GET", url("/api/database/acme/chat-agents/support"), "", acme).status, 200);
}

TEST_F(HostTest, UnknownRouteAndOversizedBody) {
  auto r = httpCall("GET", url("/api/nope"), "", bearer(goodToken()));
  EXPECT_EQ(r.status, 404);
  EXPECT_EQ(json(r.body)->getValue<std::string>("code"), "NOT_FOUND");
  EXPECT_EQ(httpCall("GET", url("/api/nope")).status, 401);  // no route is revealed without a token
  EXPECT_EQ(httpCall("GET", url("/assets/missing.js")).status, 404);
  auto page = httpCall("GET", url("/"));
  EXPECT_EQ(page.status, 200);
  EXPECT_EQ(page.contentType.rfind("text/html", 0), 0u);
  const std::string big(2 * 1024 * 1024, 'x');
  auto large = httpCall("POST", url("/api/database/acme/chat-agents"), big, bearer(goodToken()));
  if (large.status != 0) {  // the server may close the connection while the client still writes
    EXPECT_EQ(large.status, 413);
    EXPECT_EQ(json(large.body)->getValue<std::string>("code"), "PAYLOAD_TOO_LARGE");
  }
}

TEST_F(HostTest, RestartKeepsAgentsAndSigtermExitsZero) {
  const auto auth = bearer(goodToken());
  auto created = httpCall("POST", url("/api/database/acme/chat-agents"),
                          R"({"id":"keeper","name":"Keeper"})", auth);
  ASSERT_EQ(created.status, 201) << created.body;
  EXPECT_EQ(host_->stop(SIGTERM), 0) << host_->log();
  std::string failure;
  auto again = HostProcess::start(config_, dir_.path(), {}, &failure);
  ASSERT_TRUE(again) << failure;
  auto got = httpCall("GET", again->baseUrl() + "/api/database/acme/chat-agents/keeper", "", auth);
  EXPECT_EQ(got.status, 200) << got.body;
  EXPECT_EQ(again->stop(SIGINT), 0);
}

// A SQLite database serves one process: a second host on the same file (with a data directory of
// its own) would release the first one's live claims and send their replies again. It refuses to
// start and says why; the first keeps serving.
TEST_F(HostTest, ASecondHostOnTheSameSqliteFileRefusesToStart) {
  TempDir other;
  std::string yaml = configYaml(dir_);
  const std::string dataDir = dir_.file("var");
  yaml.replace(yaml.find(dataDir), dataDir.size(), other.file("var"));
  const std::string config = other.write("second.yaml", yaml);
  std::string failure;
  auto second = HostProcess::start(config, other.path(), {}, &failure);
  EXPECT_FALSE(second) << "a second host started on the same SQLite database";
  EXPECT_NE(failure.find("another chathost process uses the SQLite database"), std::string::npos)
      << failure;
  EXPECT_EQ(httpCall("GET", url("/healthz")).status, 200);
}

TEST(HostStartup, GeneratedSecretPrintsADashboardLinkThatWorks) {
  TempDir dir;
  const std::string cfg =
      dir.write("c.yaml", "server:\n  listen: 127.0.0.1:0\nstorage:\n  sqlite:\n    path: " +
                              dir.file("db.sqlite") + "\nsecrets:\n  key_file: " + dir.file("k") +
                              "\ndata_dir: " + dir.file("var") + "\nplugins: []\n");
  std::string failure;
  auto host = HostProcess::start(cfg, dir.path(), {}, &failure);
  ASSERT_TRUE(host) << failure;
  ASSERT_TRUE(host->waitForLog("#token="));
  const std::string log = host->log();
  const auto at = log.find("#token=") + 7;
  const std::string tok = log.substr(at, log.find_first_of(" \n", at) - at);
  auto r = httpCall("GET", host->baseUrl() + "/api/database/anyone/chat-agents", "", bearer(tok));
  EXPECT_EQ(r.status, 200) << r.body;
  // The secret file is private to the owner.
  auto mode = runCommand({"/usr/bin/stat", "-c", "%a", dir.file("var/jwt.secret")});
  EXPECT_EQ(mode.out, "600\n");
  // `chathost token` signs with the same secret.
  auto t = runCommand({chathostBinary(), "token", "--config", cfg, "--subaccount", "s1"});
  ASSERT_EQ(t.exitCode, 0) << t.err;
  std::string issued = t.out.substr(0, t.out.find('\n'));
  EXPECT_EQ(
      httpCall("GET", host->baseUrl() + "/api/database/s1/chat-agents", "", bearer(issued)).status,
      200);
  EXPECT_EQ(
      httpCall("GET", host->baseUrl() + "/api/database/s2/chat-agents", "", bearer(issued)).status,
      403);
}

TEST(HostAccessLog, EveryRequestGetsOneJsonLineWithItsRoutePatternAndOperationId) {
  TempDir dir;
  const std::string config =
      dir.write("chathost.yaml", configYaml(dir, "logging:\n  format: json\n  access_log: true\n"));
  std::string failure;
  auto host = HostProcess::start(config, dir.path(), {}, &failure);
  ASSERT_TRUE(host) << failure;
  const std::string bearer = "Bearer " + token("[\"acme\"]", nowSeconds() + 600, kSecret);
  auto listed = httpCall("GET", host->baseUrl() + "/api/database/acme/chat-agents", "",
                         {{"Authorization", bearer}});
  ASSERT_EQ(listed.status, 200) << listed.body;
  auto refused = httpCall("GET", host->baseUrl() + "/api/database/acme/chat-agents");
  ASSERT_EQ(refused.status, 401);
  // Query strings carry secrets (hub.verify_token, OAuth codes): no line shows them.
  auto queried =
      httpCall("GET", host->baseUrl() + "/healthz?hub.verify_token=query-secret-1&code=query-2");
  ASSERT_EQ(queried.status, 200);

  const std::string okLine =
      "\"msg\":\"request\",\"method\":\"GET\","
      "\"route\":\"/api/database/:subaccountId/chat-agents\","
      "\"path\":\"/api/database/acme/chat-agents\",\"status\":\"200\"";
  ASSERT_TRUE(host->waitForLog(okLine)) << host->log();
  ASSERT_TRUE(host->waitForLog("\"msg\":\"request failed\"")) << host->log();
  ASSERT_TRUE(host->waitForLog("\"path\":\"/healthz\",")) << host->log();
  const std::string log = host->log();
  const auto at = log.find(okLine);
  const std::string line = log.substr(at, log.find('\n', at) - at);
  std::string operationId;
  for (const auto& [name, value] : listed.headers)
    if (name == "X-Operation-Id") operationId = value;
  ASSERT_EQ(operationId.size(), 36u);
  EXPECT_NE(line.find("\"operationId\":\"" + operationId + "\""), std::string::npos) << line;
  EXPECT_NE(line.find("\"operation\":\"listAgents\""), std::string::npos) << line;
  EXPECT_EQ(log.find(bearer.substr(7)), std::string::npos);  // the token is never written
  EXPECT_EQ(log.find("query-secret-1"), std::string::npos);
  EXPECT_EQ(log.find("query-2"), std::string::npos);
  // One line per request: the refused one has its failure line only.
  std::size_t lines = 0;
  for (std::size_t p = log.find("/api/database/acme/chat-agents\",\"status\":\"401\"");
       p != std::string::npos;
       p = log.find("/api/database/acme/chat-agents\",\"status\":\"401\"", p + 1))
    ++lines;
  EXPECT_EQ(lines, 1u) << log;
}

TEST(HostCommandLine, VersionHelpAndCheckConfig) {
  EXPECT_EQ(runCommand({chathostBinary(), "--version"}).exitCode, 0);
  auto help = runCommand({chathostBinary(), "--help"});
  EXPECT_EQ(help.exitCode, 0);
  EXPECT_NE(help.out.find("--check-config"), std::string::npos);

  TempDir dir;
  const std::string good = dir.write("good.yaml", configYaml(dir));
  auto ok = runCommand({chathostBinary(), "--check-config", good});
  EXPECT_EQ(ok.exitCode, 0) << ok.err;

  const std::string unknown =
      dir.write("unknown.yaml", "server:\n  listen: 127.0.0.1:0\n  colour: blue\n");
  auto r1 = runCommand({chathostBinary(), "--check-config", unknown});
  EXPECT_NE(r1.exitCode, 0);
  EXPECT_NE(r1.err.find(unknown + ":3:3:"), std::string::npos) << r1.err;

  const std::string unset =
      dir.write("unset.yaml", "auth:\n  jwt_secret: ${CHATHOST_TEST_UNSET_VAR}\n");
  auto r2 = runCommand({chathostBinary(), "--check-config", unset});
  EXPECT_NE(r2.exitCode, 0);
  EXPECT_NE(r2.err.find("CHATHOST_TEST_UNSET_VAR"), std::string::npos) << r2.err;
  EXPECT_NE(r2.err.find(unset + ":2:"), std::string::npos) << r2.err;

  const std::string broken = dir.write("broken.yaml", "server:\n  listen: [1, 2\n");
  auto r3 = runCommand({chathostBinary(), "--check-config", broken});
  EXPECT_NE(r3.exitCode, 0);
  EXPECT_NE(r3.err.find(broken + ":"), std::string::npos) << r3.err;

  // Serving with a bad config fails the same way, before anything starts.
  auto r4 = runCommand({chathostBinary(), "--config", unknown});
  EXPECT_NE(r4.exitCode, 0);
  EXPECT_NE(r4.err.find(":3:3:"), std::string::npos) << r4.err;
}

TEST(HostPlugins, BrokenPluginsAreRefusedWithAClearLineAndNoCrash) {
  TempDir dir;
  struct Case {
    const char* plugin;
    const char* expected;
  };
  const std::vector<Case> cases = {
      {"startthrows", "plugin 'startthrows' failed to start"},
      {"startfails", "upstream is down"},
      {"abinext", "SDK ABI"},
      {"foreign", "rebuild it with the host's compiler"},
      {"noentry", "chathost_plugin_v1"},
      {"badconfig", "must be v21.0"},
  };
  for (const auto& c : cases) {
    const std::string cfg =
        dir.write(std::string(c.plugin) + ".yaml",
                  configYaml(dir, "").substr(0, configYaml(dir, "").find("plugins: []")) +
                      "plugins:\n  - name: " + c.plugin + "\n    library: " + FIXTURE_PLUGIN_DIR +
                      "/libchathost_" + c.plugin + ".so\n");
    auto r =
        runCommand({chathostBinary(), "--config", cfg}, {}, std::chrono::seconds(20), dir.path());
    EXPECT_NE(r.exitCode, 0) << c.plugin;
    EXPECT_LT(r.exitCode, 128) << c.plugin << " crashed: " << r.err;  // not killed by a signal
    EXPECT_NE(r.err.find(c.expected), std::string::npos) << c.plugin << ": " << r.err;
    EXPECT_EQ(r.err.find("listening on"), std::string::npos) << c.plugin;
  }
  // Config problems a plugin reports point into the file, like the host's own.
  auto check = runCommand({chathostBinary(), "--check-config", dir.file("badconfig.yaml")});
  EXPECT_NE(check.exitCode, 0);
  EXPECT_NE(check.err.find(dir.file("badconfig.yaml") + ":"), std::string::npos) << check.err;
  // The same good fixture twice: duplicate names are refused.
  const std::string good =
      std::string("    library: ") + FIXTURE_PLUGIN_DIR + "/libchathost_good.so\n";
  const std::string twice = dir.write(
      "twice.yaml", configYaml(dir, "").substr(0, configYaml(dir, "").find("plugins: []")) +
                        "plugins:\n  - name: good\n" + good + "  - name: good\n" + good);
  auto r =
      runCommand({chathostBinary(), "--config", twice}, {}, std::chrono::seconds(20), dir.path());
  EXPECT_NE(r.exitCode, 0);
  EXPECT_NE(r.err.find("good"), std::string::npos) << r.err;
}

}  // namespace
}  // namespace chathost::testing
