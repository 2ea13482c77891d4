#include "metrics/registry.h"

#include <gtest/gtest.h>

#include <thread>
#include <vector>

namespace chathost::host {
namespace {

TEST(MetricsRegistry, SameNameAndLabelsGiveTheSameMetricWhateverTheLabelOrder) {
  MetricsRegistry registry;
  sdk::Counter& a = registry.counter("c_total", "h", {{"x", "1"}, {"y", "2"}});
  sdk::Counter& b = registry.counter("c_total", "h", {{"y", "2"}, {"x", "1"}});
  sdk::Counter& other = registry.counter("c_total", "h", {{"x", "1"}, {"y", "3"}});
  EXPECT_EQ(&a, &b);
  EXPECT_NE(&a, &other);
}

TEST(MetricsRegistry, RendersCountersAndGaugesExactly) {
  MetricsRegistry registry;
  registry.gauge("queue_depth", "Events waiting.").set(7);
  sdk::Counter& get = registry.counter("req_total", "Requests.\nAll of them.",
                                       {{"method", "GET"}, {"path", "a\"b\\c"}});
  registry.counter("req_total", "ignored", {{"method", "POST"}, {"path", "/"}}).inc(2.5);
  get.inc();
  get.inc(3);
  get.inc(-10);  // ignored: counters are monotonic
  EXPECT_EQ(registry.renderPrometheus(),
            "# HELP queue_depth Events waiting.\n"
            "# TYPE queue_depth gauge\n"
            "queue_depth 7\n"
            "# HELP req_total Requests.\\nAll of them.\n"
            "# TYPE req_total counter\n"
            "req_total{method=\"GET\",path=\"a\\\"b\\\\c\"} 4\n"
            "req_total{method=\"POST\",path=\"/\"} 2.5\n");
}

TEST(MetricsRegistry, GaugeGoesUpAndDown) {
  MetricsRegistry registry;
  sdk::Gauge& g = registry.gauge("g", "h");
  g.add(5);
  g.add(-7.5);
  EXPECT_EQ(registry.renderPrometheus(), "# HELP g h\n# TYPE g gauge\ng -2.5\n");
}

TEST(MetricsRegistry, RendersHistogramsCumulatively) {
  MetricsRegistry registry;
  // Unsorted and duplicated bounds are normalised.
  sdk::Histogram& h = registry.histogram("lat_seconds", "Latency.", {{"op", "x"}}, {1, 0.5, 1});
  h.observe(0.2);
  h.observe(0.5);  // on the bound: counted in le="0.5"
  h.observe(0.7);
  h.observe(3);
  EXPECT_EQ(registry.renderPrometheus(),
            "# HELP lat_seconds Latency.\n"
            "# TYPE lat_seconds histogram\n"
            "lat_seconds_bucket{op=\"x\",le=\"0.5\"} 2\n"
            "lat_seconds_bucket{op=\"x\",le=\"1\"} 3\n"
            "lat_seconds_bucket{op=\"x\",le=\"+Inf\"} 4\n"
            "lat_seconds_sum{op=\"x\"} 4.4\n"
            "lat_seconds_count{op=\"x\"} 4\n");
}

TEST(MetricsRegistry, DefaultLatencyBucketsSpan50MicrosecondsTo10Seconds) {
  const auto& b = MetricsRegistry::defaultLatencyBuckets();
  ASSERT_FALSE(b.empty());
  EXPECT_DOUBLE_EQ(b.front(), 0.00005);
  EXPECT_DOUBLE_EQ(b.back(), 10);
  EXPECT_TRUE(std::is_sorted(b.begin(), b.end()));

  MetricsRegistry registry;
  registry.histogram("d", "h").observe(0.00001);
  const std::string text = registry.renderPrometheus();
  EXPECT_NE(text.find("d_bucket{le=\"5e-05\"} 1\n"), std::string::npos) << text;
  EXPECT_NE(text.find("d_bucket{le=\"10\"} 1\n"), std::string::npos) << text;
}

TEST(MetricsRegistry, FamiliesAndSeriesAreSorted) {
  MetricsRegistry registry;
  registry.counter("zz", "h", {{"k", "b"}});
  registry.counter("aa", "h");
  registry.counter("zz", "h", {{"k", "a"}});
  const std::string text = registry.renderPrometheus();
  EXPECT_LT(text.find("# HELP aa"), text.find("# HELP zz"));
  EXPECT_LT(text.find("zz{k=\"a\"}"), text.find("zz{k=\"b\"}"));
}

TEST(MetricsRegistry, RejectsBadNamesWithoutThrowingAndWithoutExportingThem) {
  MetricsRegistry registry;
  registry.counter("bad-name", "h").inc();
  registry.counter("ok_total", "h", {{"__x", "1"}}).inc();
  registry.histogram("hist", "h", {{"le", "1"}}).observe(1);
  registry.counter("dup", "h", {{"a", "1"}, {"a", "2"}}).inc();
  registry.gauge("used", "h").set(1);
  registry.counter("used", "h").inc();  // same name, other type
  EXPECT_EQ(registry.renderPrometheus(), "# HELP used h\n# TYPE used gauge\nused 1\n");
  const auto rejected = registry.rejectedRegistrations();
  ASSERT_EQ(rejected.size(), 5u);
  EXPECT_NE(rejected[0].find("bad-name"), std::string::npos);
  EXPECT_NE(rejected[4].find("already registered as a gauge"), std::string::npos);
}

TEST(MetricsRegistry, ConcurrentUpdatesAreNotLost) {
  MetricsRegistry registry;
  constexpr int kThreads = 8;
  constexpr int kPerThread = 20000;
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&registry, t] {
      // Lookups race too: every thread must get the same series.
      sdk::Counter& c = registry.counter("hits_total", "h", {{"k", "v"}});
      sdk::Gauge& g = registry.gauge("level", "h");
      sdk::Histogram& h = registry.histogram("obs", "h", {}, {1});
      for (int i = 0; i < kPerThread; ++i) {
        c.inc();
        g.add(t % 2 == 0 ? 1 : -1);
        h.observe(i % 2 == 0 ? 0.5 : 2);
        if (i % 5000 == 0) (void)registry.renderPrometheus();
      }
    });
  }
  for (auto& th : threads) th.join();
  const std::string text = registry.renderPrometheus();
  const std::string total = std::to_string(kThreads * kPerThread);
  const std::string half = std::to_string(kThreads * kPerThread / 2);
  EXPECT_NE(text.find("hits_total{k=\"v\"} " + total + "\n"), std::string::npos) << text;
  EXPECT_NE(text.find("level 0\n"), std::string::npos) << text;
  EXPECT_NE(text.find("obs_bucket{le=\"1\"} " + half + "\n"), std::string::npos) << text;
  EXPECT_NE(text.find("obs_count " + total + "\n"), std::string::npos) << text;
  EXPECT_NE(text.find("obs_sum " + std::to_string(kThreads * kPerThread / 2 * 5 / 2) + "\n"),
            std::string::npos)
      << text;
}

}  // namespace
}  // namespace chathost::host
