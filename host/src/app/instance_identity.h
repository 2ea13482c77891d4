#pragma once
// Who this process is among the hosts sharing a database: a prefix naming the instance (machine
// and data directory), an owner id unique to this process start, and the lock that tells a
// restart from a second process started with the same data directory.

#include <string>

namespace chathost::host {

/// "<hostname>:<hash>:", the hash over the data directory's path and the random id it keeps in
/// `instance.id` (made on first use): the same for every run of one instance, different between
/// instances that share a PostgreSQL database, even two containers with the same hostname and
/// data directory path on volumes of their own.
std::string instancePrefix(const std::string& dataDir);

/// `prefix` + "<pid>:<64 random bits in hex>": never the same for two process starts.
std::string uniqueOwnerId(const std::string& prefix);

/// An exclusive lock on a file of the data directory, held while the object lives. While one
/// process holds it, a second process of the same instance knows the first is alive and must
/// not take its claims. Not copyable; movable.
class InstanceLock {
 public:
  /// Tries to lock `path` (created when missing). held() says whether it worked.
  static InstanceLock tryAcquire(const std::string& path);
  ~InstanceLock();
  InstanceLock(InstanceLock&& other) noexcept;
  InstanceLock& operator=(InstanceLock&& other) noexcept;
  InstanceLock(const InstanceLock&) = delete;
  InstanceLock& operator=(const InstanceLock&) = delete;

  bool held() const { return fd_ >= 0; }
  /// Why the lock is not held ("" when it is).
  const std::string& reason() const { return reason_; }

 private:
  InstanceLock() = default;
  int fd_ = -1;
  std::string reason_;
};

}  // namespace chathost::host
