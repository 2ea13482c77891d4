#pragma once
// The host's metrics registry, exported as Prometheus text on /metrics.

#include <chathost/sdk/metrics.h>

#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace chathost::host {

/// Thread-safe registry. Lookups (counter/gauge/histogram) take a lock, so callers look a metric
/// up once and keep the reference; updates on the returned metrics are lock-free atomics. Metrics
/// live as long as the registry. A bad registration (invalid metric or label name, a name already
/// used by another type) never throws: it returns a working metric that is not exported and is
/// listed by rejectedRegistrations().
class MetricsRegistry : public sdk::Metrics {
 public:
  MetricsRegistry();
  ~MetricsRegistry() override;
  MetricsRegistry(const MetricsRegistry&) = delete;
  MetricsRegistry& operator=(const MetricsRegistry&) = delete;

  sdk::Counter& counter(const std::string& name, const std::string& help,
                        const sdk::MetricLabels& labels = {}) override;
  sdk::Gauge& gauge(const std::string& name, const std::string& help,
                    const sdk::MetricLabels& labels = {}) override;
  /// The first registration of a name fixes its buckets; later ones reuse them.
  sdk::Histogram& histogram(const std::string& name, const std::string& help,
                            const sdk::MetricLabels& labels = {},
                            const std::vector<double>& buckets = {}) override;

  /// Text format 0.0.4: families sorted by name, series sorted by their label text, labels sorted
  /// by name. Safe to call while other threads update metrics.
  std::string renderPrometheus() const;

  /// One message per rejected registration, oldest first (for the host to log at start-up).
  std::vector<std::string> rejectedRegistrations() const;

  /// 50 µs .. 10 s, in seconds.
  static const std::vector<double>& defaultLatencyBuckets();

 private:
  enum class Type { kCounter, kGauge, kHistogram };
  struct Family;
  struct Metric;

  // Returns the series for (name, labels), creating it with `make` if new; null when rejected.
  Metric* findOrCreate(Type type, const std::string& name, const std::string& help,
                       const sdk::MetricLabels& labels, const std::vector<double>* buckets);
  Metric* detached(Type type, const std::vector<double>* buckets, std::string why);

  mutable std::mutex mutex_;
  std::map<std::string, std::unique_ptr<Family>> families_;
  std::vector<std::unique_ptr<Metric>> detached_;
  std::vector<std::string> rejected_;
};

}  // namespace chathost::host
