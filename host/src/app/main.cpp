// chathost: runs chat agents and connects them to messaging channels through plugins.

#include "app/command_line.h"
#include "app/commands.h"
#include "app/shutdown_signal.h"

#include <limits.h>
#include <malloc.h>
#include <unistd.h>
#include <exception>
#include <iostream>
#include <string>
#include <vector>

namespace {

std::string executablePath(const char* argv0) {
  char buf[PATH_MAX];
  const ssize_t n = readlink("/proc/self/exe", buf, sizeof buf - 1);
  return n > 0 ? std::string(buf, static_cast<std::size_t>(n)) : std::string(argv0);
}

}  // namespace

int main(int argc, char** argv) {
  using chathost::host::CommandLine;
  // glibc gives each allocating thread an arena of its own; with dozens of mostly waiting HTTP
  // and worker threads, the free memory kept in those arenas was most of the resident set.
  mallopt(M_ARENA_MAX, 2);
  chathost::host::blockShutdownSignals();
  try {
    auto cl = chathost::host::parseCommandLine(std::vector<std::string>(argv + 1, argv + argc));
    if (!cl) {
      std::cerr << "chathost: " << cl.status().message() << "\n";
      return 2;
    }
    const std::string exe = executablePath(argv[0]);
    switch (cl->mode) {
      case CommandLine::Mode::kHelp:
        std::cout << chathost::host::usageText();
        return 0;
      case CommandLine::Mode::kVersion:
        std::cout << "chathost " CHATHOST_VERSION "\n";
        return 0;
      case CommandLine::Mode::kCheckConfig:
        return chathost::host::runCheckConfig(*cl, exe);
      case CommandLine::Mode::kPrintConfigSchema:
        return chathost::host::runPrintConfigSchema();
      case CommandLine::Mode::kToken:
        return chathost::host::runToken(*cl);
      case CommandLine::Mode::kServe:
        return chathost::host::runServe(*cl, exe);
    }
  } catch (const std::exception& e) {  // last resort: a clear line instead of std::terminate
    std::cerr << "chathost: fatal: " << e.what() << "\n";
  }
  return 1;
}
