#include "metrics/process_metrics.h"

#include <gtest/gtest.h>

using chathost::host::parseProcStat;
using chathost::host::processMetricsText;
using chathost::host::ProcessStats;
using chathost::host::readProcessStats;

TEST(ProcessMetrics, ReadsTheStatLineAfterTheLastParenthesis) {
  // A command name with spaces and ')' must not shift the fields.
  const std::string line =
      "4242 (chat host) x) S 1 4242 4242 0 -1 4194560 1000 0 0 0 250 75 0 0 20 0 37 0 123456 "
      "987654321 2048 18446744073709551615 1 1 0 0 0 0 0 0 0 0 0 0 17 1 0 0 0 0 0";
  auto f = parseProcStat(line);
  ASSERT_TRUE(f.has_value());
  EXPECT_EQ(f->utimeTicks, 250);
  EXPECT_EQ(f->stimeTicks, 75);
  EXPECT_EQ(f->threads, 37);
  EXPECT_EQ(f->startTicks, 123456);
  EXPECT_EQ(f->rssPages, 2048);
}

TEST(ProcessMetrics, AMalformedStatLineIsRefused) {
  for (const char* bad : {"", "no parenthesis 1 2 3", "1 (x) S 1 2",
                          "1 (x) S 1 1 1 1 1 1 1 1 1 1 "
                          "abc 1 1 1 1 1 1 1 1 1 1 1"})
    EXPECT_FALSE(parseProcStat(bad).has_value()) << bad;
}

TEST(ProcessMetrics, RendersTheStandardProcessMetricsAndTheBuild) {
  ProcessStats s;
  s.cpuSeconds = 3.25;
  s.residentBytes = 58'000'000;
  s.threads = 41;
  s.openFds = 23;
  s.maxFds = 11264;
  s.startTimeSeconds = 1796660000.5;
  const std::string text = processMetricsText(s, "1.2.3 \"dev\"");
  for (const char* line :
       {"process_cpu_seconds_total 3.25\n", "process_resident_memory_bytes 58000000\n",
        "process_threads 41\n", "process_open_fds 23\n", "process_max_fds 11264\n",
        "process_start_time_seconds 1796660000.5\n", "# TYPE process_cpu_seconds_total counter\n",
        "chathost_build_info{version=\"1.2.3 \\\"dev\\\"\"} 1\n"})
    EXPECT_NE(text.find(line), std::string::npos) << line << " in\n" << text;
}

TEST(ProcessMetrics, ThisProcessHasPlausibleNumbers) {
  const ProcessStats s = readProcessStats();
  EXPECT_GT(s.residentBytes, 0);
  EXPECT_GE(s.threads, 1);
  EXPECT_GE(s.openFds, 3);  // stdin, stdout, stderr at least
  EXPECT_GE(s.maxFds, s.openFds);
  EXPECT_GT(s.startTimeSeconds, 1.6e9);
}
