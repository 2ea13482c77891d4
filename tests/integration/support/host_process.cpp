#include "support/host_process.h"

#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>
#include <csignal>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>
#include <thread>

namespace chathost::testing {
namespace {

using Clock = std::chrono::steady_clock;

std::string readFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// Polls waitpid until the child exits or the deadline passes.
std::optional<int> waitExit(pid_t pid, std::chrono::milliseconds timeout) {
  const auto deadline = Clock::now() + timeout;
  int status = 0;
  while (true) {
    const pid_t r = waitpid(pid, &status, WNOHANG);
    if (r == pid) {
      if (WIFEXITED(status)) return WEXITSTATUS(status);
      if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
      return -1;
    }
    if (r < 0 || Clock::now() > deadline) return std::nullopt;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
}

pid_t spawn(const std::vector<std::string>& args, const std::map<std::string, std::string>& env,
            const std::string& workDir, const std::string& outFile, const std::string& errFile) {
  const pid_t pid = fork();
  if (pid != 0) return pid;
  // Child: new process group so a test can signal everything it started.
  setpgid(0, 0);
  sigset_t none;
  sigemptyset(&none);
  sigprocmask(SIG_SETMASK, &none, nullptr);
  if (!workDir.empty() && chdir(workDir.c_str()) != 0) _exit(127);
  for (const auto& [k, v] : env) setenv(k.c_str(), v.c_str(), 1);
  const int out = open(outFile.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
  const int err = open(errFile.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
  dup2(out, 1);
  dup2(err, 2);
  const int devnull = open("/dev/null", O_RDONLY);
  dup2(devnull, 0);
  std::vector<char*> argv;
  for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  execv(argv[0], argv.data());
  _exit(127);
}

}  // namespace

std::string chathostBinary() {
  return CHATHOST_BINARY;
}

TempDir::TempDir() {
  std::string tmpl = (std::filesystem::temp_directory_path() / "chathost-test-XXXXXX").string();
  path_ = mkdtemp(tmpl.data());
}

TempDir::~TempDir() {
  std::error_code ec;
  std::filesystem::remove_all(path_, ec);
}

std::string TempDir::write(const std::string& name, const std::string& text) const {
  const std::string p = file(name);
  std::filesystem::create_directories(std::filesystem::path(p).parent_path());
  std::ofstream(p, std::ios::binary) << text;
  return p;
}

CommandResult runCommand(const std::vector<std::string>& args,
                         const std::map<std::string, std::string>& env,
                         std::chrono::milliseconds timeout, const std::string& workDir) {
  TempDir io;
  CommandResult r;
  const pid_t pid = spawn(args, env, workDir, io.file("out"), io.file("err"));
  auto code = waitExit(pid, timeout);
  if (!code) {
    kill(pid, SIGKILL);
    waitpid(pid, nullptr, 0);
    r.exitCode = -1;
  } else {
    r.exitCode = *code;
  }
  r.out = readFile(io.file("out"));
  r.err = readFile(io.file("err"));
  return r;
}

std::optional<HostProcess> HostProcess::start(const std::string& configFile,
                                              const std::string& workDir,
                                              const std::map<std::string, std::string>& env,
                                              std::string* failureLog) {
  const std::string logFile = workDir + "/host-" + std::to_string(std::rand()) + ".log";
  const pid_t pid = spawn({chathostBinary(), "--config", configFile}, env, workDir,
                          workDir + "/host.stdout", logFile);
  HostProcess p(pid, logFile);
  static const std::regex kListening(R"(listening on http://[^:\s]+:(\d+))");
  const auto deadline = Clock::now() + std::chrono::seconds(20);
  while (Clock::now() < deadline) {
    std::smatch m;
    const std::string log = p.log();
    if (std::regex_search(log, m, kListening)) {
      p.port_ = std::stoi(m[1]);
      return p;
    }
    int status = 0;
    if (waitpid(pid, &status, WNOHANG) == pid) {
      p.pid_ = -1;
      if (failureLog) *failureLog = p.log();
      return std::nullopt;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  if (failureLog) *failureLog = p.log();
  p.kill9();
  return std::nullopt;
}

HostProcess::HostProcess(HostProcess&& other) noexcept
    : pid_(other.pid_), port_(other.port_), logFile_(std::move(other.logFile_)) {
  other.pid_ = -1;
}

HostProcess::~HostProcess() {
  if (pid_ > 0) kill9();
}

std::string HostProcess::log() const {
  return readFile(logFile_);
}

int HostProcess::stop(int signal, std::chrono::milliseconds timeout) {
  if (pid_ <= 0) return -1;
  kill(pid_, signal);
  auto code = waitExit(pid_, timeout);
  if (!code) {
    kill9();
    return -1;
  }
  pid_ = -1;
  return *code;
}

void HostProcess::kill9() {
  if (pid_ <= 0) return;
  kill(pid_, SIGKILL);
  waitpid(pid_, nullptr, 0);
  pid_ = -1;
}

bool HostProcess::waitForLog(const std::string& text, std::chrono::milliseconds timeout) const {
  const auto deadline = Clock::now() + timeout;
  while (Clock::now() < deadline) {
    if (log().find(text) != std::string::npos) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return false;
}

}  // namespace chathost::testing
