#include "http/api_router.h"

#include <gtest/gtest.h>

#include <stdexcept>
#include <thread>

#include "capturing_logger.h"
#include "metrics/registry.h"

namespace chathost::host {
namespace {

using sdk::ErrorCode;
using sdk::Method;
using Scope = ApiRouter::Scope;

// Fake JWT check: "Bearer all" grants every subaccount, "Bearer sub:X" grants X only.
sdk::Status fakeAuth(const sdk::Request& request, const std::string& subaccountId) {
  const auto header = request.header("Authorization");
  if (!header) return {ErrorCode::kUnauthorized, "Missing bearer token"};
  if (*header == "Bearer all") return sdk::Status::ok();
  if (header->starts_with("Bearer sub:")) {
    const std::string granted(header->substr(11));
    if (subaccountId.empty() || subaccountId == granted) return sdk::Status::ok();
    return {ErrorCode::kForbidden, "Token does not grant subaccount " + subaccountId};
  }
  return {ErrorCode::kUnauthorized, "Invalid token"};
}

std::string headerOf(const sdk::Response& r, const std::string& name) {
  for (const auto& [k, v] : r.headers)
    if (sdk::equalsIgnoreCase(k, name)) return v;
  return {};
}

std::string codeOf(const sdk::Response& r) {
  const auto at = r.body.find("\"code\":\"");
  if (at == std::string::npos) return {};
  return r.body.substr(at + 8, r.body.find('"', at + 8) - at - 8);
}

class ApiRouterTest : public ::testing::Test {
 protected:
  ApiRouterTest()
      : router_(
            [this](const sdk::Request& r, const std::string& s) {
              ++authCalls_;
              return fakeAuth(r, s);
            },
            [this](const std::string& s,
                   const std::string& a) -> sdk::Result<std::optional<sdk::AgentInfo>> {
              ++lookupCalls_;
              if (lookupFails_) return sdk::Status::unavailable("storage is down");
              for (const auto& agent : agents_)
                if (agent.subaccountId == s && agent.id == a) return std::optional(agent);
              return std::optional<sdk::AgentInfo>();
            },
            metrics_, logger_) {
    agents_.push_back({.id = "agent-1", .subaccountId = "acme", .name = "Bot", .type = "rules"});
    agents_.push_back(
        {.id = "agent-2", .subaccountId = "other", .name = "Theirs", .type = "rules"});
  }

  sdk::Response call(Method method, const std::string& path, const std::string& token = {}) {
    sdk::Request request;
    request.method = method;
    request.path = path;
    if (!token.empty()) request.headers.emplace_back("Authorization", "Bearer " + token);
    return router_.handle(request);
  }

  // Registers an agent route the way a plugin does, through the SDK interface.
  void addPluginAgentRoute(Method method, const std::string& subpath, const std::string& op) {
    sdk::Router& sdkRouter = router_;
    sdkRouter.addAgentRoute(method, subpath, op,
                            [this](const sdk::Request& req, const sdk::RouteContext& ctx) {
                              lastAgent_ = ctx.agent ? ctx.agent->id : "";
                              lastOperationId_ = ctx.operationId;
                              lastParams_ = req.pathParams;
                              return sdk::Response::okJson("{\"ok\":true}");
                            });
  }

  MetricsRegistry metrics_;
  testing::CapturingLogger logger_;
  std::vector<sdk::AgentInfo> agents_;
  bool lookupFails_ = false;
  int authCalls_ = 0;
  int lookupCalls_ = 0;
  std::string lastAgent_;
  std::string lastOperationId_;
  std::map<std::string, std::string> lastParams_;
  ApiRouter router_;
};

constexpr const char* kConnect = "/api/database/acme/chat-agents/agent-1/instagram/connect";

TEST_F(ApiRouterTest, AgentRouteCallsTheHandlerWithTheResolvedAgent) {
  addPluginAgentRoute(Method::kPost, "instagram/connect", "instagram.connect");
  const auto r = call(Method::kPost, kConnect, "sub:acme");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body, "{\"success\":true,\"data\":{\"ok\":true}}");
  EXPECT_EQ(lastAgent_, "agent-1");
  EXPECT_EQ(lastParams_,
            (std::map<std::string, std::string>{{"subaccountId", "acme"}, {"agentId", "agent-1"}}));
  EXPECT_EQ(headerOf(r, "X-Operation-Id"), lastOperationId_);
  EXPECT_EQ(lastOperationId_.size(), 36u);
}

TEST_F(ApiRouterTest, ChecksIdsThenTokenThenTenantThenAgent) {
  addPluginAgentRoute(Method::kPost, "instagram/connect", "instagram.connect");

  auto r = call(Method::kPost, "/api/database/ac.me/chat-agents/agent-1/instagram/connect");
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(codeOf(r), "VALIDATION_ERROR");
  EXPECT_NE(r.body.find("subaccountId"), std::string::npos);
  r = call(Method::kPost,
           "/api/database/acme/chat-agents/" + std::string(65, 'a') + "/instagram/connect");
  EXPECT_EQ(r.status, 400);
  EXPECT_NE(r.body.find("agentId"), std::string::npos);
  EXPECT_EQ(authCalls_, 0);

  r = call(Method::kPost, kConnect);
  EXPECT_EQ(r.status, 401);
  EXPECT_EQ(codeOf(r), "UNAUTHORIZED");
  r = call(Method::kPost, kConnect, "garbage");
  EXPECT_EQ(r.status, 401);
  r = call(Method::kPost, kConnect, "sub:other");
  EXPECT_EQ(r.status, 403);
  EXPECT_EQ(codeOf(r), "FORBIDDEN");
  EXPECT_EQ(lookupCalls_, 0);

  r = call(Method::kPost, "/api/database/acme/chat-agents/nope/instagram/connect", "all");
  EXPECT_EQ(r.status, 404);
  EXPECT_EQ(codeOf(r), "AGENT_NOT_FOUND");
  EXPECT_TRUE(lastAgent_.empty());
}

TEST_F(ApiRouterTest, AnAgentOfAnotherSubaccountLooksExactlyLikeAMissingOne) {
  addPluginAgentRoute(Method::kGet, "instagram/status", "instagram.status");
  const auto elsewhere =
      call(Method::kGet, "/api/database/acme/chat-agents/agent-2/instagram/status", "all");
  const auto nowhere =
      call(Method::kGet, "/api/database/acme/chat-agents/agent-3/instagram/status", "all");
  EXPECT_EQ(elsewhere.status, 404);
  EXPECT_EQ(codeOf(elsewhere), "AGENT_NOT_FOUND");
  EXPECT_EQ(nowhere.status, 404);
  EXPECT_EQ(elsewhere.body.find("other"), std::string::npos);
  EXPECT_TRUE(lastAgent_.empty());
}

TEST_F(ApiRouterTest, LookupFailuresAreRendered) {
  addPluginAgentRoute(Method::kGet, "instagram/status", "instagram.status");
  lookupFails_ = true;
  const auto r =
      call(Method::kGet, "/api/database/acme/chat-agents/agent-1/instagram/status", "all");
  EXPECT_EQ(r.status, 503);
  EXPECT_EQ(codeOf(r), "SERVICE_UNAVAILABLE");
}

TEST_F(ApiRouterTest, UnknownApiPathsNeedATokenBeforeTheyAre404) {
  auto r = call(Method::kGet, "/api/nothing/here");
  EXPECT_EQ(r.status, 401);
  r = call(Method::kGet, "/api/nothing/here", "sub:acme");
  EXPECT_EQ(r.status, 404);
  EXPECT_EQ(codeOf(r), "NOT_FOUND");
  const int before = authCalls_;
  r = call(Method::kGet, "/favicon.ico");
  EXPECT_EQ(r.status, 404);
  EXPECT_EQ(codeOf(r), "NOT_FOUND");
  EXPECT_EQ(authCalls_, before);  // outside /api/ no token is asked for
  EXPECT_FALSE(headerOf(r, "X-Operation-Id").empty());
}

TEST_F(ApiRouterTest, WrongMethodIs404WithAnAllowHeader) {
  auto ok = [](const sdk::Request&, const sdk::RouteContext&) -> sdk::Result<sdk::Response> {
    return sdk::Response::okJson("{}");
  };
  ASSERT_TRUE(router_.addRoute(Method::kGet, "/api/database/:subaccountId/chat-agents",
                               "agents.list", Scope::kSubaccount, ok));
  ASSERT_TRUE(router_.addRoute(Method::kPost, "/api/database/:subaccountId/chat-agents",
                               "agents.create", Scope::kSubaccount, ok));
  auto r = call(Method::kDelete, "/api/database/acme/chat-agents", "all");
  EXPECT_EQ(r.status, 404);
  EXPECT_EQ(codeOf(r), "NOT_FOUND");
  EXPECT_EQ(headerOf(r, "Allow"), "GET, POST");
  EXPECT_NE(r.body.find("GET, POST"), std::string::npos);
  r = call(Method::kDelete, "/api/database/acme/chat-agents");
  EXPECT_EQ(r.status, 401);
}

TEST_F(ApiRouterTest, LiteralSegmentsWinOverParams) {
  std::string hit;
  auto handler = [&hit](std::string name) {
    return
        [&hit, name](const sdk::Request&, const sdk::RouteContext&) -> sdk::Result<sdk::Response> {
          hit = name;
          return sdk::Response::text(200, "ok");
        };
  };
  sdk::Router& sdkRouter = router_;
  sdkRouter.addPublicRoute(Method::kPost, "/webhooks/:channel", "webhook.any", handler("param"));
  sdkRouter.addPublicRoute(Method::kPost, "/webhooks/instagram", "webhook.ig", handler("literal"));
  ASSERT_TRUE(
      router_.addRoute(Method::kGet, "/assets/*file", "assets", Scope::kPublic, handler("rest")));
  EXPECT_EQ(call(Method::kPost, "/webhooks/instagram").status, 200);
  EXPECT_EQ(hit, "literal");
  EXPECT_EQ(call(Method::kPost, "/webhooks/telegram/").status, 200);
  EXPECT_EQ(hit, "param");
  EXPECT_EQ(call(Method::kGet, "/assets/js/app.js").status, 200);
  EXPECT_EQ(hit, "rest");
  EXPECT_EQ(authCalls_, 0);
}

TEST_F(ApiRouterTest, PublicRoutesWithAgentParamsStillCheckIdsButNotTokens) {
  sdk::Router& sdkRouter = router_;
  sdkRouter.addPublicRoute(
      Method::kPost, std::string(ApiRouter::kAgentRoutePrefix) + "instagram/webhook", "webhook",
      [](const sdk::Request& req, const sdk::RouteContext& ctx) -> sdk::Result<sdk::Response> {
        EXPECT_EQ(ctx.agent, nullptr);
        return sdk::Response::text(200, "EVENT_RECEIVED");
      });
  auto r = call(Method::kPost, "/api/database/acme/chat-agents/agent-1/instagram/webhook");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body, "EVENT_RECEIVED");
  r = call(Method::kPost, "/api/database/acme/chat-agents/a%20b/instagram/webhook");
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(authCalls_, 0);
  EXPECT_EQ(lookupCalls_, 0);
}

TEST_F(ApiRouterTest, HandlerErrorsBecomeEnvelopesAndAreLoggedWithoutTheToken) {
  ASSERT_TRUE(router_.addRoute(
      Method::kPost, "/api/database/:subaccountId/chat-agents", "agents.create", Scope::kSubaccount,
      [](const sdk::Request&, const sdk::RouteContext&) -> sdk::Result<sdk::Response> {
        return sdk::Status::validation("name is required");
      }));
  const auto r = call(Method::kPost, "/api/database/acme/chat-agents", "sub:acme");
  EXPECT_EQ(r.status, 400);
  EXPECT_NE(r.body.find("\"message\":\"name is required\""), std::string::npos);
  EXPECT_NE(r.body.find("\"operation\":\"agents.create\""), std::string::npos);
  const std::string opId = headerOf(r, "X-Operation-Id");
  EXPECT_NE(r.body.find("\"operationId\":\"" + opId + "\""), std::string::npos);

  const auto lines = logger_.lines();
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_EQ(lines[0].level, sdk::LogLevel::kWarning);
  EXPECT_EQ(lines[0].field("operationId"), opId);
  EXPECT_EQ(lines[0].field("operation"), "agents.create");
  EXPECT_EQ(lines[0].field("method"), "POST");
  EXPECT_EQ(lines[0].field("path"), "/api/database/acme/chat-agents");
  EXPECT_EQ(lines[0].field("code"), "VALIDATION_ERROR");
  EXPECT_EQ(lines[0].field("status"), "400");
  EXPECT_FALSE(lines[0].field("durationMs").empty());
  EXPECT_EQ(lines[0].all().find("sub:acme"), std::string::npos);
}

TEST_F(ApiRouterTest, AnAccessLogWritesOneInfoLinePerAnsweredRequestWithTheRoutePattern) {
  AccessLog accessLog(logger_, true);
  router_.setAccessLog(&accessLog);
  addPluginAgentRoute(Method::kPost, "instagram/connect", "instagram.connect");
  sdk::Request request;
  request.method = Method::kPost;
  request.path = kConnect;
  request.remoteAddress = "198.51.100.7:40000";
  request.headers.emplace_back("Authorization", "Bearer sub:acme");
  const auto r = router_.handle(request);
  ASSERT_EQ(r.status, 200);

  const auto lines = logger_.lines();
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_EQ(lines[0].level, sdk::LogLevel::kInfo);
  EXPECT_EQ(lines[0].message, "request");
  EXPECT_EQ(lines[0].field("route"),
            "/api/database/:subaccountId/chat-agents/:agentId/instagram/connect");
  EXPECT_EQ(lines[0].field("path"), kConnect);
  EXPECT_EQ(lines[0].field("status"), "200");
  EXPECT_EQ(lines[0].field("operation"), "instagram.connect");
  EXPECT_EQ(lines[0].field("operationId"), headerOf(r, "X-Operation-Id"));
  EXPECT_EQ(lines[0].field("bytes"), std::to_string(r.body.size()));
  EXPECT_EQ(lines[0].field("remote"), "198.51.100.7:40000");
  EXPECT_EQ(lines[0].all().find("sub:acme"), std::string::npos);  // no token in the line
}

TEST_F(ApiRouterTest, AFailedRequestHasOnlyItsFailureLineWhichCarriesTheAccessFields) {
  AccessLog accessLog(logger_, true);
  router_.setAccessLog(&accessLog);
  addPluginAgentRoute(Method::kPost, "instagram/connect", "instagram.connect");
  const auto r = call(Method::kPost, kConnect);  // no token
  ASSERT_EQ(r.status, 401);
  const auto lines = logger_.lines();
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_EQ(lines[0].message, "request failed");
  EXPECT_EQ(lines[0].field("route"),
            "/api/database/:subaccountId/chat-agents/:agentId/instagram/connect");
  EXPECT_EQ(lines[0].field("code"), "UNAUTHORIZED");
  EXPECT_EQ(lines[0].field("remote"), "-");

  logger_.clear();
  EXPECT_EQ(call(Method::kGet, "/no/such/route").status, 404);
  ASSERT_EQ(logger_.lines().size(), 1u);
  EXPECT_EQ(logger_.lines()[0].field("route"), "-");
  EXPECT_EQ(logger_.lines()[0].field("operation"), "unmatched");
}

TEST_F(ApiRouterTest, WithoutAnAccessLogOrWithItOffSuccessesWriteNothing) {
  addPluginAgentRoute(Method::kPost, "instagram/connect", "instagram.connect");
  EXPECT_EQ(call(Method::kPost, kConnect, "sub:acme").status, 200);
  EXPECT_TRUE(logger_.lines().empty());

  AccessLog off(logger_, false);
  router_.setAccessLog(&off);
  EXPECT_EQ(call(Method::kPost, kConnect, "sub:acme").status, 200);
  EXPECT_TRUE(logger_.lines().empty());
}

TEST_F(ApiRouterTest, InternalErrorsAndExceptionsAre500AndLoggedAsErrors) {
  ASSERT_TRUE(router_.addRoute(
      Method::kGet, "/boom", "boom", Scope::kPublic,
      [](const sdk::Request&, const sdk::RouteContext&) -> sdk::Result<sdk::Response> {
        throw std::runtime_error("secret detail");
      }));
  ASSERT_TRUE(router_.addRoute(
      Method::kGet, "/fail", "fail", Scope::kPublic,
      [](const sdk::Request&, const sdk::RouteContext&) -> sdk::Result<sdk::Response> {
        return sdk::Status::internal("db exploded");
      }));
  for (const char* path : {"/boom", "/fail"}) {
    const auto r = call(Method::kGet, path);
    EXPECT_EQ(r.status, 500) << path;
    EXPECT_EQ(codeOf(r), "INTERNAL_ERROR");
    EXPECT_EQ(r.body.find("secret detail"), std::string::npos);
    EXPECT_EQ(r.body.find("db exploded"), std::string::npos);
  }
  const auto lines = logger_.lines();
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_EQ(lines[0].level, sdk::LogLevel::kError);
  EXPECT_NE(lines[0].field("error").find("secret detail"), std::string::npos);
  EXPECT_NE(lines[1].field("error").find("db exploded"), std::string::npos);
}

TEST_F(ApiRouterTest, CountsRequestsByOperationMethodAndStatus) {
  addPluginAgentRoute(Method::kGet, "instagram/status", "instagram.status");
  const std::string path = "/api/database/acme/chat-agents/agent-1/instagram/status";
  call(Method::kGet, path, "all");
  call(Method::kGet, path, "all");
  call(Method::kGet, path);
  call(Method::kPut, "/nowhere");
  const std::string text = metrics_.renderPrometheus();
  EXPECT_NE(text.find("chathost_http_requests_total{method=\"GET\",operation=\"instagram.status\""
                      ",status=\"200\"} 2\n"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("chathost_http_requests_total{method=\"GET\",operation=\"instagram.status\""
                      ",status=\"401\"} 1\n"),
            std::string::npos);
  EXPECT_NE(text.find("chathost_http_requests_total{method=\"PUT\",operation=\"unmatched\","
                      "status=\"404\"} 1\n"),
            std::string::npos);
  EXPECT_NE(text.find("chathost_http_request_duration_seconds_count{operation=\"instagram.status\""
                      "} 3\n"),
            std::string::npos);
}

TEST_F(ApiRouterTest, ClearPluginRoutesKeepsHostRoutes) {
  addPluginAgentRoute(Method::kGet, "instagram/status", "instagram.status");
  ASSERT_TRUE(router_.addRoute(
      Method::kGet, "/healthz", "healthz", Scope::kPublic,
      [](const sdk::Request&, const sdk::RouteContext&) -> sdk::Result<sdk::Response> {
        return sdk::Response::okJson("{}");
      }));
  router_.clearPluginRoutes();
  EXPECT_EQ(call(Method::kGet, "/healthz").status, 200);
  const auto r =
      call(Method::kGet, "/api/database/acme/chat-agents/agent-1/instagram/status", "all");
  EXPECT_EQ(r.status, 404);
  EXPECT_EQ(codeOf(r), "NOT_FOUND");
  // The plugin can register again (e.g. after a restart of the plugin).
  addPluginAgentRoute(Method::kGet, "instagram/status", "instagram.status");
  EXPECT_EQ(
      call(Method::kGet, "/api/database/acme/chat-agents/agent-1/instagram/status", "all").status,
      200);
}

TEST_F(ApiRouterTest, RejectsBadRegistrations) {
  auto ok = [](const sdk::Request&, const sdk::RouteContext&) -> sdk::Result<sdk::Response> {
    return sdk::Response::okJson("{}");
  };
  EXPECT_EQ(router_.addRoute(Method::kGet, "no-slash", "x", Scope::kPublic, ok).code(),
            ErrorCode::kValidation);
  EXPECT_EQ(router_.addRoute(Method::kGet, "/api/x/:agentId", "x", Scope::kAgent, ok).code(),
            ErrorCode::kValidation);
  EXPECT_EQ(router_.addRoute(Method::kGet, "/api/x", "x", Scope::kSubaccount, ok).code(),
            ErrorCode::kValidation);
  EXPECT_EQ(router_.addRoute(Method::kGet, "/x", "x", Scope::kPublic, nullptr).code(),
            ErrorCode::kValidation);
  ASSERT_TRUE(router_.addRoute(Method::kGet, "/a/:id", "first", Scope::kPublic, ok));
  EXPECT_EQ(router_.addRoute(Method::kGet, "/a/:other", "second", Scope::kPublic, ok).code(),
            ErrorCode::kConflict);
  EXPECT_TRUE(router_.addRoute(Method::kPost, "/a/:other", "third", Scope::kPublic, ok));
  EXPECT_EQ(logger_.lines().size(), 5u);  // every rejection is logged
}

TEST_F(ApiRouterTest, MalformedPathsAreValidationErrors) {
  const auto r = call(Method::kGet, "/api/database/%zz/chat-agents");
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(codeOf(r), "VALIDATION_ERROR");
}

// ---------------------------------------------------------------------------------------------
// Inline handlers (answered on the network thread).

class ApiRouterInlineTest : public ApiRouterTest {
 protected:
  // A public webhook route whose ordinary handler counts its calls.
  void addWebhookRoute(const std::string& pattern = "/webhooks/:channel",
                       const std::string& operation = "webhook") {
    ASSERT_TRUE(router_.addRoute(
        Method::kPost, pattern, operation, Scope::kPublic,
        [this](const sdk::Request&, const sdk::RouteContext&) -> sdk::Result<sdk::Response> {
          ++ordinaryCalls_;
          return sdk::Response::text(200, "ordinary");
        }));
  }

  // Offers a request to tryInline; every answer it gives is appended to answers_.
  bool offer(Method method, const std::string& path) {
    sdk::Request request;
    request.method = method;
    request.path = path;
    return router_.tryInline(request,
                             [this](sdk::Response r) { answers_.push_back(std::move(r)); });
  }

  int ordinaryCalls_ = 0;
  std::vector<sdk::Response> answers_;
};

// An InlineHandler answering `response` at once.
InlineHandler answering(sdk::Result<sdk::Response> response) {
  return [response](const sdk::Request&, InlineReply reply) {
    reply(response);
    return true;
  };
}

TEST_F(ApiRouterInlineTest, TakesTheRequestAndAnswersWithAnOperationIdAndACountedMetric) {
  addWebhookRoute();
  ASSERT_TRUE(router_.setInlineHandler(Method::kPost, "/webhooks/:channel",
                                       answering(sdk::Response::text(200, "EVENT_RECEIVED"))));
  EXPECT_TRUE(offer(Method::kPost, "/webhooks/fakechat"));
  ASSERT_EQ(answers_.size(), 1u);
  EXPECT_EQ(answers_[0].status, 200);
  EXPECT_EQ(answers_[0].body, "EVENT_RECEIVED");
  EXPECT_EQ(headerOf(answers_[0], "X-Operation-Id").size(), 36u);
  EXPECT_EQ(ordinaryCalls_, 0);
  EXPECT_EQ(authCalls_, 0);
  const std::string text = metrics_.renderPrometheus();
  EXPECT_NE(text.find("chathost_http_requests_total{method=\"POST\",operation=\"webhook\","
                      "status=\"200\"} 1\n"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("chathost_http_request_duration_seconds_count{operation=\"webhook\"} 1\n"),
            std::string::npos);
}

TEST_F(ApiRouterInlineTest, ADecliningHandlerAnswersNothingAndLeavesTheRequestToHandle) {
  addWebhookRoute();
  int inlineCalls = 0;
  ASSERT_TRUE(router_.setInlineHandler(Method::kPost, "/webhooks/:channel",
                                       [&inlineCalls](const sdk::Request&, InlineReply) {
                                         ++inlineCalls;
                                         return false;
                                       }));
  EXPECT_FALSE(offer(Method::kPost, "/webhooks/fakechat"));
  EXPECT_EQ(inlineCalls, 1);
  EXPECT_TRUE(answers_.empty());
  EXPECT_EQ(metrics_.renderPrometheus().find("operation=\"webhook\",status="), std::string::npos);
  const auto r = call(Method::kPost, "/webhooks/fakechat");
  EXPECT_EQ(r.body, "ordinary");
  EXPECT_EQ(ordinaryCalls_, 1);
}

TEST_F(ApiRouterInlineTest, RequestsOfRoutesWithoutAnInlineHandlerAreNotTaken) {
  addWebhookRoute();
  addWebhookRoute("/webhooks/instagram", "webhook.ig");  // more specific, no inline handler
  ASSERT_TRUE(router_.addRoute(
      Method::kGet, "/webhooks/:channel", "webhookVerify", Scope::kPublic,
      [](const sdk::Request&, const sdk::RouteContext&) -> sdk::Result<sdk::Response> {
        return sdk::Response::text(200, "challenge");
      }));
  ASSERT_TRUE(router_.setInlineHandler(Method::kPost, "/webhooks/:channel",
                                       answering(sdk::Response::text(200, "inline"))));
  EXPECT_FALSE(offer(Method::kPost, "/webhooks/instagram"));
  EXPECT_FALSE(offer(Method::kGet, "/webhooks/fakechat"));
  EXPECT_FALSE(offer(Method::kPost, "/nowhere"));
  EXPECT_FALSE(offer(Method::kPost, "/webhooks/a/b"));
  EXPECT_TRUE(answers_.empty());
  EXPECT_TRUE(offer(Method::kPost, "/webhooks/telegram"));
  ASSERT_EQ(answers_.size(), 1u);
  EXPECT_EQ(answers_[0].body, "inline");
}

TEST_F(ApiRouterInlineTest, InvalidIdsAreLeftToHandle) {
  const std::string pattern = std::string(ApiRouter::kAgentRoutePrefix) + "fakechat/webhook";
  addWebhookRoute(pattern);
  int inlineCalls = 0;
  ASSERT_TRUE(router_.setInlineHandler(Method::kPost, pattern,
                                       [&inlineCalls](const sdk::Request&, InlineReply reply) {
                                         ++inlineCalls;
                                         reply(sdk::Response::text(200, "inline"));
                                         return true;
                                       }));
  const std::string badAgent = "/api/database/acme/chat-agents/a%20b/fakechat/webhook";
  EXPECT_FALSE(offer(Method::kPost, badAgent));
  EXPECT_FALSE(offer(Method::kPost, "/api/database/ac.me/chat-agents/agent-1/fakechat/webhook"));
  EXPECT_FALSE(offer(Method::kPost, "/api/database/acme/chat-agents/" + std::string(65, 'a') +
                                        "/fakechat/webhook"));
  EXPECT_EQ(inlineCalls, 0);
  EXPECT_TRUE(answers_.empty());
  EXPECT_EQ(call(Method::kPost, badAgent).status, 400);  // handle() renders the refusal
}

TEST_F(ApiRouterInlineTest, PathParamsAreFilledForTheInlineHandler) {
  const std::string pattern = std::string(ApiRouter::kAgentRoutePrefix) + "fakechat/webhook";
  addWebhookRoute(pattern);
  std::map<std::string, std::string> seen;
  ASSERT_TRUE(router_.setInlineHandler(Method::kPost, pattern,
                                       [&seen](const sdk::Request& r, InlineReply reply) {
                                         seen = r.pathParams;
                                         reply(sdk::Response::text(200, "ok"));
                                         return true;
                                       }));
  sdk::Request request;
  request.method = Method::kPost;
  request.path = "/api/database/acme/chat-agents/agent-1/fakechat/webhook";
  EXPECT_TRUE(router_.tryInline(request, [](sdk::Response) {}));
  const std::map<std::string, std::string> expected{{"subaccountId", "acme"},
                                                    {"agentId", "agent-1"}};
  EXPECT_EQ(seen, expected);
  EXPECT_EQ(request.pathParams, expected);
  EXPECT_EQ(authCalls_, 0);
  EXPECT_EQ(lookupCalls_, 0);
}

TEST_F(ApiRouterInlineTest, AnErrorResultIsAnsweredAsAnEnvelopeWithItsStatus) {
  addWebhookRoute();
  ASSERT_TRUE(router_.setInlineHandler(
      Method::kPost, "/webhooks/:channel",
      answering(sdk::Status(ErrorCode::kForbidden, "webhook verification failed"))));
  EXPECT_TRUE(offer(Method::kPost, "/webhooks/fakechat"));
  ASSERT_EQ(answers_.size(), 1u);
  const auto& r = answers_[0];
  EXPECT_EQ(r.status, 403);
  EXPECT_EQ(codeOf(r), "FORBIDDEN");
  EXPECT_NE(r.body.find("\"operation\":\"webhook\""), std::string::npos) << r.body;
  const std::string opId = headerOf(r, "X-Operation-Id");
  EXPECT_NE(r.body.find("\"operationId\":\"" + opId + "\""), std::string::npos);
  EXPECT_NE(metrics_.renderPrometheus().find("chathost_http_requests_total{method=\"POST\","
                                             "operation=\"webhook\",status=\"403\"} 1\n"),
            std::string::npos);
  const auto lines = logger_.lines();
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_EQ(lines[0].field("path"), "/webhooks/fakechat");
  EXPECT_EQ(lines[0].field("code"), "FORBIDDEN");
}

TEST_F(ApiRouterInlineTest, AnUnavailableResultIs503) {
  addWebhookRoute();
  ASSERT_TRUE(router_.setInlineHandler(
      Method::kPost, "/webhooks/:channel",
      answering(sdk::Status::unavailable("could not record the webhook events"))));
  EXPECT_TRUE(offer(Method::kPost, "/webhooks/fakechat"));
  ASSERT_EQ(answers_.size(), 1u);
  EXPECT_EQ(answers_[0].status, 503);
  EXPECT_EQ(codeOf(answers_[0]), "SERVICE_UNAVAILABLE");
}

TEST_F(ApiRouterInlineTest, AnInlineHandlerThatThrowsIsAnswered500) {
  addWebhookRoute();
  ASSERT_TRUE(router_.setInlineHandler(
      Method::kPost, "/webhooks/:channel",
      [](const sdk::Request&, InlineReply) -> bool { throw std::runtime_error("secret detail"); }));
  EXPECT_TRUE(offer(Method::kPost, "/webhooks/fakechat"));
  ASSERT_EQ(answers_.size(), 1u);
  EXPECT_EQ(answers_[0].status, 500);
  EXPECT_EQ(codeOf(answers_[0]), "INTERNAL_ERROR");
  EXPECT_EQ(answers_[0].body.find("secret detail"), std::string::npos);
  EXPECT_EQ(ordinaryCalls_, 0);
  const auto lines = logger_.lines();
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_EQ(lines[0].level, sdk::LogLevel::kError);
  EXPECT_NE(lines[0].field("error").find("secret detail"), std::string::npos);
}

TEST_F(ApiRouterInlineTest, OnlyTheFirstReplyIsAnswered) {
  addWebhookRoute();
  ASSERT_TRUE(router_.setInlineHandler(Method::kPost, "/webhooks/:channel",
                                       [](const sdk::Request&, InlineReply reply) {
                                         reply(sdk::Response::text(200, "first"));
                                         reply(sdk::Response::text(200, "second"));
                                         reply(sdk::Status::internal("third"));
                                         return true;
                                       }));
  EXPECT_TRUE(offer(Method::kPost, "/webhooks/fakechat"));
  ASSERT_EQ(answers_.size(), 1u);
  EXPECT_EQ(answers_[0].body, "first");
  EXPECT_NE(metrics_.renderPrometheus().find("chathost_http_requests_total{method=\"POST\","
                                             "operation=\"webhook\",status=\"200\"} 1\n"),
            std::string::npos);
}

TEST_F(ApiRouterInlineTest, AReplyMayComeLaterFromAnotherThread) {
  addWebhookRoute();
  InlineReply kept;
  ASSERT_TRUE(router_.setInlineHandler(Method::kPost, "/webhooks/:channel",
                                       [&kept](const sdk::Request&, InlineReply reply) {
                                         kept = std::move(reply);
                                         return true;
                                       }));
  EXPECT_TRUE(offer(Method::kPost, "/webhooks/fakechat"));
  EXPECT_TRUE(answers_.empty());
  ASSERT_TRUE(kept);
  std::thread later([&kept] { kept(sdk::Response::text(200, "later")); });
  later.join();
  ASSERT_EQ(answers_.size(), 1u);
  EXPECT_EQ(answers_[0].body, "later");
  EXPECT_FALSE(headerOf(answers_[0], "X-Operation-Id").empty());
}

TEST_F(ApiRouterInlineTest, SetInlineHandlerNeedsAnExistingPublicRoute) {
  addWebhookRoute();
  ASSERT_TRUE(router_.addRoute(
      Method::kPost, "/api/database/:subaccountId/chat-agents", "agents.create", Scope::kSubaccount,
      [](const sdk::Request&, const sdk::RouteContext&) -> sdk::Result<sdk::Response> {
        return sdk::Response::okJson("{}");
      }));
  addPluginAgentRoute(Method::kPost, "fakechat/connect", "fakechat.connect");
  const auto handler = answering(sdk::Response::text(200, "x"));
  EXPECT_EQ(router_.setInlineHandler(Method::kPost, "/webhooks/other/x", handler).code(),
            ErrorCode::kNotFound);
  EXPECT_EQ(router_.setInlineHandler(Method::kGet, "/webhooks/:channel", handler).code(),
            ErrorCode::kNotFound);
  EXPECT_EQ(
      router_.setInlineHandler(Method::kPost, "/api/database/:subaccountId/chat-agents", handler)
          .code(),
      ErrorCode::kValidation);
  EXPECT_EQ(
      router_
          .setInlineHandler(Method::kPost,
                            std::string(ApiRouter::kAgentRoutePrefix) + "fakechat/connect", handler)
          .code(),
      ErrorCode::kValidation);
  // None of the refused ones became inline.
  EXPECT_FALSE(offer(Method::kPost, "/api/database/acme/chat-agents"));
  EXPECT_FALSE(offer(Method::kPost, "/api/database/acme/chat-agents/agent-1/fakechat/connect"));
  EXPECT_TRUE(answers_.empty());
}

TEST_F(ApiRouterInlineTest, WithoutAnyInlineHandlerNothingIsTaken) {
  addWebhookRoute();
  EXPECT_FALSE(offer(Method::kPost, "/webhooks/fakechat"));
  EXPECT_TRUE(answers_.empty());
  EXPECT_EQ(ordinaryCalls_, 0);
}

}  // namespace
}  // namespace chathost::host
