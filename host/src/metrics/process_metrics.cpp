#include "metrics/process_metrics.h"

#include <sys/resource.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace chathost::host {

namespace {
std::string number(double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.17g", v);
  return buf;
}

std::string metric(const char* name, const char* type, const char* help, const std::string& value) {
  return std::string("# HELP ") + name + " " + help + "\n# TYPE " + name + " " + type + "\n" +
         name + " " + value + "\n";
}

// The escaping Prometheus wants inside a label value.
std::string labelValue(const std::string& s) {
  std::string out;
  for (char c : s) {
    if (c == '\\' || c == '"') out += '\\';
    if (c == '\n') {
      out += "\\n";
      continue;
    }
    out += c;
  }
  return out;
}
}  // namespace

std::optional<StatFields> parseProcStat(std::string_view line) {
  // The command name is in parentheses and may hold spaces and ')': fields follow the last ')'.
  const auto close = line.rfind(')');
  if (close == std::string_view::npos) return std::nullopt;
  std::istringstream in{std::string(line.substr(close + 1))};
  std::string field;
  // After the name: state is field 3; utime 14, stime 15, num_threads 20, starttime 22, rss 24.
  StatFields f;
  int index = 2;
  bool seen[5] = {};
  while (in >> field) {
    ++index;
    std::int64_t* target = index == 14   ? &f.utimeTicks
                           : index == 15 ? &f.stimeTicks
                           : index == 20 ? &f.threads
                           : index == 22 ? &f.startTicks
                           : index == 24 ? &f.rssPages
                                         : nullptr;
    if (!target) continue;
    try {
      std::size_t used = 0;
      *target = std::stoll(field, &used);
      if (used != field.size()) return std::nullopt;
    } catch (...) {
      return std::nullopt;
    }
    seen[index == 14 ? 0 : index == 15 ? 1 : index == 20 ? 2 : index == 22 ? 3 : 4] = true;
  }
  for (bool s : seen)
    if (!s) return std::nullopt;
  return f;
}

std::string processMetricsText(const ProcessStats& s, const std::string& version) {
  return metric("process_cpu_seconds_total", "counter",
                "User and system CPU time spent in seconds.", number(s.cpuSeconds)) +
         metric("process_resident_memory_bytes", "gauge", "Resident memory size in bytes.",
                std::to_string(s.residentBytes)) +
         metric("process_open_fds", "gauge", "Number of open file descriptors.",
                std::to_string(s.openFds)) +
         metric("process_max_fds", "gauge", "Maximum number of open file descriptors.",
                std::to_string(s.maxFds)) +
         metric("process_start_time_seconds", "gauge",
                "Start time of the process since unix epoch in seconds.",
                number(s.startTimeSeconds)) +
         metric("process_threads", "gauge", "Number of OS threads in the process.",
                std::to_string(s.threads)) +
         "# HELP chathost_build_info The running build (always 1).\n"
         "# TYPE chathost_build_info gauge\n"
         "chathost_build_info{version=\"" +
         labelValue(version) + "\"} 1\n";
}

ProcessStats readProcessStats() {
  ProcessStats s;
  const long ticks = sysconf(_SC_CLK_TCK);
  const long page = sysconf(_SC_PAGESIZE);
  std::ifstream statFile("/proc/self/stat");
  std::string line;
  if (std::getline(statFile, line) && ticks > 0)
    if (auto f = parseProcStat(line)) {
      s.cpuSeconds = static_cast<double>(f->utimeTicks + f->stimeTicks) / ticks;
      s.threads = f->threads;
      s.residentBytes = f->rssPages * page;
      std::ifstream uptime("/proc/uptime");
      double up = 0;
      if (uptime >> up) {
        const double bootedAt = static_cast<double>(std::time(nullptr)) - up;
        s.startTimeSeconds = bootedAt + static_cast<double>(f->startTicks) / ticks;
      }
    }
  std::error_code ec;
  for (auto it = std::filesystem::directory_iterator("/proc/self/fd", ec);
       !ec && it != std::filesystem::directory_iterator(); it.increment(ec))
    ++s.openFds;
  rlimit limit{};
  if (getrlimit(RLIMIT_NOFILE, &limit) == 0) s.maxFds = static_cast<std::int64_t>(limit.rlim_cur);
  return s;
}

}  // namespace chathost::host
