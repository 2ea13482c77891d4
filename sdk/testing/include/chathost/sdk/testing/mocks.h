#pragma once
// gmock mocks of every SDK interface, for tests that need exact call expectations. For state-based
// tests prefer the fakes in fakes.h.

#include <chathost/sdk/sdk.h>
#include <gmock/gmock.h>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace chathost::sdk::testing {

class MockConfigView : public ConfigView {
 public:
  MOCK_METHOD(ConfigNodeKind, kind, (const std::string& path), (const, override));
  MOCK_METHOD(std::optional<std::string>, scalar, (const std::string& path), (const, override));
  MOCK_METHOD(std::vector<std::string>, keys, (const std::string& path), (const, override));
  MOCK_METHOD(std::size_t, size, (const std::string& path), (const, override));
};

class MockLogger : public Logger {
 public:
  MOCK_METHOD(void, log, (LogLevel level, const std::string& message, const LogFields& fields),
              (override));
  MOCK_METHOD(bool, enabled, (LogLevel level), (const, override));
};

/// Registration goes through the protected do* hooks, mocked here (the public wrappers add the
/// exception guard).
class MockRouter : public Router {
 public:
  MOCK_METHOD(void, doAddAgentRoute,
              (Method method, const std::string& subpath, const std::string& operation,
               RouteHandler handler),
              (override));
  MOCK_METHOD(void, doAddPublicRoute,
              (Method method, const std::string& path, const std::string& operation,
               RouteHandler handler),
              (override));
};

/// setConsumer() goes through the protected doSetConsumer hook, mocked here.
class MockKeyValue : public KeyValue {
 public:
  MOCK_METHOD(Result<bool>, setIfAbsent,
              (const std::string& key, const std::string& value, std::int64_t ttlMs), (override));
  MOCK_METHOD(Result<std::optional<std::string>>, get, (const std::string& key), (override));
  MOCK_METHOD(Status, set, (const std::string& key, const std::string& value, std::int64_t ttlMs),
              (override));
  MOCK_METHOD(Status, remove, (const std::string& key), (override));
};

class MockHttpClient : public HttpClient {
 public:
  MOCK_METHOD(Result<HttpResponse>, send, (const HttpRequest& request), (override));
};

class MockCounter : public Counter {
 public:
  MOCK_METHOD(void, inc, (double by), (override));
};

class MockGauge : public Gauge {
 public:
  MOCK_METHOD(void, set, (double value), (override));
  MOCK_METHOD(void, add, (double by), (override));
};

class MockHistogram : public Histogram {
 public:
  MOCK_METHOD(void, observe, (double value), (override));
};

class MockMetrics : public Metrics {
 public:
  MOCK_METHOD(Counter&, counter,
              (const std::string& name, const std::string& help, const MetricLabels& labels),
              (override));
  MOCK_METHOD(Gauge&, gauge,
              (const std::string& name, const std::string& help, const MetricLabels& labels),
              (override));
  MOCK_METHOD(Histogram&, histogram,
              (const std::string& name, const std::string& help, const MetricLabels& labels,
               const std::vector<double>& buckets),
              (override));
};

class MockPluginContext : public PluginContext {
 public:
  MOCK_METHOD(const ConfigView&, config, (), (override));
  MOCK_METHOD(Logger&, logger, (), (override));
  MOCK_METHOD(Router&, router, (), (override));
  MOCK_METHOD(Channels&, channels, (), (override));
  MOCK_METHOD(KeyValue&, kv, (), (override));
  MOCK_METHOD(HttpClient&, http, (), (override));
  MOCK_METHOD(Metrics&, metrics, (), (override));
  MOCK_METHOD(std::string, dataDirectory, (), (override));
};

}  // namespace chathost::sdk::testing
