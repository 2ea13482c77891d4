#pragma once
// In-memory fakes of every SDK interface, for plugin unit tests. Header-only; no host needed.
// Each fake is thread-safe (one mutex) so code under test may call it from several threads, and
// each lets a test inject failures through `failWith` (or the fake's own knobs).

#include <chathost/sdk/sdk.h>

#include <algorithm>
#include <atomic>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

namespace chathost::sdk::testing {

// ---------------------------------------------------------------------------------------------
/// A plugin's config section given as dotted paths: {"graph_api_version", "v21.0"},
/// {"limits.per_second", "10"}, {"items.0.name", "a"}. Maps and sequences are implied by the
/// paths; setNull() records an explicit YAML null.
class FakeConfigView : public ConfigView {
 public:
  FakeConfigView() = default;
  FakeConfigView(std::initializer_list<std::pair<std::string, std::string>> values) {
    for (const auto& [k, v] : values) set(k, v);
  }
  void set(const std::string& path, const std::string& value) { entries_.push_back({path, value}); }
  void setNull(const std::string& path) { entries_.push_back({path, std::nullopt}); }

  ConfigNodeKind kind(const std::string& path) const override {
    if (path.empty()) return ConfigNodeKind::kMap;
    for (const auto& [k, v] : entries_)
      if (k == path) return v ? ConfigNodeKind::kScalar : ConfigNodeKind::kNull;
    auto children = childNames(path);
    if (children.empty()) return ConfigNodeKind::kMissing;
    bool numeric = std::all_of(children.begin(), children.end(), [](const std::string& c) {
      return !c.empty() &&
             std::all_of(c.begin(), c.end(), [](char ch) { return ch >= '0' && ch <= '9'; });
    });
    return numeric ? ConfigNodeKind::kSequence : ConfigNodeKind::kMap;
  }
  std::optional<std::string> scalar(const std::string& path) const override {
    for (const auto& [k, v] : entries_)
      if (k == path) return v;
    return std::nullopt;
  }
  std::vector<std::string> keys(const std::string& path) const override {
    return kind(path) == ConfigNodeKind::kMap ? childNames(path) : std::vector<std::string>{};
  }
  std::size_t size(const std::string& path) const override {
    return kind(path) == ConfigNodeKind::kSequence ? childNames(path).size() : 0;
  }

 private:
  std::vector<std::string> childNames(const std::string& path) const {
    std::string prefix = path.empty() ? "" : path + ".";
    std::vector<std::string> out;
    for (const auto& [k, v] : entries_) {
      if (k.size() <= prefix.size() || k.compare(0, prefix.size(), prefix) != 0) continue;
      std::string rest = k.substr(prefix.size());
      std::string child = rest.substr(0, rest.find('.'));
      if (std::find(out.begin(), out.end(), child) == out.end()) out.push_back(child);
    }
    return out;
  }
  std::vector<std::pair<std::string, std::optional<std::string>>> entries_;
};

// ---------------------------------------------------------------------------------------------
/// Captures every log line.
class FakeLogger : public Logger {
 public:
  struct Line {
    LogLevel level;
    std::string message;
    LogFields fields;
  };
  void log(LogLevel level, const std::string& message, const LogFields& fields) override {
    std::lock_guard lock(mutex_);
    lines_.push_back({level, message, fields});
  }
  bool enabled(LogLevel) const override { return true; }

  std::vector<Line> lines() const {
    std::lock_guard lock(mutex_);
    return lines_;
  }
  /// True when a line at `level` contains `text` in its message.
  bool contains(LogLevel level, const std::string& text) const {
    std::lock_guard lock(mutex_);
    return std::any_of(lines_.begin(), lines_.end(), [&](const Line& l) {
      return l.level == level && l.message.find(text) != std::string::npos;
    });
  }
  /// True when `text` appears anywhere: message, field names or values (for "no secret" checks).
  bool mentions(const std::string& text) const {
    std::lock_guard lock(mutex_);
    for (const auto& l : lines_) {
      if (l.message.find(text) != std::string::npos) return true;
      for (const auto& [k, v] : l.fields)
        if (k.find(text) != std::string::npos || v.find(text) != std::string::npos) return true;
    }
    return false;
  }

 private:
  mutable std::mutex mutex_;
  std::vector<Line> lines_;
};

// ---------------------------------------------------------------------------------------------
/// Captures registered routes; tests call them with invokeAgent() / invokePublic().
class FakeRouter : public Router {
 public:
  struct Route {
    Method method;
    std::string pattern;  // agent routes: the subpath; public routes: the absolute path
    std::string operation;
    RouteHandler handler;
    bool agentScoped;
  };

  /// Calls the agent route `subpath` (exact pattern) as the host would after auth, with `agent`
  /// resolved and the prefix's subaccountId/agentId in pathParams. kNotFound when not registered.
  Result<Response> invokeAgent(Method method, const std::string& subpath, Request request,
                               const AgentInfo& agent) const {
    const Route* r = find(method, subpath, true, request.pathParams);
    if (!r) return Status::notFound("no agent route " + subpath);
    request.method = method;
    request.pathParams["subaccountId"] = agent.subaccountId;
    request.pathParams["agentId"] = agent.id;
    request.path =
        "/api/database/" + agent.subaccountId + "/chat-agents/" + agent.id + "/" + subpath;
    RouteContext ctx{&agent, "op-test"};
    return r->handler(request, ctx);
  }
  /// Calls the public route matching the concrete `path` (":params" filled from it).
  Result<Response> invokePublic(Method method, const std::string& path, Request request) const {
    const Route* r = find(method, path, false, request.pathParams);
    if (!r) return Status::notFound("no public route " + path);
    request.method = method;
    request.path = path;
    RouteContext ctx{nullptr, "op-test"};
    return r->handler(request, ctx);
  }
  bool has(Method method, const std::string& pattern) const {
    std::lock_guard lock(mutex_);
    return std::any_of(routes_.begin(), routes_.end(),
                       [&](const Route& r) { return r.method == method && r.pattern == pattern; });
  }
  std::vector<Route> routes() const {
    std::lock_guard lock(mutex_);
    return routes_;
  }

 protected:
  void doAddAgentRoute(Method method, const std::string& subpath, const std::string& operation,
                       RouteHandler handler) override {
    std::lock_guard lock(mutex_);
    routes_.push_back({method, subpath, operation, std::move(handler), true});
  }
  void doAddPublicRoute(Method method, const std::string& path, const std::string& operation,
                        RouteHandler handler) override {
    std::lock_guard lock(mutex_);
    routes_.push_back({method, path, operation, std::move(handler), false});
  }

 private:
  static std::vector<std::string> segments(const std::string& p) {
    std::vector<std::string> out;
    std::string cur;
    for (char c : p) {
      if (c == '/') {
        if (!cur.empty()) out.push_back(cur);
        cur.clear();
      } else {
        cur.push_back(c);
      }
    }
    if (!cur.empty()) out.push_back(cur);
    return out;
  }
  const Route* find(Method method, const std::string& path, bool agentScoped,
                    std::map<std::string, std::string>& params) const {
    std::lock_guard lock(mutex_);
    auto want = segments(path);
    for (const auto& r : routes_) {
      if (r.method != method || r.agentScoped != agentScoped) continue;
      auto have = segments(r.pattern);
      if (have.size() != want.size()) continue;
      std::map<std::string, std::string> found;
      bool ok = true;
      for (std::size_t i = 0; i < have.size() && ok; ++i) {
        if (!have[i].empty() && have[i][0] == ':')
          found[have[i].substr(1)] = want[i];
        else
          ok = have[i] == want[i];
      }
      if (!ok) continue;
      for (auto& [k, v] : found) params[k] = v;
      return &r;
    }
    return nullptr;
  }
  mutable std::mutex mutex_;
  std::vector<Route> routes_;
};

// ---------------------------------------------------------------------------------------------
/// Key/value store in memory. TTLs are recorded but never expire unless expire() is called;
/// `unavailable` makes every call answer kUnavailable.
class FakeKeyValue : public KeyValue {
 public:
  std::atomic<bool> unavailable{false};

  Result<bool> setIfAbsent(const std::string& key, const std::string& value,
                           std::int64_t ttlMs) override {
    if (unavailable) return Status::unavailable("kv down");
    std::lock_guard lock(mutex_);
    if (values_.count(key)) return false;
    values_[key] = {value, ttlMs};
    return true;
  }
  Result<std::optional<std::string>> get(const std::string& key) override {
    if (unavailable) return Status::unavailable("kv down");
    std::lock_guard lock(mutex_);
    auto it = values_.find(key);
    if (it == values_.end()) return std::optional<std::string>{};
    return std::optional<std::string>{it->second.first};
  }
  Status set(const std::string& key, const std::string& value, std::int64_t ttlMs) override {
    if (unavailable) return Status::unavailable("kv down");
    std::lock_guard lock(mutex_);
    values_[key] = {value, ttlMs};
    return Status::ok();
  }
  Status remove(const std::string& key) override {
    if (unavailable) return Status::unavailable("kv down");
    std::lock_guard lock(mutex_);
    values_.erase(key);
    return Status::ok();
  }
  void expire(const std::string& key) {
    std::lock_guard lock(mutex_);
    values_.erase(key);
  }
  std::size_t size() const {
    std::lock_guard lock(mutex_);
    return values_.size();
  }

 private:
  mutable std::mutex mutex_;
  std::map<std::string, std::pair<std::string, std::int64_t>> values_;
};

// ---------------------------------------------------------------------------------------------
/// Outbound HTTP scripted by method and URL. A rule matches when the request URL without its
/// query equals `url`, or starts with it when `url` ends with '*'. A rule answers its queued
/// results in order, repeating the last one. Unmatched requests answer 404. Every request is
/// recorded.
class FakeHttpClient : public HttpClient {
 public:
  using Responder = std::function<Result<HttpResponse>(const HttpRequest&)>;

  /// Adds `result` to the queue of the rule (method, url).
  void on(Method method, const std::string& url, Result<HttpResponse> result) {
    on(method, url, [result](const HttpRequest&) { return result; });
  }
  void on(Method method, const std::string& url, Responder responder) {
    std::lock_guard lock(mutex_);
    for (auto& r : rules_)
      if (r.method == method && r.url == url) {
        r.queue.push_back(std::move(responder));
        return;
      }
    rules_.push_back({method, url, {std::move(responder)}});
  }
  /// A JSON response with `status`.
  static HttpResponse json(int status, const std::string& body) {
    HttpResponse r;
    r.status = status;
    r.headers = {{"Content-Type", "application/json"}};
    r.body = body;
    return r;
  }
  void clear() {
    std::lock_guard lock(mutex_);
    rules_.clear();
  }

  Result<HttpResponse> send(const HttpRequest& request) override {
    Responder responder;
    {
      std::lock_guard lock(mutex_);
      requests_.push_back(request);
      std::string bare = request.url.substr(0, request.url.find('?'));
      for (auto& r : rules_) {
        if (r.method != request.method) continue;
        bool match = !r.url.empty() && r.url.back() == '*'
                         ? bare.compare(0, r.url.size() - 1, r.url, 0, r.url.size() - 1) == 0
                         : bare == r.url;
        if (!match) continue;
        responder = r.queue.front();
        if (r.queue.size() > 1) r.queue.pop_front();
        break;
      }
    }
    if (!responder) return json(404, "{\"error\":{\"message\":\"no such route in fake\"}}");
    return responder(request);
  }

  std::vector<HttpRequest> requests() const {
    std::lock_guard lock(mutex_);
    return requests_;
  }
  /// Recorded requests whose URL contains `fragment`.
  std::vector<HttpRequest> requestsTo(const std::string& fragment) const {
    std::lock_guard lock(mutex_);
    std::vector<HttpRequest> out;
    for (const auto& r : requests_)
      if (r.url.find(fragment) != std::string::npos) out.push_back(r);
    return out;
  }

 private:
  struct Rule {
    Method method;
    std::string url;
    std::deque<Responder> queue;
  };
  mutable std::mutex mutex_;
  std::vector<Rule> rules_;
  std::vector<HttpRequest> requests_;
};

// ---------------------------------------------------------------------------------------------
/// Metrics whose values tests can read back by name and labels.
class FakeMetrics : public Metrics {
 public:
  class FakeCounter : public Counter {
   public:
    void inc(double by) override {
      std::lock_guard lock(m_);
      value_ += by;
    }
    double value() const {
      std::lock_guard lock(m_);
      return value_;
    }

   private:
    mutable std::mutex m_;
    double value_ = 0;
  };
  class FakeGauge : public Gauge {
   public:
    void set(double v) override {
      std::lock_guard lock(m_);
      value_ = v;
    }
    void add(double by) override {
      std::lock_guard lock(m_);
      value_ += by;
    }
    double value() const {
      std::lock_guard lock(m_);
      return value_;
    }

   private:
    mutable std::mutex m_;
    double value_ = 0;
  };
  class FakeHistogram : public Histogram {
   public:
    void observe(double v) override {
      std::lock_guard lock(m_);
      values_.push_back(v);
    }
    std::vector<double> values() const {
      std::lock_guard lock(m_);
      return values_;
    }

   private:
    mutable std::mutex m_;
    std::vector<double> values_;
  };

  Counter& counter(const std::string& name, const std::string&,
                   const MetricLabels& labels) override {
    std::lock_guard lock(mutex_);
    auto& p = counters_[{name, labels}];
    if (!p) p = std::make_unique<FakeCounter>();
    return *p;
  }
  Gauge& gauge(const std::string& name, const std::string&, const MetricLabels& labels) override {
    std::lock_guard lock(mutex_);
    auto& p = gauges_[{name, labels}];
    if (!p) p = std::make_unique<FakeGauge>();
    return *p;
  }
  Histogram& histogram(const std::string& name, const std::string&, const MetricLabels& labels,
                       const std::vector<double>&) override {
    std::lock_guard lock(mutex_);
    auto& p = histograms_[{name, labels}];
    if (!p) p = std::make_unique<FakeHistogram>();
    return *p;
  }

  /// Value of a counter; 0 when it was never created.
  double counterValue(const std::string& name, const MetricLabels& labels = {}) const {
    std::lock_guard lock(mutex_);
    auto it = counters_.find({name, labels});
    return it == counters_.end() ? 0 : it->second->value();
  }
  double gaugeValue(const std::string& name, const MetricLabels& labels = {}) const {
    std::lock_guard lock(mutex_);
    auto it = gauges_.find({name, labels});
    return it == gauges_.end() ? 0 : it->second->value();
  }
  std::size_t observations(const std::string& name, const MetricLabels& labels = {}) const {
    std::lock_guard lock(mutex_);
    auto it = histograms_.find({name, labels});
    return it == histograms_.end() ? 0 : it->second->values().size();
  }

 private:
  using Key = std::pair<std::string, MetricLabels>;
  mutable std::mutex mutex_;
  std::map<Key, std::unique_ptr<FakeCounter>> counters_;
  std::map<Key, std::unique_ptr<FakeGauge>> gauges_;
  std::map<Key, std::unique_ptr<FakeHistogram>> histograms_;
};

// ---------------------------------------------------------------------------------------------
/// Records the channels a plugin registers (each wrapped by the SDK's guard, as the host gets
/// them). Refuses a second channel of the same name with kConflict, as the host does;
/// `failWith` makes add() fail with that status until cleared.
class FakeChannels : public Channels {
 public:
  std::optional<Status> failWith;

  /// The registered channels, in order.
  std::vector<std::shared_ptr<Channel>> added() const {
    std::lock_guard lock(mutex_);
    return channels_;
  }
  /// The registered channel named `name` (by its description), or null.
  std::shared_ptr<Channel> find(const std::string& name) const {
    std::lock_guard lock(mutex_);
    for (const auto& c : channels_)
      if (c->describe().name == name) return c;
    return nullptr;
  }

 protected:
  Status doAdd(std::shared_ptr<Channel> guarded) override {
    std::lock_guard lock(mutex_);
    if (failWith) return *failWith;
    const std::string name = guarded->describe().name;
    if (name.empty()) return Status::validation("a channel needs a name");
    for (const auto& c : channels_)
      if (c->describe().name == name)
        return {ErrorCode::kConflict, "channel '" + name + "' exists"};
    channels_.push_back(std::move(guarded));
    return Status::ok();
  }

 private:
  mutable std::mutex mutex_;
  std::vector<std::shared_ptr<Channel>> channels_;
};

// ---------------------------------------------------------------------------------------------
/// A PluginContext owning one of each fake; members are public so tests arrange and inspect them.
class FakePluginContext : public PluginContext {
 public:
  FakeConfigView configView;
  FakeLogger log;
  FakeRouter routes;
  FakeChannels channelsFake;
  FakeKeyValue kvFake;
  FakeHttpClient httpFake;
  FakeMetrics metricsFake;
  std::string dataDir = "/tmp";

  const ConfigView& config() override { return configView; }
  Logger& logger() override { return log; }
  Router& router() override { return routes; }
  Channels& channels() override { return channelsFake; }
  KeyValue& kv() override { return kvFake; }
  HttpClient& http() override { return httpFake; }
  Metrics& metrics() override { return metricsFake; }
  std::string dataDirectory() override { return dataDir; }
};

}  // namespace chathost::sdk::testing
