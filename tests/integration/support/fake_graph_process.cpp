#include "support/fake_graph_process.h"

#include "support/http_call.h"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>
#include <chrono>
#include <csignal>
#include <fstream>
#include <sstream>
#include <thread>

namespace chathost::testing {

std::optional<FakeGraphProcess> FakeGraphProcess::start(const std::vector<std::string>& accounts,
                                                        const std::string& workDir) {
  const std::string out = workDir + "/fake-graph.out";
  const pid_t pid = fork();
  if (pid == 0) {
    setpgid(0, 0);
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, nullptr);
    const int fd = open(out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    dup2(fd, 1);
    dup2(fd, 2);
    std::vector<std::string> args = {FAKE_GRAPH_BINARY, "--port", "0"};
    for (const auto& a : accounts) {
      args.push_back("--account");
      args.push_back(a);
    }
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    execv(argv[0], argv.data());
    _exit(127);
  }
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  const std::string marker = "listening on http://127.0.0.1:";
  while (std::chrono::steady_clock::now() < deadline) {
    std::ifstream in(out);
    std::stringstream ss;
    ss << in.rdbuf();
    const std::string text = ss.str();
    const auto at = text.find(marker);
    if (at != std::string::npos && text.find('\n', at) != std::string::npos)
      return FakeGraphProcess(pid, std::stoi(text.substr(at + marker.size())));
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  kill(pid, SIGKILL);
  waitpid(pid, nullptr, 0);
  return std::nullopt;
}

FakeGraphProcess::FakeGraphProcess(FakeGraphProcess&& other) noexcept
    : pid_(other.pid_), port_(other.port_) {
  other.pid_ = -1;
}

FakeGraphProcess::~FakeGraphProcess() {
  if (pid_ <= 0) return;
  kill(pid_, SIGKILL);
  waitpid(pid_, nullptr, 0);
}

std::vector<std::string> FakeGraphProcess::sentTexts() const {
  std::vector<std::string> texts;
  auto r = httpCall("GET", baseUrl() + "/_fake/sent");
  if (r.status != 200) return texts;
  auto root = Poco::JSON::Parser().parse(r.body).extract<Poco::JSON::Object::Ptr>();
  auto list = root->getArray("sent");
  for (std::size_t i = 0; i < list->size(); ++i)
    texts.push_back(list->getObject(static_cast<unsigned>(i))->getValue<std::string>("text"));
  return texts;
}

int FakeGraphProcess::sentCount() const {
  return static_cast<int>(sentTexts().size());
}

void FakeGraphProcess::injectFault(const std::string& match, const std::string& kind, int count,
                                   int hangMs) const {
  httpCall("POST", baseUrl() + "/_fake/faults",
           "{\"match\":\"" + match + "\",\"kind\":\"" + kind + "\",\"count\":" +
               std::to_string(count) + ",\"hangMs\":" + std::to_string(hangMs) + "}");
}

}  // namespace chathost::testing
