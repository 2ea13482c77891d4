#pragma once
// The process's own numbers for /metrics (CPU, memory, descriptors, threads) and the build's
// version, read from /proc at scrape time: nothing runs between scrapes.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace chathost::host {

/// What /proc tells about this process. Value type.
struct ProcessStats {
  double cpuSeconds = 0;  // user + system
  std::int64_t residentBytes = 0;
  std::int64_t threads = 0;
  std::int64_t openFds = 0;
  std::int64_t maxFds = 0;      // soft limit
  double startTimeSeconds = 0;  // since the epoch
};

/// Fields of a /proc/<pid>/stat line: utime, stime (clock ticks), num_threads, starttime (ticks
/// since boot), rss (pages). nullopt when the line is malformed. Pure.
struct StatFields {
  std::int64_t utimeTicks = 0;
  std::int64_t stimeTicks = 0;
  std::int64_t threads = 0;
  std::int64_t startTicks = 0;
  std::int64_t rssPages = 0;
};
std::optional<StatFields> parseProcStat(std::string_view line);

/// Prometheus text of `stats` and of `chathost_build_info{version}`. Pure.
std::string processMetricsText(const ProcessStats& stats, const std::string& version);

/// This process's stats from /proc/self (zeros where /proc cannot be read).
ProcessStats readProcessStats();

}  // namespace chathost::host
