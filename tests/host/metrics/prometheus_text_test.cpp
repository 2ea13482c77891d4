#include "metrics/prometheus_text.h"

#include <gtest/gtest.h>

#include <limits>

namespace chathost::host {
namespace {

TEST(PrometheusText, MetricNames) {
  EXPECT_TRUE(isValidMetricName("chathost_http_requests_total"));
  EXPECT_TRUE(isValidMetricName("a:b_c9"));
  EXPECT_TRUE(isValidMetricName("_x"));
  EXPECT_FALSE(isValidMetricName(""));
  EXPECT_FALSE(isValidMetricName("9lives"));
  EXPECT_FALSE(isValidMetricName("has-dash"));
  EXPECT_FALSE(isValidMetricName("has space"));
  EXPECT_FALSE(isValidMetricName("caf\xc3\xa9"));
}

TEST(PrometheusText, LabelNames) {
  EXPECT_TRUE(isValidLabelName("operation"));
  EXPECT_TRUE(isValidLabelName("_x1"));
  EXPECT_FALSE(isValidLabelName("__reserved"));
  EXPECT_FALSE(isValidLabelName("a:b"));
  EXPECT_FALSE(isValidLabelName("1a"));
  EXPECT_FALSE(isValidLabelName(""));
}

TEST(PrometheusText, EscapesLabelValuesAndHelp) {
  EXPECT_EQ(escapeLabelValue("a\\b\"c\nd"), "a\\\\b\\\"c\\nd");
  EXPECT_EQ(escapeHelp("say \"hi\"\\\n"), "say \"hi\"\\\\\\n");
}

TEST(PrometheusText, FormatsNumbers) {
  EXPECT_EQ(formatNumber(0), "0");
  EXPECT_EQ(formatNumber(42), "42");
  EXPECT_EQ(formatNumber(-1.5), "-1.5");
  EXPECT_EQ(formatNumber(200000), "200000");
  EXPECT_EQ(formatNumber(-3), "-3");
  EXPECT_EQ(formatNumber(1e300), "1e+300");
  EXPECT_EQ(formatNumber(0.1), "0.1");
  EXPECT_EQ(formatNumber(0.00005), "5e-05");
  EXPECT_EQ(formatNumber(std::numeric_limits<double>::infinity()), "+Inf");
  EXPECT_EQ(formatNumber(-std::numeric_limits<double>::infinity()), "-Inf");
  EXPECT_EQ(formatNumber(std::numeric_limits<double>::quiet_NaN()), "NaN");
}

TEST(PrometheusText, RendersLabelsInGivenOrder) {
  EXPECT_EQ(renderLabels({}), "");
  EXPECT_EQ(renderLabels({{"b", "1"}, {"a", "x\"y"}}), "{b=\"1\",a=\"x\\\"y\"}");
}

}  // namespace
}  // namespace chathost::host
