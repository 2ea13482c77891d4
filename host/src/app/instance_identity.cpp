#include "app/instance_identity.h"

#include "storage/time_and_ids.h"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <random>
#include <utility>

namespace chathost::host {

namespace {

std::string firstLineOf(const std::string& path) {
  std::string line;
  if (std::FILE* in = std::fopen(path.c_str(), "r")) {
    char buffer[64] = {};
    line.assign(buffer, std::fread(buffer, 1, sizeof buffer - 1, in));
    std::fclose(in);
  }
  if (auto end = line.find_first_of("\r\n"); end != std::string::npos) line.resize(end);
  return line;
}

// The random id kept in the data directory, made on its first use: installations with the same
// hostname and data directory path (containers, each with a volume of its own) differ by it.
// Empty when the directory cannot hold it.
std::string installationId(const std::string& dataDir) {
  const std::string path = dataDir + "/instance.id";
  if (std::string id = firstLineOf(path); !id.empty()) return id;
  // Created exclusively: when two first starts race, both read the winner's id below.
  if (std::FILE* out = std::fopen(path.c_str(), "wx")) {
    std::fprintf(out, "%s\n", newRandomId().c_str());
    std::fclose(out);
  }
  return firstLineOf(path);
}

}  // namespace

std::string instancePrefix(const std::string& dataDir) {
  char name[256] = {};
  gethostname(name, sizeof name - 1);
  std::error_code ec;
  const std::string dir = std::filesystem::weakly_canonical(dataDir, ec).string();
  std::uint32_t hash = 2166136261u;  // FNV-1a: stable across builds, unlike std::hash
  for (unsigned char c : (ec ? dataDir : dir) + "\n" + installationId(dataDir))
    hash = (hash ^ c) * 16777619u;
  char hex[9];
  std::snprintf(hex, sizeof hex, "%08x", hash);
  return std::string(name) + ":" + hex + ":";
}

std::string uniqueOwnerId(const std::string& prefix) {
  std::random_device rd;
  const std::uint64_t bits = (static_cast<std::uint64_t>(rd()) << 32) ^ rd();
  char hex[17];
  std::snprintf(hex, sizeof hex, "%016llx", static_cast<unsigned long long>(bits));
  return prefix + std::to_string(getpid()) + ":" + hex;
}

InstanceLock InstanceLock::tryAcquire(const std::string& path) {
  InstanceLock lock;
  const int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (fd < 0) {
    lock.reason_ = "cannot open " + path + ": " + std::strerror(errno);
    return lock;
  }
  // flock locks belong to the open file: released when the process dies, however it dies.
  if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
    lock.reason_ = errno == EWOULDBLOCK ? "another process holds " + path
                                        : "cannot lock " + path + ": " + std::strerror(errno);
    ::close(fd);
    return lock;
  }
  lock.fd_ = fd;
  return lock;
}

InstanceLock::~InstanceLock() {
  if (fd_ >= 0) ::close(fd_);
}

InstanceLock::InstanceLock(InstanceLock&& other) noexcept
    : fd_(std::exchange(other.fd_, -1)), reason_(std::move(other.reason_)) {}

InstanceLock& InstanceLock::operator=(InstanceLock&& other) noexcept {
  if (this != &other) {
    if (fd_ >= 0) ::close(fd_);
    fd_ = std::exchange(other.fd_, -1);
    reason_ = std::move(other.reason_);
  }
  return *this;
}

}  // namespace chathost::host
