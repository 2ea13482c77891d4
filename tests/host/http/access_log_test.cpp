#include "http/access_log.h"

#include <gtest/gtest.h>

#include "capturing_logger.h"

namespace chathost::host {
namespace {

using namespace std::chrono_literals;

std::string fieldOf(const sdk::LogFields& fields, const std::string& name) {
  for (const auto& [k, v] : fields)
    if (k == name) return v;
  return "(absent)";
}

TEST(AccessLogTest, DurationsAreMillisecondsWithMicrosecondPrecision) {
  EXPECT_EQ(formatDurationMs(0ns), "0.000");
  EXPECT_EQ(formatDurationMs(183'999ns), "0.183");
  EXPECT_EQ(formatDurationMs(12'345'678ns), "12.345");
  EXPECT_EQ(formatDurationMs(120s), "120000.000");
}

TEST(AccessLogTest, FieldsComeInAStableOrderWithDashesForWhatIsUnknown) {
  const AccessRecord record{sdk::Method::kGet, "", "/x", 404, 2ms, "", "", 0, ""};
  const sdk::LogFields fields = accessLogFields(record);
  std::vector<std::string> names;
  for (const auto& [k, v] : fields) names.push_back(k);
  EXPECT_EQ(names, (std::vector<std::string>{"method", "route", "path", "status", "durationMs",
                                             "bytes", "operationId", "operation", "remote"}));
  EXPECT_EQ(fieldOf(fields, "route"), "-");
  EXPECT_EQ(fieldOf(fields, "operationId"), "-");
  EXPECT_EQ(fieldOf(fields, "remote"), "-");
  EXPECT_EQ(fieldOf(fields, "durationMs"), "2.000");
}

TEST(AccessLogTest, AHostilePathIsCutSoALineStaysShort) {
  const std::string longPath = "/" + std::string(10000, 'a');
  const AccessRecord record{sdk::Method::kPost, "-", longPath,       404, 1us, "id",
                            "unmatched",        0,   "203.0.113.1:1"};
  const std::string path = fieldOf(accessLogFields(record), "path");
  EXPECT_EQ(path.size(), kAccessLogMaxPath + 3);
  EXPECT_TRUE(path.ends_with("..."));
}

TEST(AccessLogTest, RecordsAtInfoOnlyWhenEnabled) {
  testing::CapturingLogger logger;
  const AccessRecord record{sdk::Method::kGet, "/healthz", "/healthz",   200, 5us, "op",
                            "healthz",         15,         "127.0.0.1:9"};
  AccessLog(logger, false).record(record);
  EXPECT_TRUE(logger.lines().empty());
  AccessLog on(logger, true);
  EXPECT_TRUE(on.wanted());
  on.record(record);
  ASSERT_EQ(logger.lines().size(), 1u);
  EXPECT_EQ(logger.lines()[0].level, sdk::LogLevel::kInfo);
  EXPECT_EQ(logger.lines()[0].message, "request");
  EXPECT_EQ(logger.lines()[0].field("route"), "/healthz");
}

}  // namespace
}  // namespace chathost::host
