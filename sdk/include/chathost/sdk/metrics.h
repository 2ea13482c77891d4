#pragma once
// Prometheus metrics exported on the host's /metrics.

#include <string>
#include <utility>
#include <vector>

namespace chathost::sdk {

using MetricLabels = std::vector<std::pair<std::string, std::string>>;

/// Monotonic counter. Owned by the host and alive until the host exits; lock-free, any thread.
class Counter {
 public:
  virtual ~Counter() = default;
  virtual void inc(double by = 1) = 0;
};

/// Value that goes up and down. Same ownership and threading as Counter.
class Gauge {
 public:
  virtual ~Gauge() = default;
  virtual void set(double value) = 0;
  virtual void add(double by) = 0;
};

/// Distribution over fixed buckets. Same ownership and threading as Counter.
class Histogram {
 public:
  virtual ~Histogram() = default;
  virtual void observe(double value) = 0;
};

/// Registry of metrics. Owned by the host; valid until stop() returns (the returned metrics live
/// until the host exits). Thread-safe. Asking twice for the same name and labels returns the same
/// metric, so look metrics up once, not on every event. Names must match [a-zA-Z_:][a-zA-Z0-9_:]*.
class Metrics {
 public:
  virtual ~Metrics() = default;
  virtual Counter& counter(const std::string& name, const std::string& help,
                           const MetricLabels& labels = {}) = 0;
  virtual Gauge& gauge(const std::string& name, const std::string& help,
                       const MetricLabels& labels = {}) = 0;
  /// `buckets` are upper bounds in ascending order (+Inf is implied); empty = latency defaults in
  /// seconds from 50 µs to 10 s.
  virtual Histogram& histogram(const std::string& name, const std::string& help,
                               const MetricLabels& labels = {},
                               const std::vector<double>& buckets = {}) = 0;
};

}  // namespace chathost::sdk
