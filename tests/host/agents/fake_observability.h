#pragma once
// In-memory sdk::Metrics and sdk::Logger for tests: record everything, thread-safe.

#include <chathost/sdk/logger.h>
#include <chathost/sdk/metrics.h>

#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace chathost::testing {

class FakeMetrics : public sdk::Metrics {
 public:
  struct Value : sdk::Counter, sdk::Gauge, sdk::Histogram {
    void inc(double by) override { add(by); }
    void set(double v) override {
      std::lock_guard lock(mutex);
      value = v;
    }
    void add(double by) override {
      std::lock_guard lock(mutex);
      value += by;
    }
    void observe(double v) override {
      std::lock_guard lock(mutex);
      observations.push_back(v);
    }
    std::mutex mutex;
    double value = 0;
    std::vector<double> observations;
  };

  sdk::Counter& counter(const std::string& name, const std::string&,
                        const sdk::MetricLabels& labels) override {
    return get(name, labels);
  }
  sdk::Gauge& gauge(const std::string& name, const std::string&,
                    const sdk::MetricLabels& labels) override {
    return get(name, labels);
  }
  sdk::Histogram& histogram(const std::string& name, const std::string&,
                            const sdk::MetricLabels& labels, const std::vector<double>&) override {
    return get(name, labels);
  }

  double value(const std::string& name, const sdk::MetricLabels& labels = {}) {
    auto& v = get(name, labels);
    std::lock_guard lock(v.mutex);
    return v.value;
  }
  std::vector<double> observations(const std::string& name, const sdk::MetricLabels& labels = {}) {
    auto& v = get(name, labels);
    std::lock_guard lock(v.mutex);
    return v.observations;
  }

 private:
  Value& get(const std::string& name, const sdk::MetricLabels& labels) {
    std::lock_guard lock(mutex_);
    auto& slot = values_[{name, labels}];
    if (!slot) slot = std::make_unique<Value>();
    return *slot;
  }
  std::mutex mutex_;
  std::map<std::pair<std::string, sdk::MetricLabels>, std::unique_ptr<Value>> values_;
};

class FakeLogger : public sdk::Logger {
 public:
  struct Line {
    sdk::LogLevel level;
    std::string message;
    sdk::LogFields fields;
  };
  void log(sdk::LogLevel level, const std::string& message, const sdk::LogFields& fields) override {
    std::lock_guard lock(mutex_);
    lines_.push_back({level, message, fields});
  }
  bool enabled(sdk::LogLevel) const override { return true; }

  std::vector<Line> lines() {
    std::lock_guard lock(mutex_);
    return lines_;
  }
  /// Every line with its fields, as one text, for "never logged" checks.
  std::string allText() {
    std::string out;
    for (const auto& line : lines()) {
      out += line.message + "\n";
      for (const auto& [k, v] : line.fields) out += k + "=" + v + "\n";
    }
    return out;
  }
  int count(sdk::LogLevel level) {
    int n = 0;
    for (const auto& line : lines()) n += line.level == level;
    return n;
  }

 private:
  std::mutex mutex_;
  std::vector<Line> lines_;
};

}  // namespace chathost::testing
