#pragma once
// Runs the real chathost executable for black-box tests: start on port 0, read the port from the
// "listening on" log line, stop with a signal or kill -9.

#include <sys/types.h>
#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace chathost::testing {

/// Output and exit status of a command run to completion.
struct CommandResult {
  int exitCode = -1;
  std::string out;
  std::string err;
};

/// Runs `args` (args[0] = program) with extra environment, waits at most `timeout`.
CommandResult runCommand(const std::vector<std::string>& args,
                         const std::map<std::string, std::string>& env = {},
                         std::chrono::milliseconds timeout = std::chrono::seconds(30),
                         const std::string& workDir = "");

/// A fresh temporary directory, removed by the destructor.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  const std::string& path() const { return path_; }
  std::string file(const std::string& name) const { return path_ + "/" + name; }
  /// Writes `text` to `name` inside the directory; returns the full path.
  std::string write(const std::string& name, const std::string& text) const;

 private:
  std::string path_;
};

class HostProcess {
 public:
  /// Starts `chathost --config <configFile>` in `workDir`. Waits until it logs its address.
  /// Returns nullopt (with the log in `failureLog`) when it exits or does not listen in time.
  static std::optional<HostProcess> start(const std::string& configFile, const std::string& workDir,
                                          const std::map<std::string, std::string>& env = {},
                                          std::string* failureLog = nullptr);
  HostProcess(HostProcess&& other) noexcept;
  HostProcess& operator=(HostProcess&&) = delete;
  ~HostProcess();

  int port() const { return port_; }
  std::string baseUrl() const { return "http://127.0.0.1:" + std::to_string(port_); }
  pid_t pid() const { return pid_; }
  /// Everything the process wrote to stderr so far.
  std::string log() const;
  /// Sends `signal` and waits for the exit; returns the exit code (or 128+signal).
  int stop(int signal, std::chrono::milliseconds timeout = std::chrono::seconds(20));
  /// kill -9 and reap.
  void kill9();
  /// Waits until the log contains `text` (deadline, no fixed sleeps).
  bool waitForLog(const std::string& text,
                  std::chrono::milliseconds timeout = std::chrono::seconds(10)) const;

 private:
  HostProcess(pid_t pid, std::string logFile) : pid_(pid), logFile_(std::move(logFile)) {}
  pid_t pid_ = -1;
  int port_ = 0;
  std::string logFile_;
};

/// Path of the chathost executable under test.
std::string chathostBinary();

}  // namespace chathost::testing
