#include "secrets/private_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <system_error>

#include "secrets/random.h"

namespace chathost::host {
namespace {

constexpr off_t kMaxPrivateFileBytes = 64 * 1024;

std::string errnoText(int err) {
  return std::strerror(err);
}

std::string octalMode(mode_t mode) {
  char buf[8];
  std::snprintf(buf, sizeof buf, "%04o", static_cast<unsigned>(mode & 07777));
  return buf;
}

/// Closes the descriptor on every path out of a function.
class FileDescriptor {
 public:
  explicit FileDescriptor(int fd) : fd_(fd) {}
  ~FileDescriptor() {
    if (fd_ >= 0) ::close(fd_);
  }
  FileDescriptor(const FileDescriptor&) = delete;
  FileDescriptor& operator=(const FileDescriptor&) = delete;
  int get() const { return fd_; }
  /// Closes now and reports whether the kernel accepted it (write errors can surface here).
  bool close() {
    const int fd = fd_;
    fd_ = -1;
    return ::close(fd) == 0;
  }

 private:
  int fd_;
};

bool writeAll(int fd, const std::string& content) {
  std::size_t done = 0;
  while (done < content.size()) {
    const ssize_t n = ::write(fd, content.data() + done, content.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    done += static_cast<std::size_t>(n);
  }
  return true;
}

sdk::Status createParentDirectories(const std::filesystem::path& path, const std::string& what) {
  const std::filesystem::path parent = path.parent_path();
  if (parent.empty()) return sdk::Status::ok();
  std::error_code ec;
  if (std::filesystem::is_directory(parent, ec)) return sdk::Status::ok();
  // Create one level at a time so each new directory gets 0700, whatever the umask.
  std::filesystem::path current;
  for (const auto& part : parent) {
    current /= part;
    if (std::filesystem::is_directory(current, ec)) continue;
    if (::mkdir(current.c_str(), 0700) != 0 && errno != EEXIST) {
      return sdk::Status::internal("cannot create directory " + current.string() + " for the " +
                                   what + ": " + errnoText(errno));
    }
  }
  return sdk::Status::ok();
}

}  // namespace

sdk::Result<std::optional<std::string>> readPrivateFile(const std::string& path,
                                                        const std::string& what) {
  FileDescriptor fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK));
  if (fd.get() < 0) {
    if (errno == ENOENT) return std::optional<std::string>();
    return sdk::Status::validation("cannot open " + what + " " + path + ": " + errnoText(errno));
  }
  struct stat st {};
  if (::fstat(fd.get(), &st) != 0) {
    return sdk::Status::validation("cannot stat " + what + " " + path + ": " + errnoText(errno));
  }
  if (!S_ISREG(st.st_mode)) {
    return sdk::Status::validation(what + " " + path + " is not a regular file");
  }
  if ((st.st_mode & (S_IRWXG | S_IRWXO)) != 0) {
    return sdk::Status::validation(what + " " + path + " is accessible by group or others (mode " +
                                   octalMode(st.st_mode) + "); restrict it with: chmod 600 " +
                                   path);
  }
  if (st.st_size > kMaxPrivateFileBytes) {
    return sdk::Status::validation(what + " " + path + " is too large (" +
                                   std::to_string(st.st_size) + " bytes)");
  }
  std::string content(static_cast<std::size_t>(st.st_size), '\0');
  std::size_t done = 0;
  while (done < content.size()) {
    const ssize_t n = ::read(fd.get(), content.data() + done, content.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      return sdk::Status::validation("cannot read " + what + " " + path + ": " + errnoText(errno));
    }
    if (n == 0) break;  // shrank while reading: keep what is there, the caller validates it
    done += static_cast<std::size_t>(n);
  }
  content.resize(done);
  return std::optional<std::string>(std::move(content));
}

sdk::Status createPrivateFile(const std::string& path, const std::string& content,
                              const std::string& what) {
  const std::filesystem::path target(path);
  if (sdk::Status s = createParentDirectories(target, what); !s) return s;

  // Write a temporary file next to the target, then link() it into place: link fails with
  // EEXIST instead of replacing, and readers never see a half-written secret.
  const std::string temp = path + ".tmp-" + randomHex(8);
  FileDescriptor fd(::open(temp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600));
  if (fd.get() < 0) {
    return sdk::Status::internal("cannot create " + what + " " + path + ": " + errnoText(errno));
  }
  const bool written = ::fchmod(fd.get(), 0600) == 0 && writeAll(fd.get(), content) &&
                       ::fsync(fd.get()) == 0 && fd.close();
  if (!written) {
    const int err = errno;
    ::unlink(temp.c_str());
    return sdk::Status::internal("cannot write " + what + " " + path + ": " + errnoText(err));
  }
  const int linked = ::link(temp.c_str(), path.c_str());
  const int linkErr = errno;
  ::unlink(temp.c_str());
  if (linked != 0) {
    if (linkErr == EEXIST) {
      return {sdk::ErrorCode::kConflict, what + " " + path + " already exists"};
    }
    return sdk::Status::internal("cannot create " + what + " " + path + ": " + errnoText(linkErr));
  }
  return sdk::Status::ok();
}

}  // namespace chathost::host
