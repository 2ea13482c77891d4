#include "http/api_router.h"

#include <algorithm>
#include <array>
#include <atomic>
#include <chrono>
#include <exception>
#include <map>
#include <memory>

#include "http/envelope.h"
#include "http/id_rules.h"
#include "http/methods.h"
#include "http/route_pattern.h"

namespace chathost::host {
namespace {

using Clock = std::chrono::steady_clock;

constexpr const char* kRequestsTotal = "chathost_http_requests_total";
constexpr const char* kRequestsHelp = "HTTP requests answered, by operation, method and status.";
constexpr const char* kDuration = "chathost_http_request_duration_seconds";
constexpr const char* kDurationHelp = "Time to answer an HTTP request, by operation.";
const std::string kUnmatchedOperation = "unmatched";
const std::string kNoRoute = "-";

std::size_t methodIndex(sdk::Method m) {
  return static_cast<std::size_t>(m);
}

}  // namespace

// Request counters of one (operation, method), one per HTTP status, looked up from the registry
// the first time a status occurs and cached, so counting a request takes no lock.
struct ApiRouter::StatusCounters {
  std::string operation;
  std::string method;
  std::array<std::atomic<sdk::Counter*>, 500> byStatus{};  // HTTP 100..599

  sdk::Counter& get(sdk::Metrics& metrics, int status) {
    status = std::clamp(status, 100, 599);
    std::atomic<sdk::Counter*>& slot = byStatus[static_cast<std::size_t>(status - 100)];
    sdk::Counter* counter = slot.load(std::memory_order_acquire);
    if (!counter) {  // a race here is harmless: the registry returns the same counter
      counter = &metrics.counter(
          kRequestsTotal, kRequestsHelp,
          {{"operation", operation}, {"method", method}, {"status", std::to_string(status)}});
      slot.store(counter, std::memory_order_release);
    }
    return *counter;
  }
};

struct ApiRouter::Route {
  RoutePattern pattern;
  sdk::Method method;
  std::string operation;
  Scope scope;
  sdk::RouteHandler handler;
  bool fromPlugin;
  bool hasSubaccountId;
  bool hasAgentId;
  sdk::Histogram* duration;
  std::unique_ptr<StatusCounters> counters;
  InlineHandler inlineHandler;  // empty for most routes
};

struct ApiRouter::Table {
  // Routes sharing one path shape, by method.
  struct PathEntry {
    RoutePattern pattern;
    std::array<const Route*, kMethodCount> byMethod{};
  };

  std::vector<std::unique_ptr<Route>> routes;
  std::vector<PathEntry> entries;  // most specific first: the first match wins
  std::array<std::unique_ptr<StatusCounters>, kMethodCount> unmatched;
  std::array<bool, kMethodCount> inlineMethods{};  // methods some inline handler answers
  sdk::Histogram* unmatchedDuration = nullptr;

  void rebuild() {
    entries.clear();
    for (const auto& route : routes) {
      auto it = std::find_if(entries.begin(), entries.end(), [&](const PathEntry& e) {
        return e.pattern.shape() == route->pattern.shape();
      });
      if (it == entries.end()) it = entries.insert(entries.end(), PathEntry{route->pattern, {}});
      it->byMethod[methodIndex(route->method)] = route.get();
    }
    std::stable_sort(entries.begin(), entries.end(), [](const PathEntry& a, const PathEntry& b) {
      return a.pattern.compareSpecificity(b.pattern) > 0;
    });
  }

  // The most specific path shape `segments` match, whatever the method; null when none does.
  const PathEntry* entryFor(const std::vector<std::string>& segments) const {
    for (const PathEntry& e : entries)
      if (e.pattern.match(segments, nullptr)) return &e;
    return nullptr;
  }
};

// What a request resolved to, for the metrics and the log line.
struct ApiRouter::Outcome {
  Clock::time_point start = Clock::now();
  std::string operationId = newOperationId();
  const std::string* operation = &kUnmatchedOperation;
  const std::string* route = &kNoRoute;
  StatusCounters* counters = nullptr;
  sdk::Histogram* duration = nullptr;
  sdk::Status error;  // the failure behind an error envelope

  std::int64_t elapsedMs() const {
    return std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - start).count();
  }
  sdk::Response fail(sdk::Status status) {
    error = std::move(status);
    return renderError(error, *operation, operationId, elapsedMs());
  }
};

ApiRouter::ApiRouter(AuthCheck authCheck, AgentLookup agentLookup, sdk::Metrics& metrics,
                     sdk::Logger& logger)
    : authCheck_(std::move(authCheck)),
      agentLookup_(std::move(agentLookup)),
      metrics_(metrics),
      logger_(logger),
      table_(std::make_unique<Table>()) {
  for (int i = 0; i < kMethodCount; ++i) {
    auto counters = std::make_unique<StatusCounters>();
    counters->operation = kUnmatchedOperation;
    counters->method = methodName(static_cast<sdk::Method>(i));
    table_->unmatched[static_cast<std::size_t>(i)] = std::move(counters);
  }
  table_->unmatchedDuration =
      &metrics_.histogram(kDuration, kDurationHelp, {{"operation", kUnmatchedOperation}});
}

ApiRouter::~ApiRouter() = default;

sdk::Status ApiRouter::addRoute(sdk::Method method, const std::string& pattern,
                                const std::string& operation, Scope scope,
                                sdk::RouteHandler handler) {
  return add(method, pattern, operation, scope, std::move(handler), false);
}

void ApiRouter::doAddAgentRoute(sdk::Method method, const std::string& subpath,
                                const std::string& operation, sdk::RouteHandler handler) {
  std::string_view rest = subpath;
  while (!rest.empty() && rest.front() == '/') rest.remove_prefix(1);
  add(method, kAgentRoutePrefix + std::string(rest), operation, Scope::kAgent, std::move(handler),
      true);
}

void ApiRouter::doAddPublicRoute(sdk::Method method, const std::string& path,
                                 const std::string& operation, sdk::RouteHandler handler) {
  add(method, path, operation, Scope::kPublic, std::move(handler), true);
}

sdk::Status ApiRouter::add(sdk::Method method, const std::string& pattern,
                           const std::string& operation, Scope scope, sdk::RouteHandler handler,
                           bool fromPlugin) {
  auto status = [&]() -> sdk::Status {
    auto parsed = RoutePattern::parse(pattern);
    if (!parsed) return parsed.status();
    if (!handler) return sdk::Status::validation("route " + pattern + " has no handler");
    if (operation.empty()) return sdk::Status::validation("route " + pattern + " has no operation");
    auto route = std::make_unique<Route>();
    route->pattern = std::move(parsed).value();
    route->hasSubaccountId = route->pattern.hasParam("subaccountId");
    route->hasAgentId = route->pattern.hasParam("agentId");
    if (scope != Scope::kPublic && !route->hasSubaccountId)
      return sdk::Status::validation("route " + pattern + " needs a :subaccountId parameter");
    if (scope == Scope::kAgent && !route->hasAgentId)
      return sdk::Status::validation("route " + pattern + " needs an :agentId parameter");
    for (const auto& other : table_->routes)
      if (other->method == method && other->pattern.shape() == route->pattern.shape())
        return {sdk::ErrorCode::kConflict, std::string("route ") + methodName(method) + " " +
                                               pattern + " clashes with " + other->pattern.text() +
                                               " (" + other->operation + ")"};
    route->method = method;
    route->operation = operation;
    route->scope = scope;
    route->handler = std::move(handler);
    route->fromPlugin = fromPlugin;
    route->duration = &metrics_.histogram(kDuration, kDurationHelp, {{"operation", operation}});
    route->counters = std::make_unique<StatusCounters>();
    route->counters->operation = operation;
    route->counters->method = methodName(method);
    table_->routes.push_back(std::move(route));
    table_->rebuild();
    return sdk::Status::ok();
  }();
  if (!status)
    logger_.error("route not added", {{"operation", operation}, {"error", status.message()}});
  return status;
}

void ApiRouter::clearPluginRoutes() {
  auto& routes = table_->routes;
  routes.erase(
      std::remove_if(routes.begin(), routes.end(), [](const auto& r) { return r->fromPlugin; }),
      routes.end());
  table_->rebuild();
}

std::vector<ApiRouter::RouteInfo> ApiRouter::routes() const {
  std::vector<RouteInfo> out;
  out.reserve(table_->routes.size());
  for (const auto& r : table_->routes)
    out.push_back({r->method, r->pattern.text(), r->operation, r->scope, r->fromPlugin});
  return out;
}

sdk::Response ApiRouter::handle(sdk::Request& request) {
  Outcome outcome;
  outcome.counters = table_->unmatched[methodIndex(request.method)].get();
  outcome.duration = table_->unmatchedDuration;
  sdk::Response response;
  try {
    response = dispatch(request, outcome);
  } catch (const std::exception& e) {
    response = outcome.fail(sdk::Status::internal(std::string("unhandled exception: ") + e.what()));
  } catch (...) {
    response = outcome.fail(sdk::Status::internal("unhandled exception"));
  }
  return finish(request.method, request.path, request.remoteAddress, outcome, std::move(response));
}

sdk::Status ApiRouter::setInlineHandler(sdk::Method method, const std::string& pattern,
                                        InlineHandler handler) {
  auto parsed = RoutePattern::parse(pattern);
  if (!parsed) return parsed.status();
  for (const auto& route : table_->routes) {
    if (route->method != method || route->pattern.shape() != parsed->shape()) continue;
    if (route->scope != Scope::kPublic)
      return sdk::Status::validation("inline handlers are for public routes only: " + pattern);
    route->inlineHandler = std::move(handler);
    table_->inlineMethods[methodIndex(method)] = true;
    return sdk::Status::ok();
  }
  return sdk::Status::notFound("no route " + std::string(methodName(method)) + " " + pattern);
}

bool ApiRouter::tryInline(sdk::Request& request, std::function<void(sdk::Response)> answer) {
  if (!table_->inlineMethods[methodIndex(request.method)]) return false;
  bool handed = false;  // once the inline handler has the request, the answer is its
  try {
    const auto segments = splitPath(request.path);
    if (!segments) return false;
    const Table::PathEntry* entry = table_->entryFor(*segments);
    const Route* route = entry ? entry->byMethod[methodIndex(request.method)] : nullptr;
    // Whatever is not a plain inline request (bad ids included) gets handle()'s answer.
    if (!route || !route->inlineHandler) return false;
    std::map<std::string, std::string> params;
    route->pattern.match(*segments, &params);
    if ((route->hasSubaccountId && !isValidResourceId(params["subaccountId"])) ||
        (route->hasAgentId && !isValidResourceId(params["agentId"])))
      return false;
    request.pathParams = std::move(params);

    auto outcome = std::make_shared<Outcome>();
    outcome->operation = &route->operation;
    outcome->route = &route->pattern.text();
    outcome->counters = route->counters.get();
    outcome->duration = route->duration;
    auto answered = std::make_shared<std::atomic<bool>>(false);
    InlineReply reply = [this, outcome, answered, answer = std::move(answer),
                         method = request.method, path = request.path,
                         remote = request.remoteAddress](sdk::Result<sdk::Response> result) {
      if (answered->exchange(true)) return;
      sdk::Response response =
          result ? std::move(result).value() : outcome->fail(std::move(result).status());
      answer(finish(method, path, remote, *outcome, std::move(response)));
    };
    handed = true;
    try {
      return route->inlineHandler(request, reply);
    } catch (const std::exception& e) {
      reply(sdk::Status::internal(std::string("unhandled exception: ") + e.what()));
      return true;
    } catch (...) {
      reply(sdk::Status::internal("unhandled exception"));
      return true;
    }
  } catch (...) {
    // Before the handler had it (bad_alloc while matching): handle() answers. After, answering
    // again from a handler thread could write two answers on one connection.
    return handed;
  }
}

sdk::Response ApiRouter::dispatch(sdk::Request& request, Outcome& outcome) {
  const auto segments = splitPath(request.path);
  if (!segments) return outcome.fail(sdk::Status::validation("The request path is malformed"));

  const Table::PathEntry* entry = table_->entryFor(*segments);
  const Route* route = entry ? entry->byMethod[methodIndex(request.method)] : nullptr;

  if (!route) {
    // Under /api/ an anonymous caller learns nothing, not even which routes exist.
    const bool underApi = !segments->empty() && (*segments)[0] == "api";
    if (underApi && authCheck_) {
      sdk::Status auth = authCheck_(request, "");
      if (auth.code() == sdk::ErrorCode::kUnauthorized) return outcome.fail(std::move(auth));
    }
    if (!entry) return outcome.fail(sdk::Status::notFound("No route for this path"));
    std::string allowed;
    for (int i = 0; i < kMethodCount; ++i) {
      if (!entry->byMethod[static_cast<std::size_t>(i)]) continue;
      if (!allowed.empty()) allowed += ", ";
      allowed += methodName(static_cast<sdk::Method>(i));
    }
    sdk::Response r =
        outcome.fail(sdk::Status::notFound(std::string("Method ") + methodName(request.method) +
                                           " is not supported here; allowed: " + allowed));
    r.headers.emplace_back("Allow", allowed);
    return r;
  }

  outcome.operation = &route->operation;
  outcome.route = &route->pattern.text();
  outcome.counters = route->counters.get();
  outcome.duration = route->duration;
  request.pathParams.clear();
  route->pattern.match(*segments, &request.pathParams);

  const std::string subaccountId = request.param("subaccountId");
  const std::string agentId = request.param("agentId");
  if (route->hasSubaccountId && !isValidResourceId(subaccountId))
    return outcome.fail(sdk::Status::validation(
        "Invalid path parameter subaccountId: expected 1-64 characters of A-Z a-z 0-9 _ -"));
  if (route->hasAgentId && !isValidResourceId(agentId))
    return outcome.fail(sdk::Status::validation(
        "Invalid path parameter agentId: expected 1-64 characters of A-Z a-z 0-9 _ -"));

  if (route->scope != Scope::kPublic) {
    if (!authCheck_) return outcome.fail(sdk::Status::internal("no authentication configured"));
    sdk::Status auth = authCheck_(request, subaccountId);
    if (!auth) return outcome.fail(std::move(auth));
  }

  std::optional<sdk::AgentInfo> agent;
  if (route->scope == Scope::kAgent) {
    if (!agentLookup_) return outcome.fail(sdk::Status::internal("no agent lookup configured"));
    auto found = agentLookup_(subaccountId, agentId);
    if (!found) return outcome.fail(found.status());
    // The same answer whether the agent is in another subaccount or nowhere.
    if (!found->has_value() ||
        (!(*found)->subaccountId.empty() && (*found)->subaccountId != subaccountId))
      return outcome.fail({sdk::ErrorCode::kAgentNotFound, "Agent " + agentId + " not found"});
    agent = std::move(*found).value();
  }

  const sdk::RouteContext context{agent ? &*agent : nullptr, outcome.operationId};
  auto result = route->handler(request, context);
  if (!result) return outcome.fail(result.status());
  return std::move(result).value();
}

sdk::Response ApiRouter::finish(sdk::Method method, const std::string& path,
                                std::string_view remote, Outcome& outcome, sdk::Response response) {
  const auto elapsed = Clock::now() - outcome.start;
  response.headers.emplace_back("X-Operation-Id", outcome.operationId);
  try {
    outcome.counters->get(metrics_, response.status).inc();
    outcome.duration->observe(std::chrono::duration<double>(elapsed).count());
    const AccessRecord record{method,
                              *outcome.route,
                              path,
                              response.status,
                              std::chrono::duration_cast<std::chrono::nanoseconds>(elapsed),
                              outcome.operationId,
                              *outcome.operation,
                              response.body.size(),
                              remote};
    if (response.status >= 400) {
      // A failure's line is its access line too, at a level that says how bad it was.
      const auto level = response.status >= 500 ? sdk::LogLevel::kError : sdk::LogLevel::kWarning;
      if (logger_.enabled(level)) {
        sdk::LogFields fields = accessLogFields(record);
        fields.emplace_back("code",
                            outcome.error.isOk() ? "-" : sdk::errorCodeName(outcome.error.code()));
        if (!outcome.error.isOk()) fields.emplace_back("error", outcome.error.message());
        logger_.log(level, "request failed", fields);
      }
    } else if (accessLog_) {
      accessLog_->record(record);
    }
  } catch (...) {
    // Metrics and logging must never turn an answer into a crash.
  }
  return response;
}

}  // namespace chathost::host
