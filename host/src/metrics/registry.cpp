#include "metrics/registry.h"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstdint>

#include "metrics/prometheus_text.h"

namespace chathost::host {
namespace {

class AtomicCounter final : public sdk::Counter {
 public:
  void inc(double by) override {
    if (!(by >= 0)) return;  // counters only go up; also drops NaN
    value_.fetch_add(by, std::memory_order_relaxed);
  }
  double value() const { return value_.load(std::memory_order_relaxed); }

 private:
  std::atomic<double> value_{0};
};

class AtomicGauge final : public sdk::Gauge {
 public:
  void set(double v) override { value_.store(v, std::memory_order_relaxed); }
  void add(double by) override { value_.fetch_add(by, std::memory_order_relaxed); }
  double value() const { return value_.load(std::memory_order_relaxed); }

 private:
  std::atomic<double> value_{0};
};

class AtomicHistogram final : public sdk::Histogram {
 public:
  explicit AtomicHistogram(std::vector<double> bounds)
      : bounds_(std::move(bounds)),
        counts_(std::make_unique<std::atomic<std::uint64_t>[]>(bounds_.size() + 1)) {}

  void observe(double v) override {
    if (std::isnan(v)) return;
    const auto idx = static_cast<std::size_t>(std::lower_bound(bounds_.begin(), bounds_.end(), v) -
                                              bounds_.begin());
    counts_[idx].fetch_add(1, std::memory_order_relaxed);
    sum_.fetch_add(v, std::memory_order_relaxed);
  }

  const std::vector<double>& bounds() const { return bounds_; }
  std::uint64_t bucketCount(std::size_t i) const {
    return counts_[i].load(std::memory_order_relaxed);
  }
  double sum() const { return sum_.load(std::memory_order_relaxed); }

 private:
  std::vector<double> bounds_;
  std::unique_ptr<std::atomic<std::uint64_t>[]> counts_;  // per bucket, last one is +Inf
  std::atomic<double> sum_{0};
};

// Ascending, finite, without duplicates.
std::vector<double> normalizeBuckets(const std::vector<double>& in) {
  std::vector<double> out;
  for (double b : in)
    if (std::isfinite(b)) out.push_back(b);
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

const char* typeName(int type) {
  static const char* const kNames[] = {"counter", "gauge", "histogram"};
  return kNames[type];
}

}  // namespace

struct MetricsRegistry::Metric {
  sdk::MetricLabels labels;  // sorted by name
  std::unique_ptr<AtomicCounter> counter;
  std::unique_ptr<AtomicGauge> gauge;
  std::unique_ptr<AtomicHistogram> histogram;
};

struct MetricsRegistry::Family {
  Type type;
  std::string help;
  std::vector<double> buckets;                            // histograms only
  std::map<std::string, std::unique_ptr<Metric>> series;  // key: rendered sorted labels
};

MetricsRegistry::MetricsRegistry() = default;
MetricsRegistry::~MetricsRegistry() = default;

const std::vector<double>& MetricsRegistry::defaultLatencyBuckets() {
  static const std::vector<double> kBuckets = {0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025,
                                               0.005,   0.01,   0.025,   0.05,   0.1,   0.25,
                                               0.5,     1,      2.5,     5,      10};
  return kBuckets;
}

sdk::Counter& MetricsRegistry::counter(const std::string& name, const std::string& help,
                                       const sdk::MetricLabels& labels) {
  return *findOrCreate(Type::kCounter, name, help, labels, nullptr)->counter;
}

sdk::Gauge& MetricsRegistry::gauge(const std::string& name, const std::string& help,
                                   const sdk::MetricLabels& labels) {
  return *findOrCreate(Type::kGauge, name, help, labels, nullptr)->gauge;
}

sdk::Histogram& MetricsRegistry::histogram(const std::string& name, const std::string& help,
                                           const sdk::MetricLabels& labels,
                                           const std::vector<double>& buckets) {
  return *findOrCreate(Type::kHistogram, name, help, labels, &buckets)->histogram;
}

MetricsRegistry::Metric* MetricsRegistry::findOrCreate(Type type, const std::string& name,
                                                       const std::string& help,
                                                       const sdk::MetricLabels& labels,
                                                       const std::vector<double>* buckets) {
  std::lock_guard lock(mutex_);
  if (!isValidMetricName(name))
    return detached(type, buckets, "invalid metric name \"" + name + "\"");
  sdk::MetricLabels sorted = labels;
  std::sort(sorted.begin(), sorted.end(),
            [](const auto& a, const auto& b) { return a.first < b.first; });
  for (std::size_t i = 0; i < sorted.size(); ++i) {
    const std::string& label = sorted[i].first;
    if (!isValidLabelName(label) || (type == Type::kHistogram && label == "le"))
      return detached(type, buckets, "metric " + name + ": invalid label name \"" + label + "\"");
    if (i > 0 && sorted[i - 1].first == label)
      return detached(type, buckets, "metric " + name + ": duplicate label \"" + label + "\"");
  }

  auto& family = families_[name];
  if (!family) {
    family = std::make_unique<Family>();
    family->type = type;
    family->help = help;
    if (type == Type::kHistogram)
      family->buckets =
          normalizeBuckets(buckets && !buckets->empty() ? *buckets : defaultLatencyBuckets());
  } else if (family->type != type) {
    return detached(type, buckets,
                    "metric " + name + " is already registered as a " +
                        typeName(static_cast<int>(family->type)));
  }

  auto& metric = family->series[renderLabels(sorted)];
  if (!metric) {
    metric = std::make_unique<Metric>();
    metric->labels = std::move(sorted);
    if (type == Type::kCounter) metric->counter = std::make_unique<AtomicCounter>();
    if (type == Type::kGauge) metric->gauge = std::make_unique<AtomicGauge>();
    if (type == Type::kHistogram)
      metric->histogram = std::make_unique<AtomicHistogram>(family->buckets);
  }
  return metric.get();
}

MetricsRegistry::Metric* MetricsRegistry::detached(Type type, const std::vector<double>* buckets,
                                                   std::string why) {
  rejected_.push_back(std::move(why));
  auto metric = std::make_unique<Metric>();
  if (type == Type::kCounter) metric->counter = std::make_unique<AtomicCounter>();
  if (type == Type::kGauge) metric->gauge = std::make_unique<AtomicGauge>();
  if (type == Type::kHistogram)
    metric->histogram = std::make_unique<AtomicHistogram>(
        normalizeBuckets(buckets && !buckets->empty() ? *buckets : defaultLatencyBuckets()));
  detached_.push_back(std::move(metric));
  return detached_.back().get();
}

std::vector<std::string> MetricsRegistry::rejectedRegistrations() const {
  std::lock_guard lock(mutex_);
  return rejected_;
}

std::string MetricsRegistry::renderPrometheus() const {
  std::lock_guard lock(mutex_);
  std::string out;
  out.reserve(4096);
  for (const auto& [name, family] : families_) {
    out += "# HELP " + name + " " + escapeHelp(family->help) + "\n";
    out += "# TYPE " + name + " " + typeName(static_cast<int>(family->type)) + "\n";
    for (const auto& [labelText, metric] : family->series) {
      if (metric->counter) {
        out += name + labelText + " " + formatNumber(metric->counter->value()) + "\n";
      } else if (metric->gauge) {
        out += name + labelText + " " + formatNumber(metric->gauge->value()) + "\n";
      } else {
        const AtomicHistogram& h = *metric->histogram;
        // Cumulative counts; _count is the +Inf bucket so the lines agree with each other even
        // while observations race with the rendering.
        std::uint64_t cumulative = 0;
        sdk::MetricLabels withLe = metric->labels;
        withLe.emplace_back("le", "");
        for (std::size_t i = 0; i <= h.bounds().size(); ++i) {
          cumulative += h.bucketCount(i);
          withLe.back().second = i < h.bounds().size() ? formatNumber(h.bounds()[i]) : "+Inf";
          out += name + "_bucket" + renderLabels(withLe) + " " + std::to_string(cumulative) + "\n";
        }
        out += name + "_sum" + labelText + " " + formatNumber(h.sum()) + "\n";
        out += name + "_count" + labelText + " " + std::to_string(cumulative) + "\n";
      }
    }
  }
  return out;
}

}  // namespace chathost::host
