// The OpenAPI document built from a route table, the loaded channels and the catalog; the route
// table's listing; and GET /api/openapi.json as the router serves it.

#include "app/openapi/openapi_document.h"
#include "app/openapi/openapi_catalog.h"
#include "app/openapi_route.h"
#include "conversation/channel_registry.h"
#include "http/api_router.h"

#include <chathost/sdk/testing/fakes.h>

#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <gtest/gtest.h>

#include <set>

namespace chathost::host {
namespace {

using sdk::Method;
using Scope = ApiRouter::Scope;
using Route = ApiRouter::RouteInfo;
using Poco::JSON::Array;
using Poco::JSON::Object;

constexpr const char* kAgentBase = "/api/database/:subaccountId/chat-agents/:agentId/";

sdk::ChannelDescription channel(const std::string& name, const std::string& displayName) {
  sdk::ChannelDescription d;
  d.name = name;
  d.displayName = displayName;
  d.maxTextBytes = 1000;
  d.connectFields = {{"accessToken", "Access token", true, true},
                     {"pageId", "Page id", false, false}};
  d.replyWindowMs = 24 * 3'600'000LL;
  d.messageTags = {"HUMAN_AGENT"};
  d.taggedWindowMs = 7 * 24 * 3'600'000LL;
  d.sendsAttachments = true;
  d.oauthConnect = true;
  return d;
}

// The routes the host registers for one channel (conversation/channel_routes.cpp,
// channel_sign_in.cpp, webhook_ingress.cpp).
std::vector<Route> channelRoutes(const std::string& name) {
  const std::string base = kAgentBase + name + "/";
  return {
      {Method::kPost, base + "connect", "connect", Scope::kAgent, true},
      {Method::kGet, base + "status", "status", Scope::kAgent, true},
      {Method::kPost, base + "send", "send", Scope::kAgent, true},
      {Method::kGet, base + "messages", "messages", Scope::kAgent, true},
      {Method::kGet, base + "messages/:chatId", "thread", Scope::kAgent, true},
      {Method::kPost, base + "disconnect", "disconnect", Scope::kAgent, true},
      {Method::kPost, base + "oauth/start", "oauth start", Scope::kAgent, true},
      {Method::kGet, "/oauth/" + name + "/callback", "oauth callback", Scope::kPublic, true},
      {Method::kGet, base + "webhook", "webhookVerify", Scope::kPublic, true},
      {Method::kPost, base + "webhook", "webhook", Scope::kPublic, true},
      {Method::kGet, "/webhooks/" + name, "webhookVerify", Scope::kPublic, true},
      {Method::kPost, "/webhooks/" + name, "webhook", Scope::kPublic, true},
  };
}

std::vector<Route> hostRoutes() {
  const std::string agents = "/api/database/:subaccountId/chat-agents";
  return {
      {Method::kGet, "/healthz", "healthz", Scope::kPublic, false},
      {Method::kGet, "/readyz", "readyz", Scope::kPublic, false},
      {Method::kGet, "/metrics", "metrics", Scope::kPublic, false},
      {Method::kPost, agents, "createAgent", Scope::kSubaccount, false},
      {Method::kGet, agents, "listAgents", Scope::kSubaccount, false},
      {Method::kGet, agents + "/:agentId", "getAgent", Scope::kAgent, false},
      {Method::kPatch, agents + "/:agentId", "updateAgent", Scope::kAgent, false},
      {Method::kDelete, agents + "/:agentId", "deleteAgent", Scope::kAgent, false},
      {Method::kGet, "/api/openapi.json", "openapi", Scope::kPublic, false},
      {Method::kGet, "/api/database/:subaccountId/channels", "listChannels", Scope::kSubaccount,
       false},
  };
}

OpenApiInputs twoChannels() {
  OpenApiInputs in;
  in.catalogJson = embeddedOpenApiCatalog();
  in.routes = hostRoutes();
  for (const char* name : {"instagram", "messenger"}) {
    auto routes = channelRoutes(name);
    in.routes.insert(in.routes.end(), routes.begin(), routes.end());
  }
  in.channels = {channel("instagram", "Instagram"), channel("messenger", "Messenger")};
  in.version = "9.8.7";
  return in;
}

Object::Ptr parse(const std::string& text) {
  return Poco::JSON::Parser().parse(text).extract<Object::Ptr>();
}

Object::Ptr build(const OpenApiInputs& in) {
  auto doc = buildOpenApiDocument(in);
  EXPECT_TRUE(doc) << doc.status().message();
  if (!doc) return new Object;
  return parse(doc->json);
}

Object::Ptr operationOf(const Object::Ptr& doc, const std::string& path,
                        const std::string& method) {
  auto item = doc->getObject("paths")->getObject(path);
  if (!item) return nullptr;
  return item->getObject(method);
}

std::set<std::string> codesOf(const Object::Ptr& op, const std::string& status) {
  std::set<std::string> out;
  auto response = op->getObject("responses")->getObject(status);
  if (!response) return out;
  auto schema = response->getObject("content")->getObject("application/json")->getObject("schema");
  auto codes = schema->getArray("allOf")
                   ->getObject(1)
                   ->getObject("properties")
                   ->getObject("code")
                   ->getArray("enum");
  for (std::size_t i = 0; i < codes->size(); ++i) out.insert(codes->getElement<std::string>(i));
  return out;
}

TEST(OpenApiDocument, DescribesEveryHostAndChannelRoute) {
  const auto in = twoChannels();
  auto doc = buildOpenApiDocument(in);
  ASSERT_TRUE(doc) << doc.status().message();
  std::string undescribed;
  for (const auto& r : doc->undescribed) undescribed += describeRoute(r) + "\n";
  EXPECT_TRUE(doc->undescribed.empty()) << undescribed;
  EXPECT_TRUE(undescribedRoutes(in).empty());

  auto json = parse(doc->json);
  EXPECT_EQ(json->getValue<std::string>("openapi"), "3.1.0");
  EXPECT_EQ(json->getObject("info")->getValue<std::string>("version"), "9.8.7");
  // The paths are exactly the table's routes.
  std::set<std::string> expected, actual;
  for (const auto& r : in.routes)
    expected.insert(std::string(r.method == Method::kGet      ? "get"
                                : r.method == Method::kPost   ? "post"
                                : r.method == Method::kPatch  ? "patch"
                                : r.method == Method::kDelete ? "delete"
                                                              : "put") +
                    " " + openApiPath(r.pattern));
  auto paths = json->getObject("paths");
  std::vector<std::string> names;
  paths->getNames(names);
  for (const auto& path : names) {
    std::vector<std::string> methods;
    paths->getObject(path)->getNames(methods);
    for (const auto& m : methods) actual.insert(m + " " + path);
  }
  EXPECT_EQ(actual, expected);
}

TEST(OpenApiDocument, ChannelRoutesGetOneOperationIdAndTagPerChannel) {
  auto json = build(twoChannels());
  const std::string ig = "/api/database/{subaccountId}/chat-agents/{agentId}/instagram/connect";
  const std::string ms = "/api/database/{subaccountId}/chat-agents/{agentId}/messenger/connect";
  auto igConnect = operationOf(json, ig, "post");
  auto msConnect = operationOf(json, ms, "post");
  ASSERT_TRUE(igConnect && msConnect);
  EXPECT_EQ(igConnect->getValue<std::string>("operationId"), "instagramConnect");
  EXPECT_EQ(msConnect->getValue<std::string>("operationId"), "messengerConnect");
  EXPECT_EQ(igConnect->getArray("tags")->getElement<std::string>(0), "Instagram");
  EXPECT_EQ(msConnect->getArray("tags")->getElement<std::string>(0), "Messenger");
  EXPECT_NE(msConnect->getValue<std::string>("summary").find("Messenger"), std::string::npos);
  // The body comes from the channel's connect fields.
  auto body =
      json->getObject("components")->getObject("schemas")->getObject("MessengerConnectBody");
  ASSERT_TRUE(body);
  EXPECT_TRUE(body->getObject("properties")->has("accessToken"));
  EXPECT_EQ(body->getArray("required")->size(), 1u);

  std::set<std::string> ids;
  std::size_t operations = 0;
  auto paths = json->getObject("paths");
  std::vector<std::string> names;
  paths->getNames(names);
  for (const auto& path : names) {
    std::vector<std::string> methods;
    paths->getObject(path)->getNames(methods);
    for (const auto& m : methods) {
      ++operations;
      ids.insert(paths->getObject(path)->getObject(m)->getValue<std::string>("operationId"));
    }
  }
  EXPECT_EQ(ids.size(), operations) << "operationIds must be unique";
}

TEST(OpenApiDocument, ErrorAnswersFollowTheRouteKind) {
  auto json = build(twoChannels());
  auto getAgent = operationOf(json, "/api/database/{subaccountId}/chat-agents/{agentId}", "get");
  ASSERT_TRUE(getAgent);
  EXPECT_EQ(codesOf(getAgent, "401"), std::set<std::string>{"UNAUTHORIZED"});
  EXPECT_EQ(codesOf(getAgent, "403"), std::set<std::string>{"FORBIDDEN"});
  EXPECT_EQ(codesOf(getAgent, "404"), std::set<std::string>{"AGENT_NOT_FOUND"});
  EXPECT_EQ(codesOf(getAgent, "400"), std::set<std::string>{"VALIDATION_ERROR"});
  EXPECT_FALSE(getAgent->has("security")) << "JWT routes use the document's bearer security";

  auto send = operationOf(json, "/api/database/{subaccountId}/chat-agents/{agentId}/instagram/send",
                          "post");
  ASSERT_TRUE(send);
  EXPECT_EQ(codesOf(send, "409"), (std::set<std::string>{"NOT_CONNECTED", "OUTSIDE_WINDOW"}));
  EXPECT_EQ(codesOf(send, "401"), (std::set<std::string>{"UNAUTHORIZED", "AUTH_FAILED"}));
  EXPECT_EQ(codesOf(send, "413"), std::set<std::string>{"PAYLOAD_TOO_LARGE"});
  EXPECT_EQ(codesOf(send, "502"), std::set<std::string>{"API_ERROR"});

  auto thread = operationOf(
      json, "/api/database/{subaccountId}/chat-agents/{agentId}/instagram/messages/{chatId}",
      "get");
  ASSERT_TRUE(thread);
  EXPECT_EQ(codesOf(thread, "404"), (std::set<std::string>{"AGENT_NOT_FOUND", "NOT_FOUND"}));

  auto health = operationOf(json, "/healthz", "get");
  ASSERT_TRUE(health);
  EXPECT_EQ(health->getArray("security")->size(), 0u) << "public routes need no token";
  EXPECT_FALSE(health->getObject("responses")->has("401"));
  EXPECT_FALSE(health->getObject("responses")->has("400"));
  EXPECT_EQ(codesOf(health, "500"), std::set<std::string>{"INTERNAL_ERROR"});

  auto webhook = operationOf(json, "/webhooks/messenger", "post");
  ASSERT_TRUE(webhook);
  EXPECT_EQ(codesOf(webhook, "403"), std::set<std::string>{"FORBIDDEN"});
  EXPECT_EQ(webhook->getArray("security")->size(), 0u);
}

TEST(OpenApiDocument, ErrorCodeSchemaListsEveryCodeWithItsStatus) {
  auto json = build(twoChannels());
  auto schema = json->getObject("components")->getObject("schemas")->getObject("ErrorCode");
  ASSERT_TRUE(schema);
  auto rows = schema->getArray("x-error-codes");
  std::map<std::string, int> statuses;
  for (std::size_t i = 0; i < rows->size(); ++i)
    statuses[rows->getObject(i)->getValue<std::string>("code")] =
        rows->getObject(i)->getValue<int>("status");
  EXPECT_EQ(statuses.size(), schema->getArray("enum")->size());
  EXPECT_EQ(statuses.at("OUTSIDE_WINDOW"), 409);
  EXPECT_EQ(statuses.at("AUTH_FAILED"), 401);
  EXPECT_EQ(statuses.at("API_ERROR"), 502);
  EXPECT_EQ(statuses.at("SERVICE_UNAVAILABLE"), 503);
  EXPECT_EQ(statuses.size(), 15u);
  EXPECT_NE(schema->getValue<std::string>("description").find("| OUTSIDE_WINDOW | 409 |"),
            std::string::npos);
}

TEST(OpenApiDocument, SendBodyFollowsTheChannelsAbilities) {
  auto plain = channel("plain", "Plain");
  plain.sendsAttachments = false;
  plain.messageTags.clear();
  plain.maxTextBytes = 640;
  OpenApiInputs in;
  in.catalogJson = embeddedOpenApiCatalog();
  in.routes = channelRoutes("plain");
  in.channels = {plain, channel("rich", "Rich")};
  auto json = build(in);
  auto schemas = json->getObject("components")->getObject("schemas");
  auto simple = schemas->getObject("PlainSendBody");
  ASSERT_TRUE(simple);
  EXPECT_FALSE(simple->getObject("properties")->has("attachment"));
  EXPECT_FALSE(simple->getObject("properties")->has("tag"));
  EXPECT_EQ(simple->getArray("required")->size(), 2u);
  EXPECT_NE(simple->getObject("properties")
                ->getObject("message")
                ->getValue<std::string>("description")
                .find("640 bytes"),
            std::string::npos);
  auto rich = schemas->getObject("RichSendBody");
  ASSERT_TRUE(rich);
  EXPECT_TRUE(rich->getObject("properties")->has("attachment"));
  EXPECT_EQ(
      rich->getObject("properties")->getObject("tag")->getArray("enum")->getElement<std::string>(0),
      "HUMAN_AGENT");
}

TEST(OpenApiDocument, AKnownChannelAnswersItsOwnConnectMembers) {
  auto json = build(twoChannels());
  auto schemas = json->getObject("components")->getObject("schemas");
  EXPECT_TRUE(
      schemas->getObject("InstagramConnectData")->getObject("properties")->has("qrCodeDataUrl"));
  EXPECT_EQ(schemas->getObject("MessengerConnectData")->getValue<std::string>("$ref"),
            "#/components/schemas/ConnectData");
}

TEST(OpenApiDocument, AnUndescribedRouteIsReportedAndStillListed) {
  auto in = twoChannels();
  in.routes.push_back(
      {Method::kGet, std::string(kAgentBase) + "instagram/qr", "qr", Scope::kAgent, true});
  // A described operation name on a path the catalog does not have is undescribed too.
  in.routes.push_back(
      {Method::kGet, "/api/database/:subaccountId/stats", "listAgents", Scope::kSubaccount, false});
  auto doc = buildOpenApiDocument(in);
  ASSERT_TRUE(doc) << doc.status().message();
  ASSERT_EQ(doc->undescribed.size(), 2u);
  EXPECT_EQ(describeRoute(doc->undescribed[0]),
            "GET /api/database/:subaccountId/chat-agents/:agentId/instagram/qr (qr)");
  EXPECT_EQ(undescribedRoutes(in).size(), 2u);
  auto op = operationOf(parse(doc->json),
                        "/api/database/{subaccountId}/chat-agents/{agentId}/instagram/qr", "get");
  ASSERT_TRUE(op);
  EXPECT_TRUE(op->getValue<bool>("x-undescribed"));
  EXPECT_EQ(codesOf(op, "404"), std::set<std::string>{"AGENT_NOT_FOUND"});
}

TEST(OpenApiDocument, ChannelRoutesOfAChannelThatIsNotLoadedAreUndescribed) {
  OpenApiInputs in;
  in.catalogJson = embeddedOpenApiCatalog();
  in.routes = channelRoutes("telegram");
  in.channels = {channel("instagram", "Instagram")};
  EXPECT_EQ(undescribedRoutes(in).size(), in.routes.size());
}

std::string catalogWith(const std::string& from, const std::string& to) {
  std::string text(embeddedOpenApiCatalog());
  const auto at = text.find(from);
  EXPECT_NE(at, std::string::npos) << from;
  if (at != std::string::npos) text.replace(at, from.size(), to);
  return text;
}

TEST(OpenApiDocument, ABrokenCatalogIsAnErrorNamingTheProblem) {
  auto in = twoChannels();
  auto fails = [&](const std::string& catalog, const std::string& words) {
    in.catalogJson = catalog;
    auto doc = buildOpenApiDocument(in);
    ASSERT_FALSE(doc) << "expected: " << words;
    EXPECT_NE(doc.status().message().find(words), std::string::npos) << doc.status().message();
    EXPECT_EQ(undescribedRoutes(in).size(), in.routes.size());
  };
  fails("{not json", "not JSON");
  // An error code at the wrong status.
  fails(catalogWith(R"("409": ["CONFLICT"])", R"("400": ["CONFLICT"])"),
        "CONFLICT is answered with HTTP 409, not 400");
  fails(catalogWith(R"("409": ["CONFLICT"])", R"("409": ["NO_SUCH_CODE"])"),
        "unknown error code NO_SUCH_CODE");
  fails(catalogWith(R"("CONFLICT": ")", R"("CONFLICTS": ")"),
        "does not describe error code CONFLICT");
  fails(catalogWith(R"("operationId": "{channel}Status")", R"("operationId": "{channel}Send")"),
        "operationId instagramSend is used twice");
  fails(catalogWith(R"("method": "GET", "pattern": "/healthz")",
                    R"("method": "FETCH", "pattern": "/healthz")"),
        "no valid method");
}

TEST(OpenApiDocument, PathsUseOpenApiTemplates) {
  EXPECT_EQ(openApiPath("/api/database/:subaccountId/chat-agents/:agentId"),
            "/api/database/{subaccountId}/chat-agents/{agentId}");
  EXPECT_EQ(openApiPath("/files/*rest"), "/files/{rest}");
  EXPECT_EQ(openApiPath("/a:b/c"), "/a:b/c");
  EXPECT_EQ(channelKey("instagram"), "Instagram");
  EXPECT_EQ(channelKey("fb-messenger_dm"), "FbMessengerDm");
}

// ApiRouter's listing and the served document, through the router as requests reach it.
class OpenApiRouteTest : public ::testing::Test {
 protected:
  OpenApiRouteTest()
      : router_([](const sdk::Request&, const std::string&) { return sdk::Status::ok(); },
                [](const std::string&,
                   const std::string&) -> sdk::Result<std::optional<sdk::AgentInfo>> {
                  return std::optional<sdk::AgentInfo>();
                },
                metrics_, logger_) {}

  sdk::Response get(const std::vector<std::pair<std::string, std::string>>& headers = {}) {
    sdk::Request req;
    req.method = Method::kGet;
    req.path = OpenApiRoute::kPath;
    req.headers = headers;
    return router_.handle(req);
  }
  static std::string header(const sdk::Response& r, const std::string& name) {
    for (const auto& [k, v] : r.headers)
      if (sdk::equalsIgnoreCase(k, name)) return v;
    return {};
  }

  sdk::testing::FakeMetrics metrics_;
  sdk::testing::FakeLogger logger_;
  ApiRouter router_;
  ChannelRegistry channels_;
};

TEST_F(OpenApiRouteTest, TheRouterListsHostAndPluginRoutes) {
  auto handler = [](const sdk::Request&, const sdk::RouteContext&) -> sdk::Result<sdk::Response> {
    return sdk::Response::okJson("{}");
  };
  ASSERT_TRUE(router_.addRoute(Method::kGet, "/healthz", "healthz", Scope::kPublic, handler));
  static_cast<sdk::Router&>(router_).addAgentRoute(Method::kPost, "chan/connect", "connect",
                                                   handler);
  static_cast<sdk::Router&>(router_).addPublicRoute(Method::kPost, "/webhooks/chan", "webhook",
                                                    handler);
  auto routes = router_.routes();
  ASSERT_EQ(routes.size(), 3u);
  EXPECT_EQ(routes[0].pattern, "/healthz");
  EXPECT_EQ(routes[0].operation, "healthz");
  EXPECT_FALSE(routes[0].fromPlugin);
  EXPECT_EQ(routes[1].pattern, "/api/database/:subaccountId/chat-agents/:agentId/chan/connect");
  EXPECT_EQ(routes[1].method, Method::kPost);
  EXPECT_EQ(routes[1].scope, Scope::kAgent);
  EXPECT_TRUE(routes[1].fromPlugin);
  EXPECT_EQ(routes[2].scope, Scope::kPublic);
  router_.clearPluginRoutes();
  EXPECT_EQ(router_.routes().size(), 1u);
}

TEST_F(OpenApiRouteTest, ServesTheBuiltDocumentWithoutATokenAndRevalidatesByEtag) {
  OpenApiRoute route(router_);
  EXPECT_EQ(get().status, 503) << "nothing to serve before the document is built";

  ASSERT_TRUE(route.publish(channels_, "1.2.3", logger_));
  EXPECT_TRUE(route.undescribed().empty());
  auto first = get();
  ASSERT_EQ(first.status, 200) << first.body;
  EXPECT_EQ(first.contentType, "application/json");
  auto doc = parse(first.body);
  EXPECT_EQ(doc->getValue<std::string>("openapi"), "3.1.0");
  EXPECT_TRUE(doc->getObject("paths")->getObject("/api/openapi.json"));
  const std::string etag = header(first, "ETag");
  ASSERT_FALSE(etag.empty());
  EXPECT_EQ(header(first, "Cache-Control"), "no-cache");

  auto again = get({{"If-None-Match", "\"other\", " + etag}});
  EXPECT_EQ(again.status, 304);
  EXPECT_TRUE(again.body.empty());
  EXPECT_EQ(get({{"If-None-Match", "\"stale\""}}).status, 200);
}

TEST_F(OpenApiRouteTest, AnUndescribedRouteIsLoggedAtPublication) {
  auto handler = [](const sdk::Request&, const sdk::RouteContext&) -> sdk::Result<sdk::Response> {
    return sdk::Response::okJson("{}");
  };
  OpenApiRoute route(router_);
  ASSERT_TRUE(router_.addRoute(Method::kGet, "/secret-admin", "admin", Scope::kPublic, handler));
  ASSERT_TRUE(route.publish(channels_, "1.2.3", logger_));
  ASSERT_EQ(route.undescribed().size(), 1u);
  EXPECT_TRUE(logger_.contains(sdk::LogLevel::kWarning, "routes without an API description"));
}

}  // namespace
}  // namespace chathost::host
