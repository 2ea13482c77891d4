// The real host attacked over HTTP from outside, on each backend: slow clients that try to hold
// every thread, request smuggling and malformed framing, probing for pages that do not exist,
// and the headers that protect the dashboard. Each attack from the security review is kept here.

#include "support/backend_config.h"
#include "support/backend_services.h"
#include "support/host_process.h"
#include "support/http_call.h"

#include <Poco/Net/NetException.h>
#include <Poco/Net/SocketAddress.h>
#include <Poco/Net/StreamSocket.h>
#include <gtest/gtest.h>

#include <optional>

namespace chathost::testing {
namespace {

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

std::string headerOf(const HttpResult& r, const std::string& name) {
  for (const auto& [k, v] : r.headers)
    if (k == name) return v;
  return {};
}

class HostileHttpTest : public ::testing::TestWithParam<Backend> {
 protected:
  void SetUp() override {
    HostConfigSpec spec;
    spec.backend = GetParam();
    spec.jwtSecret = "hostile-http-test-jwt-secret-0123456789ab";
    spec.dataDir = dir_.file("var");
    spec.keyFile = dir_.file("secret.key");
    spec.sqlitePath = dir_.file("chathost.db");
    spec.graphBaseUrl = "http://127.0.0.1:9";
    std::string why;
    ASSERT_TRUE(useFixtureServices(spec, "hostile", &why)) << why;
    dsn_ = spec.postgresDsn;
    schema_ = spec.postgresSchema;
    // Few handler threads, so that a server giving attackers threads would be stalled at once.
    std::string yaml = hostConfigYaml(spec);
    const std::string listen = "  listen: 127.0.0.1:0\n";
    yaml.replace(yaml.find(listen), listen.size(),
                 listen + "  threads: 4\n  request_timeout_ms: 1000\n");
    const std::string config = dir_.write("chathost.yaml", yaml);
    std::string failure;
    auto host = HostProcess::start(config, dir_.path(), {}, &failure);
    ASSERT_TRUE(host) << failure;
    host_.emplace(std::move(*host));
  }
  void TearDown() override {
    host_.reset();
    if (!schema_.empty()) dropSchema(dsn_, schema_);
  }

  Poco::Net::StreamSocket connect() const {
    Poco::Net::StreamSocket s(
        Poco::Net::SocketAddress("127.0.0.1", static_cast<Poco::UInt16>(host_->port())));
    s.setReceiveTimeout(Poco::Timespan(10, 0));
    return s;
  }

  // Sends `bytes` and reads everything until the server closes the connection.
  std::string sendAndReadToClose(const std::string& bytes) const {
    auto s = connect();
    s.sendBytes(bytes.data(), static_cast<int>(bytes.size()));
    std::string all;
    char buf[4096];
    try {
      int n;
      while ((n = s.receiveBytes(buf, sizeof buf)) > 0)
        all.append(buf, static_cast<std::size_t>(n));
    } catch (const Poco::TimeoutException&) {
      all += "\n<still open after 10 s>";
    } catch (const Poco::Exception&) {
    }
    return all;
  }

  TempDir dir_;
  std::string dsn_;
  std::string schema_;
  std::optional<HostProcess> host_;
};

TEST_P(HostileHttpTest, TricklingAndSilentClientsLeaveTheHostAnswering) {
  std::vector<Poco::Net::StreamSocket> attackers;
  const std::string partial = "POST /webhooks/instagram HTTP/1.1\r\nHost: x\r\nX-Slow: ";
  for (int i = 0; i < 150; ++i) {
    attackers.push_back(connect());
    attackers.back().sendBytes(partial.data(), static_cast<int>(partial.size()));
  }
  for (int i = 0; i < 150; ++i) attackers.push_back(connect());
  for (int round = 0; round < 3; ++round) {
    const auto health = httpCall("GET", host_->baseUrl() + "/healthz", {}, {}, 5000);
    EXPECT_EQ(health.status, 200) << health.error;
    const auto ready = httpCall("GET", host_->baseUrl() + "/readyz", {}, {}, 5000);
    EXPECT_EQ(ready.status, 200) << ready.error << ready.body;
  }
}

TEST_P(HostileHttpTest, ASilentConnectionIsDroppedAfterTheConfiguredRequestTimeout) {
  auto silent = connect();
  silent.setReceiveTimeout(Poco::Timespan(5, 0));  // the default timeout (10 s) would miss this
  char buf[64];
  int n = -1;
  try {
    n = silent.receiveBytes(buf, sizeof buf);
  } catch (const Poco::TimeoutException&) {
    FAIL() << "the connection was still open after 5 s (request_timeout_ms: 1000)";
  } catch (const Poco::Exception&) {
    n = 0;  // reset: closed too
  }
  EXPECT_EQ(n, 0);
}

TEST_P(HostileHttpTest, SmuggledRequestsAreRefusedAndNeverServed) {
  const std::string answer = sendAndReadToClose(
      "POST /webhooks/instagram HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\n"
      "Transfer-Encoding: chunked\r\n\r\n0\r\n\r\nGET /healthz HTTP/1.1\r\nHost: x\r\n\r\n");
  EXPECT_EQ(answer.rfind("HTTP/1.1 400 ", 0), 0u) << answer;
  EXPECT_TRUE(contains(answer, "\"code\":\"VALIDATION_ERROR\"")) << answer;
  EXPECT_TRUE(contains(answer, "Connection: close")) << answer;
  EXPECT_FALSE(contains(answer, "\"status\":\"ok\"")) << "the smuggled request was served";
  EXPECT_FALSE(contains(answer, "still open")) << answer;
}

TEST_P(HostileHttpTest, MalformedFramingGetsTheEnvelope) {
  for (const std::string& bytes :
       {std::string("POST /api/x HTTP/1.1\r\nContent-Length: 3\r\nContent-Length: 4\r\n\r\nabcd"),
        std::string("POST /api/x HTTP/1.1\r\nTransfer-Encoding : chunked\r\n\r\n0\r\n\r\n"),
        "GET /healthz HTTP/1.1\r\nX-Big: " + std::string(70000, 'a') + "\r\n\r\n",
        "GET /" + std::string(70000, 'a') + " HTTP/1.1\r\n\r\n"}) {
    const std::string answer = sendAndReadToClose(bytes);
    EXPECT_EQ(answer.rfind("HTTP/1.1 400 ", 0), 0u) << answer.substr(0, 300);
    EXPECT_TRUE(contains(answer, "Content-Type: application/json")) << answer.substr(0, 300);
    EXPECT_TRUE(contains(answer, "\"code\":\"VALIDATION_ERROR\"")) << answer.substr(0, 300);
  }
}

TEST_P(HostileHttpTest, UnknownPathsAre404NotTheDashboard) {
  // (Unknown paths under /api need a token first: they answer 401 before 404.)
  for (const char* path : {"/wp-login.php", "/.env", "/admin", "/agentsx", "/index.php"}) {
    const auto r = httpCall("GET", host_->baseUrl() + path);
    EXPECT_EQ(r.status, 404) << path;
    EXPECT_TRUE(contains(r.contentType, "application/json")) << path << " " << r.contentType;
    EXPECT_TRUE(contains(r.body, "\"code\":\"NOT_FOUND\"")) << path << " " << r.body;
  }
}

TEST_P(HostileHttpTest, TheDashboardAndTheApiCarrySecurityHeaders) {
  const auto page = httpCall("GET", host_->baseUrl() + "/agents/support");
  ASSERT_EQ(page.status, 200);
  EXPECT_TRUE(contains(page.contentType, "text/html"));
  const std::string policy = headerOf(page, "Content-Security-Policy");
  EXPECT_TRUE(contains(policy, "script-src 'self'")) << policy;
  EXPECT_TRUE(contains(policy, "frame-ancestors 'none'")) << policy;
  EXPECT_FALSE(contains(policy, "unsafe-inline")) << policy;
  EXPECT_TRUE(contains(policy, "connect-src 'self'")) << policy;
  // Message media live on the platform's CDN: images, video and audio from https: load.
  for (const std::string directive : {"img-src", "media-src"}) {
    const auto at = policy.find(directive + " ");
    ASSERT_NE(at, std::string::npos) << directive << ": " << policy;
    EXPECT_TRUE(contains(policy.substr(at, policy.find(';', at) - at), "https:")) << policy;
  }
  EXPECT_EQ(headerOf(page, "X-Content-Type-Options"), "nosniff");
  EXPECT_FALSE(headerOf(page, "Referrer-Policy").empty());
  const auto api = httpCall("GET", host_->baseUrl() + "/api/database/acme/chat-agents");
  EXPECT_EQ(api.status, 401);
  EXPECT_EQ(headerOf(api, "X-Content-Type-Options"), "nosniff");
  EXPECT_TRUE(contains(headerOf(api, "Content-Security-Policy"), "default-src 'none'"));
}

INSTANTIATE_TEST_SUITE_P(Backends, HostileHttpTest,
                         ::testing::Values(Backend::kSqlite, Backend::kPostgresRedis),
                         [](const auto& info) { return backendName(info.param); });

}  // namespace
}  // namespace chathost::testing
